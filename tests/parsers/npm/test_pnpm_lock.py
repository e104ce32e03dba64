"""pnpm-lock.yaml 5.x/6.x/9.0: identities, peers, importers as roots, edges with kinds, lines, peers' fixtures, corpus."""

from __future__ import annotations

import posixpath
import re
import time
from pathlib import Path

import pytest
import yaml

from ospo_scan.model import Directness, EdgeKind, Lifecycle, Scope
from ospo_scan.parsers.base import DeclaredEdge, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.npm.pnpm_lock import SPEC, parse_pnpm_lock
from ospo_scan.reading import SandboxReader
from ospo_scan.scan import ScanOptions, scan
from tests.parsers.npm.lock_walk import DEVELOPMENT, OPTIONAL as OPTIONAL_PATH, RUNTIME as RUNTIME_PATH
from tests.parsers.npm.lock_walk import conclusions
from tests.parsing import issue_rows, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "pnpm_lock"
RUNTIME, DEV, OPTIONAL = frozenset({Scope.RUNTIME}), frozenset({Scope.DEV}), frozenset({Scope.OPTIONAL})
REQUIRED, OPT, PEER = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.PEER
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/javascript/pnpmlock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/nodejs/pnpm/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/javascript/testdata"
REAL_LOCKFILES = (
    "CycloneDX__cdxgen/pnpm-lock.yaml",
    "CycloneDX__cdxgen/test/data/pnpm-lock.yaml",
    "CycloneDX__cdxgen/test/pnpm-lock.yaml",
    "prometheus__prometheus/web/ui/pnpm-lock.yaml",
    "prometheus__prometheus/web/ui/react-app/pnpm-lock.yaml",
    "vuejs__core/pnpm-lock.yaml",
)
MISSING = "but missing from packages"
"""Note of a package an importer names that no entry of the (trimmed) lockfile holds."""


def parse_fixture(name: str) -> ParseResult:
    """Parse one of our fixtures through the sandbox reader, as the scan would."""
    return parse_file_with(parse_pnpm_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_pnpm_lock, root, relative)


def parse_text(text: str) -> ParseResult:
    return parse_pnpm_lock(SourceFile(path="pnpm-lock.yaml", text=text), SandboxReader(FIXTURES))


def rows(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], bool, int | None]]:
    """(name, version, scopes the file flags, first_party, line) of every package, in file order."""
    return [(p.name, p.version, p.scopes, p.first_party, p.line) for p in result.packages]


def root_rows(result: ParseResult) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(importer, name, locked version, section, specifier) of every root, in file order."""
    return [(r.importer, r.name, r.version, r.group, r.requirement) for r in result.roots]


def kind_edges(result: ParseResult) -> set[tuple[str, str | None, str, str | None, EdgeKind]]:
    return {(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges}


def root_names(result: ParseResult) -> set[str]:
    return {root.name for root in result.roots}


def pairs(result: ParseResult) -> set[tuple[str, str | None]]:
    """(name, version) of the packages the lockfile's entries hold (not importer-only ones)."""
    return {(p.name, p.version) for p in result.packages if MISSING not in (p.note or "")}


def edge_set(result: ParseResult) -> set[tuple[str, str | None, str, str | None]]:
    return {(e.parent, e.parent_version, e.child, e.child_version) for e in result.edges}




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pnpm-lock.yaml", True),
        ("path/to/my/pnpm-lock.yaml", True),
        ("path/to/my/pnpm-lock.yaml/file", False),
        ("path/to/my/pnpm-lock.yaml.file", False),
        ("path.to.my.pnpm-lock.yaml", False),
        ("pnpm-lock.yml", False),
        ("pnpm-workspace.yaml", False),
        ("", False),
    ],
)
def test_matches_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "pnpm-lock"


def test_v5_workspace_importers_links_peers_and_flags() -> None:
    result = parse_fixture("v5-workspace-importers.yaml")
    assert result.states_graph is True
    assert rows(result) == [  # scopes: the file's own dev/optional flags, the fallback for unreached entries
        ("@babel/core", "7.1.0", RUNTIME, False, 29),
        ("@babel/helper", "7.1.0", RUNTIME, False, 36),  # `_@babel+core@7.1.0` peer suffix stripped
        ("debug", "4.3.4", RUNTIME, False, 44),  # no flag at all: runtime
        ("eslint", "8.0.0", DEV, False, 49),
        ("ms", "2.1.2", RUNTIME, False, 57),
        ("typescript", "4.9.5", DEV, False, 61),
        ("esquery", "1.5.0", DEV, False, 65),  # git-host key: name and version from the fields
        ("foo", "1.1.0", RUNTIME, False, 71),  # registry host in front of the key
        ("fsevents", "2.3.2", OPTIONAL, False, 75),
        ("nan", "2.17.0", OPTIONAL, False, 82),
        ("local-tool", "0.1.0", RUNTIME, True, 87),  # Rush-style file: tarball is first-party
        ("orphan", "1.0.0", DEV, False, 93),  # reached by no importer: only its `dev: true` flag tells
        ("@scope/app", None, RUNTIME, True, 12),  # link: workspace package, line of the importer entry
    ]
    assert root_rows(result) == [
        (".", "@babel/core", "7.1.0", "dependencies", "^7.1.0"),
        (".", "@scope/app", None, "dependencies", "workspace:*"),
        (".", "eslint", "8.0.0", "devDependencies", "^8.0.0"),  # `8.0.0_typescript@4.9.5`: peers cut
        ("packages/app", "foo", "1.1.0", "dependencies", "^1.1.0"),
        ("packages/app", "local-tool", "0.1.0", "dependencies", "file:../../tools/local-tool.tgz"),
        ("packages/app", "fsevents", "2.3.2", "optionalDependencies", "^2.3.0"),
    ]
    assert [r.scopes for r in result.roots] == [RUNTIME, RUNTIME, DEV, RUNTIME, RUNTIME, OPTIONAL]
    assert kind_edges(result) == {
        ("@babel/core", "7.1.0", "@babel/helper", "7.1.0", REQUIRED),
        ("@babel/core", "7.1.0", "debug", "4.3.4", REQUIRED),
        ("@babel/helper", "7.1.0", "@babel/core", "7.1.0", PEER),  # listed in its peerDependencies
        ("debug", "4.3.4", "ms", "2.1.2", REQUIRED),
        ("eslint", "8.0.0", "debug", "4.3.4", REQUIRED),
        ("eslint", "8.0.0", "esquery", "1.5.0", REQUIRED),
        ("eslint", "8.0.0", "typescript", "4.9.5", REQUIRED),
        ("fsevents", "2.3.2", "nan", "2.17.0", REQUIRED),
        # the linked workspace package brings what its importer's installed sections hold
        ("@scope/app", None, "foo", "1.1.0", REQUIRED),
        ("@scope/app", None, "local-tool", "0.1.0", REQUIRED),
        ("@scope/app", None, "fsevents", "2.3.2", OPT),
    }
    by_name = {p.name: p for p in result.packages}
    assert by_name["esquery"].source_url == "https://git.example/estools/esquery/tar.gz/0123456789abcdef0123456789abcdef01234567"
    assert by_name["esquery"].key_path == 'packages["git.example/estools/esquery/0123456789abcdef0123456789abcdef01234567"]'
    assert by_name["foo"].source_url is None
    assert by_name["local-tool"].source_url == "file:tools/local-tool.tgz"
    assert by_name["@scope/app"].source_url == "link:packages/app"
    assert by_name["@scope/app"].key_path == 'importers["."].dependencies["@scope/app"]'
    assert by_name["@scope/app"].note == "workspace package in packages/app: its version is in its own package.json"
    assert all(p.direct is None and p.requirement is None for p in result.packages)  # the roots say that
    assert result.workspace_paths == ["packages/app"]
    assert result.workspace_members == ["@scope/app", "local-tool"]
    assert result.issues == []


