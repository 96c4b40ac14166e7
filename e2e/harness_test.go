//go:build e2e

// Package e2e drives the real Pulumi engine (Automation API, inline programs) with this
// repository's plugin and the Kubernetes provider against a real API server. It needs what
// tools/build.sh builds and a cluster from tools/kube-up.sh; `make e2e` does all of it.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

const kubernetesProviderVersion = "4.32.0"

var (
	toolsDir   string // holds bin/pulumi and bin/pulumi-resource-kubernetes
	pluginDir  string // holds our freshly built pulumi-resource-concurrent
	kubeconfig string // the test cluster's admin kubeconfig
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if toolsDir, err = filepath.Abs("../tools"); err != nil {
		panic(err)
	}
	path := os.Getenv("E2E_KUBECONFIG")
	if path == "" {
		path = "../.e2e/kubeconfig"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no test cluster (%v): run `make e2e`, which starts one\n", err)
		return 1
	}
	kubeconfig = string(b)

	// Our plugin, built from this tree.
	dir, err := os.MkdirTemp("", "concurrent-plugin-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	pluginDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "pulumi-resource-concurrent"),
		"../provider/cmd/pulumi-resource-concurrent")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building the plugin: %v\n", err)
		return 1
	}
	return m.Run()
}

// kube is a client-go client of the test cluster, to read back what the engine made.
func kube(t *testing.T) kubernetes.Interface {
	t.Helper()
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	require.NoError(t, err)
	c, err := kubernetes.NewForConfig(cfg)
	require.NoError(t, err)
	return c
}

// stackOption adds plugins and environment to a stack (the stand-ins, for instance).
type stackOption func(*workspace.Project, map[string]string)

// newStack makes a stack for an inline program with a file:// backend in a temp dir, an
// empty plugin cache, and exactly our plugin and the Kubernetes plugin (no ambient plugins,
// no downloads), plus what the options add.
func newStack(t *testing.T, project string, program pulumi.RunFunc, opts ...stackOption) stack {
	t.Helper()
	return newStackWithEnv(t, project, nil, program, opts...)
}

// newStackWithEnv is newStack with more environment for the CLI and its plugins.
func newStackWithEnv(t *testing.T, project string, extraEnv map[string]string, program pulumi.RunFunc,
	opts ...stackOption,
) stack {
	t.Helper()
	ctx := t.Context()
	tmp := t.TempDir()
	backend, home := filepath.Join(tmp, "state"), filepath.Join(tmp, "home")
	require.NoError(t, os.MkdirAll(backend, 0o700))
	require.NoError(t, os.MkdirAll(home, 0o700))

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: toolsDir, SkipVersionCheck: true})
	require.NoError(t, err)
	proj := workspace.Project{
		Name:    tokens.PackageName(project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: "file://" + backend},
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{
			{Name: "kubernetes", Version: kubernetesProviderVersion, Path: filepath.Join(toolsDir, "bin")},
			{Name: "concurrent", Version: provider.Version, Path: pluginDir},
		}},
	}
	env := map[string]string{
		"PULUMI_CONFIG_PASSPHRASE":                 "e2e",
		"PULUMI_SKIP_UPDATE_CHECK":                 "true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS":            "true",
		// A plugin that is not pinned fails at once instead of being looked for online.
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	}
	for _, o := range opts {
		o(&proj, env)
	}
	maps.Copy(env, extraEnv)
	st, err := auto.UpsertStackInlineSource(ctx, "e2e", project, program,
		auto.Pulumi(cmd), auto.Project(proj), auto.PulumiHome(home), auto.EnvVars(env),
		auto.SecretsProvider("passphrase"))
	require.NoError(t, err)
	t.Cleanup(func() {
		// Leave nothing behind when a test fails half-way.
		_, _ = st.Destroy(context.Background(), optdestroy.ErrorProgressStreams(os.Stderr))
	})
	return stack{Stack: st, backend: backend}
}

// stack is an Automation API stack and the folder of its file:// backend.
type stack struct {
	auto.Stack
	backend string
}

func up(t *testing.T, s stack, opts ...optup.Option) auto.UpResult {
	t.Helper()
	res, err := s.Up(t.Context(), append(opts, optup.ErrorProgressStreams(os.Stderr))...)
	require.NoError(t, err)
	return res
}

