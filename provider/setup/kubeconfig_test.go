package setup_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// The built kubeconfig authenticates as the AWS provider does: from the stack config's
// aws:profile and aws:assumeRole, unless kubeconfigAuth is given; never with static keys.

type execCredential struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Env     []struct{ Name, Value string }
}

// builtExec decodes the exec section of the kubeconfig the namespaces' provider gets.
func builtExec(t *testing.T, run *fakeaws.Run) (execCredential, string) {
	t.Helper()
	provs := run.ByType("pulumi:providers:kubernetes")
	require.Len(t, provs, 1, run.String())
	kc := provs[0].Inputs.Get("kubeconfig")
	require.True(t, kc.Secret(), "the kubeconfig stays secret")
	var cfg struct {
		Users []struct {
			User struct {
				Exec execCredential `json:"exec"`
			} `json:"user"`
		} `json:"users"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(kc.AsString()), &cfg))
	require.Len(t, cfg.Users, 1)
	return cfg.Users[0].User.Exec, kc.AsString()
}

var getTokenArgs = []string{"eks", "get-token", "--cluster-name", "kubetest32", "--region", "us-east-2", "--output", "json"}

func TestKubeconfigFollowsTheStackConfig(t *testing.T) {
	stack := fakeaws.WithConfig(map[string]string{
		"aws:profile":    "platform",
		"aws:assumeRole": `{"roleArn": "arn:aws:iam::678901234557:role/deployer", "sessionName": "ci"}`,
	})
	exec, _ := builtExec(t, mustConstruct(t, minimal(), stack))
	assert.Equal(t, "aws", exec.Command)
	assert.Equal(t, append(getTokenArgs, "--role-arn", "arn:aws:iam::678901234557:role/deployer"), exec.Args)
	assert.Equal(t, []struct{ Name, Value string }{{"AWS_PROFILE", "platform"}}, exec.Env)

	// kubeconfigAuth, when given, replaces the stack's settings whole.
	exec, _ = builtExec(t, mustConstruct(t, with(map[string]any{"kubeconfigAuth": map[string]any{"profile": "admin"}}), stack))
	assert.Equal(t, getTokenArgs, exec.Args)
	assert.Equal(t, []struct{ Name, Value string }{{"AWS_PROFILE", "admin"}}, exec.Env)

	// No AWS settings in the stack: the environment's credentials, as the provider's.
	exec, _ = builtExec(t, mustConstruct(t, minimal()))
	assert.Equal(t, getTokenArgs, exec.Args)
	assert.Empty(t, exec.Env)
}

// get-token has no --external-id: a stack role that needs one is an error before any
// child, unless the kubeconfig (or kubeconfigAuth) is given.
func TestStackAssumeRoleWithExternalID(t *testing.T) {
	stack := fakeaws.WithConfig(map[string]string{
		"aws:assumeRole": `{"roleArn": "arn:aws:iam::678901234557:role/deployer", "externalId": "s3cr3t-id"}`,
	})
	mustFail(t, minimal(), "kubeconfig", "`aws eks get-token` cannot pass: give kubeconfig", stack)
	run, err := construct(t, minimal(), stack)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t-id", "the external ID is never echoed")
	assert.Empty(t, run.Resources, "a static rule: not even the component is registered")

	mustConstruct(t, with(map[string]any{"kubeconfig": secret("apiVersion: v1\nkind: Config\n")}), stack)
	mustConstruct(t, with(map[string]any{"kubeconfigAuth": map[string]any{"profile": "deployer-with-external-id"}}), stack)

	mustFail(t, minimal(), "kubeconfigAuth", "aws:assumeRole cannot be read",
		fakeaws.WithConfig(map[string]string{"aws:assumeRole": "arn:aws:iam::678901234557:role/deployer"}))
}

// Static keys stay out of the kubeconfig; the user is told get-token uses the environment.
func TestStackStaticKeysAreNeverCopied(t *testing.T) {
	run := mustConstruct(t, minimal(), fakeaws.WithConfig(map[string]string{
		"aws:accessKey": "AKIAEXAMPLEKEY000000", "aws:secretKey": "very/secret/key",
	}))
	_, kc := builtExec(t, run)
	assert.NotContains(t, kc, "AKIAEXAMPLEKEY000000")
	assert.NotContains(t, kc, "very/secret/key")
	require.Len(t, run.Warnings(), 1)
	assert.Contains(t, run.Warnings()[0], "kubeconfig: the stack config sets aws:accessKey, which the built kubeconfig never copies")
}
