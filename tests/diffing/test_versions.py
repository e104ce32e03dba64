"""Version order per ecosystem (univers), and "changed" where the order cannot tell."""

from __future__ import annotations

import pytest

from ospo_scan.diffing import Direction
from ospo_scan.diffing.model import ReportedComponent
from ospo_scan.diffing.versions import direction, newest_first

UP, DOWN, CHANGED = Direction.UPGRADED, Direction.DOWNGRADED, Direction.CHANGED

ORDERS = [
    # (ecosystem, old, new, direction, why)
    ("npm", "1.9.0", "1.10.0", UP, "semver compares numbers, not text"),
    ("npm", "1.10.0", "1.9.0", DOWN, "the same pair the other way"),
    ("npm", "1.0.0-beta.2", "1.0.0", UP, "a semver pre-release comes before the release"),
    ("npm", "1.0.0-alpha.10", "1.0.0-alpha.9", DOWN, "numeric pre-release identifiers compare as numbers"),
    ("npm", "latest", "1.0.0", CHANGED, "a tag is no version"),
    ("pypi", "2.0.0rc1", "2.0.0", UP, "a PEP 440 release candidate comes before the release"),
    ("pypi", "2.0.0", "2.0.0.post1", UP, "a post-release comes after"),
    ("pypi", "1.0.dev0", "1.0a1", UP, "dev before alpha"),
    ("pypi", "2.0.0", "1.9", DOWN, "PEP 440 pads releases"),
    ("pypi", "1.0", "1.0.0", CHANGED, "two spellings of one version: the order calls them equal"),
    ("pypi", "not a version", "1.0", CHANGED, "PEP 440 cannot read it"),
    ("maven", "1.0-SNAPSHOT", "1.0", UP, "a snapshot comes before its release"),
    ("maven", "1.0-alpha-1", "1.0-beta-1", UP, "Maven qualifiers: alpha < beta"),
    ("maven", "1.0-rc1", "1.0", UP, "Maven: a release candidate comes before the release"),
    ("maven", "1.10", "1.9", DOWN, "numbers, not text"),
    ("golang", "v1.9.0", "v1.10.0", UP, "Go module versions are semver"),
    ("golang", "v0.0.0-20230101000000-abcdefabcdef", "v0.1.0", UP, "a pseudo-version of v0.0.0 comes before v0.1.0"),
    ("golang", "v2.0.0+incompatible", "v1.9.0", DOWN, "+incompatible is build metadata"),
    ("golang", "master", "v1.0.0", CHANGED, "a branch name is no version"),
    ("npm", None, "1.0.0", CHANGED, "unpinned, then pinned: no order"),
    ("npm", "1.0.0", None, CHANGED, "pinned, then unpinned"),
    ("cargo", "1.0.0", "2.0.0", CHANGED, "an ecosystem ospo-scan does not order"),
]


@pytest.mark.parametrize(("ecosystem", "old", "new", "expected", "why"), ORDERS, ids=[f"{e}-{o}-{n}" for e, o, n, _, _ in ORDERS])
def test_direction(ecosystem: str, old: str | None, new: str | None, expected: Direction, why: str) -> None:
    assert direction(ecosystem, old, new) is expected, why


def _component(version: str | None) -> ReportedComponent:
    return ReportedComponent(purl=f"pkg:npm/a@{version}", package="pkg:npm/a", ecosystem="npm", name="a", version=version, license=None, category="unknown")


def test_newest_first_is_a_total_order_whatever_the_input_order() -> None:
    versions = ["1.10.0", "1.9.0", "2.0.0-rc.1", "2.0.0", "main", None, "1.0.0"]
    expected = ["2.0.0", "2.0.0-rc.1", "1.10.0", "1.9.0", "1.0.0"]
    for shift in range(len(versions)):
        rotated = versions[shift:] + versions[:shift]
        ordered = [c.version for c in newest_first(_component(v) for v in rotated)]
        assert ordered[: len(expected)] == expected, "readable versions first, newest first"
        assert set(ordered[len(expected):]) == {"main", None}
        assert ordered == [c.version for c in newest_first(_component(v) for v in versions)]
