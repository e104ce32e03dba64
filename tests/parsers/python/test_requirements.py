"""pip requirements files: one fixture per edge case, peers' fixtures, and the real-world corpus."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage, ParseError, ParseResult
from ospo_scan.parsers.python.requirements import SPEC, matches, parse_requirements, scopes_for
from tests.parsing import parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "requirements"
RUNTIME, DEV, TEST = frozenset({Scope.RUNTIME}), frozenset({Scope.DEV}), frozenset({Scope.TEST})


def parse(path: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a fixture the way the scan does: read through the sandboxed reader."""
    return parse_file_with(parse_requirements, root, path)


def rows(result: ParseResult) -> list[tuple[str, str | None, int | None]]:
    return [(package.name, package.version, package.line) for package in result.packages]


def issues(result: ParseResult) -> list[tuple[str, int | None]]:
    return [(issue.path, issue.line) for issue in result.issues]


def by_name(result: ParseResult) -> dict[str, DeclaredPackage]:
    return {package.name: package for package in result.packages}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("requirements.txt", True),
        ("sub/requirements.in", True),
        ("requirements-dev.txt", True),
        ("requirements_test.in", True),
        ("dev-requirements.txt", True),
        ("RsaCtfTool/optional-requirements.txt", True),
        ("requirements.complex.txt", True),
        ("constraints.txt", True),
        ("constraints-py312.txt", True),
        ("requirements/dev.txt", True),
        ("requirements/base.in", True),
        ("deps/dev.in", True),
        ("MANIFEST.in", False),
        ("Makefile.in", False),
        ("configure.in", False),
        ("setup.in", False),
        ("config.h.in", False),
        ("docs/conf.py.in", False),
        (".in", False),
        ("requirements-asdf/test.txt", False),
        ("yolo-txt/requirements.md", False),
        ("notes.txt", False),
        ("Pipfile", False),
    ],
)
def test_matches(path: str, expected: bool) -> None:
    assert matches(path) is expected
    assert SPEC.matches is matches and SPEC.name == "pip-requirements"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("requirements.txt", RUNTIME),
        ("requirements-dev.txt", DEV),
        ("dev-requirements.txt", DEV),
        ("requirements/dev.in", DEV),
        ("requirements/lint.txt", DEV),
        ("requirements/typing.txt", DEV),
        ("requirements.docs.txt", DEV),
        ("docs/requirements.txt", DEV),
        ("requirements-test.txt", TEST),
        ("requirements/tests.txt", TEST),
        ("tests/requirements.txt", TEST),
        ("requirements-test-dev.txt", TEST),
        ("requirements-docker.txt", RUNTIME),  # words, not substrings: "docker" is not "doc"
        ("requirements/devices.txt", RUNTIME),
    ],
)
def test_scope_from_file_name(path: str, expected: frozenset[Scope]) -> None:
    assert scopes_for(path) == expected