def test_v5_walk_over_roots_and_edges() -> None:
    """What the one walk concludes from this parser's roots and edges (per importer, then all)."""
    result = parse_fixture("v5-workspace-importers.yaml")
    assert conclusions(result, "packages/app") == {
        ("foo", "1.1.0"): RUNTIME_PATH,
        ("local-tool", "0.1.0"): RUNTIME_PATH,
        ("fsevents", "2.3.2"): OPTIONAL_PATH,
        ("nan", "2.17.0"): OPTIONAL_PATH,  # required by an optional package: optional
    }
    found = conclusions(result)
    assert found[("debug", "4.3.4")] == RUNTIME_PATH  # a runtime and a dev root reach it: runtime wins
    assert found[("typescript", "4.9.5")] == DEVELOPMENT  # only the dev root reaches it
    assert found[("esquery", "1.5.0")] == DEVELOPMENT
    assert found[("foo", "1.1.0")] == RUNTIME_PATH  # through the root's runtime link to packages/app
    assert ("orphan", "1.0.0") not in found


def test_v6_peers_in_parentheses_aliases_and_flag_fallback() -> None:
    result = parse_fixture("v6-single-project-peers.yaml")
    assert rows(result) == [
        ("@testing-library/react", "14.0.0", DEV, False, 25),  # two peer variants, one package
        ("js-tokens", "4.0.0", RUNTIME, False, 41),
        ("loose-envify", "1.4.0", RUNTIME, False, 45),
        ("react-dom", "18.2.0", RUNTIME, False, 51),
        ("react", "18.2.0", RUNTIME, False, 59),
        ("react", "18.3.0", DEV, False, 65),  # only an unreached variant needs it
        ("scheduler", "0.23.0", RUNTIME, False, 69),
        ("string-width", "4.2.3", RUNTIME, False, 75),  # the real package behind `string-width-cjs`
        ("left-pad", "1.3.0", RUNTIME, False, 79),  # `registry.npm.example/left-pad@1.3.0`
    ]
    assert root_rows(result) == [  # a single-project file: the top-level sections are importer "."
        (".", "react", "18.2.0", "dependencies", "^18.2.0"),
        (".", "react-dom", "18.2.0", "dependencies", "^18.2.0"),
        (".", "string-width", "4.2.3", "dependencies", "npm:string-width@^4.2.0"),  # the alias's real name
        (".", "@testing-library/react", "14.0.0", "devDependencies", "^14.0.0"),
    ]
    edges = kind_edges(result)
    assert ("@testing-library/react", "14.0.0", "react-dom", "18.2.0", PEER) in edges  # its peerDependencies
    assert ("@testing-library/react", "14.0.0", "react", "18.3.0", PEER) in edges  # only the key's `(react@18.3.0)`
    assert ("react-dom", "18.2.0", "react", "18.2.0", PEER) in edges  # no peerDependencies here: its key's suffix
    assert ("react-dom", "18.2.0", "scheduler", "0.23.0", REQUIRED) in edges
    assert conclusions(result)[("react", "18.3.0")] == (DEVELOPMENT[0], False, True)
    assert result.issues == [] and result.workspace_paths == [] and result.workspace_members == []


