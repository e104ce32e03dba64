"""bun.lock: JSONC, workspaces as roots, nested keys, aliases, variable tuples, edges with kinds, peers' fixtures, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ospo_scan.model import Directness, EdgeKind, Lifecycle, Scope
from ospo_scan.parsers.base import ParseError, ParseResult, SourceFile
from ospo_scan.parsers.npm.bun_lock import SPEC, parse_bun_lock
from ospo_scan.reading import SandboxReader
from ospo_scan.scan import ScanOptions, scan
from tests.parsers.npm.lock_walk import DEVELOPMENT, OPTIONAL as OPTIONAL_PATH, PEER as PEER_PATH, RUNTIME as RUNTIME_PATH
from tests.parsers.npm.lock_walk import conclusions
from tests.parsing import parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "bun_lock"
RUNTIME, DEV, OPTIONAL, PEER = (frozenset({scope}) for scope in (Scope.RUNTIME, Scope.DEV, Scope.OPTIONAL, Scope.PEER))
REQUIRED, OPT, PEER_EDGE = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.PEER
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/javascript/bunlock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/nodejs/bun/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/javascript/test-fixtures"


def parse_fixture(name: str) -> ParseResult:
    return parse_file_with(parse_bun_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_bun_lock, root, relative)


def parse_text(text: str) -> ParseResult:
    return parse_bun_lock(SourceFile(path="bun.lock", text=text), SandboxReader(FIXTURES))


def rows(result: ParseResult) -> list[tuple[str, str | None, bool, int | None, str | None]]:
    """(name, version, first_party, line, key path) of every package, in file order."""
    return [(p.name, p.version, p.first_party, p.line, p.key_path) for p in result.packages]


def root_rows(result: ParseResult) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(importer, name, locked version, section, specifier) of every root, in file order."""
    return [(r.importer, r.name, r.version, r.group, r.requirement) for r in result.roots]


