// Package setup is the ConcurrentEksSetup component: the runbook "Configure an existing EKS
// cluster for Concurrent for MLflow" as one resource. NewConcurrentEksSetup reads like the
// runbook's table of contents; each step lives in its own file.
package setup

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/internal/diag"
)

// Token is the component's type token.
const Token = "concurrent:index:ConcurrentEksSetup"

// NewConcurrentEksSetup validates every input, then registers the component and its steps.
func NewConcurrentEksSetup(ctx *pulumi.Context, name string, args ConcurrentEksSetupArgs,
	opts ...pulumi.ResourceOption,
) (*ConcurrentEksSetup, error) {
	c := withDefaults(&args, readStackAWSConfig(ctx))
	c.name = name
	// Bad input fails here, before anything is registered.
	warnings, err := validate(&args, &c)
	if err != nil {
		return nil, err
	}

	comp := &ConcurrentEksSetup{}
	if err := ctx.RegisterComponentResource(Token, name, comp, opts...); err != nil {
		return nil, err
	}

	// The cluster, its account and region, its subnets and routes, and the VPC for
	// fargate.network.
	facts, err := lookUp(ctx, comp, &c)
	if err != nil {
		return nil, err
	}
	// What the manual runbook may have left that a create would collide with.
	if err := lookUpLeftovers(ctx, comp, name, &c, facts); err != nil {
		return nil, err
	}
	// Rules that need the cluster (its endpoint, access mode, subnets, version, zones, the
	// VPC's CIDR blocks), before any child; then what they warn about and what the defaults
	// chose from the cluster.
	clusterWarnings, err := validateAgainstCluster(&c, facts)
	if err != nil {
		return nil, err
	}
	for _, w := range append(warnings, clusterWarnings...) {
		diag.Warn(ctx, comp, w)
	}
	noteClusterChoices(ctx, comp, &c, facts)
	c.withClusterDefaults(facts)

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

// noteClusterChoices tells the user what the defaults chose from the cluster, and why.
func noteClusterChoices(ctx *pulumi.Context, comp pulumi.Resource, c *config, f *clusterFacts) {
	if c.usesClusterSubnets() && len(f.subnetWhy) > 0 {
		diag.Info(ctx, comp, "nodeGroups.subnetIds: the cluster's private subnets, as no subnets are given:\n  "+
			strings.Join(f.subnetWhy, "\n  "))
	}
	if f.network != nil && len(f.network.knownZones) > 0 {
		diag.Info(ctx, comp, "fargate.network.subnetCidrs: one private subnet per zone of the cluster's subnets, in order: "+
			strings.Join(f.network.knownZones, ", "))
	}
}

// computeResult is what step 3 reports, whichever option ran.
type computeResult struct {
	nodeGroupNames      pulumi.StringArrayOutput
	nodeRoleArn         pulumi.StringPtrOutput
	fargateProfileNames pulumi.StringArrayOutput
	podExecutionRoleArn pulumi.StringPtrOutput
	privateSubnetIds    pulumi.StringArrayOutput
}
