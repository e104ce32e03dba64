"""`ospo-scan scan` driven through CliRunner: exit codes, streams, output files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ospo_scan.cli.application as cli_app
import ospo_scan.scan as scan_module
from ospo_scan.cli import app
from tests.core.fake_parsers import FAKE_PARSERS

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "PARSERS", FAKE_PARSERS)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "deps.txt").write_text("project svc\nflask==\n")
    (tmp_path / "svc" / "deps.lock").write_text("flask==3.0.0\nwerkzeug==3.0.1\nedge flask werkzeug\n")
    return tmp_path


def test_json_report_shape_and_exit_zero(repo: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    assert document["status"] == "complete"
    assert [c["purl"] for c in document["components"]] == ["pkg:pypi/flask@3.0.0", "pkg:pypi/werkzeug@3.0.1"]
    assert document["relationships"] == [
        {"project": "pypi:svc", "from": "pkg:pypi/flask@3.0.0", "to": "pkg:pypi/werkzeug@3.0.1", "kind": "required", "lifecycle": "runtime"},
        {"project": "pypi:svc", "from": "pkg:pypi/svc@1.0", "to": "pkg:pypi/flask@3.0.0", "kind": "required", "lifecycle": "runtime"},
    ]
    assert document["projects"][0]["name"] == "svc"
    assert document["summary"]["direct"] == 1 and document["summary"]["transitive"] == 1


def test_json_is_byte_identical_across_runs(repo: Path) -> None:
    first = runner.invoke(app, ["scan", str(repo), "-f", "json"]).stdout
    second = runner.invoke(app, ["scan", str(repo), "-f", "json"]).stdout
    assert first == second


def test_table_report_shows_the_answers_and_the_components_only_with_details(repo: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo)])
    assert result.exit_code == 0
    assert "2 open source components in " in result.stdout and "1 direct, 1 transitive" in result.stdout
    assert "Critical projects" in result.stdout and "Compliance gaps" in result.stdout
    assert "3.0.1" not in result.stdout and "see --details" in result.stdout
    detailed = runner.invoke(app, ["scan", str(repo), "--details"])
    assert "werkzeug" in detailed.stdout and "3.0.1" in detailed.stdout


def test_criticality_settings_file_is_used_and_its_errors_are_usage_errors(repo: Path) -> None:
    (repo / ".ospo-scan.toml").write_text("[criticality]\ntop = 1\n")
    result = runner.invoke(app, ["scan", str(repo), "-f", "json"])
    settings = json.loads(result.stdout)["analysis"]["critical"]["settings"]
    assert settings["top"] == 1 and settings["source"] == str(repo / ".ospo-scan.toml")
    (repo / ".ospo-scan.toml").write_text("[criticality.weights]\nstars = 1\n")
    broken = runner.invoke(app, ["scan", str(repo)])
    assert broken.exit_code == 2 and "criticality.weights.stars: unknown signal" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_issues_give_incomplete_status_exit_zero_and_strict_exit_three(repo: Path) -> None:
    (repo / "bad").mkdir()
    (repo / "bad" / "deps.txt").write_text("FATAL\n")
    relaxed = runner.invoke(app, ["scan", str(repo), "-f", "json"])
    assert relaxed.exit_code == 0
    assert json.loads(relaxed.stdout)["status"] == "incomplete"
    assert "could not be read" in relaxed.stderr
    strict = runner.invoke(app, ["scan", str(repo), "-f", "json", "--strict"])
    assert strict.exit_code == 3


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_output_written_atomically_and_checked_before_scan(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    result = runner.invoke(app, ["scan", str(repo), "-f", "json", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["schema_version"] == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    def must_not_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan ran although the output path is unusable")

    monkeypatch.setattr(cli_app, "scan", must_not_scan)
    bad = runner.invoke(app, ["scan", str(repo), "-o", str(tmp_path / "missing-dir" / "r.json")])
    assert bad.exit_code == 2
    assert "does not exist" in bad.stderr


def test_internal_error_exits_70_without_traceback_and_debug_shows_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("kaboom")

    monkeypatch.setattr(cli_app, "scan", broken)
    quiet = runner.invoke(app, ["scan", str(repo)])
    assert quiet.exit_code == 70
    assert "internal error: ValueError: kaboom" in quiet.stderr
    assert "Traceback" not in quiet.stderr
    loud = runner.invoke(app, ["scan", str(repo), "--debug"])
    assert loud.exit_code == 70 and "Traceback" in loud.stderr


def test_interrupt_exits_130(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_app, "scan", interrupted)
    assert runner.invoke(app, ["scan", str(repo)]).exit_code == 130


@pytest.mark.parametrize(("text", "expected"), [("50MB", 50 * 1024**2), ("512k", 512 * 1024), ("1GiB", 1024**3), ("1000", 1000)])
def test_max_file_size_units(text: str, expected: int) -> None:
    assert cli_app.parse_size(text) == expected


def test_bad_max_file_size_is_usage_error(repo: Path) -> None:
    assert runner.invoke(app, ["scan", str(repo), "--max-file-size", "lots"]).exit_code == 2


def test_help_documents_exit_codes() -> None:
    result = runner.invoke(app, ["scan", "--help"])
    assert result.exit_code == 0
    assert "130 interrupted" in " ".join(result.stdout.split())


def test_python_dash_m_entry_point() -> None:
    completed = subprocess.run([sys.executable, "-m", "ospo_scan", "--version"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert completed.stdout.startswith("ospo-scan ")


def test_maven_repo_must_be_a_directory(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo), "--maven-repo", str(tmp_path / "nowhere")])
    assert result.exit_code == 2


def test_maven_repo_reaches_the_scan(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}
    real_scan = cli_app.scan

    def spy(paths, options, progress=None):  # type: ignore[no-untyped-def]
        seen["repository"] = options.maven_repository
        return real_scan(paths, options, progress)

    monkeypatch.setattr(cli_app, "scan", spy)
    m2 = tmp_path / "m2"
    m2.mkdir()
    assert runner.invoke(app, ["scan", str(repo), "--maven-repo", str(m2)]).exit_code == 0
    assert seen["repository"] == m2


def test_bad_curations_file_is_usage_error_naming_it(repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "curations.toml"
    bad.write_text('[[curation]]\npurl = "pkg:npm/a"\nlicense = "MIT"\n')
    result = runner.invoke(app, ["scan", str(repo), "--curations", str(bad)])
    assert result.exit_code == 2
    assert "curations.toml: curation[0]: missing or empty reason" in result.stderr


def test_python_env_must_be_a_directory(repo: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(repo), "--python-env", str(tmp_path / "nope")]).exit_code == 2


def test_empty_folder_says_nothing_was_found(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path)])
    assert result.exit_code == 0
    assert "No manifest or lockfile found in" in result.stdout
