"""poetry.lock: the flagged scopes kept as a fallback, sources, edges and their kinds, lines, broken files.

The lock records no roots (the manifest's declarations are), so what packages *are* is
tested end to end through ospo_scan.scan.scan over a fixture folder with its
pyproject.toml, and on the corpus against an independent walk (lock_corpus.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from ospo_scan.model import EdgeKind, Scope
from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.python.poetry_lock import SPEC, parse_poetry_lock
from ospo_scan.scan import scan
from tests.parsers.python.lock_corpus import assert_corpus_lockfiles_agree
from tests.parsing import edge_rows as edges, issue_rows as issues, parse_file_with

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "poetry_lock"
RUNTIME, DEV, TEST, OPTIONAL = (frozenset({scope}) for scope in (Scope.RUNTIME, Scope.DEV, Scope.TEST, Scope.OPTIONAL))
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/poetrylock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/poetry/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/python/testdata"


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_poetry_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` (peers' fixtures have other names)."""
    return parse_file_with(parse_poetry_lock, root, relative)


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
        ("poetry.lock", True),
        ("path/to/my/poetry.lock", True),
        ("", False),
        ("path/to/my/poetry.lock/file", False),
        ("path/to/my/poetry.lock.file", False),
        ("path.to.my.poetry.lock", False),
        ("Poetry.lock", False),
        ("pyproject.toml", False),
    ],
)
def test_matches_poetry_lock_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "poetry-lock"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "v1-category-main-and-dev.lock",
            [
                ("flask", "1.0.3", RUNTIME, 1),
                ("jinja2", "3.1.2", RUNTIME, 13),
                ("click", "8.1.3", RUNTIME, 21),
                ("pytest", "7.4.0", DEV, 29),
                ("colorama", "0.4.6", DEV, 40),
            ],
        ),
        (
            "v2-groups-and-per-group-markers.lock",
            [
                ("requests", "2.32.3", RUNTIME, 3),
                ("ruff", "0.6.9", DEV, 14),
                ("pytest", "8.3.3", TEST, 22),
                ("sphinx", "8.0.2", DEV, 30),
                ("colorama", "0.4.6", RUNTIME | DEV | TEST, 38),
                ("tomli", "2.0.2", DEV | TEST, 47),
                ("exceptiongroup", "1.2.2", TEST, 56),
            ],
        ),
        ("v2-0-without-groups.lock", [("certifi", "2024.8.30", RUNTIME, 3), ("redis", "5.0.8", OPTIONAL, 13)]),
        (
            "optional-packages-behind-extras.lock",
            [
                ("redis", "5.2.1", OPTIONAL, 1),
                ("async-timeout", "5.0.1", OPTIONAL | DEV, 13),  # optional in main, plain in dev
                ("six", "1.16.0", RUNTIME, 21),
            ],
        ),
        (
            "header-inside-multiline-description.lock",
            [("tricky", "1.0.0", RUNTIME, 1), ("plain", "2.0.0", RUNTIME, 13)],
        ),
        ("inline-package-array.lock", [("first", "1.0.0", RUNTIME, 2), ("second", "2.0.0", DEV, 4)]),
        ("empty-file.lock", []),
    ],
)
def test_packages_scopes_and_lines(fixture: str, expected: list[tuple[str, str, frozenset[Scope], int]]) -> None:
    result = parse_fixture(fixture)
    assert summary(result) == expected
    assert all(package.direct is None for package in result.packages)  # poetry.lock cannot tell


@pytest.mark.parametrize(
    ("fixture", "name", "markers", "note"),
    [
        ("v2-groups-and-per-group-markers.lock", "colorama", 'platform_system == "Windows"', None),
        ("v2-groups-and-per-group-markers.lock", "tomli", None, None),  # groups disagree: no single marker
        ("v2-groups-and-per-group-markers.lock", "exceptiongroup", 'python_version < "3.11"', None),
        ("optional-packages-behind-extras.lock", "redis", 'extra == "caching"', None),
        ("v2-0-without-groups.lock", "certifi", None, "poetry.lock 2.0 does not record groups; main group assumed"),
    ],
)
def test_markers_and_notes(fixture: str, name: str, markers: str | None, note: str | None) -> None:
    package = next(package for package in parse_fixture(fixture).packages if package.name == name)
    assert (package.markers, package.note) == (markers, note)