def test_v9_importers_and_snapshots_are_roots_and_edges() -> None:
    result = parse_fixture("v9-workspace-reachability.yaml")
    assert rows(result) == [  # 9.0 flags only `optional`
        ("@vitest/runner", "1.0.0", RUNTIME, False, 48),
        ("chalk", "5.3.0", RUNTIME, False, 51),
        ("cycle-a", "1.0.0", RUNTIME, False, 54),
        ("cycle-b", "1.0.0", RUNTIME, False, 57),
        ("debug", "4.3.4", RUNTIME, False, 60),
        ("fsevents", "2.3.3", OPTIONAL, False, 68),
        ("git-pkg", "1.0.0", RUNTIME, False, 72),
        ("left-over", "2.0.0", RUNTIME, False, 76),
        ("local-dir", None, RUNTIME, True, 79),
        ("ms", "2.1.3", RUNTIME, False, 82),
        ("nan", "2.18.0", OPTIONAL, False, 85),
        ("string-width", "4.2.3", RUNTIME, False, 88),  # v9 alias: `version: string-width@4.2.3`
        ("supports-color", "8.1.1", OPTIONAL, False, 91),
        ("tarball-pkg", "2.0.0", RUNTIME, False, 94),
        ("vitest", "1.0.0", RUNTIME, False, 98),
        ("@demo/core", None, RUNTIME, True, 11),
    ]
    assert root_rows(result) == [
        (".", "@demo/core", None, "dependencies", "workspace:*"),  # link: version in its own package.json
        (".", "chalk", "5.3.0", "dependencies", "^5.3.0"),
        (".", "vitest", "1.0.0", "devDependencies", "^1.0.0"),
        ("packages/core", "debug", "4.3.4", "dependencies", "^4.3.4"),
        ("packages/core", "git-pkg", "1.0.0", "dependencies", "github:org/git-pkg#v1.0.0"),
        ("packages/core", "local-dir", None, "dependencies", "file:../../local-dir"),
        ("packages/core", "string-width", "4.2.3", "dependencies", "npm:string-width@^4.2.0"),
        ("packages/core", "tarball-pkg", "2.0.0", "dependencies", "https://files.example/tarball-pkg-2.0.0.tgz"),
        ("packages/core", "fsevents", "2.3.3", "optionalDependencies", "^2.3.3"),
    ]
    assert kind_edges(result) == {
        ("cycle-a", "1.0.0", "cycle-b", "1.0.0", REQUIRED),
        ("cycle-b", "1.0.0", "cycle-a", "1.0.0", REQUIRED),
        ("debug", "4.3.4", "ms", "2.1.3", REQUIRED),
        ("debug", "4.3.4", "supports-color", "8.1.1", OPT),  # a resolved optional peer: pnpm files it there
        ("fsevents", "2.3.3", "nan", "2.18.0", REQUIRED),
        ("git-pkg", "1.0.0", "cycle-a", "1.0.0", REQUIRED),
        ("local-dir", None, "chalk", "5.3.0", REQUIRED),
        ("vitest", "1.0.0", "@demo/core", None, PEER),  # a `link:` peer, named by the `(@demo/core@packages+core)` suffix
        ("vitest", "1.0.0", "@vitest/runner", "1.0.0", REQUIRED),
        ("vitest", "1.0.0", "debug", "4.3.4", REQUIRED),
        ("@demo/core", None, "debug", "4.3.4", REQUIRED),  # packages/core's sections, through the link
        ("@demo/core", None, "git-pkg", "1.0.0", REQUIRED),
        ("@demo/core", None, "local-dir", None, REQUIRED),
        ("@demo/core", None, "string-width", "4.2.3", REQUIRED),
        ("@demo/core", None, "tarball-pkg", "2.0.0", REQUIRED),
        ("@demo/core", None, "fsevents", "2.3.3", OPT),
    }
    by_name = {p.name: p for p in result.packages}
    assert by_name["git-pkg"].source_url == "https://git.example/org/git-pkg/tar.gz/0123456789abcdef0123456789abcdef01234567"
    assert by_name["local-dir"].source_url == "file:local-dir"
    assert by_name["local-dir"].note == "version not locked: local directory"
    assert by_name["left-over"].note is None  # unreached: the walk's to say, not the parser's
    assert by_name["tarball-pkg"].source_url == "https://files.example/tarball-pkg-2.0.0.tgz"
    assert by_name["debug"].key_path == 'packages["debug@4.3.4"]'  # two snapshots, one packages entry
    assert result.workspace_paths == ["packages/core", "packages/unused"]
    assert result.workspace_members == ["@demo/core", "local-dir"]
    assert result.issues == []


def test_v9_walk_over_roots_and_edges() -> None:
    result = parse_fixture("v9-workspace-reachability.yaml")
    assert conclusions(result, ".") == {
        ("@demo/core", None): RUNTIME_PATH,
        ("chalk", "5.3.0"): RUNTIME_PATH,
        ("vitest", "1.0.0"): DEVELOPMENT,
        ("@vitest/runner", "1.0.0"): DEVELOPMENT,
        ("debug", "4.3.4"): RUNTIME_PATH,  # dev via vitest, runtime via the linked packages/core
        ("ms", "2.1.3"): RUNTIME_PATH,
        ("git-pkg", "1.0.0"): RUNTIME_PATH,
        ("cycle-a", "1.0.0"): RUNTIME_PATH,  # a cycle is walked once
        ("cycle-b", "1.0.0"): RUNTIME_PATH,
        ("local-dir", None): RUNTIME_PATH,
        ("string-width", "4.2.3"): RUNTIME_PATH,
        ("tarball-pkg", "2.0.0"): RUNTIME_PATH,
        ("fsevents", "2.3.3"): OPTIONAL_PATH,
        ("nan", "2.18.0"): OPTIONAL_PATH,
        ("supports-color", "8.1.1"): OPTIONAL_PATH,  # debug's optional peer
    }
    assert ("left-over", "2.0.0") not in conclusions(result)


def test_pnpm11_environment_document_is_skipped() -> None:
    result = parse_fixture("pnpm11-env-document.yaml")
    assert rows(result) == [("is-number", "7.0.0", RUNTIME, False, 39)]
    assert root_rows(result) == [(".", "is-number", "7.0.0", "dependencies", "^7.0.0")]  # not the env's pnpm
    assert result.issues == []


def test_broken_entries_are_issues_with_key_paths_and_the_rest_is_kept() -> None:
    result = parse_fixture("broken-entries.yaml")
    assert rows(result) == [("ok-dev", "1.0.0", DEV, False, 21)]
    assert root_rows(result) == [
        (".", "ok-dev", "1.0.0", "devDependencies", "^1.0.0"),
        (".", "gone", None, "devDependencies", "^3.0.0"),  # still a root: reported, resolves to nothing
    ]
    unreadable = "cannot read a package name and version from the key, and there is no `name` field"
    assert issue_rows(result) == [
        (1, "lockfileVersion: 4.2 is not one this parser knows (5.x, 6.x, 9.0); read anyway"),
        (21, 'packages["/ok-dev/1.0.0"].dependencies: expected a mapping, found list'),
        (25, f'packages["not-a-package-key"]: {unreadable}'),
        (28, 'packages["/list-entry/1.0.0"]: expected a mapping, found list'),
        (31, f'packages["/no-version-here/latest"]: {unreadable}'),
        (6, 'importers["."].dependencies: expected a mapping, found list'),
        (11, 'importers["."].devDependencies["missing-version"]: expected a version or {specifier, version}'),
        (17, 'importers["tools"]: expected a mapping, found str'),
        (13, 'importers["."]: gone "not-a-version" matches no entry of packages'),
    ]
    assert result.workspace_paths == []


