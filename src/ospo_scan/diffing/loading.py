"""Reading a JSON report file for `diff`, with errors that name the file.

The checks are those of document.read_report, run here once so that a wrong file is
refused before anything is compared or written; the message starts with the path and
says what is wrong and where (`old.json: components[3].purl: must be a string`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ospo_scan.diffing.document import DocumentError, read_report


_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


class ReportLoadError(Exception):
    """A report file that cannot be compared (the message starts with its path)."""


def load_report(path: Path) -> dict[str, Any]:
    """The report document in `path`, checked to be one this version can compare."""
    document = _parsed(path, _text(path))
    try:
        read_report(document)
    except DocumentError as error:
        raise ReportLoadError(f"{path}: {error}") from None
    return document


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportLoadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportLoadError(f"{path}: is a directory, not a JSON report") from None
    except UnicodeDecodeError as error:
        raise ReportLoadError(f"{path}: is not a JSON report (not UTF-8 text: byte {error.start})") from None
    except OSError as error:
        raise ReportLoadError(f"{path}: cannot be read: {error.strerror or error}") from None


def _parsed(path: Path, text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportLoadError(f"{path}: is not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except RecursionError:
        raise ReportLoadError(f"{path}: is not a JSON report (nested too deeply)") from None
    if not isinstance(document, dict):
        raise ReportLoadError(f"{path}: is not a JSON report of ospo-scan (a JSON {_JSON_TYPES.get(type(document), 'value')}, not an object)")
    return document
