// Package setup is the ConcurrentEksSetup component: the runbook "Configure an existing EKS
// cluster for Concurrent for MLflow" as one resource. NewConcurrentEksSetup reads like the
// runbook's table of contents; each step lives in its own file.
package setup

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Token is the component's type token.
const Token = "concurrent:index:ConcurrentEksSetup"

// NewConcurrentEksSetup validates every input, then registers the component and its steps.
func NewConcurrentEksSetup(ctx *pulumi.Context, name string, args ConcurrentEksSetupArgs,
	opts ...pulumi.ResourceOption,
) (*ConcurrentEksSetup, error) {
	c := withDefaults(&args)
	// Bad input fails here, before anything is registered.
	if err := validate(&args, &c); err != nil {
		return nil, err
	}

	comp := &ConcurrentEksSetup{}
	if err := ctx.RegisterComponentResource(Token, name, comp, opts...); err != nil {
		return nil, err
	}

	// The cluster, its account and region, and the VPC for fargate.network.
	facts, err := lookUp(ctx, comp, &c)
	if err != nil {
		return nil, err
	}
	// Rules that need the cluster: the access mode it supports, the VPC's CIDR blocks.
	if err := validateAgainstCluster(&c, facts); err != nil {
		return nil, err
	}
	c.withClusterDefaults(facts.cluster)

	// Step 1: the IAM role Concurrent assumes, with its external ID.
	role, err := createConcurrentRole(ctx, comp, name, &c, facts)
	if err != nil {
		return nil, err
	}

	// Step 2: cluster-admin for that role.
	if err := grantClusterAccess(ctx, comp, name, &c, facts, role); err != nil {
		return nil, err
	}

	// Step 3: compute.
	compute := &computeResult{}
	switch c.computeType {
	case ComputeNodeGroups:
		if compute, err = createNodeGroups(ctx, comp, name, &c, facts); err != nil {
			return nil, err
		}
	case ComputeFargate:
		if compute, err = createFargate(ctx, comp, name, &c, facts); err != nil {
			return nil, err
		}
	}

	// Step 4: the namespaces with Concurrent's service accounts and RBAC.
	namespaces, err := prepareNamespaces(ctx, comp, name, &c, facts)
	if err != nil {
		return nil, err
	}

	// Step 5: what to register in Concurrent, and how to test it.
	// infer registers the outputs from the struct's fields.
	comp.setOutputs(&c, facts, role, compute, namespaces)
	return comp, nil
}

// computeResult is what step 3 reports, whichever option ran.
type computeResult struct {
	nodeGroupNames      pulumi.StringArrayOutput
	nodeRoleArn         pulumi.StringPtrOutput
	fargateProfileNames pulumi.StringArrayOutput
	podExecutionRoleArn pulumi.StringPtrOutput
	privateSubnetIds    pulumi.StringArrayOutput
}
