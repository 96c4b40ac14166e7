package setup

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Plain vs Input (design section 2): a plain field cannot take a secret or a value computed
// by another resource, and an unknown plain value arrives empty. So values that may come from
// elsewhere (names, ARNs, ids, tags, labels, secrets) are Inputs; what decides WHICH children
// exist (compute type, access mode, enabled flags, namespace names, sizes, CIDRs) is plain.

// ConcurrentEksSetupArgs are the inputs of ConcurrentEksSetup. Defaults are documented in
// Annotate and applied in Go by withDefaults: infer does not apply them to components.
type ConcurrentEksSetupArgs struct {
	ClusterName            pulumi.StringInput      `pulumi:"clusterName"`
	ConcurrentAccountId    pulumi.StringInput      `pulumi:"concurrentAccountId"`
	ExternalId             pulumi.StringInput      `pulumi:"externalId,optional" provider:"secret"`
	RoleName               *string                 `pulumi:"roleName,optional"`
	RolePath               *string                 `pulumi:"rolePath,optional"`
	RoleArn                pulumi.StringInput      `pulumi:"roleArn,optional"`
	Permissions            *Permissions            `pulumi:"permissions,optional"`
	EcrResources           pulumi.StringArrayInput `pulumi:"ecrResources,optional"`
	EnableSes              *bool                   `pulumi:"enableSes,optional"`
	SesIdentityArns        pulumi.StringArrayInput `pulumi:"sesIdentityArns,optional"`
	PermissionsBoundaryArn pulumi.StringInput      `pulumi:"permissionsBoundaryArn,optional"`
	Tags                   pulumi.StringMapInput   `pulumi:"tags,optional"`
	Access                 *AccessArgs             `pulumi:"access,optional"`
	Kubeconfig             pulumi.StringInput      `pulumi:"kubeconfig,optional" provider:"secret"`
	KubeconfigAuth         *KubeconfigAuthArgs     `pulumi:"kubeconfigAuth,optional"`
	AllowPrivateEndpoint   *bool                   `pulumi:"allowPrivateEndpoint,optional"`
	AdoptExisting          *bool                   `pulumi:"adoptExisting,optional"`
	ComputeType            *ComputeType            `pulumi:"computeType,optional"`
	NodeGroups             *NodeGroupsArgs         `pulumi:"nodeGroups,optional"`
	Fargate                *FargateArgs            `pulumi:"fargate,optional"`
	Namespaces             []NamespaceArgs         `pulumi:"namespaces,optional"`
	EcrType                *EcrType                `pulumi:"ecrType,optional"`
	EcrRegion              *string                 `pulumi:"ecrRegion,optional"`
}

