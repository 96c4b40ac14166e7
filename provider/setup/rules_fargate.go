package setup

import (
	"fmt"
	"net/netip"
)

// The static rules of Fargate (runbook step 3, option 2): the subnets or the network to
// create, the pod execution role and the profile quota.

func checkFargate(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.computeType != ComputeFargate {
		return
	}
	f := c.fargate
	if f.subnetIds == nil && f.network == nil {
		p.add("fargate.subnetIds", "is required with computeType fargate: give private subnets behind NAT, or fargate.network to create them")
		return
	}
	if f.subnetIds != nil && f.network != nil {
		p.add("fargate.network", "cannot be set with fargate.subnetIds: give existing private subnets or have them created, not both")
	}
	checkSubnetList("fargate.subnetIds", f.subnetIds, p)
	if v, ok := knownString(f.podExecutionRoleArn); ok && !roleArnRe.MatchString(v) {
		p.add("fargate.podExecutionRoleArn", "%q is not an IAM role ARN", v)
	}
	checkFargateProfiles(c, p)
}

func checkFargateNetwork(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	n := c.fargate.network
	if c.computeType != ComputeFargate || n == nil {
		return
	}
	if n.vpcId == nil {
		p.add("fargate.network.vpcId", "is required")
	}
	if n.publicSubnetId == nil {
		p.add("fargate.network.publicSubnetId", "is required: the NAT lives in a public subnet")
	}
	switch n.natType {
	case NatGateway, NatInstance:
	default:
		p.add("fargate.network.natType", "%q is not one of gateway, instance", n.natType)
	}
	if k := len(n.subnetCidrs); k < minPrivateSubnetCount || k > privateSubnetCount {
		p.add("fargate.network.subnetCidrs", "must list %d or %d CIDR blocks, one per availability zone of the cluster's "+
			"subnets (got %d)", minPrivateSubnetCount, privateSubnetCount, k)
	}
	var prefixes []netip.Prefix
	for i, s := range n.subnetCidrs {
		path := fmt.Sprintf("fargate.network.subnetCidrs[%d]", i)
		pr, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !pr.Addr().Is4():
			p.add(path, "%q is not an IPv4 CIDR block", s)
			continue
		case pr != pr.Masked():
			p.add(path, "%q has host bits set (did you mean %s?)", s, pr.Masked())
			continue
		case pr.Bits() < 16 || pr.Bits() > 28:
			p.add(path, "%q: AWS subnets are /16 to /28", s)
			continue
		}
		for j, q := range prefixes {
			if q.IsValid() && q.Overlaps(pr) {
				p.add(path, "%q overlaps fargate.network.subnetCidrs[%d] (%s)", s, j, q)
			}
		}
		prefixes = append(prefixes, pr)
	}
}
