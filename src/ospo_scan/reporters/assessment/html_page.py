"""The assessment as one self-contained HTML page.

Built as the organization report's page is (reporters/organization/html_page.py) and
from the same building blocks (reporters/html/markup.py and charts.py): everything
inline, nothing fetched, a Content-Security-Policy that admits only the page's own
style and script by their sha256, the same sortable and filterable tables, and every
value from the data escaped by `markup.text` (cells by `markup.td`). So a repository
named `<script>` is text here too, and were escaping ever to fail, the policy would
still keep it from running or calling out.

Same assessment, same bytes: the only date shown is `assessed_on`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan import __version__
from ospo_scan.assessment.model import Answer, Assessment, CheckSeverity, CheckStatus, MaturityStage, PolicyFileFact, Question
from ospo_scan.reporters.assessment import wording
from ospo_scan.reporters.assessment.ordering import SEVERITIES, ordered
from ospo_scan.reporters.html.charts import Bar, figure
from ospo_scan.reporters.html.markup import Column, asset, hint, page, plain_table, table, table_rules, td, text
from ospo_scan.reporters.organization.html_page import summary_card

_REPOSITORIES = (
    Column("repository", "path"),
    Column("license", "path"),
    Column("OSI-approved", "nw"),
    Column("declared and file agree", "nw"),
    Column("checks found", "num"),
    Column("checks missing", "num"),
    Column("readiness items", "num"),
    Column("problem", "wrap"),
)
_HEALTH = (Column("repository", "path"), Column("check", "nw"), Column("severity", "nw"), Column("status", "nw"), Column("file or why", "path"))
_READINESS = (Column("repository", "path"), Column("severity", "nw"), Column("item", "nw"), Column("reason", "wrap"))
_CHECKS = (Column("id", "nw"), Column("description", "wrap"), Column("how detected", "wrap"), Column("severity", "nw"), Column("source", "path"))
_POLICIES = (
    Column("repository", "path"),
    Column("file", "path"),
    Column("tool", "nw"),
    Column("rules", "num"),
    Column("exceptions", "num"),
    Column("expired", "num"),
    Column("next expiry", "nw"),
    Column("problem", "wrap"),
)
_GATES = (Column("repository", "path"), Column("workflow", "path"), Column("line", "num"), Column("scanner", "nw"))
TABLES: dict[str, Sequence[Column]] = {
    "repositories": _REPOSITORIES,
    "health": _HEALTH,
    "readiness": _READINESS,
    "checks": _CHECKS,
    "policies": _POLICIES,
    "gates": _GATES,
}
"""Each table's id (less `-table`) and columns: the page's CSS is made from them."""

_SEVERITY_CSS = {CheckSeverity.REQUIRED: "sev-high", CheckSeverity.RECOMMENDED: "sev-medium", CheckSeverity.OPTIONAL: "sev-low"}
_STATUS_CSS = {CheckStatus.FOUND: "", CheckStatus.MISSING: "sev-high", CheckStatus.NOT_APPLICABLE: "note"}


def render_html(assessment: Assessment) -> str:
    """The whole page as one string."""
    assessment = ordered(assessment)
    style, script = asset("report.css") + table_rules(TABLES), asset("report.js")
    title = f"ospo-scan assessment: {assessment.source}"
    sections = [
        _header(assessment, title),
        _unread(assessment),
        _maturity_section(assessment.maturity),
        *(_answer(answer) for answer in assessment.answers),
        _repositories(assessment),
        _coverage(assessment),
        _health(assessment),
        _readiness(assessment),
        _checks(assessment),
        _policies(assessment),
        _gates(assessment),
    ]
    return page(title, style, script, [section for section in sections if section])


def section_id(question: Question) -> str:
    """The id of a question's section (`q-use`): apart from the tables' ids (`policies`)."""
    return f"q-{question.value}"


def _header(assessment: Assessment, title: str) -> str:
    targets = [("maturity", "Maturity"), *((section_id(a.question), a.question.value) for a in assessment.answers)]
    targets += [("repositories", "Repositories"), ("checks", "Checks"), ("policies", "Policies"), ("gates", "CI gates")]
    links = "".join(f'<a href="#{key}">{text(name)}</a>' for key, name in targets)
    meta = f"ospo-scan {__version__} · {wording.meta(assessment)}"
    return f'<header><h1>{text(title)}</h1><p class="meta">{text(meta)}</p><nav>{links}</nav></header>'


def _unread(assessment: Assessment) -> str:
    """The files the scan could not read, first: every number below lacks them."""
    if not assessment.unread:
        return ""
    return f'<section id="unread"><h2>Files that could not be read</h2>{hint(wording.unread_text(assessment))}{_list(assessment.unread)}</section>'


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{text(item)}</li>" for item in items) + "</ul>" if items else ""


def _stage(stage: MaturityStage) -> str:
    """The stage as a card, then its evidence and what is missing."""
    placed = stage.stage is not None
    card = summary_card("Maturity", f"{stage.stage} of {wording.MAX_STAGE}" if placed else "not placed", stage.name, bad=not placed)
    evidence = f"<h3>Evidence</h3>{_list(stage.evidence)}" if stage.evidence else ""
    missing = f"<h3>What the repositories cannot show</h3>{_list(stage.missing)}" if stage.missing else ""
    return f'<div class="cards">{card}</div>{evidence}{missing}'


def _maturity_section(stage: MaturityStage) -> str:
    return f'<section id="maturity"><h2>Overall maturity</h2>{hint(wording.stage_text(stage))}{_stage(stage)}</section>'


def _answer(answer: Answer) -> str:
    cards = "".join(summary_card(f.label, wording.figure_value(f.value), "") for f in answer.figures)
    parts = [f'<p class="summary">{text(answer.summary)}</p>', f'<div class="cards">{cards}</div>' if cards else "", _list(answer.facts)]
    if answer.table is not None:
        rows = ("".join(td(cell) for cell in row) for row in answer.table.rows)
        parts.append(plain_table(answer.table.columns, rows) if answer.table.rows else '<p class="note">No row.</p>')
    if answer.maturity is not None:
        parts.append(_stage(answer.maturity))
    return f'<section id="{section_id(answer.question)}" class="answer"><h2>{text(answer.title)}</h2>{"".join(parts)}</section>'


def _repositories(assessment: Assessment) -> str:
    rows = (
        f"<tr>{td(p.repository, path=True)}{td(wording.license_text(p.own_license), css='' if p.own_license.expression else 'sev-high')}"
        f"{td(wording.flag(p.own_license.osi_approved))}{td(wording.flag(p.own_license.agreement, 'not both present'))}"
        f"{td(len(wording.results_with(p, CheckStatus.FOUND)))}{td(len(wording.results_with(p, CheckStatus.MISSING)))}{td(len(p.readiness))}"
        f"{td(p.own_license.problem or '')}</tr>\n"
        for p in assessment.profiles
    )
    return table("repositories", "Repositories", _REPOSITORIES, rows, len(assessment.profiles), "No repository was assessed.")


def _coverage(assessment: Assessment) -> str:
    """Per check, how many repositories it applies to have the file and how many lack it."""
    bars = [Bar(c.check.id, ((c.found, "seg-direct"), (c.missing, "seg-high"))) for c in wording.coverage(assessment)]
    chart = figure("Health files: repositories with and without each (where the check applies)", bars, (("found", "seg-direct"), ("missing", "seg-high")))
    return f'<section id="coverage"><h2>Health-file coverage</h2><div class="charts">{chart}</div></section>'


def _health(assessment: Assessment) -> str:
    results = [(p.repository, r) for p in assessment.profiles for r in p.checks]
    rows = (
        f"<tr>{td(repository, path=True)}{td(r.check.id)}{_severity(r.check.severity)}"
        f"{td(r.status.value, css=_STATUS_CSS[r.status])}{td(r.path or r.detail or '', path=True)}</tr>\n"
        for repository, r in results
    )
    return table("health", "Health checks", _HEALTH, rows, len(results), "No check result.", hint("Every check in every repository, in the checks table's order."))


def _severity(severity: CheckSeverity) -> str:
    """A severity cell, sorting worst first."""
    return td(severity.value, css=_SEVERITY_CSS[severity], sort=SEVERITIES.index(severity))


def _readiness(assessment: Assessment) -> str:
    items = [(p.repository, item) for p in assessment.profiles for item in p.readiness]
    rows = (f"<tr>{td(repository, path=True)}{_severity(item.severity)}{td(item.id)}{td(item.reason)}</tr>\n" for repository, item in items)
    ready = [p.repository for p in assessment.profiles if not p.readiness]
    intro = hint("What is missing before each repository could be published as open source, worst first.")
    if ready:
        intro += hint(f"Nothing known stands in the way of publishing: {', '.join(ready)}.")
    return table("readiness", "Publication readiness", _READINESS, rows, len(items), "No readiness item: nothing known stands in the way.", intro)


def _checks(assessment: Assessment) -> str:
    rows = (
        f"<tr>{td(c.id)}{td(c.description)}{td(c.detection, path=True)}{_severity(c.severity)}{td(c.source, path=True)}</tr>\n"
        for c in assessment.checks
    )
    return table("checks", "Checks", _CHECKS, rows, len(assessment.checks), "No check was run.")


def _policies(assessment: Assessment) -> str:
    facts = [(p.repository, f) for p in assessment.profiles for f in p.policy_files]
    rows = (
        f"<tr>{td(repository, path=True)}{td(f.path, path=True)}{td(f.tool)}{_counts(f)}"
        f"{td(wording.expiry_text(f))}{td(f.error or '', css='sev-high' if f.error else '')}</tr>\n"
        for repository, f in facts
    )
    return table("policies", "Policy files", _POLICIES, rows, len(facts), "No policy file found in any repository.")


def _counts(fact: PolicyFileFact) -> str:
    """Rules, exceptions, expired ones; `not read` (sorting first) for another tool's file."""
    rules, exceptions, expired = wording.policy_counts(fact)
    sort = None if isinstance(rules, int) else -1
    return td(rules, sort=sort) + td(exceptions, sort=sort) + td(expired, sort=sort, css="sev-high" if isinstance(expired, int) and expired else "")


def _gates(assessment: Assessment) -> str:
    gates = [(p.repository, g) for p in assessment.profiles for g in p.ci_gates]
    rows = (f"<tr>{td(repository, path=True)}{td(g.path, path=True)}{td(g.line or '')}{td(g.tool)}</tr>\n" for repository, g in gates)
    return table("gates", "CI gates", _GATES, rows, len(gates), "No CI definition runs a scanner.")
