//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// A project is a copy of one of this repository's Pulumi projects in a temp folder, driven
// with the `pulumi` CLI as a user drives it: from the project's folder, with a file://
// backend, an empty PULUMI_HOME and no plugin download. For a `runtime: yaml` project the
// CLI runs tools/bin/pulumi-language-yaml, the host it finds next to itself.
type project struct {
	dir     string // the project folder inside the copy
	backend string // the file:// backend's folder
	env     []string
}

// pin is a provider plugin the copy's Pulumi.yaml pins by name, version and folder.
type pin struct{ name, version, dir string }

// newProject copies the project folder rel (relative to the repository root) to the same
// place in a temp tree whose bin/ holds the plugin built from this tree, where `make build`
// puts it: the project's own plugins.providers path for concurrent is what resolves. The
// other plugins are pinned by appending to plugins.providers (a missing one fails at once:
// automatic acquisition is off). Only Pulumi.yaml is copied: a YAML program is all in it.
func newProject(t *testing.T, rel string, pins ...pin) *project {
	t.Helper()
	tmp := t.TempDir()
	root := filepath.Join(tmp, "repo")
	p := &project{dir: filepath.Join(root, rel), backend: filepath.Join(tmp, "state")}
	home := filepath.Join(tmp, "home")
	for _, d := range []string{p.dir, p.backend, home, filepath.Join(root, "bin")} {
		require.NoError(t, os.MkdirAll(d, 0o700))
	}
	require.NoError(t, os.Symlink(filepath.Join(pluginDir, "pulumi-resource-concurrent"),
		filepath.Join(root, "bin", "pulumi-resource-concurrent")))

	data, err := os.ReadFile(filepath.Join("..", rel, "Pulumi.yaml"))
	require.NoError(t, err)
	data = pinProviders(t, data, pins)
	require.NoError(t, os.WriteFile(filepath.Join(p.dir, "Pulumi.yaml"), data, 0o600))

	// Nothing of the caller's Pulumi settings (a token, a backend) reaches the CLI.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PULUMI_") && !strings.HasPrefix(kv, "PATH=") {
			p.env = append(p.env, kv)
		}
	}
	p.env = append(p.env,
		"PATH="+filepath.Join(toolsDir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_HOME="+home,
		"PULUMI_BACKEND_URL=file://"+p.backend,
		"PULUMI_CONFIG_PASSPHRASE=e2e",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS=true",
	)
	return p
}

// setEnv adds or overrides one variable of the CLI's environment.
func (p *project) setEnv(key, value string) {
	p.env = append(p.env, key+"="+value)
}

// initStack runs `pulumi stack init` and, when the test ends, destroys whatever is left
// (a failed test leaves nothing running against the cluster).
func (p *project) initStack(t *testing.T, name string) {
	t.Helper()
	p.pulumi(t, "stack", "init", name)
	t.Cleanup(func() {
		cmd := p.command(context.Background(), "destroy", "--yes", "--skip-preview", "--non-interactive")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		_ = cmd.Run()
	})
}

func (p *project) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(toolsDir, "bin", "pulumi"), args...)
	cmd.Dir, cmd.Env = p.dir, p.env
	return cmd
}

// pulumi runs the CLI in the project's folder and returns its stdout; a failure ends the
// test with both streams.
func (p *project) pulumi(t *testing.T, args ...string) string {
	t.Helper()
	return p.pulumiStdin(t, "", args...)
}

// pulumiStdin is pulumi with stdin (e.g. a secret for `config set`, kept off the command line).
func (p *project) pulumiStdin(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, err := p.try(t, stdin, args...)
	require.NoError(t, err, "pulumi %s", strings.Join(args, " "))
	return out
}

// try runs the CLI and returns stdout and the error, which names stderr.
func (p *project) try(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := p.command(t.Context(), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &stdout, &stderr
	err := cmd.Run()
	t.Logf("pulumi %s: %s", strings.Join(args, " "), tail(stderr.String()+stdout.String(), 3000))
	if err != nil {
		return stdout.String(), &cliError{err: err, stderr: stderr.String(), stdout: stdout.String()}
	}
	return stdout.String(), nil
}

type cliError struct {
	err            error
	stderr, stdout string
}

func (e *cliError) Error() string {
	return e.err.Error() + "\nstderr:\n" + e.stderr + "\nstdout:\n" + tail(e.stdout, 4000)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// outputs is `pulumi stack output --json` (plus flags), decoded.
func (p *project) outputs(t *testing.T, flags ...string) map[string]any {
	t.Helper()
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(p.pulumi(t, append([]string{"stack", "output", "--json"}, flags...)...)), &out))
	return out
}

// state is `pulumi stack export` (secrets stay encrypted) and the resource types it counts.
func (p *project) state(t *testing.T) (string, map[string]int) {
	t.Helper()
	raw := p.pulumi(t, "stack", "export")
	var d struct {
		Deployment struct{ Resources []struct{ Type string } }
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &d))
	types := map[string]int{}
	for _, r := range d.Deployment.Resources {
		types[r.Type]++
	}
	return raw, types
}

// storedState is everything the file backend keeps of the project's stacks (state, backups,
// history), to look for plain-text secrets where `stack export` cannot show them.
func (p *project) storedState(t *testing.T) string {
	t.Helper()
	return storedState(t, stack{backend: p.backend})
}

// pinProviders appends entries to the program's plugins.providers, keeping the rest of the
// file (and its comments) as written.
func pinProviders(t *testing.T, program []byte, pins []pin) []byte {
	t.Helper()
	if len(pins) == 0 {
		return program
	}
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(program, &doc))
	top := doc.Content[0]
	providers := child(top, "plugins", yaml.MappingNode)
	providers = child(providers, "providers", yaml.SequenceNode)
	for _, p := range pins {
		entry := &yaml.Node{Kind: yaml.MappingNode}
		for _, kv := range [][2]string{{"name", p.name}, {"version", p.version}, {"path", p.dir}} {
			entry.Content = append(entry.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Value: kv[0]},
				&yaml.Node{Kind: yaml.ScalarNode, Value: kv[1], Style: yaml.DoubleQuotedStyle})
		}
		providers.Content = append(providers.Content, entry)
	}
	out, err := yaml.Marshal(&doc)
	require.NoError(t, err)
	return out
}

// child is the value of key in mapping m, added with the given kind when missing.
func child(m *yaml.Node, key string, kind yaml.Kind) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	v := &yaml.Node{Kind: kind}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

// kubernetesPin pins the Kubernetes provider plugin tools/build.sh built, through a link in
// a folder of the test's own: the YAML host caches a plugin's schema in the parent of the
// plugin's folder, which must not be the repository's tools/.
func kubernetesPin(t *testing.T) pin {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kubernetes")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, os.Symlink(filepath.Join(toolsDir, "bin", "pulumi-resource-kubernetes"),
		filepath.Join(dir, "pulumi-resource-kubernetes")))
	return pin{name: "kubernetes", version: kubernetesProviderVersion, dir: dir}
}

// pins are the stand-in plugins, as a project pins them.
func (a *account) pins() []pin {
	return []pin{
		{name: "aws", version: awsProviderVersion, dir: standinDir()},
		{name: "random", version: randomProviderVersion, dir: standinDir()},
	}
}

// useAccount gives the CLI the environment the stand-ins read (the same as account.option
// gives an Automation API stack), the aws CLI shim first on its PATH.
func (p *project) useAccount(a *account) {
	env := map[string]string{}
	a.option()(&workspace.Project{Plugins: &workspace.Plugins{}}, env)
	for k, v := range env {
		p.setEnv(k, v)
	}
}
