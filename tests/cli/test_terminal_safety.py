"""Nothing from a scanned file reaches the terminal as markup or as a control character.

The regression behind these tests: a lockfile entry named `evil[/]` crashed the table
with a rich MarkupError, and the handler meant to turn that into exit 70 printed the
error message as markup too, so the run ended in a bare traceback and exit 1.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import re
import select
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import ospo_scan.cli.application as cli_app
from ospo_scan.cli import app
from ospo_scan.cli.output import rendered
from ospo_scan.model import Inventory, LicenseInfo
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.terminal_text import plain_text, safe_text
from ospo_scan.scan import ScanOptions, scan

runner = CliRunner()

HOSTILE = {
    "closing tag": "evil[/]",
    "opening tag": "[bold]loud",
    "link": "[link=file:///etc/passwd]x[/link]",
    "escaped bracket": "a\\[b]",
    "trailing backslash": "name\\",
    "ansi color": "red\x1b[31mRED",
    "clear screen": "\x1b[2J\x1b[H",
    "carriage return": "good\rbad",
    "bell": "ding\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "bidi override": "\u202etxt.exe",
    "bidi isolate": "a\u2066b\u2069",
    "c1 csi": "x\x9b31m",
    "delete": "x\x7f",
    "newline": "two\nlines",
    "emoji code": ":fire:",
}
"""Names and messages a hostile or broken file may hold."""

def table_text(inventory: Inventory, is_terminal: bool = False) -> str:
    """The table report as the CLI renders it."""
    return rendered(functools.partial(OutputFormat.TABLE.renderer, Report.of(inventory, show_components=True)), is_terminal=is_terminal)


INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def shown_by_rich(markup: str) -> str:
    console = Console(file=io.StringIO(), width=400, color_system=None, highlight=False, emoji=False)
    console.print(markup, end="")
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_safe_text_renders_exactly_the_spelled_out_text(value: str) -> None:
    expected = plain_text(value).removesuffix("\\") + ("\\x5c" if value.endswith("\\") else "")
    assert shown_by_rich(safe_text(value)) == expected
    assert shown_by_rich(f"[dim]{safe_text(value)}[/]") == expected  # inside the reporter's own markup
    assert not INVISIBLE.search(expected)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("\x1b[31m", "\\x1b[31m"), ("a\rb", "a\\x0db"), ("\u202e", "\\u202e"), ("\x9b", "\\x9b"), ("tab\there", "tab\\x09here"), ("plain-name 1.0 ü", "plain-name 1.0 ü")],
)
def test_plain_text_spells_out_invisible_characters(value: str, shown: str) -> None:
    assert plain_text(value) == shown


def write_hostile_npm_project(root: Path) -> None:
    """A package.json and package-lock.json whose names, versions and licenses are hostile."""
    entries = {
        "evil[/]": {"version": "1.0.0", "license": "MIT"},
        "[bold]loud": {"version": "2.0.0\x1b[31mRED", "license": "[/]\x07"},
        "bidi\u202eevil": {"version": "3.0.0\r", "license": "\u202eTIM"},
        ":fire:": {"version": "4.0.0"},
    }
    dependencies = {name: "*" for name in entries}
    (root / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "dependencies": dependencies}))
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "dependencies": dependencies}}
    packages.update({f"node_modules/{name}": entry for name, entry in entries.items()})
    (root / "package-lock.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}))


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    write_hostile_npm_project(root)
    return root


@pytest.mark.parametrize("is_terminal", [False, True], ids=["file", "terminal"])
def test_table_shows_hostile_names_as_text(hostile_repo: Path, is_terminal: bool) -> None:
    inventory = scan([hostile_repo], ScanOptions(user_defaults=False))
    assert len(inventory.components) == 4
    shown = table_text(inventory, is_terminal)
    if is_terminal:
        shown = re.sub("\x1b\\[[0-9;]*m", "", shown)  # rich's own styling, nothing else
    assert not INVISIBLE.search(shown.replace("\n", ""))
    for expected in ("npm:evil[/]", "npm:[bold]loud", "2.0.0\\x1b[31mRED", "npm:bidi\\u202eevil", "npm::fire:"):
        assert expected in shown


def test_table_shows_hostile_licenses_and_requirements_as_text(hostile_repo: Path) -> None:
    """License expressions and requirements rarely survive normalization hostile; the cells are safe anyway."""
    inventory = scan([hostile_repo], ScanOptions(user_defaults=False))
    first, second, *rest = inventory.components
    hostile_license = dataclasses.replace(first, license=LicenseInfo(expression="MIT[/]\x1b[5m", category="unknown"))
    usages = tuple(dataclasses.replace(usage, requirement="^1.0[/]\r") for usage in second.usages)
    unpinned = dataclasses.replace(second, version=None, usages=usages)
    shown = table_text(dataclasses.replace(inventory, components=(hostile_license, unpinned, *rest)))
    assert "MIT[/]\\x1b[5m" in shown and "^1.0[/]\\x0d" in shown
    assert not INVISIBLE.search(shown.replace("\n", ""))


def test_cli_table_of_hostile_lockfile_exits_zero(hostile_repo: Path) -> None:
    result = runner.invoke(app, ["scan", str(hostile_repo)])
    assert result.exit_code == 0, result.output
    assert "npm:evil[/]" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_issue_paths_and_messages_are_text(tmp_path: Path) -> None:
    """A file name cannot hold `/`, but it can hold an unbalanced tag and an escape sequence."""
    folder = tmp_path / "[red]\x1b[31m"
    folder.mkdir()
    (folder / "package.json").write_text('{"name": "x", "dependencies": {"[/]\x1b[2J": 1}}')
    result = runner.invoke(app, ["scan", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "[red]\\x1b[31m/package.json" in result.stdout
    assert "\x1b" not in result.stdout
    assert "could not be read" in result.stderr


def test_internal_error_quoting_markup_still_exits_70(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("closing tag '[/]' at position 3 \x1b[2J has nothing to close")

    monkeypatch.setattr(cli_app, "scan", broken)
    for extra in ([], ["--debug"]):
        result = runner.invoke(app, ["scan", str(tmp_path), *extra])
        assert result.exit_code == 70, result.output
        assert "internal error: ValueError: closing tag '[/]' at position 3 \\x1b[2J has nothing" in result.stderr
        assert "\x1b" not in result.stderr


def test_usage_error_quoting_markup_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path / "nope[/]\x07")])
    assert result.exit_code == 2
    assert "error: " in result.stderr and "nope[/]\\x07: no such file or directory" in result.stderr


def test_curations_error_quoting_markup_exits_2(tmp_path: Path) -> None:
    curations = tmp_path / "cur[red].toml"
    curations.write_text('[[curation]]\npurl = "[bold]"\n')
    result = runner.invoke(app, ["scan", str(tmp_path), "--curations", str(curations)])
    assert result.exit_code == 2
    assert "cur[red].toml" in result.stderr


def test_main_turns_an_error_outside_commands_into_70(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken_app() -> None:
        raise RuntimeError("typer broke [/]")

    monkeypatch.setattr(cli_app, "app", broken_app)
    with pytest.raises(SystemExit) as stopped:
        cli_app.main()
    assert stopped.value.code == 70
    assert "internal error: RuntimeError: typer broke [/]" in capsys.readouterr().err


def test_plain_output_has_no_escape_sequences(hostile_repo: Path) -> None:
    """CliRunner's stdout and stderr are not terminals: the report is plain text."""
    result = runner.invoke(app, ["scan", str(hostile_repo)])
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr


