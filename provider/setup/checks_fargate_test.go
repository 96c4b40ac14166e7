package setup_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

// createdZones lists the zones of the created private subnets, by subnet name.
func createdZones(t *testing.T, run *fakeaws.Run) []string {
	t.Helper()
	subnets := run.ByType(netSubnetType)
	slices.SortFunc(subnets, func(a, b fakeaws.Resource) int { return strings.Compare(a.Name, b.Name) })
	var zones []string
	for _, s := range subnets {
		zones = append(zones, testprops.Str(s.Inputs, "availabilityZone"))
	}
	return zones
}

// The created subnets go into the zones of the cluster's own subnets (sorted, at most
// three), not the region's first zones by name, which EKS may not support.
func TestFargateSubnetsInTheClustersZones(t *testing.T) {
	run := mustConstruct(t, netInputs(nil), cluster(func(c *fakeaws.Cluster) {
		c.AvailabilityZones = []string{"us-east-2d", "us-east-2b", "us-east-2c"}
	}))
	assert.Equal(t, []string{"us-east-2b", "us-east-2c", "us-east-2d"}, createdZones(t, run))

	// Two zones: two CIDR blocks, two subnets.
	twoZones := cluster(func(c *fakeaws.Cluster) { c.AvailabilityZones = []string{"us-east-2b", "us-east-2c"} })
	run = mustConstruct(t, netInputs(map[string]any{"subnetCidrs": netSubnetCidrs[:2]}), twoZones)
	assert.Equal(t, []string{"us-east-2b", "us-east-2c"}, createdZones(t, run))
	assert.Len(t, run.ByType("aws:eks/fargateProfile:FargateProfile"), 2)

	mustFail(t, netInputs(nil), "fargate.network.subnetCidrs",
		"must list one CIDR block per availability zone of cluster kubetest32's subnets (us-east-2b, us-east-2c): 2, got 3", twoZones)
	mustFail(t, netInputs(map[string]any{"subnetCidrs": netSubnetCidrs[:2]}), "fargate.network",
		"the subnets of cluster kubetest32 are in 1 availability zone(s) (us-east-2a); EKS needs 2",
		cluster(func(c *fakeaws.Cluster) { c.AvailabilityZones = []string{"us-east-2a"} }))
}

// A cluster built in the same program: the zones come from its subnets when it exists.
func TestFargateZonesOfAClusterBuiltInTheProgram(t *testing.T) {
	in := mergeMaps(netInputs(nil), map[string]any{"clusterName": outputOf("kubetest32"), "access": map[string]any{"mode": "accessEntry"}})
	run := mustConstruct(t, in)
	assert.Equal(t, []string{"us-east-2a", "us-east-2b", "us-east-2c"}, createdZones(t, run))

	_, err := construct(t, in, cluster(func(c *fakeaws.Cluster) { c.AvailabilityZones = []string{"us-east-2a", "us-east-2b"} }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fargate.network.subnetCidrs: must list one CIDR block per availability zone")
}

func TestFargateNetworkMustBeTheClustersVpc(t *testing.T) {
	mustFail(t, netInputs(map[string]any{"vpcId": "vpc-0aaaaaaaaaaaaaaaa"}), "fargate.network.vpcId",
		"vpc-0aaaaaaaaaaaaaaaa is not cluster kubetest32's VPC (vpc-0123456789abcdef0)")
	mustFail(t, netInputs(map[string]any{"publicSubnetId": "subnet-0a1b2c3d4e5f60002"}), "fargate.network.publicSubnetId",
		"subnet-0a1b2c3d4e5f60002 is private: rtb-main (the VPC's main route table) has no route to an internet gateway: "+
			"the NAT needs a public subnet")
	mustFail(t, netInputs(map[string]any{"publicSubnetId": "subnet-0elsewhere"}), "fargate.network.publicSubnetId",
		"subnet-0elsewhere is in VPC vpc-0ffffffffffffffff, not in cluster kubetest32's VPC",
		cluster(func(c *fakeaws.Cluster) { c.OtherVpcSubnetIDs = []string{"subnet-0elsewhere"} }))
}

// Fargate only: without a node group in the cluster, CoreDNS needs a profile.
func TestFargateOnlyClusterWarnsAboutCoreDNS(t *testing.T) {
	in := with(map[string]any{"computeType": "fargate", "fargate": map[string]any{"subnetIds": []string{"subnet-0a1b2c3d4e5f60001"}}})
	run := mustConstruct(t, in)
	require.Len(t, run.Warnings(), 1)
	assert.Contains(t, run.Warnings()[0], "computeType: cluster kubetest32 has no node group, and Fargate runs only "+
		"the pods a profile selects: CoreDNS needs compute")
	assert.Contains(t, invokeTokens(run), "aws:eks/getNodeGroups:getNodeGroups")

	run = mustConstruct(t, in, cluster(func(c *fakeaws.Cluster) { c.NodeGroups = []string{"general"} }))
	assert.Empty(t, run.Warnings())
}

func invokeTokens(run *fakeaws.Run) []string {
	var out []string
	for _, c := range run.Invokes {
		out = append(out, c.Token)
	}
	return out
}
