// Package provider wires the package surface: which components and resources the
// pulumi-resource-concurrent plugin serves, under which tokens and language names.
package provider

import (
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

// Name is the Pulumi package name.
const Name = "concurrent"

// New returns the provider: the ConcurrentEksSetup and ConcurrentNamespace components and the
// AwsAuthRoleMapping resource.
func New() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithNamespace("concurrent-ai").
		WithDisplayName("Concurrent for MLflow on EKS").
		WithDescription("Makes an existing Amazon EKS cluster ready for Concurrent for MLflow with one resource.").
		WithKeywords("pulumi", "concurrent", "mlflow", "aws", "eks", "kubernetes", "category/cloud", "kind/component").
		WithHomepage("https://github.com/concurrent-ai/pulumi-concurrent").
		WithRepository("https://github.com/concurrent-ai/pulumi-concurrent").
		WithPublisher("Concurrent AI").
		WithLicense("Apache-2.0").
		// The engine fetches the plugin from the GitHub release v<version> of
		// concurrent-ai/pulumi-concurrent (the repository name is pulumi-<package>).
		WithPluginDownloadURL("github://api.github.com/concurrent-ai").
		WithComponents(
			infer.ComponentF(onOwnStack(setup.NewConcurrentEksSetup)),
			infer.ComponentF(onOwnStack(namespace.NewConcurrentNamespace)),
		).
		WithResources(
			infer.Resource(awsauth.AwsAuthRoleMapping{}),
		).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"setup": "index", "namespace": "index"}).
		WithLanguageMap(map[string]any{
			"go": map[string]any{
				"importBasePath":                 "github.com/concurrent-ai/pulumi-concurrent/sdk/go/concurrent",
				"generateResourceContainerTypes": true,
				"respectSchemaVersion":           true,
			},
			"nodejs": map[string]any{
				"packageName":          "@concurrent-ai/pulumi-concurrent",
				"respectSchemaVersion": true,
				"readme":               ReadmeNodejs,
			},
			"python": map[string]any{
				"packageName":          "pulumi_concurrent",
				"respectSchemaVersion": true,
				"readme":               ReadmePython,
				"pyproject":            map[string]any{"enabled": true},
			},
		}).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	// The setup uses the caller's Kubernetes provider when one is passed; Pulumi YAML's
	// numbers reach string inputs as text (numbers.go).
	return withNumbersAsStrings(setup.WithCallerProviders(prov)), nil
}
