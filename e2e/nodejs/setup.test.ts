// ConcurrentEksSetup with node groups from TypeScript through the real engine: the Node SDK's
// class, run by the Node Automation API (inline), our plugin, the stand-in aws and random
// plugins and the CLI shim, the real Kubernetes plugin and API server. The inputs are the
// examples' (the recording, recording.ts), and so are their outputs: read back through the
// SDK's types, and compared with the recording. up, a no-op up, a namespace added (only its
// objects created), destroy. Needs a cluster and tools/bin: `make test-e2e-ts`.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConcurrentEksSetup, ConcurrentEksSetupArgs } from "@concurrent-ai/pulumi-concurrent";
import { EngineEvent } from "@pulumi/pulumi/automation";

import { apiPath, assertObject, bootstrapClusterRole, changes, Kube, namespacePath, newStack, pathsContaining, perNamespace, readKubeconfig } from "./harness";
import { masked, readRecording, writeRecording } from "./recording";
import { Account, demoCluster, failed, writes } from "./standins";

const setupType = "concurrent:index:ConcurrentEksSetup";
const nodeGroupType = "aws:eks/nodeGroup:NodeGroup";

// Every output of the component (the schema's), exported under its own name.
const outputNames = [
    "accessMode", "clusterArn", "clusterName", "externalId", "fargateProfileNames", "mlflowBackendConfigs",
    "namespaces", "nodeGroupNames", "nodeRoleArn", "permissions", "podExecutionRoleArn", "privateSubnetIds",
    "region", "registrations", "roleArn", "roleName",
] as const satisfies readonly (keyof ConcurrentEksSetup)[];

// The AWS and random resources of this setup (accessEntry access: the cluster allows API).
const awsCreates: Record<string, number> = {
    "Create random:index/randomPassword:RandomPassword": 1,
    "Create aws:iam/role:Role": 2, // Concurrent's and the nodes'
    "Create aws:iam/rolePolicy:RolePolicy": 1,
    "Create aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
    [`Create ${nodeGroupType}`]: 2, // system, worker
    "Create aws:eks/accessEntry:AccessEntry": 1,
    "Create aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 1,
};