def kind_edges(result: ParseResult) -> set[tuple[str, str | None, str, str | None, EdgeKind]]:
    return {(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges}


def pairs(result: ParseResult) -> set[tuple[str, str | None]]:
    return {(p.name, p.version) for p in result.packages}


def edge_set(result: ParseResult) -> set[tuple[str, str | None, str, str | None]]:
    return {(e.parent, e.parent_version, e.child, e.child_version) for e in result.edges}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("bun.lock", True),
        ("path/to/my/bun.lock", True),
        ("path/to/my/bun.lock/file", False),
        ("path/to/my/bun.lock.file", False),
        ("path.to.my.bun.lock", False),
        ("bun.lockb", False),  # the binary lockfile is not supported
        ("path/to/bun.lockb", False),
        ("", False),
    ],
)
def test_matches_the_text_lockfile_only(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "bun-lock"


def test_workspaces_nested_keys_aliases_and_sources() -> None:
    result = parse_fixture("workspaces-nested-and-aliases.lock")
    assert result.states_graph is True
    assert rows(result) == [
        ("@demo/util", "2.1.0", True, 32, 'packages["@demo/util"]'),  # workspace package, version from its workspace entry
        ("strip-ansi", "7.1.0", False, 34, 'packages["@demo/util/strip-ansi"]'),  # the workspace's own copy
        ("ansi-regex", "6.0.1", False, 36, 'packages["@demo/util/strip-ansi/ansi-regex"]'),  # nested two levels deep
        ("ansi-regex", "5.0.1", False, 38, 'packages["ansi-regex"]'),
        ("fsevents", "2.3.3", False, 40, 'packages["fsevents"]'),
        ("git-dep", None, False, 42, 'packages["git-dep"]'),
        ("left-pad", "1.3.0", False, 44, 'packages["left-pad"]'),
        ("local-config", None, True, 46, 'packages["local-config"]'),
        ("nan", "2.18.0", False, 50, 'packages["nan"]'),
        ("react", "18.2.0", False, 53, 'packages["react"]'),
        ("scheduler", "0.23.0", False, 55, 'packages["scheduler"]'),
        ("strip-ansi", "6.0.1", False, 57, 'packages["strip-old"]'),  # installed as `strip-old`
        ("tarball", None, False, 59, 'packages["tarball"]'),
        ("typescript", "5.4.5", False, 61, 'packages["typescript"]'),
    ]
    assert all(p.scopes == RUNTIME and p.direct is None for p in result.packages)  # bun flags nothing
    assert root_rows(result) == [
        (".", "@demo/util", "2.1.0", "dependencies", "workspace:*"),
        (".", "left-pad", "1.3.0", "dependencies", "^1.3.0"),
        (".", "strip-ansi", "6.0.1", "dependencies", "npm:strip-ansi@^6.0.0"),  # `strip-old`: the real package
        (".", "typescript", "5.4.5", "devDependencies", "^5.4.0"),
        ("packages/util", "local-config", None, "dependencies", "file:../../config"),
        ("packages/util", "strip-ansi", "7.1.0", "dependencies", "^7.1.0"),  # its own nested copy
        ("packages/util", "fsevents", "2.3.3", "optionalDependencies", "^2.3.3"),
        ("packages/util", "react", "18.2.0", "peerDependencies", "^18.0.0"),
    ]
    assert [r.scopes for r in result.roots] == [RUNTIME, RUNTIME, RUNTIME, DEV, RUNTIME, RUNTIME, OPTIONAL, PEER]
    by_key = {(p.name, p.version): p for p in result.packages}
    assert by_key[("left-pad", "1.3.0")].source_url is None  # a registry tarball is not a source
    assert by_key[("@demo/util", "2.1.0")].source_url == "workspace:packages/util"
    assert by_key[("git-dep", None)].source_url == "github:org/git-dep#abc1234"
    assert by_key[("git-dep", None)].note == "version not locked: git source"
    assert by_key[("local-config", None)].source_url == "file:config"
    assert by_key[("tarball", None)].note == "version not locked: tarball source"
    assert kind_edges(result) == {
        # the workspace package brings its workspace's sections, looked up under its own folder first
        ("@demo/util", "2.1.0", "local-config", None, REQUIRED),
        ("@demo/util", "2.1.0", "strip-ansi", "7.1.0", REQUIRED),
        ("@demo/util", "2.1.0", "fsevents", "2.3.3", OPT),
        ("@demo/util", "2.1.0", "react", "18.2.0", PEER_EDGE),
        ("strip-ansi", "7.1.0", "ansi-regex", "6.0.1", REQUIRED),
        ("strip-ansi", "6.0.1", "ansi-regex", "5.0.1", REQUIRED),
        ("fsevents", "2.3.3", "nan", "2.18.0", REQUIRED),
        ("git-dep", None, "ansi-regex", "5.0.1", REQUIRED),
        ("left-pad", "1.3.0", "git-dep", None, REQUIRED),
        ("react", "18.2.0", "scheduler", "0.23.0", OPT),  # an optional peer
    }
    assert result.workspace_members == ["@demo/util", "local-config", "monorepo"]
    assert result.workspace_paths == ["packages/util"]
    assert result.issues == []


def test_workspaces_walk_over_roots_and_edges() -> None:
    result = parse_fixture("workspaces-nested-and-aliases.lock")
    assert conclusions(result, "packages/util") == {
        ("local-config", None): RUNTIME_PATH,
        ("strip-ansi", "7.1.0"): RUNTIME_PATH,
        ("ansi-regex", "6.0.1"): RUNTIME_PATH,
        ("fsevents", "2.3.3"): OPTIONAL_PATH,
        ("nan", "2.18.0"): OPTIONAL_PATH,  # required by an optional package
        ("react", "18.2.0"): PEER_PATH,  # the workspace's peerDependencies
        ("scheduler", "0.23.0"): (PEER_PATH[0], True, True),  # react's optional peer
    }
    found = conclusions(result, ".")
    assert found[("typescript", "5.4.5")] == DEVELOPMENT
    assert found[("react", "18.2.0")] == PEER_PATH  # through the root's dependency on @demo/util
    assert ("tarball", None) not in found


def test_broken_entries_are_issues_with_key_paths_and_the_rest_is_kept() -> None:
    result = parse_fixture("broken-entries.lock")
    assert rows(result) == [("ok", "1.0.0", False, 21, 'packages["ok"]'), ("tagged", None, False, 23, 'packages["tag"]')]
    assert root_rows(result) == [(".", "ghost", None, "dependencies", "^2.0.0"), (".", "ok", "1.0.0", "dependencies", "^1.0.0")]
    assert [(found.line, found.message) for found in result.issues] == [
        (2, "lockfileVersion: 7 is not one this parser knows (0, 1); read anyway"),
        (10, 'workspaces[""].devDependencies: expected an object, found list'),
        (12, 'workspaces["bad"]: expected an object, found str'),
        (15, 'packages["empty-array"]: expected an array ["name@version", ...]'),
        (17, "packages[\"no-at\"][0]: expected \"name@version\", found 'justaname'"),
        (19, 'packages["not-array"]: expected an array ["name@version", ...]'),
        (21, 'packages["ok"].dependencies: expected an object, found list'),
        (23, "packages[\"tag\"][0]: 'tagged@latest' names no version, git repository, URL or path"),
        (7, 'workspaces[""].dependencies["ghost"]: not found in packages'),
    ]


def test_json_that_is_not_a_lockfile_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a bun lockfile: no lockfileVersion, workspaces or packages") as raised:
        parse_fixture("not-a-lockfile.lock")
    assert raised.value.line == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[1, 2, 3]", "not a bun lockfile: the top level is a JSON list, not an object", 1),
        ('"just a string"', "not a bun lockfile: the top level is a JSON str, not an object", 1),
        ('{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": ["a@1.0.0", "", {', "invalid JSON", 4),
        ('{\n  "lockfileVersion": 1,\n  /* never closed\n}', "invalid JSON", 3),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply", None),
    ],
    ids=["array", "string", "truncated", "unclosed-comment", "deeply-nested"],
)
def test_hostile_text_is_a_parse_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError, match=message) as raised:
        parse_text(text)
    assert raised.value.line == line


