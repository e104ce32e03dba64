"""pdm.lock: groups kept as the fallback scopes, extras variants merged, sources, edges and their kinds.

The lock records no roots (the manifest's declarations are), so what packages *are* is
tested end to end through ospo_scan.scan.scan over a fixture folder with its
pyproject.toml, and on the corpus against an independent walk (lock_corpus.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ospo_scan.model import EdgeKind, Scope
from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.python.pdm_lock import SPEC, parse_pdm_lock
from ospo_scan.scan import scan
from tests.parsers.python.lock_corpus import assert_corpus_lockfiles_agree
from tests.parsing import edge_rows as edges, issue_rows as issues, parse_file_with

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "pdm_lock"
RUNTIME, DEV, TEST = (frozenset({scope}) for scope in (Scope.RUNTIME, Scope.DEV, Scope.TEST))
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/pdmlock/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/python/testdata"


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_pdm_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` (peers' fixtures have other names)."""
    return parse_file_with(parse_pdm_lock, root, relative)


REQUIRED, OPTIONAL_EDGE = EdgeKind.REQUIRED, EdgeKind.OPTIONAL
KindedEdge = tuple[str, str | None, str, str | None, EdgeKind]


def summary(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], int | None]]:
    """(name, version, scopes, line) of every package, in file order."""
    return [(package.name, package.version, package.scopes, package.line) for package in result.packages]


def kinded_edges(result: ParseResult) -> list[KindedEdge]:
    """(parent, parent version, child, child version, kind) of every edge, in order."""
    return [(e.parent, e.parent_version, e.child, e.child_version, e.kind) for e in result.edges]




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pdm.lock", True),
        ("path/to/my/pdm.lock", True),
        ("", False),
        ("path/to/my/pdm.lock/file", False),
        ("path/to/my/pdm.lock.file", False),
        ("path.to.my.pdm.lock", False),
        ("pdm.toml", False),
    ],
)
def test_matches_pdm_lock_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "pdm-lock"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "groups-default-dev-test-and-optional.lock",
            [
                ("requests", "2.32.3", RUNTIME | DEV, 13),  # default + security (an extra: DEV, see docstring)
                ("idna", "3.10", RUNTIME | DEV, 23),
                ("ruff", "0.8.1", DEV, 30),
                ("pytest", "8.3.4", TEST, 37),
                ("colorama", "0.4.6", TEST, 47),
                ("cryptography", "43.0.3", DEV, 54),
            ],
        ),
        (
            "extras-variants-of-one-release.lock",
            [
                ("coverage", "7.4.1", DEV, 7),  # two tables, one package
                ("pytest-cov", "4.1.0", DEV, 26),
                ("tomli", "2.0.1", DEV, 36),
                ("httpx", "0.28.1", RUNTIME | DEV, 44),  # the socks variant is only in dev
            ],
        ),
        (
            "older-lock-with-metadata-groups-only.lock",
            [("blinker", "1.6.2", RUNTIME, 4), ("pytest", "7.4.0", RUNTIME, 10)],
        ),
        ("older-lock-default-group-only.lock", [("blinker", "1.6.2", RUNTIME, 1)]),
    ],
)
def test_packages_scopes_and_lines(fixture: str, expected: list[tuple[str, str, frozenset[Scope], int]]) -> None:
    result = parse_fixture(fixture)
    assert summary(result) == expected
    assert all(package.direct is None for package in result.packages)  # pdm.lock cannot tell
    assert result.issues == []


def test_extras_variants_merge_extras_and_keep_the_base_marker() -> None:
    result = parse_fixture("extras-variants-of-one-release.lock")
    assert [(p.name, p.extras, p.markers) for p in result.packages] == [
        ("coverage", ("toml",), None),
        ("pytest-cov", (), None),
        ("tomli", (), 'python_version < "3.11"'),
        ("httpx", ("socks",), 'python_version >= "3.9"'),
    ]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "older-lock-with-metadata-groups-only.lock",
            {
                "blinker": "the lock does not say which of its groups (default, dev) needs it; scope assumed runtime",
                "pytest": "the lock does not say which of its groups (default, dev) needs it; scope assumed runtime",
            },
        ),
        ("older-lock-default-group-only.lock", {}),
        ("git-path-editable-and-url.lock", {"my-lib": "editable local project", "vendored": "local path"}),
    ],
)
def test_notes(fixture: str, expected: dict[str, str]) -> None:
    assert {p.name: p.note for p in parse_fixture(fixture).packages if p.note} == expected


