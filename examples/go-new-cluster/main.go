// A Go program that builds an EKS cluster with pulumi-eks in a new VPC and makes it ready
// for Concurrent for MLflow on Fargate: no nodes to manage, Concurrent's pods run in the
// VPC's private subnets. Its outputs are what to enter in Concurrent's "Add Cluster" form.
package main

import (
	"github.com/concurrent-ai/pulumi-concurrent/sdk/go/concurrent"
	"github.com/pulumi/pulumi-eks/sdk/v3/go/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	net, err := newNetwork(ctx, "mlflow")
	if err != nil {
		return err
	}

	authMode := eks.AuthenticationModeApi
	cluster, err := eks.NewCluster(ctx, "mlflow", &eks.ClusterArgs{
		VpcId:            net.vpcID,
		PublicSubnetIds:  net.publicSubnetIds,
		PrivateSubnetIds: net.privateSubnetIds,
		// Access entries only (no aws-auth ConfigMap): Concurrent's role gets one too.
		AuthenticationMode: &authMode,
		// No EC2 nodes: CoreDNS and the default namespace run on a Fargate profile of
		// pulumi-eks, Concurrent's pods on the setup's profiles.
		SkipDefaultNodeGroup: pulumi.BoolRef(true),
		Fargate:              pulumi.Bool(true),
	})
	if err != nil {
		return err
	}

	setup, err := concurrent.NewConcurrentEksSetup(ctx, "concurrent", &concurrent.ConcurrentEksSetupArgs{
		// An output of the cluster: the setup waits until the cluster exists.
		ClusterName:         cluster.EksCluster.Name(),
		ConcurrentAccountId: pulumi.String(cfg.Require("concurrentAccountId")),
		// Explicit: `auto` reads the cluster's authentication mode when the program starts,
		// and this cluster does not exist yet then. It was created with API above.
		Access: &concurrent.AccessArgs{
			Mode: concurrent.AccessModeAccessEntry,
		},
		ComputeType: concurrent.ComputeTypeFargate,
		Fargate: &concurrent.FargateArgs{
			// Fargate runs pods only in private subnets that reach the internet through NAT.
			SubnetIds: net.privateSubnetIds,
		},
		Namespaces: concurrent.NamespaceArray{
			concurrent.NamespaceArgs{Name: pulumi.String("team-a")},
			concurrent.NamespaceArgs{Name: pulumi.String("team-b")},
		},
	})
	if err != nil {
		return err
	}

	ctx.Export("kubeconfig", pulumi.ToSecret(cluster.KubeconfigJson))
	ctx.Export("clusterName", setup.ClusterName)
	ctx.Export("roleArn", setup.RoleArn)
	// A secret output of the component: it stays encrypted in the stack's state and outputs.
	ctx.Export("externalId", setup.ExternalId)
	ctx.Export("registrations", setup.Registrations)
	ctx.Export("mlflowBackendConfigs", setup.MlflowBackendConfigs)
	return nil
}