def test_truncated_fixture_is_a_parse_error_with_its_line() -> None:
    text = (FIXTURES / "workspaces-nested-and-aliases.lock").read_text()
    cut = text[: text.index('"nan": ["nan@2.18.0"') + 10]
    with pytest.raises(ParseError, match="invalid JSON") as raised:
        parse_text(cut)
    assert raised.value.line == cut.count("\n") + 1


def test_empty_object_is_an_issue_not_an_error() -> None:
    result = parse_text("{}")
    assert result.packages == [] and [(i.line, i.message) for i in result.issues] == [(None, "empty lockfile: no package is locked")]


def test_a_large_generated_lockfile_parses() -> None:
    """About 20 MB of bun.lock built in memory (never committed)."""
    count = 100_000
    entries = "".join(
        f'    "pkg-{i}": ["pkg-{i}@1.0.{i}", "", {{ "dependencies": {{ "pkg-{i + 1}": "^1.0.0" }} }}, "sha512-{"A" * 86}=="],\n\n'
        for i in range(count)
    )
    text = (
        '{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "big",\n'
        '      "dependencies": {\n        "pkg-0": "^1.0.0",\n      },\n    },\n  },\n'
        f'  "packages": {{\n{entries}  }},\n}}\n'
    )
    assert len(text) > 19_000_000
    started = time.perf_counter()
    result = parse_text(text)
    elapsed = time.perf_counter() - started
    assert len(result.packages) == count and len(result.edges) == count and result.issues == []
    assert (result.edges[-1].child, result.edges[-1].child_version) == (f"pkg-{count}", None)  # not locked: still an edge
    assert result.packages[-1].line == text.count("\n", 0, text.index(f'"pkg-{count - 1}": [')) + 1
    assert [(root.name, root.version) for root in result.roots] == [("pkg-0", "1.0.0")]
    print(f"{len(text) / 1e6:.1f} MB parsed in {elapsed:.1f} s")


# Peers' fixtures.

