"""Policy files per repository: ospo-scan's own counted as `check` reads it, other tools'
found by name, a broken one kept as a fact with its error.

Each test builds its repository in tmp_path and is named after the case; expected counts
come from what the fixture wrote, not from the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from ospo_scan.assessment.model import PolicyFileFact
from ospo_scan.assessment.policy_files import OTHER_TOOLS_FILES, policy_files

TODAY = date(2026, 3, 15)


def _rule(rule_id: str, prefix: str = "") -> str:
    return f'[[{prefix}rules]]\nid = "{rule_id}"\ndeny-licenses = ["GPL-3.0-only"]\n'


def _exception(purl: str, expires: date | None, prefix: str = "") -> str:
    line = f"expires = {expires.isoformat()}\n" if expires else ""
    return f'[[{prefix}exceptions]]\npurl = "{purl}"\nreason = "approved"\n{line}'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_with_rules_and_exceptions_expired_to_come_and_without_expiry(tmp_path: Path) -> None:
    expired, to_come, later = TODAY - timedelta(days=1), TODAY + timedelta(days=10), TODAY + timedelta(days=400)
    rules = ("no-gpl", "no-agpl", "no-sspl")
    exceptions = (("pkg:npm/a", expired), ("pkg:npm/b", later), ("pkg:npm/c", to_come), ("pkg:npm/d", None))
    _write(tmp_path / ".ospo-scan.toml", "".join(_rule(r) for r in rules) + "".join(_exception(p, e) for p, e in exceptions))

    assert policy_files(tmp_path, TODAY) == (
        PolicyFileFact(
            path=".ospo-scan.toml",
            rules=len(rules),
            exceptions=len(exceptions),
            expired_exceptions=sum(1 for _, e in exceptions if e is not None and e < TODAY),
            next_expiry=min(e for _, e in exceptions if e is not None and e >= TODAY),
        ),
    )


def test_exception_expiring_today_is_still_to_come(tmp_path: Path) -> None:
    _write(tmp_path / ".ospo-scan.toml", _rule("r") + _exception("pkg:npm/a", TODAY))
    [fact] = policy_files(tmp_path, TODAY)
    assert (fact.expired_exceptions, fact.next_expiry) == (0, TODAY)


def test_pyproject_tool_table_policy(tmp_path: Path) -> None:
    prefix = "tool.ospo-scan."
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n" + _rule("r1", prefix) + _rule("r2", prefix) + _exception("pkg:pypi/x", None, prefix))
    assert policy_files(tmp_path, TODAY) == (PolicyFileFact(path="pyproject.toml", rules=2, exceptions=1, expired_exceptions=0),)


def test_pyproject_without_tool_table_is_no_policy(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert policy_files(tmp_path, TODAY) == ()


def test_settings_with_only_criticality_is_no_policy(tmp_path: Path) -> None:
    _write(tmp_path / ".ospo-scan.toml", "[criticality]\n")
    assert policy_files(tmp_path, TODAY) == ()


def test_extends_chain_counts_the_merged_rules_and_exceptions(tmp_path: Path) -> None:
    central = tmp_path / "central"
    _write(central / "base.toml", _rule("shared") + _rule("overridden") + _exception("pkg:npm/base", TODAY - timedelta(days=30)))
    _write(central / "middle.toml", 'extends = "base.toml"\n' + _rule("middle") + _exception("pkg:npm/middle", None))
    repository = tmp_path / "repository"
    _write(repository / ".ospo-scan.toml", 'extends = "../central/middle.toml"\n' + _rule("overridden") + _rule("own") + _exception("pkg:npm/own", TODAY + timedelta(days=5)))

    # Rules: shared, middle, own, and `overridden` once (the extending file's replaces the base's).
    assert policy_files(repository, TODAY) == (
        PolicyFileFact(path=".ospo-scan.toml", rules=4, exceptions=3, expired_exceptions=1, next_expiry=TODAY + timedelta(days=5)),
    )


@pytest.mark.parametrize(
    ("case", "text", "in_message"),
    [
        ("not-toml", "[[rules]\n", "not valid TOML"),
        ("unknown-key", "colour = 1\n", "colour: unknown key"),
        ("bad-rule", '[[rules]]\nid = "a"\n', "rules[0]: needs exactly one of"),
        ("missing-extended", 'extends = "nowhere.toml"\n', "extends: 'nowhere.toml': no such file"),
        ("not-utf8", b"\xff\xfe[[rules]]", "is not UTF-8 text"),
    ],
)
def test_broken_settings_file_is_a_fact_with_an_error_naming_the_file(tmp_path: Path, case: str, text: str | bytes, in_message: str) -> None:
    path = tmp_path / case / ".ospo-scan.toml"
    path.parent.mkdir()
    path.write_bytes(text if isinstance(text, bytes) else text.encode())

    [fact] = policy_files(path.parent, TODAY)

    assert (fact.path, fact.rules, fact.exceptions, fact.expired_exceptions, fact.tool) == (".ospo-scan.toml", 0, 0, 0, "ospo-scan")
    assert fact.error is not None and fact.error.startswith(f"{path}:") and in_message in fact.error


def test_broken_extended_file_names_the_extended_file(tmp_path: Path) -> None:
    base = _write(tmp_path / "base.toml", "[[rules]\n")
    _write(tmp_path / "repository" / ".ospo-scan.toml", 'extends = "../base.toml"\n')
    [fact] = policy_files(tmp_path / "repository", TODAY)
    assert fact.error is not None and fact.error.startswith(f"{base}:")


def test_other_tools_files_found_by_name(tmp_path: Path) -> None:
    for relative, _ in OTHER_TOOLS_FILES:
        _write(tmp_path / relative, "anything: [not read\n")

    facts = policy_files(tmp_path, TODAY)

    assert [(f.path, f.tool) for f in facts] == sorted(OTHER_TOOLS_FILES)
    assert all((f.rules, f.exceptions, f.expired_exceptions, f.next_expiry, f.error) == (0, 0, 0, None, None) for f in facts)


def test_other_tools_files_beside_ospo_scans_own_sorted_by_path(tmp_path: Path) -> None:
    _write(tmp_path / "REUSE.toml", "version = 1\n")
    _write(tmp_path / ".github" / "dependabot.yml", "version: 2\n")
    _write(tmp_path / "deny.toml", "[licenses]\n")
    _write(tmp_path / ".ospo-scan.toml", _rule("r"))

    facts = policy_files(tmp_path, TODAY)

    assert [(f.path, f.tool) for f in facts] == [
        (".github/dependabot.yml", "dependabot"),
        (".ospo-scan.toml", "ospo-scan"),
        ("REUSE.toml", "reuse"),
        ("deny.toml", "cargo-deny"),
    ]
    assert facts == policy_files(tmp_path, TODAY)


def test_other_tools_names_are_exact(tmp_path: Path) -> None:
    _write(tmp_path / "docs" / "deny.toml", "")  # not where cargo-deny looks
    _write(tmp_path / "Renovate.JSON", "{}")  # not a name Renovate reads
    (tmp_path / ".snyk").mkdir()  # a folder, not a policy file
    assert policy_files(tmp_path, TODAY) == ()


def test_symlinked_policy_file_leading_out_of_the_repository_is_not_listed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "elsewhere" / "deny.toml", "[licenses]\n")
    repository = tmp_path / "repository"
    repository.mkdir()
    (repository / "deny.toml").symlink_to(outside)
    (repository / ".fossa.yml").symlink_to(repository / "missing")  # broken
    _write(repository / "config" / "trivy.yaml", "")
    (repository / "trivy.yaml").symlink_to(repository / "config" / "trivy.yaml")  # inside: counts

    assert [(f.path, f.tool) for f in policy_files(repository, TODAY)] == [("trivy.yaml", "trivy")]


def test_no_policy_at_all(tmp_path: Path) -> None:
    assert policy_files(tmp_path, TODAY) == ()
