//go:build install

package install

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// The Go SDK's module: the nested module sdk/, tagged sdk/v<version> at release.
const sdkModule = "github.com/concurrent-ai/pulumi-concurrent/sdk"

// goProxyDir writes a GOPROXY=file:// directory serving sdkModule at v<version>, zipped from
// the committed sdk/ at HEAD (what `go get` would fetch once the tag is pushed), and returns
// its path.
func goProxyDir(t *testing.T, dir string) string {
	t.Helper()
	v := "v" + version
	// The committed tree, as the tag would hold it (git archive; a worktree has no .git folder
	// for modzip.CreateFromVCS to find).
	src := filepath.Join(t.TempDir(), "src")
	require.NoError(t, os.MkdirAll(src, 0o755))
	archive := exec.Command("bash", "-c", `git -C "$1" archive HEAD sdk | tar -x -C "$2"`, "archive", repo, src)
	out, err := archive.CombinedOutput()
	require.NoError(t, err, "git archive HEAD sdk: %s", out)
	var zipped bytes.Buffer
	require.NoError(t, modzip.CreateFromDir(&zipped, module.Version{Path: sdkModule, Version: v}, filepath.Join(src, "sdk")))

	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	require.NoError(t, err)
	var goMod []byte
	for _, f := range zr.File {
		if f.Name == sdkModule+"@"+v+"/go.mod" {
			rc, err := f.Open()
			require.NoError(t, err)
			goMod, err = io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err)
		}
	}
	require.NotEmpty(t, goMod, "the module zip has no go.mod")

	at := filepath.Join(dir, filepath.FromSlash(sdkModule), "@v")
	require.NoError(t, os.MkdirAll(at, 0o755))
	info, err := json.Marshal(map[string]any{"Version": v, "Time": time.Now().UTC().Format(time.RFC3339)})
	require.NoError(t, err)
	for name, content := range map[string][]byte{
		"list": []byte(v + "\n"), v + ".info": info, v + ".mod": goMod, v + ".zip": zipped.Bytes(),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(at, name), content, 0o644))
	}
	return dir
}

// goReadmeProgram is the complete program of the Go SDK's README (provider/readme/go.md).
func goReadmeProgram(t *testing.T) []byte {
	t.Helper()
	md := string(mustRead(t, filepath.Join(repo, "provider", "readme", "go.md")))
	m := regexp.MustCompile("(?s)```go\n(package main\n.*?)```").FindStringSubmatch(md)
	require.NotNil(t, m, "the Go README has no complete program")
	return []byte(m[1])
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
