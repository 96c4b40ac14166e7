//go:build tools

package tools

// kubectl at the API server's version, for bench/run.sh's comparison with `kubectl apply`
// (tools/build.sh kubectl; not part of `all`, so CI does not build it).
import _ "k8s.io/kubernetes/cmd/kubectl"
