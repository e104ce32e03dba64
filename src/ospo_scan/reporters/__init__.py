"""Output formats: one module each, chosen through the OutputFormat enum."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TextIO

from ospo_scan.reporters import csv_report, cyclonedx_report, html_report, json_report, markdown_report, notices_report, sarif_report, spdx_report, table_report
from ospo_scan.reporters.report import Report

Renderer = Callable[[Report, TextIO, bool], None]
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
        """The function that writes this format."""
        return _RENDERERS[self]


_RENDERERS: dict[OutputFormat, Renderer] = {
    OutputFormat.TABLE: table_report.render,
    OutputFormat.JSON: json_report.render,
    OutputFormat.MARKDOWN: markdown_report.render,
    OutputFormat.HTML: html_report.render,
    OutputFormat.CSV: csv_report.render,
    OutputFormat.NOTICES: notices_report.render,
    OutputFormat.SARIF: sarif_report.render,
    OutputFormat.SPDX: spdx_report.render,
    OutputFormat.CYCLONEDX: cyclonedx_report.render,
}
