"""Peers' POM fixtures (trivy, osv-scalibr, syft) give the answers their own tests expect.

Differences by design, asserted as such: we report a POM's direct dependencies only
(trivy and syft also resolve transitive ones from a repository); a dependency declared in
a scanned parent is reported by the parent's own result; a version range stays a range
(scalibr reports its lower bound); entries only in dependencyManagement are not
dependencies (scalibr lists them); several licenses are joined with " OR ".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.base import DeclaredProject, ParseError, ScanContext
from ospo_scan.parsers.maven.pom import parse_pom_group
from ospo_scan.reading import SandboxReader
from tests.parsers.maven.pom_support import issues, parse_alone, parse_tree, summary

pytestmark = pytest.mark.corpus

TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/java/pom/testdata"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/java/pomxml/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/java/testdata"

Expected = tuple[DeclaredProject, list[tuple[str, str | None, int | None]]]
ASF, APACHE = "The Apache Software License, Version 2.0", "Apache 2.0"

TRIVY_CASES: dict[tuple[str, str], Expected] = {
    ("happy", "pom.xml"): (
        DeclaredProject(name="com.example:happy", version="1.0.0", license="BSD-3-Clause"),
        [("org.example:example-api", "1.7.30", 32), ("org.example:example-runtime", "1.0.0", 37), ("org.example:example-provided", "999", 43)],
    ),
    ("parent-properties", "child/pom.xml"): (
        DeclaredProject(name="com.example:child", version="1.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 33)],
    ),
    ("project-version-from-parent", "child/pom.xml"): (
        DeclaredProject(name="com.example:child", version="2.0.0"),
        [("org.example:example-api", "2.0.0", 18)],
    ),
    ("inherit-props", "base/pom.xml"): (
        DeclaredProject(name="com.example:test", version="0.0.1-SNAPSHOT"),
        [("org.example:example-api", "2.0.0", 18)],
    ),
    ("parent-dependencies", "child/pom.xml"): (DeclaredProject(name="com.example:child", version="1.0.0-SNAPSHOT", license=APACHE), []),
    ("parent-dependencies", "pom.xml"): (
        DeclaredProject(name="com.example:parent", version="1.0.0-SNAPSHOT", license=APACHE),
        [("org.example:example-api", "1.7.30", 28)],
    ),
    ("parent-dependency-management", "child/pom.xml"): (
        DeclaredProject(name="com.example:child", version="3.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 26)],
    ),
    ("transitive-parents", "base/pom.xml"): (
        DeclaredProject(name="com.example:base", version="4.0.0", license=APACHE),
        [("org.example:example-child", "2.0.0", 28)],
    ),
    ("parent-relative-path", "pom.xml"): (
        DeclaredProject(name="com.example:child", version="1.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 26)],
    ),
    ("parent-version-is-property", "child/pom.xml"): (
        DeclaredProject(name="com.example:child", version="1.0.0-SNAPSHOT"),
        [("org.example:example-api", "1.1.1", 19)],
    ),
    ("parent-remote-repository", "pom.xml"): (
        DeclaredProject(name="org.example:child", version="1.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 25)],
    ),
    ("soft-requirement", "pom.xml"): (
        DeclaredProject(name="com.example:soft", version="1.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 32), ("org.example:example-dependency", "1.2.3", 37)],
    ),
    ("hard-requirement", "pom.xml"): (
        DeclaredProject(name="com.example:hard", version="1.0.0", license=APACHE),
        [("org.example:example-nested", "3.3.4", 28), ("org.example:example-dependency", "1.2.4", 33)],
    ),
    ("import-dependency-management", "pom.xml"): (
        DeclaredProject(name="com.example:import", version="2.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 34)],
    ),
    ("import-dependency-management-multiple", "pom.xml"): (
        DeclaredProject(name="com.example:import", version="2.0.0", license=APACHE),
        [("org.example:example-api", "1.7.30", 42)],
    ),
    ("exclusions", "pom.xml"): (DeclaredProject(name="com.example:exclusions", version="3.0.0"), [("org.example:example-nested", "3.3.3", 14)]),
    ("multi-module", "module/pom.xml"): (
        DeclaredProject(name="com.example:module", version="1.1.1", license=APACHE),
        [("org.example:example-dependency", "1.2.3", 21)],
    ),
    ("multi-module-soft-requirement", "module1/pom.xml"): (DeclaredProject(name="com.example:module1", version="1.1.1"), [("org.example:example-api", "1.7.30", 17)]),
    ("multi-module-soft-requirement", "module2/pom.xml"): (DeclaredProject(name="com.example:module2", version="1.1.1"), [("org.example:example-api", "2.0.0", 17)]),
    ("root-pom-dep-management", "pom.xml"): (
        DeclaredProject(name="com.example:root-pom-dep-management", version="1.0.0"),
        [("org.example:example-nested", "3.3.3", 20)],
    ),
    ("transitive-dependency-management", "pom.xml"): (
        DeclaredProject(name="org.example:transitive-dependency-management", version="2.0.0"),
        [("org.example:example-dependency-management3", "1.1.1", 14)],
    ),
    ("not-found-parent", "pom.xml"): (
        DeclaredProject(name="com.example:no-parent", version="1.0-SNAPSHOT", license=APACHE),
        [("org.example:example-api", "1.7.30", 27)],
    ),
    ("not-found-dependency", "pom.xml"): (
        DeclaredProject(name="com.example:not-found-dependency", version="1.0.0", license=APACHE),
        [("org.example:example-not-found", "999", 21)],
    ),
    ("multiply-licenses", "pom.xml"): (DeclaredProject(name="com.example:multiply-licenses", version="1.0.0", license="MIT OR Apache 2.0"), []),
    ("inherit-license", "module/submodule/pom.xml"): (DeclaredProject(name="com.example.app:submodule", version="1.0.0", license="Apache-2.0"), []),
    ("no-parent-infinity-loop", "pom.xml"): (DeclaredProject(name="com.example:child", version="1.0.0", license=ASF), []),
    ("version-requirement", "pom.xml"): (DeclaredProject(name="com.example:hard", version="1.0.0", license=APACHE), [("org.example:example-api", None, 28)]),
    ("use-child-dep-management-in-parent", "pom.xml"): (
        DeclaredProject(name="com.example:child-depManagement-in-parent", version="1.0.0"),
        # the parents' dependencies, whose versions only this POM's properties and management give
        [("org.example:example-api2", "1.0.2", 23), ("org.example:example-api", "1.0.1", 17)],
    ),
}


@pytest.mark.parametrize(("case", "path"), sorted(TRIVY_CASES))
def test_trivy_cases(corpus: Path, case: str, path: str) -> None:
    testdata = corpus / TRIVY
    result = parse_tree(testdata / case, repository=testdata / "repository")[path]
    project, packages = TRIVY_CASES[(case, path)]
    assert result.project == project
    assert [(name, version, line) for name, version, _, _, line in summary(result)] == packages


def test_trivy_version_range_is_kept(corpus: Path) -> None:
    result = parse_tree(corpus / TRIVY / "version-requirement")["pom.xml"]
    assert result.packages[0].requirement == "(,1.0]"


def test_trivy_missing_parent_is_an_issue(corpus: Path) -> None:
    testdata = corpus / TRIVY
    result = parse_tree(testdata / "not-found-parent", repository=testdata / "repository")["pom.xml"]
    assert issues(result) == [(12, "parent com.example:parent:1.0.0 not found in the scanned tree or local repository")]


def test_every_trivy_case_parses(corpus: Path) -> None:
    testdata = corpus / TRIVY
    cases = [p for p in testdata.iterdir() if p.is_dir() and list(p.rglob("pom.xml")) and p.name not in ("repository", "settings")]
    for case in cases:
        results = parse_tree(case, repository=testdata / "repository")
        assert sorted(results) == sorted(p.relative_to(case).as_posix() for p in case.rglob("pom.xml")), case.name
        assert all("${" not in (p.version or "") for r in results.values() for p in r.packages)


SCALIBR_CASES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "one-package.xml": [("org.apache.maven:maven-artifact", "1.0.0", "1.0.0")],
    "two-packages.xml": [("io.netty:netty-all", "4.1.42.Final", "4.1.42.Final"), ("org.slf4j:slf4j-log4j12", "1.7.25", "1.7.25")],
    # jsr305 is only managed, never depended on
    "with-dependency-management.xml": [("io.netty:netty-all", "4.1.9", "4.1.9"), ("org.slf4j:slf4j-log4j12", "1.7.25", "1.7.25")],
    "interpolation.xml": [
        ("org.mine:mypackage", "1.0.0", "1.0.0"),
        ("org.mine:my.package", "2.3.4", "2.3.4"),
        ("org.mine:ranged-package", None, "[9.4.35.v20201120,9.5)"),
    ],
    "with-scope.xml": [("abc:xyz", "1.2.3", "1.2.3"), ("junit:junit", "4.12", "4.12")],
    "empty.xml": [],
    "encoding.xml": [("junit:junit", "4.12", "4.12")],
    "plugin-dependency.xml": [("com.example:hijack-lib", "1.0.0", "1.0.0")],
    "interpolate-drop.xml": [("com.example:actual-artifact", "1.0.0", "1.0.0")],
    "with-type-classifier.xml": [("abc:xyz", "1.0.0", "1.0.0")],
    "profiles.xml": [("org.profile:profile-dep", "1.2.3", "1.2.3")],
}


@pytest.mark.parametrize("name", sorted(SCALIBR_CASES))
def test_scalibr_cases(corpus: Path, name: str) -> None:
    result = parse_alone(corpus / SCALIBR, name)
    assert [(n, version, requirement) for n, version, requirement, _, _ in summary(result)] == SCALIBR_CASES[name]


def test_scalibr_lines_ignore_plugin_dependencies(corpus: Path) -> None:
    assert [p.line for p in parse_alone(corpus / SCALIBR, "plugin-dependency.xml").packages] == [27]
    assert [p.line for p in parse_alone(corpus / SCALIBR, "explicit-jar.xml").packages] == [12, 17, 23]


def test_scalibr_invalid_syntax_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError) as raised:
        parse_alone(corpus / SCALIBR, "invalid-syntax.xml")
    assert raised.value.line == 3


def test_scalibr_with_parent_reads_the_parent_on_demand(corpus: Path) -> None:
    root = corpus / SCALIBR
    reader = SandboxReader(root)
    result = parse_pom_group([reader.read("with-parent.xml")], reader, ScanContext())["with-parent.xml"]
    assert [(p.name, p.version, p.path) for p in result.packages] == [
        ("org.alice:alice", "1.0.0", None),
        ("org.bob:bob", "2.0.0", None),
        ("org.chuck:chuck", "3.0.0", None),
        ("org.frank:frank", None, None),
        ("org.dave:dave", "4.0.0", "parent/pom.xml"),
    ]
    assert [message for _, message in issues(result)] == [
        "parent org.upstream:parent-pom:1.0 not found in the scanned tree or local repository",
        "BOM org.import:import:1.2.3 not found in the scanned tree or local repository",
        "no version, and no dependencyManagement entry for it; it may be managed by parent org.upstream:parent-pom:1.0 "
        "or BOM org.import:import:1.2.3, not available (1 dependency)",
    ]


def test_syft_corrupt_pom_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError):
        parse_alone(corpus / SYFT / "corrupt")


def test_syft_example_app(corpus: Path) -> None:
    result = parse_alone(corpus / SYFT / "pom" / "example-java-app-maven")
    assert result.project == DeclaredProject(name="org.anchore:example-java-app-maven", version="0.1.0")
    assert [(n, v) for n, v, *_ in summary(result)] == [("com.joda:joda-time", "2.9.2"), ("junit:junit", "4.12")]


def test_syft_commons_text_without_resolution(corpus: Path) -> None:
    result = parse_alone(corpus / SYFT / "pom" / "commons-text-1.10.0")
    assert result.project == DeclaredProject(name="org.apache.commons:commons-text", version="1.10.0")
    versions = {n: v for n, v, *_ in summary(result)}
    assert versions["org.apache.commons:commons-lang3"] == "3.12.0"
    assert versions["org.junit.jupiter:junit-jupiter"] is None  # managed by the absent commons-parent
    assert versions["org.graalvm.js:js"] == "22.0.0.2"
    assert len(versions) == 10


def test_syft_license_project(corpus: Path) -> None:
    result = parse_alone(corpus / SYFT / "pom", "neo4j-license-maven-plugin.pom.xml")
    assert result.project == DeclaredProject(
        name="org.neo4j.build.plugins:license-maven-plugin",
        version="4-SNAPSHOT",
        license="The Apache Software License, Version 2.0 OR MIT OR https://opensource.org/license/unlicense/",
    )
