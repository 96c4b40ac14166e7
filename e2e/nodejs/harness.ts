// What the end-to-end test needs around the engine: a stack for an inline program (the Pulumi
// CLI in tools/bin, a file:// backend and an empty PULUMI_HOME in a temp dir, exactly our
// plugin and the Kubernetes plugin), a small reader of the test cluster (the kubeconfig's
// token and CA over HTTPS), and Concurrent's objects written out literally.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";

const repo = path.resolve(__dirname, "..", "..");

/** The tools/ folder: bin/pulumi and bin/pulumi-resource-kubernetes (tools/build.sh). */
export const toolsDir = process.env.E2E_TOOLS_DIR || path.join(repo, "tools");
/** The folder holding our freshly built pulumi-resource-concurrent (mk/e2e.mk). */
export const pluginDir = process.env.E2E_PLUGIN_DIR || path.join(repo, ".e2e", "plugin");
/** The test cluster's admin kubeconfig (tools/kube-up.sh). */
export const kubeconfigPath = process.env.E2E_KUBECONFIG || path.join(repo, ".e2e", "kubeconfig");

/** The version of the Kubernetes provider plugin in tools/bin and of @pulumi/kubernetes. */
export const kubernetesProviderVersion = "4.32.0";

/** The plugin version the SDK asks the engine for: the one its package declares. */
export function concurrentPluginVersion(): string {
    const pkg = require("@concurrent-ai/pulumi-concurrent/package.json");
    return pkg.pulumi.version;
}

export function readKubeconfig(): string {
    try {
        return fs.readFileSync(kubeconfigPath, "utf8");
    } catch (e) {
        throw new Error(`no test cluster (${e}): run tools/kube-up.sh, or make e2e`);
    }
}

interface Kubeconfig {
    "current-context": string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
    users: { name: string; user: { token?: string } }[];
}

/** A GET of the API server: the status and the parsed body. */
export interface Response {
    status: number;
    body: any;
}

/** Reads the test cluster with the kubeconfig's bearer token, trusting only its CA. */
export class Kube {
    readonly server: URL;
    readonly token: string;
    private readonly ca: Buffer;

    constructor(kubeconfig: string) {
        const cfg = yaml.load(kubeconfig) as Kubeconfig;
        const ctx = cfg.contexts.find((c) => c.name === cfg["current-context"])!.context;
        const cluster = cfg.clusters.find((c) => c.name === ctx.cluster)!.cluster;
        const user = cfg.users.find((u) => u.name === ctx.user)!.user;
        if (!user.token) {
            throw new Error("the test kubeconfig has no token");
        }
        this.server = new URL(cluster.server);
        this.token = user.token;
        this.ca = Buffer.from(cluster["certificate-authority-data"], "base64");
    }

    get(apiPath: string): Promise<Response> {
        return new Promise((resolve, reject) => {
            const req = https.request(
                {
                    hostname: this.server.hostname,
                    port: this.server.port,
                    path: apiPath,
                    method: "GET",
                    ca: this.ca,
                    headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json" },
                    timeout: 30_000,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        try {
                            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
                        } catch {
                            reject(new Error(`GET ${apiPath}: ${res.statusCode}: not JSON: ${text}`));
                        }
                    });
                },
            );
            req.on("timeout", () => req.destroy(new Error(`GET ${apiPath}: timed out`)));
            req.on("error", reject);
            req.end();
        });
    }

    /** The object at apiPath; fails unless the API server answers 200. */
    async mustGet(apiPath: string): Promise<any> {
        const res = await this.get(apiPath);
        if (res.status !== 200) {
            throw new Error(`GET ${apiPath}: ${res.status} ${res.body?.message ?? ""}`);
        }
        return res.body;
    }

    /** Whether the API server answers 404 for apiPath (any other non-200 answer fails). */
    async isGone(apiPath: string): Promise<boolean> {
        const res = await this.get(apiPath);
        if (res.status === 404) {
            return true;
        }
        if (res.status !== 200) {
            throw new Error(`GET ${apiPath}: ${res.status} ${res.body?.message ?? ""}`);
        }
        return false;
    }

    /** Waits up to timeoutMs for apiPath to answer 404 (the namespace controller finishing). */
    async waitGone(apiPath: string, timeoutMs = 120_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await this.isGone(apiPath))) {
            if (Date.now() > deadline) {
                throw new Error(`${apiPath} still present ${timeoutMs / 1000} s after destroy`);
            }
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}

