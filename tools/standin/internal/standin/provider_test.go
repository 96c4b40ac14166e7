package standin

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var nodeGroup = Type{AutoName: "nodeGroupName", MaxLen: 63, ForceNew: []string{"instanceTypes", "subnetIds"}}

const urn = resource.URN("urn:pulumi:dev::proj::concurrent:index:ConcurrentEksSetup$aws:eks/nodeGroup:NodeGroup::demo-worker")

func strs(ss ...string) property.Value {
	arr := make([]property.Value, len(ss))
	for i, s := range ss {
		arr[i] = property.New(s)
	}
	return property.New(arr)
}

// The auto-name is the logical name, a dash and 7 hex characters; it is kept from the old
// inputs, and a given name wins.
func TestAutoName(t *testing.T) {
	got, err := nodeGroup.autoName(p.CheckRequest{Urn: urn, RandomSeed: []byte("seed")})
	require.NoError(t, err)
	assert.Regexp(t, `^demo-worker-[0-9a-f]{7}$`, got.Get("nodeGroupName").AsString())

	old := property.NewMap(map[string]property.Value{"nodeGroupName": property.New("demo-worker-abcdef0")})
	got, err = nodeGroup.autoName(p.CheckRequest{Urn: urn, State: old, RandomSeed: []byte("other")})
	require.NoError(t, err)
	assert.Equal(t, "demo-worker-abcdef0", got.Get("nodeGroupName").AsString())

	given := property.NewMap(map[string]property.Value{"nodeGroupName": property.New("mine")})
	got, err = nodeGroup.autoName(p.CheckRequest{Urn: urn, Inputs: given, State: old})
	require.NoError(t, err)
	assert.Equal(t, "mine", got.Get("nodeGroupName").AsString())
}

// A ForceNew input replaces, another updates in place; a value that only became secret is
// no change.
func TestDiff(t *testing.T) {
	olds := property.NewMap(map[string]property.Value{
		"instanceTypes": strs("m5.xlarge"), "labels": property.New(property.NewMap(map[string]property.Value{
			"a": property.New("1"),
		})), "subnetIds": strs("subnet-1"), "tags": property.New("x"),
	})
	same := olds.Set("tags", property.New("x").WithSecret(true))
	assert.False(t, nodeGroup.diff(olds, same).HasChanges)

	news := olds.Set("instanceTypes", strs("m6i.xlarge")).Set("labels", property.New(property.NewMap(nil))).Delete("tags")
	d := nodeGroup.diff(olds, news)
	assert.True(t, d.HasChanges)
	assert.Equal(t, map[string]p.PropertyDiff{
		"instanceTypes": {Kind: p.UpdateReplace, InputDiff: true},
		"labels":        {Kind: p.Update, InputDiff: true},
		"tags":          {Kind: p.Delete, InputDiff: true},
	}, d.DetailedDiff)
}

// A preview's computed outputs are unknown; inputs are never overwritten, secrets stay secret.
func TestCreate(t *testing.T) {
	typ := Type{Outputs: func(resource.URN, property.Map) (string, map[string]property.Value) {
		return "ng-1", map[string]property.Value{"arn": property.New("arn:1"), "name": property.New("computed")}
	}}
	in := property.NewMap(map[string]property.Value{"name": property.New("given"), "key": property.New("s").WithSecret(true)})
	id, out := typ.create(urn, in, false)
	assert.Equal(t, "ng-1", id)
	assert.True(t, out.Get("key").Secret(), "a secret input stays secret in the state")
	assert.Equal(t, "given", out.Get("name").AsString())
	assert.Equal(t, "arn:1", out.Get("arn").AsString())
	id, out = typ.create(urn, in, true)
	assert.Empty(t, id)
	assert.True(t, out.Get("arn").IsComputed())
}

func TestUnknownTypeIsRefused(t *testing.T) {
	_, err := Plugin{Name: "aws", Types: map[string]Type{}}.typeOf(urn)
	assert.ErrorContains(t, err, "does not play aws:eks/nodeGroup:NodeGroup")
}
