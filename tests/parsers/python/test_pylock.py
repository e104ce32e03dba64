"""pylock.toml (PEP 751): packages, marker-derived scopes, sources, edges, lines, broken files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredEdge, DeclaredPackage, ParseError, ParseResult
from ospo_scan.parsers.python.lock_markers import MarkerSyntaxError, marker_scopes
from ospo_scan.parsers.python.pylock import SPEC, matches, parse_pylock
from tests.parsing import issue_rows as issues, parse_file_with

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "pylock"
RUNTIME, DEV, OPTIONAL = frozenset({Scope.RUNTIME}), frozenset({Scope.DEV}), frozenset({Scope.OPTIONAL})
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/pylock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/pylock/testdata"
PIP_AUDIT = "pypa__pip-audit/test/assets"
DELIBERATELY_BROKEN = {f"{PIP_AUDIT}/pylock.invalid.toml"}
"""Corpus files named like lockfiles whose owners test them as unreadable TOML."""


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_pylock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` directly (peers' fixtures have other names)."""
    return parse_file_with(parse_pylock, root, relative)


def summary(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], int | None]]:
    """(name, version, scopes, line) of every package, in file order."""
    return [(package.name, package.version, package.scopes, package.line) for package in result.packages]




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pylock.toml", True),
        ("pylock.spam.toml", True),
        ("path/to/my/pylock.beans.toml", True),
        ("mypylock.toml", False),
        ("PYLOCK.spam.toml", False),
        ("pylock..toml", False),
        ("pylock.a.b.toml", False),
        ("path/to/my/pylock.toml/file", False),
        ("path/to/my/pylock.toml.file", False),
        ("path.to.my.pylock.toml", False),
        ("poetry.lock", False),
    ],
)
def test_matches_pep_751_names(path: str, expected: bool) -> None:
    assert matches(path) is expected
    assert SPEC.matches(path) is expected
    assert SPEC.name == "pylock"


def test_registry_packages_with_dependency_edges() -> None:
    result = parse_fixture("registry-packages-with-dependencies.toml")
    assert summary(result) == [
        ("requests", "2.32.3", RUNTIME, 5),
        ("urllib3", "2.2.3", RUNTIME, 20),
        ("idna", "3.10", RUNTIME, 26),
        ("certifi", "2024.8.30", RUNTIME, 32),
        ("certifi", "2024.7.4", RUNTIME, 38),
    ]
    assert result.packages[2] == DeclaredPackage(
        name="idna", version="3.10", scopes=RUNTIME, direct=None, line=26, markers="python_version >= '3.6'"
    )
    # a child without `version` takes the only locked version of its name; certifi has two
    assert result.edges == [
        DeclaredEdge(parent="requests", parent_version="2.32.3", child="urllib3", child_version="2.2.3"),
        DeclaredEdge(parent="requests", parent_version="2.32.3", child="idna", child_version="3.10"),
        DeclaredEdge(parent="requests", parent_version="2.32.3", child="certifi", child_version=None),
    ]
    assert result.issues == [] and result.workspace_members == []


def test_scopes_from_dependency_group_and_extra_markers() -> None:
    result = parse_fixture("dependency-groups-and-extras.toml")
    assert [(p.name, p.version, p.scopes, p.note) for p in result.packages] == [
        ("click", "8.1.7", RUNTIME, None),
        ("colorama", "0.4.6", RUNTIME, None),
        ("pytest", "8.3.4", DEV, None),
        ("sphinx", "8.1.3", DEV, None),
        ("pysocks", "1.7.1", OPTIONAL, None),
        ("typing-extensions", "4.12.2", RUNTIME | OPTIONAL, None),
        ("tomli", "2.2.1", RUNTIME, None),
        ("never", "1.0", RUNTIME, "marker can never hold; scope assumed runtime"),
    ]
    assert result.packages[2].markers == "('dev' in dependency_groups) and (python_version >= '3.8')"
    assert result.issues == []


def test_without_default_groups_the_group_named_default_is_runtime() -> None:
    result = parse_fixture("no-default-groups-key.toml")
    assert [(p.name, p.scopes) for p in result.packages] == [("chardet", RUNTIME), ("pytest", DEV)]


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("python_version >= '3.8'", RUNTIME),
        ("'default' in dependency_groups", RUNTIME),
        ("('dev' in dependency_groups) and (python_version >= '3.10')", DEV),
        ("'dev' in dependency_groups or 'test' in dependency_groups", DEV),
        ("'Dev_Tools' in dependency_groups", DEV),
        ('python_version >= "3.6" and "security" in extras', OPTIONAL),
        ('"default" in dependency_groups or "security" in extras', RUNTIME | OPTIONAL),
        ("'dev' not in dependency_groups", RUNTIME),
        ("'dev' in dependency_groups and 'socks' in extras", DEV | OPTIONAL),
        ("'default' in dependency_groups and 'socks' in extras", OPTIONAL),
        ("sys_platform == 'linux' or 'dev' in dependency_groups", RUNTIME | DEV),
        ("'dev' in dependency_groups and 'dev' not in dependency_groups", frozenset()),
        ("dependency_groups == 'dev'", RUNTIME),
    ],
)
def test_marker_scopes(marker: str, expected: frozenset[Scope]) -> None:
    assert marker_scopes(marker, frozenset({"default"})) == expected