func (a *ConcurrentEksSetupArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.ClusterName, "Name of the existing EKS cluster to make ready for Concurrent for MLflow. "+
		"It may be an output of a cluster built in the same program; then `access.mode` must be explicit.")
	an.Describe(&a.ConcurrentAccountId, "The 12-digit AWS account where the Concurrent for MLflow service runs. "+
		"The role trusts `arn:<partition>:iam::<concurrentAccountId>:root`.")
	an.Describe(&a.ExternalId, "The `sts:ExternalId` Concurrent must present when it assumes the role. "+
		"Default: 32 random letters and digits, generated once and kept in state. Required when `roleArn` is given. Secret.")
	an.Describe(&a.RoleName, "Name of the IAM role to create (1-64 characters of `[\\w+=,.@-]`). Default: auto-named from the component's name.")
	an.Describe(&a.RolePath, "IAM path of the role to create. Default: `/`.")
	an.Describe(&a.RoleArn, "Bring an existing role (e.g. made by the runbook's CloudFormation template) instead of "+
		"creating one. `externalId` is then required and must be the role's external ID.")
	an.Describe(&a.Permissions, "The role's permission policy: `minimal`, only the actions Concurrent's code calls, each on "+
		"the narrowest resource that works, or `runbook`, the runbook's manual policy (`ecr:*`, `eks:*` on this cluster). "+
		"docs/permissions.md names the Concurrent call behind every action. Default: `minimal`.")
	an.Describe(&a.EcrResources, "Resources of the repository-level ECR actions (with `runbook`: of its `ecr:*` statement), "+
		"e.g. repository ARNs by prefix. The login (`ecr:GetAuthorizationToken`, no resource type) and `describe-repositories` "+
		"(checked against `repository/*`) are granted apart. Default: with `minimal`, the `mlflow/` repositories of the "+
		"registry Concurrent pushes to (`arn:<partition>:ecr:<ecrRegion>:<account>:repository/mlflow/*`, or "+
		"`arn:<partition>:ecr-public::<account>:repository/mlflow/*` with `ecrType: public`); with `runbook`, `[\"*\"]`.")
	an.Describe(&a.EnableSes, "Grant `ses:SendEmail` and `ses:SendRawEmail`, which Concurrent uses for alert e-mails. Default: true.")
	an.Describe(&a.SesIdentityArns, "Resources of the SES send statement (SES identity ARNs), with `enableSes`. Default: `[\"*\"]`.")
	an.Describe(&a.PermissionsBoundaryArn, "Permissions boundary set on every IAM role this component creates.")
	an.Describe(&a.Tags, "Tags applied to every AWS resource this component creates.")
	an.Describe(&a.Access, "How the Concurrent role gets cluster-admin (runbook step 2). Default: `{mode: auto}`.")
	an.Describe(&a.Kubeconfig, "Kubeconfig used for the Kubernetes parts (namespaces, aws-auth). Default: built from "+
		"the cluster's endpoint and CA with `aws eks get-token` (see `kubeconfigAuth`). Without it, a `kubernetes` "+
		"provider passed with the `providers` resource option is used for the namespaces (aws-auth still uses "+
		"the built kubeconfig). Secret.")
	an.Describe(&a.KubeconfigAuth, "Credentials passed to `aws eks get-token` in the kubeconfig built when `kubeconfig` is not given. "+
		"Default: the stack config's `aws:profile` and `aws:assumeRole` role ARN, as the AWS provider uses them. "+
		"With an explicit `aws` provider, pass its profile and role here.")
	an.Describe(&a.AllowPrivateEndpoint, "Accept a cluster whose API endpoint is not public. Concurrent connects to the endpoint "+
		"from its own AWS account: set this only once you have arranged how it reaches a private endpoint. Default: false.")
	an.Describe(&a.AdoptExisting, "Adopt what a manual setup left behind instead of failing on it: Kubernetes objects "+
		"(the Kubernetes provider's upsert) and, with `roleArn` and access entries, the role's existing EKS access entry "+
		"(imported with its live values; without adoptExisting the setup stops and prints the `pulumi import` command). "+
		"Adopted objects and the adopted access entry are retained, not deleted, when this component is deleted. Default: false.")
	an.Describe(&a.ComputeType, "Runbook step 3: managed node groups, Fargate profiles, or no compute. Default: `nodeGroups`.")
	an.Describe(&a.NodeGroups, "The `system`, `worker` and optional `deployment` managed node groups (with `computeType: nodeGroups`).")
	an.Describe(&a.Fargate, "Fargate profiles and their network (with `computeType: fargate`).")
	an.Describe(&a.Namespaces, "Namespaces prepared for Concurrent, each with its service accounts and RBAC. "+
		"Default: `[{name: concurrent}]`.")
	an.Describe(&a.EcrType, "The registry Concurrent pushes images to, reported in the registrations; `public` grants "+
		"the `ecr-public:` actions instead of the `ecr:` ones. Default: `private`.")
	an.Describe(&a.EcrRegion, "ECR region, reported in the registrations and used in the ECR grants. Default: the cluster's "+
		"region; with `ecrType: public`, `us-east-1`, the only region of ECR Public's API (any other value is an error).")
}

// ComputeType selects runbook step 3's option.
type ComputeType string

const (
	ComputeNodeGroups ComputeType = "nodeGroups"
	ComputeFargate    ComputeType = "fargate"
	ComputeNone       ComputeType = "none"
)

func (ComputeType) Values() []infer.EnumValue[ComputeType] {
	return []infer.EnumValue[ComputeType]{
		{Name: "NodeGroups", Value: ComputeNodeGroups, Description: "Managed node groups system, worker and optionally deployment."},
		{Name: "Fargate", Value: ComputeFargate, Description: "Fargate profiles named from the component (see fargate.selectors)."},
		{Name: "None", Value: ComputeNone, Description: "No compute: the cluster already has what Concurrent needs."},
	}
}

// EcrType is the kind of registry Concurrent pushes images to.
type EcrType string

const (
	EcrPrivate EcrType = "private"
	EcrPublic  EcrType = "public"
)

func (EcrType) Values() []infer.EnumValue[EcrType] {
	return []infer.EnumValue[EcrType]{
		{Name: "Private", Value: EcrPrivate, Description: "A private ECR registry."},
		{Name: "Public", Value: EcrPublic, Description: "ECR Public."},
	}
}

