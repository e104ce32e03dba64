"""pylock.toml (PEP 751 lock files) -> locked packages and their dependency edges.

One `[[packages]]` array holds every package for every group and extra; each entry's
`marker` says which selection installs it (`'dev' in dependency_groups`). Scopes come
from those markers (see lock_markers): the groups named in the top-level
`default-groups` are RUNTIME, other groups DEV, extras OPTIONAL; a file without
`default-groups` is read as if it said `["default"]`, the name pdm and Pipenv use.
The top-level `extras` and `dependency-groups` lists are not needed for that.

Where `version` is absent (allowed for VCS, directory and archive sources) it is read
from a wheel or sdist file name when there is one, with a note saying so. Directory
sources are the project's own code: first-party, listed as workspace members.

Decisions where PEP 751 asks tools to refuse a file: a missing or unsupported
`lock-version` is a ScanIssue and the packages are still read (osv-scalibr and trivy
read them too; pip-audit refuses), because losing what the file states helps no one.
Lines are the line of each entry's `[[packages]]` header (TomlLines.table_lines).
"""

from __future__ import annotations

from typing import Any

from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename

from ospo_scan.excerpt import shorten
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredEdge,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    basename,
    issue,
)
from ospo_scan.parsers.numbers import too_long_number
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.lines.toml_keys import TomlLines
from ospo_scan.parsers.python.lock_markers import MarkerSyntaxError, marker_scopes
from ospo_scan.parsers.python.pep508 import wheel_version

PARSER_NAME = "pylock"
_SUPPORTED_MAJOR = "1"
_FALLBACK_DEFAULT_GROUPS = frozenset({"default"})
_PREFIX, _SUFFIX = "pylock.", ".toml"


def matches(path: str) -> bool:
    """`pylock.toml` or `pylock.<name>.toml` with a dot-free name, as PEP 751 names them."""
    name = basename(path)
    if name == "pylock.toml":
        return True
    middle = name[len(_PREFIX) : -len(_SUFFIX)] if name.startswith(_PREFIX) and name.endswith(_SUFFIX) else ""
    return bool(middle) and "." not in middle


