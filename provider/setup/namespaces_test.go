package setup_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

const testKubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: kubetest32\n"

func twoNamespaces(extra map[string]any) map[string]any {
	in := with(map[string]any{
		"kubeconfig": secret(testKubeconfig),
		"namespaces": []any{
			map[string]any{"name": "alpha", "labels": map[string]string{"team": "a"}},
			map[string]any{"name": "beta"},
		},
	})
	for k, v := range extra {
		in[k] = v
	}
	return in
}

// k8sProvider is the setup's own Kubernetes provider.
func k8sProvider(t *testing.T, run *fakeaws.Run) fakeaws.Resource {
	t.Helper()
	provs := run.ByType(nstest.ProviderType)
	require.Len(t, provs, 1, run.String())
	require.Equal(t, "demo-k8s", provs[0].Name)
	require.Equal(t, run.URN, provs[0].Parent)
	return provs[0]
}

// Every object of both namespaces, exactly, on the setup's Kubernetes provider, each under
// its namespace's ConcurrentNamespace; the shared bootstrap ClusterRole exactly once.
func TestNamespacesObjects(t *testing.T) {
	run := mustConstruct(t, twoNamespaces(nil))
	prov := k8sProvider(t, run)
	assert.Equal(t, testKubeconfig, testprops.Plain(prov.Inputs.Get("kubeconfig")))
	assert.True(t, prov.Inputs.Get("kubeconfig").Secret(), "the kubeconfig stays secret")
	_, upsert := prov.Inputs.GetOk("upsertExistingObjects")
	assert.False(t, upsert, "upsertExistingObjects is set only with adoptExisting")
	provRef := nstest.ProviderRef(prov)

	bootstrap := nstest.Check(t, run, nstest.BootstrapClusterRole())
	assert.Equal(t, "demo-bootstrap-role", bootstrap.Name)
	assert.Equal(t, run.URN, bootstrap.Parent)
	assert.Equal(t, provRef, bootstrap.Provider)

	comps := run.ByType(nstest.ComponentType)
	require.Equal(t, []string{"demo-alpha", "demo-beta"}, testprops.SortedNames(comps))
	for _, ns := range []string{"alpha", "beta"} {
		comp, ok := run.Get(nstest.ComponentType, "demo-"+ns)
		require.True(t, ok)
		assert.Equal(t, run.URN, comp.Parent)

		nsObj := nstest.Check(t, run, nstest.NamespaceObject(ns))
		for _, o := range append([]nstest.Object{nstest.NamespaceObject(ns)}, nstest.PerNamespace(ns)...) {
			r := nstest.Check(t, run, o)
			assert.Equal(t, comp.URN, r.Parent, "%s parent", o)
			assert.Equal(t, provRef, r.Provider, "%s provider", o)
			assert.False(t, r.RetainOnDelete, "%s retainOnDelete", o)
			assert.Nil(t, nstest.MetaMap(r, "annotations"), "%s annotations", o)
			if o.Namespace != "" {
				assert.True(t, nstest.DependsOn(r, nsObj.URN), "%s must depend on its Namespace: %v", o, r.Dependencies)
			}
		}
	}
	alpha := nstest.Find(t, run, nstest.NamespaceObject("alpha"))
	assert.Equal(t, map[string]any{"team": "a"}, nstest.MetaMap(alpha, "labels"))
	beta := nstest.Find(t, run, nstest.NamespaceObject("beta"))
	assert.Nil(t, nstest.MetaMap(beta, "labels"))

	// Nothing else: 1 bootstrap ClusterRole + 2 x (Namespace + 5).
	assert.Len(t, nstest.Kubernetes(run), 1+2*6, nstest.Listing(run))
	assert.Len(t, run.ByType(nstest.ClusterRoleType), 3, nstest.Listing(run))
}

