"""package-lock.json / npm-shrinkwrap.json: entries, edges with their kinds, roots per importer,
first-party by identity; then what the one graph walk makes of them, through `scan()`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.model import Component, Directness, EdgeKind, Lifecycle, Scope
from ospo_scan.parsers.base import DeclaredProject, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.npm.package_lock import SPEC, parse_package_lock
from ospo_scan.reading import SandboxReader
from ospo_scan.scan import scan
from tests.parsers.npm.npm_cli import NPM, npm_flags, npm_graph, npm_ls
from tests.parsers.npm.test_package_lock_npm_ls import copy_project, reference_for, third_party
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "package_lock"
RUNTIME, DEV, OPTIONAL, PEER = (frozenset({s}) for s in (Scope.RUNTIME, Scope.DEV, Scope.OPTIONAL, Scope.PEER))
DEV_OPTIONAL = frozenset({Scope.DEV, Scope.OPTIONAL})
RUNTIME_PEER = frozenset({Scope.RUNTIME, Scope.PEER})
OPTIONAL_PEER = frozenset({Scope.OPTIONAL, Scope.PEER})
REQUIRED, OPT, PEER_EDGE, DEV_EDGE = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.PEER, EdgeKind.DEVELOPMENT
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/javascript/packagelockjson/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/nodejs/npm/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/javascript/testdata"
NEEDS_NPM = pytest.mark.skipif(NPM is None, reason="npm is not on PATH: the comparison with the npm CLI needs it")

Edge = tuple[str, "str | None", str, "str | None", EdgeKind]
RootRow = tuple[str, str, "str | None", frozenset[Scope], "str | None", "str | None"]


def parse_fixture(name: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a file through the sandbox reader, as the scan would."""
    return parse_file_with(parse_package_lock, root, name)


def parse_text(text: str) -> ParseResult:
    return parse_package_lock(SourceFile(path="package-lock.json", text=text), SandboxReader(FIXTURES))


def entries(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], bool, int | None, str | None]]:
    """(name, version, flag scopes, first-party, line, key path) of every entry, in file order."""
    return [(p.name, p.version, p.scopes, p.first_party, p.line, p.key_path) for p in result.packages]


def edges(result: ParseResult) -> set[Edge]:
    return {(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges}


def plain_edges(result: ParseResult) -> set[tuple[str, str | None, str, str | None]]:
    return {(e.parent, e.parent_version, e.child, e.child_version) for e in result.edges}


def roots(result: ParseResult) -> list[RootRow]:
    """(importer, name, version, scopes, group, requirement) of every root, in file order."""
    return [(r.importer, r.name, r.version, r.scopes, r.group, r.requirement) for r in result.roots]


def by_key_path(result: ParseResult) -> dict[str | None, Any]:
    return {p.key_path: p for p in result.packages}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("package-lock.json", True),
        ("npm-shrinkwrap.json", True),
        ("apps/web/package-lock.json", True),
        ("package.json", False),
        ("package-lock.json.bak", False),
        ("my-package-lock.json", False),
        ("package-lock.json/file", False),
        ("node_modules/.package-lock.json", False),
    ],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert (SPEC.name, SPEC.ecosystem.value, SPEC.role.value) == ("package-lock", "npm", "lockfile")


# --- hand-written edge cases: what the parser states ---------------------------------


def test_workspaces_links_folders_and_node_modules_lookup() -> None:
    result = parse_fixture("v3-workspaces-links-and-lookup.json")
    assert result.states_graph is True
    assert result.project == DeclaredProject(name="mono", version="1.0.0", license="MIT")
    assert entries(result) == [
        ("@mono/shared", "0.3.0", RUNTIME, True, 21, 'packages["../shared-lib"]'),  # name from its entry
        ("c", "1.5.0", RUNTIME, False, 28, 'packages["../shared-lib/node_modules/c"]'),
        ("a", "1.0.0", RUNTIME, False, 40, 'packages["node_modules/a"]'),
        ("b", "2.0.0", RUNTIME, False, 48, 'packages["node_modules/a/node_modules/b"]'),
        ("c", "2.0.0", RUNTIME, False, 55, 'packages["node_modules/a/node_modules/c"]'),
        ("b", "1.0.0", DEV, False, 59, 'packages["node_modules/b"]'),
        ("d", "1.0.0", RUNTIME, False, 64, 'packages["node_modules/d"]'),
        ("tester", "2.0.0", DEV, False, 76, 'packages["node_modules/tester"]'),
        ("mono-cli", "0.1.0", RUNTIME, True, 84, 'packages["packages/cli"]'),  # `name` of the folder entry
        ("@mono/web", "2.0.0", RUNTIME, True, 91, 'packages["packages/web"]'),  # name from the link to it
        ("a", "0.9.0", RUNTIME, False, 101, 'packages["packages/web/node_modules/a"]'),
        ("gen", "0.0.1", RUNTIME, True, 105, 'packages["tools/gen"]'),  # no name, no link: the base name
    ]
    assert edges(result) == {
        ("a", "1.0.0", "b", "2.0.0", REQUIRED),  # a's own node_modules first
        ("a", "1.0.0", "d", "1.0.0", REQUIRED),  # then the top level
        ("b", "2.0.0", "c", "2.0.0", REQUIRED),  # b at node_modules/a/node_modules/b finds a's nested c
        ("tester", "2.0.0", "b", "1.0.0", REQUIRED),
        ("@mono/web", "2.0.0", "a", "0.9.0", REQUIRED),  # a workspace's own node_modules
        ("@mono/web", "2.0.0", "tester", "2.0.0", DEV_EDGE),  # a folder's devDependencies are installed
        ("mono-cli", "0.1.0", "@mono/web", "2.0.0", REQUIRED),  # through the link
        ("@mono/shared", "0.3.0", "c", "1.5.0", REQUIRED),
    }
    assert roots(result) == [
        (".", "a", "1.0.0", RUNTIME, "dependencies", "^1.0.0"),
        (".", "tester", "2.0.0", DEV, "devDependencies", "^2.0.0"),
        ("packages/cli", "@mono/web", "2.0.0", RUNTIME, "dependencies", "^2.0.0"),
        ("packages/web", "a", "0.9.0", RUNTIME, "dependencies", "^0.9.0"),
        ("packages/web", "tester", "2.0.0", DEV, "devDependencies", "^2.0.0"),
    ]  # tools/gen declares nothing; ../shared-lib is outside the lockfile's folder: no importer
    assert result.workspace_members == ["@mono/shared", "@mono/web", "gen", "mono-cli"]
    assert result.workspace_paths == ["packages/cli", "packages/web", "tools/gen"]
    assert issues(result) == [
        (68, "packages[\"node_modules/ghost\"].resolved: link target 'packages/ghost' is not an entry of packages")
    ]
    assert (result.issues[0].code, result.issues[0].key_path) == ("invalid-entry", 'packages["node_modules/ghost"]')


