"""`${...}` expansion: Maven's lookup order, recursion, cycles and the nesting cap."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.maven.pom_interpolation import MAX_NESTING, Interpolated, Interpolator, ModelValues

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

