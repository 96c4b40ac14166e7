package setup

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Runbook step 4: namespaces with the service accounts and RBAC Concurrent expects.

func prepareNamespaces(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, kubeconfig pulumi.StringOutput) ([]string, error) {
	names := make([]string, len(c.namespaces))
	for i, ns := range c.namespaces {
		names[i] = ns.name
	}
	return names, nil // TODO(issue: namespaces)
}
