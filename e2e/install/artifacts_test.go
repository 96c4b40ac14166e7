//go:build install

package install

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The artifact names a release publishes.
func npmTarball() string { return "concurrent-ai-pulumi-concurrent-" + version + ".tgz" }
func wheel() string      { return "pulumi_concurrent-" + version + "-py3-none-any.whl" }
func sdist() string      { return "pulumi_concurrent-" + version + ".tar.gz" }

var archiveName = regexp.MustCompile(`^pulumi-resource-concurrent-v(.+)-(linux|darwin|windows)-(amd64|arm64)\.tar\.gz$`)

// dist/ is flat and holds exactly the plugin archive(s), the npm tarball, the wheel, the
// sdist and SHA256SUMS, which lists every other file with its digest.
func TestDistIsFlatAndSummed(t *testing.T) {
	entries, err := os.ReadDir(distDir)
	require.NoError(t, err, "run make dist first")
	var names []string
	for _, e := range entries {
		require.False(t, e.IsDir(), "dist/ must be flat: %s", e.Name())
		names = append(names, e.Name())
	}
	require.Contains(t, names, hostArchive())
	var others []string
	for _, n := range names {
		if m := archiveName.FindStringSubmatch(n); m != nil {
			assert.Equal(t, version, m[1], n)
			continue
		}
		others = append(others, n)
	}
	sort.Strings(others)
	assert.Equal(t, []string{"SHA256SUMS", npmTarball(), wheel(), sdist()}, others)

	sums := map[string]string{}
	f, err := os.Open(filepath.Join(distDir, "SHA256SUMS"))
	require.NoError(t, err)
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		digest, name, ok := strings.Cut(sc.Text(), "  ")
		require.True(t, ok, "SHA256SUMS line %q", sc.Text())
		sums[name] = digest
	}
	for _, n := range names {
		if n == "SHA256SUMS" {
			continue
		}
		assert.Equal(t, sha256Hex(mustRead(t, filepath.Join(distDir, n))), sums[n], n)
	}
	assert.Len(t, sums, len(names)-1, "SHA256SUMS lists exactly the other files")
}

// Each plugin archive holds the binary (with .exe on Windows) at its root, LICENSE and
// README.md, and nothing else; the host's binary is our provider at this version.
func TestPluginArchives(t *testing.T) {
	entries, err := os.ReadDir(distDir)
	require.NoError(t, err)
	for _, e := range entries {
		m := archiveName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		files := archiveFiles(t, filepath.Join(distDir, e.Name()))
		exe := plugin
		if m[2] == "windows" {
			exe += ".exe"
		}
		var got []string
		for n := range files {
			got = append(got, n)
		}
		assert.ElementsMatch(t, []string{exe, "LICENSE", "README.md"}, got, e.Name())
		assert.Contains(t, string(files["LICENSE"]), "SPDX-License-Identifier: Apache-2.0", e.Name())
		assert.Greater(t, len(files[exe]), 1<<20, "%s: a real provider binary", e.Name())
	}
	// A stand-in would not answer GetSchema with our package: run the host binary as the engine
	// does, in a fresh PULUMI_HOME, by installing it and asking the CLI for its schema.
	srv := newReleaseServer(t)
	u := newUser(t, srv, nil)
	cli := filepath.Join(toolsDir, "bin", "pulumi")
	u.run(t, u.dir, nil, cli, "plugin", "install", "resource", "concurrent", version,
		"--file", filepath.Join(distDir, hostArchive()))
	var schema struct{ Name, Version, PluginDownloadURL string }
	out := u.run(t, u.dir, nil, cli, "package", "get-schema", "concurrent@"+version)
	require.NoError(t, json.Unmarshal([]byte(out), &schema))
	assert.Equal(t, "concurrent", schema.Name)
	assert.Equal(t, version, schema.Version)
	assert.Equal(t, pluginDownloadURL, schema.PluginDownloadURL)
}

// The npm tarball is the compiled SDK with its entry points, README and LICENSE.
func TestNpmTarball(t *testing.T) {
	files := archiveFiles(t, filepath.Join(distDir, npmTarball()))
	var pkg struct {
		Name, Version, Main, Types, License string
		DevDependencies                     map[string]string
		Pulumi                              struct{ Name, Version, Server string }
	}
	require.NoError(t, json.Unmarshal(files["package/package.json"], &pkg))
	assert.Equal(t, "@concurrent-ai/pulumi-concurrent", pkg.Name)
	assert.Equal(t, version, pkg.Version)
	assert.Equal(t, "Apache-2.0", pkg.License)
	assert.Empty(t, pkg.DevDependencies, "build-only dependencies are not published")
	assert.Equal(t, struct{ Name, Version, Server string }{"concurrent", version, pluginDownloadURL}, pkg.Pulumi)
	for _, f := range []string{pkg.Main, pkg.Types, "README.md", "LICENSE", "concurrentEksSetup.js", "concurrentEksSetup.d.ts"} {
		assert.Contains(t, files, "package/"+f)
	}
	assert.Equal(t, "index.js", pkg.Main)
	assert.Equal(t, "index.d.ts", pkg.Types)
	assert.Contains(t, string(files["package/README.md"]), "npm install @concurrent-ai/pulumi-concurrent")
}

// The wheel carries the SDK, its plugin metadata, the license, and the README as the long
// description PyPI shows; the sdist holds the same sources.
func TestPythonDistributions(t *testing.T) {
	zr, err := zip.OpenReader(filepath.Join(distDir, wheel()))
	require.NoError(t, err)
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		files[f.Name] = string(b)
	}
	info := fmt.Sprintf("pulumi_concurrent-%s.dist-info/", version)
	meta := files[info+"METADATA"]
	require.NotEmpty(t, meta, "wheel METADATA")
	assert.Contains(t, meta, "\nName: pulumi_concurrent\n")
	assert.Contains(t, meta, "\nVersion: "+version+"\n")
	assert.Contains(t, meta, "\nDescription-Content-Type: text/markdown\n")
	assert.Contains(t, meta, "\npip install pulumi_concurrent\n", "the README is the long description")
	assert.Contains(t, files, info+"licenses/LICENSE")
	var pj struct{ Name, Version, Server string }
	require.NoError(t, json.Unmarshal([]byte(files["pulumi_concurrent/pulumi-plugin.json"]), &pj))
	assert.Equal(t, pluginDownloadURL, pj.Server)
	assert.Contains(t, files, "pulumi_concurrent/concurrent_eks_setup.py")

	src := archiveFiles(t, filepath.Join(distDir, sdist()))
	root := fmt.Sprintf("pulumi_concurrent-%s/", version)
	for _, f := range []string{"pyproject.toml", "README.md", "LICENSE", "pulumi_concurrent/concurrent_eks_setup.py"} {
		assert.Contains(t, src, root+f)
	}
}
