package setup

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// Runbook step 3, option 1: the system, worker and deployment managed node groups.

// Concurrent's pods tolerate concurrent-node-type=<role>:NoSchedule (concurrent-facts.md 3).
const nodeLabelKey = "concurrent-node-type"

// noSchedule is the EKS API's spelling of the taint effect; EKS rejects Kubernetes'
// `NoSchedule` (CreateNodegroup, Taint.effect enum).
const noSchedule = "NO_SCHEDULE"

// nodePolicies are the AWS managed policies every EKS node role needs: without them the
// kubelet cannot register, the VPC CNI cannot assign pod IPs, and images cannot be pulled
// (EKS user guide, "Amazon EKS node IAM role").
var nodePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"}

// nodeTrustPolicy lets EC2 instances (the nodes) assume the node role.
func nodeTrustPolicy() policyDocument {
	return policyDocument{Version: "2012-10-17", Statement: []statement{{
		Sid:       "EKSNodesAssumeRole",
		Effect:    "Allow",
		Principal: map[string]string{"Service": "ec2.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
	}}}
}

// createNodeGroups makes one managed node group per enabled role, tainted and labelled
// concurrent-node-type=<role>, and the node role unless nodeGroups.nodeRoleArn is given.
func createNodeGroups(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, f *clusterFacts,
) (*computeResult, error) {
	cl := f.cluster
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	nodeRoleArn, attachments, err := nodeRole(ctx, name, c, cl, opts)
	if err != nil {
		return nil, err
	}

	var names pulumi.StringArray
	for _, g := range c.nodeGroups.groups {
		group, err := eks.NewNodeGroup(ctx, name+"-"+g.role, &eks.NodeGroupArgs{
			// No nodeGroupName: an auto-generated one lets a replacement (instance types, disk,
			// capacity type and subnets force one) be created before the old group is deleted.
			ClusterName: cl.name,
			// The cluster's version, so a cluster upgrade followed by `pulumi up` upgrades the
			// group in place (EKS UpdateNodegroupVersion) instead of leaving it behind.
			Version:       groupVersion(g, cl),
			NodeRoleArn:   nodeRoleArn,
			SubnetIds:     g.subnetIds,
			CapacityType:  pulumi.String(string(g.capacityType)),
			InstanceTypes: pulumi.ToStringArray(g.instanceTypes),
			// No launch template: with one, EKS ignores diskSize.
			DiskSize: pulumi.Int(g.diskSize),
			AmiType:  pulumi.String(g.amiType),
			ScalingConfig: &eks.NodeGroupScalingConfigArgs{
				DesiredSize: pulumi.Int(g.desiredSize),
				MinSize:     pulumi.Int(g.minSize),
				MaxSize:     pulumi.Int(g.maxSize),
			},
			Taints: eks.NodeGroupTaintArray{&eks.NodeGroupTaintArgs{
				Key: pulumi.String(nodeLabelKey), Value: pulumi.String(g.role), Effect: pulumi.String(noSchedule),
			}},
			Labels: nodeLabels(g),
			Tags:   c.tags,
		}, append(opts,
			// Cluster autoscalers own the desired size once the group exists.
			pulumi.IgnoreChanges([]string{"scalingConfig.desiredSize"}),
			// Nodes cannot join until the role has its policies. The groups do not depend on
			// each other: EKS creates them in parallel.
			pulumi.DependsOn(attachments),
		)...)
		if err != nil {
			return nil, err
		}
		names = append(names, group.NodeGroupName)
	}
	return &computeResult{
		nodeGroupNames: names.ToStringArrayOutput(),
		nodeRoleArn:    nodeRoleArn.ToStringPtrOutput(),
	}, nil
}

// nodeLabels is the group's labels plus concurrent-node-type=<role>, which always wins
// (validation rejects the key among known labels; an unknown map is merged when it resolves).
func nodeLabels(g nodeGroupConfig) pulumi.StringMapInput {
	return inputs.Overlay(g.labels, map[string]string{nodeLabelKey: g.role})
}

// nodeRole returns nodeGroups.nodeRoleArn, or creates the role with the policies EKS nodes
// need and returns it with the attachments the node groups must wait for.
func nodeRole(ctx *pulumi.Context, name string, c *config, cl *cluster, opts []pulumi.ResourceOption,
) (pulumi.StringOutput, []pulumi.Resource, error) {
	if c.nodeGroups.nodeRoleArn != nil {
		return c.nodeGroups.nodeRoleArn.ToStringOutput(), nil, nil
	}
	var policies []managedPolicy
	for _, policy := range nodePolicies {
		policies = append(policies, managedPolicy{resourceName: name + "-node-" + policy, policy: policy})
	}
	return createServiceRole(ctx, c, cl, serviceRoleSpec{
		resourceName: name + "-node-role",
		description:  pulumi.Sprintf("Nodes of Concurrent for MLflow's managed node groups on EKS cluster %s", cl.name),
		trust:        pulumi.String(nodeTrustPolicy().String()),
		policies:     policies,
	}, opts)
}

// groupVersion is the cluster's Kubernetes version, checked against the group's AMI type
// when it resolves (a cluster built in the same program; a known one was checked already).
func groupVersion(g nodeGroupConfig, cl *cluster) pulumi.StringOutput {
	if cl.known {
		return cl.version
	}
	return pulumi.All(cl.name, cl.version).ApplyT(func(v []any) (string, error) {
		return v[1].(string), amiVersionError("nodeGroups."+g.role, g.amiType, v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
}
