"""`${...}` expansion: Maven's lookup order, recursion, cycles and the nesting cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.maven.pom_interpolation import MAX_EXPANDED_LENGTH, MAX_NESTING, Interpolated, Interpolator, ModelValues
from tests.parsers.maven.pom_support import parse_tree

MODEL = ModelValues(
    group_id="org.acme",
    artifact_id="app",
    version="${revision}${changelist}",
    parent_group_id="org.acme.parent",
    parent_artifact_id="parent",
    parent_version="7",
)
PROPERTIES = {
    "revision": "2.0.0",
    "changelist": "-SNAPSHOT",
    "project.version": "ignored: the model wins",
    "lib.version": "${base.version}.1",
    "base.version": "3.${minor}",
    "minor": "4",
    "version": "a property named version",
    "a": "${b}",
    "b": "${a}",
    "empty": "",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.3", Interpolated("1.2.3")),
        ("${project.version}", Interpolated("2.0.0-SNAPSHOT")),
        ("${pom.version}", Interpolated("2.0.0-SNAPSHOT")),
        ("${project.groupId}:${project.artifactId}", Interpolated("org.acme:app")),
        ("${project.parent.version}", Interpolated("7")),
        ("${parent.version}", Interpolated("7")),
        ("${project.parent.groupId}", Interpolated("org.acme.parent")),
        ("${project.packaging}", Interpolated("jar")),
        ("${lib.version}", Interpolated("3.4.1")),
        ("${version}", Interpolated("a property named version")),
        ("${groupId}", Interpolated("org.acme")),
        ("x${empty}y", Interpolated("xy")),
        ("${nope}", Interpolated("${nope}", undefined=frozenset({"nope"}))),
        ("${lib.version}-${nope}-${other}", Interpolated("3.4.1-${nope}-${other}", undefined=frozenset({"nope", "other"}))),
        ("${a}", Interpolated("${a}", cyclic=frozenset({"a"}))),
        ("${b}", Interpolated("${b}", cyclic=frozenset({"b"}))),
        ("${", Interpolated("${")),
    ],
)
def test_expand(text: str, expected: Interpolated) -> None:
    assert Interpolator(MODEL, PROPERTIES).expand(text) == expected


def test_resolved_means_no_reference_left() -> None:
    assert Interpolated("1.0").resolved
    assert not Interpolated("${x}", undefined=frozenset({"x"})).resolved


def test_nesting_beyond_the_cap_is_unresolved() -> None:
    chain = {f"p{i}": f"${{p{i + 1}}}" for i in range(MAX_NESTING + 5)}
    chain[f"p{MAX_NESTING + 5}"] = "1.0"
    result = Interpolator(ModelValues(), chain).expand("${p0}")
    assert not result.resolved
    assert result.cyclic == frozenset({f"p{MAX_NESTING}"})


def test_chain_within_the_cap_resolves() -> None:
    chain = {f"p{i}": f"${{p{i + 1}}}" for i in range(MAX_NESTING - 1)}
    chain[f"p{MAX_NESTING - 1}"] = "1.0"
    assert Interpolator(ModelValues(), chain).expand("${p0}") == Interpolated("1.0")



def doubling(levels: int, last: str = "x") -> dict[str, str]:
    """p0 uses p1 twice, p1 uses p2 twice, ...: the text doubles at every level (issue 13)."""
    properties = {f"p{i}": f"${{p{i + 1}}}${{p{i + 1}}}" for i in range(levels)}
    properties[f"p{levels}"] = last
    return properties


def test_properties_that_each_use_the_next_twice_stop_at_the_length_bound() -> None:
    """2 ** 26 characters once expanded (64 MB from 1 KB of POM); the value stays unresolved instead."""
    result = Interpolator(ModelValues(), doubling(26)).expand("${p0}")

    assert not result.resolved
    assert len(result.text) <= MAX_EXPANDED_LENGTH + 10
    assert "p1" in result.oversized
    assert not result.undefined and not result.cyclic


def test_a_doubling_chain_that_fits_the_bound_still_resolves() -> None:
    result = Interpolator(ModelValues(), doubling(12)).expand("${p0}")

    assert result == Interpolated("x" * 4096)


@pytest.mark.parametrize("last", ["x", "${p0}"], ids=["deeper-than-the-nesting-cap", "back-to-the-first"])
def test_forty_doubling_levels_stop_at_the_work_bound(last: str) -> None:
    """Nothing of these is memoized (cyclic past the cap): 2 ** 40 calls without the work bound."""
    interpolator = Interpolator(ModelValues(), doubling(40, last))

    result = interpolator.expand("${p0}")

    assert not result.resolved
    assert result.unexpanded == frozenset({"p0"})
    assert interpolator.budget.left == 0
    assert interpolator.expand("${p1}").unexpanded == frozenset({"p1"})  # the POM's budget stays spent


def test_the_work_bound_is_shared_by_the_interpolators_given_one_budget() -> None:
    """A profile's interpolator takes its POM's budget: a thousand profiles cost no more than one."""
    first = Interpolator(ModelValues(), doubling(40))
    first.expand("${p0}")

    profile = Interpolator(ModelValues(), {"x.version": "1.0"}, first.budget)

    assert profile.expand("${x.version}").unexpanded == frozenset({"x.version"})
    assert Interpolator(ModelValues(), {"x.version": "1.0"}).expand("${x.version}") == Interpolated("1.0")


@pytest.mark.parametrize(("levels", "last"), [(26, "x"), (40, "x"), (40, "${p0}")], ids=["64-megabytes", "forty-levels", "forty-levels-cyclic"])
def test_a_pom_whose_properties_double_keeps_its_other_dependencies(tmp_path: Path, levels: int, last: str) -> None:
    properties = "\n".join(f"    <{name}>{value}</{name}>" for name, value in doubling(levels, last).items())
    (tmp_path / "pom.xml").write_text(
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n  <artifactId>app</artifactId>\n"
        f"  <version>1.0.0</version>\n  <properties>\n{properties}\n  </properties>\n  <dependencies>\n"
        "    <dependency><groupId>org.acme</groupId><artifactId>fine</artifactId><version>1.2.3</version></dependency>\n"
        "    <dependency><groupId>org.acme</groupId><artifactId>bomb</artifactId><version>${p0}</version></dependency>\n"
        "    <dependency><groupId>org.acme</groupId><artifactId>after</artifactId><version>2.0</version></dependency>\n"
        "  </dependencies>\n</project>\n",
        encoding="utf-8",
    )

    result = parse_tree(tmp_path)["pom.xml"]

    assert [(p.name, p.version, p.requirement) for p in result.packages] == [
        ("org.acme:fine", "1.2.3", "1.2.3"),
        ("org.acme:bomb", None, "${p0}"),
        ("org.acme:after", "2.0", "2.0"),
    ]
    bomb_line = 6 + (levels + 1) + 4  # <properties> on line 6, then the properties, then 4 lines to `bomb`
    assert {(i.path, i.line, i.code) for i in result.issues} == {("pom.xml", bomb_line, "unresolved-property")}
    assert all(i.message.startswith("property ${p") and "not expanded" in i.message for i in result.issues)
    assert all(len(i.message) < 200 for i in result.issues)
