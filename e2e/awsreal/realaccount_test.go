// Package awsreal_test is the real-account acceptance run (`make e2e-aws`): it deploys a
// ConcurrentEksSetup to an existing EKS cluster named in the environment, checks what the
// "Right on real AWS" issues promise with the AWS CLI and client-go, and destroys it. It
// needs AWS credentials, the Pulumi CLI on PATH and internet access for the engine's
// plugins; without credentials it is skipped (config_test.go). docs/acceptance.md is the
// checklist a person follows beside it.
package awsreal_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

const namespace = "concurrent-acceptance"

func TestRealAccount(t *testing.T) {
	// `go test ./...` never deploys, even on a machine with credentials: only `make e2e-aws`.
	if os.Getenv("CONCURRENT_E2E_AWS") != "1" {
		t.Skip("the real-account acceptance run deploys to AWS: run it with `make e2e-aws`")
	}
	cfg, skip, err := configFromEnv(os.Getenv)
	if skip != "" {
		t.Skip(skip)
	}
	require.NoError(t, err)
	ctx := context.Background()

	// State outlives a crashed run, so `pulumi destroy` can still clean up (docs/acceptance.md).
	stateDir, err := filepath.Abs(filepath.Join("..", "..", ".e2e", "aws-state"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(stateDir, 0o755))
	args := setup.ConcurrentEksSetupArgs{
		ClusterName: pulumi.String(cfg.cluster), ConcurrentAccountId: pulumi.String(cfg.account),
		Namespaces: []setup.NamespaceArgs{{Name: namespace}},
	}
	compute := setup.ComputeType(cfg.compute)
	args.ComputeType = &compute
	if compute == setup.ComputeFargate {
		args.Fargate = &setup.FargateArgs{SubnetIds: pulumi.ToStringArray(cfg.fargateSubnets)}
	}
	program := func(ctx *pulumi.Context) error {
		s, err := setup.NewConcurrentEksSetup(ctx, "acceptance", args)
		if err != nil {
			return err
		}
		for k, v := range map[string]pulumi.Input{
			"roleArn": s.RoleArn, "roleName": s.RoleName, "externalId": s.ExternalId, "accessMode": s.AccessMode,
			"nodeGroupNames": s.NodeGroupNames, "fargateProfileNames": s.FargateProfileNames,
			"registrationRequests": s.RegistrationRequests,
		} {
			ctx.Export(k, v)
		}
		return nil
	}
	st, err := auto.UpsertStackInlineSource(ctx, "acceptance", "concurrent-acceptance", program,
		auto.EnvVars(map[string]string{
			"PULUMI_BACKEND_URL": "file://" + stateDir, "PULUMI_CONFIG_PASSPHRASE": "acceptance",
			"PULUMI_SKIP_UPDATE_CHECK": "true",
		}))
	require.NoError(t, err)
	require.NoError(t, st.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: cfg.region}))
	t.Cleanup(func() {
		_, err := st.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
		assert.NoError(t, err, "destroy: run `pulumi destroy` with the state in %s", stateDir)
	})
	res, err := st.Up(ctx, optup.ProgressStreams(os.Stdout))
	require.NoError(t, err)
	out := func(k string) any { return res.Outputs[k].Value }

	// Endpoint: public (Concurrent connects from its own account).
	var cluster struct {
		Cluster struct {
			ResourcesVpcConfig struct{ EndpointPublicAccess bool }
		}
	}
	awsJSON(t, cfg, &cluster, "eks", "describe-cluster", "--name", cfg.cluster)
	assert.True(t, cluster.Cluster.ResourcesVpcConfig.EndpointPublicAccess, "endpoint")

	// IAM: the role trusts Concurrent's account root with the external ID.
	var role struct {
		Role struct{ AssumeRolePolicyDocument json.RawMessage }
	}
	awsJSON(t, cfg, &role, "iam", "get-role", "--role-name", out("roleName").(string))
	assert.Contains(t, string(role.Role.AssumeRolePolicyDocument), "arn:aws:iam::"+cfg.account+":root")

	// Access: the access entry exists (accessEntry mode).
	if out("accessMode") == "accessEntry" {
		var entry struct{ AccessEntry struct{ Username string } }
		awsJSON(t, cfg, &entry, "eks", "describe-access-entry", "--cluster-name", cfg.cluster,
			"--principal-arn", out("roleArn").(string))
		assert.Equal(t, "system-manager", entry.AccessEntry.Username)
	}
	// Compute: node groups tainted and in private subnets; profiles on the wildcard selector.
	for _, name := range stringList(out("nodeGroupNames")) {
		var ng struct {
			Nodegroup struct {
				Status, AmiType string
				Taints          []struct{ Key, Value string }
			}
		}
		awsJSON(t, cfg, &ng, "eks", "describe-nodegroup", "--cluster-name", cfg.cluster, "--nodegroup-name", name)
		assert.Equal(t, "ACTIVE", ng.Nodegroup.Status, name)
		require.Len(t, ng.Nodegroup.Taints, 1, name)
		assert.Equal(t, "concurrent-node-type", ng.Nodegroup.Taints[0].Key, name)
	}
	for _, name := range stringList(out("fargateProfileNames")) {
		var fp struct {
			FargateProfile struct {
				Status    string
				Selectors []struct{ Namespace string }
			}
		}
		awsJSON(t, cfg, &fp, "eks", "describe-fargate-profile", "--cluster-name", cfg.cluster, "--fargate-profile-name", name)
		assert.Equal(t, "ACTIVE", fp.FargateProfile.Status, name)
		require.Len(t, fp.FargateProfile.Selectors, 1, name)
		assert.Equal(t, "*", fp.FargateProfile.Selectors[0].Namespace, name)
	}

	// Namespaces: the namespace and Concurrent's two service accounts, through client-go.
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	awsRun(t, cfg, "eks", "update-kubeconfig", "--name", cfg.cluster, "--kubeconfig", kubeconfig)
	rest, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	require.NoError(t, err)
	kube, err := kubernetes.NewForConfig(rest)
	require.NoError(t, err)
	_, err = kube.CoreV1().Namespaces().Get(ctx, namespace, metav1.GetOptions{})
	require.NoError(t, err)
	for _, sa := range []string{"k8s-serviceaccount-for-parallels-" + namespace, "k8s-serviceaccount-for-users-" + namespace} {
		_, err := kube.CoreV1().ServiceAccounts(namespace).Get(ctx, sa, metav1.GetOptions{})
		assert.NoError(t, err, sa)
	}

	// Registration: the body to post, with the external ID.
	reqs, ok := out("registrationRequests").(map[string]any)
	require.True(t, ok)
	var body map[string]string
	require.NoError(t, json.Unmarshal([]byte(reqs[namespace].(string)), &body))
	assert.Equal(t, out("externalId"), body["role_ext"])
	assert.Equal(t, cfg.cluster, body["cluster_name"])
}

func stringList(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func awsRun(t *testing.T, cfg runConfig, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("aws", append(args, "--region", cfg.region, "--output", "json")...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	require.NoError(t, err, "aws %v", args)
	return b
}

func awsJSON(t *testing.T, cfg runConfig, v any, args ...string) {
	t.Helper()
	require.NoError(t, json.Unmarshal(awsRun(t, cfg, args...), v), "aws %v", args)
}
