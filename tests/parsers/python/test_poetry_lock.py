"""poetry.lock: categories and groups -> scopes, sources, dependency edges, lines, broken files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from ospo_scan.model import Scope
from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.python.poetry_lock import SPEC, matches, parse_poetry_lock
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


def summary(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], int | None]]:
    """(name, version, scopes, line) of every package, in file order."""
    return [(package.name, package.version, package.scopes, package.line) for package in result.packages]






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
    assert matches(path) is expected
    assert SPEC.matches(path) is expected
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
                ("flask", "1.0.3", "Jinja2", "3.1.2"),  # name as written, resolved case-insensitively
                ("flask", "1.0.3", "click", "8.1.3"),
                ("pytest", "7.4.0", "colorama", "0.4.6"),
            ],
        ),
        (
            "dependency-value-forms.lock",
            [
                ("app-tools", "1.0.0", "six", "1.16.0"),
                ("app-tools", "1.0.0", "typing-extensions", "4.12.2"),
                ("app-tools", "1.0.0", "numpy", "1.24.4"),  # one edge per marker-split constraint
                ("app-tools", "1.0.0", "numpy", "1.26.4"),
                ("app-tools", "1.0.0", "ike", "0.2.0"),  # git dependency: a table without version
                ("app-tools", "1.0.0", "pandas", None),  # two locked, `^2.0` is not PEP 440: no guess
            ],  # argparse is not locked (ruled out by its markers): no edge
        ),
        ("optional-packages-behind-extras.lock", [("redis", "5.2.1", "async-timeout", "5.0.1")]),
    ],
)
def test_dependency_edges(fixture: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    assert edges(parse_fixture(fixture)) == expected


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
    assert edges(result) == [  # asgiref and sqlparse are not locked in this fixture: no edge
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
    assert len(result.edges) == 87
