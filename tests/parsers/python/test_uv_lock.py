"""uv.lock: roots, scope propagation, direct flags, sources, workspaces, edges, broken files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.python.uv_lock import SPEC, matches, parse_uv_lock
from tests.parsing import edge_rows as edges, issue_rows as issues, parse_file_with

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "uv_lock"
RUNTIME, DEV, TEST, OPTIONAL = (frozenset({scope}) for scope in (Scope.RUNTIME, Scope.DEV, Scope.TEST, Scope.OPTIONAL))
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/uvlock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/uv/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/python/testdata"

Row = tuple[str, str | None, frozenset[Scope], bool | None, bool, int | None]


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_uv_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` (peers' fixtures have other names)."""
    return parse_file_with(parse_uv_lock, root, relative)


def summary(result: ParseResult) -> list[Row]:
    """(name, version, scopes, direct, first_party, line) of every package, in file order."""
    return [(p.name, p.version, p.scopes, p.direct, p.first_party, p.line) for p in result.packages]


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
    assert matches(path) is expected
    assert SPEC.matches(path) is expected
    assert SPEC.name == "uv-lock"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            [
                ("app", "0.1.0", RUNTIME, None, True, 5),  # the project itself
                ("httpx", "0.28.1", RUNTIME, True, False, 36),
                ("idna", "3.10", RUNTIME | TEST, False, False, 52),  # via httpx and via pytest
                ("socksio", "1.0.0", RUNTIME, False, False, 57),  # httpx[socks] turns on its extra
                ("brotli", "1.1.0", RUNTIME, None, False, 62),  # httpx[brotli] is never asked for
                ("orjson", "3.10.12", OPTIONAL, True, False, 67),
                ("ruff", "0.8.1", DEV, True, False, 72),  # group "lint"
                ("pytest", "8.3.4", TEST, True, False, 77),  # group "tests"
                ("iniconfig", "2.0.0", TEST, False, False, 86),
            ],
        ),
        (
            "workspace-members-and-local-sources.lock",
            [
                ("core", None, RUNTIME, None, True, 11),  # a member, depended on by the root: still a root
                ("monorepo", "0.1.0", RUNTIME, None, True, 19),
                ("helpers", "0.2.0", RUNTIME, True, True, 28),  # local directory
                ("vendored", "1.0.0", RUNTIME, True, True, 36),  # local wheel
                ("attrs", "24.2.0", RUNTIME, True, False, 41),
                ("six", "1.16.0", RUNTIME, False, False, 46),
            ],
        ),
        (
            "one-name-locked-at-two-versions.lock",
            [
                ("docs-site", "1.0.0", RUNTIME, None, True, 9),
                ("sphinx", "8.1.3", DEV, True, False, 20),
                ("sphinx", "8.2.3", DEV, True, False, 31),
                ("docutils", "0.21.2", DEV, False, False, 43),
            ],
        ),
        (
            "tool-depending-on-the-project.lock",
            [
                ("cli", None, RUNTIME, None, True, 5),  # reached again through reporter: stays the project
                ("rich", "13.9.4", RUNTIME, True, False, 17),  # not made dev through that cycle
                ("reporter", "0.5.0", DEV, True, False, 22),
            ],
        ),
        (
            "package-no-project-reaches.lock",
            [
                ("app", "1.0.0", RUNTIME, None, True, 4),
                ("six", "1.16.0", RUNTIME, True, False, 12),
                ("orphan", "0.1.0", RUNTIME, None, False, 17),
            ],
        ),
        ("no-project-package.lock", [("asyncio", "3.4.3", RUNTIME, None, False, 4)]),
    ],
)
def test_packages_scopes_direct_flags_and_lines(fixture: str, expected: list[Row]) -> None:
    assert summary(parse_fixture(fixture)) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "project-runtime-optional-and-dev-groups.lock",
            {"brotli": "no project package reaches it in the lock; scope assumed runtime"},
        ),
        ("no-project-package.lock", {"asyncio": "the lock names no project package; scope assumed runtime"}),
        ("workspace-members-and-local-sources.lock", {"core": "dynamic version (uv does not lock it)"}),
        ("tool-depending-on-the-project.lock", {"cli": "dynamic version (uv does not lock it)"}),
    ],
)
def test_notes_say_why_a_value_is_a_default(fixture: str, expected: dict[str, str]) -> None:
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
                ("app", "0.1.0", "httpx", "0.28.1"),
                ("app", "0.1.0", "orjson", "3.10.12"),
                ("app", "0.1.0", "ruff", "0.8.1"),
                ("app", "0.1.0", "pytest", "8.3.4"),
                ("httpx", "0.28.1", "idna", "3.10"),
                ("httpx", "0.28.1", "socksio", "1.0.0"),  # optional-dependencies state edges too
                ("httpx", "0.28.1", "brotli", "1.1.0"),
                ("pytest", "8.3.4", "idna", "3.10"),
                ("pytest", "8.3.4", "iniconfig", "2.0.0"),
            ],
        ),
        (
            "one-name-locked-at-two-versions.lock",
            [
                ("docs-site", "1.0.0", "sphinx", "8.1.3"),  # the item's version picks the entry
                ("docs-site", "1.0.0", "sphinx", "8.2.3"),
                ("sphinx", "8.1.3", "docutils", "0.21.2"),
                ("sphinx", "8.2.3", "docutils", "0.21.2"),
            ],
        ),
        (
            "workspace-members-and-local-sources.lock",
            [
                ("core", None, "attrs", "24.2.0"),
                ("core", None, "helpers", "0.2.0"),
                ("monorepo", "0.1.0", "core", None),  # dynamic version
                ("monorepo", "0.1.0", "vendored", "1.0.0"),
                ("helpers", "0.2.0", "six", "1.16.0"),
            ],
        ),
    ],
)
def test_dependency_edges(fixture: str, expected: list[tuple[str, str | None, str, str | None]]) -> None:
    assert edges(parse_fixture(fixture)) == expected


