//go:build e2e

package e2e

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"
)

// What a real EKS cluster's aws-auth holds: a node role (as eksctl writes it), a Fargate pod
// execution role, the platform team's own admin, and a user mapping.
const (
	nodeRole    = "arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-NodeInstanceRole-1A2B3C"
	fargateRole = "arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole"
	adminRole   = "arn:aws:iam::111122223333:role/platform-admins"
	seedRoles   = `- groups:
  - system:bootstrappers
  - system:nodes
  rolearn: ` + nodeRole + `
  username: system:node:{{EC2PrivateDNSName}}
- groups:
  - system:bootstrappers
  - system:nodes
  - system:node-proxier
  rolearn: ` + fargateRole + `
  username: system:node:{{SessionName}}
- rolearn: ` + adminRole + `
  username: platform-admin
  groups:
  - system:masters
`
	seedUsers = `- userarn: arn:aws:iam::111122223333:user/alice
  username: alice
  groups:
    - system:masters
`
	// Our role has an IAM path; aws-auth wants the ARN without it.
	concurrentRole     = "arn:aws:iam::111122223333:role/concurrent/RoleForConcurrentService"
	concurrentRolearn  = "arn:aws:iam::111122223333:role/RoleForConcurrentService"
	laterNodeRole      = "arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-2-NodeInstanceRole-4D5E6F"
	awsAuthMappingType = "concurrent:index:AwsAuthRoleMapping"
)

type entry = map[string]any

func seedEntries(t *testing.T) []entry { return parseRoles(t, seedRoles) }

func parseRoles(t *testing.T, text string) []entry {
	t.Helper()
	var out []entry
	require.NoError(t, yaml.Unmarshal([]byte(text), &out))
	return out
}

func ours(username string) entry {
	return entry{"rolearn": concurrentRolearn, "username": username, "groups": []any{"system:masters"}}
}

func getAwsAuth(t *testing.T, c k8s.Interface) *corev1.ConfigMap {
	t.Helper()
	cm, err := c.CoreV1().ConfigMaps("kube-system").Get(t.Context(), "aws-auth", metav1.GetOptions{})
	require.NoError(t, err)
	return cm
}

func setAwsAuth(t *testing.T, c k8s.Interface, data map[string]string) {
	t.Helper()
	cms := c.CoreV1().ConfigMaps("kube-system")
	_ = cms.Delete(t.Context(), "aws-auth", metav1.DeleteOptions{})
	if data == nil {
		return
	}
	_, err := cms.Create(t.Context(), &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "aws-auth", Namespace: "kube-system"}, Data: data,
	}, metav1.CreateOptions{})
	require.NoError(t, err)
}

// editRoles rewrites mapRoles by hand, as another tool or a person would.
func editRoles(t *testing.T, c k8s.Interface, edit func([]entry) []entry) {
	t.Helper()
	cm := getAwsAuth(t, c)
	b, err := yaml.Marshal(edit(parseRoles(t, cm.Data["mapRoles"])))
	require.NoError(t, err)
	cm.Data["mapRoles"] = string(b)
	_, err = c.CoreV1().ConfigMaps("kube-system").Update(t.Context(), cm, metav1.UpdateOptions{})
	require.NoError(t, err)
}

// mappingStack maps concurrentRole with the username the pointer holds when the program runs.
func mappingStack(t *testing.T, project string, username *string) stack {
	return newStack(t, project, func(ctx *pulumi.Context) error {
		var m pulumi.CustomResourceState
		return ctx.RegisterResource(awsAuthMappingType, "concurrent", pulumi.Map{
			"kubeconfig": pulumi.ToSecret(pulumi.String(kubeconfig)),
			"roleArn":    pulumi.String(concurrentRole),
			"username":   pulumi.String(*username),
		}, &m)
	})
}

