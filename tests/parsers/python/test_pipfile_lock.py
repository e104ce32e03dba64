"""Pipfile.lock: categories -> scopes, exact pins, VCS/path/file entries, lines, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.python.pipfile_lock import SPEC, parse_pipfile_lock
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "pipfile_lock"
RUNTIME, DEV = frozenset({Scope.RUNTIME}), frozenset({Scope.DEV})
BOTH = frozenset({Scope.RUNTIME, Scope.DEV})
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/pipfilelock/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/pipenv/testdata"


def parse_fixture(name: str) -> ParseResult:
    """Parse a fixture through the sandbox reader, as the scan would."""
    return parse_file_with(parse_pipfile_lock, FIXTURES, name)


def parse_path(root: Path, relative: str) -> ParseResult:
    """Parse any file under `root` directly (peers' fixtures have other names)."""
    return parse_file_with(parse_pipfile_lock, root, relative)


def summary(result: ParseResult) -> list[tuple[str, str | None, frozenset[Scope], int | None]]:
    """(name, version, scopes, line) of every package, in output order."""
    return [(package.name, package.version, package.scopes, package.line) for package in result.packages]




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Pipfile.lock", True),
        ("sub/dir/Pipfile.lock", True),
        ("Pipfile", False),
        ("pipfile.lock", False),
        ("Pipfile.lock.bak", False),
        ("path/Pipfile.lock/file", False),
        ("path.to.my.Pipfile.lock", False),
    ],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "pipfile-lock"


def test_default_is_runtime_develop_is_dev_with_pins_markers_extras_and_lines() -> None:
    result = parse_fixture("default-and-develop.json")
    assert summary(result) == [
        ("requests", "2.32.3", RUNTIME, 9),
        ("urllib3", "2.2.3", RUNTIME, 16),
        ("pytest", "8.3.4", DEV, 22),
    ]
    requests = result.packages[0]
    assert requests == DeclaredPackage(
        name="requests",
        version="2.32.3",
        requirement="==2.32.3",
        scopes=RUNTIME,
        direct=None,
        line=9,
        extras=("security", "socks"),
        markers="python_version >= '3.8'",
    )
    assert result.issues == [] and result.edges == [] and result.workspace_members == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # same name and version in both categories -> one package with both scopes;
        # a different version in develop stays a package of its own
        (
            "in-default-and-develop.json",
            [("packaging", "24.2", BOTH, 4), ("pluggy", "1.5.0", RUNTIME, 5), ("pluggy", "1.4.0", DEV, 9)],
        ),
        # any other top-level object is a Pipenv custom category -> DEV; non-objects are ignored
        ("custom-category.json", [("click", "8.1.7", RUNTIME, 4), ("sphinx", "8.1.3", DEV, 8)]),
        # minified: every entry is on line 1; six is merged across the two categories
        ("minified.json", [("six", "1.16.0", BOTH, 1), ("tox", "4.23.2", DEV, 1)]),
        # a package named "develop" inside default must not be taken for the category
        (
            "package-named-like-a-category.json",
            [("develop", "0.1.0", RUNTIME, 4), ("six", "1.16.0", BOTH, 5), ("default", "0.2.0", DEV, 9)],
        ),
    ],
)
def test_categories_scopes_and_lines(fixture: str, expected: list[tuple[str, str, frozenset[Scope], int]]) -> None:
    result = parse_fixture(fixture)
    assert summary(result) == expected
    assert result.issues == []


def test_vcs_entries_keep_no_version_but_source_and_note() -> None:
    result = parse_fixture("vcs-entry-without-version.json")
    markupsafe, itsdangerous = result.packages
    assert (markupsafe.version, markupsafe.first_party, markupsafe.line) == (None, False, 4)
    assert markupsafe.source_url == (
        "git+https://git.example/pallets/markupsafe.git@b36054111bc1e8bbadb5d0d60158feb72926f467"
    )
    assert markupsafe.note == "version not locked: git source at ref b36054111bc1e8bbadb5d0d60158feb72926f467"
    assert itsdangerous.source_url == "git+https://git.example/pallets/itsdangerous.git"
    assert itsdangerous.note == "version not locked: git source with no ref"
    assert result.issues == []


def test_local_path_entries_are_first_party_workspace_members() -> None:
    result = parse_fixture("local-path-editable.json")
    project, wheel = result.packages
    assert (project.name, project.version, project.first_party, project.source_url) == ("myproject", None, True, ".")
    assert project.note == "local path: version not locked"
    assert (wheel.version, wheel.first_party, wheel.note) == ("0.3.1", True, "version from the wheel file name")
    assert result.workspace_members == ["myproject", "vendored-wheel"]
    assert result.issues == []


