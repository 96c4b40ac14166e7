//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	k8s "k8s.io/client-go/kubernetes"

	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
)

// pausedUpdate seeds aws-auth, creates our mapping through the engine, then starts an up
// that changes its username and returns once our plugin has written aws-auth and stopped
// (the plugin's test-only pause), with the plugin's and the CLI's process ids and the up's
// result channel.
func pausedUpdate(t *testing.T, c k8s.Interface, project, mapRoles string) (s stack, plugin, cli int, done <-chan error) {
	t.Helper()
	setAwsAuth(t, c, map[string]string{"mapRoles": mapRoles, "mapUsers": seedUsers})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	dir := t.TempDir()
	kc, username := kubeconfig, "system-manager"
	s = typedMappingStack(t, project, map[string]string{awsauth.PauseEnv: "update-written=" + dir}, &kc, &username)
	up(t, s)

	username = "concurrent-admin"
	ch := make(chan error, 1)
	go func() {
		_, err := s.Up(t.Context())
		ch <- err
	}()
	deadline := time.Now().Add(90 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(dir, "paused"))
		if err == nil && len(b) > 0 {
			_, err = fmt.Sscan(string(b), &plugin, &cli)
			require.NoError(t, err)
			return s, plugin, cli, ch
		}
		select {
		case err := <-ch:
			t.Fatalf("the update ended before the pause: %v", err)
		default:
		}
		require.True(t, time.Now().Before(deadline), "the plugin never paused")
		time.Sleep(20 * time.Millisecond)
	}
}

func kill(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
		t.Fatalf("kill %d: %v", pid, err)
	}
}

// clearPending is what a user does after a killed `pulumi up` on a self-managed backend:
// `pulumi cancel` (removes the lock), then `pulumi stack export`, drop the pending
// operations, `pulumi stack import`.
func clearPending(t *testing.T, s stack) (pending int) {
	t.Helper()
	require.NoError(t, s.Cancel(t.Context()))
	exp, err := s.Export(t.Context())
	require.NoError(t, err)
	var d map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exp.Deployment, &d))
	var ops []any
	if raw, ok := d["pending_operations"]; ok {
		require.NoError(t, json.Unmarshal(raw, &ops))
	}
	delete(d, "pending_operations")
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, s.Import(t.Context(), apitype.UntypedDeployment{Version: exp.Version, Deployment: b}))
	return len(ops)
}

// SIGKILL the CLI while our update is in flight (after our write, before the engine records
// it), recover as a user would, and aws-auth ends right: ours once, with the new username,
// nothing foreign changed; destroy brings mapRoles back byte for byte.
func TestAwsAuthKilledEngine(t *testing.T) {
	c := kube(t)
	before := runbookEntry + seedRoles
	stack, plugin, cli, done := pausedUpdate(t, c, "e2e-aws-auth-killed", before)
	kill(t, cli)
	require.Error(t, <-done, "the killed up fails")
	kill(t, plugin) // orphaned, still paused

	assert.Equal(t, 1, clearPending(t, stack), "the killed update left one pending operation")
	_, err := stack.Refresh(t.Context())
	require.NoError(t, err)
	up(t, stack)
	want := append(parseRoles(t, before), ours("concurrent-admin"))
	assert.Equal(t, want, parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]), "ours once, with the new username")
	assert.Equal(t, seedUsers, getAwsAuth(t, c).Data["mapUsers"])

	_, err = stack.Destroy(t.Context())
	require.NoError(t, err)
	assert.Equal(t, before, getAwsAuth(t, c).Data["mapRoles"], "byte for byte as before up")
}

// The same with only our plugin killed: the step fails cleanly (an error, no pending
// operation), and the next up and destroy leave aws-auth right.
func TestAwsAuthKilledPlugin(t *testing.T) {
	c := kube(t)
	stack, plugin, _, done := pausedUpdate(t, c, "e2e-aws-auth-killed-plugin", seedRoles)
	kill(t, plugin)
	require.Error(t, <-done, "the update step fails")
	exp, err := stack.Export(t.Context())
	require.NoError(t, err)
	var d struct {
		Pending []any `json:"pending_operations"`
	}
	require.NoError(t, json.Unmarshal(exp.Deployment, &d))
	assert.Empty(t, d.Pending, "a failed step leaves no pending operation")

	res := up(t, stack)
	assert.Equal(t, map[string]int{"update": 1}, changes(res))
	want := append(seedEntries(t), ours("concurrent-admin"))
	assert.Equal(t, want, parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]), "ours once, with the new username")

	_, err = stack.Destroy(t.Context())
	require.NoError(t, err)
	assert.Equal(t, seedRoles, getAwsAuth(t, c).Data["mapRoles"], "byte for byte as before up")
}
