"""resolve(): parse results of one repository -> projects, usages and edges.

Each case is a small repository written as parse results (what parsers state), so the
table pins resolution alone: which version a declaration attaches to, which project a
lock entry's usage belongs to, what the graph walk concludes, what is first-party.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ospo_scan.model import Component, Directness, EdgeKind, Ecosystem, Lifecycle, Scope
from ospo_scan.parsers.base import DeclaredEdge, DeclaredPackage, DeclaredProject, DeclaredRoot, FileRole, ParseResult, ParserSpec
from ospo_scan.resolve import ParsedFile, resolve


def _spec(name: str, ecosystem: Ecosystem, role: FileRole) -> ParserSpec:
    return ParserSpec(name=name, ecosystem=ecosystem, role=role, file_names=frozenset({name}), parse=lambda s, r: ParseResult())


MANIFEST = _spec("package.json", Ecosystem.NPM, FileRole.MANIFEST)
LOCK = _spec("yarn.lock", Ecosystem.NPM, FileRole.LOCKFILE)
GO_MOD = _spec("go.mod", Ecosystem.GOLANG, FileRole.MANIFEST)
GO_SUM = _spec("go.sum", Ecosystem.GOLANG, FileRole.LOCKFILE)

RUNTIME = frozenset({Scope.RUNTIME})
DEV = frozenset({Scope.DEV})


def _pkg(name: str, version: str | None = None, requirement: str | None = None, scopes: frozenset[Scope] = RUNTIME, line: int = 1, **kw: object) -> DeclaredPackage:
    return DeclaredPackage(name=name, version=version, requirement=requirement, scopes=scopes, line=line, **kw)  # type: ignore[arg-type]


def _edge(parent: str, parent_version: str, child: str, child_version: str | None, kind: EdgeKind = EdgeKind.REQUIRED) -> DeclaredEdge:
    return DeclaredEdge(parent=parent, parent_version=parent_version, child=child, child_version=child_version, kind=kind)


@dataclass
class Case:
    files: dict[str, tuple[ParserSpec, ParseResult]]
    expect: dict[str, object] = field(default_factory=dict)


def _resolve(case: Case) -> dict[str, Component]:
    parsed = [ParsedFile(path=path, spec=spec, result=result) for path, (spec, result) in sorted(case.files.items())]
    return {c.purl: c for c in resolve(parsed, "repo").components}


def _usages(component: Component) -> set[tuple[str, str, str]]:
    return {(u.project, u.lifecycle.value, u.directness.value) for u in component.usages}


YARN_WORKSPACES = Case(
    files={
        "package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="mono"), workspace_patterns=["packages/*"])),
        "packages/a/package.json": (
            MANIFEST,
            ParseResult(project=DeclaredProject(name="a", version="1.0.0"), packages=[_pkg("lodash", requirement="^4.17.0"), _pkg("jest", requirement="^29", scopes=DEV, line=2)]),
        ),
        "yarn.lock": (
            LOCK,
            ParseResult(
                states_graph=True,
                packages=[_pkg("lodash", "4.17.21", line=1), _pkg("jest", "29.7.0", line=5), _pkg("chalk", "4.1.2", line=9)],
                edges=[_edge("jest", "29.7.0", "chalk", "4.1.2")],
                resolutions={("lodash", "^4.17.0"): "4.17.21", ("jest", "^29"): "29.7.0", ("chalk", "^4"): "4.1.2"},
            ),
        ),
    }
)

PICOCOLORS = Case(
    files={
        "package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="mono"), workspace_patterns=["packages/**"])),
        "packages/tool/package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="tool"), packages=[_pkg("picocolors", requirement="^1", scopes=DEV)])),
        "packages/css/package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="css"), packages=[_pkg("postcss", requirement="^8")])),
        "yarn.lock": (
            LOCK,
            ParseResult(
                states_graph=True,
                packages=[_pkg("picocolors", "1.1.1", line=1), _pkg("postcss", "8.4.49", line=4)],
                edges=[_edge("postcss", "8.4.49", "picocolors", "1.1.1")],
                resolutions={("picocolors", "^1"): "1.1.1", ("postcss", "^8"): "8.4.49"},
            ),
        ),
    }
)

ALIAS_NAMED_LIKE_A_MEMBER = Case(
    files={
        "package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="mono"), workspace_patterns=["packages/*"])),
        "packages/engine.io-client/package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="engine.io-client", version="6.6.0"))),
        "yarn.lock": (
            LOCK,
            ParseResult(
                states_graph=True,
                packages=[_pkg("engine.io-client", "3.5.4", line=1), _pkg("engine.io-client", "6.6.0", line=7, first_party=True)],
                workspace_members=["engine.io-client"],
            ),
        ),
    }
)

DECLARATION_AT_ITS_VERSION = Case(
    files={
        "package.json": (MANIFEST, ParseResult(project=DeclaredProject(name="app"), packages=[_pkg("prettier", requirement="2.6.2", scopes=DEV, line=3), _pkg("eslint", requirement="^8", scopes=DEV, line=4)])),
        "yarn.lock": (
            LOCK,
            ParseResult(
                states_graph=True,
                packages=[_pkg("prettier", "2.6.2", line=1), _pkg("prettier", "2.8.8", line=5), _pkg("eslint", "8.57.0", line=9)],
                edges=[_edge("eslint", "8.57.0", "prettier", "2.8.8")],
                roots=[DeclaredRoot(importer=".", name="prettier", version="2.6.2", scopes=DEV), DeclaredRoot(importer=".", name="eslint", version="8.57.0", scopes=DEV)],
            ),
        ),
    }
)


def _go(build_list_complete: bool) -> Case:
    return Case(
        files={
            "go.mod": (GO_MOD, ParseResult(project=DeclaredProject(name="example.com/app"), packages=[_pkg("example.com/a", "v1.0.0", direct=True)], build_list_complete=build_list_complete)),
            "go.sum": (GO_SUM, ParseResult(packages=[_pkg("example.com/a", "v1.0.0"), _pkg("example.com/checksum-only", "v0.1.0", line=3)])),
        }
    )


def test_yarn_workspace_members_resolve_against_the_root_lockfile() -> None:
    components = _resolve(YARN_WORKSPACES)
    assert set(components) == {"pkg:npm/lodash@4.17.21", "pkg:npm/jest@29.7.0", "pkg:npm/chalk@4.1.2"}, "no unpinned duplicates"
    assert _usages(components["pkg:npm/chalk@4.1.2"]) == {("npm:packages/a", "development", "transitive")}
    assert _usages(components["pkg:npm/lodash@4.17.21"]) == {("npm:packages/a", "runtime", "direct")}


def test_dev_declaration_in_one_member_and_runtime_need_in_another_stay_apart() -> None:
    picocolors = _resolve(PICOCOLORS)["pkg:npm/picocolors@1.1.1"]
    assert _usages(picocolors) == {("npm:packages/tool", "development", "direct"), ("npm:packages/css", "runtime", "transitive")}
    assert Scope.RUNTIME in picocolors.scopes


def test_registry_package_named_like_a_workspace_member_is_third_party() -> None:
    components = _resolve(ALIAS_NAMED_LIKE_A_MEMBER)
    assert components["pkg:npm/engine.io-client@3.5.4"].first_party is False
    assert components["pkg:npm/engine.io-client@6.6.0"].first_party is True


def test_declaration_attaches_to_the_version_it_resolves_to() -> None:
    components = _resolve(DECLARATION_AT_ITS_VERSION)
    declared = {c.purl for c in components.values() for u in c.usages if u.location.path == "package.json"}
    assert declared == {"pkg:npm/prettier@2.6.2", "pkg:npm/eslint@8.57.0"}
    assert _usages(components["pkg:npm/prettier@2.8.8"]) == {("npm:.", "development", "transitive")}


@pytest.mark.parametrize("complete, expected", [(True, {"pkg:golang/example.com/a@v1.0.0"}), (False, {"pkg:golang/example.com/a@v1.0.0", "pkg:golang/example.com/checksum-only@v0.1.0"})])
def test_go_sum_entries_outside_a_complete_build_list_are_not_components(complete: bool, expected: set[str]) -> None:
    assert set(_resolve(_go(complete))) == expected


def test_every_project_is_a_root_node_of_its_edges() -> None:
    parsed = [ParsedFile(path=p, spec=s, result=r) for p, (s, r) in sorted(DECLARATION_AT_ITS_VERSION.files.items())]
    edges = {(e.source, e.target, e.kind, e.lifecycle) for e in resolve(parsed, "repo").relationships}
    assert edges == {
        ("pkg:npm/app", "pkg:npm/prettier@2.6.2", EdgeKind.DEVELOPMENT, Lifecycle.DEVELOPMENT),
        ("pkg:npm/app", "pkg:npm/eslint@8.57.0", EdgeKind.DEVELOPMENT, Lifecycle.DEVELOPMENT),
        ("pkg:npm/eslint@8.57.0", "pkg:npm/prettier@2.8.8", EdgeKind.REQUIRED, Lifecycle.DEVELOPMENT),
    }


def test_unresolvable_edges_are_warnings_not_dropped_silently() -> None:
    edges = [_edge("a", "1.0.0", "ghost", "2.0.0"), _edge("a", "1.0.0", "fsevents", None, EdgeKind.OPTIONAL), _edge("a", "1.0.0", "react", None, EdgeKind.PEER)]
    lock = ParseResult(states_graph=True, packages=[_pkg("a", "1.0.0")], edges=edges)
    resolution = resolve([ParsedFile(path="yarn.lock", spec=LOCK, result=lock)], "repo")
    assert [(i.code, i.severity.value, i.path) for i in resolution.issues] == [("edge-unresolved", "warning", "yarn.lock")] * 2
    required, optional = resolution.issues
    assert "ghost" in required.message
    assert optional.message.startswith("2 optional or peer dependencies are not locked") and "fsevents" in optional.message


def test_lockfile_alone_has_unknown_directness() -> None:
    lock = ParseResult(states_graph=True, packages=[_pkg("a", "1.0.0")])
    (component,) = resolve([ParsedFile(path="yarn.lock", spec=LOCK, result=lock)], "repo").components
    assert [u.directness for u in component.usages] == [Directness.UNKNOWN]
    assert component.notes == ("lockfile without its manifest: cannot tell direct from transitive",)


PYPROJECT = _spec("pyproject.toml", Ecosystem.PYPI, FileRole.MANIFEST)
UV_LOCK = _spec("uv.lock", Ecosystem.PYPI, FileRole.LOCKFILE)


def test_python_declaration_roots_at_every_locked_version_its_specifier_admits() -> None:
    case = Case(
        files={
            "pyproject.toml": (PYPROJECT, ParseResult(project=DeclaredProject(name="app"), packages=[_pkg("sphinx", requirement=">=7", scopes=DEV, group="docs")])),
            "uv.lock": (
                UV_LOCK,
                ParseResult(
                    states_graph=True,
                    packages=[_pkg("sphinx", "7.4.7", line=1), _pkg("sphinx", "8.1.3", line=5), _pkg("sphinx", "6.2.1", line=9), _pkg("docutils", "0.21", line=13)],
                    edges=[_edge("sphinx", "8.1.3", "docutils", "0.21")],
                ),
            ),
        }
    )
    components = _resolve(case)
    declared = sorted(c.purl for c in components.values() for u in c.usages if u.location.path == "pyproject.toml")
    assert declared == ["pkg:pypi/sphinx@7.4.7", "pkg:pypi/sphinx@8.1.3"]
    assert _usages(components["pkg:pypi/docutils@0.21"]) == {("pypi:.", "development", "transitive")}
    lock_usage = next(u for u in components["pkg:pypi/sphinx@8.1.3"].usages if u.location.path == "uv.lock")
    assert lock_usage.group == "docs", "a direct lock entry keeps the section it was declared in"
    assert {u.directness for u in components["pkg:pypi/sphinx@6.2.1"].usages} == {Directness.UNKNOWN}


def test_importer_with_a_lockfile_of_its_own_is_its_own_project() -> None:
    case = Case(
        files={
            "pyproject.toml": (PYPROJECT, ParseResult(project=DeclaredProject(name="top"))),
            "core/pyproject.toml": (PYPROJECT, ParseResult(project=DeclaredProject(name="core"))),
            "core/uv.lock": (UV_LOCK, ParseResult(states_graph=True)),
            "uv.lock": (
                UV_LOCK,
                ParseResult(
                    states_graph=True,
                    packages=[_pkg("pytest", "8.3.0")],
                    roots=[DeclaredRoot(importer="core", name="pytest", version="8.3.0", scopes=DEV, group="dev")],
                ),
            ),
        }
    )
    assert _usages(_resolve(case)["pkg:pypi/pytest@8.3.0"]) == {("pypi:core", "development", "direct")}
