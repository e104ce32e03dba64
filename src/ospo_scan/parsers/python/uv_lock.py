"""uv.lock -> locked packages, the dependency graph, and each project's own sections.

Unlike poetry.lock and pdm.lock, uv.lock records the project itself: its own package
(`source = { editable = "." }` or `{ virtual = "." }`), workspace members (listed in
`[manifest] members`) and local path dependencies are `[[package]]` entries like any
other. Those with an editable, virtual, workspace, path or directory source are
first-party (by that identity, never by name) and named in `workspace_members`.

The importers are the workspace members, the package at ".", and any other editable
or virtual package nothing depends on. Their sections are the roots of the graph walk
(`result.roots`, importer = the package's folder relative to the lock): `dependencies`
(RUNTIME), each extra of `optional-dependencies` (RUNTIME and OPTIONAL, group = the
extra) and each group of `dev-dependencies` (PEP 735 groups: DEV, or TEST when the
name says so, as the manifest parsers read them; group = the group). A root's
`requirement` is the specifier `[package.metadata]` records for it, as pyproject.toml
wrote it. Folders of importers other than "." go in `workspace_paths`: their manifests
are covered by this lock.

Every dependency item of every package is an edge (`states_graph`): `dependencies`
REQUIRED, `optional-dependencies` OPTIONAL (needed only through that extra),
`dev-dependencies` DEVELOPMENT. An extra that every item naming the package asks for
(`{ name = "httpx", extra = ["socks"] }` everywhere httpx is named) is installed
wherever the package is, so its edges are REQUIRED. Markers are kept on the packages,
not turned into kinds. An item names `version` (and `source`) only when the name is locked more than
once, so the child is the entry the item names, else the one locked version; an item
on a name the file does not lock is still an edge, to no version. uv flags nothing
per package, so packages keep the default RUNTIME scope and `direct` None: what they
are follows from the roots and the edges alone (ospo_scan.graph).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredRoot,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.lines.toml_keys import TomlLines
from ospo_scan.parsers.python.lock_tables import (
    MISSING_VERSION_NOTE,
    LockEntry,
    git_url,
    group_scope,
    read_entries,
    string_list,
    subtable,
    unique_edges,
)

PARSER_NAME = "uv-lock"
_FIRST_PARTY_SOURCES = frozenset({"editable", "virtual", "workspace", "path", "directory"})
_IMPORTER_SOURCES = frozenset({"editable", "virtual", "workspace"})
_SOURCE_KINDS = ("registry", "git", "url", *sorted(_FIRST_PARTY_SOURCES))
_KNOWN_FORMAT = 1
_NO_RUNTIME_GROUPS: frozenset[str] = frozenset()
_RUNTIME = frozenset({Scope.RUNTIME})
_EXTRA = frozenset({Scope.RUNTIME, Scope.OPTIONAL})
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def parse_uv_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every `[[package]]`, every edge, and the importers' sections as roots."""
    document = load_toml(source)
    result = ParseResult(states_graph=True)
    _check_format(source, document, result)
    entries = read_entries(source, document, PARSER_NAME, result, version_optional=_is_first_party)
    resolver = _Resolver(entries)
    sections = [_Sections.read(source, entry, resolver, result) for entry in entries]
    importers = _importers(entries, sections, _manifest_members(document))
    result.packages = [_package(entry) for entry in entries]
    always_asked = _always_asked(sections)
    result.edges = unique_edges(edge for section in sections for edge in section.edges(always_asked))
    result.roots = [
        root for index, folder in importers.items() for root in _roots(entries[index], sections[index], folder)
    ]
    own = {entry.name for entry in entries if _is_first_party(entry.table)}
    result.workspace_members = sorted(own | set(_manifest_members(document)))
    result.workspace_paths = sorted({folder for folder in importers.values() if _inside(folder) and folder != "."})
    return result


def _check_format(source: SourceFile, document: dict[str, Any], result: ParseResult) -> None:
    """Report a top-level `version` other than 1 (uv itself refuses those files)."""
    version = document.get("version")
    if version is not None and version != _KNOWN_FORMAT:
        message = f"version: uv.lock format {excerpt(version)} is not known; read as version {_KNOWN_FORMAT}"
        result.issues.append(issue(source, PARSER_NAME, message, TomlLines(source.text).key_line(("version",))))


