// Package noop serves a pulumi-go-provider (infer) plugin with nothing in it: the floor the
// start-up benchmark compares our plugin with. infer refuses a provider with nothing in it,
// so it serves one function that does nothing.
package noop

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// Serve runs the plugin named name until the engine stops it.
func Serve(name string) {
	prov, err := infer.NewProviderBuilder().
		WithFunctions(infer.Function(&Noop{})).
		Build()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	if err := p.RunProvider(context.Background(), name, "0.0.1", prov); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// Noop is the one function the plugin serves.
type Noop struct{}

// NoopArgs are its (no) arguments.
type NoopArgs struct{}

// NoopResult is its (empty) result.
type NoopResult struct{}

// Invoke does nothing.
func (*Noop) Invoke(context.Context, infer.FunctionRequest[NoopArgs]) (infer.FunctionResponse[NoopResult], error) {
	return infer.FunctionResponse[NoopResult]{}, nil
}
