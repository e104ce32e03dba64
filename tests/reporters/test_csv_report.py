"""The CSV report: RFC 4180, one row per component and usage, formula-safe cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ospo_scan.model import Ecosystem, Lifecycle
from ospo_scan.reporters import csv_report
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan
from tests.analysis.builders import component, inventory, project, use

REPOSITORY = Path(__file__).resolve().parents[2]


def _render(report: Report) -> str:
    buffer = io.StringIO(newline="")
    csv_report.render(report, buffer, False)
    return buffer.getvalue()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_component_and_usage_of_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    scanned = scan([Path("examples/polyglot-shop")])
    rows = _rows(_render(Report.of(scanned)))
    expected = sorted((c.purl, u.project.split(":", 1)[1], u.location.path) for c in scanned.components for u in c.usages)
    assert sorted((r["purl"], r["project"], r["location"].split(":")[0]) for r in rows) == expected
    assert list(rows[0]) == list(csv_report.COLUMNS)


def test_rfc_4180_crlf_and_every_field_quoted() -> None:
    app = project(".")
    report = Report.of(inventory([app], [component("left-pad", "1.3.0", use(app.id, line=4))]))
    text = _render(report)
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    assert lines[1].startswith('"."') and lines[1].endswith('"false"')


@pytest.mark.parametrize(
    ("name", "shown"),
    [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@babel/core", "'@babel/core"), ("\tdata", "'\tdata"), ("plain", "plain")],
    ids=["equals", "plus", "minus", "at-sign-scope", "tab", "harmless"],
)
def test_cells_a_spreadsheet_would_evaluate_are_text(name: str, shown: str) -> None:
    app = project(".")
    report = Report.of(inventory([app], [component(name, "1.0.0", use(app.id))]))
    [row] = _rows(_render(report))
    assert row["name"] == shown
    assert not row["purl"].startswith(("=", "+", "-", "@"))


def test_commas_quotes_and_line_breaks_survive_a_round_trip() -> None:
    app = project(".")
    awkward = 'a, "quoted"\nname'
    report = Report.of(inventory([app], [component(awkward, "1.0.0", use(app.id))]))
    [row] = _rows(_render(report))
    assert row["name"] == awkward


def test_usage_columns_say_lifecycle_optional_direct_and_place() -> None:
    app = project(".")
    dev = use(app.id, Lifecycle.DEVELOPMENT, direct=False, path="package-lock.json", line=12)
    report = Report.of(inventory([app], [component("jest", "29.0.0", dev, license=None, reason="no license found")]))
    [row] = _rows(_render(report))
    assert (row["lifecycle"], row["optional"], row["direct"], row["location"]) == ("development", "false", "false", "package-lock.json:12")
    assert (row["license"], row["category"], row["ecosystem"]) == ("", "unknown", Ecosystem.NPM.value)


def test_a_component_without_usages_still_has_its_row() -> None:
    report = Report.of(inventory([], [component("orphan", "1.0.0")]))
    [row] = _rows(_render(report))
    assert (row["name"], row["project"], row["lifecycle"]) == ("orphan", "", "")
