package provider

import (
	_ "embed"
	"strings"
)

// The SDKs' READMEs (npm, PyPI, the Go package page), written for users. The generator puts
// them in sdk/ through the schema's language section (Node.js, Python) or directly (Go).
// `{{version}}` becomes Version.
var (
	//go:embed readme/nodejs.md
	readmeNodejs string
	//go:embed readme/python.md
	readmePython string
	//go:embed readme/go.md
	readmeGo string

	ReadmeNodejs = withVersion(readmeNodejs)
	ReadmePython = withVersion(readmePython)
	ReadmeGo     = withVersion(readmeGo)
)

func withVersion(md string) string {
	return strings.ReplaceAll(md, "{{version}}", Version)
}