def test_scope_is_inherited_by_a_neutral_included_name() -> None:
    assert scopes_for("requirements/common.txt", TEST) == TEST
    assert scopes_for("requirements/dev.txt", TEST) == DEV


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "comments-and-blank-lines.txt",
            [("alpha", "1.0", 3), ("beta", "2.0", 5), ("gamma", "3.0", 6), ("delta", "4.0", 8)],
        ),
        (
            "continuation-lines.txt",
            [("alpha", "1.0", 1), ("beta", "2.0", 3), ("gamma", "3.0", 6), ("delta", "4.0", 8)],
        ),
        ("global-options.txt", [("alpha", "1.0", 14), ("beta", "2.0", 16)]),
        (
            "per-requirement-options.txt",
            [("alpha", "1.0", 1), ("beta", "2.0", 2), ("gamma", "3.0", 3), ("delta", None, 4)],
        ),
        (
            "operators.txt",
            [
                ("exact", "1.0", 1),
                ("arbitrary", "1.0+local", 2),
                ("compatible", None, 3),
                ("wildcard", None, 4),
                ("range", None, 5),
                ("excluded", None, 6),
                ("bare", None, 7),
            ],
        ),
        ("extras-and-markers.txt", [("Requests", "2.31.0", 1), ("psycopg", "3.1", 2)]),
        (
            "url-requirements.txt",
            [
                ("wheelpkg", "2.0", 1),
                ("zippkg", None, 2),
                ("Bare_Wheel", "3.1", 3),
                ("vcspkg", None, 5),
                ("versioned-pkg", "1.4", 6),
                ("editable-pkg", None, 8),
                ("mercurial-pkg", None, 9),
                ("private", "1.0", 10),
                ("marked", None, 11),
            ],
        ),
        (
            "local-paths.txt",
            [  # the project's own folder (lines 1, 3) is no package; siblings are named after their folder
                ("alpha", None, 2),
                ("beta", None, 4),
                ("sibling", None, 5),
                ("gamma", None, 6),
                ("myproject", None, 7),
                ("Local_Wheel", "1.0", 8),
                ("local-sdist", "2.0", 9),
                ("named", None, 10),
                ("delta", None, 11),
            ],
        ),
        ("environment-variables.txt", [("pinned", None, 1), ("alpha", "1.0", 2)]),
        ("invalid-lines.txt", [("good", "1.0", 1), ("after", "3.0", 5)]),
        ("templating.txt", [("alpha", "1.0", 2)]),
    ],
)
def test_packages_versions_and_first_lines(fixture: str, expected: list[tuple[str, str | None, int]]) -> None:
    assert rows(parse(fixture)) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("comments-and-blank-lines.txt", []),
        ("continuation-lines.txt", []),
        ("global-options.txt", [(15, "unknown pip option --frobnicate"), (17, "option --index-url needs a value")]),
        ("per-requirement-options.txt", []),
        ("operators.txt", []),
        (
            "url-requirements.txt",
            [
                (4, "cannot tell the package name of https://code.example/archive/main.tar.gz"),
                (7, "cannot tell the package name of git+https://code.example/org/noegg.git@main"),
            ],
        ),
        ("local-paths.txt", []),
        ("environment-variables.txt", []),
        (
            "invalid-lines.txt",
            [
                (2, "invalid requirement 'bad=='"),
                (3, "invalid requirement '==2.0'"),
                (4, "invalid requirement 'also bad 1.0'"),
                (6, "option -e needs a value"),
            ],
        ),
        ("templating.txt", [(1, "template placeholder"), (3, "template placeholder"), (4, "template placeholder")]),
    ],
)
def test_issues_name_the_line_and_the_rest_still_parses(fixture: str, expected: list[tuple[int, str]]) -> None:
    result = parse(fixture)
    assert [(issue.line, issue.path, issue.parser) for issue in result.issues] == [
        (line, fixture, "pip-requirements") for line, _ in expected
    ]
    for issue, (_, fragment) in zip(result.issues, expected):
        assert fragment in issue.message


def test_comment_rules_keep_url_fragments_and_note_a_hash_without_space() -> None:
    packages = by_name(parse("comments-and-blank-lines.txt"))
    assert packages["gamma"].source_url == "https://files.pypi.example/gamma/gamma-3.0-py3-none-any.whl#sha256=abc"
    assert packages["beta"].note == "text after '#' read as a comment (pip needs a space before '#')"
    assert packages["alpha"].note is None


def test_per_requirement_options_are_stripped_and_markers_extras_kept() -> None:
    packages = by_name(parse("per-requirement-options.txt"))
    assert packages["alpha"].requirement == "==1.0"
    assert packages["beta"].markers == 'python_version >= "3.8"'
    assert (packages["delta"].requirement, packages["delta"].extras) == (">=4", ("fast",))


def test_operators_keep_the_specifier_and_pin_only_exact_versions() -> None:
    requirements = {package.name: package.requirement for package in parse("operators.txt").packages}
    assert requirements == {
        "exact": "==1.0",
        "arbitrary": "===1.0+local",
        "compatible": "~=1.4",
        "wildcard": "==1.*",
        "range": ">=1,<2",
        "excluded": "!=1.5",
        "bare": None,
    }


def test_extras_are_split_from_the_name_and_markers_kept() -> None:
    requests, psycopg = parse("extras-and-markers.txt").packages
    assert requests.extras == ("Security", "socks")
    assert requests.markers == 'python_version >= "3.8" and sys_platform != "win32"'
    assert psycopg.extras == ("c", "pool")


def test_url_requirements_keep_their_source_and_read_names_from_egg_or_wheel() -> None:
    packages = by_name(parse("url-requirements.txt"))
    assert packages["Bare_Wheel"].note == "name and version from the wheel file name"
    assert packages["vcspkg"].source_url == "git+https://code.example/org/vcspkg.git@v1.2#egg=vcspkg"
    assert packages["editable-pkg"].extras == ("extra",)
    assert packages["editable-pkg"].note == "editable VCS checkout"
    assert packages["private"].source_url == "https://${TOKEN}@code.example/private-1.0-py3-none-any.whl"
    assert packages["marked"].markers == 'python_version < "3.12"'
    assert not any(package.first_party for package in packages.values())