def test_yaml_that_is_not_a_lockfile_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a pnpm lockfile: no lockfileVersion, importers or packages") as raised:
        parse_fixture("not-a-lockfile.yaml")
    assert raised.value.line == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("just a sentence\n", "not a pnpm lockfile: the document is a str, not a mapping", 1),
        ("- a\n- b\n", "not a pnpm lockfile: the document is a list, not a mapping", 1),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integ\n", "invalid YAML", 5),
        ("[" * 20_000, "invalid YAML", 1),
        ("a:\n" + "".join("  " * depth + "b:\n" for depth in range(1, 2_000)), "invalid YAML", None),
    ],
    ids=["scalar", "sequence", "truncated", "deep-flow-nesting", "deep-block-nesting"],
)
def test_hostile_text_is_a_parse_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError, match=re.escape(message)) as raised:
        parse_text(text)
    if line is not None:
        assert raised.value.line == line


def test_truncated_fixture_is_a_parse_error_with_its_line() -> None:
    text = (FIXTURES / "v9-workspace-reachability.yaml").read_text()
    cut = text[: text.index("{integrity: sha512-EEEE") + 8]
    with pytest.raises(ParseError, match="invalid YAML") as raised:
        parse_text(cut)
    last = cut.count("\n") + 1
    assert raised.value.line in (last, last + 1)  # libyaml marks the end of the stream, past the cut line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file: no package is locked"),
        ("# only a comment\n", "empty file: no package is locked"),
        (
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    packageManagerDependencies:\n      pnpm: {specifier: ^11.0.0, version: 11.0.0}\n",
            "only the package manager's environment document (pnpm 11): no project dependency is locked",
        ),
    ],
)
def test_nothing_locked_is_an_issue(text: str, message: str) -> None:
    result = parse_text(text)
    assert result.packages == [] and issue_rows(result) == [(None, message)]


def test_a_large_generated_lockfile_parses() -> None:
    """About 10 MB of 9.0 lockfile (PyYAML reads ~1 MB/s here, so 20 MB would take half a minute)."""
    count = 45_000
    importer = "".join(f"      pkg-{i}:\n        specifier: ^1.0.{i}\n        version: 1.0.{i}\n" for i in range(0, count, 500))
    packages = "".join(f"  pkg-{i}@1.0.{i}:\n    resolution: {{integrity: sha512-{'A' * 86}==}}\n\n" for i in range(count))
    snapshots = "".join(f"  pkg-{i}@1.0.{i}:\n    dependencies:\n      pkg-{i + 1}: 1.0.{i + 1}\n\n" for i in range(count - 1))
    text = f"lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n{importer}\npackages:\n\n{packages}snapshots:\n\n{snapshots}"
    assert len(text) > 9_000_000
    started = time.perf_counter()
    result = parse_text(text)
    elapsed = time.perf_counter() - started
    assert len(result.packages) == count and len(result.edges) == count - 1 and result.issues == []
    assert all(package.scopes == RUNTIME for package in result.packages)
    assert len(result.roots) == count // 500
    assert result.packages[-1].line == text.count("\n", 0, text.index(f"  pkg-{count - 1}@")) + 1
    print(f"{len(text) / 1e6:.1f} MB parsed in {elapsed:.1f} s")


# Peers' fixtures: the packages their own tests expect.

SCALIBR_EXPECTED = {
    "one-package.yaml": {("acorn", "8.7.0")},
    "one-package-v6-lockfile.yaml": {("acorn", "8.7.0")},
    "one-package-dev.yaml": {("acorn", "8.7.0")},
    "scoped-packages.yaml": {("@typescript-eslint/types", "5.13.0")},
    "scoped-packages-v6-lockfile.yaml": {("@typescript-eslint/types", "5.57.1")},
    "peer-dependencies.yaml": {("acorn-jsx", "5.3.2"), ("acorn", "8.7.0")},
    "peer-dependencies-advanced.yaml": {
        ("@typescript-eslint/eslint-plugin", "5.13.0"),
        ("@typescript-eslint/parser", "5.13.0"),
        ("@typescript-eslint/type-utils", "5.13.0"),
        ("@typescript-eslint/types", "5.13.0"),
        ("@typescript-eslint/typescript-estree", "5.13.0"),
        ("@typescript-eslint/utils", "5.13.0"),
        ("eslint-utils", "3.0.0"),
        ("eslint", "8.10.0"),
        ("tsutils", "3.21.0"),
    },
    "multiple-packages.yaml": {
        ("aws-sdk", "2.1087.0"),
        ("base64-js", "1.5.1"),
        ("buffer", "4.9.2"),
        ("events", "1.1.1"),
        ("ieee754", "1.1.13"),
        ("isarray", "1.0.0"),
        ("jmespath", "0.16.0"),
        ("punycode", "1.3.2"),
        ("querystring", "0.2.0"),
        ("sax", "1.2.1"),
        ("url", "0.10.3"),
        ("uuid", "3.3.2"),
        ("xml2js", "0.4.19"),
        ("xmlbuilder", "9.0.7"),
    },
    "multiple-versions.yaml": {("uuid", "3.3.2"), ("uuid", "8.3.2"), ("xmlbuilder", "9.0.7")},
    "tarball.yaml": {("@my-org/my-package", "3.2.3")},
    "exotic.yaml": {
        ("foo", "1.0.0"),
        ("@foo/bar", "1.0.0"),
        ("foo", "1.1.0"),
        ("@foo/bar", "1.1.0"),
        ("foo", "1.2.0"),
        ("foo", "1.3.0"),
        ("foo", "1.4.0"),
    },
    "commits.yaml": {
        ("my-bitbucket-package", "1.0.0"),
        ("@my-scope/my-package", "1.0.0"),
        ("@my-scope/my-other-package", "1.0.0"),
        ("faker-parser", "0.0.1"),
        ("mocks", "20.0.1"),
    },
    "files.yaml": {
        ("my-file-package", "0.0.0"),
        ("a-local-package", "1.0.0"),
        ("a-nested-local-package", "1.0.0"),
        ("one-up", "1.0.0"),
        ("one-up-with-peer", "1.0.0"),
    },
    "no-packages.yaml": set(),
    "no-packages.v9.yaml": set(),
    "missing-packages.yaml": set(),
    "one-package.v9.yaml": {("acorn", "8.11.3")},
    "one-package-dev.v9.yaml": {("acorn", "8.11.3")},
    "scoped-packages.v9.yaml": {("@typescript-eslint/types", "5.62.0")},
    "peer-dependencies.v9.yaml": {("acorn-jsx", "5.3.2"), ("acorn", "8.11.3")},
    "peer-dependencies-advanced.v9.yaml": {
        ("@eslint-community/eslint-utils", "4.4.0"),
        ("@eslint/eslintrc", "2.1.4"),
        ("@typescript-eslint/eslint-plugin", "5.62.0"),
        ("@typescript-eslint/parser", "5.62.0"),
        ("@typescript-eslint/type-utils", "5.62.0"),
        ("@typescript-eslint/typescript-estree", "5.62.0"),
        ("@typescript-eslint/utils", "5.62.0"),
        ("debug", "4.3.4"),
        ("eslint", "8.57.0"),
        ("has-flag", "4.0.0"),
        ("supports-color", "7.2.0"),
        ("tsutils", "3.21.0"),
        ("typescript", "4.9.5"),
    },
    "multiple-versions.v9.yaml": {("uuid", "8.0.0"), ("uuid", "8.3.2"), ("xmlbuilder", "11.0.1")},
    "commits.v9.yaml": {("ansi-regex", "6.0.1"), ("is-number", "7.0.0")},
    "mixed-groups.v9.yaml": {("ansi-regex", "5.0.1"), ("is-number", "7.0.0"), ("uuid", "8.3.2")},
}
"""osv-scalibr pnpmlock_test.go and pnpmlock-v9_test.go (the packages of each fixture)."""


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", sorted(SCALIBR_EXPECTED))
def test_osv_scalibr_fixtures_give_the_expected_packages(corpus: Path, fixture: str) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert pairs(result) == SCALIBR_EXPECTED[fixture]
    # unlike scalibr we also keep what an importer pins but the trimmed file does not hold
    roots = {(root.name, root.version) for root in result.roots}
    assert all((p.name, p.version) in roots for p in result.packages if MISSING in (p.note or ""))


