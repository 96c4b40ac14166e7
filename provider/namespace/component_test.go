package namespace_test

import (
	"fmt"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// The caller's Kubernetes provider, passed through the `providers` option.
var callerProvider = p.ProviderReference{
	Urn: "urn:pulumi:test::test::pulumi:providers:kubernetes::staging", ID: "0b1c2d3e",
}

const callerProviderRef = "urn:pulumi:test::test::pulumi:providers:kubernetes::staging::0b1c2d3e"

func construct(t testing.TB, inputs map[string]any) (*fakeaws.Run, error) {
	t.Helper()
	prov, err := provider.New()
	require.NoError(t, err)
	return fakeaws.Construct(t.Context(), prov, provider.Version, nstest.ComponentType, "team", testprops.Props(inputs),
		fakeaws.WithProviders(map[string]p.ProviderReference{"kubernetes": callerProvider}),
		fakeaws.WithInvoke("pulumi:pulumi:getResource", getProvider))
}

// getProvider plays the engine for the SDK, which reads the caller's provider back by URN
// (pulumi:pulumi:getResource) before its children can name it.
func getProvider(args property.Map) (property.Map, error) {
	if urn := testprops.Str(args, "urn"); urn != string(callerProvider.Urn) {
		return property.Map{}, fmt.Errorf("unknown resource %s", urn)
	}
	return property.NewMap(map[string]property.Value{
		"urn":   property.New(string(callerProvider.Urn)),
		"id":    property.New(string(callerProvider.ID)),
		"state": property.New(property.Map{}),
	}), nil
}

func mustConstruct(t testing.TB, inputs map[string]any) *fakeaws.Run {
	t.Helper()
	run, err := construct(t, inputs)
	require.NoError(t, err)
	return run
}

// Every object Concurrent expects, exactly, on the caller's provider, under the component;
// the namespaced ones wait for the Namespace.
func TestStandaloneObjects(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a", "labels": map[string]string{"team": "a"}})

	ns := nstest.Check(t, run, nstest.NamespaceObject("team-a"))
	assert.Equal(t, map[string]any{"team": "a"}, nstest.MetaMap(ns, "labels"))
	assert.Equal(t, "team-namespace", ns.Name)

	want := append([]nstest.Object{nstest.NamespaceObject("team-a")}, nstest.PerNamespace("team-a")...)
	for _, o := range want {
		r := nstest.Check(t, run, o)
		assert.Equal(t, run.URN, r.Parent, "%s parent", o)
		assert.Equal(t, callerProviderRef, r.Provider, "%s provider", o)
		assert.Nil(t, nstest.MetaMap(r, "annotations"), "%s annotations", o)
		assert.False(t, r.RetainOnDelete, "%s retainOnDelete", o)
		if o.Namespace != "" {
			assert.True(t, nstest.DependsOn(r, ns.URN), "%s must depend on the Namespace: %v", o, r.Dependencies)
		}
	}
	// Nothing else: in particular no bootstrap ClusterRole unless asked for.
	assert.Len(t, nstest.Kubernetes(run), len(want), nstest.Listing(run))
}

// Logical names derive from the component's name, so they are stable.
func TestStandaloneLogicalNames(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a", "createBootstrapClusterRole": true})
	assert.Equal(t, []string{
		"team-bootstrap-binding", "team-bootstrap-role", "team-bootstrap-sa", "team-namespace",
		"team-users-binding", "team-users-role", "team-users-sa",
	}, testprops.SortedNames(nstest.Kubernetes(run)))
}

func TestStandaloneBootstrapClusterRole(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a", "createBootstrapClusterRole": true})
	r := nstest.Check(t, run, nstest.BootstrapClusterRole())
	assert.Equal(t, run.URN, r.Parent)
	assert.Equal(t, callerProviderRef, r.Provider)
	assert.Len(t, nstest.Kubernetes(run), 7, nstest.Listing(run))
}

func TestStandaloneOutputs(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a"})
	got := map[string]any{}
	for k, v := range run.Outputs.AsMap() {
		got[k] = testprops.Plain(v)
	}
	assert.Equal(t, map[string]any{
		"namespace":               "team-a",
		"bootstrapServiceAccount": "k8s-serviceaccount-for-parallels-team-a",
		"usersServiceAccount":     "k8s-serviceaccount-for-users-team-a",
	}, got)
}

// create: false leaves the namespace alone: no Namespace, and nothing waits for one.
func TestStandaloneCreateFalse(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a", "create": false})
	assert.Empty(t, run.ByType(nstest.NamespaceType))
	for _, o := range nstest.PerNamespace("team-a") {
		r := nstest.Check(t, run, o)
		assert.Empty(t, r.Dependencies, "%s", o)
	}
	assert.Len(t, nstest.Kubernetes(run), 5, nstest.Listing(run))
	assert.Equal(t, "team-a", testprops.Plain(run.Outputs.Get("namespace")))
}

// adoptExisting: server-side apply takes the fields over (patchForce) and the objects stay
// when the component is deleted.
func TestStandaloneAdoptExisting(t *testing.T) {
	run := mustConstruct(t, map[string]any{"name": "team-a", "adoptExisting": true, "createBootstrapClusterRole": true})
	objs := nstest.Kubernetes(run)
	require.Len(t, objs, 7, nstest.Listing(run))
	for _, r := range objs {
		assert.Equal(t, map[string]any{"pulumi.com/patchForce": "true"}, nstest.MetaMap(r, "annotations"), r.Name)
		assert.True(t, r.RetainOnDelete, r.Name)
	}
}

func TestStandaloneValidation(t *testing.T) {
	long := "a123456789b123456789c123456789d123456789e123456789f123456789xyzw" // 64 characters
	for _, tc := range []struct {
		name   string
		inputs map[string]any
		want   []string
	}{
		{"uppercase", map[string]any{"name": "Team"}, []string{`name: "Team" is not a namespace name: `}},
		{"too long", map[string]any{"name": long}, []string{`name: "` + long + `" is not a namespace name: must be no more than 63 characters`}},
		{"empty", map[string]any{"name": ""}, []string{`name: "" is not a namespace name: `}},
		{"kube-system", map[string]any{"name": "kube-system"}, []string{`name: "kube-system" is reserved for Kubernetes itself`}},
		{"kube-node-lease", map[string]any{"name": "kube-node-lease"}, []string{`name: "kube-node-lease" is reserved for Kubernetes itself`}},
		{"label key", map[string]any{"name": "ok", "labels": map[string]string{"bad key": "v"}}, []string{`labels: key "bad key": `}},
		{"label value", map[string]any{"name": "ok", "labels": map[string]string{"team": "a b"}}, []string{`labels.team: value "a b": `}},
		{"two problems", map[string]any{"name": "kube-public", "labels": map[string]string{"team": "-x"}},
			[]string{`name: "kube-public" is reserved`, `labels.team: value "-x": `}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run, err := construct(t, tc.inputs)
			require.Error(t, err)
			lines := errorLines(err)
			require.Len(t, lines, len(tc.want), "errors: %q", lines)
			for i, w := range tc.want {
				assert.True(t, strings.HasPrefix(lines[i], w), "error %d: got %q, want prefix %q", i, lines[i], w)
			}
			// Nothing is registered when an input is wrong.
			assert.Empty(t, run.Resources, run.String())
		})
	}
}

// A label value not known at construct time (here a secret) is checked once it resolves.
func TestStandaloneLabelValueCheckedWhenResolved(t *testing.T) {
	_, err := construct(t, map[string]any{"name": "team-a", "labels": map[string]any{
		"team": property.New("a b").WithSecret(true),
	}})
	require.Error(t, err)
	assert.Equal(t, []string{`labels.team: value "a b": a valid label must be an empty string or consist of ` +
		`alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ` +
		`(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		errorLines(err))

	run := mustConstruct(t, map[string]any{"name": "team-a", "labels": map[string]any{
		"team": property.New("a").WithSecret(true),
	}})
	ns := nstest.Find(t, run, nstest.NamespaceObject("team-a"))
	assert.Equal(t, map[string]any{"team": "a"}, nstest.MetaMap(ns, "labels"))
}

// errorLines returns the component's own error lines (errors.Join puts one per line),
// from the first line that starts with an input's path.
func errorLines(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		for _, path := range []string{"name: ", "labels: ", "labels."} {
			if i := strings.Index(line, path); i >= 0 {
				out = append(out, line[i:])
				break
			}
		}
	}
	return out
}
