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
from ospo_scan.scan import scan

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = "examples/polyglot-shop"


def _render(output_format: OutputFormat) -> str:
    inventory = scan([Path(EXAMPLE)])
    buffer = io.StringIO()
    output_format.renderer(inventory, buffer, False)
    return buffer.getvalue()


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_every_format_matches_its_golden_file(output_format: OutputFormat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    rendered = _render(output_format)
    golden = GOLDEN / f"polyglot-shop.{output_format.value}"
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_rendering_twice_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    assert _render(OutputFormat.JSON) == _render(OutputFormat.JSON)
