package setup

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// The rules on the inputs alone, in one table. They read the resolved config, and the raw
// args only to tell a field given from a field left to its default.
var staticRules = []rule[func(raw *ConcurrentEksSetupArgs, c *config, p *problems)]{
	{"cluster name", checkClusterName},
	{"Concurrent account", checkConcurrentAccount},
	{"external ID", checkExternalID},
	{"IAM role", checkRole},
	{"IAM permissions", checkPermissions},
	{"tags", checkTags},
	{"access", checkAccess},
	{"compute type", checkComputeType},
	{"node groups", checkNodeGroups},
	{"fargate", checkFargate},
	{"fargate network", checkFargateNetwork},
	{"namespaces", checkNamespaces},
	{"registration", checkRegistration},
}

var (
	// EKS CreateCluster: 1-100 characters, starting with a letter or digit.
	clusterNameRe = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	// IAM CreateRole / AssumeRole: ExternalId is 2-1224 characters of [\w+=,.@:/-].
	externalIDRe = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	// IAM role names: 1-64 characters of [\w+=,.@-]; paths: / or /.../ of printable ASCII, <= 512.
	roleNameRe  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	rolePathRe  = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
	roleArnRe   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/([\x21-\x7E]*/)?[\w+=,.@-]{1,64}$`)
	policyArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$`)
)

func checkClusterName(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.clusterName == nil {
		p.add("clusterName", "is required")
		return
	}
	if v, ok := knownString(c.clusterName); ok && !clusterNameRe.MatchString(v) {
		p.add("clusterName", "%q is not an EKS cluster name (1-100 letters, digits, - and _, starting with a letter or digit)", v)
	}
}

func checkConcurrentAccount(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.concurrentAccountId == nil {
		p.add("concurrentAccountId", "is required (the 12-digit AWS account where the Concurrent service runs)")
		return
	}
	if v, ok := knownString(c.concurrentAccountId); ok && !inputs.IsAccountID(v) {
		p.add("concurrentAccountId", "%q is not a 12-digit AWS account id", v)
	}
}

func checkExternalID(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.externalId == nil {
		if c.roleArn != nil {
			p.add("externalId", "is required with roleArn: give the external ID the existing role's trust policy expects")
		}
		return
	}
	if v, ok := knownString(c.externalId); ok {
		if err := checkExternalIDValue(v); err != nil {
			*p = append(*p, err)
		}
	}
}

// checkExternalIDValue also runs inside the trust policy's apply, for an external ID that
// arrives as a secret (secrets are never known at construct time). The value is secret:
// never echo it.
func checkExternalIDValue(v string) error {
	if len(v) < 2 || len(v) > 1224 || !externalIDRe.MatchString(v) {
		return fmt.Errorf("externalId: must be 2 to 1224 characters of letters, digits and +=,.@:/-_ (got %d characters)", len(v))
	}
	return nil
}

// checkAccountIDValue is the account rule for a value not known at construct time.
func checkAccountIDValue(v string) error {
	if !inputs.IsAccountID(v) {
		return fmt.Errorf("concurrentAccountId: %q is not a 12-digit AWS account id", v)
	}
	return nil
}

func checkRole(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.roleArn != nil {
		if raw.RoleName != nil {
			p.add("roleName", "cannot be set with roleArn: no role is created when one is brought")
		}
		if raw.RolePath != nil {
			p.add("rolePath", "cannot be set with roleArn: no role is created when one is brought")
		}
		if c.permissionsBoundaryArn != nil {
			p.add("permissionsBoundaryArn", "cannot be set with roleArn: no role is created when one is brought")
		}
		if v, ok := knownString(c.roleArn); ok && !roleArnRe.MatchString(v) {
			p.add("roleArn", "%q is not an IAM role ARN (arn:<partition>:iam::<account>:role/<path><name>)", v)
		}
	}
	if raw.RoleName != nil && !roleNameRe.MatchString(*raw.RoleName) {
		p.add("roleName", "%q is not an IAM role name (1-64 letters, digits and +=,.@-_)", *raw.RoleName)
	}
	if !rolePathRe.MatchString(c.rolePath) || len(c.rolePath) > 512 {
		p.add("rolePath", "%q is not an IAM path (`/`, or `/` + printable ASCII + `/`, at most 512 characters)", c.rolePath)
	}
	if v, ok := knownString(c.permissionsBoundaryArn); ok && !policyArnRe.MatchString(v) {
		p.add("permissionsBoundaryArn", "%q is not an IAM policy ARN", v)
	}
}

