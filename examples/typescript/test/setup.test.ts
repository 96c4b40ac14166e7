// Runs the example program under Pulumi's mocks and checks what the TypeScript SDK sends for
// the component: the whole input object, compared with the recorded engine run's inputs, so an
// input the SDK dropped, renamed or mistyped fails here (and a renamed argument already fails
// tsc). The mock answers with the outputs the provider returned for those inputs in that run
// (examples/testdata/setup-engine-run.json), which `make e2e` compares with a fresh engine run
// (e2e/nodejs/setup.test.ts), so what this test reads cannot drift from what the provider returns.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

import { program, SetupOutputs } from "../setup";

const setupType = "concurrent:index:ConcurrentEksSetup";

const recording = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "testdata", "setup-engine-run.json"), "utf8"),
);
const recorded: Record<string, any> = recording.outputs;

const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
            registered.push(args);
            if (args.type !== setupType) {
                throw new Error(`unexpected resource ${args.type} ${JSON.stringify(args.name)}`);
            }
            // The recorded outputs, secret where the provider returned them secret. The component
            // runs in the provider (a remote component), so under mocks it registers no children.
            const state: Record<string, any> = { ...recorded };
            for (const name of recording.secretOutputs) {
                state[name] = pulumi.secret(recorded[name]);
            }
            return { id: undefined, state };
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
    "project:clusterName": recording.inputs.clusterName,
    "project:concurrentAccountId": recording.inputs.concurrentAccountId,
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

test("the component's inputs are exactly the recorded run's, with the schema's names", () => {
    assert.deepEqual(registered[0].name, recording.name);
    assert.deepEqual(registered[0].inputs, recording.inputs);
});

test("the stack exports the component's outputs, externalId secret", async () => {
    assert.deepEqual(recording.secretOutputs, ["externalId"], "the recorded run's secret outputs");
    assert.equal(await value(outputs.roleArn), recorded.roleArn);
    assert.equal(await value(outputs.externalId), recorded.externalId);
    assert.equal(await pulumi.isSecret(outputs.externalId), true, "externalId must stay secret");
    assert.equal(await pulumi.isSecret(outputs.roleArn), false);
    // Read through the SDK's types, as a program using the example's outputs would.
    const registrations = await value(outputs.registrations);
    assert.deepEqual(
        registrations.map((r) => [r.namespace, r.clusterType, r.role, r.useFargate]),
        [
            ["team-a", "EKS", recorded.roleArn, "no"],
            ["team-b", "EKS", recorded.roleArn, "no"],
        ],
    );
    const configs = await value(outputs.mlflowBackendConfigs);
    assert.deepEqual(Object.keys(configs), ["team-a", "team-b"]);
    assert.equal(JSON.parse(configs["team-a"])["kube-namespace"], "team-a");
});
