"""Helpers shared by the parser tests: read a file the way the scan does, and views of a
result that make table-driven assertions short."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.parsers.base import ParseFunction, ParseResult
from ospo_scan.reading import SandboxReader


def parse_file_with(parse: ParseFunction, root: Path, relative: str) -> ParseResult:
    """Parse `root/relative` through a sandbox reader over `root`, as the scan would."""
    reader = SandboxReader(root)
    return parse(reader.read(relative), reader)


def edge_rows(result: ParseResult) -> list[tuple[str, str | None, str, str | None]]:
    """(parent, parent version, child, child version) of every edge, in order."""
    return [(edge.parent, edge.parent_version, edge.child, edge.child_version) for edge in result.edges]


def issue_rows(result: ParseResult) -> list[tuple[int | None, str]]:
    """(line, message) of every issue, in order."""
    return [(found.line, found.message) for found in result.issues]
