"""The HTML report: one self-contained file that a person opens in a browser.

Everything is inline (CSS, script, charts as SVG) and nothing is fetched, so the file
can be attached to a CI run, mailed or opened offline. Its Content-Security-Policy
allows the page's own style and script (by their sha256) and no load of any kind:
should a scanned value ever slip past escaping, it still could not run or call out.

The tables are plain HTML, so the report reads with JavaScript off; the script only
sorts and filters rows, reading cells as text, so no data is embedded for it. Every
value from scanned files is escaped by html/markup.py. Same input, same bytes: no
timestamp, every list sorted.

The analysis comes from `analysis_document`, the plain data of the JSON report's
`analysis` key, so a number means the same in both. Components are read from the
model: the JSON document would also serialize every usage and relationship, only to
be thrown away here (a third of a second on an 18,000-component inventory).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from ospo_scan import __version__
from ospo_scan.analysis.wording import count, listing
from ospo_scan.licenses.categories import Category
from ospo_scan.model import Component, Inventory, Lifecycle
from ospo_scan.reporters.analysis_document import analysis_document
from ospo_scan.reporters.html.charts import Bar, figure
from ospo_scan.reporters.html.markup import Column, asset, hint, page, plain_table, table, table_rules, td, text
from ospo_scan.reporters.report import Report
from ospo_scan.reporters import sentences
from ospo_scan.policy import PolicyOutcome

SEVERITIES = ("high", "medium", "low")
"""Gap severities, worst first: the order the severity column sorts in."""

PROJECTS_NAMED = 5
"""How many project ids a component's tooltip names before "and N more" (the corpus
has components used by hundreds of projects)."""


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the report as one HTML document."""
    del is_terminal  # a file for a browser, the same wherever it goes
    stream.write(document(report))


def document(report: Report) -> str:
    """The whole page as one string."""
    inventory, analysis = report.inventory, analysis_document(report.analysis)
    style, script = asset("report.css") + table_rules(_TABLES), asset("report.js")
    title = f"ospo-scan report: {', '.join(inventory.roots) or 'nothing scanned'}"
    sections = [
        _header(inventory, title, report.policy is not None),
        _summary(inventory, analysis),
        _charts(analysis),
        *([_policy(report.policy, _labels(inventory.components))] if report.policy is not None else []),
        _critical(analysis["critical"]),
        _gaps(analysis["gaps"], _labels(inventory.components)),
        _components(inventory.components),
        _projects(analysis["usage"]["by_project"]),
    ]
    return page(title, style, script, sections)


_SECTIONS = {"summary": "Summary", "charts": "Charts", "policy": "Policy", "critical": "Critical projects", "gaps": "Compliance gaps", "components": "Components", "projects": "Projects"}


def _header(inventory: Inventory, title: str, has_policy: bool) -> str:
    links = "".join(f'<a href="#{key}">{name}</a>' for key, name in _SECTIONS.items() if has_policy or key != "policy")
    status = "complete" if inventory.complete else "incomplete"
    meta = f"ospo-scan {__version__} · {count(inventory.files_scanned, 'file')} scanned · scan {status}"
    return f'<header><h1>{text(title)}</h1><p class="meta">{text(meta)}</p><nav>{links}</nav></header>'


def _summary(inventory: Inventory, analysis: dict[str, Any]) -> str:
    usage, totals = analysis["usage"], analysis["usage"]["totals"]
    severities = Counter(item["severity"] for item in analysis["gaps"]["items"])
    share = totals["known_license_share"]
    cards = [
        _card("Components", totals["components"], f"third-party; {usage['first_party']} first-party not counted"),
        _card("Direct / transitive", f"{totals['direct']} / {totals['transitive']}", "declared by a manifest / pulled in"),
        _card("Runtime / dev only", f"{totals['runtime']} / {totals['development_only']}", "executed in production / build, test, tooling"),
        _card("Known license", "n/a" if share is None else f"{share * 100:.1f}%", f"{totals['known_license']} of {count(totals['components'], 'component')}"),
        _card("Projects", usage["projects"], f"in {count(usage['repositories'], 'repository')}"),
        _card("Gaps", sum(severities.values()), " · ".join(f"{severities[s]} {s}" for s in SEVERITIES), bad=severities["high"] > 0),
        _card("Scan", "complete" if inventory.complete else "incomplete", count(len(inventory.issues), "file issue"), bad=not inventory.complete),
    ]
    return f'<section id="summary"><h2>Summary</h2><div class="cards">{"".join(cards)}</div></section>'