def test_local_paths_are_first_party_and_local_archives_are_not() -> None:
    result = parse("local-paths.txt")
    first_party = [package.name for package in result.packages if package.first_party]
    assert first_party == ["alpha", "beta", "sibling", "gamma", "myproject", "named", "delta"]  # the own folder yields nothing
    packages = by_name(result)
    assert packages["myproject"].source_url == "file:."
    assert packages["myproject"].note == "editable local project at file:."
    assert packages["Local_Wheel"].first_party is False
    assert packages["local-sdist"].source_url == "./dist/local-sdist-2.0.tar.gz"
    assert result.workspace_members == ["myproject"]  # only names the file states (#egg=), never guessed ones


def test_environment_variable_in_the_version_leaves_it_open_with_a_note() -> None:
    pinned = parse("environment-variables.txt").packages[0]
    assert (pinned.version, pinned.requirement) == (None, "==${PINNED_VERSION}")
    assert pinned.note is not None and "PINNED_VERSION" in pinned.note


def test_prose_is_not_a_requirements_file() -> None:
    with pytest.raises(ParseError) as raised:
        parse("not-a-requirements-file.txt")
    assert raised.value.line == 1
    assert raised.value.message == "not a pip requirements file: 11 of 11 lines are not requirements"


OPERATOR_NAMES = ["exact", "arbitrary", "compatible", "wildcard", "range", "excluded", "bare"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "pip-compile-via-lines.txt",
            {"alpha": True, "beta": True, "gamma": False, "delta": True, "epsilon": True, "zeta": False},
        ),
        ("pip-compile-via-inline.txt", {"alpha": True, "beta": False, "gamma": True, "delta": True}),
        ("operators.txt", dict.fromkeys(OPERATOR_NAMES, True)),
    ],
)
def test_pip_compile_via_annotations_decide_directness(fixture: str, expected: dict[str, bool]) -> None:
    assert {package.name: package.direct for package in parse(fixture).packages} == expected


def test_pip_compile_lines_point_at_the_requirement_not_its_hashes() -> None:
    expected = [("alpha", "1.0", 8), ("beta", "2.0", 11), ("gamma", "3.0", 15)]
    assert rows(parse("pip-compile-via-lines.txt"))[:3] == expected


def test_includes_resolve_relative_to_the_including_file_and_carry_their_location() -> None:
    result = parse("include-relative/requirements.txt")
    located = [(p.name, p.path, p.line, p.scopes) for p in result.packages]
    assert located == [
        ("top", None, 1, RUNTIME),
        ("base-pkg", "include-relative/requirements/base.txt", 2, RUNTIME),
        ("common-pkg", "include-relative/shared/common.txt", 1, RUNTIME),
        ("pytest", "include-relative/requirements/test.txt", 1, TEST),
        # test.txt includes base.txt again: requirements/base.txt is scanned on its own too,
        # so it keeps RUNTIME and is not read a second time
    ]
    assert result.issues == []


def test_unreadable_includes_are_issues_on_the_include_line() -> None:
    result = parse("include-missing/requirements.txt")
    assert rows(result) == [("alpha", "1.0", 1), ("beta", "2.0", 5)]
    assert issues(result) == [("include-missing/requirements.txt", line) for line in (2, 3, 4)]
    messages = [issue.message for issue in result.issues]
    assert "no such file" in messages[0]
    assert "outside the scanned root" in messages[1]
    assert messages[2] == "remote include https://code.example/requirements.txt not followed (offline)"


def test_include_cycle_is_reported_once_and_does_not_loop() -> None:
    result = parse("include-cycle/requirements.txt")
    assert [package.name for package in result.packages] == ["root", "a", "b"]
    assert issues(result) == [("include-cycle/b.txt", 2)]
    assert result.issues[0].message == (
        "include cycle: include-cycle/requirements.txt -> include-cycle/a.txt -> include-cycle/b.txt"
        " -> include-cycle/requirements.txt"
    )


def test_include_depth_is_capped() -> None:
    result = parse("include-too-deep/requirements.txt")
    assert [package.name for package in result.packages] == ["root"] + [f"level{n}" for n in range(1, 11)]
    assert issues(result) == [("include-too-deep/level10.txt", 2)]
    assert "deeper than 10 levels" in result.issues[0].message


