// Command emptyplugin is the floor for start-up: a pulumi-go-provider (infer) plugin that
// serves nothing. It links what every provider built on pulumi-go-provider links (the
// provider framework, the Pulumi Go SDK, gRPC) and none of what ours adds.
package main

import "github.com/concurrent-ai/pulumi-concurrent/bench/internal/noop"

func main() { noop.Serve("empty") }
