// A user's program, in a fresh project that has only the packed npm package: previews the
// component through the Automation API (inline), with the engine left to fetch our plugin.
// The test (install_test.go) sets INSTALL_* and reads the one JSON line this prints.
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as concurrent from "@concurrent-ai/pulumi-concurrent";

function env(name: string): string {
    const v = process.env[name];
    if (!v) {
        throw new Error(`${name} is not set`);
    }
    return v;
}

async function main(): Promise<void> {
    const program = async () => {
        const setup = new concurrent.ConcurrentEksSetup("install-ts", {
            clusterName: env("INSTALL_CLUSTER_NAME"),
            concurrentAccountId: "123456789012",
            namespaces: [{ name: "install-ts" }],
        });
        return { roleArn: setup.roleArn, registrations: setup.registrations };
    };
    const projectName = "install-ts";
    // The Automation API's ProjectSettings type has no `plugins`; the workspace writes the whole
    // object to Pulumi.yaml, where the engine reads it. Only the other packages are pinned.
    const projectSettings = {
        name: projectName,
        runtime: "nodejs" as const,
        backend: { url: env("INSTALL_BACKEND_URL") },
        plugins: { providers: JSON.parse(env("INSTALL_PINNED_PLUGINS")) },
    };
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "install", projectName, program },
        {
            pulumiCommand: await PulumiCommand.get({ root: env("INSTALL_PULUMI_ROOT"), skipVersionCheck: true }),
            projectSettings,
            pulumiHome: env("PULUMI_HOME"),
            secretsProvider: "passphrase",
        },
    );
    const types: string[] = [];
    await stack.preview({
        onEvent: (e) => {
            if (e.resourcePreEvent) {
                types.push(e.resourcePreEvent.metadata.type);
            }
        },
    });
    process.stdout.write(JSON.stringify({ types }) + "\n");
}

main().catch((e) => {
    process.stderr.write(`${e}\n`);
    process.exit(1);
});
