"""Every report that shows a policy outcome names the policy files and their sha256."""

from __future__ import annotations

import io
from datetime import date

import pytest

from ospo_scan.policy import Policy, PolicyFile, Rule, RuleKind, evaluate
from ospo_scan.policy.license_sets import license_set
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from tests.analysis.builders import component, inventory, project, use

APP = project(".")
DIGEST = "ab" * 32
HOSTILE = "<script>alert(1)</script>|[x](y)"
SHOWN = {OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.MARKDOWN, OutputFormat.HTML, OutputFormat.SARIF}
"""The formats that carry the policy outcome; SBOMs, CSV and notices describe the inventory only."""


def _report() -> Report:
    scanned = inventory([APP], [component(HOSTILE, "1.0.0", use(APP.id), license="GPL-3.0-only")])
    policy = Policy(rules=(Rule(id="no-gpl", kind=RuleKind.DENY_LICENSES, licenses=license_set(["GPL-3.0-only"])),),
                    files=(PolicyFile(path="policy.toml", sha256=DIGEST),))
    return Report.of(scanned, policy=evaluate(scanned, policy, date(2026, 12, 3)))


@pytest.mark.parametrize("output_format", sorted(SHOWN, key=lambda f: f.value), ids=lambda f: f.value)
def test_the_policy_file_and_its_digest_are_named(output_format: OutputFormat) -> None:
    buffer = io.StringIO()
    output_format.renderer(_report(), buffer, False)
    rendered = buffer.getvalue()
    assert DIGEST in rendered and "policy.toml" in rendered
    assert "no-gpl" in rendered


def test_a_hostile_name_in_a_violation_stays_text_in_html() -> None:
    buffer = io.StringIO()
    OutputFormat.HTML.renderer(_report(), buffer, False)
    assert "<script>alert" not in buffer.getvalue()


def test_a_hostile_name_in_markdown_is_escaped_or_fenced() -> None:
    buffer = io.StringIO()
    OutputFormat.MARKDOWN.renderer(_report(), buffer, False)
    outside_fences, fenced = [], False
    for line in buffer.getvalue().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            outside_fences.append(line)
    assert not fenced, "every fence is closed"
    assert not any("<script>" in line for line in outside_fences)
