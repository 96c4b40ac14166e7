package setup

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The static rules of the managed node groups (runbook step 3, option 1): EKS's limits, the
// size Concurrent's bootstrap pod needs, and an AMI of the instance types' architecture.

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
	} else {
		checkArchitecture(path, g, p)
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

// Architectures of AMI types and instance types.
const (
	archArm64 = "arm64"
	archX86   = "x86_64"
)

// amiArch is the architecture of an EKS AMI type: the ARM_64 ones are arm64.
func amiArch(amiType string) string {
	if strings.Contains(amiType, "ARM_64") {
		return archArm64
	}
	return archX86
}

// Graviton (arm64) families: a1, and those whose generation digit is followed by `g`
// (c6g, m7gd, t4g, x2gd, im4gn, is4gen, g5g); g4dn, inf2 or p5 are not (EC2 instance
// type naming).
var gravitonFamilyRe = regexp.MustCompile(`^(a1|[a-z]+[0-9]+g[a-z]*)$`)

func instanceArch(instanceType string) string {
	family, _, _ := strings.Cut(instanceType, ".")
	if gravitonFamilyRe.MatchString(family) {
		return archArm64
	}
	return archX86
}

// checkArchitecture: EKS rejects a node group whose instance types are not all of the AMI
// type's architecture (CreateNodegroup: "instance types ... not supported for AMI type").
func checkArchitecture(path string, g nodeGroupConfig, p *problems) {
	ami := amiArch(g.amiType)
	for i, t := range g.instanceTypes {
		switch arch := instanceArch(t); {
		case arch == ami:
		case ami == archArm64:
			p.add(path+".amiType", "%s is an Arm (arm64) AMI type, but instanceTypes[%d] %s is x86_64, and EKS rejects "+
				"the group: use Graviton instance types (e.g. m7g.xlarge), or an x86_64 AMI type", g.amiType, i, t)
		default:
			p.add(fmt.Sprintf("%s.instanceTypes[%d]", path, i), "%s is a Graviton (arm64) type, but amiType %s is x86_64, "+
				"and EKS rejects the group: set amiType to an ARM_64 type (e.g. AL2023_ARM_64_STANDARD), or use x86_64 types",
				t, g.amiType)
		}
	}
}

// firstNoAL2Version: EKS publishes no Amazon Linux 2 AMIs for Kubernetes 1.33 and later
// (EKS user guide, "Amazon Linux 2 end of support"); a group of an AL2_ type fails there.
const firstNoAL2Version = 33

// amiVersionError rejects an AL2_ AMI type on a cluster version that has no AL2 AMIs. It
// runs as a cluster rule, and in the node group's version apply for a cluster built in the
// same program.
func amiVersionError(path, amiType, clusterName, version string) error {
	minor, ok := kubernetesMinor(version)
	if !strings.HasPrefix(amiType, "AL2_") || !ok || minor < firstNoAL2Version {
		return nil
	}
	return fmt.Errorf("%s.amiType: %s: EKS has no Amazon Linux 2 AMIs for Kubernetes 1.%d and later, and cluster %s "+
		"runs %s: use the AL2023 or Bottlerocket type of the same architecture (e.g. %s)", path, amiType,
		firstNoAL2Version, clusterName, version, map[string]string{archArm64: "AL2023_ARM_64_STANDARD",
			archX86: "AL2023_x86_64_STANDARD"}[amiArch(amiType)])
}

// kubernetesMinor is the minor version of "1.<minor>".
func kubernetesMinor(version string) (int, bool) {
	minor, ok := strings.CutPrefix(version, "1.")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(minor)
	return n, err == nil
}