func TestAwsAuthRoleMappingLifecycle(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, map[string]string{"mapRoles": seedRoles, "mapUsers": seedUsers})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	username := "system-manager"
	stack := mappingStack(t, "e2e-aws-auth", &username)

	// up adds exactly our entry; every other entry and key is kept.
	res := up(t, stack)
	assert.Equal(t, []string{"create"}, keys(changes(res)), "the first up only creates")
	assert.Equal(t, 1, stateTypes(t, stack)[awsAuthMappingType])
	cm := getAwsAuth(t, c)
	assert.Equal(t, append(seedEntries(t), ours("system-manager")), parseRoles(t, cm.Data["mapRoles"]))
	assert.Equal(t, seedUsers, cm.Data["mapUsers"], "mapUsers must stay byte-for-byte")
	assertNoPlaintext(t, storedState(t, stack), kubeconfigToken(t), "the kubeconfig's token")

	// A second up is a no-op: no change, and no write to the ConfigMap.
	res = up(t, stack, optup.ExpectNoChanges())
	assert.Empty(t, changes(res))
	assert.Equal(t, cm.ResourceVersion, getAwsAuth(t, c).ResourceVersion, "a no-op up must not write aws-auth")

	// Another writer adds a node role between runs: it survives, and a refresh sees no drift.
	editRoles(t, c, func(e []entry) []entry {
		return append(e, entry{"rolearn": laterNodeRole, "username": "system:node:{{EC2PrivateDNSName}}",
			"groups": []any{"system:bootstrappers", "system:nodes"}})
	})
	withLater := append(seedEntries(t), ours("system-manager"), entry{"rolearn": laterNodeRole,
		"username": "system:node:{{EC2PrivateDNSName}}", "groups": []any{"system:bootstrappers", "system:nodes"}})
	res = up(t, stack, optup.Refresh())
	assert.Empty(t, changes(res))
	assert.Equal(t, withLater, parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]))

	// Our entry deleted by hand: a refresh sees it gone and `up --refresh` restores it.
	editRoles(t, c, func(e []entry) []entry {
		var kept []entry
		for _, x := range e {
			if x["rolearn"] != concurrentRolearn {
				kept = append(kept, x)
			}
		}
		return kept
	})
	res = up(t, stack, optup.Refresh())
	assert.Equal(t, map[string]int{"create": 1}, changes(res), "the deleted entry is drift, and up restores it")
	got := parseRoles(t, getAwsAuth(t, c).Data["mapRoles"])
	assert.ElementsMatch(t, withLater, got)
	assert.Len(t, got, len(withLater), "our entry exactly once")

	// A changed username updates in place: no replacement, which would delete the entry the
	// new resource wrote.
	username = "concurrent-admin"
	res = up(t, stack)
	assert.Equal(t, map[string]int{"update": 1}, changes(res))
	got = parseRoles(t, getAwsAuth(t, c).Data["mapRoles"])
	assert.Contains(t, got, ours("concurrent-admin"))
	assert.NotContains(t, got, ours("system-manager"))
	assert.Len(t, got, len(withLater))

	// destroy removes only ours.
	_, err := stack.Destroy(t.Context())
	require.NoError(t, err)
	cm = getAwsAuth(t, c)
	assert.Equal(t, append(seedEntries(t), withLater[len(withLater)-1]), parseRoles(t, cm.Data["mapRoles"]))
	assert.Equal(t, seedUsers, cm.Data["mapUsers"])
}

// A cluster whose aws-auth does not exist yet (e.g. Fargate-only, or API mode switched back):
// the ConfigMap is created with our entry.
func TestAwsAuthRoleMappingCreatesMissingConfigMap(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, nil)
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	username := "system-manager"
	stack := mappingStack(t, "e2e-aws-auth-missing", &username)

	up(t, stack)
	assert.Equal(t, []entry{ours("system-manager")}, parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]))

	_, err := stack.Destroy(t.Context())
	require.NoError(t, err)
	cm, err := c.CoreV1().ConfigMaps("kube-system").Get(t.Context(), "aws-auth", metav1.GetOptions{})
	if !apierrors.IsNotFound(err) {
		require.NoError(t, err)
		assert.Empty(t, parseRoles(t, cm.Data["mapRoles"]), "our entry is removed")
	}
}
