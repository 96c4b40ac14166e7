//go:build e2e

package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

const (
	setupType           = "concurrent:index:ConcurrentEksSetup"
	nodeGroupType       = "aws:eks/nodeGroup:NodeGroup"
	concurrentAccountID = "123456789012"
)

// setupInputs are what the program passes; the test changes them between updates.
type setupInputs struct {
	namespaces  []string
	workerTypes []string
}

func nodeGroupsProgram(a *account, in *setupInputs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var namespaces pulumi.Array
		for _, ns := range in.namespaces {
			namespaces = append(namespaces, pulumi.Map{"name": pulumi.String(ns)})
		}
		var s eksSetup
		// No externalId (a RandomPassword), no kubeconfig (the built one, through the CLI shim).
		err := ctx.RegisterRemoteComponentResource(setupType, "e2e", pulumi.Map{
			"clusterName":         pulumi.String(a.cluster.Name),
			"concurrentAccountId": pulumi.String(concurrentAccountID),
			"access":              pulumi.Map{"mode": pulumi.String("configMap")},
			"computeType":         pulumi.String("nodeGroups"),
			"nodeGroups": pulumi.Map{
				"worker": pulumi.Map{"instanceTypes": pulumi.ToStringArray(in.workerTypes)},
			},
			"namespaces": namespaces,
		}, &s)
		if err != nil {
			return err
		}
		s.export(ctx)
		return nil
	}
}

// The children of a node-group setup with configMap access and no externalId, besides the
// namespaces' (per namespace a ConcurrentNamespace, its Namespace, 2 ServiceAccounts, 2
// RoleBindings and 1 ClusterRole) and the stack.
var nodeGroupChildren = map[string]int{
	setupType: 1,
	"random:index/randomPassword:RandomPassword":        1,
	"aws:iam/role:Role":                                 2, // Concurrent's and the nodes'
	"aws:iam/rolePolicy:RolePolicy":                     1,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
	nodeGroupType:                 2, // system, worker
	awsAuthMappingType:            1,
	"pulumi:providers:kubernetes": 1, // on the built kubeconfig
	"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 1, // the shared bootstrap role
}

func expectedTypes(children map[string]int, namespaces int) map[string]int {
	out := map[string]int{"pulumi:pulumi:Stack": 1}
	for k, v := range children {
		out[k] = v
	}
	for typ, n := range map[string]int{
		"concurrent:index:ConcurrentNamespace":                1,
		"kubernetes:core/v1:Namespace":                        1,
		"kubernetes:core/v1:ServiceAccount":                   2,
		"kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 2,
		"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 1,
	} {
		out[typ] += n * namespaces
	}
	return out
}

// awsCreates are the Creates the stand-ins must have seen for these children.
func awsCreates(children map[string]int) map[string]int {
	out := map[string]int{}
	for typ, n := range children {
		if strings.HasPrefix(typ, "aws:") || strings.HasPrefix(typ, "random:") {
			out["Create "+typ] = n
		}
	}
	return out
}

// upSteps runs an update and returns the steps other than "same".
func upSteps(t *testing.T, s stack, opts ...optup.Option) (auto.UpResult, []apitype.StepEventMetadata) {
	t.Helper()
	ch := make(chan events.EngineEvent)
	done := make(chan []apitype.StepEventMetadata)
	go func() {
		var steps []apitype.StepEventMetadata
		for e := range ch {
			if e.ResourcePreEvent != nil && e.ResourcePreEvent.Metadata.Op != apitype.OpSame {
				steps = append(steps, e.ResourcePreEvent.Metadata)
			}
		}
		done <- steps
	}()
	res := up(t, s, append(opts, optup.EventStreams(ch))...)
	return res, <-done
}

// customSteps are the steps on custom resources (components' own input changes aside).
func customSteps(steps []apitype.StepEventMetadata) []string {
	var out []string
	for _, st := range steps {
		if st.Type == setupType || st.Type == "concurrent:index:ConcurrentNamespace" || st.Type == "pulumi:pulumi:Stack" {
			continue
		}
		out = append(out, string(st.Op)+" "+st.URN[strings.LastIndex(st.URN, "::")+2:])
	}
	slices.Sort(out)
	return out
}

