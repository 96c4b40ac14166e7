//go:build install

// Package install proves, offline, that a user without this repository can install and use
// the package from the release artifacts `make dist` builds: the engine downloads our plugin
// from a 127.0.0.1 server standing in for the GitHub release, into an empty PULUMI_HOME,
// while a fresh TypeScript project (the npm tarball) and a fresh Python virtual environment
// (the wheel) preview a ConcurrentEksSetup through the Automation API (AWS and random played
// by the engine tests' stand-ins, the Kubernetes parts against the test API server); `pulumi plugin install`
// works from the archive and from the server; a fresh Go module builds against the Go SDK.
// Run by `make e2e-install` (after `make dist`, with tools/bin and the test cluster).
package install

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The versions a user's project pins (the same as e2e/nodejs and e2e/python): PyPI has no
// pulumi 3.276.0, the SDK accepts any 3.269+.
const (
	npmPulumi     = "3.276.0"
	npmTypeScript = "5.9.3"
	npmTypesNode  = "20.19.43"
	pypiPulumi    = "3.272.0"
)

// What a preview of the test program (a ConcurrentEksSetup with one namespace) must show, at
// least: our provider, the component, and children of every step.
var previewed = []string{
	"pulumi:providers:concurrent",
	"concurrent:index:ConcurrentEksSetup",
	"random:index/randomPassword:RandomPassword",
	"aws:iam/role:Role",
	"aws:eks/nodeGroup:NodeGroup",
	"concurrent:index:ConcurrentNamespace",
	"kubernetes:core/v1:Namespace",
	"kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
}

func TestTypeScriptProjectPreviewsWithDownloadedPlugin(t *testing.T) {
	srv := newReleaseServer(t)
	account := newFakeAccount(t)
	u := newUser(t, srv, account)
	proj := filepath.Join(u.dir, "project")
	for _, f := range []string{"index.ts", "tsconfig.json"} {
		copyFile(t, filepath.Join("testdata", "typescript", f), filepath.Join(proj, f))
	}
	pkg, err := json.MarshalIndent(map[string]any{
		"name":    "install-ts",
		"private": true,
		"dependencies": map[string]string{
			"@concurrent-ai/pulumi-concurrent": "file:" + filepath.Join(distDir, npmTarball()),
			"@pulumi/pulumi":                   npmPulumi,
		},
		"devDependencies": map[string]string{"typescript": npmTypeScript, "@types/node": npmTypesNode},
	}, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(proj, "package.json"), pkg, 0o644))

	u.run(t, proj, nil, "npm", "install", "--no-audit", "--no-fund", "--ignore-scripts")
	u.run(t, proj, nil, filepath.Join(proj, "node_modules", ".bin", "tsc"), "-p", ".")
	out := u.run(t, proj, nil, "node", "bin/index.js")

	requirePreviewWithDownloadedPlugin(t, out, srv, u, account)
}

func TestPythonVenvPreviewsWithDownloadedPlugin(t *testing.T) {
	srv := newReleaseServer(t)
	account := newFakeAccount(t)
	u := newUser(t, srv, account)
	proj := filepath.Join(u.dir, "project")
	work := filepath.Join(proj, "work")
	require.NoError(t, os.MkdirAll(work, 0o755))
	copyFile(t, filepath.Join("testdata", "python", "program.py"), filepath.Join(proj, "program.py"))

	venv := filepath.Join(u.dir, "venv")
	u.run(t, proj, nil, envOr("INSTALL_PYTHON", "python3"), "-m", "venv", venv)
	py := filepath.Join(venv, "bin", "python")
	u.run(t, proj, nil, py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-input",
		filepath.Join(distDir, wheel()), "pulumi=="+pypiPulumi)
	out := u.run(t, proj, []string{"INSTALL_WORK_DIR=" + work}, py, "program.py")

	requirePreviewWithDownloadedPlugin(t, out, srv, u, account)
}

// requirePreviewWithDownloadedPlugin: the program's last JSON line lists the previewed types,
// the engine fetched our archive from the release server into the user's PULUMI_HOME, and the
// component looked the cluster up through the aws stand-in.
func requirePreviewWithDownloadedPlugin(t *testing.T, out string, srv *releaseServer, u *user, account *fakeAccount) {
	t.Helper()
	var res struct{ Types []string }
	lastJSONLine(t, out, &res)
	t.Logf("previewed: %v", res.Types)
	assert.Subset(t, res.Types, previewed)
	srv.requireServed(t, hostArchive())
	u.requirePluginInstalled(t)
	account.requireLookedUp(t)
}

// The two ways the READMEs give to install the plugin ahead of time.
func TestPluginInstallCommand(t *testing.T) {
	cli := filepath.Join(toolsDir, "bin", "pulumi")
	t.Run("--file", func(t *testing.T) {
		srv := newReleaseServer(t)
		u := newUser(t, srv, nil)
		u.run(t, u.dir, nil, cli, "plugin", "install", "resource", "concurrent", version,
			"--file", filepath.Join(distDir, hostArchive()))
		u.requirePluginInstalled(t)
		requireListed(t, u, cli)
	})
	t.Run("--server", func(t *testing.T) {
		srv := newReleaseServer(t)
		u := newUser(t, srv, nil)
		u.run(t, u.dir, nil, cli, "plugin", "install", "resource", "concurrent", version,
			"--server", pluginDownloadURL)
		srv.requireServed(t, hostArchive())
		u.requirePluginInstalled(t)
		requireListed(t, u, cli)
	})
}

// requireListed fails unless `pulumi plugin ls` shows our plugin at this version.
func requireListed(t *testing.T, u *user, cli string) {
	t.Helper()
	var plugins []struct{ Name, Kind, Version string }
	require.NoError(t, json.Unmarshal([]byte(u.run(t, u.dir, nil, cli, "plugin", "ls", "--json")), &plugins))
	assert.Contains(t, plugins, struct{ Name, Kind, Version string }{"concurrent", "resource", version})
}

// A fresh module builds the Go SDK README's program, with the SDK module taken from a local
// module proxy directory holding exactly what the tag sdk/v<version> publishes (the committed
// sdk/ at HEAD, zipped as the Go module proxy would); every other module from GOPROXY.
func TestGoModuleBuildsAgainstSDK(t *testing.T) {
	dir := t.TempDir()
	proxy := goProxyDir(t, filepath.Join(dir, "proxy"))
	mod := filepath.Join(dir, "module")
	require.NoError(t, os.MkdirAll(mod, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/concurrent-install\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "main.go"), goReadmeProgram(t), 0o644))

	u := &user{dir: dir, env: append(os.Environ(),
		"GOPROXY=file://"+proxy+","+goEnv(t, "GOPROXY"),
		"GONOSUMDB="+sdkModule, // not in the checksum database until it is published
		"GOFLAGS=-mod=mod",
		"GOWORK=off",
	)}
	u.run(t, mod, nil, "go", "get", sdkModule+"@v"+version)
	u.run(t, mod, nil, "go", "mod", "tidy")
	u.run(t, mod, nil, "go", "build", "-o", filepath.Join(dir, "program"+exeSuffix()), ".")
	require.FileExists(t, filepath.Join(dir, "program"+exeSuffix()))
	// Nothing came from the checkout: the SDK resolved from the proxy at the release version.
	out := u.run(t, mod, nil, "go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", sdkModule)
	assert.Regexp(t, `^v`+version+` `+regexpQuote(filepath.Join(goEnv(t, "GOMODCACHE"), sdkModule))+`@v`, out)
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
