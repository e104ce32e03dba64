"""uv.lock: importers' sections as roots, edges and their kinds, sources, workspaces, broken files.

What the packages *are* (runtime, dev, optional, direct) follows from the roots and the
edges through the one graph walk: parser-level tests ask it through tests/parsers/python/
lock_walk.py, end-to-end tests through ospo_scan.scan.scan, and the corpus test compares
the scan with an independent walk (tests/parsers/python/lock_corpus.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.model import Directness, EdgeKind, Lifecycle, Scope
from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.python.uv_lock import SPEC, parse_uv_lock
from ospo_scan.scan import scan
from tests.parsers.python.lock_corpus import assert_corpus_lockfiles_agree
from tests.parsers.python.lock_walk import (
    DEV,
    DIRECT,
    DIRECT_DEV,
    DIRECT_OPTIONAL,
    DIRECT_TEST,
    OPTIONAL,
    RUNTIME,
    TEST,
    Conclusion,
    conclusions,
)
from tests.parsing import issue_rows as issues, parse_file_with

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "uv_lock"
UNREADABLE = {"not-toml.lock", "package-is-not-an-array.lock"}
RUNTIME_SCOPE, DEV_SCOPE, TEST_SCOPE, OPTIONAL_SCOPE = (
    frozenset({scope}) for scope in (Scope.RUNTIME, Scope.DEV, Scope.TEST, Scope.OPTIONAL)
)
REQUIRED, OPTIONAL_EDGE, DEVELOPMENT = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.DEVELOPMENT
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/uvlock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/uv/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/python/testdata"

RootRow = tuple[str, str, str | None, frozenset[Scope], str | None, str | None]
KindedEdge = tuple[str, str | None, str, str | None, EdgeKind]


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_uv_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` (peers' fixtures have other names)."""
    return parse_file_with(parse_uv_lock, root, relative)


def root_rows(result: ParseResult) -> list[RootRow]:
    """(importer, name, version, scopes, group, requirement) of every root, in order."""
    return [(r.importer, r.name, r.version, r.scopes, r.group, r.requirement) for r in result.roots]


def kinded_edges(result: ParseResult) -> list[KindedEdge]:
    """(parent, parent version, child, child version, kind) of every edge, in order."""
    return [(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges]


def notes(result: ParseResult) -> dict[str, str]:
    return {package.name: package.note for package in result.packages if package.note}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("uv.lock", True),
        ("path/to/my/uv.lock", True),
        ("", False),
        ("path/to/my/uv.lock/file", False),
        ("path/to/my/uv.lock.file", False),
        ("path.to.my.uv.lock", False),
        ("UV.lock", False),
    ],
)
def test_matches_uv_lock_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "uv-lock"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            [
                ("app", "0.1.0", True, 5),  # the project itself
                ("httpx", "0.28.1", False, 36),
                ("idna", "3.10", False, 52),
                ("socksio", "1.0.0", False, 57),
                ("brotli", "1.1.0", False, 62),
                ("orjson", "3.10.12", False, 67),
                ("ruff", "0.8.1", False, 72),
                ("pytest", "8.3.4", False, 77),
                ("iniconfig", "2.0.0", False, 86),
            ],
        ),
        (
            "workspace-members-and-local-sources.lock",
            [
                ("core", None, True, 11),  # a member with a dynamic version
                ("monorepo", "0.1.0", True, 19),
                ("helpers", "0.2.0", True, 28),  # local directory
                ("vendored", "1.0.0", True, 36),  # local wheel
                ("attrs", "24.2.0", False, 41),
                ("six", "1.16.0", False, 46),
            ],
        ),
        ("no-project-package.lock", [("asyncio", "3.4.3", False, 4)]),
    ],
)
def test_packages_first_party_and_lines(fixture: str, expected: list[tuple[str, str | None, bool, int]]) -> None:
    result = parse_fixture(fixture)
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == expected
    assert [p.key_path for p in result.packages] == [f"package[{index}]" for index in range(len(expected))]


