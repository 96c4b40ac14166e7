package setup_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const (
	netSubnetType        = "aws:ec2/subnet:Subnet"
	netRouteTableType    = "aws:ec2/routeTable:RouteTable"
	netRouteType         = "aws:ec2/route:Route"
	netAssociationType   = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	netEipType           = "aws:ec2/eip:Eip"
	netNatGatewayType    = "aws:ec2/natGateway:NatGateway"
	netInstanceType      = "aws:ec2/instance:Instance"
	netSecurityGroupType = "aws:ec2/securityGroup:SecurityGroup"

	netVpc          = "vpc-0123456789abcdef0" // the demo cluster's VPC, 192.168.0.0/16
	netPublicSubnet = "subnet-0b00000000000public"
)

var netSubnetCidrs = []string{"192.168.128.0/20", "192.168.144.0/20", "192.168.160.0/20"}

// netInputs: computeType fargate with fargate.network in the demo VPC.
func netInputs(network map[string]any) map[string]any {
	n := map[string]any{"vpcId": netVpc, "publicSubnetId": netPublicSubnet, "subnetCidrs": netSubnetCidrs}
	for k, v := range network {
		n[k] = v
	}
	return with(map[string]any{
		"computeType": "fargate", "fargate": map[string]any{"network": n},
		"tags": map[string]string{"team": "ml"},
	})
}

// netGet returns the one registration of this type and name.
func netGet(t *testing.T, run *fakeaws.Run, typ, name string) fakeaws.Resource {
	t.Helper()
	r, ok := run.Get(typ, name)
	require.True(t, ok, "%s %s not registered:\n%s", typ, name, run)
	return r
}

// netDependsOn reports whether r depends on the resource of this type and name.
func netDependsOn(r fakeaws.Resource, typ, name string) bool {
	for _, d := range r.Dependencies {
		if string(d.Type()) == typ && d.Name() == name {
			return true
		}
	}
	return false
}

// netAssertPrivateSubnets checks the three subnets, their route table and what the profiles
// and outputs make of them, whichever NAT; it returns the route table's default route.
func netAssertPrivateSubnets(t *testing.T, run *fakeaws.Run) fakeaws.Resource {
	t.Helper()
	subnets := run.ByType(netSubnetType)
	require.Len(t, subnets, 3, run.String())
	// Registrations arrive concurrently: order them by name.
	slices.SortFunc(subnets, func(a, b fakeaws.Resource) int { return strings.Compare(a.Name, b.Name) })
	var ids, zones, cidrs []string
	for i, s := range subnets {
		assert.Equal(t, []string{"demo-private-1", "demo-private-2", "demo-private-3"}[i], s.Name)
		assert.Equal(t, run.URN, s.Parent, s.Name)
		assert.Equal(t, netVpc, testprops.Str(s.Inputs, "vpcId"), s.Name)
		assert.Equal(t, false, testprops.Plain(s.Inputs.Get("mapPublicIpOnLaunch")), s.Name)
		assert.Equal(t, map[string]any{"team": "ml", "Name": s.Name, "kubernetes.io/role/internal-elb": "1"},
			testprops.Plain(s.Inputs.Get("tags")), s.Name)
		ids = append(ids, s.ID)
		zones = append(zones, testprops.Str(s.Inputs, "availabilityZone"))
		cidrs = append(cidrs, testprops.Str(s.Inputs, "cidrBlock"))
	}
	assert.Equal(t, []string{"us-east-2a", "us-east-2b", "us-east-2c"}, zones, "one distinct zone per subnet")
	assert.Equal(t, netSubnetCidrs, cidrs)

	table := netGet(t, run, netRouteTableType, "demo-private")
	assert.Equal(t, netVpc, testprops.Str(table.Inputs, "vpcId"))
	assert.Empty(t, testprops.Plain(table.Inputs.Get("routes")), "routes are separate resources")

	routes := run.ByType(netRouteType)
	require.Len(t, routes, 1)
	route := routes[0]
	assert.Equal(t, table.ID, testprops.Str(route.Inputs, "routeTableId"))
	assert.Equal(t, "0.0.0.0/0", testprops.Str(route.Inputs, "destinationCidrBlock"))

	assocs := run.ByType(netAssociationType)
	require.Len(t, assocs, 3)
	var associated []string
	for _, a := range assocs {
		assert.Equal(t, table.ID, testprops.Str(a.Inputs, "routeTableId"), a.Name)
		associated = append(associated, testprops.Str(a.Inputs, "subnetId"))
	}
	assert.ElementsMatch(t, ids, associated)

	profiles := run.ByType(fgProfileType)
	require.Len(t, profiles, 2)
	for _, p := range profiles {
		assert.Equal(t, ids, testprops.Strs(p.Inputs, "subnetIds"), p.Name)
		// Pods pull images at once: the profiles wait for the way out.
		assert.True(t, netDependsOn(p, netRouteType, route.Name), "%s must depend on the NAT route", p.Name)
		for _, a := range assocs {
			assert.True(t, netDependsOn(p, netAssociationType, a.Name), "%s must depend on %s", p.Name, a.Name)
		}
	}
	assert.Equal(t, ids, testprops.Strs(run.Outputs, "privateSubnetIds"))
	return route
}

