package namespace_test

import (
	"encoding/json"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

// The component is served as concurrent:index:ConcurrentNamespace with documented inputs
// (plain name and flags, an Input map of labels) and its three outputs.
func TestSchema(t *testing.T) {
	prov, err := provider.New()
	require.NoError(t, err)
	s, err := integration.NewServer(t.Context(), "concurrent", semver.MustParse(provider.Version), integration.WithProvider(prov))
	require.NoError(t, err)
	resp, err := s.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)

	type property struct {
		Type                 string
		Description          string
		Plain                bool
		AdditionalProperties *struct{ Type string }
	}
	var schema struct {
		Resources map[string]struct {
			IsComponent     bool
			Description     string
			InputProperties map[string]property
			RequiredInputs  []string
			Properties      map[string]property
			Required        []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(resp.Schema), &schema))
	res, ok := schema.Resources["concurrent:index:ConcurrentNamespace"]
	require.True(t, ok, "resources: %v", keys(schema.Resources))
	assert.True(t, res.IsComponent)
	assert.NotEmpty(t, res.Description)

	want := map[string]struct {
		typ   string
		plain bool
	}{
		"name": {"string", true}, "create": {"boolean", true}, "labels": {"object", false},
		"adoptExisting": {"boolean", true}, "createBootstrapClusterRole": {"boolean", true},
	}
	assert.ElementsMatch(t, keys(want), keys(res.InputProperties))
	for name, w := range want {
		in := res.InputProperties[name]
		assert.Equal(t, w.typ, in.Type, name)
		assert.Equal(t, w.plain, in.Plain, name)
		assert.NotEmpty(t, in.Description, name)
	}
	assert.Equal(t, []string{"name"}, res.RequiredInputs)
	assert.ElementsMatch(t, []string{"namespace", "bootstrapServiceAccount", "usersServiceAccount"}, keys(res.Properties))
	assert.ElementsMatch(t, []string{"namespace", "bootstrapServiceAccount", "usersServiceAccount"}, res.Required)
	for name, out := range res.Properties {
		assert.Equal(t, "string", out.Type, name)
		assert.NotEmpty(t, out.Description, name)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
