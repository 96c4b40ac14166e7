package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// variant is a setting of the engine or of the Kubernetes plugin, given as the environment
// both read; our component sets none of these, so a user can.
type variant struct {
	name string
	env  map[string]string
	why  string
}

var (
	skipCheckpoints = map[string]string{"PULUMI_SKIP_CHECKPOINTS": "true"}
	clientQPS       = map[string]string{"PULUMI_K8S_CLIENT_QPS": "500", "PULUMI_K8S_CLIENT_BURST": "1000"}
)

// variants are the settings tried at scale, in the order -variants names them.
var variants = []variant{
	{"default", nil, "the engine's and the Kubernetes provider's defaults"},
	{"skip-checkpoints", skipCheckpoints,
		"the state is written once at the end, not at every step (a crash loses the record of what was created)"},
	{"no-backups", map[string]string{"PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS": "true"},
		"a DIY backend does not copy the previous state aside before each write"},
	{"client-qps", clientQPS,
		"the Kubernetes provider's client rate limit: 500/s, burst 1000 (its defaults are 50/s, burst 120)"},
	{"skip-checkpoints+client-qps", merged(skipCheckpoints, clientQPS), "both"},
	{"client-side-apply", map[string]string{"PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY": "false"},
		"the Kubernetes provider creates objects with client-side apply instead of server-side apply"},
}

func merged(envs ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, e := range envs {
		maps.Copy(out, e)
	}
	return out
}

func pickVariants(names string) ([]variant, error) {
	var out []variant
	for _, name := range strings.Split(names, ",") {
		i := slices.IndexFunc(variants, func(v variant) bool { return v.name == strings.TrimSpace(name) })
		if i < 0 {
			return nil, fmt.Errorf("-variants: no variant %q (scale.go has the list)", name)
		}
		out = append(out, variants[i])
	}
	return out, nil
}

// scaleRun times `pulumi preview` and `pulumi up` of a setup with computeType none and n
// namespaces, and compares the up with `kubectl apply -f` of the same Kubernetes objects
// (the runbook's way), for each n, each --parallel value and each variant.
func scaleRun(ctx context.Context, tmp string, counts, parallels []int, vars []variant) error {
	fmt.Printf("kubectl: %s\n", *kubectl)
	for _, v := range vars {
		fmt.Printf("variant %-28s %s %s\n", v.name, envText(v.env), v.why)
	}
	fmt.Printf("load average before: %s\n", loadavg())
	fmt.Printf("%6s %9s %-28s %12s %12s %12s %8s\n", "ns", "parallel", "variant", "preview", "pulumi up", "kubectl", "up/kubectl")
	type key struct {
		n, par  int
		variant string
	}
	got := map[key]scaleTimes{}
	for _, n := range counts {
		for _, par := range parallels {
			for vi, v := range vars {
				round := fmt.Sprintf("s%d-p%d-v%d", n, par, vi)
				t, err := scaleRound(ctx, filepath.Join(tmp, round), round, n, par, v.env)
				if err != nil {
					return fmt.Errorf("%s (%s): %w", round, v.name, err)
				}
				got[key{n, par, v.name}] = t
				fmt.Printf("%6d %9d %-28s %12s %12s %12s %7.2fx\n", n, par, v.name, ms(t.preview), ms(t.up), ms(t.kubectl),
					ratio(t.up, t.kubectl))
			}
		}
	}
	fmt.Printf("load average after: %s\n", loadavg())
	for _, par := range parallels {
		for _, v := range vars {
			if a, b := got[key{100, par, v.name}], got[key{10, par, v.name}]; a.up > 0 && b.up > 0 {
				fmt.Printf("100 / 10 namespaces, --parallel %d, %s: pulumi up %.2fx, pulumi preview %.2fx   goal <= 12x\n",
					par, v.name, ratio(a.up, b.up), ratio(a.preview, b.preview))
			}
		}
	}
	return nil
}

// scaleTimes are one round's: pulumi preview (of the empty stack, as CI runs it on a
// first deploy), pulumi up and kubectl apply.
type scaleTimes struct{ preview, up, kubectl time.Duration }

// scaleRound is one round: kubectl apply of n namespaces' objects, then pulumi preview and
// up of the same objects under other names.
func scaleRound(ctx context.Context, dir, round string, n, par int, extra map[string]string) (t scaleTimes, err error) {
	env, cl, err := account(mkdir(dir), nil)
	if err != nil {
		return t, err
	}
	maps.Copy(env, extra)
	in := inputs{cluster: cl.Name, compute: "none"}
	manifest := []any{object(nstest.BootstrapClusterRole())}
	for i := range n {
		in.namespaces = append(in.namespaces, fmt.Sprintf("%s-p-%03d", round, i))
		kns := fmt.Sprintf("%s-k-%03d", round, i)
		manifest = append(manifest, object(nstest.NamespaceObject(kns)))
		for _, o := range nstest.PerNamespace(kns) {
			manifest = append(manifest, object(o))
		}
	}
	file := filepath.Join(dir, "objects.json")
	b, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": manifest})
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return t, err
	}
	st, err := newStack(ctx, dir, "bench-scale", env, componentProgram(in))
	if err != nil {
		return t, err
	}
	// kubectl first, then its objects deleted: the shared bootstrap ClusterRole has one
	// name, and each side must create it.
	start := time.Now()
	if out, err := kubectlRun("apply", "-f", file); err != nil {
		return t, fmt.Errorf("kubectl apply: %v: %s", err, out)
	}
	t.kubectl = time.Since(start)
	if out, err := kubectlRun("delete", "--wait=false", "--ignore-not-found", "-f", file); err != nil {
		return t, fmt.Errorf("kubectl delete: %v: %s", err, out)
	}
	start = time.Now()
	if _, err := st.Preview(ctx, optpreview.Parallel(par)); err != nil {
		return t, fmt.Errorf("preview: %w", err)
	}
	t.preview = time.Since(start)
	start = time.Now()
	if _, err := st.Up(ctx, optup.Parallel(par)); err != nil {
		return t, fmt.Errorf("up: %w", err)
	}
	t.up = time.Since(start)
	// No destroy: at 100 namespaces it takes minutes (the namespaces' deletion, and a DIY
	// backend's checkpoints again), and its deletions would load the next round. The next
	// round uses other names; only the shared ClusterRole must go, and the API server is
	// thrown away at the end.
	if out, err := kubectlRun("delete", "clusterrole", nstest.BootstrapClusterRole().Name); err != nil {
		return t, fmt.Errorf("kubectl delete: %v: %s", err, out)
	}
	return t, nil
}

func envText(env map[string]string) string {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		kv = append(kv, k+"="+env[k])
	}
	if kv == nil {
		return "(no settings)"
	}
	return strings.Join(kv, " ")
}

// object is an nstest object as a manifest.
func object(o nstest.Object) map[string]any {
	meta := map[string]any{"name": o.Name}
	if o.Namespace != "" {
		meta["namespace"] = o.Namespace
	}
	m := map[string]any{"apiVersion": o.APIVersion, "kind": o.Kind, "metadata": meta}
	for k, v := range map[string]any{"rules": o.Rules, "subjects": o.Subjects, "roleRef": o.RoleRef} {
		if v != nil {
			m[k] = v
		}
	}
	return m
}

func kubectlRun(args ...string) ([]byte, error) {
	return exec.Command(*kubectl, append([]string{"--kubeconfig", *kubeconfigPath}, args...)...).CombinedOutput()
}

// ints parses "1,10,100".
func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
