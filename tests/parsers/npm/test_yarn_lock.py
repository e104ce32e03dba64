"""yarn.lock, v1 text and Berry YAML: packages, edges and their kinds, resolutions, workspaces, lines,
broken files; and, through the public scan, the lifecycles the graph walk gives their packages."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from ospo_scan.model import Component, EdgeKind, Ecosystem, Inventory, Lifecycle, Scope
from ospo_scan.parsers.base import DeclaredEdge, DeclaredProject, FileRole, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.npm.yarn_lock import SPEC, is_berry, parse_yarn_lock
from ospo_scan.parsers.npm.yarn_v1 import V1LineError, header_specifiers, line_tokens
from ospo_scan.reading import SandboxReader
from ospo_scan.scan import ScanOptions, scan
from tests.conftest import CORPUS
from tests.parsing import edge_rows as edges, issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "yarn_lock"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/javascript/yarnlock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/nodejs/yarn/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/javascript/testdata"
LOCAL = "local package: yarn records no version (0.0.0-use.local)"
CUSTOM = "custom-plugin:whatever"


def parse_fixture(name: str) -> ParseResult:
    """Parse one of our fixtures through the sandbox reader, as the scan would."""
    return parse_path(FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` (peers' fixtures have other names than yarn.lock)."""
    return parse_file_with(parse_yarn_lock, root, relative)


def parse_text(text: str) -> ParseResult:
    return parse_yarn_lock(SourceFile(path="yarn.lock", text=text), SandboxReader(FIXTURES))


def summary(result: ParseResult) -> list[tuple[str, str | None, int | None]]:
    """(name, version, line) of every package, in file order."""
    return [(package.name, package.version, package.line) for package in result.packages]


def details(result: ParseResult) -> list[tuple[str, str | None, bool, str | None, str | None]]:
    """(name, version, first_party, source_url, note) of every package."""
    return [(p.name, p.version, p.first_party, p.source_url, p.note) for p in result.packages]


def kinded(result: ParseResult) -> list[tuple[str, str | None, str, str | None, EdgeKind]]:
    """(parent, parent version, child, child version, kind) of every edge, in order."""
    return [(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges]


def states_nothing_it_cannot_know(result: ParseResult) -> bool:
    """A yarn.lock states the graph but no roots, no directness and no scopes of its own."""
    return (
        result.states_graph
        and result.roots == []
        and {(p.direct, p.scopes) for p in result.packages} <= {(None, frozenset({Scope.RUNTIME}))}
    )


REQUIRED, OPTIONAL, PEER = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.PEER


# --- registry and flavour detection -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("yarn.lock", True),
        ("web/ui/yarn.lock", True),
        ("", False),
        ("yarn.lock/file", False),
        ("path/to/yarn.lock.file", False),
        ("path.to.my.yarn.lock", False),
        ("Yarn.lock", False),
        ("package-lock.json", False),
    ],
)
def test_matches_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected


def test_spec_is_an_npm_lockfile_parser() -> None:
    assert (SPEC.name, SPEC.ecosystem, SPEC.role, SPEC.parse) == (
        "yarn-lock",
        Ecosystem.NPM,
        FileRole.LOCKFILE,
        parse_yarn_lock,
    )


@pytest.mark.parametrize(
    ("text", "berry"),
    [
        ("# yarn lockfile v1\n\n\na@^1:\n  version \"1.0.0\"\n", False),
        ("__metadata:\n  version: 8\n", True),
        ("# header\r\n\r\n__metadata:\r\n  version: 8\r\n", True),
        ('"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n', True),
        ("", False),
        ("a@^1:\n  version \"1.0.0\"\n  __metadata: x\n", False),
    ],
)
def test_flavour_is_told_by_berry_only_markers(text: str, berry: bool) -> None:
    assert is_berry(text) is berry


# --- v1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("asn1@~0.2.3:", ("asn1@~0.2.3",)),
        ('"asn1@~0.2.3":', ("asn1@~0.2.3",)),
        ("loose-envify@^1.1.0, loose-envify@^1.4.0:", ("loose-envify@^1.1.0", "loose-envify@^1.4.0")),
        (
            '"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.12.13":',
            ("@babel/code-frame@^7.0.0", "@babel/code-frame@^7.12.13"),
        ),
        ('"js-tokens@^3.0.0 || ^4.0.0":', ("js-tokens@^3.0.0 || ^4.0.0",)),
        (
            "grunt-contrib-uglify-es@gruntjs/grunt-contrib-uglify#harmony:",
            ("grunt-contrib-uglify-es@gruntjs/grunt-contrib-uglify#harmony",),
        ),
        (
            '"jquery@git+https://xxxx:x-oauth-basic@github.com/tomoyamachi/jquery":',
            ("jquery@git+https://xxxx:x-oauth-basic@github.com/tomoyamachi/jquery",),
        ),
        (
            'minimist@0.0.8, "minimist@ssh://github.com/substack/minimist.git#0.0.8":',
            ("minimist@0.0.8", "minimist@ssh://github.com/substack/minimist.git#0.0.8"),
        ),
        ('"a\\"b@1":', ('a"b@1',)),  # JSON escapes inside quotes
        ("balanced-match:", ("balanced-match",)),
    ],
)
def test_v1_header_specifiers(header: str, expected: tuple[str, ...]) -> None:
    assert header_specifiers(header) == expected


@pytest.mark.parametrize("header", ["normal line", "a@1, :", '"a@1" "b@2":', '"unterminated@1:', ":"])
def test_v1_unreadable_headers(header: str) -> None:
    with pytest.raises(V1LineError):
        header_specifiers(header)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('version "7.10.4"', (["version", "7.10.4"], False)),
        ('"version" "0.0.1"', (["version", "0.0.1"], False)),
        ("integrity sha1-2Klr13/Wjfd5OnMDajug1UBdR3s=", (["integrity", "sha1-2Klr13/Wjfd5OnMDajug1UBdR3s="], False)),
        ("dependencies:", (["dependencies"], True)),
        ('"optionalDependencies":', (["optionalDependencies"], True)),
        ('js-tokens "^3.0.0 || ^4.0.0"', (["js-tokens", "^3.0.0 || ^4.0.0"], False)),
        ('"@types/color-name" "^1.1.1"', (["@types/color-name", "^1.1.1"], False)),
        ("mine G-Rath/npm-git-repo-1", (["mine", "G-Rath/npm-git-repo-1"], False)),
        ('version "2" ', (["version", "2"], False)),
    ],
)
def test_v1_line_tokens(body: str, expected: tuple[list[str], bool]) -> None:
    assert line_tokens(body) == expected


def test_v1_several_specifiers_per_entry_quoted_and_bare() -> None:
    result = parse_fixture("v1-several-specifiers-per-entry.lock")
    assert summary(result) == [
        ("@scope/a", "1.0.3", 5),
        ("b", "1.4.0", 15),
        ("b", "2.1.0", 19),
        ("fsevents", "2.3.3", 25),
        ("js-tokens", "4.0.0", 29),
    ]
    # each child's version is the one of the entry whose header lists `child@range`; a child
    # no header lists is still an edge, without a version
    assert kinded(result) == [
        ("@scope/a", "1.0.3", "b", "2.1.0", REQUIRED),
        ("@scope/a", "1.0.3", "js-tokens", "4.0.0", REQUIRED),
        ("@scope/a", "1.0.3", "fsevents", "2.3.3", OPTIONAL),
        ("b", "2.1.0", "not-in-this-lock", None, REQUIRED),
    ]
    # every specifier of every header, quoted or bare, as package.json writes it
    assert result.resolutions == {
        ("@scope/a", "^1.0.0"): "1.0.3",
        ("@scope/a", "~1.0.1"): "1.0.3",
        ("b", "^1.0.0"): "1.4.0",
        ("b", "2"): "2.1.0",
        ("b", "^2.0.0"): "2.1.0",
        ("fsevents", "~2.3.2"): "2.3.3",
        ("js-tokens", "^3.0.0 || ^4.0.0"): "4.0.0",
    }
    assert [p.key_path for p in result.packages] == [
        "@scope/a@^1.0.0, @scope/a@~1.0.1",
        "b@^1.0.0",
        "b@2, b@^2.0.0",
        "fsevents@~2.3.2",
        "js-tokens@^3.0.0 || ^4.0.0",
    ]
    # v1 has no root entry and no dev flags: the package.json declarations are the roots of the walk
    assert states_nothing_it_cannot_know(result)
    assert {(p.first_party, p.source_url) for p in result.packages} == {(False, None)}
    assert result.issues == [] and result.workspace_members == [] and result.project is None


