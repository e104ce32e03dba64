"""Parsing on several processes gives exactly what a serial scan gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parallel import MIN_FILES_PER_WORKER
from ospo_scan.reporters.json_report import to_document
from ospo_scan.scan import ScanOptions, scan
from tests.core.fake_parsers import FAKE_PARSERS


def _many_projects(root: Path, count: int) -> None:
    for index in range(count):
        folder = root / f"svc{index:03d}"
        folder.mkdir()
        (folder / "requirements.txt").write_text(f"requests==2.{index}.0\nflask>=3 ; python_version > '3.8'\nbad line ===\n")
        (folder / "package.json").write_text('{"name": "web%d", "dependencies": {"lodash": "4.17.%d"}}' % (index, index))


def test_workers_and_serial_give_identical_reports(tmp_path: Path) -> None:
    _many_projects(tmp_path, 3 * MIN_FILES_PER_WORKER)
    serial = to_document(scan([tmp_path], ScanOptions(jobs=1)))
    parallel = to_document(scan([tmp_path], ScanOptions(jobs=2)))
    assert parallel == serial
    assert len(serial["components"]) == 1 + 2 * 3 * MIN_FILES_PER_WORKER  # flask is unpinned: one purl
    assert len(serial["issues"]) == 3 * MIN_FILES_PER_WORKER


def test_parsers_outside_the_registry_are_parsed_in_process(tmp_path: Path) -> None:
    for index in range(3 * MIN_FILES_PER_WORKER):
        (tmp_path / f"p{index}").mkdir()
        (tmp_path / f"p{index}" / "deps.txt").write_text(f"pkg{index}==1\n")
    inventory = scan([tmp_path], ScanOptions(parsers=FAKE_PARSERS, jobs=2))
    assert len(inventory.components) == 3 * MIN_FILES_PER_WORKER


@pytest.mark.corpus
def test_corpus_parallel_equals_serial(corpus: Path) -> None:
    target = corpus / "CycloneDX__cdxgen"
    assert to_document(scan([target], ScanOptions(jobs=2))) == to_document(scan([target], ScanOptions(jobs=1)))
