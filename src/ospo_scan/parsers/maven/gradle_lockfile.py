"""Gradle dependency lockfiles -> the module versions a build resolved, with their scopes.

Gradle writes one line per locked module, `group:artifact:version=conf1,conf2`, listing
the configurations (classpaths) that resolved it, and one `empty=conf1,conf2` line for
the locked configurations that resolved nothing (not a package). `#` starts a comment.
Three files hold that format: `gradle.lockfile` (the project's configurations),
`buildscript-gradle.lockfile` and `settings-gradle.lockfile` (the classpaths of the
build and settings scripts: Gradle plugins and their dependencies, hence BUILD scope).
The older per-configuration layout (Gradle < 6) keeps one `<configuration>.lockfile` per
configuration in `gradle/dependency-locks/`, with bare `group:artifact:version` lines;
there the file name is the configuration.

Scopes follow from the configurations, because that is all the lockfile says about why
a module is there (see `configuration_scope`): a module on any non-test runtime
classpath is RUNTIME (an unknown configuration counts as runtime: over-reporting what
ships is safer than hiding it); on non-test compile classpaths only, PROVIDED (Gradle's
`compileOnly`, Maven's `provided`: compiled against, supplied by the runtime); only in
annotation processors and build-tool configurations, BUILD; only in Spring Boot's
`developmentOnly`, DEV; only in test configurations, TEST. The raw configuration list
stays in the package's note.

Each package's group is its configurations as the line writes them (`compileClasspath,
runtimeClasspath`; the file's configuration in the legacy layout), its key path the
line's `group:artifact:version` key. The lockfile does not say which modules the build
script declares, so `direct` is None and resolution decides. Build scripts are never
executed nor read. A malformed line is an issue (code `invalid-entry`) and the rest is
read; a file with no readable line at all is not a lockfile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, ScanIssue, Scope
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    basename,
    issue,
    folder_above,
)

PARSER_NAME = "gradle-lockfile"
PROJECT_LOCKFILE = "gradle.lockfile"
SCRIPT_LOCKFILES = frozenset({"buildscript-gradle.lockfile", "settings-gradle.lockfile"})
"""Lockfiles of the build and settings scripts' own classpaths (plugins): BUILD scope."""
LEGACY_FOLDER = "gradle/dependency-locks"
LEGACY_SUFFIX = ".lockfile"
LEGACY_SCRIPT_PREFIX = "buildscript-"
"""The legacy layout names the build script's classpath `buildscript-classpath.lockfile`."""
EMPTY_KEY = "empty"

_COORDINATES = re.compile(r"^([^\s:=,#]+):([^\s:=,#]+):([^\s:=,#]+)$")
_CONFIGURATION = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.-]*$")

TOOL_CONFIGURATIONS = frozenset(
    {
        "antlr", "checkstyle", "codenarc", "detekt", "detektPlugins", "errorprone", "jacocoAgent",
        "jacocoAnt", "ktlint", "pmd", "pmdAux", "spotbugs", "spotbugsPlugins", "spotbugsSlf4j", "zinc",
    }
)  # fmt: skip
"""Configurations of the code-quality and compiler plugins: tools that run in the build."""


def project_folder(path: str) -> str:
    """A legacy `gradle/dependency-locks/*.lockfile` belongs to the project above `gradle/`."""
    return folder_above(path, 3) if _legacy_configuration(path) is not None else folder_above(path, 1)


def matches(path: str) -> bool:
    """The fixed lockfile names, or any `*.lockfile` of the legacy `gradle/dependency-locks/`."""
    name = basename(path)
    if name == PROJECT_LOCKFILE or name in SCRIPT_LOCKFILES:
        return True
    return _legacy_configuration(path) is not None