def test_constraints_pin_required_packages_and_add_none() -> None:
    result = parse("constraints-pin/requirements.txt")
    summary = [(p.name, p.version, p.requirement, p.note) for p in result.packages]
    where = "constraints-pin/constraints.txt"
    assert summary == [
        ("alpha", "1.5", None, f"version pinned by constraint ==1.5 at {where}:1"),
        ("beta", "2.0", ">=1", f"version pinned by constraint ==2.0 at {where}:2"),
        ("gamma", "3.0", "==3.0", f"constrained to ==3.0 at {where}:3"),
        ("local", None, "./local#egg=local", "editable local project at ./local"),  # first-party: never pinned
        ("delta", None, None, f"constrained to <5 at {where}:6"),  # from more.txt, read after the -c line
    ]
    assert result.issues == []


def test_a_constraints_file_on_its_own_declares_nothing() -> None:
    result = parse("constraints-pin/constraints.txt")
    assert (result.packages, result.issues) == ([], [])


def test_a_constraints_file_declares_nothing_through_its_includes_either() -> None:
    """pip-tools layout (aiohttp): constraints.in gathers the other inputs with `-r`."""
    result = parse("constraints-with-includes/constraints.in")
    assert (result.packages, result.issues) == ([], [])
    assert rows(parse("constraints-with-includes/base.in")) == [("alpha", None, 1)]


# --- peers' fixtures -------------------------------------------------------------------------

SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/python/requirements"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/python/pip"


def pinned(result: ParseResult) -> list[tuple[str, str]]:
    return [(p.name, p.version) for p in result.packages if p.version is not None]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected_pins", "issue_lines"),
    [
        ("no_version.txt", [], []),
        ("loop.txt", [], [2]),  # peer: no packages, no endless loop; we also name the cycle
        (
            "with_versions.txt",
            [
                ("nltk", "3.2.2"),
                ("tabulate", "0.7.7"),
                ("qwerty", "0.1"),
                ("hy-phen", "1.2"),
                ("under_score", "1.3"),
                ("pkg.dot.name", "5.0.0"),
                ("yolo", "1.0"),
            ],
            [],
        ),
        (
            "comments.txt",
            [("PyCrypto", "1.2-alpha"), ("GMPY2", "1"), ("SymPy", "1.2"), ("requests", "1.0"), ("six", "1.2")],
            [],
        ),
        (
            "example.txt",
            [
                ("docopt", "0.6.1"),
                ("pandas", "2.2.3"),  # from other-requirements.txt (the peer's newer copy names transitive-req)
                ("numpy", "1.9.2"),  # local wheel, peer skips it
                ("wxPython_Phoenix", "3.0.3.dev1820+49a8884"),  # wheel URL, peer skips it
            ],
            [22],  # -c constraints.txt: the file is not in the fixture
        ),
        ("extras.txt", [("pyjwt", "2.1.0"), ("celery", "4.4.7")], []),
        ("env_var.txt", [("asdf", "1.2"), ("another", "1.0")], []),
        ("invalid.txt", [], [1, 2, 3]),  # line 4 is a valid URL requirement; `-foo` is pip's `-f oo`
        (
            "per_req_options.txt",
            [(f"foo{n}", "1.0") for n in (1, 2, 3, 4, 5, 6, 8, 9, 11, 12, 13, 14)]
            + [("foo16-Client", "1.0"), ("foo17--hash", "1.0"), ("foo18-Client", "1.0")],
            [13, 20, 30],  # foo7 (peer keeps a garbage version), foo10 and foo15 (no version)
        ),
        ("multiline_and_comments.txt", [("pkgA", "1.0"), ("pkgB", "2.0")], []),
        ("trailing_backslash.txt", [("pkg1", "1.0")], []),
    ],
)
def test_osv_scalibr_fixtures(
    corpus: Path, fixture: str, expected_pins: list[tuple[str, str]], issue_lines: list[int]
) -> None:
    root = corpus / SCALIBR
    result = parse(f"testdata/{fixture}", root)
    assert pinned(result) == expected_pins
    assert [issue.line for issue in result.issues] == issue_lines


