"""Real terminals and pipes: NO_COLOR, plain text off a terminal, a reader that goes away."""

from __future__ import annotations

import functools
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from ospo_scan.cli import diagnostics
from ospo_scan.cli.output import rendered
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanOptions, scan

COLOR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
"""An SGR sequence that sets a foreground or background color (bold and dim are no color)."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("flask==3.0.0\nrequests\n")
    return root


def terminal_table(repo: Path) -> str:
    inventory = scan([repo], ScanOptions(user_defaults=False))
    return rendered(functools.partial(OutputFormat.TABLE.renderer, Report.of(inventory, show_components=True)), is_terminal=True)


@pytest.mark.parametrize(("value", "colored"), [(None, True), ("", True), ("1", False), ("false", False)])
def test_no_color_set_and_not_empty_turns_color_off_on_a_terminal(repo: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, colored: bool) -> None:
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    assert bool(COLOR.search(terminal_table(repo))) is colored
    assert diagnostics.stderr_console().no_color is not colored


def test_table_off_a_terminal_has_no_escape_codes_at_all(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # even so: the renderer is told it writes to a file
    inventory = scan([repo], ScanOptions(user_defaults=False))
    assert "\x1b" not in rendered(functools.partial(OutputFormat.TABLE.renderer, Report.of(inventory, show_components=True)), is_terminal=False)


def cli_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS"}}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), "TERM": "xterm", **extra}


def run_on_a_terminal(arguments: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run `python -m ospo_scan` with stdout and stderr on one pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "ospo_scan", *arguments], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed its end
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("extra", "colored"), [({}, True), ({"NO_COLOR": "1"}, False)])
def test_cli_on_a_terminal_honours_no_color(repo: Path, tmp_path: Path, extra: dict[str, str], colored: bool) -> None:
    code, shown = run_on_a_terminal(["scan", str(repo)], cli_env(**extra))
    assert code == 0, shown
    assert "flask" in shown
    assert bool(COLOR.search(shown)) is colored
    code, shown = run_on_a_terminal(["scan", str(tmp_path / "missing")], cli_env(**extra))
    assert code == 2 and "no such file or directory" in shown
    assert bool(COLOR.search(shown)) is colored


def test_reader_that_goes_away_gives_141_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("".join(f"package-{n}=={n}.0\n" for n in range(400)))
    process = subprocess.Popen(
        [sys.executable, "-m", "ospo_scan", "scan", str(tmp_path), "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(64).startswith(b"{")
    process.stdout.close()  # the reader goes away while the report (well over a pipe buffer) is being written
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert errors == b""
