"""The shipped CI integrations run what the tests run: action.yml's steps, the pre-commit hook."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ospo_scan.discovery import discover
from ospo_scan.parsers import PARSERS
from tests.cli.test_check_command import POLICY, _write_npm_project

REPOSITORY = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPOSITORY / "action.yml").read_text(encoding="utf-8"))
[HOOK] = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def _run_action_step(step: dict[str, object], inputs: dict[str, str], workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run a composite step's script as the runner would: its env with `${{ inputs.x }}` filled in."""
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | inputs
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name, template in dict(step.get("env") or {}).items():  # type: ignore[call-overload]
        env[name] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(template))
    return subprocess.run(["bash", "-e", "-c", str(step["run"])], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _write_npm_project(root, {"gpl-lib": "GPL-3.0-only", "mit-lib": "MIT"})
    (root / ".ospo-scan.toml").write_text(POLICY)
    return root


def test_the_action_installs_ospo_scan_from_its_own_checkout() -> None:
    install = ACTION["runs"]["steps"][0]
    assert install["env"]["OSPO_SCAN_SOURCE"] == "${{ github.action_path }}"
    assert '"$OSPO_SCAN_SOURCE"' in install["run"]
    assert all("${{" not in step["run"] for step in ACTION["runs"]["steps"]), "inputs reach scripts through env only"


def test_the_action_check_step_fails_on_a_violation_and_leaves_both_reports(repo: Path) -> None:
    check = ACTION["runs"]["steps"][1]
    result = _run_action_step(check, {}, repo)
    assert result.returncode == 1, result.stderr
    sarif = json.loads((repo / ACTION["inputs"]["sarif"]["default"]).read_text())
    assert sarif["version"] == "2.1.0"
    report = json.loads((repo / ACTION["inputs"]["json"]["default"]).read_text())
    assert [v["component"] for v in report["policy"]["violations"]] == ["pkg:npm/gpl-lib@1.0.0"]


def test_the_action_passes_with_its_own_json_report_as_the_baseline(repo: Path) -> None:
    check = ACTION["runs"]["steps"][1]
    _run_action_step(check, {"json": "main.json"}, repo)
    result = _run_action_step(check, {"baseline": "main.json", "json": "pr.json"}, repo)
    assert result.returncode == 0, result.stderr


def test_the_action_passes_a_policy_file_input(repo: Path, tmp_path: Path) -> None:
    (repo / ".ospo-scan.toml").unlink()
    (tmp_path / "central.toml").write_text(POLICY.replace("strong-copyleft", "weak-copyleft"))
    result = _run_action_step(ACTION["runs"]["steps"][1], {"policy": str(tmp_path / "central.toml")}, repo)
    assert result.returncode == 0, "GPL is strong copyleft: the central policy denies only weak copyleft"


def test_the_pre_commit_hook_runs_check_on_the_whole_repository(repo: Path) -> None:
    assert HOOK["id"] == "ospo-scan-check" and HOOK["pass_filenames"] is False
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([*HOOK["entry"].split()], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "gpl-lib" in result.stderr


def test_the_hook_triggers_on_every_file_a_parser_reads(corpus: Path) -> None:
    pattern = re.compile(HOOK["files"])
    names = {name for spec in PARSERS for name in spec.file_names} | {".ospo-scan.toml"}
    assert [name for name in sorted(names) if not pattern.search(name)] == []
    found = discover(corpus, PARSERS, ()).files
    assert found
    assert [f.relative_path for f in found if not pattern.search(f.relative_path)] == []


def test_the_readme_names_the_hook_and_the_action_inputs_it_uses() -> None:
    assert f"id: {HOOK['id']}" in README
    workflow = yaml.safe_load(README.split("<!-- github-workflow:start -->", 1)[1].split("<!-- github-workflow:end -->", 1)[0].split("```yaml", 1)[1].split("```", 1)[0])
    steps = next(iter(workflow["jobs"].values()))["steps"]
    action_step = next(step for step in steps if step.get("uses", "").endswith("ospo-scan-action"))
    assert set(action_step.get("with", {})) <= set(ACTION["inputs"])
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == ACTION["inputs"]["sarif"]["default"]
