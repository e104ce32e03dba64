"""pdm.lock -> locked packages, their groups, sources and the dependency graph they form.

The lock states the whole graph (`states_graph`): ospo_scan.graph walks its edges from
the project's declarations. It does not record which packages pyproject.toml names, so
it states no roots (the manifest's declarations are the roots) and `direct` is None.

Each package's `groups` are kept as its `scopes`, the fallback for a package no
declaration reaches: `default` is RUNTIME, a group whose name contains "test" is TEST,
any other group (dev groups and optional-dependency groups alike: the lock does not
tell them apart) is DEV. Locks written before PDM recorded groups per package only list
the locked groups in `[metadata] groups`; their packages are RUNTIME, with a note when
more than the default group was locked.

PDM writes one `[[package]]` per extras combination of the same release: the entry
with `extras = ["toml"]` depends on the base entry (`coverage==7.4.1`) and on what the
extra adds. Those entries are one package, merged into one DeclaredPackage whose
`extras` are the union; the variant's self-dependency is not an edge, and its other
dependencies are OPTIONAL edges (needed only through the extra) unless the base entry
requires them too.

`git` entries keep their URL pinned to `revision`; `path` entries (editable or not)
are local projects, first-party by that identity; `url` entries keep the URL.
`dependencies` are PEP 508 strings; each leads to the locked versions of that name its
specifier allows (the only one, or each of several locked per environment fork). A
dependency on a name the file does not lock is still an edge, to no version, unless it
has a marker: PDM locks nothing for a requirement its markers rule out wherever the
project runs, and nothing is installed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    PARSE_ERROR,
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
from ospo_scan.parsers.python.pep508 import InvalidRequirement, UnreadableVersionError, parse_requirement
from ospo_scan.parsers.python.lock_tables import (
    MISSING_VERSION_NOTE,
    LockedVersions,
    LockEntry,
    git_url,
    group_scope,
    pep440_allows,
    read_entries,
    string_list,
    string_value,
    subtable,
    unique_edges,
)

PARSER_NAME = "pdm-lock"
_RUNTIME_GROUPS = frozenset({"default"})


def parse_pdm_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every `[[package]]`, merging extras variants, and the edges they state."""
    document = load_toml(source)
    result = ParseResult(states_graph=True)
    locked_groups = _locked_groups(document)
    entries = read_entries(source, document, PARSER_NAME, result)
    locked = LockedVersions(entries)
    merged: dict[tuple[str, str | None], DeclaredPackage] = {}
    edges: list[DeclaredEdge] = []
    for entry in entries:
        package = _package(source, entry, locked_groups, result)
        key = (canonicalize_name(entry.name), entry.version)
        merged[key] = _merge(merged[key], package) if key in merged else package
        edges.extend(_edges(source, entry, merged[key].name, locked, result))
    result.packages = list(merged.values())
    result.edges = unique_edges(edges)
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


def _locked_groups(document: dict[str, Any]) -> list[str]:
    """`[metadata] groups`: which groups the lock covers (older locks say no more)."""
    metadata = subtable(document, "metadata") or {}
    return string_list(metadata.get("groups")) or []


def _package(source: SourceFile, entry: LockEntry, locked_groups: list[str], result: ParseResult) -> DeclaredPackage:
    """One entry -> DeclaredPackage (scopes, extras, source, markers, notes)."""
    scopes, scope_note = _scopes(source, entry, locked_groups, result)
    origin = _origin(entry.table)
    notes = [MISSING_VERSION_NOTE if entry.version is None else None, scope_note, origin.note]
    return DeclaredPackage(
        name=entry.name,
        version=entry.version,
        scopes=scopes,
        direct=None,
        first_party=origin.first_party,
        line=entry.line,
        key_path=entry.key_path,
        extras=tuple(sorted(string_list(entry.table.get("extras")) or ())),
        markers=string_value(entry.table, "marker"),
        source_url=origin.url,
        note="; ".join(note for note in notes if note) or None,
    )


