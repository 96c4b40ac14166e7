// Package docs checks the user documentation against what the release publishes.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The Pulumi Registry copies only these two pages: a relative link in them would break there.
func TestRegistryPagesHaveOnlyAbsoluteLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)]*)\)`)
	for _, page := range []string{"_index.md", "installation-configuration.md"} {
		for _, m := range link.FindAllStringSubmatch(read(t, page), -1) {
			assert.Regexp(t, `^https://`, m[1], "%s: link %q", page, m[1])
		}
	}
}

// Every version a user copies from the docs is the one provider/version.go releases.
func TestDocumentedVersionsAreTheRelease(t *testing.T) {
	m := regexp.MustCompile(`(?m)^var Version = "(.*)"$`).FindStringSubmatch(read(t, "../provider/version.go"))
	require.NotNil(t, m)
	version := m[1]
	ver := `(\d+\.\d+\.\d+)`
	mentions := regexp.MustCompile(`resource concurrent ` + ver + `|sdk@v` + ver + `|pulumi_concurrent==` + ver +
		`|"@concurrent-ai/pulumi-concurrent": "` + ver + `"|resource-concurrent-v` + ver + `|version: ` + ver +
		"|release `v" + ver)
	pages := []string{"../README.md", "_index.md", "installation-configuration.md"}
	readmes, err := filepath.Glob("../provider/readme/*.md")
	require.NoError(t, err)
	found := 0
	for _, page := range append(pages, readmes...) {
		for _, sub := range mentions.FindAllStringSubmatch(read(t, page), -1) {
			for _, v := range sub[1:] {
				if v != "" {
					assert.Equal(t, version, v, "%s: %q", page, sub[0])
					found++
				}
			}
		}
	}
	assert.Greater(t, found, 10, "the pattern still finds the documented versions")
}

// The Go program of the installation page is the Go SDK README's, which the install test
// (e2e/install) builds in a fresh module.
func TestGoProgramIsTheBuiltOne(t *testing.T) {
	program := regexp.MustCompile("(?s)```go\n(package main\n.*?)```")
	doc := program.FindStringSubmatch(read(t, "installation-configuration.md"))
	readme := program.FindStringSubmatch(read(t, "../provider/readme/go.md"))
	require.NotNil(t, doc)
	require.NotNil(t, readme)
	assert.Equal(t, readme[1], doc[1])
}
