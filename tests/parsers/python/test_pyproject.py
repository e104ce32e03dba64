"""pyproject.toml: one fixture per edge case, then the real-world corpus and the peers' fixtures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import InvalidRequirement, Requirement

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage, DeclaredProject, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.python.pyproject import SPEC, parse_pyproject
from ospo_scan.reading import SandboxReader

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "pyproject"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/pyprojecttoml/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/pyproject/testdata"

Row = tuple[str, "str | None", "str | None", str, "int | None"]
"""(name, version, requirement, scopes joined with '+', line): what most cases pin."""


def parse(name: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a fixture as the scan would: decoded text, root-relative path, sandboxed reader."""
    text = (root / name).read_text(encoding="utf-8")
    return parse_pyproject(SourceFile(path=name, text=text), SandboxReader(root))


def row(package: DeclaredPackage) -> Row:
    """The fields every case checks."""
    return (package.name, package.version, package.requirement, "+".join(sorted(s.value for s in package.scopes)), package.line)


def by_name(result: ParseResult, name: str) -> list[DeclaredPackage]:
    """The packages of one name, in file order."""
    return [package for package in result.packages if package.name == name]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pyproject.toml", True),
        ("sub/dir/pyproject.toml", True),
        ("pyproject.toml.bak", False),
        ("PYPROJECT.TOML", False),
        ("pyproject.toml/inner", False),
        ("pylock.toml", False),
        ("setup.cfg", False),
    ],
)
def test_matches_by_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected


