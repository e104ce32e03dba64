"""Text from scanned files, made safe to show on a terminal.

A lockfile is written by strangers. A package name or a version may hold rich markup
(`[/]` crashes rich, `[link=...]` plants a link), ANSI escape sequences that recolor
or rewrite the screen, a carriage return or backspaces that hide what came before,
or bidi overrides that make a name read as something else. Every string that comes
from a scanned file goes through `safe_text` before rich sees it as markup, or
through `plain_text` where rich is told not to parse markup, so the reader sees what
the file holds, the invisible characters spelled out as `\\x1b` or `\\u202e`.

A backslash is left as it is (doubling it would make every Windows path hard to read,
and a name that spells out `\\x1b` itself is harmless text), except at the very end of
a value: rich reads a trailing backslash as escaping whatever markup follows it, and
its own escape doubles it, which shows two when nothing follows. `\\x5c` reads the
same in both places.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from rich.markup import escape

_BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Arabic letter mark, LRM, RLM, the embeddings and overrides, the isolates."""
_LINE_SEPARATORS = (0x2028, 0x2029)
"""Line and paragraph separators, which some terminals and editors break lines at."""


def _spelled_out(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_INVISIBLE = {
    code: _spelled_out(code)
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS, *_LINE_SEPARATORS)
}
"""C0 controls (tab and newline included: one value stays on one line), DEL, C1 controls
(0x9b alone starts an escape sequence on some terminals), bidi controls, separators."""


def plain_text(value: str) -> str:
    """`value` with every control, bidi and separator character spelled out as an escape."""
    return value.translate(_INVISIBLE)


def safe_text(value: str) -> str:
    """`value` ready to be embedded in rich markup: controls spelled out, brackets escaped."""
    text = plain_text(value)
    if text.endswith("\\"):
        text = text[:-1] + _spelled_out(ord("\\"))
    return escape(text)


def no_color_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when NO_COLOR is set to a non-empty value (no-color.org), even on a terminal."""
    return (os.environ if environ is None else environ).get("NO_COLOR", "") != ""
