// Command engine measures what users wait for through the real engine: `pulumi preview`
// and `pulumi up` of a ConcurrentEksSetup (our plugin constructs it) against an inline Go
// program that registers the same children itself (it calls setup.NewConcurrentEksSetup in
// the program, so there is no Construct and no component plugin in between), both on the
// stand-in aws and random plugins, the real Kubernetes plugin and a real API server. The
// runs alternate, so the ratios come from one stretch of machine load. With -calls it
// instead runs one `pulumi up` with per-type delays at the aws stand-in and prints, from
// the stand-in's call log, what ran in parallel and in which order. With -scale it compares
// `pulumi up` of many namespaces with `kubectl apply -f` of the same objects.
//
//	go run ./bench/engine -kubeconfig .e2e/kubeconfig -tools tools -plugins bin -runs 5
//
// Needs tools/build.sh, the stand-ins built from this tree, and tools/kube-up.sh; bench/run.sh
// does all three.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

// The versions the SDKs ask for, which the stand-ins and the Kubernetes build report.
const (
	awsVersion        = "6.83.4"
	randomVersion     = "4.18.4"
	kubernetesVersion = "4.32.0"
)

var (
	kubeconfigPath = flag.String("kubeconfig", ".e2e/kubeconfig", "the API server's admin kubeconfig (tools/kube-up.sh)")
	toolsDir       = flag.String("tools", "tools", "the folder holding bin/pulumi and bin/standin")
	pluginDir      = flag.String("plugins", "bin", "the folder holding pulumi-resource-concurrent")
	standinDir     = flag.String("standins", "bin/standin", "the folder holding the stand-ins (tools/standin) built from this tree")
	runs           = flag.Int("runs", 5, "alternating runs of each program")
	namespaces     = flag.Int("namespaces", 2, "namespaces in the setup")
	parallel       = flag.Int("parallel", 0, "pulumi --parallel (0: the engine's default)")
	calls          = flag.Bool("calls", false, "one up with per-type delays; print the call log's schedule")
	scale          = flag.String("scale", "", "namespace counts (1,10,100): pulumi up against kubectl apply of the same objects")
	parallels      = flag.String("parallels", "0", "with -scale: the --parallel values to try")
	cpuProfile     = flag.String("cpuprofile", "", "a folder: each pulumi up writes its CPU profile there (profile.go)")
	variantNames   = flag.String("variants", "default", "with -scale: the engine and Kubernetes provider settings to try (scale.go)")
	kubectl        = flag.String("kubectl", "bin/kubectl", "kubectl at the API server's version (tools/build.sh kubectl)")
)

func main() {
	flag.Parse()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "engine:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var err error
	for _, p := range []*string{toolsDir, pluginDir, standinDir, kubeconfigPath, kubectl} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "bench-engine-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cliRoot = *toolsDir
	if *cpuProfile != "" {
		if *cpuProfile, err = filepath.Abs(*cpuProfile); err != nil {
			return err
		}
		if cliRoot, err = profiledCLI(tmp, *cpuProfile); err != nil {
			return err
		}
	}
	if *calls {
		return schedule(ctx, tmp)
	}
	if *scale != "" {
		counts, err := ints(*scale)
		if err != nil {
			return err
		}
		pars, err := ints(*parallels)
		if err != nil {
			return err
		}
		vars, err := pickVariants(*variantNames)
		if err != nil {
			return err
		}
		return scaleRun(ctx, tmp, counts, pars, vars)
	}
	return overhead(ctx, tmp)
}

// inputs is the demo setup: node groups (system, worker), default access, N namespaces.
type inputs struct {
	cluster    string
	compute    string
	subnets    []string // fargate.subnetIds
	namespaces []string
}

func demo(cluster, compute string, n int) inputs {
	in := inputs{cluster: cluster, compute: compute}
	for i := range n {
		in.namespaces = append(in.namespaces, fmt.Sprintf("bench-%03d", i))
	}
	return in
}

