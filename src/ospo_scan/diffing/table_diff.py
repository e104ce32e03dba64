"""The diff on a terminal: the summary line, then one rich table per kind of change.

Every value from a report (names, versions, messages: scanned text) goes through
`safe_text` before rich reads the line as markup, as in the table report.
"""

from __future__ import annotations

from typing import TextIO

from rich.table import Table

from ospo_scan.diffing.model import ReportDiff
from ospo_scan.diffing.sections import LISTED, Section, headline, notes, sections
from ospo_scan.reporters.table_report import report_console
from ospo_scan.reporters.terminal_text import safe_text


def render(diff: ReportDiff, stream: TextIO, is_terminal: bool = False) -> None:
    """Print the summary, the notes and each section with content."""
    console = report_console(stream, is_terminal)
    console.print(f"[bold]ospo-scan diff[/]: {safe_text(headline(diff))}")
    for note in notes(diff):
        console.print(f"[yellow]{safe_text(note)}[/]")
    for section in sections(diff):
        console.print()
        console.print(_table(section))
        if len(section.rows) > LISTED:
            console.print(f"and {len(section.rows) - LISTED} more (--format json has them all)")


def _table(section: Section) -> Table:
    table = Table(title=f"{section.title} ({len(section.rows)})", title_justify="left")
    for column in section.columns:
        table.add_column(column)
    for row in section.rows[:LISTED]:
        table.add_row(*(safe_text(cell) for cell in row))
    return table