func TestNetworkNatGateway(t *testing.T) {
	run := mustConstruct(t, netInputs(nil))
	route := netAssertPrivateSubnets(t, run)

	eip := netGet(t, run, netEipType, "demo-nat")
	assert.Equal(t, "vpc", testprops.Str(eip.Inputs, "domain"))
	nat := netGet(t, run, netNatGatewayType, "demo-nat")
	assert.Equal(t, netPublicSubnet, testprops.Str(nat.Inputs, "subnetId"))
	assert.Equal(t, testprops.Str(eip.State, "allocationId"), testprops.Str(nat.Inputs, "allocationId"))
	assert.Equal(t, "public", testprops.Str(nat.Inputs, "connectivityType"))
	assert.Equal(t, nat.ID, testprops.Str(route.Inputs, "natGatewayId"))
	assert.Empty(t, testprops.Str(route.Inputs, "networkInterfaceId"))

	assert.Empty(t, run.ByType(netInstanceType), "no NAT instance with natType gateway")
	assert.Empty(t, run.ByType(netSecurityGroupType))
	for _, r := range []fakeaws.Resource{eip, nat, netGet(t, run, netRouteTableType, "demo-private")} {
		assert.Equal(t, map[string]any{"team": "ml", "Name": r.Name}, testprops.Plain(r.Inputs.Get("tags")), r.Type)
	}
}

