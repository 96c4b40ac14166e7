package fakeaws_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// A description sets what it names over the demo cluster; a region brings its zones.
func TestLoadCluster(t *testing.T) {
	c, err := fakeaws.LoadCluster([]byte(`{"name": "prod", "region": "eu-west-1", "account": "012345678901",
		"endpoint": "https://127.0.0.1:6443"}`))
	require.NoError(t, err)
	want := fakeaws.DemoCluster()
	want.Name, want.Region, want.AccountID, want.Endpoint = "prod", "eu-west-1", "012345678901", "https://127.0.0.1:6443"
	want.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	assert.Equal(t, want, c)
	assert.Equal(t, "arn:aws:eks:eu-west-1:012345678901:cluster/prod", c.ClusterARN())

	c, err = fakeaws.LoadCluster([]byte("region: eu-west-1\navailabilityZones: [eu-west-1b]\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"eu-west-1b"}, c.AvailabilityZones)
}

func TestLoadClusterRejects(t *testing.T) {
	for desc, want := range map[string]string{
		`{"accountId": "012345678901"}`: `accountId: unknown key (known keys: accessEntries, account, authenticationMode, `,
		`{"authenticationMode": "IAM"}`: `authenticationMode: "IAM" is not an EKS authentication mode (API, API_AND_CONFIG_MAP, CONFIG_MAP)`,
		`{"subnetIds": "subnet-1"}`:     `subnetIds: want a list of strings`,
		`{"name": ["a"]}`:               `name: want a string`,
	} {
		_, err := fakeaws.LoadCluster([]byte(desc))
		require.Error(t, err, desc)
		assert.Contains(t, err.Error(), "the cluster description: "+want, desc)
	}
}

// getCluster answers for the described cluster only, with its endpoint, CA, subnets and
// authentication mode; the endpoint defaults to one in its region.
func TestInvokeGetCluster(t *testing.T) {
	c := fakeaws.DemoCluster()
	got, err := c.Invoke("aws:eks/getCluster:getCluster", property.NewMap(map[string]property.Value{"name": property.New("kubetest32")}))
	require.NoError(t, err)
	assert.Equal(t, "https://0123456789ABCDEF.gr7.us-east-2.eks.amazonaws.com", got.Get("endpoint").AsString())
	assert.Equal(t, "arn:aws:eks:us-east-2:678901234557:cluster/kubetest32", got.Get("arn").AsString())
	assert.Equal(t, "API_AND_CONFIG_MAP",
		got.Get("accessConfigs").AsArray().Get(0).AsMap().Get("authenticationMode").AsString())
	assert.Equal(t, c.VpcID, got.Get("vpcConfig").AsMap().Get("vpcId").AsString())

	_, err = c.Invoke("aws:eks/getCluster:getCluster", property.NewMap(map[string]property.Value{"name": property.New("other")}))
	assert.ErrorContains(t, err, "couldn't find resource")

	got, err = c.Invoke("aws:index/unplayed:unplayed", property.Map{})
	require.NoError(t, err)
	assert.Equal(t, 0, got.Len())
}

// Outputs: the ARN of a role from its path and physical name (auto-named without a name
// input), and the ids the network step reads.
func TestOutputs(t *testing.T) {
	c := fakeaws.DemoCluster()
	id, state := c.Outputs("aws:iam/role:Role", "demo-role",
		property.NewMap(map[string]property.Value{"path": property.New("/concurrent/")}))
	assert.Equal(t, "demo-role"+fakeaws.AutoNameSuffix, id)
	assert.Equal(t, "arn:aws:iam::678901234557:role/concurrent/demo-role-1234567", state.Get("arn").AsString())
	assert.Equal(t, "/concurrent/", state.Get("path").AsString())

	id, state = c.Outputs("aws:ec2/instance:Instance", "demo-nat", property.Map{})
	assert.Equal(t, "i-demonat", id)
	assert.Equal(t, "eni-demonat", state.Get("primaryNetworkInterfaceId").AsString())

	id, state = c.Outputs("aws:eks/nodeGroup:NodeGroup", "demo-system",
		property.NewMap(map[string]property.Value{"nodeGroupName": property.New("system")}))
	assert.Equal(t, "system", state.Get("nodeGroupName").AsString(), "an input is never overwritten")
	assert.Equal(t, "kubetest32:system", id, "the AWS provider's id, new for a replacement with a new name")
}

// getAccessEntry answers for a described entry and fails for any other principal, as
// eks:DescribeAccessEntry does.
func TestGetAccessEntry(t *testing.T) {
	c := fakeaws.DemoCluster()
	const role = "arn:aws:iam::678901234557:role/RoleForConcurrentService"
	c.AccessEntries = []string{role}
	ask := func(principal string) (property.Map, error) {
		return c.Invoke("aws:eks/getAccessEntry:getAccessEntry", property.NewMap(map[string]property.Value{
			"clusterName": property.New(c.Name), "principalArn": property.New(principal),
		}))
	}
	got, err := ask(role)
	require.NoError(t, err)
	assert.Equal(t, "STANDARD", got.Get("type").AsString())
	assert.Equal(t, "arn:aws:sts::678901234557:assumed-role/RoleForConcurrentService/{{SessionName}}", got.Get("userName").AsString())
	_, err = ask("arn:aws:iam::678901234557:role/other")
	assert.ErrorContains(t, err, "couldn't find resource")
}

// Every listed function is played (a listed token Invoke does not play would answer empty).
func TestFunctionsArePlayed(t *testing.T) {
	c := fakeaws.DemoCluster()
	c.AccessEntries = []string{"arn:aws:iam::678901234557:role/RoleForConcurrentService"}
	args := property.NewMap(map[string]property.Value{
		"name": property.New(c.Name), "clusterName": property.New(c.Name), "vpcId": property.New(c.VpcID),
		"routeTableId": property.New("rtb-main"), "id": property.New(c.SubnetIDs[0]),
		"principalArn": property.New(c.AccessEntries[0]),
	})
	require.Len(t, fakeaws.Functions, 12)
	for _, token := range fakeaws.Functions {
		got, err := c.Invoke(token, args)
		require.NoError(t, err, token)
		assert.NotZero(t, got.Len(), token)
	}
}

// The route tables: the public subnets are associated with a table routed to an internet
// gateway; every other subnet of the VPC uses the main table, routed to a NAT.
func TestInvokeRouteTablesAndSubnets(t *testing.T) {
	c := fakeaws.DemoCluster()
	c.OtherVpcSubnetIDs = []string{"subnet-0far"}
	args := func(kv ...string) property.Map {
		m := map[string]property.Value{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = property.New(kv[i+1])
		}
		return property.NewMap(m)
	}
	got, err := c.Invoke("aws:ec2/getRouteTables:getRouteTables", args("vpcId", c.VpcID))
	require.NoError(t, err)
	ids := got.Get("ids").AsArray()
	require.Equal(t, 2, ids.Len())
	assert.Equal(t, "rtb-main", ids.Get(0).AsString())
	assert.Equal(t, "rtb-public", ids.Get(1).AsString())

	got, err = c.Invoke("aws:ec2/getRouteTable:getRouteTable", args("routeTableId", "rtb-public"))
	require.NoError(t, err)
	route := got.Get("routes").AsArray().Get(0).AsMap()
	assert.Equal(t, "0.0.0.0/0", route.Get("cidrBlock").AsString())
	assert.Equal(t, "igw-0123456789abcdef0", route.Get("gatewayId").AsString())
	assoc := got.Get("associations").AsArray()
	require.Equal(t, 1, assoc.Len())
	assert.Equal(t, "subnet-0b00000000000public", assoc.Get(0).AsMap().Get("subnetId").AsString())
	assert.False(t, assoc.Get(0).AsMap().Get("main").AsBool())

	got, err = c.Invoke("aws:ec2/getSubnet:getSubnet", args("id", c.SubnetIDs[1]))
	require.NoError(t, err)
	assert.Equal(t, "us-east-2b", got.Get("availabilityZone").AsString())
	assert.Equal(t, c.VpcID, got.Get("vpcId").AsString())
	got, err = c.Invoke("aws:ec2/getSubnet:getSubnet", args("id", "subnet-0far"))
	require.NoError(t, err)
	assert.Equal(t, fakeaws.OtherVpcID, got.Get("vpcId").AsString())
}