SCALIBR_EXPECTED = {
    "empty.json5": set(),
    "no-packages.json5": set(),
    "one-package.json5": {("wrappy", "1.0.2")},
    "one-package-dev.json5": {("wrappy", "1.0.2")},
    "bad-tuple.json5": {("wrappy", "1.0.2")},
    "two-packages.json5": {("has-flag", "4.0.0"), ("wrappy", "1.0.2")},
    "same-package-different-groups.json5": {("has-flag", "3.0.0"), ("supports-color", "5.5.0")},
    "scoped-packages.json5": {("@typescript-eslint/types", "5.62.0")},
    "scoped-packages-mixed.json5": {
        ("@babel/code-frame", "7.26.2"),
        ("@babel/helper-validator-identifier", "7.25.9"),
        ("js-tokens", "4.0.0"),
        ("picocolors", "1.1.1"),
        ("wrappy", "1.0.2"),
    },
    "optional-package.json5": {("acorn", "8.14.0"), ("fsevents", "0.3.8"), ("nan", "2.22.0")},
    "peer-dependencies-implicit.json5": {("acorn-jsx", "5.3.2"), ("acorn", "8.14.0")},
    "peer-dependencies-explicit.json5": {("acorn-jsx", "5.3.2"), ("acorn", "8.14.0")},
    "nested-dependencies.json5": {
        ("ansi-styles", "4.3.0"),
        ("chalk", "4.1.2"),
        ("color-convert", "2.0.1"),
        ("color-name", "1.1.4"),
        ("has-flag", "2.0.0"),
        ("supports-color", "5.5.0"),
        ("supports-color", "7.2.0"),
        ("has-flag", "3.0.0"),
        ("has-flag", "4.0.0"),
    },
    "nested-dependencies-dup.json5": {
        ("ansi-styles", "4.3.0"),
        ("chalk", "4.1.2"),
        ("color-convert", "2.0.1"),
        ("color-name", "1.1.4"),
        ("has-flag", "2.0.0"),
        ("supports-color", "7.2.0"),
        ("has-flag", "4.0.0"),
    },
    "alias.json5": {("has-flag", "4.0.0"), ("supports-color", "7.2.0"), ("supports-color", "6.1.0"), ("has-flag", "3.0.0")},
    "commits.json5": {
        ("@babel/helper-plugin-utils", "7.26.5"),
        ("@babel/helper-string-parser", "7.25.9"),
        ("@babel/helper-validator-identifier", "7.25.9"),
        ("@babel/parser", "7.26.5"),
        ("@babel/types", "7.26.5"),
        ("@prettier/sync", None),
        ("babel-preset-php", None),
        ("is-number", None),
        ("jquery", "3.7.1"),
        ("lodash", "1.3.1"),
        ("make-synchronized", "0.2.9"),
        ("php-parser", "2.2.0"),
        ("prettier", "3.4.2"),
        ("raven-js", None),
        ("slick-carousel", None),
        ("stopwords", "0.0.1"),
    },
    "files.json5": {("etag", None), ("lodash", "1.3.1")},
    "blog-sample.json5": {("uWebSockets.js", None)},
}
"""osv-scalibr bunlock_test.go (git packages have no version there either)."""


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", sorted(SCALIBR_EXPECTED))
def test_osv_scalibr_fixtures_give_the_expected_packages(corpus: Path, fixture: str) -> None:
    assert pairs(parse_path(corpus, f"{SCALIBR}/{fixture}")) == SCALIBR_EXPECTED[fixture]


@pytest.mark.corpus
def test_osv_scalibr_details(corpus: Path) -> None:
    commits = parse_path(corpus, f"{SCALIBR}/commits.json5")
    # three git copies of is-number, told apart by their commit (scalibr: three packages too)
    assert sorted(p.source_url or "" for p in commits.packages if p.name == "is-number") == [
        "github:jonschlinkert/is-number#98e8ff1",
        "github:jonschlinkert/is-number#b7aef34",
        "github:jonschlinkert/is-number#d5ac058",
    ]
    assert {name: found for (name, _), found in conclusions(commits).items()}["prettier"] == (DEVELOPMENT[0], False, True)  # a peer of dev git packages
    bad = parse_path(corpus, f"{SCALIBR}/bad-tuple.json5")  # scalibr: an error naming each bad entry
    assert [(i.line, i.message) for i in bad.issues] == [
        (12, 'packages["wrappy-bad1"][0]: expected "name@version", found 123'),
        (14, 'packages["wrappy-bad2"][0]: expected "name@version", found a mapping of 0 keys'),
    ]
    implicit = parse_path(corpus, f"{SCALIBR}/peer-dependencies-implicit.json5")
    assert [(r.name, r.group) for r in implicit.roots] == [("acorn-jsx", "dependencies")]
    assert kind_edges(implicit) == {("acorn-jsx", "5.3.2", "acorn", "8.14.0", PEER_EDGE)}
    assert {name: found for (name, _), found in conclusions(implicit).items()} == {"acorn": PEER_PATH, "acorn-jsx": RUNTIME_PATH}
    optional = parse_path(corpus, f"{SCALIBR}/optional-package.json5")
    assert {name: found for (name, _), found in conclusions(optional).items()} == {
        "acorn": RUNTIME_PATH,
        "fsevents": OPTIONAL_PATH,
        "nan": OPTIONAL_PATH,
    }
    files = parse_path(corpus, f"{SCALIBR}/files.json5")
    assert {p.name: p.first_party for p in files.packages} == {"etag": True, "lodash": False}


@pytest.mark.corpus
def test_osv_scalibr_not_json_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError, match="invalid JSON") as raised:
        parse_path(corpus, f"{SCALIBR}/not-json.txt")
    assert raised.value.line == 1


