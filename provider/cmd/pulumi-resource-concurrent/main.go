// Command pulumi-resource-concurrent serves the concurrent Pulumi package. With `plan` as
// its first argument it prints the offline plan of a setup file instead; the engine starts
// plugins without a subcommand.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/plan"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == plan.Command {
		err := plan.Main(context.Background(), os.Args[2:], os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-resource-concurrent plan: %v\n", err)
		}
		os.Exit(plan.ExitCode(err))
	}
	provider.Serve()
}