def test_v1_npm_aliases_lock_the_real_package() -> None:
    result = parse_fixture("v1-npm-alias.lock")
    assert [(p.name, p.version, p.line, p.note) for p in result.packages] == [
        ("string-width", "4.2.3", 5, "installed under the alias string-width-cjs"),
        ("strip-ansi", "6.0.1", 11, "installed under the alias strip-ansi-cjs"),
        ("@babel/helper-validator-identifier", "7.22.20", 15, "installed under the alias babel-hvi"),
        ("wrapper", "1.0.0", 19, None),
    ]
    assert edges(result) == [
        ("string-width", "4.2.3", "strip-ansi", "6.0.1"),
        ("wrapper", "1.0.0", "@babel/helper-validator-identifier", "7.22.20"),
    ]
    # an alias resolves under the name package.json gives it and under the real package's name
    assert result.resolutions == {
        ("string-width-cjs", "npm:string-width@^4.2.0"): "4.2.3",
        ("string-width", "npm:string-width@^4.2.0"): "4.2.3",
        ("string-width", "^1.0.2 || 2 || 3 || 4"): "4.2.3",
        ("string-width", "^4.1.0"): "4.2.3",
        ("strip-ansi-cjs", "npm:strip-ansi@^6.0.1"): "6.0.1",
        ("strip-ansi", "npm:strip-ansi@^6.0.1"): "6.0.1",
        ("strip-ansi", "^6.0.1"): "6.0.1",
        ("babel-hvi", "npm:@babel/helper-validator-identifier@^7.0.0"): "7.22.20",
        ("@babel/helper-validator-identifier", "npm:@babel/helper-validator-identifier@^7.0.0"): "7.22.20",
        ("wrapper", "^1.0.0"): "1.0.0",
    }
    assert result.issues == []


def test_v1_git_tarball_and_local_specifiers() -> None:
    result = parse_fixture("v1-git-tarball-and-local-specifiers.lock")
    commit, tarball = "0123456789abcdef0123456789abcdef01234567", "89abcdef" * 5
    assert [(p.name, p.version, p.first_party, p.source_url) for p in result.packages] == [
        ("from-git", "1.2.0", False, f"git+https://git.example/owner/from-git.git#{commit}"),
        ("from-shorthand", "0.3.0", False, f"https://codeload.git.example/owner/from-shorthand/tar.gz/{tarball}"),
        ("from-tarball", "2.0.0", False, "https://downloads.example/from-tarball-2.0.0.tgz#abcdefabcdefabcd"),
        ("local-dir", "0.1.0", True, "file:./packages/local-dir"),
        ("linked", "0.0.0", True, "link:../linked"),
        ("vendored", "3.1.0", True, "file:vendor/vendored-3.1.0.tgz#fedcbafedcbafedc"),
        ("left-pad", "1.3.0", False, None),
    ]
    # first party by their own `file:`/`link:` specifiers; a v1 lock names no workspace members
    assert result.workspace_members == []
    assert edges(result) == [("local-dir", "0.1.0", "left-pad", "1.3.0")]
    assert result.resolutions[("from-git", "git+https://git.example/owner/from-git.git#v1.2.0")] == "1.2.0"
    assert result.resolutions[("from-shorthand", "owner/from-shorthand#main")] == "0.3.0"
    assert result.resolutions[("local-dir", "file:./packages/local-dir")] == "0.1.0"
    assert result.resolutions[("linked", "link:../linked")] == "0.0.0"
    assert result.issues == []


def test_v1_entry_without_version_is_kept_with_an_issue() -> None:
    result = parse_fixture("v1-entry-without-version.lock")
    assert [(p.name, p.version, p.line, p.note) for p in result.packages] == [
        ("kept", "1.0.0", 5, None),
        ("versionless", None, 9, "no version in the lock"),
    ]
    assert issues(result) == [(9, '["versionless@^2.0.0"].version: missing')]
    assert edges(result) == [("versionless", None, "kept", "1.0.0")]
    assert result.resolutions == {("kept", "^1.0.0"): "1.0.0"}  # no version, nothing to resolve to


@pytest.mark.parametrize(
    ("fixture", "expected", "problems"),
    [
        (
            "v1-truncated-mid-string.lock",
            [("complete", "1.0.0", 5), ("cut-short", "2.0.0", 9)],
            [(11, """unterminated or invalid quoted string in 'resolved "https://registry.npm.example/cut-sh'""")],
        ),
        (
            "v1-truncated-mid-header.lock",
            [("complete", "1.0.0", 5)],
            [(8, """entry header does not end with ':': '"cut-in-header@^3.0.0", cut-in-hea'""")],
        ),
    ],
)
def test_v1_truncated_files_keep_what_was_read(
    fixture: str, expected: list[tuple[str, str, int]], problems: list[tuple[int, str]]
) -> None:
    result = parse_fixture(fixture)
    assert summary(result) == expected
    assert issues(result) == problems


def test_v1_unreadable_lines_cost_only_their_line() -> None:
    result = parse_fixture("v1-unreadable-lines.lock")
    assert summary(result) == [("good", "1.0.0", 5), ("after-bad", "3.0.0", 13)]
    # the body of the unreadable header (line 12) is skipped without an issue of its own
    assert issues(result) == [
        (4, "indented line outside an entry"),
        (7, "tab in the indentation (yarn indents with two spaces per level)"),
        (8, "unexpected indentation of 6 spaces"),
        (10, """["good@^1.0.0"]: expected `name range`, found 'other "^1.0.0" extra'"""),
        (11, "entry header does not end with ':': 'bad header without colon'"),
        (15, """text after ':' in 'integrity: "yaml-like"'"""),
    ]


def test_v1_unknown_protocol_is_an_issue_and_the_package_is_kept() -> None:
    result = parse_fixture("v1-unknown-protocol.lock")
    assert [(p.name, p.version, p.source_url) for p in result.packages] == [
        ("asap", "2.0.6", "unsupported:~2.0.6"),
        ("jquery", "3.4.1", None),
    ]
    message = "specifier 'asap@unsupported:~2.0.6' has an unknown protocol; package read as written"
    assert issues(result) == [(4, f'["asap@unsupported:~2.0.6"]: {message}')]


def test_v1_repeated_entries_merge_and_conflicting_ones_are_issues() -> None:
    result = parse_fixture("v1-repeated-entries.lock")
    assert summary(result) == [
        ("dup", "1.0.0", 4),
        ("clash", "1.1.0", 10),
        ("clash", "1.2.0", 13),
        ("user", "1.0.0", 16),
    ]
    assert issues(result) == [
        (13, """["clash@^1.0.0, clash@^1.2.0"]: 'clash@^1.0.0' is also locked to 1.1.0 at line 10""")
    ]
    # the first entry that states a specifier wins, for edges and resolutions alike
    assert edges(result) == [("user", "1.0.0", "clash", "1.1.0")]
    assert result.resolutions == {
        ("dup", "^1.0.0"): "1.0.0",
        ("clash", "^1.0.0"): "1.1.0",
        ("clash", "^1.2.0"): "1.2.0",
        ("user", "^1.0.0"): "1.0.0",
    }


def test_v1_a_dependency_listed_in_both_blocks_is_optional() -> None:
    text = (
        '# yarn lockfile v1\n\nparent@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    native "^2.0.0"\n'
        '    plain "^1.0.0"\n  optionalDependencies:\n    native "^2.0.0"\n\nnative@^2.0.0:\n  version "2.1.0"\n'
        '\nplain@^1.0.0:\n  version "1.0.0"\n'
    )
    assert kinded(parse_text(text)) == [
        ("parent", "1.0.0", "plain", "1.0.0", REQUIRED),
        ("parent", "1.0.0", "native", "2.1.0", OPTIONAL),
    ]


def test_v1_windows_line_endings_read_the_same() -> None:
    text = (FIXTURES / "v1-several-specifiers-per-entry.lock").read_text(encoding="utf-8")
    assert summary(parse_text(text.replace("\n", "\r\n"))) == summary(parse_text(text))


