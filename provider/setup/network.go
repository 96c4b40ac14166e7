package setup

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// Runbook step 3, option 2, "Prepare VPC": private subnets behind NAT, one per zone of the
// cluster's subnets (two or three).
//
// Fargate runs pods only in private subnets, and those pods pull Concurrent's images from
// the internet, so the subnets route 0.0.0.0/0 through a NAT (EKS user guide, "AWS Fargate",
// and the runbook). The runbook's template put all three subnets in whatever zone EC2 chose,
// behind a t2.micro with a hard-coded AMI and SSH open to the world (concurrent-facts.md 3);
// here each subnet gets its own zone, one the cluster's subnets use, and the NAT instance
// option opens no SSH.

// vpcNetwork is what the created network needs to know of the VPC, read before anything is
// registered so that CIDR mistakes fail early. nil when fargate.network is not used.
type vpcNetwork struct {
	// cidrs are the VPC's IPv4 CIDR blocks (primary first): what the NAT instance admits.
	cidrs pulumi.StringArrayOutput
	// knownVpcId and knownCidrs are set when the VPC id was known at construct time, for the
	// rule that the subnets lie inside the VPC (rules_cluster.go).
	knownVpcId string
	knownCidrs []string
	// zones are the zones of the cluster's subnets, one per private subnet: EKS places
	// Fargate pods only in zones it supports for the cluster, and the cluster's own subnets
	// are in such zones (the region's first zones by name may not be). knownZones is set
	// for a known cluster, for the rules; otherwise zones checks the count when it resolves.
	zones      pulumi.StringArrayOutput
	knownZones []string
}

// privateSubnetCount is at most the runbook's "Three Private Subnets in the VPC"; EKS
// needs at least two zones.
const (
	privateSubnetCount    = 3
	minPrivateSubnetCount = 2
)

// lookupNetwork reads the VPC of fargate.network and the zones for its private subnets.
func lookupNetwork(ctx *pulumi.Context, parent pulumi.Resource, c *config, f *clusterFacts) (*vpcNetwork, error) {
	n := c.fargate.network
	if c.computeType != ComputeFargate || n == nil {
		return nil, nil
	}
	opt := pulumi.Parent(parent)
	vpc := &vpcNetwork{}
	if cl := f.cluster; cl.known {
		vpc.knownZones = clusterZones(cl.knownSubnetIds, f.subnets)
		vpc.zones = pulumi.ToStringArray(vpc.knownZones).ToStringArrayOutput()
	} else {
		want := len(n.subnetCidrs)
		vpc.zones = pulumi.All(cl.name, cl.vpcId, cl.subnetIds).ApplyT(func(v []any) ([]string, error) {
			info, err := describeSubnets(ctx, opt, v[1].(string), v[2].([]string))
			if err != nil {
				return nil, fmt.Errorf("fargate.network: reading the subnets of cluster %s: %w", v[0], err)
			}
			zones := clusterZones(v[2].([]string), info)
			return zones, zonesError(v[0].(string), zones, want)
		}).(pulumi.StringArrayOutput)
	}

	id, ok := knownString(n.vpcId)
	if !ok {
		// The VPC is built in the same program: its CIDR is not known until it exists, so the
		// containment check is left to EC2, whose CreateSubnet rejects a CIDR outside the VPC.
		res := ec2.LookupVpcOutput(ctx, ec2.LookupVpcOutputArgs{Id: n.vpcId}, opt)
		vpc.cidrs = pulumi.All(res.CidrBlock(), res.CidrBlockAssociations()).ApplyT(func(v []any) []string {
			return vpcCidrs(v[0].(string), v[1].([]ec2.GetVpcCidrBlockAssociation))
		}).(pulumi.StringArrayOutput)
		return vpc, nil
	}

	res, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: &id}, opt)
	if err != nil {
		return nil, fmt.Errorf("fargate.network.vpcId: looking up VPC %q: %w", id, err)
	}
	cidrs := vpcCidrs(res.CidrBlock, res.CidrBlockAssociations)
	vpc.knownVpcId, vpc.knownCidrs = id, cidrs
	vpc.cidrs = pulumi.ToStringArray(cidrs).ToStringArrayOutput()
	return vpc, nil
}

