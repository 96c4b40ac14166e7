// Command smoke proves the offline end-to-end chain works: the Automation API
// (inline program) drives the Pulumi CLI from tools/bin, which loads the
// pulumi-resource-kubernetes plugin built into tools/bin, which creates a
// Namespace in the API server started by tools/kube-up.sh.
//
//	go run . -tools <tools dir> -kubeconfig <file> [-plugins path|project]
//
// -plugins path    (default) find the plugin on PATH: auto.NewPulumiCommand with
//
//	Root=<tools dir> puts <tools dir>/bin first on the CLI's PATH.
//
// -plugins project declare it in Project.Plugins.Providers (with its folder and
//
//	version) and set PULUMI_IGNORE_AMBIENT_PLUGINS=true, so PATH is not used.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	k8smeta "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sclient "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

const wantProviderVersion = "4.32.0"

func main() {
	toolsDir := flag.String("tools", "..", "the tools folder (holding bin/pulumi and bin/pulumi-resource-kubernetes)")
	kubeconfigPath := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the test cluster")
	plugins := flag.String("plugins", "path", "how the engine finds the kubernetes plugin: path or project")
	flag.Parse()
	if err := run(*toolsDir, *kubeconfigPath, *plugins); err != nil {
		fatalf("FAIL: %v", err)
	}
	logf("PASS (plugins=%s)", *plugins)
}

func run(toolsDir, kubeconfigPath, plugins string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	toolsDir, err := filepath.Abs(toolsDir)
	if err != nil {
		return err
	}
	kubeconfig, err := os.ReadFile(kubeconfigPath)
	if err != nil {
		return fmt.Errorf("read kubeconfig: %w", err)
	}
	restConfig, err := clientcmd.RESTConfigFromKubeConfig(kubeconfig)
	if err != nil {
		return err
	}
	client, err := k8sclient.NewForConfig(restConfig)
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "pulumi-smoke-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	backend := filepath.Join(tmp, "state")
	home := filepath.Join(tmp, "home") // an empty plugin cache: nothing may come from ~/.pulumi
	for _, d := range []string{backend, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}

	// The CLI is <tools>/bin/pulumi; it runs with <tools>/bin first on PATH.
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: toolsDir, SkipVersionCheck: true})
	if err != nil {
		return err
	}
	logf("pulumi CLI %s", cmd.Version())

	env := map[string]string{
		"PULUMI_CONFIG_PASSPHRASE":                 "smoke",
		"PULUMI_SKIP_UPDATE_CHECK":                 "true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
	}
	project := workspace.Project{
		Name:    tokens.PackageName("smoke"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: "file://" + backend},
	}
	switch plugins {
	case "path":
	case "project":
		env["PULUMI_IGNORE_AMBIENT_PLUGINS"] = "true"
		project.Plugins = &workspace.Plugins{Providers: []workspace.PluginOptions{{
			Name: "kubernetes", Version: wantProviderVersion, Path: filepath.Join(toolsDir, "bin"),
		}}}
	default:
		return fmt.Errorf("-plugins must be path or project, not %q", plugins)
	}

	nsName := fmt.Sprintf("pulumi-smoke-%d", time.Now().UnixNano()%1_000_000)
	program := func(ctx *pulumi.Context) error {
		prov, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{
			Kubeconfig: pulumi.String(string(kubeconfig)),
		})
		if err != nil {
			return err
		}
		ns, err := corev1.NewNamespace(ctx, "smoke", &corev1.NamespaceArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(nsName)},
		}, pulumi.Provider(prov))
		if err != nil {
			return err
		}
		ctx.Export("namespace", ns.Metadata.Name())
		ctx.Export("uid", ns.Metadata.Uid())
		return nil
	}

	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "smoke", program,
		auto.Pulumi(cmd), auto.Project(project), auto.PulumiHome(home), auto.EnvVars(env),
		auto.SecretsProvider("passphrase"))
	if err != nil {
		return fmt.Errorf("create stack: %w", err)
	}
	destroyed := false
	defer func() {
		if !destroyed {
			_, _ = stack.Destroy(context.Background(), optdestroy.ProgressStreams(os.Stdout))
		}
	}()

	start := time.Now()
	up, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
	if err != nil {
		return fmt.Errorf("first up: %w", err)
	}
	logf("first up: %s in %s, changes %v", up.Summary.Result, time.Since(start).Round(time.Millisecond), *up.Summary.ResourceChanges)
	if got := up.Outputs["namespace"].Value; got != nsName {
		return fmt.Errorf("output namespace = %v, want %s", got, nsName)
	}

	got, err := client.CoreV1().Namespaces().Get(ctx, nsName, k8smeta.GetOptions{})
	if err != nil {
		return fmt.Errorf("client-go get namespace: %w", err)
	}
	if string(got.UID) != up.Outputs["uid"].Value {
		return fmt.Errorf("namespace uid %s != output uid %v", got.UID, up.Outputs["uid"].Value)
	}
	logf("client-go: namespace %s is %s", got.Name, got.Status.Phase)

	if err := checkPluginVersion(ctx, stack); err != nil {
		return err
	}

	start = time.Now()
	up2, err := stack.Up(ctx, optup.ExpectNoChanges(), optup.ProgressStreams(os.Stdout))
	if err != nil {
		return fmt.Errorf("second up (expected no changes): %w", err)
	}
	changes := *up2.Summary.ResourceChanges
	for op, n := range changes {
		if op != "same" && n != 0 {
			return fmt.Errorf("second up changed something: %v", changes)
		}
	}
	logf("second up: %s in %s, changes %v", up2.Summary.Result, time.Since(start).Round(time.Millisecond), changes)

	start = time.Now()
	if _, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout)); err != nil {
		return fmt.Errorf("destroy: %w", err)
	}
	destroyed = true
	logf("destroy: done in %s", time.Since(start).Round(time.Millisecond))

	// The namespace controller finalizes the deletion; wait for it to be gone.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err := client.CoreV1().Namespaces().Get(ctx, nsName, k8smeta.GetOptions{})
		if apierrors.IsNotFound(err) {
			break
		}
		if time.Now().After(deadline) {
			return errors.New("namespace still present 2 min after destroy")
		}
		time.Sleep(500 * time.Millisecond)
	}
	logf("client-go: namespace %s is gone", nsName)
	return nil
}

// checkPluginVersion checks the provider resource in the state asks for
// kubernetes 4.32.0 (the Go SDK's version, which the plugin on PATH or in
// Project.Plugins must serve), and logs the plugins the engine manifest lists.
func checkPluginVersion(ctx context.Context, stack auto.Stack) error {
	dep, err := stack.Export(ctx)
	if err != nil {
		return err
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return err
	}
	for _, p := range d.Manifest.Plugins {
		logf("engine manifest: plugin %s %s %s at %s", p.Type, p.Name, p.Version, p.Path)
	}
	for _, r := range d.Resources {
		if string(r.Type) == "pulumi:providers:kubernetes" {
			v := r.Inputs["version"]
			logf("state: provider %s has version %v", r.URN, v)
			if v != wantProviderVersion {
				return fmt.Errorf("kubernetes provider version %v, want %s", v, wantProviderVersion)
			}
			return nil
		}
	}
	return errors.New("no kubernetes provider resource in the state")
}

// logf and fatalf write to stderr directly: a dependency silences the standard logger.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s smoke: "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func fatalf(format string, args ...any) {
	logf(format, args...)
	os.Exit(1)
}
