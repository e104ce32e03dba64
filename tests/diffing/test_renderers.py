"""The diff's three formats: golden files of the fixture diff, hostile text, caps, determinism.

Rewrite the golden files with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/diffing`
and review the change like code.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.diffing import DiffFormat, ReportDiff, compare
from ospo_scan.diffing.sections import LISTED
from tests.diffing.builders import POLICY, component, document, scanned, violation
from tests.reporters.comparison import table_words

GOLDEN = Path(__file__).resolve().parent / "golden"


def _render(diff: ReportDiff, output_format: DiffFormat) -> str:
    buffer = io.StringIO()
    output_format.renderer(diff, buffer, False)
    return buffer.getvalue()


def _comparable(output_format: DiffFormat, text: str) -> list[str]:
    """The table by its words (rich may draw boxes otherwise); JSON without the tool's version."""
    if output_format is DiffFormat.TABLE:
        return table_words(text)
    return [line for line in text.splitlines() if '"tool_version":' not in line]


@pytest.fixture
def fixture_diff() -> ReportDiff:
    return compare(scanned("before", policy=POLICY), scanned("after", policy=POLICY))


@pytest.mark.parametrize("output_format", list(DiffFormat), ids=lambda f: f.value)
def test_every_format_matches_its_golden_file(fixture_diff: ReportDiff, output_format: DiffFormat) -> None:
    rendered = _render(fixture_diff, output_format)
    golden = GOLDEN / f"fixtures.diff.{output_format.value}"
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert _comparable(output_format, rendered) == _comparable(output_format, golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("output_format", list(DiffFormat), ids=lambda f: f.value)
def test_no_change_is_said_in_every_format(output_format: DiffFormat) -> None:
    same = document([component("a", "1.0.0")], violations=[])
    rendered = _render(compare(same, same), output_format)
    assert ('"unchanged": true' if output_format is DiffFormat.JSON else "no change") in rendered


def test_markdown_opens_with_one_summary_line_then_only_sections_with_content(fixture_diff: ReportDiff) -> None:
    lines = _render(fixture_diff, DiffFormat.MARKDOWN).splitlines()
    assert lines[0].startswith("**ospo-scan diff**: ") and lines[1] == ""
    headings = [line for line in lines if line.startswith("### ")]
    assert headings[0].startswith("### New policy violations"), "the news that fails a gate comes first"
    assert not any("Version changed" in line for line in lines), "no empty section"
    assert f"({len(fixture_diff.upgraded)})" in next(line for line in headings if "Upgraded" in line)


def test_markdown_without_policy_results_says_violations_were_not_compared() -> None:
    text = _render(compare(scanned("before"), scanned("after", policy=POLICY)), DiffFormat.MARKDOWN)
    assert "Policy violations not compared: the old report has no policy results" in text
    assert "New policy violations" not in text


HOSTILE_NAME = "evil|pkg<script>alert(1)</script>@org/team"
HOSTILE_MESSAGE = "see [docs](javascript:alert(1)) and ![x](https://tracker.example/p.png) @security-team | end"


def _hostile_diff() -> ReportDiff:
    entry = {**component("evil", "1.0.0"), "name": HOSTILE_NAME, "version": "1.0.0|<b>"}
    return compare(document([], violations=[]), document([entry], violations=[violation("h", message=HOSTILE_MESSAGE, component="pkg:npm/evil@1.0.0")]))


def test_markdown_escapes_every_scanned_value() -> None:
    text = _render(_hostile_diff(), DiffFormat.MARKDOWN)
    assert "<script>" not in text and "<b>" not in text
    assert not re.search(r"(?<!\\)\]\(", text), "no link or image can form"
    assert not re.search(r"@(?!&#8203;)", text), "no @-mention notifies anyone"
    assert _rows_with_extra_cells(text) == []


def _rows_with_extra_cells(text: str) -> list[str]:
    """Table rows with more unescaped `|` than their table's header has."""
    wrong, expected = [], 0
    for line in text.splitlines():
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if line.startswith("|---"):
            continue
        if not line.startswith("| "):
            expected = 0
        elif expected == 0:
            expected = pipes  # the header: our own column names
        elif pipes != expected:
            wrong.append(line)
    return wrong


def test_the_table_shows_markup_and_controls_as_text() -> None:
    entry = {**component("evil", "1.0.0"), "name": "[bold red]loud[/] \x1b[31mred"}
    text = _render(compare(document([]), document([entry])), DiffFormat.TABLE)
    assert "[bold red]loud[/]" in text and "\x1b" not in text and "\\x1b" in text


@pytest.mark.parametrize("output_format", [DiffFormat.MARKDOWN, DiffFormat.TABLE], ids=lambda f: f.value)
def test_long_lists_stop_at_the_cap_and_say_how_many_more(output_format: DiffFormat) -> None:
    extra = 7
    many = [component(f"pkg-{index:03d}", "1.0.0") for index in range(LISTED + extra)]
    text = _render(compare(document([]), document(many)), output_format)
    assert f"and {extra} more" in text
    assert f"pkg-{LISTED - 1:03d}" in text and f"pkg-{LISTED:03d}" not in text


def test_json_is_sorted_and_the_same_whatever_order_the_reports_list_things_in(fixture_diff: ReportDiff) -> None:
    old, new = scanned("before", policy=POLICY), scanned("after", policy=POLICY)
    shuffled_old, shuffled_new = _reversed_lists(old), _reversed_lists(new)
    text = _render(fixture_diff, DiffFormat.JSON)
    assert text == _render(compare(shuffled_old, shuffled_new), DiffFormat.JSON) == _render(compare(old, new), DiffFormat.JSON)
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _reversed_lists(report: dict[str, Any]) -> dict[str, Any]:
    """The same report with its components, violations and gaps listed the other way round."""
    flipped = {**report, "components": report["components"][::-1]}
    flipped["policy"] = {**report["policy"], "violations": report["policy"]["violations"][::-1]}
    flipped["analysis"] = {**report["analysis"], "gaps": {**report["analysis"]["gaps"], "items": report["analysis"]["gaps"]["items"][::-1]}}
    return flipped


def test_json_holds_every_change_and_the_gate_count(fixture_diff: ReportDiff) -> None:
    data = json.loads(_render(fixture_diff, DiffFormat.JSON))
    assert [c["purl"] for c in data["components"]["added"]] == [c.purl for c in fixture_diff.added]
    assert [(c["old"]["version"], c["new"]["version"]) for c in data["components"]["upgraded"]] == [(c.old.version, c.new.version) for c in fixture_diff.upgraded]
    assert data["violations"]["new_errors"] == len(fixture_diff.new_error_violations) and data["violations"]["compared"]
    assert [v["fingerprint"] for v in data["violations"]["fixed"]] == [v.fingerprint for v in fixture_diff.fixed_violations]
