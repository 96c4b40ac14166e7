package provider

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type stubComponent struct{ pulumi.ResourceState }

// callers are the functions on the stack of whoever calls it.
func callers() []string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	var out []string
	for {
		f, more := frames.Next()
		out = append(out, f.Function)
		if !more {
			return out
		}
	}
}

func TestOnOwnStackHidesTheCallersFrames(t *testing.T) {
	var seen []string
	construct := onOwnStack(func(ctx *pulumi.Context, name string, args struct{}, opts ...pulumi.ResourceOption) (*stubComponent, error) {
		seen = callers()
		return &stubComponent{}, errors.New("from the constructor")
	})
	res, err := construct(nil, "n", struct{}{})

	require.NotNil(t, res, "the constructor's result is returned")
	require.EqualError(t, err, "from the constructor")
	for _, fn := range seen {
		// What the Go SDK would record with each registration: nothing of the caller's stack.
		assert.False(t, strings.HasPrefix(fn, "testing."), "caller frame %s", fn)
	}
	// The constructor, onOwnStack's goroutine and the runtime's goroutine exit.
	assert.Len(t, seen, 3, "%v", seen)
}

func TestOnOwnStackPanicsInTheCaller(t *testing.T) {
	construct := onOwnStack(func(ctx *pulumi.Context, name string, args struct{}, opts ...pulumi.ResourceOption) (*stubComponent, error) {
		panic("boom")
	})
	assert.PanicsWithValue(t, "boom", func() { _, _ = construct(nil, "n", struct{}{}) })
}