def test_edge_kinds_section_precedence_aliases_and_unlocked_children() -> None:
    """npm loads peer, prod, optional (and for folders dev) edges, a later one replacing an earlier one."""
    result = parse_fixture("edge-kinds-and-unlocked-children.json")
    assert edges(result) == {
        ("host", "1.0.0", "child", "1.2.0", REQUIRED),  # also a peer of host: the prod edge wins
        ("host", "1.0.0", "lodash", "3.10.1", REQUIRED),  # an alias: the real package its folder holds
        ("host", "1.0.0", "not-locked", None, REQUIRED),  # kept without a version, never dropped
        ("host", "1.0.0", "opt-child", "1.0.0", OPT),
        ("host", "1.0.0", "platform-only", None, OPT),
        ("host", "1.0.0", "react", "18.3.1", PEER_EDGE),
        ("host", "1.0.0", "vue", None, EdgeKind.OPTIONAL_PEER),  # an optional peer nobody installed
    }
    assert roots(result) == [
        (".", "peer-root", "2.1.0", OPTIONAL_PEER, "peerDependencies", "^2.0.0"),  # peerDependenciesMeta optional
        (".", "host", "1.0.0", RUNTIME, "dependencies", "^1.0.0"),
        (".", "opt-and-prod", "1.0.0", OPTIONAL, "optionalDependencies", "^1.0.0"),  # optional wins over prod
        (".", "fsevents", None, OPTIONAL, "optionalDependencies", "^2.3.0"),  # not locked on this platform
        (".", "both", "1.0.0", DEV, "devDependencies", "^1.0.0"),  # in dependencies too: npm makes it dev
    ]
    alias = by_key_path(result)['packages["node_modules/host/node_modules/lodash-old"]']
    assert (alias.name, alias.version, alias.note) == ("lodash", "3.10.1", "installed under the alias 'lodash-old'")
    assert result.issues == []


def test_flags_aliases_sources_bundles_and_bad_entries() -> None:
    """lockfileVersion 2 carries a v1 `dependencies` section too; `packages` is the one read."""
    result = parse_fixture("v2-flags-aliases-and-sources.json")
    assert result.project == DeclaredProject(name="flags", version="3.0.0", license="(MIT OR Apache-2.0)")
    assert [(p.name, p.version, p.scopes, p.first_party, p.line) for p in result.packages] == [
        ("bundler", "1.0.0", RUNTIME, False, 30),
        ("inner", "0.1.0", RUNTIME, False, 40),
        ("devtool", "1.0.0", DEV, False, 45),
        ("leftover", "0.0.1", RUNTIME, False, 53),
        ("lib-git", "1.4.0", RUNTIME, False, 58),
        ("local-tgz", "1.0.0", RUNTIME, True, 63),  # a file: tarball is the project's own
        ("no-version", None, RUNTIME, False, 67),
        ("opt", "1.1.0", OPTIONAL, False, 71),
        ("peer-host", "3.0.0", RUNTIME_PEER, False, 80),
        ("shared-child", "1.0.0", DEV_OPTIONAL, False, 85),  # devOptional
        ("string-width", "4.2.3", RUNTIME, False, 90),
        ("string-width", "5.1.2", OPTIONAL, False, 96),
    ]
    packages = by_key_path(result)
    assert packages['packages["node_modules/bundler/node_modules/inner"]'].note == (
        "bundled inside its dependent's tarball at node_modules/bundler/node_modules/inner (inBundle)"
    )
    assert packages['packages["node_modules/leftover"]'].note == (
        "extraneous at node_modules/leftover: no package depends on it"
    )
    git = packages['packages["node_modules/lib-git"]']
    assert (git.source_url, git.declared_license) == (
        "git+ssh://git@git.example/org/lib-git.git#0123456789abcdef0123456789abcdef01234567",
        "BSD-3-Clause",
    )
    assert packages['packages["node_modules/local-tgz"]'].source_url == "file:vendor/local-tgz-1.0.0.tgz"
    assert packages['packages["node_modules/no-version"]'].note == "no version in the lock"
    alias = packages['packages["node_modules/str-cjs"]']
    assert (alias.note, alias.declared_license) == ("installed under the alias 'str-cjs'", "MIT")
    assert all(p.source_url is None for p in result.packages if p.name not in ("lib-git", "local-tgz"))
    assert edges(result) == {
        ("bundler", "1.0.0", "inner", "0.1.0", REQUIRED),
        ("devtool", "1.0.0", "shared-child", "1.0.0", REQUIRED),
        ("opt", "1.1.0", "shared-child", "1.0.0", REQUIRED),
        ("opt", "1.1.0", "string-width", "5.1.2", REQUIRED),
    }
    assert roots(result) == [
        (".", "peer-host", "3.0.0", PEER, "peerDependencies", "^3.0.0"),
        (".", "bundler", "1.0.0", RUNTIME, "dependencies", "^1.0.0"),
        (".", "lib-git", "1.4.0", RUNTIME, "dependencies", "github:org/lib-git#v1"),
        (".", "local-tgz", "1.0.0", RUNTIME, "dependencies", "file:vendor/local-tgz-1.0.0.tgz"),
        (".", "string-width", "4.2.3", RUNTIME, "dependencies", "npm:string-width@^4.2.0"),
        (".", "opt", "1.1.0", OPTIONAL, "optionalDependencies", "^1.0.0"),
        (".", "devtool", "1.0.0", DEV, "devDependencies", "^1.0.0"),
    ]
    assert [(found.line, found.message, found.code) for found in result.issues] == [
        (70, 'packages["node_modules/not-an-object"]: expected an object, found a string', "invalid-entry"),
        (67, 'packages["node_modules/no-version"].version: missing', "invalid-entry"),
        (
            96,
            'packages["node_modules/string-width"].license: expected an SPDX string, '
            "a {type, url} object or an array of them, found a number",
            "invalid-entry",
        ),
    ]