PACKAGE_CASES: list[tuple[str, list[Row]]] = [
    (
        "pep621-runtime-extras-build.toml",
        [
            ("requests", None, ">=2.31,<3", "runtime", 10),
            ("attrs", "23.2.0", "==23.2.0", "runtime", 11),
            ("tomli", None, None, "runtime", 12),
            ("pluggy", "1.5.0", "==1.5.0", "runtime", 13),
            ("local-wheel", "0.3.1", "https://files.pypi.example/packages/local_wheel-0.3.1-py3-none-any.whl", "runtime", 14),
            ("PySocks", None, ">=1.5.6,!=1.5.7", "optional", 18),
            ("pytest", None, ">=8", "optional", 20),
            ("requests", None, ">=2.31,<3", "optional", 21),
            ("setuptools", None, ">=68", "build", 2),
            ("wheel", None, None, "build", 2),
        ],
    ),
    ("license-table-file-dynamic-version.toml", [("click", None, None, "runtime", 5)]),
    ("license-table-text.toml", []),
    ("dynamic-dependencies.toml", []),
    ("no-project-table.toml", []),
    (
        "invalid-requirement-continues.toml",
        [("good-one", None, ">=1", "runtime", 5), ("good-two", None, None, "runtime", 7)],
    ),
    ("wrong-types.toml", [("fine", None, None, "optional", 8)]),
    (
        "dependency-groups-include.toml",
        [
            ("pytest", None, ">=8", "dev+test", 6),
            ("coverage", None, None, "dev+test", 6),
            ("ruff", "0.6.0", "==0.6.0", "dev", 7),
            ("pre-commit", None, None, "dev", 11),
            ("sphinx", None, None, "dev", 13),
        ],
    ),
    (
        "dependency-groups-cycle.toml",
        [
            ("one", None, None, "dev", 2),
            ("two", None, None, "dev", 3),
            ("three", None, None, "dev", 4),
            ("four", None, None, "dev", 5),
        ],
    ),
    ("dependency-groups-unknown-include.toml", [("black", None, None, "dev", 3)]),
    (
        "poetry-classic.toml",
        [
            ("flask", None, "^2.3", "runtime", 8),
            ("pinned", "1.2.3", "1.2.3", "runtime", 9),
            ("double-equals", "2.0.0", "==2.0.0", "runtime", 10),
            ("anything", None, None, "runtime", 11),
            ("requests", None, "^2.31", "runtime", 12),
            ("tomli", None, ">=2.0", "runtime", 13),
            ("jsonschema", None, "^4.17", "optional", 14),
            ("lxml", None, ">=4", "optional", 15),
            ("stray", "1.0", "1.0", "optional", 16),
            ("cleo", None, "git+https://git.example/python-poetry/cleo.git@2.1.0", "runtime", 17),
            ("mylib", None, "../mylib", "runtime", 18),
            ("vendored", "1.0.0", "wheels/vendored-1.0.0-py3-none-any.whl", "runtime", 19),
            ("remote", "4.5.6", "https://files.pypi.example/remote-4.5.6-py3-none-any.whl", "runtime", 20),
            ("pyupgrade", "3.3.0", "3.3.0", "runtime", 21),
            ("pyupgrade", "3.15.0", "3.15.0", "runtime", 21),
            ("poetry-core", None, ">=1.0.0", "build", 46),
            ("black", "23.1.0", "23.1.0", "dev", 31),
            ("pytest", None, "^8.0", "test", 34),
            ("mkdocs", None, "^1.5", "dev", 40),
            ("rich", None, "^13", "runtime", 43),
            ("ruff", "0.6.0", "0.6.0", "dev", 51),
        ],
    ),
    (
        "poetry-with-project-table.toml",
        [
            ("httpx", None, ">=0.27", "runtime", 5),
            ("mylib", None, None, "runtime", 6),
            ("only-here", None, "^1.0", "runtime", 13),
            ("ruff", "0.6.0", "0.6.0", "dev", 16),
        ],
    ),
    (
        "poetry-bad-constraints.toml",
        [
            ("bad-list", "1.0", "1.0", "runtime", 9),
            ("bad-list", None, "not-a-table-but-fine", "runtime", 9),
            ("good", None, "^1.0", "runtime", 10),
        ],
    ),
    (
        "pdm-dev-dependencies.toml",
        [
            ("pytest", None, ">=7", "test", 8),
            ("core-lib", None, "file:///${PROJECT_ROOT}/packages/core#egg=core-lib", "test", 9),
            ("flake8", None, None, "dev", 12),
            ("lint-plugin", None, "git+https://git.example/org/plugin.git#egg=lint-plugin", "dev", 13),
        ],
    ),
    (
        "uv-sources-workspace.toml",
        [
            ("core-lib", None, None, "runtime", 5),
            ("shared-utils", None, ">=0.2", "runtime", 6),
            ("httpx", None, None, "runtime", 7),
            ("torch", None, None, "runtime", 8),
            ("pytest", None, ">=8", "dev", 12),
        ],
    ),
    (
        "self-reference-extras.toml",
        [("six", None, None, "runtime", 4), ("numpy", None, None, "optional", 7), ("my-pkg", None, None, "optional", 8)],
    ),
    (
        "line-lookup-escapes-dotted-keys.toml",
        [
            ("first", None, None, "runtime", 5),
            ("unicode-escape", None, None, "runtime", 6),
            ("grouped", None, "^1", "dev", 8),
        ],
    ),
    (
        "line-lookup-quoting.toml",
        [
            ("single-quoted", None, ">=1", "runtime", 4),
            ("escaped", None, None, "runtime", 4),
            ("inline-table-dep", None, None, "optional", 5),
            ("single-quoted", None, ">=1", "dev", 8),
        ],
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), PACKAGE_CASES, ids=[case[0] for case in PACKAGE_CASES])
def test_packages(fixture: str, expected: list[Row]) -> None:
    assert [row(package) for package in parse(fixture).packages] == expected


def test_every_manifest_entry_is_direct() -> None:
    for fixture, _ in PACKAGE_CASES:
        assert all(package.direct is True for package in parse(fixture).packages), fixture


