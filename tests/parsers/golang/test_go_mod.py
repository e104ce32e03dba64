"""go.mod: requires, replacements, excludes, tools, syntax errors, peers' fixtures, the corpus."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ospo_scan.model import Scope, Severity
from ospo_scan.parsers.base import DeclaredPackage, DeclaredProject, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.golang.go_mod import SPEC, parse_go_mod
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "go_mod"
RUNTIME, BUILD = frozenset({Scope.RUNTIME}), frozenset({Scope.BUILD})
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/golang/gomod/testdata"
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/golang/mod/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/golang/testdata"


def parse_fixture(case: str) -> ParseResult:
    """Parse fixtures/go_mod/<case>/go.mod through the sandbox reader, as the scan would."""
    return parse_file_with(parse_go_mod, FIXTURES, f"{case}/go.mod")


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_go_mod, root, relative)


def summary(result: ParseResult) -> list[tuple[str, str | None, bool | None, int | None]]:
    """(name, version, direct, line) of every package, in output order."""
    return [(p.name, p.version, p.direct, p.line) for p in result.packages]




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("go.mod", True),
        ("path/to/my/go.mod", True),
        ("", False),
        ("go.sum", False),
        ("path/to/my/go.mod/file", False),
        ("path/to/my/go.mod.file", False),
        ("path.to.my.go.mod", False),
        ("Go.mod", False),
    ],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "go-mod"


def test_single_and_block_requires_with_indirect_marks_comments_and_lines() -> None:
    result = parse_fixture("single-and-block-requires")
    assert summary(result) == [
        ("example.com/single", "v1.0.0", True, 8),
        ("example.com/direct", "v1.2.3", True, 12),
        ("example.com/pseudo", "v0.0.0-20240603093900-cf8a8d29271d", True, 13),
        ("example.com/incompatible", "v2.0.0+incompatible", True, 15),
        ("example.com/indirect", "v0.3.0", False, 19),
        ("example.com/nospace", "v0.4.0", False, 20),  # //indirect
        ("example.com/withreason", "v0.5.0", False, 21),  # // indirect; reason
        ("example.com/notindirect", "v0.6.0", True, 22),  # "indirectly" is not the marker
        ("example.com/single-indirect", "v1.1.0", False, 24),
    ]
    assert all(p.scopes == RUNTIME and p.note is None and not p.first_party for p in result.packages)
    assert result.project == DeclaredProject(name="example.com/app")
    assert result.issues == [] and result.edges == [] and result.workspace_members == []


def test_go_1_22_sum_only_modules_the_require_list_is_the_build_list() -> None:
    """go >= 1.17: go.mod lists every module of the build, so go.sum entries it does not name
    are checksums only (resolution drops them); each require keeps its group and key path."""
    result = parse_fixture("go-1.22-sum-only-modules")
    assert result.build_list_complete is True
    assert [(p.name, p.version, p.direct, p.group, p.key_path, p.line) for p in result.packages] == [
        ("example.com/web", "v1.4.0", True, "require", "require[0]", 6),
        ("example.com/fork/config", "v0.3.3", True, "require", "require[1]", 7),
        ("example.com/log", "v0.9.1", False, "require", "require[2]", 11),
        ("example.com/text", "v0.14.0", False, "require", "require[3]", 12),
    ]
    assert result.issues == []


def test_go_1_16_sum_modules_the_require_list_is_not_the_build_list() -> None:
    result = parse_fixture("go-1.16-sum-modules")
    assert result.build_list_complete is False
    assert [(p.name, p.version, p.direct, p.key_path) for p in result.packages] == [("example.com/web", "v1.4.0", True, "require[0]")]


@pytest.mark.parametrize(
    ("go_line", "complete"),
    [
        ("go 1.17", True),
        ("go 1.17.0", True),
        ("go 1.21.0", True),
        ("go 1.22rc1", True),  # language 1.22, a pre-release of 1.22.0
        ("go 1.17rc1", True),  # gover: 1.17 < 1.17rc1 < 1.17.0
        ("go 1.100", True),  # compared as numbers, not as text
        ("go 2.0", True),
        ("go 1.16", False),
        ("go 1.16.15", False),
        ("go 1.16beta1", False),
        ("go 1.9", False),
        ("", False),  # no go directive: `go` reads the module as an old one
    ],
)
def test_go_directive_decides_whether_the_build_list_is_complete(go_line: str, complete: bool) -> None:
    text = f"module example.com/m\n{go_line}\nrequire example.com/a v1.0.0\n"
    result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))
    assert result.build_list_complete is complete
    assert result.issues == []


@pytest.mark.parametrize(
    ("go_line", "message"),
    [
        ("go 1", "go: '1' is not a Go version (expected a form such as 1.23 or 1.23.0)"),
        ("go 1.17.x", "go: '1.17.x' is not a Go version (expected a form such as 1.23 or 1.23.0)"),
        ("go v1.17", "go: 'v1.17' is not a Go version (expected a form such as 1.23 or 1.23.0)"),
        ("go 01.17", "go: '01.17' is not a Go version (expected a form such as 1.23 or 1.23.0)"),
        ("go 1.17 1.18", "go: expected one argument, found 2"),
    ],
)
def test_a_go_version_go_refuses_is_an_issue_and_the_list_counts_as_incomplete(go_line: str, message: str) -> None:
    text = f"module example.com/m\n{go_line}\nrequire example.com/a v1.0.0\n"
    result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))
    assert result.build_list_complete is False
    assert [(found.line, found.message, found.code, found.severity) for found in result.issues] == [
        (2, message, "invalid-entry", Severity.ERROR)
    ]
    assert [p.name for p in result.packages] == ["example.com/a"]


def test_replace_to_another_version_reports_the_replacement() -> None:
    result = parse_fixture("replace-to-another-version")
    assert [(p.name, p.version, p.direct, p.line, p.note) for p in result.packages] == [
        ("example.com/fork/net", "v1.4.5", True, 6, "replaced golang.org/x/net@v1.2.3"),
        ("example.com/wildcard-fork", "v1.9.0", True, 7, "replaced example.com/wildcard@v1.0.0"),
        # a replacement of exactly the required version wins over one of every version
        ("example.com/both-exact", "v1.0.1", True, 8, "replaced example.com/both@v1.0.0"),
        # a replacement of v1.2.3 leaves the required v0.5.6 alone
        ("example.com/other-version", "v0.5.6", True, 9, None),
        ("example.com/same-path", "v1.1.1", False, 10, "replaced example.com/same-path@v1.1.0"),
    ]
    assert all(p.source_url is None and not p.first_party for p in result.packages)
    assert result.issues == []


def test_replace_to_local_path_is_first_party_without_version() -> None:
    result = parse_fixture("replace-to-local-path")
    assert [(p.name, p.version, p.direct, p.first_party, p.source_url, p.line) for p in result.packages] == [
        ("example.com/app/api", None, True, True, "../api", 6),
        ("example.com/app/client", None, False, True, "./client", 7),
        ("example.com/vendored", None, True, True, "./third_party/vendored", 8),
        # `example.com/kept v0.9.0 => ./kept` is for another version
        ("example.com/kept", "v1.0.0", True, False, None, 9),
        ("example.com/abs", None, True, True, "/opt/src/abs", 10),
    ]
    assert result.packages[0].note == (
        "replaced example.com/app/api@v0.0.0-00010101000000-000000000000 by local directory ../api"
    )
    assert result.workspace_members == [
        "example.com/abs",
        "example.com/app/api",
        "example.com/app/client",
        "example.com/vendored",
    ]
    assert result.issues == []


def test_exclude_never_adds_a_package_and_never_drops_another_version() -> None:
    result = parse_fixture("exclude-other-version")
    assert summary(result) == [("example.com/lib", "v1.5.0", True, 6), ("example.com/pinned", "v1.0.0", True, 7)]
    lib, pinned = result.packages
    assert lib.note is None
    assert pinned.note == "example.com/pinned@v1.0.0 is excluded (line 14): go selects the next higher version"
    assert result.issues == []


def test_tool_directives_are_build_declarations_of_the_longest_prefix_module() -> None:
    result = parse_fixture("tool-directives")
    assert [(p.name, p.direct, p.scopes, p.group, p.key_path, p.line, p.note) for p in result.packages] == [
        # imported by the project (a direct require): runtime; its tool is a build declaration below
        ("golang.org/x/tools", True, RUNTIME, "require", "require[0]", 17, "provides tool golang.org/x/tools/cmd/stringer"),
        # golang.org/x/tools/gopls is its own module: the longest prefix wins
        ("golang.org/x/tools/gopls", False, BUILD, "require", "require[1]", 18, "provides tool golang.org/x/tools/gopls"),
        ("example.com/linter", False, BUILD, "require", "require[2]", 19, "provides tool example.com/linter/cmd/lint"),
        ("example.com/runtime", True, RUNTIME, "require", "require[3]", 20, None),
        # one per tool package (the repeated stringer line counts once): the project declares them
        ("golang.org/x/tools", True, BUILD, "tool", "tool[0]", 6, "provides tool golang.org/x/tools/cmd/stringer"),
        ("golang.org/x/tools/gopls", True, BUILD, "tool", "tool[1]", 7, "provides tool golang.org/x/tools/gopls"),
        ("example.com/linter", True, BUILD, "tool", "tool[2]", 8, "provides tool example.com/linter/cmd/lint"),
    ]
    # the module's own packages and ./cmd/local are not dependencies; a tool nobody provides is an error
    assert issues(result) == [(11, "tool example.com/missing/cmd/tool: no required module provides this package")]


def test_quoted_module_paths_interpreted_and_raw() -> None:
    result = parse_fixture("quoted-paths")
    assert [(p.name, p.version, p.direct, p.note) for p in result.packages] == [
        ("example.com/raw-fork", "v1.0.1", True, "replaced example.com/interpreted@v1.0.0"),
        ("example.com/raw", "v1.1.0", True, None),
        ("example.com/escaped", "v1.2.0", False, None),  # "\x65" is an `e`
    ]
    assert result.project == DeclaredProject(name="example.com/quoted")
    assert result.issues == []


def test_syntax_errors_are_issues_on_their_lines_and_the_rest_parses() -> None:
    result = parse_fixture("syntax-errors")
    assert issues(result) == [
        (5, "unknown directive: requires"),
        (7, "unterminated quoted string"),
        (8, "bad quoting: unknown escape \\q"),
        (9, "require: expected a module path and a version"),
        (10, "require example.com/branch: 'master' is not a module version"),
        (11, "replace example.com/good: replacement example.com/fork needs a version, or a directory path starting with ./ or ../"),
        (12, "replace example.com/good: replacement directory ./local cannot have a version"),
        (13, "replace example.com/good: expected `old [version] => new [version]`"),
        (14, "exclude: expected a module path and a module version"),
        (15, "unexpected ')' where a directive should start"),
        (16, "tool: expected one package path"),
        (18, "unknown directive: ruire"),
        (22, "unterminated require block: no closing )"),
        (24, "unexpected parenthesis inside the require block opened at line 22"),
    ]
    assert [(p.name, p.version, p.requirement, p.line, p.note) for p in result.packages] == [
        ("example.com/good", "v1.0.0", None, 6, None),
        ("example.com/branch", None, "master", 10, "not a Go module version: master"),
        ("example.com/after", "v2.0.0+incompatible", None, 23, None),
        ("example.com/never-closed", "v0.1.0", None, 25, None),  # entries of an unclosed block are kept
    ]
    # each problem is one line's: the rest of the file is read, the scan counts as incomplete
    assert {(found.code, found.severity) for found in result.issues} == {("invalid-entry", Severity.ERROR)}
    assert result.project == DeclaredProject(name="example.com/broken")


def test_directives_that_record_nothing() -> None:
    """module in a block, godebug, ignore, retract (incl. intervals), empty blocks."""
    result = parse_fixture("directives-that-record-nothing")
    assert summary(result) == [("example.com/only", "v1.0.0", True, 36)]
    assert result.project == DeclaredProject(name="example.com/blockmodule")
    assert result.issues == []


def test_repeated_directives_keep_the_first_and_merge_duplicates() -> None:
    result = parse_fixture("repeated-directives")
    assert [(p.name, p.version, p.direct, p.line, p.note) for p in result.packages] == [
        # required twice at one version, once indirect: one package, direct
        ("example.com/twice", "v1.0.0", True, 8, None),
        # three requirements replaced by the same module version: one package, at the first line
        ("example.com/shared", "v3.0.0+incompatible", True, 10, "replaced example.com/two-versions@v1.0.0"),
        ("example.com/one-fork", "v1.0.1", True, 12, "replaced example.com/one@v1.0.0"),
    ]
    assert issues(result) == [
        (2, "repeated module directive (first at line 1); the first is used"),
        (5, "repeated go directive (first at line 4); the first is used"),
        (17, "replace example.com/one: repeated (first at line 16); the first is used"),
    ]
    assert result.project == DeclaredProject(name="example.com/first")


def test_major_version_mismatches_are_reported_and_kept() -> None:
    result = parse_fixture("major-version-mismatch")
    assert [(p.name, p.version) for p in result.packages] == [
        ("example.com/lib/v2", "v1.0.0"),
        ("example.com/plain-fork", "v4.0.0"),
        ("example.com/legacy", "v3.0.0+incompatible"),
        ("gopkg.in/yaml.v3", "v3.0.1"),
        ("gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405"),
        ("example.com/lib/v3", "v3.2.0"),
    ]
    assert issues(result) == [
        (6, "require example.com/lib/v2: version v1.0.0 does not match the path suffix /v2"),
        (7, "require example.com/plain: version v2.1.0 needs a /v2 path suffix or +incompatible"),
        (14, "replace example.com/plain@v2.1.0: version v4.0.0 needs a /v4 path suffix or +incompatible"),
    ]


def test_a_file_with_no_readable_directive_raises_parse_error() -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("not-a-go-mod")
    assert (raised.value.message, raised.value.line) == ("not a go.mod file: unknown directive: {", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("// only a comment\n\n", []),
        ("module m\r\n\r\nrequire (\r\n\tex.com/a v1.0.0 // indirect\r\n)\r\n", [("ex.com/a", "v1.0.0", False, 4)]),
        ("module m\nrequire ex.com/a v1.0.0", [("ex.com/a", "v1.0.0", True, 2)]),  # no newline at the end
        ("require(\nex.com/a v1.0.0\n)", [("ex.com/a", "v1.0.0", True, 2)]),  # `(` glued to the verb
        ("require ex.com/a v1.0.0//indirect", [("ex.com/a", "v1.0.0", False, 1)]),
    ],
)
def test_text_forms(text: str, expected: list[tuple[str, str, bool, int]]) -> None:
    result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))
    assert summary(result) == expected
    assert result.issues == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("require (\n" + "(" * 100_000 + "\n", 2),  # a flood of parentheses: issues, no recursion
        ('"' * 50_000, 1),
        ("\x00\x01 binary-ish", 1),
    ],
)
def test_hostile_text_never_crashes(text: str, line: int) -> None:
    try:
        result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))
    except ParseError as error:
        assert error.line == line
    else:
        assert result.packages == [] and result.issues


def test_a_large_generated_go_mod_parses_quickly() -> None:
    lines = ["module example.com/big", "", "require ("]
    lines += [f"\texample.com/m{index} v1.{index}.0 // indirect" for index in range(100_000)]
    lines.append(")")
    started = time.perf_counter()
    result = parse_go_mod(SourceFile(path="go.mod", text="\n".join(lines)), SandboxReader(FIXTURES))
    elapsed = time.perf_counter() - started
    assert len(result.packages) == 100_000 and result.issues == []
    assert result.packages[-1] == DeclaredPackage(
        name="example.com/m99999", version="v1.99999.0", direct=False, line=100_003, group="require", key_path="require[99999]"
    )
    assert elapsed < 30  # generous: only guards against quadratic behaviour


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # osv-scalibr gomod_test.go (scalibr strips the v and adds a `stdlib` package for the
        # go directive; we keep versions verbatim and report no stdlib)
        ("empty.mod", []),
        ("one-package.mod", [("github.com/BurntSushi/toml", "v1.0.0", True)]),
        ("two-packages.mod", [("github.com/BurntSushi/toml", "v1.0.0", True), ("gopkg.in/yaml.v2", "v2.4.0", True)]),
        ("toolchain.mod", [("github.com/BurntSushi/toml", "v1.0.0", True)]),
        ("toolchain-with-suffix.mod", [("github.com/BurntSushi/toml", "v1.0.0", True)]),
        (
            "indirect-packages.mod",
            [
                ("github.com/BurntSushi/toml", "v1.0.0", True),
                ("gopkg.in/yaml.v2", "v2.4.0", True),
                ("github.com/mattn/go-colorable", "v0.1.9", False),
                ("github.com/mattn/go-isatty", "v0.0.14", False),
                ("golang.org/x/sys", "v0.0.0-20210630005230-0f9fa26af87c", False),
            ],
        ),
        # scalibr adds indirect-1.16.sum's modules here; go.sum is its own file for us
        ("indirect-1.16.mod", [("github.com/sirupsen/logrus", "v1.9.3", True)]),
        (
            "indirect-1.23.mod",
            [("github.com/sirupsen/logrus", "v1.9.3", True), ("golang.org/x/sys", "v0.0.0-20220715151400-c0bba94af5f8", False)],
        ),
        ("replace-one.mod", [("example.com/fork/net", "v1.4.5", True)]),
        ("replace-mixed.mod", [("example.com/fork/net", "v1.4.5", True), ("golang.org/x/net", "v0.5.6", True)]),
        ("replace-different.mod", [("example.com/fork/foe", "v1.4.5", True), ("example.com/fork/foe", "v1.4.2", True)]),
        ("replace-not-required.mod", [("golang.org/x/net", "v0.5.6", True), ("github.com/BurntSushi/toml", "v1.0.0", True)]),
        ("replace-no-version.mod", [("example.com/fork/net", "v1.4.5", True)]),
        # scalibr names a local replacement by its directory ("./fork/net", no version); we keep
        # the module path, first-party, with the directory as source
        ("replace-local.mod", [("golang.org/x/net", None, True), ("github.com/BurntSushi/toml", "v1.0.0", True)]),
    ],
)
def test_osv_scalibr_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str | None, bool]]) -> None:
    result = parse_path(corpus, f"{SCALIBR}/{fixture}")
    assert [(p.name, p.version, p.direct) for p in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
def test_osv_scalibr_local_replacement_and_broken_file(corpus: Path) -> None:
    local = parse_path(corpus, f"{SCALIBR}/replace-local.mod").packages[0]
    assert (local.first_party, local.source_url) == (True, "./fork/net")
    with pytest.raises(ParseError) as raised:
        parse_path(corpus, f"{SCALIBR}/not-go-mod.mod")
    assert (raised.value.message, raised.value.line) == ("not a go.mod file: unknown directive: this", 1)


_DEP_PARSER = "github.com/aquasecurity/go-dep-parser"
_XERRORS = ("golang.org/x/xerrors", "v0.0.0-20200804184101-5ec99f83aff1", False)
_YAML = ("gopkg.in/yaml.v3", "v3.0.0-20210107192922-496545a6307b", False)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # trivy mod/parse_testcase.go; trivy drops indirect requires of go < 1.17 (go116) and
        # modules replaced by a local path: we keep both (transitive / first-party)
        (
            "normal/go.mod",
            [
                ("github.com/aquasecurity/go-version", "v0.0.0-20240603093900-cf8a8d29271d", True),
                ("github.com/davecgh/go-spew", "v1.1.2-0.20180830191138-d8f796af33cc", False),
                ("github.com/pmezard/go-difflib", "v1.0.1-0.20181226105442-5d4384ee4fb2", False),
                ("github.com/stretchr/testify", "v1.9.0", False),
                ("golang.org/x/xerrors", "v0.0.0-20231012003039-104605ab7028", False),
            ],
        ),
        ("no-go-version/gomod", [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True)]),
        ("replaced/go.mod", [(_DEP_PARSER, "v0.0.0-20220406074731-71021a481237", True), _XERRORS]),
        ("replaced-with-version/go.mod", [(_DEP_PARSER, "v0.0.0-20220406074731-71021a481237", True), _XERRORS]),
        ("replaced-with-version-mismatch/go.mod", [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True), _XERRORS, _YAML]),
        (
            "replaced-with-local-path/go.mod",
            [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True), ("golang.org/x/xerrors", None, False), _YAML],
        ),
        (
            "replaced-with-local-path-and-version/go.mod",
            [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True), ("golang.org/x/xerrors", None, False), _YAML],
        ),
        (
            "replaced-with-local-path-and-version-mismatch/go.mod",
            [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True), _XERRORS, _YAML],
        ),
        ("go116/go.mod", [(_DEP_PARSER, "v0.0.0-20211224170007-df43bca6b6ff", True), _YAML]),
        ("replaced-with-local-path/xerrors/go.mod", []),
    ],
)
def test_trivy_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str | None, bool]]) -> None:
    result = parse_path(corpus, f"{TRIVY}/{fixture}")
    assert [(p.name, p.version, p.direct) for p in result.packages] == expected
    assert all(p.source_url == "./xerrors" for p in result.packages if p.first_party)
    assert [p.first_party for p in result.packages] == [p.version is None for p in result.packages]
    assert result.issues == []


@pytest.mark.corpus
def test_syft_fixtures(corpus: Path) -> None:
    """syft parse_go_mod_test.go: one-package, many-packages (module block, comments, replaces)."""
    one = parse_path(corpus, f"{SYFT}/go-mod-fixtures/one-package/go.mod")
    assert summary(one) == [("github.com/bmatcuk/doublestar", "v1.3.1", True, 6)]
    many = parse_path(corpus, f"{SYFT}/go-mod-fixtures/many-packages/go.mod")
    # syft drops the excluded github.com/adrg/xdg v0.2.1; we keep it with a note (see the exclude test)
    assert [(p.name, p.version, p.direct) for p in many.packages] == [
        ("github.com/adrg/xdg", "v0.2.1", True),
        ("github.com/anchore/go-testutils", "v0.0.0-20200624184116-66aa578126db", True),
        ("github.com/anchore/go-version", "v1.2.2-0.20200701162849-18adb9c92b9b", True),
        ("github.com/anchore/stereoscope", "v0.0.0-20200706164556-7cf39d7f4639", True),
        ("github.com/anchore/archiver/v3", "v3.5.2", True),
        ("github.com/bmatcuk/doublestar", "v8.8.8", False),
        ("github.com/go-test/deep", "v1.0.6", True),
    ]
    assert many.packages[0].note == "github.com/adrg/xdg@v0.2.1 is excluded (line 24): go selects the next higher version"
    assert many.project == DeclaredProject(name="github.com/anchore/syft")
    # the go command rejects v8.8.8 for a path without /v8; syft reports it silently
    assert issues(many) == [(20, "replace github.com/bmatcuk/doublestar: version v8.8.8 needs a /v8 path suffix or +incompatible")]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "go-source-replacements/go.mod",
            [
                ("rsc.io/quote", "v1.5.2", True, None),
                ("golang.org/x/text", "v0.0.0-20170915032832-14c0d48ead0c", False, None),
                ("rsc.io/sampler", "v1.3.1", False, None),
            ],
        ),
        (
            "go-sum-hashes/go.mod",
            [
                ("github.com/CycloneDX/cyclonedx-go", "v0.6.0", True, None),
                ("github.com/acarl005/stripansi", "v0.0.0-20180116102854-5a71ef0e047d", True, None),
                ("github.com/mgutz/ansi", "v0.0.0-20200706080929-d51e80ef957d", False, None),
            ],
        ),
        ("go-mod-fixtures/relative-replace/go.mod", [("github.com/aws/aws-sdk-go-v2", None, True, "../../../")]),
    ],
)
def test_syft_replacement_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str | None, bool, str | None]]) -> None:
    result = parse_path(corpus, f"{SYFT}/{fixture}")
    assert [(p.name, p.version, p.direct, p.source_url) for p in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
def test_syft_corrupt_go_mod_is_an_issue_and_the_rest_parses(corpus: Path) -> None:
    result = parse_path(corpus, f"{SYFT}/corrupt/go.mod")
    assert issues(result) == [(5, "unknown directive: ruire")]
    assert result.packages == []  # the only requires are inside the unknown block
    assert result.project == DeclaredProject(name="github.com/anchore/syft")


@pytest.mark.corpus
def test_cdxgen_tabs_tools_and_two_replace_forms(corpus: Path) -> None:
    result = parse_path(corpus, "CycloneDX__cdxgen/test/gomod/go.mod")
    assert [(p.name, p.version, p.scopes, p.line, p.group) for p in result.packages] == [
        ("google.golang.org/grpc", "v1.21.0", RUNTIME, 15, "require"),
        ("github.com/aws/aws-sdk-go", "v1.38.47", RUNTIME, 16, "require"),
        ("github.com/spf13/viper", "v1.0.2", RUNTIME, 17, "require"),
        ("github.com/spf13/cobra", "v1.0.0", RUNTIME, 18, "require"),
        # the tool lines: cobra's first one (line 7; line 10 repeats it), viper through its replacement
        ("github.com/spf13/cobra", "v1.0.0", BUILD, 7, "tool"),
        ("github.com/spf13/viper", "v1.0.2", BUILD, 11, "tool"),
    ]
    assert result.project == DeclaredProject(name="cdxgen/test")
    assert result.issues == []


# --- real-world corpus -----------------------------------------------------------

def grep_requires(text: str) -> list[tuple[str, bool]]:
    """(module path, indirect) of every requirement line, found the way one would with grep.

    Lines of require blocks and single `require` lines; `// indirect` anywhere in the
    trailing comment marks indirect. Independent of the parser: no tokenizer, only line
    patterns (the corpus has no quoted paths and no duplicate requirements).
    """
    found = []
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^require\s*\($", stripped):
            in_block = True
            continue
        if in_block and stripped.startswith(")"):
            in_block = False
            continue
        if not (in_block or re.match(r"^require\s+[^\s(]", stripped)) or stripped.startswith("//") or not stripped:
            continue
        found.append((stripped.removeprefix("require").split()[0], "// indirect" in stripped))
    return found


def grep_counts(text: str) -> tuple[int, int]:
    """(direct, indirect) requirement lines."""
    indirect = sum(1 for _, is_indirect in grep_requires(text) if is_indirect)
    return len(grep_requires(text)) - indirect, indirect


def grep_local_replacements(text: str) -> int:
    """Required modules that a replace line (single or in a block) sends to a ./ or ../ directory."""
    required = {path for path, _ in grep_requires(text)}
    local = re.findall(r"^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s*\.\.?/", text, re.MULTILINE)
    return len({path for path in local if path in required})


def grep_build_list_complete(text: str) -> bool:
    """A `go` line of 1.17 or later."""
    found = re.search(r"^go\s+1\.(\d+)", text, re.MULTILINE)
    return found is not None and int(found.group(1)) >= 17


def requires(result: ParseResult) -> list[DeclaredPackage]:
    return [p for p in result.packages if p.group == "require"]


def local_replacements(result: ParseResult) -> list[DeclaredPackage]:
    """Requires replaced by a directory: first-party, no version, the directory as source."""
    local = [p for p in requires(result) if p.first_party]
    assert all(p.version is None and p.source_url and p.source_url.startswith(("./", "../")) for p in local)
    return local


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        path
        for path in corpus.rglob("go.mod")
        if path.is_file() and not path.relative_to(corpus).as_posix().startswith("fixtures/")
    )


@pytest.mark.corpus
def test_every_corpus_go_mod_parses_and_matches_the_grep_counts(corpus: Path) -> None:
    files = corpus_files(corpus)
    assert len(files) >= 30, "the corpus holds dozens of go.mod; far fewer means the glob broke"
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        text = path.read_text(encoding="utf-8")
        direct = sum(1 for p in requires(result) if p.direct)
        assert (direct, len(requires(result)) - direct) == grep_counts(text), path
        assert len(local_replacements(result)) == grep_local_replacements(text), path
        assert result.build_list_complete is grep_build_list_complete(text), path
        assert result.issues == [], path
        assert result.project is not None and all(p.line is not None for p in result.packages), path


@pytest.mark.corpus
def test_tool_modules_in_the_corpus(corpus: Path) -> None:
    trivy = parse_path(corpus, "aquasecurity__trivy/go.mod").packages
    assert {p.name for p in trivy if p.group == "tool"} == {
        "github.com/bufbuild/buf",
        "github.com/knqyf263/labeler",
        "github.com/magefile/mage",
        "github.com/twitchtv/twirp",
        "golang.org/x/tools",
        "sigs.k8s.io/kind",
    }
    assert all(p.scopes == BUILD and p.direct for p in trivy if p.group == "tool")
    # the requires of tool modules that no package imports (// indirect) are build-only too
    assert {p.name for p in trivy if p.group == "require" and p.scopes == BUILD} == {
        "github.com/bufbuild/buf",
        "github.com/knqyf263/labeler",
        "sigs.k8s.io/kind",
    }
    terraform = parse_path(corpus, "hashicorp__terraform/go.mod").packages
    tools = {(p.name, p.note) for p in terraform if p.group == "tool"}
    assert tools == {
        ("github.com/hashicorp/copywrite", "provides tool github.com/hashicorp/copywrite"),
        ("github.com/nishanths/exhaustive", "provides tool github.com/nishanths/exhaustive/cmd/exhaustive"),
        ("go.uber.org/mock", "provides tool go.uber.org/mock/mockgen"),
        # golang.org/x/tools/cmd/cover is a module of its own in terraform's go.mod
        ("golang.org/x/tools/cmd/cover", "provides tool golang.org/x/tools/cmd/cover"),
        ("golang.org/x/tools", "provides tool golang.org/x/tools/cmd/goimports"),
        ("golang.org/x/tools", "provides tool golang.org/x/tools/cmd/stringer"),
        ("honnef.co/go/tools", "provides tool honnef.co/go/tools/cmd/staticcheck"),
    }


def test_a_go_version_with_a_huge_number_is_one_issue_and_the_requires_are_kept() -> None:
    """int() refuses more than 4,300 digits: the directive is reported, never the file lost (issue 13)."""
    huge = "9" * 5_000
    text = f"module example.test/app\n\ngo 1.{huge}\n\nrequire example.test/lib v1.2.3\n"

    result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))

    assert [(p.name, p.version) for p in result.packages] == [("example.test/lib", "v1.2.3")]
    assert [(line, message[:30]) for line, message in issues(result)] == [(3, "go: '1.99999999999999999999999")]
    assert all(len(message) < 300 for _, message in issues(result))


def test_a_module_version_with_a_huge_number_is_one_issue() -> None:
    huge = "9" * 5_000
    text = f"module example.test/app\n\ngo 1.22\n\nrequire (\n\texample.test/lib v1.2.3\n\texample.test/huge v{huge}.0.0\n)\n"

    result = parse_go_mod(SourceFile(path="go.mod", text=text), SandboxReader(FIXTURES))

    assert ("example.test/lib", "v1.2.3") in [(p.name, p.version) for p in result.packages]
    assert all(len(message) < 300 for _, message in issues(result))