// ConcurrentEksSetup with node groups through the real engine: our plugin, the stand-in aws
// and random plugins, the real Kubernetes plugin and API server.
func TestEksSetupNodeGroups(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, map[string]string{"mapRoles": seedRoles, "mapUsers": seedUsers})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	a := newAccount(t, map[string]string{nodeGroupType: "300ms"})
	in := &setupInputs{namespaces: []string{"e2e-ml-a", "e2e-ml-b"}, workerTypes: []string{"m5.2xlarge", "m5a.2xlarge"}}
	stack := newStack(t, "e2e-setup-nodegroups", nodeGroupsProgram(a, in), a.option())

	// up creates exactly the expected children, in the state and at the stand-ins.
	res := up(t, stack)
	calls := a.calls(t, 0)
	require.Empty(t, failed(calls))
	assert.Equal(t, []string{"create"}, keys(changes(res)), "the first up only creates")
	assert.Equal(t, expectedTypes(nodeGroupChildren, 2), withoutDefaultProviders(stateTypes(t, stack)))
	assert.Equal(t, awsCreates(nodeGroupChildren), writes(calls), "the stand-ins' Create calls")
	assertOverlap(t, calls, "Create "+nodeGroupType, "EKS creates the node groups in parallel")

	// The Kubernetes side, read back.
	for _, ns := range in.namespaces {
		assertSetupNamespace(t, c, ns)
	}
	assertObject(t, c, nstest.BootstrapClusterRole())
	roleArn := res.Outputs["roleArn"].Value.(string)
	cm := getAwsAuth(t, c)
	assert.Equal(t, append(seedEntries(t), entry{"rolearn": roleArn, "username": "system-manager",
		"groups": []any{"system:masters"}}), parseRoles(t, cm.Data["mapRoles"]))
	assert.Equal(t, seedUsers, cm.Data["mapUsers"], "mapUsers must stay byte-for-byte")

	// The outputs, as the schema types them.
	assertOutputsMatchSchema(t, res.Outputs, setupType, "podExecutionRoleArn")
	assertSetupOutputs(t, a, res.Outputs, in.namespaces, "configMap", "no")
	assert.Len(t, res.Outputs["nodeGroupNames"].Value, 2)
	assert.Regexp(t, `^arn:aws:iam::`+a.cluster.AccountID+`:role/e2e-node-role-[0-9a-f]{7}$`, res.Outputs["nodeRoleArn"].Value)
	assert.Nil(t, res.Outputs["podExecutionRoleArn"].Value)

	// The built kubeconfig ran the CLI shim with the cluster's name and region.
	tokens := tokenRequests(calls)
	require.NotEmpty(t, tokens, "the built kubeconfig never ran `aws eks get-token`")
	for _, args := range tokens {
		assert.Equal(t, a.cluster.Name, flagValue(args, "--cluster-name"), "%v", args)
		assert.Equal(t, a.cluster.Region, flagValue(args, "--region"), "%v", args)
	}

	// Secrets: the external ID and every kubeconfig (the test cluster's token, and the built
	// one, which alone carries the cluster's CA) stay encrypted in the state, its backups and
	// history.
	state := storedState(t, stack)
	assertExternalIDSecret(t, state, res.Outputs["externalId"].Value.(string))
	assertNoPlaintext(t, state, a.cluster.CertificateData, "the built kubeconfig")
	assertNoPlaintext(t, state, kubeconfigToken(t), "the API server's token")
	assertOwnFramesOnly(t, stack, setupType)

	// A second up changes nothing and writes nothing.
	mark := a.mark(t)
	res = up(t, stack, optup.ExpectNoChanges())
	assert.Empty(t, changes(res))
	assert.Empty(t, writes(a.calls(t, mark)), "a no-op up must not write to AWS")
	assert.Equal(t, cm.ResourceVersion, getAwsAuth(t, c).ResourceVersion, "a no-op up must not write aws-auth")

	// A third namespace: only its objects are created, nothing in AWS.
	mark = a.mark(t)
	in.namespaces = append(in.namespaces, "e2e-ml-c")
	_, steps := upSteps(t, stack)
	assert.Empty(t, writes(a.calls(t, mark)), "a new namespace must not write to AWS")
	assert.Equal(t, namespaceSteps("create", "e2e-ml-c"), customSteps(steps))
	assertSetupNamespace(t, c, "e2e-ml-c")
	// ... and removing it deletes only them.
	mark = a.mark(t)
	in.namespaces = in.namespaces[:2]
	_, steps = upSteps(t, stack)
	assert.Empty(t, writes(a.calls(t, mark)))
	assert.Equal(t, namespaceSteps("delete", "e2e-ml-c"), customSteps(steps))
	waitGone(t, func() error {
		_, err := c.CoreV1().Namespaces().Get(t.Context(), "e2e-ml-c", metav1.GetOptions{})
		return err
	})

	// New worker instance types replace the worker group, and nothing else.
	mark = a.mark(t)
	in.workerTypes = []string{"m6i.2xlarge"}
	res, steps = upSteps(t, stack)
	calls = a.calls(t, mark)
	assert.Equal(t, []string{"create-replacement e2e-worker", "delete-replaced e2e-worker", "replace e2e-worker"},
		customSteps(steps))
	assert.Equal(t, map[string]int{"Create " + nodeGroupType: 1, "Delete " + nodeGroupType: 1}, writes(calls))
	for _, call := range calls {
		if call.Method == "Diff" && call.Type == nodeGroupType && strings.HasSuffix(call.URN, "::e2e-worker") {
			assert.Equal(t, []string{"instanceTypes"}, call.Replace, "the diff names what forces the replacement")
		}
	}
	assert.Len(t, res.Outputs["nodeGroupNames"].Value, 2)

	// destroy leaves the cluster as it was.
	_, err := stack.Destroy(t.Context())
	require.NoError(t, err)
	assertClusterAsBefore(t, in.namespaces)
	assert.Equal(t, map[string]int{}, withoutDefaultProviders(stateTypes(t, stack)), "nothing of ours in the state")
	deletes := map[string]int{}
	for k, n := range writes(a.calls(t, mark)) {
		if strings.HasPrefix(k, "Delete ") {
			deletes[strings.TrimPrefix(k, "Delete ")] = n
		}
	}
	wantDeletes := map[string]int{}
	for k, n := range awsCreates(nodeGroupChildren) {
		wantDeletes[strings.TrimPrefix(k, "Create ")] = n
	}
	wantDeletes[nodeGroupType]++ // the worker group replaced above
	assert.Equal(t, wantDeletes, deletes, "destroy deletes every AWS resource")
}

