// The repository root is itself a Pulumi plugin (PulumiPlugin.yaml, runtime: go): the Go
// language host builds this file when a program uses `pulumi package add` on the repository.
package main

import "github.com/concurrent-ai/pulumi-concurrent/provider"

func main() { provider.Serve() }
