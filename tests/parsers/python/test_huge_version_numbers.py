"""Issue 13, item 4: a version with a number of more than 4,300 digits costs its entry, never the file.

Python refuses to convert such a number (ValueError), and packaging raises that bare
from `Version`, `SpecifierSet.contains`, even `str(SpecifierSet)`. Each file below is
valid in its format and generated at test time; the entry with the number is one
invalid-entry issue on its line, and every other entry is kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.base import INVALID_ENTRY, ParseFunction, ParseResult
from ospo_scan.parsers.numbers import MAX_DIGITS
from ospo_scan.parsers.python.pdm_lock import parse_pdm_lock
from ospo_scan.parsers.python.pipfile import parse_pipfile
from ospo_scan.parsers.python.pipfile_lock import parse_pipfile_lock
from ospo_scan.parsers.python.poetry_lock import parse_poetry_lock
from ospo_scan.parsers.python.pylock import parse_pylock
from ospo_scan.parsers.python.pyproject import parse_pyproject
from ospo_scan.parsers.python.requirements import parse_requirements
from ospo_scan.parsers.python.setup_cfg import parse_setup_cfg
from ospo_scan.parsers.python.uv_lock import parse_uv_lock
from ospo_scan.scan import ScanOptions, scan
from tests.parsing import parse_file_with

HUGE = "9" * (MAX_DIGITS + 700)
"""5,000 nines: one digit more than the limit would do; these are well past it."""
PROBLEM = f"a number of {len(HUGE):,} digits, more than the 4,300 a version may have"


def parse_text(tmp_path: Path, name: str, text: str, parse: ParseFunction) -> ParseResult:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return parse_file_with(parse, tmp_path, name)


def kept(result: ParseResult) -> list[tuple[str, str | None]]:
    return [(package.name, package.version) for package in result.packages]


def invalid(result: ParseResult) -> list[tuple[int | None, str]]:
    return [(found.line, found.code) for found in result.issues]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(f"huge=={HUGE}", id="exact-pin"),
        pytest.param(f"huge=={HUGE}.0", id="exact-pin-with-a-minor"),
        pytest.param(f"huge>=1.{HUGE}", id="range"),
        pytest.param(f"huge===1.{HUGE}", id="arbitrary-equality"),
        pytest.param(f"huge==1.0 ; python_version > '3.{HUGE}'", id="in-a-marker"),
        pytest.param(f"huge>=${{VERSION}},<{HUGE}", id="beside-an-environment-variable"),
        pytest.param(f"git+https://vcs.example/huge#egg=huge-{HUGE}", id="egg-version"),
    ],
)
def test_a_requirements_line_with_a_huge_number_is_one_invalid_entry(tmp_path: Path, line: str) -> None:
    result = parse_text(tmp_path, "requirements.txt", f"requests==2.0\n{line}\nflask==3.0.0\n", parse_requirements)

    assert kept(result) == [("requests", "2.0"), ("flask", "3.0.0")]
    assert invalid(result) == [(2, INVALID_ENTRY)]
    assert result.issues[0].message.endswith(PROBLEM)
    assert len(result.issues[0].message) < 400


def test_a_pinned_requirements_line_is_reported_as_invalid_entry(tmp_path: Path) -> None:
    result = parse_text(tmp_path, "requirements.txt", f"requests==2.0\nhuge=={HUGE}\n", parse_requirements)

    assert invalid(result) == [(2, INVALID_ENTRY)]
    assert result.issues[0].message.endswith(f"it has {PROBLEM}")


def test_pyproject_dependencies_keep_every_other_entry(tmp_path: Path) -> None:
    text = f'[project]\nname = "app"\nversion = "1.0"\ndependencies = [\n  "requests==2.0",\n  "huge=={HUGE}",\n  "flask>=3",\n]\n'

    result = parse_text(tmp_path, "pyproject.toml", text, parse_pyproject)

    assert kept(result) == [("requests", "2.0"), ("flask", None)]
    assert invalid(result) == [(6, INVALID_ENTRY)]
    assert result.issues[0].message.startswith("project.dependencies[1]: invalid requirement 'huge==999")


def test_poetry_constraints_keep_every_other_entry(tmp_path: Path) -> None:
    text = (
        '[tool.poetry]\nname = "app"\nversion = "1.0"\n\n[tool.poetry.dependencies]\n'
        f'requests = "2.0"\nhuge = "^{HUGE}"\ntabled = {{ version = "=={HUGE}" }}\nflask = "^3.0"\n'
    )

    result = parse_text(tmp_path, "pyproject.toml", text, parse_pyproject)

    assert [name for name, _ in kept(result)] == ["requests", "flask"]
    assert invalid(result) == [(7, INVALID_ENTRY), (8, INVALID_ENTRY)]
    assert PROBLEM in result.issues[0].message


def test_pipfile_keeps_every_other_entry(tmp_path: Path) -> None:
    text = f'[packages]\nrequests = "==2.0"\nhuge = "=={HUGE}"\ntabled = {{version = "{HUGE}"}}\nflask = "*"\n'

    result = parse_text(tmp_path, "Pipfile", text, parse_pipfile)

    assert kept(result) == [("requests", "2.0"), ("flask", None)]
    assert invalid(result) == [(3, INVALID_ENTRY), (4, INVALID_ENTRY)]


def test_setup_cfg_keeps_every_other_entry(tmp_path: Path) -> None:
    text = f"[metadata]\nname = app\n\n[options]\ninstall_requires =\n    requests==2.0\n    huge=={HUGE}\n    flask\n"

    result = parse_text(tmp_path, "setup.cfg", text, parse_setup_cfg)

    assert kept(result) == [("requests", "2.0"), ("flask", None)]
    assert [code for _, code in invalid(result)] == [INVALID_ENTRY]


def lock_entries(version: str) -> str:
    return (
        '[[package]]\nname = "requests"\nversion = "2.0"\n\n'
        f'[[package]]\nname = "huge"\nversion = "{version}"\n\n'
        '[[package]]\nname = "flask"\nversion = "3.0.0"\n'
    )


@pytest.mark.parametrize(
    ("name", "header", "parse"),
    [
        ("uv.lock", "version = 1\n\n", parse_uv_lock),
        ("poetry.lock", '[metadata]\nlock-version = "2.0"\n\n', parse_poetry_lock),
        ("pdm.lock", '[metadata]\ngroups = ["default"]\n\n', parse_pdm_lock),
    ],
)
def test_a_lock_entry_with_a_huge_version_is_kept_without_it(tmp_path: Path, name: str, header: str, parse: ParseFunction) -> None:
    result = parse_text(tmp_path, name, header + lock_entries(f"1.{HUGE}"), parse)

    assert ("requests", "2.0") in kept(result) and ("flask", "3.0.0") in kept(result)
    assert ("huge", None) in kept(result)
    huge = [found for found in result.issues if found.code == INVALID_ENTRY]
    assert [found.message for found in huge] == [f"package[1].version: {PROBLEM}; read without a version"]


def test_a_pdm_dependency_with_a_huge_number_is_one_invalid_entry(tmp_path: Path) -> None:
    text = (
        '[metadata]\ngroups = ["default"]\n\n'
        f'[[package]]\nname = "app"\nversion = "1.0"\ngroups = ["default"]\ndependencies = ["six>={HUGE}", "flask"]\n\n'
        '[[package]]\nname = "six"\nversion = "1.16.0"\ngroups = ["default"]\n\n'
        '[[package]]\nname = "flask"\nversion = "3.0.0"\ngroups = ["default"]\n'
    )

    result = parse_text(tmp_path, "pdm.lock", text, parse_pdm_lock)

    assert [(edge.parent, edge.child) for edge in result.edges] == [("app", "flask")]
    assert [found.code for found in result.issues] == [INVALID_ENTRY]


def test_a_pipfile_lock_entry_with_a_huge_version_is_kept_without_it(tmp_path: Path) -> None:
    text = (
        '{"_meta": {}, "default": {'
        '"requests": {"version": "==2.0"}, '
        f'"huge": {{"version": "=={HUGE}"}}, '
        '"flask": {"version": "==3.0.0"}}}'
    )

    result = parse_text(tmp_path, "Pipfile.lock", text, parse_pipfile_lock)

    assert kept(result) == [("requests", "2.0"), ("huge", None), ("flask", "3.0.0")]
    assert [found.code for found in result.issues] == [INVALID_ENTRY]


def test_a_pylock_entry_with_a_huge_version_is_kept_without_it(tmp_path: Path) -> None:
    text = (
        'lock-version = "1.0"\ncreated-by = "handwritten"\n\n'
        '[[packages]]\nname = "requests"\nversion = "2.0"\n\n'
        f'[[packages]]\nname = "huge"\nversion = "{HUGE}"\n\n'
        '[[packages]]\nname = "flask"\nversion = "3.0.0"\n'
    )

    result = parse_text(tmp_path, "pylock.toml", text, parse_pylock)

    assert kept(result) == [("requests", "2.0"), ("huge", None), ("flask", "3.0.0")]
    assert [found.code for found in result.issues] == [INVALID_ENTRY]


def test_the_scan_finishes_when_an_environment_has_the_package(tmp_path: Path) -> None:
    """The license stage compares PEP 440 versions with the installed ones; it never sees the huge one."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["huge", "flask"]\n')
    (tmp_path / "uv.lock").write_text(
        'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "huge" }, { name = "flask" }]\n\n'
        f'[[package]]\nname = "huge"\nversion = "{HUGE}.0"\n\n[[package]]\nname = "flask"\nversion = "3.0.0"\n'
    )
    site = tmp_path / ".venv" / "lib" / "python3.12" / "site-packages"
    (site / "huge-2.0.dist-info").mkdir(parents=True)
    (site / "huge-2.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: huge\nVersion: 2.0\nLicense: MIT\n")
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")

    inventory = scan([tmp_path], ScanOptions(user_defaults=False, jobs=1))

    assert {(c.name, c.version) for c in inventory.components} >= {("huge", None), ("flask", "3.0.0")}
    assert [(i.path, i.code) for i in inventory.issues] == [("uv.lock", INVALID_ENTRY)]
