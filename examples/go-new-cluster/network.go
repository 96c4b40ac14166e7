package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// zones is how many availability zones the VPC spans: one public and one private subnet in
// each. EKS needs subnets in at least two zones; three keep Fargate pods schedulable when a
// zone fails.
const zones = 3

type network struct {
	vpcID            pulumi.StringOutput
	publicSubnetIds  pulumi.StringArray
	privateSubnetIds pulumi.StringArray
}

// newNetwork builds a VPC for an EKS cluster on Fargate: public subnets routed through an
// internet gateway (load balancers and the NAT gateway), private subnets routed through a
// NAT gateway (Fargate pods, which get no public address, pull images through it).
// One NAT gateway keeps the example cheap; a NAT gateway per zone survives a zone failure.
func newNetwork(ctx *pulumi.Context, name string) (*network, error) {
	available, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
	})
	if err != nil {
		return nil, err
	}
	if len(available.Names) < zones {
		return nil, fmt.Errorf("the region has %d available zones; this VPC needs %d", len(available.Names), zones)
	}

	vpc, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{
		CidrBlock: pulumi.String("10.0.0.0/16"),
		// EKS requires DNS support and hostnames in the cluster's VPC.
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               pulumi.StringMap{"Name": pulumi.String(name)},
	})
	if err != nil {
		return nil, err
	}
	igw, err := ec2.NewInternetGateway(ctx, name, &ec2.InternetGatewayArgs{VpcId: vpc.ID()})
	if err != nil {
		return nil, err
	}
	publicRoutes, err := ec2.NewRouteTable(ctx, name+"-public", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Routes: ec2.RouteTableRouteArray{
			ec2.RouteTableRouteArgs{CidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID()},
		},
	})
	if err != nil {
		return nil, err
	}

	net := &network{vpcID: vpc.ID().ToStringOutput()}
	for i, zone := range available.Names[:zones] {
		subnet, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-public-%d", name, i+1), &ec2.SubnetArgs{
			VpcId:               vpc.ID(),
			AvailabilityZone:    pulumi.String(zone),
			CidrBlock:           pulumi.String(fmt.Sprintf("10.0.%d.0/24", i)),
			MapPublicIpOnLaunch: pulumi.Bool(true),
			// Where the AWS Load Balancer Controller puts internet-facing load balancers.
			Tags: pulumi.StringMap{"kubernetes.io/role/elb": pulumi.String("1")},
		})
		if err != nil {
			return nil, err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-public-%d", name, i+1), &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: publicRoutes.ID(),
		}); err != nil {
			return nil, err
		}
		net.publicSubnetIds = append(net.publicSubnetIds, subnet.ID())
	}

	eip, err := ec2.NewEip(ctx, name+"-nat", &ec2.EipArgs{Domain: pulumi.String("vpc")})
	if err != nil {
		return nil, err
	}
	nat, err := ec2.NewNatGateway(ctx, name, &ec2.NatGatewayArgs{
		AllocationId: eip.ID(),
		SubnetId:     net.publicSubnetIds[0],
	}, pulumi.DependsOn([]pulumi.Resource{igw})) // a NAT gateway needs the VPC's internet gateway
	if err != nil {
		return nil, err
	}
	privateRoutes, err := ec2.NewRouteTable(ctx, name+"-private", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Routes: ec2.RouteTableRouteArray{
			ec2.RouteTableRouteArgs{CidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: nat.ID()},
		},
	})
	if err != nil {
		return nil, err
	}
	for i, zone := range available.Names[:zones] {
		subnet, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-private-%d", name, i+1), &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			AvailabilityZone: pulumi.String(zone),
			// /20: room for many Fargate pods, each of which takes an address.
			CidrBlock: pulumi.String(fmt.Sprintf("10.0.%d.0/20", 128+16*i)),
			// Where internal load balancers go.
			Tags: pulumi.StringMap{"kubernetes.io/role/internal-elb": pulumi.String("1")},
		})
		if err != nil {
			return nil, err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-private-%d", name, i+1), &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: privateRoutes.ID(),
		}); err != nil {
			return nil, err
		}
		net.privateSubnetIds = append(net.privateSubnetIds, subnet.ID())
	}
	return net, nil
}
