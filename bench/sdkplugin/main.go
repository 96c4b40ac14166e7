// Command sdkplugin is the empty plugin plus the SDK packages our provider links (the AWS,
// Kubernetes and random Pulumi SDKs, client-go), none of them used: what importing them
// costs at start-up, between the empty plugin and ours.
package main

import (
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	_ "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	_ "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	_ "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	_ "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	_ "github.com/pulumi/pulumi-random/sdk/v4/go/random"
	_ "k8s.io/client-go/kubernetes"
	_ "k8s.io/client-go/tools/clientcmd"

	"github.com/concurrent-ai/pulumi-concurrent/bench/internal/noop"
)

func main() { noop.Serve("sdk") }