@pytest.mark.parametrize("text", ["", "# yarn lockfile v1\n", "# THIS IS AN AUTOGENERATED FILE.\n\n\n"])
def test_v1_empty_files_lock_nothing(text: str) -> None:
    result = parse_text(text)
    assert (result.packages, result.edges, result.issues) == ([], [], [])


# --- Berry ----------------------------------------------------------------------------------


def test_berry_workspaces_are_first_party_packages_with_edges() -> None:
    result = parse_fixture("berry-workspaces-and-direct.lock")
    assert [(p.name, p.version, p.first_party, p.line, p.note, p.key_path) for p in result.packages] == [
        ("@demo/app", None, True, 8, LOCAL, "@demo/app@workspace:packages/app"),
        ("@demo/lib", None, True, 17, LOCAL, "@demo/lib@workspace:^, @demo/lib@workspace:packages/lib"),
        ("left-pad", "1.3.0", False, 37, None, "left-pad@npm:^1.3.0"),
        ("lodash", "4.17.21", False, 44, None, "lodash@npm:^4.17.0, lodash@npm:^4.17.21"),
        ("string-width", "4.2.3", False, 51, "installed under the alias str-cjs", "str-cjs@npm:string-width@^4.2.0"),
        ("strip-ansi", "6.0.1", False, 60, None, "strip-ansi@npm:^6.0.1"),
        ("typescript", "5.4.5", False, 67, None, "typescript@npm:^5.4.0"),
    ]
    # the root workspace is the project, not a package, so its own edges are left out; a
    # workspace's `dependencies` merge its devDependencies, so package.json gives the roots
    assert kinded(result) == [
        ("@demo/app", None, "@demo/lib", None, REQUIRED),
        ("@demo/app", None, "left-pad", "1.3.0", REQUIRED),
        ("@demo/lib", None, "lodash", "4.17.21", REQUIRED),
        ("@demo/lib", None, "react", None, PEER),
        ("string-width", "4.2.3", "strip-ansi", "6.0.1", REQUIRED),
    ]
    # `npm:` descriptors also resolve from the bare range package.json writes; workspaces lock no version
    assert result.resolutions == {
        ("left-pad", "npm:^1.3.0"): "1.3.0",
        ("left-pad", "^1.3.0"): "1.3.0",
        ("lodash", "npm:^4.17.0"): "4.17.21",
        ("lodash", "^4.17.0"): "4.17.21",
        ("lodash", "npm:^4.17.21"): "4.17.21",
        ("lodash", "^4.17.21"): "4.17.21",
        ("str-cjs", "npm:string-width@^4.2.0"): "4.2.3",
        ("string-width", "npm:string-width@^4.2.0"): "4.2.3",
        ("strip-ansi", "npm:^6.0.1"): "6.0.1",
        ("strip-ansi", "^6.0.1"): "6.0.1",
        ("typescript", "npm:^5.4.0"): "5.4.5",
        ("typescript", "^5.4.0"): "5.4.5",
    }
    assert result.project == DeclaredProject(name="demo-root")
    assert result.workspace_members == ["@demo/app", "@demo/lib", "demo-root"]
    assert result.workspace_paths == ["packages/app", "packages/lib"]
    assert states_nothing_it_cannot_know(result)
    assert result.issues == []


def test_berry_npm_package_named_like_a_workspace_is_third_party() -> None:
    result = parse_fixture("berry-npm-package-named-like-a-workspace/yarn.lock")
    assert [(p.name, p.version, p.first_party, p.source_url) for p in result.packages] == [
        ("@jest/types", "26.6.2", False, None),
        ("@jest/types", None, True, "workspace:packages/jest-types"),
        ("jest-cli", None, True, "workspace:packages/jest-cli"),
        ("legacy-preset", "1.0.0", False, None),
        ("picocolors", "1.1.1", False, None),
    ]
    # an edge to the workspace names no version: the lock records none for workspaces
    assert kinded(result) == [
        ("@jest/types", "26.6.2", "picocolors", "1.1.1", REQUIRED),
        ("@jest/types", None, "picocolors", "1.1.1", REQUIRED),
        ("jest-cli", None, "@jest/types", None, REQUIRED),
        ("legacy-preset", "1.0.0", "@jest/types", "26.6.2", REQUIRED),
    ]
    assert result.resolutions[("@jest/types", "^26.6.2")] == "26.6.2"
    assert ("@jest/types", "workspace:^") not in result.resolutions  # a workspace locks no version
    assert result.workspace_members == ["@jest/types", "jest-cli", "jest-like"]
    assert result.issues == []


def test_berry_optional_and_peer_dependencies() -> None:
    result = parse_fixture("berry-optional-and-peer-dependencies.lock")
    # dependenciesMeta and peerDependenciesMeta flag optional ones; the lock records the range a
    # peer asks for, never which package satisfied it, so a peer edge has no child version; a
    # dependency no key lists (`npm:latest` here) is kept without one too
    assert kinded(result) == [
        ("@babel/plugin-x", "7.1.0", "@babel/core", None, PEER),
        ("@babel/plugin-x", "7.1.0", "@types/babel__core", None, OPTIONAL),
        ("chokidar", "3.6.0", "fsevents", "2.3.3", OPTIONAL),
        ("chokidar", "3.6.0", "readdirp", "3.6.0", REQUIRED),
        ("fsevents", "2.3.3", "node-gyp", None, REQUIRED),
    ]
    # the builtin patch is fsevents itself: one package, reachable through either descriptor
    assert summary(result) == [
        ("@babel/core", "7.24.4", 8),
        ("@babel/plugin-x", "7.1.0", 15),
        ("chokidar", "3.6.0", 28),
        ("fsevents", "2.3.3", 41),
        ("readdirp", "3.6.0", 60),
    ]
    patch = "patch:fsevents@npm%3A~2.3.2#optional!builtin<compat/fsevents>"
    assert result.resolutions[("fsevents", patch)] == result.resolutions[("fsevents", "~2.3.2")] == "2.3.3"
    assert states_nothing_it_cannot_know(result)
    assert result.issues == []


def test_berry_patch_is_the_underlying_package() -> None:
    result = parse_fixture("berry-patch-protocol.lock")
    assert [(p.name, p.version, p.line, p.note) for p in result.packages] == [
        ("resolve", "1.22.1", 8, "patched locally (patch: protocol) from resolve@npm:1.22.1"),
        ("is-core-module", "2.13.1", 24, None),
        ("only-patched", "2.0.0", 30, "patched locally (patch: protocol) from only-patched@npm:2.0.0"),
    ]
    # dependency ranges without `npm:` (older lock versions) still find their entry
    assert result.edges == [
        DeclaredEdge(parent="resolve", parent_version="1.22.1", child="is-core-module", child_version="2.13.1")
    ]
    # a patch descriptor as the lock writes it, without its workspace binding, and unescaped
    patch = "patch:only-patched@npm%3A2.0.0#./.yarn/patches/only-patched-npm-2.0.0-abc.patch"
    assert {k: v for k, v in result.resolutions.items() if k[0] == "only-patched"} == {
        ("only-patched", f"{patch}::locator=demo%40workspace%3A."): "2.0.0",
        ("only-patched", patch): "2.0.0",
        ("only-patched", patch.replace("%3A", ":")): "2.0.0",
    }
    assert states_nothing_it_cannot_know(result)
    assert result.issues == []


def test_berry_patch_of_a_patch_and_hostile_nesting() -> None:
    twice = (
        "typescript@patch:typescript@patch%3Atypescript@npm%253A5.0.4%23~builtin<compat/typescript>%3A%3A"
        "version=5.0.4&hash=b5f058#./.yarn/patches/typescript.patch::version=5.0.4&hash=1a2b3c"
    )
    deep = "a@patch:" * 5_000 + "a@npm:1.0.0"
    text = (
        f'__metadata:\n  version: 8\n\n"typescript@npm:5.0.4":\n  version: 5.0.4\n  resolution: "{twice}"\n\n'
        f'"a@npm:1.0.0":\n  version: 1.0.0\n  resolution: "{deep}"\n'
    )
    result = parse_text(text)
    assert summary(result) == [("typescript", "5.0.4", 4), ("a", "1.0.0", 8)]
    assert [p.source_url for p in result.packages] == [None, None]
    assert len(result.issues) == 1 and result.issues[0].line == 8
    assert "patched locator" in result.issues[0].message and "cannot be read" in result.issues[0].message


