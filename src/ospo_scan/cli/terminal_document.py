"""A report meant for a file, shown on a terminal instead: its invisible characters spelled out.

`--format csv` or `--format json` without `--output`, on a terminal, prints text that
strangers wrote (package names, versions, paths): an ESC or a C1 CSI recolors or
rewrites the screen, an OSC 8 plants a hyperlink, a carriage return hides what came
before on the line, a bidi override makes a name read as another. The table spells such
characters out itself (reporters.terminal_text); a file format must keep them exact, so
only the copy that goes to a terminal is changed, and only there: a file or a pipe gets
the report's bytes as they are.

What is spelled out is what the table spells out: C0 controls, DEL, C1 controls, the bidi
controls and the line and paragraph separators, except the layout of the document itself
(tab, line feed, and a carriage return just before a line feed: CSV ends its rows with
CRLF). A JSON document (every JSON format here is an object, and no other format starts
with `{`) gets `\\u009b`, a JSON escape, so that what the terminal shows is still valid
JSON holding the same strings; any other text gets `\\x1b` or `\\u202e`, as the table
writes them.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal"]

_INVISIBLE = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
"""Every character the table spells out (reporters.terminal_text), less the document's
own layout: tab, line feed and the CR of a CRLF."""


def for_terminal(text: str) -> tuple[str, int]:
    """(`text` with its invisible characters spelled out, how many were)."""
    if _INVISIBLE.search(text) is None:
        return text, 0
    spell = _json_escape if text.lstrip().startswith("{") else _text_escape
    return _INVISIBLE.subn(lambda found: spell(ord(found.group())), text)


def _json_escape(code: int) -> str:
    return f"\\u{code:04x}"


def _text_escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
