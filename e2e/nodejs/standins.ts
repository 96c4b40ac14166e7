// The stand-ins (tools/standin, built by tools/build.sh into tools/bin/standin) play AWS, random
// and the aws CLI, which cannot be built here (tools/README.md). An Account is one test's fake
// AWS account: the cluster description the aws stand-in answers from (the demo cluster of
// internal/fakeaws, with the test API server's endpoint and CA), the call log every stand-in
// appends to, and the token the CLI shim hands out. The Go tests' standins_test.go is the
// same for Go.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { Kube, StackExtras, toolsDir } from "./harness";

// What the pulumi-aws and pulumi-random Go SDKs the plugin is built with ask for.
const awsProviderVersion = "6.83.4";
const randomProviderVersion = "4.18.4";

// Where `make e2e` builds them (E2E_STANDIN_DIR), else tools/bin/standin.
const standinDir = process.env.E2E_STANDIN_DIR || path.join(toolsDir, "bin", "standin");

/** The demo cluster's facts the tests assert (internal/fakeaws DemoCluster), written out. */
export const demoCluster = {
    name: "kubetest32",
    region: "us-east-2",
    account: "678901234557",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
};

/** One line of the stand-ins' call log (tools/standin/calllog). */
export interface Call {
    plugin: string;
    method: string;
    type?: string;
    urn?: string;
    error?: string;
    args?: string[];
}

export class Account {
    readonly dir: string;
    private readonly log: string;

    /** delays: per type token, a Go duration the stand-in sleeps in Create/Update/Delete. */
    constructor(kubeconfig: string, kube: Kube, delays: Record<string, string> = {}) {
        for (const bin of ["pulumi-resource-aws", "pulumi-resource-random", "aws"]) {
            if (!fs.existsSync(path.join(standinDir, bin))) {
                throw new Error(`stand-in ${bin} missing: run tools/build.sh (make e2e does)`);
            }
        }
        const cfg = yaml.load(kubeconfig) as any;
        const ctx = cfg.contexts.find((c: any) => c.name === cfg["current-context"]).context;
        const cluster = cfg.clusters.find((c: any) => c.name === ctx.cluster).cluster;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "concurrent-e2e-aws-"));
        this.log = path.join(this.dir, "calls.jsonl");
        const description = {
            cluster: {
                ...demoCluster,
                endpoint: cluster.server,
                certificateData: cluster["certificate-authority-data"],
            },
            delays,
        };
        fs.writeFileSync(path.join(this.dir, "cluster.json"), JSON.stringify(description), { mode: 0o600 });
        fs.writeFileSync(path.join(this.dir, "token"), kube.token, { mode: 0o600 });
    }

    /** Pins the stand-in plugins and puts the CLI shim first on the engine's PATH. */
    extras(): StackExtras {
        return {
            plugins: [
                { name: "aws", version: awsProviderVersion, path: standinDir },
                { name: "random", version: randomProviderVersion, path: standinDir },
            ],
            env: {
                STANDIN_AWS_DESCRIPTION: path.join(this.dir, "cluster.json"),
                STANDIN_KUBE_TOKEN_FILE: path.join(this.dir, "token"),
                STANDIN_LOG: this.log,
                // The Automation API puts tools/bin first only on the PATH it inherits.
                PATH: [standinDir, path.join(toolsDir, "bin"), process.env.PATH].join(path.delimiter),
            },
        };
    }

    /** The call log; mark is a count of earlier calls to skip. */
    calls(mark = 0): Call[] {
        if (!fs.existsSync(this.log)) {
            return [];
        }
        const lines = fs.readFileSync(this.log, "utf8").split("\n").filter((l) => l !== "");
        return lines.slice(mark).map((l) => JSON.parse(l) as Call);
    }

    mark(): number {
        return this.calls().length;
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The Create, Update and Delete calls, counted by "Method type". */
export function writes(calls: Call[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of calls) {
        if (c.method === "Create" || c.method === "Update" || c.method === "Delete") {
            const k = `${c.method} ${c.type}`;
            out[k] = (out[k] ?? 0) + 1;
        }
    }
    return out;
}

/** The calls that returned an error, for failure messages. */
export function failed(calls: Call[]): string[] {
    return calls.filter((c) => c.error).map((c) => `${c.method} ${c.type} ${c.urn}: ${c.error}`);
}
