package setup

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Runbook step 3, option 2, "Prepare VPC": three private subnets behind NAT.

// vpcNetwork is what the created network needs to know of the VPC, read before anything is
// registered so that CIDR mistakes fail early. nil when fargate.network is not used.
type vpcNetwork struct {
	cidr string
}

// lookupNetwork reads the VPC of fargate.network and checks the subnet CIDRs against it.
func lookupNetwork(ctx *pulumi.Context, parent pulumi.Resource, c *config) (*vpcNetwork, error) {
	return nil, nil // TODO(issue: Fargate network)
}

// createPrivateNetwork creates the private subnets, the NAT and the routes.
func createPrivateNetwork(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, vpc *vpcNetwork) (pulumi.StringArrayOutput, error) {
	return pulumi.StringArray{}.ToStringArrayOutput(), nil // TODO(issue: Fargate network)
}
