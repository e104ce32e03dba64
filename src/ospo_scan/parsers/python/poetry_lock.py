"""poetry.lock -> locked packages, their sources, and the dependency graph they form.

The lock states the whole graph (`states_graph`): every `[package.dependencies]` entry
is an edge, and ospo_scan.graph walks it from the project's declarations. The lock does
not record which packages pyproject.toml names, so it states no roots (the manifest's
declarations are the roots) and `direct` is None.

What each package flags itself is kept as its `scopes`, the fallback for a package no
declaration reaches. It depends on the lock format, which `[metadata] lock-version` names:
- 1.x (Poetry < 1.5) writes `category = "main" | "dev"` per package;
- 2.1 (Poetry 2) writes `groups = ["main", "dev", "test", ...]`: `main` is RUNTIME,
  groups whose name contains "test" are TEST, any other group is DEV;
- 2.0 (Poetry 1.5 to 1.8) writes neither: the main group is assumed, with a note.
`optional = true` (installed only through an extra) turns RUNTIME into OPTIONAL.

`[package.source]` of type `directory` or `file` is a local path: first-party, by that
identity alone. A `git` source keeps its URL pinned to the resolved commit; `url` keeps
the URL; `legacy` (a private index) is still a registry, so it only leaves a note.

`[package.dependencies]` values are a constraint string, a table, or an array of
tables (one per marker). Each constraint leads to the locked versions of that name it
allows (Poetry's constraint syntax, see poetry_constraints): the only locked version, or,
when the name is locked once per environment fork, each version the constraint admits.
A dependency marked `optional = true` is needed only through one of the package's
extras: an OPTIONAL edge. A dependency on a name the file does not lock is still an
edge, to no version, unless its markers explain the absence (`python_version < "3.8"`
in a lock for Python >= 3.9: Poetry locks nothing for it, nothing is installed). A value
that is none of those forms is an issue, not an edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ospo_scan.excerpt import shorten
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
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
    LockedVersions,
    LockEntry,
    git_url,
    group_scope,
    read_entries,
    string_list,
    string_value,
    subtable,
    unique_edges,
)
from ospo_scan.parsers.python.poetry_constraints import allows

PARSER_NAME = "poetry-lock"
_RUNTIME_GROUPS = frozenset({"main"})
_KNOWN_MAJORS = ("1", "2")
_LOCAL_SOURCES = frozenset({"directory", "file"})


def parse_poetry_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every `[[package]]` table and the edges its dependencies state."""
    document = load_toml(source)
    result = ParseResult(states_graph=True)
    lock_version = _lock_version(source, document, result)
    entries = read_entries(source, document, PARSER_NAME, result)
    locked = LockedVersions(entries)
    edges: list[DeclaredEdge] = []
    for entry in entries:
        result.packages.append(_package(source, entry, lock_version, result))
        edges.extend(_edges(source, entry, locked, result))
    result.edges = unique_edges(edges)
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


def _lock_version(source: SourceFile, document: dict[str, Any], result: ParseResult) -> str | None:
    """`[metadata] lock-version`; an unknown major is reported and read like 2.x."""
    metadata = subtable(document, "metadata") or {}
    version = string_value(metadata, "lock-version")
    if version is not None and version.split(".", 1)[0] not in _KNOWN_MAJORS:
        message = f"metadata.lock-version: {shorten(version)} is not a known poetry.lock format; read as 2.x"
        line = TomlLines(source.text).key_line(("metadata", "lock-version"))
        result.issues.append(issue(source, PARSER_NAME, message, line))
    return version


def _package(source: SourceFile, entry: LockEntry, lock_version: str | None, result: ParseResult) -> DeclaredPackage:
    """One entry -> DeclaredPackage (scopes, source, markers, notes)."""
    scopes, scope_note = _scopes(source, entry, lock_version, result)
    source_url, first_party, source_note = _source(entry.table)
    notes = [MISSING_VERSION_NOTE if entry.version is None else None, scope_note, source_note]
    return DeclaredPackage(
        name=entry.name,
        version=entry.version,
        scopes=scopes,
        direct=None,
        first_party=first_party,
        line=entry.line,
        key_path=entry.key_path,
        markers=_markers(entry.table),
        source_url=source_url,
        note="; ".join(note for note in notes if note) or None,
    )


def _scopes(
    source: SourceFile, entry: LockEntry, lock_version: str | None, result: ParseResult
) -> tuple[frozenset[Scope], str | None]:
    """(scopes, note) from `groups` (2.x), else `category` (1.x), then `optional`."""
    scopes, note = _group_scopes(source, entry, lock_version, result)
    if entry.table.get("optional") is True:
        scopes = (scopes - {Scope.RUNTIME}) | {Scope.OPTIONAL}
    return frozenset(scopes), note


