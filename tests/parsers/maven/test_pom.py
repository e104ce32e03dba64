"""pom.xml: each resolution rule of issue 4, pinned by a fixture folder named after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Ecosystem, Severity
from ospo_scan.parsers.base import DeclaredProject, FileRole, ParseError
from ospo_scan.parsers.maven import pom
from ospo_scan.parsers.maven.pom import SPEC
from ospo_scan.scan import ScanOptions, scan
from tests.parsers.maven.pom_support import (
    FIXTURES,
    OPTIONAL,
    PROVIDED,
    RUNTIME,
    TEST,
    issues,
    notes,
    parse_alone,
    parse_tree,
    scopes,
    summary,
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pom.xml", True),
        ("path/to/my/pom.xml", True),
        ("", False),
        ("path/to/my/pom.xml/file", False),
        ("path/to/my/pom.xml.file", False),
        ("path.to.my.pom.xml", False),
        ("POM.xml", False),
        ("m2/org/acme/corp-parent/7/corp-parent-7.pom", False),
    ],
)
def test_matches_pom_xml_only(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected


def test_spec_is_a_grouped_maven_manifest() -> None:
    assert (SPEC.name, SPEC.ecosystem, SPEC.role) == ("maven-pom", Ecosystem.MAVEN, FileRole.MANIFEST)
    assert SPEC.parse_group is pom.parse_pom_group


def test_three_level_parent_chain() -> None:
    results = parse_tree(FIXTURES / "three-level-parent-chain")
    service = results["platform/service/pom.xml"]
    assert summary(service) == [
        ("org.slf4j:slf4j-api", "2.0.16", "2.0.16", scopes(RUNTIME), 11),
        ("com.google.guava:guava", "33.2.1-jre", "33.2.1-jre", scopes(RUNTIME), 15),
        ("org.junit.jupiter:junit-jupiter", "5.10.2", "5.10.2", scopes(TEST), 19),
    ]
    assert notes(service) == {
        "org.slf4j:slf4j-api": "version from dependencyManagement of pom.xml",
        "com.google.guava:guava": "version from dependencyManagement of platform/pom.xml",
        "org.junit.jupiter:junit-jupiter": "version from dependencyManagement of pom.xml",
    }
    assert service.project == DeclaredProject(name="org.acme:acme-service", version="3.1.0", license="Apache-2.0")
    assert all(result.issues == [] for result in results.values())
    assert results["platform/pom.xml"].project == DeclaredProject(name="org.acme:acme-platform", version="3.1.0", license="Apache-2.0")


def test_three_level_parent_chain_parsed_alone_says_what_is_missing() -> None:
    service = parse_alone(FIXTURES / "three-level-parent-chain" / "platform" / "service")
    assert [(name, version) for name, version, *_ in summary(service)] == [
        ("org.slf4j:slf4j-api", None),
        ("com.google.guava:guava", None),
        ("org.junit.jupiter:junit-jupiter", None),
    ]
    assert issues(service) == [
        (4, "parent org.acme:acme-platform:3.1.0 not found in the scanned tree or local repository"),
        (11, "no version, and no dependencyManagement entry for it; it may be managed by parent org.acme:acme-platform:3.1.0, not available (3 dependencies)"),
    ]


def test_property_from_grandparent() -> None:
    leaf = parse_tree(FIXTURES / "property-from-grandparent")["middle/leaf/pom.xml"]
    assert summary(leaf) == [
        ("com.fasterxml.jackson.core:jackson-databind", "2.17.1", "2.17.1", scopes(RUNTIME), 14),
        ("io.netty:netty-handler", "4.1.111.Final", "4.1.111.Final", scopes(RUNTIME), 19),
    ]
    assert leaf.issues == []


def test_bom_import_in_tree() -> None:
    app = parse_tree(FIXTURES / "bom-import-in-tree")["app/pom.xml"]
    assert summary(app) == [
        ("com.squareup.okhttp3:okhttp", "4.12.0", "4.12.0", scopes(RUNTIME), 29),
        ("com.google.code.gson:gson", "2.10.1", "2.10.1", scopes(RUNTIME), 33),
        ("org.apache.commons:commons-lang3", "3.12.0", "3.12.0", scopes(RUNTIME), 37),
    ]
    assert notes(app) == {
        # the BOM's entries are expanded in the BOM's own context: app's okhttp.version=9.9.9 does not apply
        "com.squareup.okhttp3:okhttp": "version from BOM org.acme.shop:shop-bom:2.0.0",
        "com.google.code.gson:gson": "version from BOM org.acme.shop:shop-bom:2.0.0",
        # a POM's own managed entry wins over the imported one
        "org.apache.commons:commons-lang3": "version from dependencyManagement of app/pom.xml",
    }
    assert app.issues == []


@pytest.mark.parametrize(("case", "doctype_line"), [("entity-bomb", 2), ("external-entity", 3)])
def test_doctype_is_refused_with_a_parse_error(case: str, doctype_line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_alone(FIXTURES / case)
    assert raised.value.line == doctype_line
    assert raised.value.message.startswith("DOCTYPE declaration refused")
    assert parse_tree(FIXTURES / case) == {}  # left to parse_pom, so the scan records the error


@pytest.mark.parametrize(("case", "doctype_line"), [("entity-bomb", 2), ("external-entity", 3)])
def test_scan_records_the_refusal_and_reads_nothing_else(case: str, doctype_line: int) -> None:
    inventory = scan([FIXTURES / case], ScanOptions(parsers=(SPEC,)))
    assert inventory.components == ()
    assert [(i.path, i.line, i.parser) for i in inventory.issues] == [("pom.xml", doctype_line, "maven-pom")]
    assert "root:" not in inventory.issues[0].message  # nothing of /etc/passwd


def test_ci_friendly_revision() -> None:
    results = parse_tree(FIXTURES / "ci-friendly-revision")
    assert {path: result.project.version for path, result in results.items() if result.project} == {
        "pom.xml": "2.3.0-SNAPSHOT",
        "api/pom.xml": "2.3.0-SNAPSHOT",
        "core/pom.xml": "2.3.0-SNAPSHOT",
    }
    core = results["core/pom.xml"]
    assert summary(core) == [
        ("org.acme.ci:ci-api", "2.3.0-SNAPSHOT", "2.3.0-SNAPSHOT", scopes(RUNTIME), 10),
        ("org.acme.tools:release-tools", "2.3.0", "2.3.0", scopes(RUNTIME), 15),
    ]
    assert [p.first_party for p in core.packages] == [True, False]
    assert all(result.issues == [] for result in results.values())


def test_ci_friendly_revision_undefined() -> None:
    result = parse_tree(FIXTURES / "ci-friendly-revision-undefined")["pom.xml"]
    assert result.project == DeclaredProject(name="org.acme.ci:ci-alone", version=None)
    assert summary(result) == [("org.acme.ci:ci-plugin-api", None, "${project.version}", scopes(RUNTIME), 7)]
    assert issues(result) == [(7, "property ${revision} is not defined (the project's own coordinates, 1 dependency)")]


def test_dependency_management_scope() -> None:
    result = parse_tree(FIXTURES / "dependency-management-scope")["pom.xml"]
    assert summary(result) == [
        ("org.assertj:assertj-core", "3.26.0", "3.26.0", scopes(TEST), 29),
        # the dependency's own scope wins over the managed one
        ("jakarta.servlet:jakarta.servlet-api", "6.0.0", "6.0.0", scopes(RUNTIME), 33),
        ("com.github.ben-manes.caffeine:caffeine", "3.1.8", "3.1.8", scopes(RUNTIME, OPTIONAL), 38),
    ]


def test_version_range() -> None:
    result = parse_tree(FIXTURES / "version-range")["pom.xml"]
    assert summary(result) == [
        ("commons-io:commons-io", None, "[2.11.0,3.0)", scopes(RUNTIME), 10),
        ("org.apache.commons:commons-lang3", None, "[3.0,4.0)", scopes(RUNTIME), 15),
        ("org.yaml:snakeyaml", None, "[2.2]", scopes(RUNTIME), 20),
        ("junit:junit", None, "LATEST", scopes(TEST), 25),
    ]
    assert set(notes(result).values()) == {
        "version range: Maven picks the version at build time",
        "meta-version LATEST: Maven picks the version at build time",
    }
    assert result.issues == []  # a range is a requirement, not a failure to resolve


def test_undefined_property_is_one_issue_per_cause() -> None:
    result = parse_tree(FIXTURES / "undefined-property")["pom.xml"]
    assert [(name, version, requirement) for name, version, requirement, *_ in summary(result)] == [
        ("io.micrometer:micrometer-core", None, "${micrometer.version}"),
        ("io.micrometer:micrometer-registry-prometheus", None, "${micrometer.version}"),
        ("io.micrometer:micrometer-tracing", None, "${micrometer.version}"),
        ("org.acme:looping", None, "${loop.a}"),
        ("org.acme:from-env", None, "${env.ACME_VERSION}"),
        ("org.acme:unmanaged", None, None),
    ]
    assert issues(result) == [
        (11, "property ${micrometer.version} is not defined (3 dependencies)"),
        (26, "property ${loop.a} refers to itself (cycle or nesting deeper than 32) (1 dependency)"),
        (31, "property ${env.ACME_VERSION} comes from the build environment, not from the POM (1 dependency)"),
        (36, "no version, and no dependencyManagement entry for it (1 dependency)"),
    ]
    assert notes(result)["io.micrometer:micrometer-core"] == "version unresolved: property ${micrometer.version} is not defined"


def test_parent_only_in_local_repository() -> None:
    case = FIXTURES / "parent-only-in-local-repository"
    result = parse_tree(case / "project", repository=case / "m2")["pom.xml"]
    assert summary(result) == [
        ("com.google.guava:guava", "33.0.0-jre", "33.0.0-jre", scopes(RUNTIME), 11),
        ("io.netty:netty-handler", "4.1.108.Final", "4.1.108.Final", scopes(RUNTIME), 15),
        ("com.fasterxml.jackson.core:jackson-databind", "2.17.0", "2.17.0", scopes(RUNTIME), 20),
        # inherited from the repository parent: located at the <parent> element of this POM
        ("org.slf4j:slf4j-api", "2.0.9", "2.0.9", scopes(RUNTIME), 3),
    ]
    assert notes(result) == {
        "com.google.guava:guava": "version from dependencyManagement of parent org.acme.corp:corp-parent:7 (local Maven repository)",
        "io.netty:netty-handler": None,
        "com.fasterxml.jackson.core:jackson-databind": "version from BOM org.acme.corp:corp-bom:1.0",
        "org.slf4j:slf4j-api": "inherited from parent org.acme.corp:corp-parent:7 (local Maven repository)",
    }
    assert result.project == DeclaredProject(name="org.acme.corp:corp-app", version="7", license="Acme Corporate License")
    assert result.issues == []


def test_parent_only_in_local_repository_without_it() -> None:
    result = parse_tree(FIXTURES / "parent-only-in-local-repository" / "project")["pom.xml"]
    assert [version for _, version, *_ in summary(result)] == [None, None, None]
    assert issues(result) == [
        (3, "parent org.acme.corp:corp-parent:7 not found in the scanned tree or local repository"),
        (11, "no version, and no dependencyManagement entry for it; it may be managed by parent org.acme.corp:corp-parent:7, not available (2 dependencies)"),
        (15, "property ${netty.version} is not defined; it may come from parent org.acme.corp:corp-parent:7, which is not available (1 dependency)"),
    ]


def test_namespaced_and_plain_poms_read_the_same() -> None:
    results = parse_tree(FIXTURES / "namespaced-and-plain")
    expected = [("info.picocli:picocli", "4.7.6", "4.7.6", scopes(RUNTIME))]
    for path, line in (("namespaced/pom.xml", 12), ("plain/pom.xml", 11), ("maven-4-1/pom.xml", 14)):
        assert [row[:4] for row in summary(results[path])] == expected
        assert results[path].packages[0].line == line
    assert results["maven-4-1/pom.xml"].project == DeclaredProject(name="org.acme.ns:prefixed", version="1.0.0")


def test_sibling_module_dependency_is_first_party() -> None:
    results = parse_tree(FIXTURES / "sibling-module-dependency")
    web = results["web/pom.xml"]
    assert summary(web) == [
        ("org.acme.mono:mono-core", "1.4.0", "1.4.0", scopes(RUNTIME), 10),
        ("io.javalin:javalin", "6.1.3", "6.1.3", scopes(RUNTIME), 15),
    ]
    assert [p.first_party for p in web.packages] == [True, False]
    assert web.workspace_members == ["org.acme.mono:mono", "org.acme.mono:mono-core", "org.acme.mono:mono-web"]


def test_sibling_module_named_through_modules_when_not_scanned() -> None:
    results = parse_tree(FIXTURES / "sibling-module-dependency", only=["pom.xml", "web/pom.xml"])
    assert results["web/pom.xml"].workspace_members == ["org.acme.mono:mono", "org.acme.mono:mono-core", "org.acme.mono:mono-web"]
    assert results["web/pom.xml"].packages[0].first_party is True


def test_scan_lists_modules_as_projects_and_never_as_third_party() -> None:
    inventory = scan([FIXTURES / "sibling-module-dependency"], ScanOptions(parsers=(SPEC,)))
    assert [(p.name, p.version, p.path) for p in inventory.projects] == [
        ("org.acme.mono:mono", "1.4.0", "."),
        ("org.acme.mono:mono-core", "1.4.0", "core"),
        ("org.acme.mono:mono-web", "1.4.0", "web"),
    ]
    assert [(c.purl, c.first_party) for c in inventory.components] == [
        ("pkg:maven/io.javalin/javalin@6.1.3", False),
        ("pkg:maven/org.acme.mono/mono-core@1.4.0", True),
    ]
    assert inventory.issues == ()


def test_scan_uses_the_maven_repository_option() -> None:
    case = FIXTURES / "parent-only-in-local-repository"
    inventory = scan([case / "project"], ScanOptions(parsers=(SPEC,), maven_repository=case / "m2"))
    assert sorted(c.purl for c in inventory.components) == [
        "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.0",
        "pkg:maven/com.google.guava/guava@33.0.0-jre",
        "pkg:maven/io.netty/netty-handler@4.1.108.Final",
        "pkg:maven/org.slf4j/slf4j-api@2.0.9",
    ]
    assert inventory.issues == ()


def test_scopes_and_optional() -> None:
    result = parse_tree(FIXTURES / "scopes-and-optional")["pom.xml"]
    assert [(name.split(":")[1], found) for name, _, _, found, _ in summary(result)] == [
        ("no-scope", scopes(RUNTIME)),
        ("compile-scope", scopes(RUNTIME)),
        ("runtime-scope", scopes(RUNTIME)),
        ("test-scope", scopes(TEST)),
        ("provided-scope", scopes(PROVIDED)),
        ("system-scope", scopes(PROVIDED)),
        ("optional-runtime", scopes(RUNTIME, OPTIONAL)),
        ("optional-test", scopes(TEST, OPTIONAL)),
        ("odd-scope", scopes(RUNTIME)),
    ]
    assert notes(result)["org.acme.deps:odd-scope"] == "unknown scope 'weird' (counted as runtime)"
    assert result.issues == []


def test_type_and_classifier_kept_as_notes_and_in_the_management_key() -> None:
    result = parse_tree(FIXTURES / "type-and-classifier")["pom.xml"]
    assert [(name, version, found, line, p.note) for (name, version, _, found, line), p in zip(summary(result), result.packages)] == [
        ("org.acme.shared:shared", "5.0.0", scopes(TEST), 18, "version from dependencyManagement of pom.xml; type test-jar"),
        # management is keyed by type: the test-jar entry does not manage the plain jar
        ("org.acme.shared:shared", None, scopes(RUNTIME), 23, "version unresolved: no version, and no dependencyManagement entry for it"),
        ("io.netty:netty-tcnative-boringssl-static", "2.0.65.Final", scopes(RUNTIME), 27, "classifier linux-x86_64"),
        ("org.acme.shared:shared-jar", "5.0.0", scopes(RUNTIME), 33, None),
    ]


def test_plugins_are_not_dependencies() -> None:
    result = parse_tree(FIXTURES / "plugins-are-not-dependencies")["pom.xml"]
    assert summary(result) == [("org.codehaus.plexus:plexus-utils", "4.0.1", "4.0.1", scopes(RUNTIME), 48)]


def test_profiles_dependencies_are_kept_with_a_note() -> None:
    result = parse_tree(FIXTURES / "profiles")["pom.xml"]
    assert summary(result) == [
        ("org.springframework:spring-core", "5.3.39", "5.3.39", scopes(RUNTIME), 10),
        # a profile's own properties apply to its dependencies
        ("org.springframework:spring-context", "6.1.10", "6.1.10", scopes(RUNTIME), 23),
        ("jakarta.annotation:jakarta.annotation-api", "2.1.1", "2.1.1", scopes(RUNTIME), 35),
    ]
    assert list(notes(result).values()) == [
        None,
        'declared in profile "spring6" (profile activation is not evaluated)',
        'declared in profile "#1" (profile activation is not evaluated)',
    ]


def test_licenses_joined_with_or_and_inherited() -> None:
    results = parse_tree(FIXTURES / "licenses-joined-and-inherited")
    joined = (
        "Eclipse Public License - v 2.0 OR GNU General Public License, version 2 with the GNU Classpath Exception"
        " OR https://licenses.acme.example/url-only"
    )
    assert {path: result.project.license for path, result in results.items() if result.project} == {
        "pom.xml": joined,
        "inherits/pom.xml": joined,
        "overrides/pom.xml": "MIT",
    }


def test_relative_path_to_another_file_and_a_decoy() -> None:
    results = parse_tree(FIXTURES / "relative-path-elsewhere")
    app = results["app/pom.xml"]
    # parent.xml is not a scanned pom.xml: read on demand, and its dependencies are handed down
    assert [(p.name, p.version, p.path, p.line, p.note) for p in app.packages] == [
        ("com.h2database:h2", "2.2.224", None, 11, None),
        ("org.slf4j:slf4j-simple", "2.0.13", "parent-pom/parent.xml", 11, "inherited from parent-pom/parent.xml"),
    ]
    # relativePath names a POM with other coordinates: Maven ignores it and finds the parent by coordinates
    assert summary(results["other/pom.xml"]) == [("com.h2database:h2", "2.2.220", "2.2.220", scopes(RUNTIME), 11)]
    assert all(result.issues == [] for result in results.values())


def test_parent_cycle_is_reported_by_each_member() -> None:
    results = parse_tree(FIXTURES / "parent-cycle")
    assert issues(results["a/pom.xml"]) == [(None, "parent org.acme.cycle:cycle-a:1.0 is its own ancestor (parent cycle)")]
    assert issues(results["b/pom.xml"]) == [(None, "parent org.acme.cycle:cycle-b:1.0 is its own ancestor (parent cycle)")]
    assert summary(results["a/pom.xml"]) == [("org.acme.deps:from-a", "2.0", "2.0", scopes(RUNTIME), 11)]


def test_bom_import_cycle_is_cut() -> None:
    results = parse_tree(FIXTURES / "bom-import-cycle")
    assert summary(results["one/pom.xml"]) == [("org.acme.deps:from-two", "2.2", "2.2", scopes(RUNTIME), 24)]
    assert issues(results["two/pom.xml"]) == [(9, "BOM org.acme.loop:bom-one:1.0 imports itself (import cycle)")]


def test_legacy_expressions() -> None:
    child = parse_tree(FIXTURES / "legacy-expressions")["child/pom.xml"]
    assert [(name, version) for name, version, *_ in summary(child)] == [
        ("org.acme.legacy:uses-pom-version", "5.6.0"),
        ("org.acme.legacy:uses-bare-version", "5.6.0"),
        ("org.acme.legacy:uses-project-parent-version", "5.5.0"),
        ("org.acme.legacy:uses-parent-version", "5.5.0"),
        ("org.acme.legacy:legacy-child-extras", "5.6.0"),
    ]


def test_dependency_without_coordinates_is_an_issue_and_the_rest_is_kept() -> None:
    result = parse_tree(FIXTURES / "dependency-without-coordinates")["pom.xml"]
    assert summary(result) == [("org.acme.deps:complete", "1.0", "1.0", scopes(RUNTIME), 23)]
    assert issues(result) == [
        (8, "project.dependencyManagement.dependencies.dependency[0].groupId: missing, dependency skipped"),
        (15, "project.dependencies.dependency[0].groupId: missing, dependency skipped"),
        (19, "project.dependencies.dependency[1].artifactId: missing, dependency skipped"),
    ]


@pytest.mark.parametrize(
    ("case", "line", "message"),
    [
        ("not-a-pom", 2, "root element is <settings>, not <project>: not a Maven POM"),
        ("malformed", 9, "not well-formed XML: mismatched tag"),
    ],
)
def test_unusable_file_is_a_parse_error_and_left_out_of_the_group(case: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_alone(FIXTURES / case)
    assert (raised.value.line, raised.value.message) == (line, message)
    assert parse_tree(FIXTURES / case) == {}


def test_one_bad_pom_does_not_cost_the_others(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "good" / "pom.xml").write_text((FIXTURES / "version-range" / "pom.xml").read_text())
    (tmp_path / "bad" / "pom.xml").write_text((FIXTURES / "malformed" / "pom.xml").read_text())
    inventory = scan([tmp_path], ScanOptions(parsers=(SPEC,)))
    assert [(i.path, i.line, i.message) for i in inventory.issues] == [("bad/pom.xml", 9, "not well-formed XML: mismatched tag")]
    assert len(inventory.components) == 4


def test_resolution_failure_of_one_file_falls_back_to_that_file_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    original = pom.ModelBuilder.build

    def failing(self: pom.ModelBuilder, located: object) -> object:
        if getattr(located, "key", "") == "web/pom.xml":
            raise ValueError("simulated resolution bug")
        return original(self, located)  # type: ignore[arg-type]

    monkeypatch.setattr(pom.ModelBuilder, "build", failing)
    results = parse_tree(FIXTURES / "sibling-module-dependency")
    assert sorted(results) == ["core/pom.xml", "pom.xml"]


def test_no_version_ever_contains_a_property_reference() -> None:
    roots = [path for path in FIXTURES.iterdir() if path.is_dir()]
    found = [p.version for root in roots for result in parse_tree(root).values() for p in result.packages]
    assert found
    assert not [version for version in found if version and "${" in version]


def test_large_generated_pom_parses(tmp_path: Path) -> None:
    entries = "".join(
        f"<dependency><groupId>org.gen</groupId><artifactId>a{i}</artifactId><version>${{v{i % 50}}}</version></dependency>\n"
        for i in range(20_000)
    )
    properties = "".join(f"<v{i}>1.{i}.0</v{i}>" for i in range(50))
    text = f"<project><groupId>g</groupId><artifactId>big</artifactId><version>1</version><properties>{properties}</properties><dependencies>\n{entries}</dependencies></project>"
    (tmp_path / "pom.xml").write_text(text)
    result = parse_alone(tmp_path)
    assert len(result.packages) == 20_000
    assert result.packages[-1].version == "1.49.0"
    assert result.packages[-1].line == 20_001


def test_deeply_nested_xml_does_not_crash(tmp_path: Path) -> None:
    depth = 200_000
    (tmp_path / "pom.xml").write_text("<project>" + "<x>" * depth + "</x>" * depth + "</project>")
    assert parse_alone(tmp_path).packages == []


def test_long_property_chain_is_cut_not_recursed(tmp_path: Path) -> None:
    properties = "".join(f"<p{i}>${{p{i + 1}}}</p{i}>" for i in range(5_000)) + "<p5000>9.9</p5000>"
    (tmp_path / "pom.xml").write_text(
        f"<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>{properties}</properties>"
        "<dependencies><dependency><groupId>g</groupId><artifactId>deep</artifactId><version>${p0}</version></dependency></dependencies></project>"
    )
    result = parse_alone(tmp_path)
    assert result.packages[0].version is None
    assert issues(result) == [(1, "property ${p32} refers to itself (cycle or nesting deeper than 32) (1 dependency)")]


def test_unparsable_parent_in_the_tree_is_named(tmp_path: Path) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "pom.xml").write_text((FIXTURES / "malformed" / "pom.xml").read_text())
    (tmp_path / "child" / "pom.xml").write_text(
        "<project><parent><groupId>org.acme</groupId><artifactId>broken</artifactId><version>1</version></parent>"
        "<artifactId>child</artifactId></project>"
    )
    results = parse_tree(tmp_path)
    assert sorted(results) == ["child/pom.xml"]
    assert issues(results["child/pom.xml"]) == [
        (1, "parent org.acme:broken:1 is in the tree but unusable: pom.xml cannot be parsed (not well-formed XML: mismatched tag, line 9)")
    ]


def test_hostile_pom_in_the_local_repository_is_refused_too(tmp_path: Path) -> None:
    folder = tmp_path / "m2" / "org" / "acme" / "evil" / "1"
    folder.mkdir(parents=True)
    (folder / "evil-1.pom").write_text((FIXTURES / "external-entity" / "pom.xml").read_text())
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "pom.xml").write_text(
        "<project><parent><groupId>org.acme</groupId><artifactId>evil</artifactId><version>1</version><relativePath/></parent>"
        "<artifactId>victim</artifactId></project>"
    )
    result = parse_tree(tmp_path / "tree", repository=tmp_path / "m2")["pom.xml"]
    assert [message for _, message in issues(result)] == [
        "parent org.acme:evil:1 is in the local repository but unusable: org/acme/evil/1/evil-1.pom cannot be parsed "
        "(DOCTYPE declaration refused: a POM never needs one, and its entity definitions could expand without bound "
        "or read files outside the project, line 3)"
    ]


@pytest.mark.parametrize("coordinates", [("..", "x", "1"), ("org.acme", "../x", "1"), ("org.acme", "x", "../../1"), ("org..acme", "x", "1")])
def test_repository_lookup_never_leaves_the_repository(tmp_path: Path, coordinates: tuple[str, str, str]) -> None:
    group, artifact, version = coordinates
    (tmp_path / "tree").mkdir()
    (tmp_path / "m2").mkdir()
    (tmp_path / "tree" / "pom.xml").write_text(
        f"<project><parent><groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version>"
        "<relativePath/></parent><artifactId>a</artifactId></project>"
    )
    result = parse_tree(tmp_path / "tree", repository=tmp_path / "m2")["pom.xml"]
    assert issues(result) == [(1, f"parent {group}:{artifact}:{version} not found in the scanned tree or local repository")]


@pytest.mark.parametrize("relative_path", ["..", "../", "..\\pom.xml", "../pom.xml"])
def test_relative_path_spellings(tmp_path: Path, relative_path: str) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "pom.xml").write_text(
        "<project><groupId>org.acme</groupId><artifactId>top</artifactId><version>4</version>"
        "<properties><lib.version>1.2</lib.version></properties></project>"
    )
    (tmp_path / "child" / "pom.xml").write_text(
        f"<project><parent><groupId>org.acme</groupId><artifactId>top</artifactId><version>4</version>"
        f"<relativePath>{relative_path}</relativePath></parent><artifactId>child</artifactId>"
        "<dependencies><dependency><groupId>org.acme</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency></dependencies></project>"
    )
    reader_only_child = parse_tree(tmp_path, only=["child/pom.xml"])["child/pom.xml"]  # parent read on demand
    assert [(p.name, p.version) for p in reader_only_child.packages] == [("org.acme:lib", "1.2")]
    assert reader_only_child.issues == []


# --- usage model: group, key path, issue codes -------------------------------------------


def test_group_is_the_maven_scope_as_written_compile_by_default() -> None:
    result = parse_tree(FIXTURES / "scopes-and-optional")["pom.xml"]
    assert [(p.name.split(":")[1], p.group) for p in result.packages] == [
        ("no-scope", "compile"),
        ("compile-scope", "compile"),
        ("runtime-scope", "runtime"),
        ("test-scope", "test"),
        ("provided-scope", "provided"),
        ("system-scope", "system"),
        ("optional-runtime", "compile"),
        ("optional-test", "test"),
        ("odd-scope", "weird"),  # kept as written; counted as runtime
    ]


def test_group_from_the_managed_scope() -> None:
    result = parse_tree(FIXTURES / "dependency-management-scope")["pom.xml"]
    assert [(p.name, p.group) for p in result.packages] == [
        ("org.assertj:assertj-core", "test"),  # dependencyManagement says test, the dependency nothing
        ("jakarta.servlet:jakarta.servlet-api", "compile"),  # the dependency's own scope wins
        ("com.github.ben-manes.caffeine:caffeine", "compile"),
    ]


@pytest.mark.parametrize(
    ("case", "repository", "pom", "expected"),
    [
        (
            "profiles",
            None,
            "pom.xml",
            [
                (None, "project.dependencies.dependency[0]", 10),
                (None, "project.profiles.profile[0].dependencies.dependency[0]", 23),
                (None, "project.profiles.profile[1].dependencies.dependency[0]", 35),
            ],
        ),
        (
            # inherited from a parent in the tree: where the parent declares it
            "relative-path-elsewhere",
            None,
            "app/pom.xml",
            [(None, "project.dependencies.dependency[0]", 11), ("parent-pom/parent.xml", "project.dependencies.dependency[0]", 11)],
        ),
        (
            # inherited from a local-repository parent: at this POM's <parent> element
            "parent-only-in-local-repository",
            "m2",
            "pom.xml",
            [
                (None, "project.dependencies.dependency[0]", 11),
                (None, "project.dependencies.dependency[1]", 15),
                (None, "project.dependencies.dependency[2]", 20),
                (None, "project.parent", 3),
            ],
        ),
    ],
)
def test_key_path_is_where_the_entry_sits(case: str, repository: str | None, pom: str, expected: list[tuple[str | None, str, int]]) -> None:
    root = FIXTURES / case
    tree = root / "project" if repository else root
    result = parse_tree(tree, repository=root / repository if repository else None)[pom]
    assert [(p.path, p.key_path, p.line) for p in result.packages] == expected


@pytest.mark.parametrize(
    ("case", "pom", "expected"),
    [
        (
            "parent-only-in-local-repository/project",
            "pom.xml",
            [
                (3, "unresolved-parent", "project.parent"),
                # versions only the missing parent could manage
                (11, "unresolved-parent", "project.dependencies.dependency[0]"),
                (15, "unresolved-property", "project.dependencies.dependency[1]"),
            ],
        ),
        (
            "undefined-property",
            "pom.xml",
            [
                (11, "unresolved-property", "project.dependencies.dependency[0]"),
                (26, "unresolved-property", "project.dependencies.dependency[3]"),  # a cycle
                (31, "unresolved-property", "project.dependencies.dependency[4]"),  # ${env.X}
                (36, "invalid-entry", "project.dependencies.dependency[5]"),  # no version, no parent to blame
            ],
        ),
        ("ci-friendly-revision-undefined", "pom.xml", [(7, "unresolved-property", "project.dependencies.dependency[0]")]),
        ("bom-import-cycle", "two/pom.xml", [(9, "unresolved-parent", "project.dependencyManagement.dependencies.dependency[0]")]),
        ("parent-cycle", "a/pom.xml", [(None, "unresolved-parent", None)]),
        (
            "dependency-without-coordinates",
            "pom.xml",
            [
                (8, "invalid-entry", "project.dependencyManagement.dependencies.dependency[0].groupId"),
                (15, "invalid-entry", "project.dependencies.dependency[0].groupId"),
                (19, "invalid-entry", "project.dependencies.dependency[1].artifactId"),
            ],
        ),
    ],
)
def test_issue_codes_and_key_paths(case: str, pom: str, expected: list[tuple[int | None, str, str | None]]) -> None:
    result = parse_tree(FIXTURES / case)[pom]
    assert [(found.line, found.code, found.key_path) for found in result.issues] == expected
    # what each hides is missing from the inventory: the scan stays incomplete
    assert all(found.severity is Severity.ERROR for found in result.issues)


def test_bom_with_an_undefined_property_in_its_coordinates(tmp_path: Path) -> None:
    (tmp_path / "pom.xml").write_text(
        "<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version>"
        "<dependencyManagement><dependencies><dependency><groupId>g</groupId><artifactId>bom</artifactId>"
        "<version>${bom.version}</version><type>pom</type><scope>import</scope></dependency>"
        "<dependency><groupId>g</groupId><artifactId>no-version-bom</artifactId><type>pom</type><scope>import</scope></dependency>"
        "</dependencies></dependencyManagement></project>",
        encoding="utf-8",
    )
    result = parse_tree(tmp_path)["pom.xml"]
    assert [(found.code, found.key_path, found.message) for found in result.issues] == [
        ("unresolved-property", "project.dependencyManagement.dependencies.dependency[0]", "BOM g:bom:${bom.version} has an unresolved coordinate (property ${bom.version} is not defined)"),
        ("invalid-entry", "project.dependencyManagement.dependencies.dependency[1]", "BOM g:no-version-bom:? has an unresolved coordinate (no version)"),
    ]