def test_version_1_tree_with_requires_lookup_aliases_git_and_local() -> None:
    """Version 1 records no root sections: no roots (the manifest's declarations are the roots)."""
    result = parse_fixture("v1-nested-tree.json")
    assert (result.states_graph, result.roots) == (True, [])
    assert result.project == DeclaredProject(name="legacy", version="0.1.0")
    assert entries(result) == [
        ("a", "1.0.0", RUNTIME, False, 7, 'dependencies["a"]'),
        ("b", "1.0.0", DEV, False, 24, 'dependencies["b"]'),
        ("bundled-host", "1.0.0", RUNTIME, False, 29, 'dependencies["bundled-host"]'),
        ("c", "1.0.0", RUNTIME, False, 41, 'dependencies["c"]'),
        ("@scope/d", "3.1.0", RUNTIME, False, 45, 'dependencies["d-alias"]'),
        ("g", None, RUNTIME, False, 52, 'dependencies["g"]'),
        ("local", None, RUNTIME, True, 56, 'dependencies["local"]'),
        ("node_modules/bogus", "1.0.0", RUNTIME, False, 59, 'dependencies["node_modules/bogus"]'),
        ("no-version", None, RUNTIME, False, 62, 'dependencies["no-version"]'),
        ("opt", "1.0.0", DEV_OPTIONAL, False, 65, 'dependencies["opt"]'),
        ("tarball", None, RUNTIME, False, 70, 'dependencies["tarball"]'),
        ("b", "2.0.0", RUNTIME, False, 15, 'dependencies["a"].dependencies["b"]'),  # nested: after the top
        ("inner", "0.5.0", RUNTIME, False, 35, 'dependencies["bundled-host"].dependencies["inner"]'),
    ]
    notes = {p.name: (p.source_url, p.note) for p in result.packages if p.note}
    assert notes == {
        "@scope/d": (None, "installed under the alias 'd-alias'"),
        "g": (
            "git+ssh://git@git.example/org/g.git#abcdef0123456789abcdef0123456789abcdef01",
            "git dependency: a version 1 lock records the commit, not the version",
        ),
        "local": ("file:packages/local", "local path: first-party code"),
        "no-version": (None, "no version in the lock"),
        "tarball": ("https://files.example/tarball-1.0.0.tgz", "tarball URL: no version in the lock"),
        "inner": (None, "bundled inside its dependent's tarball (bundled)"),
    }
    assert result.workspace_members == ["local"]
    assert edges(result) == {
        ("a", "1.0.0", "b", "2.0.0", REQUIRED),  # a's own child shadows the top-level b
        ("a", "1.0.0", "c", "1.0.0", REQUIRED),
        ("b", "2.0.0", "c", "1.0.0", REQUIRED),  # up two levels
        ("@scope/d", "3.1.0", "c", "1.0.0", REQUIRED),
        ("bundled-host", "1.0.0", "inner", "0.5.0", REQUIRED),
    }
    assert [(found.line, found.message, found.key_path) for found in result.issues] == [
        (
            59,
            "dependencies.node_modules/bogus: 'node_modules/bogus' is not a valid package name",
            'dependencies["node_modules/bogus"]',
        ),
        (62, "dependencies.no-version.version: missing", 'dependencies["no-version"]'),
    ]


def test_an_alias_folder_named_like_a_workspace_member_is_third_party() -> None:
    """node_modules/engine.io-client-v3 holds engine.io-client 3.5.4 from a registry tarball; the
    workspace packages/engine.io-client is also named engine.io-client. Only the folder is ours."""
    result = parse_fixture("npm-alias-named-like-a-workspace/package-lock.json")
    assert entries(result) == [
        ("engine.io-client", "3.5.4", RUNTIME, False, 21, 'packages["node_modules/engine.io-client-v3"]'),
        ("ws", "7.4.6", RUNTIME, False, 30, 'packages["node_modules/engine.io-client-v3/node_modules/ws"]'),
        ("ws", "8.11.0", RUNTIME, False, 35, 'packages["node_modules/ws"]'),
        ("engine.io-client", "6.5.3", RUNTIME, True, 40, 'packages["packages/engine.io-client"]'),
    ]
    assert edges(result) == {
        ("engine.io-client", "3.5.4", "ws", "7.4.6", REQUIRED),
        ("engine.io-client", "6.5.3", "ws", "8.11.0", REQUIRED),
    }
    assert roots(result) == [
        (".", "engine.io-client", "3.5.4", RUNTIME, "dependencies", "npm:engine.io-client@3.5.4"),
        ("packages/engine.io-client", "ws", "8.11.0", RUNTIME, "dependencies", "^8.11.0"),
    ]
    assert (result.workspace_members, result.workspace_paths) == (["engine.io-client"], ["packages/engine.io-client"])


def test_names_keep_the_spelling_of_the_package() -> None:
    result = parse_fixture("name-keeps-its-spelling-jsonstream/package-lock.json")
    assert [p.name for p in result.packages] == ["JSONStream", "jsonparse", "through"]
    assert roots(result) == [(".", "JSONStream", "1.3.5", RUNTIME, "dependencies", "^1.3.5")]
    assert ("JSONStream", "1.3.5", "through", "2.3.8", REQUIRED) in edges(result)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("not-a-lockfile.json", [(None, "no `packages` or `dependencies`: nothing is locked")]),
        (
            "packages-not-an-object.json",
            [
                (4, "packages: expected an object, found an array"),
                (None, "no `packages` or `dependencies`: nothing is locked"),
            ],
        ),
    ],
)
def test_files_without_a_usable_map_are_issues(fixture: str, expected: list[tuple[int | None, str]]) -> None:
    result = parse_fixture(fixture)
    assert (result.packages, result.edges, result.roots) == ([], [], [])
    assert issues(result) == expected


def test_unknown_lockfile_version_is_read_by_its_keys() -> None:
    result = parse_fixture("unsupported-lockfile-version.json")
    assert entries(result) == [("a", "1.0.0", RUNTIME, False, 11, 'packages["node_modules/a"]')]
    assert roots(result) == [(".", "a", "1.0.0", RUNTIME, "dependencies", "^1.0.0")]
    assert issues(result) == [(3, "lockfileVersion: unsupported value 4; read by the keys present")]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("null\n", "expected a JSON object at the top level, found null", 1),
        ('["node_modules/a"]', "expected a JSON object at the top level, found an array", 1),
        ("lockfileVersion: 3\npackages: {}\n", "invalid JSON: Expecting value", 1),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply", None),
    ],
)
def test_unreadable_files_raise_parse_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError) as raised:
        parse_text(text)
    assert (raised.value.message, raised.value.line) == (message, line)


def test_null_fixture_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="found null"):
        parse_fixture("top-level-null.json")


def test_truncated_lockfile_is_a_parse_error_with_the_line() -> None:
    text = (FIXTURES / "npm-cli-reference" / "package-lock.json").read_text(encoding="utf-8")
    cut = text[: text.index('"node_modules/once"')]
    with pytest.raises(ParseError) as raised:
        parse_text(cut)
    assert raised.value.line == cut.count("\n") + 1


def test_deep_but_valid_version_1_tree_is_read_without_recursion() -> None:
    depth = 300
    tree: dict[str, Any] = {}
    level = tree
    for index in range(depth):
        level[f"p{index}"] = {"version": "1.0.0", "requires": {f"p{index + 1}": "1.0.0"}, "dependencies": {}}
        level = level[f"p{index}"]["dependencies"]
    result = parse_text(json.dumps({"lockfileVersion": 1, "dependencies": tree}))
    assert len(result.packages) == depth
    assert len(result.edges) == depth  # the last one requires p300, which is not locked
    assert (result.edges[-1].child, result.edges[-1].child_version) == (f"p{depth}", None)
    assert result.issues == []