@pytest.mark.parametrize("fixture", sorted(path.name for path in FIXTURES.glob("*.lock") if path.name not in UNREADABLE))
def test_the_lock_states_the_graph_and_flags_no_scope(fixture: str) -> None:
    result = parse_fixture(fixture)
    assert result.states_graph is True
    assert {(package.scopes, package.direct) for package in result.packages} <= {(RUNTIME_SCOPE, None)}
    assert result.resolutions == {}  # the roots carry the versions


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            [
                (".", "httpx", "0.28.1", RUNTIME_SCOPE, None, ">=0.28"),  # specifier from [package.metadata]
                (".", "orjson", "3.10.12", RUNTIME_SCOPE | OPTIONAL_SCOPE, "json", None),  # an extra
                (".", "ruff", "0.8.1", DEV_SCOPE, "lint", None),  # a PEP 735 group
                (".", "pytest", "8.3.4", TEST_SCOPE, "tests", None),  # named like tests, as pyproject reads it
            ],
        ),
        (
            "workspace-members-and-local-sources.lock",
            [
                ("packages/core", "attrs", "24.2.0", RUNTIME_SCOPE, None, None),  # a member's folder
                ("packages/core", "helpers", "0.2.0", RUNTIME_SCOPE, None, None),
                (".", "core", None, RUNTIME_SCOPE, None, None),
                (".", "vendored", "1.0.0", RUNTIME_SCOPE, None, None),
            ],  # helpers (a local directory dependency) is first-party, not an importer
        ),
        (
            "one-name-locked-at-two-versions.lock",
            [(".", "sphinx", "8.1.3", DEV_SCOPE, "docs", None), (".", "sphinx", "8.2.3", DEV_SCOPE, "docs", None)],
        ),
        (
            "tool-depending-on-the-project.lock",
            [(".", "rich", "13.9.4", RUNTIME_SCOPE, None, None), (".", "reporter", "0.5.0", DEV_SCOPE, "dev", None)],
        ),
        (
            "extra-asked-by-some-dependents-only.lock",
            [
                (".", "httpx", "0.28.1", RUNTIME_SCOPE, None, ">=0.28"),
                (".", "rich", "13.9.4", RUNTIME_SCOPE, None, "~=13.9"),
                (".", "crawler", "2.0.0", DEV_SCOPE, "dev", "==2.0.0"),
            ],
        ),
        ("no-project-package.lock", []),  # no project recorded: the manifest's declarations are the roots
    ],
)
def test_roots_are_the_importers_sections(fixture: str, expected: list[RootRow]) -> None:
    assert root_rows(parse_fixture(fixture)) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            {
                ("httpx", "0.28.1"): DIRECT,
                ("idna", "3.10"): RUNTIME,  # via httpx, and via pytest (test): runtime wins
                ("socksio", "1.0.0"): RUNTIME,  # every dependent of httpx asks for [socks]: required
                ("brotli", "1.1.0"): OPTIONAL,  # httpx[brotli] is never asked for
                ("orjson", "3.10.12"): DIRECT_OPTIONAL,
                ("ruff", "0.8.1"): DIRECT_DEV,
                ("pytest", "8.3.4"): DIRECT_TEST,
                ("iniconfig", "2.0.0"): TEST,
            },
        ),
        (
            "extra-asked-by-some-dependents-only.lock",
            {
                ("httpx", "0.28.1"): DIRECT,
                ("rich", "13.9.4"): DIRECT,
                ("crawler", "2.0.0"): DIRECT_DEV,
                # app asks for httpx[socks], crawler for plain httpx: the edge stays optional, as one
                # node per package cannot tell the two paths apart (a limit of the graph, not the lock)
                ("socksio", "1.0.0"): OPTIONAL,
                ("markdown-it-py", "3.0.0"): RUNTIME,
                ("mdit-py-plugins", "0.4.2"): RUNTIME,  # rich, the only dependent, asks for [plugins]
            },
        ),
        (
            "one-name-locked-at-two-versions.lock",
            {("sphinx", "8.1.3"): DIRECT_DEV, ("sphinx", "8.2.3"): DIRECT_DEV, ("docutils", "0.21.2"): DEV},
        ),
        (
            "tool-depending-on-the-project.lock",
            {("rich", "13.9.4"): DIRECT, ("reporter", "0.5.0"): DIRECT_DEV, ("cli", None): DEV},
        ),  # rich stays runtime although the dev tool leads back to the project
        (
            "workspace-members-and-local-sources.lock",
            {
                ("attrs", "24.2.0"): DIRECT,
                ("helpers", "0.2.0"): DIRECT,
                ("core", None): DIRECT,
                ("vendored", "1.0.0"): DIRECT,
                ("six", "1.16.0"): RUNTIME,
            },
        ),
        ("package-no-project-reaches.lock", {("six", "1.16.0"): DIRECT}),  # orphan: unreached
    ],
)
def test_the_graph_walk_over_the_roots_and_edges(fixture: str, expected: dict[tuple[str, str | None], Conclusion]) -> None:
    assert conclusions(parse_fixture(fixture)) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("workspace-members-and-local-sources.lock", {"core": "dynamic version (uv does not lock it)"}),
        ("tool-depending-on-the-project.lock", {"cli": "dynamic version (uv does not lock it)"}),
        ("project-runtime-optional-and-dev-groups.lock", {}),
    ],
)
def test_notes_say_why_a_version_is_missing(fixture: str, expected: dict[str, str]) -> None:
    assert notes(parse_fixture(fixture)) == expected