/** A stack, and what to call to destroy it and remove its temp dir whatever happened. */
export interface TestStack {
    stack: Stack;
    /** Destroys the stack (what the test checks). */
    destroy(): Promise<void>;
    /** Destroys the stack unless destroy() succeeded, and removes the temp dir. */
    dispose(): Promise<void>;
    /**
     * The stack's checkpoint as the file:// backend stores it: secrets encrypted (the
     * Automation API's exportStack runs `pulumi stack export --show-secrets`).
     */
    storedState(): any;
    /** The files of the backend (state, backups, history) that hold the string s. */
    backendFilesContaining(s: string): string[];
}

/** A pinned plugin: name, version and the folder holding pulumi-resource-<name>. */
export interface PluginPin {
    name: string;
    version: string;
    path: string;
}

/** What a stack adds to the default plugins and environment (the stand-ins, for instance). */
export interface StackExtras {
    plugins?: PluginPin[];
    env?: Record<string, string>;
}

/**
 * A stack for an inline program, with a file:// backend in a temp dir, an empty plugin cache,
 * and exactly our plugin and the Kubernetes plugin (no ambient plugins).
 */
export async function newStack(projectName: string, program: PulumiFn, extra: StackExtras = {}): Promise<TestStack> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concurrent-e2e-ts-"));
    const backend = path.join(tmp, "state");
    const home = path.join(tmp, "home");
    fs.mkdirSync(backend, { mode: 0o700 });
    fs.mkdirSync(home, { mode: 0o700 });

    const pulumiCommand = await PulumiCommand.get({ root: toolsDir, skipVersionCheck: true });
    // The Automation API's ProjectSettings type has no `plugins`, but the workspace writes the
    // whole object to Pulumi.yaml, where the engine reads it.
    const projectSettings = {
        name: projectName,
        runtime: "nodejs",
        backend: { url: "file://" + backend },
        plugins: {
            providers: [
                { name: "kubernetes", version: kubernetesProviderVersion, path: path.join(toolsDir, "bin") },
                { name: "concurrent", version: concurrentPluginVersion(), path: pluginDir },
                ...(extra.plugins ?? []),
            ],
        },
    };
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "e2e", projectName, program },
        {
            pulumiCommand,
            projectSettings,
            pulumiHome: home,
            secretsProvider: "passphrase",
            envVars: {
                PULUMI_CONFIG_PASSPHRASE: "e2e",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
                PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
                // A plugin that is not pinned fails at once instead of being looked for online.
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                ...(extra.env ?? {}),
            },
        },
    );
    let destroyed = false;
    return {
        stack,
        backendFilesContaining(s: string) {
            const files = fs.readdirSync(backend, { recursive: true, encoding: "utf8" });
            return files.filter((f) => {
                const p = path.join(backend, f);
                return fs.statSync(p).isFile() && fs.readFileSync(p).includes(s);
            });
        },
        storedState() {
            const dir = path.join(backend, ".pulumi", "stacks", projectName);
            return JSON.parse(fs.readFileSync(path.join(dir, `${stack.name}.json`), "utf8"));
        },
        async destroy() {
            await stack.destroy();
            destroyed = true;
        },
        async dispose() {
            try {
                // Leave nothing behind when the test failed half-way.
                if (!destroyed) {
                    await stack.destroy();
                }
            } catch (e) {
                process.stderr.write(`cleanup: destroy failed: ${e}\n`);
            } finally {
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        },
    };
}

/** The operations of an update other than "same". */
export function changes(summary: { resourceChanges?: Record<string, number | undefined> }): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [op, n] of Object.entries(summary.resourceChanges ?? {})) {
        if (op !== "same" && n) {
            out[op] = n;
        }
    }
    return out;
}

// Concurrent's objects, written out literally from its new-namespace template (as the Go
// tests' nstest package does), not from the code under test.

/** One expected Kubernetes object: where to GET it, and its RBAC content. */
export interface Expected {
    kind: "ServiceAccount" | "ClusterRole" | "RoleBinding";
    name: string;
    namespace?: string;
    rules?: unknown;
    subjects?: unknown;
    roleRef?: unknown;
}