def test_sources_git_pinned_local_paths_first_party_registries_noted() -> None:
    result = parse_fixture("sources-git-directory-file-url-legacy.lock")
    assert [(p.name, p.source_url, p.first_party, p.note) for p in result.packages] == [
        ("ike", "git+https://github.com/dzshn/ike@cd66602cd29f61a2d2e7fb995fef1e61708c034d", False, None),
        ("my-lib", "libs/my-lib", True, "local directory"),
        ("vendored", "wheels/vendored-1.0.0-py3-none-any.whl", True, "local file"),
        ("remote", "https://downloads.example/remote-2.0.0.tar.gz", False, None),
        ("appdirs", None, False, "from the legacy package source 'mirror'"),
    ]
    assert result.workspace_members == ["my-lib", "vendored"]
    assert result.issues == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "v1-category-main-and-dev.lock",
            [
                ("flask", "1.0.3", "Jinja2", "3.1.2", REQUIRED),  # name as written, resolved case-insensitively
                ("flask", "1.0.3", "click", "8.1.3", REQUIRED),
                ("pytest", "7.4.0", "colorama", "0.4.6", REQUIRED),
            ],
        ),
        (
            "dependency-value-forms.lock",
            [
                ("app-tools", "1.0.0", "six", "1.16.0", REQUIRED),
                ("app-tools", "1.0.0", "typing-extensions", "4.12.2", REQUIRED),
                ("app-tools", "1.0.0", "numpy", "1.24.4", REQUIRED),  # each marker-split constraint: its version
                ("app-tools", "1.0.0", "numpy", "1.26.4", REQUIRED),
                ("app-tools", "1.0.0", "ike", "0.2.0", REQUIRED),  # git dependency: a table without version
                ("app-tools", "1.0.0", "pandas", "2.1.4", REQUIRED),  # two locked, `^2.0` admits both
                ("app-tools", "1.0.0", "pandas", "2.2.3", REQUIRED),
            ],  # argparse: not locked, and its markers say why (no edge); `broken = 42`: an issue
        ),
        ("optional-packages-behind-extras.lock", [("redis", "5.2.1", "async-timeout", "5.0.1", REQUIRED)]),
        (
            "extras-and-unlocked-dependencies.lock",
            [
                ("requests", "2.32.3", "certifi", "2024.8.30", REQUIRED),
                ("requests", "2.32.3", "charset-normalizer", None, REQUIRED),  # not locked, no marker: unresolved
                ("requests", "2.32.3", "PySocks", "1.7.1", OPTIONAL_EDGE),  # only through the extra socks
                ("requests", "2.32.3", "chardet", None, OPTIONAL_EDGE),  # an extra nobody asked for
                ("requests", "2.32.3", "idna", "3.10", REQUIRED),
                ("requests", "2.32.3", "urllib3", "1.26.20", REQUIRED),  # locked once per Python range,
                ("requests", "2.32.3", "urllib3", "2.2.3", REQUIRED),  # both within >=1.21.1,<3
                ("tool", "1.0.0", "urllib3", "2.2.3", REQUIRED),  # `^2.0` admits only 2.2.3
                ("tool", "1.0.0", "idna", "3.10", REQUIRED),  # alternatives joined by `||`
                ("tool", "1.0.0", "certifi", "2024.8.30", REQUIRED),  # `~2024.8`
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
                (9, "package[1]: missing version"),
                (16, "package[2]: missing name"),
                (23, "package[3].version: expected a string, found int"),
                (31, "package[4].groups: expected a non-empty array of strings"),
            ],
        ),
        (
            "dependency-value-forms.lock",
            [(1, "package[0].dependencies.broken: expected a constraint string, a table or an array of tables")],
        ),
        ("inline-package-array.lock", [(None, "package[1]: expected a table, found str")]),
        (
            "unknown-lock-version.lock",
            [(10, "metadata.lock-version: 3.0 is not a known poetry.lock format; read as 2.x")],
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
        ("numeric-version", None, DEV, "the lock entry has no version"),
        ("also-good", "5.0.0", DEV, None),  # invalid `groups`, so its `category` decides
    ]


