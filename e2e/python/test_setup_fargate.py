"""ConcurrentEksSetup on Fargate from Python through the real engine: the Python SDK's class, run
by the Python Automation API (inline), our plugin, the stand-in aws and random plugins and the
CLI shim, the real Kubernetes plugin and API server. up; the outputs read back through the SDK's
output types; a no-op up; a namespace added (only its objects created: the two Fargate profiles
select every namespace by label, so they stay); destroy.
Needs a cluster and tools/bin: `make test-e2e-python`."""

import json
import re

import pulumi
import pulumi_concurrent as concurrent

from harness import (
    BOOTSTRAP_CLUSTER_ROLE,
    Expected,
    Kube,
    TestStack,
    assert_object,
    bootstrap_cluster_role,
    changes,
    namespace_path,
    paths_containing,
    per_namespace,
    read_kubeconfig,
)
from standins import DEMO_CLUSTER, Account, failed, writes

SETUP_TYPE = "concurrent:index:ConcurrentEksSetup"
PROFILE_TYPE = "aws:eks/fargateProfile:FargateProfile"

# The AWS and random resources of this setup (accessEntry access: the cluster allows API).
AWS_CREATES = {
    "Create random:index/randomPassword:RandomPassword": 1,
    "Create aws:iam/role:Role": 2,  # Concurrent's and the pod execution role
    "Create aws:iam/rolePolicy:RolePolicy": 1,
    "Create aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
    f"Create {PROFILE_TYPE}": 2,  # py-fargate-system, py-fargate-worker
    "Create aws:eks/accessEntry:AccessEntry": 1,
    "Create aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 1,
}

GENERATED_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9]{32}$")


def test_fargate_setup_lifecycle():
    kubeconfig = read_kubeconfig()
    kube = Kube(kubeconfig)
    account = Account(kubeconfig, kube, {PROFILE_TYPE: "200ms"})
    namespaces = ["ml-py-a"]

    def program():
        setup = concurrent.ConcurrentEksSetup(
            "py",
            cluster_name=DEMO_CLUSTER["name"],
            concurrent_account_id="123456789012",
            compute_type=concurrent.ComputeType.FARGATE,
            fargate={"subnet_ids": DEMO_CLUSTER["subnetIds"]},
            namespaces=[{"name": ns} for ns in namespaces],
        )
        # Read through the SDK's output types, as a program would.
        pulumi.export(
            "registrations",
            setup.registrations.apply(
                lambda rs: [
                    {"type": type(r).__name__, "namespace": r.namespace, "useFargate": r.use_fargate, "role": r.role}
                    for r in rs
                ]
            ),
        )
        pulumi.export(
            "kubeNamespaces",
            setup.mlflow_backend_configs.apply(lambda m: {ns: json.loads(c)["kube-namespace"] for ns, c in m.items()}),
        )
        pulumi.export("externalId", setup.external_id)
        pulumi.export("externalIdIsSecret", setup.external_id.is_secret())
        pulumi.export("roleArn", setup.role_arn)
        pulumi.export("fargateProfileNames", setup.fargate_profile_names)
        pulumi.export("podExecutionRoleArn", setup.pod_execution_role_arn)
        pulumi.export("accessMode", setup.access_mode)

    ts = TestStack("e2e-py-setup-fargate", program, plugins=account.plugins(), env=account.env())
    try:
        res = ts.stack.up()
        calls = account.calls()
        assert failed(calls) == [], "stand-in calls that failed"
        assert list(changes(res.summary)) == ["create"], "the first up only creates"
        assert writes(calls) == AWS_CREATES, "the stand-ins' Create calls"

        out = {k: v.value for k, v in res.outputs.items()}
        role_arn = out["roleArn"]
        assert re.match(rf"^arn:aws:iam::{DEMO_CLUSTER['account']}:role/py-role-[0-9a-f]{{7}}$", role_arn), role_arn
        assert out["registrations"] == [
            {"type": "Registration", "namespace": "ml-py-a", "useFargate": "yes", "role": role_arn}
        ], "registrations[i].use_fargate"
        assert out["kubeNamespaces"] == {"ml-py-a": "ml-py-a"}, "mlflow_backend_configs"
        assert out["externalIdIsSecret"] is True, "external_id is a secret in the program"
        assert res.outputs["externalId"].secret is True, "externalId is a secret output"
        assert GENERATED_EXTERNAL_ID.match(out["externalId"])
        # Nowhere in plain text, not even as an id (a RandomPassword's id is "none").
        assert paths_containing(ts.stored_state(), out["externalId"]) == [], "the external ID in plain text in the state"
        assert out["fargateProfileNames"] == ["py-fargate-system", "py-fargate-worker"]
        assert re.match(
            rf"^arn:aws:iam::{DEMO_CLUSTER['account']}:role/py-pod-execution-role-[0-9a-f]{{7}}$",
            out["podExecutionRoleArn"],
        )
        assert out["accessMode"] == "accessEntry"
        assert_namespace(kube, "ml-py-a")
        assert_object(kube, bootstrap_cluster_role())

        # A second up changes nothing and writes nothing to AWS.
        mark = account.mark()
        res = ts.stack.up(expect_no_changes=True)
        assert changes(res.summary) == {}, "a second up must change nothing"
        assert writes(account.calls(mark)) == {}, "a no-op up must not write to AWS"

        # A new namespace: only its objects are created, nothing in AWS.
        mark = account.mark()
        namespaces.append("ml-py-b")
        steps: list[str] = []
        res = ts.stack.up(on_event=lambda e: collect_step(steps, e))
        assert writes(account.calls(mark)) == {}, "a new namespace must not write to AWS"
        assert sorted(steps) == sorted(namespace_steps("create", "ml-py-b")), "the custom resources the update touched"
        assert_namespace(kube, "ml-py-b")
        assert res.outputs["kubeNamespaces"].value == {"ml-py-a": "ml-py-a", "ml-py-b": "ml-py-b"}

        # destroy deletes every AWS resource and every object of ours.
        mark = account.mark()
        ts.destroy()
        assert writes(account.calls(mark)) == {k.replace("Create", "Delete", 1): n for k, n in AWS_CREATES.items()}
        for ns in namespaces:
            kube.wait_gone(namespace_path(ns))
            assert kube.is_gone(Expected("ClusterRole", f"k8s-role-for-users-{ns}").api_path)
        assert kube.is_gone(Expected("ClusterRole", BOOTSTRAP_CLUSTER_ROLE).api_path)
    finally:
        ts.dispose()
        account.dispose()


def assert_namespace(kube: Kube, ns: str) -> None:
    kube.must_get(namespace_path(ns))
    for o in per_namespace(ns):
        assert_object(kube, o)


def collect_step(steps: list[str], e) -> None:
    """Records a step on a custom resource (components and the stack aside) other than "same"."""
    pre = e.resource_pre_event
    if pre is None:
        return
    m = pre.metadata
    op = m.op.value if hasattr(m.op, "value") else m.op
    if op == "same" or m.type in (SETUP_TYPE, "concurrent:index:ConcurrentNamespace", "pulumi:pulumi:Stack"):
        return
    steps.append(f"{op} {m.urn[m.urn.rindex('::') + 2:]}")


def namespace_steps(op: str, ns: str) -> list[str]:
    """The custom-resource steps of adding one namespace of the setup named py."""
    return [
        f"{op} py-{ns}{s}"
        for s in ("-namespace", "-bootstrap-sa", "-bootstrap-binding", "-users-role", "-users-sa", "-users-binding")
    ]
