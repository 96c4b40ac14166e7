package setup

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/namespace"
)

// Runbook step 4: namespaces with the service accounts and RBAC Concurrent expects
// (concurrent-facts.md section 4): the shared bootstrap ClusterRole once, then one
// ConcurrentNamespace per namespace, all on the setup's own Kubernetes provider.

func prepareNamespaces(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, f *clusterFacts) ([]string, error) {
	opts, err := kubernetesProvider(ctx, parent, name, c, f.kubeconfig)
	if err != nil {
		return nil, err
	}

	// One per cluster, shared by every namespace's bootstrap binding.
	if _, err := namespace.NewBootstrapClusterRole(ctx, name+"-bootstrap-role", c.adoptExisting, opts...); err != nil {
		return nil, err
	}

	// Logical names derive from the namespace, not its position: adding or reordering
	// namespaces leaves the others untouched.
	names := make([]string, len(c.namespaces))
	for i, ns := range c.namespaces {
		create := ns.create
		comp, err := namespace.NewConcurrentNamespace(ctx, name+"-"+ns.name, namespace.ConcurrentNamespaceArgs{
			Name:          ns.name,
			Create:        &create,
			Labels:        ns.labels,
			AdoptExisting: &c.adoptExisting,
		}, opts...)
		if err != nil {
			return nil, err
		}
		if err := comp.RegisterOutputs(ctx); err != nil {
			return nil, err
		}
		names[i] = ns.name
	}
	return names, nil
}

// kubernetesProvider returns the options that put the Kubernetes objects on the setup's
// Kubernetes provider: the one the caller passed (when no kubeconfig is given), which the
// children inherit from the component, or one built from the kubeconfig.
func kubernetesProvider(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config,
	kubeconfig pulumi.StringOutput,
) ([]pulumi.ResourceOption, error) {
	if c.kubeconfig == nil && callerPassedProvider(ctx.Context(), "kubernetes") {
		return []pulumi.ResourceOption{pulumi.Parent(parent)}, nil
	}
	providerArgs := &kubernetes.ProviderArgs{Kubeconfig: kubeconfig}
	if c.adoptExisting {
		// pulumi-kubernetes 4.32 refuses to create an object that already exists unless the
		// provider upserts; the objects' pulumi.com/patchForce then takes over kubectl's fields.
		providerArgs.UpsertExistingObjects = pulumi.Bool(true)
	}
	k8s, err := kubernetes.NewProvider(ctx, name+"-k8s", providerArgs, pulumi.Parent(parent))
	if err != nil {
		return nil, err
	}
	return []pulumi.ResourceOption{pulumi.Parent(parent), pulumi.Providers(k8s)}, nil
}
