// A preview from TypeScript of a program that creates its cluster (the stand-in's
// aws:eks/cluster:Cluster: its name is computed, unknown in a preview) and passes the name to
// ConcurrentEksSetup. With an explicit access.mode the preview lists the children it will
// create, the cluster's name unknown in them; then up creates both. The Go test
// e2e/preview_test.go also checks that without access.mode the preview fails naming it (here a
// failed inline preview leaves the program's registrations pending, which node --test reports
// as a failure of the file). `make test-e2e-ts`.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { AccessMode, ComputeType, ConcurrentEksSetup } from "@concurrent-ai/pulumi-concurrent";

import { changes, Kube, newStack, readKubeconfig } from "./harness";
import { Account, demoCluster } from "./standins";

// How the engine's events show an unknown value.
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The stand-in's EKS cluster, without @pulumi/aws (one resource does not need the package). */
class Cluster extends pulumi.CustomResource {
    declare readonly name: pulumi.Output<string>;
    constructor(name: string) {
        super("aws:eks/cluster:Cluster", name, {
            roleArn: `arn:aws:iam::${demoCluster.account}:role/eks-cluster`,
            vpcConfig: { subnetIds: demoCluster.subnetIds },
            name: undefined,
        });
    }
}

function program(mode: AccessMode) {
    return async () => {
        const cluster = new Cluster("cluster");
        const setup = new ConcurrentEksSetup("ts", {
            clusterName: cluster.name,
            concurrentAccountId: "123456789012",
            access: { mode },
            fargate: { subnetIds: demoCluster.subnetIds },
            computeType: ComputeType.Fargate,
            namespaces: [{ name: "ts-new-cluster" }],
        });
        return { clusterName: setup.clusterName, accessMode: setup.accessMode };
    };
}

test("a preview with the cluster's name unknown, through the Node SDK", { timeout: 10 * 60_000 }, async () => {
    const kubeconfig = readKubeconfig();
    const account = new Account(kubeconfig, new Kube(kubeconfig));
    const good = await newStack("e2e-ts-preview-new-cluster", program(AccessMode.AccessEntry), account.extras());
    try {
        const steps: any[] = [];
        await good.stack.preview({ onEvent: (e: EngineEvent) => e.resourcePreEvent && steps.push(e.resourcePreEvent.metadata) });
        const created: Record<string, number> = {};
        for (const s of steps) {
            assert.equal(s.op, "create", `the preview only creates: ${s.urn}`);
            created[s.type] = (created[s.type] ?? 0) + 1;
        }
        for (const [type, n] of Object.entries({
            "aws:eks/cluster:Cluster": 1,
            "concurrent:index:ConcurrentEksSetup": 1,
            "aws:iam/role:Role": 2, // Concurrent's and the pod execution role
            "aws:eks/fargateProfile:FargateProfile": 2,
            "aws:eks/accessEntry:AccessEntry": 1,
            "kubernetes:core/v1:Namespace": 1,
        })) {
            assert.equal(created[type], n, `the preview's creates of ${type} (all: ${JSON.stringify(created)})`);
        }
        const profiles = steps.filter((s) => s.type === "aws:eks/fargateProfile:FargateProfile");
        for (const p of profiles) {
            assert.equal(p.new?.inputs?.clusterName, unknown, "a profile's clusterName in the preview");
        }

        const res = await good.stack.up();
        assert.deepEqual(Object.keys(changes(res.summary)), ["create"]);
        assert.equal(res.outputs.clusterName.value, demoCluster.name);
        assert.equal(res.outputs.accessMode.value, "accessEntry");
    } finally {
        await good.dispose();
        account.dispose();
    }
});