def _group_scopes(
    source: SourceFile, entry: LockEntry, lock_version: str | None, result: ParseResult
) -> tuple[set[Scope], str | None]:
    """Scopes of the groups or category; RUNTIME, with a note, when the lock has neither."""
    raw_groups = entry.table.get("groups")
    groups = string_list(raw_groups)
    if groups:
        return {group_scope(group, _RUNTIME_GROUPS) for group in groups}, None
    if raw_groups is not None:
        message = f"{entry.key_path}.groups: expected a non-empty array of strings"
        result.issues.append(issue(source, PARSER_NAME, message, entry.line))
    category = string_value(entry.table, "category")
    if category is not None:
        return {group_scope(category, _RUNTIME_GROUPS)}, None
    spelled = f"poetry.lock {lock_version}" if lock_version else "this poetry.lock"
    return {Scope.RUNTIME}, f"{spelled} does not record groups; main group assumed"


def _source(table: dict[str, Any]) -> tuple[str | None, bool, str | None]:
    """(source URL or path, first-party, note) from `[package.source]`."""
    package_source = subtable(table, "source")
    if package_source is None:
        return None, False, None
    kind = string_value(package_source, "type")
    url = string_value(package_source, "url")
    if kind == "git" and url is not None:
        revision = string_value(package_source, "resolved_reference") or string_value(package_source, "reference")
        return git_url(url, revision), False, None
    if kind in _LOCAL_SOURCES:
        return url, True, f"local {kind}"
    if kind == "url":
        return url, False, None
    reference = string_value(package_source, "reference")
    named = f" '{reference}'" if reference else ""
    return None, False, f"from the {kind or 'unnamed'} package source{named}"


def _markers(table: dict[str, Any]) -> str | None:
    """`markers` (or 1.0's `marker`): a string, or one per group in 2.x.

    Per-group markers are kept only when every group has the same one: joining
    different ones would state a condition the lock does not.
    """
    raw = table.get("markers", table.get("marker"))
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, dict):
        values = list(raw.values())
        if values and all(isinstance(value, str) for value in values) and len(set(values)) == 1:
            return str(values[0]).strip() or None
    return None


def _edges(source: SourceFile, entry: LockEntry, locked: LockedVersions, result: ParseResult) -> list[DeclaredEdge]:
    """Edges from `[package.dependencies]`, one per locked child version a constraint selects."""
    dependencies = entry.table.get("dependencies")
    if dependencies is None:
        return []
    if not isinstance(dependencies, dict):
        message = f"{entry.key_path}.dependencies: expected a table, found {type(dependencies).__name__}"
        result.issues.append(issue(source, PARSER_NAME, message, entry.line))
        return []
    edges: list[DeclaredEdge] = []
    for child, spec in dependencies.items():
        constraints = _constraints(spec)
        if constraints is None:
            message = f"{entry.key_path}.dependencies.{child}: expected a constraint string, a table or an array of tables"
            result.issues.append(issue(source, PARSER_NAME, message, entry.line))
            continue
        for constraint in constraints:
            edges.extend(_constraint_edges(entry, child, constraint, locked))
    return edges


@dataclass(frozen=True, slots=True)
class _Constraint:
    """One constraint of a dependency: its version range and when it applies."""

    version: str | None = None
    """Poetry constraint text; None for any version (git, path and url dependencies too)."""
    optional: bool = False
    """Needed only through one of the parent's extras."""
    conditional: bool = False
    """Has markers (or a `python` range): it may apply nowhere the project runs."""


def _constraint_edges(entry: LockEntry, child: str, constraint: _Constraint, locked: LockedVersions) -> list[DeclaredEdge]:
    """The edges one constraint states; none when its markers explain why the child is not locked."""
    if not locked.locks(child) and constraint.conditional and not constraint.optional:
        return []  # ruled out by its markers wherever the project runs: not installed
    kind = EdgeKind.OPTIONAL if constraint.optional else EdgeKind.REQUIRED
    return [
        DeclaredEdge(parent=entry.name, parent_version=entry.version, child=child, child_version=version, kind=kind)
        for version in locked.select(child, allows(constraint.version))
    ]


def _constraints(spec: Any) -> list[_Constraint] | None:
    """The constraints a dependency value states; None when the value is malformed."""
    if isinstance(spec, str):
        return [_Constraint(version=spec)]
    if isinstance(spec, dict):
        return [_table_constraint(spec)]
    if isinstance(spec, list) and spec and all(isinstance(item, dict) for item in spec):
        return [_table_constraint(item) for item in spec]
    return None


def _table_constraint(spec: dict[str, Any]) -> _Constraint:
    """A dependency table: `version` (git/path/url dependencies have none), `optional`, `markers`/`python`."""
    version = spec.get("version")
    return _Constraint(
        version=version if isinstance(version, str) else None,
        optional=spec.get("optional") is True,
        conditional=bool(spec.get("markers") or spec.get("python")),
    )


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    # Poetry always names its lockfile exactly `poetry.lock`.
    file_names=frozenset({"poetry.lock"}),
    parse=parse_poetry_lock,
)