def test_file_url_entries_take_the_wheel_version() -> None:
    result = parse_fixture("file-url-wheel.json")
    six, legacy = result.packages
    assert (six.version, six.source_url, six.note) == (
        "1.16.0",
        "https://files.pypi.example/packages/six-1.16.0-py2.py3-none-any.whl",
        "version from the wheel file name",
    )
    assert (legacy.version, legacy.note, legacy.first_party) == (None, "version not locked: archive URL", False)
    assert result.issues == []


def test_registry_entries_without_an_exact_pin_are_kept_with_a_note_and_an_issue() -> None:
    result = parse_fixture("version-missing-or-not-exact.json")
    assert [(p.name, p.version, p.requirement, p.note) for p in result.packages] == [
        ("noversion", None, None, "no version in the lock"),
        ("range", None, ">=1.0", "version not pinned exactly (>=1.0)"),
        ("arbitrary", "1.0-custom", "===1.0-custom", None),
        ("numeric", None, None, "version not readable: expected a string, found a number"),
    ]
    assert issues(result) == [
        (4, "default.noversion.version: missing"),
        (5, "default.range.version: '>=1.0' is not an exact pin"),
        (7, "default.numeric.version: expected a string, found a number"),
    ]


def test_entry_that_is_not_an_object_keeps_its_name() -> None:
    result = parse_fixture("entry-not-an-object.json")
    assert summary(result) == [("six", None, RUNTIME, None), ("attrs", "24.2.0", RUNTIME, 5)]
    assert result.packages[0].note == "entry is not an object; only its name is known"
    assert (result.packages[1].extras, result.packages[1].markers) == ((), None)
    assert issues(result) == [
        (None, "default.six: expected an object, found a string"),
        (5, "default.attrs.extras: expected a list of strings"),
        (5, "default.attrs.markers: expected a string, found a number"),
    ]


def test_default_that_is_not_an_object_is_an_issue_and_develop_is_still_read() -> None:
    result = parse_fixture("default-not-an-object.json")
    assert summary(result) == [("pytest", "8.3.4", DEV, 5)]
    assert issues(result) == [(None, "default: expected an object of packages, found an array")]


