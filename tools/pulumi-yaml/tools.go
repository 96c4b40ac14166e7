//go:build tools

// Package tools pins the Pulumi YAML language host so that tools/build.sh can build it
// from the Go module proxy, at the pkg/sdk v3.206.0 it requires (it does not compile
// against the CLI's v3.276.0: pkg's plugin-loader API changed in between).
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
