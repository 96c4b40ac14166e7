package setup

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// config is ConcurrentEksSetupArgs with every default applied (design section 2: infer
// documents defaults for components but does not apply them). Steps read only this and the
// clusterFacts; withClusterDefaults fills in the defaults that come from the cluster.
type config struct {
	name                   string // the component's: the Fargate profiles' names derive from it
	clusterName            pulumi.StringInput
	concurrentAccountId    pulumi.StringInput
	externalId             pulumi.StringInput // nil = generated once, kept in state
	roleArn                pulumi.StringInput // nil = the role is created
	roleName               string             // "" = auto-named
	rolePath               string
	ecrResources           pulumi.StringArrayInput // nil until withClusterDefaults: the profile's default
	enableSes              bool
	permissionsBoundaryArn pulumi.StringInput
	tags                   pulumi.StringMapInput
	access                 accessConfig
	kubeconfig             pulumi.StringInput // nil = built from the cluster
	kubeconfigAuth         kubeconfigAuthConfig
	allowPrivateEndpoint   bool
	adoptExisting          bool
	computeType            ComputeType
	nodeGroups             nodeGroupsConfig
	fargate                fargateConfig
	namespaces             []namespaceConfig
	ecrType                EcrType
	ecrRegion              string // "" until withClusterDefaults: the cluster's region
	permissions            Permissions
	sesIdentityArns        pulumi.StringArrayInput
}

type accessConfig struct {
	mode     AccessMode
	username string
	groups   []string
}

// kubeconfigAuth is passed on to `aws eks get-token` in the built kubeconfig ("" = unset):
// kubeconfigAuth when given, else what the AWS provider reads from the stack config.
type kubeconfigAuthConfig struct {
	roleArn pulumi.StringInput
	profile pulumi.StringInput
	// fromStack: taken from the stack config; what it held that get-token cannot take.
	fromStack       bool
	stackExternalID bool
	stackStaticKeys bool
	stackErr        error
}

type nodeGroupsConfig struct {
	groups      []nodeGroupConfig       // enabled groups, in runbook order
	subnetIds   pulumi.StringArrayInput // nodeGroups.subnetIds; nil = the cluster's
	nodeRoleArn pulumi.StringInput      // nil = a node role is created
}

// nodeGroupConfig is one managed node group with defaults applied.
type nodeGroupConfig struct {
	role          string // system, worker or deployment: the taint and label value
	instanceTypes []string
	capacityType  CapacityType
	diskSize      int
	desiredSize   int
	minSize       int
	maxSize       int
	amiType       string
	labels        pulumi.StringMapInput
	// The group's own subnets; withClusterDefaults falls back to nodeGroups.subnetIds, then
	// to the cluster's.
	subnetIds pulumi.StringArrayInput
}

type fargateConfig struct {
	subnetIds           pulumi.StringArrayInput
	network             *networkConfig
	podExecutionRoleArn pulumi.StringInput
	maxProfiles         int
	selectors           FargateSelectors
}

type networkConfig struct {
	vpcId          pulumi.StringInput
	publicSubnetId pulumi.StringInput
	subnetCidrs    []string
	natType        NatType
}

type namespaceConfig struct {
	name   string
	create bool
	labels pulumi.StringMapInput
}

// Node group roles, in the runbook's order. The role is also the taint and label value.
const (
	RoleSystem     = "system"
	RoleWorker     = "worker"
	RoleDeployment = "deployment"
)

// Defaults (design section 2). The system group must fit the bootstrap pod, which requests
// 3 vCPU / 7000M / 100Gi ephemeral storage (concurrent-facts.md section 3): 4 vCPU / 16 GiB
// types. Worker and deployment keep the runbook's 8 vCPU size on current generations.
var (
	defaultInstanceTypes = map[string][]string{
		RoleSystem:     {"m5.xlarge", "m5a.xlarge", "m6i.xlarge", "m6a.xlarge"},
		RoleWorker:     {"c5.2xlarge", "c5a.2xlarge", "c6i.2xlarge", "c6a.2xlarge"},
		RoleDeployment: {"c5.2xlarge", "c5a.2xlarge", "c6i.2xlarge", "c6a.2xlarge"},
	}
	// With an Arm AMI type, the same sizes on Graviton.
	defaultArmInstanceTypes = map[string][]string{
		RoleSystem:     {"m6g.xlarge", "m7g.xlarge"},
		RoleWorker:     {"c6g.2xlarge", "c7g.2xlarge"},
		RoleDeployment: {"c6g.2xlarge", "c7g.2xlarge"},
	}
	defaultNamespace = "concurrent"
)

