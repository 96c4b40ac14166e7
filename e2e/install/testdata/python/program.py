"""A user's program, in a fresh virtual environment that has only the wheel: previews the
component through the Automation API (inline), with the engine left to fetch our plugin. The
test (install_test.go) sets INSTALL_* and reads the one JSON line this prints."""

import json
import os
import sys
from typing import Any

import pulumi
import pulumi_concurrent as concurrent
from pulumi import automation as auto


class ProjectSettings(auto.ProjectSettings):
    """ProjectSettings with `plugins`, which the Automation API's class lacks: the workspace
    writes to_dict() to Pulumi.yaml, where the engine reads it."""

    def __init__(self, plugins: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.plugins = plugins

    def to_dict(self) -> dict:
        return {**super().to_dict(), "plugins": self.plugins}


def program() -> None:
    setup = concurrent.ConcurrentEksSetup(
        "install-py",
        cluster_name=os.environ["INSTALL_CLUSTER_NAME"],
        concurrent_account_id="123456789012",
        namespaces=[{"name": "install-py"}],
    )
    pulumi.export("role_arn", setup.role_arn)
    pulumi.export("registrations", setup.registrations)


def main() -> None:
    work = os.environ["INSTALL_WORK_DIR"]
    settings = ProjectSettings(
        name="install-py",
        runtime="python",
        backend=auto.ProjectBackend(url=os.environ["INSTALL_BACKEND_URL"]),
        # Only the other packages are pinned.
        plugins={"providers": json.loads(os.environ["INSTALL_PINNED_PLUGINS"])},
    )
    settings.main = work
    stack = auto.create_or_select_stack(
        stack_name="install",
        project_name="install-py",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=work,
            pulumi_command=auto.PulumiCommand(root=os.environ["INSTALL_PULUMI_ROOT"], skip_version_check=True),
            project_settings=settings,
            pulumi_home=os.environ["PULUMI_HOME"],
            secrets_provider="passphrase",
        ),
    )
    types = []

    def on_event(e: auto.EngineEvent) -> None:
        if e.resource_pre_event:
            types.append(e.resource_pre_event.metadata.type)

    stack.preview(on_event=on_event)
    sys.stdout.write(json.dumps({"types": types}) + "\n")


if __name__ == "__main__":
    main()
