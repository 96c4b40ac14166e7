//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// concurrentNamespace is the client side of the remote component.
type concurrentNamespace struct {
	pulumi.ResourceState
	Namespace pulumi.StringOutput `pulumi:"namespace"`
}

// Two ConcurrentNamespaces through the real engine and our plugin: every object exists with
// Concurrent's exact names, rules, subjects and roleRefs; a second up changes nothing;
// destroy leaves nothing of ours and nothing else touched.
func TestConcurrentNamespaceLifecycle(t *testing.T) {
	client := kube(t)
	names := []string{"e2e-team-a", "e2e-team-b"}

	// Something that is not ours, which must survive everything.
	bystander, err := client.RbacV1().ClusterRoles().Get(t.Context(), "view", metav1.GetOptions{})
	require.NoError(t, err, "the API server's default ClusterRole view")

	stack := newStack(t, "e2e-namespaces", func(ctx *pulumi.Context) error {
		prov, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{
			Kubeconfig: pulumi.ToSecret(pulumi.String(kubeconfig)).(pulumi.StringOutput),
		})
		if err != nil {
			return err
		}
		for i, name := range names {
			var ns concurrentNamespace
			if err := ctx.RegisterRemoteComponentResource("concurrent:index:ConcurrentNamespace", name, pulumi.Map{
				"name":   pulumi.String(name),
				"labels": pulumi.StringMap{"team": pulumi.String(name)},
				// The shared bootstrap ClusterRole, once.
				"createBootstrapClusterRole": pulumi.Bool(i == 0),
			}, &ns, pulumi.Providers(prov)); err != nil {
				return err
			}
			ctx.Export(name, ns.Namespace)
		}
		return nil
	})

	res := up(t, stack)
	assert.Equal(t, []string{"create"}, keys(changes(res)), "the first up only creates")
	assert.Equal(t, map[string]int{
		"pulumi:pulumi:Stack":                                 1,
		"pulumi:providers:kubernetes":                         1,
		"concurrent:index:ConcurrentNamespace":                2,
		"kubernetes:core/v1:Namespace":                        2,
		"kubernetes:core/v1:ServiceAccount":                   4,
		"kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 4,
		// Per namespace the users' role, and the shared bootstrap role once.
		"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 3,
	}, withoutDefaultProviders(stateTypes(t, stack)))
	for _, name := range names {
		assert.Equal(t, name, res.Outputs[name].Value)
		assertNamespaceObjects(t, client, name)
	}
	assertObject(t, client, nstest.BootstrapClusterRole())
	assertNoPlaintext(t, storedState(t, stack), kubeconfigToken(t), "the kubeconfig's token")

	res = up(t, stack, optup.ExpectNoChanges())
	assert.Empty(t, changes(res), "a second up must change nothing")

	_, err = stack.Destroy(t.Context())
	require.NoError(t, err)
	for _, name := range names {
		waitGone(t, func() error {
			_, err := client.CoreV1().Namespaces().Get(t.Context(), name, metav1.GetOptions{})
			return err
		})
		_, err := client.RbacV1().ClusterRoles().Get(t.Context(), "k8s-role-for-users-"+name, metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "ClusterRole k8s-role-for-users-%s must be deleted: %v", name, err)
	}
	_, err = client.RbacV1().ClusterRoles().Get(t.Context(), nstest.BootstrapClusterRole().Name, metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "the bootstrap ClusterRole must be deleted: %v", err)
	after, err := client.RbacV1().ClusterRoles().Get(t.Context(), "view", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, bystander.UID, after.UID, "what is not ours is untouched")
}

func assertNamespaceObjects(t *testing.T, client k8s.Interface, ns string) {
	t.Helper()
	got, err := client.CoreV1().Namespaces().Get(t.Context(), ns, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, ns, got.Labels["team"])
	for _, o := range nstest.PerNamespace(ns) {
		assertObject(t, client, o)
	}
}

// assertObject reads one expected object back and compares its RBAC content exactly.
func assertObject(t *testing.T, client k8s.Interface, o nstest.Object) {
	t.Helper()
	ctx := t.Context()
	get := metav1.GetOptions{}
	switch o.Kind {
	case "ServiceAccount":
		_, err := client.CoreV1().ServiceAccounts(o.Namespace).Get(ctx, o.Name, get)
		assert.NoError(t, err, o.String())
	case "ClusterRole":
		cr, err := client.RbacV1().ClusterRoles().Get(ctx, o.Name, get)
		if assert.NoError(t, err, o.String()) {
			assert.Equal(t, o.Rules, plain(t, cr.Rules), o.String())
		}
	case "RoleBinding":
		rb, err := client.RbacV1().RoleBindings(o.Namespace).Get(ctx, o.Name, get)
		if assert.NoError(t, err, o.String()) {
			assert.Equal(t, o.Subjects, plain(t, rb.Subjects), o.String())
			assert.Equal(t, o.RoleRef, plain(t, rb.RoleRef), o.String())
		}
	default:
		t.Fatalf("unexpected kind %s", o.Kind)
	}
}

// waitGone waits for the namespace controller to finish a deletion.
func waitGone(t *testing.T, get func() error) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := get()
		if apierrors.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still present 2 minutes after destroy (%v)", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func keys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// withoutDefaultProviders drops the providers the engine makes on its own.
func withoutDefaultProviders(m map[string]int) map[string]int {
	delete(m, "pulumi:providers:concurrent")
	delete(m, "pulumi:providers:pulumi")
	delete(m, "pulumi:providers:aws")
	delete(m, "pulumi:providers:random")
	return m
}