# (fixture, package name, index among that name's packages, field, expected value)
DETAIL_CASES: list[tuple[str, str, int, str, Any]] = [
    ("pep621-runtime-extras-build.toml", "tomli", 0, "markers", 'python_version < "3.11"'),
    ("pep621-runtime-extras-build.toml", "pluggy", 0, "extras", ("dev",)),
    ("pep621-runtime-extras-build.toml", "local-wheel", 0, "source_url", "https://files.pypi.example/packages/local_wheel-0.3.1-py3-none-any.whl"),
    ("pep621-runtime-extras-build.toml", "PySocks", 0, "note", "extra: socks"),
    ("pep621-runtime-extras-build.toml", "requests", 1, "note", "extra: test"),
    ("dependency-groups-include.toml", "pytest", 0, "note", "group: test; included by Dev"),
    ("dependency-groups-include.toml", "coverage", 0, "extras", ("toml",)),
    ("dependency-groups-include.toml", "ruff", 0, "note", "group: lint; included by Dev"),
    ("dependency-groups-include.toml", "pre-commit", 0, "note", "group: Dev"),
    ("dependency-groups-cycle.toml", "one", 0, "note", "group: alpha; included by beta, gamma"),
    ("poetry-classic.toml", "requests", 0, "extras", ("security", "socks")),
    ("poetry-classic.toml", "requests", 0, "markers", "sys_platform != 'win32'"),
    ("poetry-classic.toml", "tomli", 0, "note", "python: <3.11"),
    ("poetry-classic.toml", "tomli", 0, "markers", None),
    ("poetry-classic.toml", "jsonschema", 0, "note", "extra: validation"),
    ("poetry-classic.toml", "lxml", 0, "note", "extra: validation, xml"),
    ("poetry-classic.toml", "stray", 0, "note", "optional (no extra lists it)"),
    ("poetry-classic.toml", "cleo", 0, "source_url", "git+https://git.example/python-poetry/cleo.git@2.1.0"),
    ("poetry-classic.toml", "cleo", 0, "first_party", False),
    ("poetry-classic.toml", "mylib", 0, "first_party", True),
    ("poetry-classic.toml", "mylib", 0, "note", "develop"),
    ("poetry-classic.toml", "vendored", 0, "first_party", False),
    ("poetry-classic.toml", "remote", 0, "source_url", "https://files.pypi.example/remote-4.5.6-py3-none-any.whl"),
    ("poetry-classic.toml", "pyupgrade", 0, "note", "python: <3.11"),
    ("poetry-classic.toml", "pyupgrade", 1, "note", "python: >=3.11"),
    ("poetry-classic.toml", "black", 0, "note", "dev-dependencies"),
    ("poetry-classic.toml", "mkdocs", 0, "note", "group: docs (optional group)"),
    ("poetry-classic.toml", "rich", 0, "note", "group: main"),
    ("poetry-with-project-table.toml", "mylib", 0, "first_party", True),
    ("poetry-with-project-table.toml", "mylib", 0, "source_url", "libs/mylib"),
    ("poetry-with-project-table.toml", "httpx", 0, "note", None),
    (
        "poetry-with-project-table.toml",
        "only-here",
        0,
        "note",
        "only in tool.poetry.dependencies, which Poetry ignores while [project].dependencies is set",
    ),
    ("pdm-dev-dependencies.toml", "core-lib", 0, "first_party", True),
    ("pdm-dev-dependencies.toml", "core-lib", 0, "note", "group: test; editable"),
    ("pdm-dev-dependencies.toml", "lint-plugin", 0, "first_party", False),
    ("uv-sources-workspace.toml", "core-lib", 0, "first_party", True),
    ("uv-sources-workspace.toml", "shared-utils", 0, "first_party", True),
    ("uv-sources-workspace.toml", "httpx", 0, "source_url", "git+https://git.example/encode/httpx@0.28.0"),
    ("uv-sources-workspace.toml", "httpx", 0, "first_party", False),
    ("uv-sources-workspace.toml", "torch", 0, "source_url", None),
    ("uv-sources-workspace.toml", "pytest", 0, "note", "tool.uv dev-dependencies"),
    ("self-reference-extras.toml", "my-pkg", 0, "first_party", True),
    ("self-reference-extras.toml", "my-pkg", 0, "note", "extra: all; the project itself"),
    ("self-reference-extras.toml", "numpy", 0, "first_party", False),
    ("line-lookup-quoting.toml", "escaped", 0, "markers", 'python_version >= "3.8"'),
]


@pytest.mark.parametrize(("fixture", "name", "index", "field", "expected"), DETAIL_CASES)
def test_package_details(fixture: str, name: str, index: int, field: str, expected: Any) -> None:
    assert getattr(by_name(parse(fixture), name)[index], field) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("pep621-runtime-extras-build.toml", DeclaredProject(name="demo-app", version="1.4.0", license="Apache-2.0")),
        ("license-table-text.toml", DeclaredProject(name="legacy-license", version="0.1", license="MIT License")),
        (
            "license-table-file-dynamic-version.toml",
            DeclaredProject(name="file-license", version=None, license="file: LICENSE.txt"),
        ),
        ("dynamic-dependencies.toml", DeclaredProject(name="dyn", version="2.0", license=None)),
        ("poetry-classic.toml", DeclaredProject(name="poetry-demo", version="0.3.0", license="MIT")),
        ("poetry-with-project-table.toml", DeclaredProject(name="poetry-two", version="2.0.0", license=None)),
        ("self-reference-extras.toml", DeclaredProject(name="My_Pkg", version="1.0", license=None)),
        ("line-lookup-escapes-dotted-keys.toml", DeclaredProject(name="dotted", version="1", license=None)),
        ("no-project-table.toml", None),
        ("dependency-groups-cycle.toml", None),
    ],
)
def test_project(fixture: str, expected: DeclaredProject | None) -> None:
    assert parse(fixture).project == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("poetry-classic.toml", ["mylib"]),
        ("poetry-with-project-table.toml", ["mylib"]),
        ("pdm-dev-dependencies.toml", ["core-lib"]),
        ("uv-sources-workspace.toml", ["core-lib", "shared-utils"]),
        ("self-reference-extras.toml", []),
        ("pep621-runtime-extras-build.toml", []),
    ],
)
def test_workspace_members(fixture: str, expected: list[str]) -> None:
    assert parse(fixture).workspace_members == expected


