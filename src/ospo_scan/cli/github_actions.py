"""GitHub Actions: violations as workflow annotations, the report in the job summary.

Detected by `GITHUB_ACTIONS=true`, which the runner sets. An annotation is a workflow
command line, `::error file=<path>,line=<n>,title=<rule>::<message>`, that the runner
turns into a note on the pull request's diff. The runner reads workflow commands from
stdout, so they go there unless a report is being written to stdout (then they go to
stderr, to keep the report intact: give every report an --output in CI).

Values are escaped as the runner expects (actions/toolkit's command.ts): `%`, CR and
LF in the message; also `:` and `,` in properties. A scanned name cannot start a
command of its own, since no line break survives the escaping.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from ospo_scan.policy import PolicyOutcome, RuleSeverity, Violation
from ospo_scan.reporters import markdown_report
from ospo_scan.reporters.report import Report

_COMMAND = {RuleSeverity.ERROR: "error", RuleSeverity.WARNING: "warning", RuleSeverity.REVIEW: "notice"}
MAX_ANNOTATIONS = 50
"""GitHub shows at most 10 annotations of each kind per step and 50 per job; the rest
are summarized in one line (the reports have them all)."""


def in_github_actions(environment: Mapping[str, str] = os.environ) -> bool:
    """True inside a GitHub Actions job."""
    return environment.get("GITHUB_ACTIONS") == "true"


def annotation(violation: Violation) -> str:
    """The workflow command for one violation."""
    properties = {"title": f"ospo-scan: {violation.rule}"}
    if violation.location is not None:
        properties = {"file": violation.location.path, **({"line": str(violation.location.line)} if violation.location.line else {}), **properties}
    shown = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{_COMMAND[violation.severity]} {shown}::{_escape_data(violation.message)}"


def write_annotations(outcome: PolicyOutcome, stream: TextIO) -> None:
    """One annotation per violation, worst first, up to MAX_ANNOTATIONS."""
    for violation in outcome.violations[:MAX_ANNOTATIONS]:
        stream.write(annotation(violation) + "\n")
    if len(outcome.violations) > MAX_ANNOTATIONS:
        stream.write(f"::notice title=ospo-scan::{len(outcome.violations) - MAX_ANNOTATIONS} more violations: see the reports\n")
    stream.flush()


def append_step_summary(report: Report, environment: Mapping[str, str] = os.environ) -> bool:
    """Append the markdown report to $GITHUB_STEP_SUMMARY (False when there is none)."""
    path = environment.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    text = io.StringIO()
    markdown_report.render(report, text, False)
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(text.getvalue() + "\n")
    return True


def annotate(report: Report, *, stdout_taken: bool, environment: Mapping[str, str] = os.environ) -> None:
    """In GitHub Actions: the annotations, and the summary; elsewhere nothing."""
    if report.policy is None or not in_github_actions(environment):
        return
    write_annotations(report.policy, sys.stderr if stdout_taken else sys.stdout)
    append_step_summary(report, environment)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
