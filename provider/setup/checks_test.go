package setup_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// The checks a real cluster must pass before any child is registered (design section 4,
// "Before any child"), one failing input each, and the corrected defaults.

// cluster is the demo cluster changed by f.
func cluster(f func(c *fakeaws.Cluster)) fakeaws.Option {
	c := fakeaws.DemoCluster()
	f(&c)
	return fakeaws.WithCluster(c)
}

// mustFail constructs, expects an error starting a line with path, and no child.
func mustFail(t *testing.T, inputs map[string]any, path, detail string, opts ...fakeaws.Option) {
	t.Helper()
	run, err := construct(t, inputs, opts...)
	require.Error(t, err)
	assert.Regexp(t, `(^|\n|desc = )`+regexpQuote(path)+`: `, err.Error(), "the error must start with the input's path")
	assert.Contains(t, err.Error(), detail)
	assert.Empty(t, childrenOf(run), "no child may be registered:\n%s", run)
}

// A private-only endpoint cannot serve Concurrent, which connects from its own account.
func TestPrivateEndpointIsRejected(t *testing.T) {
	private := cluster(func(c *fakeaws.Cluster) { c.EndpointPublicAccess = false })
	mustFail(t, minimal(), "allowPrivateEndpoint",
		"the API endpoint of cluster kubetest32 is not public (endpointPublicAccess false)", private)

	run := mustConstruct(t, with(map[string]any{"allowPrivateEndpoint": true}), private)
	assert.NotEmpty(t, run.ByType(ngType), "accepted once the user says Concurrent can reach it")
}

// A cluster built in the same program is checked when it exists: nothing that takes its
// name is created.
func TestPrivateEndpointOfAClusterBuiltInTheProgram(t *testing.T) {
	run, err := construct(t, with(map[string]any{
		"clusterName": outputOf("kubetest32"), "access": map[string]any{"mode": "accessEntry"},
	}), cluster(func(c *fakeaws.Cluster) { c.EndpointPublicAccess = false }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "allowPrivateEndpoint: the API endpoint of cluster kubetest32 is not public")
	assert.Empty(t, run.ByType(ngType), run.String())
	assert.Empty(t, run.ByType(accessEntryType), run.String())
}

// A public endpoint open to a few CIDRs only: a warning, since Concurrent's egress
// addresses must be among them.
func TestRestrictedPublicEndpointWarns(t *testing.T) {
	run := mustConstruct(t, minimal(), cluster(func(c *fakeaws.Cluster) {
		c.PublicAccessCidrs = []string{"203.0.113.0/24", "198.51.100.7/32"}
	}))
	require.Len(t, run.Warnings(), 1)
	assert.Contains(t, run.Warnings()[0], "clusterName: the public endpoint of cluster kubetest32 admits only "+
		"203.0.113.0/24, 198.51.100.7/32: Concurrent connects from its own AWS account")
	assert.Empty(t, mustConstruct(t, minimal()).Warnings(), "0.0.0.0/0 needs no warning")
}

// The node groups' default is the cluster's private subnets, judged by the route table in
// force (the subnet's own, else the VPC's main one); the note says why.
func TestNodeGroupsDefaultToPrivateSubnets(t *testing.T) {
	run := mustConstruct(t, minimal(), cluster(func(c *fakeaws.Cluster) {
		c.SubnetIDs = []string{"subnet-private-1", "subnet-public-1", "subnet-private-2", "subnet-public-2"}
		c.PublicSubnetIDs = []string{"subnet-public-1", "subnet-public-2"}
	}))
	for _, role := range []string{"system", "worker"} {
		assert.Equal(t, []any{"subnet-private-1", "subnet-private-2"}, ngInputs(t, run, role)["subnetIds"], role)
	}
	require.Len(t, run.Notes(), 1)
	assert.Equal(t, "nodeGroups.subnetIds: the cluster's private subnets, as no subnets are given:\n"+
		"  subnet-private-1 is private: rtb-main (the VPC's main route table) has no route to an internet gateway\n"+
		"  subnet-public-1 is public: rtb-public routes to internet gateway igw-0123456789abcdef0\n"+
		"  subnet-private-2 is private: rtb-main (the VPC's main route table) has no route to an internet gateway\n"+
		"  subnet-public-2 is public: rtb-public routes to internet gateway igw-0123456789abcdef0", run.Notes()[0])
}

func TestNoPrivateSubnetIsAnError(t *testing.T) {
	allPublic := cluster(func(c *fakeaws.Cluster) { c.PublicSubnetIDs = c.SubnetIDs })
	mustFail(t, minimal(), "nodeGroups.subnetIds",
		"cluster kubetest32 has no private subnet for the node groups (subnet-0a1b2c3d4e5f60001 is public", allPublic)

	// Given subnets need no private cluster subnet.
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{"subnetIds": []string{"subnet-0given"}}}), allPublic)
	assert.Equal(t, []any{"subnet-0given"}, ngInputs(t, run, "system")["subnetIds"])

	// A cluster built in the same program: the apply fails, and no group is created.
	run, err := construct(t, with(map[string]any{
		"clusterName": outputOf("kubetest32"), "access": map[string]any{"mode": "accessEntry"},
	}), allPublic)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodeGroups.subnetIds: cluster kubetest32 has no private subnet")
	assert.Empty(t, run.ByType(ngType))
}

