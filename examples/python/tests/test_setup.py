"""Runs the example program under Pulumi's mocks and checks what the Python SDK sends for the
component: the whole input dict, on the wire. The program writes snake_case keyword arguments
and dict keys; the SDK must send the schema's camelCase names, so an input it dropped, renamed
or left untranslated fails here."""

import pulumi
import pulumi_concurrent as concurrent

SETUP_TYPE = "concurrent:index:ConcurrentEksSetup"

EXTERNAL_ID = "0b9d6f57-5b0e-4b7c-9b4a-6c1d2e3f4a5b"
# What the mock answers for the component, shaped like the provider's outputs. The component
# runs in the provider (a remote component), so under mocks it registers no children.
MOCK_OUTPUTS = {
    "roleArn": "arn:aws:iam::210987654321:role/concurrent-role-1a2b3c4",
    "registrations": [
        {"clusterName": "demo", "namespace": "team-a", "clusterType": "EKS"},
        {"clusterName": "demo", "namespace": "team-b", "clusterType": "EKS"},
    ],
    "mlflowBackendConfigs": {"team-a": "{}", "team-b": "{}"},
}


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.registered.append(args)
        if args.typ != SETUP_TYPE:
            raise Exception(f"unexpected resource {args.typ} {args.name!r}")
        # externalId comes back secret, as the provider returns it.
        return None, {**MOCK_OUTPUTS, "externalId": pulumi.Output.secret(EXTERNAL_ID)}

    def call(self, args: pulumi.runtime.MockCallArgs):
        raise Exception(f"unexpected invoke {args.token}")


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, project="project", stack="stack", preview=False)
pulumi.runtime.set_all_config(
    {"project:clusterName": "demo", "project:concurrentAccountId": "123456789012"}
)

# Imported after the mocks are set, like `pulumi up` runs it.
from concurrent_setup import program  # noqa: E402

outputs = program()


def after_registration(check):
    """Runs check once every output resolved, i.e. once the component's registration completed."""
    return pulumi.Output.all(*outputs.values()).apply(lambda _: check())


@pulumi.runtime.test
def test_registers_only_the_component():
    def check():
        assert [(r.typ, r.name) for r in mocks.registered] == [(SETUP_TYPE, "concurrent")]
        assert mocks.registered[0].custom is False, "a component, not a custom resource"

    return after_registration(check)


@pulumi.runtime.test
def test_inputs_are_what_the_program_wrote_with_the_schema_names():
    def check():
        assert mocks.registered[0].inputs == {
            "clusterName": "demo",
            "concurrentAccountId": "123456789012",
            "computeType": "nodeGroups",
            "nodeGroups": {
                "system": {"capacityType": "ON_DEMAND", "instanceTypes": ["m6i.xlarge", "m6a.xlarge"]},
                "worker": {
                    "capacityType": "SPOT",
                    "instanceTypes": ["m6i.2xlarge", "m6a.2xlarge"],
                    "maxSize": 3,
                },
            },
            "namespaces": [
                {"name": "team-a", "labels": {"team": "a"}},
                {"name": "team-b", "labels": {"team": "b"}},
            ],
            "tags": {"app": "concurrent-for-mlflow"},
        }

    return after_registration(check)


@pulumi.runtime.test
def test_exports_the_component_outputs_external_id_secret():
    assert sorted(outputs) == ["externalId", "mlflowBackendConfigs", "registrations", "roleArn"]

    def check_secrets(values):
        external_id, external_id_secret, role_arn, role_arn_secret = values
        assert external_id == EXTERNAL_ID
        assert external_id_secret is True, "externalId must stay secret"
        assert role_arn == MOCK_OUTPUTS["roleArn"]
        assert role_arn_secret is False

    def check_registrations(registrations):
        # Output types come back typed, with Python attribute names. (Checked on the output
        # itself: Output.all turns output types back into plain dicts.)
        assert all(isinstance(r, concurrent.outputs.Registration) for r in registrations)
        assert [(r.cluster_name, r.namespace, r.cluster_type) for r in registrations] == [
            ("demo", "team-a", "EKS"),
            ("demo", "team-b", "EKS"),
        ]

    def check_configs(configs):
        # A map of strings: keys are namespaces, never translated.
        assert configs == MOCK_OUTPUTS["mlflowBackendConfigs"]

    return pulumi.Output.all(
        pulumi.Output.all(
            pulumi.Output.unsecret(outputs["externalId"]),
            outputs["externalId"].is_secret(),
            outputs["roleArn"],
            outputs["roleArn"].is_secret(),
        ).apply(check_secrets),
        outputs["registrations"].apply(check_registrations),
        outputs["mlflowBackendConfigs"].apply(check_configs),
    )
