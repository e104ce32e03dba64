"""Golden reports of the bundled example: any change in output shows up in the diff.

Rewrite them with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/reporters` and review
the diff like code.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan
from tests.reporters.comparison import table_words

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = "examples/polyglot-shop"


def _render(output_format: OutputFormat, *, details: bool = False) -> str:
    report = Report.of(scan([Path(EXAMPLE)]), show_components=details)
    buffer = io.StringIO()
    output_format.renderer(report, buffer, False)
    return buffer.getvalue()


def _comparable(output_format: OutputFormat, text: str) -> list[str]:
    """JSON is compared line by line, except the version of the LicenseDB that ships with
    license-expression; the table by its words, so that a new release of rich that draws
    boxes or pads cells differently does not fail the suite."""
    if output_format is not OutputFormat.TABLE:
        return [line for line in text.splitlines() if '"licensedb":' not in line]
    return table_words(text)


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_every_format_matches_its_golden_file(output_format: OutputFormat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    rendered = _render(output_format)
    golden = GOLDEN / f"polyglot-shop.{output_format.value}"
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert _comparable(output_format, rendered) == _comparable(output_format, golden.read_text(encoding="utf-8"))


def test_the_table_with_details_matches_its_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    rendered = _render(OutputFormat.TABLE, details=True)
    golden = GOLDEN / "polyglot-shop.details.table"
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert _comparable(OutputFormat.TABLE, rendered) == _comparable(OutputFormat.TABLE, golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_rendering_twice_gives_the_same_bytes(output_format: OutputFormat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    assert _render(output_format) == _render(output_format)
