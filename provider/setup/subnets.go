package setup

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Which of the VPC's subnets are private. A subnet is public when the route table in force
// for it routes to an internet gateway (igw-...): its own table, or, without an explicit
// association, the VPC's main table (Amazon VPC user guide, "Subnets for your VPC" and
// "Route tables"). A managed node group in a public subnet that does not map public IPs
// fails to create, and Fargate refuses public subnets; in a private subnet the nodes reach
// ECR and the API server through the NAT.

// subnetInfo is what the look-ups learned of one subnet.
type subnetInfo struct {
	id, vpcId, zone string
	// routeTable is the table in force; viaMain when it is the VPC's main table.
	routeTable string
	viaMain    bool
	// internetGateway is the igw-... the table routes to; "" for a private subnet.
	internetGateway string
}

func (s subnetInfo) public() bool { return s.internetGateway != "" }

// why says what the subnet's routes make it, for the notes and the errors.
func (s subnetInfo) why() string {
	table := s.routeTable
	if s.viaMain {
		table += " (the VPC's main route table)"
	}
	if table == "" {
		table = "no route table"
	}
	if s.public() {
		return fmt.Sprintf("%s is public: %s routes to internet gateway %s", s.id, table, s.internetGateway)
	}
	return fmt.Sprintf("%s is private: %s has no route to an internet gateway", s.id, table)
}

// vpcRoutes is which route table each subnet of a VPC uses and which tables reach an
// internet gateway.
type vpcRoutes struct {
	main     string
	bySubnet map[string]string
	igw      map[string]string // route table -> internet gateway
}

// lookupRoutes reads every route table of the VPC: getRouteTables lists them, and
// getRouteTable gives each one's routes and associations. (getRouteTable by subnet id
// fails for a subnet that uses the main table implicitly, so it is not asked that way.)
func lookupRoutes(ctx *pulumi.Context, opt pulumi.InvokeOption, vpcId string) (*vpcRoutes, error) {
	tables, err := ec2.GetRouteTables(ctx, &ec2.GetRouteTablesArgs{VpcId: &vpcId}, opt)
	if err != nil {
		return nil, fmt.Errorf("listing the route tables of VPC %s: %w", vpcId, err)
	}
	r := &vpcRoutes{bySubnet: map[string]string{}, igw: map[string]string{}}
	for _, id := range slices.Sorted(slices.Values(tables.Ids)) {
		t, err := ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{RouteTableId: &id}, opt)
		if err != nil {
			return nil, fmt.Errorf("reading route table %s: %w", id, err)
		}
		for _, a := range t.Associations {
			switch {
			case a.Main:
				r.main = id
			case a.SubnetId != "":
				r.bySubnet[a.SubnetId] = id
			}
		}
		for _, route := range t.Routes {
			if strings.HasPrefix(route.GatewayId, "igw-") {
				r.igw[id] = route.GatewayId
			}
		}
	}
	return r, nil
}

// describeSubnets looks up each subnet's VPC and zone, and, for those in vpcId, its routes.
func describeSubnets(ctx *pulumi.Context, opt pulumi.InvokeOption, vpcId string, ids []string,
) (map[string]subnetInfo, error) {
	routes, err := lookupRoutes(ctx, opt, vpcId)
	if err != nil {
		return nil, err
	}
	out := map[string]subnetInfo{}
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		s, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: &id}, opt)
		if err != nil {
			return nil, fmt.Errorf("looking up subnet %s: %w", id, err)
		}
		info := subnetInfo{id: id, vpcId: s.VpcId, zone: s.AvailabilityZone}
		if s.VpcId == vpcId {
			info.routeTable = routes.bySubnet[id]
			if info.routeTable == "" {
				info.routeTable, info.viaMain = routes.main, true
			}
			info.internetGateway = routes.igw[info.routeTable]
		}
		out[id] = info
	}
	return out, nil
}

