package provider

import (
	"context"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What Pulumi YAML sends for `concurrentAccountId: ${concurrentAccountId}` after
// `pulumi config set concurrentAccountId 123456789012`, and for a label written as a
// number: the component gets strings where the schema says string, and nothing else moves.
func TestConstructTakesYAMLNumbersForStrings(t *testing.T) {
	real, err := New()
	require.NoError(t, err)
	var got property.Map
	prov := withNumbersAsStrings(p.Provider{
		GetSchema: real.GetSchema,
		Construct: func(_ context.Context, req p.ConstructRequest) (p.ConstructResponse, error) {
			got = req.Inputs // a test double of the component: it records its inputs
			return p.ConstructResponse{}, nil
		},
	})
	s, err := integration.NewServer(t.Context(), Name, semver.MustParse(Version), integration.WithProvider(prov))
	require.NoError(t, err)

	m := func(kv map[string]property.Value) property.Value { return property.New(kv) }
	_, err = s.Construct(p.ConstructRequest{
		Urn: resource.NewURN("dev", "proj", "", "concurrent:index:ConcurrentEksSetup", "concurrent"),
		Inputs: property.NewMap(map[string]property.Value{
			"clusterName":         property.New("prod"),
			"concurrentAccountId": property.New(123456789012.0),
			"externalId":          property.New(42.0).WithSecret(true),
			"nodeGroups":          m(map[string]property.Value{"worker": m(map[string]property.Value{"maxSize": property.New(3.0)})}),
			"namespaces": property.New([]property.Value{m(map[string]property.Value{
				"name": property.New("team-a"), "labels": m(map[string]property.Value{"team": property.New(1.0)}),
			})}),
		}),
	})
	require.NoError(t, err)

	assert.Equal(t, property.New("123456789012"), got.Get("concurrentAccountId"), "an account ID as its 12 digits")
	assert.Equal(t, property.New("42").WithSecret(true), got.Get("externalId"), "a secret stays secret")
	assert.Equal(t, property.New(3.0), got.Get("nodeGroups").AsMap().Get("worker").AsMap().Get("maxSize"),
		"an integer input stays a number")
	ns := got.Get("namespaces").AsArray().Get(0).AsMap()
	assert.Equal(t, property.New("team-a"), ns.Get("name"))
	assert.Equal(t, property.New("1"), ns.Get("labels").AsMap().Get("team"), "a label value is a string")
	assert.Equal(t, property.New("prod"), got.Get("clusterName"))
}
