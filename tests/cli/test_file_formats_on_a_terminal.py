"""`--format csv` and `--format json` on a terminal: nothing a scanned file holds reaches it
unescaped (issue 13); to a pipe or a file, the report's bytes are exactly what they were."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from ospo_scan.cli.terminal_document import for_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

HYPERLINK = "\x1b]8;;http://x.example\x1b\\"
"""OSC 8: the text after it becomes a link."""
NAMES = {
    f"esc\x1b[31mred{HYPERLINK}": "1.0.0",
    "csi\x9b2J-wipe": "2.0.0",
    "bidi\u202eevil": "3.0.0",
    "cr\rhidden": "4.0.0",
    "sep\u2028line": "5.0.0",
}
"""Package names with, in turn: ESC (a color, then a link), a C1 CSI (clears the screen on
some terminals), a right-to-left override, a lone carriage return, a line separator."""
FOLDER = "app\x1b]0;title\x07"
"""A folder name that sets the terminal's title (OSC 0, ended by BEL)."""
INVISIBLE = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""What must not reach the terminal: every control but tab, line feed and CRLF; bidi; separators."""


def hostile_tree(root: Path) -> Path:
    folder = root / FOLDER
    folder.mkdir(parents=True)
    dependencies = {name: version for name, version in NAMES.items()}
    (folder / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "dependencies": dependencies}))
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "dependencies": dependencies}}
    packages.update({f"node_modules/{name}": {"version": version} for name, version in NAMES.items()})
    (folder / "package-lock.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}))
    return root


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), "TERM": "xterm-256color"}


def command(root: Path, output_format: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ospo_scan", "scan", str(root), "--format", output_format, "--jobs", "1", *extra]


def on_a_terminal(arguments: list[str]) -> tuple[int, bytes, str]:
    """Run with stdout on a raw pseudo-terminal (no newline translation), stderr on a pipe:
    (exit code, the bytes the terminal received, stderr)."""
    pty = pytest.importorskip("pty")
    tty = pytest.importorskip("tty")
    leader, follower = pty.openpty()
    tty.setraw(follower)
    child = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE, env=environment(), close_fds=True)
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
        _, errors = child.communicate(timeout=60)
    return child.returncode, bytes(shown), errors.decode("utf-8", "replace")


def through_a_pipe(arguments: list[str]) -> bytes:
    finished = subprocess.run(arguments, stdin=subprocess.DEVNULL, capture_output=True, env=environment(), timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_tree(tmp_path_factory.mktemp("terminal") / "tree")


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_file_format_on_a_terminal_spells_out_control_and_bidi_characters(tree: Path, output_format: str) -> None:
    code, shown, errors = on_a_terminal(command(tree, output_format))
    assert code == 0, errors
    text = shown.decode("utf-8")
    assert not INVISIBLE.search(text), repr(INVISIBLE.findall(text))
    exact = through_a_pipe(command(tree, output_format)).decode("utf-8")
    assert len(INVISIBLE.findall(exact)) > len(NAMES), "the hostile names did not reach the report"
    spelled_out = len(INVISIBLE.findall(exact))
    assert f"{spelled_out} control or bidi characters from scanned files spelled out on this terminal" in errors
    assert "--output FILE or a pipe gets" in errors


def test_json_on_a_terminal_is_the_same_document(tree: Path) -> None:
    """`\\u009b` is JSON's own escape: what the terminal shows parses to the exact report."""
    _, shown, errors = on_a_terminal(command(tree, "json"))
    exact = through_a_pipe(command(tree, "json"))
    assert json.loads(shown) == json.loads(exact), errors
    names = {component["name"] for component in json.loads(shown)["components"]}
    assert set(NAMES) <= names


def test_csv_on_a_terminal_shows_names_spelled_out_as_the_table_does(tree: Path) -> None:
    _, shown, _ = on_a_terminal(command(tree, "csv"))
    text = shown.decode("utf-8")
    for spelled in ("esc\\x1b[31mred\\x1b]8;;http://x.example\\x1b\\", "csi\\x9b2J-wipe", "bidi\\u202eevil", "cr\\x0dhidden", "sep\\u2028line", "app\\x1b]0;title\\x07"):
        assert spelled in text, spelled
    assert text.count("\r\n") == through_a_pipe(command(tree, "csv")).count(b"\r\n"), "the rows' CRLF ends are the document's own"


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_file_format_to_a_pipe_or_a_file_keeps_the_exact_bytes(tree: Path, tmp_path: Path, output_format: str) -> None:
    piped = through_a_pipe(command(tree, output_format))
    written = tmp_path / f"report.{output_format}"
    through_a_pipe(command(tree, output_format, "--output", str(written)))
    assert written.read_bytes() == piped
    assert "\u202e".encode() in piped and "\x9b".encode() in piped  # as scanned (JSON writes ESC as \u001b itself)


def test_output_file_on_a_terminal_session_keeps_the_exact_bytes(tree: Path, tmp_path: Path) -> None:
    """A run on a terminal writing --output: the file is not the terminal, nothing changes, no note."""
    written = tmp_path / "report.csv"
    code, _, errors = on_a_terminal(command(tree, "csv", "--output", str(written)))
    assert code == 0, errors
    assert written.read_bytes() == through_a_pipe(command(tree, "csv"))
    assert "spelled out" not in errors


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ('{"name": "a\x1bb\u202ec\x9b"}\n', '{"name": "a\\u001bb\\u202ec\\u009b"}\n', 3),
        ('"a\x1bb","c\rd"\r\n', '"a\\x1bb","c\\x0dd"\r\n', 2),
        ("plain\ttext\r\n", "plain\ttext\r\n", 0),
    ],
    ids=["json-escapes", "text-escapes-lone-cr", "layout-kept"],
)
def test_for_terminal_spells_out_by_document_kind(text: str, expected: str, count: int) -> None:
    assert for_terminal(text) == (expected, count)
