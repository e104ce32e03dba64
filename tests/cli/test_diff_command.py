"""`ospo-scan diff OLD NEW`: exit codes, formats, --output, --fail-on new-violations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app
from ospo_scan.diffing import compare
from tests.diffing.builders import POLICY, document, scanned, violation, write
from tests.diffing.fixture_trees import FIXTURES

runner = CliRunner()


def _diff(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diff", *arguments], env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def judged(tmp_path: Path) -> tuple[Path, Path]:
    """Reports of the two fixture trees, both judged by the fixture policy."""
    return write(tmp_path / "old.json", scanned("before", policy=POLICY)), write(tmp_path / "new.json", scanned("after", policy=POLICY))


@pytest.fixture
def unjudged(tmp_path: Path) -> tuple[Path, Path]:
    """Reports of the two fixture trees, made without a policy."""
    return write(tmp_path / "old-unjudged.json", scanned("before")), write(tmp_path / "new-unjudged.json", scanned("after"))


def test_a_diff_exits_0_and_prints_the_table(unjudged: tuple[Path, Path]) -> None:
    code, stdout, stderr = _diff(*map(str, unjudged))
    assert code == 0, stderr
    assert stdout.startswith("ospo-scan diff: components:") and "Upgraded" in stdout and stderr == ""


@pytest.mark.parametrize("spelling", ["markdown", "MarkDown", "MARKDOWN"])
def test_format_is_case_insensitive(unjudged: tuple[Path, Path], spelling: str) -> None:
    code, stdout, _ = _diff(*map(str, unjudged), "--format", spelling)
    assert code == 0 and stdout.startswith("**ospo-scan diff**: ")


def test_json_on_stdout_is_the_diff_document(judged: tuple[Path, Path]) -> None:
    code, stdout, _ = _diff(*map(str, judged), "-f", "json")
    expected = compare(*(json.loads(path.read_text()) for path in judged))
    assert code == 0 and json.loads(stdout)["violations"]["new_errors"] == len(expected.new_error_violations)


def test_new_error_level_violations_fail_with_fail_on_and_are_counted_on_stderr(judged: tuple[Path, Path]) -> None:
    errors = compare(*(json.loads(path.read_text()) for path in judged)).new_error_violations
    assert errors, "the fixtures bring a new error-level violation"
    code, stdout, stderr = _diff(*map(str, judged), "--fail-on", "new-violations")
    assert code == 1
    noun = "violation" if len(errors) == 1 else "violations"
    assert f"{len(errors)} new error-level policy {noun}" in stderr and errors[0].rule in stderr
    assert "New policy violations" in stdout, "the diff is still written"


def test_without_fail_on_new_violations_do_not_change_the_exit_code(judged: tuple[Path, Path]) -> None:
    assert _diff(*map(str, judged))[0] == 0


def test_new_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", document([], violations=[]))
    new = write(tmp_path / "new.json", document([], violations=[violation("w", severity="warning"), violation("r", severity="review")]))
    code, _, stderr = _diff(str(old), str(new), "--fail-on", "new-violations")
    assert code == 0, stderr


def test_old_violations_that_remain_do_not_fail(judged: tuple[Path, Path]) -> None:
    old, _ = judged
    assert json.loads(old.read_text())["policy"]["failed"], "the old report has error-level violations of its own"
    code, _, stderr = _diff(str(old), str(old), "--fail-on", "new-violations")
    assert code == 0, stderr


@pytest.mark.parametrize("unjudged_side", [0, 1])
def test_fail_on_with_a_report_without_policy_results_is_a_usage_error(judged: tuple[Path, Path], unjudged: tuple[Path, Path], unjudged_side: int) -> None:
    paths = list(judged)
    paths[unjudged_side] = unjudged[unjudged_side]
    code, stdout, stderr = _diff(*map(str, paths), "--fail-on", "new-violations")
    assert code == 2 and stdout == ""
    assert f"{paths[unjudged_side]}: has no policy results" in stderr


def _not_json(path: Path) -> None:
    path.write_text("not json at all")


def _not_a_report(path: Path) -> None:
    path.write_text(json.dumps({"spdxVersion": "SPDX-2.3"}))


@pytest.mark.parametrize(("case", "make", "message"), [
    ("missing", lambda path: None, "no such file"),
    ("not-json", _not_json, "is not JSON"),
    ("not-a-report", _not_a_report, "not a JSON report of ospo-scan"),
])
@pytest.mark.parametrize("broken_side", [0, 1])
def test_an_unusable_report_exits_2_naming_the_file(unjudged: tuple[Path, Path], tmp_path: Path, case: str, make, message: str, broken_side: int) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / f"{case}.json"
    make(broken)
    paths = list(unjudged)
    paths[broken_side] = broken
    code, stdout, stderr = _diff(*map(str, paths))
    assert code == 2 and stdout == ""
    assert f"error: {broken}: " in stderr and message in stderr


def test_output_writes_the_file_and_nothing_to_stdout(unjudged: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "diff.md"
    code, stdout, _ = _diff(*map(str, unjudged), "-f", "markdown", "--output", str(target))
    assert code == 0 and stdout == ""
    assert target.read_text(encoding="utf-8") == _diff(*map(str, unjudged), "-f", "markdown")[1]


def test_output_dash_is_stdout(unjudged: tuple[Path, Path]) -> None:
    code, stdout, _ = _diff(*map(str, unjudged), "-f", "json", "-o", "-")
    assert code == 0 and json.loads(stdout)["diff_version"] == 1


def test_an_output_in_a_missing_folder_is_a_usage_error(unjudged: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "diff.md"
    code, _, stderr = _diff(*map(str, unjudged), "-o", str(target))
    assert code == 2 and str(target) in stderr and not target.exists()


def test_an_unknown_fail_on_condition_is_a_usage_error(unjudged: tuple[Path, Path]) -> None:
    code, _, stderr = _diff(*map(str, unjudged), "--fail-on", "anything")
    assert code == 2 and "anything" in stderr


def test_help_names_the_exit_codes_and_the_formats() -> None:
    code, stdout, _ = _diff("--help")
    assert code == 0
    for word in ("OLD", "NEW", "markdown", "new-violations", "Exit codes"):
        assert word in stdout


def test_reports_of_scan_with_a_policy_compare_end_to_end(tmp_path: Path) -> None:
    """The whole path: two `scan --policy --format json` runs, then `diff --fail-on`."""
    reports = []
    for side in ("before", "after"):
        report = tmp_path / f"{side}.json"
        result = runner.invoke(app, ["scan", str(FIXTURES / side), "--policy", str(POLICY), "-f", "json", "-o", str(report)])
        assert result.exit_code in (0, 1) and report.is_file(), result.stderr
        reports.append(report)
    code, stdout, stderr = _diff(*map(str, reports), "--fail-on", "new-violations", "-f", "markdown")
    assert code == 1 and "no-strong-copyleft" in stderr
    assert "### New policy violations" in stdout and "### Fixed policy violations" in stdout
