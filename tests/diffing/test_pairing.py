"""Several versions of one package: which old one became which new one."""

from __future__ import annotations

from ospo_scan.diffing import Direction, compare
from tests.diffing.builders import component, document


def _moves(old: list[dict[str, object]], new: list[dict[str, object]]) -> dict[str, set[tuple[str | None, str | None]]]:
    diff = compare(document(old), document(new))
    return {
        "upgraded": {(c.old.version, c.new.version) for c in diff.upgraded},
        "downgraded": {(c.old.version, c.new.version) for c in diff.downgraded},
        "changed": {(c.old.version, c.new.version) for c in diff.version_changed},
        "added": {(None, c.version) for c in diff.added},
        "removed": {(c.version, None) for c in diff.removed},
    }


def _only(**expected: set[tuple[str | None, str | None]]) -> dict[str, set[tuple[str | None, str | None]]]:
    return {key: expected.get(key, set()) for key in ("upgraded", "downgraded", "changed", "added", "removed")}


def test_a_version_dropped_beside_one_kept_is_a_removal() -> None:
    old = [component("lodash", "4.17.20"), component("lodash", "4.17.21")]
    assert _moves(old, [component("lodash", "4.17.21")]) == _only(removed={("4.17.20", None)})


def test_a_second_version_beside_one_kept_is_an_addition() -> None:
    new = [component("lodash", "4.17.21"), component("lodash", "3.10.1")]
    assert _moves([component("lodash", "4.17.21")], new) == _only(added={(None, "3.10.1")})


def test_versions_pair_by_the_project_that_uses_them() -> None:
    old = [component("a", "1.0.0", projects=("npm:app",)), component("a", "2.0.0", projects=("npm:lib",))]
    new = [component("a", "3.0.0", projects=("npm:app",)), component("a", "2.1.0", projects=("npm:lib",))]
    assert _moves(old, new) == _only(upgraded={("1.0.0", "3.0.0"), ("2.0.0", "2.1.0")}), "not 2.0.0 -> 3.0.0"


def test_project_pairing_can_find_a_downgrade_beside_an_upgrade() -> None:
    old = [component("a", "1.0.0", projects=("npm:app",)), component("a", "2.0.0", projects=("npm:lib",))]
    new = [component("a", "0.9.0", projects=("npm:lib",)), component("a", "1.5.0", projects=("npm:app",))]
    assert _moves(old, new) == _only(upgraded={("1.0.0", "1.5.0")}, downgraded={("2.0.0", "0.9.0")})


def test_without_a_shared_project_newest_pairs_with_newest_and_the_oldest_is_removed() -> None:
    old = [component("a", "1.0.0", projects=("npm:x",)), component("a", "2.0.0", projects=("npm:x",))]
    new = [component("a", "2.1.0", projects=("npm:y",))]
    assert _moves(old, new) == _only(upgraded={("2.0.0", "2.1.0")}, removed={("1.0.0", None)})


def test_an_unpinned_version_that_becomes_pinned_is_a_change_without_order() -> None:
    assert _moves([component("a", None)], [component("a", "1.2.0")]) == _only(changed={(None, "1.2.0")})


def test_one_name_in_two_ecosystems_is_two_packages() -> None:
    old = [component("colors", "1.0.0", ecosystem="npm")]
    new = [component("colors", "2.0.0", ecosystem="pypi", projects=("pypi:.",))]
    assert _moves(old, new) == _only(added={(None, "2.0.0")}, removed={("1.0.0", None)})


def test_a_maven_classifier_is_another_package_not_another_version() -> None:
    old = [component("org.acme:core", "1.0", ecosystem="maven", projects=("maven:.",))]
    new = [component("org.acme:core", "1.1", ecosystem="maven", projects=("maven:.",), qualifiers={"classifier": "tests"})]
    assert _moves(old, new) == _only(added={(None, "1.1")}, removed={("1.0", None)})


def test_a_pypi_name_spelled_otherwise_is_the_same_package() -> None:
    old = [component("Flask_Login", "0.6.2", ecosystem="pypi", projects=("pypi:.",))]
    new = [component("flask-login", "0.6.3", ecosystem="pypi", projects=("pypi:.",))]
    assert _moves(old, new) == _only(upgraded={("0.6.2", "0.6.3")})


def test_an_upgrade_that_changes_the_license_is_both() -> None:
    old = [component("a", "1.0.0", license="MIT")]
    new = [component("a", "2.0.0", license="GPL-3.0-only", category="strong-copyleft")]
    diff = compare(document(old), document(new))
    assert [c.direction for c in diff.upgraded] == [Direction.UPGRADED]
    [change] = diff.license_changed
    assert (change.old.license, change.new.license, change.old.version, change.new.version) == ("MIT", "GPL-3.0-only", "1.0.0", "2.0.0")


def test_a_category_change_alone_is_a_license_change() -> None:
    old = [component("a", "1.0.0", license="LicenseRef-x", category="unknown")]
    new = [component("a", "1.0.0", license="LicenseRef-x", category="proprietary")]
    assert [c.new.category for c in compare(document(old), document(new)).license_changed] == ["proprietary"]


def test_first_party_components_are_not_compared() -> None:
    own = {**component("our-app", "1.0.0"), "first_party": True}
    bumped = {**component("our-app", "1.1.0"), "first_party": True}
    assert compare(document([own]), document([bumped])).unchanged