@pytest.mark.parametrize(
    ("fixture", "members"),
    [
        ("project-runtime-optional-and-dev-groups.lock", ["app"]),
        ("workspace-members-and-local-sources.lock", ["core", "helpers", "monorepo", "vendored"]),
        ("no-project-package.lock", []),
    ],
)
def test_workspace_members_are_the_projects_own_packages(fixture: str, members: list[str]) -> None:
    assert parse_fixture(fixture).workspace_members == members


@pytest.mark.parametrize(
    ("fixture", "paths"),
    [
        ("workspace-members-and-local-sources.lock", ["packages/core"]),  # not ".", not libs/ (a dependency)
        ("project-runtime-optional-and-dev-groups.lock", []),
        ("no-project-package.lock", []),
    ],
)
def test_workspace_paths_are_the_member_folders_this_lock_covers(fixture: str, paths: list[str]) -> None:
    assert parse_fixture(fixture).workspace_paths == paths


def test_sources_git_pinned_to_the_commit_url_and_local_paths() -> None:
    result = parse_fixture("git-and-url-sources.lock")
    assert [(p.name, p.source_url, p.first_party) for p in result.packages] == [
        ("tool", ".", True),
        ("ruff", "git+https://github.com/astral-sh/ruff@84748be16341b76e073d117329f7f5f4ee2941ad", False),
        (
            "plugin",
            "git+https://github.com/example/monorepo@0123456789abcdef0123456789abcdef01234567#subdirectory=plugin",
            False,
        ),
        ("remote", "https://downloads.example/remote-3.0.0.tar.gz", False),
    ]
    local = parse_fixture("workspace-members-and-local-sources.lock")
    assert [p.source_url for p in local.packages][:4] == [
        "packages/core",
        ".",
        "libs/helpers",
        "wheels/vendored-1.0.0-py3-none-any.whl",
    ]


