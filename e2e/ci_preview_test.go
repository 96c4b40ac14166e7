//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The pull-request job of docs/ci-preview.md on the repository's Pulumi.yaml: the offline
// plan, then `pulumi preview --json --diff --non-interactive`, first for a new stack, then
// for the deployed stack after the change a pull request makes (one more namespace). The
// JSON must list the component's children (the plan's, with the operation each gets) and
// carry no secret.
func TestYAMLCIPreview(t *testing.T) {
	a := newAccount(t, nil)
	p := newProject(t, ".", append(a.pins(), kubernetesPin(t))...)
	p.useAccount(a)
	p.initStack(t, "prod")
	program := configure(t, p, a)
	plan := offlinePlan(t, a, program)

	// A new stack: exactly the planned children, each a create.
	d := p.previewJSON(t)
	assert.Equal(t, plan.children(), d.children(), "the preview's children are the offline plan's")
	assert.Equal(t, []string{"create"}, d.ops(plan.children()), "a new stack only creates")
	assertNoSecret(t, d.raw, a, "")
	assert.Contains(t, d.raw, `"[secret]"`, "the built kubeconfig is shown as [secret]")
	assert.Empty(t, writes(a.calls(t, 0)), "a preview writes nothing")
	t.Logf("the first preview ran `aws eks get-token` %d times", len(tokenRequests(a.calls(t, 0))))

	p.pulumi(t, "up", "--yes", "--skip-preview", "--non-interactive")
	externalID, _ := p.outputs(t, "--show-secrets")["externalId"].(string)
	require.NotEmpty(t, externalID)

	// The pull request adds a namespace to Pulumi.yaml.
	addNamespace(t, filepath.Join(p.dir, "Pulumi.yaml"), "e2e-pr")
	after := offlinePlan(t, a, readProgram(t, p, map[string]string{"clusterName": a.cluster.Name, "concurrentAccountId": concurrentAccountID}))
	added, kept := []string{}, []string{}
	for _, c := range after.children() {
		if slices.Contains(plan.children(), c) {
			kept = append(kept, c)
		} else {
			added = append(added, c)
		}
	}
	require.NotEmpty(t, added)

	mark := a.mark(t)
	d = p.previewJSON(t)
	// Without --show-sames the JSON lists only the steps that change something: exactly the
	// new namespace's objects, as the plan adds them; the rest is counted as same.
	assert.Equal(t, added, d.children(), "the preview lists what the pull request adds")
	assert.Equal(t, []string{"create"}, d.ops(added), "the new namespace's objects are created")
	assert.Equal(t, len(added), d.ChangeSummary["create"], "%v", d.ChangeSummary)
	assert.GreaterOrEqual(t, d.ChangeSummary["same"], len(kept), "every other child stays: %v", d.ChangeSummary)
	assert.Len(t, d.ChangeSummary, 2, "nothing updated, replaced or deleted: %v", d.ChangeSummary)
	assertNoSecret(t, d.raw, a, externalID)
	assert.Empty(t, writes(a.calls(t, mark)), "a preview writes nothing")
}

// preview is the document `pulumi preview --json` prints.
type preview struct {
	raw   string
	Steps []struct {
		Op  string
		URN string
	}
	ChangeSummary map[string]int
}

// ciPreviewEnv is what the pull-request job sets on its preview step (docs/ci-preview.md).
var ciPreviewEnv = []string{"PULUMI_SKIP_CHECKPOINTS=true", "PULUMI_K8S_CLIENT_QPS=500", "PULUMI_K8S_CLIENT_BURST=1000"}

// previewJSON runs the preview exactly as the pull-request job does.
func (p *project) previewJSON(t *testing.T) preview {
	t.Helper()
	job := *p
	job.env = append(slices.Clone(p.env), ciPreviewEnv...)
	out := job.pulumi(t, "preview", "--json", "--diff", "--non-interactive")
	d := preview{raw: out}
	require.NoError(t, json.Unmarshal([]byte(out), &d), out)
	return d
}

// children are the steps' resources that are the component or below it, as urnPath.
func (d preview) children() []string {
	out := []string{}
	for _, s := range d.Steps {
		if path := urnPath(s.URN); strings.HasPrefix(path, setupType) {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// ops are the distinct operations of the steps on these resources (by urnPath).
func (d preview) ops(paths []string) []string {
	var out []string
	for _, s := range d.Steps {
		if slices.Contains(paths, urnPath(s.URN)) && !slices.Contains(out, s.Op) {
			out = append(out, s.Op)
		}
	}
	slices.Sort(out)
	return out
}

// assertNoSecret: neither the API server's token, nor the built kubeconfig (its CA), nor the
// external ID (when known) appears.
func assertNoSecret(t *testing.T, doc string, a *account, externalID string) {
	t.Helper()
	for what, secret := range map[string]string{
		"the API server's token": kubeconfigToken(t), "the built kubeconfig": a.cluster.CertificateData,
		"the external ID": externalID,
	} {
		if secret != "" {
			assert.False(t, strings.Contains(doc, secret), "%s appears in the preview", what)
		}
	}
}

// addNamespace appends a namespace to the component's namespaces in a Pulumi YAML program.
func addNamespace(t *testing.T, file, name string) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	props := child(child(child(doc.Content[0], "resources", yaml.MappingNode), componentName, yaml.MappingNode),
		"properties", yaml.MappingNode)
	list := child(props, "namespaces", yaml.SequenceNode)
	list.Content = append(list.Content, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "name"}, {Kind: yaml.ScalarNode, Value: name},
	}})
	out, err := yaml.Marshal(&doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, out, 0o600))
}