@pytest.mark.parametrize(
    "marker",
    ["python_version >=", "(python_version >= '3.8'", "os_name nt", "'a' @ b", "python_version >= '3' and"],
)
def test_marker_syntax_errors(marker: str) -> None:
    with pytest.raises(MarkerSyntaxError):
        marker_scopes(marker, frozenset())


def test_vcs_and_directory_sources() -> None:
    result = parse_fixture("vcs-and-directory-sources.toml")
    assert [(p.name, p.version, p.first_party, p.source_url, p.note, p.line) for p in result.packages] == [
        ("my-project", None, True, ".", "local directory: version not locked", 4),
        (
            "mleroc",
            "0.1.0",
            False,
            "git+https://git.example/Veggente/mleroc.git@735093f03c4d8be70bfaaae44074ac92d7419b6d",
            None,
            8,
        ),
        (
            "unversioned-vcs",
            None,
            False,
            "git+https://git.example/owner/unversioned.git@0123456789abcdef0123456789abcdef01234567",
            "version not locked: git source at commit 0123456789abcdef0123456789abcdef01234567",
            13,
        ),
        ("sibling-lib", None, True, "../sibling-lib", "local directory: version not locked", 17),
    ]
    assert result.workspace_members == ["my-project", "sibling-lib"]
    assert result.issues == []


def test_version_from_wheel_sdist_and_archive_file_names() -> None:
    result = parse_fixture("version-from-file-names.toml")
    assert [(p.name, p.version, p.note, p.source_url) for p in result.packages] == [
        ("attrs", "25.1.0", "version from the wheel file name", None),
        ("python-dateutil", "2.9.0.post0", "version from the sdist file name", None),
        ("local-wheel", "0.3.0", "version from the archive file name", "./dist/local_wheel-0.3.0-py3-none-any.whl"),
        (
            "opaque-archive",
            None,
            "version not locked: archive with no version in its file name",
            "https://archive.example/download?id=42",
        ),
    ]
    assert result.issues == []


def test_registry_package_without_version_is_kept_with_note_and_issue() -> None:
    result = parse_fixture("registry-package-without-version.toml")
    assert [(p.name, p.version, p.note) for p in result.packages] == [
        ("mystery", None, "no version in the lock"),
        ("numeric-version", None, "no version in the lock"),
    ]
    assert issues(result) == [
        (4, "packages[0].version: missing"),
        (8, "packages[1].version: expected a string"),
        (8, "packages[1].version: missing"),
    ]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("missing-lock-version.toml", (None, "lock-version: missing (PEP 751 requires it); read as 1.0")),
        ("unsupported-lock-version.toml", (1, "lock-version: 2.0 is not supported (1.x expected); read as 1.0")),
    ],
)
def test_lock_version_problems_are_issues_and_packages_are_still_read(
    fixture: str, message: tuple[int | None, str]
) -> None:
    result = parse_fixture(fixture)
    assert [(p.name, p.version) for p in result.packages] == [("six", "1.16.0")]
    assert issues(result) == [message]


def test_entries_without_a_name_are_issues_with_their_index_and_line() -> None:
    result = parse_fixture("package-missing-name.toml")
    assert summary(result) == [("six", "1.16.0", RUNTIME, 4), ("attrs", "25.1.0", RUNTIME, 8)]
    assert issues(result) == [
        (13, "packages[2].name: missing"),
        (16, "packages[3].name: missing"),
        (8, "packages[1].dependencies[0].name: missing"),
        (8, "packages[1].dependencies[1].name: missing"),
    ]
    assert result.edges == []