def test_large_generated_lockfile_parses() -> None:
    """About 20 MB, built in memory (never committed): every package, edge and line is found."""
    count = 45_000
    packages: dict[str, Any] = {"": {"name": "big", "dependencies": {"pkg-0": "^1.0.0"}}}
    for index in range(count):
        packages[f"node_modules/pkg-{index}"] = {
            "version": f"1.{index % 7}.0",
            "resolved": f"https://registry.npm.example/pkg-{index}/-/pkg-{index}-1.{index % 7}.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "license": "MIT",
            "dependencies": {f"pkg-{(index + 1) % count}": "^1.0.0", f"pkg-{(index + 7) % count}": "^1.0.0"},
            "engines": {"node": ">=18"},
        }
    text = json.dumps({"name": "big", "lockfileVersion": 3, "packages": packages}, indent=2)
    assert len(text) > 19_000_000
    result = parse_text(text)
    assert len(result.packages) == count
    assert len(result.edges) == 2 * count
    assert roots(result) == [(".", "pkg-0", "1.0.0", RUNTIME, "dependencies", "^1.0.0")]
    assert result.issues == []
    assert all(p.line is not None for p in result.packages)
    assert result.packages[-1].line == text[: text.index(f'"node_modules/pkg-{count - 1}"')].count("\n") + 1


# --- through scan(): what the one graph walk makes of those roots and edges ------------

Walked = tuple[str, Lifecycle, bool, bool, Directness]
"""(project, lifecycle, optional, peer, directness) of one lock-entry usage."""
R, D = Lifecycle.RUNTIME, Lifecycle.DEVELOPMENT
DIRECT, TRANSITIVE = Directness.DIRECT, Directness.TRANSITIVE


def scanned(folder: Path) -> dict[tuple[str, str | None], Component]:
    """The components a scan of `folder` gives, by (name, version)."""
    return {(c.name, c.version): c for c in scan([folder]).components}


def walked(component: Component) -> set[Walked]:
    """What the walk concluded for each lock entry of the component (manifest usages left out)."""
    return {
        (u.project, u.lifecycle, u.optional, u.peer, u.directness)
        for u in component.usages
        if u.location.path.endswith(("package-lock.json", "npm-shrinkwrap.json"))
    }


def declared_at(component: Component) -> set[tuple[str | None, str | None, str | None]]:
    """(group, key path, requirement) of each manifest declaration attached to the component."""
    return {
        (u.group, u.location.key_path, u.requirement)
        for u in component.usages
        if u.location.path.endswith("package.json")
    }


def test_dev_scope_comes_from_the_graph_not_from_the_flags() -> None:
    """The lockfile flags `shared` dev and `assert-kit` nothing; the graph says the opposite."""
    components = scanned(FIXTURES / "dev-scope-from-the-graph-not-the-flags")
    assert {key: walked(c) for key, c in components.items()} == {
        ("app-lib", "1.0.0"): {("npm:.", R, False, False, DIRECT)},
        ("shared", "1.0.0"): {("npm:.", R, False, False, TRANSITIVE)},  # app-lib needs it at run time
        ("tester", "2.0.0"): {("npm:.", D, False, False, DIRECT)},
        ("assert-kit", "3.0.0"): {("npm:.", D, False, False, TRANSITIVE)},  # only the dev tester reaches it
    }


def test_a_workspace_dev_dependency_that_another_workspace_needs_at_run_time_is_runtime() -> None:
    """picocolors: tool's devDependency, and a dependency of postcss that app needs at run time."""
    components = scanned(FIXTURES / "workspace-dev-dependency-needed-at-runtime-by-another")
    picocolors = components[("picocolors", "1.1.1")]
    assert walked(picocolors) == {
        ("npm:packages/app", R, False, False, TRANSITIVE),
        ("npm:packages/tool", D, False, False, DIRECT),
    }
    assert Scope.RUNTIME in picocolors.scopes
    assert walked(components[("nanoid", "3.3.7")]) == {("npm:packages/app", R, False, False, TRANSITIVE)}


def test_a_declaration_attaches_to_the_version_it_resolves_to() -> None:
    """package.json pins prettier 2.6.2 and aliases prettier-3; a dev tool nests prettier 2.8.8."""
    components = scanned(FIXTURES / "declaration-attaches-to-the-version-it-resolves-to")
    assert declared_at(components[("prettier", "2.6.2")]) == {("dependencies", 'dependencies["prettier"]', "2.6.2")}
    assert declared_at(components[("prettier", "3.3.3")]) == {
        ("dependencies", 'dependencies["prettier-3"]', "npm:prettier@^3.0.0")
    }
    assert declared_at(components[("prettier", "2.8.8")]) == set()
    assert walked(components[("prettier", "2.8.8")]) == {("npm:.", D, False, False, TRANSITIVE)}


def test_an_alias_named_like_a_workspace_member_stays_third_party_in_the_scan() -> None:
    components = scanned(FIXTURES / "npm-alias-named-like-a-workspace")
    assert components[("engine.io-client", "3.5.4")].first_party is False
    assert components[("engine.io-client", "6.5.3")].first_party is True
    assert walked(components[("engine.io-client", "3.5.4")]) == {("npm:.", R, False, False, DIRECT)}
    assert walked(components[("ws", "7.4.6")]) == {("npm:.", R, False, False, TRANSITIVE)}
    assert walked(components[("ws", "8.11.0")]) == {("npm:packages/engine.io-client", R, False, False, DIRECT)}


def test_the_component_name_keeps_the_package_spelling_and_the_purl_normalizes_it() -> None:
    component = scanned(FIXTURES / "name-keeps-its-spelling-jsonstream")[("JSONStream", "1.3.5")]
    assert component.purl == "pkg:npm/jsonstream@1.3.5"
    assert declared_at(component) == {("dependencies", 'dependencies["JSONStream"]', "^1.3.5")}


# --- the npm CLI as the reference ----------------------------------------------

REFERENCE = FIXTURES / "npm-cli-reference"
"""package.json + package-lock.json generated by `npm install --package-lock-only --ignore-scripts`
(npm 11), `resolved` hosts then rewritten to registry.npm.example: a scoped package, a nested
duplicate (ms), an alias (string-width-cjs), dev, optional, devOptional (wrappy) and peer (react)."""
FOLDER_FIXTURES = sorted(
    path.parent.relative_to(FIXTURES).as_posix() for path in FIXTURES.glob("*/package-lock.json")
)