// Without `namespaces`, the one namespace is `concurrent`.
func TestDefaultNamespace(t *testing.T) {
	run := mustConstruct(t, minimal())
	for _, o := range append([]nstest.Object{nstest.NamespaceObject("concurrent"), nstest.BootstrapClusterRole()},
		nstest.PerNamespace("concurrent")...) {
		nstest.Check(t, run, o)
	}
	assert.Len(t, nstest.Kubernetes(run), 7, nstest.Listing(run))
	assert.Equal(t, []any{"concurrent"}, testprops.Plain(run.Outputs.Get("namespaces")))
}

// create: false registers no Namespace; the objects in it then wait for nothing.
func TestNamespaceCreateFalse(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"namespaces": []any{
		map[string]any{"name": "alpha", "create": false},
		map[string]any{"name": "beta"},
	}}))
	nss := run.ByType(nstest.NamespaceType)
	require.Len(t, nss, 1, nstest.Listing(run))
	assert.Equal(t, "beta", nstest.Meta(nss[0], "name"))
	for _, o := range nstest.PerNamespace("alpha") {
		r := nstest.Check(t, run, o)
		assert.Empty(t, r.Dependencies, "%s", o)
	}
	assert.Len(t, nstest.Kubernetes(run), 1+5+6, nstest.Listing(run))
}

// adoptExisting: the provider upserts existing objects, every object takes its fields over
// (patchForce) and is kept when the setup is deleted.
func TestNamespacesAdoptExisting(t *testing.T) {
	run := mustConstruct(t, twoNamespaces(map[string]any{"adoptExisting": true}))
	prov := k8sProvider(t, run)
	assert.Equal(t, true, testprops.Plain(prov.Inputs.Get("upsertExistingObjects")))
	objs := nstest.Kubernetes(run)
	require.Len(t, objs, 13, nstest.Listing(run))
	for _, r := range objs {
		assert.Equal(t, map[string]any{"pulumi.com/patchForce": "true"}, nstest.MetaMap(r, "annotations"), r.Name)
		assert.True(t, r.RetainOnDelete, r.Name)
	}
}

// Adding a namespace changes nothing that belongs to the existing one: same logical names,
// same inputs, parents, providers and dependencies.
func TestAddingANamespaceChangesNothingElse(t *testing.T) {
	one := mustConstruct(t, with(map[string]any{"namespaces": []any{map[string]any{"name": "alpha"}}}))
	two := mustConstruct(t, with(map[string]any{"namespaces": []any{
		map[string]any{"name": "beta"}, map[string]any{"name": "alpha"},
	}}))
	step := append([]string{nstest.ProviderType, nstest.ComponentType}, nstest.KubernetesTypes...)
	compared := 0
	for _, r := range one.Resources {
		if !slices.Contains(step, r.Type) {
			continue
		}
		compared++
		after, ok := two.Get(r.Type, r.Name)
		if !assert.True(t, ok, "%s %s is gone", r.Type, r.Name) {
			continue
		}
		assert.Equal(t, plainInputs(r), plainInputs(after), "%s %s inputs", r.Type, r.Name)
		assert.Equal(t, r.URN, after.URN, "%s %s urn", r.Type, r.Name)
		assert.Equal(t, r.Parent, after.Parent, "%s %s parent", r.Type, r.Name)
		assert.Equal(t, r.Provider, after.Provider, "%s %s provider", r.Type, r.Name)
		assert.ElementsMatch(t, r.Dependencies, after.Dependencies, "%s %s dependencies", r.Type, r.Name)
	}
	// The provider, the bootstrap role, the component and its six objects.
	assert.Equal(t, 9, compared)
	assert.Len(t, nstest.Kubernetes(two), 13, nstest.Listing(two))
}

func plainInputs(r fakeaws.Resource) map[string]any {
	out := map[string]any{}
	for k, v := range r.Inputs.AsMap() {
		out[k] = testprops.Plain(v)
	}
	return out
}

