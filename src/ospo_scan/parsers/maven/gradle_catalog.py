"""Gradle version catalogs (`gradle/libs.versions.toml`) -> the libraries and plugins they declare.

A catalog is TOML with four tables. `[versions]` names versions (strings or rich
tables) that entries refer to with `version.ref`. `[libraries]` declares modules as
`"group:artifact:version"` or as a table with `module = "group:artifact"` or `group` +
`name`, and a version written inline, by reference, as a rich table, or not at all (a
platform/BOM supplies it: version None with a note). `[bundles]` only groups library
aliases: they add no package, but an alias that names no library is an issue.
`[plugins]` are Gradle plugins, which run in the build: they are reported with BUILD
scope under their plugin marker coordinates `<id>:<id>.gradle.plugin` (the artifact
Gradle resolves for a plugin id), so the inventory shows the build tooling without
mixing it with what ships. How a version string becomes a version is in
`gradle_catalog_versions`.

Every entry is `direct=True`: the catalog is the project's own declaration. Whether the
build actually uses each entry, and in which configuration (so which scope), is only
known by executing the build scripts, which we never do nor read: libraries state no
scope (and no group: the catalog has no sections), and a lockfile beside the build says
what was really resolved. Each entry's key path is its TOML key (`libraries.guava`,
`plugins.kotlin-jvm`).

An entry Gradle would refuse is an issue with code `invalid-entry` (a `version.ref` to
no `[versions]` entry: `unresolved-property`), at the entry's line and key path; the
rest of the catalog is read.

Lines: tomllib gives no positions, so each entry's line is found in the text by its
table header and key (`TomlLines`, one indexing pass, then a lookup per entry). A key
written in a way the index cannot see gives line None rather than a guess. Other
catalog files (`gradle/*.versions.toml`) are declared in settings scripts; any
`.versions.toml` in a `gradle/` folder is read as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredPackage,
    FileReader,
    FileRole,
    IssueCollector,
    ParseResult,
    ParserSpec,
    SourceFile,
    folder_above,
)
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.lines.toml_keys import TomlLines
from ospo_scan.parsers.maven.gradle_catalog_versions import (
    NO_VERSION,
    CatalogError,
    CatalogVersion,
    declared_version,
    normalize_alias,
    rich_version,
    string_version,
    with_normalized_aliases,
)

PARSER_NAME = "gradle-version-catalog"
CATALOG_FOLDER = "gradle"
CATALOG_SUFFIX = ".versions.toml"
TOP_LEVEL = ("metadata", "versions", "libraries", "bundles", "plugins")
"""The only top-level tables Gradle accepts in a catalog."""
LIBRARY_KEYS = ("module", "group", "name", "version")
"""The keys Gradle accepts in a library table."""
PLUGIN_MARKER = ".gradle.plugin"
PLUGIN_WITHOUT_VERSION = CatalogVersion(
    version=None, requirement=None, note="no version in the catalog: the build's plugin management or classpath supplies it"
)
MALFORMED_NOTATION_NOTE = "the catalog entry's `group:artifact:version` notation has no version"


def matches(path: str) -> bool:
    """`<name>.versions.toml` directly inside a `gradle/` folder (libs.versions.toml by default)."""
    parts = path.split("/")
    name = parts[-1]
    return len(parts) >= 2 and parts[-2] == CATALOG_FOLDER and name.endswith(CATALOG_SUFFIX) and name != CATALOG_SUFFIX


def parse_gradle_catalog(source: SourceFile, reader: FileReader) -> ParseResult:
    """Libraries (RUNTIME) and plugins (BUILD) of the catalog, each with its line."""
    result = ParseResult()
    lines = TomlLines(source.text)
    catalog = _Catalog(source=source, parser=PARSER_NAME, issues=result.issues, code=INVALID_ENTRY, text=lines, result=result)
    document = load_toml(source)
    unknown = [key for key in document if key not in TOP_LEVEL]
    for key in unknown:
        catalog.report_at(f"{key}: not a version catalog table (Gradle accepts {', '.join(TOP_LEVEL)}); ignored", (key,))
    versions = _read_versions(catalog, catalog.table(document, "versions"))
    libraries = catalog.table(document, "libraries")
    for alias, value in libraries.items():
        catalog.add(_library(catalog, alias, value, versions))
    _check_bundles(catalog, catalog.table(document, "bundles"), libraries)
    for alias, value in catalog.table(document, "plugins").items():
        catalog.add(_plugin(catalog, alias, value, versions))
    return catalog.result


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    """A library or plugin whose coordinates are known (its version may not be)."""

    name: str
    version: CatalogVersion
    scope: Scope | None
    """None for libraries: which configuration uses one is only known by running the build."""
    line: int | None
    key_path: str
    note: str | None = None


@dataclass(slots=True, kw_only=True)
class _Catalog(IssueCollector):
    """The file being read: where issues go and how key paths become lines."""

    text: TomlLines
    result: ParseResult
    seen: set[tuple[str, str | None]] = field(default_factory=set)

    def line(self, path: tuple[str, ...]) -> int | None:
        return self.text.key_line(path)

    def report_at(self, message: str, path: tuple[str, ...], *, code: str | None = None) -> None:
        """An issue at the line of the entry named by the first two parts of `path`."""
        self.report(message, self.line(path[:2]), code=code, key_path=".".join(path))

    def table(self, document: dict[str, Any], key: str) -> dict[str, Any]:
        """A top-level table, or an empty one (and an issue) when it is something else."""
        value = document.get(key, {})
        if isinstance(value, dict):
            return value
        self.report_at(f"{key}: expected a table, found {type(value).__name__}; ignored", (key,))
        return {}

    def add(self, entry: _Entry | None) -> None:
        """One package per (name, version): two aliases of the same module version are one."""
        if entry is None:
            return
        key = (entry.name, entry.version.version)
        if key in self.seen:
            return
        self.seen.add(key)
        note = "; ".join(part for part in (entry.note, entry.version.note) if part) or None
        self.result.packages.append(
            DeclaredPackage(
                name=entry.name,
                version=entry.version.version,
                requirement=entry.version.requirement,
                scopes=frozenset({entry.scope}) if entry.scope else frozenset(),
                direct=True,
                line=entry.line,
                note=note,
                key_path=entry.key_path,
            )
        )


def _read_versions(catalog: _Catalog, table: dict[str, Any]) -> dict[str, CatalogVersion]:
    """Every `[versions]` entry; an unreadable one stays known (no version, with the reason)."""
    versions: dict[str, CatalogVersion] = {}
    for alias, value in table.items():
        path = ("versions", alias)
        try:
            if isinstance(value, str):
                versions[alias] = string_version(value, path)
            elif isinstance(value, dict):
                versions[alias] = rich_version(value, path)
            else:
                raise CatalogError(path, f"expected a string or a rich version table, found {type(value).__name__}")
        except CatalogError as error:
            catalog.report_at(str(error), error.path, code=error.code)
            versions[alias] = CatalogVersion(version=None, requirement=None, note=f"unreadable version: {error}")
    return with_normalized_aliases(versions)


def _library(catalog: _Catalog, alias: str, value: Any, versions: dict[str, CatalogVersion]) -> _Entry | None:
    """A `[libraries]` entry, or None (and an issue) when its module cannot be told."""
    path = ("libraries", alias)
    try:
        name, version_value, problems = _library_coordinates(value, path)
    except CatalogError as error:
        catalog.report_at(str(error), error.path, code=error.code)
        return None
    for problem in problems:
        catalog.report_at(problem, path)
    version = _version(catalog, version_value, (*path, "version"), versions)
    return _Entry(name=name, version=version, scope=None, line=catalog.line(path), key_path=".".join(path))


def _library_coordinates(value: Any, path: tuple[str, ...]) -> tuple[str, Any, list[str]]:
    """(`group:artifact`, the raw version declaration (None if absent, a CatalogVersion if already
    decided), problems that leave the module known)."""
    key_path = ".".join(path)
    if isinstance(value, str):
        return _gav_notation(value, path)
    if not isinstance(value, dict):
        raise CatalogError(path, f"expected a string or a table, found {type(value).__name__}")
    unknown = sorted(set(value) - set(LIBRARY_KEYS))
    problems = [f"{key_path}: unknown key(s) {', '.join(unknown)} (Gradle accepts {', '.join(LIBRARY_KEYS)})"] if unknown else []
    module, group, name = value.get("module"), value.get("group"), value.get("name")
    if module is not None:
        parts = [part.strip() for part in module.split(":")] if isinstance(module, str) else []
        if len(parts) != 2 or not all(parts):
            raise CatalogError((*path, "module"), f"{excerpt(module)} is not `group:artifact`")
        return f"{parts[0]}:{parts[1]}", value.get("version"), problems
    if isinstance(group, str) and isinstance(name, str) and group.strip() and name.strip():
        return f"{group.strip()}:{name.strip()}", value.get("version"), problems
    raise CatalogError(path, "needs `module = \"group:artifact\"` or both `group` and `name`")


def _gav_notation(value: str, path: tuple[str, ...]) -> tuple[str, str | CatalogVersion, list[str]]:
    """`"group:artifact:version"`; without its version the module is still known (and it is an issue)."""
    parts = [part.strip() for part in value.split(":")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise CatalogError(path, f"{excerpt(value)} is not `group:artifact:version`")
    if len(parts) == 3 and parts[2]:
        return f"{parts[0]}:{parts[1]}", parts[2], []
    problem = f"{'.'.join(path)}: {excerpt(value)} has no version (Gradle requires `group:artifact:version`)"
    return f"{parts[0]}:{parts[1]}", CatalogVersion(version=None, requirement=None, note=MALFORMED_NOTATION_NOTE), [problem]


def _plugin(catalog: _Catalog, alias: str, value: Any, versions: dict[str, CatalogVersion]) -> _Entry | None:
    """A `[plugins]` entry as its plugin marker artifact, BUILD scope."""
    path = ("plugins", alias)
    version_value: Any
    plugin_id: Any
    if isinstance(value, str):
        plugin_id, colon, written = value.partition(":")
        version_value = written if colon else None
    elif isinstance(value, dict):
        plugin_id, version_value = value.get("id"), value.get("version")
    else:
        catalog.report_at(f"{'.'.join(path)}: expected a string or a table, found {type(value).__name__}", path)
        return None
    if not isinstance(plugin_id, str) or not plugin_id.strip() or ":" in plugin_id:
        catalog.report_at(f"{'.'.join(path)}: missing or invalid plugin `id`", path)
        return None
    version = _version(catalog, version_value, (*path, "version"), versions)
    version = PLUGIN_WITHOUT_VERSION if version is NO_VERSION else version
    note = f"Gradle plugin {plugin_id}, reported as its plugin marker artifact"
    name = f"{plugin_id}:{plugin_id}{PLUGIN_MARKER}"
    return _Entry(name=name, version=version, scope=Scope.BUILD, line=catalog.line(path), key_path=".".join(path), note=note)


def _version(catalog: _Catalog, value: Any, path: tuple[str, ...], versions: dict[str, CatalogVersion]) -> CatalogVersion:
    """The entry's version; a bad declaration is an issue and the entry is kept without one."""
    if value is None:
        return NO_VERSION
    if isinstance(value, CatalogVersion):  # already decided while reading the coordinates
        return value
    try:
        return declared_version(value, path, versions)
    except CatalogError as error:
        catalog.report_at(str(error), error.path, code=error.code)
        return CatalogVersion(version=None, requirement=None, note=f"unresolved version: {error}")


def _check_bundles(catalog: _Catalog, bundles: dict[str, Any], libraries: dict[str, Any]) -> None:
    """Bundles add no package; an alias in one that names no library is an issue."""
    known = set(libraries) | {normalize_alias(alias) for alias in libraries}
    for bundle, members in bundles.items():
        path = ("bundles", bundle)
        if not isinstance(members, list):
            catalog.report_at(f"{'.'.join(path)}: expected an array of library aliases, found {type(members).__name__}", path)
            continue
        for index, member in enumerate(members):
            if not isinstance(member, str) or (member not in known and normalize_alias(member) not in known):
                catalog.report_at(f"{'.'.join(path)}[{index}]: {excerpt(member)} is not a library alias of this catalog", path)


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.MAVEN,
    role=FileRole.MANIFEST,
    project_folder=lambda path: folder_above(path, 2),  # gradle/libs.versions.toml belongs to the build above
    matches=matches,
    parse=parse_gradle_catalog,
)
