"""The assessment as markdown: for a wiki page, an issue or a CI job summary.

Repository names are folder names and file paths are what a repository holds: strangers
write both, and a settings file may add checks with any description. Every value goes
through the organization report's `table_cell` (the inventory report's `markdown_text` plus
the invisible characters it leaves), table headers included, so a name cannot add a
column, a heading, a link or a script. Numbers and the report's own words are written
as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.analysis.wording import count
from ospo_scan.assessment.model import Answer, Assessment, CheckStatus, MaturityStage, RepositoryProfile
from ospo_scan.reporters.assessment import wording
from ospo_scan.reporters.assessment.ordering import ordered
from ospo_scan.reporters.organization.markdown_format import table_cell, table_lines


def render_markdown(assessment: Assessment) -> str:
    """The whole report: the overall stage, one section per question, then the
    repositories, the checks table, and the policies and CI gates."""
    assessment = ordered(assessment)
    lines = ["# ospo-scan: OSPO assessment", "", table_cell(wording.meta(assessment)), ""]
    if assessment.unread:
        lines += [table_cell(wording.unread_text(assessment)), "", *_bullets(assessment.unread)]
    lines += ["## Overall maturity", "", *_maturity(assessment.maturity)]
    for answer in assessment.answers:
        lines += _answer(answer)
    lines += _repositories(assessment) + _checks(assessment) + _governance(assessment)
    return "\n".join(lines)


def _table_of(headers: Sequence[str], aligns: str, rows: Sequence[Sequence[object]]) -> list[str]:
    """A GitHub table whose headers may come from the data too."""
    return table_lines([table_cell(header) for header in headers], aligns, rows)


def _bullets(items: Sequence[str]) -> list[str]:
    return [f"- {table_cell(item)}" for item in items] + [""]


def _maturity(stage: MaturityStage) -> list[str]:
    lines = [f"**{table_cell(wording.stage_text(stage))}**", ""]
    if stage.evidence:
        lines += ["Evidence:", "", *_bullets(stage.evidence)]
    if stage.missing:
        lines += ["What the repositories cannot show:", "", *_bullets(stage.missing)]
    return lines


def _answer(answer: Answer) -> list[str]:
    lines = [f"## {table_cell(answer.title)}", "", table_cell(answer.summary), ""]
    if answer.figures:
        lines += _table_of([figure.label for figure in answer.figures], "r" * len(answer.figures), [[wording.figure_value(f.value) for f in answer.figures]])
    if answer.facts:
        lines += ["Facts:", "", *_bullets(answer.facts)]
    if answer.table is not None:
        table = answer.table
        lines += _table_of(table.columns, "l" * len(table.columns), table.rows) if table.rows else ["No row.", ""]
    if answer.maturity is not None:
        lines += ["Maturity:", "", *_maturity(answer.maturity)]
    return lines


def _repositories(assessment: Assessment) -> list[str]:
    lines = [f"## Repositories ({len(assessment.profiles)})", ""]
    if not assessment.profiles:
        return lines + ["No repository was assessed.", ""]
    headers = ("repository", "license", "OSI-approved", "declared and file agree", "checks found", "checks missing", "readiness items")
    rows = [
        (
            p.repository,
            wording.license_text(p.own_license),
            wording.flag(p.own_license.osi_approved),
            wording.flag(p.own_license.agreement, "not both present"),
            len(wording.results_with(p, CheckStatus.FOUND)),
            len(wording.results_with(p, CheckStatus.MISSING)),
            len(p.readiness),
        )
        for p in assessment.profiles
    ]
    lines += _table_of(headers, "llllrrr", rows)
    for profile in assessment.profiles:
        lines += _profile(profile)
    return lines


def _profile(profile: RepositoryProfile) -> list[str]:
    own = profile.own_license
    lines = [f"### {table_cell(profile.repository)}", ""]
    lines += _bullets(
        [
            f"License: {wording.license_text(own)}",
            f"License file: {wording.license_file_text(own)}",
            f"Declared: {wording.declared_text(own.declared)}",
            *([f"Problem: {own.problem}"] if own.problem else []),
        ]
    )
    if profile.checks:
        rows = [(r.check.id, r.check.severity.value, wording.status_text(r)) for r in profile.checks]
        lines += _table_of(("check", "severity", "result"), "lll", rows)
    if profile.readiness:
        lines += ["Before it can be published:", "", *_bullets([f"{item.severity.value}, {item.id}: {item.reason}" for item in profile.readiness])]
    else:
        lines += ["Nothing known stands in the way of publishing it.", ""]
    if profile.errors:
        lines += ["Could not be read:", "", *_bullets(profile.errors)]
    return lines


def _checks(assessment: Assessment) -> list[str]:
    lines = [f"## Checks ({len(assessment.checks)})", ""]
    if not assessment.checks:
        return lines + ["No check was run.", ""]
    rows = [(c.id, c.description, c.detection, c.severity.value, c.source) for c in assessment.checks]
    return lines + _table_of(("id", "description", "how detected", "severity", "source"), "lllll", rows)


def _governance(assessment: Assessment) -> list[str]:
    profiles = assessment.profiles
    policy_rows = [
        (p.repository, f.path, f.tool, *wording.policy_counts(f), wording.expiry_text(f), f.error or "")
        for p in profiles
        for f in p.policy_files
    ]
    gate_rows = [(p.repository, g.path, g.line or "", g.tool) for p in profiles for g in p.ci_gates]
    lines = ["## Policies and CI gates", "", f"### Policy files ({count(len(policy_rows), 'file')})", ""]
    if policy_rows:
        lines += _table_of(("repository", "file", "tool", "rules", "exceptions", "expired", "next expiry", "problem"), "lllrrrll", policy_rows)
    else:
        lines += ["No policy file found in any repository.", ""]
    lines += [f"### CI gates ({count(len(gate_rows), 'gate')})", ""]
    if gate_rows:
        lines += _table_of(("repository", "workflow", "line", "scanner"), "llrl", gate_rows)
    else:
        lines += ["No CI definition runs a scanner.", ""]
    return lines