def test_resolution_markers_of_a_forked_package() -> None:
    result = parse_fixture("one-name-locked-at-two-versions.lock")
    assert [package.markers for package in result.packages] == [
        None,
        "python_full_version < '3.11'",
        "(python_full_version >= '3.12') or (python_full_version == '3.11.*')",
        None,
    ]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            [
                ("app", "0.1.0", "httpx", "0.28.1", REQUIRED),
                ("app", "0.1.0", "orjson", "3.10.12", OPTIONAL_EDGE),  # an extra of the project
                ("app", "0.1.0", "ruff", "0.8.1", DEVELOPMENT),  # a dev group
                ("app", "0.1.0", "pytest", "8.3.4", DEVELOPMENT),
                ("httpx", "0.28.1", "idna", "3.10", REQUIRED),
                ("httpx", "0.28.1", "socksio", "1.0.0", REQUIRED),  # extra socks: every dependent asks for it
                ("httpx", "0.28.1", "brotli", "1.1.0", OPTIONAL_EDGE),  # extra brotli: none does
                ("pytest", "8.3.4", "idna", "3.10", REQUIRED),
                ("pytest", "8.3.4", "iniconfig", "2.0.0", REQUIRED),
            ],
        ),
        (
            "one-name-locked-at-two-versions.lock",
            [
                ("docs-site", "1.0.0", "sphinx", "8.1.3", DEVELOPMENT),  # the item's version picks the entry
                ("docs-site", "1.0.0", "sphinx", "8.2.3", DEVELOPMENT),
                ("sphinx", "8.1.3", "docutils", "0.21.2", REQUIRED),
                ("sphinx", "8.2.3", "docutils", "0.21.2", REQUIRED),
            ],
        ),
        (
            "workspace-members-and-local-sources.lock",
            [
                ("core", None, "attrs", "24.2.0", REQUIRED),
                ("core", None, "helpers", "0.2.0", REQUIRED),
                ("monorepo", "0.1.0", "core", None, REQUIRED),  # dynamic version
                ("monorepo", "0.1.0", "vendored", "1.0.0", REQUIRED),
                ("helpers", "0.2.0", "six", "1.16.0", REQUIRED),
            ],
        ),
        (
            "extra-asked-by-some-dependents-only.lock",
            [
                ("app", "0.1.0", "httpx", "0.28.1", REQUIRED),
                ("app", "0.1.0", "rich", "13.9.4", REQUIRED),
                ("app", "0.1.0", "crawler", "2.0.0", DEVELOPMENT),
                ("httpx", "0.28.1", "socksio", "1.0.0", OPTIONAL_EDGE),  # crawler names httpx without [socks]
                ("rich", "13.9.4", "markdown-it-py", "3.0.0", REQUIRED),
                ("markdown-it-py", "3.0.0", "mdit-py-plugins", "0.4.2", REQUIRED),
                ("crawler", "2.0.0", "httpx", "0.28.1", REQUIRED),
            ],
        ),
    ],
)
def test_dependency_edges_and_their_kinds(fixture: str, expected: list[KindedEdge]) -> None:
    assert kinded_edges(parse_fixture(fixture)) == expected


def test_broken_entries_are_issues_and_the_rest_is_kept() -> None:
    result = parse_fixture("broken-entries.lock")
    assert issues(result) == [
        (1, "version: uv.lock format 2 is not known; read as version 1"),
        (20, "package[2]: missing name"),
        (24, "package[3]: missing version"),
        (4, "package[0].dependencies[1]: missing name"),
    ]
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == [
        ("app", "1.0.0", True, 4),
        ("six", "1.16.0", False, 15),
        ("versionless", None, False, 24),
    ]
    assert kinded_edges(result) == [
        ("app", "1.0.0", "six", "1.16.0", REQUIRED),
        ("app", "1.0.0", "ghost", None, REQUIRED),  # not locked: still an edge, which resolve reports
        ("app", "1.0.0", "versionless", None, REQUIRED),  # locked without a version
    ]