// AWS tag limits: 50 tags, keys 1-128 characters not starting with aws:, values <= 256.
func checkTags(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	m, ok := c.tags.(pulumi.StringMap)
	if !ok {
		return
	}
	if len(m) > 50 {
		p.add("tags", "has %d tags; AWS allows at most 50", len(m))
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if len(k) == 0 || len(k) > 128 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			p.add("tags", "key %q must be 1-128 characters and not start with aws:", k)
		}
		if v, ok := knownString(m[k]); ok && len(v) > 256 {
			p.add("tags."+k, "value is %d characters; AWS allows at most 256", len(v))
		}
	}
}

// Access entries reject usernames with these prefixes (EKS CreateAccessEntry).
var reservedUsernamePrefixes = []string{"system:", "eks:", "aws:", "amazon:", "iam:"}

func checkAccess(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	a := c.access
	switch a.mode {
	case AccessAuto, AccessConfigMap, AccessAccessEntry:
	default:
		p.add("access.mode", "%q is not one of auto, configMap, accessEntry", a.mode)
	}
	if a.username == "" {
		p.add("access.username", "must not be empty")
	}
	if a.mode == AccessAccessEntry {
		checkAccessEntryUsername(a.username, p)
		if raw.Access != nil && raw.Access.Groups != nil {
			p.add("access.groups", "is used only with configMap mode; an access entry gets cluster-admin from AmazonEKSClusterAdminPolicy")
		}
	}
	for i, g := range a.groups {
		if g == "" {
			p.add(fmt.Sprintf("access.groups[%d]", i), "must not be empty")
		}
	}
	if len(a.groups) == 0 {
		p.add("access.groups", "must name at least one group (default [\"system:masters\"])")
	}
}

// checkAccessEntryUsername runs again once `auto` has resolved to accessEntry.
func checkAccessEntryUsername(username string, p *problems) {
	for _, prefix := range reservedUsernamePrefixes {
		if strings.HasPrefix(username, prefix) {
			p.add("access.username", "%q: EKS access entries reject usernames starting with %q", username, prefix)
		}
	}
}

func checkComputeType(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	switch c.computeType {
	case ComputeNodeGroups, ComputeFargate, ComputeNone:
	default:
		p.add("computeType", "%q is not one of nodeGroups, fargate, none", c.computeType)
		return
	}
	if raw.NodeGroups != nil && c.computeType != ComputeNodeGroups {
		p.add("nodeGroups", "is set but computeType is %q: set computeType to nodeGroups or remove nodeGroups", c.computeType)
	}
	if raw.Fargate != nil && c.computeType != ComputeFargate {
		p.add("fargate", "is set but computeType is %q: set computeType to fargate or remove fargate", c.computeType)
	}
}

const (
	// The bootstrap pod requests 3 vCPU and 7000M (6.5 GiB) of memory (concurrent-facts.md
	// section 3); with kube-reserved and the DaemonSets, a node needs 4 vCPU and 8 GiB.
	minSystemVCPU      = 4
	minSystemMemoryGiB = 8
	// 100Gi of ephemeral storage for the bootstrap pod, plus the OS, container images and the
	// kubelet's 10% eviction reserve: 0.9*125 - 1 (kube-reserved) - ~10 (images) ~ 101.
	minSystemDiskSize = 125
	minDiskSize       = 20
)

func checkNodeGroups(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.computeType != ComputeNodeGroups {
		return
	}
	checkSubnetList("nodeGroups.subnetIds", c.nodeGroups.subnetIds, p)
	if v, ok := knownString(c.nodeGroups.nodeRoleArn); ok && !roleArnRe.MatchString(v) {
		p.add("nodeGroups.nodeRoleArn", "%q is not an IAM role ARN", v)
	}
	for _, g := range c.nodeGroups.groups {
		checkNodeGroup("nodeGroups."+g.role, g, p)
	}
}

