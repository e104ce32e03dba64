"""The terminal report: the three answers at a glance, the details on request.

A developer reads it in five seconds: how much open source and of which kind, the
upstream projects we depend on most (with why), and the compliance gaps grouped by
kind, worst first. The full component list only with `--details`; the JSON report
has everything.

This is the only module of the core that imports rich. Every value from a scanned
file goes through `safe_text` (terminal_text.py) before rich sees it as markup.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from ospo_scan.analysis.wording import count
from ospo_scan.model import Component, Inventory, Severity
from ospo_scan.policy import PolicyOutcome, RuleSeverity
from ospo_scan.reporters import sentences
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.terminal_text import no_color_requested, safe_text

FILE_WIDTH = 120
"""Fixed width when writing to a file, so the output does not depend on the terminal."""

_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}


def report_console(stream: TextIO, is_terminal: bool) -> Console:
    """The console every terminal report prints through: a fixed width and no colour in a
    file or pipe (same bytes on every machine, NO_COLOR obeyed), no emoji codes or
    highlighting that would turn a scanned name into something it is not."""
    return Console(
        file=stream,
        width=None if is_terminal else FILE_WIDTH,
        force_terminal=is_terminal,
        no_color=not is_terminal or no_color_requested(),
        highlight=False,
        emoji=False,  # a name such as ':fire:' is text, not an emoji code
        soft_wrap=False,
    )


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Print the answers, the files that could not be read and (on request) the components."""
    console = report_console(stream, is_terminal)
    inventory = report.inventory
    console.print(f"[bold]ospo-scan[/]: {sentences.headline(report)}")
    if report.analysis.usage.totals.components:
        console.print(sentences.kinds(report))
    console.print(_status(report))
    if not inventory.files_scanned:
        console.print(f"No manifest or lockfile found in {', '.join(safe_text(root) for root in inventory.roots)} (formats: see README).")
        return
    console.print()
    console.print(_usage_table(report))
    console.print(f"Licenses: {safe_text(sentences.licenses(report.analysis.usage))}")
    for label, sentence in (("Copyleft", sentences.copyleft(report)), ("Version sprawl", sentences.sprawl(report.analysis.usage))):
        if sentence:
            console.print(f"{label}: {safe_text(sentence)}")
    console.print()
    if report.policy is not None:
        _print_policy(console, report.policy)
    _print_critical(console, report)
    _print_gaps(console, report)
    if inventory.issues:
        console.print(_issue_table(inventory))
    if report.show_components:
        console.print(_component_table(inventory.components))
    elif inventory.components:
        console.print(f"{count(len(inventory.components), 'component')}: see --details, or --format json for every usage and location.")


def _status(report: Report) -> str:
    text = sentences.status(report.inventory)
    style = "green" if report.inventory.complete else "yellow"
    first_party = report.analysis.usage.first_party
    suffix = f"; {count(first_party, 'first-party component')} not counted" if first_party else ""
    return f"[{style}]{text}[/]{suffix}"


def _usage_table(report: Report) -> Table:
    usage = report.analysis.usage
    table = Table(title="How much open source", title_justify="left")
    for column in ("ecosystem", "components", "direct", "transitive", "runtime", "development only", "known license"):
        table.add_column(column, justify="left" if column == "ecosystem" else "right")
    for slice_ in usage.by_ecosystem:
        c = slice_.counts
        table.add_row(safe_text(slice_.key), str(c.components), str(c.direct), str(c.transitive), str(c.runtime), str(c.development_only), str(c.known_license))
    if len(usage.by_ecosystem) > 1:
        t = usage.totals
        table.add_row("[bold]all[/]", str(t.components), str(t.direct), str(t.transitive), str(t.runtime), str(t.development_only), str(t.known_license))
    return table


