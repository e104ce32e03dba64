"""`scan --help` names values the way a reader expects; --format takes any case."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app
from ospo_scan.reporters import OutputFormat

runner = CliRunner()


@pytest.fixture(scope="module")
def help_text() -> str:
    result = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize(
    ("option", "metavar"),
    [("--format", "FORMAT"), ("--output", "FILE"), ("--exclude", "GLOB"), ("--max-file-size", "SIZE"),
     ("--maven-repo", "DIR"), ("--python-env", "DIR"), ("--curations", "FILE"), ("--jobs", "N")],
)
def test_each_option_names_its_value(help_text: str, option: str, metavar: str) -> None:
    line = next(line for line in help_text.splitlines() if f"{option} " in line)
    assert re.search(rf"{re.escape(option)}\b.*\s{metavar}\b", line), line


def test_the_argument_is_called_path(help_text: str) -> None:
    assert "[PATH]..." in help_text
    assert re.search(r"│\s+PATH\s+Directories", help_text)


@pytest.mark.parametrize("python_word", ["INTEGER", "TEXT", "<int", "<str>", "<bool>", "<path>", "list[", "Path]"])
def test_no_python_type_names(help_text: str, python_word: str) -> None:
    assert python_word not in help_text


def test_format_help_lists_every_format(help_text: str) -> None:
    for member in OutputFormat:
        assert member.value in help_text


@pytest.mark.parametrize("spelling", ["JSON", "Json", "json"])
def test_format_is_case_insensitive(tmp_path: Path, spelling: str) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", spelling])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == 2


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr
