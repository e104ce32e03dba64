"""The whole real-world corpus scans without a parser crash, deterministically."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import ISSUE_CODES
from ospo_scan.reporters.json_report import to_document
from ospo_scan.scan import scan

pytestmark = pytest.mark.corpus

CRASH_MARKERS = ("internal parser error", "RecursionError")


def test_no_parser_crashes_on_any_corpus_file(corpus: Path) -> None:
    inventory = scan([corpus])
    crashes = [f"{i.path}:{i.line}: {i.message}" for i in inventory.issues if i.message.startswith(CRASH_MARKERS)]
    assert crashes == []
    assert inventory.files_scanned > 0
    assert all("${" not in (c.version or "") for c in inventory.components)
    assert {i.code for i in inventory.issues} <= set(ISSUE_CODES), "every issue code is documented"
    projects = {p.id for p in inventory.projects}
    assert {u.project for c in inventory.components for u in c.usages} <= projects, "every usage names a project of the scan"


def test_corpus_scan_is_deterministic(corpus: Path) -> None:
    target = corpus / "pypa__pipenv"
    assert to_document(scan([target])) == to_document(scan([target]))