def _print_critical(console: Console, report: Report) -> None:
    answer = report.analysis.critical
    if not answer.ranked:
        console.print(f"Critical projects: no score ({safe_text(answer.note or 'nothing to rank')}).")
        console.print()
        return
    shown = answer.ranked[: answer.settings.top]
    table = Table(title=f"Critical projects: top {len(shown)} of {len(answer.ranked)} upstream projects", title_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("project", overflow="fold", max_width=40)
    table.add_column("score", justify="right")
    table.add_column("why", overflow="fold")
    for entry in shown:
        name = safe_text(f"{entry.ecosystem}:{entry.name}")
        if len(entry.packages) > 1:
            name += f" [dim]({count(len(entry.packages), 'package')})[/]"
        table.add_row(str(entry.rank), name, f"{entry.score:.2f}", safe_text("; ".join(entry.reasons)))
    console.print(table)


def _print_gaps(console: Console, report: Report) -> None:
    answer = report.analysis.gaps
    if not answer.gaps:
        console.print("Compliance gaps: none found.")
        return
    table = Table(title=f"Compliance gaps: {len(answer.gaps)}, worst first", title_justify="left")
    table.add_column("severity", no_wrap=True)
    table.add_column("gap", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("affects")
    table.add_column("first case", overflow="fold")
    for group in sentences.gap_groups(answer):
        style = _SEVERITY_STYLE[group.severity.value]
        first = group.gaps[0]
        where = sentences.place(first)
        example = sentences.shorten(f"{where}: {first.message}" if where else first.message)
        table.add_row(f"[{style}]{group.severity.value}[/]", f"{group.title}\n[dim]{group.code}[/]", str(len(group.gaps)), safe_text(group.scope), safe_text(example))
    console.print(table)


def _print_policy(console: Console, outcome: PolicyOutcome) -> None:
    style = "bold red" if outcome.failed else "green"
    console.print(f"[{style}]Policy {safe_text(sentences.policy_verdict(outcome))}[/] ({safe_text(sentences.policy_files(outcome))})")
    if outcome.violations:
        shown = outcome.violations[: sentences.VIOLATIONS_LISTED]
        table = Table(title=f"Policy violations: {len(outcome.violations)}, worst first" + (f" (the first {len(shown)})" if len(shown) < len(outcome.violations) else ""), title_justify="left")
        for column in ("severity", "rule", "where", "lifecycle", "violation"):
            table.add_column(column, overflow="fold", no_wrap=column == "severity")
        for violation in shown:
            style = _SEVERITY_STYLE["high" if violation.severity is RuleSeverity.ERROR else "medium"]
            lifecycle = violation.lifecycle.value if violation.lifecycle else ""
            table.add_row(f"[{style}]{violation.severity.value}[/]", safe_text(violation.rule), safe_text(sentences.violation_place(violation)), lifecycle, safe_text(violation.message))
        console.print(table)
    for stale in outcome.stale_exceptions:
        console.print(f"[yellow]Exception no longer applies[/]: {safe_text(sentences.stale_exception(stale))}")
    console.print()


def _issue_table(inventory: Inventory) -> Table:
    table = Table(title="Files that could not be fully read", title_justify="left")
    table.add_column("file")
    table.add_column("line", justify="right")
    table.add_column("parser")
    table.add_column("code", no_wrap=True)
    table.add_column("problem", overflow="fold")
    for issue in inventory.issues:
        code = safe_text(issue.code) if issue.severity is Severity.ERROR else f"[dim]{safe_text(issue.code)} (warning)[/]"
        table.add_row(safe_text(issue.path), str(issue.line or ""), safe_text(issue.parser), code, safe_text(issue.message))
    return table


def _license_cell(component: Component) -> str:
    info = component.license
    if info is None or info.expression is None:
        return "[yellow]unknown[/]"
    return safe_text(info.expression)


def _component_table(components: tuple[Component, ...]) -> Table:
    table = Table(title="Components (every location is in the JSON report)", title_justify="left")
    table.add_column("name", overflow="fold", min_width=24, max_width=48)
    table.add_column("version", overflow="ellipsis", no_wrap=True, max_width=18)
    table.add_column("kind", no_wrap=True)
    table.add_column("scopes", no_wrap=True)
    table.add_column("projects", justify="right")
    table.add_column("license", overflow="ellipsis", no_wrap=True, max_width=28)
    ordered = sorted(components, key=lambda c: (c.first_party, c.ecosystem.value, c.name, c.version or ""))
    for component in ordered:
        kind = "first-party" if component.first_party else ("direct" if component.direct else "transitive")
        table.add_row(
            safe_text(f"{component.ecosystem.value}:{component.name}"),
            safe_text(component.version) if component.version else f"[dim]{safe_text(component.requirement or 'unpinned')}[/]",
            kind,
            ",".join(sorted(s.value for s in component.scopes)),
            str(len({usage.project for usage in component.usages})),
            _license_cell(component),
        )
    return table