// Permissions is the profile of the permission policy the Concurrent role gets.
type Permissions string

const (
	PermissionsMinimal Permissions = "minimal"
	PermissionsRunbook Permissions = "runbook"
)

func (Permissions) Values() []infer.EnumValue[Permissions] {
	return []infer.EnumValue[Permissions]{
		{Name: "Minimal", Value: PermissionsMinimal, Description: "Only the actions Concurrent's code calls, each on the narrowest resource that works (docs/permissions.md)."},
		{Name: "Runbook", Value: PermissionsRunbook, Description: "The runbook's manual policy: ecr:*, eks:* on this cluster, sts:GetServiceBearerToken, SES send."},
	}
}

// AccessMode is how the Concurrent role is made cluster-admin (runbook step 2).
type AccessMode string

const (
	AccessAuto        AccessMode = "auto"
	AccessConfigMap   AccessMode = "configMap"
	AccessAccessEntry AccessMode = "accessEntry"
)

func (AccessMode) Values() []infer.EnumValue[AccessMode] {
	return []infer.EnumValue[AccessMode]{
		{Name: "Auto", Value: AccessAuto, Description: "From the cluster's authenticationMode: CONFIG_MAP -> configMap, otherwise accessEntry."},
		{Name: "ConfigMap", Value: AccessConfigMap, Description: "One entry in kube-system/aws-auth mapRoles, merged without touching the others."},
		{Name: "AccessEntry", Value: AccessAccessEntry, Description: "An EKS access entry with AmazonEKSClusterAdminPolicy at cluster scope."},
	}
}

// AccessArgs configures runbook step 2.
type AccessArgs struct {
	Mode     *AccessMode `pulumi:"mode,optional"`
	Username *string     `pulumi:"username,optional"`
	Groups   []string    `pulumi:"groups,optional"`
}

func (a *AccessArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "Access")
	an.Describe(&a, "How the Concurrent role gets cluster-admin (runbook step 2).")
	an.Describe(&a.Mode, "`auto` (default), `configMap` or `accessEntry`. `auto` needs a cluster known when the program runs.")
	an.Describe(&a.Username, "Kubernetes username of the Concurrent role. Default: `system-manager`.")
	an.Describe(&a.Groups, "Kubernetes groups of the aws-auth entry (configMap mode only). Default: `[\"system:masters\"]`.")
}

// KubeconfigAuthArgs are passed to `aws eks get-token` in a built kubeconfig.
type KubeconfigAuthArgs struct {
	RoleArn pulumi.StringInput `pulumi:"roleArn,optional"`
	Profile pulumi.StringInput `pulumi:"profile,optional"`
}

func (a *KubeconfigAuthArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "KubeconfigAuth")
	an.Describe(&a, "Credentials passed to `aws eks get-token` in the kubeconfig built when `kubeconfig` is not given.")
	an.Describe(&a.RoleArn, "Role to assume for the token (`aws eks get-token --role-arn`).")
	an.Describe(&a.Profile, "AWS profile for the token (`AWS_PROFILE`).")
}

// CapacityType is the EKS node group capacity type.
type CapacityType string

func (CapacityType) Values() []infer.EnumValue[CapacityType] {
	return []infer.EnumValue[CapacityType]{
		{Name: "Spot", Value: "SPOT", Description: "Spot instances (acceptable for every Concurrent role)."},
		{Name: "OnDemand", Value: "ON_DEMAND", Description: "On-demand instances."},
	}
}

// NodeGroupsArgs configures the managed node groups of runbook step 3, option 1.
type NodeGroupsArgs struct {
	System      *NodeGroupArgs          `pulumi:"system,optional"`
	Worker      *NodeGroupArgs          `pulumi:"worker,optional"`
	Deployment  *NodeGroupArgs          `pulumi:"deployment,optional"`
	SubnetIds   pulumi.StringArrayInput `pulumi:"subnetIds,optional"`
	NodeRoleArn pulumi.StringInput      `pulumi:"nodeRoleArn,optional"`
}