def test_sources_git_pinned_local_paths_first_party() -> None:
    result = parse_fixture("git-path-editable-and-url.lock")
    assert [(p.name, p.version, p.source_url, p.first_party) for p in result.packages] == [
        ("toml", "0.10.2", "git+https://github.com/uiri/toml.git@65bab7582ce14c55cdeec2244c65ea23039c9e6f", False),
        ("my-lib", "0.3.0", "./libs/my-lib", True),
        ("vendored", "1.0.0", "./wheels/vendored-1.0.0-py3-none-any.whl", True),
        ("remote", "2.0.0", "https://downloads.example/remote-2.0.0.tar.gz", False),
    ]
    assert result.workspace_members == ["my-lib", "vendored"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "groups-default-dev-test-and-optional.lock",
            [("requests", "2.32.3", "idna", "3.10", REQUIRED), ("pytest", "8.3.4", "colorama", "0.4.6", REQUIRED)],
        ),
        (
            "extras-variants-of-one-release.lock",
            [  # the variants' `coverage==7.4.1` / `httpx==0.28.1` point at themselves: no edge
                ("coverage", "7.4.1", "tomli", "2.0.1", OPTIONAL_EDGE),  # what the extra toml adds
                ("pytest-cov", "4.1.0", "coverage", "7.4.1", REQUIRED),
            ],
        ),
        (
            "dependency-strings.lock",
            [
                ("app-tools", "1.0.0", "Six", "1.16.0", REQUIRED),  # exact pin, name as written
                ("app-tools", "1.0.0", "numpy", "1.26.4", REQUIRED),  # two locked: each specifier picks its own
                ("app-tools", "1.0.0", "numpy", "1.24.4", REQUIRED),
            ],  # argparse is not locked and its marker says why: no edge
        ),
        (
            "variant-shares-base-dependencies-and-unlocked-children.lock",
            [
                ("app-tools", "1.0.0", "hishel", "1.2.1", REQUIRED),
                ("app-tools", "1.0.0", "ghost", None, REQUIRED),  # not locked, no marker: an unresolved edge
                ("hishel", "1.2.1", "anyio", "4.9.0", REQUIRED),  # the base requires it too: not optional
                ("hishel", "1.2.1", "httpx", "0.28.1", OPTIONAL_EDGE),  # only the httpx variant adds it
            ],
        ),
    ],
)
def test_dependency_edges_and_their_kinds(fixture: str, expected: list[KindedEdge]) -> None:
    assert kinded_edges(parse_fixture(fixture)) == expected


@pytest.mark.parametrize("fixture", sorted(path.name for path in FIXTURES.glob("*.lock") if path.name != "not-toml.lock"))
def test_the_lock_states_the_graph_but_no_roots(fixture: str) -> None:
    result = parse_fixture(fixture)
    assert (result.states_graph, result.roots, result.resolutions) == (True, [], {})
    assert all(str(package.key_path).startswith("package[") for package in result.packages)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "missing-name-and-version.lock",
            [
                (10, "package[1]: missing version"),
                (14, "package[2]: missing name"),
                (18, "package[3].groups: expected a non-empty array of strings"),
                (18, "package[3].dependencies: expected an array of strings"),
            ],
        ),
        (
            "dependency-strings.lock",
            [
                (
                    6,
                    "package[0].dependencies[4]: invalid requirement 'not a requirement!' "
                    "(Expected semicolon (after name with no version specifier) or end)",
                )
            ],
        ),
    ],
)
def test_broken_entries_are_issues_and_the_rest_is_kept(fixture: str, expected: list[tuple[int, str]]) -> None:
    assert issues(parse_fixture(fixture)) == expected