def _scopes(
    source: SourceFile, entry: LockEntry, locked_groups: list[str], result: ParseResult
) -> tuple[frozenset[Scope], str | None]:
    """(scopes, note) from the entry's `groups`, else RUNTIME."""
    raw = entry.table.get("groups")
    groups = string_list(raw)
    if groups:
        return frozenset(group_scope(group, _RUNTIME_GROUPS) for group in groups), None
    if raw is not None:
        message = f"{entry.key_path}.groups: expected a non-empty array of strings"
        result.issues.append(issue(source, PARSER_NAME, message, entry.line))
    others = [group for group in locked_groups if group.strip().lower() not in _RUNTIME_GROUPS]
    if not others:
        return frozenset({Scope.RUNTIME}), None
    note = f"the lock does not say which of its groups ({', '.join(locked_groups)}) needs it; scope assumed runtime"
    return frozenset({Scope.RUNTIME}), note


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a package comes from when it is not the registry."""

    url: str | None = None
    first_party: bool = False
    note: str | None = None


def _origin(table: dict[str, Any]) -> _Origin:
    """`git` (+ `revision`/`ref`), `path` (+ `editable`) or `url`; registry otherwise."""
    git = string_value(table, "git")
    if git is not None:
        return _Origin(url=git_url(git, string_value(table, "revision") or string_value(table, "ref")))
    path = string_value(table, "path")
    if path is not None:
        kind = "editable local project" if table.get("editable") is True else "local path"
        return _Origin(url=path, first_party=True, note=kind)
    return _Origin(url=string_value(table, "url"))


def _merge(kept: DeclaredPackage, variant: DeclaredPackage) -> DeclaredPackage:
    """Fold an extras variant of the same release into the package already kept.

    The first entry's line is kept; the markers are the base entry's (the one without
    extras), since a variant's marker only says when its extras apply.
    """
    base_markers = variant.markers if kept.extras and not variant.extras else kept.markers
    return replace(
        kept,
        scopes=kept.scopes | variant.scopes,
        extras=tuple(sorted(set(kept.extras) | set(variant.extras))),
        first_party=kept.first_party or variant.first_party,
        markers=base_markers,
        source_url=kept.source_url or variant.source_url,
    )


def _edges(
    source: SourceFile, entry: LockEntry, parent: str, locked: LockedVersions, result: ParseResult
) -> list[DeclaredEdge]:
    """Edges from the entry's `dependencies` (PEP 508 strings), from `parent` as the merged package spells it."""
    raw = entry.table.get("dependencies")
    if raw is None:
        return []
    dependencies = string_list(raw)
    if dependencies is None:
        message = f"{entry.key_path}.dependencies: expected an array of strings"
        result.issues.append(issue(source, PARSER_NAME, message, entry.line))
        return []
    kind = EdgeKind.OPTIONAL if string_list(entry.table.get("extras")) else EdgeKind.REQUIRED
    edges: list[DeclaredEdge] = []
    for position, text in enumerate(dependencies):
        requirement = _requirement(source, entry, f"{entry.key_path}.dependencies[{position}]", text, result)
        if requirement is None or canonicalize_name(requirement.name) == canonicalize_name(entry.name):
            continue  # unreadable, or an extras variant pointing at its base entry: the same package
        if requirement.marker is not None and not locked.locks(requirement.name):
            continue  # ruled out by its markers wherever the project runs: not installed
        versions = locked.select(requirement.name, pep440_allows(str(requirement.specifier)))
        edges.extend(
            DeclaredEdge(parent=parent, parent_version=entry.version, child=requirement.name, child_version=version, kind=kind)
            for version in versions
        )
    return edges


def _requirement(
    source: SourceFile, entry: LockEntry, key_path: str, text: str, result: ParseResult
) -> Requirement | None:
    """One dependency string, or None (and an issue) when it is not PEP 508 or cannot be read safely."""
    try:
        return parse_requirement(text)
    except InvalidRequirement as error:
        message = f"{key_path}: invalid requirement {excerpt(text)} ({str(error).splitlines()[0]})"
        code = INVALID_ENTRY if isinstance(error, UnreadableVersionError) else PARSE_ERROR
        result.issues.append(issue(source, PARSER_NAME, message, entry.line, code=code))
        return None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    # PDM always names its lockfile exactly `pdm.lock`.
    file_names=frozenset({"pdm.lock"}),
    parse=parse_pdm_lock,
)
