// Command pulumi-resource-concurrent serves the concurrent Pulumi package.
package main

import "github.com/concurrent-ai/pulumi-concurrent/provider"

func main() { provider.Serve() }