// zonesError checks the cluster's zones against the CIDR blocks given, one per zone.
func zonesError(clusterName string, zones []string, cidrs int) error {
	switch {
	case len(zones) < minPrivateSubnetCount:
		return fmt.Errorf("fargate.network: the subnets of cluster %s are in %d availability zone(s) (%s); "+
			"EKS needs %d: give fargate.subnetIds instead", clusterName, len(zones), strings.Join(zones, ", "),
			minPrivateSubnetCount)
	case cidrs != len(zones):
		return fmt.Errorf("fargate.network.subnetCidrs: must list one CIDR block per availability zone of "+
			"cluster %s's subnets (%s): %d, got %d", clusterName, strings.Join(zones, ", "), len(zones), cidrs)
	}
	return nil
}

// vpcCidrs lists the VPC's primary CIDR block and its associated secondary blocks.
func vpcCidrs(primary string, assocs []ec2.GetVpcCidrBlockAssociation) []string {
	out := []string{primary}
	for _, a := range assocs {
		if a.State == "associated" && !slices.Contains(out, a.CidrBlock) {
			out = append(out, a.CidrBlock)
		}
	}
	return out
}

// natInstanceImage: the AMI comes from the SSM public parameter AWS keeps pointing at the
// current Amazon Linux 2023 release, so every region works (the runbook's template had one
// region's AMI id hard-coded). The instance type matches the AMI's architecture.
var natInstanceImage = struct{ parameter, instanceType string }{
	parameter:    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
	instanceType: "t3.micro",
}

// natUserData turns a fresh Amazon Linux 2023 instance into a NAT at first boot and keeps it
// one across reboots: IP forwarding in sysctl.d, masquerading saved by iptables-services
// (AWS VPC user guide, "NAT instances"). The FORWARD chain's default REJECT rule is flushed;
// the security group is what limits who may use the NAT.
const natUserData = `#!/bin/bash
set -euxo pipefail
dnf install -y iptables-services
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf
sysctl -p /etc/sysctl.d/90-nat.conf
iface=$(ip -o route show default | awk '{print $5; exit}')
systemctl enable --now iptables
iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE
iptables -F FORWARD
service iptables save
`

// createPrivateNetwork creates the private subnets, the NAT and the routes.
func createPrivateNetwork(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, vpc *vpcNetwork) (pulumi.StringArrayOutput, error) {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	table, err := ec2.NewRouteTable(ctx, name+"-private", &ec2.RouteTableArgs{
		VpcId: c.fargate.network.vpcId,
		Tags:  withNameTag(c.tags, name+"-private"),
	}, opts...)
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	route := &ec2.RouteArgs{RouteTableId: table.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0")}
	if err := routeThroughNat(ctx, parent, name, c, vpc, route); err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	defaultRoute, err := ec2.NewRoute(ctx, name+"-private-nat", route, opts...)
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	return createPrivateSubnets(ctx, parent, name, c, vpc, table, defaultRoute)
}

// routeThroughNat creates the NAT of fargate.network.natType and points the route at it.
func routeThroughNat(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, vpc *vpcNetwork,
	route *ec2.RouteArgs,
) error {
	if c.fargate.network.natType == NatInstance {
		nat, err := createNatInstance(ctx, parent, name, c, vpc)
		if err != nil {
			return err
		}
		route.NetworkInterfaceId = nat.PrimaryNetworkInterfaceId
		return nil
	}
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	eip, err := ec2.NewEip(ctx, name+"-nat", &ec2.EipArgs{
		Domain: pulumi.String("vpc"),
		Tags:   withNameTag(c.tags, name+"-nat"),
	}, opts...)
	if err != nil {
		return err
	}
	nat, err := ec2.NewNatGateway(ctx, name+"-nat", &ec2.NatGatewayArgs{
		ConnectivityType: pulumi.String("public"),
		AllocationId:     eip.AllocationId,
		SubnetId:         c.fargate.network.publicSubnetId,
		Tags:             withNameTag(c.tags, name+"-nat"),
	}, opts...)
	if err != nil {
		return err
	}
	route.NatGatewayId = nat.ID()
	return nil
}

// createPrivateSubnets creates one private subnet per zone on the route table. The subnet
// ids carry the route and the associations as dependencies, so the Fargate profiles (and
// their pods, which pull images at once) come only after the way out exists.
func createPrivateSubnets(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, vpc *vpcNetwork,
	table *ec2.RouteTable, defaultRoute *ec2.Route,
) (pulumi.StringArrayOutput, error) {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	var ids pulumi.StringArray
	ready := []any{defaultRoute.ID()}
	for i, cidr := range c.fargate.network.subnetCidrs {
		subnetName := fmt.Sprintf("%s-private-%d", name, i+1)
		subnet, err := ec2.NewSubnet(ctx, subnetName, &ec2.SubnetArgs{
			VpcId:               c.fargate.network.vpcId,
			CidrBlock:           pulumi.String(cidr),
			AvailabilityZone:    vpc.zones.Index(pulumi.Int(i)),
			MapPublicIpOnLaunch: pulumi.Bool(false),
			// Lets the AWS Load Balancer Controller place internal load balancers here.
			Tags: withTags(c.tags, map[string]string{"Name": subnetName, "kubernetes.io/role/internal-elb": "1"}),
		}, opts...)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		assoc, err := ec2.NewRouteTableAssociation(ctx, subnetName, &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: table.ID(),
		}, opts...)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		ids = append(ids, subnet.ID().ToStringOutput())
		ready = append(ready, assoc.ID())
	}
	return pulumi.All(append([]any{ids}, ready...)...).ApplyT(func(v []any) []string {
		return v[0].([]string)
	}).(pulumi.StringArrayOutput), nil
}

