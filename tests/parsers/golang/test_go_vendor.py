"""vendor/modules.txt: vendored modules, explicit marks, replacements, malformed lines, peers' fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.base import ParseResult, SourceFile
from ospo_scan.parsers.golang.go_vendor import SPEC, matches, parse_go_vendor
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "go_vendor"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/golang/vendormodules/testdata"


def parse_fixture(case: str) -> ParseResult:
    return parse_file_with(parse_go_vendor, FIXTURES, f"{case}/vendor/modules.txt")


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_go_vendor, root, relative)


def summary(result: ParseResult) -> list[tuple[str, str | None, bool | None, int | None]]:
    return [(p.name, p.version, p.direct, p.line) for p in result.packages]




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("vendor/modules.txt", True),
        ("path/to/vendor/modules.txt", True),
        ("", False),
        ("modules.txt", False),
        ("path/to/modules.txt", False),
        ("path/to/vendor/other.txt", False),
        ("path/to/vendor/modules.txt/file", False),
        ("path/to/vendor/modules.txt.bak", False),
        ("path/to/myvendor/modules.txt", False),
    ],
)
def test_matches_only_modules_txt_in_a_vendor_folder(path: str, expected: bool) -> None:
    assert matches(path) is expected
    assert SPEC.matches(path) is expected
    assert SPEC.name == "go-vendor-modules"


def test_explicit_leaves_directness_to_go_mod_and_modules_without_packages_are_not_vendored() -> None:
    """`## explicit`: go.mod requires it, maybe `// indirect` (go.mod decides: None);
    without it go.mod does not require the module at all (transitive: False)."""
    result = parse_fixture("explicit-and-implicit")
    assert summary(result) == [
        ("example.com/direct", "v1.2.0", None, 1),  # listed twice: reported once, at its first header
        ("example.com/transitive", "v0.3.0", False, 5),  # `## go 1.20` without explicit
        # example.com/required-unused: a header and `## explicit`, but no package is vendored
        ("example.com/explicit-no-go", "v2.0.0+incompatible", None, 10),
        ("example.com/pseudo", "v0.0.0-20240603093900-cf8a8d29271d", False, 13),
    ]
    assert result.issues == [] and result.workspace_members == []


def test_replacements_follow_the_go_mod_rules() -> None:
    result = parse_fixture("replacements")
    assert [(p.name, p.version, p.direct, p.first_party, p.source_url, p.line, p.note) for p in result.packages] == [
        ("example.com/fork/net", "v1.4.5", None, False, None, 1, "replaced golang.org/x/net@v0.5.6"),
        (
            "example.com/app/api",
            None,
            None,
            True,
            "../api",
            4,
            "replaced example.com/app/api@v0.0.0-00010101000000-000000000000 by local directory ../api",
        ),
        ("example.com/every-fork", "v0.2.0", None, False, None, 7, "replaced example.com/every"),
        # the two trailing headers record replacements the build does not use: no packages
    ]
    assert result.workspace_members == ["example.com/app/api"]
    assert result.issues == []


def test_malformed_lines_are_issues_and_their_packages_are_not_guessed() -> None:
    result = parse_fixture("malformed-lines")
    assert summary(result) == [
        ("example.com/good", "v1.0.0", None, 3),
        ("example.com/mismatch/v2", "v1.0.0", False, 12),  # kept, with an issue
        ("example.com/last", "v0.1.0", False, 14),
    ]
    assert issues(result) == [
        (1, "annotation '## explicit; go 1.21' with no module header above it"),
        (2, "package example.com/orphan has no module header above it"),
        (6, "module header 'example.com/noversion': expected `# module version`"),
        (7, "package example.com/noversion has no module header above it"),
        (8, "module header for example.com/badreplace: cannot read the replacement '=> not a path'"),
        (9, "package example.com/badreplace has no module header above it"),
        (10, "unexpected line '#comment'"),
        (11, "unexpected line 'example.com/two words'"),
        (12, "module example.com/mismatch/v2: version v1.0.0 does not match the path suffix /v2"),
    ]
    assert {(found.code, found.severity.value) for found in result.issues} == {("invalid-entry", "error")}


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_file(text: str) -> None:
    result = parse_go_vendor(SourceFile(path="vendor/modules.txt", text=text), SandboxReader(FIXTURES))
    assert result.packages == [] and result.issues == []


def test_crlf_line_endings() -> None:
    text = "# example.com/a v1.0.0\r\n## explicit\r\nexample.com/a\r\n"
    result = parse_go_vendor(SourceFile(path="vendor/modules.txt", text=text), SandboxReader(FIXTURES))
    assert summary(result) == [("example.com/a", "v1.0.0", None, 1)]


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
def test_osv_scalibr_valid(corpus: Path) -> None:
    """vendormodules_test.go valid_modules: same modules and header lines.

    scalibr reports the local replacement example.com/local at the required v1.0.0; we
    report it without version, first-party, from ./local (as for go.mod).
    """
    result = parse_path(corpus, f"{SCALIBR}/valid/vendor/modules.txt")
    assert summary(result) == [
        ("github.com/BurntSushi/toml", "v1.2.1", None, 1),
        ("golang.org/x/crypto", "v0.31.0", None, 4),
        ("example.com/fork/net", "v1.4.5", None, 7),
        ("example.com/local", None, None, 10),
        ("github.com/example/incompatible", "v2.0.0+incompatible", None, 15),
        ("example.com/transitive", "v0.2.0", False, 18),
        ("example.com/afterheaderonly", "v0.3.0", False, 26),
        ("example.com/wildcard-fork", "v0.2.0", None, 29),
    ]
    local = result.packages[3]
    assert (local.first_party, local.source_url) == (True, "./local")
    # `# malformed` is the file's one deliberate error; headeronly and noversion have no packages
    assert issues(result) == [(14, "module header 'malformed': expected `# module version`")]


@pytest.mark.corpus
def test_osv_scalibr_invalid_and_empty(corpus: Path) -> None:
    """scalibr reports nothing for `invalid`; we report every broken line, and the one
    module with a readable header and packages (with its major-version issue)."""
    invalid = parse_path(corpus, f"{SCALIBR}/invalid/vendor/modules.txt")
    assert summary(invalid) == [("github.com/example/v2", "v1.0.0", False, 9)]
    assert [line for line, _ in issues(invalid)] == [1, 2, 3, 7, 8, 9, 11, 12]
    assert issues(invalid)[5] == (9, "module github.com/example/v2: version v1.0.0 does not match the path suffix /v2")
    empty = parse_path(corpus, f"{SCALIBR}/empty/vendor/modules.txt")
    assert empty.packages == [] and empty.issues == []