const (
	defaultRolePath         = "/"
	defaultUsername         = "system-manager"
	defaultAMIType          = "AL2023_x86_64_STANDARD"
	defaultDiskSize         = 200
	defaultDesiredSize      = 1
	defaultMinSize          = 0
	defaultMaxSize          = 1
	defaultMaxProfiles      = 10 // the EKS quota of Fargate profiles per cluster
	defaultFargateSelectors = FargateSelectorsWildcard
	defaultCapacityType     = CapacityType("SPOT")
)

var defaultGroups = []string{"system:masters"}

// IAM defaults (design section 4, docs/permissions.md).
const (
	defaultPermissions = PermissionsMinimal
	// Concurrent names every repository it creates `mlflow/...` (bootstrap.sh:339 and :440,
	// deploymodel/bootstrap.sh:204 in concurrent-ai/concurrent).
	defaultEcrRepositories = "mlflow/*"
	// ECR Public's API exists only in us-east-1 (ECR Public user guide, endpoints).
	ecrPublicRegion = "us-east-1"
)

var defaultSesIdentityArns = pulumi.StringArray{pulumi.String("*")}

// ecrResourcesDefault scopes the repository actions when ecrResources is not given: for
// `minimal`, Concurrent's `mlflow/` repositories in the registry it pushes to (this
// account, ecrRegion); for `runbook`, the runbook's `*`.
func ecrResourcesDefault(c *config, cl *cluster) pulumi.StringArray {
	if c.permissions == PermissionsRunbook {
		return pulumi.StringArray{pulumi.String("*")}
	}
	return pulumi.StringArray{pulumi.String(ecrRepositoryArn(cl.partition, c.ecrType, c.ecrRegion, cl.accountId, defaultEcrRepositories))}
}

// withDefaults resolves the inputs and the stack's AWS config; validate then checks the result.
func withDefaults(a *ConcurrentEksSetupArgs, stack stackAWSConfig) config {
	c := config{
		clusterName:            a.ClusterName,
		concurrentAccountId:    a.ConcurrentAccountId,
		externalId:             a.ExternalId,
		roleArn:                a.RoleArn,
		roleName:               inputs.Deref(a.RoleName, ""),
		rolePath:               inputs.Deref(a.RolePath, defaultRolePath),
		ecrResources:           a.EcrResources,
		enableSes:              inputs.Deref(a.EnableSes, true),
		permissionsBoundaryArn: a.PermissionsBoundaryArn,
		tags:                   a.Tags,
		access:                 accessDefaults(a.Access),
		kubeconfig:             a.Kubeconfig,
		kubeconfigAuth:         kubeconfigAuthDefaults(a.KubeconfigAuth, stack),
		allowPrivateEndpoint:   inputs.Deref(a.AllowPrivateEndpoint, false),
		adoptExisting:          inputs.Deref(a.AdoptExisting, false),
		computeType:            inputs.Deref(a.ComputeType, ComputeNodeGroups),
		fargate:                fargateDefaults(a.Fargate),
		namespaces:             namespaceDefaults(a.Namespaces),
		ecrType:                inputs.Deref(a.EcrType, EcrPrivate),
		ecrRegion:              inputs.Deref(a.EcrRegion, ""),
		permissions:            inputs.Deref(a.Permissions, defaultPermissions),
		sesIdentityArns:        a.SesIdentityArns,
	}
	if c.ecrType == EcrPublic && a.EcrRegion == nil {
		c.ecrRegion = ecrPublicRegion
	}
	if c.sesIdentityArns == nil {
		c.sesIdentityArns = defaultSesIdentityArns
	}
	if c.computeType == ComputeNodeGroups {
		c.nodeGroups = nodeGroupsDefaults(a.NodeGroups)
	}
	return c
}

// withClusterDefaults applies the defaults that come from the cluster, once it is looked up:
// node groups go into the cluster's private subnets (subnets.go).
func (c *config) withClusterDefaults(f *clusterFacts) {
	if c.ecrRegion == "" {
		c.ecrRegion = f.cluster.region
	}
	if c.ecrResources == nil {
		c.ecrResources = ecrResourcesDefault(c, f.cluster) // after ecrRegion: it names the region
	}
	for i := range c.nodeGroups.groups {
		g := &c.nodeGroups.groups[i]
		if g.subnetIds == nil {
			g.subnetIds = c.nodeGroups.subnetIds
		}
		if g.subnetIds == nil {
			g.subnetIds = f.privateSubnetIds
		}
	}
}

