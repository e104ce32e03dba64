"""What stands between one repository and its publication as open source, each with why.

Three sources, one list:
- its own license (own_license.py): none, a text not recognized, manifests and file that
  disagree, a license the OSI has not approved. All REQUIRED: without a clear open
  source license, publishing the code gives nobody the right to use it. A manifest
  value that is no recognized license is RECOMMENDED: the file may still say it clearly.
- the health checks: every missing REQUIRED or RECOMMENDED check, at its own severity
  (OPTIONAL ones are reported by the checks table, never here);
- what it ships (runtime dependencies of its own projects): licenses that cannot be
  combined with its license (the gaps' `incompatible-license`, and the compatibility
  table against the license found here, which may be the LICENSE file's when a manifest
  says nothing), and proprietary or source-available terms, are REQUIRED: the published
  program could not be used under its own license. Unknown licenses are RECOMMENDED: they
  may be fine, but nobody has looked. Each kind is one item naming up to five packages.

Items come required first, then by id, so two runs list them in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ospo_scan.analysis import Analysis
from ospo_scan.analysis.compatibility import incompatibility
from ospo_scan.analysis.wording import count
from ospo_scan.assessment.checks import LICENSE_CHECK_ID
from ospo_scan.assessment.model import CheckResult, CheckSeverity, CheckStatus, OwnLicense, ReadinessItem
from ospo_scan.assessment.own_license import license_problems, not_osi_approved
from ospo_scan.licenses.categories import Category, categorize
from ospo_scan.model import Component, Inventory, Lifecycle

NAMED = 5
"""Packages named in one dependency item; the rest are counted."""

_SEVERITY_ORDER = {CheckSeverity.REQUIRED: 0, CheckSeverity.RECOMMENDED: 1, CheckSeverity.OPTIONAL: 2}
_RECOMMENDED_LICENSE_PROBLEMS = frozenset({"license-not-spdx"})
_RESTRICTED = frozenset({Category.SOURCE_AVAILABLE.value, Category.PROPRIETARY.value})


def readiness_items(own_license: OwnLicense, results: Sequence[CheckResult], analysis: Analysis, inventory: Inventory, repository_id: str) -> tuple[ReadinessItem, ...]:
    """Everything known to be missing before the repository could be published."""
    items = [
        *_license_items(own_license, results),
        *_check_items(results),
        *_dependency_items(own_license, analysis, inventory, repository_id),
    ]
    return tuple(sorted(items, key=lambda item: (_SEVERITY_ORDER[item.severity], item.id)))


def _license_items(own: OwnLicense, results: Sequence[CheckResult]) -> Iterator[ReadinessItem]:
    file_check_missing = any(r.check.id == LICENSE_CHECK_ID and r.status is CheckStatus.MISSING for r in results)
    for kind, sentence in license_problems(own):
        if kind == "license-file-missing" and file_check_missing:
            continue  # the license-file check says it, with where it looked
        severity = CheckSeverity.RECOMMENDED if kind in _RECOMMENDED_LICENSE_PROBLEMS else CheckSeverity.REQUIRED
        yield ReadinessItem(id=kind, reason=sentence, severity=severity)
    if own.osi_approved is False and own.expression:
        listed = ", ".join(not_osi_approved(own.expression))
        reason = f"the license {own.expression} is not OSI-approved ({listed}): it is not open source by the OSI's definition"
        yield ReadinessItem(id="license-not-osi-approved", reason=reason, severity=CheckSeverity.REQUIRED)


def _check_items(results: Sequence[CheckResult]) -> Iterator[ReadinessItem]:
    for result in results:
        check = result.check
        if result.status is not CheckStatus.MISSING or check.severity is CheckSeverity.OPTIONAL:
            continue
        reason = f"missing: {check.description} (looked for {check.detection})"
        if result.detail:
            reason += f"; {result.detail}"
        yield ReadinessItem(id=check.id, reason=reason, severity=check.severity)


def _dependency_items(own: OwnLicense, analysis: Analysis, inventory: Inventory, repository_id: str) -> Iterator[ReadinessItem]:
    projects = {p.id for p in inventory.projects if p.repository == repository_id}
    shipped = [c for c in inventory.components if not c.first_party and _ships(c, projects)]
    restricted = {c.purl: f"{_label(c)} ({_license(c)})" for c in shipped if _category(c) in _RESTRICTED}
    conflicts = _conflicts(own, analysis, shipped, projects)
    conflicts = {purl: text for purl, text in conflicts.items() if purl not in restricted}
    unknown = {c.purl: _label(c) for c in shipped if _category(c) == Category.UNKNOWN.value}
    if restricted:
        yield _grouped("restricted-dependencies", "under proprietary or source-available terms, which the published program could not be used without", restricted, CheckSeverity.REQUIRED)
    if conflicts:
        yield _grouped("incompatible-dependencies", "whose license cannot be combined with the repository's", conflicts, CheckSeverity.REQUIRED)
    if unknown:
        yield _grouped("unknown-dependency-licenses", "whose license is unknown: nobody can tell whether they may ship with it", unknown, CheckSeverity.RECOMMENDED)


def _conflicts(own: OwnLicense, analysis: Analysis, shipped: Sequence[Component], projects: set[str]) -> dict[str, str]:
    """purl -> why, from the gaps of the repository's projects and from the repository's
    own license (which the projects' may not know: a LICENSE file without a manifest field)."""
    labels = {c.purl: _label(c) for c in shipped}
    found: dict[str, str] = {}
    for gap in analysis.gaps.gaps:
        if gap.code == "incompatible-license" and gap.project in projects and gap.component is not None:
            found.setdefault(gap.component, gap.message)
    if own.expression:
        own_category = categorize(own.expression).category.value
        for component in shipped:
            why = incompatibility(own.expression, component.license.expression if component.license else None, own_category)
            if why is not None:
                found.setdefault(component.purl, f"{labels[component.purl]} is licensed {why}")
    return found


def _grouped(item_id: str, what: str, named: dict[str, str], severity: CheckSeverity) -> ReadinessItem:
    texts = sorted(named.values())
    shown = "; ".join(texts[:NAMED])
    more = f"; and {len(texts) - NAMED} more" if len(texts) > NAMED else ""
    reason = f"{count(len(texts), 'runtime dependency')} {what}: {shown}{more}"
    return ReadinessItem(id=item_id, reason=reason, severity=severity)


def _ships(component: Component, projects: set[str]) -> bool:
    """Whether a project of the repository uses it at runtime proper (what it ships)."""
    return any(u.project in projects and u.lifecycle is Lifecycle.RUNTIME for u in component.usages)


def _category(component: Component) -> str:
    return component.license.category if component.license else Category.UNKNOWN.value


def _license(component: Component) -> str:
    info = component.license
    return (info.expression or info.category) if info else "no license found"


def _label(component: Component) -> str:
    return f"{component.name} {component.version}" if component.version else component.name
