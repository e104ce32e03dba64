"""The markdown report: for pull-request comments and CI job summaries.

GitHub-flavoured markdown renders inline HTML and reads `|`, `*`, `_`, `[`, `` ` ``
and friends as markup, and every name, version, path and message here may come from
a scanned file; `_text` escapes all of them, so a package cannot add a link, an
image, a table cell or a script to the comment. The full lists stay in the JSON
report; this one shows the answers and the worst gaps.
"""

from __future__ import annotations

import html
import re
from typing import TextIO

from ospo_scan.analysis.gaps import GAP_KINDS
from ospo_scan.analysis.wording import count
from ospo_scan.reporters import sentences
from ospo_scan.reporters.report import Report

GAPS_LISTED = 20
"""Gaps listed one by one (worst first); the counts cover all of them."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_MARKUP = re.compile(r"([\\`*_\[\]|~#!])")
"""Characters that start markup anywhere in a line (`<` and `>` become entities first)."""


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the markdown report."""
    del is_terminal
    stream.write("\n".join(_lines(report)) + "\n")


def _lines(report: Report) -> list[str]:
    inventory, analysis = report.inventory, report.analysis
    lines = [f"## ospo-scan: {_text(sentences.headline(report))}", ""]
    if analysis.usage.totals.components:
        lines += [_text(sentences.kinds(report)) + ".", ""]
    lines += [f"**{_text(sentences.status(inventory))}**; {count(analysis.usage.first_party, 'first-party component')} not counted.", ""]
    if not inventory.files_scanned:
        return lines + [f"No manifest or lockfile found in {_text(', '.join(inventory.roots))}.", ""]
    lines += _policy(report) + _usage(report) + _critical(report) + _gaps(report)
    if report.show_components:
        lines += _components(report)
    elif inventory.components:
        lines += [f"{count(len(inventory.components), 'component')}: see `--details`, or `--format json` for every usage and location.", ""]
    return lines


def _components(report: Report) -> list[str]:
    lines = ["### Components", "", "| component | version | kind | lifecycles | projects | license |", "|---|---|---|---|---:|---|"]
    ordered = sorted(report.inventory.components, key=lambda c: (c.first_party, c.ecosystem.value, c.name, c.version or ""))
    for c in ordered:
        kind = "first-party" if c.first_party else ("direct" if c.direct else "transitive")
        version = c.version or f"unpinned {c.requirement or ''}".strip()
        license_ = c.license.expression if c.license and c.license.expression else "unknown"
        lifecycles = ", ".join(sorted(lc.value for lc in c.lifecycles))
        projects = len({u.project for u in c.usages})
        lines.append(f"| {_text(c.ecosystem.value + ':' + c.name)} | {_text(version)} | {kind} | {lifecycles} | {projects} | {_text(license_)} |")
    return lines + [""]


def _usage(report: Report) -> list[str]:
    usage = report.analysis.usage
    lines = ["### How much open source", "", "| | components | direct | transitive | runtime | development only | known license |", "|---|---:|---:|---:|---:|---:|---:|"]
    rows = [("**all**", usage.totals)] + [(_text(s.key), s.counts) for s in usage.by_ecosystem]
    for label, counts in rows:
        lines.append(f"| {label} | {counts.components} | {counts.direct} | {counts.transitive} | {counts.runtime} | {counts.development_only} | {counts.known_license} |")
    lines += ["", f"Licenses: {_text(sentences.licenses(usage))}."]
    for label, sentence in (("Copyleft", sentences.copyleft(report)), ("Version sprawl", sentences.sprawl(usage))):
        if sentence:
            lines.append(f"{label}: {_text(sentence)}.")
    return lines + [""]


def _critical(report: Report) -> list[str]:
    answer = report.analysis.critical
    lines = ["### Critical projects", ""]
    if not answer.ranked:
        return lines + [f"No score: {_text(answer.note or 'nothing to rank')}.", ""]
    shown = answer.ranked[: answer.settings.top]
    lines += [f"Top {len(shown)} of {count(len(answer.ranked), 'upstream project')}, by criticality score (README: Criticality).", ""]
    lines += ["| rank | project | ecosystem | score | why |", "|---:|---|---|---:|---|"]
    for entry in shown:
        packages = f" ({count(len(entry.packages), 'package')})" if len(entry.packages) > 1 else ""
        lines.append(f"| {entry.rank} | {_text(entry.name)}{packages} | {entry.ecosystem} | {entry.score:.2f} | {_text('; '.join(entry.reasons))} |")
    return lines + [""]


def _gaps(report: Report) -> list[str]:
    answer = report.analysis.gaps
    if not answer.gaps:
        return ["### Compliance gaps", "", "None found.", ""]
    lines = [f"### Compliance gaps: {len(answer.gaps)}", "", "| severity | gap | count | affects |", "|---|---|---:|---|"]
    for group in sentences.gap_groups(answer):
        lines.append(f"| {group.severity.value} | {_text(group.title)} (`{group.code}`) | {len(group.gaps)} | {_text(group.scope)} |")
    listed = answer.gaps[:GAPS_LISTED]
    lines += ["", f"<details><summary>The {len(listed)} worst gaps</summary>", "", "| severity | gap | where | what |", "|---|---|---|---|"]
    for gap in listed:
        lines.append(f"| {gap.severity.value} | `{gap.code}` | {_text(sentences.place(gap))} | {_text(gap.message)} |")
    lines += ["", "</details>", "", "What each gap means and what to do: " + "; ".join(f"`{code}`: {_text(GAP_KINDS[code].help)}" for code, _ in answer.by_code), ""]
    return lines


def _policy(report: Report) -> list[str]:
    outcome = report.policy
    if outcome is None:
        return []
    lines = [f"### Policy {'failed' if outcome.failed else 'passed'}", "", f"{_text(sentences.policy_verdict(outcome))}. Policy: {_text(sentences.policy_files(outcome))}.", ""]
    if outcome.violations:
        shown = outcome.violations[: sentences.VIOLATIONS_LISTED]
        lines += ["| severity | rule | where | lifecycle | violation |", "|---|---|---|---|---|"]
        for v in shown:
            lifecycle = v.lifecycle.value if v.lifecycle else ""
            lines.append(f"| {v.severity.value} | `{_text(v.rule)}` | {_text(sentences.violation_place(v))} | {lifecycle} | {_text(v.message)} |")
        if len(shown) < len(outcome.violations):
            lines.append(f"\nand {len(outcome.violations) - len(shown)} more (`--format json` has them all)")
        snippet = next((v.exception_snippet() for v in outcome.violations if v.exception_snippet()), "")
        if snippet:
            lines += ["", "<details><summary>To accept one, add an exception to the policy</summary>", "", _fenced(snippet, "toml"), "", "</details>"]
        lines.append("")
    for stale in outcome.stale_exceptions:
        lines += [f"Exception no longer applies: {_text(sentences.stale_exception(stale))}", ""]
    return lines


def _fenced(text: str, language: str) -> str:
    """A code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _text(value: str) -> str:
    """Plain text, whatever it contains: no markup, no HTML, no line breaks, no controls,
    and no @-mention: `@babel/core` must not notify a team called babel/core, so a
    zero-width space follows each `@` (what dependency bots do in their comments)."""
    flat = _CONTROL.sub(" ", value.replace("\r", " ").replace("\n", " "))
    escaped = _MARKUP.sub(r"\\\1", html.escape(flat, quote=False))
    return escaped.replace("@", "@&#8203;")


markdown_text = _text
"""The escaping every markdown ospo-scan writes uses (the diff's pull-request comment too)."""