func (a *NodeGroupsArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "NodeGroups")
	an.Describe(&a, "The managed node groups of runbook step 3, option 1: `system`, `worker` and optional `deployment`.")
	an.Describe(&a.System, "The `system` group, where Concurrent's bootstrap pod runs (it requests 3 vCPU, 7000M memory, 100Gi ephemeral storage).")
	an.Describe(&a.Worker, "The `worker` group, where the pipeline's DAG nodes run.")
	an.Describe(&a.Deployment, "The optional `deployment` group, for model serving. Disabled unless `enabled: true`.")
	an.Describe(&a.SubnetIds, "Subnets of every group without its own, in the cluster's VPC. Default: the cluster's private "+
		"subnets (those whose route table, or the VPC's main one, has no route to an internet gateway).")
	an.Describe(&a.NodeRoleArn, "Node IAM role for the groups. Default: one is created with AmazonEKSWorkerNodePolicy, "+
		"AmazonEKS_CNI_Policy and AmazonEC2ContainerRegistryReadOnly.")
}

// NodeGroupArgs is one managed node group. Its taint is always
// concurrent-node-type=<role>:NO_SCHEDULE and the same pair is set as a node label.
type NodeGroupArgs struct {
	Enabled       *bool                   `pulumi:"enabled,optional"`
	InstanceTypes []string                `pulumi:"instanceTypes,optional"`
	CapacityType  *CapacityType           `pulumi:"capacityType,optional"`
	DiskSize      *int                    `pulumi:"diskSize,optional"`
	DesiredSize   *int                    `pulumi:"desiredSize,optional"`
	MinSize       *int                    `pulumi:"minSize,optional"`
	MaxSize       *int                    `pulumi:"maxSize,optional"`
	AmiType       *string                 `pulumi:"amiType,optional"`
	Labels        pulumi.StringMapInput   `pulumi:"labels,optional"`
	SubnetIds     pulumi.StringArrayInput `pulumi:"subnetIds,optional"`
}

func (a *NodeGroupArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "NodeGroup")
	an.Describe(&a, "One managed node group. Its taint is always `concurrent-node-type=<role>:NO_SCHEDULE`, and the same pair is set as a node label.")
	an.Describe(&a.Enabled, "Create this group. Default: true for system and worker, false for deployment.")
	an.Describe(&a.InstanceTypes, "1 to 20 EC2 instance types. Default: current-generation types; 4 vCPU / 16 GiB for system "+
		"(m5.xlarge, m5a.xlarge, m6i.xlarge, m6a.xlarge), 8 vCPU for worker and deployment.")
	an.Describe(&a.CapacityType, "`SPOT` (default) or `ON_DEMAND`.")
	an.Describe(&a.DiskSize, "Root volume size in GiB. Default: 200 (the system group needs more than the bootstrap pod's 100Gi).")
	an.Describe(&a.DesiredSize, "Desired number of nodes at creation; later changes are left to cluster autoscalers. Default: 1.")
	an.Describe(&a.MinSize, "Minimum number of nodes. Default: 0. Raising it above the desired size the group was created "+
		"with fails on update: EKS rejects minSize > desiredSize, and desiredSize changes are ignored after creation "+
		"(autoscalers own it); raise desiredSize on the group first (e.g. `aws eks update-nodegroup-config`).")
	an.Describe(&a.MaxSize, "Maximum number of nodes (at least 1). Default: 1.")
	an.Describe(&a.AmiType, "EKS AMI type, of the instance types' architecture (an `ARM_64` type for Graviton types); "+
		"no `AL2_` type on Kubernetes 1.33 or later. Default: `AL2023_x86_64_STANDARD`. With an `ARM_64` type and no "+
		"`instanceTypes`, the default types are Graviton ones of the same size.")
	an.Describe(&a.Labels, "Extra Kubernetes node labels (the `concurrent-node-type` label is always set).")
	an.Describe(&a.SubnetIds, "Subnets of this group, in the cluster's VPC. Default: `nodeGroups.subnetIds`, else the cluster's private subnets.")
}

// FargateArgs configures runbook step 3, option 2.
type FargateArgs struct {
	SubnetIds           pulumi.StringArrayInput `pulumi:"subnetIds,optional"`
	Network             *FargateNetworkArgs     `pulumi:"network,optional"`
	PodExecutionRoleArn pulumi.StringInput      `pulumi:"podExecutionRoleArn,optional"`
	MaxProfiles         *int                    `pulumi:"maxProfiles,optional"`
	Selectors           *FargateSelectors       `pulumi:"selectors,optional"`
}