func TestNetworkNatInstance(t *testing.T) {
	run := mustConstruct(t, netInputs(map[string]any{"natType": "instance"}))
	route := netAssertPrivateSubnets(t, run)
	assert.Empty(t, run.ByType(netNatGatewayType))
	assert.Empty(t, run.ByType(netEipType))

	// The AMI is the current Amazon Linux 2023, found by its SSM parameter.
	var params []string
	for _, inv := range run.Invokes {
		if inv.Token == "aws:ssm/getParameter:getParameter" {
			params = append(params, testprops.Str(inv.Args, "name"))
		}
	}
	assert.Equal(t, []string{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}, params)

	nat := netGet(t, run, netInstanceType, "demo-nat")
	assert.Equal(t, "ami-0123456789abcdef0", testprops.Str(nat.Inputs, "ami"))
	assert.Equal(t, []string{"ami"}, nat.IgnoreChanges, "a new Amazon Linux release must not replace the NAT")
	assert.Equal(t, "t3.micro", testprops.Str(nat.Inputs, "instanceType"), "x86_64 AMI, x86_64 type")
	assert.Equal(t, false, testprops.Plain(nat.Inputs.Get("sourceDestCheck")))
	assert.Equal(t, true, testprops.Plain(nat.Inputs.Get("associatePublicIpAddress")))
	assert.Equal(t, netPublicSubnet, testprops.Str(nat.Inputs, "subnetId"))
	assert.Empty(t, testprops.Str(nat.Inputs, "keyName"), "no SSH key pair")
	metadata, _ := testprops.Plain(nat.Inputs.Get("metadataOptions")).(map[string]any)
	assert.Equal(t, "required", metadata["httpTokens"], "IMDSv2 only")
	assert.Equal(t, map[string]any{"team": "ml", "Name": "demo-nat"}, testprops.Plain(nat.Inputs.Get("tags")))

	// The user data forwards and masquerades, persisted across reboots.
	lines := strings.Split(testprops.Str(nat.Inputs, "userData"), "\n")
	for _, want := range []string{
		"#!/bin/bash",
		"echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf",
		"systemctl enable --now iptables",
		`iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE`,
		"service iptables save",
	} {
		assert.Contains(t, lines, want)
	}

	assert.Equal(t, "eni-demonat", nat.State.Get("primaryNetworkInterfaceId").AsString())
	assert.Equal(t, "eni-demonat", testprops.Str(route.Inputs, "networkInterfaceId"))
	assert.Empty(t, testprops.Str(route.Inputs, "natGatewayId"))

	groups := run.ByType(netSecurityGroupType)
	require.Len(t, groups, 1)
	sg := groups[0]
	assert.Equal(t, netVpc, testprops.Str(sg.Inputs, "vpcId"))
	assert.Equal(t, []string{sg.ID}, testprops.Strs(nat.Inputs, "vpcSecurityGroupIds"))
	assert.Equal(t, map[string]any{"team": "ml", "Name": "demo-nat"}, testprops.Plain(sg.Inputs.Get("tags")))
	ingress := netRules(t, sg, "ingress")
	require.Len(t, ingress, 1)
	assert.Equal(t, netRule{Protocol: "-1", CidrBlocks: []string{"192.168.0.0/16"}}, ingress[0], "all protocols from the VPC")
	assert.Equal(t, []netRule{{Protocol: "-1", CidrBlocks: []string{"0.0.0.0/0"}}}, netRules(t, sg, "egress"))
	netAssertNoOpenIngress(t, run, netip.MustParsePrefix("192.168.0.0/16"))
}

// netRule is one inline security group rule, decoded.
type netRule struct {
	Protocol       string
	FromPort       float64
	ToPort         float64
	CidrBlocks     []string
	Ipv6CidrBlocks []string
	SecurityGroups []string
	PrefixListIds  []string
}

func netRules(t *testing.T, sg fakeaws.Resource, key string) []netRule {
	t.Helper()
	v, ok := sg.Inputs.GetOk(key)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []netRule
	for _, e := range v.AsArray().AsSlice() {
		m := e.AsMap()
		num := func(k string) float64 {
			if v, ok := m.GetOk(k); ok && v.IsNumber() {
				return v.AsNumber()
			}
			return 0
		}
		out = append(out, netRule{
			Protocol: testprops.Str(m, "protocol"), FromPort: num("fromPort"), ToPort: num("toPort"),
			CidrBlocks: testprops.Strs(m, "cidrBlocks"), Ipv6CidrBlocks: testprops.Strs(m, "ipv6CidrBlocks"),
			SecurityGroups: testprops.Strs(m, "securityGroups"), PrefixListIds: testprops.Strs(m, "prefixListIds"),
		})
	}
	return out
}

