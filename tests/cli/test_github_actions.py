"""In GitHub Actions, violations become annotations and the report lands in the job summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app
from ospo_scan.cli.github_actions import annotation
from ospo_scan.model import Location
from ospo_scan.policy import RuleKind, RuleSeverity, Violation
from tests.cli.test_check_command import POLICY, _write_npm_project

runner = CliRunner()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    _write_npm_project(root, {"gpl-lib": "GPL-3.0-only"})
    (root / ".ospo-scan.toml").write_text(POLICY)
    monkeypatch.chdir(root)
    return root


def test_violations_become_error_annotations_at_the_manifest_line(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = runner.invoke(app, ["check", ".", "-f", "json", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    line = next(n for n, text in enumerate((repo / "package.json").read_text().splitlines(), 1) if '"gpl-lib"' in text)
    [command] = [text for text in result.stdout.splitlines() if text.startswith("::")]
    assert command.startswith(f"::error file=package.json,line={line},title=ospo-scan%3A no-copyleft-in-production::gpl-lib@1.0.0 is licensed GPL-3.0-only")
    written = summary.read_text()
    assert written.startswith("earlier step\n") and "### Policy failed" in written


def test_annotations_move_to_stderr_when_the_report_is_on_stdout(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = runner.invoke(app, ["check", ".", "-f", "json"])
    assert json.loads(result.stdout)["policy"]["failed"] is True
    assert "::error file=package.json" in result.stderr


def test_nothing_of_the_kind_outside_github_actions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = runner.invoke(app, ["check", "."])
    assert "::error" not in result.stdout + result.stderr


def test_scanned_text_cannot_break_out_of_its_annotation() -> None:
    violation = Violation(rule="r,1", kind=RuleKind.DENY_LICENSES, severity=RuleSeverity.REVIEW,
                          message="evil%0A\n::error::forged\r", location=Location(path="a,b:c/package.json", line=3))
    text = annotation(violation)
    assert "\n" not in text and "\r" not in text
    assert text == "::notice file=a%2Cb%3Ac/package.json,line=3,title=ospo-scan%3A r%2C1::evil%250A%0A::error::forged%0D"
