// Package diag is how a component tells its user something that is not an error: a
// warning or a note in the engine's log (`pulumi preview` prints them under the
// resource). A Recorder in the Go context also keeps them, so the offline plan and the
// tests can show them: the in-process engine the mocks run on keeps its log to itself.
package diag

import (
	"context"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Entry is one message, with its severity ("warning" or "info").
type Entry struct {
	Severity string
	Message  string
}

// Recorder keeps the messages of the constructs that run with its context.
type Recorder struct {
	mu      sync.Mutex
	entries []Entry
}

// Entries returns the messages so far, in order.
func (r *Recorder) Entries() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Entry(nil), r.entries...)
}

type recorderKey struct{}

// WithRecorder returns a context whose constructs record their messages in r.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// Warn logs a warning on res.
func Warn(ctx *pulumi.Context, res pulumi.Resource, msg string) {
	_ = ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: res})
	record(ctx, "warning", msg)
}

// Info logs a note on res.
func Info(ctx *pulumi.Context, res pulumi.Resource, msg string) {
	_ = ctx.Log.Info(msg, &pulumi.LogArgs{Resource: res})
	record(ctx, "info", msg)
}

func record(ctx *pulumi.Context, severity, msg string) {
	if r, ok := ctx.Context().Value(recorderKey{}).(*Recorder); ok {
		r.mu.Lock()
		r.entries = append(r.entries, Entry{Severity: severity, Message: msg})
		r.mu.Unlock()
	}
}
