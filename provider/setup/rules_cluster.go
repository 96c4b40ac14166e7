package setup

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The rules that need what the look-ups learned: an endpoint Concurrent can reach, the
// access modes the cluster supports, node group subnets and AMIs that fit the cluster, the
// VPC, zones and CIDR blocks of the private subnets to create, and compute for CoreDNS. They
// run before any child is registered. A cluster built in the same program is not known
// yet: its endpoint, private subnets, zones and version are checked where they are used,
// inside applies, so no child that depends on them is created.
var clusterRules = []rule[func(c *config, f *clusterFacts, p *problems)]{
	{"API endpoint", checkEndpoint},
	{"access mode", checkAccessModeOnCluster},
	{"node group subnets", checkNodeGroupSubnets},
	{"AMI type on the cluster's version", checkAmiOnVersion},
	{"fargate network in the cluster's VPC", checkFargateNetworkOnCluster},
	{"subnets in the VPC", checkSubnetsInVpc},
	{"runbook leftovers", checkLeftovers},
	{"compute for CoreDNS", checkFargateOnly},
}

// checkEndpoint: Concurrent calls eks:DescribeCluster and then the cluster's endpoint from
// its own AWS account, over the internet (concurrent-facts.md; design section 4).
func checkEndpoint(c *config, f *clusterFacts, p *problems) {
	cl := f.cluster
	if !cl.known {
		return
	}
	p.addErrs(endpointError(cl.knownName, cl.endpointPublic, c.allowPrivateEndpoint))
	if cl.endpointPublic && !slices.Contains(cl.publicAccessCidrs, "0.0.0.0/0") {
		p.warn("clusterName", "the public endpoint of cluster %s admits only %s: Concurrent connects from its own "+
			"AWS account, so its egress addresses must be among the cluster's publicAccessCidrs (ask Concurrent "+
			"for them)", cl.knownName, strings.Join(cl.publicAccessCidrs, ", "))
	}
}

func endpointError(clusterName string, public, allowPrivate bool) error {
	if public || allowPrivate {
		return nil
	}
	return fmt.Errorf("allowPrivateEndpoint: the API endpoint of cluster %s is not public (endpointPublicAccess "+
		"false), and Concurrent connects to it from its own AWS account: enable public access on the cluster, "+
		"or set allowPrivateEndpoint: true once you have arranged how Concurrent reaches the private endpoint",
		clusterName)
}

// checkNodeGroupSubnets: given subnets must be in the cluster's VPC (EKS CreateNodegroup);
// left to the default, the cluster must have a private subnet.
func checkNodeGroupSubnets(c *config, f *clusterFacts, p *problems) {
	cl := f.cluster
	if !cl.known || c.computeType != ComputeNodeGroups || len(c.nodeGroups.groups) == 0 {
		return
	}
	inVpc := func(path string, subnets pulumi.StringArrayInput) {
		arr, _ := subnets.(pulumi.StringArray)
		for i, s := range arr {
			id, ok := knownString(s)
			if info, found := f.subnets[id]; ok && found && info.vpcId != cl.knownVpcId {
				p.add(fmt.Sprintf("%s[%d]", path, i), "%s is in VPC %s, not in cluster %s's VPC %s: nodes must be "+
					"in the cluster's VPC", id, info.vpcId, cl.knownName, cl.knownVpcId)
			}
		}
	}
	inVpc("nodeGroups.subnetIds", c.nodeGroups.subnetIds)
	for _, g := range c.nodeGroups.groups {
		inVpc("nodeGroups."+g.role+".subnetIds", g.subnetIds)
	}
	if c.usesClusterSubnets() {
		if ids, _ := privateSubnets(cl.knownSubnetIds, f.subnets); len(ids) == 0 {
			p.addErrs(noPrivateSubnetError(cl.knownName, f.subnetWhy))
		}
	}
}

func checkAmiOnVersion(c *config, f *clusterFacts, p *problems) {
	if !f.cluster.known {
		return
	}
	for _, g := range c.nodeGroups.groups {
		p.addErrs(amiVersionError("nodeGroups."+g.role, g.amiType, f.cluster.knownName, f.cluster.knownVersion))
	}
}

