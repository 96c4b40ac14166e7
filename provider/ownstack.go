package provider

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// onOwnStack runs a component's constructor on a goroutine of its own.
//
// The Go SDK sends the whole goroutine stack with every registration, and the engine
// keeps it in the state as the resource's stackTrace. Under Construct that stack is 26
// frames, 22 of them gRPC's and pulumi-go-provider's, and they were 57% of the state of
// a 10-namespace setup. A DIY backend (file, S3) rewrites the whole state at every step,
// so a large `pulumi up` pays for its size once per step (docs/performance.md, section 5).
// On a fresh goroutine the stack holds only the component's own frames.
func onOwnStack[A any, R pulumi.ComponentResource](construct infer.ComponentFn[A, R]) infer.ComponentFn[A, R] {
	return func(ctx *pulumi.Context, name string, args A, opts ...pulumi.ResourceOption) (R, error) {
		type outcome struct {
			res      R
			err      error
			panicked any
		}
		done := make(chan outcome, 1)
		go func() {
			var o outcome
			defer func() {
				o.panicked = recover()
				done <- o
			}()
			o.res, o.err = construct(ctx, name, args, opts...)
		}()
		o := <-done
		if o.panicked != nil {
			panic(o.panicked) // where the caller would have seen it
		}
		return o.res, o.err
	}
}
