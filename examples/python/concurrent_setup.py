"""A program that makes an existing EKS cluster ready for Concurrent for MLflow: the role
Concurrent assumes, managed node groups for its system and worker pods, and one namespace per
team. Its outputs are what to enter in Concurrent's "Add Cluster" form.

It is a module (``__main__.py`` runs it) so that the tests can run it under Pulumi's mocks.
"""

import pulumi
import pulumi_concurrent as concurrent


def program() -> dict:
    """Creates the setup and returns the stack's outputs by name."""
    config = pulumi.Config()
    setup = concurrent.ConcurrentEksSetup(
        "concurrent",
        cluster_name=config.require("clusterName"),
        concurrent_account_id=config.require("concurrentAccountId"),
        compute_type=concurrent.ComputeType.NODE_GROUPS,
        node_groups={
            # The bootstrap pod requests 3 vCPU, 7000M and 100Gi of ephemeral storage:
            # 4 vCPU / 16 GiB types, on demand so a Spot reclaim never stops a bootstrap.
            "system": {
                "capacity_type": concurrent.CapacityType.ON_DEMAND,
                "instance_types": ["m6i.xlarge", "m6a.xlarge"],
            },
            # Up to three Spot workers for the pipelines' DAG nodes.
            "worker": {
                "capacity_type": concurrent.CapacityType.SPOT,
                "instance_types": ["m6i.2xlarge", "m6a.2xlarge"],
                "max_size": 3,
            },
        },
        namespaces=[
            {"name": "team-a", "labels": {"team": "a"}},
            {"name": "team-b", "labels": {"team": "b"}},
        ],
        tags={"app": "concurrent-for-mlflow"},
    )
    return {
        "roleArn": setup.role_arn,
        # A secret output of the component: it stays encrypted in the stack's state and outputs.
        "externalId": setup.external_id,
        "registrations": setup.registrations,
        "mlflowBackendConfigs": setup.mlflow_backend_configs,
    }