// changes are the operations of an update other than "same".
func changes(res auto.UpResult) map[string]int {
	out := map[string]int{}
	for op, n := range *res.Summary.ResourceChanges {
		if op != "same" && n != 0 {
			out[op] = n
		}
	}
	return out
}

// inStateDir: the file backend keeps the state under .pulumi/stacks, its backups under
// .pulumi/backups and each update's checkpoint under .pulumi/history.
func inStateDir(path string) bool {
	for _, dir := range []string{"stacks", "backups", "history"} {
		if strings.Contains(path, string(filepath.Separator)+dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// storedState is the stack's state as the backend keeps it on disk, with its backups and
// history. (The Automation API's
// Export runs `pulumi stack export --show-secrets`, so it cannot show what is encrypted.)
func storedState(t *testing.T, s stack) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(s.backend, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !inStateDir(path) {
			return err
		}
		data, err := os.ReadFile(path)
		b.Write(data)
		return err
	})
	require.NoError(t, err)
	require.NotZero(t, b.Len(), "no stack state found in the backend")
	return b.String()
}

// kubeconfigToken is the secret part of the test kubeconfig, which must never appear in state.
func kubeconfigToken(t *testing.T) string { return tokenOf(t, kubeconfig) }

// tokenOf returns the bearer token of a kubeconfig.
func tokenOf(t *testing.T, kc string) string {
	t.Helper()
	cfg, err := clientcmd.Load([]byte(kc))
	require.NoError(t, err)
	for _, u := range cfg.AuthInfos {
		if u.Token != "" {
			return u.Token
		}
	}
	t.Fatal("the kubeconfig has no token")
	return ""
}

// plain converts a typed Kubernetes value to the plain JSON shape the expectations use.
func plain(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// stateResource is a resource of the stored state, with what the tests read of it.
type stateResource struct {
	URN        string
	Type       string
	StackTrace []struct{ SourcePosition string }
}

// latestResources are the resources of the stack's stored state.
func latestResources(t *testing.T, s stack) []stateResource {
	t.Helper()
	var checkpoint struct {
		Checkpoint struct {
			Latest struct{ Resources []stateResource }
		}
	}
	var latest []byte
	require.NoError(t, filepath.WalkDir(s.backend, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(path) == "e2e.json" {
			latest, err = os.ReadFile(path)
		}
		return err
	}))
	require.NoError(t, json.Unmarshal(latest, &checkpoint))
	return checkpoint.Checkpoint.Latest.Resources
}

// stateTypes counts the resources of each type in the stored state.
func stateTypes(t *testing.T, s stack) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range latestResources(t, s) {
		out[r.Type]++
	}
	return out
}

// assertOwnFramesOnly: the stack traces the engine stored for the component's children hold
// the component's frames, not the gRPC and pulumi-go-provider frames that Construct runs
// under (provider/ownstack.go: they were half of the state).
func assertOwnFramesOnly(t *testing.T, s stack, component string) {
	t.Helper()
	children := 0
	for _, r := range latestResources(t, s) {
		if !strings.Contains(r.URN, component+"$") {
			continue
		}
		children++
		require.NotEmpty(t, r.StackTrace, "%s has no stack trace", r.URN)
		for _, f := range r.StackTrace {
			for _, foreign := range []string{"google.golang.org/grpc", "pulumi-go-provider", "/pulumi/sdk/"} {
				assert.NotContains(t, f.SourcePosition, foreign, "%s", r.URN)
			}
		}
	}
	require.NotZero(t, children, "no children of %s in the state", component)
}

// parsedBackendConfigs reads the mlflowBackendConfigs output: each namespace's value is the
// JSON text `mlflow run --backend-config` takes.
func parsedBackendConfigs(t *testing.T, output any) map[string]any {
	t.Helper()
	got := map[string]any{}
	texts, _ := output.(map[string]any)
	for ns, text := range texts {
		var v any
		s, _ := text.(string)
		assert.NoError(t, json.Unmarshal([]byte(s), &v), "mlflowBackendConfigs[%s] is JSON", ns)
		got[ns] = v
	}
	return got
}

func assertNoPlaintext(t *testing.T, state, secret, what string) {
	t.Helper()
	require.Contains(t, state, `"ciphertext"`, "secrets are stored encrypted")
	require.False(t, strings.Contains(state, secret), "%s appears in plain text in the stored state", what)
}