// privateSubnets picks the private ones of the cluster's subnets, in the cluster's order,
// and says why each was or was not picked.
func privateSubnets(cluster []string, info map[string]subnetInfo) (ids []string, why []string) {
	for _, id := range cluster {
		s := info[id]
		if !s.public() {
			ids = append(ids, id)
		}
		why = append(why, s.why())
	}
	return ids, why
}

// noPrivateSubnetError is the error when the cluster has no private subnet for the groups.
func noPrivateSubnetError(clusterName string, why []string) error {
	return fmt.Errorf("nodeGroups.subnetIds: cluster %s has no private subnet for the node groups (%s); "+
		"managed node groups belong in private subnets behind a NAT: give nodeGroups.subnetIds "+
		"(private subnets of the cluster's VPC)", clusterName, strings.Join(why, "; "))
}

// clusterZones are the distinct zones of the cluster's subnets, sorted, at most three: where
// the created Fargate subnets go (EKS supports the zones the cluster already uses).
func clusterZones(cluster []string, info map[string]subnetInfo) []string {
	var zones []string
	for _, id := range cluster {
		if z := info[id].zone; z != "" {
			zones = append(zones, z)
		}
	}
	zones = slices.Compact(slices.Sorted(slices.Values(zones)))
	return zones[:min(len(zones), privateSubnetCount)]
}

// lookupSubnets learns, for node groups and for fargate.network, which of the cluster's
// subnets are private and where the subnets the inputs name lie. A cluster built in the
// same program is looked at when it exists, inside an apply.
func lookupSubnets(ctx *pulumi.Context, parent pulumi.Resource, c *config, f *clusterFacts) error {
	nodeGroups := c.computeType == ComputeNodeGroups && len(c.nodeGroups.groups) > 0
	network := c.computeType == ComputeFargate && c.fargate.network != nil
	if !nodeGroups && !network {
		return nil
	}
	cl, opt := f.cluster, pulumi.Parent(parent)
	if cl.known {
		info, err := describeSubnets(ctx, opt, cl.knownVpcId, append(slices.Clone(cl.knownSubnetIds), c.namedSubnets()...))
		if err != nil {
			return fmt.Errorf("clusterName: reading the subnets of cluster %s: %w", cl.knownName, err)
		}
		private, why := privateSubnets(cl.knownSubnetIds, info)
		f.subnets, f.subnetWhy = info, why
		f.privateSubnetIds = pulumi.ToStringArray(private).ToStringArrayOutput()
		return nil
	}
	if !nodeGroups || !c.usesClusterSubnets() {
		return nil
	}
	f.privateSubnetIds = pulumi.All(cl.name, cl.vpcId, cl.subnetIds).ApplyT(func(v []any) ([]string, error) {
		name, ids := v[0].(string), v[2].([]string)
		info, err := describeSubnets(ctx, opt, v[1].(string), ids)
		if err != nil {
			return nil, fmt.Errorf("nodeGroups.subnetIds: reading the subnets of cluster %s: %w", name, err)
		}
		private, why := privateSubnets(ids, info)
		if len(private) == 0 {
			return nil, noPrivateSubnetError(name, why)
		}
		return private, nil
	}).(pulumi.StringArrayOutput)
	return nil
}

// namedSubnets are the known subnet ids the node group and fargate.network inputs give.
func (c *config) namedSubnets() []string {
	lists := []pulumi.StringArrayInput{c.nodeGroups.subnetIds}
	for _, g := range c.nodeGroups.groups {
		lists = append(lists, g.subnetIds)
	}
	var out []string
	for _, l := range lists {
		if arr, ok := l.(pulumi.StringArray); ok {
			for _, s := range arr {
				if v, ok := knownString(s); ok {
					out = append(out, v)
				}
			}
		}
	}
	if n := c.fargate.network; n != nil && c.computeType == ComputeFargate {
		if v, ok := knownString(n.publicSubnetId); ok {
			out = append(out, v)
		}
	}
	return out
}
