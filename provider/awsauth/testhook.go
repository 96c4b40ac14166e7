package awsauth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// PauseEnv turns on a pause for the end-to-end tests of a killed engine:
// set to "<point>=<dir>", the plugin stops at that point, writes
// <dir>/paused holding "<pid> <parent pid>" and waits until <dir>/resume
// exists (or two minutes pass). It pauses once: when <dir>/paused exists it
// goes on. Nothing else reads it.
const PauseEnv = "PULUMI_CONCURRENT_TEST_PAUSE"

func pauseForTest(ctx context.Context, point string) {
	v := os.Getenv(PauseEnv)
	name, dir, ok := strings.Cut(v, "=")
	if !ok || name != point {
		return
	}
	paused := filepath.Join(dir, "paused")
	if _, err := os.Stat(paused); err == nil {
		return
	}
	_ = os.WriteFile(paused, fmt.Appendf(nil, "%d %d\n", os.Getpid(), os.Getppid()), 0o600)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if _, err := os.Stat(filepath.Join(dir, "resume")); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