def parse_pylock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every `[[packages]]` entry and the edges their `dependencies` state."""
    document = load_toml(source)
    result = ParseResult()
    _check_lock_version(source, document, result)
    entries = _entries(source, document, result)
    default_groups = _default_groups(source, document, result)
    lines = TomlLines(source.text).table_lines("packages", entries)
    built: list[DeclaredPackage | None] = []
    for index, entry in enumerate(entries):
        built.append(_package(source, f"packages[{index}]", entry, lines[index], default_groups, result))
    result.packages = [package for package in built if package is not None]
    result.edges = _edges(source, entries, built, result)
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


def _check_lock_version(source: SourceFile, document: dict[str, Any], result: ParseResult) -> None:
    """Report a missing or unsupported `lock-version`; the file is read as 1.x anyway."""
    raw = document.get("lock-version")
    if raw is None:
        message = "lock-version: missing (PEP 751 requires it); read as 1.0"
    elif not isinstance(raw, str):
        message = f"lock-version: expected a string, found {type(raw).__name__}; read as 1.0"
    elif raw.split(".", 1)[0] != _SUPPORTED_MAJOR:
        message = f"lock-version: {shorten(raw)} is not supported (1.x expected); read as 1.0"
    else:
        return
    result.issues.append(issue(source, PARSER_NAME, message, TomlLines(source.text).key_line(("lock-version",))))


def _entries(source: SourceFile, document: dict[str, Any], result: ParseResult) -> list[Any]:
    """The `packages` array; without it nothing is locked, and a non-array is unreadable."""
    entries = document.get("packages")
    if entries is None:
        result.issues.append(issue(source, PARSER_NAME, "packages: missing (no package is locked)"))
        return []
    if not isinstance(entries, list):
        raise ParseError(f"packages: expected an array of tables, found {type(entries).__name__}")
    return entries


def _default_groups(source: SourceFile, document: dict[str, Any], result: ParseResult) -> frozenset[str]:
    """Groups installed by default: RUNTIME rather than DEV when a marker names them."""
    raw = document.get("default-groups")
    if raw is None:
        return _FALLBACK_DEFAULT_GROUPS
    if isinstance(raw, list) and all(isinstance(group, str) for group in raw):
        return frozenset(raw)
    message = "default-groups: expected an array of strings; read as [\"default\"]"
    result.issues.append(issue(source, PARSER_NAME, message, TomlLines(source.text).key_line(("default-groups",))))
    return _FALLBACK_DEFAULT_GROUPS


def _package(
    source: SourceFile, key_path: str, entry: Any, line: int | None, default_groups: frozenset[str], result: ParseResult
) -> DeclaredPackage | None:
    """One entry -> DeclaredPackage; None (with an issue) only when it has no name."""
    if not isinstance(entry, dict):
        message = f"{key_path}: expected a table, found {type(entry).__name__}"
        result.issues.append(issue(source, PARSER_NAME, message, line))
        return None
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.name: missing", line))
        return None
    source_url, first_party = _source(entry)
    version, notes = _version(source, key_path, entry, line, result)
    marker = entry.get("marker")
    scopes, marker_note = _scopes(source, key_path, marker, default_groups, line, result)
    return DeclaredPackage(
        name=name,
        version=version,
        scopes=scopes,
        first_party=first_party,
        line=line,
        markers=marker if isinstance(marker, str) and marker.strip() else None,
        source_url=source_url,
        note="; ".join(note for note in (notes, marker_note) if note) or None,
    )


def _source(entry: dict[str, Any]) -> tuple[str | None, bool]:
    """(source URL or path, first-party) for VCS, directory and archive sources."""
    vcs = _table(entry, "vcs")
    if vcs is not None:
        return _vcs_url(vcs), False
    directory = _table(entry, "directory")
    if directory is not None:
        return _text(directory, "path") or ".", True
    archive = _table(entry, "archive")
    if archive is not None:
        return _text(archive, "url") or _text(archive, "path"), False
    return None, False


def _vcs_url(vcs: dict[str, Any]) -> str | None:
    """`git+https://host/repo@<commit>`, the form pip and purl's vcs_url use."""
    kind, location = _text(vcs, "type") or "vcs", _text(vcs, "url") or _text(vcs, "path")
    if location is None:
        return None
    commit = _text(vcs, "commit-id") or _text(vcs, "requested-revision")
    url = f"{location}@{commit}" if commit else location
    return url if url.startswith(f"{kind}+") else f"{kind}+{url}"


def _version(
    source: SourceFile, key_path: str, entry: dict[str, Any], line: int | None, result: ParseResult
) -> tuple[str | None, str | None]:
    """(version, note): the `version` key, else a file name's version, else why there is none."""
    raw = entry.get("version")
    if isinstance(raw, str) and (problem := too_long_number(raw)) is not None:
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.version: {problem}", line, code=INVALID_ENTRY))
        return None, f"version not readable: {problem}"
    if isinstance(raw, str) and raw:
        return raw, None
    if raw is not None:
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.version: expected a string", line))
    from_file = _version_from_files(entry)
    if from_file is not None:
        return from_file
    vcs, directory = _table(entry, "vcs"), _table(entry, "directory")
    if vcs is not None:
        commit = _text(vcs, "commit-id") or _text(vcs, "requested-revision")
        at = f" at commit {commit}" if commit else " with no commit"
        return None, f"version not locked: {_text(vcs, 'type') or 'vcs'} source{at}"
    if directory is not None:
        return None, "local directory: version not locked"
    if _table(entry, "archive") is not None:
        return None, "version not locked: archive with no version in its file name"
    result.issues.append(issue(source, PARSER_NAME, f"{key_path}.version: missing", line))
    return None, "no version in the lock"


