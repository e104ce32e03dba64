"""Pipfile.lock, Pipenv's JSON lockfile -> locked packages.

Every top-level object except `_meta` is a category of packages keyed by name:
`default` is what the project runs with (RUNTIME); `develop` and Pipenv's custom
categories (any other name) are DEV. A package locked in several categories at the
same version and source becomes one package with every scope (the first entry's line,
markers and extras are kept). The lock does not say which packages the Pipfile names,
so `direct` stays None.

JSON parsers forget positions, so the line of each entry, the line of its `"<name>": {`,
is found by the structural key scan of ospo_scan.parsers.lines.json_keys; an entry that
is not an object has no line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)
from ospo_scan.parsers.numbers import too_long_number
from ospo_scan.parsers.formats import json_kind, load_json
from ospo_scan.parsers.lines.json_keys import key_lines
from ospo_scan.parsers.python.pep508 import exact_version, wheel_version

PARSER_NAME = "pipfile-lock"
_META = "_meta"
_STANDARD_SECTIONS = ("default", "develop")
_VCS_KEYS = ("git", "hg", "svn", "bzr")


def parse_pipfile_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every category of a Pipfile.lock; one bad entry never hides the others."""
    document = load_json(source)
    if not isinstance(document, dict):
        raise ParseError(f"expected a JSON object at the top level, found {json_kind(document)}", 1)
    result = ParseResult()
    if not any(section in document for section in _STANDARD_SECTIONS):
        result.issues.append(issue(source, PARSER_NAME, "no `default` or `develop` section: nothing is locked"))
    lines = key_lines(source.text, lambda parent: len(parent) <= 1)
    merged: dict[tuple[str, str | None, str | None], DeclaredPackage] = {}
    for section, entries in document.items():
        if section == _META:
            continue
        if not isinstance(entries, dict):
            if section in _STANDARD_SECTIONS:
                message = f"{section}: expected an object of packages, found {json_kind(entries)}"
                result.issues.append(issue(source, PARSER_NAME, message))
            continue
        scope = Scope.RUNTIME if section == "default" else Scope.DEV
        for name, entry in entries.items():
            line = lines.get((section, name)) if isinstance(entry, dict) else None
            package = _package(source, f"{section}.{name}", name, entry, scope, line, result)
            _merge(merged, package)
    result.packages = list(merged.values())
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


def _merge(merged: dict[tuple[str, str | None, str | None], DeclaredPackage], package: DeclaredPackage) -> None:
    """Fold a package locked in several categories into one with all their scopes."""
    key = (package.name, package.version, package.source_url)
    known = merged.get(key)
    merged[key] = package if known is None else replace(known, scopes=known.scopes | package.scopes)


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where an entry comes from when it is not the package index."""

    source_url: str | None = None
    first_party: bool = False
    unlocked_note: str | None = None
    """Why having no version is expected for this origin; None for index packages."""


def _package(
    source: SourceFile, key_path: str, name: str, entry: Any, scope: Scope, line: int | None, result: ParseResult
) -> DeclaredPackage:
    """One category entry -> DeclaredPackage; odd fields become issues, never a lost package."""
    scopes = frozenset({scope})
    if not isinstance(entry, dict):
        message = f"{key_path}: expected an object, found {json_kind(entry)}"
        result.issues.append(issue(source, PARSER_NAME, message, line))
        return DeclaredPackage(name=name, scopes=scopes, line=line, note="entry is not an object; only its name is known")
    raw = entry.get("version")
    if (problem := _unreadable_version(raw)) is not None:
        # One issue for the entry: a version that cannot be read is not also "missing".
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.version: {problem}", line, code=INVALID_ENTRY))
        return DeclaredPackage(name=name, scopes=scopes, line=line, note=f"version not readable: {problem}")
    origin = _origin(entry)
    requirement, version = _version(raw)
    note: str | None = None
    if version is None and origin.source_url and (from_wheel := wheel_version(origin.source_url)):
        version, note = from_wheel, "version from the wheel file name"
    elif version is None:
        note = origin.unlocked_note or _unlocked_registry(source, key_path, requirement, line, result)
    return DeclaredPackage(
        name=name,
        version=version,
        requirement=requirement,
        scopes=scopes,
        first_party=origin.first_party,
        line=line,
        extras=_extras(source, key_path, entry.get("extras"), line, result),
        markers=_markers(source, key_path, entry.get("markers"), line, result),
        source_url=origin.source_url,
        note=note,
    )


def _origin(entry: dict[str, Any]) -> _Origin:
    """VCS checkout, local path (first-party) or archive URL, from the entry's keys."""
    for vcs in _VCS_KEYS:
        url = entry.get(vcs)
        if isinstance(url, str) and url:
            ref = entry.get("ref")
            pinned = f"{url}@{ref}" if isinstance(ref, str) and ref else url
            full = pinned if pinned.startswith(f"{vcs}+") else f"{vcs}+{pinned}"
            at = f" at ref {ref}" if isinstance(ref, str) and ref else " with no ref"
            return _Origin(source_url=full, unlocked_note=f"version not locked: {vcs} source{at}")
    path = entry.get("path")
    if isinstance(path, str) and path:
        return _Origin(source_url=path, first_party=True, unlocked_note="local path: version not locked")
    url = entry.get("file")
    if isinstance(url, str) and url:
        return _Origin(source_url=url, unlocked_note="version not locked: archive URL")
    return _Origin()


def _unreadable_version(raw: Any) -> str | None:
    """Why a present `version` cannot be read (not text, or a number past int()'s limit); None if it can."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return f"expected a string, found {json_kind(raw)}"
    return too_long_number(raw)


def _version(raw: Any) -> tuple[str | None, str | None]:
    """(requirement as written, exact version) from `"version": "==1.2.3"`; `raw` is text or None."""
    if not isinstance(raw, str):
        return None, None
    try:
        return raw, exact_version(SpecifierSet(raw))
    except InvalidSpecifier:
        return raw, None


def _unlocked_registry(
    source: SourceFile, key_path: str, requirement: str | None, line: int | None, result: ParseResult
) -> str:
    """A registry package the lock does not pin: a ScanIssue, and the note that says why."""
    if requirement is None:
        message, note = f"{key_path}.version: missing", "no version in the lock"
    else:
        message = f"{key_path}.version: {excerpt(requirement)} is not an exact pin"
        note = f"version not pinned exactly ({requirement})"
    result.issues.append(issue(source, PARSER_NAME, message, line))
    return note


def _extras(source: SourceFile, key_path: str, raw: Any, line: int | None, result: ParseResult) -> tuple[str, ...]:
    """Requested extras, sorted; anything but a list of strings is reported and ignored."""
    if raw is None:
        return ()
    if isinstance(raw, list) and all(isinstance(extra, str) for extra in raw):
        return tuple(sorted(raw))
    result.issues.append(issue(source, PARSER_NAME, f"{key_path}.extras: expected a list of strings", line))
    return ()


def _markers(source: SourceFile, key_path: str, raw: Any, line: int | None, result: ParseResult) -> str | None:
    """The environment marker string as written."""
    if raw is None or isinstance(raw, str):
        return raw or None
    message = f"{key_path}.markers: expected a string, found {json_kind(raw)}"
    result.issues.append(issue(source, PARSER_NAME, message, line))
    return None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    # Pipenv always names its lockfile exactly `Pipfile.lock`.
    file_names=frozenset({"Pipfile.lock"}),
    parse=parse_pipfile_lock,
)