func TestNodeGroupSubnetsMustBeInTheClustersVpc(t *testing.T) {
	other := cluster(func(c *fakeaws.Cluster) { c.OtherVpcSubnetIDs = []string{"subnet-0elsewhere"} })
	mustFail(t, with(map[string]any{"nodeGroups": map[string]any{"worker": map[string]any{
		"subnetIds": []string{"subnet-0a1b2c3d4e5f60001", "subnet-0elsewhere"},
	}}}), "nodeGroups.worker.subnetIds[1]",
		"subnet-0elsewhere is in VPC vpc-0ffffffffffffffff, not in cluster kubetest32's VPC vpc-0123456789abcdef0", other)
	mustFail(t, with(map[string]any{"nodeGroups": map[string]any{"subnetIds": []string{"subnet-0elsewhere"}}}),
		"nodeGroups.subnetIds[0]", "not in cluster kubetest32's VPC", other)
}

// EKS has no AL2 AMIs from Kubernetes 1.33 on.
func TestAL2OnANewClusterIsAnError(t *testing.T) {
	al2 := with(map[string]any{"nodeGroups": map[string]any{"worker": map[string]any{"amiType": "AL2_x86_64"}}})
	mustFail(t, al2, "nodeGroups.worker.amiType",
		"AL2_x86_64: EKS has no Amazon Linux 2 AMIs for Kubernetes 1.33 and later, and cluster kubetest32 runs 1.33",
		cluster(func(c *fakeaws.Cluster) { c.Version = "1.33" }))
	mustFail(t, al2, "nodeGroups.worker.amiType", "runs 1.35", cluster(func(c *fakeaws.Cluster) { c.Version = "1.35" }))

	run := mustConstruct(t, al2, cluster(func(c *fakeaws.Cluster) { c.Version = "1.32" }))
	assert.Equal(t, "AL2_x86_64", ngInputs(t, run, "worker")["amiType"])

	// A cluster built in the same program: checked in the group's version apply.
	run, err := construct(t, mergeMaps(al2, map[string]any{
		"clusterName": outputOf("kubetest32"), "access": map[string]any{"mode": "accessEntry"},
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodeGroups.worker.amiType: AL2_x86_64: EKS has no Amazon Linux 2 AMIs")
	_, registered := run.Get(ngType, "demo-worker")
	assert.False(t, registered, run.String())
}

// A consistent Arm group works; an Arm AMI type alone brings Graviton defaults.
func TestArmNodeGroups(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{
		"system": map[string]any{"amiType": "AL2023_ARM_64_STANDARD"},
		"worker": map[string]any{"amiType": "BOTTLEROCKET_ARM_64", "instanceTypes": []string{"c7g.4xlarge", "c6gn.4xlarge"}},
	}}))
	system := ngInputs(t, run, "system")
	assert.Equal(t, "AL2023_ARM_64_STANDARD", system["amiType"])
	assert.Equal(t, []any{"m6g.xlarge", "m7g.xlarge"}, system["instanceTypes"])
	worker := ngInputs(t, run, "worker")
	assert.Equal(t, []any{"c7g.4xlarge", "c6gn.4xlarge"}, worker["instanceTypes"])
}

// The groups follow the cluster's version: after a cluster upgrade the same groups (same
// logical names, no replacement option) get the new version, which EKS applies in place.
func TestNodeGroupsFollowTheClusterVersion(t *testing.T) {
	before := mustConstruct(t, minimal(), cluster(func(c *fakeaws.Cluster) { c.Version = "1.33" }))
	after := mustConstruct(t, minimal(), cluster(func(c *fakeaws.Cluster) { c.Version = "1.34" }))
	for _, role := range []string{"system", "worker"} {
		old, upgraded := ngInputs(t, before, role), ngInputs(t, after, role)
		assert.Equal(t, "1.33", old["version"])
		assert.Equal(t, "1.34", upgraded["version"])
		delete(old, "version")
		delete(upgraded, "version")
		assert.Equal(t, old, upgraded, "only the version changes")
		g, _ := after.Get(ngType, "demo-"+role)
		assert.False(t, g.DeleteBeforeReplace)
	}

	// A cluster built in the same program: its version output.
	run := mustConstruct(t, with(map[string]any{
		"clusterName": outputOf("kubetest32"), "access": map[string]any{"mode": "accessEntry"},
	}), cluster(func(c *fakeaws.Cluster) { c.Version = "1.34" }))
	assert.Equal(t, "1.34", ngInputs(t, run, "system")["version"])
}
