"""Compare two JSON report documents: a pure function, for `diff` and for snapshots.

Identity is the package: the purl without its version, per ecosystem (the purl type is
part of it). A purl on both sides is unchanged in version (its license may still have
changed); the versions only one side has are paired (pairing.py) into upgrades,
downgrades and changes the ordering cannot tell (versions.py); the rest are added or
removed. Violations match by fingerprint (rule, package, project, file; not the line,
so a declaration that moves is not new), and only when both reports carry a `policy`
section: a report made without a policy says nothing about violations, and comparing it
would call every violation new (or fixed). Gaps match the same way, by code, package,
project and file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from ospo_scan.diffing.document import ReportFacts, read_report
from ospo_scan.diffing.model import ComponentChange, Direction, ReportDiff, ReportedComponent, ReportedGap, ReportedViolation
from ospo_scan.diffing.pairing import pair_versions
from ospo_scan.diffing.versions import direction

T = TypeVar("T")


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> ReportDiff:
    """What changed from the `old` report document to the `new` one (DocumentError when
    either is not a report this version can read)."""
    return compare_facts(read_report(old), read_report(new))


def compare_facts(old: ReportFacts, new: ReportFacts) -> ReportDiff:
    """The comparison of two reports already read."""
    changes, added, removed = _component_changes(old.components, new.components)
    moved = [c for c in changes if c.direction is not None]
    new_violations, fixed_violations = _violation_changes(old.violations, new.violations)
    return ReportDiff(
        old=old.side,
        new=new.side,
        added=_by_package(added),
        removed=_by_package(removed),
        upgraded=_changes(moved, Direction.UPGRADED),
        downgraded=_changes(moved, Direction.DOWNGRADED),
        version_changed=_changes(moved, Direction.CHANGED),
        license_changed=tuple(sorted((c for c in changes if c.license_changed), key=_change_key)),
        violations_compared=old.violations is not None and new.violations is not None,
        new_violations=new_violations,
        fixed_violations=fixed_violations,
        new_gaps=_appeared(old.gaps, new.gaps, _gap_identity, _gap_key),
        fixed_gaps=_appeared(new.gaps, old.gaps, _gap_identity, _gap_key),
    )


def _component_changes(
    old: Iterable[ReportedComponent], new: Iterable[ReportedComponent]
) -> tuple[list[ComponentChange], list[ReportedComponent], list[ReportedComponent]]:
    """(changes of packages on both sides, added, removed)."""
    before, after = {c.purl: c for c in old}, {c.purl: c for c in new}
    changes = [ComponentChange(old=before[purl], new=after[purl]) for purl in before.keys() & after.keys()]
    old_only, new_only = _packages(c for p, c in before.items() if p not in after), _packages(c for p, c in after.items() if p not in before)
    added: list[ReportedComponent] = []
    removed: list[ReportedComponent] = []
    for package in sorted(old_only.keys() | new_only.keys()):
        pairing = pair_versions(old_only.get(package, []), new_only.get(package, []))
        changes += [ComponentChange(old=o, new=n, direction=direction(n.ecosystem, o.version, n.version)) for o, n in pairing.pairs]
        added += pairing.added
        removed += pairing.removed
    return changes, added, removed


def _packages(components: Iterable[ReportedComponent]) -> dict[str, list[ReportedComponent]]:
    grouped: dict[str, list[ReportedComponent]] = defaultdict(list)
    for component in components:
        grouped[component.package].append(component)
    return grouped


def _violation_changes(
    old: tuple[ReportedViolation, ...] | None, new: tuple[ReportedViolation, ...] | None
) -> tuple[tuple[ReportedViolation, ...], tuple[ReportedViolation, ...]]:
    """(new, fixed) by fingerprint; none at all unless both reports were judged."""
    if old is None or new is None:
        return (), ()
    return _appeared(old, new, _fingerprint, _violation_key), _appeared(new, old, _fingerprint, _violation_key)


def _appeared(before: Iterable[T], after: Iterable[T], key: Callable[[T], Hashable], order: Callable[[T], Any]) -> tuple[T, ...]:
    """The items of `after` whose key `before` has not, one per key, in `order`: two
    versions of one package in one file share a key, and are one finding to fix."""
    known = {key(item) for item in before}
    found: dict[Hashable, T] = {}
    for item in sorted(after, key=order):
        if key(item) not in known:
            found.setdefault(key(item), item)
    return tuple(found.values())


def _fingerprint(violation: ReportedViolation) -> str:
    return violation.fingerprint


def _gap_identity(gap: ReportedGap) -> tuple[str, str, str, str]:
    return gap.key


def _changes(changes: Iterable[ComponentChange], wanted: Direction) -> tuple[ComponentChange, ...]:
    return tuple(sorted((c for c in changes if c.direction is wanted), key=_change_key))


def _by_package(components: Iterable[ReportedComponent]) -> tuple[ReportedComponent, ...]:
    return tuple(sorted(components, key=lambda c: (c.ecosystem, c.package, c.purl)))


def _change_key(change: ComponentChange) -> tuple[str, str, str, str]:
    return change.new.ecosystem, change.new.package, change.old.purl, change.new.purl


_SEVERITY_ORDER = {"error": 0, "warning": 1, "review": 2, "high": 0, "medium": 1, "low": 2}
"""Worst first (policy severities, then gap severities); anything else after them."""


def _violation_key(violation: ReportedViolation) -> tuple[int, str, str, str, str, int, str]:
    return (_SEVERITY_ORDER.get(violation.severity, 3), violation.rule, violation.component or "", violation.project or "",
            violation.path or "", violation.line or 0, violation.fingerprint)


def _gap_key(gap: ReportedGap) -> tuple[int, str, str, str, str, int, str]:
    return (_SEVERITY_ORDER.get(gap.severity, 3), gap.code, gap.component or "", gap.project or "", gap.path or "", gap.line or 0, gap.message)
