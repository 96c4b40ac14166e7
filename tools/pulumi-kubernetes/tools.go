//go:build tools

// Package tools pins the Kubernetes provider plugin (pulumi-resource-kubernetes)
// so that tools/build.sh can build it from the Go module proxy.
//
// The provider module is replaced by a writable copy under tools/bin/src
// (tools/build.sh prepares it): its main package embeds two
// generated JSON files that the module zip lacks.
package tools

import (
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"
)
