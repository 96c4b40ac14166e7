"""Runs the example program under Pulumi's mocks and checks what the Python SDK sends for the
component: the whole input dict, on the wire. The program writes snake_case keyword arguments
and dict keys; the SDK must send the schema's camelCase names, so an input it dropped, renamed
or left untranslated fails here. The inputs are compared with a recorded engine run's, and the
mock answers with the outputs the provider returned for them in that run
(examples/testdata/setup-engine-run.json), which `make e2e` compares with a fresh engine run
(e2e/nodejs/setup.test.ts): what this test reads cannot drift from what the provider returns."""

import json
import os

import pulumi
import pulumi_concurrent as concurrent

SETUP_TYPE = "concurrent:index:ConcurrentEksSetup"

with open(os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "setup-engine-run.json"), encoding="utf-8") as f:
    RECORDING = json.load(f)
RECORDED = RECORDING["outputs"]


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.registered.append(args)
        if args.typ != SETUP_TYPE:
            raise Exception(f"unexpected resource {args.typ} {args.name!r}")
        # The recorded outputs, secret where the provider returned them secret. The component
        # runs in the provider (a remote component), so under mocks it registers no children.
        state = dict(RECORDED)
        for name in RECORDING["secretOutputs"]:
            state[name] = pulumi.Output.secret(RECORDED[name])
        return None, state

    def call(self, args: pulumi.runtime.MockCallArgs):
        raise Exception(f"unexpected invoke {args.token}")


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, project="project", stack="stack", preview=False)
pulumi.runtime.set_all_config(
    {
        "project:clusterName": RECORDING["inputs"]["clusterName"],
        "project:concurrentAccountId": RECORDING["inputs"]["concurrentAccountId"],
    }
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
def test_inputs_are_the_recorded_runs_with_the_schema_names():
    def check():
        assert mocks.registered[0].name == RECORDING["name"]
        assert mocks.registered[0].inputs == RECORDING["inputs"]

    return after_registration(check)


@pulumi.runtime.test
def test_exports_the_component_outputs_external_id_secret():
    assert RECORDING["secretOutputs"] == ["externalId"], "the recorded run's secret outputs"
    assert sorted(outputs) == ["externalId", "mlflowBackendConfigs", "registrations", "roleArn"]

    def check_secrets(values):
        external_id, external_id_secret, role_arn, role_arn_secret = values
        assert external_id == RECORDED["externalId"]
        assert external_id_secret is True, "externalId must stay secret"
        assert role_arn == RECORDED["roleArn"]
        assert role_arn_secret is False

    def check_registrations(registrations):
        # Output types come back typed, with Python attribute names. (Checked on the output
        # itself: Output.all turns output types back into plain dicts.)
        assert all(isinstance(r, concurrent.outputs.Registration) for r in registrations)
        role = RECORDED["roleArn"]
        assert [(r.cluster_name, r.namespace, r.cluster_type, r.role, r.use_fargate) for r in registrations] == [
            (RECORDING["inputs"]["clusterName"], "team-a", "EKS", role, "no"),
            (RECORDING["inputs"]["clusterName"], "team-b", "EKS", role, "no"),
        ]

    def check_configs(configs):
        # A map of strings: keys are namespaces, never translated.
        assert configs == RECORDED["mlflowBackendConfigs"]
        assert json.loads(configs["team-a"])["kube-namespace"] == "team-a"

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
