package setup_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/mocktest"
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

func construct(t testing.TB, inputs map[string]any, opts ...mocktest.Option) (*mocktest.Run, error) {
	t.Helper()
	prov, err := provider.New()
	require.NoError(t, err)
	return mocktest.Construct(t.Context(), prov, provider.Version, setupToken, "demo", mocktest.Props(inputs), opts...)
}

func mustConstruct(t testing.TB, inputs map[string]any, opts ...mocktest.Option) *mocktest.Run {
	t.Helper()
	run, err := construct(t, inputs, opts...)
	require.NoError(t, err)
	return run
}

func secret(s string) property.Value { return property.New(s).WithSecret(true) }
