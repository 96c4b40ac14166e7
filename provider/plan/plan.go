// Package plan is the offline plan of a ConcurrentEksSetup: it runs the component's real
// code in-process under mocks (a fake AWS answering from a description of the cluster) and
// renders what it would create and grant, for a reviewer, with no credentials and no
// cluster. It is the plugin's `plan` subcommand.
package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"google.golang.org/grpc/status"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/mocktest"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

// Plan is what one ConcurrentEksSetup would create and grant. JSON field order is fixed by
// the structs, and maps are written with sorted keys, so the document is stable.
type Plan struct {
	Component     Component         `json:"component"`
	Cluster       Cluster           `json:"cluster"`
	AccessMode    string            `json:"accessMode"`
	ComputeType   string            `json:"computeType"`
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

// Cluster is the description the fake AWS answered with.
type Cluster struct {
	Name               string   `json:"name"`
	Region             string   `json:"region"`
	Account            string   `json:"account"`
	Partition          string   `json:"partition"`
	AuthenticationMode string   `json:"authenticationMode"`
	SubnetIds          []string `json:"subnetIds"`
	VpcId              string   `json:"vpcId"`
	VpcCidr            string   `json:"vpcCidr"`
	AvailabilityZones  []string `json:"availabilityZones"`
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
	Namespace     string          `json:"namespace"`
	Values        map[string]any  `json:"values"`
	ExternalID    string          `json:"externalId"`
	BackendConfig json.RawMessage `json:"backendConfig"`
	MlflowRun     string          `json:"mlflowRun"`
}

// Secret is how a secret value is shown.
const Secret = "[secret]"

// autoMark replaces the random suffix of an auto-named resource.
const autoMark = "-<auto>"

// ProjectURI stands for the MLflow project in the printed `mlflow run` line.
const ProjectURI = "<project uri>"

// ComponentName is the component's logical name in the plan, as in the README's examples.
const ComponentName = "concurrent"

// Run constructs the component from the setup under mocks and builds its plan. A
// validation error is the component's own message, as `pulumi preview` prints it.
func Run(ctx context.Context, s *Setup, name string) (*Plan, error) {
	prov, err := provider.New()
	if err != nil {
		return nil, err
	}
	run, err := mocktest.Construct(ctx, prov, provider.Version, setup.Token, name, s.Inputs,
		mocktest.WithCluster(s.Cluster))
	if err != nil {
		return nil, &InvalidError{Msg: status.Convert(err).Message()}
	}
	return build(run, s, name)
}

// InvalidError is the component refusing the inputs.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

type builder struct {
	run  *mocktest.Run
	s    *Setup
	red  *redactor
	done map[resource.URN]bool
}

func build(run *mocktest.Run, s *Setup, name string) (*Plan, error) {
	// The component's own record has no parent, so the harness leaves its URN empty.
	for i := range run.Resources {
		if run.Resources[i].URN == "" && run.Resources[i].Parent == "" && run.Resources[i].Type == setup.Token {
			run.Resources[i].URN = run.URN
		}
	}
	b := &builder{run: run, s: s, red: newRedactor(run, s), done: map[resource.URN]bool{}}
	ordered, err := creationOrder(run.Resources)
	if err != nil {
		return nil, err
	}
	c := s.Cluster
	pl := &Plan{
		Component: Component{Type: setup.Token, Name: name},
		Cluster: Cluster{
			Name: c.Name, Region: c.Region, Account: c.AccountID, Partition: c.Partition,
			AuthenticationMode: c.AuthenticationMode, SubnetIds: c.SubnetIDs, VpcId: c.VpcID,
			VpcCidr: c.VpcCidr, AvailabilityZones: c.AvailabilityZones,
		},
		AccessMode: mocktest.Str(run.Outputs, "accessMode"),
		Resources:  []Resource{},
		IAMRoles:   []Role{},
		Compute:    Compute{NodeGroups: []Item{}, FargateProfiles: []Item{}, Network: []Item{}},
		Kubernetes: KubernetesObjects{Shared: []Object{}, Namespaces: []Namespace{}},
		Other:      []Item{},
	}
	for _, r := range ordered {
		pl.Resources = append(pl.Resources, b.resource(r))
	}
	pl.IAMRoles = b.roles(ordered)
	pl.ClusterAccess, err = b.access(ordered, pl.AccessMode)
	if err != nil {
		return nil, err
	}
	pl.Compute = b.compute(ordered)
	pl.ComputeType = "none"
	switch {
	case len(pl.Compute.NodeGroups) > 0:
		pl.ComputeType = string(setup.ComputeNodeGroups)
	case len(pl.Compute.FargateProfiles) > 0:
		pl.ComputeType = string(setup.ComputeFargate)
	}
	pl.Kubernetes = b.kubernetes(ordered)
	pl.Registrations, err = b.registrations()
	if err != nil {
		return nil, err
	}
	for _, r := range ordered {
		if r.Custom && !b.done[r.URN] {
			pl.Other = append(pl.Other, b.item(r))
		}
	}
	return pl, nil
}

func (b *builder) resource(r mocktest.Resource) Resource {
	out := Resource{
		Type: r.Type, Name: r.Name, URN: string(r.URN), Parent: string(r.Parent),
		Provider:            string(providerURN(r.Provider)),
		IgnoreChanges:       r.IgnoreChanges,
		SecretOutputs:       r.SecretOutputs,
		DeleteBeforeReplace: r.DeleteBeforeReplace,
		RetainOnDelete:      r.RetainOnDelete,
	}
	for _, d := range r.Dependencies {
		out.DependsOn = append(out.DependsOn, string(d))
	}
	slices.Sort(out.DependsOn)
	out.DependsOn = slices.Compact(out.DependsOn)
	return out
}

// providerURN is the URN part of a provider reference (`<urn>::<id>`).
func providerURN(ref string) resource.URN {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return resource.URN(ref[:i])
	}
	return ""
}

