"""The settings file: where it is found, what [criticality] may say, and errors that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.analysis.criticality import DEFAULT_SIGNALS, Signal
from ospo_scan.config import ConfigError, find_settings_file, load_settings_file
from ospo_scan.config.criticality import parse_criticality
from ospo_scan.config.loading import KNOWN_SECTIONS


def _load(folder: Path):  # type: ignore[no-untyped-def]
    found = find_settings_file(folder)
    assert found is not None
    return load_settings_file(found).section("criticality", parse_criticality)


def test_dot_file_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".ospo-scan.toml").write_text("[criticality.weights]\ndependents = 5\n")
    (tmp_path / "pyproject.toml").write_text("[tool.ospo-scan.criticality.weights]\ndependents = 1\n")
    settings = _load(tmp_path)
    assert settings.signals[Signal.DEPENDENTS].weight == 5
    assert settings.source == str(tmp_path / ".ospo-scan.toml")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n[tool.ospo-scan.criticality]\ntop = 3\n[tool.ospo-scan.criticality.thresholds]\nversions = 4\n")
    settings = _load(tmp_path)
    assert settings.top == 3 and settings.signals[Signal.VERSIONS].threshold == 4
    # signals not named keep their defaults
    assert settings.signals[Signal.DEPENDENTS] == DEFAULT_SIGNALS[Signal.DEPENDENTS]


def test_a_pyproject_without_the_tool_table_is_not_a_settings_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    assert find_settings_file(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[criticality.weights]\ndependants = 1\n", "criticality.weights.dependants: unknown signal (known: runtime-repositories"),
        ("[criticality.weights]\ndependents = 'high'\n", "criticality.weights.dependents: must be a number >= 0, not 'high' (a string)"),
        ("[criticality.weights]\ndependents = -1\n", "criticality.weights.dependents: must be a number >= 0"),
        ("[criticality.thresholds]\ndependents = 0\n", "criticality.thresholds.dependents: must be a number > 0"),
        ("[criticality.thresholds]\ndependents = inf\n", "criticality.thresholds.dependents: must be a number > 0"),
        ("[criticality]\ntop = 2.5\n", "criticality.top: must be a whole number >= 0, not 2.5 (a number)"),
        ("[criticality]\ntop = true\n", "criticality.top: must be a whole number >= 0"),
        ("[criticality]\nweight = 1\n", "criticality.weight: unknown key (known: top, weights, thresholds)"),
        ("criticality = 3\n", "criticality: must be a table, not an integer"),
        ("[criticallity]\n", f"criticallity: unknown key (known: {', '.join(KNOWN_SECTIONS)})"),
        ("[criticality\n", "not valid TOML"),
    ],
)
def test_errors_name_the_file_the_key_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".ospo-scan.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / '.ospo-scan.toml'}: ")
    assert message in str(raised.value)


def test_pyproject_errors_give_the_full_key_path(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ospo-scan.criticality.weights]\nnope = 1\n")
    with pytest.raises(ConfigError, match=r"tool\.ospo-scan\.criticality\.weights\.nope: unknown signal"):
        _load(tmp_path)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".ospo-scan.toml").write_bytes(b"\xff\xfe[criticality]\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        _load(tmp_path)