def test_file_without_categories_is_an_issue() -> None:
    result = parse_fixture("no-sections.json")
    assert result.packages == []
    assert issues(result) == [(None, "no `default` or `develop` section: nothing is locked")]


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("top-level-array.json", "expected a JSON object at the top level, found an array", 1),
        ("broken-syntax.json", "invalid JSON: Expecting property name enclosed in double quotes", 5),
    ],
)
def test_unreadable_files_raise_parse_error(fixture: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert (raised.value.message, raised.value.line) == (message, line)


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # osv-scalibr pipfilelock_test.go (DepGroupVals [] = runtime, ["dev"] = dev)
        ("empty.json", []),
        ("one-package.json", [("markupsafe", "2.1.1", RUNTIME)]),
        ("one-package-dev.json", [("markupsafe", "2.1.1", DEV)]),
        ("two-packages.json", [("itsdangerous", "2.1.2", RUNTIME), ("markupsafe", "2.1.1", DEV)]),
        ("two-packages-alt.json", [("itsdangerous", "2.1.2", RUNTIME), ("markupsafe", "2.1.1", RUNTIME)]),
        # scalibr gives a package of default and develop only "runtime"; we keep both scopes
        (
            "multiple-packages.json",
            [
                ("itsdangerous", "2.1.2", BOTH),
                ("pluggy", "1.0.1", RUNTIME),
                ("markupsafe", "2.1.1", RUNTIME),
                ("pluggy", "1.0.0", DEV),
            ],
        ),
        ("minified.json", [("markupsafe", "2.1.1", RUNTIME)]),
        # scalibr drops VCS entries without a version; we keep them, unversioned (see the VCS test)
        ("no-version.json", [("markupsafe", None, RUNTIME), ("itsdangerous", None, DEV)]),
    ],
)
def test_osv_scalibr_fixtures(
    corpus: Path, fixture: str, expected: list[tuple[str, str | None, frozenset[Scope]]]
) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert [(p.name, p.version, p.scopes) for p in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["not-json.txt", "empty-file"])
def test_osv_scalibr_broken_fixtures_raise_parse_error(corpus: Path, fixture: str) -> None:
    with pytest.raises(ParseError, match="invalid JSON") as raised:
        parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert raised.value.line == 1


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # trivy parse_testcase.go: name, version and StartLine (the line of `"name": {`)
        (
            "Pipfile_normal.lock",
            {
                "certifi": ("2019.3.9", 19),
                "chardet": ("3.0.4", 26),
                "idna": ("2.8", 33),
                "pyyaml": ("5.1", 40),
                "requests": ("2.21.0", 57),
                "urllib3": ("1.24.2", 65),
            },
        ),
        (
            "Pipfile_django.lock",
            {
                "certifi": ("2019.3.9", 19),
                "chardet": ("3.0.4", 26),
                "django": ("2.2", 33),
                "djangorestframework": ("3.9.3", 41),
                "idna": ("2.8", 49),
                "pytz": ("2019.1", 56),
                "pyyaml": ("5.1", 63),
                "requests": ("2.21.0", 80),
                "sqlparse": ("0.3.0", 88),
                "urllib3": ("1.24.2", 95),
            },
        ),
        (
            "Pipfile_many.lock",
            {
                "awscli": ("1.16.147", 19),
                "botocore": ("1.12.137", 27),
                "certifi": ("2019.3.9", 35),
                "chardet": ("3.0.4", 42),
                "colorama": ("0.3.9", 49),
                "django": ("2.2", 56),
                "djangorestframework": ("3.9.3", 64),
                "docutils": ("0.14", 72),
                "framework": ("0.1.0", 80),
                "idna": ("2.8", 87),
                "jinja2": ("2.10.1", 94),
                "jmespath": ("0.9.4", 102),
                "markupsafe": ("1.1.1", 109),
                "pyasn1": ("0.4.5", 142),
                "python-dateutil": ("2.8.0", 150),
                "pytz": ("2019.1", 158),
                "pyyaml": ("3.13", 165),
                "requests": ("2.21.0", 182),
                "rsa": ("3.4.2", 190),
                "s3transfer": ("0.2.0", 197),
                "simplejson": ("3.16.0", 204),
                "six": ("1.12.0", 222),
                "sqlparse": ("0.3.0", 230),
                "urllib3": ("1.24.2", 237),
            },
        ),
    ],
)
def test_trivy_fixtures_names_versions_and_lines(
    corpus: Path, fixture: str, expected: dict[str, tuple[str, int]]
) -> None:
    result = parse_path(corpus, f"{TRIVY}/{fixture}")
    assert {p.name: (p.version, p.line) for p in result.packages} == expected
    assert all(p.scopes == RUNTIME for p in result.packages)
    assert result.issues == []


# --- real-world corpus -----------------------------------------------------------


def corpus_lockfiles(corpus: Path) -> list[Path]:
    """Every file of the corpus that the registry would hand to this parser."""
    return sorted(path for path in corpus.rglob("*") if path.is_file() and SPEC.accepts(path.relative_to(corpus).as_posix()))


def independent_count(path: Path) -> int:
    """Distinct (name, version) pairs over every category, straight from json."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return len(
        {
            (name, entry.get("version"))
            for section, entries in document.items()
            if section != "_meta" and isinstance(entries, dict)
            for name, entry in entries.items()
        }
    )


@pytest.mark.corpus
def test_every_corpus_pipfile_lock_parses_with_the_independent_count(corpus: Path) -> None:
    lockfiles = corpus_lockfiles(corpus)
    assert len(lockfiles) >= 5
    for path in lockfiles:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        assert len(result.packages) == independent_count(path), path
        assert result.issues == [], path
        assert all(package.line is not None for package in result.packages), path


@pytest.mark.corpus
def test_pipenv_own_lockfile(corpus: Path) -> None:
    result = parse_path(corpus, "pypa__pipenv/Pipfile.lock")
    by_scope = {scopes: sum(1 for p in result.packages if p.scopes == scopes) for scopes in (RUNTIME, DEV, BOTH)}
    assert by_scope == {RUNTIME: 5, DEV: 95, BOTH: 5}
    assert all(p.version is not None and p.requirement == f"=={p.version}" for p in result.packages)


def test_source_text_is_all_it_needs() -> None:
    source = SourceFile(path="Pipfile.lock", text='{"default": {"six": {"version": "==1.16.0"}}}')
    result = parse_pipfile_lock(source, SandboxReader(FIXTURES))
    assert summary(result) == [("six", "1.16.0", RUNTIME, 1)]
