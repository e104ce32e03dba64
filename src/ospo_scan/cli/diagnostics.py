"""Messages on stderr: ospo-scan's own label styled, the rest always plain text.

A message usually quotes a path, a file's content or an exception raised while
reading one, so it is never parsed as rich markup and its control characters are
spelled out. Printing a diagnostic must never become the error itself: an exception
message holding `[/]` once turned exit 70 into a bare traceback and exit 1.
"""

from __future__ import annotations

import contextlib
import sys

from rich.console import Console
from rich.text import Text

from ospo_scan.reporters.terminal_text import no_color_requested, plain_text


def stderr_console() -> Console:
    """A console on the current sys.stderr; NO_COLOR is read now, not at import."""
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False, no_color=no_color_requested())


def error(message: str) -> None:
    """`error: message` (the user can fix it: usage errors, unreadable inputs)."""
    say("error", message, style="red")


def note(message: str) -> None:
    """`ospo-scan: message`, a remark about the scan that is not an error of the run."""
    say("ospo-scan", message, style="")


def say(label: str, message: str | None = None, *, style: str = "red") -> None:
    """Print `label: message`; only the label (ospo-scan's own word) is styled."""
    line = Text(label, style=style)
    if message is not None:
        line.append(": ")
        line.append(plain_text(message))
    show(line)


def show_traceback(text: str) -> None:
    """A formatted traceback, line by line, with scanned text in it made harmless."""
    show(Text("\n".join(plain_text(line) for line in text.splitlines())))


def show(line: Text) -> None:
    """Print on stderr; if rich fails (an encoding, a closed stream), write plain ASCII."""
    try:
        stderr_console().print(line)
    except Exception:  # noqa: BLE001 - the diagnostic must not replace the exit code it announces
        with contextlib.suppress(Exception):
            sys.stderr.write(line.plain.encode("ascii", "backslashreplace").decode("ascii") + "\n")


def block(heading: str, lines: list[str]) -> None:
    """`ospo-scan: heading` then each line indented, as plain text (a snippet to paste)."""
    note(heading)
    show(Text("\n".join("    " + plain_text(line) for line in lines)))
