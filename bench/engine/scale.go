package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace/nstest"
)

// scaleRun times `pulumi up` of a setup with computeType none and n namespaces against
// `kubectl apply -f` of the same Kubernetes objects (the runbook's way), for each n and
// each --parallel value, alternating within each n.
func scaleRun(ctx context.Context, tmp string, counts, parallels []int) error {
	fmt.Printf("kubectl: %s\nload average before: %s\n", *kubectl, loadavg())
	fmt.Printf("%6s %9s %12s %12s %8s\n", "ns", "parallel", "pulumi up", "kubectl", "ratio")
	ups := map[[2]int]time.Duration{}
	for _, n := range counts {
		for _, par := range parallels {
			round := fmt.Sprintf("s%d-p%d", n, par)
			dir := filepath.Join(tmp, round)
			env, cl, err := account(mkdir(dir), nil)
			if err != nil {
				return err
			}
			in := inputs{cluster: cl.Name, compute: "none"}
			var manifest []any
			manifest = append(manifest, object(nstest.BootstrapClusterRole()))
			for i := range n {
				ns := fmt.Sprintf("%s-p-%03d", round, i)
				in.namespaces = append(in.namespaces, ns)
				kns := fmt.Sprintf("%s-k-%03d", round, i)
				manifest = append(manifest, object(nstest.NamespaceObject(kns)))
				for _, o := range nstest.PerNamespace(kns) {
					manifest = append(manifest, object(o))
				}
			}
			file := filepath.Join(dir, "objects.json")
			b, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": manifest})
			if err := os.WriteFile(file, b, 0o600); err != nil {
				return err
			}
			st, err := newStack(ctx, dir, "bench-scale", env, componentProgram(in))
			if err != nil {
				return err
			}
			// kubectl first, then its objects deleted: the shared bootstrap ClusterRole has
			// one name, and each side must create it.
			start := time.Now()
			if out, err := kubectlRun("apply", "-f", file); err != nil {
				return fmt.Errorf("kubectl apply: %v: %s", err, out)
			}
			kc := time.Since(start)
			if out, err := kubectlRun("delete", "--wait=false", "--ignore-not-found", "-f", file); err != nil {
				return fmt.Errorf("kubectl delete: %v: %s", err, out)
			}
			start = time.Now()
			if _, err := st.Up(ctx, optup.Parallel(par)); err != nil {
				return fmt.Errorf("up %s: %w", round, err)
			}
			up := time.Since(start)
			ups[[2]int{n, par}] = up
			fmt.Printf("%6d %9d %12s %12s %7.2fx\n", n, par, ms(up), ms(kc), ratio(up, kc))
			// Untimed clean-up; the next round uses other names, so nothing waits on it.
			if _, err := st.Destroy(ctx, optdestroy.Parallel(par)); err != nil {
				return fmt.Errorf("destroy %s: %w", round, err)
			}
		}
	}
	fmt.Printf("load average after: %s\n", loadavg())
	for _, par := range parallels {
		if a, b := ups[[2]int{100, par}], ups[[2]int{10, par}]; a > 0 && b > 0 {
			fmt.Printf("pulumi up 100 / 10 namespaces, --parallel %d = %.2fx   goal <= 12x\n", par, ratio(a, b))
		}
	}
	return nil
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