@NEEDS_NPM
def test_roots_and_edges_agree_with_npm_ls(tmp_path: Path) -> None:
    for name in ("package.json", "package-lock.json"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    direct, npm_edges = npm_graph(npm_ls(tmp_path).tree or {})
    result = parse_fixture("npm-cli-reference/package-lock.json")
    assert {(r.name, r.version) for r in result.roots if r.importer == "."} == direct
    assert plain_edges(result) == npm_edges
    assert ("use-sync-external-store", "1.7.0", "react", "19.3.1", PEER_EDGE) in edges(result)
    assert result.issues == []


@NEEDS_NPM
def test_the_walk_concludes_what_npm_flagged(tmp_path: Path) -> None:
    """Lifecycle, optional and peer of every package, as the graph walk finds them, equal npm's flags."""
    for name in ("package.json", "package-lock.json"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    expected = npm_flags(npm_ls(tmp_path).tree or {})
    components = scanned(tmp_path)
    assert {key: {w[1:4] for w in walked(c)} for key, c in components.items()} == {
        key: {conclusion} for key, conclusion in expected.items()
    }


def test_npm_cli_reference_roots_in_detail() -> None:
    """What the two comparisons above check, written out."""
    result = parse_fixture("npm-cli-reference/package-lock.json")
    assert result.project == DeclaredProject(name="lock-reference-fixture", version="1.0.0", license="MIT")
    assert roots(result) == [
        (".", "@sindresorhus/is", "4.6.0", RUNTIME, "dependencies", "^4.6.0"),
        (".", "debug", "2.6.9", RUNTIME, "dependencies", "^2.6.9"),
        (".", "ms", "2.1.3", RUNTIME, "dependencies", "^2.1.3"),
        (".", "string-width", "4.2.3", RUNTIME, "dependencies", "npm:string-width@^4.2.0"),
        (".", "use-sync-external-store", "1.7.0", RUNTIME, "dependencies", "^1.2.0"),
        (".", "escape-string-regexp", "1.0.5", OPTIONAL, "optionalDependencies", "^1.0.5"),
        (".", "wrappy", "1.0.2", OPTIONAL, "optionalDependencies", "^1.0.2"),
        (".", "is-number", "7.0.0", DEV, "devDependencies", "^7.0.0"),
        (".", "once", "1.4.0", DEV, "devDependencies", "^1.4.0"),
    ]
    assert ("debug", "2.6.9", "ms", "2.0.0", REQUIRED) in edges(result)  # the nested copy, not the top ms


@NEEDS_NPM
@pytest.mark.parametrize("folder", FOLDER_FIXTURES)
def test_every_fixture_folder_agrees_with_npm_ls(tmp_path: Path, folder: str) -> None:
    """The corpus oracle (test_package_lock_npm_ls) on the hand-written folders: same packages, same runtime set."""
    reference = reference_for(copy_project(FIXTURES / folder / "package-lock.json", tmp_path))
    assert reference.skip is None and reference.notes == []
    assert third_party(reference.folder) == (reference.full, reference.production)


# --- peers' fixtures -------------------------------------------------------------

SCALIBR_NESTED_DUP = """@vue/component-compiler-utils@2.6.0 autoprefixer@9.5.1 babel-code-frame@6.26.0
css-declaration-sorter@4.0.1 cssnano@4.1.10 cssnano-preset-default@4.0.7 cssnano-util-raw-cache@4.0.1
friendly-errors-webpack-plugin@1.7.0 postcss-calc@7.0.1 postcss-colormin@4.0.3 postcss-convert-values@4.0.1
postcss-discard-comments@4.0.2 postcss-discard-duplicates@4.0.2 postcss-discard-empty@4.0.1
postcss-discard-overridden@4.0.1 postcss-loader@3.0.0 postcss-merge-longhand@4.0.11 postcss-merge-rules@4.0.3
postcss-minify-font-values@4.0.2 postcss-minify-gradients@4.0.2 postcss-minify-params@4.0.2
postcss-minify-selectors@4.0.2 postcss-normalize-charset@4.0.1 postcss-normalize-display-values@4.0.2
postcss-normalize-positions@4.0.2 postcss-normalize-repeat-style@4.0.2 postcss-normalize-string@4.0.2
postcss-normalize-timing-functions@4.0.2 postcss-normalize-unicode@4.0.1 postcss-normalize-url@4.0.1
postcss-normalize-whitespace@4.0.2 postcss-ordered-values@4.1.2 postcss-reduce-initial@4.0.3
postcss-reduce-transforms@4.0.2 postcss-svgo@4.0.2 postcss-unique-selectors@4.0.1 supports-color@2.0.0
supports-color@5.5.0 supports-color@6.1.0"""




def entry_count(document: dict[str, Any]) -> int:
    """Lock entries counted straight from the JSON: `packages` keys but the root and links, or v1 tree nodes."""
    packages = document.get("packages")
    if isinstance(packages, dict):
        return sum(1 for key, entry in packages.items() if key and isinstance(entry, dict) and not entry.get("link"))
    count, stack = 0, [document.get("dependencies") or {}]
    while stack:
        for entry in stack.pop().values():
            if isinstance(entry, dict):
                count += 1
                stack.append(entry.get("dependencies") or {})
    return count


def entries_in(path: Path) -> int:
    return entry_count(json.loads(path.read_text(encoding="utf-8")))


def _ids(text: str, scopes: frozenset[Scope] = RUNTIME) -> set[tuple[str, str | None, frozenset[Scope]]]:
    """`name@version` words -> (name, version, scopes); `name@` means no version."""
    found = set()
    for word in text.split():
        name, _, version = word.rpartition("@")
        found.add((name, version or None, scopes))
    return found


def _ident(word: str) -> tuple[str, str]:
    name, _, version = word.rpartition("@")
    return name, version


def _edge_set(table: dict[str, str]) -> set[tuple[str, str | None, str, str | None]]:
    return {(*_ident(parent), *_ident(child)) for parent, children in table.items() for child in children.split()}


AJV_COPIES = {("ajv", "5.5.2", scopes) for scopes in (RUNTIME, DEV, OPTIONAL, DEV_OPTIONAL)}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # osv-scalibr packagelockjson-v1_test.go / -v2_test.go: DepGroupVals [] -> RUNTIME, ["dev"] -> DEV,
        # ["optional"] -> OPTIONAL, ["dev", "optional"] -> DEV and OPTIONAL: npm's flags on each entry
        ("empty.v1.json", set()),
        ("empty.v2.json", set()),
        ("one-package.v1.json", _ids("wrappy@1.0.2")),
        ("one-package.v2.json", _ids("wrappy@1.0.2")),
        ("one-package-dev.v1.json", _ids("wrappy@1.0.2", DEV)),
        ("one-package-dev.v2.json", _ids("wrappy@1.0.2", DEV)),
        ("two-packages.v1.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
        ("two-packages.v2.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
        ("scoped-packages.v1.json", _ids("wrappy@1.0.2 @babel/code-frame@7.0.0")),
        ("scoped-packages.v2.json", _ids("wrappy@1.0.2 @babel/code-frame@7.0.0")),
        (
            "nested-dependencies.v1.json",
            _ids("postcss@6.0.23 postcss@7.0.16 postcss-calc@7.0.1 supports-color@6.1.0 supports-color@5.5.0"),
        ),
        (
            "nested-dependencies.v2.json",
            _ids("postcss@6.0.23 postcss@7.0.16 postcss-calc@7.0.1 supports-color@6.1.0 supports-color@5.5.0"),
        ),
        ("nested-dependencies-dup.v1.json", _ids(SCALIBR_NESTED_DUP)),
        ("nested-dependencies-dup.v2.json", _ids("supports-color@6.1.0 supports-color@2.0.0")),
        ("alias.v1.json", _ids("@babel/code-frame@7.0.0 string-width@4.2.0 string-width@5.1.2")),
        ("alias.v2.json", _ids("@babel/code-frame@7.0.0 string-width@4.2.0 string-width@5.1.2")),
        ("optional-package.v1.json", _ids("wrappy@1.0.2", DEV_OPTIONAL) | _ids("supports-color@5.5.0", OPTIONAL)),
        ("optional-package.v2.json", _ids("wrappy@1.0.2", OPTIONAL) | _ids("supports-color@5.5.0", DEV_OPTIONAL)),
        # scalibr folds the four copies of ajv@5.5.2 into one; each entry keeps its own flags here
        ("same-package-different-groups.v1.json", _ids("eslint@1.2.3", DEV) | _ids("table@1.0.0") | AJV_COPIES),
        ("same-package-different-groups.v2.json", _ids("eslint@1.2.3", DEV) | _ids("table@1.0.0") | AJV_COPIES),
        ("files.v1.json", _ids("lodash@1.3.1 other_package@")),
        ("files.v2.json", _ids("etag@1.8.0 abbrev@1.0.9 abbrev@2.3.4", DEV)),
        # scalibr marks bundled packages with a "bundled" group; we keep that as a note
        ("bundled-dependencies.v3.json", _ids("ansi-regex@6.2.2 strip-ansi@7.1.2") | _ids("semver@7.7.2", DEV)),
        ("package-lock-only/package-lock.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
        ("npm-shrinkwrap-only/npm-shrinkwrap.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
        ("both/package-lock.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
        ("both/npm-shrinkwrap.json", _ids("wrappy@1.0.2 supports-color@5.5.0")),
    ],
)
def test_scalibr_fixtures(corpus: Path, fixture: str, expected: set[tuple[str, str | None, frozenset[Scope]]]) -> None:
    result = parse_fixture(fixture, corpus / SCALIBR)
    assert {(p.name, p.version, p.scopes) for p in result.packages} == expected
    assert len(result.packages) == entries_in(corpus / SCALIBR / fixture)
    assert result.issues == []


@pytest.mark.corpus
def test_scalibr_local_and_bundled_details(corpus: Path) -> None:
    files_v1 = {p.name: p for p in parse_fixture("files.v1.json", corpus / SCALIBR).packages}
    assert (files_v1["other_package"].first_party, files_v1["other_package"].source_url) == (
        True,
        "file:deps/other_package",
    )
    files_v2 = parse_fixture("files.v2.json", corpus / SCALIBR)
    assert (files_v2.workspace_members, files_v2.workspace_paths) == (["etag"], ["deps/etag"])
    bundled = by_key_path(parse_fixture("bundled-dependencies.v3.json", corpus / SCALIBR))
    assert bundled['packages["node_modules/semver"]'].note == (
        "bundled inside its dependent's tarball at node_modules/semver (inBundle)"
    )
    assert bundled['packages["node_modules/strip-ansi"]'].note is None


@pytest.mark.corpus
def test_scalibr_commits_v1_keep_each_commit_without_a_version(corpus: Path) -> None:
    """scalibr reports git packages with an empty version and the commit; so do we (None + source)."""
    result = parse_fixture("commits.v1.json", corpus / SCALIBR)
    git = [
        (p.name, (p.source_url or "").rsplit("#", 1)[-1][:7], p.scopes) for p in result.packages if p.version is None
    ]
    assert sorted(git) == sorted(
        [
            ("@segment/analytics.js-integration-facebook-pixel", "3b1bb80", RUNTIME),
            ("babel-preset-php", "c5a7ba5", RUNTIME),
            ("is-number-1", "af885e2", DEV),
            ("is-number-1", "be5935f", DEV),
            ("is-number-2", "d5ac058", RUNTIME),
            ("is-number-2", "82dcc8e", RUNTIME),
            ("is-number-3", "d5ac058", DEV),
            ("is-number-3", "82ae880", DEV),
            ("is-number-4", "af885e2", DEV),
            ("is-number-5", "af885e2", DEV),
            ("is-number-6", "af885e2", DEV),
            ("raven-js", "c2b377e", RUNTIME),
            ("slick-carousel", "280b560", DEV),
        ]
    )
    assert {(p.name, p.version) for p in result.packages if p.version} == {
        ("ansi-styles", "1.0.0"),
        ("postcss-calc", "7.0.1"),
    }


@pytest.mark.corpus
def test_scalibr_commits_v2_keep_one_entry_per_commit(corpus: Path) -> None:
    """scalibr lists is-number-1@3.0.0 twice (two commits); so do we, one entry each with its source."""
    result = parse_fixture("commits.v2.json", corpus / SCALIBR)
    assert {(p.name, p.version, p.scopes) for p in result.packages} == _ids(
        "@segment/analytics.js-integration-facebook-pixel@2.4.1 ansi-styles@1.0.0 postcss-calc@7.0.1 raven-js@"
    ) | _ids(
        "babel-preset-php@1.1.1 is-number-1@3.0.0 is-number-2@2.0.0 is-number-3@2.0.0 is-number-3@3.0.0 "
        "is-number-4@3.0.0 is-number-5@3.0.0 slick-carousel@1.7.1",
        DEV,
    )
    commits = sorted((p.source_url or "").rsplit("#", 1)[-1][:7] for p in result.packages if p.name == "is-number-1")
    assert commits == ["af885e2", "be5935f"]
    assert {p.note for p in result.packages if p.name == "raven-js"} == {"git dependency: no version in the lock"}
    assert len(result.packages) == entries_in(corpus / SCALIBR / "commits.v2.json")
    assert result.issues == []


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["not-json.txt", "null.v2.jsontest"])
def test_scalibr_broken_files_are_parse_errors(corpus: Path, fixture: str) -> None:
    with pytest.raises(ParseError):
        parse_fixture(fixture, corpus / SCALIBR)


def first_lines(result: ParseResult) -> dict[str, int | None]:
    """`name@version` -> the first line of its entries (trivy reports one StartLine per package)."""
    found: dict[str, int | None] = {}
    for p in sorted(result.packages, key=lambda p: p.line or 0):
        found.setdefault(f"{p.name}@{p.version}", p.line)
    return found


TRIVY_LINES_V1 = {
    "@babel/helper-string-parser@7.19.4": 7, "asap@2.0.6": 12, "body-parser@1.18.3": 18, "bytes@3.0.0": 50,
    "content-type@1.0.5": 55, "debug@2.5.2": 60, "debug@2.6.9": 35, "depd@1.1.2": 77, "ee-first@1.1.1": 82,
    "encodeurl@1.0.2": 87, "escape-html@1.0.3": 92, "finalhandler@1.1.1": 97, "http-errors@1.6.3": 126,
    "iconv-lite@0.4.23": 137, "inherits@2.0.3": 145, "media-typer@0.3.0": 150, "mime-db@1.52.0": 155,
    "mime-types@2.1.35": 160, "ms@0.7.2": 69, "ms@1.0.0": 168, "ms@2.0.0": 43, "on-finished@2.3.0": 173,
    "parseurl@1.3.3": 181, "promise@8.3.0": 186, "qs@6.5.2": 195, "raw-body@2.3.3": 200, "safer-buffer@2.1.2": 211,
    "setprototypeof@1.1.0": 216, "statuses@1.4.0": 221, "type-is@1.6.18": 226, "unpipe@1.0.0": 235,
}  # fmt: skip
TRIVY_LINES_V2 = {
    "@babel/helper-string-parser@7.19.4": 24, "asap@2.0.6": 32, "body-parser@1.18.3": 38, "bytes@3.0.0": 71,
    "content-type@1.0.5": 79, "debug@2.5.2": 87, "debug@2.6.9": 58, "depd@1.1.2": 102, "ee-first@1.1.1": 110,
    "encodeurl@1.0.2": 115, "escape-html@1.0.3": 123, "finalhandler@1.1.1": 128, "http-errors@1.6.3": 158,
    "iconv-lite@0.4.23": 172, "inherits@2.0.3": 183, "media-typer@0.3.0": 188, "mime-db@1.52.0": 196,
    "mime-types@2.1.35": 204, "ms@0.7.2": 96, "ms@1.0.0": 215, "ms@2.0.0": 66, "on-finished@2.3.0": 220,
    "parseurl@1.3.3": 231, "promise@8.3.0": 239, "qs@6.5.2": 248, "raw-body@2.3.3": 256, "safer-buffer@2.1.2": 270,
    "setprototypeof@1.1.0": 275, "statuses@1.4.0": 280, "type-is@1.6.18": 288, "unpipe@1.0.0": 300,
}  # fmt: skip
TRIVY_DIRECT = {
    "@babel/helper-string-parser@7.19.4",
    "body-parser@1.18.3",
    "debug@2.5.2",
    "finalhandler@1.1.1",
    "ms@1.0.0",
    "promise@8.3.0",
}
TRIVY_EDGES = {
    "body-parser@1.18.3": "bytes@3.0.0 content-type@1.0.5 debug@2.6.9 depd@1.1.2 http-errors@1.6.3 iconv-lite@0.4.23 "
    "on-finished@2.3.0 qs@6.5.2 raw-body@2.3.3 type-is@1.6.18",
    "debug@2.5.2": "ms@0.7.2",
    "debug@2.6.9": "ms@2.0.0",
    "finalhandler@1.1.1": "debug@2.6.9 encodeurl@1.0.2 escape-html@1.0.3 on-finished@2.3.0 parseurl@1.3.3 "
    "statuses@1.4.0 unpipe@1.0.0",
    "http-errors@1.6.3": "depd@1.1.2 inherits@2.0.3 setprototypeof@1.1.0 statuses@1.4.0",
    "iconv-lite@0.4.23": "safer-buffer@2.1.2",
    "mime-types@2.1.35": "mime-db@1.52.0",
    "on-finished@2.3.0": "ee-first@1.1.1",
    "promise@8.3.0": "asap@2.0.6",
    "raw-body@2.3.3": "bytes@3.0.0 http-errors@1.6.3 iconv-lite@0.4.23 unpipe@1.0.0",
    "type-is@1.6.18": "media-typer@0.3.0 mime-types@2.1.35",
}




def root_ids(result: ParseResult, importer: str = ".") -> set[str]:
    return {f"{r.name}@{r.version}" for r in result.roots if r.importer == importer}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "lines", "direct"),
    [
        # trivy parse_testcase.go: npmV1Pkgs (Relationship unknown: no roots), npmV2Pkgs (v2 and v3: direct
        # for the root's dependencies), StartLine of every entry, and npmDeps
        ("package-lock_v1.json", TRIVY_LINES_V1, set()),
        ("package-lock_v2.json", TRIVY_LINES_V2, TRIVY_DIRECT),
        ("package-lock_v3.json", TRIVY_LINES_V2, TRIVY_DIRECT),
    ],
)
def test_trivy_v1_v2_v3(corpus: Path, fixture: str, lines: dict[str, int], direct: set[str]) -> None:
    result = parse_fixture(fixture, corpus / TRIVY)
    assert first_lines(result) == lines
    assert len(result.packages) == entries_in(corpus / TRIVY / fixture)
    assert {f"{p.name}@{p.version}" for p in result.packages if Scope.DEV in p.scopes} == {"debug@2.5.2", "ms@0.7.2"}
    # trivy has no optional flag; npm marked the --save-optional promise and its asap optional
    assert {f"{p.name}@{p.version}" for p in result.packages if p.scopes == OPTIONAL} == {"promise@8.3.0", "asap@2.0.6"}
    assert root_ids(result) == direct
    assert plain_edges(result) == _edge_set(TRIVY_EDGES)
    assert result.issues == []


@pytest.mark.corpus
def test_trivy_workspace(corpus: Path) -> None:
    """trivy: function1 (no version) and nested_func are workspaces; their declarations are their roots."""
    result = parse_fixture("package-lock_v3_with_workspace.json", corpus / TRIVY)
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == [
        ("function1", None, True, 18),
        ("nested_func", "1.0.0", True, 24),
        ("debug", "2.6.9", False, 31),
        ("debug", "2.5.2", False, 39),
        ("ms", "0.7.2", False, 47),
        ("ms", "2.0.0", False, 56),
    ]
    assert plain_edges(result) == {
        ("debug", "2.5.2", "ms", "0.7.2"),
        ("debug", "2.6.9", "ms", "2.0.0"),
        ("function1", None, "nested_func", "1.0.0"),
        ("nested_func", "1.0.0", "debug", "2.6.9"),
    }
    assert [(r.importer, r.name, r.version, r.group) for r in result.roots] == [
        (".", "debug", "2.5.2", "dependencies"),
        ("functions/func1", "nested_func", "1.0.0", "dependencies"),
        ("functions/nested_func", "debug", "2.6.9", "dependencies"),
    ]
    assert (result.workspace_members, result.workspace_paths) == (
        ["function1", "nested_func"],
        ["functions/func1", "functions/nested_func"],
    )


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected", "expected_edges", "expected_roots"),
    [
        (
            "package-lock_v3_with_peer.json",
            [
                ("mustache", "2.3.2", RUNTIME, 18),
                ("lodash", "4.17.21", RUNTIME_PEER, 30),
                ("triple-beam", "1.4.1", RUNTIME_PEER, 37),
                ("winston", "3.17.0", RUNTIME_PEER, 47),
                ("winston-mail", "2.0.0", RUNTIME, 60),
            ],
            {"winston-mail@2.0.0": "mustache@2.3.2 winston@3.17.0", "winston@3.17.0": "triple-beam@1.4.1"},
            {"lodash@4.17.21": PEER, "winston-mail@2.0.0": RUNTIME},
        ),
        (
            "package-lock_v3_with-same-dev-and-non-dev.json",
            # minimist is bundled in the dev-only fsevents (flagged dev there) and a runtime dependency
            [
                ("fsevents", "1.2.9", DEV, 18),
                ("minimist", "0.0.8", DEV, 38),
                ("mkdirp", "0.5.1", DEV, 44),
                ("node-pre-gyp", "0.12.0", DEV, 56),
                ("minimist", "0.0.8", RUNTIME, 68),
            ],
            {
                "fsevents@1.2.9": "node-pre-gyp@0.12.0",
                "mkdirp@0.5.1": "minimist@0.0.8",
                "node-pre-gyp@0.12.0": "mkdirp@0.5.1",
            },
            {"minimist@0.0.8": RUNTIME, "fsevents@1.2.9": DEV},
        ),
        (
            "package-lock_v3_without_root_deps_field.json",
            [("func1", "1.0.0", RUNTIME, 15), ("debug", "2.6.9", RUNTIME, 22), ("ms", "2.0.0", RUNTIME, 34)],
            {"debug@2.6.9": "ms@2.0.0", "func1@1.0.0": "debug@2.6.9"},
            {},
        ),
        (
            "package-lock_v3_with_workspace_as_object.json",
            [("lodash", "4.17.21", RUNTIME, 16), ("testapp", "1.0.0", RUNTIME, 26)],
            {"testapp@1.0.0": "lodash@4.17.21"},
            {},
        ),
        (
            "package-lock_v3_with_legacy_licenses.json",
            [("tv4", "1.3.0", RUNTIME, 17), ("pause-stream", "0.0.11", RUNTIME, 32), ("mustache", "2.3.2", RUNTIME, 38)],
            {},
            {"tv4@1.3.0": RUNTIME, "pause-stream@0.0.11": RUNTIME, "mustache@2.3.2": RUNTIME},
        ),
    ],
)
def test_trivy_v3_cases(
    corpus: Path,
    fixture: str,
    expected: list[Any],
    expected_edges: dict[str, str],
    expected_roots: dict[str, frozenset[Scope]],
) -> None:
    result = parse_fixture(fixture, corpus / TRIVY)
    assert [(p.name, p.version, p.scopes, p.line) for p in result.packages] == expected
    assert plain_edges(result) == _edge_set(expected_edges)
    assert {f"{r.name}@{r.version}": r.scopes for r in result.roots if r.importer == "."} == expected_roots
    assert result.issues == []


@pytest.mark.corpus
def test_trivy_legacy_license_arrays_become_or_expressions(corpus: Path) -> None:
    result = parse_fixture("package-lock_v3_with_legacy_licenses.json", corpus / TRIVY)
    assert [p.declared_license for p in result.packages] == ["(Public Domain OR MIT)", "(MIT OR Apache2)", "MIT"]


@pytest.mark.corpus
def test_trivy_broken_link_is_an_issue_and_the_workspace_is_kept(corpus: Path) -> None:
    """trivy returns nothing for this file; we keep the workspace folder and report the link."""
    result = parse_fixture("package-lock_v3_broken_link.json", corpus / TRIVY)
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == [("func1", "1.0.0", True, 12)]
    assert issues(result) == [
        (19, "packages[\"node_modules/func1\"].resolved: link target '' is not an entry of packages")
    ]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # syft parse_package_lock_test.go; syft also lists the root project as a package, which we
        # report as the project record instead
        (
            "pkg-lock/package-lock.json",
            "@actions/core@1.6.0 ansi-regex@3.0.0 cowsay@1.4.0 get-stdin@5.0.1 is-fullwidth-code-point@2.0.0 "
            "minimist@0.0.10 optimist@0.6.1 string-width@2.1.1 strip-ansi@4.0.0 strip-eof@1.0.0 wordwrap@0.0.3 "
            "node_modules/async@3.2.4",
        ),
        (
            "pkg-lock/package-lock-2.json",
            "@types/prop-types@15.7.5 @types/react@18.0.17 @types/scheduler@0.16.2 csstype@3.1.0 async@3.2.4",
        ),
        (
            "pkg-lock/package-lock-3.json",
            "@types/prop-types@15.7.5 @types/react@18.0.20 @types/scheduler@0.16.2 csstype@3.1.1 async@3.2.4",
        ),
        ("pkg-lock/alias-package-lock-1.json", "case@1.6.2 case@1.6.3 @bundled-es-modules/chai@4.2.2"),
        ("pkg-lock/alias-package-lock-2.json", "case@1.6.2 case@1.6.3 @bundled-es-modules/chai@4.2.2"),
        ("pkg-lock/array-license-package-lock.json", "pause-stream@0.0.11 through@2.3.8"),
        (
            "pkg-lock/nested-package-lock-1.json",
            "parent@1.0.0 shared@2.0.0 shared@1.0.0 shared@0.5.0 middle@1.0.0 duplicate@1.0.0 dev-parent@1.0.0 "
            "dev-nested@1.0.0",
        ),
    ],
)
def test_syft_fixtures(corpus: Path, fixture: str, expected: str) -> None:
    result = parse_fixture(fixture, corpus / SYFT)
    assert {(p.name, p.version) for p in result.packages} == {_ident(word) for word in expected.split()}
    assert len(result.packages) == entries_in(corpus / SYFT / fixture)