def test_berry_local_and_remote_protocols() -> None:
    result = parse_fixture("berry-local-and-remote-protocols.lock")
    commit = "0123456789abcdef0123456789abcdef01234567"
    assert details(result) == [
        ("portal-pkg", None, True, "portal:../portal-pkg", LOCAL),
        ("linked", None, True, "link:./vendor/linked", LOCAL),
        ("local-tgz", "1.0.0", True, "file:./local-tgz-1.0.0.tgz#./local-tgz-1.0.0.tgz", None),
        (
            "generated",
            "0.0.0",
            False,
            "exec:./scripts/generate.js#./scripts/generate.js",
            "built by a script at install time (exec: protocol)",
        ),
        ("from-git", "2.0.0", False, f"https://git.example/owner/from-git.git#commit={commit}", None),
        ("from-tarball", "3.0.0", False, "https://downloads.example/from-tarball-3.0.0.tgz", None),
        ("custom", "1.0.0", False, "custom-plugin:whatever", f"unrecognized locator reference {CUSTOM!r}"),
    ]
    # link:, portal: and file: packages are first party by their locator; only workspaces are members
    assert result.workspace_members == ["demo"]
    assert result.workspace_paths == []
    assert result.resolutions[("local-tgz", "file:./local-tgz-1.0.0.tgz")] == "1.0.0"
    assert result.resolutions[("from-git", "https://git.example/owner/from-git.git#v2.0.0")] == "2.0.0"
    message = f"unknown protocol in {CUSTOM!r}; package read as written"
    assert issues(result) == [(44, f'["custom@{CUSTOM}"].resolution: {message}')]


def test_berry_versions_yaml_reads_as_numbers_keep_their_text() -> None:
    result = parse_fixture("berry-unquoted-number-versions.lock")
    assert summary(result) == [("two-digit", "1.10", 8), ("integer", "2", 14)]
    assert edges(result) == [("integer", "2", "two-digit", "1.10")]
    assert result.resolutions == {
        ("two-digit", "npm:^1.10.0"): "1.10",
        ("two-digit", "^1.10.0"): "1.10",
        ("integer", "npm:2"): "2",
        ("integer", "2"): "2",
    }


def test_berry_unreadable_entries_are_issues_and_the_rest_is_read() -> None:
    result = parse_fixture("berry-unreadable-entries.lock")
    assert [(p.name, p.version, p.line, p.note) for p in result.packages] == [
        ("no-resolution", "1.0.0", 7, None),
        ("no-version", None, 11, "no version in the lock"),
        ("boolean-version", None, 15, "no version in the lock"),
        ("fine", "4.0.0", 19, None),
    ]
    assert issues(result) == [
        (1, "__metadata: expected a mapping, found int"),
        (3, '["list-entry@npm:1.0.0"]: expected a mapping, found list'),
        (7, '["no-resolution@npm:^1.0.0"].resolution: missing; read from the key'),
        (11, '["no-version@npm:^2.0.0"].dependencies: expected a mapping, found str'),
        (11, '["no-version@npm:^2.0.0"].version: missing'),
        (15, '["boolean-version@npm:^3.0.0"].version: expected a string, found bool'),
    ]


def test_berry_without_metadata_is_still_read_as_berry() -> None:
    result = parse_fixture("berry-without-metadata.lock")
    assert summary(result) == [("left-pad", "1.3.0", 3)]
    message = "__metadata: missing (every Yarn Berry lockfile starts with it); entries read anyway"
    assert issues(result) == [(None, message)]


# --- dev scope down the graph: the lock's edges, the manifests' roots ---------------------------


Row = tuple[str, str | None, str, str | None, EdgeKind]
DEMO_EDGES: list[Row] = [
    ("dev-helper", "1.2.0", "deep-dev", "0.1.5", REQUIRED),
    ("dev-tool", "2.1.0", "dev-helper", "1.2.0", REQUIRED),
    ("dev-tool", "2.1.0", "shared", "1.1.2", REQUIRED),
    ("lib-test-util", "1.0.1", "deep-dev", "0.1.5", REQUIRED),
    ("runtime-lib", "1.0.0", "opt-native", "1.0.0", OPTIONAL),
    ("runtime-lib", "1.0.0", "shared", "1.1.2", REQUIRED),
    ("test-runner", "3.0.0", "dev-helper", "1.2.0", REQUIRED),
    ("test-runner", "3.0.0", "shared", "2.0.0", REQUIRED),
]
"""The third-party graph both dev-scope fixtures lock (v1 and Berry alike)."""
DEMO_RUNTIME = {("runtime-lib", "1.0.0"), ("shared", "1.1.2"), ("left-pad", "1.3.0"), ("opt-native", "1.0.0")}
DEMO_DEVELOPMENT = {
    ("dev-tool", "2.1.0"),
    ("dev-helper", "1.2.0"),
    ("deep-dev", "0.1.5"),
    ("test-runner", "3.0.0"),
    ("shared", "2.0.0"),
    ("lib-test-util", "1.0.1"),
}
"""What a walk from the package.json files gives: `shared` 1.1.2 is runtime (runtime-lib needs it)
though dev-tool needs it too; `shared` 2.0.0 is development (only test-runner needs it);
`lib-test-util` is development although the Berry lock lists it in @demo/lib's `dependencies`."""


def test_v1_dev_scope_fixture_states_edges_and_no_workspace() -> None:
    result = parse_fixture("v1-dev-scope-reaches-transitive/yarn.lock")
    assert sorted(kinded(result)) == sorted(DEMO_EDGES)
    assert {(p.name, p.version) for p in result.packages} == DEMO_RUNTIME | DEMO_DEVELOPMENT
    # a v1 lock has no entry for workspace members (@demo/lib): the root package.json names them
    assert result.workspace_members == result.workspace_paths == []
    assert states_nothing_it_cannot_know(result)


def test_berry_dev_scope_fixture_states_workspace_edges_with_dev_merged_in() -> None:
    result = parse_fixture("berry-dev-scope-reaches-transitive/yarn.lock")
    workspace_edges: list[Row] = [
        ("@demo/app", None, "@demo/lib", None, REQUIRED),
        ("@demo/app", None, "opt-native", "1.0.0", OPTIONAL),
        ("@demo/app", None, "shared", "1.1.2", REQUIRED),
        ("@demo/app", None, "test-runner", "3.0.0", REQUIRED),  # a devDependency: Yarn merges them in
        ("@demo/lib", None, "left-pad", "1.3.0", REQUIRED),
        ("@demo/lib", None, "lib-test-util", "1.0.1", REQUIRED),
    ]
    assert sorted(kinded(result)) == sorted(DEMO_EDGES + workspace_edges)
    assert [(p.name, p.first_party) for p in result.packages if p.version is None] == [
        ("@demo/app", True),
        ("@demo/lib", True),
    ]
    assert result.workspace_members == ["@demo/app", "@demo/lib", "demo"]
    assert result.workspace_paths == ["packages/app", "packages/lib"]
    assert states_nothing_it_cannot_know(result)


def scanned(folder: Path) -> Inventory:
    """The public scan of one folder, without the license stage (not what these tests are about)."""
    return scan([folder], ScanOptions(licenses=None))


def locked_components(inventory: Inventory) -> dict[tuple[str, str], Component]:
    """npm components with a version, by (name, version)."""
    found = (c for c in inventory.components if c.ecosystem is Ecosystem.NPM and c.version is not None)
    return {(c.name, c.version): c for c in found if c.version is not None}


