package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Runbook step 3, option 2: Fargate profiles and their pod execution role.

// fargateRoles are the profiles Concurrent needs. On Fargate its pods carry no toleration
// but the label concurrent-node-type=system|worker, which the profiles select on
// (concurrent-facts.md section 3; the runbook's concurrent-system and concurrent-worker).
var fargateRoles = []string{RoleSystem, RoleWorker}

// fargatePodExecutionPolicy lets Fargate's kubelet pull images and write logs (EKS user
// guide, "Amazon EKS Pod execution IAM role").
const fargatePodExecutionPolicy = "AmazonEKSFargatePodExecutionRolePolicy"

// fargateTrustPolicy lets Fargate assume the pod execution role, but only for this
// cluster's profiles (the confused-deputy condition the EKS user guide recommends).
func fargateTrustPolicy(partition, region, account, clusterName string) policyDocument {
	return policyDocument{Version: "2012-10-17", Statement: []statement{{
		Sid:       "EKSFargatePodsAssumeRole",
		Effect:    "Allow",
		Principal: map[string]string{"Service": "eks-fargate-pods.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]string{"ArnLike": {
			"aws:SourceArn": fmt.Sprintf("arn:%s:eks:%s:%s:fargateprofile/%s/*", partition, region, account, clusterName),
		}},
	}}}
}

// EKS: a Fargate profile holds at most 5 selectors.
const selectorsPerProfile = 5

func fargateProfilesPerRole(namespaces int) int {
	return (namespaces + selectorsPerProfile - 1) / selectorsPerProfile
}

// fargateProfile is one profile to create: its fixed name and the namespaces it selects.
type fargateProfile struct {
	role       string
	suffix     string // "", "-2", "-3", ...
	namespaces []string
}

// fargateProfiles chunks the namespaces, in list order, into profiles of at most
// selectorsPerProfile selectors, per role. Profiles are immutable (a new selector replaces
// the profile), so chunking in order means a new namespace changes only the last chunk.
func fargateProfiles(namespaces []namespaceConfig) []fargateProfile {
	var out []fargateProfile
	for _, role := range fargateRoles {
		for i := 0; i < len(namespaces); i += selectorsPerProfile {
			p := fargateProfile{role: role}
			if i > 0 {
				p.suffix = fmt.Sprintf("-%d", i/selectorsPerProfile+1)
			}
			for _, ns := range namespaces[i:min(i+selectorsPerProfile, len(namespaces))] {
				p.namespaces = append(p.namespaces, ns.name)
			}
			out = append(out, p)
		}
	}
	return out
}

// createFargate makes the concurrent-system and concurrent-worker profiles (more when there
// are more than 5 namespaces), the pod execution role unless one is given, and the private
// subnets when fargate.network asks for them.
func createFargate(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, f *clusterFacts,
) (*computeResult, error) {
	cl := f.cluster
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	result := &computeResult{}

	subnets := c.fargate.subnetIds
	if c.fargate.network != nil {
		ids, err := createPrivateNetwork(ctx, parent, name, c, f.network)
		if err != nil {
			return nil, err
		}
		subnets, result.privateSubnetIds = ids, ids
	}

	roleArn, attachments, err := podExecutionRole(ctx, name, c, cl, opts)
	if err != nil {
		return nil, err
	}
	profileOpts := append(opts,
		// The names are fixed (the runbook's), so a replacement (new selectors) cannot
		// create the new profile before deleting the old one.
		pulumi.DeleteBeforeReplace(true))
	if attachments != nil {
		// Pods scheduled before the policy is attached could not pull their images.
		profileOpts = append(profileOpts, pulumi.DependsOn(attachments))
	}

	// No dependency chain between the profiles: the AWS provider already serializes profile
	// operations on one cluster (EKS allows one at a time).
	var names pulumi.StringArray
	for _, p := range fargateProfiles(c.namespaces) {
		var selectors eks.FargateProfileSelectorArray
		for _, ns := range p.namespaces {
			selectors = append(selectors, &eks.FargateProfileSelectorArgs{
				Namespace: pulumi.String(ns),
				Labels:    pulumi.StringMap{nodeLabelKey: pulumi.String(p.role)},
			})
		}
		profile, err := eks.NewFargateProfile(ctx, name+"-fargate-"+p.role+p.suffix, &eks.FargateProfileArgs{
			ClusterName:         cl.name,
			FargateProfileName:  pulumi.String("concurrent-" + p.role + p.suffix),
			PodExecutionRoleArn: roleArn,
			SubnetIds:           subnets,
			Selectors:           selectors,
			Tags:                c.tags,
		}, profileOpts...)
		if err != nil {
			return nil, err
		}
		names = append(names, profile.FargateProfileName)
	}
	result.fargateProfileNames = names.ToStringArrayOutput()
	result.podExecutionRoleArn = roleArn.ToStringPtrOutput()
	return result, nil
}

// podExecutionRole returns fargate.podExecutionRoleArn, or creates the role with
// AmazonEKSFargatePodExecutionRolePolicy attached (and returns the attachment).
func podExecutionRole(ctx *pulumi.Context, name string, c *config, cl *cluster, opts []pulumi.ResourceOption,
) (pulumi.StringOutput, []pulumi.Resource, error) {
	if c.fargate.podExecutionRoleArn != nil {
		return c.fargate.podExecutionRoleArn.ToStringOutput(), nil, nil
	}
	trust := cl.name.ApplyT(func(cluster string) string {
		return fargateTrustPolicy(cl.partition, cl.region, cl.accountId, cluster).String()
	}).(pulumi.StringOutput)
	return createServiceRole(ctx, c, cl, serviceRoleSpec{
		resourceName: name + "-pod-execution-role",
		description:  pulumi.Sprintf("Fargate pod execution role for Concurrent on EKS cluster %s", cl.name),
		trust:        trust,
		policies:     []managedPolicy{{resourceName: name + "-pod-execution-policy", policy: fargatePodExecutionPolicy}},
	}, opts)
}