ISSUE_CASES: list[tuple[str, list[tuple[int | None, str]]]] = [
    (
        "invalid-requirement-continues.toml",
        [
            (
                6,
                "project.dependencies[1]: invalid requirement 'bad one ==': "
                "Expected semicolon (after name with no version specifier) or end",
            )
        ],
    ),
    (
        "wrong-types.toml",
        [
            (4, "project.dependencies: expected an array of requirement strings, found string"),
            (7, "project.optional-dependencies.numbers: expected an array of requirement strings, found integer"),
            (8, "project.optional-dependencies.mixed[1]: expected a requirement string, found integer"),
            (11, "build-system.requires: expected an array of requirement strings, found string"),
        ],
    ),
    (
        "dependency-groups-cycle.toml",
        [
            (2, "dependency-groups.alpha: include-group cycle alpha -> beta -> gamma -> alpha"),
            (5, "dependency-groups.self-loop: include-group cycle self-loop -> self-loop"),
        ],
    ),
    (
        "dependency-groups-unknown-include.toml",
        [
            (2, "dependency-groups.dev[2]: expected a requirement string or an {include-group = ...} table"),
            (7, "dependency-groups.typing: expected an array, found string"),
            (2, "dependency-groups.dev[1]: include-group 'missing' is not defined"),
        ],
    ),
    (
        "poetry-bad-constraints.toml",
        [
            (7, "tool.poetry.dependencies.number: expected a version string or a table, found integer"),
            (8, "tool.poetry.dependencies.typed-version.version: expected a string, found integer"),
            (9, "tool.poetry.dependencies.bad-list[2]: expected a version string or a table, found integer"),
        ],
    ),
    (
        "pdm-dev-dependencies.toml",
        [
            (
                14,
                "tool.pdm.dev-dependencies.lint[2]: invalid requirement './no-name-here': "
                "Expected package name at the start of dependency specifier",
            )
        ],
    ),
    ("pep621-runtime-extras-build.toml", []),
    ("dynamic-dependencies.toml", []),
    ("poetry-classic.toml", []),
    ("uv-sources-workspace.toml", []),
]


@pytest.mark.parametrize(("fixture", "expected"), ISSUE_CASES, ids=[case[0] for case in ISSUE_CASES])
def test_issues(fixture: str, expected: list[tuple[int | None, str]]) -> None:
    issues = parse(fixture).issues
    assert [(issue.line, issue.message) for issue in issues] == expected
    assert all(issue.path == fixture and issue.parser == "pyproject" for issue in issues)


@pytest.mark.parametrize(
    ("fixture", "line"),
    [
        ("broken-syntax.toml", 5),
        # git with core.symlinks=false writes a symlink as a file holding its target
        ("symlink-checked-out-as-text.toml", 1),
    ],
)
def test_broken_syntax_is_a_parse_error_with_its_line(fixture: str, line: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse(fixture)
    assert caught.value.line == line


# ---------------------------------------------------------------- peers' fixtures


# osv-scalibr's pyprojecttoml_test.go lists, per fixture, the dependency strings of
# [project] (and of each extra): we must find the same names and exact pins.
SCALIBR_CASES: list[tuple[str, list[tuple[str, str | None, str]]]] = [
    ("simple_deps.toml", [("requests", "2.32.0", "runtime"), ("flask", None, "runtime"), ("numpy", None, "runtime")]),
    (
        "optional_deps.toml",
        [("requests", "2.32.0", "runtime"), ("pytest", None, "optional"), ("black", "23.1.0", "optional"), ("aiohttp", None, "optional")],
    ),
    ("extras_syntax.toml", [("flask", "3.1.1", "runtime"), ("requests", None, "runtime")]),
    ("env_markers.toml", [("requests", None, "runtime"), ("importlib-metadata", "6.0.0", "runtime")]),
    ("dynamic_deps.toml", []),
    ("empty_deps.toml", []),
    ("no_project_table.toml", []),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("fixture", "expected"), SCALIBR_CASES, ids=[case[0] for case in SCALIBR_CASES])
def test_scalibr_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str | None, str]]) -> None:
    result = parse(fixture, corpus / SCALIBR)
    declared = [(p.name, p.version, row(p)[3]) for p in result.packages if Scope.BUILD not in p.scopes]
    assert declared == expected
    assert result.issues == []


