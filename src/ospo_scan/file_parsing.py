"""Reading and parsing files, failure contained per file.

Both the serial scan and the worker processes (ospo_scan.parallel) parse through here,
so a file gives the same result and the same issues wherever it is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ospo_scan.discovery import FoundFile
from ospo_scan.model import ScanIssue
from ospo_scan.parsers.base import FileReadError, ParseError, ParseResult, ScanContext, SourceFile
from ospo_scan.reading import SandboxReader


def parse_group(items: Sequence[FoundFile], reader: SandboxReader, context: ScanContext) -> Iterator[tuple[FoundFile, ParseResult | None, list[ScanIssue]]]:
    """Read every file of one cross-file format, then parse them together.

    Should the group parser itself fail, each file is parsed alone so one bad file
    never costs the others.
    """
    spec = items[0].spec
    assert spec.parse_group is not None
    sources: dict[str, SourceFile] = {}
    for item in items:
        try:
            sources[item.relative_path] = reader.read(item.relative_path)
        except FileReadError as error:
            yield item, None, [_read_issue(item.relative_path, spec.name, error)]
    try:
        results = spec.parse_group(list(sources.values()), reader, context)
    except Exception as error:  # noqa: BLE001 - fall back to per-file parsing; recorded below
        results = {}
        failure = ScanIssue(path=items[0].relative_path, parser=spec.name, code="internal-error", message=f"internal parser error {type(error).__name__} in cross-file resolution: {error}")
        yield items[0], None, [failure]
    for item in items:
        if item.relative_path not in sources:
            continue
        result = results.get(item.relative_path)
        if result is None:
            yield (item, *parse_file(item, reader))
        else:
            yield item, result, list(result.issues)


def parse_file(found: FoundFile, reader: SandboxReader) -> tuple[ParseResult | None, list[ScanIssue]]:
    """Read and parse one file; whatever goes wrong stays with this file."""
    path, parser = found.relative_path, found.spec.name
    try:
        source = reader.read(path)
    except FileReadError as error:
        return None, [_read_issue(path, parser, error)]
    try:
        result = found.spec.parse(source, reader)
    except ParseError as error:
        return None, [ScanIssue(path=path, line=error.line, parser=parser, message=error.message)]
    except RecursionError:
        return None, [ScanIssue(path=path, parser=parser, code="parse-error", message="RecursionError: nested too deeply to parse")]
    except Exception as error:  # noqa: BLE001 - a parser bug on one file must not end the whole scan
        return None, [ScanIssue(path=path, parser=parser, code="internal-error", message=f"internal parser error {type(error).__name__}: {error}")]
    return result, list(result.issues)


def _read_issue(path: str, parser: str, error: FileReadError) -> ScanIssue:
    return ScanIssue(path=path, parser=parser, code=error.code, message=str(error).removeprefix(f"{path}: "))
