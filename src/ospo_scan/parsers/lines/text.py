"""What the TOML and INI line finders share: offsets to lines, and forward searches.

tomllib and configparser return values without positions. Rather than write a second,
position-aware parser, we look each value up in the source text, each item of a list
after the previous one, so a string that appears twice (a package in two groups) gets
the right line each time. A value that cannot be found has no line (None), never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

_NEWLINE = re.compile("\n")


class TextLines:
    """A file's text and the 1-based line of any offset in it (line starts indexed on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    def line_at(self, offset: int) -> int:
        """The 1-based line that holds character `offset`."""
        if self._line_starts is None:
            self._line_starts = [0, *(match.end() for match in _NEWLINE.finditer(self.text))]
        return bisect_right(self._line_starts, offset)

    def value_lines(self, values: Sequence[str], start: int = 0) -> list[int | None]:
        """Lines of the plain texts `values`, each searched after the previous one."""
        lines: list[int | None] = []
        for value in values:
            found = self.find_first((value,), start)
            lines.append(None if found is None else self.line_at(found[0]))
            start = found[1] if found is not None else start
        return lines

    def find_first(self, needles: Sequence[str], start: int) -> tuple[int, int] | None:
        """(start, end) of the earliest of `needles` after `start`, or None."""
        hits = [(self.text.find(needle, start), needle) for needle in needles if needle]
        found = [(at, needle) for at, needle in hits if at >= 0]
        if not found:
            return None
        at, needle = min(found)
        return at, at + len(needle)
