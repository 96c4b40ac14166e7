// Two ConcurrentNamespaces from TypeScript through the real engine and our plugin: the Node
// SDK's class with a @pulumi/kubernetes provider, run by the Node Automation API (inline).
// Every object exists with Concurrent's exact names, rules, subjects and roleRefs; a second up
// changes nothing; destroy leaves nothing of ours and nothing else touched. Needs a cluster
// (tools/kube-up.sh) and the plugin built by mk/e2e.mk: `make test-e2e-ts`.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ConcurrentNamespace } from "@concurrent-ai/pulumi-concurrent";

import {
    apiPath,
    assertObject,
    bootstrapClusterRole,
    changes,
    Kube,
    namespacePath,
    newStack,
    pathsContaining,
    perNamespace,
    readKubeconfig,
} from "./harness";

// Distinct from the Go and Python tests' namespaces.
const names = ["e2e-ts-a", "e2e-ts-b"];

// What the stack holds after the first up, by type.
const expectedTypes: Record<string, number> = {
    "pulumi:pulumi:Stack": 1,
    "pulumi:providers:kubernetes": 1,
    // The engine's default providers: of our package, which constructs the components, and
    // the engine's built-in one (pulumi:pulumi:getResource, for resource references).
    "pulumi:providers:concurrent": 1,
    "pulumi:providers:pulumi": 1,
    "concurrent:index:ConcurrentNamespace": 2,
    "kubernetes:core/v1:Namespace": 2,
    // Per namespace: the bootstrap and the users service accounts and their bindings.
    "kubernetes:core/v1:ServiceAccount": 4,
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 4,
    // The shared bootstrap ClusterRole, and the users' one per namespace.
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 3,
};

test("ConcurrentNamespace lifecycle through the Node SDK and Automation API", { timeout: 15 * 60_000 }, async () => {
    const kubeconfig = readKubeconfig();
    const kube = new Kube(kubeconfig);

    // Something that is not ours, which must survive everything.
    const bystander = await kube.mustGet(apiPath({ kind: "ClusterRole", name: "view" }));

    const { stack, destroy, dispose, storedState, backendFilesContaining } = await newStack("e2e-ts-namespaces", async () => {
        const provider = new k8s.Provider("k8s", { kubeconfig: pulumi.secret(kubeconfig) });
        const outputs: Record<string, pulumi.Output<string>> = {};
        names.forEach((name, i) => {
            const ns = new ConcurrentNamespace(
                name,
                {
                    name,
                    labels: { team: name },
                    // The shared bootstrap ClusterRole, once.
                    createBootstrapClusterRole: i === 0,
                },
                { providers: [provider] },
            );
            outputs[name] = ns.namespace;
            outputs[`${name}-bootstrap`] = ns.bootstrapServiceAccount;
            outputs[`${name}-users`] = ns.usersServiceAccount;
        });
        return outputs;
    });
    try {
        let res = await stack.up();
        const deployment = (await stack.exportStack()).deployment;
        assert.deepStrictEqual(typeCounts(deployment), expectedTypes, "the stack's resources by type");
        // The summary leaves out the two default providers.
        assert.deepEqual(changes(res.summary), { create: total(expectedTypes) - 2 }, "the first up creates the rest");
        for (const name of names) {
            assert.equal(res.outputs[name]?.value, name, `output ${name}`);
            assert.equal(res.outputs[`${name}-bootstrap`]?.value, `k8s-serviceaccount-for-parallels-${name}`);
            assert.equal(res.outputs[`${name}-users`]?.value, `k8s-serviceaccount-for-users-${name}`);

            const ns = await kube.mustGet(namespacePath(name));
            assert.equal(ns.metadata.labels?.team, name, `namespace ${name}'s label team`);
            for (const o of perNamespace(name)) {
                await assertObject(kube, o);
            }
        }
        await assertObject(kube, bootstrapClusterRole());

        // The kubeconfig is a secret: encrypted where the backend stores it (state, backups,
        // history).
        const stored = storedState();
        assert.deepEqual(pathsContaining(stored, kube.token), [], "the kubeconfig's token in plain text in the stored state");
        assert.deepEqual(backendFilesContaining(kube.token), [], "backend files with the kubeconfig's token in plain text");
        const k8sProvider = stored.checkpoint.latest.resources.find((r: any) => r.type === "pulumi:providers:kubernetes");
        assert.ok(k8sProvider?.inputs?.kubeconfig?.ciphertext, "the Kubernetes provider's kubeconfig is stored encrypted");

        res = await stack.up({ expectNoChanges: true });
        assert.deepEqual(changes(res.summary), {}, "a second up must change nothing");

        await destroy();
        for (const name of names) {
            await kube.waitGone(namespacePath(name));
            assert.ok(
                await kube.isGone(apiPath({ kind: "ClusterRole", name: `k8s-role-for-users-${name}` })),
                `ClusterRole k8s-role-for-users-${name} must be deleted`,
            );
        }
        assert.ok(await kube.isGone(apiPath(bootstrapClusterRole())), "the bootstrap ClusterRole must be deleted");
        const after = await kube.mustGet(apiPath({ kind: "ClusterRole", name: "view" }));
        assert.equal(after.metadata.uid, bystander.metadata.uid, "what is not ours is untouched");
    } finally {
        await dispose();
    }
});

/** How many resources of each type a deployment (`pulumi stack export`) holds. */
function typeCounts(deployment: any): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of deployment.resources ?? []) {
        out[r.type] = (out[r.type] ?? 0) + 1;
    }
    return out;
}

function total(counts: Record<string, number>): number {
    return Object.values(counts).reduce((a, b) => a + b, 0);
}