def _card(title: str, value: object, detail: str, bad: bool = False) -> str:
    css = "card bad" if bad else "card"
    return f'<div class="{css}"><h3>{text(title)}</h3><p class="big">{text(value)}</p><p class="note">{text(detail)}</p></div>'


def _charts(analysis: dict[str, Any]) -> str:
    usage, gaps = analysis["usage"], analysis["gaps"]
    ecosystems = [Bar(s["ecosystem"], ((s["direct"], "seg-direct"), (s["transitive"], "seg-transitive"))) for s in usage["by_ecosystem"]]
    categories = [Bar(name, ((value, f"seg-{name}"),)) for name, value in _least_restrictive_first(usage["by_license_category"])]
    lifecycles = [Bar(name, ((value, "seg-bar"),)) for name, value in usage["by_lifecycle"].items()]
    kinds = [Bar(code, ((value, f"seg-{gaps['kinds'][code]['severity']}"),)) for code, value in gaps["counts"].items()]
    figures = [
        figure("Components per ecosystem", ecosystems, [("direct", "seg-direct"), ("transitive", "seg-transitive")]),
        figure("License categories", categories),
        figure("Components by strongest lifecycle", lifecycles),
        figure("Gaps by kind", kinds, [(s, f"seg-{s}") for s in SEVERITIES]),
    ]
    return f'<section id="charts"><h2>Charts</h2><div class="charts">{"".join(figures)}</div></section>'


def _least_restrictive_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Categories in categories.py's order (public domain ... proprietary, then unknown)."""
    rank = {category.value: position for position, category in enumerate(Category)}
    return sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


_CRITICAL = (Column("rank", "num"), Column("project", "path"), Column("ecosystem", "nw"), Column("score", "num"), Column("reasons", "wrap"), Column("packages", "wrap"))
_GAPS = (Column("severity", "nw"), Column("code", "nw"), Column("component", "path"), Column("project", "path"), Column("location", "path"), Column("message", "wrap"))
_COMPONENTS = (
    Column("name", "path"),
    Column("version"),
    Column("ecosystem", "nw"),
    Column("direct", "nw"),
    Column("lifecycles"),
    Column("license"),
    Column("category", "nw"),
    Column("projects", "num"),
)
_PROJECT_COUNTS = ("components", "direct", "transitive", "runtime", "development_only")
_PROJECTS = (Column("project", "path"), *(Column(key.replace("development_only", "dev only"), "num") for key in _PROJECT_COUNTS), Column("known license %", "num"))
_POLICY = (Column("severity", "nw"), Column("rule", "nw"), Column("component", "path"), Column("project", "path"), Column("location", "path"), Column("lifecycle", "nw"), Column("message", "wrap"))
_POLICY_SEVERITY = {"error": "high", "warning": "medium", "review": "low"}
_TABLES: dict[str, Sequence[Column]] = {"policy": _POLICY, "critical": _CRITICAL, "gaps": _GAPS, "components": _COMPONENTS, "projects": _PROJECTS}

_CRITICAL_HINT = (
    "Score from 0 to 1: Pike's criticality formula over signals measured in this scan "
    "(runtime reach, direct uses, how many of our packages depend on it, versions in use)."
)


def _policy(outcome: PolicyOutcome, labels: dict[str, str]) -> str:
    """The verdict, the policy files with their sha256, and every violation."""
    verdict = f'<p class="{"sev-high" if outcome.failed else "meta"}">Policy {text(sentences.policy_verdict(outcome))}</p>'
    files = hint("Policy files: " + sentences.policy_files(outcome) + ".")
    stale = "".join(f"<p>{text('Exception no longer applies: ' + sentences.stale_exception(s))}</p>" for s in outcome.stale_exceptions)
    rows = (
        f"<tr>{td(v.severity.value, css=f'sev-{_POLICY_SEVERITY[v.severity.value]}')}{td(v.rule)}{td(labels.get(v.component or '', v.component or ''), path=True)}"
        f"{td(v.project or '', path=True)}{td(sentences.violation_place(v), path=True)}{td(v.lifecycle.value if v.lifecycle else '')}{td(v.message)}</tr>\n"
        for v in outcome.violations
    )
    return table("policy", "Policy violations", _POLICY, rows, len(outcome.violations), "No policy rule is broken.", verdict + files + stale)