def test_entries_without_a_version_are_kept_with_a_note() -> None:
    result = parse_fixture("missing-name-and-version.lock")
    assert [(p.name, p.version, p.scopes, p.note) for p in result.packages] == [
        ("good", "1.0.0", RUNTIME, None),
        ("versionless", None, RUNTIME, "the lock entry has no version"),
        ("bad-groups", "4.0.0", RUNTIME, None),
    ]


def test_invalid_toml_is_a_parse_error_with_its_line() -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("not-toml.lock")
    assert (raised.value.line, raised.value.message[:12]) == (4, "invalid TOML")


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [  # osv-scalibr maps `dev` to dev and any other non-default group to optional; we say DEV
        ("empty.toml", []),
        ("empty-file.toml", []),
        ("single-package.toml", [("toml", "0.10.2", RUNTIME)]),
        ("two-packages.toml", [("six", "1.16.0", RUNTIME), ("toml", "0.10.2", RUNTIME)]),
        (
            "dev-dependency.toml",
            [("pyroute2", "0.7.11", DEV), ("toml", "0.10.2", RUNTIME), ("win-inet-pton", "1.1.0", DEV)],
        ),
        (
            "optional-dependency.toml",
            [("pyroute2", "0.7.11", DEV), ("toml", "0.10.2", RUNTIME), ("win-inet-pton", "1.1.0", DEV)],
        ),
        ("git-dependency.toml", [("toml", "0.10.2", RUNTIME)]),
        ("names-outside-package-block.toml", [("first-pkg", "1.0.0", RUNTIME), ("second-pkg", "2.0.0", RUNTIME)]),
    ],
)
def test_osv_scalibr_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str, frozenset[Scope]]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert [(package.name, package.version, package.scopes) for package in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_git_commit_and_unreadable_file(corpus: Path) -> None:
    (package,) = parse_path(corpus, f"{SCALIBR}/git-dependency.toml").packages
    assert package.source_url == "git+https://github.com/uiri/toml.git@65bab7582ce14c55cdeec2244c65ea23039c9e6f"
    with pytest.raises(ParseError):
        parse_path(corpus, f"{SCALIBR}/not-toml.txt")


SYFT_PDM_LOCK = [
    ("certifi", "2025.1.31", DEV),
    ("chardet", "3.0.4", RUNTIME),
    ("charset-normalizer", "2.0.12", DEV),
    ("colorama", "0.3.9", TEST),
    ("idna", "2.7", RUNTIME | DEV),
    ("py", "1.4.34", TEST),
    ("pytest", "3.2.5", TEST),
    ("requests", "2.27.1", DEV),
    ("setuptools", "39.2.0", TEST),
    ("urllib3", "1.26.20", DEV),
]
SYFT_PDM_RELATIONSHIPS = {  # syft: "X dependency-of Y", written here as Y -> X
    ("pytest", "colorama"),
    ("pytest", "py"),
    ("pytest", "setuptools"),
    ("requests", "certifi"),
    ("requests", "chardet"),
    ("requests", "charset-normalizer"),
    ("requests", "urllib3"),
    ("requests", "idna"),
}


@pytest.mark.corpus
def test_syft_pdm_lock_packages_and_relationships(corpus: Path) -> None:
    result = parse_path(corpus, f"{SYFT}/pdm-lock/pdm.lock")
    assert [(package.name, package.version, package.scopes) for package in result.packages] == SYFT_PDM_LOCK
    assert {(edge.parent, edge.child) for edge in result.edges} == SYFT_PDM_RELATIONSHIPS


@pytest.mark.corpus
def test_syft_extras_fixtures_give_one_package_per_release(corpus: Path) -> None:
    extras = parse_path(corpus, f"{SYFT}/pdm-lock-extras/pdm.lock")
    assert [p.name for p in extras.packages] == ["coverage", "pytest", "pytest-cov", "tomli", "uvloop"]
    assert next(p for p in extras.packages if p.name == "coverage").extras == ("toml",)
    assert ("pytest-cov", "4.1.0", "coverage", "7.4.1") in edges(extras)
    uvloop = next(p for p in extras.packages if p.name == "uvloop")
    marker = "platform_python_implementation != 'PyPy' and sys_platform != 'win32' and python_version >= \"3.8\""
    assert uvloop.markers == marker  # kept exactly as written
    separate = parse_path(corpus, f"{SYFT}/pdm-lock-separate-files/pdm.lock")
    rfc3986 = [p for p in separate.packages if p.name == "rfc3986"]
    assert [(p.version, p.extras) for p in rfc3986] == [("1.5.0", ("idna2008",))]
    assert ("rfc3986", "1.5.0", "idna", "3.3") in edges(separate)  # from the idna2008 variant


# --- real-world corpus -------------------------------------------------------------


def distinct_releases(path: Path) -> int:
    """Independently of the parser: distinct (name, version) pairs among `[[package]]` tables.

    PDM writes one table per extras combination of a release; those are one package.
    """
    tables = tomllib.loads(path.read_text(encoding="utf-8")).get("package", [])
    return len({(canonicalize_name(table["name"]), table.get("version")) for table in tables})


@pytest.mark.corpus
def test_every_corpus_pdm_lock_has_one_package_per_release(corpus: Path) -> None:
    files = sorted(corpus.rglob("pdm.lock")) + sorted((corpus / SCALIBR).glob("*.toml"))
    assert len(files) >= 12
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        assert len(result.packages) == distinct_releases(path), path
        assert all(package.line is not None for package in result.packages), path
        assert result.issues == [], path


@pytest.mark.corpus
def test_cdxgen_older_pdm_lock(corpus: Path) -> None:
    path = corpus / "CycloneDX__cdxgen/test/data/pdm.lock"
    tables = tomllib.loads(path.read_text(encoding="utf-8"))["package"]
    result = parse_path(corpus, "CycloneDX__cdxgen/test/data/pdm.lock")
    assert (len(tables), len(result.packages)) == (39, 37)  # cachecontrol[filecache], pdm[pytest]
    by_name = {package.name: package for package in result.packages}
    assert (by_name["cachecontrol"].extras, by_name["pdm"].extras) == (("filecache",), ("pytest",))
    assert all(package.scopes == RUNTIME and package.note for package in result.packages)
    assert {(canonicalize_name(e.parent), canonicalize_name(e.child)) for e in result.edges} == stated_pairs(path)


def stated_pairs(path: Path) -> set[tuple[str, str]]:
    """Independently of the parser: (parent, child) of every dependency string naming another locked package."""
    tables = tomllib.loads(path.read_text(encoding="utf-8"))["package"]
    locked = {canonicalize_name(table["name"]) for table in tables}
    pairs = set()
    for table in tables:
        for text in table.get("dependencies", []):
            child = canonicalize_name(Requirement(text).name)
            if child in locked and child != canonicalize_name(table["name"]):
                pairs.add((canonicalize_name(table["name"]), child))
    return pairs


@pytest.mark.corpus
def test_corpus_pdm_locks_agree_with_an_independent_walk(corpus: Path) -> None:
    """Per lockfile: runtime and development-only packages, the scan against lock_corpus's own walk."""
    assert_corpus_lockfiles_agree(corpus, "pdm.lock")


# --- end to end: ospo_scan.scan.scan -------------------------------------------------


def test_scan_walks_the_lock_from_the_manifests_declarations() -> None:
    """A main dependency, an extra, a test group reaching an extras variant."""
    inventory = scan([FIXTURES / "project-with-an-extras-variant-and-a-dev-group"])
    usages = sorted(
        (c.name, c.version, u.lifecycle.value, u.optional, u.directness.value)
        for c in inventory.components
        for u in c.usages
        if u.location.path == "pdm.lock"
    )
    assert usages == [
        ("coverage", "7.4.1", "test", False, "transitive"),
        ("idna", "3.10", "runtime", False, "transitive"),
        ("pysocks", "1.7.1", "runtime", True, "direct"),  # the project's extra socks
        ("pytest-cov", "4.1.0", "test", False, "direct"),
        ("requests", "2.32.3", "runtime", False, "direct"),
        # pytest-cov asks for coverage[toml]; one node per package cannot tell that path from
        # one without the extra, so the variant's edge stays optional (a limit of the graph)
        ("tomli", "2.0.1", "test", True, "transitive"),
    ]