// usesClusterSubnets reports whether a group is left to the cluster's private subnets.
func (c *config) usesClusterSubnets() bool {
	for _, g := range c.nodeGroups.groups {
		if g.subnetIds == nil && c.nodeGroups.subnetIds == nil {
			return true
		}
	}
	return false
}

func accessDefaults(a *AccessArgs) accessConfig {
	if a == nil {
		return accessConfig{mode: AccessAuto, username: defaultUsername, groups: defaultGroups}
	}
	c := accessConfig{
		mode:     inputs.Deref(a.Mode, AccessAuto),
		username: inputs.Deref(a.Username, defaultUsername),
		groups:   a.Groups,
	}
	if c.groups == nil {
		c.groups = defaultGroups
	}
	return c
}

func kubeconfigAuthDefaults(a *KubeconfigAuthArgs, stack stackAWSConfig) kubeconfigAuthConfig {
	if a == nil {
		return kubeconfigAuthConfig{
			roleArn: pulumi.String(stack.roleArn), profile: pulumi.String(stack.profile), fromStack: true,
			stackExternalID: stack.externalID, stackStaticKeys: stack.staticKeys, stackErr: stack.err,
		}
	}
	c := kubeconfigAuthConfig{roleArn: pulumi.String(""), profile: pulumi.String("")}
	if a.RoleArn != nil {
		c.roleArn = a.RoleArn
	}
	if a.Profile != nil {
		c.profile = a.Profile
	}
	return c
}

// nodeGroupsDefaults lists the enabled groups in runbook order: system and worker unless
// disabled, deployment only when enabled.
func nodeGroupsDefaults(ng *NodeGroupsArgs) nodeGroupsConfig {
	if ng == nil {
		ng = &NodeGroupsArgs{}
	}
	c := nodeGroupsConfig{subnetIds: ng.SubnetIds, nodeRoleArn: ng.NodeRoleArn}
	for _, g := range []struct {
		role    string
		args    *NodeGroupArgs
		enabled bool
	}{{RoleSystem, ng.System, true}, {RoleWorker, ng.Worker, true}, {RoleDeployment, ng.Deployment, false}} {
		if g.args == nil {
			g.args = &NodeGroupArgs{}
		}
		if inputs.Deref(g.args.Enabled, g.enabled) {
			c.groups = append(c.groups, nodeGroupDefaults(g.role, g.args))
		}
	}
	return c
}

func fargateDefaults(f *FargateArgs) fargateConfig {
	c := fargateConfig{maxProfiles: defaultMaxProfiles, selectors: defaultFargateSelectors}
	if f == nil {
		return c
	}
	c.selectors = inputs.Deref(f.Selectors, defaultFargateSelectors)
	c.subnetIds = f.SubnetIds
	c.podExecutionRoleArn = f.PodExecutionRoleArn
	c.maxProfiles = inputs.Deref(f.MaxProfiles, defaultMaxProfiles)
	if n := f.Network; n != nil {
		c.network = &networkConfig{
			vpcId:          n.VpcId,
			publicSubnetId: n.PublicSubnetId,
			subnetCidrs:    n.SubnetCidrs,
			natType:        inputs.Deref(n.NatType, NatGateway),
		}
	}
	return c
}

func namespaceDefaults(list []NamespaceArgs) []namespaceConfig {
	if list == nil {
		return []namespaceConfig{{name: defaultNamespace, create: true}}
	}
	out := make([]namespaceConfig, 0, len(list))
	for _, ns := range list {
		out = append(out, namespaceConfig{name: ns.Name, create: inputs.Deref(ns.Create, true), labels: ns.Labels})
	}
	return out
}

func nodeGroupDefaults(role string, g *NodeGroupArgs) nodeGroupConfig {
	amiType := inputs.Deref(g.AmiType, defaultAMIType)
	types := g.InstanceTypes
	if types == nil {
		types = defaultInstanceTypes[role]
		if amiArch(amiType) == archArm64 {
			types = defaultArmInstanceTypes[role]
		}
	}
	return nodeGroupConfig{
		role:          role,
		instanceTypes: types,
		capacityType:  inputs.Deref(g.CapacityType, defaultCapacityType),
		diskSize:      inputs.Deref(g.DiskSize, defaultDiskSize),
		desiredSize:   inputs.Deref(g.DesiredSize, defaultDesiredSize),
		minSize:       inputs.Deref(g.MinSize, defaultMinSize),
		maxSize:       inputs.Deref(g.MaxSize, defaultMaxSize),
		amiType:       amiType,
		labels:        g.Labels,
		subnetIds:     g.SubnetIds,
	}
}
