"""Output formats of `diff`: one module each, chosen through the DiffFormat enum."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TextIO

from ospo_scan.diffing import json_diff, markdown_diff, table_diff
from ospo_scan.diffing.model import ReportDiff

DiffRenderer = Callable[[ReportDiff, TextIO, bool], None]
"""(diff, stream, is_terminal) -> writes the diff to the stream."""


class DiffFormat(str, Enum):
    """Every format `diff` can write."""

    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"

    @property
    def renderer(self) -> DiffRenderer:
        """The function that writes this format."""
        return _RENDERERS[self]


_RENDERERS: dict[DiffFormat, DiffRenderer] = {
    DiffFormat.TABLE: table_diff.render,
    DiffFormat.MARKDOWN: markdown_diff.render,
    DiffFormat.JSON: json_diff.render,
}
