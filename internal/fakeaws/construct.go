package fakeaws

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/diag"
)

// Resource is one registration the component made.
type Resource struct {
	Type                string
	Name                string
	URN                 resource.URN
	Custom              bool
	Inputs              property.Map
	Parent              resource.URN
	Dependencies        []resource.URN
	Provider            string
	IgnoreChanges       []string
	SecretOutputs       []string
	DeleteBeforeReplace bool
	RetainOnDelete      bool
	Aliases             []string
	ImportID            string // the import resource option
	ID                  string
	State               property.Map
}

// Call is one function call the component made.
type Call struct {
	Token string
	Args  property.Map
}

// Run is the record of one Construct.
type Run struct {
	mu        sync.Mutex
	Resources []Resource
	Invokes   []Call
	// Outputs are the component's outputs (the Construct response's state).
	Outputs property.Map
	URN     resource.URN
	// Diagnostics are the warnings and notes the component logged.
	Diagnostics []diag.Entry
}

// Warnings are the messages of the warnings the component logged.
func (r *Run) Warnings() []string { return r.messages("warning") }

// Notes are the messages of the notes (info) the component logged.
func (r *Run) Notes() []string { return r.messages("info") }

func (r *Run) messages(severity string) []string {
	var out []string
	for _, e := range r.Diagnostics {
		if e.Severity == severity {
			out = append(out, e.Message)
		}
	}
	return out
}

// ByType returns the registrations of one type token, in registration order.
func (r *Run) ByType(token string) []Resource {
	var out []Resource
	for _, res := range r.Resources {
		if res.Type == token {
			out = append(out, res)
		}
	}
	return out
}

// Get returns the one registration with this type and name, or false.
func (r *Run) Get(token, name string) (Resource, bool) {
	for _, res := range r.Resources {
		if res.Type == token && res.Name == name {
			return res, true
		}
	}
	return Resource{}, false
}

// String is a short listing for test failure messages.
func (r *Run) String() string {
	var b strings.Builder
	for _, res := range r.Resources {
		fmt.Fprintf(&b, "%s %s\n", res.Type, res.Name)
	}
	return b.String()
}

// Option changes how Construct runs.
type Option func(*options)

type options struct {
	cluster   Cluster
	dryRun    bool
	providers map[tokens.Package]p.ProviderReference
	invokes   map[string]func(property.Map) (property.Map, error)
	config    map[config.Key]string
}

// WithConfig sets the stack configuration the construct sees, e.g. "aws:profile".
func WithConfig(m map[string]string) Option {
	return func(o *options) {
		o.config = map[config.Key]string{}
		for k, v := range m {
			o.config[config.MustParseKey(k)] = v
		}
	}
}

// WithCluster sets the fake cluster (default: DemoCluster).
func WithCluster(c Cluster) Option { return func(o *options) { o.cluster = c } }

// DryRun constructs as in a preview.
func DryRun() Option { return func(o *options) { o.dryRun = true } }

// WithProviders passes the `providers` resource option.
func WithProviders(m map[string]p.ProviderReference) Option {
	return func(o *options) {
		o.providers = map[tokens.Package]p.ProviderReference{}
		for k, v := range m {
			o.providers[tokens.Package(k)] = v
		}
	}
}

// WithInvoke answers (or overrides) one invoke token.
func WithInvoke(token string, f func(args property.Map) (property.Map, error)) Option {
	return func(o *options) { o.invokes[token] = f }
}

// Construct runs the component `token` named `name` with `inputs` through the provider's
// Construct, the way the engine does, with the cluster's Invoke and Outputs as the mocks,
// and records what it registers.
func Construct(ctx context.Context, prov p.Provider, version, token, name string, inputs property.Map,
	opts ...Option,
) (*Run, error) {
	o := &options{cluster: DemoCluster(), invokes: map[string]func(property.Map) (property.Map, error){}}
	for _, f := range opts {
		f(o)
	}
	run := &Run{}
	mocks := &integration.MockResourceMonitor{
		CallF: func(args integration.MockCallArgs) (property.Map, error) {
			run.mu.Lock()
			run.Invokes = append(run.Invokes, Call{Token: string(args.Token), Args: args.Args})
			run.mu.Unlock()
			if f, ok := o.invokes[string(args.Token)]; ok {
				return f(args.Args)
			}
			return o.cluster.Invoke(string(args.Token), args.Args)
		},
		NewResourceF: func(args integration.MockResourceArgs) (string, property.Map, error) {
			res := record(args)
			res.ID, res.State = o.cluster.Outputs(res.Type, res.Name, res.Inputs)
			res.State = unknownsNotSecret(res.State)
			if !args.Custom {
				res.ID = ""
			}
			run.mu.Lock()
			run.Resources = append(run.Resources, res)
			run.mu.Unlock()
			return res.ID, res.State, nil
		},
	}
	recorder := &diag.Recorder{}
	defer func() { run.Diagnostics = recorder.Entries() }()
	s, err := integration.NewServer(diag.WithRecorder(ctx, recorder), "concurrent", semver.MustParse(version),
		integration.WithProvider(prov), integration.WithMocks(mocks))
	if err != nil {
		return nil, err
	}
	urn := resource.NewURN("test", "test", "", tokens.Type(token), name)
	resp, err := s.Construct(p.ConstructRequest{
		Urn: urn, Inputs: inputs, DryRun: o.dryRun, Providers: o.providers, Config: o.config,
	})
	if err != nil {
		return run, err
	}
	run.URN = resp.Urn
	run.Outputs = resp.State
	return run, nil
}

// record is a registration as the engine received it, options included.
func record(args integration.MockResourceArgs) Resource {
	res := Resource{Type: string(args.TypeToken), Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	rpc := args.RegisterRPC
	if rpc == nil {
		return res
	}
	res.Parent = resource.URN(rpc.GetParent())
	for _, d := range rpc.GetDependencies() {
		res.Dependencies = append(res.Dependencies, resource.URN(d))
	}
	res.Provider = rpc.GetProvider()
	res.IgnoreChanges = rpc.GetIgnoreChanges()
	res.SecretOutputs = rpc.GetAdditionalSecretOutputs()
	res.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
	res.RetainOnDelete = rpc.GetRetainOnDelete()
	res.Aliases = rpc.GetAliasURNs()
	res.ImportID = rpc.GetImportId()
	if res.Parent != "" {
		res.URN = resource.NewURN(res.Parent.Stack(), res.Parent.Project(),
			res.Parent.QualifiedType(), tokens.Type(res.Type), res.Name)
	}
	return res
}

// unknownsNotSecret makes every unknown secret value a plain unknown. The integration
// server's monitor marshals the state without unknowns, so a plain unknown is left out (as
// the engine's preview leaves it unknown), but a secret unknown becomes a secret without a
// value, which the SDK rejects ("malformed RPC secret"): an unknown concurrentAccountId in
// a preview, whose trust policy is secret, would fail under the mocks and not in the engine.
func unknownsNotSecret(m property.Map) property.Map {
	out := map[string]property.Value{}
	for k, v := range m.All {
		out[k] = unknownNotSecret(v)
	}
	return property.NewMap(out)
}

func unknownNotSecret(v property.Value) property.Value {
	switch {
	case v.IsComputed():
		return property.New(property.Computed)
	case v.IsMap():
		return property.New(unknownsNotSecret(v.AsMap())).WithSecret(v.Secret())
	}
	return v
}