func (a *FargateArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "Fargate")
	an.Describe(&a, "Fargate profiles of runbook step 3, option 2, and the private subnets they use.")
	an.Describe(&a.SubnetIds, "Private subnets (behind NAT) for the profiles. EKS rejects public subnets. Give this or `network`.")
	an.Describe(&a.Network, "Create private subnets behind NAT in the cluster's VPC, for a VPC that has none.")
	an.Describe(&a.PodExecutionRoleArn, "Fargate pod execution role. Default: one is created with AmazonEKSFargatePodExecutionRolePolicy.")
	an.Describe(&a.MaxProfiles, "Fargate profiles this cluster may hold (the EKS quota, 10 by default): with "+
		"`selectors: perNamespace`, at most this many namespaces. Default: 10.")
	an.Describe(&a.Selectors, "How the profiles select Concurrent's pods. Profiles are immutable (a changed one is replaced and "+
		"EKS stops its pods), so adding or removing a namespace never changes an existing profile. `wildcard` (default): two "+
		"profiles, `<name>-fargate-system` and `<name>-fargate-worker`, each with one selector `{namespace: \"*\", labels: "+
		"{concurrent-node-type: system|worker}}`, whatever the namespace count. Caveats: when several profiles match a pod, "+
		"Fargate picks the first by name in alphanumeric order, so an existing catch-all profile sorting before ours takes "+
		"Concurrent's pods; and Concurrent's option to disable node pinning drops the label, so no profile matches. "+
		"`perNamespace`, for clusters whose policy forbids wildcards: one profile per namespace, `<name>-fargate-ns-<namespace>`, "+
		"selecting it for both labels; a namespace added or removed adds or removes its profile.")
}

// FargateSelectors is how the Fargate profiles select Concurrent's pods.
type FargateSelectors string

const (
	FargateSelectorsWildcard     FargateSelectors = "wildcard"
	FargateSelectorsPerNamespace FargateSelectors = "perNamespace"
)

func (FargateSelectors) Values() []infer.EnumValue[FargateSelectors] {
	return []infer.EnumValue[FargateSelectors]{
		{Name: "Wildcard", Value: FargateSelectorsWildcard, Description: "Two profiles, namespace `*` and the concurrent-node-type label."},
		{Name: "PerNamespace", Value: FargateSelectorsPerNamespace, Description: "One profile per namespace, for both labels."},
	}
}

// NatType selects how the created private subnets reach the internet.
type NatType string

const (
	NatGateway  NatType = "gateway"
	NatInstance NatType = "instance"
)

func (NatType) Values() []infer.EnumValue[NatType] {
	return []infer.EnumValue[NatType]{
		{Name: "Gateway", Value: NatGateway, Description: "A managed NAT gateway with an Elastic IP."},
		{Name: "Instance", Value: NatInstance, Description: "A small NAT instance on a current Amazon Linux AMI, no SSH."},
	}
}

// FargateNetworkArgs describes the private subnets to create for Fargate.
type FargateNetworkArgs struct {
	VpcId          pulumi.StringInput `pulumi:"vpcId"`
	PublicSubnetId pulumi.StringInput `pulumi:"publicSubnetId"`
	SubnetCidrs    []string           `pulumi:"subnetCidrs"`
	NatType        *NatType           `pulumi:"natType,optional"`
}

func (a *FargateNetworkArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "FargateNetwork")
	an.Describe(&a, "Private subnets behind NAT to create for Fargate in the cluster's VPC, one per availability zone of the cluster's subnets.")
	an.Describe(&a.VpcId, "The cluster's VPC, to add the private subnets to.")
	an.Describe(&a.PublicSubnetId, "A public subnet of that VPC (routed to an internet gateway), where the NAT lives.")
	an.Describe(&a.SubnetCidrs, "One CIDR block per availability zone of the cluster's subnets (2 or 3; the first three zones, "+
		"sorted, when there are more), inside the VPC's CIDR, disjoint.")
	an.Describe(&a.NatType, "`gateway` (default) or `instance`.")
}

// NamespaceArgs is one namespace prepared for Concurrent (runbook step 4).
type NamespaceArgs struct {
	Name   string                `pulumi:"name"`
	Create *bool                 `pulumi:"create,optional"`
	Labels pulumi.StringMapInput `pulumi:"labels,optional"`
}

func (a *NamespaceArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "Namespace")
	an.Describe(&a, "One namespace prepared for Concurrent (runbook step 4), with its service accounts and RBAC.")
	an.Describe(&a.Name, "Namespace name (a DNS-1123 label). Concurrent's object names derive from it.")
	an.Describe(&a.Create, "Create the namespace. Set false when it already exists. Default: true.")
	an.Describe(&a.Labels, "Labels on the created namespace.")
}
