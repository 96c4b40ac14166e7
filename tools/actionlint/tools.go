//go:build tools

// Package tools pins actionlint, which `make lint` builds into bin/ to check
// .github/workflows/.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
