package setup_test

import (
	"regexp"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const setupToken = "concurrent:index:ConcurrentEksSetup"

// minimal are the two required inputs for the demo cluster.
func minimal() map[string]any {
	return map[string]any{"clusterName": "kubetest32", "concurrentAccountId": "123456789012"}
}

// with returns minimal() plus the given inputs.
func with(extra map[string]any) map[string]any {
	m := minimal()
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func construct(t testing.TB, inputs map[string]any, opts ...fakeaws.Option) (*fakeaws.Run, error) {
	t.Helper()
	prov, err := provider.New()
	require.NoError(t, err)
	return fakeaws.Construct(t.Context(), prov, provider.Version, setupToken, "demo", testprops.Props(inputs), opts...)
}

func mustConstruct(t testing.TB, inputs map[string]any, opts ...fakeaws.Option) *fakeaws.Run {
	t.Helper()
	run, err := construct(t, inputs, opts...)
	require.NoError(t, err)
	return run
}

func secret(s string) property.Value { return property.New(s).WithSecret(true) }

// withAuthMode sets the fake cluster's accessConfig.authenticationMode.
func withAuthMode(mode string) fakeaws.Option {
	c := fakeaws.DemoCluster()
	c.AuthenticationMode = mode
	return fakeaws.WithCluster(c)
}

// unknownString is an input whose value is not known yet, as a cluster built in the same
// program gives during preview.
func unknownString() property.Value { return property.New(property.Computed) }

// childrenOf lists what the run registered besides the component itself.
func childrenOf(run *fakeaws.Run) []fakeaws.Resource {
	var out []fakeaws.Resource
	for _, r := range run.Resources {
		if r.Type != setupToken {
			out = append(out, r)
		}
	}
	return out
}

func propertyOf(m property.Map) property.Value { return property.New(m) }

// outputOf is a known value that comes from another resource (it carries a dependency), as
// the name of a cluster built in the same program does on `pulumi up`.
func outputOf(v string) property.Value {
	return property.New(v).WithDependencies([]resource.URN{"urn:pulumi:test::test::eks:index:Cluster::cluster"})
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
