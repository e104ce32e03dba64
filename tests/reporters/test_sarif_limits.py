"""A SARIF run never carries more results than code scanning accepts (25,000 per run).

Over the limit the most severe results are kept, in the order the reporter gave them, with
the fingerprints they would have had without the cap, and the run says how many of each
level it left out. Under the limit nothing changes (the golden test pins those bytes).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapSeverity, GapsAnswer
from ospo_scan.model import Location
from ospo_scan.reporters import sarif_report
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.sarif_log import result_objects
from ospo_scan.reporters.sarif_limits import MAX_RESULTS_PER_RUN, cap_results
from ospo_scan.reporters.sarif_report import LEVELS
from ospo_scan.scan import scan

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("sarif-limits-home")))
        for variable in ("GOMODCACHE", "GOPATH"):
            patch.delenv(variable, raising=False)
        patch.chdir(REPOSITORY)
        return Report.of(scan([Path("examples/polyglot-shop")]))


def _run(report: Report) -> dict[str, Any]:
    buffer = io.StringIO()
    sarif_report.render(report, buffer, False)
    (run,) = json.loads(buffer.getvalue())["runs"]
    return run


def _gaps(count: int, severity: GapSeverity, code: str) -> list[Gap]:
    return [Gap(code=code, severity=severity, message=f"package-{severity.value}-{i}: {code}",
                component=f"pkg:npm/package-{severity.value}-{i}@1.0.0", project="npm:app",
                location=Location(path="package.json", line=i + 1)) for i in range(count)]


def _code_of(severity: GapSeverity) -> str:
    return next(kind.code for kind in GAP_KINDS.values() if kind.severity is severity)


def test_a_run_over_the_limit_keeps_the_most_severe_results_and_says_what_it_left_out(example_report: Report) -> None:
    notes = _gaps(MAX_RESULTS_PER_RUN, GapSeverity.LOW, _code_of(GapSeverity.LOW))
    errors = _gaps(40, GapSeverity.HIGH, _code_of(GapSeverity.HIGH))
    warnings = _gaps(25, GapSeverity.MEDIUM, _code_of(GapSeverity.MEDIUM))
    gaps = (*notes, *errors, *warnings)
    report = dataclasses.replace(example_report, analysis=dataclasses.replace(example_report.analysis, gaps=GapsAnswer(gaps=gaps)))
    uncapped = sarif_report.gap_results(report)
    run = _run(report)
    results = run["results"]
    assert len(results) == MAX_RESULTS_PER_RUN
    levels = [result["level"] for result in results]
    assert levels.count(LEVELS[GapSeverity.HIGH]) == len(errors)
    assert levels.count(LEVELS[GapSeverity.MEDIUM]) == len(warnings)
    left_out = len(gaps) - MAX_RESULTS_PER_RUN
    assert run["properties"]["omittedResults"] == {LEVELS[GapSeverity.LOW]: left_out}
    (notice,) = [n for n in run["invocations"][0]["toolExecutionNotifications"] if n["descriptor"]["id"] == "sarif-results-capped"]
    assert str(left_out) in notice["message"]["text"] and "JSON report" in notice["message"]["text"]
    # The fingerprints are those of the same results in the uncapped list.
    everything = result_objects(uncapped, {rule.id: i for i, rule in enumerate(sarif_report.gap_rules())})
    assert {json.dumps(r, sort_keys=True) for r in results} <= {json.dumps(r, sort_keys=True) for r in everything}


def test_a_run_under_the_limit_is_written_whole(example_report: Report) -> None:
    run = _run(example_report)
    assert len(run["results"]) == len(example_report.analysis.gaps.gaps) + (len(example_report.policy.violations) if example_report.policy else 0)
    assert "omittedResults" not in run.get("properties", {})


def test_the_cap_keeps_the_given_order_within_what_it_keeps() -> None:
    results = [{"level": level, "n": n} for n, level in enumerate(["note", "error", "warning", "note", "error", "note"])]
    kept, omitted = cap_results(results, limit=4)
    assert [r["n"] for r in kept] == [0, 1, 2, 4]
    assert omitted == {"note": 2}