@pytest.mark.corpus
def test_scalibr_fixture_details(corpus: Path) -> None:
    markers = {p.name: p.markers for p in parse("env_markers.toml", corpus / SCALIBR).packages}
    assert markers == {"requests": 'python_version >= "3.8"', "importlib-metadata": 'python_version < "3.10"'}
    extras = {p.note for p in parse("optional_deps.toml", corpus / SCALIBR).packages if Scope.OPTIONAL in p.scopes}
    assert extras == {"extra: dev", "extra: async"}
    assert parse("dynamic_deps.toml", corpus / SCALIBR).project == DeclaredProject(name="my-package", version="1.0.0")
    assert parse("no_project_table.toml", corpus / SCALIBR).project is None


# trivy's parser keeps the names of [project] dependencies (and extras), of
# [tool.poetry.dependencies] without `python`, and of each Poetry group.
TRIVY_CASES: list[tuple[str, dict[str, list[str]]]] = [
    ("happy.toml", {"runtime": ["flask", "virtualenv", "virtualenv"], "optional": ["requests"], "dev": ["pytest", "ruff"]}),
    (
        "happy_v2.toml",
        {
            "runtime": ["Flask", "check-wheel-contents", "pluggy", "typing_extensions", "ruamel.yaml", "annotated-types"],
            "dev": ["pytest"],
        },
    ),
    ("happy_with_optional.toml", {"runtime": ["requests", "click"], "optional": ["pytest", "ruff"]}),
    ("happy_with_optional_only.toml", {"optional": ["pytest", "ruff"]}),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("fixture", "expected"), TRIVY_CASES, ids=[case[0] for case in TRIVY_CASES])
def test_trivy_fixtures(corpus: Path, fixture: str, expected: dict[str, list[str]]) -> None:
    found: dict[str, list[str]] = {}
    for package in parse(fixture, corpus / TRIVY).packages:
        if Scope.BUILD not in package.scopes:
            found.setdefault(row(package)[3], []).append(package.name)
    assert found == expected


@pytest.mark.corpus
@pytest.mark.parametrize(("root", "fixture"), [(TRIVY, "sad.toml"), (SCALIBR, "malformed.toml")])
def test_peers_broken_fixtures_are_parse_errors(corpus: Path, root: str, fixture: str) -> None:
    with pytest.raises(ParseError):
        parse(fixture, corpus / root)


# ---------------------------------------------------------------- real-world corpus


def corpus_pyprojects(corpus: Path) -> list[tuple[Path, "dict[str, Any] | None"]]:
    """Every pyproject.toml of the corpus with its TOML as tomllib reads it (None: not TOML).

    A symlink checked out as a plain file (git with core.symlinks=false) holds only its
    target, e.g. aiohttp's requirements/pyproject.toml reading `../pyproject.toml`.
    """
    found: list[tuple[Path, dict[str, Any] | None]] = []
    for file in sorted(corpus.rglob("pyproject.toml")):
        try:
            found.append((file, tomllib.loads(file.read_text(encoding="utf-8"))))
        except tomllib.TOMLDecodeError:
            found.append((file, None))
    return found


@pytest.mark.corpus
def test_every_corpus_pyproject_parses(corpus: Path) -> None:
    """What tomllib reads parses; what it refuses is a ParseError with a line, never a crash."""
    files = corpus_pyprojects(corpus)
    assert sum(data is not None for _, data in files) >= 20
    for file, data in files:
        name = str(file.relative_to(corpus))
        if data is None:
            with pytest.raises(ParseError) as raised:
                parse(name, corpus)
            assert raised.value.line is not None, file
            continue
        result = parse(name, corpus)
        assert all(package.name for package in result.packages), file


