"""setup.cfg: one fixture per edge case; the corpus has none, which the corpus test says."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.base import DeclaredPackage, DeclaredProject, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.python.setup_cfg import SPEC, parse_setup_cfg
from ospo_scan.reading import SandboxReader

FIXTURES = Path(__file__).parent / "fixtures" / "setup_cfg"

Row = tuple[str, "str | None", "str | None", str, "int | None"]
"""(name, version, requirement, scopes joined with '+', line)."""


def parse(name: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a fixture with a reader confined to the fixture folder (for `file:` includes)."""
    text = (root / name).read_text(encoding="utf-8")
    return parse_setup_cfg(SourceFile(path=name, text=text), SandboxReader(root))


def row(package: DeclaredPackage) -> Row:
    """The fields every case checks."""
    return (package.name, package.version, package.requirement, "+".join(sorted(s.value for s in package.scopes)), package.line)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("setup.cfg", True), ("a/b/setup.cfg", True), ("setup.py", False), ("setup.cfg.orig", False), ("tox.ini", False)],
)
def test_matches_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected


PACKAGE_CASES: list[tuple[str, list[Row]]] = [
    (
        "multi-line-values.cfg",
        [
            ("requests", None, ">=2.28", "runtime", 9),
            ("importlib-metadata", None, None, "runtime", 11),
            ("attrs", "23.1.0", "==23.1.0", "runtime", 12),
            ("setuptools_scm", None, ">=8", "build", 13),
            ("pytest", None, None, "test", 15),
            ("PySocks", None, ">=1.5.6", "optional", 18),
            ("sphinx", None, ">=7", "optional", 20),
            ("furo", None, None, "optional", 21),
        ],
    ),
    (
        "one-line-semicolon-split.cfg",
        [
            ("requests", None, None, "runtime", 2),
            ("setuptools", None, ">=61", "build", 3),
            ("wheel", None, None, "build", 3),
        ],
    ),
    ("attr-version.cfg", [("click", None, None, "runtime", 8)]),
    ("dashed-keys.cfg", [("six", None, None, "runtime", 3), ("nose", None, None, "test", 5)]),
    ("invalid-requirement.cfg", [("good", None, ">=1", "runtime", 3), ("also-good", None, None, "runtime", 5)]),
    ("no-options.cfg", []),
    (
        "file-directive/setup.cfg",
        [
            ("httpx", None, ">=0.27", "runtime", 2),
            ("pydantic", "2.7.1", "==2.7.1", "runtime", 4),
            ("pytest", None, ">=8", "optional", 1),
        ],
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), PACKAGE_CASES, ids=[case[0] for case in PACKAGE_CASES])
def test_packages(fixture: str, expected: list[Row]) -> None:
    result = parse(fixture)
    assert [row(package) for package in result.packages] == expected
    assert all(package.direct is True and not package.first_party for package in result.packages)


def test_markers_extras_and_notes() -> None:
    packages = {package.name: package for package in parse("multi-line-values.cfg").packages}
    assert packages["importlib-metadata"].markers == 'python_version < "3.10"'
    assert packages["requests"].requirement == ">=2.28"  # the inline comment is cut
    assert packages["PySocks"].note == "extra: socks"
    assert packages["furo"].note == "extra: docs"
    assert packages["requests"].note is None


def test_included_files_are_named_on_their_packages() -> None:
    packages = parse("file-directive/setup.cfg").packages
    assert [(package.name, package.path) for package in packages] == [
        ("httpx", "file-directive/requirements/base.txt"),
        ("pydantic", "file-directive/requirements/base.txt"),
        ("pytest", "file-directive/requirements/test.txt"),
    ]
    assert packages[2].note == "extra: test"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("multi-line-values.cfg", DeclaredProject(name="cfg-demo", version="2.1.0", license="BSD-3-Clause")),
        ("attr-version.cfg", DeclaredProject(name="attr-demo", version=None, license="MIT")),
        ("file-directive/setup.cfg", DeclaredProject(name="file-demo", version=None, license=None)),
        ("no-options.cfg", None),
        ("dashed-keys.cfg", None),
    ],
)
def test_project(fixture: str, expected: DeclaredProject | None) -> None:
    assert parse(fixture).project == expected


ISSUE_CASES: list[tuple[str, list[tuple[int | None, str]]]] = [
    (
        "one-line-semicolon-split.cfg",
        [
            (
                2,
                "options.install_requires[1]: 'python_version<\"3.8\"' is an environment marker cut off by ';': "
                "setuptools splits a one-line value on ';', so put each requirement on its own line",
            )
        ],
    ),
    (
        "invalid-requirement.cfg",
        [
            (
                4,
                "options.install_requires[1]: invalid requirement 'this is not ==': "
                "Expected semicolon (after name with no version specifier) or end",
            )
        ],
    ),
    (
        "file-directive/setup.cfg",
        [
            (
                6,
                "options.install_requires: cannot read the file it includes: "
                "file-directive/requirements/missing.txt: no such file",
            )
        ],
    ),
    ("multi-line-values.cfg", []),
    ("attr-version.cfg", []),
]


@pytest.mark.parametrize(("fixture", "expected"), ISSUE_CASES, ids=[case[0] for case in ISSUE_CASES])
def test_issues(fixture: str, expected: list[tuple[int | None, str]]) -> None:
    issues = parse(fixture).issues
    assert [(issue.line, issue.message) for issue in issues] == expected
    assert all(issue.path == fixture and issue.parser == "setup-cfg" for issue in issues)


def test_broken_syntax_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no section headers"):
        parse("broken-syntax.cfg")


def test_include_outside_the_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires = file: ../secret.txt\n", encoding="utf-8")
    result = parse("setup.cfg", tmp_path)
    assert result.packages == []
    assert [issue.message for issue in result.issues] == [
        "options.install_requires: cannot read the file it includes: ../secret.txt: outside the scanned root"
    ]


@pytest.mark.corpus
def test_every_corpus_setup_cfg_parses(corpus: Path) -> None:
    files = sorted(corpus.rglob("setup.cfg"))
    if not files:
        pytest.skip("the corpus holds no setup.cfg")
    for file in files:
        parse(str(file.relative_to(corpus)), corpus)


def test_every_requirement_says_its_key_path_and_an_extra_its_group() -> None:
    """Issue 9: the option as written is the key path; an extra's name is the group."""
    rows = [(p.name, p.group, p.key_path) for p in parse("multi-line-values.cfg").packages]
    assert ("requests", None, "options.install_requires[0]") in rows
    assert ("pytest", None, "options.tests_require[0]") in rows
    assert ("PySocks", "socks", "options.extras_require.socks[0]") in rows
    assert ("furo", "docs", "options.extras_require.docs[1]") in rows
