"""The assessment JSON: valid, deterministic, its documented shape, and saying what
the model says.

Every expected value is read from the model objects (the factory's), never typed in,
so the tests hold for any assessment the factory builds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ospo_scan.assessment.model import Assessment, CheckSeverity, MaturityStage, Question
from ospo_scan.reporters.assessment import render_json
from ospo_scan.reporters.assessment.document import FORMAT, VERSION
from tests.reporters.assessment.factory import BILLING, WEB, assessment, empty_assessment

CASES = {"two-repositories": assessment, "empty": empty_assessment}
TOP = {"format", "version", "source", "assessed_on", "unread", "maturity", "answers", "repositories", "checks"}
ANSWER = {"question", "title", "summary", "figures", "facts", "table", "maturity"}
REPOSITORY = {"repository", "own_license", "checks", "readiness", "policy_files", "ci_gates", "errors"}
OWN_LICENSE = {"declared", "file", "file_expression", "expression", "agreement", "osi_approved", "problem"}
CHECK = {"id", "description", "detection", "files", "locations", "contains", "when_licenses", "severity", "source"}


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> Assessment:
    built: Assessment = CASES[request.param]()
    return built


def _stage(stage: MaturityStage | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"stage": stage.stage, "name": stage.name, "evidence": list(stage.evidence), "missing": list(stage.missing)}


def test_the_document_parses_and_names_its_format(given: Assessment) -> None:
    document = json.loads(render_json(given))
    assert (document["format"], document["version"]) == (FORMAT, VERSION) == ("ospo-scan-assessment", 1)
    assert set(document) == TOP
    assert document["source"] == given.source and document["assessed_on"] == given.assessed_on.isoformat()
    assert document["maturity"] == _stage(given.maturity)
    assert document["unread"] == sorted(given.unread)


def test_compact_and_pretty_hold_the_same_sorted_document(given: Assessment) -> None:
    compact, pretty = render_json(given), render_json(given, pretty=True)
    document = json.loads(compact)
    assert json.loads(pretty) == document
    assert compact == json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert pretty == json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def test_answers_in_question_order_with_the_models_values(given: Assessment) -> None:
    answers = json.loads(render_json(given))["answers"]
    assert [a["question"] for a in answers] == [q.value for q in Question]
    by_question = {a.question.value: a for a in given.answers}
    for shown in answers:
        assert set(shown) == ANSWER
        model = by_question[shown["question"]]
        assert (shown["title"], shown["summary"], shown["facts"]) == (model.title, model.summary, list(model.facts))
        assert shown["figures"] == [{"label": f.label, "value": f.value} for f in model.figures]
        table = None if model.table is None else {"columns": list(model.table.columns), "rows": [list(row) for row in model.table.rows]}
        assert shown["table"] == table
        assert shown["maturity"] == _stage(model.maturity)


def test_repositories_by_name_with_the_models_values() -> None:
    given = assessment()
    repositories = json.loads(render_json(given))["repositories"]
    assert [r["repository"] for r in repositories] == sorted((BILLING, WEB))
    by_name = {p.repository: p for p in given.profiles}
    for shown in repositories:
        assert set(shown) == REPOSITORY and set(shown["own_license"]) == OWN_LICENSE
        model = by_name[shown["repository"]]
        own = model.own_license
        assert shown["own_license"] == {
            "declared": [{"expression": d.expression, "declared": d.declared, "manifest": d.manifest} for d in own.declared],
            "file": own.file,
            "file_expression": own.file_expression,
            "expression": own.expression,
            "agreement": own.agreement,
            "osi_approved": own.osi_approved,
            "problem": own.problem,
        }
        order = [c.id for c in given.checks]
        assert [c["check"] for c in shown["checks"]] == [c for c in order if c in {r.check.id for r in model.checks}]
        results = {r.check.id: r for r in model.checks}
        assert all((c["status"], c["path"], c["detail"]) == (results[c["check"]].status.value, results[c["check"]].path, results[c["check"]].detail) for c in shown["checks"])
        assert sorted(map(json.dumps, shown["readiness"])) == sorted(json.dumps({"id": i.id, "reason": i.reason, "severity": i.severity.value}) for i in model.readiness)
        assert shown["errors"] == sorted(model.errors)
        assert [(g["path"], g["tool"], g["line"]) for g in shown["ci_gates"]] == sorted((g.path, g.tool, g.line) for g in model.ci_gates)
        assert [(f["path"], f["tool"]) for f in shown["policy_files"]] == sorted((f.path, f.tool) for f in model.policy_files)


def test_readiness_worst_first() -> None:
    billing = next(r for r in json.loads(render_json(assessment()))["repositories"] if r["repository"] == BILLING)
    ranks = [list(CheckSeverity).index(CheckSeverity(item["severity"])) for item in billing["readiness"]]
    assert ranks == sorted(ranks) and len(ranks) == 3


def test_policy_files_and_dates_are_iso_or_null() -> None:
    given = assessment()
    facts = {(p.repository, f.path): f for p in given.profiles for f in p.policy_files}
    for repository in json.loads(render_json(given))["repositories"]:
        for shown in repository["policy_files"]:
            model = facts[(repository["repository"], shown["path"])]
            assert shown == {
                "path": model.path,
                "tool": model.tool,
                "rules": model.rules,
                "exceptions": model.exceptions,
                "expired_exceptions": model.expired_exceptions,
                "next_expiry": model.next_expiry.isoformat() if model.next_expiry else None,
                "error": model.error,
            }


def test_the_checks_table_with_how_each_is_detected(given: Assessment) -> None:
    checks = json.loads(render_json(given))["checks"]
    assert [c["id"] for c in checks] == [c.id for c in given.checks]
    for shown, model in zip(checks, given.checks):
        assert set(shown) == CHECK
        assert shown["detection"] == model.detection and shown["source"] == model.source and shown["severity"] == model.severity.value
        assert (shown["files"], shown["locations"], shown["contains"], shown["when_licenses"]) == (list(model.files), list(model.locations), model.contains, list(model.when_licenses))


def test_hostile_strings_stay_strings() -> None:
    text = render_json(assessment())
    assert "\x1b" not in text  # JSON escapes controls
    assert {r["repository"] for r in json.loads(text)["repositories"]} == {BILLING, WEB}
