// Package nstest holds what the tests of ConcurrentNamespace and of ConcurrentEksSetup's
// namespace step expect: the Kubernetes objects Concurrent's code looks up, written out
// literally from Concurrent's new-namespace template (not from the code under test), so a
// renamed object or a changed rule fails both. Test-only.
package nstest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

// Type tokens of the Kubernetes objects.
const (
	NamespaceType      = "kubernetes:core/v1:Namespace"
	ServiceAccountType = "kubernetes:core/v1:ServiceAccount"
	RoleBindingType    = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
	ClusterRoleType    = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"
	ProviderType       = "pulumi:providers:kubernetes"
	ComponentType      = "concurrent:index:ConcurrentNamespace"
)

// KubernetesTypes are the object types a namespace step may register.
var KubernetesTypes = []string{NamespaceType, ServiceAccountType, RoleBindingType, ClusterRoleType}

// Object is one expected Kubernetes object: its kind, fixed name and namespace, and its
// RBAC content (nil when the kind has none), as plain values (testprops.Plain).
type Object struct {
	Type, APIVersion, Kind string
	Name, Namespace        string
	Rules                  any
	Subjects               any
	RoleRef                any
}

func (o Object) String() string { return fmt.Sprintf("%s %s/%s", o.Kind, o.Namespace, o.Name) }

// BootstrapClusterRole is the one ClusterRole shared by every namespace: the template's
// rules without the `post` verb.
func BootstrapClusterRole() Object {
	return Object{
		Type: ClusterRoleType, APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole",
		Name: "k8s-role-for-concurrent-bootstrap",
		Rules: []any{
			rule([]string{""}, []string{"nodes", "namespaces", "pods", "pods/log", "secrets", "events", "configmaps"},
				[]string{"get", "list", "watch", "create", "update", "patch", "delete"}),
			rule([]string{"apps"}, []string{"deployments", "daemonsets", "statefulsets", "replicasets"},
				[]string{"create", "get", "list", "watch", "update", "patch", "delete"}),
			rule([]string{"batch"}, []string{"jobs"},
				[]string{"get", "list", "watch", "create", "update", "patch", "delete"}),
			rule([]string{"events.k8s.io"}, []string{"events"},
				[]string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}),
		},
	}
}

// NamespaceObject is the Namespace itself.
func NamespaceObject(ns string) Object {
	return Object{Type: NamespaceType, APIVersion: "v1", Kind: "Namespace", Name: ns}
}

// PerNamespace are the five objects of Concurrent's template for namespace ns (without the
// Namespace and the shared bootstrap ClusterRole).
func PerNamespace(ns string) []Object {
	rbac := "rbac.authorization.k8s.io"
	return []Object{
		{
			Type: ServiceAccountType, APIVersion: "v1", Kind: "ServiceAccount",
			Name: "k8s-serviceaccount-for-parallels-" + ns, Namespace: ns,
		},
		{
			Type: RoleBindingType, APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding",
			Name: "k8s-service-account-binding-" + ns, Namespace: ns,
			Subjects: []any{map[string]any{
				"kind": "ServiceAccount", "name": "k8s-serviceaccount-for-parallels-" + ns, "namespace": ns,
			}},
			RoleRef: map[string]any{"apiGroup": rbac, "kind": "ClusterRole", "name": "k8s-role-for-concurrent-bootstrap"},
		},
		{
			// The template's rules without `jobs` in the core group.
			Type: ClusterRoleType, APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole",
			Name:  "k8s-role-for-users-" + ns,
			Rules: []any{rule([]string{""}, []string{"pods", "pods/log", "events"}, []string{"get", "list", "watch"})},
		},
		{
			Type: ServiceAccountType, APIVersion: "v1", Kind: "ServiceAccount",
			Name: "k8s-serviceaccount-for-users-" + ns, Namespace: ns,
		},
		{
			Type: RoleBindingType, APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding",
			Name: "k8s-serviceaccount-for-users-" + ns + "-binding", Namespace: ns,
			Subjects: []any{map[string]any{
				"kind": "ServiceAccount", "name": "k8s-serviceaccount-for-users-" + ns, "namespace": ns,
			}},
			RoleRef: map[string]any{"apiGroup": rbac, "kind": "ClusterRole", "name": "k8s-role-for-users-" + ns},
		},
	}
}

