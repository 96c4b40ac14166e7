package testprops_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The shipped binaries never link the test helpers (the fake AWS they may link is
// internal/fakeaws).
func TestNotShipped(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/concurrent-ai/pulumi-concurrent",
		"github.com/concurrent-ai/pulumi-concurrent/provider/cmd/pulumi-resource-concurrent").CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws")
	for _, helper := range []string{"provider/internal/testprops", "provider/namespace/nstest"} {
		require.NotContains(t, deps, "github.com/concurrent-ai/pulumi-concurrent/"+helper)
	}
}
