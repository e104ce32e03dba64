"""The README shows the real output of its own first command, not a hand-written one.

The README's first command scans `examples/polyglot-shop` and prints the table report
to a terminal; here it is rendered as it is when stdout is not a terminal (fixed width,
no colour), which is what the README can show. Lines are compared by their words
(tests/reporters/comparison.py), as the golden tables are. `OSPO_SCAN_UPDATE_GOLDEN=1` rewrites the
README's block; otherwise the test fails when the block is stale.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app
from tests.reporters.comparison import table_words

REPOSITORY = Path(__file__).resolve().parents[1]
README = REPOSITORY / "README.md"
BLOCK = re.compile(r"(<!-- example-output:start -->\n```text\n)(.*?)(```\n<!-- example-output:end -->)", re.DOTALL)
COMMAND = re.compile(r"ospo-scan scan (examples/\S+)")


def _readme_command_target(readme: str) -> str:
    """The example folder the README's first command scans."""
    found = COMMAND.search(readme)
    assert found, "README.md has no 'ospo-scan scan examples/...' command"
    return found.group(1)


def test_readme_shows_the_real_output_of_its_first_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    readme = README.read_text(encoding="utf-8")
    target = _readme_command_target(readme)
    result = CliRunner().invoke(app, ["scan", target])
    assert result.exit_code == 0, result.output
    block = BLOCK.search(readme)
    assert block, "README.md has no example-output block"
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        README.write_text(readme[: block.start(2)] + result.stdout + readme[block.end(2):], encoding="utf-8")
        return
    assert table_words(block.group(2)) == table_words(result.stdout)
