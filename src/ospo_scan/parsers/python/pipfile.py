"""Pipfile: Pipenv's manifest (TOML), one table per package category.

`[packages]` is RUNTIME and `[dev-packages]` DEV. Pipenv allows any other category
name (`[docs]`, `[tests]`): those are DEV too (they are only installed on request),
with `category: <name>` in the note. `[[source]]`, `[requires]`, `[pipenv]` and
`[scripts]` are settings, not packages.

An entry is `name = "<specifier>"` (`"*"`, `"==1.0"`, `">=2,<3"`, a bare `"1.0"` that
Pipenv reads as `==1.0`; `"*"` means any version and leaves `requirement` None, as a
bare PEP 508 name does) or a table: `version`, `extras`, `markers`, `index`, PEP 508
marker keys written on their own (`sys_platform = "== 'win32'"`, joined into
`markers` as Pipenv does), a VCS source (`git`/`hg`/`svn`/`bzr` with `ref`,
`subdirectory`, `editable`), a local `path` (first-party unless it is an archive),
or `file` (a URL or local file of a distribution). `requirement` keeps the
specifier as written; `version` only for an exact pin.
"""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass
from typing import Any

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.python.manifest_common import (
    ManifestContext,
    constraint_text,
    is_archive,
    join_notes,
    pinned_version,
    type_name,
)
from ospo_scan.parsers.python.pep508 import wheel_version

PARSER_NAME = "pipfile"
_SETTINGS = frozenset({"source", "requires", "pipenv", "scripts"})
_VCS = ("git", "hg", "svn", "bzr")
_STRING_KEYS = ("version", "markers", "index", "ref", "file", "path", *_VCS)
_MARKER_KEYS = (
    "os_name", "sys_platform", "platform_machine", "platform_python_implementation",
    "platform_release", "platform_system", "platform_version", "python_version",
    "python_full_version", "implementation_name", "implementation_version",
)


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a table entry's code comes from, as far as the Pipfile says."""

    requirement: str | None
    source_url: str | None = None
    version: str | None = None
    first_party: bool = False


def parse_pipfile(source: SourceFile, reader: FileReader) -> ParseResult:
    """Every package of every category of a Pipfile.

    `reader` is unused: a Pipfile has no includes.
    """
    data = load_toml(source)
    ctx = ManifestContext.of(source, PARSER_NAME)
    packages: list[DeclaredPackage] = []
    for category, table in data.items():
        if category in _SETTINGS:
            continue
        if not isinstance(table, dict):
            ctx.report_toml(f"{category}: expected a table of packages, found {type_name(table)}", (category,))
            continue
        packages.extend(_category_packages(ctx, category, table))
    members = sorted({package.name for package in packages if package.first_party})
    return ParseResult(packages=packages, issues=ctx.issues, workspace_members=members)


def _category_packages(ctx: ManifestContext, category: str, entries: dict[str, Any]) -> list[DeclaredPackage]:
    """Packages of one category table."""
    scopes = frozenset({Scope.RUNTIME if category == "packages" else Scope.DEV})
    note = None if category in ("packages", "dev-packages") else f"category: {category}"
    group = None if category == "packages" else category  # the main category has no group name to show
    packages: list[DeclaredPackage] = []
    for name, value in entries.items():
        line = ctx.toml.key_line((category, name))
        where = f"{category}.{name}"
        package = _entry_package(ctx, name, value, where=where, scopes=scopes, note=note, line=line)
        if package is not None:
            packages.append(dataclasses.replace(package, group=group, key_path=where))
    return packages


def _entry_package(
    ctx: ManifestContext,
    name: str,
    value: Any,
    *,
    where: str,
    scopes: frozenset[Scope],
    note: str | None,
    line: int | None,
) -> DeclaredPackage | None:
    """A package from a specifier string or an entry table; None (and an issue) otherwise."""
    constraint = value if isinstance(value, str) else value.get("version") if isinstance(value, dict) else None
    if isinstance(constraint, str) and ctx.unreadable(constraint, where, line):
        return None
    if isinstance(value, str):
        return DeclaredPackage(
            name=name,
            version=pinned_version(value),
            requirement=constraint_text(value),
            scopes=scopes,
            direct=True,
            line=line,
            note=note,
        )
    if not isinstance(value, dict):
        ctx.report(f"{where}: expected a version specifier or a table, found {type_name(value)}", line)
        return None
    bad = [key for key in _STRING_KEYS if key in value and not isinstance(value[key], str)]
    if bad:
        ctx.report(f"{where}.{bad[0]}: expected a string, found {type_name(value[bad[0]])}", line)
        return None
    source = _source(value)
    return DeclaredPackage(
        name=name,
        version=source.version,
        requirement=source.requirement,
        scopes=scopes,
        direct=True,
        first_party=source.first_party,
        line=line,
        extras=_extras(value.get("extras")),
        markers=_markers(value),
        source_url=source.source_url,
        note=join_notes([note, _entry_note(value)]),
    )


def _source(entry: dict[str, Any]) -> _Source:
    """Requirement, source and version of a table entry: VCS, path, file, or version."""
    vcs = next((key for key in _VCS if key in entry), None)
    if vcs is not None:
        url = f"{vcs}+{entry[vcs]}" + (f"@{entry['ref']}" if "ref" in entry else "")
        url += f"#subdirectory={entry['subdirectory']}" if isinstance(entry.get("subdirectory"), str) else ""
        return _Source(requirement=url, source_url=url)
    if "path" in entry:
        path = entry["path"]
        return _Source(requirement=path, source_url=path, version=wheel_version(path), first_party=not is_archive(path))
    if "file" in entry:
        return _Source(requirement=entry["file"], source_url=entry["file"], version=wheel_version(entry["file"]))
    version = entry.get("version")
    if version is None:
        return _Source(requirement=None)
    return _Source(requirement=constraint_text(version), version=pinned_version(version))


def _extras(value: Any) -> tuple[str, ...]:
    """The extras of an entry, sorted; anything but a list of strings counts as none."""
    return tuple(sorted(item for item in value if isinstance(item, str))) if isinstance(value, list) else ()


def _markers(entry: dict[str, Any]) -> str | None:
    """`markers` and the marker keys written on their own, joined as Pipenv joins them."""
    parts = [entry["markers"]] if isinstance(entry.get("markers"), str) else []
    parts += [f"{key} {entry[key]}" for key in _MARKER_KEYS if isinstance(entry.get(key), str)]
    if len(parts) > 1:
        parts = [f"({part})" for part in parts]
    return " and ".join(parts) if parts else None


def _entry_note(entry: dict[str, Any]) -> str | None:
    """Index and editable flag, which a reader of the inventory may want."""
    return join_notes([
        f"index: {entry['index']}" if "index" in entry else None,
        "editable" if entry.get("editable") is True else None,
    ])


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.MANIFEST,
    # Pipfile, at any depth (Pipfile.lock is a different format).
    file_names=frozenset({"Pipfile"}),
    parse=parse_pipfile,
)