// creationOrder sorts the registrations in an order the engine could create them: a
// resource after its parent, its dependencies and its provider. Among the resources ready
// at each step, the smallest URN goes first, so the order is deterministic.
func creationOrder(rs []mocktest.Resource) ([]mocktest.Resource, error) {
	byURN := map[resource.URN]mocktest.Resource{}
	for _, r := range rs {
		byURN[r.URN] = r
	}
	waits := map[resource.URN]map[resource.URN]bool{}
	for _, r := range rs {
		w := map[resource.URN]bool{}
		for _, d := range append(slices.Clone(r.Dependencies), r.Parent, providerURN(r.Provider)) {
			if _, ok := byURN[d]; ok && d != r.URN {
				w[d] = true
			}
		}
		waits[r.URN] = w
	}
	var out []mocktest.Resource
	for len(waits) > 0 {
		var ready []resource.URN
		for u, w := range waits {
			if len(w) == 0 {
				ready = append(ready, u)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("the registrations have a dependency cycle")
		}
		next := slices.Min(ready)
		out = append(out, byURN[next])
		delete(waits, next)
		for _, w := range waits {
			delete(w, next)
		}
	}
	return out, nil
}

// Resource types the sections read.
const (
	typeRole              = "aws:iam/role:Role"
	typeRolePolicy        = "aws:iam/rolePolicy:RolePolicy"
	typeAttachment        = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeAccessEntry       = "aws:eks/accessEntry:AccessEntry"
	typePolicyAssociation = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	typeNodeGroup         = "aws:eks/nodeGroup:NodeGroup"
	typeFargateProfile    = "aws:eks/fargateProfile:FargateProfile"
)

// roles lists the created roles with their documents and attachments, then the roles the
// user brought (an output ARN that no created role has).
func (b *builder) roles(ordered []mocktest.Resource) []Role {
	purposes := []struct{ output, purpose string }{
		{"roleArn", "assumed by Concurrent (external ID required)"},
		{"nodeRoleArn", "node role of the managed node groups"},
		{"podExecutionRoleArn", "Fargate pod execution role"},
	}
	purposeOf := func(arn string) string {
		for _, p := range purposes {
			if mocktest.Str(b.run.Outputs, p.output) == arn {
				return p.purpose
			}
		}
		return "role"
	}
	out := []Role{}
	created := map[string]bool{}
	for _, r := range ordered {
		if r.Type != typeRole {
			continue
		}
		b.done[r.URN] = true
		arn := mocktest.Str(r.State, "arn")
		physical := mocktest.Str(r.State, "name")
		created[arn] = true
		role := Role{
			Resource: r.Name, Purpose: purposeOf(arn),
			Name: b.red.str(physical), Path: valueOr(mocktest.Str(r.Inputs, "path"), "/"),
			Arn: b.red.str(arn), Description: b.red.str(mocktest.Str(r.Inputs, "description")),
			PermissionsBoundary: b.red.str(mocktest.Str(r.Inputs, "permissionsBoundary")),
			TrustPolicy:         b.document(r.Inputs, "assumeRolePolicy"),
		}
		if t, ok := b.red.plain(r.Inputs.Get("tags")).(map[string]any); ok {
			role.Tags = t
		}
		for _, p := range ordered {
			if mocktest.Str(p.Inputs, "role") != physical {
				continue
			}
			switch p.Type {
			case typeRolePolicy:
				b.done[p.URN] = true
				role.InlinePolicies = append(role.InlinePolicies, InlinePolicy{
					Resource: p.Name, Name: b.red.str(mocktest.Str(p.Inputs, "name")), Document: b.document(p.Inputs, "policy"),
				})
			case typeAttachment:
				b.done[p.URN] = true
				role.ManagedPolicies = append(role.ManagedPolicies, ManagedPolicy{
					Resource: p.Name, PolicyArn: b.red.str(mocktest.Str(p.Inputs, "policyArn")),
				})
			}
		}
		out = append(out, role)
	}
	for _, p := range purposes {
		arn := mocktest.Str(b.run.Outputs, p.output)
		if arn != "" && !created[arn] {
			out = append(out, Role{Purpose: p.purpose, Existing: true, Arn: b.red.str(arn)})
		}
	}
	// The role Concurrent assumes first, then the node and pod execution roles.
	rank := func(r Role) int {
		for i, p := range purposes {
			if r.Purpose == p.purpose {
				return i
			}
		}
		return len(purposes)
	}
	slices.SortStableFunc(out, func(a, b Role) int { return rank(a) - rank(b) })
	return out
}

// document is an IAM policy input, shown whole (even when secret, as a trust policy with
// the external ID is) with the secret values in it redacted.
func (b *builder) document(m property.Map, key string) json.RawMessage {
	v, ok := m.GetOk(key)
	if !ok || !v.IsString() {
		return nil
	}
	doc := b.red.str(v.AsString())
	if !json.Valid([]byte(doc)) {
		raw, _ := json.Marshal(doc)
		return raw
	}
	return json.RawMessage(doc)
}

func (b *builder) access(ordered []mocktest.Resource, mode string) (ClusterAccess, error) {
	out := ClusterAccess{Mode: mode}
	for _, r := range ordered {
		switch r.Type {
		case awsauth.Token:
			b.done[r.URN] = true
			arn, err := awsauth.RoleARNWithoutPath(b.red.str(mocktest.Str(r.Inputs, "roleArn")))
			if err != nil {
				return out, err
			}
			entry := awsauth.RoleMapping{
				RoleARN: arn, Username: b.red.str(mocktest.Str(r.Inputs, "username")), Groups: mocktest.Strs(r.Inputs, "groups"),
			}
			roles, err := awsauth.ParseMapRoles("")
			if err != nil {
				return out, err
			}
			if err := roles.Add(entry); err != nil {
				return out, err
			}
			text, err := roles.Render()
			if err != nil {
				return out, err
			}
			out.AwsAuth = &AwsAuth{
				Resource: r.Name, MapRoles: text,
				Entry: AwsAuthEntry{RoleArn: entry.RoleARN, Username: entry.Username, Groups: entry.Groups},
			}
		case typeAccessEntry, typePolicyAssociation:
			b.done[r.URN] = true
			out.AccessEntry = append(out.AccessEntry, b.item(r))
		}
	}
	return out, nil
}

func (b *builder) compute(ordered []mocktest.Resource) Compute {
	out := Compute{NodeGroups: []Item{}, FargateProfiles: []Item{}, Network: []Item{}}
	for _, r := range ordered {
		switch {
		case r.Type == typeNodeGroup:
			out.NodeGroups = append(out.NodeGroups, b.item(r))
		case r.Type == typeFargateProfile:
			out.FargateProfiles = append(out.FargateProfiles, b.item(r))
		case strings.HasPrefix(r.Type, "aws:ec2/"):
			out.Network = append(out.Network, b.item(r))
		default:
			continue
		}
		b.done[r.URN] = true
	}
	return out
}

// kubernetes renders every kubernetes:* child as the object it sends, grouped by the
// component that owns it (one per namespace); objects of the setup itself are shared.
// Only the inputs are read, so any object the namespace step adds shows up here.
func (b *builder) kubernetes(ordered []mocktest.Resource) KubernetesObjects {
	out := KubernetesObjects{Shared: []Object{}, Namespaces: []Namespace{}}
	byURN := map[resource.URN]mocktest.Resource{}
	for _, r := range b.run.Resources {
		byURN[r.URN] = r
	}
	groups := map[resource.URN]int{}
	for _, r := range ordered {
		group, ok := k8sGroupOf(r.Type)
		if !ok {
			continue
		}
		b.done[r.URN] = true
		obj, _ := b.red.plain(property.New(r.Inputs)).(map[string]any)
		if obj == nil {
			obj = map[string]any{}
		}
		apiVersion, kind := group, r.Type[strings.LastIndex(r.Type, ":")+1:]
		if apiVersion == "core/v1" {
			apiVersion = "v1"
		}
		if _, ok := obj["apiVersion"]; !ok {
			obj["apiVersion"] = apiVersion
		}
		if _, ok := obj["kind"]; !ok {
			obj["kind"] = kind
		}
		o := Object{Resource: r.Name, Object: obj}
		owner := byURN[r.Parent]
		if owner.URN == "" || owner.URN == b.run.URN || owner.Custom {
			out.Shared = append(out.Shared, o)
			continue
		}
		i, ok := groups[owner.URN]
		if !ok {
			i = len(out.Namespaces)
			groups[owner.URN] = i
			out.Namespaces = append(out.Namespaces, Namespace{Component: owner.Name, Objects: []Object{}})
		}
		ns := &out.Namespaces[i]
		ns.Objects = append(ns.Objects, o)
		if ns.Namespace == "" {
			meta, _ := obj["metadata"].(map[string]any)
			if n, ok := meta["namespace"].(string); ok {
				ns.Namespace = n
			} else if n, ok := meta["name"].(string); ok && kind == "Namespace" {
				ns.Namespace = n
			}
		}
	}
	return out
}

// k8sGroupOf returns the API group/version of a kubernetes:<group/version>:<Kind> type.
func k8sGroupOf(token string) (string, bool) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return "", false
	}
	return parts[1], true
}

