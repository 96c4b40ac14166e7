//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// The repository's Pulumi YAML projects that run ConcurrentEksSetup, by folder.
var yamlSetupProjects = []string{".", "examples/yaml"}

// componentName is the logical name both projects give ConcurrentEksSetup.
const componentName = "concurrent"

// Each YAML project as a user runs it, against the stand-in AWS and the real API server:
// stack init, config set, preview, up (exactly the children the offline plan lists for the
// same inputs), outputs (the external ID secret unless --show-secrets), a no-change up that
// writes nothing, destroy.
func TestYAMLSetupProjects(t *testing.T) {
	for _, rel := range yamlSetupProjects {
		t.Run(rel, func(t *testing.T) {
			a := newAccount(t, nil)
			p := newProject(t, rel, append(a.pins(), kubernetesPin(t))...)
			p.useAccount(a)
			p.initStack(t, "dev")
			program := configure(t, p, a)
			want := offlinePlan(t, a, program)

			p.pulumi(t, "preview", "--non-interactive")
			assert.Empty(t, writes(a.calls(t, 0)), "a preview writes nothing")
			mark := a.mark(t)
			p.pulumi(t, "up", "--yes", "--skip-preview", "--non-interactive")
			calls := a.calls(t, mark)
			require.Empty(t, failed(calls))
			raw, _ := p.state(t)
			assert.Equal(t, want.children(), stateChildren(t, raw), "the children in state, as the offline plan lists them")
			assert.Equal(t, want.creates(), writes(calls), "the stand-ins' Create calls")

			// The Kubernetes side, read back.
			c := kube(t)
			for _, ns := range program.namespaces {
				for _, o := range nstest.PerNamespace(ns) {
					assertObject(t, c, o)
				}
			}
			assertObject(t, c, nstest.BootstrapClusterRole())
			tokens := tokenRequests(calls)
			require.NotEmpty(t, tokens, "the built kubeconfig never ran `aws eks get-token`")
			for _, args := range tokens {
				assert.Equal(t, a.cluster.Name, flagValue(args, "--cluster-name"), "%v", args)
				assert.Equal(t, a.cluster.Region, flagValue(args, "--region"), "%v", args)
			}

			// The outputs: the external ID only with --show-secrets, and never in the state.
			hidden, shown := p.outputs(t), p.outputs(t, "--show-secrets")
			assert.Equal(t, "[secret]", hidden["externalId"])
			externalID, _ := shown["externalId"].(string)
			assert.Regexp(t, generatedExternalID, externalID)
			delete(shown, "externalId")
			delete(hidden, "externalId")
			assert.Equal(t, shown, hidden, "only the external ID is secret")
			assertRegistrations(t, a, shown, program.namespaces)
			state := p.storedState(t)
			assertExternalIDSecret(t, state, externalID)
			assertNoPlaintext(t, state, a.cluster.CertificateData, "the built kubeconfig")
			assertNoPlaintext(t, state, kubeconfigToken(t), "the API server's token")

			mark = a.mark(t)
			p.pulumi(t, "up", "--yes", "--skip-preview", "--expect-no-changes", "--non-interactive")
			assert.Empty(t, writes(a.calls(t, mark)), "a no-op up must not write to AWS")

			mark = a.mark(t)
			p.pulumi(t, "destroy", "--yes", "--skip-preview", "--non-interactive")
			assertClusterAsBefore(t, program.namespaces)
			raw, _ = p.state(t)
			assert.Empty(t, stateChildren(t, raw), "nothing of ours in the state")
			deletes := map[string]int{}
			for k, n := range writes(a.calls(t, mark)) {
				deletes["Create "+strings.TrimPrefix(k, "Delete ")] = n
			}
			assert.Equal(t, want.creates(), deletes, "destroy deletes every AWS resource it created")
		})
	}
}

// yamlProgram is what the tests read from a project's Pulumi.yaml: the component's
// properties, with the config values the test set, and its namespaces.
type yamlProgram struct {
	properties map[string]any
	namespaces []string
}

// configure sets the projects' config (the stand-in's cluster, Concurrent's account) and
// reads the program back with it.
func configure(t *testing.T, p *project, a *account) yamlProgram {
	t.Helper()
	config := map[string]string{"clusterName": a.cluster.Name, "concurrentAccountId": concurrentAccountID}
	for k, v := range config {
		p.pulumi(t, "config", "set", k, v)
	}
	return readProgram(t, p, config)
}