def _critical(critical: dict[str, Any]) -> str:
    ranked = critical["ranked"]
    rows = (
        f"<tr>{td(e['rank'])}{td(e['name'], path=True)}{td(e['ecosystem'])}{td(format(e['score'], '.4f'))}{td('; '.join(e['reasons']))}{td(', '.join(e['packages']))}</tr>\n"
        for e in ranked
    )
    return table("critical", "Critical projects", _CRITICAL, rows, len(ranked), critical["note"] or "No upstream project to rank.", hint(_CRITICAL_HINT))


def _gaps(gaps: dict[str, Any], labels: dict[str, str]) -> str:
    items, kinds = gaps["items"], gaps["kinds"]
    rows = (_gap_row(gap, labels) for gap in items)
    legend = plain_table(
        ("severity", "code", "gaps", "what it means", "what to do"),
        (
            f'{_severity(kinds[code]["severity"])}{td(code)}{td(number)}{td(kinds[code]["description"])}{td(kinds[code]["help"])}'
            for code, number in gaps["counts"].items()
        ),
    )
    intro = f"{legend}<h3>Every gap</h3>" if gaps["counts"] else ""
    return table("gaps", "Compliance gaps", _GAPS, rows, len(items), "No compliance gap found.", intro)


def _gap_row(gap: dict[str, Any], labels: dict[str, str]) -> str:
    component = gap["component"] or ""
    return (
        f"<tr>{_severity(gap['severity'])}{td(gap['code'])}{td(labels.get(component, component), path=True)}"
        f"{td(gap['project'] or '', path=True)}{td(_where(gap['location']), path=True)}{td(gap['message'])}</tr>\n"
    )


def _severity(severity: str) -> str:
    """A severity cell: coloured, and sorting worst first rather than by name."""
    return td(severity, css=f"sev-{severity}", sort=SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES))


def _where(location: dict[str, Any] | None) -> str:
    if location is None:
        return ""
    return location["path"] if location["line"] is None else f"{location['path']}:{location['line']}"


def _labels(components: Iterable[Component]) -> dict[str, str]:
    """purl -> 'ecosystem:name version', which people read more easily than a purl."""
    return {c.purl: f"{c.ecosystem.value}:{c.name} {c.version or c.requirement or 'unpinned'}" for c in components}


def _components(components: Sequence[Component]) -> str:
    ordered = sorted(components, key=lambda c: (c.first_party, c.ecosystem.value, c.name, c.version or "", c.purl))
    intro = hint("First-party components (our own packages) come last and are not counted as open source. Hover a cell for its purl, why a license is unknown, or which projects.")
    return table("components", "Components", _COMPONENTS, map(_component_row, ordered), len(ordered), "No component found.", intro)


def _component_row(component: Component) -> str:
    info = component.license
    category = info.category if info is not None else "unknown"
    expression = info.expression if info is not None and info.expression else "unknown"
    why = (info.reason if info is not None else None) or "no license information was found"
    projects = sorted({usage.project for usage in component.usages})
    lifecycles = ", ".join(lifecycle.value for lifecycle in Lifecycle if lifecycle in component.lifecycles)
    if component.version is not None:
        version = td(component.version)
    else:
        version = td(component.requirement or "unpinned", css="unpinned", title="not pinned: no lockfile or exact version fixes it")
    return (
        f"<tr>{td(component.name, title=component.purl, path=True)}{version}{td(component.ecosystem.value)}"
        f"{td('first-party' if component.first_party else ('direct' if component.direct else 'transitive'))}{td(lifecycles)}"
        f"{td(expression, title=why if category == 'unknown' else None)}{td(category)}"
        f"{td(len(projects), title=listing(projects, limit=PROJECTS_NAMED) or None)}</tr>\n"
    )


def _projects(by_project: list[dict[str, Any]]) -> str:
    rows = (
        f"<tr>{td(p['project'], path=True)}{''.join(td(p[key]) for key in _PROJECT_COUNTS)}"
        f"{td('' if p['known_license_share'] is None else format(p['known_license_share'] * 100, '.1f'))}</tr>\n"
        for p in by_project
    )
    return table("projects", "Projects", _PROJECTS, rows, len(by_project), "No project found.", hint("Third-party components per project."))
