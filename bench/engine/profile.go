package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// profiledCLI returns a folder whose bin/pulumi runs the real CLI with --profiling for
// `pulumi up`, which the Automation API cannot pass: each up writes <dir>/up.<pid>.cpu
// (read it with `go tool pprof -top -cum tools/bin/pulumi <file>`).
func profiledCLI(tmp, dir string) (string, error) {
	root := filepath.Join(tmp, "profiled-cli")
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o700); err != nil {
		return "", err
	}
	real := filepath.Join(*toolsDir, "bin", "pulumi")
	script := fmt.Sprintf(`#!/bin/sh
case " $* " in
*" up "*) exec %q --profiling %q "$@" ;;
esac
exec %q "$@"
`, real, filepath.Join(dir, "up"), real)
	return root, os.WriteFile(filepath.Join(root, "bin", "pulumi"), []byte(script), 0o700)
}