@pytest.mark.corpus
def test_trivy_fixtures(corpus: Path) -> None:
    happy = parse_path(corpus, f"{TRIVY}/bun_happy.lock")
    # trivy parse_testcase.go: the same packages, lines and direct ones; its Dev flag is the walk's development
    assert [(p.name, p.version, p.line) for p in happy.packages] == [
        ("@types/bun", "1.2.13", 18),
        ("@types/node", "22.15.18", 20),
        ("bun-types", "1.2.13", 22),
        ("typescript", "5.8.3", 24),
        ("undici-types", "6.21.0", 26),
        ("zod", "3.24.4", 28),
    ]
    assert {(r.name, r.group) for r in happy.roots} == {
        ("@types/bun", "devDependencies"),
        ("typescript", "peerDependencies"),
        ("zod", "optionalDependencies"),
    }
    assert {name: found for (name, _), found in conclusions(happy).items()} == {
        "@types/bun": DEVELOPMENT,
        "@types/node": DEVELOPMENT,
        "bun-types": DEVELOPMENT,
        "typescript": PEER_PATH,
        "undici-types": OPTIONAL_PATH,  # the dev tree and the optional zod need it: runtime wins, optional
        "zod": OPTIONAL_PATH,
    }
    assert {(e.parent, e.child) for e in happy.edges} == {
        ("@types/bun", "bun-types"),
        ("@types/node", "undici-types"),
        ("bun-types", "@types/node"),
        ("zod", "undici-types"),
    }
    workspaces = parse_path(corpus, f"{TRIVY}/bun_multiple_ws.lock")
    assert [(p.name, p.version, p.first_party, p.line) for p in workspaces.packages] == [
        ("chalk", "5.0.1", False, 23),
        ("lodash", "4.17.21", False, 25),
        ("my-app", "1.0.0", True, 27),
        ("my-lib", "1.0.0", True, 29),
    ]
    assert {(r.importer, r.name, r.version) for r in workspaces.roots} == {("my-app", "lodash", "4.17.21"), ("my-lib", "chalk", "5.0.1")}
    assert {(e.parent, e.child) for e in workspaces.edges} == {("my-app", "lodash"), ("my-lib", "chalk")}  # through the workspaces
    assert workspaces.workspace_paths == ["my-app", "my-lib"]
    assert workspaces.workspace_members == ["buntest", "my-app", "my-lib"]
    invalid = parse_path(corpus, f"{TRIVY}/bun_invalid.lock")  # trivy: an error
    assert invalid.packages == []
    assert [(i.line, i.message) for i in invalid.issues] == [
        (2, "lockfileVersion: expected a number, found 'not-a-number'; read as version 1")
    ]


@pytest.mark.corpus
def test_syft_fixtures(corpus: Path) -> None:
    strict = parse_path(corpus, f"{SYFT}/bun/bun.lock")
    assert {p.name for p in strict.packages} == {
        "@img/sharp-darwin-arm64",
        "@img/sharp-linux-x64",
        "axios",
        "color",
        "eslint",
        "eslint-visitor-keys",
        "follow-redirects",
        "lodash",
        "sharp",
        "typescript",
    }
    # syft without dev dependencies leaves out exactly what the walk finds development-only
    walked = conclusions(strict)
    assert {name for (name, _), found in walked.items() if found == DEVELOPMENT} == {"eslint", "eslint-visitor-keys", "typescript"}
    assert {(e.parent, e.child) for e in strict.edges if e.child_version is not None} == {
        ("sharp", "color"),
        ("sharp", "@img/sharp-darwin-arm64"),
        ("sharp", "@img/sharp-linux-x64"),
        ("axios", "follow-redirects"),
        ("eslint", "eslint-visitor-keys"),
    }
    # a peer nobody installed is still stated, without a version (resolve skips it)
    assert [(e.parent, e.child, e.kind) for e in strict.edges if e.child_version is None] == [("follow-redirects", "debug", PEER_EDGE)]
    trailing = parse_path(corpus, f"{SYFT}/bun-trailing-comma/bun.lock")
    assert {p.name for p in trailing.packages} == {"axios", "follow-redirects", "lodash"}
    tuples = parse_path(corpus, f"{SYFT}/bun-variable-tuples/bun.lock")
    # syft leaves the workspace package out; we keep it, first-party; the root project is not a package
    assert {p.name for p in tuples.packages if not p.first_party} == {"axios", "follow-redirects", "ghostty-web", "tracestrings"}
    assert [(p.name, p.version) for p in tuples.packages if p.first_party] == [("@my/util", "1.0.0")]
    assert {p.name: p.source_url for p in tuples.packages}["ghostty-web"] == "github:rcarmo/ghostty-web#6c1c75b"


