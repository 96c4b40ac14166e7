package fakeaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// AutoNameSuffix is what the fake adds to a logical name for a resource Pulumi would
// auto-name (Pulumi adds 7 random characters); the offline plan shows it as `-<auto>`.
const AutoNameSuffix = "-1234567"

// FakeExternalID is the fake RandomPassword's result: 32 letters and digits, like the
// generated external ID.
const FakeExternalID = "f4keExternalIdFromRandomPassword"

// Outputs is what creating a resource of type typeToken with logical name `name` returns:
// its id, and its inputs plus the outputs AWS computes that the components read (ARNs,
// names, ids, a NAT instance's network interface). The physical name is the `name` input,
// else the logical name plus AutoNameSuffix.
func (c Cluster) Outputs(typeToken, name string, inputs property.Map) (string, property.Map) {
	state := inputs.AsMap()
	id := name + "-id"
	physical := name + AutoNameSuffix
	if n, ok := state["name"]; ok && n.IsString() && n.AsString() != "" {
		physical = n.AsString()
	}
	set := func(k string, v string) {
		if _, ok := state[k]; !ok {
			state[k] = property.New(v)
		}
	}
	compact := strings.ReplaceAll(name, "-", "")
	switch typeToken {
	case "aws:iam/role:Role":
		path := "/"
		if p, ok := state["path"]; ok && p.IsString() {
			path = p.AsString()
		}
		set("name", physical)
		set("arn", fmt.Sprintf("arn:%s:iam::%s:role%s%s", c.Partition, c.AccountID, path, physical))
		id = physical
	case "random:index/randomPassword:RandomPassword":
		// As the real provider: the id is the fixed "none", never the password.
		set("result", FakeExternalID)
		id = "none"
	case "aws:eks/nodeGroup:NodeGroup":
		set("nodeGroupName", physical)
		set("arn", fmt.Sprintf("arn:%s:eks:%s:%s:nodegroup/%s/%s/x", c.Partition, c.Region, c.AccountID, c.Name, physical))
		// The AWS provider's id: <cluster>:<name>, so a replacement has a new one.
		id = c.Name + ":" + state["nodeGroupName"].AsString()
	case "aws:eks/fargateProfile:FargateProfile":
		set("fargateProfileName", physical)
		set("arn", fmt.Sprintf("arn:%s:eks:%s:%s:fargateprofile/%s/%s/x", c.Partition, c.Region, c.AccountID, c.Name, physical))
		id = c.Name + ":" + state["fargateProfileName"].AsString()
	case "aws:eks/cluster:Cluster":
		// The described cluster, whatever its logical name, so the look-ups that follow
		// answer for it.
		set("name", c.Name)
		set("arn", c.ClusterARN())
		id = c.Name
	case "aws:eks/accessEntry:AccessEntry":
		set("accessEntryArn", fmt.Sprintf("arn:%s:eks:%s:%s:access-entry/%s/x", c.Partition, c.Region, c.AccountID, c.Name))
	case "aws:ec2/routeTable:RouteTable":
		id = "rtb-" + compact
	case "aws:ec2/routeTableAssociation:RouteTableAssociation":
		id = "rtbassoc-" + compact
	case "aws:ec2/natGateway:NatGateway":
		id = "nat-" + compact
		set("networkInterfaceId", "eni-"+compact)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + compact
		set("name", physical)
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + compact
	case "aws:ec2/eip:Eip":
		id = "eipalloc-" + compact
		set("allocationId", id)
		set("publicIp", "203.0.113.10")
	case "aws:ec2/instance:Instance":
		id = "i-" + compact
		set("primaryNetworkInterfaceId", "eni-"+compact)
	default:
		set("arn", fmt.Sprintf("arn:%s:fake:%s:%s:%s", c.Partition, c.Region, c.AccountID, name))
	}
	return id, property.NewMap(state)
}
