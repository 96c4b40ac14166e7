//go:build tools

// Package tools pins the Pulumi CLI so that tools/build.sh can build it
// from the Go module proxy (no prebuilt download is reachable here).
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