test("ConcurrentEksSetup with node groups through the Node SDK and Automation API", { timeout: 15 * 60_000 }, async () => {
    const kubeconfig = readKubeconfig();
    const kube = new Kube(kubeconfig);
    const account = new Account(kubeconfig, kube, { [nodeGroupType]: "200ms" });
    const recording = readRecording();
    let namespaces: { name: string }[] = recording.inputs.namespaces;

    const { stack, destroy, dispose, storedState } = await newStack("e2e-ts-setup", async () => {
        const setup = new ConcurrentEksSetup(recording.name, { ...recording.inputs, namespaces } as ConcurrentEksSetupArgs);
        const out: Record<string, pulumi.Output<any>> = {};
        for (const name of outputNames) {
            out[name] = setup[name];
        }
        // Read through the SDK's output types, as a program would.
        out.useFargate = setup.registrations.apply((rs) => rs.map((r) => r.useFargate));
        out.registeredRoles = setup.registrations.apply((rs) => rs.map((r) => r.role));
        out.kubeNamespaces = setup.mlflowBackendConfigs.apply((m) =>
            Object.fromEntries(Object.entries(m).map(([ns, c]) => [ns, JSON.parse(c)["kube-namespace"]])),
        );
        out.externalIdIsSecret = pulumi.output(pulumi.isSecret(setup.externalId));
        return out;
    }, account.extras());
    try {
        let res = await stack.up();
        assert.deepEqual(failed(account.calls()), [], "stand-in calls that failed");
        assert.deepEqual(Object.keys(changes(res.summary)), ["create"], "the first up only creates");
        assert.deepEqual(writes(account.calls()), awsCreates, "the stand-ins' Create calls");

        // The outputs, in TypeScript, with the SDK's types.
        const o = (k: string) => res.outputs[k]?.value;
        const roleArn = o("roleArn");
        assert.match(roleArn, new RegExp(`^arn:aws:iam::${demoCluster.account}:role/concurrent-role-[0-9a-f]{7}$`));
        assert.deepEqual(o("useFargate"), ["no", "no"], "registrations[i].useFargate");
        assert.deepEqual(o("registeredRoles"), [roleArn, roleArn], "registrations[i].role");
        assert.deepEqual(o("kubeNamespaces"), { "team-a": "team-a", "team-b": "team-b" }, "mlflowBackendConfigs");
        assert.equal(o("externalIdIsSecret"), true, "externalId is a secret in the program");
        assert.equal(res.outputs.externalId.secret, true, "externalId is a secret output");
        assert.match(o("externalId"), /^[A-Za-z0-9]{32}$/);
        // Nowhere in plain text, not even as an id (a RandomPassword's id is "none").
        assert.deepEqual(pathsContaining(storedState(), o("externalId")), [], "the external ID in plain text in the state");

        // What the examples' mocks answer is what the provider returns.
        const got: Record<string, any> = {};
        for (const name of outputNames) {
            got[name] = o(name);
        }
        const secretOutputs = outputNames.filter((n) => res.outputs[n]?.secret);
        if (process.env.E2E_RECORD === "1") {
            Object.assign(recording, { comment: recordingComment, outputs: got, secretOutputs });
            writeRecording(recording);
        }
        assert.deepStrictEqual(masked(got), masked(recording.outputs), "outputs differ from the recording: E2E_RECORD=1 make test-e2e-ts");
        assert.deepEqual(secretOutputs, recording.secretOutputs, "secret outputs differ from the recording");

        // The Kubernetes side, read back.
        for (const { name } of namespaces) {
            await kube.mustGet(namespacePath(name));
            for (const obj of perNamespace(name)) {
                await assertObject(kube, obj);
            }
        }
        await assertObject(kube, bootstrapClusterRole());

        // A second up changes nothing and writes nothing to AWS.
        let mark = account.mark();
        res = await stack.up({ expectNoChanges: true });
        assert.deepEqual(changes(res.summary), {}, "a second up must change nothing");
        assert.deepEqual(writes(account.calls(mark)), {}, "a no-op up must not write to AWS");

        // A third namespace: only its objects are created, nothing in AWS.
        mark = account.mark();
        namespaces = [...namespaces, { name: "team-c" }];
        const steps: string[] = [];
        res = await stack.up({ onEvent: (e: EngineEvent) => collectStep(steps, e) });
        assert.deepEqual(writes(account.calls(mark)), {}, "a new namespace must not write to AWS");
        assert.deepEqual(steps.sort(), namespaceSteps("create", "team-c"), "the custom resources the update touched");
        for (const obj of perNamespace("team-c")) {
            await assertObject(kube, obj);
        }
        assert.deepEqual(res.outputs.kubeNamespaces.value, { "team-a": "team-a", "team-b": "team-b", "team-c": "team-c" });

        // destroy deletes every AWS resource and every object of ours.
        mark = account.mark();
        await destroy();
        const deletes = Object.fromEntries(Object.entries(awsCreates).map(([k, n]) => [k.replace(/^Create/, "Delete"), n]));
        assert.deepEqual(writes(account.calls(mark)), deletes, "destroy deletes every AWS resource, and only that");
        for (const { name } of namespaces) {
            await kube.waitGone(namespacePath(name));
            assert.ok(await kube.isGone(apiPath({ kind: "ClusterRole", name: `k8s-role-for-users-${name}` })));
        }
        assert.ok(await kube.isGone(apiPath(bootstrapClusterRole())), "the bootstrap ClusterRole must be deleted");
    } finally {
        await dispose();
        account.dispose();
    }
});

const recordingComment =
    "Written by e2e/nodejs/setup.test.ts (E2E_RECORD=1 make test-e2e-ts): the inputs examples/typescript and " +
    "examples/python send, and the outputs the provider returned for them through the engine, with the stand-ins " +
    "of tools/standin. The e2e compares every run with it; the examples' mocks answer with it.";

/** Records a step on a custom resource (components and the stack aside) other than "same". */
function collectStep(steps: string[], e: EngineEvent): void {
    const m = e.resourcePreEvent?.metadata;
    if (!m || m.op === "same" || [setupType, "concurrent:index:ConcurrentNamespace", "pulumi:pulumi:Stack"].includes(m.type)) {
        return;
    }
    steps.push(`${m.op} ${m.urn.slice(m.urn.lastIndexOf("::") + 2)}`);
}

/** The custom-resource steps of adding or removing one namespace of the setup. */
function namespaceSteps(op: string, ns: string): string[] {
    return ["-namespace", "-bootstrap-sa", "-bootstrap-binding", "-users-role", "-users-sa", "-users-binding"]
        .map((s) => `${op} concurrent-${ns}${s}`)
        .sort();
}