@pytest.mark.corpus
def test_corpus_pep621_counts_match_an_independent_count(corpus: Path) -> None:
    """Without tool tables, packages + invalid entries = the strings of the standard arrays."""
    for file, data in corpus_pyprojects(corpus):
        if data is None or {"poetry", "pdm", "uv"} & set(data.get("tool", {})):
            continue
        project = data.get("project", {})
        arrays = [project.get("dependencies", []), data.get("build-system", {}).get("requires", [])]
        arrays += list(project.get("optional-dependencies", {}).values())
        arrays += list(data.get("dependency-groups", {}).values())
        expected = sum(1 for array in arrays for item in array if isinstance(item, str))
        result = parse(str(file.relative_to(corpus)), corpus)
        invalid = [issue for issue in result.issues if "invalid requirement" in issue.message]
        assert len(result.packages) + len(invalid) == expected, file


@pytest.mark.corpus
def test_corpus_packaging_dependency_groups(corpus: Path) -> None:
    result = parse("pypa__packaging/pyproject.toml", corpus)
    assert result.project == DeclaredProject(name="packaging", version=None, license="Apache-2.0 OR BSD-2-Clause")
    assert [(p.name, row(p)[3], p.note) for p in result.packages] == [
        ("flit_core", "build", None),
        ("coverage", "dev+test", "group: test; included by dev"),
        ("hypothesis", "dev+test", "group: test; included by dev"),
        ("pip", "dev+test", "group: test; included by dev"),
        ("pretend", "dev+test", "group: test; included by dev"),
        ("pytest", "dev+test", "group: test; included by dev"),
        ("tomli", "dev+test", "group: test; included by dev"),
        ("tomli_w", "dev+test", "group: test; included by dev"),
        ("furo", "dev", "group: docs"),
        ("asv", "dev", "group: benchmark; included by dev"),
        ("pip", "dev", "group: benchmark; included by dev"),
    ]
    assert result.issues == []


@pytest.mark.corpus
def test_corpus_cyclonedx_poetry(corpus: Path) -> None:
    result = parse("CycloneDX__cyclonedx-python-lib/pyproject.toml", corpus)
    assert result.project == DeclaredProject(name="cyclonedx-python-lib", version="11.12.0", license="Apache-2.0")
    main = [(p.name, p.requirement, row(p)[3]) for p in result.packages if Scope.DEV not in p.scopes]
    assert main == [
        ("packageurl-python", ">=0.11, <2", "runtime"),
        ("py-serializable", "^2.1.0", "runtime"),
        ("sortedcontainers", "^2.4.0", "runtime"),
        ("license-expression", "^30", "runtime"),
        ("jsonschema", "^4.25", "optional"),
        ("referencing", ">=0.28.4", "optional"),
        ("lxml", ">=4,<7", "optional"),
        ("typing_extensions", "^4.6", "runtime"),
        ("poetry-core", ">=1.0.0", "build"),
    ]
    dev = [(p.name, p.version) for p in result.packages if Scope.DEV in p.scopes]
    assert len(dev) == 21
    assert ("pyupgrade", "3.21.0") in dev and ("pyupgrade", "3.21.2") in dev
    assert ("jsonschema", None) in dev
    assert result.issues == []


@pytest.mark.corpus
def test_corpus_pip_audit_self_reference_and_license_file(corpus: Path) -> None:
    result = parse("pypa__pip-audit/pyproject.toml", corpus)
    assert result.project == DeclaredProject(name="pip_audit", version=None, license="file: LICENSE")
    assert [(p.note, p.extras) for p in result.packages if p.first_party] == [
        ("extra: test; the project itself", ("cov",)),
        ("extra: dev; the project itself", ("doc", "lint", "test")),
    ]


def pep508_arrays(data: dict[str, Any]) -> dict[str, list[Any]]:
    """The arrays of PEP 508 strings a pyproject holds, by key path (`project.dependencies`)."""
    project, tool = data.get("project", {}), data.get("tool", {})
    arrays = {"project.dependencies": project.get("dependencies", [])}
    arrays |= {f"project.optional-dependencies.{k}": v for k, v in project.get("optional-dependencies", {}).items()}
    arrays["build-system.requires"] = data.get("build-system", {}).get("requires", [])
    arrays |= {f"dependency-groups.{k}": v for k, v in data.get("dependency-groups", {}).items()}
    arrays["tool.uv.dev-dependencies"] = tool.get("uv", {}).get("dev-dependencies", [])
    arrays |= {f"tool.pdm.dev-dependencies.{k}": v for k, v in tool.get("pdm", {}).get("dev-dependencies", {}).items()}
    return arrays