@pytest.mark.corpus
def test_syft_details(corpus: Path) -> None:
    v2 = parse_fixture("pkg-lock/package-lock-2.json", corpus / SYFT)
    assert v2.project == DeclaredProject(name="npm", version="6.14.6")
    assert {p.name: p.declared_license for p in v2.packages}["@types/react"] == "MIT"
    licenses = parse_fixture("pkg-lock/array-license-package-lock.json", corpus / SYFT)
    assert [p.declared_license for p in licenses.packages] == ["(MIT OR Apache2)", "MIT"]
    assert licenses.project == DeclaredProject(name="tmp", version="1.0.0", license="ISC")
    v1 = parse_fixture("pkg-lock/package-lock.json", corpus / SYFT)  # a v2-style key in a v1 tree
    assert issues(v1) == [(80, "dependencies.node_modules/async: 'node_modules/async' is not a valid package name")]


@pytest.mark.corpus
def test_syft_corrupt_lockfile_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("corrupt/package-lock.json", corpus / SYFT)
    assert raised.value.line == 3


# --- the real-world corpus -----------------------------------------------------


def corpus_lockfiles(corpus: Path) -> list[Path]:
    return sorted(
        path
        for name in ("package-lock.json", "npm-shrinkwrap.json")
        for path in corpus.rglob(name)
        if "fixtures" not in path.relative_to(corpus).parts
    )


@pytest.mark.corpus
def test_every_corpus_lockfile_parses_into_a_consistent_graph(corpus: Path) -> None:
    """One package per entry (counted straight from the JSON), every edge's parent locked, every root's
    importer a folder the lockfile covers and its version one the lockfile locks."""
    lockfiles = corpus_lockfiles(corpus)
    assert len(lockfiles) >= 6
    reader = SandboxReader(corpus)
    for path in lockfiles:
        relative = path.relative_to(corpus).as_posix()
        result = parse_package_lock(reader.read(relative), reader)
        locked = {(p.name, p.version) for p in result.packages}
        assert result.states_graph, relative
        assert len(result.packages) == entries_in(path), relative
        assert result.issues == [], relative
        assert all(p.line is not None and p.key_path for p in result.packages), relative
        assert {(e.parent, e.parent_version) for e in result.edges} <= locked, relative
        assert {(e.child, e.child_version) for e in result.edges if e.child_version} <= locked, relative
        assert {r.importer for r in result.roots} <= {".", *result.workspace_paths}, relative
        assert {(r.name, r.version) for r in result.roots if r.version} <= locked, relative