func rule(groups, resources, verbs []string) any {
	return map[string]any{"apiGroups": strs(groups), "resources": strs(resources), "verbs": strs(verbs)}
}

func strs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// Find returns the one registration of o's type whose metadata.name and metadata.namespace
// are o's, failing the test when there is none or more than one.
func Find(t testing.TB, run *fakeaws.Run, o Object) fakeaws.Resource {
	t.Helper()
	var found []fakeaws.Resource
	for _, r := range run.ByType(o.Type) {
		if Meta(r, "name") == o.Name && Meta(r, "namespace") == o.Namespace {
			found = append(found, r)
		}
	}
	require.Len(t, found, 1, "want exactly one %s; registered:\n%s", o, Listing(run))
	return found[0]
}

// Check finds o and asserts its kind, apiVersion and RBAC content exactly.
func Check(t testing.TB, run *fakeaws.Run, o Object) fakeaws.Resource {
	t.Helper()
	r := Find(t, run, o)
	assert.Equal(t, o.Kind, testprops.Str(r.Inputs, "kind"), "%s kind", o)
	assert.Equal(t, o.APIVersion, testprops.Str(r.Inputs, "apiVersion"), "%s apiVersion", o)
	assert.Equal(t, o.Rules, plainOrNil(r.Inputs, "rules"), "%s rules", o)
	assert.Equal(t, o.Subjects, plainOrNil(r.Inputs, "subjects"), "%s subjects", o)
	assert.Equal(t, o.RoleRef, plainOrNil(r.Inputs, "roleRef"), "%s roleRef", o)
	return r
}

// Meta returns one string field of the object's metadata ("" when absent).
func Meta(r fakeaws.Resource, key string) string {
	m, ok := r.Inputs.GetOk("metadata")
	if !ok || !m.IsMap() {
		return ""
	}
	return testprops.Str(m.AsMap(), key)
}

// MetaMap returns a map field of the object's metadata (labels, annotations), nil when absent.
func MetaMap(r fakeaws.Resource, key string) map[string]any {
	m, ok := r.Inputs.GetOk("metadata")
	if !ok || !m.IsMap() {
		return nil
	}
	v, ok := m.AsMap().GetOk(key)
	if !ok || v.IsNull() {
		return nil
	}
	out, _ := testprops.Plain(v).(map[string]any)
	return out
}

func plainOrNil(m property.Map, key string) any {
	v, ok := m.GetOk(key)
	if !ok {
		return nil
	}
	return testprops.Plain(v)
}

// ProviderRef is how a child names its provider: "<urn>::<id>".
func ProviderRef(r fakeaws.Resource) string { return string(r.URN) + "::" + r.ID }

// Kubernetes lists the registrations of Kubernetes object types.
func Kubernetes(run *fakeaws.Run) []fakeaws.Resource {
	var out []fakeaws.Resource
	for _, r := range run.Resources {
		if slices.Contains(KubernetesTypes, r.Type) {
			out = append(out, r)
		}
	}
	return out
}

// DependsOn reports whether r lists urn among its dependencies.
func DependsOn(r fakeaws.Resource, urn resource.URN) bool {
	return slices.Contains(r.Dependencies, urn)
}

// Listing is a short listing of the Kubernetes objects for failure messages.
func Listing(run *fakeaws.Run) string {
	var b strings.Builder
	for _, r := range Kubernetes(run) {
		fmt.Fprintf(&b, "  %s %s (%s/%s)\n", r.Type, r.Name, Meta(r, "namespace"), Meta(r, "name"))
	}
	return b.String()
}