def _version_from_files(entry: dict[str, Any]) -> tuple[str, str] | None:
    """(version, note) from the first wheel, sdist or archive file name that has one."""
    wheels = entry.get("wheels")
    for wheel in wheels if isinstance(wheels, list) else []:
        found = wheel_version(_file_name(wheel)) if isinstance(wheel, dict) else None
        if found:
            return found, "version from the wheel file name"
    for key in ("sdist", "archive"):
        table = _table(entry, key)
        name = _file_name(table) if table is not None else ""
        found = wheel_version(name) or _sdist_version(name)
        if found:
            return found, f"version from the {key} file name"
    return None


def _file_name(table: dict[str, Any]) -> str:
    """A distribution's file name: its `name`, else the end of its `url` or `path`."""
    for key in ("name", "url", "path"):
        value = table.get(key)
        if isinstance(value, str) and value:
            return value.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return ""


def _sdist_version(file_name: str) -> str | None:
    """The version in an sdist file name (`name-1.0.tar.gz`), if it is one."""
    try:
        return str(parse_sdist_filename(file_name)[1]) if file_name else None
    except (InvalidSdistFilename, ValueError):
        return None


def _scopes(
    source: SourceFile,
    key_path: str,
    marker: Any,
    default_groups: frozenset[str],
    line: int | None,
    result: ParseResult,
) -> tuple[frozenset[Scope], str | None]:
    """Scopes from the marker's group/extra tests; RUNTIME when it has none or is unreadable."""
    runtime = frozenset({Scope.RUNTIME})
    if marker is None or (isinstance(marker, str) and not marker.strip()):
        return runtime, None
    if not isinstance(marker, str):
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.marker: expected a string", line))
        return runtime, None
    try:
        scopes = marker_scopes(marker, default_groups)
    except MarkerSyntaxError as error:
        result.issues.append(issue(source, PARSER_NAME, f"{key_path}.marker: cannot read it ({error})", line))
        return runtime, None
    return (scopes, None) if scopes else (runtime, "marker can never hold; scope assumed runtime")


def _edges(
    source: SourceFile, entries: list[Any], built: list[DeclaredPackage | None], result: ParseResult
) -> list[DeclaredEdge]:
    """Edges from each entry's `dependencies`, deduplicated, in file order."""
    versions: dict[str, set[str | None]] = {}
    for package in built:
        if package is not None:
            versions.setdefault(canonicalize_name(package.name), set()).add(package.version)
    edges: dict[DeclaredEdge, None] = {}
    for index, (entry, parent) in enumerate(zip(entries, built)):
        if parent is not None:
            edges.update(dict.fromkeys(_entry_edges(source, f"packages[{index}]", entry, parent, versions, result)))
    return list(edges)


def _entry_edges(
    source: SourceFile,
    key_path: str,
    entry: dict[str, Any],
    parent: DeclaredPackage,
    versions: dict[str, set[str | None]],
    result: ParseResult,
) -> list[DeclaredEdge]:
    """One entry's edges. A dependency names only what tells its entry apart, so a
    child without `version` gets the version of the only entry with its name, if one."""
    dependencies = entry.get("dependencies")
    edges: list[DeclaredEdge] = []
    for position, dependency in enumerate(dependencies if isinstance(dependencies, list) else []):
        child = dependency.get("name") if isinstance(dependency, dict) else None
        if not isinstance(child, str) or not child:
            message = f"{key_path}.dependencies[{position}].name: missing"
            result.issues.append(issue(source, PARSER_NAME, message, parent.line))
            continue
        version = dependency.get("version")
        if not isinstance(version, str):
            candidates = versions.get(canonicalize_name(child), set())
            version = next(iter(candidates)) if len(candidates) == 1 else None
        edge = DeclaredEdge(parent=parent.name, parent_version=parent.version, child=child, child_version=version)
        edges.append(edge)
    return edges


def _text(table: dict[str, Any], key: str) -> str | None:
    """`table[key]` when it is a non-empty string, else None."""
    value = table.get(key)
    return value if isinstance(value, str) and value else None


def _table(entry: dict[str, Any], key: str) -> dict[str, Any] | None:
    """`entry[key]` when it is a table, else None."""
    value = entry.get(key)
    return value if isinstance(value, dict) else None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    matches=matches,
    parse=parse_pylock,
)