// createNatInstance is the natType `instance` option: a small Amazon Linux instance in the
// public subnet that masquerades the VPC's traffic. Cheaper than a NAT gateway, and a single
// point of failure; the gateway is the default.
func createNatInstance(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, vpc *vpcNetwork) (*ec2.Instance, error) {
	n := c.fargate.network
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	image, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: natInstanceImage.parameter}, pulumi.Parent(parent))
	if err != nil {
		return nil, fmt.Errorf("fargate.network.natType: looking up the Amazon Linux AMI (SSM parameter %s): %w",
			natInstanceImage.parameter, err)
	}

	// Only the VPC may send traffic through the NAT; no SSH (Session Manager needs none).
	sg, err := ec2.NewSecurityGroup(ctx, name+"-nat", &ec2.SecurityGroupArgs{
		VpcId:       n.vpcId,
		Description: pulumi.String("NAT instance for the Concurrent Fargate private subnets; traffic from the VPC only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("Traffic to forward, from inside the VPC"),
			Protocol:    pulumi.String("-1"),
			FromPort:    pulumi.Int(0),
			ToPort:      pulumi.Int(0),
			CidrBlocks:  vpc.cidrs,
		}},
		Egress: ec2.SecurityGroupEgressArray{&ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("Forwarded traffic, to the internet"),
			Protocol:    pulumi.String("-1"),
			FromPort:    pulumi.Int(0),
			ToPort:      pulumi.Int(0),
			CidrBlocks:  pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: withNameTag(c.tags, name+"-nat"),
	}, opts...)
	if err != nil {
		return nil, err
	}

	return ec2.NewInstance(ctx, name+"-nat", &ec2.InstanceArgs{
		Ami:                      pulumi.String(image.InsecureValue),
		InstanceType:             pulumi.String(natInstanceImage.instanceType),
		SubnetId:                 n.publicSubnetId,
		AssociatePublicIpAddress: pulumi.Bool(true),
		// A NAT forwards packets addressed to others; EC2 drops those unless this is off.
		SourceDestCheck:     pulumi.Bool(false),
		VpcSecurityGroupIds: pulumi.StringArray{sg.ID().ToStringOutput()},
		UserData:            pulumi.String(natUserData),
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"),
			HttpTokens:   pulumi.String("required"), // IMDSv2 only
		},
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{Encrypted: pulumi.Bool(true)},
		Tags:            withNameTag(c.tags, name+"-nat"),
	}, append(opts,
		// The SSM parameter moves with every Amazon Linux release; following it would replace
		// the NAT (and cut the pods' egress) each time.
		pulumi.IgnoreChanges([]string{"ami"}),
	)...)
}

// withNameTag is the user's tags plus a Name for the console.
func withNameTag(tags pulumi.StringMapInput, name string) pulumi.StringMapInput {
	return withTags(tags, map[string]string{"Name": name})
}

// withTags is the user's tags plus ours; ours win (each resource needs its own Name).
func withTags(tags pulumi.StringMapInput, ours map[string]string) pulumi.StringMapInput {
	return inputs.Overlay(tags, ours)
}
