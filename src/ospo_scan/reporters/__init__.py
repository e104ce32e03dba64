"""Output formats: one module each, chosen through the OutputFormat enum.

Each format's module is imported when its renderer is first asked for: a scan writes one
or two formats, and the others' libraries (cyclonedx-python-lib, the HTML assets, SARIF
and SPDX helpers) would cost every run start-up time.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ospo_scan.reporters.report import Report

Renderer = Callable[["Report", TextIO, bool], None]
"""(report, stream, is_terminal) -> writes the report to the stream."""


class OutputFormat(str, Enum):
    """Every report format the CLI offers."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    NOTICES = "notices"
    SARIF = "sarif"
    SPDX = "spdx"
    CYCLONEDX = "cyclonedx"

    @property
    def renderer(self) -> Renderer:
        """The function that writes this format (its module imported on first use)."""
        render: Renderer = import_module(f"{__name__}.{_MODULES[self]}").render
        return render


_MODULES: dict[OutputFormat, str] = {
    OutputFormat.TABLE: "table_report",
    OutputFormat.JSON: "json_report",
    OutputFormat.MARKDOWN: "markdown_report",
    OutputFormat.HTML: "html_report",
    OutputFormat.CSV: "csv_report",
    OutputFormat.NOTICES: "notices_report",
    OutputFormat.SARIF: "sarif_report",
    OutputFormat.SPDX: "spdx_report",
    OutputFormat.CYCLONEDX: "cyclonedx_report",
}
"""The module of each format, each with a `render(report, stream, is_terminal)`."""
