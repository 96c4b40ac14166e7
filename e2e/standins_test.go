//go:build e2e

package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/require"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

// The stand-ins (tools/standin, built by tools/build.sh into tools/bin/standin) play AWS and
// random, which cannot be built here: see tools/README.md.
const (
	awsProviderVersion    = "6.83.4" // what the pulumi-aws Go SDK asks for
	randomProviderVersion = "4.18.4" // what the pulumi-random Go SDK asks for
)

// standinDir holds the stand-ins: E2E_STANDIN_DIR (where `make e2e` builds them, so a tools/bin
// shared with other work trees cannot swap them), else tools/bin/standin.
func standinDir() string {
	if d := os.Getenv("E2E_STANDIN_DIR"); d != "" {
		return d
	}
	return filepath.Join(toolsDir, "bin", "standin")
}

// account is one test's fake AWS account: the cluster description the aws stand-in answers
// from, the call log every stand-in appends to, and the token the CLI shim hands out.
type account struct {
	cluster fakeaws.Cluster
	dir     string
	log     string
}

// newAccount describes the test cluster as EKS would: its endpoint and CA are the local API
// server's, so the kubeconfig the component builds reaches it through the CLI shim. delays
// are per type token (Go durations).
func newAccount(t *testing.T, delays map[string]string) *account {
	t.Helper()
	for _, bin := range []string{"pulumi-resource-aws", "pulumi-resource-random", "aws"} {
		_, err := os.Stat(filepath.Join(standinDir(), bin))
		require.NoError(t, err, "stand-in %s missing: run tools/build.sh (make e2e does)", bin)
	}
	cfg, err := clientcmd.Load([]byte(kubeconfig))
	require.NoError(t, err)
	kc := cfg.Clusters[cfg.Contexts[cfg.CurrentContext].Cluster]

	a := &account{cluster: fakeaws.DemoCluster(), dir: t.TempDir()}
	a.cluster.Endpoint = kc.Server
	a.cluster.CertificateData = base64.StdEncoding.EncodeToString(kc.CertificateAuthorityData)
	a.log = filepath.Join(a.dir, "calls.jsonl")
	b, err := json.Marshal(map[string]any{"cluster": a.cluster, "delays": delays})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(a.dir, "cluster.json"), b, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(a.dir, "token"), []byte(kubeconfigToken(t)), 0o600))
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range failed(a.calls(t, 0)) {
				t.Logf("stand-in call failed: %s", f)
			}
		}
	})
	return a
}

// option pins the stand-in plugins and puts the CLI shim first on the engine's PATH (which
// the plugins and the exec credential plugins they run inherit).
func (a *account) option() stackOption {
	return func(p *workspace.Project, env map[string]string) {
		p.Plugins.Providers = append(p.Plugins.Providers,
			workspace.PluginOptions{Name: "aws", Version: awsProviderVersion, Path: standinDir()},
			workspace.PluginOptions{Name: "random", Version: randomProviderVersion, Path: standinDir()})
		env["STANDIN_AWS_DESCRIPTION"] = filepath.Join(a.dir, "cluster.json")
		env["STANDIN_KUBE_TOKEN_FILE"] = filepath.Join(a.dir, "token")
		env[calllog.LogEnv] = a.log
		// The Automation API puts tools/bin first only on the PATH it inherits, not on one
		// given here.
		env["PATH"] = strings.Join([]string{standinDir(), filepath.Join(toolsDir, "bin"), os.Getenv("PATH")},
			string(os.PathListSeparator))
	}
}

// calls reads the call log; mark is a count of earlier calls to skip.
func (a *account) calls(t *testing.T, mark int) []calllog.Call {
	t.Helper()
	out, err := calllog.Read(a.log)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	return out[min(mark, len(out)):]
}

func (a *account) mark(t *testing.T) int { return len(a.calls(t, 0)) }

// writes counts the Create, Update and Delete calls by "Method type" (a preview's aside).
func writes(calls []calllog.Call) map[string]int {
	out := map[string]int{}
	for _, c := range calls {
		if (c.Method == "Create" || c.Method == "Update" || c.Method == "Delete") && !c.DryRun {
			out[c.Method+" "+c.Type]++
		}
	}
	return out
}

// failed lists the calls that returned an error, for failure messages.
func failed(calls []calllog.Call) []string {
	var out []string
	for _, c := range calls {
		if c.Error != "" {
			out = append(out, fmt.Sprintf("%s %s %s: %s", c.Method, c.Type, c.URN, c.Error))
		}
	}
	return out
}

// tokenRequests are the CLI shim's `aws eks get-token` runs.
func tokenRequests(calls []calllog.Call) [][]string {
	var out [][]string
	for _, c := range calls {
		if c.Plugin == "awscli" && c.Error == "" && slices.Equal(c.Args[:2], []string{"eks", "get-token"}) {
			out = append(out, c.Args)
		}
	}
	return out
}
