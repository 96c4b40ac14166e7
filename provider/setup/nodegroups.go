package setup

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Runbook step 3, option 1: the system, worker and deployment managed node groups.

// Concurrent's pods tolerate concurrent-node-type=<role>:NoSchedule (concurrent-facts.md 3).
const nodeLabelKey = "concurrent-node-type"

func createNodeGroups(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, cl *cluster) (*computeResult, error) {
	return &computeResult{}, nil // TODO(issue: node groups)
}
