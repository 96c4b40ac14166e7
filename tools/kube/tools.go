//go:build tools

// Package tools pins kube-apiserver and kube-controller-manager so that
// tools/build.sh can build them from the Go module proxy (Debian ships
// neither; etcd comes from Debian's etcd-server, see etcd.sh).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