def test_invalid_toml_is_a_parse_error_with_its_line() -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("not-toml.lock")
    assert raised.value.line == 4
    assert raised.value.message.startswith("invalid TOML")


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [  # osv-scalibr's dep groups: [] -> runtime, ["optional"] -> optional, ["dev"(, "test")] -> dev/test
        ("empty.lock", []),
        ("empty-file.lock", []),
        ("one-package.lock", [("numpy", "1.23.3", RUNTIME)]),
        ("one-package-with-metadata.lock", [("emoji", "2.0.0", RUNTIME)]),
        ("two-packages.lock", [("proto-plus", "1.22.0", RUNTIME), ("protobuf", "4.21.5", RUNTIME)]),
        ("source-git.lock", [("ike", "0.2.0", RUNTIME)]),
        ("source-legacy.lock", [("appdirs", "1.4.4", RUNTIME)]),
        ("optional-package.lock", [("numpy", "1.23.3", OPTIONAL)]),
        ("names-outside-package-block.lock", [("first-pkg", "1.0.0", RUNTIME), ("second-pkg", "2.0.0", RUNTIME)]),
        (
            "multiple-packages.v2.lock",
            [
                ("async-timeout", "5.0.1", OPTIONAL),
                ("factory-boy", "3.3.1", DEV),
                ("faker", "33.3.0", DEV | TEST),
                ("proto-plus", "1.22.0", RUNTIME),
                ("proto-plus", "1.23.0", RUNTIME),
                ("protobuf", "4.25.5", RUNTIME),
                ("python-dateutil", "2.9.0.post0", DEV | TEST),
                ("redis", "5.2.1", OPTIONAL),
                ("six", "1.17.0", RUNTIME | DEV | TEST),
                ("typing-extensions", "4.12.2", DEV | TEST),
                ("urllib3", "2.3.0", DEV),
            ],
        ),
    ],
)
def test_osv_scalibr_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str, frozenset[Scope]]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert [(package.name, package.version, package.scopes) for package in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_git_source_keeps_the_resolved_commit(corpus: Path) -> None:
    (package,) = parse_path(corpus, f"{SCALIBR}/source-git.lock").packages
    assert package.source_url == "git+https://github.com/dzshn/ike@cd66602cd29f61a2d2e7fb995fef1e61708c034d"


@pytest.mark.corpus
def test_osv_scalibr_not_toml_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError):
        parse_path(corpus, f"{SCALIBR}/not-toml.txt")


TRIVY_FLASK_DEV = {"atomicwrites", "attrs", "more-itertools", "packaging", "py", "pytest", "wcwidth"}
TRIVY_FLASK = {
    ("atomicwrites", "1.4.1"),
    ("attrs", "25.1.0"),
    ("click", "8.1.8"),
    ("colorama", "0.4.6"),
    ("flask", "1.0.3"),
    ("itsdangerous", "2.2.0"),
    ("jinja2", "3.1.5"),
    ("markupsafe", "3.0.2"),
    ("more-itertools", "10.6.0"),
    ("packaging", "24.2"),
    ("pluggy", "0.13.1"),
    ("py", "1.11.0"),
    ("pytest", "5.4.3"),
    ("wcwidth", "0.2.13"),
    ("werkzeug", "3.1.3"),
}
TRIVY_FLASK_DEPENDS_ON = {  # trivy's poetryV2FlaskDeps
    "click@8.1.8": {"colorama@0.4.6"},
    "flask@1.0.3": {"click@8.1.8", "itsdangerous@2.2.0", "jinja2@3.1.5", "werkzeug@3.1.3"},
    "jinja2@3.1.5": {"markupsafe@3.0.2"},
    "pytest@5.4.3": {
        "atomicwrites@1.4.1",
        "attrs@25.1.0",
        "colorama@0.4.6",
        "more-itertools@10.6.0",
        "packaging@24.2",
        "pluggy@0.13.1",
        "py@1.11.0",
        "wcwidth@0.2.13",
    },
    "werkzeug@3.1.3": {"markupsafe@3.0.2"},
}


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["poetry_flask.lock", "poetry_v2_flask.lock"])
def test_trivy_flask_packages_dev_flags_and_dependencies(corpus: Path, fixture: str) -> None:
    result = parse_path(corpus, f"{TRIVY}/{fixture}")
    assert {(package.name, package.version) for package in result.packages} == TRIVY_FLASK
    assert {package.name for package in result.packages if package.scopes == DEV} == TRIVY_FLASK_DEV
    depends_on: dict[str, set[str]] = {}
    for edge in result.edges:
        parent = f"{edge.parent}@{edge.parent_version}"
        depends_on.setdefault(parent, set()).add(f"{canonicalize_name(edge.child)}@{edge.child_version}")
    assert depends_on == TRIVY_FLASK_DEPENDS_ON  # trivy leaves dev targets out of 1.x; the lock states them


