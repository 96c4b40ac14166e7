// A Go program that makes an existing EKS cluster ready for Concurrent for MLflow: the role
// Concurrent assumes, managed node groups for its system and worker pods, and one namespace
// per team. Its outputs are what to enter in Concurrent's "Add Cluster" form.
package main

import (
	"github.com/concurrent-ai/pulumi-concurrent/sdk/go/concurrent"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	setup, err := concurrent.NewConcurrentEksSetup(ctx, "concurrent", &concurrent.ConcurrentEksSetupArgs{
		ClusterName:         pulumi.String(cfg.Require("clusterName")),
		ConcurrentAccountId: pulumi.String(cfg.Require("concurrentAccountId")),
		ComputeType:         concurrent.ComputeTypeNodeGroups,
		NodeGroups: &concurrent.NodeGroupsArgs{
			// The bootstrap pod requests 3 vCPU, 7000M and 100Gi of ephemeral storage:
			// 4 vCPU / 16 GiB types, on demand so a Spot reclaim never stops a bootstrap.
			System: &concurrent.NodeGroupArgs{
				CapacityType:  concurrent.CapacityTypeOnDemand,
				InstanceTypes: pulumi.StringArray{pulumi.String("m6i.xlarge"), pulumi.String("m6a.xlarge")},
			},
			// Up to three Spot workers for the pipelines' DAG nodes.
			Worker: &concurrent.NodeGroupArgs{
				CapacityType:  concurrent.CapacityTypeSpot,
				InstanceTypes: pulumi.StringArray{pulumi.String("m6i.2xlarge"), pulumi.String("m6a.2xlarge")},
				MaxSize:       pulumi.Int(3),
			},
		},
		Namespaces: concurrent.NamespaceArray{
			concurrent.NamespaceArgs{
				Name:   pulumi.String("team-a"),
				Labels: pulumi.StringMap{"team": pulumi.String("a")},
			},
			concurrent.NamespaceArgs{
				Name:   pulumi.String("team-b"),
				Labels: pulumi.StringMap{"team": pulumi.String("b")},
			},
		},
		Tags: pulumi.StringMap{"app": pulumi.String("concurrent-for-mlflow")},
	})
	if err != nil {
		return err
	}

	ctx.Export("roleArn", setup.RoleArn)
	// A secret output of the component: it stays encrypted in the stack's state and outputs.
	ctx.Export("externalId", setup.ExternalId)
	ctx.Export("registrations", setup.Registrations)
	ctx.Export("mlflowBackendConfigs", setup.MlflowBackendConfigs)
	return nil
}
