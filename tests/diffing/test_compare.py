"""The comparison of two real scans: fixtures/before and fixtures/after.

Expectations come from fixture_trees.SIDES (what each tree declares), never from
counts written here: the added and removed packages are the names one side lacks,
the version changes those whose version differs, the license changes those whose
license differs at the same version.
"""

from __future__ import annotations

from typing import Any

import pytest

from ospo_scan.diffing import Direction, ReportDiff, compare
from tests.diffing.builders import POLICY, scanned
from tests.diffing.fixture_trees import SIDES

DIRECTIONS = {
    "lodash": Direction.UPGRADED,  # 4.9.0 -> 4.10.0: semver, not text order
    "chalk": Direction.DOWNGRADED,  # 5.0.0 -> 4.1.2
    "flask": Direction.UPGRADED,  # 2.0.0rc1 -> 2.0.0: PEP 440 pre-release
    "org.example.libs:demo-lib": Direction.UPGRADED,  # 1.0-SNAPSHOT -> 1.0: Maven
}
"""How each package whose version the fixtures change moves (the point of these tests)."""


def _versions(side: str) -> dict[tuple[str, str], str]:
    """(ecosystem, name) -> version, as the fixture tree declares them."""
    tree = SIDES[side]
    found = {("npm", name): version for name, (version, _) in tree["npm"].items()}
    found.update({("pypi", line.split("==")[0]): line.split("==")[1] for line in tree["pypi"]})
    found[("maven", "org.example.libs:demo-lib")] = tree["maven"]
    return found


def _npm_licenses(side: str) -> dict[str, str]:
    return {name: license_ for name, (_, license_) in SIDES[side]["npm"].items()}


@pytest.fixture
def diff() -> ReportDiff:
    return compare(scanned("before"), scanned("after"))


@pytest.fixture
def judged() -> tuple[dict[str, Any], dict[str, Any], ReportDiff]:
    old, new = scanned("before", policy=POLICY), scanned("after", policy=POLICY)
    return old, new, compare(old, new)


def test_added_and_removed_are_the_packages_one_side_lacks(diff: ReportDiff) -> None:
    before, after = _versions("before"), _versions("after")
    assert {(c.ecosystem, c.name) for c in diff.added} == after.keys() - before.keys()
    assert {(c.ecosystem, c.name) for c in diff.removed} == before.keys() - after.keys()
    assert all(c.version == after[(c.ecosystem, c.name)] for c in diff.added)


def test_each_version_change_moves_in_its_ecosystems_order(diff: ReportDiff) -> None:
    before, after = _versions("before"), _versions("after")
    changed = {key for key in before.keys() & after.keys() if before[key] != after[key]}
    found = {(c.new.ecosystem, c.new.name): (c.direction, c.old.version, c.new.version) for c in (*diff.upgraded, *diff.downgraded, *diff.version_changed)}
    assert found.keys() == changed
    assert {name: direction for (_, name), (direction, _, _) in found.items()} == DIRECTIONS
    assert all((old, new) == (before[key], after[key]) for key, (_, old, new) in found.items())


def test_a_license_change_at_the_same_version_is_found(diff: ReportDiff) -> None:
    before, after = _npm_licenses("before"), _npm_licenses("after")
    versions_before, versions_after = _versions("before"), _versions("after")
    expected = {name for name in before.keys() & after.keys() if before[name] != after[name]}
    assert expected, "the fixtures change a license"
    assert {c.new.name for c in diff.license_changed} == expected
    for change in diff.license_changed:
        assert (change.old.license, change.new.license) == (before[change.new.name], after[change.new.name])
        assert change.old.version == versions_before[("npm", change.new.name)] == versions_after[("npm", change.new.name)]
        assert change.old.category != change.new.category


def test_unchanged_packages_are_nowhere(diff: ReportDiff) -> None:
    before, after = _versions("before"), _versions("after")
    licenses_before, licenses_after = _npm_licenses("before"), _npm_licenses("after")
    same = {name for (eco, name) in before.keys() & after.keys() if before[(eco, name)] == after[(eco, name)] and licenses_before.get(name) == licenses_after.get(name)}
    mentioned = {c.name for c in (*diff.added, *diff.removed)} | {c.new.name for c in (*diff.upgraded, *diff.downgraded, *diff.version_changed, *diff.license_changed)}
    assert same and not same & mentioned