@pytest.mark.corpus
def test_every_corpus_bun_lockfile_parses(corpus: Path) -> None:
    found = sorted(corpus.rglob("bun.lock")) + sorted(corpus.rglob("*.json5")) + sorted((corpus / TRIVY).glob("*.lock"))
    assert len(found) >= 20
    for path in found:
        result = parse_path(corpus, str(path.relative_to(corpus)))
        assert isinstance(result, ParseResult)


# The defect of issue 9: a manifest's dev scope replaced the scope the lockfile implies.

PICOCOLORS = "picocolors-dev-in-one-workspace-runtime-via-postcss-in-another"
"""Two workspaces: packages/lint dev-depends on picocolors, packages/web runtime-depends on postcss,
which depends on picocolors."""


def test_picocolors_fixture_roots_and_edges() -> None:
    result = parse_file_with(parse_bun_lock, FIXTURES / PICOCOLORS, "bun.lock")
    assert [(r.importer, r.name, r.version, r.group) for r in result.roots] == [
        ("packages/lint", "picocolors", "1.0.0", "devDependencies"),
        ("packages/web", "postcss", "8.4.31", "dependencies"),
    ]
    assert {(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges} == {
        ("postcss", "8.4.31", "nanoid", "3.3.7", EdgeKind.REQUIRED),
        ("postcss", "8.4.31", "picocolors", "1.0.0", EdgeKind.REQUIRED),
        ("postcss", "8.4.31", "source-map-js", "1.0.2", EdgeKind.REQUIRED),
        ("web", "1.0.0", "postcss", "8.4.31", EdgeKind.REQUIRED),  # the workspace package's own dependencies
    }
    assert result.workspace_paths == ["packages/lint", "packages/web"]


def test_picocolors_is_runtime_for_the_postcss_workspace_and_development_for_the_other() -> None:
    inventory = scan([FIXTURES / PICOCOLORS], ScanOptions(licenses=None))
    projects = {project.path: project.id for project in inventory.projects}
    (picocolors,) = [c for c in inventory.components if c.name == "picocolors"]
    lifecycles = {(usage.project, usage.lifecycle) for usage in picocolors.usages}
    assert lifecycles == {(projects["packages/web"], Lifecycle.RUNTIME), (projects["packages/lint"], Lifecycle.DEVELOPMENT)}
    web = [usage for usage in picocolors.usages if usage.project == projects["packages/web"]]
    assert [(u.directness, u.location.path) for u in web] == [(Directness.TRANSITIVE, "bun.lock")]
    assert Scope.RUNTIME in picocolors.scopes and Scope.DEV in picocolors.scopes


def test_first_party_by_identity_and_names_as_spelled() -> None:
    """A registry copy named like a workspace stays third-party; names keep their case."""
    text = """{
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "root", "dependencies": { "@demo/util": "workspace:*", "legacy": "^1.0.0" } },
    "packages/util": { "name": "@demo/util", "version": "2.0.0", "dependencies": { "JSONStream": "^1.3.5" } },
  },
  "packages": {
    "@demo/util": ["@demo/util@workspace:packages/util"],
    "JSONStream": ["JSONStream@1.3.5", "", {}, "sha512-AAAA"],
    "legacy": ["legacy@1.0.0", "", { "dependencies": { "@demo/util": "^1.0.0" } }, "sha512-BBBB"],
    "legacy/@demo/util": ["@demo/util@1.0.0", "", {}, "sha512-CCCC"],
  },
}"""
    result = parse_text(text)
    assert [(p.name, p.version, p.first_party) for p in result.packages] == [
        ("@demo/util", "2.0.0", True),
        ("JSONStream", "1.3.5", False),
        ("legacy", "1.0.0", False),
        ("@demo/util", "1.0.0", False),  # from the registry, nested under legacy: not the workspace
    ]
    assert kind_edges(result) == {
        ("@demo/util", "2.0.0", "JSONStream", "1.3.5", REQUIRED),
        ("legacy", "1.0.0", "@demo/util", "1.0.0", REQUIRED),
    }
    assert result.workspace_members == ["@demo/util", "root"]