// checkFargateNetworkOnCluster: the created subnets go into the cluster's VPC, in the zones
// of its subnets, and the NAT into a public subnet of that VPC.
func checkFargateNetworkOnCluster(c *config, f *clusterFacts, p *problems) {
	cl, n := f.cluster, c.fargate.network
	if !cl.known || c.computeType != ComputeFargate || n == nil {
		return
	}
	if id, ok := knownString(n.vpcId); ok && id != cl.knownVpcId {
		p.add("fargate.network.vpcId", "%s is not cluster %s's VPC (%s): Fargate pods run in the cluster's VPC",
			id, cl.knownName, cl.knownVpcId)
	}
	if id, ok := knownString(n.publicSubnetId); ok {
		switch info := f.subnets[id]; {
		case info.vpcId != cl.knownVpcId:
			p.add("fargate.network.publicSubnetId", "%s is in VPC %s, not in cluster %s's VPC %s", id, info.vpcId,
				cl.knownName, cl.knownVpcId)
		case !info.public():
			p.add("fargate.network.publicSubnetId", "%s: the NAT needs a public subnet, routed to an internet gateway", info.why())
		}
	}
	if k := len(n.subnetCidrs); k >= minPrivateSubnetCount && k <= privateSubnetCount {
		p.addErrs(zonesError(cl.knownName, f.network.knownZones, k))
	}
}

// checkFargateOnly: Fargate runs only the pods a profile selects. Without a node group,
// CoreDNS (kube-system) stays Pending unless a profile selects it, and Concurrent's pods
// need DNS (EKS user guide, "Get started with AWS Fargate": update CoreDNS).
func checkFargateOnly(c *config, f *clusterFacts, p *problems) {
	if c.computeType != ComputeFargate || f.nodeGroupNames == nil || len(f.nodeGroupNames) > 0 {
		return
	}
	p.warn("computeType", "cluster %s has no node group, and Fargate runs only the pods a profile selects: "+
		"CoreDNS needs compute for Concurrent's pods to resolve names; make sure a Fargate profile selects "+
		"kube-system (and CoreDNS is patched to run on Fargate), or add a node group", f.cluster.knownName)
}

// checkAccessModeOnCluster rejects a mode the cluster cannot honour, and `auto` when the
// cluster is not known yet (it is built in the same program).
func checkAccessModeOnCluster(c *config, f *clusterFacts, p *problems) {
	cl := f.cluster
	if !cl.known {
		if c.access.mode == AccessAuto {
			p.add("access.mode", "`auto` needs the cluster's authentication mode, but clusterName is not "+
				"known until the cluster is created; set access.mode to configMap or accessEntry")
		}
		return
	}
	switch {
	case c.access.mode == AccessConfigMap && cl.authMode() == "API":
		p.add("access.mode", "cluster %s has authenticationMode API, which ignores the aws-auth ConfigMap; "+
			"use accessEntry (or auto), or switch the cluster to API_AND_CONFIG_MAP", cl.knownName)
	case c.access.mode == AccessAccessEntry && cl.authMode() == "CONFIG_MAP":
		p.add("access.mode", "cluster %s has authenticationMode CONFIG_MAP, which has no access entries; "+
			"use configMap (or auto), or switch the cluster to API_AND_CONFIG_MAP", cl.knownName)
	case c.access.mode == AccessAuto && f.accessMode == AccessAccessEntry:
		// The static rules checked the username only for an explicit accessEntry.
		checkAccessEntryUsername(c.access.username, p)
	}
}

// checkSubnetsInVpc requires every subnet CIDR to lie inside one of the VPC's CIDR blocks,
// as EC2's CreateSubnet will, but before anything is created. A VPC built in the same
// program is not known yet: EC2 then checks.
func checkSubnetsInVpc(c *config, f *clusterFacts, p *problems) {
	vpc := f.network
	if vpc == nil || vpc.knownVpcId == "" {
		return
	}
	var blocks []netip.Prefix
	for _, s := range vpc.knownCidrs {
		if pr, err := netip.ParsePrefix(s); err == nil {
			blocks = append(blocks, pr)
		}
	}
	for i, s := range c.fargate.network.subnetCidrs {
		sub, err := netip.ParsePrefix(s)
		if err != nil {
			continue // the static rules reported it
		}
		if !slices.ContainsFunc(blocks, func(b netip.Prefix) bool { return b.Bits() <= sub.Bits() && b.Contains(sub.Addr()) }) {
			p.add(fmt.Sprintf("fargate.network.subnetCidrs[%d]", i), "%q is not inside VPC %s's CIDR %s",
				s, vpc.knownVpcId, strings.Join(vpc.knownCidrs, ", "))
		}
	}
}
