"""The JSON report is written in pieces; its bytes must be json.dumps's of the whole document.

The reference is the standard library's encoder run on the plain document (`to_document`),
which shares no code with the streaming writer (orjson, batches, re-indentation), and the
pieces are made small here so that every join (between batches, between chunks, at each
depth of indentation) is crossed many times.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from ospo_scan.cli.output import printable_output
from ospo_scan.model import Component, Dependency, Directness, Ecosystem, Inventory, LicenseEvidence, LicenseInfo, Lifecycle, Location, Project, Usage
from ospo_scan.reporters import json_report, json_stream
from ospo_scan.reporters.json_stream import Members, Streamed, materialize, write_document
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "examples" / "polyglot-shop"

TRICKY = [
    "caf\u00e9 \u65e5\u672c \U0001f600",  # non-ASCII, one beyond the BMP
    "tab\there\nnew line \x00 \x1f \x7f quote\" back\\slash",  # control characters and escapes
    "lone \udcff surrogate",  # a byte that was not UTF-8, as os.fsdecode leaves it
    "high \ud800 alone",
    "\u2028\u2029 separators",
]


def _reference(document: object, pretty: bool) -> str:
    if pretty:
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two elements and chunks of 64 bytes: every seam is crossed."""
    monkeypatch.setattr(json_stream, "BATCH", 2)
    monkeypatch.setattr(json_stream, "CHUNK_BYTES", 64)


def _tricky_inventory() -> Inventory:
    components = []
    for index, text in enumerate(TRICKY):
        location = Location(path=f"dir {text}/requirements.txt", line=index + 1, key_path=text)
        usages = tuple(
            Usage(project=f"pypi:{text}", lifecycle=lifecycle, directness=Directness.DIRECT, group=text, requirement=f"=={index}", location=location)
            for lifecycle in (Lifecycle.RUNTIME, Lifecycle.TEST)
        )
        license_info = LicenseInfo(expression="MIT", category="permissive", declared=(text,), source=text, evidence=(LicenseEvidence(value=text, source=text),))
        components.append(Component(purl=f"pkg:pypi/p{index}@{index}", ecosystem=Ecosystem.PYPI, name=text, version=str(index), usages=usages, license=license_info, notes=(text,)))
    projects = tuple(Project(name=text, version=None, path=text, ecosystem=Ecosystem.PYPI, manifests=("requirements.txt",)) for text in TRICKY)
    edges = tuple(Dependency(project=f"pypi:{TRICKY[0]}", source=components[i].purl, target=components[i + 1].purl) for i in range(len(components) - 1))
    return Inventory(roots=(".",), projects=projects, components=tuple(components), relationships=edges)


@pytest.mark.parametrize("pretty", [False, True], ids=["compact", "pretty"])
def test_the_example_report_is_json_dumps_of_its_document(pretty: bool, small_pieces: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    report = Report.of(scan([Path("examples/polyglot-shop")]), pretty=pretty)
    buffer = io.StringIO()
    json_report.render(report, buffer)
    document = json_report.to_document(report.inventory, report.analysis)
    assert buffer.getvalue() == _reference(document, pretty)
    assert json.loads(buffer.getvalue()) == document


@pytest.mark.parametrize("pretty", [False, True], ids=["compact", "pretty"])
def test_tricky_strings_are_written_as_json_dumps_writes_them(pretty: bool, small_pieces: None) -> None:
    report = Report.of(_tricky_inventory(), pretty=pretty)
    buffer = io.StringIO()
    json_report.render(report, buffer)
    expected = _reference(json_report.to_document(report.inventory, report.analysis), pretty)
    assert "\udcff" in expected and "\U0001f600" in expected  # the surrogate is left in, as json.dumps leaves it
    assert buffer.getvalue() == expected


@pytest.mark.parametrize("pretty", [False, True], ids=["compact", "pretty"])
def test_the_printable_stream_is_what_the_cli_makes_of_the_whole_text(pretty: bool, small_pieces: None, tmp_path: Path) -> None:
    report = Report.of(_tricky_inventory(), pretty=pretty)
    whole = io.StringIO()
    json_report.render(report, whole)
    written = tmp_path / "report.json"
    json_report.write_report_file(report, written)
    text = io.StringIO()
    json_report.write_printable(report, text)
    expected = printable_output(whole.getvalue())
    assert written.read_bytes() == expected.encode("utf-8")
    assert text.getvalue() == expected
    assert json.loads(expected)["components"][2]["name"] == "lone \\xff surrogate"


def _nested() -> Members:
    """A document of every shape (built twice: its iterators are used up by one writing)."""
    return Members({
        "z": Streamed(iter([])),
        "empty": Members({}),
        "a": Members({
            "list": Streamed({"n": n, "small": 10.0 ** -n, "huge": 2**70 if n == 3 else n, "text": TRICKY[n % len(TRICKY)]} for n in range(7)),
            "inner": Members({"deep": Streamed(iter([[1, [2, {}]], [], {"k": []}])), "plain": {"b": 1, "a": [1.5, None, True]}}),
        }),
        "b\u00e9": [0.00001, 1e-7, 2.5e-07, 123.0],
    })


@pytest.mark.parametrize("pretty", [False, True], ids=["compact", "pretty"])
def test_nested_streams_empty_ones_and_values_orjson_would_spell_otherwise(pretty: bool, small_pieces: None) -> None:
    chunks: list[bytes] = []
    write_document(_nested(), chunks.append, pretty=pretty)
    assert len(chunks) > 1
    assert b"".join(chunks).decode("utf-8", "surrogatepass") == _reference(materialize(_nested()), pretty)


def test_the_plain_document_is_unchanged_by_streaming() -> None:
    """to_document and the streamed document are one description: the same data."""
    inventory = _tricky_inventory()
    report = Report.of(inventory)
    lazy = json_report.lazy_document(inventory, report.analysis)
    assert materialize(lazy) == json_report.to_document(inventory, report.analysis)
    components = json_report.to_document(inventory, report.analysis)["components"]
    first = dataclasses.replace(inventory.components[0])
    assert components[0]["locations"] == [{"path": loc.path, "line": loc.line} for loc in first.locations]
    assert components[0]["scopes"] == sorted(scope.value for scope in first.scopes)
    assert components[0]["direct"] is first.direct and components[0]["requirement"] == first.requirement
