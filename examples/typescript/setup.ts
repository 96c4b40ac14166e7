// A program that makes an existing EKS cluster ready for Concurrent for MLflow: the role
// Concurrent assumes, managed node groups for its system and worker pods, and one namespace
// per team. Its outputs are what to enter in Concurrent's "Add Cluster" form.
// It is a module (index.ts calls it) so that the test can run it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import * as concurrent from "@concurrent-ai/pulumi-concurrent";

/** The component's arguments, from the stack's configuration. */
export function setupArgs(config: pulumi.Config): concurrent.ConcurrentEksSetupArgs {
    return {
        clusterName: config.require("clusterName"),
        concurrentAccountId: config.require("concurrentAccountId"),
        computeType: concurrent.ComputeType.NodeGroups,
        nodeGroups: {
            // The bootstrap pod requests 3 vCPU, 7000M and 100Gi of ephemeral storage:
            // 4 vCPU / 16 GiB types, on demand so a Spot reclaim never stops a bootstrap.
            system: {
                capacityType: concurrent.CapacityType.OnDemand,
                instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
            },
            // Up to three Spot workers for the pipelines' DAG nodes.
            worker: {
                capacityType: concurrent.CapacityType.Spot,
                instanceTypes: ["m6i.2xlarge", "m6a.2xlarge"],
                maxSize: 3,
            },
        },
        namespaces: [
            { name: "team-a", labels: { team: "a" } },
            { name: "team-b", labels: { team: "b" } },
        ],
        tags: { app: "concurrent-for-mlflow" },
    };
}

/** What the stack exports. */
export interface SetupOutputs {
    roleArn: pulumi.Output<string>;
    /** A secret output of the component: it stays encrypted in the stack's state and outputs. */
    externalId: pulumi.Output<string>;
    registrations: pulumi.Output<concurrent.types.output.Registration[]>;
    mlflowBackendConfigs: pulumi.Output<{ [namespace: string]: string }>;
}

export function program(): SetupOutputs {
    const setup = new concurrent.ConcurrentEksSetup("concurrent", setupArgs(new pulumi.Config()));
    return {
        roleArn: setup.roleArn,
        externalId: setup.externalId,
        registrations: setup.registrations,
        mlflowBackendConfigs: setup.mlflowBackendConfigs,
    };
}
