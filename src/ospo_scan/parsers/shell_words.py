"""Shell-style word splitting in linear time, for the formats that pip and Maven split with shlex.

pip splits the options of a requirements line with `shlex.split`, and Maven's
`.mvn/maven.config` is read the same way, so both parsers must split words as shlex does.
shlex itself builds each token one character at a time with `token = token + char` on an
attribute, which copies the token on every character: a 1 MB `--hash=` value took 15 s.
This module gives the same words as `shlex.split(text)` (POSIX mode, no comments) by
taking whole runs of plain, quoted and escaped characters with one regular expression
whose alternatives start with different characters, so nothing is ever tried twice.
"""

from __future__ import annotations

import re

__all__ = ["split"]

_PIECE = re.compile(
    r"""(?P<space>[ \t\r\n]+)"""
    r"""|(?P<plain>[^ \t\r\n'"\\]+)"""
    r"""|'(?P<single>[^']*)'"""
    r'''|"(?P<double>[^"\\]*(?:\\.[^"\\]*)*)"'''
    r"""|\\(?P<escaped>.)""",
    re.DOTALL,
)
_DOUBLE_ESCAPE = re.compile(r'\\([\\"])')
"""Inside double quotes a backslash escapes only `\\` and `"`; before anything else it stays."""


def split(text: str) -> list[str]:
    """The words of `text` as `shlex.split(text)` gives them; ValueError for an open quote or a final backslash."""
    words: list[str] = []
    current: list[str] | None = None  # None between words; [] for a word begun by empty quotes
    position = 0
    while position < len(text):
        piece = _PIECE.match(text, position)
        if piece is None:
            raise ValueError(_unbalanced(text[position]))
        position = piece.end()
        if piece.lastgroup == "space":
            if current is not None:
                words.append("".join(current))
            current = None
            continue
        if current is None:
            current = []
        current.append(_unquoted(piece))
    if current is not None:
        words.append("".join(current))
    return words


def _unquoted(piece: re.Match[str]) -> str:
    """The characters a plain, quoted or escaped piece stands for."""
    kind = piece.lastgroup
    if kind == "double":
        return _DOUBLE_ESCAPE.sub(r"\1", piece.group("double"))
    assert kind is not None
    return piece.group(kind)


def _unbalanced(first: str) -> str:
    """shlex's words for the two ways a text cannot be split."""
    return "No escaped character" if first == "\\" else "No closing quotation"