def reported(inventory: Inventory) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(name@version some project uses at runtime, name@version used only in development)."""
    components = locked_components(inventory)
    runtime = {key for key, c in components.items() if Lifecycle.RUNTIME in c.lifecycles}
    development = {key for key, c in components.items() if c.lifecycles == {Lifecycle.DEVELOPMENT}}
    return runtime, development


@pytest.mark.parametrize("fixture", ["v1-dev-scope-reaches-transitive", "berry-dev-scope-reaches-transitive"])
def test_dev_scope_reaches_transitive_packages(fixture: str) -> None:
    inventory = scanned(FIXTURES / fixture)
    runtime, development = reported(inventory)
    assert (runtime, development) == (DEMO_RUNTIME, DEMO_DEVELOPMENT)
    components = locked_components(inventory)
    # optional on every path that reaches it (runtime-lib's and @demo/app's optionalDependencies)
    assert all(usage.optional for usage in components[("opt-native", "1.0.0")].usages)
    assert not any(usage.optional for usage in components[("shared", "1.1.2")].usages)
    # the members' ranges resolve through the root yarn.lock: no unpinned duplicate beside it
    unpinned = {c.name for c in inventory.components if c.version is None and not c.first_party}
    assert unpinned == set()
    assert {c.name for c in inventory.components if c.first_party} <= {"@demo/app", "@demo/lib", "demo"}
    assert not any(c.first_party for c in components.values())


def test_berry_npm_package_named_like_a_workspace_end_to_end() -> None:
    inventory = scanned(FIXTURES / "berry-npm-package-named-like-a-workspace")
    components = locked_components(inventory)
    registry_types = components[("@jest/types", "26.6.2")]
    assert not registry_types.first_party
    assert registry_types.lifecycles == {Lifecycle.DEVELOPMENT}  # only legacy-preset, a devDependency, needs it
    assert Lifecycle.RUNTIME in components[("picocolors", "1.1.1")].lifecycles  # the workspace member needs it
    assert [c.first_party for c in inventory.components if c.name == "@jest/types" and c.version != "26.6.2"] == [
        True
    ]
    # the workspace's edges (to and from it) are not mistaken for ones of an unlocked package
    assert [found.message for found in inventory.issues] == []


def test_berry_peer_provided_only_by_a_dev_package_stays_development() -> None:
    folder = FIXTURES / "berry-peer-provided-only-by-a-dev-package"
    result = parse_fixture("berry-peer-provided-only-by-a-dev-package/yarn.lock")
    assert kinded(result) == [
        ("bundler", "7.1.12", "yaml", None, OPTIONAL),
        ("lint-tool", "15.5.2", "yaml", "2.8.4", REQUIRED),
    ]
    # Yarn lets the parent provide a peer: bundler's parent (the project) provides yaml only
    # through lint-tool, a devDependency, so a production install has no yaml
    runtime, development = reported(scanned(folder))
    assert runtime == {("bundler", "7.1.12")}
    assert development == {("lint-tool", "15.5.2"), ("yaml", "2.8.4")}


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["yarn-dev-deps", "yarn-berry-dev-deps"])
def test_syft_dev_deps_fixtures_end_to_end(corpus: Path, folder: str) -> None:
    runtime, development = reported(scanned(corpus / SYFT / folder))
    assert runtime == {("prod-pkg", "1.0.0"), ("shared-pkg", "1.0.0")}
    assert development == {("dev-pkg", "1.0.0"), ("dev-only-transitive", "1.0.0")}


# --- files that cannot be read --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        # the rest of the message is PyYAML's wording
        ("berry-broken-yaml.lock", "invalid YAML: ", 10),
        ("not-a-lockfile.yaml", "not a yarn lockfile: no entry has a version and the '# yarn lockfile v1'", 2),
    ],
)
def test_unreadable_fixtures_raise_parse_error(fixture: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert raised.value.message.startswith(message)
    assert raised.value.line == line


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"lockfileVersion": 3, "packages": {}}\n', "not a yarn lockfile: no entry could be read", 1),
        ("just some words\nand more words\n", "not a yarn lockfile: no entry could be read", 1),
        ("__metadata:\n  version: 8\nentries: " + "[" * 100_000 + "\n", "invalid YAML: ", None),
        ("__metadata:\n  version: 8\n---\n- second document\n", "invalid YAML: ", 3),
        ("- __metadata\n__metadata:\n", "invalid YAML: ", 2),
    ],
)
def test_hostile_texts_raise_parse_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError) as raised:
        parse_text(text)
    assert raised.value.message.startswith(message)
    if line is not None:
        assert raised.value.line == line


def test_floods_of_unreadable_lines_are_counted_not_listed() -> None:
    text = '# yarn lockfile v1\n\na@^1.0.0:\n  version "1.0.0"\n' + "garbage\n" * 1_000 + "x" * 1_000_000 + "\n"
    result = parse_text(text)
    assert summary(result) == [("a", "1.0.0", 3)]
    assert len(result.issues) == 101
    assert issues(result)[-1] == (None, "901 more unreadable lines not listed")
    assert max(len(found.message) for found in result.issues) < 300


def test_a_single_huge_line_is_refused_with_a_short_message() -> None:
    with pytest.raises(ParseError) as raised:
        parse_text("x" * 5_000_000)
    assert raised.value.line == 1 and len(raised.value.message) < 300


@pytest.mark.parametrize("fixture", ["v1-several-specifiers-per-entry.lock", "berry-workspaces-and-direct.lock"])
def test_every_truncation_is_read_or_refused_never_a_crash(fixture: str) -> None:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    for end in range(len(text)):
        try:
            result = parse_text(text[:end])
        except ParseError:
            continue
        assert all(package.name for package in result.packages)


def _generated_v1(size: int) -> str:
    """A v1 lock of at least `size` characters, one entry per package, each depending on the next."""
    parts, total, index = ["# yarn lockfile v1\n\n"], 0, 0
    while total < size:
        parts.append(
            f'"pkg-{index}@^1.0.0", pkg-{index}@~1.0.1:\n  version "1.0.{index % 7}"\n'
            f'  resolved "https://registry.npm.example/pkg-{index}/-/pkg-{index}-1.0.0.tgz#{index:040x}"\n'
            f'  integrity sha512-{"a" * 86}==\n  dependencies:\n    pkg-{index + 1} "^1.0.0"\n\n'
        )
        total, index = total + len(parts[-1]), index + 1
    return "".join(parts)


def _generated_berry(entries: int) -> str:
    parts = ["__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"]
    for index in range(entries):
        parts.append(
            f'"pkg-{index}@npm:^1.0.0, pkg-{index}@npm:~1.0.1":\n  version: 1.0.{index % 7}\n'
            f'  resolution: "pkg-{index}@npm:1.0.{index % 7}"\n  dependencies:\n    pkg-{index + 1}: "npm:^1.0.0"\n'
            f'  checksum: 10c0/{"b" * 128}\n  languageName: node\n  linkType: hard\n\n'
        )
    return "".join(parts)


def test_large_generated_v1_lock_parses() -> None:
    text = _generated_v1(20 * 1024 * 1024)
    result = parse_text(text)
    assert len(text) >= 20 * 1024 * 1024
    assert len(result.packages) == text.count("\n  version ")
    assert result.issues == []


def test_large_generated_berry_lock_parses() -> None:
    # 5 MB rather than 20: PyYAML's object construction is most of the time (about 1 s per MB)
    text = _generated_berry(15_000)
    result = parse_text(text)
    assert len(result.packages) == len(result.edges) == 15_000
    assert [edge.child for edge in result.edges if edge.child_version is None] == ["pkg-15000"]  # not in the lock
    assert result.packages[-1].line == text.count("\n", 0, text.index('"pkg-14999@npm')) + 1


# --- peers' fixtures ------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # osv-scalibr yarnlock-v1_test.go: names, versions and the line of each entry
        ("empty.v1.lock", set()),
        ("one-package.v1.lock", {("balanced-match", "1.0.2", 5)}),
        ("no-version.v1.lock", {("balanced-match", "1.0.2", 5)}),
        ("two-packages.v1.lock", {("concat-stream", "1.6.2", 10), ("concat-map", "0.0.1", 5)}),
        ("with-quotes.v1.lock", {("concat-stream", "1.6.2", 10), ("concat-map", "0.0.1", 5)}),
        (
            "multiple-versions.v1.lock",
            {
                ("define-properties", "1.1.3", 5),
                ("define-property", "0.2.5", 12),
                ("define-property", "1.0.0", 19),
                ("define-property", "2.0.2", 26),
            },
        ),
        ("multiple-constraints.v1.lock", {("@babel/code-frame", "7.12.13", 10), ("domelementtype", "1.3.1", 5)}),
        ("scoped-packages.v1.lock", {("@babel/code-frame", "7.12.11", 5), ("@babel/compat-data", "7.14.0", 12)}),
        (
            "with-prerelease.v1.lock",
            {
                ("css-tree", "1.0.0-alpha.37", 5),
                ("gensync", "1.0.0-beta.2", 13),
                ("node-fetch", "3.0.0-beta.9", 18),
                ("resolve", "1.20.0", 26),
                ("resolve", "2.0.0-next.3", 34),
            },
        ),
        ("with-build-string.v1.lock", {("domino", "2.1.6+git", 5), ("tslib", "2.6.2", 10)}),
        (
            "commits.v1.lock",
            {
                ("mine1", "1.0.0-alpha.37", 5),
                ("mine2", "0.0.1", 11),
                ("mine3", "1.2.3", 17),
                ("mine4", "0.0.2", 21),
                ("mine4", "0.0.4", 25),
                ("my-package", "1.8.3", 29),
                ("@bower_components/angular-animate", "1.4.14", 33),
                ("@bower_components/alertify", "0.0.0", 37),
                ("minimist", "0.0.8", 41),
                ("bats-assert", "2.0.0", 45),
                ("bats-support", "0.3.0", 49),
                ("bats", "1.5.0", 53),
                ("vue", "2.6.12", 57),
                ("kit", "1.0.0", 61),
                ("casadistance", "1.0.0", 68),
                ("babel-preset-php", "1.1.1", 72),
                ("is-number", "2.0.0", 78),
                ("is-number", "5.0.0", 82),
            },
        ),
        (
            "files.v1.lock",
            {
                ("etag", "1.8.1", 5),
                ("filedep", "1.2.0", 9),
                ("lodash", "1.3.1", 12),
                ("other_package", "0.0.2", 16),
                ("sprintf-js", "0.0.0", 24),
                ("etag", "1.8.0", 27),
            },
        ),
        (
            "with-aliases.v1.lock",
            {
                ("@babel/helper-validator-identifier", "7.22.20", 15),
                ("ansi-regex", "6.0.1", 10),
                ("ansi-regex", "5.0.1", 5),
            },
        ),
    ],
)
def test_osv_scalibr_v1_fixtures(corpus: Path, fixture: str, expected: set[tuple[str, str, int]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert set(summary(result)) == expected
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_v1_commits_and_local_files_keep_their_source(corpus: Path) -> None:
    commits = parse_path(corpus, f"{SCALIBR}/commits.v1.lock")
    assert all(package.source_url for package in commits.packages)  # every entry there is a git dependency
    files = parse_path(corpus, f"{SCALIBR}/files.v1.lock")
    # scalibr lists them like any package; here file:/link: targets are first party
    assert sorted({p.name for p in files.packages if p.first_party}) == ["etag", "filedep", "other_package", "sprintf-js"]
    assert files.workspace_members == []
    third_party = [(p.name, p.version) for p in files.packages if not p.first_party]
    assert third_party == [("etag", "1.8.1"), ("lodash", "1.3.1")]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # osv-scalibr yarnlock-v2_test.go; scalibr leaves out the root workspace, as we do
        ("empty.v2.lock", set()),
        ("metadata-only.v2.lock", set()),
        ("one-package.v2.lock", {("balanced-match", "1.0.2")}),
        ("two-packages.v2.lock", {("compare-func", "2.0.0"), ("concat-map", "0.0.1")}),
        ("with-quotes.v2.lock", {("compare-func", "2.0.0"), ("concat-map", "0.0.1")}),
        ("multiple-versions.v2.lock", {("debug", "4.3.3"), ("debug", "2.6.9"), ("debug", "3.2.7")}),
        (
            "scoped-packages.v2.lock",
            {("@babel/cli", "7.16.8"), ("@babel/code-frame", "7.16.7"), ("@babel/compat-data", "7.16.8")},
        ),
        (
            "with-prerelease.v2.lock",
            {("@nicolo-ribaudo/chokidar-2", "2.1.8-no-fsevents.3"), ("gensync", "1.0.0-beta.2")},
        ),
        ("with-build-string.v2.lock", {("domino", "2.1.6+git"), ("tslib", "2.6.2")}),
        (
            "commits.v2.lock",
            {
                ("@my-scope/my-first-package", "0.0.6"),
                ("my-second-package", "0.2.2"),
                ("@typegoose/typegoose", "7.2.0"),
                ("vuejs", "2.5.0"),
                ("my-third-package", "0.16.1-dev"),
                ("my-node-sdk", "1.1.0"),
                ("is-really-great", "1.0.0"),
            },
        ),
        ("files.v2.lock", {("my-package", "0.0.2")}),
        (
            "with-aliases.v2.lock",
            {("@babel/helper-validator-identifier", "7.22.20"), ("ansi-regex", "6.0.1"), ("ansi-regex", "5.0.1")},
        ),
        # scalibr reports the workspace member at yarn's placeholder 0.0.0-use.local; we say "no version"
        ("exclude-root.v2.lock", {("@ws/ansi-regex", None), ("ansi-regex", "6.1.0")}),
    ],
)
def test_osv_scalibr_v2_fixtures(corpus: Path, fixture: str, expected: set[tuple[str, str | None]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert {(package.name, package.version) for package in result.packages} == expected
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_v2_workspace_member_and_root(corpus: Path) -> None:
    result = parse_path(corpus, f"{SCALIBR}/exclude-root.v2.lock")
    assert details(result) == [
        ("@ws/ansi-regex", None, True, "workspace:ansi-regex", LOCAL),
        ("ansi-regex", "6.1.0", False, None, None),
    ]
    assert result.project == DeclaredProject(name="ansi-regex")
    assert (result.workspace_members, result.workspace_paths) == (["@ws/ansi-regex", "ansi-regex"], ["ansi-regex"])


@pytest.mark.corpus
def test_trivy_v1_happy_packages_lines_and_edges(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/yarn_happy.lock")
    # trivy parse_testcase.go yarnHappy: the StartLine of each package
    assert set(summary(result)) == {
        ("@babel/helper-regex", "7.4.4", 4),
        ("ansi-regex", "2.1.1", 11),
        ("ansi-regex", "3.0.0", 16),
        ("asap", "2.0.6", 21),
        ("inherits", "2.0.3", 26),
        ("is-fullwidth-code-point", "2.0.0", 31),
        ("jquery", "3.4.1", 41),
        ("js-tokens", "4.0.0", 36),
        ("lodash", "4.17.11", 46),
        ("promise", "8.0.3", 51),
        ("safe-buffer", "5.1.2", 58),
        ("safer-buffer", "2.1.2", 63),
        ("statuses", "1.5.0", 68),
        ("string-width", "2.1.1", 73),
        ("strip-ansi", "3.0.1", 82),
        ("strip-ansi", "4.0.0", 89),
        ("whatwg-fetch", "3.0.0", 96),
        ("wide-align", "1.1.3", 101),
    }
    # yarnHappyDeps
    assert set(edges(result)) == {
        ("@babel/helper-regex", "7.4.4", "lodash", "4.17.11"),
        ("promise", "8.0.3", "asap", "2.0.6"),
        ("string-width", "2.1.1", "is-fullwidth-code-point", "2.0.0"),
        ("string-width", "2.1.1", "strip-ansi", "4.0.0"),
        ("strip-ansi", "3.0.1", "ansi-regex", "2.1.1"),
        ("strip-ansi", "4.0.0", "ansi-regex", "3.0.0"),
        ("wide-align", "1.1.3", "string-width", "2.1.1"),
    }
    assert result.issues == []


@pytest.mark.corpus
def test_trivy_v2_happy_packages_lines_and_edges(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/yarn_v2_happy.lock")
    trivy = {
        ("@types/color-name", "1.1.1", 8),
        ("abbrev", "1.1.1", 15),
        ("ansi-styles", "3.2.1", 22),
        ("ansi-styles", "4.2.1", 31),
        ("assert-plus", "1.0.0", 41),
        ("async", "3.2.0", 48),
        ("color-convert", "1.9.3", 63),
        ("color-convert", "2.0.1", 72),
        ("color-name", "1.1.3", 81),
        ("color-name", "1.1.4", 88),
        ("ipaddr.js", "1.9.1", 104),
        ("js-tokens", "4.0.0", 111),
        ("loose-envify", "1.4.0", 118),
        ("node-gyp", "7.1.0", 129),
        ("once", "1.4.0", 138),
        ("wrappy", "1.0.2", 147),
    }
    # trivy drops the patched fsevents (a `patch:` locator); it is fsevents 2.1.3 with a local patch
    assert set(summary(result)) == trivy | {("fsevents", "2.1.3", 95)}
    assert set(edges(result)) == {
        ("ansi-styles", "3.2.1", "color-convert", "1.9.3"),
        ("ansi-styles", "4.2.1", "@types/color-name", "1.1.1"),
        ("ansi-styles", "4.2.1", "color-convert", "2.0.1"),
        ("color-convert", "1.9.3", "color-name", "1.1.3"),
        ("color-convert", "2.0.1", "color-name", "1.1.4"),
        ("loose-envify", "1.4.0", "js-tokens", "4.0.0"),
        ("once", "1.4.0", "wrappy", "1.0.2"),
        ("fsevents", "2.1.3", "node-gyp", "7.1.0"),
    }
    assert result.project == DeclaredProject(name="code")
    assert states_nothing_it_cannot_know(result)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "trivy", "ours_only", "messages"),
    [
        ("yarn_with_npm.lock", {("jquery", "3.6.0", 1)}, set(), []),
        # trivy skips the local tarball; here a file: target is first party and kept
        (
            "yarn_with_local.lock",
            {("asap", "2.0.6", 5), ("jquery", "3.4.1", 10), ("promise", "8.0.3", 15)},
            {("local-package", "0.0.1", 22)},
            [],
        ),
        # trivy skips git dependencies; here they are kept with their source
        ("yarn_with_git.lock", set(), {("mapbox-gl-feature-drag-and-drop", "1.1.1", 5)}, []),
        # trivy skips the entry with an unknown protocol; here it is kept, with an issue
        (
            "yarn_with_bad_protocol.lock",
            {("jquery", "3.4.1", 4)},
            {("asap", "2.0.6", 1)},
            ["""["asap@unsupported:~2.0.6"]: specifier 'asap@unsupported:~2.0.6' has an unknown protocol; """
             "package read as written"],
        ),
        ("yarn_v2_deps_with_protocol.lock", {("debug", "4.3.4", 16), ("ms", "2.1.2", 28)}, set(), []),
    ],
)
def test_trivy_fixtures(
    corpus: Path,
    fixture: str,
    trivy: set[tuple[str, str, int]],
    ours_only: set[tuple[str, str, int]],
    messages: list[str],
) -> None:
    result = parse_path(corpus, f"{TRIVY}/{fixture}")
    assert set(summary(result)) == trivy | ours_only
    assert [message for _, message in issues(result)] == messages


@pytest.mark.corpus
def test_trivy_fixture_sources_and_edges(corpus: Path) -> None:
    git = parse_path(corpus, f"{TRIVY}/yarn_with_git.lock")
    url = "git+https://github.com/jrd/mapbox-gl-feature-drag-and-drop.git#538b1126e0d15210e91b4a34ffc223b4fec1ef87"
    assert [p.source_url for p in git.packages] == [url]
    local = parse_path(corpus, f"{TRIVY}/yarn_with_local.lock")
    assert [p.name for p in local.packages if p.first_party] == ["local-package"]
    assert edges(local) == [("promise", "8.0.3", "asap", "2.0.6")]
    protocol = parse_path(corpus, f"{TRIVY}/yarn_v2_deps_with_protocol.lock")
    assert edges(protocol) == [("debug", "4.3.4", "ms", "2.1.2")]
    assert states_nothing_it_cannot_know(protocol)


SYFT_V1 = {
    ("@babel/code-frame", "7.10.4"),
    ("@types/minimatch", "3.0.3"),
    ("@types/qs", "6.9.4"),
    ("ajv", "6.12.3"),
    ("asn1.js", "4.10.1"),
    ("atob", "2.1.2"),
    ("aws-sdk", "2.706.0"),
    ("jhipster-core", "7.3.4"),
}
SYFT_DEV_DEPS = {(name, "1.0.0") for name in ("dev-only-transitive", "dev-pkg", "prod-pkg", "shared-pkg")}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("folder", "expected", "project"),
    [
        # syft parse_yarn_lock_test.go: repeated entries once each. syft names the last one after the
        # path of its `resolved` URL (something-i-made-up); the entry's own specifier names it here
        ("yarn", SYFT_V1 | {("c0n-fab_u.laTION", "7.7.7")}, None),
        ("yarn-v1-deps", SYFT_V1 | {("c0n-fab_u.laTION", "7.7.7")}, None),
        ("yarn-remote", {("@babel/code-frame", "7.10.4")}, None),
        # syft lists the root workspace as a package (under its key's name); here it is the project
        ("yarn-berry", SYFT_V1, DeclaredProject(name="newtest", version="7.7.7")),
        (
            "yarn-dups",
            {
                ("async", "0.9.2"),
                ("async", "3.2.3"),
                ("merge-objects", "1.0.5"),
                ("resize-observer-polyfill", "1.5.2"),
                ("should-type", "1.3.0"),
            },
            None,
        ),
        ("yarn-berry-dups", {("async", "3.2.6"), ("async", "0.9.2")}, None),
        # dev-ness is not in a yarn.lock: the package.json beside it decides, in resolve
        ("yarn-dev-deps", SYFT_DEV_DEPS, None),
        ("yarn-berry-dev-deps", SYFT_DEV_DEPS, None),
    ],
)
def test_syft_fixtures(
    corpus: Path, folder: str, expected: set[tuple[str, str]], project: DeclaredProject | None
) -> None:
    result = parse_path(corpus, f"{SYFT}/{folder}/yarn.lock")
    assert {(p.name, p.version) for p in result.packages} == expected
    assert len(result.packages) == len(expected)  # repeated entries give one package
    assert result.project == project
    assert result.issues == []


@pytest.mark.corpus
def test_syft_dev_deps_fixtures_state_their_edges(corpus: Path) -> None:
    for folder in ("yarn-dev-deps", "yarn-berry-dev-deps"):
        result = parse_path(corpus, f"{SYFT}/{folder}/yarn.lock")
        assert kinded(result) == [
            ("dev-pkg", "1.0.0", "dev-only-transitive", "1.0.0", REQUIRED),
            ("prod-pkg", "1.0.0", "shared-pkg", "1.0.0", REQUIRED),
        ]
        assert states_nothing_it_cannot_know(result)
        assert result.resolutions[("dev-pkg", "^1.0.0")] == "1.0.0"


# --- real-world corpus ----------------------------------------------------------------------

_V1_ENTRY = re.compile(r'^(?P<first>"[^"\n]+"|[^\s",#][^\s",]*?)(?:,[^\n]*)?:\n(?P<body>(?:  [^\n]*(?:\n|$))*)', re.M)
_V1_VERSION = re.compile(r'^  "?version"? "([^"\n]+)"', re.M)
_BERRY_BLOCK = re.compile(r"^\S[^\n]*:\n(?P<body>(?:  [^\n]*(?:\n|$))*)", re.M)
_BERRY_RESOLUTION = re.compile(r'^  resolution: "(?P<name>@?[^@"]+)@(?P<reference>[^"\n]*)"$', re.M)
_BERRY_VERSION = re.compile(r"^  version: (\S+)$", re.M)


def independent_count(text: str) -> int:
    """Distinct (name, version) pairs, by regular expressions over entry blocks.

    v1: the first specifier of each header names the package (after `npm:` for an alias),
    its `version` line gives the version. Berry: the `resolution` names it, the `version`
    line gives the version, and the root workspace (`workspace:.`) is the project, not a package.
    """
    found: set[tuple[str, str | None]] = set()
    if "\n__metadata:" in "\n" + text:
        for block in _BERRY_BLOCK.finditer(text):
            resolution = _BERRY_RESOLUTION.search(block.group("body"))
            version = _BERRY_VERSION.search(block.group("body"))
            if resolution and resolution.group("reference") != "workspace:.":
                found.add((resolution.group("name"), version.group(1) if version else None))
        return len(found)
    for entry in _V1_ENTRY.finditer(text):
        first = entry.group("first").strip('"')
        name, _, spec = first[1:].partition("@")
        name = first[0] + name
        if spec.startswith("npm:") and "@" in spec[5:]:
            name = spec[4:5] + spec[5:].split("@", 1)[0]
        version = _V1_VERSION.search(entry.group("body"))
        found.add((name, version.group(1) if version else None))
    return len(found)


def corpus_lockfiles(corpus: Path) -> list[Path]:
    """Every file of the corpus that the registry would hand to this parser."""
    return sorted(path for path in corpus.rglob("yarn.lock") if SPEC.accepts(path.relative_to(corpus).as_posix()))


@pytest.mark.corpus
def test_every_corpus_yarn_lock_parses_with_the_independent_count(corpus: Path) -> None:
    lockfiles = corpus_lockfiles(corpus)
    assert len(lockfiles) >= 15
    for path in lockfiles:
        relative = path.relative_to(corpus).as_posix()
        result = parse_path(corpus, relative)
        assert len(result.packages) == independent_count(path.read_text(encoding="utf-8")), relative
        assert result.issues == [], relative


@pytest.mark.corpus
def test_babel_berry_monorepo(corpus: Path) -> None:
    result = parse_path(corpus, "babel__babel/yarn.lock")
    assert result.project == DeclaredProject(name="babel")
    assert len(result.workspace_paths) == 162 and "packages/babel-core" in result.workspace_paths
    core = [(p.version, p.first_party) for p in result.packages if p.name == "@babel/core"]
    assert (None, True) in core and any(version and not first for version, first in core)
    assert states_nothing_it_cannot_know(result)
    patched = {(p.name, p.version) for p in result.packages if p.note and "patch:" in p.note}
    assert ("resolve", "1.22.12") in patched and ("typescript", "6.0.2") in patched


@pytest.mark.corpus
def test_webpack_v1_aliases_fold_into_the_real_package(corpus: Path) -> None:
    result = parse_path(corpus, "webpack__webpack/yarn.lock")
    aliased = {(p.name, p.version): p.note for p in result.packages if p.note}
    assert aliased[("string-width", "4.2.3")] == "installed under the alias string-width-cjs"
    assert {p.direct for p in result.packages} == {None}
    assert all(edge.child_version for edge in result.edges)  # every dependency line finds its entry


# --- real-world corpus: lifecycles against an independent walk --------------------------------

Key = tuple[str, str]
"""(name, version) of a locked package."""


def corpus_projects(corpus: Path) -> list[Path]:
    """Every corpus yarn.lock with the package.json of its project beside it (peers' fixtures apart).

    The others (cdxgen's test/yarn.lock and test/data/yarn_locks/) have no manifest: nothing
    says which of their packages are roots, so there is no lifecycle to compare.
    """
    return [
        path
        for path in corpus_lockfiles(corpus)
        if path.relative_to(corpus).parts[0] != "fixtures" and (path.parent / "package.json").is_file()
    ]


CORPUS_PROJECTS = [path.relative_to(CORPUS).as_posix() for path in corpus_projects(CORPUS)] if CORPUS.is_dir() else []


def workspace_manifests(folder: Path) -> list[dict[str, object]]:
    """The root package.json and those of the members its `workspaces` globs name (negations excluded)."""
    root = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    patterns = root.get("workspaces") or []
    if isinstance(patterns, dict):
        patterns = patterns.get("packages") or []
    included = {p for pattern in patterns if not pattern.startswith("!") for p in folder.glob(pattern)}
    excluded = {p for pattern in patterns if pattern.startswith("!") for p in folder.glob(pattern[1:])}
    members = sorted(p / "package.json" for p in included - excluded if (p / "package.json").is_file())
    return [root, *(json.loads(path.read_text(encoding="utf-8")) for path in members)]


def declared(manifest: dict[str, object], sections: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(name, range) of the manifest's dependencies in `sections`."""
    for section in sections:
        table = manifest.get(section)
        if isinstance(table, dict):
            yield from ((name, str(range_)) for name, range_ in table.items())


def reachable(starts: Iterable[Key], children: dict[Key, list[Key]]) -> set[Key]:
    """Every node reachable from `starts` (breadth first)."""
    seen, queue = set(starts), deque(starts)
    while queue:
        for child in children.get(queue.popleft(), ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen


LOCAL_PROTOCOLS = ("workspace:", "link:", "portal:")
"""Ranges that name the repository's own folders: first party, not walked (their manifests are roots)."""


def independent_lifecycles(folder: Path, result: ParseResult) -> tuple[set[Key], set[Key], set[str]]:
    """(runtime-reachable, dev-only, unresolved roots) by a walk written here, not by ospo_scan.graph.

    Roots: each manifest's dependencies and optionalDependencies (runtime) and devDependencies
    (development), after the root manifest's `resolutions` overrides, resolved through the
    lockfile's descriptor table; a `catalog:` range (its table lives in .yarnrc.yml, not in
    the corpus) takes the only version locked under the name. A workspace member (yarn v1
    links it without an entry) and a `workspace:`/`link:`/`portal:` range are the project's
    own folders: the walk does not go through them, their own manifests' declarations are
    roots. Edges: every edge with a child version (peers carry none: yarn records no peer's provider).
    """
    manifests = workspace_manifests(folder)
    members = {m.get("name") for m in manifests}
    overrides = manifests[0].get("resolutions")
    overrides = overrides if isinstance(overrides, dict) else {}
    children: dict[Key, list[Key]] = {}
    for edge in result.edges:
        if edge.parent_version is not None and edge.child_version is not None:
            children.setdefault((edge.parent, edge.parent_version), []).append((edge.child, edge.child_version))
    versions: dict[str, set[str]] = {}
    for package in result.packages:
        if package.version is not None:
            versions.setdefault(package.name, set()).add(package.version)
    unresolved: set[str] = set()

    def locked(name: str, range_: str) -> Key | None:
        """The (real name, version) a declaration installs; an alias `npm:real@^1` installs `real`."""
        range_ = overrides.get(f"{name}@{range_}") or overrides.get(f"{name}@npm:{range_}") or overrides.get(name) or range_
        target = range_[len("npm:") :] if range_.startswith("npm:") else ""
        real = target[: target.index("@", 1)] if "@" in target[1:] else name
        version = result.resolutions.get((name, range_))
        if version is None and range_.startswith("catalog:") and len(versions.get(name, ())) == 1:
            version = next(iter(versions[name]))
        return None if version is None else (real, version)

    def roots(sections: tuple[str, ...]) -> set[Key]:
        found: set[Key] = set()
        for manifest in manifests:
            for name, range_ in declared(manifest, sections):
                key = locked(name, range_)
                if key is not None:
                    found.add(key)
                elif name not in members and not range_.startswith(LOCAL_PROTOCOLS):
                    unresolved.add(f"{name}@{range_}")
        return found

    runtime = reachable(roots(("dependencies", "optionalDependencies")), children)
    development = reachable(roots(("devDependencies",)), children) - runtime
    return runtime, development, unresolved


@pytest.mark.corpus
def test_the_corpus_has_yarn_projects_of_both_flavours(corpus: Path) -> None:
    flavours = {is_berry((corpus / path).read_text(encoding="utf-8")) for path in CORPUS_PROJECTS}
    assert "babel__babel/yarn.lock" in CORPUS_PROJECTS and "webpack__webpack/yarn.lock" in CORPUS_PROJECTS
    assert flavours == {True, False}


@pytest.mark.corpus
@pytest.mark.parametrize("relative", CORPUS_PROJECTS or ["(corpus absent)"])
def test_corpus_yarn_lifecycles_match_an_independent_walk(corpus: Path, relative: str) -> None:
    lockfile = corpus / relative
    result = parse_path(corpus, relative)
    runtime, development, unresolved = independent_lifecycles(lockfile.parent, result)
    inventory = scanned(lockfile.parent)
    reported_runtime, reported_development = reported(inventory)
    report = (
        f"{relative}: {len(result.packages)} packages, {len(runtime)} runtime-reachable "
        f"({len(runtime & reported_runtime)} reported runtime), {len(development)} reachable only through "
        f"devDependencies ({len(development & reported_development)} reported development, "
        f"{len(development & reported_runtime)} runtime)"
    )
    print(report)
    # catalog ranges live in .yarnrc.yml, which the corpus does not hold: with several versions
    # locked under the name, neither this walk nor the scan can tell which one a catalog names
    assert {root for root in unresolved if "@catalog:" not in root} == set(), report
    locked = {(p.name, p.version) for p in result.packages if p.version is not None}
    unreached = locked - runtime - development
    assert sorted(runtime - reported_runtime) == [], report
    assert sorted(development - reported_development) == [], report
    assert sorted((reported_runtime & locked) - runtime - unreached) == [], report
    # a registry package is the repository's own only when it is one of its workspaces at the
    # workspace's own version (babel's root installs published @babel/code-frame 8.0.0, which
    # packages/babel-code-frame is); the same name at another version is third party
    own = {(c.name, c.version) for c in inventory.components if c.first_party and c.version is not None}
    identities = {(m.get("name"), m.get("version")) for m in workspace_manifests(lockfile.parent)}
    registry = {(p.name, p.version) for p in result.packages if not p.first_party}
    assert sorted(own & registry - identities) == [], report