// checkNodeGroup applies EKS's node group limits, and for the system group the size
// Concurrent's bootstrap pod needs.
func checkNodeGroup(path string, g nodeGroupConfig, p *problems) {
	switch {
	case g.minSize < 0:
		p.add(path+".minSize", "must be >= 0 (got %d)", g.minSize)
	case g.minSize > g.desiredSize:
		p.add(path+".minSize", "must be <= desiredSize (%d > %d)", g.minSize, g.desiredSize)
	}
	if g.desiredSize > g.maxSize {
		p.add(path+".desiredSize", "must be <= maxSize (%d > %d)", g.desiredSize, g.maxSize)
	}
	if g.maxSize < 1 {
		p.add(path+".maxSize", "must be >= 1 (got %d)", g.maxSize)
	}
	if n := len(g.instanceTypes); n < 1 || n > 20 {
		p.add(path+".instanceTypes", "must list 1 to 20 instance types (got %d)", n)
	}
	for i, t := range g.instanceTypes {
		if g.role == RoleSystem {
			if spec, ok := lookupInstanceType(t); ok && (spec.vcpu < minSystemVCPU || spec.memoryGiB < minSystemMemoryGiB) {
				p.add(fmt.Sprintf("%s.instanceTypes[%d]", path, i),
					"%s has %d vCPU and %g GiB: too small for Concurrent's bootstrap pod, which requests 3 vCPU, "+
						"7000M memory and 100Gi ephemeral storage and would stay Pending (use 4 vCPU / 8 GiB or more, e.g. m5.xlarge)",
					t, spec.vcpu, spec.memoryGiB)
			}
		}
	}
	switch g.capacityType {
	case "SPOT", "ON_DEMAND":
	default:
		p.add(path+".capacityType", "%q is not one of SPOT, ON_DEMAND", g.capacityType)
	}
	if g.diskSize < minDiskSize {
		p.add(path+".diskSize", "must be >= %d GiB (got %d)", minDiskSize, g.diskSize)
	} else if g.role == RoleSystem && g.diskSize < minSystemDiskSize {
		p.add(path+".diskSize", "must be >= %d GiB (got %d): the bootstrap pod requests 100Gi of ephemeral storage, "+
			"and the OS, images and the kubelet's eviction reserve need the rest", minSystemDiskSize, g.diskSize)
	}
	if !slices.Contains(amiTypes, g.amiType) {
		p.add(path+".amiType", "%q is not a Linux EKS AMI type (%s)", g.amiType, strings.Join(amiTypes, ", "))
	}
	checkLabels(path+".labels", g.labels, p, nodeLabelKey)
	checkSubnetList(path+".subnetIds", g.subnetIds, p)
}

// Linux EKS-optimized AMI types a managed node group accepts without a launch template.
// (CUSTOM needs a launch template, which would make EKS ignore diskSize; Windows cannot
// run Concurrent's pods.)
var amiTypes = []string{
	"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA",
	"AL2023_x86_64_NEURON", "AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64",
	"BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA",
	"BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_ARM_64_FIPS",
}

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
	if c.fargate.maxProfiles < 2 {
		p.add("fargate.maxProfiles", "must be >= 2: Concurrent needs a system and a worker profile (got %d)", c.fargate.maxProfiles)
	} else if need := 2 * fargateProfilesPerRole(len(c.namespaces)); need > c.fargate.maxProfiles {
		p.add("namespaces", "%d namespaces need %d Fargate profiles (a system and a worker profile per %d namespaces: "+
			"a profile holds %d selectors), but fargate.maxProfiles is %d. EKS allows 10 profiles per cluster by default; "+
			"use fewer namespaces, or raise the quota with AWS and then fargate.maxProfiles",
			len(c.namespaces), need, selectorsPerProfile, selectorsPerProfile, c.fargate.maxProfiles)
	}
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
	if len(n.subnetCidrs) != 3 {
		p.add("fargate.network.subnetCidrs", "must list exactly 3 CIDR blocks, one per availability zone (got %d)", len(n.subnetCidrs))
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

func checkNamespaces(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if len(c.namespaces) == 0 {
		p.add("namespaces", "must list at least one namespace (omit it for [{name: concurrent}])")
	}
	seen := map[string]int{}
	for i, ns := range c.namespaces {
		path := fmt.Sprintf("namespaces[%d]", i)
		*p = append(*p, inputs.NamespaceNameErrors(path+".name", ns.name)...)
		if j, dup := seen[ns.name]; dup {
			p.add(path+".name", "%q is listed twice (also namespaces[%d])", ns.name, j)
		}
		seen[ns.name] = i
		checkLabels(path+".labels", ns.labels, p, "")
	}
}

func checkRegistration(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	switch c.ecrType {
	case "private", "public":
	default:
		p.add("ecrType", "%q is not one of private, public", c.ecrType)
	}
	if c.ecrRegion != "" && !inputs.IsRegion(c.ecrRegion) {
		p.add("ecrRegion", "%q is not an AWS region", c.ecrRegion)
	} else if c.ecrType == EcrPublic && c.ecrRegion != ecrPublicRegion {
		p.add("ecrRegion", "must be %s with ecrType public, the only region of ECR Public's API (got %q)", ecrPublicRegion, c.ecrRegion)
	}
}