// What to register in Concurrent, one entry per namespace (concurrent-facts.md section 5).
func TestRegistrationsAndBackendConfigs(t *testing.T) {
	run := mustConstruct(t, twoNamespaces(nil))
	roleArn := testprops.Str(run.Outputs, "roleArn")
	require.Regexp(t, `^arn:aws:iam::678901234557:role/`, roleArn)

	assert.Equal(t, []any{"alpha", "beta"}, testprops.Plain(run.Outputs.Get("namespaces")))

	// Decode through JSON into the form's field names, as a user copies them.
	type registration struct {
		ClusterName, Namespace, ClusterType, Role, Region, EcrRole, EcrType, EcrRegion, UseFargate string
	}
	raw, err := json.Marshal(testprops.Plain(run.Outputs.Get("registrations")))
	require.NoError(t, err)
	var regs []registration
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&regs))
	want := func(ns string) registration {
		return registration{
			ClusterName: "kubetest32", Namespace: ns, ClusterType: "EKS", Role: roleArn, Region: "us-east-2",
			EcrRole: roleArn, EcrType: "private", EcrRegion: "us-east-2", UseFargate: "no",
		}
	}
	assert.Equal(t, []registration{want("alpha"), want("beta")}, regs)

	configs, ok := testprops.Plain(run.Outputs.Get("mlflowBackendConfigs")).(map[string]any)
	require.True(t, ok, "mlflowBackendConfigs: %v", run.Outputs.Get("mlflowBackendConfigs"))
	require.Len(t, configs, 2)
	for _, ns := range []string{"alpha", "beta"} {
		s, ok := configs[ns].(string)
		require.True(t, ok, ns)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(s), &got), s)
		assert.Equal(t, map[string]any{
			"backend-type": "eks", "kube-context": "kubetest32", "kube-namespace": ns,
			"resources.requests.memory": "1024Mi", "kube-client-location": "backend",
		}, got, ns)
	}
}

// A program that passes its own Kubernetes provider (and no kubeconfig) gets every
// Kubernetes object on that provider, and the setup makes none of its own.
func TestCallerKubernetesProvider(t *testing.T) {
	caller := p.ProviderReference{Urn: "urn:pulumi:test::test::pulumi:providers:kubernetes::platform", ID: "4f5e6d"}
	run := mustConstruct(t, with(map[string]any{"namespaces": []any{map[string]any{"name": "team-a"}}}),
		fakeaws.WithProviders(map[string]p.ProviderReference{"kubernetes": caller}),
		fakeaws.WithInvoke("pulumi:pulumi:getResource", func(args property.Map) (property.Map, error) {
			return property.NewMap(map[string]property.Value{
				"urn": property.New(string(caller.Urn)), "id": property.New(string(caller.ID)),
				"state": property.New(property.Map{}),
			}), nil
		}))
	assert.Empty(t, run.ByType(nstest.ProviderType), "no Kubernetes provider of the setup's own")
	objects := nstest.Kubernetes(run)
	require.Len(t, objects, 7, nstest.Listing(run)) // bootstrap role + Namespace + 5 objects
	for _, r := range objects {
		assert.Equal(t, string(caller.Urn)+"::"+string(caller.ID), r.Provider, "%s %s", r.Type, r.Name)
	}

	// An explicit kubeconfig still wins.
	run = mustConstruct(t, with(map[string]any{"kubeconfig": secret("apiVersion: v1\nkind: Config\n")}),
		fakeaws.WithProviders(map[string]p.ProviderReference{"kubernetes": caller}),
		fakeaws.WithInvoke("pulumi:pulumi:getResource", func(args property.Map) (property.Map, error) {
			return property.NewMap(map[string]property.Value{
				"urn": property.New(string(caller.Urn)), "id": property.New(string(caller.ID)),
				"state": property.New(property.Map{}),
			}), nil
		}))
	require.Len(t, run.ByType(nstest.ProviderType), 1)
}