func (b *builder) registrations() ([]Registration, error) {
	out := []Registration{}
	regs, ok := b.run.Outputs.GetOk("registrations")
	if !ok || !regs.IsArray() {
		return out, nil
	}
	externalID := Secret
	if b.s.UserExternalID {
		// The user wrote it in the file: it is theirs to see.
		externalID = mocktest.Str(b.run.Outputs, "externalId")
	}
	configs, _ := b.run.Outputs.GetOk("mlflowBackendConfigs")
	for _, reg := range regs.AsArray().AsSlice() {
		values, _ := b.red.plain(reg).(map[string]any)
		ns, _ := values["namespace"].(string)
		config := ""
		if configs.IsMap() {
			config = mocktest.Str(configs.AsMap(), ns)
		}
		if !json.Valid([]byte(config)) {
			return nil, fmt.Errorf("namespace %s: the backend config %q is not JSON", ns, config)
		}
		out = append(out, Registration{
			Namespace: ns, Values: values, ExternalID: externalID, BackendConfig: json.RawMessage(config),
			MlflowRun: fmt.Sprintf("mlflow run -b concurrent-backend --backend-config '%s' %s", config, ProjectURI),
		})
	}
	return out, nil
}

func (b *builder) item(r mocktest.Resource) Item {
	inputs, _ := b.red.plain(property.New(r.Inputs)).(map[string]any)
	if inputs == nil {
		inputs = map[string]any{}
	}
	return Item{Type: r.Type, Resource: r.Name, Inputs: inputs, IgnoreChanges: r.IgnoreChanges}
}

