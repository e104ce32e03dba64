"""`ospo-scan assess` end to end: the bundled example in every format, several
repositories, custom checks from the policy file, and usage errors.

Expectations come from the example itself (its scan report, its files), never from
numbers written here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ospo_scan.assessment.model import QUESTION_TITLES, Question
from ospo_scan.cli import app
from ospo_scan.reporters.assessment import AssessmentFormat
from tests.licenses.texts import MIT
from tests.reporters.browser import OpenedPage as _Opened, browser  # noqa: F401 (browser: the fixture, module-scoped)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "polyglot-shop"
POLICY = ROOT / "examples" / "policy.toml"
DAY = "2026-12-04"
runner = CliRunner()


def _assess(*arguments: str) -> Any:
    return runner.invoke(app, ["assess", *arguments, "--as-of", DAY])


def _assessment(*arguments: str) -> dict[str, Any]:
    result = _assess(*arguments, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _scan_report(*paths: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["scan", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _figures(document: dict[str, Any], question: Question) -> dict[str, Any]:
    answer = next(a for a in document["answers"] if a["question"] == question.value)
    return {figure["label"]: figure["value"] for figure in answer["figures"]}


@pytest.mark.parametrize("chosen", list(AssessmentFormat), ids=lambda f: f.value)
def test_the_example_is_assessed_in_every_format_with_every_question(chosen: AssessmentFormat, tmp_path: Path) -> None:
    target = tmp_path / f"assessment.{chosen.value}"
    result = _assess(str(EXAMPLE), "--policy", str(POLICY), "--format", chosen.value, "--output", str(target))
    assert result.exit_code == 0, result.output
    written = target.read_text(encoding="utf-8")
    for title in QUESTION_TITLES.values():
        assert title.replace("'", "&#x27;") in written or title in written
    again = tmp_path / "again"
    assert _assess(str(EXAMPLE), "--policy", str(POLICY), "--format", chosen.value, "--output", str(again)).exit_code == 0
    assert again.read_bytes() == target.read_bytes()


def test_the_usage_answer_counts_what_the_scan_report_lists() -> None:
    report = _scan_report(EXAMPLE)
    third_party = [c for c in report["components"] if not c["first_party"]]
    figures = _figures(_assessment(str(EXAMPLE)), Question.USE)
    assert figures["components"] == len(third_party)
    assert figures["direct"] == sum(1 for c in third_party if c["direct"])
    assert figures["ecosystems"] == len({c["ecosystem"] for c in third_party})


def test_the_example_profile_follows_its_files() -> None:
    document = _assessment(str(EXAMPLE), "--policy", str(POLICY))
    (repository,) = document["repositories"]
    assert repository["repository"] == EXAMPLE.name
    results = {c["check"]: c for c in repository["checks"]}
    readme = sorted(p.name for p in EXAMPLE.iterdir() if p.name.lower().startswith("readme"))
    assert results["readme"]["path"] == readme[0]
    assert results["license-file"]["status"] == ("found" if any(p.name.upper().startswith(("LICENSE", "COPYING")) for p in EXAMPLE.iterdir()) else "missing")
    mentions = "licen" in (EXAMPLE / readme[0]).read_text(encoding="utf-8").lower()
    assert results["readme-mentions-license"]["status"] == ("found" if mentions else "missing")
    assert any(check["id"] == "readme-mentions-license" and check["source"].endswith("policy.toml") for check in document["checks"])
    required_missing = {c["check"] for c in repository["checks"] if c["status"] == "missing" and next(k for k in document["checks"] if k["id"] == c["check"])["severity"] == "required"}
    assert required_missing <= {item["id"] for item in repository["readiness"]}


def test_violations_of_the_given_policy_are_among_the_risks() -> None:
    checked = runner.invoke(app, ["check", str(EXAMPLE), "--policy", str(POLICY), "--format", "json"])
    violations = json.loads(checked.stdout)["policy"]["violations"]
    figures = _figures(_assessment(str(EXAMPLE), "--policy", str(POLICY)), Question.RISKS)
    without = _figures(_assessment(str(EXAMPLE)), Question.RISKS)
    assert figures["risks"] > without["risks"] or not violations
    assert without["policy violations"] == "not evaluated"


def _repository(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    (path / ".git").mkdir()
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    return path




def test_every_repository_below_a_root_gets_its_own_profile(tmp_path: Path) -> None:
    root = tmp_path / "org"
    _repository(root / "open", {
        "LICENSE": MIT.format(holder="Copyright (c) 2026 Example"), "package.json": '{"name": "open", "version": "1.0.0", "license": "MIT"}',
        ".github/SECURITY.md": "Report a vulnerability to security@example.invalid\n",
        ".github/workflows/ci.yml": "jobs:\n  scan:\n    steps:\n      - run: pipx run ospo-scan check .\n",
        ".ospo-scan.toml": '[[rules]]\nid = "known"\ndeny-unknown-licenses = true\n',
    })
    _repository(root / "closed", {"requirements.txt": "requests==2.31.0\n"})
    document = _assessment("--repos", str(root))
    profiles = {r["repository"]: r for r in document["repositories"]}
    assert set(profiles) == {"open", "closed"}
    assert profiles["open"]["own_license"]["expression"] == "MIT" and profiles["open"]["own_license"]["agreement"] is True
    assert [g["tool"] for g in profiles["open"]["ci_gates"]] == ["ospo-scan"]
    assert [f["path"] for f in profiles["open"]["policy_files"]] == [".ospo-scan.toml"]
    assert profiles["closed"]["own_license"]["expression"] is None
    assert "license-missing" in {item["id"] for item in profiles["closed"]["readiness"]}
    assert _figures(document, Question.CREATE)["OSI-approved license"] == 1


def test_a_check_the_settings_add_is_run_in_every_repository(tmp_path: Path) -> None:
    repository = _repository(tmp_path / "svc", {"README.md": "# svc\n", "requirements.txt": "requests==2.31.0\n"})
    policy = tmp_path / "policy.toml"
    policy.write_text('[[assessment.checks]]\nid = "notice-always"\ndescription = "a NOTICE file"\nfiles = ["NOTICE"]\nseverity = "required"\n')
    document = _assessment(str(repository), "--policy", str(policy))
    (profile,) = document["repositories"]
    assert {c["check"]: c["status"] for c in profile["checks"]}["notice-always"] == "missing"
    assert "notice-always" in {item["id"] for item in profile["readiness"]}
    (repository / "NOTICE").write_text("svc\nCopyright 2026 Example\n")
    (profile,) = _assessment(str(repository), "--policy", str(policy))["repositories"]
    assert {c["check"]: c["path"] for c in profile["checks"]}["notice-always"] == "NOTICE"


@pytest.mark.parametrize(
    ("arguments", "named"),
    [(["--format", "pdf"], "--format"), (["--as-of", "yesterday"], "--as-of")],
    ids=["unknown-format", "not-a-date"],
)
def test_bad_options_are_usage_errors(arguments: list[str], named: str) -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), *arguments])
    assert result.exit_code == 2
    assert named in " ".join(result.output.replace("│", " ").split())


def test_a_bad_custom_check_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[[assessment.checks]]\nid = "x"\ndescription = "x"\nfiles = ["X"]\ncontains = "("\n')
    result = _assess(str(EXAMPLE), "--policy", str(policy))
    assert result.exit_code == 2
    assert str(policy) in "".join(result.output.replace("│", " ").split()).replace(" ", "") or policy.name in result.output


def test_the_example_page_in_a_browser(browser: Any, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    page = tmp_path / "assessment.html"
    assert _assess(str(EXAMPLE), "--policy", str(POLICY), "--format", "html", "--output", str(page)).exit_code == 0
    opened = _Opened(browser, page)
    try:
        for title in QUESTION_TITLES.values():
            heading = opened.page.get_by_role("heading", name=title)
            heading.scroll_into_view_if_needed()
            assert heading.is_visible()
        assert opened.errors == [] and opened.violations() == []
        assert opened.requests == [opened.url]
    finally:
        opened.close()