# --- under a real terminal (issue 13, item 5) -----------------------------------------

SENTINEL = "\x1b[38;2;1;2;3m"
"""A color rich never draws with: seen raw on the terminal, it came from a scanned file."""
HYPERLINK = "\x1b]8;;http://x\x1b\\"
"""OSC 8: an escape that turns the text after it into a link."""
HOSTILE_FOLDER = f"app[bold]{SENTINEL}\x1b[31m\u202e\x1b]8;;x\x1b\\"
"""A folder name (no `/` in it) with markup, colors, a bidi override and a link start."""
RICH_OWN = re.compile("\x1b\\[(?:[0-9;]*m|\\?25[lh]|[0-9]*[AKG])")
"""What rich writes itself: colors and styles, and the progress bar's cursor moves."""


def write_hostile_tree_with_policy(root: Path) -> Path:
    """Names and paths that hold markup and escapes, in every table: components, critical
    projects, compliance gaps, policy violations and unreadable files. Returns the policy."""
    folder = root / HOSTILE_FOLDER
    folder.mkdir(parents=True)
    entries = {
        f"evil[/]{HYPERLINK}": {"version": "1.0.0"},
        f"[bold]loud{SENTINEL}": {"version": f"2.0.0{SENTINEL}\x1b[31m", "license": "GPL-3.0-only"},
        "bidi\u202eevil": {"version": "3.0.0", "license": f"[/]{SENTINEL}"},
    }
    dependencies = {name: "*" for name in entries}
    (folder / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "dependencies": dependencies}))
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "dependencies": dependencies}}
    packages.update({f"node_modules/{name}": entry for name, entry in entries.items()})
    (folder / "package-lock.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}))
    (root / f"broken{SENTINEL}\u202e").mkdir()
    (root / f"broken{SENTINEL}\u202e" / "package.json").write_text("{not json")
    policy = root / "policy.toml"
    rules = [("known", "deny-unknown-licenses = true"), ("no-gpl", 'deny-categories = ["strong-copyleft"]')]
    policy.write_text("".join(f'[[rules]]\nid = "{rule}"\n{body}\nseverity = "error"\n' for rule, body in rules))
    return policy


def run_on_a_terminal(arguments: list[str], columns: int = 400) -> tuple[int, str]:
    """Run ospo-scan with stdin, stdout and stderr on one pseudo-terminal; (exit code, all it showed)."""
    pty = pytest.importorskip("pty")
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "COLUMNS", "LINES")}
    environment.update(TERM="xterm-256color", FORCE_COLOR="")
    child = subprocess.Popen([sys.executable, "-m", "ospo_scan", *arguments], stdin=follower, stdout=follower, stderr=follower, env=environment, close_fds=True)
    os.close(follower)
    shown = bytearray()
    try:
        while select.select([leader], [], [], 120)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's last writer has gone
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        code = child.wait(timeout=60)
    return code, shown.decode("utf-8")


