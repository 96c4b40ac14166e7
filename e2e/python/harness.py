"""What the end-to-end test needs around the engine: a stack for an inline program (the Pulumi
CLI in tools/bin, a file:// backend and an empty PULUMI_HOME in a temp dir, exactly our plugin
and the Kubernetes plugin), a small reader of the test cluster (the kubeconfig's token and CA
over HTTPS), and Concurrent's objects written out literally."""

import base64
import json
import os
import shutil
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional

import yaml
from pulumi import automation as auto

_REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# The tools/ folder: bin/pulumi and bin/pulumi-resource-kubernetes (tools/build.sh).
TOOLS_DIR = os.environ.get("E2E_TOOLS_DIR") or os.path.join(_REPO, "tools")
# The folder holding our freshly built pulumi-resource-concurrent (mk/e2e.mk).
PLUGIN_DIR = os.environ.get("E2E_PLUGIN_DIR") or os.path.join(_REPO, ".e2e", "plugin")
# The test cluster's admin kubeconfig (tools/kube-up.sh).
KUBECONFIG_PATH = os.environ.get("E2E_KUBECONFIG") or os.path.join(_REPO, ".e2e", "kubeconfig")

# The version of the Kubernetes provider plugin in tools/bin and of pulumi_kubernetes.
KUBERNETES_PROVIDER_VERSION = "4.32.0"


def concurrent_plugin_version() -> str:
    """The plugin version the SDK asks the engine for: the one its package declares."""
    text = resources.files("pulumi_concurrent").joinpath("pulumi-plugin.json").read_text()
    return json.loads(text)["version"]


def read_kubeconfig() -> str:
    try:
        with open(KUBECONFIG_PATH, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise RuntimeError(f"no test cluster ({e}): run tools/kube-up.sh, or make e2e") from e


class Kube:
    """Reads the test cluster with the kubeconfig's bearer token, trusting only its CA."""

    def __init__(self, kubeconfig: str):
        cfg = yaml.safe_load(kubeconfig)
        ctx = next(c for c in cfg["contexts"] if c["name"] == cfg["current-context"])["context"]
        cluster = next(c for c in cfg["clusters"] if c["name"] == ctx["cluster"])["cluster"]
        user = next(u for u in cfg["users"] if u["name"] == ctx["user"])["user"]
        if not user.get("token"):
            raise RuntimeError("the test kubeconfig has no token")
        self.server = cluster["server"].rstrip("/")
        self.token = user["token"]
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode("ascii")
        self._ssl = ssl.create_default_context(cadata=ca)

    def get(self, path: str) -> tuple[int, Any]:
        """A GET of the API server: the status and the parsed body."""
        req = urllib.request.Request(
            self.server + path,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, context=self._ssl, timeout=30) as res:
                return res.status, json.load(res)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def must_get(self, path: str) -> Any:
        """The object at path; fails unless the API server answers 200."""
        status, body = self.get(path)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {body.get('message', '')}")
        return body

    def is_gone(self, path: str) -> bool:
        """Whether the API server answers 404 for path (any other non-200 answer fails)."""
        status, body = self.get(path)
        if status == 404:
            return True
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {body.get('message', '')}")
        return False

    def wait_gone(self, path: str, timeout: float = 120) -> None:
        """Waits up to timeout seconds for path to answer 404 (the namespace controller)."""
        deadline = time.monotonic() + timeout
        while not self.is_gone(path):
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} still present {timeout:.0f} s after destroy")
            time.sleep(0.5)


class _ProjectSettings(auto.ProjectSettings):
    """ProjectSettings with `plugins`, which the Automation API's class lacks: the workspace
    writes to_dict() to Pulumi.yaml, where the engine reads it."""

    def __init__(self, plugins: dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        self.plugins = plugins

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "plugins": self.plugins}