// namespaceSteps are the custom-resource steps of adding or removing one namespace.
func namespaceSteps(op, ns string) []string {
	var out []string
	for _, name := range []string{"-namespace", "-bootstrap-sa", "-bootstrap-binding", "-users-role", "-users-sa", "-users-binding"} {
		out = append(out, op+" e2e-"+ns+name)
	}
	slices.Sort(out)
	return out
}

// assertSetupOutputs checks the values a user registers in Concurrent.
func assertSetupOutputs(t *testing.T, a *account, out auto.OutputMap, namespaces []string, mode, fargate string) {
	t.Helper()
	roleArn, _ := out["roleArn"].Value.(string)
	assert.Regexp(t, `^arn:aws:iam::`+a.cluster.AccountID+`:role/e2e-role-[0-9a-f]{7}$`, roleArn,
		"the role is auto-named as the AWS provider does")
	assert.Equal(t, a.cluster.Name, out["clusterName"].Value)
	assert.Equal(t, a.cluster.ClusterARN(), out["clusterArn"].Value)
	assert.Equal(t, a.cluster.Region, out["region"].Value)
	assert.Equal(t, mode, out["accessMode"].Value)
	assert.Equal(t, "minimal", out["permissions"].Value, "least privilege by default")
	assert.Regexp(t, generatedExternalID, out["externalId"].Value)
	var regs []any
	configs := map[string]any{}
	for _, ns := range namespaces {
		regs = append(regs, map[string]any{
			"clusterName": a.cluster.Name, "namespace": ns, "clusterType": "EKS", "role": roleArn,
			"region": a.cluster.Region, "ecrRole": roleArn, "ecrType": "private", "ecrRegion": a.cluster.Region,
			"useFargate": fargate,
		})
		configs[ns] = map[string]any{
			"backend-type": "eks", "kube-context": a.cluster.Name, "kube-namespace": ns,
			"resources.requests.memory": "1024Mi", "kube-client-location": "backend",
		}
	}
	assert.Equal(t, regs, out["registrations"].Value)
	assert.Equal(t, configs, parsedBackendConfigs(t, out["mlflowBackendConfigs"].Value))
	assert.Equal(t, toAny(namespaces), out["namespaces"].Value)
}

