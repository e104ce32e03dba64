"""Several reports from one scan: `--format X --output A --format Y --output B`, in order."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ospo_scan.scan as scan_module
from ospo_scan.cli import app
from ospo_scan.cli.output_plan import creation_time
from tests.core.fake_parsers import FAKE_PARSERS

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "PARSERS", FAKE_PARSERS)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "svc").mkdir(parents=True)
    (root / "svc" / "deps.txt").write_text("project svc\nflask==\n")
    (root / "svc" / "deps.lock").write_text("flask==3.0.0\nwerkzeug==3.0.1\nedge flask werkzeug\n")
    return root


def test_each_format_goes_to_its_own_file_as_a_single_run_would_write_it(repo: Path, tmp_path: Path) -> None:
    both = runner.invoke(app, ["scan", str(repo), "-f", "json", "-o", str(tmp_path / "a.json"), "-f", "csv", "-o", str(tmp_path / "a.csv")])
    assert both.exit_code == 0, both.output
    alone = runner.invoke(app, ["scan", str(repo), "-f", "csv", "-o", str(tmp_path / "b.csv")])
    assert alone.exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text())["status"] == "complete"
    assert both.stdout == ""


def test_a_dash_sends_one_of_them_to_stdout(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo), "-f", "json", "-o", "-", "-f", "csv", "-o", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == 2
    assert (tmp_path / "a.csv").read_text().startswith('"repository"')


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["-f", "json", "-f", "csv", "-o", "{tmp}/one.json"], "give one --output per --format"),
        (["-f", "json", "-o", "{tmp}/a", "-o", "{tmp}/b"], "give one --output per --format"),
        (["-f", "json", "-o", "-", "-f", "csv", "-o", "-"], "only one report can go to stdout"),
        (["-f", "json", "-o", "{tmp}/same", "-f", "csv", "-o", "{tmp}/same"], "each report needs its own file"),
    ],
    ids=["fewer-outputs-than-formats", "more-outputs-than-formats", "stdout-twice", "one-file-twice"],
)
def test_outputs_that_do_not_pair_up_are_usage_errors_before_the_scan(repo: Path, tmp_path: Path, arguments: list[str], problem: str) -> None:
    result = runner.invoke(app, ["scan", str(repo), *(a.replace("{tmp}", str(tmp_path)) for a in arguments)])
    assert result.exit_code == 2
    assert problem in result.stderr
    assert list(tmp_path.glob("[!r]*")) == [], "nothing is written"


def test_a_single_output_without_format_is_the_table(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo), "-o", str(tmp_path / "report.txt")])
    assert result.exit_code == 0
    assert "open source components" in (tmp_path / "report.txt").read_text()


def test_source_date_epoch_wins_over_the_clock() -> None:
    assert creation_time(True, {"SOURCE_DATE_EPOCH": "1700000000"}) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert creation_time(False, {"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_no_time_unless_asked() -> None:
    assert creation_time(False, {}) is None
    asked = creation_time(True, {})
    assert asked is not None and asked.tzinfo is timezone.utc


def test_a_malformed_source_date_epoch_is_a_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(app, ["scan", str(repo)])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH='yesterday'" in result.stderr


def test_sboms_and_sarif_carry_source_date_epoch_and_no_time_without_it(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = ["scan", str(repo), "-f", "cyclonedx", "-o", str(tmp_path / "bom.json"), "-f", "spdx", "-o", str(tmp_path / "spdx.json"),
                 "-f", "sarif", "-o", str(tmp_path / "gaps.sarif")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert runner.invoke(app, arguments).exit_code == 0
    assert json.loads((tmp_path / "bom.json").read_text())["metadata"]["timestamp"].startswith("2023-11-14T22:13:20")
    assert json.loads((tmp_path / "spdx.json").read_text())["creationInfo"]["created"] == "2023-11-14T22:13:20Z"
    assert json.loads((tmp_path / "gaps.sarif").read_text())["runs"][0]["invocations"][0]["endTimeUtc"].startswith("2023-11-14T22:13:20")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    first = runner.invoke(app, arguments)
    bom = (tmp_path / "bom.json").read_bytes()
    assert first.exit_code == 0 and "timestamp" not in json.loads(bom)["metadata"]
    assert runner.invoke(app, arguments).exit_code == 0 and (tmp_path / "bom.json").read_bytes() == bom, "same input, same bytes"


def test_json_is_compact_unless_pretty_and_both_say_the_same(repo: Path) -> None:
    compact = runner.invoke(app, ["scan", str(repo), "-f", "json"]).stdout
    pretty = runner.invoke(app, ["scan", str(repo), "-f", "json", "--pretty"]).stdout
    assert compact.count("\n") == 1 and pretty.count("\n") > 10
    assert json.loads(compact) == json.loads(pretty)