class TestStack:
    """A stack, and dispose() to destroy it and remove its temp dir whatever happened."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        project_name: str,
        program: auto.PulumiFn,
        plugins: Optional[list[dict[str, str]]] = None,
        env: Optional[dict[str, str]] = None,
    ):
        """plugins and env are pinned plugins and environment to add (the stand-ins')."""
        self._destroyed = False
        self._tmp = tempfile.mkdtemp(prefix="concurrent-e2e-py-")
        backend = os.path.join(self._tmp, "state")
        home = os.path.join(self._tmp, "home")
        work = os.path.join(self._tmp, "work")
        for d in (backend, home, work):
            os.makedirs(d, mode=0o700)
        settings = _ProjectSettings(
            name=project_name,
            runtime="python",
            backend=auto.ProjectBackend(url="file://" + backend),
            plugins={
                "providers": [
                    {
                        "name": "kubernetes",
                        "version": KUBERNETES_PROVIDER_VERSION,
                        "path": os.path.join(TOOLS_DIR, "bin"),
                    },
                    {"name": "concurrent", "version": concurrent_plugin_version(), "path": PLUGIN_DIR},
                    *(plugins or []),
                ]
            },
        )
        # The program's folder (Pulumi.yaml's main) is the work dir, not the caller's cwd.
        settings.main = work
        self._backend = backend
        self._state_file = os.path.join(backend, ".pulumi", "stacks", project_name, "e2e.json")
        self.stack = auto.create_or_select_stack(
            stack_name="e2e",
            project_name=project_name,
            program=program,
            opts=auto.LocalWorkspaceOptions(
                work_dir=work,
                pulumi_command=auto.PulumiCommand(root=TOOLS_DIR, skip_version_check=True),
                project_settings=settings,
                pulumi_home=home,
                secrets_provider="passphrase",
                env_vars={
                    "PULUMI_CONFIG_PASSPHRASE": "e2e",
                    "PULUMI_SKIP_UPDATE_CHECK": "true",
                    "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
                    "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
                    # A plugin that is not pinned fails at once instead of being looked for online.
                    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                    **(env or {}),
                },
            ),
        )

    def stored_state(self) -> Any:
        """The stack's checkpoint as the file:// backend stores it: secrets encrypted (the
        Automation API's export_stack runs `pulumi stack export --show-secrets`)."""
        with open(self._state_file, encoding="utf-8") as f:
            return json.load(f)

    def backend_files_containing(self, s: str) -> list[str]:
        """The files of the backend (state, backups, history) that hold the string s."""
        out = []
        for root, _, files in os.walk(self._backend):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    if s.encode() in f.read():
                        out.append(os.path.relpath(path, self._backend))
        return out

    def destroy(self) -> None:
        """Destroys the stack (what the test checks)."""
        self.stack.destroy()
        self._destroyed = True

    def dispose(self) -> None:
        """Destroys the stack unless destroy() succeeded, and removes the temp dir."""
        try:
            # Leave nothing behind when the test failed half-way.
            if not self._destroyed:
                self.stack.destroy()
        except Exception as e:  # noqa: BLE001 - cleanup must go on
            print(f"cleanup: destroy failed: {e}", file=sys.stderr)
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)


def type_counts(deployment: Any) -> dict[str, int]:
    """How many resources of each type a deployment (`pulumi stack export`) holds."""
    out: dict[str, int] = {}
    for r in deployment.get("resources") or []:
        out[r["type"]] = out.get(r["type"], 0) + 1
    return out


def paths_containing(v: Any, secret: str, at: str = "") -> list[str]:
    """Where (as paths in the value) a string holds secret: the resource's URN, then the field."""
    if isinstance(v, str):
        return [at] if secret in v else []
    if isinstance(v, dict):
        items = v.items()
    elif isinstance(v, list):
        items = enumerate(v)
    else:
        return []
    out = []
    for k, child in items:
        where = f"{at}[{child['urn']}]" if isinstance(child, dict) and "urn" in child else f"{at}.{k}"
        out.extend(paths_containing(child, secret, where))
    return out


def changes(summary: auto.UpdateSummary) -> dict[str, int]:
    """The operations of an update other than "same"."""
    return {op: n for op, n in (summary.resource_changes or {}).items() if op != "same" and n}


