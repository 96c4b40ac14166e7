// Package plan is the offline plan of a ConcurrentEksSetup: it runs the component's real
// code in-process under mocks (a fake AWS answering from a description of the cluster) and
// renders what it would create and grant, for a reviewer, with no credentials and no
// cluster. It is the plugin's `plan` subcommand.
package plan

import (
	"context"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"google.golang.org/grpc/status"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

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
	run, err := fakeaws.Construct(ctx, prov, provider.Version, setup.Token, name, s.Inputs,
		fakeaws.WithCluster(s.Cluster))
	if err != nil {
		return nil, &InvalidError{Msg: status.Convert(err).Message()}
	}
	return build(run, s, name)
}

// InvalidError is the component refusing the inputs.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

type builder struct {
	run  *fakeaws.Run
	s    *Setup
	red  *redactor
	done map[resource.URN]bool
}

func build(run *fakeaws.Run, s *Setup, name string) (*Plan, error) {
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
	pl := &Plan{
		Component:   Component{Type: setup.Token, Name: name},
		Cluster:     s.Cluster,
		AccessMode:  str(run.Outputs, "accessMode"),
		Permissions: str(run.Outputs, "permissions"),
		Notes:       append([]string{}, run.Notes()...),
		Warnings:    append([]string{}, run.Warnings()...),
		Resources:   []Resource{},
		IAMRoles:    []Role{},
		Compute:     Compute{NodeGroups: []Item{}, FargateProfiles: []Item{}, Network: []Item{}},
		Kubernetes:  KubernetesObjects{Shared: []Object{}, Namespaces: []Namespace{}},
		Other:       []Item{},
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

func (b *builder) resource(r fakeaws.Resource) Resource {
	out := Resource{
		Type: r.Type, Name: r.Name, URN: string(r.URN), Parent: string(r.Parent),
		Provider:            string(providerURN(r.Provider)),
		IgnoreChanges:       r.IgnoreChanges,
		SecretOutputs:       r.SecretOutputs,
		DeleteBeforeReplace: r.DeleteBeforeReplace,
		RetainOnDelete:      r.RetainOnDelete,
		Import:              r.ImportID,
	}
	for _, d := range r.Dependencies {
		out.DependsOn = append(out.DependsOn, string(d))
	}
	slices.Sort(out.DependsOn)
	out.DependsOn = slices.Compact(out.DependsOn)
	return out
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

func (b *builder) item(r fakeaws.Resource) Item {
	inputs, _ := b.red.plain(property.New(r.Inputs)).(map[string]any)
	if inputs == nil {
		inputs = map[string]any{}
	}
	return Item{Type: r.Type, Resource: r.Name, Inputs: inputs, IgnoreChanges: r.IgnoreChanges}
}

func valueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// str is a string input, or "" when it is absent or not a string.
func str(m property.Map, key string) string {
	if v, ok := m.GetOk(key); ok && v.IsString() {
		return v.AsString()
	}
	return ""
}

// strs is a list of strings input.
func strs(m property.Map, key string) []string {
	var out []string
	if v, ok := m.GetOk(key); ok && v.IsArray() {
		for _, e := range v.AsArray().AsSlice() {
			out = append(out, e.AsString())
		}
	}
	return out
}