const rbacGroup = "rbac.authorization.k8s.io";

export const bootstrapClusterRoleName = "k8s-role-for-concurrent-bootstrap";

/** The one ClusterRole shared by every namespace: the template's rules without `post`. */
export function bootstrapClusterRole(): Expected {
    return {
        kind: "ClusterRole",
        name: bootstrapClusterRoleName,
        rules: [
            {
                apiGroups: [""],
                resources: ["nodes", "namespaces", "pods", "pods/log", "secrets", "events", "configmaps"],
                verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
            },
            {
                apiGroups: ["apps"],
                resources: ["deployments", "daemonsets", "statefulsets", "replicasets"],
                verbs: ["create", "get", "list", "watch", "update", "patch", "delete"],
            },
            {
                apiGroups: ["batch"],
                resources: ["jobs"],
                verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
            },
            {
                apiGroups: ["events.k8s.io"],
                resources: ["events"],
                verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            },
        ],
    };
}

/** The five objects of the template for namespace ns (without the Namespace itself). */
export function perNamespace(ns: string): Expected[] {
    return [
        { kind: "ServiceAccount", name: `k8s-serviceaccount-for-parallels-${ns}`, namespace: ns },
        {
            kind: "RoleBinding",
            name: `k8s-service-account-binding-${ns}`,
            namespace: ns,
            subjects: [{ kind: "ServiceAccount", name: `k8s-serviceaccount-for-parallels-${ns}`, namespace: ns }],
            roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: bootstrapClusterRoleName },
        },
        {
            // The template's rules without `jobs` in the core group.
            kind: "ClusterRole",
            name: `k8s-role-for-users-${ns}`,
            rules: [{ apiGroups: [""], resources: ["pods", "pods/log", "events"], verbs: ["get", "list", "watch"] }],
        },
        { kind: "ServiceAccount", name: `k8s-serviceaccount-for-users-${ns}`, namespace: ns },
        {
            kind: "RoleBinding",
            name: `k8s-serviceaccount-for-users-${ns}-binding`,
            namespace: ns,
            subjects: [{ kind: "ServiceAccount", name: `k8s-serviceaccount-for-users-${ns}`, namespace: ns }],
            roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: `k8s-role-for-users-${ns}` },
        },
    ];
}

/** The API path of an expected object. */
export function apiPath(o: Expected): string {
    switch (o.kind) {
        case "ServiceAccount":
            return `/api/v1/namespaces/${o.namespace}/serviceaccounts/${o.name}`;
        case "ClusterRole":
            return `/apis/${rbacGroup}/v1/clusterroles/${o.name}`;
        case "RoleBinding":
            return `/apis/${rbacGroup}/v1/namespaces/${o.namespace}/rolebindings/${o.name}`;
    }
}

export function namespacePath(ns: string): string {
    return `/api/v1/namespaces/${ns}`;
}

/** Reads one expected object back and compares its RBAC content exactly. */
export async function assertObject(kube: Kube, o: Expected): Promise<void> {
    const what = `${o.kind} ${o.namespace ?? ""}/${o.name}`;
    const got = await kube.mustGet(apiPath(o));
    assert.equal(got.kind, o.kind, what);
    assert.equal(got.metadata.name, o.name, what);
    switch (o.kind) {
        case "ClusterRole":
            assert.deepStrictEqual(got.rules, o.rules, `${what} rules`);
            break;
        case "RoleBinding":
            assert.deepStrictEqual(got.subjects, o.subjects, `${what} subjects`);
            assert.deepStrictEqual(got.roleRef, o.roleRef, `${what} roleRef`);
            break;
    }
}

/** Where (as paths in the value) a string holds secret: the resource's URN, then the field. */
export function pathsContaining(v: any, secret: string, at = ""): string[] {
    if (typeof v === "string") {
        return v.includes(secret) ? [at] : [];
    }
    if (v === null || typeof v !== "object") {
        return [];
    }
    const out: string[] = [];
    for (const [k, child] of Object.entries(v)) {
        const where = typeof child === "object" && child !== null && "urn" in child ? `${at}[${child.urn}]` : `${at}.${k}`;
        out.push(...pathsContaining(child, secret, where));
    }
    return out;
}
