package fakeaws

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// The VPC as the description has it: the cluster's subnets and the public ones, each in a
// zone; a route table `rtb-public` (0.0.0.0/0 to an internet gateway) associated with each
// public subnet, and the VPC's main table `rtb-main` (0.0.0.0/0 to a NAT gateway) that the
// other subnets use implicitly, as subnets without an association do in EC2.
const (
	publicRouteTable = "rtb-public"
	mainRouteTable   = "rtb-main"
	internetGateway  = "igw-0123456789abcdef0"
	natGateway       = "nat-0123456789abcdef0"
	// OtherVpcID is the VPC of the otherVpcSubnetIds.
	OtherVpcID = "vpc-0ffffffffffffffff"
)

// subnetZone is where a subnet lies; ok is false for a subnet of another VPC.
func (c Cluster) subnetZone(id string) (zone string, ok bool) {
	if slices.Contains(c.OtherVpcSubnetIDs, id) {
		return "", false
	}
	i := slices.Index(c.SubnetIDs, id)
	if i < 0 {
		i = max(slices.Index(c.PublicSubnetIDs, id), 0)
	}
	if len(c.AvailabilityZones) == 0 {
		return c.Region + "a", true
	}
	return c.AvailabilityZones[i%len(c.AvailabilityZones)], true
}

// getSubnet: a described subnet is in the cluster's VPC, in its zone.
func getSubnet(c Cluster, args property.Map) (values, error) {
	id := argString(args, "id")
	zone, ok := c.subnetZone(id)
	vpc := c.VpcID
	if !ok {
		vpc, zone = OtherVpcID, c.Region+"a"
	}
	return values{
		"id": str(id), "vpcId": str(vpc), "availabilityZone": str(zone),
		"mapPublicIpOnLaunch": property.New(slices.Contains(c.PublicSubnetIDs, id)),
		"arn":                 str(fmt.Sprintf("arn:%s:ec2:%s:%s:subnet/%s", c.Partition, c.Region, c.AccountID, id)),
	}, nil
}

func getRouteTables(c Cluster, args property.Map) (values, error) {
	ids := []property.Value{}
	if argString(args, "vpcId") == c.VpcID {
		ids = append(ids, str(mainRouteTable))
		if len(c.PublicSubnetIDs) > 0 {
			ids = append(ids, str(publicRouteTable))
		}
	}
	return values{"id": str(c.Region), "ids": property.New(ids)}, nil
}

func getRouteTable(c Cluster, args property.Map) (values, error) {
	id := argString(args, "routeTableId")
	route := values{"cidrBlock": str("0.0.0.0/0"), "natGatewayId": str(natGateway)}
	assocs := []property.Value{obj(values{"main": property.New(true), "routeTableId": str(id)})}
	switch id {
	case mainRouteTable:
	case publicRouteTable:
		route = values{"cidrBlock": str("0.0.0.0/0"), "gatewayId": str(internetGateway)}
		assocs = nil
		for _, s := range c.PublicSubnetIDs {
			assocs = append(assocs, obj(values{"main": property.New(false), "subnetId": str(s), "routeTableId": str(id)}))
		}
	default:
		return nil, fmt.Errorf("no matching EC2 Route Table found (%s)", id)
	}
	return values{
		"id": str(id), "routeTableId": str(id), "vpcId": str(c.VpcID),
		"routes": property.New([]property.Value{obj(route)}), "associations": property.New(assocs),
	}, nil
}
