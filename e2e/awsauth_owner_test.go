//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
)

// The runbook's patch-aws-auth.sh inserts this at the top of mapRoles.
const runbookEntry = `- rolearn: ` + concurrentRolearn + `
  username: ` + concurrentRolearn + `
  groups:
    - system:masters
`

// typedMappingStack maps concurrentRole through awsauth.NewMapping (the typed registration the
// setup uses), with the kubeconfig and username the pointers hold when the program runs.
func typedMappingStack(t *testing.T, project string, env map[string]string, kc, username *string) stack {
	return newStackWithEnv(t, project, env, func(ctx *pulumi.Context) error {
		_, err := awsauth.NewMapping(ctx, "concurrent", &awsauth.MappingArgs{
			Kubeconfig: pulumi.String(*kc),
			RoleArn:    pulumi.String(concurrentRole),
			Username:   pulumi.String(*username),
		})
		return err
	})
}

// The runbook's entry for our role is there before up; ours is in force while the stack
// exists; after destroy mapRoles is back byte for byte.
func TestAwsAuthRunbookEntryBackAfterDestroy(t *testing.T) {
	c := kube(t)
	before := runbookEntry + seedRoles
	setAwsAuth(t, c, map[string]string{"mapRoles": before, "mapUsers": seedUsers})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	kc, username := kubeconfig, "system-manager"
	stack := typedMappingStack(t, "e2e-aws-auth-runbook", nil, &kc, &username)

	up(t, stack)
	got := parseRoles(t, getAwsAuth(t, c).Data["mapRoles"])
	assert.Equal(t, append(parseRoles(t, before), ours("system-manager")), got, "ours appended, last, so in force")
	res, err := stack.Refresh(t.Context())
	require.NoError(t, err)
	assert.Contains(t, res.StdOut, "shadows 1 earlier entry", "the refresh warns that ours shadows the runbook's")

	_, err = stack.Destroy(t.Context())
	require.NoError(t, err)
	cm := getAwsAuth(t, c)
	assert.Equal(t, before, cm.Data["mapRoles"], "mapRoles byte for byte as before up")
	assert.Equal(t, seedUsers, cm.Data["mapUsers"])
}

// The kubeconfig's credentials rotate before destroy: a ServiceAccount token from the
// TokenRequest API, bound to a Secret, is revoked by deleting the Secret (the API server's
// static token file is only read at start). The new kubeconfig is an update that writes
// nothing, and destroy succeeds with it.
func TestAwsAuthRotatedKubeconfig(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, map[string]string{"mapRoles": seedRoles})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	ctx := t.Context()
	const ns, sa = "kube-system", "e2e-aws-auth-rotation"
	_, err := c.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa}}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = c.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: sa},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa, Namespace: ns}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = c.RbacV1().ClusterRoleBindings().Delete(ctx, sa, metav1.DeleteOptions{})
		_ = c.CoreV1().ServiceAccounts(ns).Delete(ctx, sa, metav1.DeleteOptions{})
	})
	// token returns a kubeconfig whose token lives as long as the Secret it is bound to.
	token := func(secret string) string {
		s, err := c.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: secret}}, metav1.CreateOptions{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.CoreV1().Secrets(ns).Delete(ctx, secret, metav1.DeleteOptions{}) })
		exp := int64(3600)
		tr, err := c.CoreV1().ServiceAccounts(ns).CreateToken(ctx, sa, &authv1.TokenRequest{Spec: authv1.TokenRequestSpec{
			ExpirationSeconds: &exp,
			BoundObjectRef:    &authv1.BoundObjectReference{Kind: "Secret", APIVersion: "v1", Name: s.Name, UID: s.UID},
		}}, metav1.CreateOptions{})
		require.NoError(t, err)
		cfg, err := clientcmd.Load([]byte(kubeconfig))
		require.NoError(t, err)
		for _, u := range cfg.AuthInfos {
			u.Token = tr.Status.Token
		}
		b, err := clientcmd.Write(*cfg)
		require.NoError(t, err)
		return string(b)
	}
	kc, username := token(sa+"-1"), "system-manager"
	stack := typedMappingStack(t, "e2e-aws-auth-rotation", nil, &kc, &username)
	up(t, stack)
	assert.Equal(t, append(seedEntries(t), ours("system-manager")), parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]))

	// Rotate: the old token stops working.
	old := kc
	kc = token(sa + "-2")
	require.NoError(t, c.CoreV1().Secrets(ns).Delete(ctx, sa+"-1", metav1.DeleteOptions{}))
	require.Eventually(t, func() bool {
		cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(old))
		require.NoError(t, err)
		oc, err := k8s.NewForConfig(cfg)
		require.NoError(t, err)
		_, err = oc.CoreV1().ConfigMaps(ns).Get(ctx, "aws-auth", metav1.GetOptions{})
		return apierrors.IsUnauthorized(err)
	}, 20*time.Second, 200*time.Millisecond, "the old token is revoked")
	rv := getAwsAuth(t, c).ResourceVersion
	res := up(t, stack)
	assert.Equal(t, map[string]int{"update": 1}, changes(res), "a kubeconfig change alone is an update")
	assert.Equal(t, rv, getAwsAuth(t, c).ResourceVersion, "that writes nothing to aws-auth")
	assertNoPlaintext(t, storedState(t, stack), tokenOf(t, kc), "the rotated token")

	_, err = stack.Destroy(ctx)
	require.NoError(t, err, "destroy uses the rotated kubeconfig")
	assert.Equal(t, seedRoles, getAwsAuth(t, c).Data["mapRoles"])
}
