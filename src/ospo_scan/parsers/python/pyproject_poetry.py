"""Poetry's `[tool.poetry]` tables of a pyproject.toml, and its constraint syntax.

Poetry names a package by its key and describes it by a constraint: a string
(`"^1.2"`, `"1.2.3"`, `"*"` for any version), a table (`{version, extras, optional,
markers, python, platform, source}`, or a source of its own: `git` with
`rev`/`tag`/`branch`, `path` with `develop`, `file`, `url`), or a list of such
tables (multiple constraints, one per Python range). Each constraint becomes one
DeclaredPackage, so the two pins of `pyupgrade = [{version = "3.21.0", python =
"<3.10"}, {version = "3.21.2", ...}]` stay two facts. `requirement` keeps the
constraint as written (None for `*`, like a bare PEP 508 name); `version` is set
only for an exact pin (`"1.2.3"`, `"==1.2.3"`). A constraint's `python`/`platform`
conditions are not PEP 508 markers, so they go to the note (`python: <3.11`), not to
`markers`.

The key `python` is the supported interpreter, not a package (Poetry skips it in
every group). Groups (`[tool.poetry.group.<g>]`) are DEV, or TEST when the name says so;
the group named `main` is Poetry's main group (RUNTIME).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.parsers.python.manifest_common import (
    ManifestContext,
    canonical,
    constraint_text,
    group_scope,
    is_archive,
    join_notes,
    pinned_version,
    type_name,
)
from ospo_scan.parsers.python.pep508 import wheel_version

_RUNTIME = frozenset({Scope.RUNTIME})
_OPTIONAL = frozenset({Scope.OPTIONAL})
_SOURCE_KEYS = ("git", "path", "file", "url")


@dataclass(frozen=True, slots=True)
class _Table:
    """Where a dependency table sits and what its entries are by default."""

    path: tuple[str, ...]
    scopes: frozenset[Scope]
    note: str | None
    main: bool = False
    """The main group, where `optional = true` means OPTIONAL (an extra's package)."""
    group: str | None = None
    """The Poetry group as written (`dev` for the legacy `dev-dependencies`); None for the main table."""


def poetry_main_packages(ctx: ManifestContext, poetry: dict[str, Any]) -> list[DeclaredPackage]:
    """Packages of `[tool.poetry.dependencies]` (RUNTIME, or OPTIONAL when marked optional)."""
    if "dependencies" not in poetry:
        return []
    extras = _extras_by_package(poetry.get("extras"))
    table = _Table(path=("tool", "poetry", "dependencies"), scopes=_RUNTIME, note=None, main=True)
    return [_with_extra_note(package, extras) for package in _table_packages(ctx, poetry["dependencies"], table)]


def poetry_group_packages(ctx: ManifestContext, poetry: dict[str, Any]) -> list[DeclaredPackage]:
    """Packages of the legacy `dev-dependencies` and of every `[tool.poetry.group.<g>]`."""
    packages: list[DeclaredPackage] = []
    if "dev-dependencies" in poetry:
        path = ("tool", "poetry", "dev-dependencies")
        legacy = _Table(path=path, scopes=frozenset({Scope.DEV}), note="dev-dependencies", group="dev")
        packages.extend(_table_packages(ctx, poetry["dev-dependencies"], legacy))
    groups = ctx.expect_table(poetry.get("group", {}), "tool.poetry.group")
    for name, group in groups.items():
        packages.extend(_group_packages(ctx, name, ctx.expect_table(group, f"tool.poetry.group.{name}")))
    return packages


def _group_packages(ctx: ManifestContext, name: str, group: dict[str, Any]) -> list[DeclaredPackage]:
    """Packages of one Poetry group; an optional group says so in the note."""
    if "dependencies" not in group:
        return []
    main = canonical(name) == "main"
    optional = " (optional group)" if group.get("optional") is True else ""
    table = _Table(
        path=("tool", "poetry", "group", name, "dependencies"),
        scopes=_RUNTIME if main else frozenset({group_scope(name)}),
        note=f"group: {name}{optional}",
        main=main,
        group=name,
    )
    return _table_packages(ctx, group["dependencies"], table)


def _table_packages(ctx: ManifestContext, value: Any, table: _Table) -> list[DeclaredPackage]:
    """Packages of one `name = constraint` table."""
    entries = ctx.expect_table(value, ".".join(table.path))
    packages: list[DeclaredPackage] = []
    for name, constraint in entries.items():
        if name.lower() == "python":  # the supported interpreter, in any group, as Poetry reads it
            continue
        line = ctx.toml.key_line((*table.path, name))
        packages.extend(_entry_packages(ctx, name, constraint, table, line))
    return packages


def _entry_packages(
    ctx: ManifestContext, name: str, value: Any, table: _Table, line: int | None
) -> Iterator[DeclaredPackage]:
    """One package per constraint of an entry (a list holds several)."""
    where = ".".join((*table.path, name))
    if not isinstance(value, list):
        package = _constraint_package(ctx, name, value, table, where=where, line=line)
        if package is not None:
            yield package
        return
    for index, item in enumerate(value):
        package = _constraint_package(ctx, name, item, table, where=f"{where}[{index}]", line=line)
        if package is not None:
            yield package


def _constraint_package(
    ctx: ManifestContext, name: str, value: Any, table: _Table, *, where: str, line: int | None
) -> DeclaredPackage | None:
    """A package from one string or table constraint; None (and an issue) for anything else."""
    constraint = value if isinstance(value, str) else value.get("version") if isinstance(value, dict) else None
    if isinstance(constraint, str) and ctx.unreadable(constraint, where, line):
        return None
    if isinstance(value, str):
        return DeclaredPackage(
            name=name,
            version=pinned_version(value),
            requirement=constraint_text(value),
            scopes=table.scopes,
            direct=True,
            line=line,
            note=table.note,
            group=table.group,
            key_path=where,
        )
    if not isinstance(value, dict):
        ctx.report(f"{where}: expected a version string or a table, found {type_name(value)}", line)
        return None
    return _table_constraint_package(ctx, name, value, table, where=where, line=line)


def _table_constraint_package(
    ctx: ManifestContext, name: str, spec: dict[str, Any], table: _Table, *, where: str, line: int | None
) -> DeclaredPackage | None:
    """A package from a constraint table: a version, or a git/path/file/url source."""
    fields = _string_fields(ctx, spec, where, line)
    if fields is None:
        return None
    version, requirement, source_url, first_party = _locate(fields)
    optional = spec.get("optional") is True
    return DeclaredPackage(
        name=name,
        version=version,
        requirement=requirement,
        scopes=_OPTIONAL if optional and table.main else table.scopes,
        direct=True,
        first_party=first_party,
        line=line,
        extras=tuple(sorted(_string_list(spec.get("extras")))),
        markers=fields.get("markers"),
        source_url=source_url,
        note=join_notes(_table_notes(table, fields, optional)),
        group=table.group,
        key_path=where,
    )


def _string_fields(ctx: ManifestContext, spec: dict[str, Any], where: str, line: int | None) -> dict[str, str] | None:
    """The string-valued keys of a constraint table; a wrongly typed one is an issue."""
    keys = ("version", "markers", "python", "platform", "source", "rev", "tag", "branch", "subdirectory", *_SOURCE_KEYS)
    fields: dict[str, str] = {}
    for key in keys:
        if key not in spec:
            continue
        if not isinstance(spec[key], str):
            ctx.report(f"{where}.{key}: expected a string, found {type_name(spec[key])}", line)
            return None
        fields[key] = spec[key]
    if spec.get("develop") is True:
        fields["develop"] = "true"
    return fields


def _locate(fields: dict[str, str]) -> tuple[str | None, str | None, str | None, bool]:
    """(version, requirement, source_url, first_party) of a constraint table.

    A local directory is the project's own code (first-party); a local archive file is
    a distribution of someone's package, so it is not, and its wheel name may carry
    the version.
    """
    if "git" in fields:
        ref = fields.get("rev") or fields.get("tag") or fields.get("branch")
        url = f"git+{fields['git']}" + (f"@{ref}" if ref else "")
        url += f"#subdirectory={fields['subdirectory']}" if "subdirectory" in fields else ""
        return None, url, url, False
    for key in ("path", "file", "url"):
        if key in fields:
            location = fields[key]
            local_directory = key == "path" and not is_archive(location)
            return wheel_version(location), location, location, local_directory
    version = fields.get("version")
    if version is None:
        return None, None, None, False
    return pinned_version(version), constraint_text(version), None, False


def _table_notes(table: _Table, fields: dict[str, str], optional: bool) -> list[str | None]:
    """Note parts for a constraint table: group, conditions, source, develop flag."""
    return [
        table.note,
        "optional" if optional and not table.main else None,
        f"python: {fields['python']}" if "python" in fields else None,
        f"platform: {fields['platform']}" if "platform" in fields else None,
        f"source: {fields['source']}" if "source" in fields else None,
        "develop" if "develop" in fields else None,
    ]


def _string_list(value: Any) -> list[str]:
    """The strings of a list (extras); anything else counts as empty."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _extras_by_package(value: Any) -> dict[str, list[str]]:
    """`[tool.poetry.extras]` turned around: canonical package name -> extras that list it."""
    by_package: dict[str, list[str]] = {}
    if not isinstance(value, dict):
        return by_package
    for extra, names in value.items():
        for entry in _string_list(names):
            by_package.setdefault(canonical(entry.split("[", 1)[0].strip()), []).append(extra)
    return by_package


def _with_extra_note(package: DeclaredPackage, extras: dict[str, list[str]]) -> DeclaredPackage:
    """An optional main dependency notes the extras that pull it in."""
    if Scope.OPTIONAL not in package.scopes:
        return package
    names = extras.get(canonical(package.name))
    note = f"extra: {', '.join(names)}" if names else "optional (no extra lists it)"
    group = ", ".join(names) if names else None  # the extras that install it, as PEP 621 extras are grouped
    return dataclasses.replace(package, note=join_notes([package.note, note]), group=group)