def test_missing_packages_is_an_issue() -> None:
    result = parse_fixture("no-packages-key.toml")
    assert result.packages == []
    assert issues(result) == [(None, "packages: missing (no package is locked)")]


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("packages-not-an-array.toml", "packages: expected an array of tables, found str", None),
        # the rest of the message is the TOML library's own wording, which varies by release
        ("broken-syntax.toml", "invalid TOML: ", 5),
    ],
)
def test_unreadable_files_raise_parse_error(fixture: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert raised.value.message.startswith(message)
    assert raised.value.line == line


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # inline `packages = [...]`: lines come from each `name = "..."`; the nameless entry has none
        ("inline-packages-array.toml", [("six", "1.16.0", RUNTIME, 4), ("attrs", "25.1.0", RUNTIME, 6)]),
        # `[[packages]]` and `name = ...` inside a multi-line string, a sub-table `name`,
        # a commented-out name and `name_other` must not shift names or lines
        (
            "header-like-text-in-strings.toml",
            [("first-pkg", "1.0.0", RUNTIME, 4), ("second-pkg", "2.0.0", RUNTIME, 16)],
        ),
    ],
)
def test_lines_survive_inline_arrays_and_header_like_strings(
    fixture: str, expected: list[tuple[str, str, frozenset[Scope], int]]
) -> None:
    result = parse_fixture(fixture)
    assert summary(result) == expected


def test_unreadable_marker_is_an_issue_and_the_package_stays_runtime() -> None:
    result = parse_fixture("unreadable-marker.toml")
    assert [(p.name, p.scopes, p.markers) for p in result.packages] == [
        ("six", RUNTIME, "python_version >= "),
        ("attrs", RUNTIME, None),
    ]
    assert issues(result) == [
        (4, "packages[0].marker: cannot read it (expected a value, found the end of the marker)"),
        (9, "packages[1].marker: expected a string"),
    ]


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected", "first_party"),
    [
        # osv-scalibr pylock_test.go; scalibr leaves out directory packages, we mark them first-party
        ("example.toml", {("attrs", "25.1.0"), ("cattrs", "24.1.2"), ("numpy", "2.2.3")}, set()),
        (
            "commits.toml",
            {
                ("click", "8.2.1"),
                ("mleroc", "0.1.0"),
                ("packaging", "24.2"),
                ("pathspec", "0.12.1"),
                ("python-dateutil", "2.9.0.post0"),
                ("scikit-learn", "1.6.1"),
                ("tqdm", "4.67.1"),
            },
            {("net-inf-eval", None)},
        ),
        ("pip-just-self.toml", set(), {("hspaans-github-io", None)}),
        (
            "pip-full.toml",
            {
                ("annotated-types", "0.7.0"),
                ("packaging", "25.0"),
                ("pyproject-toml", "0.1.0"),
                ("setuptools", "80.9.0"),
                ("wheel", "0.45.1"),
            },
            set(),
        ),
        (
            "pdm-full.toml",
            {
                ("certifi", "2025.1.31"),
                ("chardet", "3.0.4"),
                ("charset-normalizer", "2.0.12"),
                ("colorama", "0.3.9"),
                ("idna", "2.7"),
                ("py", "1.4.34"),
                ("pytest", "3.2.5"),
                ("requests", "2.27.1"),
                ("setuptools", "39.2.0"),
                ("urllib3", "1.26.20"),
            },
            set(),
        ),
        ("names-outside-package-block.toml", {("first-pkg", "1.0.0"), ("second-pkg", "2.0.0")}, set()),
    ],
)
def test_osv_scalibr_fixtures(
    corpus: Path, fixture: str, expected: set[tuple[str, str]], first_party: set[tuple[str, None]]
) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert {(p.name, p.version) for p in result.packages if not p.first_party} == expected
    assert {(p.name, p.version) for p in result.packages if p.first_party} == first_party
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_commit_and_pdm_scopes(corpus: Path) -> None:
    commits = parse_path(corpus, f"{SCALIBR}/commits.toml")
    mleroc = next(p for p in commits.packages if p.name == "mleroc")
    assert mleroc.source_url is not None and mleroc.source_url.startswith("git+https://")
    assert mleroc.source_url.endswith("/Veggente/mleroc.git@735093f03c4d8be70bfaaae44074ac92d7419b6d")
    pdm = parse_path(corpus, f"{SCALIBR}/pdm-full.toml")
    assert {p.name: p.scopes for p in pdm.packages if p.scopes != OPTIONAL} == {
        "chardet": RUNTIME,
        "idna": RUNTIME | OPTIONAL,
    }


@pytest.mark.corpus
@pytest.mark.parametrize(
    "fixture", [f"{SCALIBR}/not-toml.txt", f"{TRIVY}/sad.toml", f"{PIP_AUDIT}/pylock.invalid.toml"]
)
def test_peers_unreadable_fixtures_raise_parse_error(corpus: Path, fixture: str) -> None:
    with pytest.raises(ParseError, match="invalid TOML") as raised:
        parse_path(corpus, fixture)
    assert raised.value.line == 1


