"""Line numbers for values in TOML and INI manifests, whose parsers do not report them.

tomllib and configparser return values without positions. Rather than write a second,
position-aware parser, we look each value up in the source text: the table (or INI
section) header first, then the key inside it, then the value after that key. Items
of one list are searched in order, each after the previous one, so a string that
appears twice (a package in two groups) gets the right line each time.

This is right for the way manifests are written (one entry per line) and cheap (a few
string searches per entry). When the text cannot be found — an unusual quoting, an
escape sequence, a table written inline somewhere else — the line is None rather
than a guess; when the header or key cannot be found, the search falls back to the
whole file.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence


class SourceText:
    """A file's text with helpers that map found values back to 1-based lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]

    def line_at(self, offset: int) -> int:
        """The 1-based line that holds character `offset`."""
        return bisect_right(self._line_starts, offset)

    # TOML

    def toml_key_line(self, path: Sequence[str]) -> int | None:
        """Line of the key at `path` (e.g. tool.poetry.dependencies.requests), or None."""
        offset = self._toml_anchor(path)
        return None if offset is None else self.line_at(offset)

    def toml_string_lines(self, path: Sequence[str], values: Sequence[str]) -> list[int | None]:
        """Lines of the strings `values`, in order, of the array at key `path`."""
        start = self._toml_anchor(path)
        if start is None:
            start = self._toml_anchor(path[:-1]) or 0
        lines: list[int | None] = []
        for value in values:
            found = self._find_first(_toml_spellings(value), start)
            if found is None:
                lines.append(None)
                continue
            lines.append(self.line_at(found[0]))
            start = found[1]
        return lines

    def _toml_anchor(self, path: Sequence[str]) -> int | None:
        """Offset of the deepest header or key of `path` found in the text."""
        for cut in range(len(path), 0, -1):
            header = _toml_header(path[:cut]).search(self.text)
            if header is not None:
                return self._after_keys(path[cut:], header.start())
        return self._after_keys(path, 0)

    def _after_keys(self, keys: Sequence[str], start: int) -> int | None:
        """Offset of the last of `keys`, each searched after the previous; None if one is missing."""
        offset = start
        for key in keys:
            found = _toml_key(key).search(self.text, offset)
            if found is None:
                return None
            offset = found.end() - 1
        return offset

    # INI

    def ini_value_lines(self, section: str, key: str, values: Sequence[str]) -> list[int | None]:
        """Lines of the items `values`, in order, of `key` in INI `section`."""
        start = 0
        header = re.compile(rf"^[ \t]*\[{re.escape(section)}\]", re.MULTILINE).search(self.text)
        if header is not None:
            start = header.end()
            option = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*[=:]", re.MULTILINE | re.IGNORECASE)
            found_key = option.search(self.text, start)
            start = found_key.start() if found_key is not None else start
        return self.value_lines(values, start)

    def value_lines(self, values: Sequence[str], start: int = 0) -> list[int | None]:
        """Lines of the plain texts `values`, each searched after the previous one."""
        lines: list[int | None] = []
        for value in values:
            found = self._find_first((value,), start)
            lines.append(None if found is None else self.line_at(found[0]))
            start = found[1] if found is not None else start
        return lines

    def _find_first(self, needles: Sequence[str], start: int) -> tuple[int, int] | None:
        """(start, end) of the earliest needle after `start`, else of the earliest anywhere."""
        for origin in (start, 0):
            hits = [(self.text.find(needle, origin), needle) for needle in needles if needle]
            hits = [(at, needle) for at, needle in hits if at >= 0]
            if hits:
                at, needle = min(hits)
                return at, at + len(needle)
        return None


def _toml_spellings(value: str) -> tuple[str, ...]:
    """How a TOML string may be written: basic (with JSON-like escapes) or literal quotes."""
    return (json.dumps(value, ensure_ascii=False), f'"{value}"', f"'{value}'")


def _toml_key_alternatives(key: str) -> str:
    """A regex for one key as bare, double-quoted or single-quoted."""
    escaped = re.escape(key)
    return rf"(?:\"{escaped}\"|'{escaped}'|{escaped})"


def _toml_header(parts: Sequence[str]) -> re.Pattern[str]:
    """A regex for the `[a.b.c]` header of a table (not an array of tables)."""
    dotted = r"[ \t]*\.[ \t]*".join(_toml_key_alternatives(part) for part in parts)
    return re.compile(rf"^[ \t]*\[[ \t]*{dotted}[ \t]*\]", re.MULTILINE)


def _toml_key(key: str) -> re.Pattern[str]:
    """A regex for `key =` (or `key.` of a dotted key) at a line start or inside `{ }`."""
    return re.compile(rf"(?:^|[{{,])[ \t]*{_toml_key_alternatives(key)}[ \t]*[=.]", re.MULTILINE)
