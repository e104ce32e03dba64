"""The assessment on a terminal: the six answers, then the repositories at a glance.

Built like the inventory's terminal report (reporters/table_report.py): the same
console settings (a fixed width and no colour when not a terminal, NO_COLOR obeyed,
no emoji codes), and every value from the data through `safe_text` before rich sees it
as markup, so a repository named `[/]` or holding ANSI escapes or a bidi override is
shown as text, its invisible characters spelled out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table

from ospo_scan.assessment.model import Answer, Assessment, CheckSeverity, CheckStatus, MaturityStage
from ospo_scan.reporters.assessment import wording
from ospo_scan.reporters.assessment.ordering import ordered
from ospo_scan.reporters.table_report import report_console
from ospo_scan.reporters.terminal_text import safe_text

_SEVERITY_STYLE = {CheckSeverity.REQUIRED: "bold red", CheckSeverity.RECOMMENDED: "yellow", CheckSeverity.OPTIONAL: "dim"}


def render_table(assessment: Assessment, stream: TextIO, is_terminal: bool = False) -> None:
    """Print the overall stage, the answers, the repositories, the checks and the governance files."""
    console = report_console(stream, is_terminal)
    assessment = ordered(assessment)
    console.print(f"[bold]ospo-scan assessment[/]: {safe_text(wording.meta(assessment))}")
    if assessment.unread:
        console.print(f"[yellow]{safe_text(wording.unread_text(assessment))}[/]")
        _bullets(console, assessment.unread)
    _print_maturity(console, "Overall maturity", assessment.maturity)
    for answer in assessment.answers:
        _print_answer(console, answer)
    _print_repositories(console, assessment)
    _print_checks(console, assessment)
    _print_governance(console, assessment)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[str] = ()) -> Table:
    """A table of escaped cells; its title and headers are escaped too (they may be the data's)."""
    table = Table(title=safe_text(title) if title else None, title_justify="left")
    for column in columns:
        table.add_column(safe_text(column), justify="right" if column in numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(safe_text(str(value)) for value in row))
    return table


def _bullets(console: Console, items: Sequence[str]) -> None:
    for item in items:
        console.print(f"  - {safe_text(item)}")


def _print_maturity(console: Console, label: str, stage: MaturityStage) -> None:
    console.print(f"[bold]{label}[/]: {safe_text(wording.stage_text(stage))}")
    if stage.evidence:
        console.print("  evidence:")
        _bullets(console, stage.evidence)
    if stage.missing:
        console.print("  what the repositories cannot show:")
        _bullets(console, stage.missing)


def _print_answer(console: Console, answer: Answer) -> None:
    console.print()
    console.print(f"[bold]{safe_text(answer.title)}[/]")
    console.print(safe_text(answer.summary))
    if answer.figures:
        console.print(" · ".join(f"{safe_text(f.label)} [bold]{safe_text(wording.figure_value(f.value))}[/]" for f in answer.figures))
    _bullets(console, answer.facts)
    if answer.table is not None and answer.table.rows:
        console.print(_table("", answer.table.columns, answer.table.rows))
    if answer.maturity is not None:
        _print_maturity(console, "Maturity", answer.maturity)


def _print_repositories(console: Console, assessment: Assessment) -> None:
    console.print()
    profiles = assessment.profiles
    if not profiles:
        console.print("Repositories: none was assessed.")
        return
    columns = ("repository", "license", "OSI-approved", "declared and file agree", "problem")
    rows = [
        (p.repository, wording.license_text(p.own_license), wording.flag(p.own_license.osi_approved), wording.flag(p.own_license.agreement, "not both present"), p.own_license.problem or "")
        for p in profiles
    ]
    console.print(_table(f"Repositories: {len(profiles)}", columns, rows))
    health = [
        (p.repository, wording.check_list(wording.results_with(p, CheckStatus.FOUND), paths=True), wording.missing_list(wording.results_with(p, CheckStatus.MISSING)))
        for p in profiles
    ]
    console.print(_table("Health checks", ("repository", "found", "missing"), health))
    _print_readiness(console, assessment)
    errors = [(p.repository, error) for p in profiles for error in p.errors]
    if errors:
        console.print(_table("Files that could not be read", ("repository", "problem"), errors))


def _print_readiness(console: Console, assessment: Assessment) -> None:
    items = [(p.repository, item) for p in assessment.profiles for item in p.readiness]
    ready = [p.repository for p in assessment.profiles if not p.readiness]
    if items:
        table = Table(title="Before publishing: readiness items, worst first per repository", title_justify="left")
        for column in ("repository", "severity", "item", "reason"):
            table.add_column(column, overflow="fold", no_wrap=column == "severity")
        for repository, item in items:
            table.add_row(safe_text(repository), f"[{_SEVERITY_STYLE[item.severity]}]{item.severity.value}[/]", safe_text(item.id), safe_text(item.reason))
        console.print(table)
    if ready:
        console.print(f"Nothing known stands in the way of publishing: {safe_text(', '.join(ready))}")


def _print_checks(console: Console, assessment: Assessment) -> None:
    console.print()
    if not assessment.checks:
        console.print("Checks: none was run.")
        return
    rows = [(c.id, c.description, c.detection, c.severity.value, c.source) for c in assessment.checks]
    console.print(_table(f"Checks: {len(assessment.checks)}", ("id", "description", "how detected", "severity", "source"), rows))


def _print_governance(console: Console, assessment: Assessment) -> None:
    profiles = assessment.profiles
    policies = [(p.repository, f.path, f.tool, *wording.policy_counts(f), wording.expiry_text(f), f.error or "") for p in profiles for f in p.policy_files]
    gates = [(p.repository, g.path, g.line or "", g.tool) for p in profiles for g in p.ci_gates]
    if policies:
        numbers = ("rules", "exceptions", "expired")
        console.print(_table("Policy files", ("repository", "file", "tool", *numbers, "next expiry", "problem"), policies, numeric=numbers))
    else:
        console.print("Policy files: none found in any repository.")
    if gates:
        console.print(_table("CI gates", ("repository", "workflow", "line", "scanner"), gates, numeric=("line",)))
    else:
        console.print("CI gates: no CI definition runs a scanner.")
