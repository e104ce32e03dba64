"""Gradle version catalogs: every library notation, rich and dynamic versions, references,
bundles, plugins, malformed entries, peers' fixtures and hostile inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import FileRole, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.maven.gradle_catalog import MALFORMED_NOTATION_NOTE, SPEC, matches, parse_gradle_catalog
from ospo_scan.parsers.maven.gradle_catalog_versions import DYNAMIC_NOTE, NO_VERSION_NOTE, REJECT_ALL_NOTE, is_dynamic
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "gradle_catalog"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/java/gradleversioncatalog/testdata"

BUILD = frozenset({Scope.BUILD})
UNSTATED: frozenset[Scope] = frozenset()
"""Libraries carry no scope: which configuration uses them is only known by running the build."""


def parse_case(case: str, file: str = "libs.versions.toml") -> ParseResult:
    return parse_file_with(parse_gradle_catalog, FIXTURES, f"{case}/gradle/{file}")


def parse_text(text: str) -> ParseResult:
    return parse_gradle_catalog(SourceFile(path="gradle/libs.versions.toml", text=text), SandboxReader(FIXTURES))


def summary(result: ParseResult) -> list[tuple[str, str | None, str | None, int | None]]:
    """(name, version, requirement, line) of each package."""
    return [(p.name, p.version, p.requirement, p.line) for p in result.packages]


def notes(result: ParseResult) -> dict[str, str]:
    return {p.name: p.note for p in result.packages if p.note is not None}




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("gradle/libs.versions.toml", True),
        ("a/b/gradle/libs.versions.toml", True),
        ("gradle/testLibs.versions.toml", True),  # additional catalogs declared in settings
        ("a/b/gradle/test-libs.versions.toml", True),
        ("", False),
        ("libs.versions.toml", False),  # Gradle's default location only (osv-scalibr also takes this one)
        ("path/to/libs.versions.toml", False),
        ("src/testLibs.versions.toml", False),
        ("gradle/libs.versions.toml.bak", False),
        ("gradle/.versions.toml", False),
        ("gradle/sub/libs.versions.toml", False),
        ("path.to.my.libs.versions.toml", False),
        ("gradle/Cargo.toml", False),
    ],
)
def test_matches_catalogs_in_a_gradle_folder(path: str, expected: bool) -> None:
    assert matches(path) is expected
    assert SPEC.matches(path) is expected


def test_spec_is_a_maven_manifest() -> None:
    assert (SPEC.name, SPEC.ecosystem, SPEC.role, SPEC.parse) == (
        "gradle-version-catalog",
        Ecosystem.MAVEN,
        FileRole.MANIFEST,
        parse_gradle_catalog,
    )


def test_library_notations() -> None:
    result = parse_case("library-notations")
    assert summary(result) == [
        ("com.google.guava:guava", "33.2.1-jre", "33.2.1-jre", 7),
        ("com.puppycrawl.tools:checkstyle", "10.17.0", "10.17.0", 9),
        ("org.apache.groovy:groovy", "3.0.22", "3.0.22", 11),  # module + version.ref
        ("org.slf4j:slf4j-api", "2.0.13", "2.0.13", 13),  # group + name + version.ref
        ("org.apache.commons:commons-lang3", "3.14.0", "3.14.0", 15),
        ("com.fasterxml.jackson.core:jackson-databind", None, None, 17),  # platform-managed
        ("org.springframework:spring-core", None, None, 18),
        ("org.example:quoted", "1.0", "1.0", 19),  # quoted key
        # guava-again (line 21) is the same module version: one package
        ("org.junit:junit-bom", "5.10.2", "5.10.2", 23),  # [libraries.junit-bom] sub-table: the header's line
    ]
    assert notes(result) == {"com.fasterxml.jackson.core:jackson-databind": NO_VERSION_NOTE, "org.springframework:spring-core": NO_VERSION_NOTE}
    assert all(p.direct is True and p.scopes == UNSTATED and not p.first_party for p in result.packages)
    assert all(p.group is None for p in result.packages)  # a catalog has no sections
    assert [p.key_path for p in result.packages][:3] == ["libraries.guava", "libraries.checkstyle", "libraries.groovy-core"]
    assert result.issues == [] and result.project is None


def test_rich_and_dynamic_versions() -> None:
    result = parse_case("rich-versions")
    assert summary(result) == [
        ("org.example:strict", "2.0", "{strictly 2.0}", 7),
        ("org.example:required", "1.5", "{require 1.5}", 8),
        ("org.example:preferred", "1.0", "{prefer 1.0}", 9),
        # a strict range with a preferred version: the preferred one, the range kept as written
        ("com.fasterxml.jackson.core:jackson-core", "2.17.1", "{strictly [2.15, 2.18[; prefer 2.17.1}", 10),
        ("org.jetbrains.kotlin:kotlin-stdlib", "2.0.0", "{require 2.0.0; reject 2.0.0-RC1 & 2.0.0-Beta}", 11),
        ("io.netty:netty-all", None, "4.1.+", 12),
        ("org.example:maven-range", None, "[1.0,2.0)", 13),
        ("org.example:latest", None, "latest.release", 14),
        ("org.example:shorthand", "1.7", "1.7!!", 15),  # `1.7!!` is strictly 1.7
        ("org.example:shorthand-prefer", "1.2", "[1.0, 2.0[!!1.2", 16),
        ("org.example:banned", None, "{reject all versions}", 17),
        ("org.example:only-reject", None, "{reject 1.0}", 18),
        ("org.codehaus.groovy:groovy-json", "2.0.0", "{require 2.0.0; reject 2.0.0-RC1 & 2.0.0-Beta}", 19),  # version = { ref }
    ]
    assert notes(result) == {
        "io.netty:netty-all": DYNAMIC_NOTE,
        "org.example:maven-range": DYNAMIC_NOTE,
        "org.example:latest": DYNAMIC_NOTE,
        "org.example:banned": REJECT_ALL_NOTE,
        "org.example:only-reject": NO_VERSION_NOTE,
    }
    assert result.issues == []


@pytest.mark.parametrize(
    ("version", "dynamic"),
    [("1.0", False), ("1.0-SNAPSHOT", False), ("2.0.0-RC1", False), ("1.+", True), ("+", True), ("[1.0,2.0)", True), ("]1.0, 2.0[", True), ("latest.integration", True)],
)
def test_dynamic_versions_are_recognized(version: str, dynamic: bool) -> None:
    assert is_dynamic(version) is dynamic


def test_unknown_version_ref_is_an_issue_naming_the_key_path() -> None:
    result = parse_case("unknown-version-ref")
    assert summary(result) == [
        ("org.jetbrains.kotlin:kotlin-stdlib", "2.0.0", "2.0.0", 6),
        ("org.jetbrains.kotlin:kotlin-reflect", None, None, 7),  # kept, without a version
        ("io.ktor:ktor-client-core", "2.3.11", "2.3.11", 8),  # ktor-version finds ktor_version: Gradle's alias spelling
        ("org.jetbrains.kotlin.jvm:org.jetbrains.kotlin.jvm.gradle.plugin", None, None, 11),
    ]
    assert issues(result) == [
        (7, "libraries.kotlin-reflect.version.ref: unknown version alias 'kotlinn' (not in [versions])"),
        (11, "plugins.kotlin-jvm.version.ref: unknown version alias 'kotlin-plugin' (not in [versions])"),
    ]
    # a reference to no [versions] entry is a placeholder without a value
    assert [(found.code, found.key_path) for found in result.issues] == [
        ("unresolved-property", "libraries.kotlin-reflect.version.ref"),
        ("unresolved-property", "plugins.kotlin-jvm.version.ref"),
    ]
    assert result.packages[-1].key_path == "plugins.kotlin-jvm"
    assert notes(result)["org.jetbrains.kotlin:kotlin-reflect"] == (
        "unresolved version: libraries.kotlin-reflect.version.ref: unknown version alias 'kotlinn' (not in [versions])"
    )


def test_plugins_are_build_scope_marker_artifacts() -> None:
    result = parse_case("plugins-build-scope")
    assert [(p.name, p.version, p.scopes, p.line) for p in result.packages] == [
        ("org.jetbrains.kotlin:kotlin-stdlib", "2.0.0", UNSTATED, 5),
        ("org.jetbrains.kotlin.jvm:org.jetbrains.kotlin.jvm.gradle.plugin", "2.0.0", BUILD, 8),
        ("com.diffplug.spotless:com.diffplug.spotless.gradle.plugin", "6.25.0", BUILD, 9),
        ("com.github.johnrengelman.shadow:com.github.johnrengelman.shadow.gradle.plugin", "8.1.1", BUILD, 10),  # "id:version"
        ("com.android.application:com.android.application.gradle.plugin", None, BUILD, 11),
        ("org.example.plugin:org.example.plugin.gradle.plugin", None, BUILD, 13),  # kept, the version is an issue
    ]
    assert notes(result)["com.diffplug.spotless:com.diffplug.spotless.gradle.plugin"] == (
        "Gradle plugin com.diffplug.spotless, reported as its plugin marker artifact"
    )
    assert notes(result)["com.android.application:com.android.application.gradle.plugin"] == (
        "Gradle plugin com.android.application, reported as its plugin marker artifact; "
        "no version in the catalog: the build's plugin management or classpath supplies it"
    )
    assert all(p.direct is True for p in result.packages)
    assert issues(result) == [
        (12, "plugins.no-id: missing or invalid plugin `id`"),
        (13, "plugins.empty-version.version: the version must not be empty"),
    ]


def test_bundles_add_no_packages_and_unknown_members_are_issues() -> None:
    result = parse_case("bundles-add-no-packages")
    assert summary(result) == [
        ("org.apache.groovy:groovy", "4.0.21", "4.0.21", 2),
        ("org.apache.groovy:groovy-json", "4.0.21", "4.0.21", 3),
    ]
    assert issues(result) == [  # `groovy.json` is `groovy-json` spelled another way: no issue
        (7, "bundles.broken[1]: 'groovy-xml' is not a library alias of this catalog"),
        (7, "bundles.broken[2]: 42 is not a library alias of this catalog"),
        (8, "bundles.not-a-list: expected an array of library aliases, found str"),
    ]


def test_malformed_entries_are_issues_and_the_rest_is_read() -> None:
    result = parse_case("malformed-entries")
    assert summary(result) == [
        ("org.example:two-parts", None, None, 14),  # the module is known: kept without a version
        ("org.example:empty-version", None, None, 15),
        ("org.example:version-number", None, None, 16),
        ("org.example:ref-wins", "1.0", "1.0", 17),  # Gradle lets `ref` win over the other keys
        ("org.example:bad-ref-target", None, None, 18),
        ("org.example:unknown-key", "1.1", "1.1", 19),
        ("org.example:good", "1.0", "1.0", 20),
    ]
    assert notes(result) == {
        "org.example:two-parts": MALFORMED_NOTATION_NOTE,
        "org.example:empty-version": MALFORMED_NOTATION_NOTE,
        "org.example:version-number": "unresolved version: libraries.version-number.version: expected a string or a table, found int",
        "org.example:bad-ref-target": "unreadable version: versions.typo: unknown rich version key(s) strickly",
    }
    assert issues(result) == [
        (1, "dependencies: not a version catalog table (Gradle accepts metadata, versions, libraries, bundles, plugins); ignored"),
        (5, "versions.number: expected a string or a rich version table, found int"),
        (6, "versions.typo: unknown rich version key(s) strickly"),
        (7, "versions.blank: the version must not be empty"),
        (10, "libraries.a-number: expected a string or a table, found int"),
        (11, "libraries.no-colon.module: 'org.example-no-colon' is not `group:artifact`"),
        (12, 'libraries.no-module: needs `module = "group:artifact"` or both `group` and `name`'),
        (13, "libraries.too-many-parts: 'org.example:thing:1.0:jdk8' is not `group:artifact:version`"),
        (14, "libraries.two-parts: 'org.example:two-parts' has no version (Gradle requires `group:artifact:version`)"),
        (15, "libraries.empty-version: 'org.example:empty-version:' has no version (Gradle requires `group:artifact:version`)"),
        (16, "libraries.version-number.version: expected a string or a table, found int"),
        (19, "libraries.unknown-key: unknown key(s) classifier (Gradle accepts module, group, name, version)"),
        (23, "plugins.plugin-number: expected a string or a table, found int"),
    ]
    assert {found.code for found in result.issues} == {"invalid-entry"}
    assert [found.key_path for found in result.issues][:3] == ["dependencies", "versions.number", "versions.typo"]


def test_invalid_toml_raises_parse_error_with_the_line() -> None:
    with pytest.raises(ParseError) as raised:
        parse_case("invalid-toml")
    assert raised.value.line == 4 and raised.value.message.startswith("invalid TOML:")


def test_an_additional_catalog_is_read_the_same_way() -> None:
    result = parse_case("additional-catalog", "test-libs.versions.toml")
    assert summary(result) == [("junit:junit", "4.13.2", "4.13.2", 2)]


@pytest.mark.parametrize(
    ("text", "expected_issues"),
    [
        ("", []),
        ("[versions]\n", []),
        ("libraries = []\n", [(1, "libraries: expected a table, found list; ignored")]),
        ("[libraries]\n[plugins]\n[bundles]\n[metadata]\nformat.version = '1.1'\n", []),
    ],
)
def test_catalogs_without_entries(text: str, expected_issues: list[tuple[int, str]]) -> None:
    result = parse_text(text)
    assert result.packages == [] and issues(result) == expected_issues


def test_a_json_file_is_not_a_catalog() -> None:
    with pytest.raises(ParseError):
        parse_text('{"lockfileVersion": 3, "packages": {}}\n')


def test_a_truncated_catalog_raises_parse_error() -> None:
    text = (FIXTURES / "library-notations/gradle/libs.versions.toml").read_text(encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        parse_text(text[: text.index('version.ref = "groovy"') + len('version.ref = "gro')])
    assert raised.value.message == "invalid TOML: Unterminated string (at end of document)"


def test_deeply_nested_toml_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_text("[libraries]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = parse_text("[libraries]\nx = " + "{ a = " * 50 + "1" + " }" * 50 + "\n")  # nested but parseable
    assert result.packages == [] and issues(result) == [(2, 'libraries.x: needs `module = "group:artifact"` or both `group` and `name`')]


def test_a_5_mb_generated_catalog_parses() -> None:
    # catalogs are hand-written and small; 45,000 entries are enough to expose quadratic work
    # (tomllib alone needs about 1.5 s for this text, so 20 MB would make a slow test)
    count = 45_000
    versions = [f"v{index} = \"1.{index}.0\"" for index in range(count)]
    libraries = [f'lib-{index} = {{ module = "org.generated.group{index % 97}:artifact-number-{index:06d}", version.ref = "v{index}" }}' for index in range(count)]
    text = "[versions]\n" + "\n".join(versions) + "\n\n[libraries]\n" + "\n".join(libraries) + "\n"
    assert len(text) > 5_000_000
    started = time.perf_counter()
    result = parse_text(text)
    elapsed = time.perf_counter() - started
    assert len(result.packages) == count and result.issues == []
    assert (result.packages[-1].version, result.packages[-1].line) == (f"1.{count - 1}.0", 2 * count + 3)
    assert elapsed < 60  # generous: only guards against quadratic behaviour


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
def test_scalibr_catalog_with_all_library_shapes(corpus: Path) -> None:
    reader = SandboxReader(corpus)
    result = parse_gradle_catalog(reader.read(f"{SCALIBR}/libs.versions.toml"), reader)
    # osv-scalibr gradleversioncatalog_test.go: these nine libraries, the unversioned one with no version
    libraries = [(p.name, p.version) for p in result.packages if p.scopes == UNSTATED]
    assert libraries == [
        ("com.google.guava:guava", "30.1.1-jre"),
        ("com.puppycrawl.tools:checkstyle", "8.37"),
        ("org.codehaus.groovy:groovy", "3.0.5"),
        ("org.apache.commons:commons-lang3", "3.12.0"),
        ("org.example:strict", "2.0"),
        ("org.example:req", "1.5"),
        ("org.example:pref", "1.0"),
        ("org.codehaus.groovy:groovy-json", "3.0.5"),
        ("org.example:noversion", None),
    ]
    # scalibr leaves plugins out; we add them as BUILD (documented in gradle_catalog)
    plugins = [(p.name, p.version, p.line) for p in result.packages if p.scopes == BUILD]
    assert plugins == [("com.github.ben-manes.versions:com.github.ben-manes.versions.gradle.plugin", "0.45.0", 39)]
    assert [p.line for p in result.packages if p.scopes == UNSTATED] == [7, 10, 13, 16, 19, 22, 25, 28, 31]
    assert result.issues == []


@pytest.mark.corpus
def test_scalibr_empty_and_broken_catalogs(corpus: Path) -> None:
    reader = SandboxReader(corpus)
    empty = parse_gradle_catalog(reader.read(f"{SCALIBR}/empty.versions.toml"), reader)
    assert empty.packages == [] and empty.issues == []
    for broken in ("invalid.versions.toml", "not-toml.txt"):  # scalibr: "failed to parse"
        with pytest.raises(ParseError):
            parse_gradle_catalog(reader.read(f"{SCALIBR}/{broken}"), reader)


# --- real-world corpus -----------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_catalog_parses(corpus: Path) -> None:
    files = sorted(path for path in corpus.rglob("*.versions.toml") if matches(path.relative_to(corpus).as_posix()))
    assert files == []  # no Gradle project in the real-world corpus yet; the loop below is for when one comes
    for path in files:
        reader = SandboxReader(corpus)
        result = parse_gradle_catalog(reader.read(path.relative_to(corpus).as_posix()), reader)
        assert result.issues == [], path
