//go:build e2e

package e2e

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fargateProfileType = "aws:eks/fargateProfile:FargateProfile"

// The children of a Fargate setup with a created network (NAT gateway) and access entries,
// besides the namespaces' and the stack.
var fargateChildren = map[string]int{
	setupType: 1,
	"random:index/randomPassword:RandomPassword":              1,
	"aws:iam/role:Role":                                       2, // Concurrent's and the pod execution role
	"aws:iam/rolePolicy:RolePolicy":                           1,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":       1,
	"aws:eks/accessEntry:AccessEntry":                         1,
	"aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 1,
	"aws:ec2/routeTable:RouteTable":                           1,
	"aws:ec2/eip:Eip":                                         1,
	"aws:ec2/natGateway:NatGateway":                           1,
	"aws:ec2/route:Route":                                     1,
	"aws:ec2/subnet:Subnet":                                   3,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":     3,
	fargateProfileType:                                        2, // system, worker
	"pulumi:providers:kubernetes":                             1,
	"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole":     1,
}

// ConcurrentEksSetup on Fargate with fargate.network and accessEntry access: up, a no-op up,
// destroy.
func TestEksSetupFargate(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, map[string]string{"mapRoles": seedRoles, "mapUsers": seedUsers})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	a := newAccount(t, map[string]string{fargateProfileType: "200ms"})
	namespaces := []string{"e2e-ml-f"}
	stack := newStack(t, "e2e-setup-fargate", func(ctx *pulumi.Context) error {
		var s eksSetup
		err := ctx.RegisterRemoteComponentResource(setupType, "e2e", pulumi.Map{
			"clusterName":         pulumi.String(a.cluster.Name),
			"concurrentAccountId": pulumi.String(concurrentAccountID),
			"access":              pulumi.Map{"mode": pulumi.String("accessEntry")},
			"computeType":         pulumi.String("fargate"),
			"fargate": pulumi.Map{"network": pulumi.Map{
				"vpcId":          pulumi.String(a.cluster.VpcID),
				"publicSubnetId": pulumi.String(a.cluster.PublicSubnetIDs[0]),
				"subnetCidrs":    pulumi.ToStringArray([]string{"192.168.200.0/24", "192.168.201.0/24", "192.168.202.0/24"}),
				"natType":        pulumi.String("gateway"),
			}},
			"namespaces": pulumi.Array{pulumi.Map{"name": pulumi.String(namespaces[0])}},
		}, &s)
		if err != nil {
			return err
		}
		s.export(ctx)
		return nil
	}, a.option())

	res := up(t, stack)
	calls := a.calls(t, 0)
	require.Empty(t, failed(calls))
	assert.Equal(t, []string{"create"}, keys(changes(res)))
	assert.Equal(t, expectedTypes(fargateChildren, 1), withoutDefaultProviders(stateTypes(t, stack)))
	assert.Equal(t, awsCreates(fargateChildren), writes(calls), "the stand-ins' Create calls")
	assertSetupNamespace(t, c, namespaces[0])
	assertOutputsMatchSchema(t, res.Outputs, setupType, "nodeRoleArn")
	assertSetupOutputs(t, a, res.Outputs, namespaces, "accessEntry", "yes")
	assert.Len(t, res.Outputs["privateSubnetIds"].Value, 3)
	assert.Regexp(t, `^arn:aws:iam::`+a.cluster.AccountID+`:role/e2e-pod-execution-role-[0-9a-f]{7}$`,
		res.Outputs["podExecutionRoleArn"].Value)
	assert.Nil(t, res.Outputs["nodeRoleArn"].Value)
	assert.Equal(t, []any{"e2e-fargate-system", "e2e-fargate-worker"}, res.Outputs["fargateProfileNames"].Value)
	assert.Equal(t, map[string]string{"mapRoles": seedRoles, "mapUsers": seedUsers}, getAwsAuth(t, c).Data,
		"accessEntry mode leaves aws-auth alone")
	state := storedState(t, stack)
	assertExternalIDSecret(t, state, res.Outputs["externalId"].Value.(string))
	assertNoPlaintext(t, state, a.cluster.CertificateData, "the built kubeconfig")

	mark := a.mark(t)
	res = up(t, stack, optup.ExpectNoChanges())
	assert.Empty(t, changes(res))
	assert.Empty(t, writes(a.calls(t, mark)), "a no-op up must not write to AWS")

	mark = a.mark(t)
	_, err := stack.Destroy(t.Context())
	require.NoError(t, err)
	deletes := map[string]int{}
	for k, n := range writes(a.calls(t, mark)) {
		deletes[k] = n
	}
	want := map[string]int{}
	for k, n := range awsCreates(fargateChildren) {
		want["Delete"+k[len("Create"):]] = n
	}
	assert.Equal(t, want, deletes, "destroy deletes every AWS resource, and only that")
	assertClusterAsBefore(t, namespaces)
	assert.Equal(t, map[string]int{}, withoutDefaultProviders(stateTypes(t, stack)))
}
