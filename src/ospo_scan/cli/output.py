"""Writing a report to stdout or to a file, atomically.

The output path is checked before the scan starts (a typo should not cost a long
scan), and the file is written to a temporary sibling then renamed, so a reader
never sees half a report.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from ospo_scan.model import Inventory
from ospo_scan.reporters import OutputFormat


class OutputPathError(Exception):
    """The --output path cannot be written."""


def check_output_path(path: Path) -> None:
    """Fail early when the report could not be written there."""
    if path.is_dir():
        raise OutputPathError(f"{path}: is a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputPathError(f"{path}: folder {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputPathError(f"{path}: file is not writable")


def write_report(inventory: Inventory, output_format: OutputFormat, path: Path | None) -> None:
    """Render to stdout, or to `path` through a temporary file and an atomic rename."""
    if path is None:
        output_format.renderer(inventory, sys.stdout, sys.stdout.isatty())
        return
    buffer = io.StringIO()
    output_format.renderer(inventory, buffer, False)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(buffer.getvalue())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
