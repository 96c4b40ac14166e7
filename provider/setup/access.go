package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Runbook step 2: cluster-admin for the Concurrent role.

// resolveAccessMode turns `auto` into the mode the cluster supports and rejects a mode the
// cluster cannot honour, before anything is registered.
func resolveAccessMode(c *config, cl *cluster) (AccessMode, error) {
	mode := c.access.mode
	if !cl.known {
		if mode == AccessAuto {
			return "", fmt.Errorf("access.mode: `auto` needs the cluster's authentication mode, but clusterName is not " +
				"known until the cluster is created; set access.mode to configMap or accessEntry")
		}
		return mode, nil
	}
	clusterMode := cl.authenticationMode
	if clusterMode == "" {
		clusterMode = "CONFIG_MAP" // clusters created before access entries existed report none
	}
	switch {
	case mode == AccessAuto && clusterMode == "CONFIG_MAP":
		mode = AccessConfigMap
	case mode == AccessAuto:
		mode = AccessAccessEntry
	case mode == AccessConfigMap && clusterMode == "API":
		return "", fmt.Errorf("access.mode: cluster %s has authenticationMode API, which ignores the aws-auth ConfigMap; "+
			"use accessEntry (or auto), or switch the cluster to API_AND_CONFIG_MAP", cl.knownName)
	case mode == AccessAccessEntry && clusterMode == "CONFIG_MAP":
		return "", fmt.Errorf("access.mode: cluster %s has authenticationMode CONFIG_MAP, which has no access entries; "+
			"use configMap (or auto), or switch the cluster to API_AND_CONFIG_MAP", cl.knownName)
	}
	if mode == AccessAccessEntry {
		var p problems
		checkAccessEntryUsername(c.access.username, &p)
		if err := p.err(); err != nil {
			return "", err
		}
	}
	return mode, nil
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

func grantClusterAccess(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, cl *cluster,
	mode AccessMode, role *concurrentRole, kubeconfig pulumi.StringOutput,
) error {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	switch mode {
	case AccessAccessEntry:
		entry, err := eks.NewAccessEntry(ctx, name+"-access", &eks.AccessEntryArgs{
			ClusterName:  cl.name,
			PrincipalArn: role.arn,
			Type:         pulumi.String("STANDARD"),
			UserName:     pulumi.String(c.access.username),
			Tags:         c.args.Tags,
		}, opts...)
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
			"kubeconfig": kubeconfig,
			"roleArn":    role.arn,
			"username":   pulumi.String(c.access.username),
			"groups":     pulumi.ToStringArray(c.access.groups),
		}, &m, opts...)
	}
	return fmt.Errorf("access.mode: %q is not resolved", mode)
}
