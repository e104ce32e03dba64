"""Issue 13, item 2: file and folder names that are not UTF-8.

POSIX names are bytes. Python hands the ones that are not UTF-8 over with lone
surrogates, which made `--output` fail with exit 70 and put invalid UTF-8 on stdout.
Every report now shows such a byte as `\\xNN` (reading.printable_path), every report is
valid UTF-8 and every JSON format parses; the files themselves are still read.

The trees are built here: names like these cannot live in a git checkout everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ospo_scan.reporters import OutputFormat

pytestmark = pytest.mark.skipif(sys.platform == "darwin" or os.name == "nt", reason="needs a file system that stores names as bytes")

JSON_FORMATS = frozenset({OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.SPDX, OutputFormat.CYCLONEDX})
SHOWN = "pack\\xffage"
"""How the folder b"pack\\xffage" is shown in every report."""


def _write(root: Path, relative: bytes, text: str) -> None:
    path = os.path.join(os.fsencode(root), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    _write(root, b"pack\xffage/package.json", json.dumps({"name": "web", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}))
    _write(root, b"pack\xffage/node_modules/le\xfft/package.json", json.dumps({"name": "left-pad", "version": "1.3.0", "license": "MIT"}))
    _write(root, b"requirements-\xff.txt", "flask==3.0.0\n")
    _write(root, b"sub\xfe/requirements.txt", "-r other.txt\n")
    _write(root, b"sub\xfe/other.txt", "attrs==23.1.0\n")
    return root


def _scan(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ospo_scan", "scan", *arguments, "--jobs", "1"], capture_output=True, timeout=300)


def _check(output_format: OutputFormat, data: bytes) -> str:
    """The report decodes as UTF-8 (and parses, for JSON); returned as text."""
    text = data.decode("utf-8")
    if output_format in JSON_FORMATS:
        json.loads(text)
    return text


def test_a_file_name_that_is_not_utf8_renders_in_every_format(tree: Path, tmp_path: Path) -> None:
    arguments = [str(tree)]
    for output_format in OutputFormat:
        arguments += ["--format", output_format.value, "--output", str(tmp_path / f"report.{output_format.value}")]
    done = _scan(*arguments)
    assert done.returncode == 0, done.stderr.decode("utf-8", "backslashreplace")
    for output_format in OutputFormat:
        _check(output_format, (tmp_path / f"report.{output_format.value}").read_bytes())
    for output_format in OutputFormat:
        alone = _scan(str(tree), "--format", output_format.value)
        assert alone.returncode == 0, (output_format, alone.stderr.decode("utf-8", "backslashreplace"))
        assert _check(output_format, alone.stdout) == (tmp_path / f"report.{output_format.value}").read_bytes().decode("utf-8"), output_format


@pytest.mark.parametrize("output_format", [OutputFormat.TABLE, OutputFormat.CSV, OutputFormat.HTML])
def test_text_reports_show_the_byte_escaped(tree: Path, output_format: OutputFormat) -> None:
    done = _scan(str(tree), "--format", output_format.value, "--details")
    assert SHOWN in _check(output_format, done.stdout)


def test_the_json_report_names_the_files_as_shown_and_every_one_was_read(tree: Path) -> None:
    done = _scan(str(tree), "--format", "json")
    document = json.loads(done.stdout.decode("utf-8"))
    assert document["issues"] == [] and document["status"] == "complete"
    components = {component["name"]: component for component in document["components"]}
    assert set(components) >= {"left-pad", "flask", "attrs"}
    assert {usage["location"]["path"] for usage in components["left-pad"]["usages"]} == {f"{SHOWN}/package.json"}
    assert {usage["location"]["path"] for usage in components["flask"]["usages"]} == {"requirements-\\xff.txt"}
    assert {usage["location"]["path"] for usage in components["attrs"]["usages"]} == {"sub\\xfe/other.txt"}
    assert components["left-pad"]["license"]["source"] == f"{SHOWN}/node_modules/le\\xfft/package.json: license"


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_a_root_named_in_bytes_that_are_not_utf8_renders(tmp_path: Path, output_format: OutputFormat) -> None:
    root = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(root)
    _write(Path(os.fsdecode(root)), b"requirements.txt", "flask==3.0.0\n")
    done = _scan(os.fsdecode(root), "--format", output_format.value)
    assert done.returncode == 0, done.stderr.decode("utf-8", "backslashreplace")
    _check(output_format, done.stdout)
