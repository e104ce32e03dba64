"""Pipfile: one fixture per edge case, then the real-world corpus (pypa/pipenv)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.parsers.base import DeclaredPackage, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.python.pipfile import SPEC, parse_pipfile
from ospo_scan.reading import SandboxReader

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "pipfile"

Row = tuple[str, "str | None", "str | None", str, "int | None"]
"""(name, version, requirement, scopes joined with '+', line)."""


def parse(name: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a fixture as the scan would."""
    text = (root / name).read_text(encoding="utf-8")
    return parse_pipfile(SourceFile(path=name, text=text), SandboxReader(root))


def row(package: DeclaredPackage) -> Row:
    """The fields every case checks."""
    return (package.name, package.version, package.requirement, "+".join(sorted(s.value for s in package.scopes)), package.line)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("Pipfile", True), ("app/Pipfile", True), ("Pipfile.lock", False), ("pipfile", False), ("Pipfile/x", False)],
)
def test_matches_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected


PACKAGE_CASES: list[tuple[str, list[Row]]] = [
    (
        "categories.Pipfile",
        [
            ("requests", None, None, "runtime", 7),
            ("django", "4.2.11", "==4.2.11", "runtime", 8),
            ("pytest", None, ">=8.0", "dev", 11),
            ("sphinx", None, "~=7.2", "dev", 14),
        ],
    ),
    (
        "entry-tables.Pipfile",
        [
            ("bare-version", "1.0", "1.0", "runtime", 2),
            ("records", "0.5.3", "==0.5.3", "runtime", 3),
            ("pywin32", None, None, "runtime", 4),
            ("both-markers", None, ">=1", "runtime", 5),
            ("vcs-lib", None, "git+https://git.example/org/vcs-lib.git@v1.2.0", "runtime", 6),
            ("myproject", None, ".", "runtime", 7),
            ("wheel-url", "2.0.1", "https://files.pypi.example/wheel_url-2.0.1-py3-none-any.whl", "runtime", 8),
            ("no-version", None, None, "runtime", 9),
        ],
    ),
    ("bad-entries.Pipfile", [("fine", None, None, "runtime", 6), ("also-fine", None, ">=1", "dev", 9)]),
]


@pytest.mark.parametrize(("fixture", "expected"), PACKAGE_CASES, ids=[case[0] for case in PACKAGE_CASES])
def test_packages(fixture: str, expected: list[Row]) -> None:
    result = parse(fixture)
    assert [row(package) for package in result.packages] == expected
    assert all(package.direct is True for package in result.packages)
    assert result.project is None


DETAIL_CASES: list[tuple[str, str, str, Any]] = [
    ("categories.Pipfile", "sphinx", "note", "category: docs"),
    ("categories.Pipfile", "pytest", "note", None),
    ("entry-tables.Pipfile", "records", "extras", ("excel", "pandas")),
    ("entry-tables.Pipfile", "records", "note", "index: internal"),
    ("entry-tables.Pipfile", "pywin32", "markers", "sys_platform == 'win32'"),
    ("entry-tables.Pipfile", "both-markers", "markers", "(python_version >= '3.9') and (os_name == 'nt')"),
    ("entry-tables.Pipfile", "vcs-lib", "source_url", "git+https://git.example/org/vcs-lib.git@v1.2.0"),
    ("entry-tables.Pipfile", "vcs-lib", "first_party", False),
    ("entry-tables.Pipfile", "vcs-lib", "note", "editable"),
    ("entry-tables.Pipfile", "myproject", "first_party", True),
    ("entry-tables.Pipfile", "myproject", "source_url", "."),
    ("entry-tables.Pipfile", "wheel-url", "source_url", "https://files.pypi.example/wheel_url-2.0.1-py3-none-any.whl"),
    ("entry-tables.Pipfile", "wheel-url", "first_party", False),
    ("entry-tables.Pipfile", "no-version", "extras", ("x",)),
]


@pytest.mark.parametrize(("fixture", "name", "field", "expected"), DETAIL_CASES)
def test_package_details(fixture: str, name: str, field: str, expected: Any) -> None:
    package = next(package for package in parse(fixture).packages if package.name == name)
    assert getattr(package, field) == expected


def test_local_path_is_a_workspace_member() -> None:
    assert parse("entry-tables.Pipfile").workspace_members == ["myproject"]
    assert parse("categories.Pipfile").workspace_members == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "bad-entries.Pipfile",
            [
                (1, "not-a-category: expected a table of packages, found string"),
                (4, "packages.number: expected a version specifier or a table, found integer"),
                (5, "packages.typed.version: expected a string, found integer"),
            ],
        ),
        ("categories.Pipfile", []),
        ("entry-tables.Pipfile", []),
    ],
)
def test_issues(fixture: str, expected: list[tuple[int | None, str]]) -> None:
    issues = parse(fixture).issues
    assert [(issue.line, issue.message) for issue in issues] == expected
    assert all(issue.path == fixture and issue.parser == "pipfile" for issue in issues)


def test_broken_syntax_is_a_parse_error_with_its_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse("broken-syntax.Pipfile")
    assert caught.value.line == 3


@pytest.mark.corpus
def test_every_corpus_pipfile_parses_with_an_independent_count(corpus: Path) -> None:
    files = sorted(corpus.rglob("Pipfile"))
    assert len(files) == 3
    for file in files:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        settings = {"source", "requires", "pipenv", "scripts"}
        expected = sum(len(table) for key, table in data.items() if key not in settings and isinstance(table, dict))
        result = parse(str(file.relative_to(corpus)), corpus)
        assert len(result.packages) == expected, file
        assert result.issues == [], file


@pytest.mark.corpus
def test_corpus_pipenv_examples(corpus: Path) -> None:
    result = parse("pypa__pipenv/examples/Pipfile", corpus)
    assert [row(package) for package in result.packages] == [
        ("requests", None, ">=2.32.0", "runtime", 7),
        ("urllib3", None, ">=2.7.0", "runtime", 8),
        ("certifi", None, ">=2024.2.2", "runtime", 9),
        ("idna", None, ">=3.15", "runtime", 10),
        ("charset-normalizer", None, ">=3.3.2", "runtime", 11),
        ("pytest", None, ">=7.4.0", "dev", 14),
    ]


@pytest.mark.corpus
def test_corpus_pipenv_own_pipfile(corpus: Path) -> None:
    packages = {package.name: package for package in parse("pypa__pipenv/Pipfile", corpus).packages}
    assert len(packages) == 27
    assert row(packages["pytz"]) == ("pytz", None, None, "runtime", 35)
    assert row(packages["click"]) == ("click", "8.0.3", "==8.0.3", "dev", 12)
    assert row(packages["waitress"]) == ("waitress", None, "3.*", "dev", 18)
    assert packages["waitress"].markers == "sys_platform == 'win32'"
    assert packages["myst-parser"].extras == ("linkify",)
    assert packages["legacy-cgi"].markers == "python_version >= '3.13'"


def test_every_package_says_its_category_and_key_path() -> None:
    """The category as written is the group; `packages`, the main one, has none (issue 9)."""
    result = parse("categories.Pipfile")
    assert [(p.name, p.group, p.key_path) for p in result.packages] == [
        ("requests", None, "packages.requests"),
        ("django", None, "packages.django"),
        ("pytest", "dev-packages", "dev-packages.pytest"),
        ("sphinx", "docs", "docs.sphinx"),
    ]
