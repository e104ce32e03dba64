"""pyproject.toml: PEP 621 metadata, PEP 735 groups, build requirements and tool tables.

What is read, and as which scope:
- `[project].dependencies` RUNTIME; `[project.optional-dependencies]` OPTIONAL with
  `extra: <name>` in the note; `dynamic = ["dependencies"]` simply yields nothing.
- `[dependency-groups]` (PEP 735, see pep735.py), `[tool.poetry.group.*]`,
  `[tool.poetry.dev-dependencies]`, `[tool.pdm.dev-dependencies]` and
  `[tool.uv].dev-dependencies`: DEV, or TEST when the group name contains "test".
- `[build-system].requires` BUILD.
- `[tool.poetry.dependencies]` (see pyproject_poetry.py) RUNTIME. When
  `[project].dependencies` is a non-empty list, Poetry uses that table only to enrich
  those dependencies (a git or path source): an entry naming one of them adds its
  source; any other entry is still reported, with a note saying Poetry ignores it.
- `[tool.uv.sources]` with `workspace = true` or a local `path` mark those packages
  first-party; a git or url source gives their `source_url` (see pyproject_tools.py,
  with PDM's editables). `[tool.uv.workspace]` members are globs, not names, and are
  not read.
- A requirement naming the project itself (`pip-audit[test]` in pip-audit's extras)
  is first-party.

The project record takes name, version and license from `[project]`, else from
`[tool.poetry]`. A version listed in `dynamic` is unknown (None). A license is kept
as declared: the PEP 639 string, the text of `{text = ...}`, or `file: <path>` for
`{file = ...}` (the file is not read here; the license stage can follow the path).

Key paths in issues index arrays from 0 (`project.dependencies[3]`). Lines come from
ospo_scan.parsers.lines.toml_keys (a search of the text: tomllib gives no positions).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.python.manifest_common import (
    ManifestContext,
    canonical,
    join_notes,
    mark_first_party,
    requirement_array,
    type_name,
)
from ospo_scan.parsers.python.pep735 import dependency_group_packages
from ospo_scan.parsers.python.pyproject_poetry import poetry_group_packages, poetry_main_packages
from ospo_scan.parsers.python.pyproject_tools import apply_uv_sources, pdm_packages, uv_dev_packages

PARSER_NAME = "pyproject"
_RUNTIME = frozenset({Scope.RUNTIME})
_IGNORED_BY_POETRY = "only in tool.poetry.dependencies, which Poetry ignores while [project].dependencies is set"


def parse_pyproject(source: SourceFile, reader: FileReader) -> ParseResult:
    """Every dependency a pyproject.toml declares, and the project's identity.

    `reader` is unused: a pyproject.toml has no includes.
    """
    data = load_toml(source)
    ctx = ManifestContext.of(source, PARSER_NAME)
    project = ctx.expect_table(data.get("project", {}), "project")
    tool = ctx.expect_table(data.get("tool", {}), "tool")
    poetry = ctx.expect_table(tool.get("poetry", {}), "tool.poetry")
    packages = [
        *_main_packages(ctx, project, poetry),
        *_optional_packages(ctx, project),
        *_build_packages(ctx, data),
        *(dependency_group_packages(ctx, data["dependency-groups"]) if "dependency-groups" in data else []),
        *poetry_group_packages(ctx, poetry),
        *pdm_packages(ctx, tool),
        *uv_dev_packages(ctx, tool),
    ]
    packages, members = apply_uv_sources(ctx, tool, packages)
    declared = _declared_project(ctx, project, poetry)
    return ParseResult(
        packages=_mark_self_references(packages, declared),
        project=declared,
        issues=ctx.issues,
        workspace_members=members,
    )


def _main_packages(ctx: ManifestContext, project: dict[str, Any], poetry: dict[str, Any]) -> list[DeclaredPackage]:
    """`[project].dependencies`, enriched by (or, without it, taken from) Poetry's table."""
    pep621: list[DeclaredPackage] = []
    if "dependencies" in project:
        pep621 = requirement_array(ctx, project["dependencies"], ("project", "dependencies"), _RUNTIME)
    from_poetry = poetry_main_packages(ctx, poetry)
    if not project.get("dependencies"):
        return [*pep621, *from_poetry]
    by_name = {canonical(package.name): package for package in from_poetry}
    enriched = [_enrich(package, by_name.get(canonical(package.name))) for package in pep621]
    named = {canonical(package.name) for package in pep621}
    ignored = [
        dataclasses.replace(package, note=join_notes([package.note, _IGNORED_BY_POETRY]))
        for package in from_poetry
        if canonical(package.name) not in named
    ]
    return [*enriched, *ignored]