def test_without_policy_sections_no_violation_is_new_or_fixed(diff: ReportDiff) -> None:
    assert not diff.violations_compared
    assert diff.new_violations == () and diff.fixed_violations == ()


@pytest.mark.parametrize("judged_side", ["old", "new"])
def test_one_side_without_policy_compares_no_violations(judged_side: str) -> None:
    old = scanned("before", policy=POLICY if judged_side == "old" else None)
    new = scanned("after", policy=POLICY if judged_side == "new" else None)
    diff = compare(old, new)
    assert not diff.violations_compared and not diff.new_violations and not diff.fixed_violations
    assert (diff.old.has_policy, diff.new.has_policy) == (judged_side == "old", judged_side == "new")


def _rule_and_package(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(v["rule"], v["package"]) for v in document["policy"]["violations"]}


def test_new_and_fixed_violations_are_those_one_side_lacks(judged: tuple[dict[str, Any], dict[str, Any], ReportDiff]) -> None:
    old, new, diff = judged
    assert diff.violations_compared
    assert {(v.rule, v.package) for v in diff.new_violations} == _rule_and_package(new) - _rule_and_package(old)
    assert {(v.rule, v.package) for v in diff.fixed_violations} == _rule_and_package(old) - _rule_and_package(new)
    assert "pkg:npm/colors" in {v.package for v in diff.new_violations}, "the license change brings a new violation"
    assert "pkg:npm/left-pad" in {v.package for v in diff.fixed_violations}, "the removed package takes its violation away"
    assert {v.severity for v in diff.new_error_violations} == {"error"}
    assert len(diff.new_error_violations) < len(diff.new_violations), "new warnings are new, but do not fail the gate"


def test_a_violation_whose_line_moved_is_not_new(judged: tuple[dict[str, Any], dict[str, Any], ReportDiff]) -> None:
    old, new, diff = judged
    [before] = [v for v in old["policy"]["violations"] if v["package"] == "pkg:npm/copyleft-kept"]
    [after] = [v for v in new["policy"]["violations"] if v["package"] == "pkg:npm/copyleft-kept"]
    assert before["location"]["line"] != after["location"]["line"], "the fixture moves the declaration"
    assert before["location"]["path"] == after["location"]["path"]
    assert "pkg:npm/copyleft-kept" not in {v.package for v in (*diff.new_violations, *diff.fixed_violations)}


def test_a_violation_of_an_upgraded_package_is_not_new(judged: tuple[dict[str, Any], dict[str, Any], ReportDiff]) -> None:
    _, _, diff = judged
    upgraded = {c.new.package for c in diff.upgraded}
    assert upgraded and not upgraded & {v.package for v in (*diff.new_violations, *diff.fixed_violations)}


def test_gaps_follow_the_packages_not_their_versions(diff: ReportDiff) -> None:
    changed_license = {c.new.package for c in diff.license_changed}
    assert changed_license <= {g.package for g in diff.new_gaps}, "a package turned copyleft has new gaps"
    assert {c.package for c in diff.removed} <= {g.package for g in diff.fixed_gaps} | {None}
    upgraded = {c.new.package for c in diff.upgraded}
    assert not upgraded & {g.package for g in (*diff.new_gaps, *diff.fixed_gaps)}, "an upgrade does not renew a gap"


def test_a_report_compared_with_itself_is_unchanged(judged: tuple[dict[str, Any], dict[str, Any], ReportDiff]) -> None:
    old, _, _ = judged
    diff = compare(old, old)
    assert diff.unchanged and diff.violations_compared and not diff.policies_differ


def test_the_sides_say_what_was_compared(judged: tuple[dict[str, Any], dict[str, Any], ReportDiff]) -> None:
    old, new, diff = judged
    third_party = [c for c in old["components"] if not c["first_party"]]
    assert diff.old.components == len(third_party)
    assert (diff.old.roots, diff.new.roots) == (tuple(old["roots"]), tuple(new["roots"]))
    assert diff.old.policy_files == diff.new.policy_files and not diff.policies_differ