@pytest.mark.corpus
def test_trivy_normal(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/poetry_normal.lock")
    assert summary(result) == [("pypi", "2.1", RUNTIME, 3)]


@pytest.mark.corpus
def test_syft_case_sensitivity_resolves_differently_cased_names(corpus: Path) -> None:
    result = parse_path(corpus, f"{SYFT}/poetry/case-sensitivity/poetry.lock")
    assert edges(result) == [
        ("django", "5.2.6", "asgiref", None),  # not locked in this fixture, no marker: unresolved edges
        ("django", "5.2.6", "sqlparse", None),
        ("djangorestframework", "3.16.1", "django", "5.2.6"),
        ("dj-rest-auth", "7.0.1", "Django", "5.2.6"),
        ("dj-rest-auth", "7.0.1", "djangorestframework", "3.16.1"),
    ]


@pytest.mark.corpus
def test_syft_dev_deps_old_format_and_malformed_dependency(corpus: Path) -> None:
    result = parse_path(corpus, f"{SYFT}/poetry/dev-deps/poetry.lock")
    assert summary(result) == [
        ("added-value", "0.14.2", DEV, 1),
        ("alabaster", "0.7.12", DEV, 32),
        ("appnope", "0.1.0", DEV, 40),
        ("asciitree", "0.3.3", DEV, 49),
    ]
    marker = 'python_version >= "3.4" and sys_platform == "darwin" or sys_platform == "darwin"'
    assert result.packages[2].markers == marker  # Poetry 1.0 spelled it `marker`
    assert issues(result) == [
        (1, "package[0].dependencies.malformed: expected a constraint string, a table or an array of tables")
    ]


# --- real-world corpus -------------------------------------------------------------


def corpus_poetry_locks(corpus: Path) -> list[Path]:
    """Every file named poetry.lock in the corpus, plus the peers' poetry fixtures."""
    named = sorted(corpus.rglob("poetry.lock"))
    peers = sorted((corpus / SCALIBR).glob("*.lock")) + sorted((corpus / TRIVY).glob("*.lock"))
    return named + peers


@pytest.mark.corpus
def test_every_corpus_poetry_lock_has_one_package_per_table(corpus: Path) -> None:
    files = corpus_poetry_locks(corpus)
    assert len(files) >= 20
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        tables = tomllib.loads(path.read_text(encoding="utf-8")).get("package", [])
        assert len(result.packages) == len(tables), path
        assert all(package.line is not None for package in result.packages), path
        expected_issues = 1 if path.match("*/dev-deps/poetry.lock") else 0
        assert len(result.issues) == expected_issues, (path, result.issues)


@pytest.mark.corpus
def test_python_poetry_lock_2_1(corpus: Path) -> None:
    result = parse_path(corpus, "python-poetry__poetry/poetry.lock")
    assert len(result.packages) == 78
    by_name = {package.name: package for package in result.packages}
    pinned = "git+https://github.com/python-poetry/poetry-core.git@e3998b0e111dc03e4aa721fd054c48e5c7de6fc5"
    assert by_name["poetry-core"].source_url == pinned
    assert by_name["coverage"].scopes == TEST
    assert by_name["colorama"].scopes == RUNTIME | DEV | TEST  # main, dev, github-actions, test
    assert by_name["colorama"].markers is None  # one marker per group, and they differ
    assert {(canonicalize_name(e.parent), canonicalize_name(e.child)) for e in result.edges} == stated_pairs(
        corpus / "python-poetry__poetry/poetry.lock"
    )
    assert all(e.child_version is not None for e in result.edges)  # a real lock locks what it names


def stated_pairs(path: Path) -> set[tuple[str, str]]:
    """Independently of the parser: (parent, child) of every dependency a lock entry names and the lock locks."""
    tables = tomllib.loads(path.read_text(encoding="utf-8"))["package"]
    locked = {canonicalize_name(table["name"]) for table in tables}
    return {
        (canonicalize_name(table["name"]), canonicalize_name(child))
        for table in tables
        for child in table.get("dependencies", {})
        if canonicalize_name(child) in locked
    }


@pytest.mark.corpus
def test_corpus_poetry_locks_agree_with_an_independent_walk(corpus: Path) -> None:
    """Per lockfile: runtime and development-only packages, the scan against lock_corpus's own walk."""
    assert_corpus_lockfiles_agree(corpus, "poetry.lock")


# --- end to end: ospo_scan.scan.scan -------------------------------------------------


def test_scan_walks_the_lock_from_the_manifests_declarations() -> None:
    """A main dependency, an extra, a dev group: the lock's packages take what reaches them."""
    inventory = scan([FIXTURES / "project-with-extras-and-a-dev-group"])
    usages = sorted(
        (c.name, c.version, u.lifecycle.value, u.optional, u.directness.value)
        for c in inventory.components
        for u in c.usages
        if u.location.path == "poetry.lock"
    )
    assert usages == [
        ("certifi", "2024.8.30", "runtime", False, "transitive"),
        ("colorama", "0.4.6", "development", False, "transitive"),  # only pytest needs it
        ("idna", "3.10", "runtime", False, "transitive"),
        ("iniconfig", "2.0.0", "development", False, "transitive"),
        # requests' extra socks, which the project asks for: one node per package cannot tell that
        # path from one without the extra, so the edge stays optional (a limit of the graph)
        ("pysocks", "1.7.1", "runtime", True, "transitive"),
        ("pytest", "8.3.4", "development", False, "direct"),
        ("redis", "5.2.1", "runtime", True, "direct"),  # the project's extra
        ("requests", "2.32.3", "runtime", False, "direct"),
        ("urllib3", "2.2.3", "runtime", False, "transitive"),
    ]
