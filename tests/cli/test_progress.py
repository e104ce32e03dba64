"""The scan's progress callback, and the transient bar the CLI draws only on a terminal."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import ospo_scan.cli.application as cli_app
import ospo_scan.cli.progress as progress_module
import ospo_scan.scan as scan_module
from ospo_scan.cli import app
from ospo_scan.cli.progress import DelayedBar
from ospo_scan.scan import ScanOptions, ScanPhase, scan
from tests.core.fake_parsers import FAKE_PARSERS

runner = CliRunner()
Call = tuple[ScanPhase, int, int]


def make_repo(root: Path, projects: int) -> Path:
    for number in range(projects):
        folder = root / f"p{number}"
        folder.mkdir(parents=True)
        (folder / "deps.txt").write_text(f"project p{number}\nflask==3.0.0\n")
        (folder / "deps.lock").write_text("flask==3.0.0\n")
    return root


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "PARSERS", FAKE_PARSERS)


def recorded_scan(paths: list[Path], options: ScanOptions) -> tuple[list[Call], scan_module.Inventory]:
    calls: list[Call] = []
    inventory = scan(paths, options, progress=lambda phase, done, total: calls.append((phase, done, total)))
    return calls, inventory


@pytest.mark.usefixtures("fake_registry")
def test_callback_hears_every_phase_in_order_with_sane_counts(tmp_path: Path) -> None:
    first, second = make_repo(tmp_path / "a", 3), make_repo(tmp_path / "b", 2)
    calls, inventory = recorded_scan([first, second], ScanOptions(user_defaults=False, jobs=1))
    assert [call for call in calls if call[0] is not ScanPhase.PARSING] == [
        (ScanPhase.DISCOVERING, 0, 2), (ScanPhase.RESOLVING, 0, 2),
        (ScanPhase.DISCOVERING, 1, 2), (ScanPhase.RESOLVING, 1, 2),
        (ScanPhase.LICENSES, 0, 1),
    ]
    parsing = [(done, total) for phase, done, total in calls if phase is ScanPhase.PARSING]
    assert all(0 <= done <= total for done, total in parsing)
    assert [done for done, _ in parsing] == sorted(done for done, _ in parsing)
    assert parsing[-1] == (inventory.files_scanned, inventory.files_scanned) == (10, 10)
    assert parsing[0] == (0, 6)  # the first root's files are known before the second is walked


@pytest.mark.usefixtures("fake_registry")
def test_no_license_phase_when_licenses_are_skipped(tmp_path: Path) -> None:
    calls, _ = recorded_scan([make_repo(tmp_path, 1)], ScanOptions(user_defaults=False, licenses=None))
    assert ScanPhase.LICENSES not in {phase for phase, _, _ in calls}


@pytest.mark.usefixtures("fake_registry")
def test_progress_changes_neither_the_inventory_nor_the_options_digest(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, 4)
    options = ScanOptions(user_defaults=False)
    _, watched = recorded_scan([repo], options)
    assert watched == scan([repo], options)


def terminal_console() -> tuple[Console, io.StringIO]:
    stream = io.StringIO()
    return Console(file=stream, force_terminal=True, width=100, color_system=None), stream


def test_bar_draws_after_the_delay_and_erases_itself() -> None:
    console, stream = terminal_console()
    stdout = sys.stdout
    bar = DelayedBar(console, delay=0)
    bar(ScanPhase.PARSING, 3, 7)
    deadline = time.monotonic() + 5
    while "reading files 3/7" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sys.stdout is stdout  # the report written later must not be captured into the bar's stream
    bar.close()
    drawn = stream.getvalue()
    assert bar.shown and "reading files 3/7" in drawn
    assert drawn.endswith("\r\x1b[1A\x1b[2K")  # transient: the last thing written erases the bar's line


def test_quick_scan_never_shows_a_bar() -> None:
    console, stream = terminal_console()
    bar = DelayedBar(console, delay=30)
    bar(ScanPhase.PARSING, 1, 1)
    bar.close()
    assert not bar.shown and stream.getvalue() == ""


@pytest.mark.usefixtures("fake_registry")
def test_cli_passes_no_callback_and_draws_nothing_when_stderr_is_no_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path, 2)
    monkeypatch.setattr(progress_module, "DELAY", 0)
    seen: list[object] = []
    real_scan = cli_app.scan

    def spy(paths, options, progress=None):  # type: ignore[no-untyped-def]
        seen.append(progress)
        time.sleep(0.2)  # long enough for a zero-delay bar to be drawn, were there one
        return real_scan(paths, options, progress)

    monkeypatch.setattr(cli_app, "scan", spy)
    result = runner.invoke(app, ["scan", str(repo), "-f", "json"])
    assert result.exit_code == 0
    assert seen == [None]
    assert result.stderr == "" and "\x1b" not in result.stdout


PTY_SCRIPT = """
import sys, time
import ospo_scan.cli.progress as progress
import ospo_scan.scan as scan_module
progress.DELAY = 0
real = scan_module.classify_licenses
def slow(*args, **kwargs):
    time.sleep(0.5)  # the bar redraws several times meanwhile
    return real(*args, **kwargs)
scan_module.classify_licenses = slow
from ospo_scan.cli import main
sys.argv = ["ospo-scan", "scan", sys.argv[1], "-f", "json"]
main()
"""


def run_with_stderr_on_a_terminal(repo: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run the CLI with stdout a pipe and stderr a pseudo-terminal; return both streams."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", PTY_SCRIPT, str(repo)], stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process is gone
            break
        if not chunk:
            break
        drawn += chunk
    stdout = process.stdout.read() if process.stdout else b""
    os.close(leader)
    return process.wait(timeout=30), stdout, drawn


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_bar_is_drawn_on_a_real_terminal_and_stdout_stays_clean(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("flask==3.0.0\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    code, stdout, drawn = run_with_stderr_on_a_terminal(repo, env)
    assert code == 0, drawn
    assert b"looking for license evidence" in drawn
    assert json.loads(stdout)["schema_version"] == 2
