"""Report files: every refusal starts with the file's path and says what is wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ospo_scan.diffing import ReportLoadError, load_report
from tests.diffing.builders import component, document, write

CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("missing", lambda path: None, "no such file"),
    ("directory", lambda path: path.mkdir(), "is a directory, not a JSON report"),
    ("not-json", lambda path: path.write_text("components: []\n"), "is not JSON (line 1, column 1"),
    ("truncated", lambda path: path.write_text('{"components": [\n'), "is not JSON (line 2"),
    ("not-utf8", lambda path: path.write_bytes(b'{"a": "\xff"}'), "not UTF-8"),
    ("array", lambda path: path.write_text("[]"), "is not a JSON report of ospo-scan (a JSON array, not an object)"),
    ("other-json", lambda path: path.write_text(json.dumps({"bomFormat": "CycloneDX"})), "not a JSON report of ospo-scan"),
    ("future-schema", lambda path: write(path, {**document([]), "schema_version": 3}), "schema_version: 3 is not supported"),
    ("bad-field", lambda path: write(path, document([{**component("a", "1"), "purl": None}])), "components[0].purl: must be a string"),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[name for name, _, _ in CASES])
def test_an_unusable_file_is_refused_naming_it(tmp_path: Path, name: str, make: Callable[[Path], None], message: str) -> None:
    path = tmp_path / f"{name}.json"
    make(path)
    with pytest.raises(ReportLoadError) as raised:
        load_report(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_a_report_file_loads_as_its_document(tmp_path: Path) -> None:
    expected = document([component("a", "1.0.0")])
    assert load_report(write(tmp_path / "r.json", expected)) == expected
