"""Two ConcurrentNamespaces from Python through the real engine and our plugin: the Python SDK's
class with a pulumi_kubernetes provider, run by the Python Automation API (inline). Every object
exists with Concurrent's exact names, rules, subjects and roleRefs; a second up changes
nothing; destroy leaves nothing of ours and nothing else touched. Needs a cluster
(tools/kube-up.sh) and the plugin built by mk/e2e.mk: `make test-e2e-python`."""

import pulumi
import pulumi_kubernetes as k8s
from pulumi_concurrent import ConcurrentNamespace

from harness import (
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
    type_counts,
)

# Distinct from the Go and TypeScript tests' namespaces.
NAMES = ["e2e-py-a", "e2e-py-b"]

# What the stack holds after the first up, by type.
EXPECTED_TYPES = {
    "pulumi:pulumi:Stack": 1,
    "pulumi:providers:kubernetes": 1,
    # The engine's default providers: of our package, which constructs the components, and
    # the engine's built-in one (pulumi:pulumi:getResource, for resource references).
    "pulumi:providers:concurrent": 1,
    "pulumi:providers:pulumi": 1,
    "concurrent:index:ConcurrentNamespace": 2,
    "kubernetes:core/v1:Namespace": 2,
    # Per namespace: the bootstrap and the users service accounts and their bindings.
    "kubernetes:core/v1:ServiceAccount": 4,
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 4,
    # The shared bootstrap ClusterRole, and the users' one per namespace.
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 3,
}


def test_concurrent_namespace_lifecycle():
    kubeconfig = read_kubeconfig()
    kube = Kube(kubeconfig)

    # Something that is not ours, which must survive everything.
    view = Expected("ClusterRole", "view")
    bystander = kube.must_get(view.api_path)

    def program():
        provider = k8s.Provider("k8s", kubeconfig=pulumi.Output.secret(kubeconfig))
        for i, name in enumerate(NAMES):
            ns = ConcurrentNamespace(
                name,
                name=name,
                labels={"team": name},
                # The shared bootstrap ClusterRole, once.
                create_bootstrap_cluster_role=i == 0,
                opts=pulumi.ResourceOptions(providers=[provider]),
            )
            pulumi.export(name, ns.namespace)
            pulumi.export(f"{name}-bootstrap", ns.bootstrap_service_account)
            pulumi.export(f"{name}-users", ns.users_service_account)

    ts = TestStack("e2e-py-namespaces", program)
    try:
        res = ts.stack.up()
        assert type_counts(ts.stack.export_stack().deployment) == EXPECTED_TYPES, "the stack's resources by type"
        # The summary leaves out the two default providers.
        assert changes(res.summary) == {"create": sum(EXPECTED_TYPES.values()) - 2}, "the first up creates the rest"
        for name in NAMES:
            assert res.outputs[name].value == name
            assert res.outputs[f"{name}-bootstrap"].value == f"k8s-serviceaccount-for-parallels-{name}"
            assert res.outputs[f"{name}-users"].value == f"k8s-serviceaccount-for-users-{name}"

            ns = kube.must_get(namespace_path(name))
            assert (ns["metadata"].get("labels") or {}).get("team") == name, f"namespace {name}'s label team"
            for o in per_namespace(name):
                assert_object(kube, o)
        assert_object(kube, bootstrap_cluster_role())

        # The kubeconfig is a secret: encrypted where the backend stores it (state, backups,
        # history).
        stored = ts.stored_state()
        assert paths_containing(stored, kube.token) == [], "the kubeconfig's token in plain text in the stored state"
        assert ts.backend_files_containing(kube.token) == [], "backend files with the kubeconfig's token in plain text"
        k8s_provider = next(
            r for r in stored["checkpoint"]["latest"]["resources"] if r["type"] == "pulumi:providers:kubernetes"
        )
        assert (k8s_provider.get("inputs", {}).get("kubeconfig") or {}).get("ciphertext"), (
            "the Kubernetes provider's kubeconfig is stored encrypted"
        )

        res = ts.stack.up(expect_no_changes=True)
        assert changes(res.summary) == {}, "a second up must change nothing"

        ts.destroy()
        for name in NAMES:
            kube.wait_gone(namespace_path(name))
            users_role = Expected("ClusterRole", f"k8s-role-for-users-{name}")
            assert kube.is_gone(users_role.api_path), f"{users_role} must be deleted"
        assert kube.is_gone(bootstrap_cluster_role().api_path), "the bootstrap ClusterRole must be deleted"
        after = kube.must_get(view.api_path)
        assert after["metadata"]["uid"] == bystander["metadata"]["uid"], "what is not ours is untouched"
    finally:
        ts.dispose()