// componentProgram asks our plugin to construct the component.
func componentProgram(in inputs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var ns pulumi.Array
		for _, n := range in.namespaces {
			ns = append(ns, pulumi.Map{"name": pulumi.String(n)})
		}
		args := pulumi.Map{
			"clusterName":         pulumi.String(in.cluster),
			"concurrentAccountId": pulumi.String("123456789012"),
			"computeType":         pulumi.String(in.compute),
			"namespaces":          ns,
		}
		if in.subnets != nil {
			args["fargate"] = pulumi.Map{"subnetIds": pulumi.ToStringArray(in.subnets)}
		}
		var out struct {
			pulumi.ResourceState
		}
		return ctx.RegisterRemoteComponentResource(setup.Token, "bench", args, &out)
	}
}

// directProgram registers the same children from the program itself.
func directProgram(in inputs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		compute := setup.ComputeType(in.compute)
		args := setup.ConcurrentEksSetupArgs{
			ClusterName:         pulumi.String(in.cluster),
			ConcurrentAccountId: pulumi.String("123456789012"),
			ComputeType:         &compute,
		}
		if in.subnets != nil {
			args.Fargate = &setup.FargateArgs{SubnetIds: pulumi.ToStringArray(in.subnets)}
		}
		for _, n := range in.namespaces {
			args.Namespaces = append(args.Namespaces, setup.NamespaceArgs{Name: n})
		}
		_, err := setup.NewConcurrentEksSetup(ctx, "bench", args)
		return err
	}
}

// account writes the stand-ins' cluster description (the API server's endpoint and CA) and
// token, and returns the engine's environment for them.
func account(dir string, delays map[string]string) (map[string]string, fakeaws.Cluster, error) {
	b, err := os.ReadFile(*kubeconfigPath)
	if err != nil {
		return nil, fakeaws.Cluster{}, fmt.Errorf("no test cluster (run tools/kube-up.sh): %w", err)
	}
	cfg, err := clientcmd.Load(b)
	if err != nil {
		return nil, fakeaws.Cluster{}, err
	}
	kc := cfg.Clusters[cfg.Contexts[cfg.CurrentContext].Cluster]
	token := cfg.AuthInfos[cfg.Contexts[cfg.CurrentContext].AuthInfo].Token
	cl := fakeaws.DemoCluster()
	cl.Endpoint = kc.Server
	cl.CertificateData = base64.StdEncoding.EncodeToString(kc.CertificateAuthorityData)
	desc, err := json.Marshal(map[string]any{"cluster": cl, "delays": delays})
	if err != nil {
		return nil, cl, err
	}
	if err := os.WriteFile(filepath.Join(dir, "cluster.json"), desc, 0o600); err != nil {
		return nil, cl, err
	}
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte(token), 0o600); err != nil {
		return nil, cl, err
	}
	standin := *standinDir
	return map[string]string{
		"PULUMI_CONFIG_PASSPHRASE":                    "bench",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK":    "true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS":               "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"STANDIN_AWS_DESCRIPTION":                     filepath.Join(dir, "cluster.json"),
		"STANDIN_KUBE_TOKEN_FILE":                     filepath.Join(dir, "token"),
		calllog.LogEnv:                                filepath.Join(dir, "calls.jsonl"),
		// The CLI shim first, for the kubeconfig the component builds.
		"PATH": strings.Join([]string{standin, filepath.Join(*toolsDir, "bin"), os.Getenv("PATH")}, ":"),
	}, cl, nil
}

// cliRoot holds bin/pulumi: tools, or the profiling wrapper (-cpuprofile).
var cliRoot string

func newStack(ctx context.Context, dir, project string, env map[string]string, program pulumi.RunFunc) (auto.Stack, error) {
	backend, home := filepath.Join(dir, project, "state"), filepath.Join(dir, project, "home")
	for _, d := range []string{backend, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return auto.Stack{}, err
		}
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: cliRoot, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	standin := *standinDir
	proj := workspace.Project{
		Name:    tokens.PackageName(project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: "file://" + backend},
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{
			{Name: "kubernetes", Version: kubernetesVersion, Path: filepath.Join(*toolsDir, "bin")},
			{Name: "concurrent", Version: provider.Version, Path: *pluginDir},
			{Name: "aws", Version: awsVersion, Path: standin},
			{Name: "random", Version: randomVersion, Path: standin},
		}},
	}
	return auto.UpsertStackInlineSource(ctx, "bench", project, program, auto.Pulumi(cmd), auto.Project(proj),
		auto.PulumiHome(home), auto.EnvVars(env), auto.SecretsProvider("passphrase"))
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// timings of one program: preview of an empty stack, up, and (untimed) destroy.
type timings struct{ preview, up []time.Duration }

