"""The stand-ins (tools/standin, built by tools/build.sh into tools/bin/standin) play AWS, random
and the aws CLI, which cannot be built here (tools/README.md). An Account is one test's fake AWS
account: the cluster description the aws stand-in answers from (the demo cluster of
internal/fakeaws, with the test API server's endpoint and CA), the call log every stand-in
appends to, and the token the CLI shim hands out. The Go tests' standins_test.go and
e2e/nodejs/standins.ts are the same for Go and TypeScript."""

import json
import os
import shutil
import tempfile
from collections import Counter
from typing import Any

import yaml

from harness import TOOLS_DIR, Kube

# What the pulumi-aws and pulumi-random Go SDKs the plugin is built with ask for.
AWS_PROVIDER_VERSION = "6.83.4"
RANDOM_PROVIDER_VERSION = "4.18.4"

# Where `make e2e` builds them (E2E_STANDIN_DIR), else tools/bin/standin.
STANDIN_DIR = os.environ.get("E2E_STANDIN_DIR") or os.path.join(TOOLS_DIR, "bin", "standin")

# The demo cluster's facts the tests assert (internal/fakeaws DemoCluster), written out.
DEMO_CLUSTER = {
    "name": "kubetest32",
    "region": "us-east-2",
    "account": "678901234557",
    "subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
}


class Account:
    def __init__(self, kubeconfig: str, kube: Kube, delays: dict[str, str] | None = None):
        """delays: per type token, a Go duration the stand-in sleeps in Create/Update/Delete."""
        for b in ("pulumi-resource-aws", "pulumi-resource-random", "aws"):
            if not os.path.exists(os.path.join(STANDIN_DIR, b)):
                raise RuntimeError(f"stand-in {b} missing: run tools/build.sh (make e2e does)")
        cfg = yaml.safe_load(kubeconfig)
        ctx = next(c for c in cfg["contexts"] if c["name"] == cfg["current-context"])["context"]
        cluster = next(c for c in cfg["clusters"] if c["name"] == ctx["cluster"])["cluster"]
        self.dir = tempfile.mkdtemp(prefix="concurrent-e2e-aws-")
        self._log = os.path.join(self.dir, "calls.jsonl")
        description = {
            "cluster": {
                **DEMO_CLUSTER,
                "endpoint": cluster["server"],
                "certificateData": cluster["certificate-authority-data"],
            },
            "delays": delays or {},
        }
        for name, text in (("cluster.json", json.dumps(description)), ("token", kube.token)):
            fd = os.open(os.path.join(self.dir, name), os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(text)

    def plugins(self) -> list[dict[str, str]]:
        return [
            {"name": "aws", "version": AWS_PROVIDER_VERSION, "path": STANDIN_DIR},
            {"name": "random", "version": RANDOM_PROVIDER_VERSION, "path": STANDIN_DIR},
        ]

    def env(self) -> dict[str, str]:
        return {
            "STANDIN_AWS_DESCRIPTION": os.path.join(self.dir, "cluster.json"),
            "STANDIN_KUBE_TOKEN_FILE": os.path.join(self.dir, "token"),
            "STANDIN_LOG": self._log,
            # The Automation API puts tools/bin first only on the PATH it inherits.
            "PATH": os.pathsep.join([STANDIN_DIR, os.path.join(TOOLS_DIR, "bin"), os.environ.get("PATH", "")]),
        }

    def calls(self, mark: int = 0) -> list[dict[str, Any]]:
        """The call log; mark is a count of earlier calls to skip."""
        if not os.path.exists(self._log):
            return []
        with open(self._log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()][mark:]

    def mark(self) -> int:
        return len(self.calls())

    def dispose(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def writes(calls: list[dict[str, Any]]) -> dict[str, int]:
    """The Create, Update and Delete calls, counted by "Method type"."""
    return dict(Counter(f"{c['method']} {c.get('type')}" for c in calls if c["method"] in ("Create", "Update", "Delete")))


def failed(calls: list[dict[str, Any]]) -> list[str]:
    """The calls that returned an error, for failure messages."""
    return [f"{c['method']} {c.get('type')} {c.get('urn')}: {c['error']}" for c in calls if c.get("error")]