def _manifest_members(document: dict[str, Any]) -> list[str]:
    """`[manifest] members`: the workspace members by name."""
    manifest = subtable(document, "manifest") or {}
    return string_list(manifest.get("members")) or []


# --- sources ----------------------------------------------------------------------


def _source_kind(table: dict[str, Any]) -> tuple[str | None, Any]:
    """(kind, value) of `source = { <kind> = <value> }`; (None, None) when absent or odd."""
    package_source = subtable(table, "source")
    if package_source is None:
        return None, None
    for kind in _SOURCE_KINDS:
        if kind in package_source:
            return kind, package_source[kind]
    return None, None


def _is_first_party(table: dict[str, Any]) -> bool:
    """Editable, virtual, workspace, path and directory sources are the project's own code."""
    return _source_kind(table)[0] in _FIRST_PARTY_SOURCES


def _source_url(table: dict[str, Any]) -> str | None:
    """Where a non-registry package comes from: pinned git URL, archive URL or local path."""
    kind, value = _source_kind(table)
    if kind in (None, "registry", "workspace") or not isinstance(value, str):
        return None
    return _pinned_git_url(value) if kind == "git" else value


def _pinned_git_url(value: str) -> str:
    """uv writes `https://host/repo?rev=v1#<commit>`; pip's form is `git+https://host/repo@<commit>`."""
    parts = urlsplit(value)
    commit = parts.fragment or None
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    subdirectory = parse_qs(parts.query).get("subdirectory")
    pinned = git_url(base, commit)
    return f"{pinned}#subdirectory={subdirectory[0]}" if subdirectory else pinned


def _folder(table: dict[str, Any]) -> str:
    """The folder of an importer's source, relative to the lock ('.' for the lock's own)."""
    value = _source_kind(table)[1]
    if not isinstance(value, str) or not value.strip():
        return "."
    return posixpath.normpath(value.strip().replace("\\", "/"))


def _inside(folder: str) -> bool:
    """True for a relative folder that does not climb out of the lock's folder."""
    return not posixpath.isabs(folder) and folder != ".." and not folder.startswith("../")


# --- dependency items -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """One dependency item, with the locked versions it designates (None: not locked)."""

    name: str
    versions: tuple[str | None, ...]
    extras: frozenset[str] = frozenset()
    """The extras of the child it asks for (`extra = [...]`), PEP 685-normalized."""


_Key = tuple[str, str | None]
"""(PEP 503 name, version) of a locked entry."""


def _always_asked(sections: list[_Sections]) -> dict[_Key, frozenset[str]]:
    """For each locked entry, the extras that every item designating it asks for.

    Every path of the graph walk runs through items (the roots are the importers'
    items), so an extra all of them ask for is installed wherever the package is:
    its dependencies are required there, not optional.
    """
    asked: dict[_Key, frozenset[str]] = {}
    for section in sections:
        for item in section.all_items():
            for version in item.versions:
                key = (canonicalize_name(item.name), version)
                asked[key] = asked[key] & item.extras if key in asked else item.extras
    return asked


@dataclass(slots=True)
class _Sections:
    """One entry's dependency arrays: `dependencies`, its extras and its dev groups."""

    entry: LockEntry
    runtime: list[_Item] = field(default_factory=list)
    optional: dict[str, list[_Item]] = field(default_factory=dict)
    dev: dict[str, list[_Item]] = field(default_factory=dict)

    @classmethod
    def read(cls, source: SourceFile, entry: LockEntry, resolver: _Resolver, result: ParseResult) -> _Sections:
        """Resolve every item of the entry; report malformed ones."""
        read = _SectionReader(source, entry, resolver, result)
        return cls(
            entry=entry,
            runtime=read.items("dependencies", entry.table.get("dependencies")),
            optional=read.groups("optional-dependencies"),
            dev=read.groups("dev-dependencies"),
        )

    def all_items(self) -> Iterator[_Item]:
        """Every item, whatever its section."""
        yield from self.runtime
        for items in (*self.optional.values(), *self.dev.values()):
            yield from items

    def edges(self, always_asked: dict[_Key, frozenset[str]]) -> Iterator[DeclaredEdge]:
        """Each item as edges, of the kind its section gives (see _always_asked for extras)."""
        asked = always_asked.get((canonicalize_name(self.entry.name), self.entry.version), frozenset())
        sections = [(EdgeKind.REQUIRED, self.runtime)]
        sections += [
            (EdgeKind.REQUIRED if canonicalize_name(extra) in asked else EdgeKind.OPTIONAL, items)
            for extra, items in self.optional.items()
        ]
        sections += [(EdgeKind.DEVELOPMENT, items) for items in self.dev.values()]
        for kind, items in sections:
            for item in items:
                for version in item.versions:
                    yield DeclaredEdge(
                        parent=self.entry.name,
                        parent_version=self.entry.version,
                        child=item.name,
                        child_version=version,
                        kind=kind,
                    )


class _Resolver:
    """Finds the entries a dependency item designates, by name, then version, then source."""

    def __init__(self, entries: list[LockEntry]) -> None:
        self._by_name: dict[str, list[LockEntry]] = {}
        for entry in entries:
            self._by_name.setdefault(canonicalize_name(entry.name), []).append(entry)

    def versions(self, item: dict[str, Any]) -> tuple[str | None, ...]:
        """Versions of the entries matching the item; (None,) when none does."""
        candidates = self._by_name.get(canonicalize_name(str(item["name"])), [])
        version = item.get("version")
        if isinstance(version, str):
            candidates = [entry for entry in candidates if entry.version == version]
        wanted_source = item.get("source")
        if len(candidates) > 1 and isinstance(wanted_source, dict):
            candidates = [entry for entry in candidates if entry.table.get("source") == wanted_source]
        return tuple(dict.fromkeys(entry.version for entry in candidates)) or (None,)


@dataclass(slots=True)
class _SectionReader:
    """Reads the dependency arrays of one entry, reporting items that cannot be used."""

    source: SourceFile
    entry: LockEntry
    resolver: _Resolver
    result: ParseResult

    def groups(self, key: str) -> dict[str, list[_Item]]:
        """`[package.<key>]`: group name -> its items."""
        table = subtable(self.entry.table, key) or {}
        return {group: self.items(f"{key}.{group}", items) for group, items in table.items()}

    def items(self, key_path: str, items: Any) -> list[_Item]:
        """One array of `{ name = ..., version = ..., extra = [...] }` items."""
        if items is None:
            return []
        if not isinstance(items, list):
            self._report(f"{self.entry.key_path}.{key_path}: expected an array of tables")
            return []
        found: list[_Item] = []
        for position, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
                self._report(f"{self.entry.key_path}.{key_path}[{position}]: missing name")
                continue
            extras = frozenset(canonicalize_name(extra) for extra in string_list(item.get("extra")) or [])
            found.append(_Item(name=item["name"], versions=self.resolver.versions(item), extras=extras))
        return found

    def _report(self, message: str) -> None:
        """An issue on the entry's line (dependency items have no line of their own here)."""
        self.result.issues.append(issue(self.source, PARSER_NAME, message, self.entry.line))


# --- importers and their roots ----------------------------------------------------------


def _importers(entries: list[LockEntry], sections: list[_Sections], members: list[str]) -> dict[int, str]:
    """Entry index -> folder of each importer: members, the package at ".", undepended editables."""
    member_names = {canonicalize_name(member) for member in members}
    depended_on = {
        (canonicalize_name(item.name), version)
        for section in sections
        for item in section.all_items()
        for version in item.versions
    }
    importers: dict[int, str] = {}
    for index, entry in enumerate(entries):
        kind, value = _source_kind(entry.table)
        name = canonicalize_name(entry.name)
        own = kind in _IMPORTER_SOURCES and (value == "." or (name, entry.version) not in depended_on)
        if name in member_names or own:
            importers[index] = _folder(entry.table)
    return importers