func overhead(ctx context.Context, tmp string) error {
	env, cl, err := account(tmp, nil)
	if err != nil {
		return err
	}
	in := demo(cl.Name, "nodeGroups", *namespaces)
	programs := []struct {
		name    string
		program pulumi.RunFunc
	}{{"component", componentProgram(in)}, {"direct", directProgram(in)}}
	stacks := map[string]auto.Stack{}
	for _, p := range programs {
		if stacks[p.name], err = newStack(ctx, tmp, "bench-"+p.name, env, p.program); err != nil {
			return err
		}
	}
	fmt.Printf("node groups (system, worker), %d namespaces, no stand-in delays; one warm-up and %d runs each, alternating; --parallel %d\n",
		*namespaces, *runs, *parallel)
	// One unmeasured round each first: the first preview of a run pays for cold plugin
	// binaries and the Kubernetes provider's first discovery of the API server (400 ms
	// against 90 ms afterwards, in the engine's log).
	for _, p := range programs {
		st := stacks[p.name]
		if _, err := st.Up(ctx, optup.Parallel(*parallel)); err != nil {
			return fmt.Errorf("%s warm-up up: %w", p.name, err)
		}
		if _, err := st.Destroy(ctx, optdestroy.Parallel(*parallel)); err != nil {
			return fmt.Errorf("%s warm-up destroy: %w", p.name, err)
		}
	}
	fmt.Printf("load average before: %s\n", loadavg())
	got := map[string]*timings{}
	for i := range *runs {
		for j := range programs {
			p := programs[(i+j)%len(programs)] // rotate who goes first
			st := stacks[p.name]
			t := got[p.name]
			if t == nil {
				t = &timings{}
				got[p.name] = t
			}
			start := time.Now()
			if _, err := st.Preview(ctx, optpreview.Parallel(*parallel)); err != nil {
				return fmt.Errorf("%s preview: %w", p.name, err)
			}
			t.preview = append(t.preview, time.Since(start))
			start = time.Now()
			if _, err := st.Up(ctx, optup.Parallel(*parallel)); err != nil {
				return fmt.Errorf("%s up: %w", p.name, err)
			}
			t.up = append(t.up, time.Since(start))
			if _, err := st.Destroy(ctx, optdestroy.Parallel(*parallel)); err != nil {
				return fmt.Errorf("%s destroy: %w", p.name, err)
			}
		}
	}
	fmt.Printf("load average after: %s\n\n", loadavg())
	fmt.Printf("%-10s %-8s %10s %10s %10s\n", "program", "command", "median", "min", "max")
	for _, p := range programs {
		for _, c := range []struct {
			cmd string
			d   []time.Duration
		}{{"preview", got[p.name].preview}, {"up", got[p.name].up}} {
			fmt.Printf("%-10s %-8s %10s %10s %10s\n", p.name, c.cmd, ms(median(c.d)), ms(slices.Min(c.d)), ms(slices.Max(c.d)))
		}
	}
	fmt.Println()
	c, d := got["component"], got["direct"]
	fmt.Printf("component / direct, preview = %.2fx (median), %.2fx (min)   goal <= 1.15x\n",
		ratio(median(c.preview), median(d.preview)), ratio(slices.Min(c.preview), slices.Min(d.preview)))
	fmt.Printf("component / direct, up      = %.2fx (median), %.2fx (min)   goal <= 1.15x\n",
		ratio(median(c.up), median(d.up)), ratio(slices.Min(c.up), slices.Min(d.up)))
	return nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }
