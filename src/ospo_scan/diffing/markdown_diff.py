"""The diff as markdown, for a pull-request comment: one summary line, then short tables.

Every cell passes through the markdown report's escaping (`markdown_report._text`), so
a package name cannot close a table cell with `|`, plant `<script>` or a link, or notify
someone with `@`: what a lockfile says is shown, never interpreted. Lists stop at
sections.LISTED rows; the JSON form has them all.
"""

from __future__ import annotations

from typing import TextIO

from ospo_scan.diffing.model import ReportDiff
from ospo_scan.diffing.sections import LISTED, Section, headline, notes, sections
from ospo_scan.reporters.markdown_report import markdown_text


def render(diff: ReportDiff, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the markdown diff."""
    del is_terminal  # markdown is the same wherever it goes
    stream.write("\n".join(_lines(diff)) + "\n")


def _lines(diff: ReportDiff) -> list[str]:
    lines = [f"**ospo-scan diff**: {markdown_text(headline(diff))}.", ""]
    for note in notes(diff):
        lines += [f"> {markdown_text(note)}.", ""]  # one quote each: consecutive `>` lines would run together
    for section in sections(diff):
        lines += _section(section)
    return lines


def _section(section: Section) -> list[str]:
    title = f"{section.title} ({len(section.rows)})"
    table = [_row(section.columns), "|" + "---|" * len(section.columns)]
    table += [_row(tuple(markdown_text(cell) for cell in row)) for row in section.rows[:LISTED]]
    if len(section.rows) > LISTED:
        table += ["", f"and {len(section.rows) - LISTED} more (`--format json` has them all)"]
    if section.collapsed:
        return [f"<details><summary>{title}</summary>", "", *table, "", "</details>", ""]
    return [f"### {title}", "", *table, ""]


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"
