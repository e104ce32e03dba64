"""Which of two versions of a package is the newer, in its ecosystem's own ordering.

Ordering is `univers`'s (the library the policy's version ranges already use): semver
for npm (1.10.0 > 1.9.0, 1.0.0-beta < 1.0.0), PEP 440 for PyPI (2.0.0rc1 < 2.0.0),
Maven's ComparableVersion (1.0-SNAPSHOT < 1.0) and Go's module versions (pseudo-versions
included). No version is compared by hand here. A version the ecosystem cannot read
(a branch name, a missing version) is never guessed at: the change is `changed`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from univers.versions import GolangVersion, MavenVersion, PypiVersion, SemverVersion  # type: ignore[import-untyped]

from ospo_scan.diffing.model import Direction, ReportedComponent

_VERSION_CLASSES: dict[str, Any] = {"pypi": PypiVersion, "npm": SemverVersion, "maven": MavenVersion, "golang": GolangVersion}
"""The univers class of each ecosystem (by purl type, as reports spell ecosystems)."""


def direction(ecosystem: str, old: str | None, new: str | None) -> Direction:
    """Upgraded, downgraded, or changed when the ordering cannot tell (or calls them equal)."""
    before, after = parsed(ecosystem, old), parsed(ecosystem, new)
    if before is None or after is None or before == after:
        return Direction.CHANGED
    return Direction.UPGRADED if after > before else Direction.DOWNGRADED


@functools.lru_cache(maxsize=4096)
def parsed(ecosystem: str, version: str | None) -> Any | None:
    """The univers version, or None for no version, an unknown ecosystem or a version
    its scheme rejects."""
    version_class = _VERSION_CLASSES.get(ecosystem)
    if version is None or not version.strip() or version_class is None:
        return None
    try:
        return version_class(version)
    except Exception:  # noqa: BLE001 - univers raises assorted errors (InvalidVersion, TypeError...) for versions its scheme cannot read
        return None


def newest_first(components: Iterable[ReportedComponent]) -> list[ReportedComponent]:
    """Highest version first; versions the ecosystem cannot read after all others, by text.

    A total order, so pairing does not depend on the order the report listed them in.
    """
    return sorted(components, key=functools.cmp_to_key(_compare), reverse=True)


def _compare(left: ReportedComponent, right: ReportedComponent) -> int:
    """-1, 0 or 1: readable versions above unreadable ones, ties broken by the text."""
    a, b = parsed(left.ecosystem, left.version), parsed(right.ecosystem, right.version)
    if (a is None) != (b is None):
        return -1 if a is None else 1
    if a is not None and a != b:
        return -1 if a < b else 1
    text_a, text_b = left.version or "", right.version or ""
    return (text_a > text_b) - (text_a < text_b)
