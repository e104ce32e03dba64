"""PEP 735 `[dependency-groups]` of a pyproject.toml, with `{include-group = ...}`.

Each requirement is reported once, on the line that writes it. A group that is
included by others passes its requirements on to them, so a requirement's scopes are
those of its own group and of every group that includes it (directly or through
others): `dev = [{include-group = "test"}]` makes pytest in `test` both TEST and DEV.
Group names are compared in PEP 503 form, as the PEP says. An include of an unknown
group, or a cycle of includes, is an issue; the requirements are still reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.parsers.python.manifest_common import (
    ManifestContext,
    canonical,
    group_scope,
    join_notes,
    type_name,
)

TABLE = "dependency-groups"


@dataclass(slots=True)
class _Group:
    """One group as written: its requirement strings (with indexes) and includes."""

    name: str
    requirements: list[tuple[int, str]] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)
    """(index, canonical name of the included group)."""


def dependency_group_packages(ctx: ManifestContext, value: Any) -> list[DeclaredPackage]:
    """Packages of every dependency group, with scopes from the groups that include them."""
    table = ctx.expect_table(value, TABLE)
    groups = _read_groups(ctx, table)
    _check_includes(ctx, groups)
    _check_cycles(ctx, groups)
    included_by = _reverse_includes(groups)
    packages: list[DeclaredPackage] = []
    for key, group in groups.items():
        packages.extend(_group_packages(ctx, group, _includers(key, groups, included_by)))
    return packages


def _read_groups(ctx: ManifestContext, table: dict[str, Any]) -> dict[str, _Group]:
    """Groups by canonical name; duplicates after normalization are an issue (first wins)."""
    groups: dict[str, _Group] = {}
    for name, items in table.items():
        key = canonical(name)
        if key in groups:
            ctx.report(f"{TABLE}.{name}: same group as {excerpt(groups[key].name)} once normalized; ignored")
            continue
        groups[key] = _read_group(ctx, name, items)
    return groups


def _read_group(ctx: ManifestContext, name: str, items: Any) -> _Group:
    """Split one group's list into requirement strings and include-group tables."""
    group = _Group(name=name)
    if not isinstance(items, list):
        ctx.report_toml(f"{TABLE}.{name}: expected an array, found {type_name(items)}", (TABLE, name))
        return group
    for index, item in enumerate(items):
        if isinstance(item, str):
            group.requirements.append((index, item))
        elif isinstance(item, dict) and set(item) == {"include-group"} and isinstance(item["include-group"], str):
            group.includes.append((index, canonical(item["include-group"])))
        else:
            message = f"{TABLE}.{name}[{index}]: expected a requirement string or an {{include-group = ...}} table"
            ctx.report_toml(message, (TABLE, name))
    return group


def _check_includes(ctx: ManifestContext, groups: dict[str, _Group]) -> None:
    """An include of a group that does not exist is an issue (the include is dropped)."""
    for group in groups.values():
        unknown = [(index, target) for index, target in group.includes if target not in groups]
        for index, target in unknown:
            message = f"{TABLE}.{group.name}[{index}]: include-group {excerpt(target)} is not defined"
            ctx.report_toml(message, (TABLE, group.name))
        group.includes = [(index, target) for index, target in group.includes if target in groups]


def _check_cycles(ctx: ManifestContext, groups: dict[str, _Group]) -> None:
    """Report each cycle of includes once (the PEP makes a cycle an error).

    An iterative depth-first search: a back edge to a group still on the path closes
    a cycle. Linear in groups and includes, however the file is crafted.
    """
    done: set[str] = set()
    for root in groups:
        if root in done:
            continue
        path: list[str] = [root]
        pending: list[list[str]] = [[target for _, target in groups[root].includes]]
        while path:
            if not pending[-1]:
                done.add(path.pop())
                pending.pop()
                continue
            target = pending[-1].pop()
            if target in path:
                _report_cycle(ctx, groups, path[path.index(target) :])
            elif target not in done:
                path.append(target)
                pending.append([t for _, t in groups[target].includes])


def _report_cycle(ctx: ManifestContext, groups: dict[str, _Group], cycle: list[str]) -> None:
    """One issue naming the groups of a cycle, on the line of its first group."""
    first = groups[cycle[0]].name
    names = " -> ".join(groups[key].name for key in (*cycle, cycle[0]))
    ctx.report_toml(f"{TABLE}.{first}: include-group cycle {names}", (TABLE, first))


def _includers(key: str, groups: dict[str, _Group], included_by: dict[str, set[str]]) -> list[str]:
    """Names of the groups that include `key`, directly or through other groups."""
    found: set[str] = set()
    frontier = [key]
    while frontier:
        for other in included_by.get(frontier.pop(), set()):
            if other not in found and other != key:
                found.add(other)
                frontier.append(other)
    return sorted(groups[other].name for other in found)


def _reverse_includes(groups: dict[str, _Group]) -> dict[str, set[str]]:
    """For each group, the groups that include it directly."""
    included_by: dict[str, set[str]] = {}
    for key, group in groups.items():
        for _, target in group.includes:
            included_by.setdefault(target, set()).add(key)
    return included_by


def _group_packages(ctx: ManifestContext, group: _Group, includers: Sequence[str]) -> list[DeclaredPackage]:
    """Packages of one group's own requirement strings."""
    scopes = frozenset(group_scope(name) for name in (group.name, *includers))
    note = join_notes([f"group: {group.name}", f"included by {', '.join(includers)}" if includers else None])
    texts = [text for _, text in group.requirements]
    lines = ctx.toml.string_lines((TABLE, group.name), texts)
    packages: list[DeclaredPackage] = []
    for (index, text), line in zip(group.requirements, lines):
        where = f"{TABLE}.{group.name}[{index}]"
        package = ctx.requirement(text, where=where, scopes=scopes, line=line, note=note, group=group.name)
        if package is not None:
            packages.append(package)
    return packages