def test_broken_entries_are_issues_and_the_rest_is_kept() -> None:
    result = parse_fixture("broken-entries.lock")
    assert issues(result) == [
        (1, "version: uv.lock format 2 is not known; read as version 1"),
        (20, "package[2]: missing name"),
        (24, "package[3]: missing version"),
        (4, "package[0].dependencies[1]: missing name"),
        (4, "package[0].dependencies[2]: ghost is not locked in this file"),
    ]
    assert summary(result) == [
        ("app", "1.0.0", RUNTIME, None, True, 4),
        ("six", "1.16.0", RUNTIME, True, False, 15),
        ("versionless", None, RUNTIME, True, False, 24),
    ]
    assert edges(result) == [("app", "1.0.0", "six", "1.16.0"), ("app", "1.0.0", "versionless", None)]


@pytest.mark.parametrize(
    ("fixture", "line", "start"),
    [("not-toml.lock", 5, "invalid TOML"), ("package-is-not-an-array.lock", 2, "package: expected an array")],
)
def test_unreadable_files_are_parse_errors(fixture: str, line: int, start: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert (raised.value.line, raised.value.message[: len(start)]) == (line, start)


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
    grouped = {p.name: p for p in parse_path(corpus, f"{SCALIBR}/grouped-packages.lock").packages}
    # osv-scalibr: emoji [] (runtime), click ["cli"], black ["dev", "test"], flake8 ["test"]: all
    # three are extras (optional-dependencies) of the project here, hence OPTIONAL for us.
    assert [(grouped[name].scopes, grouped[name].direct) for name in ("emoji", "click", "black", "flake8")] == [
        (RUNTIME, True),
        (OPTIONAL, True),
        (OPTIONAL, True),
        (OPTIONAL, True),
    ]
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
    assert len(by_name) == 21
    assert (by_name["normal"].first_party, by_name["normal"].direct) == (True, None)  # trivy: the root
    assert {name for name, package in by_name.items() if package.direct} == TRIVY_NORMAL_DIRECT
    assert {name for name, package in by_name.items() if package.direct is False} == set(by_name) - {
        "normal",
        *TRIVY_NORMAL_DIRECT,
    }
    assert {name for name, package in by_name.items() if package.scopes == DEV} == TRIVY_NORMAL_DEV
    assert by_name["exceptiongroup"].scopes == RUNTIME | DEV  # reached from anyio too: not dev-only
    depends_on: dict[str, set[str]] = {}
    for edge in result.edges:
        depends_on.setdefault(f"{edge.parent}@{edge.parent_version}", set()).add(f"{edge.child}@{edge.child_version}")
    assert depends_on == TRIVY_NORMAL_DEPENDS_ON


@pytest.mark.corpus
def test_trivy_lock_without_root_still_lists_its_packages(corpus: Path) -> None:
    # trivy refuses this file ("must contain 1 root package"); we keep what it locks, unscoped.
    result = parse_path(corpus, f"{TRIVY}/uv_without_root.lock")
    assert summary(result) == [("asyncio", "3.4.3", RUNTIME, None, False, 4)]
    assert result.issues == []


@pytest.mark.corpus
def test_trivy_lock_with_two_roots_reads_both(corpus: Path) -> None:
    # trivy refuses this file too; both virtual projects are roots here.
    result = parse_path(corpus, f"{TRIVY}/uv_multiple_roots.lock")
    assert summary(result) == [
        ("asyncio", "3.4.3", RUNTIME, True, False, 4),
        ("foo", "0.1.0", RUNTIME, None, True, 13),
        ("bar", "0.1.0", RUNTIME, None, True, 24),
    ]
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
    direct = {(package.name, package.version) for package in result.packages if package.direct}
    assert direct == named_by_root(tables)
    unreached = [package.name for package in result.packages if package.direct is None and not package.first_party]
    assert unreached == []  # every package a real lock holds is reachable from the project


@pytest.mark.corpus
def test_flask_dependency_groups_become_dev_and_test(corpus: Path) -> None:
    by_name = {package.name: package for package in parse_path(corpus, "pallets__flask/uv.lock").packages}
    assert (by_name["werkzeug"].scopes, by_name["werkzeug"].direct) == (RUNTIME, True)
    assert (by_name["greenlet"].scopes, by_name["greenlet"].direct) == (TEST, True)  # group "tests"
    assert (by_name["ruff"].scopes, by_name["ruff"].direct) == (DEV, True)  # group "dev"
    assert by_name["asgiref"].scopes == DEV | TEST | OPTIONAL  # extra "async", groups "tests", "typing"
    packages = parse_path(corpus, "pallets__flask/uv.lock").packages
    assert [(p.version, p.scopes, p.direct) for p in packages if p.name == "sphinx"] == [
        ("8.1.3", DEV, True),  # locked twice, one per Python range; the groups name both by version
        ("8.2.3", DEV, True),
    ]
