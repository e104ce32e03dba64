"""PDM's and uv's tables of a pyproject.toml (Poetry has pyproject_poetry.py).

- `[tool.pdm.dev-dependencies]`: group -> PEP 508 strings, DEV or TEST by the group
  name. An editable (`-e ./lib#egg=name`, `-e name @ file:///...`) that points at a
  local directory is the project's own code (first-party); a VCS editable is not.
- `[tool.uv].dev-dependencies`: DEV, in group `dev` (uv's name for them).
- `[tool.uv.sources]`: a source with `workspace = true` or a local `path` makes that
  package first-party; a `git` or `url` source becomes its `source_url`. A list of
  sources (one per marker) counts if any of them does. `[tool.uv.workspace] members`
  are globs, not names, and are not read.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.parsers.python.manifest_common import (
    ManifestContext,
    canonical,
    group_scope,
    is_archive,
    join_notes,
    mark_first_party,
    requirement_array,
    string_array,
    type_name,
)


def pdm_packages(ctx: ManifestContext, tool: dict[str, Any]) -> list[DeclaredPackage]:
    """PDM's `[tool.pdm.dev-dependencies]`, group by group."""
    pdm = ctx.expect_table(tool.get("pdm", {}), "tool.pdm")
    groups = ctx.expect_table(pdm.get("dev-dependencies", {}), "tool.pdm.dev-dependencies")
    packages: list[DeclaredPackage] = []
    for group, value in groups.items():
        scopes = frozenset({group_scope(group)})
        note = f"group: {group}"
        for item in string_array(ctx, value, ("tool", "pdm", "dev-dependencies", group)):
            if item.text.startswith("-e"):
                package = _editable_package(ctx, item.text, where=item.where, scopes=scopes, line=item.line)
                editable = join_notes([note, "editable"])
                package = dataclasses.replace(package, note=editable, group=group, key_path=item.where) if package else None
            else:
                package = ctx.requirement(item.text, where=item.where, scopes=scopes, line=item.line, note=note, group=group)
            if package is not None:
                packages.append(package)
    return packages


def _editable_package(
    ctx: ManifestContext, text: str, *, where: str, scopes: frozenset[Scope], line: int | None
) -> DeclaredPackage | None:
    """An editable requirement, named by `#egg=` or by PEP 508; local ones are first-party."""
    target = text[2:].strip()
    fragment = target.partition("#")[2]
    egg = next((part[4:] for part in fragment.split("&") if part.startswith("egg=")), None)
    package: DeclaredPackage | None
    if egg:
        package = DeclaredPackage(
            name=egg, requirement=target, scopes=scopes, direct=True, line=line, source_url=target
        )
    else:
        package = ctx.requirement(target, where=where, scopes=scopes, line=line)
    if package is None:
        return None
    location = package.source_url or ""
    return dataclasses.replace(package, first_party=location.startswith("file:") or "://" not in location)


def uv_dev_packages(ctx: ManifestContext, tool: dict[str, Any]) -> list[DeclaredPackage]:
    """uv's legacy `[tool.uv].dev-dependencies` (DEV)."""
    uv = ctx.expect_table(tool.get("uv", {}), "tool.uv")
    if "dev-dependencies" not in uv:
        return []
    path = ("tool", "uv", "dev-dependencies")
    scopes = frozenset({Scope.DEV})
    return requirement_array(ctx, uv["dev-dependencies"], path, scopes, note="tool.uv dev-dependencies", group="dev")


def apply_uv_sources(
    ctx: ManifestContext, tool: dict[str, Any], packages: list[DeclaredPackage]
) -> tuple[list[DeclaredPackage], list[str]]:
    """Apply `[tool.uv.sources]`; return the packages and the file's first-party names.

    The names are every first-party package of the file (uv sources, Poetry paths,
    PDM editables), one spelling per project, sorted.
    """
    found = tool.get("uv")
    uv: dict[str, Any] = found if isinstance(found, dict) else {}
    sources = ctx.expect_table(uv.get("sources", {}), "tool.uv.sources")
    local: set[str] = set()
    urls: dict[str, str] = {}
    for name, value in sources.items():
        for entry in value if isinstance(value, list) else [value]:
            if not isinstance(entry, dict):
                message = f"tool.uv.sources.{name}: expected a table, found {type_name(entry)}"
                ctx.report_toml(message, ("tool", "uv", "sources", name))
            elif entry.get("workspace") is True or _local_directory(entry.get("path")):
                local.add(name)
            elif (url := _source_url(entry)) is not None:
                urls.setdefault(canonical(name), url)
    packages = mark_first_party(packages, {canonical(name) for name in local}, reason="local source in tool.uv.sources")
    packages = [_with_source_url(package, urls) for package in packages]
    return packages, _member_names(packages, local)


def _member_names(packages: list[DeclaredPackage], source_names: set[str]) -> list[str]:
    """First-party names, one spelling per project: the dependency's, else the source key's."""
    by_canonical: dict[str, str] = {}
    for name in [package.name for package in packages if package.first_party] + sorted(source_names):
        by_canonical.setdefault(canonical(name), name)
    return sorted(by_canonical.values())


def _local_directory(path: Any) -> bool:
    """True for a uv `path` source that is a project directory (not a wheel or sdist)."""
    return isinstance(path, str) and not is_archive(path)


def _source_url(entry: dict[str, Any]) -> str | None:
    """The location a uv git or url source names, in pip's `git+url@ref` form."""
    if isinstance(entry.get("git"), str):
        ref = next((entry[key] for key in ("rev", "tag", "branch") if isinstance(entry.get(key), str)), None)
        return f"git+{entry['git']}" + (f"@{ref}" if ref else "")
    url = entry.get("url")
    return url if isinstance(url, str) else None


def _with_source_url(package: DeclaredPackage, urls: dict[str, str]) -> DeclaredPackage:
    """Give a registry-looking package the git/url source uv redirects it to."""
    url = urls.get(canonical(package.name))
    if url is None or package.source_url:
        return package
    return dataclasses.replace(package, source_url=url, note=join_notes([package.note, "source from tool.uv.sources"]))
