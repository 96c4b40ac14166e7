// Runs the example program under Pulumi's mocks and checks what the TypeScript SDK sends for
// the component: the whole input object, compared with what setup.ts writes, so an input the
// SDK dropped, renamed or mistyped fails here (and a renamed argument already fails tsc).
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

import { program, SetupOutputs } from "../setup";

const setupType = "concurrent:index:ConcurrentEksSetup";

// What the mock answers for the component, shaped like the provider's outputs. The component
// runs in the provider (a remote component), so under mocks it registers no children.
const externalId = "0b9d6f57-5b0e-4b7c-9b4a-6c1d2e3f4a5b";
const mockOutputs = {
    roleArn: "arn:aws:iam::210987654321:role/concurrent-role-1a2b3c4",
    externalId,
    registrations: [
        { clusterName: "demo", namespace: "team-a", clusterType: "EKS" },
        { clusterName: "demo", namespace: "team-b", clusterType: "EKS" },
    ],
    mlflowBackendConfigs: { "team-a": "{}", "team-b": "{}" },
};

const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
            registered.push(args);
            if (args.type !== setupType) {
                throw new Error(`unexpected resource ${args.type} ${JSON.stringify(args.name)}`);
            }
            // externalId comes back secret, as the provider returns it.
            return { id: undefined, state: { ...mockOutputs, externalId: pulumi.secret(externalId) } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
            throw new Error(`unexpected invoke ${args.token}`);
        },
    },
    "project",
    "stack",
    false,
);
pulumi.runtime.setAllConfig({
    "project:clusterName": "demo",
    "project:concurrentAccountId": "123456789012",
});

function value<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

let outputs: SetupOutputs;

before(async () => {
    outputs = program();
    // Every output resolves once the component's registration has completed.
    await Promise.all([
        value(outputs.roleArn),
        value(outputs.externalId),
        value(outputs.registrations),
        value(outputs.mlflowBackendConfigs),
    ]);
});

test("the program registers only the component, named concurrent", () => {
    assert.deepEqual(
        registered.map((r) => `${r.type} ${r.name}`),
        [`${setupType} concurrent`],
    );
    assert.equal(registered[0].custom, false, "a component, not a custom resource");
});

test("the component's inputs are exactly what the program wrote, with the schema's names", () => {
    assert.deepEqual(registered[0].inputs, {
        clusterName: "demo",
        concurrentAccountId: "123456789012",
        computeType: "nodeGroups",
        nodeGroups: {
            system: { capacityType: "ON_DEMAND", instanceTypes: ["m6i.xlarge", "m6a.xlarge"] },
            worker: { capacityType: "SPOT", instanceTypes: ["m6i.2xlarge", "m6a.2xlarge"], maxSize: 3 },
        },
        namespaces: [
            { name: "team-a", labels: { team: "a" } },
            { name: "team-b", labels: { team: "b" } },
        ],
        tags: { app: "concurrent-for-mlflow" },
    });
});

test("the stack exports the component's outputs, externalId secret", async () => {
    assert.equal(await value(outputs.roleArn), mockOutputs.roleArn);
    assert.equal(await value(outputs.externalId), externalId);
    assert.equal(await pulumi.isSecret(outputs.externalId), true, "externalId must stay secret");
    assert.equal(await pulumi.isSecret(outputs.roleArn), false);
    assert.deepEqual(await value(outputs.registrations), mockOutputs.registrations);
    assert.deepEqual(await value(outputs.mlflowBackendConfigs), mockOutputs.mlflowBackendConfigs);
});