@pytest.mark.parametrize(
    ("fixture", "line", "start"),
    [("not-toml.lock", 5, "invalid TOML"), ("package-is-not-an-array.lock", 2, "package: expected an array")],
)
def test_unreadable_files_are_parse_errors(fixture: str, line: int, start: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert (raised.value.line, raised.value.message[: len(start)]) == (line, start)


# --- end to end: ospo_scan.scan.scan -------------------------------------------------


Usage = tuple[str, str | None, str, bool, str]
"""(name, version, lifecycle, optional, directness) of one usage."""


def scanned(tmp_path: Path, lock_text: str, **files: str) -> list[Usage]:
    """Scan a folder holding `lock_text` as uv.lock (and `files`); the usages of third-party packages."""
    (tmp_path / "uv.lock").write_text(lock_text, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name.replace("__", "/")).write_text(text, encoding="utf-8")
    inventory = scan([tmp_path])
    return sorted(
        (c.name, c.version, u.lifecycle.value, u.optional, u.directness.value)
        for c in inventory.components
        if not c.first_party
        for u in c.usages
        if u.location.path == "uv.lock"
    )


def test_scan_gives_each_lock_entry_the_lifecycle_the_roots_reach_it_with(tmp_path: Path) -> None:
    lock = (FIXTURES / "project-runtime-optional-and-dev-groups.lock").read_text(encoding="utf-8")
    assert scanned(tmp_path, lock) == [
        ("brotli", "1.1.0", "runtime", True, "transitive"),
        ("httpx", "0.28.1", "runtime", False, "direct"),
        ("idna", "3.10", "runtime", False, "transitive"),
        ("iniconfig", "2.0.0", "test", False, "transitive"),
        ("orjson", "3.10.12", "runtime", True, "direct"),
        ("pytest", "8.3.4", "test", False, "direct"),
        ("ruff", "0.8.1", "development", False, "direct"),
        ("socksio", "1.0.0", "runtime", False, "transitive"),
    ]


def test_scan_keeps_an_unreached_entry_with_a_note(tmp_path: Path) -> None:
    lock = (FIXTURES / "package-no-project-reaches.lock").read_text(encoding="utf-8")
    (tmp_path / "uv.lock").write_text(lock, encoding="utf-8")
    inventory = scan([tmp_path])
    orphan = next(c for c in inventory.components if c.name == "orphan")
    assert [(u.lifecycle, u.directness) for u in orphan.usages] == [(Lifecycle.RUNTIME, Directness.UNKNOWN)]
    assert orphan.notes  # why its lifecycle is only a default


def test_scan_reports_an_edge_to_a_package_the_lock_does_not_lock(tmp_path: Path) -> None:
    lock = (FIXTURES / "broken-entries.lock").read_text(encoding="utf-8")
    (tmp_path / "uv.lock").write_text(lock, encoding="utf-8")
    inventory = scan([tmp_path])
    assert [(i.code, "ghost" in i.message) for i in inventory.issues if i.code == "edge-unresolved"] == [
        ("edge-unresolved", True)
    ]


def test_scan_walks_a_workspace_member_from_its_own_folder(tmp_path: Path) -> None:
    lock = (FIXTURES / "workspace-members-and-local-sources.lock").read_text(encoding="utf-8")
    member = '[project]\nname = "core"\ndynamic = ["version"]\ndependencies = ["attrs", "helpers"]\n'
    root = '[project]\nname = "monorepo"\nversion = "0.1.0"\ndependencies = ["core", "vendored"]\n'
    (tmp_path / "uv.lock").write_text(lock, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(root, encoding="utf-8")
    (tmp_path / "packages" / "core").mkdir(parents=True)
    (tmp_path / "packages" / "core" / "pyproject.toml").write_text(member, encoding="utf-8")
    inventory = scan([tmp_path])
    projects = {p.id: p.path for p in inventory.projects}
    usages = {
        (c.name, projects[u.project], u.directness.value)
        for c in inventory.components
        for u in c.usages
        if u.location.path == "uv.lock" and not c.first_party
    }
    assert usages == {
        ("attrs", "packages/core", "direct"),  # the member's own dependency
        ("attrs", ".", "transitive"),  # and the root's, through core
        ("six", "packages/core", "transitive"),
        ("six", ".", "transitive"),
    }


# --- peers' fixtures -------------------------------------------------------------


def third_party(result: ParseResult) -> list[tuple[str, str | None]]:
    """(name, version) of the packages that are not the project's own, as peers list them."""
    return [(p.name, p.version) for p in result.packages if not p.first_party]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("empty.lock", []),
        ("no-packages.lock", []),
        ("no-dependencies.lock", []),
        ("one-package.lock", [("emoji", "2.14.0")]),
        ("two-packages.lock", [("emoji", "2.14.0"), ("protobuf", "4.25.5")]),
        ("source-git.lock", [("ruff", "0.8.1")]),
        ("names-outside-package-block.lock", [("first-pkg", "1.0.0"), ("second-pkg", "2.0.0")]),
        (
            "grouped-packages.lock",
            [
                ("black", "24.10.0"),
                ("click", "8.1.7"),
                ("colorama", "0.4.6"),
                ("emoji", "2.14.0"),
                ("flake8", "7.1.1"),
                ("mccabe", "0.7.0"),
                ("mypy-extensions", "1.0.0"),
                ("packaging", "24.2"),
                ("pathspec", "0.12.1"),
                ("platformdirs", "4.3.6"),
                ("pycodestyle", "2.12.1"),
                ("pyflakes", "3.2.0"),
                ("tomli", "2.2.1"),
                ("typing-extensions", "4.12.2"),
            ],
        ),
    ],
)
def test_osv_scalibr_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert third_party(result) == expected  # osv-scalibr leaves the virtual project out
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_groups_and_git_commit(corpus: Path) -> None:
    grouped = parse_path(corpus, f"{SCALIBR}/grouped-packages.lock")
    # osv-scalibr: emoji [] (runtime), click ["cli"], black ["dev", "test"], flake8 ["test"]: all
    # three are extras (optional-dependencies) of the project here, hence optional for us.
    found = {name: conclusion for (name, _), conclusion in conclusions(grouped).items()}
    assert [found[name] for name in ("emoji", "click", "black", "flake8")] == [
        DIRECT,
        DIRECT_OPTIONAL,
        DIRECT_OPTIONAL,
        DIRECT_OPTIONAL,
    ]
    assert {(r.name, r.group) for r in grouped.roots if r.group} >= {("click", "cli"), ("black", "dev"), ("flake8", "test")}
    (ruff, _project) = parse_path(corpus, f"{SCALIBR}/source-git.lock").packages
    assert ruff.source_url == "git+https://github.com/astral-sh/ruff@84748be16341b76e073d117329f7f5f4ee2941ad"