def _enrich(package: DeclaredPackage, poetry: DeclaredPackage | None) -> DeclaredPackage:
    """Add the source a Poetry entry gives to the same [project] dependency."""
    if poetry is None or not (poetry.first_party or poetry.source_url):
        return package
    return dataclasses.replace(
        package,
        first_party=package.first_party or poetry.first_party,
        source_url=package.source_url or poetry.source_url,
        note=join_notes([package.note, "source from tool.poetry.dependencies"]),
    )


def _optional_packages(ctx: ManifestContext, project: dict[str, Any]) -> list[DeclaredPackage]:
    """`[project.optional-dependencies]`: OPTIONAL, with the extra's name in the note."""
    extras = ctx.expect_table(project.get("optional-dependencies", {}), "project.optional-dependencies")
    packages: list[DeclaredPackage] = []
    for extra, value in extras.items():
        path = ("project", "optional-dependencies", extra)
        scopes = frozenset({Scope.OPTIONAL})
        packages.extend(requirement_array(ctx, value, path, scopes, note=f"extra: {extra}", group=extra))
    return packages


def _build_packages(ctx: ManifestContext, data: dict[str, Any]) -> list[DeclaredPackage]:
    """`[build-system].requires`: what building the project needs (BUILD)."""
    build = ctx.expect_table(data.get("build-system", {}), "build-system")
    if "requires" not in build:
        return []
    return requirement_array(ctx, build["requires"], ("build-system", "requires"), frozenset({Scope.BUILD}))


def _declared_project(ctx: ManifestContext, project: dict[str, Any], poetry: dict[str, Any]) -> DeclaredProject | None:
    """Name, version and license from `[project]`, else from `[tool.poetry]`; None if neither says."""
    dynamic = project.get("dynamic", [])
    name = _string(ctx, project, "name", "project") or _string(ctx, poetry, "name", "tool.poetry")
    version = None
    if not (isinstance(dynamic, list) and "version" in dynamic):
        version = _string(ctx, project, "version", "project") or _string(ctx, poetry, "version", "tool.poetry")
    license_ = _project_license(ctx, project.get("license")) or _string(ctx, poetry, "license", "tool.poetry")
    if name is None and version is None and license_ is None:
        return None
    return DeclaredProject(name=name, version=version, license=license_)


def _string(ctx: ManifestContext, table: dict[str, Any], key: str, where: str) -> str | None:
    """A string field, or None; a value of another type is an issue."""
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    ctx.report_toml(f"{where}.{key}: expected a string, found {type_name(value)}", (*where.split("."), key))
    return None


def _project_license(ctx: ManifestContext, value: Any) -> str | None:
    """The declared license: a PEP 639 string, a legacy `{text}`, or `file: <path>` for `{file}`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    if isinstance(value, dict) and isinstance(value.get("file"), str):
        return f"file: {value['file']}"
    ctx.report_toml("project.license: expected a string or a table with 'text' or 'file'", ("project", "license"))
    return None


def _mark_self_references(packages: list[DeclaredPackage], project: DeclaredProject | None) -> list[DeclaredPackage]:
    """A requirement on the project itself (to pull in its own extras) is first-party."""
    if project is None or project.name is None:
        return packages
    return mark_first_party(packages, {canonical(project.name)}, reason="the project itself")


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.MANIFEST,
    file_names=frozenset({"pyproject.toml"}),
    parse=parse_pyproject,
)
