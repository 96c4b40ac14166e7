package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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

// AwsAuthRoleMappingToken is the provider's own resource that edits one aws-auth entry.
const AwsAuthRoleMappingToken = "concurrent:index:AwsAuthRoleMapping"

// awsAuthRoleMapping is the client side of the AwsAuthRoleMapping resource.
type awsAuthRoleMapping struct {
	pulumi.CustomResourceState
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
		var m awsAuthRoleMapping
		return ctx.RegisterResource(AwsAuthRoleMappingToken, name+"-aws-auth", pulumi.Map{
			"kubeconfig": f.kubeconfig,
			"roleArn":    role.arn,
			"username":   pulumi.String(c.access.username),
			"groups":     pulumi.ToStringArray(c.access.groups),
		}, &m, opts...)
	}
	return fmt.Errorf("access.mode: %q is not resolved", f.accessMode)
}
