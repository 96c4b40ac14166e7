package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
)

// Runbook step 2: cluster-admin for the Concurrent role.

// resolveAccessMode turns `auto` into the mode the known cluster supports; the cluster
// rules (rules_cluster.go) reject a mode the cluster cannot honour.
func resolveAccessMode(mode AccessMode, cl *cluster) AccessMode {
	if mode != AccessAuto || !cl.known {
		return mode
	}
	if cl.authMode() == "CONFIG_MAP" {
		return AccessConfigMap
	}
	return AccessAccessEntry
}

// clusterAdminPolicy is the EKS access policy equivalent to system:masters.
func clusterAdminPolicy(partition string) string {
	return fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", partition)
}

// grantClusterAccess makes the Concurrent role cluster-admin, by an access entry with
// AmazonEKSClusterAdminPolicy or by an entry in aws-auth.
func grantClusterAccess(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, f *clusterFacts,
	role *concurrentRole,
) error {
	cl := f.cluster
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	switch f.accessMode {
	case AccessAccessEntry:
		args, adopt := accessEntryArgs(ctx, name, c, f, role.arn)
		entry, err := eks.NewAccessEntry(ctx, accessEntryResourceName(name), args, append(opts, adopt...)...)
		if err != nil {
			return err
		}
		_, err = eks.NewAccessPolicyAssociation(ctx, name+"-cluster-admin", &eks.AccessPolicyAssociationArgs{
			ClusterName:  cl.name,
			PrincipalArn: entry.PrincipalArn,
			PolicyArn:    pulumi.String(clusterAdminPolicy(cl.partition)),
			AccessScope:  &eks.AccessPolicyAssociationAccessScopeArgs{Type: pulumi.String("cluster")},
		}, append(opts, pulumi.DependsOn([]pulumi.Resource{entry}))...)
		return err
	case AccessConfigMap:
		_, err := awsauth.NewMapping(ctx, name+"-aws-auth", &awsauth.MappingArgs{
			Kubeconfig: f.kubeconfig,
			RoleArn:    role.arn,
			Username:   pulumi.String(c.access.username),
			Groups:     pulumi.ToStringArray(c.access.groups),
		}, opts...)
		return err
	}
	return fmt.Errorf("access.mode: %q is not resolved", f.accessMode)
}