// assertClusterAsBefore: no object of ours is left, and aws-auth holds the seed's entries.
func assertClusterAsBefore(t *testing.T, namespaces []string) {
	t.Helper()
	c := kube(t)
	for _, ns := range namespaces {
		waitGone(t, func() error {
			_, err := c.CoreV1().Namespaces().Get(t.Context(), ns, metav1.GetOptions{})
			return err
		})
		_, err := c.RbacV1().ClusterRoles().Get(t.Context(), "k8s-role-for-users-"+ns, metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "ClusterRole k8s-role-for-users-%s must be deleted: %v", ns, err)
	}
	_, err := c.RbacV1().ClusterRoles().Get(t.Context(), nstest.BootstrapClusterRole().Name, metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "the bootstrap ClusterRole must be deleted: %v", err)
	cm := getAwsAuth(t, c)
	// The aws-auth edit splices only our entry in and out, so every foreign entry is back
	// byte-for-byte (eksctl's `  - group` indentation included).
	assert.Equal(t, seedRoles, cm.Data["mapRoles"], "mapRoles, byte-for-byte")
	assert.Equal(t, seedUsers, cm.Data["mapUsers"], "mapUsers, byte-for-byte")
	assert.Len(t, cm.Data, 2)
}

// assertOverlap: at least two calls of this kind ran at the same time.
func assertOverlap(t *testing.T, calls []calllog.Call, what, why string) {
	t.Helper()
	var spans [][2]float64
	for _, c := range calls {
		if c.Method+" "+c.Type == what {
			start := float64(c.Time.UnixMicro()) / 1000
			spans = append(spans, [2]float64{start, start + c.Ms})
		}
	}
	for i := range spans {
		for j := i + 1; j < len(spans); j++ {
			if spans[i][0] < spans[j][1] && spans[j][0] < spans[i][1] {
				return
			}
		}
	}
	t.Errorf("%s: no two %s calls overlapped (%v)", why, what, spans)
}

func flagValue(args []string, name string) string {
	if i := slices.Index(args, name); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// assertSetupNamespace: the namespace and its five objects exist, as Concurrent names them.
func assertSetupNamespace(t *testing.T, c k8s.Interface, ns string) {
	t.Helper()
	_, err := c.CoreV1().Namespaces().Get(t.Context(), ns, metav1.GetOptions{})
	require.NoError(t, err)
	for _, o := range nstest.PerNamespace(ns) {
		assertObject(t, c, o)
	}
}

// generatedExternalID is the external ID the component makes when none is given: a
// RandomPassword of 32 letters and digits.
const generatedExternalID = `^[A-Za-z0-9]{32}$`

// assertExternalIDSecret: the generated external ID is nowhere in plain text in the state,
// its backups or history, not even as the random resource's id (a RandomPassword's is "none").
func assertExternalIDSecret(t *testing.T, state, externalID string) {
	t.Helper()
	require.Regexp(t, generatedExternalID, externalID)
	assert.Regexp(t, `"type":\s*"random:index/randomPassword:RandomPassword"`, state)
	assertNoPlaintext(t, state, externalID, "the generated external ID")
}
