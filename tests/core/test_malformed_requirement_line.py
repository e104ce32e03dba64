"""One malformed line in a requirements file: the scan says it is incomplete, names the
file and the line, and keeps every valid line of the same file."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.analysis import analyze
from ospo_scan.model import Severity
from ospo_scan.scan import ScanOptions, scan

FIXTURE = Path(__file__).parent / "fixtures" / "malformed-requirement-line"


def test_a_malformed_requirement_line_is_one_issue_and_the_rest_of_the_file_is_kept() -> None:
    inventory = scan([FIXTURE], ScanOptions(licenses=None, user_defaults=False))

    assert not inventory.complete
    assert [(i.path, i.line, i.code, i.severity) for i in inventory.issues] == [
        ("requirements.txt", 2, "parse-error", Severity.ERROR),
    ]
    assert "this is not a requirement ===" in inventory.issues[0].message
    assert {(c.name, c.version) for c in inventory.components if not c.first_party} == {
        ("requests", "2.32.3"),
        ("click", "8.1.7"),
    }


def test_the_unread_line_is_a_gap_at_its_file_and_line() -> None:
    inventory = scan([FIXTURE], ScanOptions(licenses=None, user_defaults=False))

    unparsed = [g for g in analyze(inventory).gaps.gaps if g.code == "unparsed-file"]
    assert [(g.location.path, g.location.line) for g in unparsed if g.location] == [("requirements.txt", 2)]
