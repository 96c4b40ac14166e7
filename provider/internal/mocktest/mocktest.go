// Package mocktest constructs the provider's components in-process under the integration
// server with Pulumi mocks, and records every child they register. It is used only by tests
// and by the offline plan, which need the same fake AWS answers.
package mocktest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Cluster describes the fake EKS cluster and account the AWS invokes answer with.
type Cluster struct {
	Name               string   `json:"name"`
	Region             string   `json:"region"`
	Partition          string   `json:"partition"`
	AccountID          string   `json:"accountId"`
	AuthenticationMode string   `json:"authenticationMode"`
	SubnetIDs          []string `json:"subnetIds"`
	VpcID              string   `json:"vpcId"`
	VpcCidr            string   `json:"vpcCidr"`
	AvailabilityZones  []string `json:"availabilityZones"`
	Endpoint           string   `json:"endpoint"`
	CertificateData    string   `json:"certificateData"`
}

// DemoCluster is a cluster like the runbook's example.
func DemoCluster() Cluster {
	return Cluster{
		Name: "kubetest32", Region: "us-east-2", Partition: "aws", AccountID: "678901234557",
		AuthenticationMode: "API_AND_CONFIG_MAP",
		SubnetIDs:          []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"},
		VpcID:              "vpc-0123456789abcdef0", VpcCidr: "192.168.0.0/16",
		AvailabilityZones: []string{"us-east-2a", "us-east-2b", "us-east-2c"},
		Endpoint:          "https://0123456789ABCDEF.gr7.us-east-2.eks.amazonaws.com",
		CertificateData:   "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
	}
}

// ClusterARN is the cluster's ARN as EKS reports it.
func (c Cluster) ClusterARN() string {
	return fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", c.Partition, c.Region, c.AccountID, c.Name)
}

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
	ID                  string
	State               property.Map
}

// Invoke is one function call the component made.
type Invoke struct {
	Token string
	Args  property.Map
}

// Run is the record of one Construct.
type Run struct {
	mu        sync.Mutex
	Resources []Resource
	Invokes   []Invoke
	// Outputs are the component's outputs (the Construct response's state).
	Outputs property.Map
	URN     resource.URN
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

// Option changes how Construct runs.
type Option func(*options)

type options struct {
	cluster   Cluster
	dryRun    bool
	providers map[tokens.Package]p.ProviderReference
	newState  func(Resource) property.Map
	invokes   map[string]func(property.Map) (property.Map, error)
}

// WithCluster sets the fake cluster.
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
// Construct, the way the engine does, and records what it registers.
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
			run.Invokes = append(run.Invokes, Invoke{Token: string(args.Token), Args: args.Args})
			run.mu.Unlock()
			if f, ok := o.invokes[string(args.Token)]; ok {
				return f(args.Args)
			}
			return answerInvoke(o.cluster, string(args.Token), args.Args)
		},
		NewResourceF: func(args integration.MockResourceArgs) (string, property.Map, error) {
			res := Resource{
				Type: string(args.TypeToken), Name: args.Name, Custom: args.Custom, Inputs: args.Inputs,
			}
			if rpc := args.RegisterRPC; rpc != nil {
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
				if res.Parent != "" {
					res.URN = resource.NewURN(res.Parent.Stack(), res.Parent.Project(),
						res.Parent.QualifiedType(), tokens.Type(res.Type), res.Name)
				}
			}
			res.ID, res.State = fakeState(o.cluster, res)
			if !args.Custom {
				res.ID = ""
			}
			run.mu.Lock()
			run.Resources = append(run.Resources, res)
			run.mu.Unlock()
			return res.ID, res.State, nil
		},
	}
	s, err := integration.NewServer(ctx, "concurrent", semver.MustParse(version),
		integration.WithProvider(prov), integration.WithMocks(mocks))
	if err != nil {
		return nil, err
	}
	urn := resource.NewURN("test", "test", "", tokens.Type(token), name)
	resp, err := s.Construct(p.ConstructRequest{
		Urn: urn, Inputs: inputs, DryRun: o.dryRun, Providers: o.providers,
	})
	if err != nil {
		return run, err
	}
	run.URN = resp.Urn
	run.Outputs = resp.State
	return run, nil
}

// String is a short listing for test failure messages.
func (r *Run) String() string {
	var b strings.Builder
	for _, res := range r.Resources {
		fmt.Fprintf(&b, "%s %s\n", res.Type, res.Name)
	}
	return b.String()
}