func readProgram(t *testing.T, p *project, config map[string]string) yamlProgram {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(p.dir, "Pulumi.yaml"))
	require.NoError(t, err)
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	res, ok := doc.Resources[componentName]
	require.True(t, ok && res.Type == setupType, "the project has no %s named %s", setupType, componentName)
	out := yamlProgram{properties: res.Properties}
	for k, v := range out.properties {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
			value, ok := config[strings.TrimSuffix(strings.TrimPrefix(s, "${"), "}")]
			require.True(t, ok, "%s: %s is not set", k, s)
			out.properties[k] = value
		}
	}
	namespaces, _ := out.properties["namespaces"].([]any)
	for _, ns := range namespaces {
		out.namespaces = append(out.namespaces, ns.(map[string]any)["name"].(string))
	}
	require.NotEmpty(t, out.namespaces)
	return out
}

// plannedResource is one resource of `pulumi-resource-concurrent plan --output json`.
type plannedResource struct{ Type, URN string }

type offline struct{ resources []plannedResource }

// offlinePlan runs the plugin's `plan` subcommand on the program's inputs and the stand-in's
// cluster description: the review step of a pull request (docs/ci-preview.md).
func offlinePlan(t *testing.T, a *account, program yamlProgram) offline {
	t.Helper()
	described := a.cluster // a plan never connects: no endpoint, no CA
	described.Endpoint, described.CertificateData = "", ""
	setup := map[string]any{"cluster": described}
	for k, v := range program.properties {
		setup[k] = v
	}
	b, err := json.Marshal(setup) // JSON is YAML
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "setup.yaml")
	require.NoError(t, os.WriteFile(file, b, 0o600))
	cmd := exec.Command(filepath.Join(pluginDir, "pulumi-resource-concurrent"), "plan", "-f", file,
		"--output", "json", "--name", componentName)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var plan struct{ Resources []plannedResource }
	require.NoError(t, json.Unmarshal(out, &plan))
	require.NotEmpty(t, plan.Resources)
	return offline{resources: plan.Resources}
}

// children are the planned resources by URN without stack and project: type chain and name.
func (o offline) children() []string {
	var out []string
	for _, r := range o.resources {
		out = append(out, urnPath(r.URN))
	}
	slices.Sort(out)
	return out
}

// creates are the Create calls the stand-ins must see for the planned resources.
func (o offline) creates() map[string]int {
	out := map[string]int{}
	for _, r := range o.resources {
		if strings.HasPrefix(r.Type, "aws:") || strings.HasPrefix(r.Type, "random:") {
			out["Create "+r.Type]++
		}
	}
	return out
}

// urnPath is a URN without its stack and project: `type$type::name`.
func urnPath(urn string) string {
	parts := strings.SplitN(urn, "::", 3)
	if len(parts) < 3 {
		return urn
	}
	return parts[2]
}

// stateChildren are the resources of an exported state that are the component or below it.
func stateChildren(t *testing.T, export string) []string {
	t.Helper()
	var d struct {
		Deployment struct{ Resources []struct{ URN string } }
	}
	require.NoError(t, json.Unmarshal([]byte(export), &d))
	out := []string{}
	for _, r := range d.Deployment.Resources {
		if path := urnPath(r.URN); strings.HasPrefix(path, setupType) {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// assertRegistrations checks the values a user enters in Concurrent, per namespace.
func assertRegistrations(t *testing.T, a *account, out map[string]any, namespaces []string) {
	t.Helper()
	roleArn, _ := out["roleArn"].(string)
	assert.Regexp(t, `^arn:aws:iam::`+a.cluster.AccountID+`:role/`+componentName+`-role-[0-9a-f]{7}$`, roleArn)
	var regs []any
	configs := map[string]any{}
	for _, ns := range namespaces {
		regs = append(regs, map[string]any{
			"clusterName": a.cluster.Name, "namespace": ns, "clusterType": "EKS", "role": roleArn,
			"region": a.cluster.Region, "ecrRole": roleArn, "ecrType": "private", "ecrRegion": a.cluster.Region,
			"useFargate": "no",
		})
		configs[ns] = map[string]any{
			"backend-type": "eks", "kube-context": a.cluster.Name, "kube-namespace": ns,
			"resources.requests.memory": "1024Mi", "kube-client-location": "backend",
		}
	}
	assert.Equal(t, regs, out["registrations"])
	assert.Equal(t, configs, parsedBackendConfigs(t, out["mlflowBackendConfigs"]))
}