@pytest.mark.corpus
def test_osv_scalibr_not_toml_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError):
        parse_path(corpus, f"{SCALIBR}/not-toml.txt")


TRIVY_NORMAL_DEV = {"colorama", "iniconfig", "packaging", "pluggy", "pytest", "tomli"}
TRIVY_NORMAL_DIRECT = {"httpx", "orjson", "pytest", "requests"}
TRIVY_NORMAL_DEPENDS_ON = {
    "anyio@4.7.0": {"exceptiongroup@1.2.2", "idna@3.10", "sniffio@1.3.1", "typing-extensions@4.12.2"},
    "httpcore@1.0.7": {"certifi@2024.12.14", "h11@0.14.0"},
    "httpx@0.28.1": {"anyio@4.7.0", "certifi@2024.12.14", "httpcore@1.0.7", "idna@3.10", "socksio@1.0.0"},
    "normal@0.1.0": {"httpx@0.28.1", "orjson@3.10.12", "pytest@8.3.4", "requests@2.32.0"},
    "pytest@8.3.4": {
        "colorama@0.4.6",
        "exceptiongroup@1.2.2",
        "iniconfig@2.0.0",
        "packaging@24.2",
        "pluggy@1.5.0",
        "tomli@2.2.1",
    },
    "requests@2.32.0": {"certifi@2024.12.14", "charset-normalizer@3.4.0", "idna@3.10", "urllib3@2.2.3"},
}


@pytest.mark.corpus
def test_trivy_normal_relationships_dev_flags_and_dependencies(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/uv_normal.lock")
    by_name = {package.name: package for package in result.packages}
    assert len(by_name) == len(tomllib.loads((corpus / TRIVY / "uv_normal.lock").read_text(encoding="utf-8"))["package"])
    assert by_name["normal"].first_party  # trivy: the root
    found = {name: conclusion for (name, _), conclusion in conclusions(result).items()}
    assert {name for name, c in found.items() if c[2] is Directness.DIRECT} == TRIVY_NORMAL_DIRECT
    assert set(found) == set(by_name) - {"normal"}  # the root reaches every other package
    assert {name for name, c in found.items() if c[0] is not Lifecycle.RUNTIME} == TRIVY_NORMAL_DEV
    assert found["exceptiongroup"][0] is Lifecycle.RUNTIME  # reached from anyio too: not dev-only
    depends_on: dict[str, set[str]] = {}
    for edge in result.edges:
        depends_on.setdefault(f"{edge.parent}@{edge.parent_version}", set()).add(f"{edge.child}@{edge.child_version}")
    assert depends_on == TRIVY_NORMAL_DEPENDS_ON


@pytest.mark.corpus
def test_trivy_lock_without_root_still_lists_its_packages(corpus: Path) -> None:
    # trivy refuses this file ("must contain 1 root package"); we keep what it locks, with no roots.
    result = parse_path(corpus, f"{TRIVY}/uv_without_root.lock")
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == [("asyncio", "3.4.3", False, 4)]
    assert (result.roots, result.issues) == ([], [])


@pytest.mark.corpus
def test_trivy_lock_with_two_roots_reads_both(corpus: Path) -> None:
    # trivy refuses this file too; both virtual projects are importers here.
    result = parse_path(corpus, f"{TRIVY}/uv_multiple_roots.lock")
    assert [(p.name, p.version, p.first_party, p.line) for p in result.packages] == [
        ("asyncio", "3.4.3", False, 4),
        ("foo", "0.1.0", True, 13),
        ("bar", "0.1.0", True, 24),
    ]
    assert {(r.importer, r.name) for r in result.roots} == {(".", "asyncio")}
    assert result.workspace_members == ["bar", "foo"]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "fixture", ["simple-deps", "multiple-extras", "nested-extras", "conflicting-with-extras"]
)
def test_syft_fixtures_list_every_locked_package_but_the_project(corpus: Path, fixture: str) -> None:
    path = corpus / SYFT / "uv" / fixture / "uv.lock"
    tables = tomllib.loads(path.read_text(encoding="utf-8"))["package"]
    virtual = [table["name"] for table in tables if "virtual" in table.get("source", {})]
    expected = [(table["name"], table["version"]) for table in tables if "virtual" not in table.get("source", {})]
    result = parse_path(corpus, path.relative_to(corpus).as_posix())
    assert third_party(result) == expected
    assert result.workspace_members == virtual
    assert result.issues == []