// netAssertNoOpenIngress: no rule anywhere (inline or separate) admits anything from outside
// the VPC, and none opens SSH by port.
func netAssertNoOpenIngress(t *testing.T, run *fakeaws.Run, vpc netip.Prefix) {
	t.Helper()
	var ingress []netRule
	for _, sg := range run.ByType(netSecurityGroupType) {
		ingress = append(ingress, netRules(t, sg, "ingress")...)
	}
	for _, typ := range []string{"aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"} {
		for _, r := range run.ByType(typ) {
			if testprops.Str(r.Inputs, "type") == "egress" {
				continue
			}
			t.Errorf("separate ingress rule %s %s: %v", typ, r.Name, testprops.Plain(property.New(r.Inputs)))
		}
	}
	require.NotEmpty(t, ingress)
	for _, r := range ingress {
		assert.Empty(t, r.Ipv6CidrBlocks)
		assert.Empty(t, r.SecurityGroups)
		assert.Empty(t, r.PrefixListIds)
		for _, c := range r.CidrBlocks {
			pr, err := netip.ParsePrefix(c)
			require.NoError(t, err)
			assert.True(t, pr.Bits() >= vpc.Bits() && vpc.Contains(pr.Addr()), "ingress from %s, outside the VPC", c)
		}
		tcp := r.Protocol == "tcp" || r.Protocol == "6"
		assert.False(t, tcp && r.FromPort <= 22 && 22 <= r.ToPort, "a rule opens port 22: %+v", r)
	}
}

func TestNetworkCidrOutsideVpc(t *testing.T) {
	cidrs := slices.Clone(netSubnetCidrs)
	cidrs[1] = "10.0.16.0/20"
	run, err := construct(t, netInputs(map[string]any{"subnetCidrs": cidrs}))
	require.Error(t, err)
	assert.Contains(t, err.Error(),
		`fargate.network.subnetCidrs[1]: "10.0.16.0/20" is not inside VPC vpc-0123456789abcdef0's CIDR 192.168.0.0/16`)
	assert.NotContains(t, err.Error(), "subnetCidrs[0]")
	assert.Empty(t, run.ByType(netSubnetType), "nothing is created")
}

func TestNetworkSecondaryVpcCidr(t *testing.T) {
	cidrs := slices.Clone(netSubnetCidrs)
	cidrs[2] = "100.64.0.0/20"
	run := mustConstruct(t, netInputs(map[string]any{"subnetCidrs": cidrs, "natType": "instance"}),
		fakeaws.WithInvoke("aws:ec2/getVpc:getVpc", func(property.Map) (property.Map, error) {
			assoc := func(cidr, state string) property.Value {
				return property.New(property.NewMap(map[string]property.Value{
					"cidrBlock": property.New(cidr), "state": property.New(state), "associationId": property.New("vpc-cidr-assoc-1"),
				}))
			}
			return property.NewMap(map[string]property.Value{
				"id": property.New(netVpc), "cidrBlock": property.New("192.168.0.0/16"),
				"cidrBlockAssociations": property.New([]property.Value{
					assoc("192.168.0.0/16", "associated"), assoc("100.64.0.0/16", "associated"), assoc("172.31.0.0/16", "disassociated"),
				}),
			}), nil
		}))
	sg := netGet(t, run, netSecurityGroupType, "demo-nat")
	assert.Equal(t, []netRule{{Protocol: "-1", CidrBlocks: []string{"192.168.0.0/16", "100.64.0.0/16"}}}, netRules(t, sg, "ingress"))
}

// A VPC built in the same program: its CIDR is unknown, so the containment check is left to
// EC2 and the construct still succeeds (in a preview).
func TestNetworkUnknownVpc(t *testing.T) {
	cidrs := slices.Clone(netSubnetCidrs)
	cidrs[0] = "10.0.0.0/20" // outside the demo VPC: not checked while the VPC is unknown
	in := netInputs(map[string]any{"vpcId": property.New(property.Computed), "subnetCidrs": cidrs})
	run := mustConstruct(t, in, fakeaws.DryRun())
	for _, inv := range run.Invokes {
		assert.NotEqual(t, "aws:ec2/getVpc:getVpc", inv.Token, "no VPC lookup before the VPC exists")
	}
	require.Len(t, run.ByType(netSubnetType), 3, run.String())
	// Children register concurrently: find the first subnet by name, not by position.
	first := netGet(t, run, netSubnetType, "demo-private-1")
	assert.Equal(t, "10.0.0.0/20", testprops.Str(first.Inputs, "cidrBlock"))
	assert.True(t, first.Inputs.Get("vpcId").IsComputed())
}
