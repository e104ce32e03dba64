"""The `[[package]]` array that poetry.lock, uv.lock and pdm.lock have in common.

All three tools write one TOML table per locked package with at least `name` and
`version`. Reading that array the same way in the three parsers means a broken entry
is reported the same way everywhere (`package[3]: missing version`), lines are found
the same way, and a dependency that names a package without its version is resolved
to the locked version by one rule.

What to do with an entry that has no version: it is reported, and still kept with
`version=None` and a note ("mark, don't drop"), except where the format allows it
(uv omits the version of a local project whose version is dynamic): the caller says
so through `version_optional`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from ospo_scan.model import EdgeKind, Scope
from ospo_scan.parsers.base import INVALID_ENTRY, DeclaredEdge, ParseError, ParseResult, SourceFile, issue
from ospo_scan.parsers.numbers import too_long_number
from ospo_scan.parsers.lines.toml_keys import TomlLines

ARRAY = "package"
"""The key of the array of tables in all three formats."""

MISSING_VERSION_NOTE = "the lock entry has no version"


@dataclass(frozen=True, slots=True, kw_only=True)
class LockEntry:
    """One well-formed `[[package]]` table: it has a name; the version may be missing."""

    key_path: str
    """`package[<index>]`, 0-based, for messages."""
    table: dict[str, Any]
    name: str
    version: str | None
    line: int | None
    """Line of the entry's `[[package]]` header."""


def read_entries(
    source: SourceFile,
    document: dict[str, Any],
    parser: str,
    result: ParseResult,
    version_optional: Callable[[dict[str, Any]], bool] = lambda table: False,
) -> list[LockEntry]:
    """Every `[[package]]` table that names a package; each problem becomes a ScanIssue.

    A document without the array locks nothing (an empty file is valid TOML). An array
    that is not an array of tables cannot be read at all: ParseError.
    """
    raw = document.get(ARRAY, [])
    lines = TomlLines(source.text)
    if not isinstance(raw, list):
        message = f"{ARRAY}: expected an array of tables, found {type(raw).__name__}"
        raise ParseError(message, lines.key_line((ARRAY,)))
    entry_lines = lines.table_lines(ARRAY, raw)
    entries: list[LockEntry] = []
    for index, table in enumerate(raw):
        entry = _entry(source, f"{ARRAY}[{index}]", table, entry_lines[index], parser, result, version_optional)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(
    source: SourceFile,
    key_path: str,
    table: Any,
    line: int | None,
    parser: str,
    result: ParseResult,
    version_optional: Callable[[dict[str, Any]], bool],
) -> LockEntry | None:
    """A LockEntry, or None (with an issue) when the table has no usable name."""
    if not isinstance(table, dict):
        result.issues.append(issue(source, parser, f"{key_path}: expected a table, found {type(table).__name__}", line))
        return None
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        result.issues.append(issue(source, parser, f"{key_path}: missing name", line))
        return None
    version = table.get("version")
    if isinstance(version, str) and (problem := too_long_number(version)) is not None:
        message = f"{key_path}.version: {problem}; read without a version"
        result.issues.append(issue(source, parser, message, line, code=INVALID_ENTRY))
        return LockEntry(key_path=key_path, table=table, name=name, version=None, line=line)
    if isinstance(version, str) and version.strip():
        return LockEntry(key_path=key_path, table=table, name=name, version=version, line=line)
    if version is not None:
        message = f"{key_path}.version: expected a string, found {type(version).__name__}"
        result.issues.append(issue(source, parser, message, line))
    elif not version_optional(table):
        result.issues.append(issue(source, parser, f"{key_path}: missing version", line))
    return LockEntry(key_path=key_path, table=table, name=name, version=None, line=line)