def test_table_under_a_pseudo_terminal_shows_no_escape_from_a_scanned_file(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    policy = write_hostile_tree_with_policy(root)
    code, shown = run_on_a_terminal(["scan", str(root), "--details", "--policy", str(policy), "--jobs", "1"])
    assert code == 1, shown  # the policy fails (and nothing crashed: a crash is 70)
    assert "\x1b[" in shown, "rich styled nothing: the run did not see a terminal"
    leftover = RICH_OWN.sub("", shown).replace("\r\n", "\n")
    assert not INVISIBLE.search(leftover.replace("\n", "")), repr(INVISIBLE.findall(leftover))
    assert SENTINEL not in shown and "\x1b]" not in shown  # no color of a file's, no OSC at all
    spelled = plain_text(SENTINEL)
    for title in ("Policy violations", "Compliance gaps", "Critical projects", "Components", "Files that could not be fully read"):
        assert title in leftover
    for expected in (
        f"app[bold]{spelled}\\x1b[31m\\u202e\\x1b]8;;x\\x1b\\/package.json",  # policy and gap places
        f"npm:evil[/]{plain_text(HYPERLINK).removesuffix(chr(92))}",  # critical projects and components
        f"npm:[bold]loud{spelled}",
        f"2.0.0{spelled}\\x1b[31m",
        "npm:bidi\\u202eevil",
        f"broken{spelled}\\u202e/package.json",  # the unreadable file
    ):
        assert expected in leftover, expected
