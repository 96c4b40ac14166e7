package setup

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// The rules that need what the look-ups learned: the access modes the cluster supports, and
// the CIDR blocks of the VPC the private subnets go into. They run before any child is
// registered.
var clusterRules = []rule[func(c *config, f *clusterFacts, p *problems)]{
	{"access mode", checkAccessModeOnCluster},
	{"subnets in the VPC", checkSubnetsInVpc},
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
