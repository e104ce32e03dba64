"""The markdown report: what a pull-request comment shows, and that no scanned value is markup there."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ospo_scan.reporters import markdown_report
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan

HOSTILE_NAMES = [
    "@acme/security-team",
    "x|y",
    "evil<script>alert(1)</script>",
    "[click](https://attacker.example)",
    "![img](https://attacker.example/p.png)",
    "**bold**_it_`code`",
]


def _markdown(folder: Path) -> str:
    buffer = io.StringIO()
    markdown_report.render(Report.of(scan([folder])), buffer, False)
    return buffer.getvalue()


def _lockfile_with(names: list[str], folder: Path) -> None:
    """A package-lock v3 whose packages carry the names (unknown license, so each is a gap)."""
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "license": "MIT", "dependencies": {n: "1.0.0" for n in names}}}
    for name in names:
        packages[f"node_modules/{name}"] = {"version": "1.0.0"}
    (folder / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "license": "MIT", "dependencies": {n: "1.0.0" for n in names}}))
    (folder / "package-lock.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}))


def test_scanned_names_cannot_add_markup_html_links_or_mentions(tmp_path: Path) -> None:
    _lockfile_with(HOSTILE_NAMES, tmp_path)
    text = _markdown(tmp_path)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "](https://" not in text.replace("\\](https://", "")
    assert "@acme" not in text and "@&#8203;acme" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and "unknown-license" in line]
    # every row of the gap list keeps its four cells: no name adds a column
    assert table_rows and all(line.replace("\\|", "").count("|") == 5 for line in table_rows)


def test_the_three_answers_are_there(tmp_path: Path) -> None:
    _lockfile_with(["left-pad"], tmp_path)
    text = _markdown(tmp_path)
    for heading in ("### How much open source", "### Critical projects", "### Compliance gaps"):
        assert heading in text
    assert "1 open source component in 1 project from 2 files" in text


def test_an_empty_folder_says_nothing_was_found(tmp_path: Path) -> None:
    text = _markdown(tmp_path)
    assert "No manifest or lockfile found" in text and "### Critical projects" not in text


def test_components_are_listed_only_with_details(tmp_path: Path) -> None:
    _lockfile_with(["left-pad"], tmp_path)
    report = Report.of(scan([tmp_path]))
    plain, detailed = io.StringIO(), io.StringIO()
    markdown_report.render(report, plain, False)
    markdown_report.render(Report(inventory=report.inventory, analysis=report.analysis, show_components=True), detailed, False)
    assert "### Components" not in plain.getvalue() and "see `--details`" in plain.getvalue()
    assert "| npm:left-pad | 1.0.0 | direct | runtime | 1 | unknown |" in detailed.getvalue()