class LockedVersions:
    """Which versions of each package (by PEP 503 name) a lockfile locks.

    A dependency in these formats names a package and at most a constraint. When the
    file locks exactly one version of that name, that is the version installed. When
    it locks several (one per environment fork, told apart by markers), the tool
    installs whichever the constraint allows in the environment at hand, so a
    dependency may lead to each of those.
    """

    def __init__(self, entries: Iterable[LockEntry]) -> None:
        """Index the entries by PEP 503 name, keeping each version once, in file order."""
        self._versions: dict[str, list[str]] = {}
        for entry in entries:
            known = self._versions.setdefault(canonicalize_name(entry.name), [])
            if entry.version is not None and entry.version not in known:
                known.append(entry.version)

    def locks(self, name: str) -> bool:
        """True when the file has an entry for `name`, with or without a version."""
        return canonicalize_name(name) in self._versions

    def versions(self, name: str) -> list[str]:
        """The locked versions of `name`, in file order."""
        return list(self._versions.get(canonicalize_name(name), []))

    def select(self, name: str, allows: Callable[[str], bool | None]) -> list[str | None]:
        """The locked versions of `name` a dependency may install, in file order.

        One locked version: that one, whatever the constraint says (the tool locked it
        for this dependency). Several: each that `allows` admits, or every one when
        `allows` cannot tell (None: an unreadable constraint). `[None]` when the name
        is locked without a version, or when no locked version satisfies the
        constraint: the edge exists, its target is unknown.
        """
        versions = self.versions(name)
        if len(versions) <= 1:
            return list(versions) or [None]
        verdicts = [(version, allows(version)) for version in versions]
        if any(verdict is None for _, verdict in verdicts):
            return list(versions)
        return [version for version, verdict in verdicts if verdict] or [None]


def pep440_allows(specifier: str | None) -> Callable[[str], bool | None]:
    """`allows` for LockedVersions.select from a PEP 440 specifier (None or '': any version)."""
    if not specifier:
        return lambda version: True
    try:
        parsed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return lambda version: None
    return lambda version: _contains(parsed, version)


def _contains(specifier: SpecifierSet, version: str) -> bool | None:
    """True/False when `version` is PEP 440; None when it cannot be compared.

    ValueError, not only InvalidVersion: a number of thousands of digits, in the version or
    in the specifier, makes packaging raise it bare (see ospo_scan.parsers.numbers).
    """
    try:
        return specifier.contains(Version(version), prereleases=True)
    except ValueError:  # InvalidVersion is one
        return None


def unique_edges(edges: Iterable[DeclaredEdge]) -> list[DeclaredEdge]:
    """Each edge once, in first-seen order; a REQUIRED edge makes others between the same pair redundant.

    A package may name one dependency in several sections (its runtime list and an
    extra, or a project's main list and a dev group): whatever else the pair is, a
    required edge between them installs the child on every path through the parent.
    """
    by_pair: dict[tuple[str, str | None, str, str | None], dict[EdgeKind, DeclaredEdge]] = {}
    for edge in edges:
        pair = (edge.parent, edge.parent_version, edge.child, edge.child_version)
        by_pair.setdefault(pair, {}).setdefault(edge.kind, edge)
    found: list[DeclaredEdge] = []
    for kinds in by_pair.values():
        required = kinds.get(EdgeKind.REQUIRED)
        found.extend([required] if required is not None else kinds.values())
    return found


def group_scope(group: str, runtime_groups: frozenset[str]) -> Scope:
    """The scope a named group implies: runtime groups, test groups, else development."""
    lowered = group.strip().lower()
    if lowered in runtime_groups:
        return Scope.RUNTIME
    if "test" in lowered:
        return Scope.TEST
    return Scope.DEV


def string_list(value: Any) -> list[str] | None:
    """`value` when it is an array of strings, else None."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def string_value(table: dict[str, Any], key: str) -> str | None:
    """`table[key]` when it is a non-empty string, else None."""
    value = table.get(key)
    return value if isinstance(value, str) and value.strip() else None


def subtable(table: dict[str, Any], key: str) -> dict[str, Any] | None:
    """`table[key]` when it is a table, else None."""
    value = table.get(key)
    return value if isinstance(value, dict) else None


def git_url(location: str, revision: str | None) -> str:
    """`git+<url>@<revision>`, the form pip and purl's vcs_url use for a pinned checkout."""
    pinned = f"{location}@{revision}" if revision else location
    return pinned if pinned.startswith("git+") else f"git+{pinned}"
