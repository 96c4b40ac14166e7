//go:build e2e

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// Two ConcurrentNamespaces from a Pulumi YAML project through the CLI, the YAML language host
// and our plugin, with an explicit Kubernetes provider whose kubeconfig is secret config:
// preview, up, a no-change up, outputs, destroy.
func TestYAMLNamespacesProject(t *testing.T) {
	client := kube(t)
	p := newProject(t, "e2e/testdata/yaml-namespaces", kubernetesPin(t))
	p.initStack(t, "dev")
	p.pulumiStdin(t, kubeconfig, "config", "set", "--secret", "kubeconfig")

	p.pulumi(t, "preview", "--non-interactive")
	p.pulumi(t, "up", "--yes", "--skip-preview", "--non-interactive")
	_, types := p.state(t)
	assert.Equal(t, 2, types["concurrent:index:ConcurrentNamespace"], "%v", types)
	assert.Equal(t, 2, types["kubernetes:core/v1:Namespace"], "%v", types)
	for _, ns := range []string{"e2e-yaml-team-a", "e2e-yaml-team-b"} {
		assertNamespaceObjects(t, client, ns)
	}
	assertObject(t, client, nstest.BootstrapClusterRole())
	assert.Equal(t, map[string]any{"teamA": "e2e-yaml-team-a", "teamB": "e2e-yaml-team-b"}, p.outputs(t))
	assertNoPlaintext(t, p.storedState(t), kubeconfigToken(t), "the kubeconfig's token")

	p.pulumi(t, "up", "--yes", "--skip-preview", "--expect-no-changes", "--non-interactive")

	p.pulumi(t, "destroy", "--yes", "--skip-preview", "--non-interactive")
	for _, ns := range []string{"e2e-yaml-team-a", "e2e-yaml-team-b"} {
		waitGone(t, func() error {
			_, err := client.CoreV1().Namespaces().Get(t.Context(), ns, metav1.GetOptions{})
			return err
		})
	}
	_, types = p.state(t)
	require.Empty(t, types, "destroy leaves nothing in state")
}
