//go:build install

package install

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// What the install tests share: the repository (only to find dist/, the CLI in tools/bin and
// the test programs), the artifacts of `make dist`, a 127.0.0.1 server of dist/ standing in for
// the GitHub release, and a fresh PULUMI_HOME and backend per user.

var (
	repo     = mustAbs("../..")
	distDir  = envOr("INSTALL_DIST_DIR", filepath.Join(repo, "dist"))
	toolsDir = envOr("INSTALL_TOOLS_DIR", filepath.Join(repo, "tools"))
	version  = providerVersion()
)

// The CLI's plugin name, and the archive it asks the release for on this machine.
const plugin = "pulumi-resource-concurrent"

func hostArchive() string {
	return fmt.Sprintf("%s-v%s-%s-%s.tar.gz", plugin, version, runtime.GOOS, runtime.GOARCH)
}

// The GitHub source our schema names. The CLI matches the override's regexp against the
// source URL, which for GitHub has the repository (pulumi-concurrent) appended: the regexp
// must not end at the org.
const (
	pluginDownloadURL = "github://api.github.com/concurrent-ai"
	overrideRegexp    = `^github://api\.github\.com/concurrent-ai`
)

// releaseServer serves dist/ on 127.0.0.1 as a release would, and records every request.
type releaseServer struct {
	*httptest.Server
	mu     sync.Mutex
	served []string // "GET /name 200"
}

func newReleaseServer(t *testing.T) *releaseServer {
	s := &releaseServer{}
	files := http.FileServer(http.Dir(distDir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		files.ServeHTTP(rec, r)
		s.mu.Lock()
		s.served = append(s.served, fmt.Sprintf("%s %s %d", r.Method, r.URL.Path, rec.status))
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

// requireServed fails unless the server answered GET /name with 200.
func (s *releaseServer) requireServed(t *testing.T, name string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.Contains(t, s.served, "GET /"+name+" 200", "requests served: %v", s.served)
	t.Logf("the release server served: %v", s.served)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// user is a fresh machine account: its own PULUMI_HOME and file:// backend, the CLI from
// tools/bin, our plugin's GitHub source redirected to the release server, and automatic
// plugin acquisition left on (the engine must download our plugin itself).
type user struct {
	dir, home, backend string
	env                []string
}

// With an account, the user's previews run on the AWS stand-ins it plays.
func newUser(t *testing.T, srv *releaseServer, account *fakeAccount) *user {
	dir := t.TempDir()
	u := &user{dir: dir, home: filepath.Join(dir, "pulumi-home"), backend: filepath.Join(dir, "state")}
	require.NoError(t, os.MkdirAll(u.home, 0o700))
	require.NoError(t, os.MkdirAll(u.backend, 0o700))
	u.env = append(cleanEnv(),
		"PULUMI_HOME="+u.home,
		"PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES="+overrideRegexp+"="+srv.URL,
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false",
		// No plugin from PATH: ours must come from the server.
		"PULUMI_IGNORE_AMBIENT_PLUGINS=true",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true",
		"PULUMI_CONFIG_PASSPHRASE=install",
		"INSTALL_PULUMI_ROOT="+toolsDir,
		"INSTALL_BACKEND_URL=file://"+u.backend,
		"INSTALL_PINNED_PLUGINS="+pinnedPlugins(t, account),
	)
	if account != nil {
		u.env = append(u.env, account.env...)
	}
	return u
}

// cleanEnv is the test's environment without the Pulumi settings a developer or an earlier
// test may have exported.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PULUMI_") {
			out = append(out, kv)
		}
	}
	return out
}

// pinnedPlugins are the other packages' plugins, from tools/bin (never ours).
func pinnedPlugins(t *testing.T, account *fakeAccount) string {
	bin := filepath.Join(toolsDir, "bin")
	for _, dir := range []string{bin, standinDir()} {
		require.NoFileExists(t, filepath.Join(dir, plugin), "our plugin must not be beside the CLI or the stand-ins")
	}
	pins := []map[string]string{{"name": "kubernetes", "version": "4.32.0", "path": bin}}
	if account != nil {
		pins = append(pins, account.pins()...)
	}
	out, err := json.Marshal(pins)
	require.NoError(t, err)
	return string(out)
}

// run runs a command in dir with the user's environment plus extra, and returns its stdout.
func (u *user) run(t *testing.T, dir string, extra []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, u.env...), extra...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = &prefixWriter{t: t, prefix: "[" + filepath.Base(name) + "] "}
	t.Logf("%s$ %s %s", dir, name, strings.Join(args, " "))
	require.NoError(t, cmd.Run(), "%s %s\nstdout:\n%s", name, strings.Join(args, " "), stdout.String())
	return stdout.String()
}

// requirePluginInstalled fails unless PULUMI_HOME holds our plugin, byte for byte the binary
// of the host archive.
func (u *user) requirePluginInstalled(t *testing.T) {
	t.Helper()
	got := filepath.Join(u.home, "plugins", "resource-concurrent-v"+version, plugin)
	require.FileExists(t, got)
	want := archiveFiles(t, filepath.Join(distDir, hostArchive()))[plugin]
	require.Equal(t, sha256Hex(want), sha256Hex(mustRead(t, got)), "the installed plugin is the archive's binary")
}

// lastJSONLine decodes the last line of a program's stdout.
func lastJSONLine(t *testing.T, stdout string, v any) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), v), "stdout:\n%s", stdout)
}

// archiveFiles reads a .tar.gz: file name -> content.
func archiveFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[h.Name] = b
	}
}

type prefixWriter struct {
	t      *testing.T
	prefix string
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.t.Log(w.prefix + line)
	}
	return len(p), nil
}

func providerVersion() string {
	b, err := os.ReadFile(filepath.Join(repo, "provider", "version.go"))
	if err != nil {
		panic(err)
	}
	m := regexp.MustCompile(`(?m)^var Version = "(.*)"$`).FindSubmatch(b)
	if m == nil {
		panic("provider/version.go: no Version")
	}
	return string(m[1])
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, mustRead(t, from), 0o644))
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return a
}
