"""The GitHub Action (``action.yml``), run as the README's workflow runs it: each
``run:`` script of the composite action, exactly as written, through bash as the runner
starts it (``bash --noprofile --norc -eo pipefail``), with the step's ``env:`` built
from the workflow's ``with:`` inputs (or the inputs' defaults), ``GITHUB_PATH`` and
``GITHUB_OUTPUT`` files carried from step to step as the runner does, and the action
installed from a clone of this checkout without the network."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.readme_support import ROOT, clone_at_a_commit, offline_environment, readme_blocks

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")

ACTION_USES = re.compile(r"^bedrock-lint/bedrock-lint@<commit>$")
EXPRESSION = re.compile(r"\$\{\{\s*(?P<name>[\w.-]+)\s*\}\}")

APP = """\
import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")
"""


def readme_workflow() -> dict:
    workflows = [yaml.safe_load(block) for block in readme_blocks("yaml")]
    found = [w for w in workflows if isinstance(w, dict) and "jobs" in w]
    assert len(found) == 1, "the README has one GitHub workflow"
    return found[0]


def action_step(workflow: dict) -> dict:
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if ACTION_USES.match(step.get("uses", ""))]
    assert len(ours) == 1
    return ours[0]


def evaluate(value: str, context: dict[str, str]) -> str:
    """The runner's ``${{ … }}`` substitution, for the names the action uses."""
    return EXPRESSION.sub(lambda match: context[match.group("name")], value)


class Runner:
    """What the runner keeps between the steps of a job: the temp directory, the PATH
    that ``GITHUB_PATH`` extends, and the steps' outputs."""

    def __init__(self, action: dict, inputs: dict[str, str], workspace: Path, action_path: Path, environment: dict[str, str]) -> None:
        self.action, self.workspace, self.environment = action, workspace, dict(environment)
        self.temp = workspace.parent / "runner-temp"
        self.temp.mkdir()
        self.context = {"github.action_path": str(action_path)}
        for name, spec in action["inputs"].items():
            self.context[f"inputs.{name}"] = str(inputs.get(name, spec.get("default", "")))

    def run(self, step: dict):
        """One ``run:`` step of the action, as the runner runs it."""
        import subprocess

        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs reach the script through env only"
        github_path, github_output = self.temp / "path", self.temp / "output"
        github_path.write_text("", encoding="utf-8")
        github_output.write_text("", encoding="utf-8")
        env = dict(self.environment)
        env.update({name: evaluate(str(value), self.context) for name, value in step.get("env", {}).items()})
        env.update(RUNNER_TEMP=str(self.temp), GITHUB_PATH=str(github_path), GITHUB_OUTPUT=str(github_output), GITHUB_WORKSPACE=str(self.workspace))
        script = self.temp / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )
        added = [line for line in github_path.read_text("utf-8").splitlines() if line]
        self.environment["PATH"] = os.pathsep.join([*reversed(added), self.environment["PATH"]])
        for line in github_output.read_text("utf-8").splitlines():
            key, _, value = line.partition("=")
            self.context[f"steps.{step.get('id')}.outputs.{key}"] = value
        return process


def test_the_readme_workflow_runs_the_action(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    step = action_step(readme_workflow())
    inputs = step.get("with", {})
    assert set(inputs) <= set(action["inputs"])

    (tmp_path / "wheelhouse").mkdir()
    (tmp_path / "pre-commit-home").mkdir()
    environment = offline_environment(tmp_path / "wheelhouse", tmp_path / "pre-commit-home")
    # The runner's Python (setup-python) first on PATH; not the one bedrock-lint is in.
    python_only = tmp_path / "python-only"
    python_only.mkdir()
    real_python = Path(os.path.realpath(shutil.which("python3") or shutil.which("python")))
    (python_only / "python3").symlink_to(real_python)
    environment["PATH"] = os.pathsep.join([str(python_only), "/usr/bin", "/bin"])
    assert shutil.which("bedrock-lint", path=environment["PATH"]) is None

    action_path, _ = clone_at_a_commit(tmp_path / "action", environment)
    workspace = tmp_path / "workspace"
    for name in re.findall(r"(\S+)/", inputs.get("args", ".")):
        (workspace / name).mkdir(parents=True, exist_ok=True)
        (workspace / name / "app.py").write_text(APP, encoding="utf-8")
    workspace.mkdir(exist_ok=True)

    runner = Runner(action, inputs, workspace, action_path, environment)
    install_step, check_step = action["runs"]["steps"]
    install = runner.run(install_step)
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.stdout.startswith("bedrock-lint, version")
    check = runner.run(check_step)
    # Findings: annotations, and the job fails.
    assert check.returncode == 1, check.stdout + check.stderr
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert any(line.startswith("::warning file=src/app.py,line=3,") and "(BDR001)" in line for line in annotations), check.stdout
    # The SARIF report for upload-sarif, named as the step's output.
    sarif_file = inputs.get("sarif-file")
    assert sarif_file and runner.context["steps.check.outputs.sarif-file"] == sarif_file
    assert evaluate(action["outputs"]["sarif-file"]["value"], runner.context) == sarif_file
    log = json.loads((workspace / sarif_file).read_text("utf-8"))
    assert {result["ruleId"] for result in log["runs"][0]["results"]} >= {"BDR001", "BDR002", "BDR003"}
    # The upload step reads the file the action wrote.
    upload = [s for job in readme_workflow()["jobs"].values() for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload and upload[0]["with"]["sarif_file"] == sarif_file

    # A clean workspace passes; a configuration error fails with 2, even with a SARIF file asked for.
    for path in workspace.rglob("app.py"):
        path.write_text("import boto3\n", encoding="utf-8")
    clean = runner.run(check_step)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (workspace / "pyproject.toml").write_text("[tool.bedrock-lint]\nselect = []\n", encoding="utf-8")
    broken = runner.run(check_step)
    assert broken.returncode == 2 and "::error" in broken.stdout
