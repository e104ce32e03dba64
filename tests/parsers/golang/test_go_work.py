"""go.work: workspace member directories, replacements, errors; a two-module workspace resolved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.golang import go_mod, go_work
from ospo_scan.parsers.golang.go_work import CONDITIONAL, SPEC, parse_go_work
from ospo_scan.reading import SandboxReader
from ospo_scan.resolve import ParsedFile, resolve
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "go_work"


def parse_fixture(case: str) -> ParseResult:
    return parse_file_with(parse_go_work, FIXTURES, f"{case}/go.work")


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_go_work, root, relative)




@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("go.work", True),
        ("path/to/go.work", True),
        ("go.work.sum", False),
        ("go.mod", False),
        ("go.work.bak", False),
        ("path/to/go.work/file", False),
    ],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "go-work"


def test_two_module_workspace_lists_both_directories() -> None:
    result = parse_fixture("two-modules")
    assert result.workspace_paths == ["api", "server"]
    assert result.packages == [] and result.issues == []
    assert result.project is None and result.workspace_members == []


def test_two_module_workspace_resolves_its_modules_as_first_party() -> None:
    """server requires example.com/shop/api, the other workspace module: first-party, direct."""
    reader = SandboxReader(FIXTURES)
    parsed = [ParsedFile(path="two-modules/go.work", spec=go_work.SPEC, result=parse_fixture("two-modules"))]
    for module in ("api", "server"):
        path = f"two-modules/{module}/go.mod"
        parsed.append(ParsedFile(path=path, spec=go_mod.SPEC, result=go_mod.parse_go_mod(reader.read(path), reader)))
    resolution = resolve(parsed, "fixtures")
    assert [(p.path, p.name) for p in resolution.projects] == [
        ("two-modules", "two-modules"),
        ("two-modules/api", "example.com/shop/api"),
        ("two-modules/server", "example.com/shop/server"),
    ]
    assert [(c.purl, c.direct, c.first_party) for c in resolution.components] == [
        ("pkg:golang/example.com/lib@v1.0.0", True, False),  # direct in api, indirect in server
        ("pkg:golang/example.com/shop/api@v0.0.0-00010101000000-000000000000", True, True),
    ]


def test_use_and_replace_forms() -> None:
    result = parse_fixture("single-use-and-replace")
    assert result.workspace_paths == [".", "../sibling", "tools"]
    assert [(p.name, p.version, p.direct, p.first_party, p.source_url, p.line, p.note) for p in result.packages] == [
        ("example.com/lib-fork", "v1.0.1", None, False, None, 12, f"replaced example.com/lib@v1.0.0; {CONDITIONAL}"),
        ("example.com/every-fork", "v0.3.0", None, False, None, 14, f"replaced example.com/every; {CONDITIONAL}"),
        (
            "example.com/local",
            None,
            None,
            True,
            "./third_party/local",
            15,
            f"replaced example.com/local by local directory ./third_party/local; {CONDITIONAL}",
        ),
        # example.com/also => example.com/every-fork v0.3.0 is the same module version: one package
    ]
    assert [(p.group, p.key_path) for p in result.packages] == [
        ("replace", "replace[0]"),
        ("replace", "replace[1]"),
        ("replace", "replace[2]"),  # replace[3] repeats replace[1]'s target
    ]
    assert result.workspace_members == ["example.com/local"]
    assert result.issues == [] and result.project is None


def test_syntax_errors_are_issues_and_the_rest_parses() -> None:
    result = parse_fixture("syntax-errors")
    assert issues(result) == [
        (3, "unknown directive: require"),
        (4, "use: expected one directory"),
        (6, "replace example.com/x: replacement example.com/y needs a version, or a directory path starting with ./ or ../"),
        (7, "toolchain: expected one argument, found 0"),
        (9, "unterminated use block: no closing )"),
    ]
    assert result.workspace_paths == ["ok", "never-closed"]
    assert {(found.code, found.severity.value) for found in result.issues} == {("invalid-entry", "error")}


def test_a_file_with_no_readable_directive_raises_parse_error() -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("not-a-go-work")
    assert (raised.value.message, raised.value.line) == ("not a go.work file: unknown directive: [workspace]", 1)


# --- real-world corpus -----------------------------------------------------------


def grep_use_lines(text: str) -> list[str]:
    """Directories of `use` lines, found with line patterns only (block entries and single lines)."""
    found, in_block = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^use\s*\($", stripped):
            in_block = True
        elif in_block and stripped == ")":
            in_block = False
        elif in_block and stripped and not stripped.startswith("//"):
            found.append(stripped)
        elif single := re.match(r"^use\s+(\S+)$", stripped):
            found.append(single.group(1))
    return found


@pytest.mark.corpus
@pytest.mark.parametrize(("relative", "members"), [("etcd-io__etcd/go.work", 14), ("prometheus__prometheus/go.work", 5)])
def test_corpus_workspaces(corpus: Path, relative: str, members: int) -> None:
    result = parse_path(corpus, relative)
    written = grep_use_lines((corpus / relative).read_text(encoding="utf-8"))
    assert len(result.workspace_paths) == len(written) == members
    assert result.workspace_paths == [path.removeprefix("./") or "." for path in written]
    folder = (corpus / relative).parent
    assert all((folder / path / "go.mod").is_file() for path in result.workspace_paths)
    assert result.packages == [] and result.issues == []