def parse_gradle_lockfile(source: SourceFile, reader: FileReader) -> ParseResult:
    """One package per locked group:artifact:version, scoped by its configurations."""
    layout = _layout(source.path)
    result = ParseResult()
    found: dict[tuple[str, str], int] = {}
    readable = 0
    for number, raw in enumerate(source.text.split("\n"), 1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            entry = _entry(text, layout)
        except ValueError as error:
            result.issues.append(_invalid_entry(source, str(error), number))
            continue
        readable += 1
        result.issues.extend(_invalid_entry(source, problem, number) for problem in entry.problems)
        if entry.coordinates is not None:
            _add_package(source, result, found, entry.coordinates, entry.configurations, number, layout)
    if readable == 0 and result.issues:
        first = result.issues[0]
        raise ParseError(f"not a Gradle lockfile: {first.message}", first.line)
    return result


def _invalid_entry(source: SourceFile, message: str, line: int) -> ScanIssue:
    """A line that cannot be (fully) read; the others are. Still an error: the scan is incomplete."""
    return issue(source, PARSER_NAME, message, line, code=INVALID_ENTRY)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Layout:
    """What the file's name and place say about every line of it."""

    script: bool
    """True for the build/settings script classpath: every module is BUILD."""
    configuration: str | None = None
    """The legacy layout's configuration (the file name), else None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    """What one readable line says."""

    coordinates: tuple[str, str, str] | None
    """(group, artifact, version), or None for the `empty=` line."""
    configurations: tuple[str, ...]
    problems: tuple[str, ...] = ()
    """Flaws that do not hide what the line names."""


def _layout(path: str) -> _Layout:
    legacy = _legacy_configuration(path)
    if legacy is not None:
        return _Layout(script=legacy.startswith(LEGACY_SCRIPT_PREFIX), configuration=legacy)
    return _Layout(script=basename(path) in SCRIPT_LOCKFILES)


def _legacy_configuration(path: str) -> str | None:
    """`compileClasspath` for `.../gradle/dependency-locks/compileClasspath.lockfile`, else None."""
    folder, _, name = path.rpartition("/")
    if not name.endswith(LEGACY_SUFFIX) or len(name) == len(LEGACY_SUFFIX):
        return None
    if folder != LEGACY_FOLDER and not folder.endswith("/" + LEGACY_FOLDER):
        return None
    return name[: -len(LEGACY_SUFFIX)]


def _entry(text: str, layout: _Layout) -> _Entry:
    """What one non-comment line says, or ValueError when it names nothing readable."""
    coordinates, equals, listed = text.partition("=")
    coordinates = coordinates.strip()
    configurations, problems = _configurations(listed, coordinates) if equals else ((), [])
    if coordinates == EMPTY_KEY and equals:
        return _Entry(coordinates=None, configurations=configurations, problems=tuple(problems))
    parts = _COORDINATES.match(coordinates)
    if parts is None:
        raise ValueError(f"expected `group:artifact:version=configurations`, found {excerpt(text)}")
    if not equals and layout.configuration is not None:
        configurations = (layout.configuration,)
    elif not equals:
        problems.append(f"{coordinates}: no `=configurations` part (the configurations are unknown)")
    return _Entry(coordinates=(parts[1], parts[2], parts[3]), configurations=configurations, problems=tuple(problems))


def _configurations(listed: str, key: str) -> tuple[tuple[str, ...], list[str]]:
    """The well-formed configuration names of `a,b,c`, and a problem per bad one."""
    names, bad = _split_configurations(listed)
    return names, [f"{key}: {excerpt(name)} is not a configuration name" for name in bad]


@lru_cache(maxsize=4096)
def _split_configurations(listed: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(good names, bad names); cached because a lockfile repeats a handful of lists thousands of times."""
    if not listed.strip():
        return (), ()
    parts = [part.strip() for part in listed.split(",")]
    return tuple(p for p in parts if _CONFIGURATION.match(p)), tuple(p for p in parts if not _CONFIGURATION.match(p))


def _add_package(
    source: SourceFile,
    result: ParseResult,
    found: dict[tuple[str, str], int],
    coordinates: tuple[str, str, str],
    configurations: tuple[str, ...],
    number: int,
    layout: _Layout,
) -> None:
    """Append the line's package unless the same module version was already locked."""
    group, artifact, version = coordinates
    name = f"{group}:{artifact}"
    first = found.setdefault((name, version), number)
    if first != number:
        result.issues.append(_invalid_entry(source, f"{name}:{version}: locked twice (first at line {first}); kept once", number))
        return
    scopes = frozenset({Scope.BUILD}) if layout.script else package_scopes(configurations)
    note = _note(configurations, layout)
    package = DeclaredPackage(
        name=name,
        version=version,
        scopes=scopes,
        direct=None,
        line=number,
        note=note,
        group=",".join(configurations) or None,
        key_path=f"{name}:{version}",
    )
    result.packages.append(package)


def _note(configurations: tuple[str, ...], layout: _Layout) -> str:
    listed = ", ".join(configurations) if configurations else "none listed"
    if layout.script:
        return f"build script classpath; configurations: {listed}"
    return f"configurations: {listed}"


@lru_cache(maxsize=4096)
def package_scopes(configurations: tuple[str, ...]) -> frozenset[Scope]:
    """A module's scopes from the configurations that resolved it.

    Runtime wins over everything (a module that ships is runtime, whatever else uses
    it); otherwise the non-test uses are kept together (PROVIDED, BUILD, DEV); test
    only when nothing else resolved it. No configuration at all: RUNTIME, to be safe.
    """
    found = {configuration_scope(name) for name in configurations}
    outside_tests = found - {Scope.TEST}
    if Scope.RUNTIME in outside_tests or not found:
        return frozenset({Scope.RUNTIME})
    return frozenset(outside_tests or {Scope.TEST})


def configuration_scope(name: str) -> Scope:
    """The scope one configuration implies, by Gradle's naming conventions.

    Test source sets (`test...`, `integrationTest...`, Android's `...UnitTest...`) come
    first, so `testAnnotationProcessor` is TEST. Then tools that run in the build (annotation
    processors, kapt/ksp, the Kotlin compiler, code-quality plugins), compile-only
    classpaths, Spring Boot's `developmentOnly`; anything else counts as runtime.
    """
    lowered = name.lower()
    if name.startswith("test") or "Test" in name:
        return Scope.TEST
    if _is_build_tool(name, lowered):
        return Scope.BUILD
    if "runtimeclasspath" in lowered:
        return Scope.RUNTIME
    if "compileclasspath" in lowered or "compileonly" in lowered:
        return Scope.PROVIDED
    if lowered == "developmentonly":
        return Scope.DEV
    return Scope.RUNTIME


def _is_build_tool(name: str, lowered: str) -> bool:
    if name in TOOL_CONFIGURATIONS or "annotationprocessor" in lowered or lowered.startswith(("kapt", "ksp")):
        return True
    return lowered.startswith("kotlin") and any(word in lowered for word in ("compiler", "commonizer", "buildtools"))


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.MAVEN,
    role=FileRole.LOCKFILE,
    project_folder=project_folder,
    matches=matches,
    parse=parse_gradle_lockfile,
)
