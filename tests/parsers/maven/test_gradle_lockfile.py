"""Gradle lockfiles: scopes from configurations, the three lockfile kinds, the legacy layout,
malformed lines, peers' fixtures and hostile inputs."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import FileRole, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.maven.gradle_lockfile import SPEC, configuration_scope, matches, package_scopes, parse_gradle_lockfile
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "gradle_lockfile"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/java/gradlelockfile/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/java/testdata/gradle/gradle.lockfile"

RUNTIME, TEST, PROVIDED, BUILD, DEV = Scope.RUNTIME, Scope.TEST, Scope.PROVIDED, Scope.BUILD, Scope.DEV


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_gradle_lockfile, root, relative)


def parse_text(text: str, path: str = "gradle.lockfile") -> ParseResult:
    return parse_gradle_lockfile(SourceFile(path=path, text=text), SandboxReader(FIXTURES))


def summary(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], int | None]]:
    return [(p.name, p.version, p.scopes, p.line) for p in result.packages]


def names(result: ParseResult) -> list[tuple[str, str | None]]:
    return [(p.name, p.version) for p in result.packages]


def scopes(*members: Scope) -> frozenset[Scope]:
    return frozenset(members)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("gradle.lockfile", True),
        ("path/to/my/gradle.lockfile", True),
        ("buildscript-gradle.lockfile", True),
        ("app/buildscript-gradle.lockfile", True),
        ("settings-gradle.lockfile", True),
        ("gradle/dependency-locks/compileClasspath.lockfile", True),
        ("app/gradle/dependency-locks/buildscript-classpath.lockfile", True),
        ("", False),
        ("path/to/my/gradle.lockfile/file", False),
        ("path/to/my/gradle.lockfile.file", False),
        ("path.to.my.gradle.lockfile", False),
        ("other.lockfile", False),  # *.lockfile only inside gradle/dependency-locks/
        ("dependency-locks/compileClasspath.lockfile", False),
        ("gradle/dependency-locks/.lockfile", False),
        ("gradle/dependency-locks/nested/compileClasspath.lockfile", False),
        ("gradle/libs.versions.toml", False),
    ],
)
def test_matches_the_lockfile_names(path: str, expected: bool) -> None:
    assert matches(path) is expected
    assert SPEC.matches(path) is expected


def test_spec_is_a_maven_lockfile() -> None:
    assert (SPEC.name, SPEC.ecosystem, SPEC.role, SPEC.parse) == ("gradle-lockfile", Ecosystem.MAVEN, FileRole.LOCKFILE, parse_gradle_lockfile)


def test_scopes_come_from_the_configurations() -> None:
    result = parse_path(FIXTURES, "configuration-scopes/gradle.lockfile")
    assert summary(result) == [
        ("com.google.guava:guava", "33.2.1-jre", scopes(RUNTIME), 4),  # runtime wins over compile and test
        ("jakarta.servlet:jakarta.servlet-api", "6.0.0", scopes(PROVIDED), 5),  # compile classpath only
        ("org.projectlombok:lombok", "1.18.32", scopes(PROVIDED, BUILD), 6),  # compileOnly + annotation processor
        ("com.google.dagger:dagger-compiler", "2.51", scopes(BUILD), 7),
        ("org.junit.jupiter:junit-jupiter", "5.10.2", scopes(TEST), 8),
        ("org.testcontainers:postgresql", "1.19.8", scopes(TEST), 9),  # integrationTest... is a test source set
        ("org.mockito:mockito-core", "5.12.0", scopes(TEST), 10),  # testFixtures...
        ("com.google.auto.service:auto-service", "1.1.1", scopes(TEST), 11),  # testAnnotationProcessor: test first
        ("org.springframework.boot:spring-boot-devtools", "3.3.0", scopes(DEV), 12),
        ("org.jetbrains.kotlin:kotlin-compiler-embeddable", "2.0.0", scopes(BUILD), 13),
        ("com.pinterest.ktlint:ktlint-cli", "1.3.0", scopes(BUILD), 14),
        ("org.slf4j:slf4j-api", "2.0.13", scopes(RUNTIME), 15),  # a Kotlin multiplatform target's classpath
        ("androidx.core:core", "1.13.1", scopes(RUNTIME), 16),  # an Android variant's classpath
        ("com.example.tools:agent", "1.0.0", scopes(RUNTIME), 17),  # unknown configuration: counted as runtime
    ]
    assert result.packages[0].note == "configurations: compileClasspath, runtimeClasspath, testCompileClasspath, testRuntimeClasspath"
    assert result.packages[1].note == "configurations: compileClasspath, testCompileClasspath"
    # the group is the configurations as the line writes them, the key path the line's key
    assert (result.packages[1].group, result.packages[1].key_path) == (
        "compileClasspath,testCompileClasspath",
        "jakarta.servlet:jakarta.servlet-api:6.0.0",
    )
    assert all(p.direct is None and not p.first_party and p.requirement is None for p in result.packages)
    assert result.issues == [] and result.project is None and result.edges == []


@pytest.mark.parametrize(
    ("configuration", "scope"),
    [
        ("runtimeClasspath", RUNTIME),
        ("productionRuntimeClasspath", RUNTIME),
        ("releaseRuntimeClasspath", RUNTIME),
        ("compileClasspath", PROVIDED),
        ("compileOnly", PROVIDED),
        ("annotationProcessor", BUILD),
        ("kapt", BUILD),
        ("kspKotlin", BUILD),
        ("kotlinCompilerPluginClasspathMain", BUILD),
        ("kotlinKlibCommonizerClasspath", BUILD),
        ("jacocoAgent", BUILD),
        ("detektPlugins", BUILD),
        ("developmentOnly", DEV),
        ("testRuntimeClasspath", TEST),
        ("testCompileClasspath", TEST),
        ("kaptTest", TEST),
        ("kotlinCompilerPluginClasspathTest", TEST),
        ("debugUnitTestRuntimeClasspath", TEST),
        ("debugAndroidTestCompileClasspath", TEST),
        ("contestRuntimeClasspath", RUNTIME),  # `test` inside a word is not a test source set
        ("default", RUNTIME),
    ],
)
def test_configuration_scope_table(configuration: str, scope: Scope) -> None:
    assert configuration_scope(configuration) is scope


@pytest.mark.parametrize(
    ("configurations", "expected"),
    [
        ((), scopes(RUNTIME)),  # nothing listed: assume it ships
        (("testRuntimeClasspath",), scopes(TEST)),
        (("compileClasspath", "testRuntimeClasspath"), scopes(PROVIDED)),
        (("developmentOnly", "annotationProcessor"), scopes(DEV, BUILD)),
        (("annotationProcessor", "runtimeClasspath"), scopes(RUNTIME)),
    ],
)
def test_package_scopes_combine_configurations(configurations: tuple[str, ...], expected: frozenset[Scope]) -> None:
    assert package_scopes(configurations) == expected


@pytest.mark.parametrize(
    ("case", "expected", "note"),
    [
        (
            "buildscript-classpath/buildscript-gradle.lockfile",
            [("com.github.ben-manes:gradle-versions-plugin", "0.51.0", scopes(BUILD), 4), ("com.squareup.moshi:moshi", "1.15.1", scopes(BUILD), 5)],
            "build script classpath; configurations: classpath",
        ),
        (
            "settings-classpath/settings-gradle.lockfile",
            [("com.gradle:develocity-gradle-plugin", "3.17.5", scopes(BUILD), 4)],
            "build script classpath; configurations: classpath",
        ),
    ],
)
def test_script_lockfiles_are_build_scope(case: str, expected: list[tuple[str, str, frozenset[Scope], int]], note: str) -> None:
    result = parse_path(FIXTURES, case)
    assert summary(result) == expected
    assert {p.note for p in result.packages} == {note}
    assert result.issues == []


@pytest.mark.parametrize(
    ("file", "expected", "note"),
    [
        (
            "compileClasspath.lockfile",
            [("org.springframework:spring-beans", "5.0.5.RELEASE", scopes(PROVIDED), 4), ("org.springframework:spring-core", "5.0.5.RELEASE", scopes(PROVIDED), 5)],
            "configurations: compileClasspath",
        ),
        (
            "testRuntimeClasspath.lockfile",
            [("junit:junit", "4.12", scopes(TEST), 4), ("org.hamcrest:hamcrest-core", "1.3", scopes(TEST), 5)],
            "configurations: testRuntimeClasspath",
        ),
        (
            "buildscript-classpath.lockfile",
            [("org.springframework.boot:spring-boot-gradle-plugin", "2.0.1.RELEASE", scopes(BUILD), 4)],
            "build script classpath; configurations: buildscript-classpath",
        ),
    ],
)
def test_legacy_layout_takes_the_configuration_from_the_file_name(
    file: str, expected: list[tuple[str, str, frozenset[Scope], int]], note: str
) -> None:
    result = parse_path(FIXTURES, f"legacy-per-configuration/gradle/dependency-locks/{file}")
    assert summary(result) == expected
    assert {p.note for p in result.packages} == {note}
    assert {p.group for p in result.packages} == {file.removesuffix(".lockfile")}
    assert result.issues == []


def test_malformed_lines_are_issues_and_the_rest_is_read() -> None:
    result = parse_path(FIXTURES, "malformed-lines/gradle.lockfile")
    assert summary(result) == [
        ("org.slf4j:slf4j-api", "2.0.13", scopes(RUNTIME), 2),
        ("org.example:no-configurations", "1.0", scopes(RUNTIME), 6),  # kept: the module is known
        ("org.example:bad-configuration", "1.0", scopes(RUNTIME), 7),
        ("org.example:indented", "2.0", scopes(PROVIDED), 10),  # surrounding blanks are tolerated
    ]
    assert result.packages[1].note == "configurations: none listed"
    assert result.packages[2].note == "configurations: runtimeClasspath"
    assert issues(result) == [
        (3, "expected `group:artifact:version=configurations`, found '<<<<<<< HEAD'"),
        (4, "expected `group:artifact:version=configurations`, found 'org.example:two-parts=runtimeClasspath'"),
        (5, "expected `group:artifact:version=configurations`, found 'org.example:four:parts:1.0=runtimeClasspath'"),
        (6, "org.example:no-configurations:1.0: no `=configurations` part (the configurations are unknown)"),
        (7, "org.example:bad-configuration:1.0: '' is not a configuration name"),
        (7, "org.example:bad-configuration:1.0: 'test Runtime' is not a configuration name"),
        (8, "expected `group:artifact:version=configurations`, found 'org.example::1.0=runtimeClasspath'"),
        (9, "org.slf4j:slf4j-api:2.0.13: locked twice (first at line 2); kept once"),
        (11, "empty: 'runtime Classpath' is not a configuration name"),
    ]
    assert {(found.code, found.severity.value) for found in result.issues} == {("invalid-entry", "error")}
    assert [p.group for p in result.packages] == ["runtimeClasspath", None, "runtimeClasspath", "compileClasspath"]


def test_two_versions_of_one_module_are_both_kept() -> None:
    result = parse_path(FIXTURES, "same-module-two-versions/gradle.lockfile")
    assert summary(result) == [
        ("com.fasterxml.jackson.core:jackson-databind", "2.15.4", scopes(PROVIDED), 1),
        ("com.fasterxml.jackson.core:jackson-databind", "2.17.1", scopes(RUNTIME), 2),
    ]


def test_the_empty_line_is_not_a_package() -> None:
    result = parse_path(FIXTURES, "only-header-and-empty/gradle.lockfile")
    assert result.packages == [] and result.issues == []


def test_a_file_with_no_readable_line_is_not_a_lockfile() -> None:
    with pytest.raises(ParseError) as raised:
        parse_path(FIXTURES, "not-a-lockfile/gradle.lockfile")
    assert (raised.value.message, raised.value.line) == ("not a Gradle lockfile: expected `group:artifact:version=configurations`, found '{'", 1)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only\n# comments\n"])
def test_empty_and_comment_only_files_have_nothing_and_no_issue(text: str) -> None:
    result = parse_text(text)
    assert result.packages == [] and result.issues == []


def test_crlf_and_a_truncated_last_line() -> None:
    text = "# header\r\norg.a:a:1.0=runtimeClasspath\r\norg.b:b:2.0=compileClasspath,runtimeCla"
    result = parse_text(text)
    # the cut `runtimeCla` is still a name (an unknown one, so runtime): the line stays readable
    assert summary(result) == [("org.a:a", "1.0", scopes(RUNTIME), 2), ("org.b:b", "2.0", scopes(RUNTIME), 3)]
    assert result.packages[1].note == "configurations: compileClasspath, runtimeCla"
    truncated = parse_text("org.a:a:1.0=runtimeClasspath\norg.b:b")
    assert names(truncated) == [("org.a:a", "1.0")]
    assert issues(truncated) == [(2, "expected `group:artifact:version=configurations`, found 'org.b:b'")]


def test_a_20_mb_generated_lockfile_parses() -> None:
    configurations = "compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath"
    lines = ["# This is a Gradle generated file for dependency locking."]
    lines += [f"org.generated.group{index % 97}:artifact-number-{index:06d}:1.{index}.0={configurations}" for index in range(200_000)]
    text = "\n".join(lines + ["empty=annotationProcessor"]) + "\n"
    assert len(text) > 20_000_000
    started = time.perf_counter()
    result = parse_text(text)
    elapsed = time.perf_counter() - started
    assert len(result.packages) == 200_000 and result.issues == []
    assert result.packages[-1].line == 200_001
    assert elapsed < 60  # generous: only guards against quadratic behaviour


# --- peers' fixtures -------------------------------------------------------------


SPRING = "org.springframework.boot:spring-boot-"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # osv-scalibr gradlelockfile_test.go: the same packages (scalibr has no scopes or lines)
        ("only-comments", []),
        ("only-empty", []),
        ("one-pkg", [("org.springframework.security:spring-security-crypto", "5.7.3", scopes(RUNTIME), 4)]),
        (
            "5-pkg",
            [
                (f"{SPRING}autoconfigure", "2.7.4", scopes(RUNTIME), 5),
                (f"{SPRING}configuration-processor", "2.7.5", scopes(PROVIDED, BUILD), 6),
                (f"{SPRING}devtools", "2.7.6", scopes(RUNTIME), 7),
                (f"{SPRING}starter-aop", "2.7.7", scopes(RUNTIME), 8),
                (f"{SPRING}starter-data-jpa", "2.7.8", scopes(RUNTIME), 9),
            ],
        ),
        (
            "with-bad-pkg",
            [(f"{SPRING}autoconfigure", "2.7.4", scopes(RUNTIME), 7), (f"{SPRING}configuration-processor", "2.7.5", scopes(RUNTIME), 14)],
        ),
    ],
)
def test_scalibr_fixtures(corpus: Path, case: str, expected: list[tuple[str, str, frozenset[Scope], int]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{case}")
    assert summary(result) == expected
    if case != "with-bad-pkg":
        assert result.issues == []


@pytest.mark.corpus
def test_scalibr_bad_lines_are_issues(corpus: Path) -> None:
    result = parse_path(corpus, f"{SCALIBR}/with-bad-pkg")
    assert issues(result) == [
        (3, "expected `group:artifact:version=configurations`, found '>>>'"),
        (4, "expected `group:artifact:version=configurations`, found '////'"),
        (5, "empty: '======' is not a configuration name"),
        (9, "expected `group:artifact:version=configurations`, found 'a'"),
        (10, "expected `group:artifact:version=configurations`, found 'b'"),
    ]


@pytest.mark.corpus
def test_syft_fixture(corpus: Path) -> None:
    # syft parse_gradle_lockfile_test.go: commons-text 1.8, hamcrest-core 1.3, joda-time 2.2, junit 4.12
    result = parse_path(corpus, SYFT)
    assert summary(result) == [
        ("joda-time:joda-time", "2.2", scopes(RUNTIME), 4),
        ("junit:junit", "4.12", scopes(TEST), 5),
        ("org.hamcrest:hamcrest-core", "1.3", scopes(TEST), 6),
        ("org.apache.commons:commons-text", "1.8", scopes(PROVIDED), 8),
    ]
    assert result.issues == []


# --- real-world corpus -----------------------------------------------------------


_LOCKED_LINE = re.compile(r"^[^#:=\s]+:[^#:=\s]+:[^#:=\s]+(=|$)", re.MULTILINE)


def independent_count(text: str) -> int:
    """Distinct `g:a:v` at the start of lines, by a regex over the whole text (not line by line)."""
    return len({match.group(0).rstrip("=") for match in _LOCKED_LINE.finditer(text)})


@pytest.mark.corpus
def test_every_corpus_gradle_lockfile_parses_with_the_independent_count(corpus: Path) -> None:
    files = sorted(path for path in corpus.rglob("*lockfile*") if path.is_file() and matches(path.relative_to(corpus).as_posix()))
    # the real-world corpus has no Gradle project yet: only syft's fixture matches by name
    assert [path.relative_to(corpus).as_posix() for path in files] == [SYFT]
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        assert len(result.packages) == independent_count(path.read_text(encoding="utf-8")), path
        assert result.issues == [], path