// redactor turns recorded values into what the plan shows: secrets as [secret], the fake
// random suffix of auto-named resources as -<auto>, and fake ids of created resources as
// `<id of Kind/name>`.
type redactor struct {
	secrets []string
	names   *strings.Replacer
	ids     map[string]string
}

func newRedactor(run *mocktest.Run, s *Setup) *redactor {
	r := &redactor{ids: map[string]string{}}
	var pairs []string
	for _, res := range run.Resources {
		// Values of additional secret outputs (the generated external ID) are never shown.
		for _, k := range res.SecretOutputs {
			if v := mocktest.Str(res.State, k); v != "" {
				r.secrets = append(r.secrets, v)
			}
		}
		if !res.Custom {
			continue
		}
		pairs = append(pairs, res.Name+mocktest.AutoNameSuffix, res.Name+autoMark)
		if res.ID != "" && !strings.HasSuffix(res.ID, mocktest.AutoNameSuffix) && res.ID != mocktest.Str(res.Inputs, "name") {
			r.ids[res.ID] = "<id of " + Ref(res.Type, res.Name) + ">"
		}
		// Other outputs only AWS knows (a NAT instance's network interface, an Elastic IP's
		// address), when an input uses them whole. ARNs and names stay: reviewers read them.
		for k, v := range res.State.AsMap() {
			_, isInput := res.Inputs.GetOk(k)
			if isInput || k == "arn" || k == "name" || slices.Contains(res.SecretOutputs, k) || !v.IsString() ||
				v.AsString() == "" || strings.Contains(v.AsString(), mocktest.AutoNameSuffix) {
				continue
			}
			if _, taken := r.ids[v.AsString()]; !taken {
				r.ids[v.AsString()] = "<" + k + " of " + Ref(res.Type, res.Name) + ">"
			}
		}
	}
	if !s.UserExternalID {
		if v := mocktest.Str(run.Outputs, "externalId"); v != "" {
			r.secrets = append(r.secrets, v)
		}
	}
	r.names = strings.NewReplacer(pairs...)
	return r
}

func (r *redactor) str(s string) string {
	if id, ok := r.ids[s]; ok {
		return id
	}
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Secret)
	}
	return r.names.Replace(s)
}

// plain converts a value to plain Go values, secrets shown as [secret].
func (r *redactor) plain(v property.Value) any {
	switch {
	case v.Secret():
		return Secret
	case v.IsComputed():
		return "<unknown>"
	case v.IsNull():
		return nil
	case v.IsString():
		return r.str(v.AsString())
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsArray():
		out := []any{}
		for _, e := range v.AsArray().AsSlice() {
			out = append(out, r.plain(e))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for k, e := range v.AsMap().AsMap() {
			out[k] = r.plain(e)
		}
		return out
	}
	return fmt.Sprintf("<%v>", v)
}

// Ref names a resource for a reader: the kind from its type token and its logical name
// (`Subnet/concurrent-private-1`); names alone repeat across types.
func Ref(token, name string) string {
	return token[strings.LastIndex(token, ":")+1:] + "/" + name
}

// refOf is Ref for a URN.
func refOf(urn string) string {
	u := resource.URN(urn)
	return Ref(string(u.Type()), u.Name())
}

func valueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