def _roots(entry: LockEntry, sections: _Sections, folder: str) -> Iterator[DeclaredRoot]:
    """The importer's sections as roots, with the specifiers its metadata records."""
    specifiers = _Specifiers.of(entry.table)
    for item in sections.runtime:
        yield from _item_roots(folder, item, _RUNTIME, None, specifiers.dist.get((None, canonicalize_name(item.name))))
    for extra, items in sections.optional.items():
        for item in items:
            specifier = specifiers.dist.get((extra, canonicalize_name(item.name)))
            yield from _item_roots(folder, item, _EXTRA, extra, specifier)
    for group, items in sections.dev.items():
        scopes = frozenset({group_scope(group, _NO_RUNTIME_GROUPS)})
        for item in items:
            yield from _item_roots(folder, item, scopes, group, specifiers.dev.get((group, canonicalize_name(item.name))))


def _item_roots(
    folder: str, item: _Item, scopes: frozenset[Scope], group: str | None, requirement: str | None
) -> Iterator[DeclaredRoot]:
    """One root per locked version the item designates."""
    for version in item.versions:
        yield DeclaredRoot(
            importer=folder, name=item.name, version=version, scopes=scopes, group=group, requirement=requirement
        )


@dataclass(frozen=True, slots=True)
class _Specifiers:
    """`[package.metadata]`: the specifiers pyproject.toml wrote, by (extra or group, name)."""

    dist: dict[tuple[str | None, str], str]
    """`requires-dist`, keyed by the extra its marker names (None for the main list)."""
    dev: dict[tuple[str | None, str], str]
    """`requires-dev`, keyed by group."""

    @classmethod
    def of(cls, table: dict[str, Any]) -> _Specifiers:
        metadata = subtable(table, "metadata") or {}
        dist: dict[tuple[str | None, str], str] = {}
        for item in _tables(metadata.get("requires-dist")):
            marker = item.get("marker")
            extra = _EXTRA_MARKER.search(marker) if isinstance(marker, str) else None
            _keep(dist, (extra.group(1) if extra else None), item)
        dev: dict[tuple[str | None, str], str] = {}
        for group, items in (subtable(metadata, "requires-dev") or {}).items():
            for item in _tables(items):
                _keep(dev, group, item)
        return cls(dist=dist, dev=dev)


def _tables(value: Any) -> list[dict[str, Any]]:
    """The tables of an array that names packages; anything else counts as empty."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and isinstance(item.get("name"), str)]


def _keep(found: dict[tuple[str | None, str], str], section: str | None, item: dict[str, Any]) -> None:
    """Record the item's specifier under (section, name), the first one written winning."""
    specifier = item.get("specifier")
    if isinstance(specifier, str) and specifier.strip():
        found.setdefault((section, canonicalize_name(item["name"])), specifier)


# --- packages ----------------------------------------------------------------------


def _package(entry: LockEntry) -> DeclaredPackage:
    """One entry -> DeclaredPackage; uv flags no scope, so the default stays."""
    first_party = _is_first_party(entry.table)
    return DeclaredPackage(
        name=entry.name,
        version=entry.version,
        direct=None,
        first_party=first_party,
        line=entry.line,
        key_path=entry.key_path,
        markers=_resolution_markers(entry.table),
        source_url=_source_url(entry.table),
        note=_version_note(entry, first_party),
    )


def _version_note(entry: LockEntry, first_party: bool) -> str | None:
    """Why there is no version: normal for a local project with a dynamic one."""
    if entry.version is not None:
        return None
    return "dynamic version (uv does not lock it)" if first_party else MISSING_VERSION_NOTE


def _resolution_markers(table: dict[str, Any]) -> str | None:
    """`resolution-markers` of a package locked once per environment fork, joined with `or`."""
    markers = string_list(table.get("resolution-markers")) or []
    if len(markers) == 1:
        return markers[0]
    return " or ".join(f"({marker})" for marker in markers) or None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    # uv always names its lockfile exactly `uv.lock`.
    file_names=frozenset({"uv.lock"}),
    parse=parse_uv_lock,
)
