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

// fargateProfile is one profile to create: its logical name (also its EKS name) and its
// selectors.
type fargateProfile struct {
	name      string
	selectors []fargateSelector
}

type fargateSelector struct{ namespace, role string }

// fargateProfileNames derive from the component's name, never the runbook's
// concurrent-system and concurrent-worker, so a runbook leftover can stay until ours run
// Concurrent's pods (Concurrent selects pods by label, never by profile name).
func fargateProfileName(component, suffix string) string { return component + "-fargate-" + suffix }

// fargateProfiles lists the profiles of fargate.selectors. Profiles are immutable: a changed
// selector list replaces the profile, and EKS stops the pods it runs. So no profile's inputs
// depend on the namespace list:
//   - wildcard: one profile per role whose one selector is {namespace: "*", labels:
//     {concurrent-node-type: <role>}}; only Concurrent's pods carry that label.
//   - perNamespace: one profile per namespace, selecting it for both roles. A construct has
//     no memory of which profile took which namespace, so packing 5 namespaces into a profile
//     would change a partly filled profile whenever one is added or removed; one namespace
//     per profile adds or removes a profile instead.
func fargateProfiles(component string, c *config) []fargateProfile {
	var out []fargateProfile
	if c.fargate.selectors == FargateSelectorsPerNamespace {
		for _, ns := range c.namespaces {
			p := fargateProfile{name: fargateProfileName(component, "ns-"+ns.name)}
			for _, role := range fargateRoles {
				p.selectors = append(p.selectors, fargateSelector{namespace: ns.name, role: role})
			}
			out = append(out, p)
		}
		return out
	}
	for _, role := range fargateRoles {
		out = append(out, fargateProfile{
			name:      fargateProfileName(component, role),
			selectors: []fargateSelector{{namespace: "*", role: role}},
		})
	}
	return out
}

// fargateProfileCount is how many profiles fargate.selectors needs.
func fargateProfileCount(c *config) int {
	if c.fargate.selectors == FargateSelectorsPerNamespace {
		return len(c.namespaces)
	}
	return len(fargateRoles)
}

// createFargate makes the profiles of fargate.selectors, the pod execution role unless one
// is given, and the private subnets when fargate.network asks for them.
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
		// The EKS names are fixed, so a replacement (new subnets or role) cannot
		// create the new profile before deleting the old one.
		pulumi.DeleteBeforeReplace(true))
	if attachments != nil {
		// Pods scheduled before the policy is attached could not pull their images.
		profileOpts = append(profileOpts, pulumi.DependsOn(attachments))
	}

	// No dependency chain between the profiles: the AWS provider already serializes profile
	// operations on one cluster (EKS allows one at a time).
	var names pulumi.StringArray
	for _, p := range fargateProfiles(name, c) {
		var selectors eks.FargateProfileSelectorArray
		for _, sel := range p.selectors {
			selectors = append(selectors, &eks.FargateProfileSelectorArgs{
				Namespace: pulumi.String(sel.namespace),
				Labels:    pulumi.StringMap{nodeLabelKey: pulumi.String(sel.role)},
			})
		}
		profile, err := eks.NewFargateProfile(ctx, p.name, &eks.FargateProfileArgs{
			ClusterName:         cl.name,
			FargateProfileName:  pulumi.String(p.name),
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