def rejected_by_packaging(text: str) -> bool:
    """The reference PEP 508 reader refuses `text` (an editable `-e` entry is not PEP 508)."""
    try:
        Requirement(text)
    except InvalidRequirement:
        return not text.startswith("-e")
    return False


@pytest.mark.corpus
def test_corpus_issues_are_syfts_invalid_specifiers(corpus: Path) -> None:
    """An issue per string `packaging` refuses, at its key path and on the line holding it.

    syft's uv fixtures write `requests>=2.32.2<3` (no comma): invalid PEP 508, so an issue each.
    """
    found: set[tuple[str, str]] = set()
    for file, data in corpus_pyprojects(corpus):
        if data is None:
            continue  # not TOML: a ParseError (test_every_corpus_pyproject_parses)
        name = str(file.relative_to(corpus))
        lines = file.read_text(encoding="utf-8").splitlines()
        issues = parse(name, corpus).issues
        rejected = [
            (f"{where}[{index}]", item)
            for where, array in pep508_arrays(data).items()
            for index, item in enumerate(array)
            if isinstance(item, str) and rejected_by_packaging(item)
        ]
        assert len(issues) == len(rejected), (file, issues)
        for key, text in rejected:
            [issue] = [i for i in issues if i.message.startswith(f"{key}: invalid requirement {text!r}")]
            assert issue.line is not None and text in lines[issue.line - 1], issue
            found.add((name.rsplit("/testdata/", 1)[-1], key))
    assert {
        ("uv/multiple-extras/pyproject.toml", "project.dependencies[0]"),
        ("uv/nested-extras/pyproject.toml", "project.dependencies[0]"),
        ("uv/simple-deps/pyproject.toml", "project.dependencies[0]"),
    } <= found


# --- group and key path of every declaration (issue 9) ----------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "pep621-runtime-extras-build.toml",
            [
                ("requests", None, "project.dependencies[0]"),
                ("PySocks", "socks", "project.optional-dependencies.socks[0]"),  # an extra: its name
                ("setuptools", None, "build-system.requires[0]"),
            ],
        ),
        (
            "poetry-classic.toml",
            [
                ("flask", None, "tool.poetry.dependencies.flask"),  # the main table has no group name
                ("pyupgrade", None, "tool.poetry.dependencies.pyupgrade[1]"),  # the second of a constraint list
                ("black", "dev", "tool.poetry.dev-dependencies.black"),  # Poetry calls the legacy table `dev`
                ("pytest", "test", "tool.poetry.group.test.dependencies.pytest"),
                ("rich", "main", "tool.poetry.group.main.dependencies.rich"),
            ],
        ),
        (
            "dependency-groups-include.toml",
            [("pytest", "test", "dependency-groups.test[0]"), ("pre-commit", "Dev", "dependency-groups.Dev[2]")],
        ),
        (
            "pdm-dev-dependencies.toml",
            [("pytest", "test", "tool.pdm.dev-dependencies.test[0]"), ("core-lib", "test", "tool.pdm.dev-dependencies.test[1]")],
        ),
        ("uv-sources-workspace.toml", [("pytest", "dev", "tool.uv.dev-dependencies[0]")]),  # uv's `dev` group
    ],
)
def test_every_declaration_says_its_group_and_key_path(
    fixture: str, expected: list[tuple[str, str | None, str]]
) -> None:
    found = {(p.name, p.key_path): p.group for p in parse(fixture).packages}
    assert [(name, found.get((name, key_path), "missing"), key_path) for name, _, key_path in expected] == expected
    assert all(p.key_path for p in parse(fixture).packages)


def test_a_poetry_optional_dependency_is_grouped_under_the_extras_that_list_it() -> None:
    groups = {p.name: p.group for p in parse("poetry-classic.toml").packages if Scope.OPTIONAL in p.scopes}
    assert groups == {"jsonschema": "validation", "lxml": "validation, xml", "stray": None}  # stray: no extra
