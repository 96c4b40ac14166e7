package setup

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// config is ConcurrentEksSetupArgs with every default applied (design section 2: infer
// documents defaults for components but does not apply them). Steps read only this.
type config struct {
	args *ConcurrentEksSetupArgs

	roleName      string // "" = auto-named
	rolePath      string
	enableSes     bool
	access        accessConfig
	adoptExisting bool
	computeType   ComputeType
	nodeGroups    []nodeGroupConfig // enabled groups, in runbook order
	fargate       fargateConfig
	namespaces    []namespaceConfig
	ecrType       EcrType
	ecrRegion     string // "" = the cluster's region

	permissions     Permissions
	ecrResources    pulumi.StringArrayInput // nil = the profile's default, see ecrResourcesDefault
	sesIdentityArns pulumi.StringArrayInput
}

type accessConfig struct {
	mode     AccessMode
	username string
	groups   []string
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
	subnetIds     pulumi.StringArrayInput // nil = nodeGroups.subnetIds, else the cluster's
}

type fargateConfig struct {
	subnetIds           pulumi.StringArrayInput
	network             *networkConfig
	podExecutionRoleArn pulumi.StringInput
	maxProfiles         int
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
	defaultNamespace = "concurrent"
)

const (
	defaultRolePath     = "/"
	defaultUsername     = "system-manager"
	defaultAMIType      = "AL2023_x86_64_STANDARD"
	defaultDiskSize     = 200
	defaultDesiredSize  = 1
	defaultMinSize      = 0
	defaultMaxSize      = 1
	defaultMaxProfiles  = 10
	defaultCapacityType = CapacityType("SPOT")
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
func ecrResourcesDefault(c *config, cl *cluster) []string {
	if c.permissions == PermissionsRunbook {
		return []string{"*"}
	}
	return []string{ecrRepositoryArn(cl.partition, c.ecrType, c.registryRegion(cl), cl.accountId, defaultEcrRepositories)}
}

// registryRegion is ecrRegion, or the cluster's region when it is not given.
func (c *config) registryRegion(cl *cluster) string {
	if c.ecrRegion == "" {
		return cl.region
	}
	return c.ecrRegion
}

func withDefaults(a *ConcurrentEksSetupArgs) config {
	c := config{
		args:          a,
		roleName:      inputs.Deref(a.RoleName, ""),
		rolePath:      inputs.Deref(a.RolePath, defaultRolePath),
		enableSes:     inputs.Deref(a.EnableSes, true),
		adoptExisting: inputs.Deref(a.AdoptExisting, false),
		computeType:   inputs.Deref(a.ComputeType, ComputeNodeGroups),
		ecrType:       inputs.Deref(a.EcrType, EcrPrivate),
		ecrRegion:     inputs.Deref(a.EcrRegion, ""),
		access:        accessConfig{mode: AccessAuto, username: defaultUsername, groups: defaultGroups},

		permissions:     inputs.Deref(a.Permissions, defaultPermissions),
		ecrResources:    a.EcrResources,
		sesIdentityArns: a.SesIdentityArns,
	}
	if c.ecrType == EcrPublic && a.EcrRegion == nil {
		c.ecrRegion = ecrPublicRegion
	}
	if c.sesIdentityArns == nil {
		c.sesIdentityArns = defaultSesIdentityArns
	}
	if a.Access != nil {
		c.access.mode = inputs.Deref(a.Access.Mode, AccessAuto)
		c.access.username = inputs.Deref(a.Access.Username, defaultUsername)
		if a.Access.Groups != nil {
			c.access.groups = a.Access.Groups
		}
	}

	if c.computeType == ComputeNodeGroups {
		ng := a.NodeGroups
		if ng == nil {
			ng = &NodeGroupsArgs{}
		}
		for _, g := range []struct {
			role    string
			args    *NodeGroupArgs
			enabled bool
		}{{RoleSystem, ng.System, true}, {RoleWorker, ng.Worker, true}, {RoleDeployment, ng.Deployment, false}} {
			if g.args == nil {
				g.args = &NodeGroupArgs{}
			}
			if !inputs.Deref(g.args.Enabled, g.enabled) {
				continue
			}
			c.nodeGroups = append(c.nodeGroups, nodeGroupDefaults(g.role, g.args))
		}
	}

	c.fargate = fargateConfig{maxProfiles: defaultMaxProfiles}
	if f := a.Fargate; f != nil {
		c.fargate.subnetIds = f.SubnetIds
		c.fargate.podExecutionRoleArn = f.PodExecutionRoleArn
		c.fargate.maxProfiles = inputs.Deref(f.MaxProfiles, defaultMaxProfiles)
		if n := f.Network; n != nil {
			c.fargate.network = &networkConfig{
				vpcId:          n.VpcId,
				publicSubnetId: n.PublicSubnetId,
				subnetCidrs:    n.SubnetCidrs,
				natType:        inputs.Deref(n.NatType, NatGateway),
			}
		}
	}

	if a.Namespaces == nil {
		c.namespaces = []namespaceConfig{{name: defaultNamespace, create: true}}
	}
	for _, ns := range a.Namespaces {
		c.namespaces = append(c.namespaces, namespaceConfig{
			name: ns.Name, create: inputs.Deref(ns.Create, true), labels: ns.Labels,
		})
	}
	return c
}

func nodeGroupDefaults(role string, g *NodeGroupArgs) nodeGroupConfig {
	types := g.InstanceTypes
	if types == nil {
		types = defaultInstanceTypes[role]
	}
	return nodeGroupConfig{
		role:          role,
		instanceTypes: types,
		capacityType:  inputs.Deref(g.CapacityType, defaultCapacityType),
		diskSize:      inputs.Deref(g.DiskSize, defaultDiskSize),
		desiredSize:   inputs.Deref(g.DesiredSize, defaultDesiredSize),
		minSize:       inputs.Deref(g.MinSize, defaultMinSize),
		maxSize:       inputs.Deref(g.MaxSize, defaultMaxSize),
		amiType:       inputs.Deref(g.AmiType, defaultAMIType),
		labels:        g.Labels,
		subnetIds:     g.SubnetIds,
	}
}

func deref[T any](p *T, def T) T { return inputs.Deref(p, def) }
