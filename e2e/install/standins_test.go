//go:build install

package install

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

// The AWS and random plugins cannot be built here: the previews run on the engine tests'
// stand-ins (tools/bin/standin, see tools/README.md), pinned at the versions the component's
// Go SDKs ask for. They are the other packages' plugins: ours is never among them.
const (
	awsProviderVersion    = "6.83.4"
	randomProviderVersion = "4.18.4"
)

func standinDir() string { return filepath.Join(toolsDir, "bin", "standin") }

// fakeAccount is the AWS account the stand-ins play: the demo cluster, whose endpoint and CA
// are the test API server's (KUBECONFIG, from tools/kube-up.sh), so the kubeconfig the
// component builds reaches it through the stand-in `aws eks get-token`.
type fakeAccount struct {
	cluster fakeaws.Cluster
	log     string
	env     []string
}

func newFakeAccount(t *testing.T) *fakeAccount {
	t.Helper()
	for _, bin := range []string{"pulumi-resource-aws", "pulumi-resource-random", "aws"} {
		require.FileExists(t, filepath.Join(standinDir(), bin), "stand-in missing: run tools/build.sh (make e2e does)")
	}
	cfg, err := clientcmd.LoadFromFile(os.Getenv("KUBECONFIG"))
	require.NoError(t, err, "the test cluster's kubeconfig (KUBECONFIG; make e2e starts the cluster)")
	ctx := cfg.Contexts[cfg.CurrentContext]
	require.NotNil(t, ctx, "KUBECONFIG has no current context")
	kc := cfg.Clusters[ctx.Cluster]
	token := cfg.AuthInfos[ctx.AuthInfo].Token
	require.NotEmpty(t, token, "the test kubeconfig has no token")

	dir := t.TempDir()
	a := &fakeAccount{cluster: fakeaws.DemoCluster(), log: filepath.Join(dir, "calls.jsonl")}
	a.cluster.Endpoint = kc.Server
	a.cluster.CertificateData = base64.StdEncoding.EncodeToString(kc.CertificateAuthorityData)
	desc, err := json.Marshal(map[string]any{"cluster": a.cluster})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cluster.json"), desc, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token"), []byte(token), 0o600))
	a.env = []string{
		"STANDIN_AWS_DESCRIPTION=" + filepath.Join(dir, "cluster.json"),
		"STANDIN_KUBE_TOKEN_FILE=" + filepath.Join(dir, "token"),
		calllog.LogEnv + "=" + a.log,
		// The CLI shim first: the built kubeconfig runs `aws eks get-token`.
		"PATH=" + strings.Join([]string{standinDir(), filepath.Join(toolsDir, "bin"), os.Getenv("PATH")},
			string(os.PathListSeparator)),
		"INSTALL_CLUSTER_NAME=" + a.cluster.Name,
		"AWS_REGION=" + a.cluster.Region,
	}
	return a
}

func (a *fakeAccount) pins() []map[string]string {
	return []map[string]string{
		{"name": "aws", "version": awsProviderVersion, "path": standinDir()},
		{"name": "random", "version": randomProviderVersion, "path": standinDir()},
	}
}

// requireLookedUp fails unless the aws stand-in answered the component's cluster look-up:
// the preview ran the component's own code against the (fake) account.
func (a *fakeAccount) requireLookedUp(t *testing.T) {
	t.Helper()
	f, err := os.Open(a.log)
	require.NoError(t, err, "no stand-in was called")
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c calllog.Call
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c))
		if c.Plugin == "aws" && c.Method == "Invoke" && c.Type == "aws:eks/getCluster:getCluster" && c.Error == "" {
			return
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("the aws stand-in never answered aws:eks/getCluster:getCluster (log %s)", a.log)
}
