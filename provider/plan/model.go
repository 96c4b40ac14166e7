package plan

import (
	"encoding/json"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// Plan is what one ConcurrentEksSetup would create and grant. JSON field order is fixed by
// the structs, and maps are written with sorted keys, so the document is stable.
type Plan struct {
	Component   Component       `json:"component"`
	Cluster     fakeaws.Cluster `json:"cluster"`
	AccessMode  string          `json:"accessMode"`
	Permissions string          `json:"permissions"` // the Concurrent role's policy profile
	ComputeType string          `json:"computeType"`
	// Notes and Warnings are what the component logged: the choices it made from the
	// cluster (which subnets and why) and what the user must see to.
	Notes         []string          `json:"notes"`
	Warnings      []string          `json:"warnings"`
	Resources     []Resource        `json:"resources"`
	IAMRoles      []Role            `json:"iamRoles"`
	ClusterAccess ClusterAccess     `json:"clusterAccess"`
	Compute       Compute           `json:"compute"`
	Kubernetes    KubernetesObjects `json:"kubernetes"`
	Registrations []Registration    `json:"registrations"`
	Other         []Item            `json:"otherResources"`
}

// Component names the component planned.
type Component struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Resource is one registration, with what orders it: its parent, its dependencies and
// its provider (all URNs), and the options a reviewer should see.
type Resource struct {
	Type                string   `json:"type"`
	Name                string   `json:"name"`
	URN                 string   `json:"urn"`
	Parent              string   `json:"parent,omitempty"`
	DependsOn           []string `json:"dependsOn,omitempty"`
	Provider            string   `json:"provider,omitempty"`
	IgnoreChanges       []string `json:"ignoreChanges,omitempty"`
	SecretOutputs       []string `json:"secretOutputs,omitempty"`
	DeleteBeforeReplace bool     `json:"deleteBeforeReplace,omitempty"`
	RetainOnDelete      bool     `json:"retainOnDelete,omitempty"`
	Import              string   `json:"import,omitempty"` // the id of an existing resource adopted
}

// Role is an IAM role: created (with its documents) or brought by the user.
type Role struct {
	Resource            string          `json:"resource,omitempty"`
	Purpose             string          `json:"purpose"`
	Existing            bool            `json:"existing,omitempty"`
	Name                string          `json:"name,omitempty"`
	Path                string          `json:"path,omitempty"`
	Arn                 string          `json:"arn"`
	Description         string          `json:"description,omitempty"`
	PermissionsBoundary string          `json:"permissionsBoundary,omitempty"`
	Tags                map[string]any  `json:"tags,omitempty"`
	TrustPolicy         json.RawMessage `json:"trustPolicy,omitempty"`
	InlinePolicies      []InlinePolicy  `json:"inlinePolicies,omitempty"`
	ManagedPolicies     []ManagedPolicy `json:"managedPolicies,omitempty"`
}

// InlinePolicy is an aws:iam/rolePolicy:RolePolicy.
type InlinePolicy struct {
	Resource string          `json:"resource"`
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// ManagedPolicy is an aws:iam/rolePolicyAttachment:RolePolicyAttachment.
type ManagedPolicy struct {
	Resource  string `json:"resource"`
	PolicyArn string `json:"policyArn"`
}

// ClusterAccess is runbook step 2: the aws-auth entry, or the access entry and its policy
// association.
type ClusterAccess struct {
	Mode        string   `json:"mode"`
	AwsAuth     *AwsAuth `json:"awsAuth,omitempty"`
	AccessEntry []Item   `json:"accessEntry,omitempty"`
}

// AwsAuth is the one mapRoles entry AwsAuthRoleMapping merges into kube-system/aws-auth.
type AwsAuth struct {
	Resource string       `json:"resource"`
	Entry    AwsAuthEntry `json:"entry"`
	// MapRoles is the entry as the resource writes it into an empty mapRoles.
	MapRoles string `json:"mapRoles"`
}

// AwsAuthEntry is a mapRoles entry; rolearn carries no IAM path.
type AwsAuthEntry struct {
	RoleArn  string   `json:"rolearn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
}

// Compute is runbook step 3.
type Compute struct {
	NodeGroups      []Item `json:"nodeGroups"`
	FargateProfiles []Item `json:"fargateProfiles"`
	Network         []Item `json:"network"`
}

// Item is a resource with its inputs (secrets shown as [secret]).
type Item struct {
	Type          string         `json:"type"`
	Resource      string         `json:"resource"`
	Inputs        map[string]any `json:"inputs"`
	IgnoreChanges []string       `json:"ignoreChanges,omitempty"`
}

// KubernetesObjects is runbook step 4: the kubernetes:* children, as Kubernetes objects.
type KubernetesObjects struct {
	Shared     []Object    `json:"shared"`
	Namespaces []Namespace `json:"namespaces"`
}

// Namespace is the objects of one namespace's component.
type Namespace struct {
	Namespace string   `json:"namespace"`
	Component string   `json:"component"`
	Objects   []Object `json:"objects"`
}

// Object is one Kubernetes object built from a kubernetes:* child's inputs.
type Object struct {
	Resource string         `json:"resource"`
	Object   map[string]any `json:"object"`
}

// Registration is runbook step 5 for one namespace.
type Registration struct {
	Namespace  string         `json:"namespace"`
	Values     map[string]any `json:"values"`
	ExternalID string         `json:"externalId"`
	// Request is the registrationRequests body for the namespace, its external IDs hidden.
	Request       json.RawMessage `json:"request"`
	BackendConfig json.RawMessage `json:"backendConfig"`
	MlflowRun     string          `json:"mlflowRun"`
}