# Concurrent's objects, written out literally from its new-namespace template (as the Go
# tests' nstest package does), not from the code under test.

RBAC_GROUP = "rbac.authorization.k8s.io"
BOOTSTRAP_CLUSTER_ROLE = "k8s-role-for-concurrent-bootstrap"


@dataclass
class Expected:
    """One expected Kubernetes object: where to GET it, and its RBAC content."""

    kind: str
    name: str
    namespace: Optional[str] = None
    rules: Any = None
    subjects: Any = None
    role_ref: Any = None

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace or ''}/{self.name}"

    @property
    def api_path(self) -> str:
        if self.kind == "ServiceAccount":
            return f"/api/v1/namespaces/{self.namespace}/serviceaccounts/{self.name}"
        if self.kind == "ClusterRole":
            return f"/apis/{RBAC_GROUP}/v1/clusterroles/{self.name}"
        if self.kind == "RoleBinding":
            return f"/apis/{RBAC_GROUP}/v1/namespaces/{self.namespace}/rolebindings/{self.name}"
        raise ValueError(f"unexpected kind {self.kind}")


def namespace_path(ns: str) -> str:
    return f"/api/v1/namespaces/{ns}"


def _rule(groups: list[str], resources_: list[str], verbs: list[str]) -> dict[str, list[str]]:
    return {"apiGroups": groups, "resources": resources_, "verbs": verbs}


def bootstrap_cluster_role() -> Expected:
    """The one ClusterRole shared by every namespace: the template's rules without `post`."""
    return Expected(
        kind="ClusterRole",
        name=BOOTSTRAP_CLUSTER_ROLE,
        rules=[
            _rule(
                [""],
                ["nodes", "namespaces", "pods", "pods/log", "secrets", "events", "configmaps"],
                ["get", "list", "watch", "create", "update", "patch", "delete"],
            ),
            _rule(
                ["apps"],
                ["deployments", "daemonsets", "statefulsets", "replicasets"],
                ["create", "get", "list", "watch", "update", "patch", "delete"],
            ),
            _rule(["batch"], ["jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
            _rule(
                ["events.k8s.io"],
                ["events"],
                ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            ),
        ],
    )


def per_namespace(ns: str) -> list[Expected]:
    """The five objects of the template for namespace ns (without the Namespace itself)."""
    return [
        Expected("ServiceAccount", f"k8s-serviceaccount-for-parallels-{ns}", ns),
        Expected(
            "RoleBinding",
            f"k8s-service-account-binding-{ns}",
            ns,
            subjects=[{"kind": "ServiceAccount", "name": f"k8s-serviceaccount-for-parallels-{ns}", "namespace": ns}],
            role_ref={"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": BOOTSTRAP_CLUSTER_ROLE},
        ),
        # The template's rules without `jobs` in the core group.
        Expected(
            "ClusterRole",
            f"k8s-role-for-users-{ns}",
            rules=[_rule([""], ["pods", "pods/log", "events"], ["get", "list", "watch"])],
        ),
        Expected("ServiceAccount", f"k8s-serviceaccount-for-users-{ns}", ns),
        Expected(
            "RoleBinding",
            f"k8s-serviceaccount-for-users-{ns}-binding",
            ns,
            subjects=[{"kind": "ServiceAccount", "name": f"k8s-serviceaccount-for-users-{ns}", "namespace": ns}],
            role_ref={"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": f"k8s-role-for-users-{ns}"},
        ),
    ]


def assert_object(kube: Kube, o: Expected) -> None:
    """Reads one expected object back and compares its RBAC content exactly."""
    got = kube.must_get(o.api_path)
    assert got["kind"] == o.kind, str(o)
    assert got["metadata"]["name"] == o.name, str(o)
    if o.kind == "ClusterRole":
        assert got.get("rules") == o.rules, f"{o} rules"
    elif o.kind == "RoleBinding":
        assert got.get("subjects") == o.subjects, f"{o} subjects"
        assert got.get("roleRef") == o.role_ref, f"{o} roleRef"
