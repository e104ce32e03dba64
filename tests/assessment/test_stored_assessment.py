"""`assess --db`: profiles stored by `snapshot save` (both backends), read back exactly,
and the stored snapshot assessed with the same answers a scan of the checkouts gives
where the store holds the same facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ospo_scan.assessment.model import Question
from ospo_scan.assessment.profile_document import profile_from_json, profile_json
from ospo_scan.cli import app
from tests.reporters.assessment.factory import CHECKS, assessment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "polyglot-shop"
POLICY = ROOT / "examples" / "policy.toml"
DAY = "2026-12-04"
runner = CliRunner()


def test_a_profile_reads_back_exactly_hostile_names_included() -> None:
    for profile in assessment().profiles:
        used = tuple(check for check in CHECKS if check.id in {result.check.id for result in profile.checks})
        assert profile_from_json(profile_json(profile, used)) == (profile, used)


@pytest.mark.parametrize("broken", ["[]", '{"format": "ospo-scan-profile", "version": 99}', '{"format": "ospo-scan-profile", "version": 1, "checks": [], "profile": {"repository": 3}}'])
def test_a_stored_profile_of_the_wrong_shape_is_a_value_error(broken: str) -> None:
    with pytest.raises(ValueError):
        profile_from_json(broken)


def _invoke(*arguments: str) -> Any:
    return runner.invoke(app, list(arguments))


def _json(*arguments: str) -> dict[str, Any]:
    result = _invoke(*arguments, "--format", "json", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _answer(document: dict[str, Any], question: Question) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in document["answers"] if a["question"] == question.value)
    return found


def test_a_saved_snapshot_is_assessed_as_its_checkouts_are(tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    saved = _invoke("snapshot", "save", "--db", db, "--policy", str(POLICY), str(EXAMPLE))
    assert saved.exit_code == 0, saved.output
    stored = _json("assess", "--db", db)
    scanned = _json("assess", str(EXAMPLE), "--policy", str(POLICY))
    assert stored["repositories"] == scanned["repositories"]
    assert stored["checks"] == scanned["checks"]
    for question in (Question.USE, Question.HOW, Question.CREATE):
        assert _answer(stored, question) == _answer(scanned, question)
    assert stored["unread"] == []
    assert stored["source"].startswith(db)


def test_a_repository_imported_from_a_report_is_said_to_have_no_profile(tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    report = tmp_path / "scan.json"
    assert _invoke("scan", str(EXAMPLE), "--format", "json", "--output", str(report)).exit_code == 0
    assert _invoke("snapshot", "import", "--db", db, str(report)).exit_code == 0
    stored = _json("assess", "--db", db)
    assert stored["repositories"] == []
    assert [line for line in stored["unread"] if "no assessment profile" in line] != []
    assert _answer(stored, Question.USE)["figures"] == _answer(_json("assess", str(EXAMPLE)), Question.USE)["figures"]


def test_db_with_paths_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke("assess", "--db", str(tmp_path / "x.db"), str(EXAMPLE))
    assert result.exit_code == 2
    assert "--db" in " ".join(result.output.replace("│", " ").split())