# --- real-world corpus -------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_uv_lock_has_one_package_per_table(corpus: Path) -> None:
    files = sorted(corpus.rglob("uv.lock")) + sorted((corpus / SCALIBR).glob("*.lock"))
    files += sorted((corpus / TRIVY).glob("*.lock"))
    assert len(files) >= 20
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        tables = tomllib.loads(path.read_text(encoding="utf-8")).get("package", [])
        assert len(result.packages) == len(tables), path
        assert all(package.line is not None for package in result.packages), path
        assert result.issues == [], path


def named_by_root(tables: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    """Independently of the parser: (name, version) of what the project's own entry names."""
    (root,) = [table for table in tables if {"editable", "virtual"} & set(table.get("source", {}))]
    sections = [root.get("dependencies", [])]
    for key in ("optional-dependencies", "dev-dependencies"):
        sections.extend(root.get(key, {}).values())
    locked: dict[str, list[str]] = {}
    for table in tables:
        locked.setdefault(table["name"], []).append(table.get("version"))
    return {(item["name"], item.get("version") or locked[item["name"]][0]) for section in sections for item in section}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("relative", "root"),
    [
        ("pallets__flask/uv.lock", "flask"),
        ("fastapi__typer/uv.lock", "typer"),
        ("CycloneDX__cdxgen/uv.lock", "cdxgen"),
        ("CycloneDX__cdxgen/test/data/uv.lock", "appthreat-vulnerability-db"),
    ],
)
def test_real_uv_locks_root_names_the_direct_packages_and_reaches_all(
    corpus: Path, relative: str, root: str
) -> None:
    tables = tomllib.loads((corpus / relative).read_text(encoding="utf-8"))["package"]
    result = parse_path(corpus, relative)
    assert [package.name for package in result.packages if package.first_party] == [root]
    assert result.workspace_members == [root]
    assert {(r.name, r.version) for r in result.roots} == named_by_root(tables)
    reached = conclusions(result)
    unreached = [p.name for p in result.packages if (p.name, p.version) not in reached and not p.first_party]
    assert unreached == []  # every package a real lock holds is reachable from the project


@pytest.mark.corpus
def test_flask_dependency_groups_become_dev_and_test(corpus: Path) -> None:
    result = parse_path(corpus, "pallets__flask/uv.lock")
    found = conclusions(result)
    by_name = {name: conclusion for (name, _), conclusion in found.items()}
    assert by_name["werkzeug"] == DIRECT
    assert by_name["greenlet"] == DIRECT_TEST  # group "tests"
    assert by_name["ruff"] == DIRECT_DEV  # group "dev"
    assert by_name["asgiref"] == DIRECT_OPTIONAL  # extra "async", groups "tests", "typing": runtime wins
    assert {(r.group, r.scopes) for r in result.roots if r.name == "asgiref"} == {
        ("async", RUNTIME_SCOPE | OPTIONAL_SCOPE),
        ("tests", TEST_SCOPE),
        ("typing", DEV_SCOPE),
    }
    assert sorted((v, c) for (name, v), c in found.items() if name == "sphinx") == [
        ("8.1.3", DIRECT_DEV),  # locked twice, one per Python range; the groups name both by version
        ("8.2.3", DIRECT_DEV),
    ]


@pytest.mark.corpus
def test_corpus_uv_locks_agree_with_an_independent_walk(corpus: Path) -> None:
    """Per lockfile: runtime and development-only packages, the scan against lock_corpus's own walk."""
    assert_corpus_lockfiles_agree(corpus, "uv.lock")