@pytest.mark.corpus
def test_osv_scalibr_edge_cases_we_report_instead_of_failing(corpus: Path) -> None:
    unreadable = "cannot read a package name and version from the key, and there is no `name` field"
    exotic = parse_path(corpus, f"{SCALIBR}/exotic.yaml")
    assert issue_rows(exotic) == [
        (14, f'packages["github.com/kevva/is-positive"]: {unreadable}'),
        (18, f'packages["/foo/bar"]: {unreadable}'),
    ]
    invalid = parse_path(corpus, f"{SCALIBR}/invalid-path.yaml")  # scalibr: "invalid dependency path"
    assert pairs(invalid) == {("acorn", "8.7.0")}
    assert issue_rows(invalid) == [(17, f'packages["invalidpath"]: {unreadable}')]
    files = parse_path(corpus, f"{SCALIBR}/files.yaml")
    assert issue_rows(files) == [(44, f'packages["file:../nameless-package"]: {unreadable}')]
    assert all(p.first_party for p in files.packages)
    assert {p.name: p.source_url for p in files.packages}["one-up"] == "file:.."
    commits = parse_path(corpus, f"{SCALIBR}/commits.yaml")
    assert {p.name: p.source_url for p in commits.packages}["@my-scope/my-package"] == (
        "git+ssh://git@github.com/my-org/my-package.git#267087851ad5fac92a184749c27cd539e2fc862e"
    )
    assert root_names(commits) == {"my-bitbucket-package", "@my-scope/my-package", "mocks"}


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["mixed-groups.v53.yaml", "mixed-groups.v54.yaml", "mixed-groups.v6.yaml", "mixed-groups.v9.yaml"])
def test_osv_scalibr_mixed_groups_scopes(corpus: Path, fixture: str) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert {root.name: (root.group, root.scopes) for root in result.roots} == {
        "ansi-regex": ("dependencies", RUNTIME),
        "is-number": ("devDependencies", DEV),
        "uuid": ("optionalDependencies", OPTIONAL),
    }
    assert {name: found for (name, _), found in conclusions(result).items()} == {
        "ansi-regex": RUNTIME_PATH,
        "is-number": DEVELOPMENT,
        "uuid": OPTIONAL_PATH,
    }


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["peer-dependencies-v6.yaml", "peer-dependencies-advanced-v6.yaml", "peer-dependencies-advanced-rc-v6.yaml"])
def test_osv_scalibr_v6_peer_fixtures_strip_peer_suffixes(corpus: Path, fixture: str) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    react_dom = next(p for p in result.packages if p.name == "react-dom")
    assert "react-dom" in root_names(result) and "(" not in (react_dom.version or "(")
    assert {p.name for p in result.packages} == {"js-tokens", "loose-envify", "react-dom", "react", "scheduler"}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "line"),
    [(f"{SCALIBR}/not-yaml.txt", 1), (f"{SYFT}/corrupt/pnpm-lock.yaml", 4)],
)
def test_peers_broken_fixtures_are_parse_errors(corpus: Path, fixture: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_path(corpus, fixture)
    assert raised.value.line == line


TRIVY_PROD = {
    "pnpm-lock_normal.yaml": {("asap", "2.0.6"), ("jquery", "3.6.0"), ("promise", "8.1.0")},
    "pnpm-lock_v6.yaml": {("asap", "2.0.6"), ("jquery", "3.6.0"), ("promise", "8.1.0")},
    "pnpm-lock_with_dev.yaml": {
        ("@babel/runtime", "7.18.3"),
        ("js-tokens", "4.0.0"),
        ("loose-envify", "1.4.0"),
        ("react", "18.1.0"),
        ("redux", "4.2.0"),
        ("regenerator-runtime", "0.13.9"),
    },
    "pnpm-lock_v6_with_dev.yaml": {
        ("@babel/runtime", "7.22.3"),
        ("js-tokens", "4.0.0"),
        ("loose-envify", "1.4.0"),
        ("react", "18.1.0"),
        ("redux", "4.2.0"),
        ("regenerator-runtime", "0.13.11"),
    },
    "pnpm-lock_archives.yaml": {
        ("asynckit", "0.4.0"),
        ("debug", "4.3.4"),
        ("is-negative", "2.0.1"),
        ("lodash", "4.17.21"),
        ("ms", "2.1.2"),
        ("package1", "1.0.0"),
    },
    "pnpm-lock_v9_cyclic_import.yaml": {
        ("update-browserslist-db", "1.0.16"),
        ("browserslist", "4.23.0"),
        ("caniuse-lite", "1.0.30001627"),
        ("electron-to-chromium", "1.4.789"),
        ("escalade", "3.1.2"),
        ("node-releases", "2.0.14"),
        ("picocolors", "1.0.1"),
    },
}
"""trivy parse_testcase.go: what `pnpm list --prod` lists (trivy leaves dev packages out; the walk
over our roots and edges finds them development-only)."""

TRIVY_DEPS = {
    "pnpm-lock_normal.yaml": {("promise", "asap")},
    "pnpm-lock_with_dev.yaml": {
        ("@babel/runtime", "regenerator-runtime"),
        ("loose-envify", "js-tokens"),
        ("react", "loose-envify"),
        ("redux", "@babel/runtime"),
    },
    "pnpm-lock_archives.yaml": {("debug", "ms"), ("package1", "asynckit")},
    "pnpm-lock_v9_cyclic_import.yaml": {
        ("browserslist", "caniuse-lite"),
        ("browserslist", "electron-to-chromium"),
        ("browserslist", "node-releases"),
        ("browserslist", "update-browserslist-db"),
        ("update-browserslist-db", "browserslist"),
        ("update-browserslist-db", "escalade"),
        ("update-browserslist-db", "picocolors"),
    },
}


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", sorted(TRIVY_PROD))
def test_trivy_fixtures_production_packages_and_edges(corpus: Path, fixture: str) -> None:
    result = parse_path(corpus, f"{TRIVY}/{fixture}")
    assert production(result) == TRIVY_PROD[fixture]
    if fixture in TRIVY_DEPS:
        prod = {name for name, _ in production(result)}
        assert {(e.parent, e.child) for e in result.edges if e.parent in prod} == TRIVY_DEPS[fixture]
    assert result.issues == []


def production(result: ParseResult) -> set[tuple[str, str | None]]:
    """What the walk finds needed at run time, and the unreached entries the file does not flag dev."""
    reached = conclusions(result)
    unreached = {(p.name, p.version) for p in result.packages if Scope.DEV not in p.scopes} - set(reached)
    return {node for node, found in reached.items() if found[0] is RUNTIME_PATH[0]} | unreached


@pytest.mark.corpus
def test_trivy_many_fixture(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/pnpm-lock_many.yaml")
    prod = production(result)
    assert len(prod) == 56
    assert {(root.name, root.version) for root in result.roots if Scope.DEV not in root.scopes} == {
        ("chalk", "5.0.1"),
        ("commander", "9.3.0"),
        ("lodash", "4.17.21"),
        ("react", "18.1.0"),
        ("redux", "4.2.0"),
        ("request", "2.88.2"),
    }
    assert ("request", "2.88.2", "tough-cookie", "2.5.0") in edge_set(result)


@pytest.mark.corpus
def test_trivy_v9_fixture_scopes_direct_and_local_packages(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/pnpm-lock_v9.yaml")
    by_key = {(p.name, p.version): p for p in result.packages}
    assert len(by_key) == 22
    walked = conclusions(result)
    assert {key for key, found in walked.items() if found == DEVELOPMENT} == {
        ("await-sleep", "0.0.1"),
        ("jquery", "3.6.0"),
        ("lodash", "4.17.21"),
    }
    assert {(root.name, root.version) for root in result.roots} == {
        ("@babel/helper-string-parser", "7.24.1"),
        ("await-sleep", "0.0.1"),
        ("debug", "4.3.5"),
        ("finalhandler", "1.1.1"),
        ("is-negative", "2.0.1"),
        ("jquery", "3.6.0"),
        ("lodash", "4.17.21"),
        ("ms", "2.0.0"),  # a root devDependency that finalhandler needs at runtime: runtime, like trivy
        ("on-finished", "2.3.0"),
        ("package1", None),  # file: directory, no version (trivy: "package1" without version)
        ("promise", "8.1.0"),
        ("sleep-utils", "1.0.3"),  # declared by the `subdir` importer
    }
    assert walked[("ms", "2.0.0")] == RUNTIME_PATH and by_key[("package1", None)].first_party
    assert walked[("asap", "2.0.6")] == OPTIONAL_PATH  # promise's optionalDependencies
    assert {root.importer for root in result.roots} == {".", "subdir"}
    known = set(by_key)
    assert {(e.parent, e.child) for e in result.edges if (e.child, e.child_version) in known} == {
        ("debug", "ms"),
        ("finalhandler", "debug"),
        ("finalhandler", "encodeurl"),
        ("finalhandler", "escape-html"),
        ("finalhandler", "on-finished"),
        ("finalhandler", "parseurl"),
        ("finalhandler", "statuses"),
        ("finalhandler", "unpipe"),
        ("on-finished", "ee-first"),
        ("package1", "asynckit"),
        ("promise", "asap"),
    }
    assert result.workspace_paths == ["subdir"]


@pytest.mark.corpus
def test_trivy_v9_newer_fixtures(corpus: Path) -> None:
    multi = parse_path(corpus, f"{TRIVY}/pnpm-lock_v9_multiple_documents.yaml")
    assert rows(multi) == [("is-number", "7.0.0", RUNTIME, False, 215)]  # env document skipped
    assert root_names(multi) == {"is-number"}
    versions = parse_path(corpus, f"{TRIVY}/pnpm-lock_v9_multi_version.yaml")
    assert pairs(versions) == {("is-number", "6.0.0"), ("is-number", "7.0.0")}
    assert versions.workspace_paths == ["app-a", "app-b"]
    peers = parse_path(corpus, f"{TRIVY}/pnpm-lock_v9_same-vers-diff-peers.yaml")
    # jest-pnp-resolver 1.2.3 has two peer variants: the runtime one takes jest-resolve 30.0.2, the dev
    # one 27.5.1. Edges name (name, version) only, so both variants are one node with both edges:
    assert kind_edges(peers) >= {
        ("jest-pnp-resolver", "1.2.3", "jest-resolve", "27.5.1", OPT),
        ("jest-pnp-resolver", "1.2.3", "jest-resolve", "30.0.2", OPT),
    }
    assert conclusions(peers) == {
        ("jest-config", "30.0.3"): RUNTIME_PATH,
        ("jest-pnp-resolver", "1.2.3"): RUNTIME_PATH,
        # pnpm installs 27.5.1 for the dev tree only; over (name, version) nodes it looks runtime-optional
        ("jest-resolve", "27.5.1"): OPTIONAL_PATH,
        ("jest-resolve", "30.0.2"): OPTIONAL_PATH,
        ("jest-runner", "27.5.1"): DEVELOPMENT,
        ("jest-runner", "30.0.3"): RUNTIME_PATH,
    }


@pytest.mark.corpus
def test_syft_fixtures(corpus: Path) -> None:
    v5 = parse_path(corpus, f"{SYFT}/pnpm/pnpm-lock.yaml")
    syft = {("nanoid", "3.3.4"), ("picocolors", "1.0.0"), ("source-map-js", "1.0.2"), ("@bcoe/v8-coverage", "0.2.3")}
    found = {(p.name, p.version) for p in v5.packages}
    assert syft <= found
    # the rest are the trimmed file's devDependencies, which syft leaves out
    dev_roots = {(root.name, root.version) for root in v5.roots if root.group == "devDependencies"}
    assert all(p.scopes == DEV and (p.name, p.version) in dev_roots for p in v5.packages if (p.name, p.version) not in syft)
    assert pairs(parse_path(corpus, f"{SYFT}/pnpm-v6/pnpm-lock.yaml")) == {
        ("@testing-library/jest-dom", "5.16.5"),
        ("@testing-library/react", "13.4.0"),
        ("@testing-library/user-event", "13.5.0"),
        ("react", "18.2.0"),
        ("react-dom", "18.2.0"),
        ("web-vitals", "2.1.4"),
        ("@babel/core", "7.21.4"),
        ("@types/eslint", "8.37.0"),
        ("read-cache", "1.0.0"),
        ("schema-utils", "3.1.2"),
    }
    assert pairs(parse_path(corpus, f"{SYFT}/pnpm-multi-doc/pnpm-lock.yaml")) == {("minimist", "1.2.0")}
    # a 9.0 header over 6.0-style keys (`/@babel/core@7.24.7`)
    assert pairs(parse_path(corpus, f"{SYFT}/pnpm-v9/pnpm-lock.yaml")) == {
        ("@babel/core", "7.24.7"),
        ("@babel/helper-plugin-utils", "7.24.7"),
        ("is-positive", "3.1.0"),
        ("rollup", "4.18.0"),
    }
    assert {(p.name, p.version) for p in parse_path(corpus, f"{SYFT}/pnpm-v5-peer-suffix/pnpm-lock.yaml").packages} == {
        ("acorn", "8.8.0"),
        ("acorn-jsx", "5.3.2"),
        ("webpack-cli", "4.10.0"),  # `4.10.0_fzn43tb6bdtdxy2s3aqevve2su`: hashed peer suffix
    }
    snapshots = parse_path(corpus, f"{SYFT}/pnpm-v9-snapshots/pnpm-lock.yaml")
    assert len(snapshots.packages) == 6 and len(snapshots.edges) == 5


# Real-world lockfiles.


def corpus_lockfiles(corpus: Path) -> list[str]:
    return sorted(str(path.relative_to(corpus)) for path in corpus.rglob("pnpm-lock.yaml"))


@pytest.mark.corpus
def test_every_corpus_pnpm_lockfile_parses(corpus: Path) -> None:
    broken = {f"{SYFT}/corrupt/pnpm-lock.yaml"}
    found = corpus_lockfiles(corpus)
    assert set(REAL_LOCKFILES) <= set(found)
    for relative in found:
        if relative in broken:
            continue
        result = parse_path(corpus, relative)
        assert result.packages or relative.startswith("fixtures/"), relative


@pytest.mark.corpus
@pytest.mark.parametrize("relative", REAL_LOCKFILES)
def test_real_lockfile_package_count_matches_an_independent_count(corpus: Path, relative: str) -> None:
    text = (corpus / relative).read_text()
    result = parse_path(corpus, relative)
    assert result.issues == []
    assert not [p for p in result.packages if MISSING in (p.note or "")]
    assert len(result.packages) == len(_distinct_entry_keys(text)) + len(_link_targets(text))
    assert len({(p.name, p.version, p.source_url if p.version is None else None) for p in result.packages}) == len(result.packages)


def _distinct_entry_keys(text: str) -> set[str]:
    """Keys of the top-level `packages:` block, read off the text, peer suffixes cut, deduplicated."""
    block = re.search(r"^packages:\n(.*?)(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    keys = set()
    for match in re.finditer(r"^  (['\"]?)(\S.*?)\1:\s*$", block.group(1) if block else "", re.MULTILINE):
        key = match.group(2).split("(", 1)[0]
        head, _, last = key.rpartition("/")
        keys.add(f"{head}/{last.split('_', 1)[0]}" if head.startswith("/") and last[:1].isdigit() else key)
    return keys


def _link_targets(text: str) -> set[str]:
    """Directories that `link:` versions point at, relative to the lockfile (importers and snapshots)."""
    document = yaml.safe_load(text)
    targets = set()
    for importer, sections in (document.get("importers") or {".": document}).items():
        for section in ("dependencies", "devDependencies", "optionalDependencies"):
            for value in (sections.get(section) or {}).values():
                version = value.get("version") if isinstance(value, dict) else value
                if str(version).startswith("link:"):
                    targets.add(posixpath.normpath(posixpath.join(importer, str(version)[5:])))
    for entry in (document.get("snapshots") or {}).values():
        for version in ((entry or {}).get("dependencies") or {}).values():
            if str(version).startswith("link:"):
                targets.add(posixpath.normpath(str(version)[5:]))
    return targets


@pytest.mark.corpus
@pytest.mark.parametrize(
    "relative",
    [
        "CycloneDX__cdxgen/test/data/pnpm-lock.yaml",
        "CycloneDX__cdxgen/test/pnpm-lock.yaml",
        f"{TRIVY}/pnpm-lock_with_dev.yaml",
        f"{TRIVY}/pnpm-lock_v6_with_dev.yaml",
        f"{TRIVY}/pnpm-lock_many.yaml",
    ],
)
def test_walk_agrees_with_pnpm_own_dev_and_optional_flags(corpus: Path, relative: str) -> None:
    """5.x/6.x files carry pnpm's answer (`dev`, `optional`); the walk over our roots and edges must find it.

    pnpm flags each entry; peer variants of one version are one package here, which is needed at
    run time when any variant is (`dev` false or absent) and optional when every variant is.
    """
    entries = yaml.safe_load((corpus / relative).read_text()).get("packages") or {}
    result = parse_path(corpus, relative)
    walked = conclusions(result)
    by_base = {_without_peers(p.key_path[len('packages["') : -2]): p for p in result.packages if (p.key_path or "").startswith('packages[')}
    flags: dict[tuple[str, str | None], list[tuple[bool, bool]]] = {}
    for key, entry in entries.items():
        package = by_base[_without_peers(key)]  # peer variants: the package sits at its first key
        flags.setdefault((package.name, package.version), []).append((entry.get("dev") is True, entry.get("optional") is True))
    for node, found in flags.items():
        runtime = any(not dev for dev, _ in found)
        assert walked[node][0] is (RUNTIME_PATH[0] if runtime else DEVELOPMENT[0]), node
        assert walked[node][1] is all(optional for _, optional in found), node
    assert len(flags) == len([p for p in result.packages if p.note is None])


def _without_peers(key: str) -> str:
    """A packages key without its peer suffix: `/a/1.0.0_b@2.0.0` -> `/a/1.0.0`, `/a@1.0.0(b@2.0.0)` -> `/a@1.0.0`."""
    head, _, last = key.split("(", 1)[0].rpartition("/")
    return f"{head}/{last.split('_', 1)[0]}" if head.startswith("/") and last[:1].isdigit() else key.split("(", 1)[0]


def test_edges_are_declared_edges() -> None:
    result = parse_fixture("v6-single-project-peers.yaml")
    assert all(isinstance(edge, DeclaredEdge) for edge in result.edges)
    assert len(result.edges) == len(set(result.edges))


# The defect of issue 9: a manifest's dev scope replaced the scope the lockfile implies.

PICOCOLORS = "picocolors-dev-in-one-workspace-runtime-via-postcss-in-another"
"""Two workspaces: packages/lint dev-depends on picocolors, packages/web runtime-depends on postcss,
which depends on picocolors."""


def test_picocolors_fixture_roots_and_edges() -> None:
    result = parse_file_with(parse_pnpm_lock, FIXTURES / PICOCOLORS, "pnpm-lock.yaml")
    assert [(r.importer, r.name, r.version, r.group) for r in result.roots] == [
        ("packages/lint", "picocolors", "1.0.0", "devDependencies"),
        ("packages/web", "postcss", "8.4.31", "dependencies"),
    ]
    assert {(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges} == {
        ("postcss", "8.4.31", "nanoid", "3.3.7", EdgeKind.REQUIRED),
        ("postcss", "8.4.31", "picocolors", "1.0.0", EdgeKind.REQUIRED),
        ("postcss", "8.4.31", "source-map-js", "1.0.2", EdgeKind.REQUIRED),
    }
    assert result.workspace_paths == ["packages/lint", "packages/web"]


def test_picocolors_is_runtime_for_the_postcss_workspace_and_development_for_the_other() -> None:
    inventory = scan([FIXTURES / PICOCOLORS], ScanOptions(licenses=None))
    projects = {project.path: project.id for project in inventory.projects}
    (picocolors,) = [c for c in inventory.components if c.name == "picocolors"]
    lifecycles = {(usage.project, usage.lifecycle) for usage in picocolors.usages}
    assert lifecycles == {(projects["packages/web"], Lifecycle.RUNTIME), (projects["packages/lint"], Lifecycle.DEVELOPMENT)}
    web = [usage for usage in picocolors.usages if usage.project == projects["packages/web"]]
    assert [(u.directness, u.location.path) for u in web] == [(Directness.TRANSITIVE, "pnpm-lock.yaml")]
    assert Scope.RUNTIME in picocolors.scopes and Scope.DEV in picocolors.scopes


def test_first_party_by_identity_and_names_as_spelled() -> None:
    """A registry package named like a workspace member stays third-party; names keep their case."""
    text = """lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      '@demo/core':
        specifier: workspace:*
        version: link:packages/core
      JSONStream:
        specifier: ^1.3.5
        version: 1.3.5

  packages/core:
    dependencies:
      '@demo/core-old':
        specifier: npm:@demo/core@1.0.0
        version: '@demo/core@1.0.0'

packages:

  '@demo/core@1.0.0':
    resolution: {integrity: sha512-AAAA}

  JSONStream@1.3.5:
    resolution: {integrity: sha512-BBBB}

snapshots:

  '@demo/core@1.0.0': {}

  JSONStream@1.3.5: {}
"""
    result = parse_text(text)
    assert [(p.name, p.version, p.first_party, p.source_url) for p in result.packages] == [
        ("@demo/core", "1.0.0", False, None),  # from the registry, under an alias: not the workspace's
        ("JSONStream", "1.3.5", False, None),
        ("@demo/core", None, True, "link:packages/core"),
    ]
    assert root_rows(result) == [
        (".", "@demo/core", None, "dependencies", "workspace:*"),
        (".", "JSONStream", "1.3.5", "dependencies", "^1.3.5"),
        ("packages/core", "@demo/core", "1.0.0", "dependencies", "npm:@demo/core@1.0.0"),
    ]
    assert kind_edges(result) == {("@demo/core", None, "@demo/core", "1.0.0", REQUIRED)}  # the link's importer
    assert result.issues == []


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        pytest.param("9" * 5_000, "'" + "9" * 80 + "...' (5,000 characters)", id="a-number-int-refuses"),
        pytest.param("²", "'²'", id="a-unicode-digit-int-refuses"),
        pytest.param("1234567.0", "'1234567.0'", id="more-digits-than-any-version"),
    ],
)
def test_a_lockfile_version_int_cannot_read_is_reported_and_the_file_read(version: str, shown: str) -> None:
    """int() raised ValueError for these and the whole file was lost (issue 13)."""
    text = f"lockfileVersion: '{version}'\n\nimporters:\n  .:\n    dependencies:\n      fine:\n        specifier: ^4.0.0\n        version: 4.0.0\n\npackages:\n  /fine/4.0.0:\n    resolution: {{integrity: sha512-fine}}\n"

    result = parse_text(text)

    assert [(p.name, p.version) for p in result.packages] == [("fine", "4.0.0")]
    assert issue_rows(result) == [(1, f"lockfileVersion: {shown} is not a version number; keys read in both spellings")]