@pytest.mark.corpus
def test_osv_scalibr_empty_file_reports_what_is_missing(corpus: Path) -> None:
    result = parse_path(corpus, f"{SCALIBR}/empty.toml")
    assert result.packages == []
    assert [message for _, message in issues(result)] == [
        "lock-version: missing (PEP 751 requires it); read as 1.0",
        "packages: missing (no package is locked)",
    ]


@pytest.mark.corpus
def test_trivy_fixture_packages_and_edges(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY}/pylock.toml")
    # trivy merges the two `ham` entries (same name and version, other markers); we keep both
    assert [(p.name, p.version) for p in result.packages] == [
        ("attrs", "25.4.0"),
        ("certifi", "2025.10.5"),
        ("charset-normalizer", "3.4.3"),
        ("idna", "3.10"),
        ("requests", "2.32.5"),
        ("urllib3", "2.5.0"),
        ("spam", "1.0.0"),
        ("spam", "1.1.0"),
        ("ham", "3.0.0"),
        ("ham", "3.0.0"),
    ]
    # trivy keeps only the last ham's edge (to spam 1.1.0); each entry states its own
    assert result.edges == [
        DeclaredEdge(parent="ham", parent_version="3.0.0", child="spam", child_version="1.0.0"),
        DeclaredEdge(parent="ham", parent_version="3.0.0", child="spam", child_version="1.1.0"),
    ]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("asset", "packages", "messages"),
    [
        # pip-audit test_pylock.py: basic -> attrs, cattrs, numpy
        ("pylock.basic.toml", [("attrs", "25.1.0"), ("cattrs", "24.1.2"), ("numpy", "2.2.3")], []),
        # pip-audit skips attrs ("no version specified"); we read it from the wheel name
        ("pylock.skipped.toml", [("attrs", "25.1.0")], []),
        # pip-audit refuses these files; we report the problem and keep what is readable
        (
            "pylock.missing-version.toml",
            [("attrs", "25.1.0"), ("cattrs", "24.1.2"), ("numpy", "2.2.3")],
            ["lock-version: missing (PEP 751 requires it); read as 1.0"],
        ),
        (
            "pylock.invalid-version.toml",
            [],
            [
                "lock-version: 666 is not supported (1.x expected); read as 1.0",
                "packages: missing (no package is locked)",
            ],
        ),
        ("pylock.missing-packages.toml", [], ["packages: missing (no package is locked)"]),
        ("pylock.package-missing-name.toml", [], ["packages[0].name: missing"]),
    ],
)
def test_pip_audit_assets(
    corpus: Path, asset: str, packages: list[tuple[str, str]], messages: list[str]
) -> None:
    result = parse_path(corpus, f"{PIP_AUDIT}/{asset}")
    assert [(p.name, p.version) for p in result.packages] == packages
    assert [message for _, message in issues(result)] == messages


# --- real-world corpus -----------------------------------------------------------


def corpus_lockfiles(corpus: Path) -> list[Path]:
    """Every file of the corpus that the registry would hand to this parser."""
    return sorted(path for path in corpus.rglob("*") if path.is_file() and matches(path.relative_to(corpus).as_posix()))


def independent_count(path: Path) -> int:
    """Named entries of the `packages` array, straight from tomllib."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("packages", [])
    return sum(1 for entry in entries if isinstance(entry, dict) and entry.get("name"))


@pytest.mark.corpus
def test_every_corpus_pylock_parses_with_the_independent_count(corpus: Path) -> None:
    lockfiles = corpus_lockfiles(corpus)
    assert len(lockfiles) >= 10
    for path in lockfiles:
        relative = path.relative_to(corpus).as_posix()
        if relative in DELIBERATELY_BROKEN:
            with pytest.raises(ParseError):
                parse_path(corpus, relative)
            continue
        result = parse_path(corpus, relative)
        assert len(result.packages) == independent_count(path), relative


@pytest.mark.corpus
def test_pipenv_pylock_scopes(corpus: Path) -> None:
    result = parse_path(corpus, "pypa__pipenv/pylock.toml")
    assert len(result.packages) == 103
    # pipenv writes every package shared with `dev` under the dev marker only
    assert [p.name for p in result.packages if p.scopes == RUNTIME] == ["pytz"]
    assert all(p.scopes == DEV for p in result.packages if p.name != "pytz")
    example = parse_path(corpus, "pypa__pipenv/examples/pylock.toml")
    assert {p.name: p.scopes for p in example.packages} == {
        "requests": RUNTIME,
        "urllib3": RUNTIME,
        "certifi": RUNTIME,
        "pytest": DEV,
        "cryptography": OPTIONAL,
    }