@pytest.mark.corpus
def test_osv_scalibr_open_comparators_are_kept_as_requirements(corpus: Path) -> None:
    root = corpus / SCALIBR
    requirements = {p.name: p.requirement for p in parse("testdata/with_versions.txt", root).packages}
    assert (requirements["newspaper3k"], requirements["pkg"], requirements["asdf"]) == (">=0.2.2", "<=1.2.3", "==0.7.*")
    multiline = parse("testdata/multiline_and_comments.txt", root)
    assert [p.line for p in multiline.packages] == [3, 7]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected_pins", "issue_lines"),
    [
        ("requirements_flask.txt", [("click", "8.0.0"), ("Flask", "2.0.0"), ("itsdangerous", "2.0.0"),
                                    ("Jinja2", "3.0.0"), ("MarkupSafe", "2.0.0"), ("Werkzeug", "2.0.0")], []),
        ("requirements_comments.txt", [("click", "8.0.0"), ("Flask", "2.0.0"), ("Jinja2", "3.0.0"),
                                       ("MarkupSafe", "2.0.0")], []),
        ("requirements_spaces.txt", [("click", "8.0.0"), ("Flask", "2.0.0"), ("itsdangerous", "2.0.0"),
                                     ("Jinja2", "3.0.0")], []),
        ("requirements_no_version.txt", [("Flask", "2.0.0")], [3]),
        ("requirements_operator.txt", [("Django", "2.3.4"), ("SomeProject", "5.4")], []),
        ("requirements_hash.txt", [("FooProject", "1.2"), ("Jinja2", "3.0.0")], []),
        ("requirements_hyphens.txt", [("oauth2-client", "4.0.0"), ("python-gitlab", "2.0.0")], []),
        ("requirement_exstras.txt", [("pyjwt", "2.1.0"), ("celery", "4.4.7")], []),
        ("requirements_utf16le.txt", [("attrs", "20.3.0")], []),
        ("requirements_with_templating_engine.txt", [], [1, 2, 3, 4, 5]),
        ("requirements_compatible.txt", [], [4, 5]),  # django==5.*.* and ==4.*.1 are not valid specifiers
    ],
)  # fmt: skip
def test_trivy_fixtures(
    corpus: Path, fixture: str, expected_pins: list[tuple[str, str]], issue_lines: list[int]
) -> None:
    root = corpus / TRIVY
    result = parse(f"testdata/{fixture}", root)
    assert pinned(result) == expected_pins
    assert [issue.line for issue in result.issues] == issue_lines


@pytest.mark.corpus
def test_trivy_lines_match_the_peer(corpus: Path) -> None:
    root = corpus / TRIVY
    assert [p.line for p in parse("testdata/requirements_hash.txt", root).packages] == [1, 4]
    assert [p.line for p in parse("testdata/requirements_spaces.txt", root).packages] == [1, 2, 3, 5]
    compatible = {p.name: p.requirement for p in parse("testdata/requirements_compatible.txt", root).packages}
    assert compatible == {
        "keyring": ">=4.1.1",
        "Mopidy-Dirble": "~=1.1",
        "python-gitlab": "==2.0.*",
        "pyjwt": "==1.*,>=1.2",
        "eventlet": "!=0.18.3,!=0.20.1,>=0.18.2",
    }


# --- real-world corpus ---------------------------------------------------------------------

_DECLARING_LINE = re.compile(r"^(?:[A-Za-z0-9]|-e\s|--editable[\s=])")
_UNNAMED_LOCAL_PROJECT = re.compile(r"^(?:(?:-e|--editable)[\s=]+)?(?:\.|/|~|file:)(?!.*#egg=)(?!.*\.(?:whl|tar\.gz|zip)\b)")
"""`-e .[dev]`, `./libs/a`, `file:..`: a local project the line does not name, which yields no package."""
_INCLUDE_LINE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)", re.MULTILINE)


def corpus_files(corpus: Path) -> list[tuple[Path, str]]:
    """(repository folder, root-relative path) of every corpus file this parser matches."""
    found = []
    for repository in sorted(path for path in corpus.iterdir() if path.is_dir() and path.name != "fixtures"):
        for file in sorted(repository.rglob("*")):
            relative = file.relative_to(repository).as_posix()
            if file.is_file() and matches(relative):
                found.append((repository, relative))
    return found


def declaring_lines(text: str) -> int:
    """An independent count: physical lines that start a requirement (not options, comments, hashes)."""
    return sum(1 for line in text.splitlines() if _DECLARING_LINE.match(line) and not _UNNAMED_LOCAL_PROJECT.match(line))


def is_prose(text: str) -> bool:
    """`packaging` refuses most lines that would start a requirement (docs named like one)."""
    candidates = [line for line in text.splitlines() if re.match(r"[A-Za-z0-9]", line)]
    return sum(_refused(line) for line in candidates) > len(candidates) / 2


def _refused(line: str) -> bool:
    """The line, without a trailing comment, per-requirement options or continuation, is no PEP 508."""
    text = re.split(r"\s+#", line, maxsplit=1)[0].split(" --", 1)[0].rstrip(" \\")
    try:
        Requirement(text)
    except InvalidRequirement:
        return True
    return False


def expected_counts(repository: Path, relative: str) -> Counter[str]:
    """Requirement lines per file: the file's own and those of its `-r` includes, each read once.

    Independent of the parser: line patterns only. `-c` includes add no packages, and a
    constraints file (constraints*.txt/.in) none at all, not even through its `-r` lines.
    """
    counts: Counter[str] = Counter()
    if posixpath.basename(relative).lower().startswith("constraints"):
        return counts
    pending, seen = [relative], set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        text = (repository / path).read_text(encoding="utf-8")
        counts[path] += declaring_lines(text)
        pending += [posixpath.normpath(posixpath.join(posixpath.dirname(path), t)) for t in _INCLUDE_LINE.findall(text)]
    return +counts  # files without requirement lines yield no package


@pytest.mark.corpus
def test_corpus_files_parse_and_yield_one_package_per_requirement_line(corpus: Path) -> None:
    """Per file (its own and each included one), as many packages as requirement lines."""
    files = corpus_files(corpus)
    assert len(files) >= 10
    for repository, relative in files:
        name = f"{repository.name}/{relative}"
        if is_prose((repository / relative).read_text(encoding="utf-8")):
            with pytest.raises(ParseError):
                parse(relative, repository)
            continue
        result = parse(relative, repository)
        found = Counter(package.path or relative for package in result.packages)  # path: an included file
        assert found == expected_counts(repository, relative), name
        assert result.issues == [], name


@pytest.mark.corpus
def test_corpus_pip_compile_output_marks_transitive_packages(corpus: Path) -> None:
    result = parse("examples/celery/requirements.txt", corpus / "pallets__flask")
    assert [p.name for p in result.packages if p.direct] == ["celery", "flask"]
    assert len(result.packages) == 21 and all(p.version for p in result.packages)
    old_style = parse("test/data/requirements.comments.txt", corpus / "CycloneDX__cdxgen")
    direct = [p.name for p in old_style.packages if p.direct]
    assert direct == [
        "google-api-python-client",
        "google-auth-httplib2",
        "google-auth-oauthlib",
        "httplib2",
        "pip-tools",
        "safety",
        "tqdm",
    ]


@pytest.mark.corpus
def test_corpus_editable_project_and_docs_scope(corpus: Path) -> None:
    result = parse("docs/requirements.txt", corpus / "pypa__pipenv")
    assert [p.name for p in result.packages if p.first_party] == []  # `-e .` is the project itself
    assert {scope for p in result.packages for scope in p.scopes} == {Scope.DEV}
    netbox = parse("requirements.txt", corpus / "netbox-community__netbox")
    assert len(netbox.packages) == 46 and all(p.version for p in netbox.packages)
    assert by_name(netbox)["psycopg"].extras == ("c", "pool")


# --- the project installed into itself (issue 9: `-e .[extras]` became a component named `-`) --------


def test_a_local_project_the_line_does_not_name_is_no_package() -> None:
    result = parse("editable-self-with-extras.txt")
    assert [(p.name, p.first_party, p.line) for p in result.packages] == [
        ("pkg", True, 10),  # `./pkg`: a sibling project, named after its folder
        ("path", True, 11),
        ("myproject", True, 13),  # `-e file:.#egg=myproject[extra]`: named by the line
        ("named", True, 14),  # `named @ file:./libs/named`
        ("requests", False, 15),
    ]
    assert by_name(result)["myproject"].extras == ("extra",)
    assert result.issues == []


def test_scanning_a_project_that_installs_itself_shows_no_component_named_after_a_path(tmp_path: Path) -> None:
    from ospo_scan.scan import scan

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1.0"\n', encoding="utf-8")
    (tmp_path / "requirements.txt").write_bytes((FIXTURES / "editable-self-with-extras.txt").read_bytes())
    inventory = scan([tmp_path])
    names = {component.name for component in inventory.components}
    assert not names & {"-", ".", ".."}
    assert names == {"pkg", "path", "myproject", "named", "requests"}
    assert inventory.issues == ()
