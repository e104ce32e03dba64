"""Line numbers for values in TOML and INI manifests, whose parsers do not report them.

tomllib and configparser return values without positions. Rather than write a second,
position-aware parser, we look each value up in the source text: the table (or INI
section) header first, then the key inside it, then the value after that key. Items
of one list are searched in order, each after the previous one, so a string that
appears twice (a package in two groups) gets the right line each time.

This is right for the way manifests are written (one entry per line) and cheap (a few
string searches per entry). When the text cannot be found — an unusual quoting, an
escape sequence, a table written inline somewhere else — the line is None rather
than a guess; when the header or key cannot be found, the search starts at the
nearest enclosing header found, or at the top of the file. Headers and keys are
indexed once, so a file with thousands of entries costs one pass, not one per entry.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence


class SourceText:
    """A file's text with helpers that map found values back to 1-based lines.

    Table headers and keys are indexed once, on first use, so finding the line of
    every entry of a large file stays linear rather than quadratic.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        self._headers: dict[tuple[str, ...], int] | None = None
        self._keys: dict[str, list[int]] | None = None

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
        else:  # search after the key's `=`, so a quoted key equal to a value is not taken for it
            equals = self.text.find("=", start)
            start = equals + 1 if equals >= 0 else start
        lines: list[int | None] = []
        for value in values:
            found = self._find_first(_toml_spellings(value), start)
            if found is None and _TOML_ESCAPED.search(value):
                found = self._find_first(_toml_prefixes(value), start)
            if found is None:
                lines.append(None)
                continue
            lines.append(self.line_at(found[0]))
            start = found[1]
        return lines

    def _toml_anchor(self, path: Sequence[str]) -> int | None:
        """Offset of the deepest header or key of `path` found in the text."""
        headers = self._toml_headers()
        for cut in range(len(path), 0, -1):
            header = headers.get(tuple(path[:cut]))
            if header is not None:
                return self._after_keys(path[cut:], header)
        return self._after_keys(path, 0)

    def _after_keys(self, keys: Sequence[str], start: int) -> int | None:
        """Offset of the last of `keys`, each found after the previous; None if one is missing."""
        index = self._toml_keys()
        offset = start
        for key in keys:
            offsets = index.get(key, [])
            at = bisect_left(offsets, offset)
            if at == len(offsets):
                return None
            offset = offsets[at]
        return offset

    def _toml_headers(self) -> dict[tuple[str, ...], int]:
        """Offset of each `[a.b.c]` table header, by its key parts (first one wins)."""
        if self._headers is None:
            self._headers = {}
            for match in _TOML_HEADER.finditer(self.text):
                self._headers.setdefault(_dotted_parts(match.group(1)), match.start())
        return self._headers

    def _toml_keys(self) -> dict[str, list[int]]:
        """Offsets of every `key =` (or dotted `key.`), by unquoted key, in file order."""
        if self._keys is None:
            self._keys = {}
            for match in _TOML_KEY.finditer(self.text):
                self._keys.setdefault(_unquote(match.group(1)), []).append(match.start(1))
        return self._keys

    # INI

    def ini_value_lines(self, section: str, key: str, values: Sequence[str]) -> list[int | None]:
        """Lines of the items `values`, in order, of `key` in INI `section`."""
        start = 0
        header = re.compile(rf"^[ \t]*\[{re.escape(section)}\]", re.MULTILINE).search(self.text)
        if header is not None:
            start = header.end()
            option = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*[=:]", re.MULTILINE | re.IGNORECASE)
            found_key = option.search(self.text, start)
            start = found_key.end() if found_key is not None else start
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
        """(start, end) of the earliest of `needles` after `start`, or None."""
        hits = [(self.text.find(needle, start), needle) for needle in needles if needle]
        found = [(at, needle) for at, needle in hits if at >= 0]
        if not found:
            return None
        at, needle = min(found)
        return at, at + len(needle)


_TOML_HEADER = re.compile(r"^[ \t]*\[(?!\[)([^\]\n]+)\]", re.MULTILINE)
_TOML_KEY = re.compile(
    r"""(?:^|(?<=[{,.]))[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*(?=[=.])""", re.MULTILINE
)
_TOML_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')
_DOTTED_PART = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^.]+?)\s*(?:\.|$)""")


def _toml_spellings(value: str) -> tuple[str, ...]:
    """How a TOML string may be written: basic (with JSON-like escapes) or literal quotes."""
    return (json.dumps(value, ensure_ascii=False), f'"{value}"', f"'{value}'")


def _toml_prefixes(value: str) -> tuple[str, ...]:
    """The quoted text up to the first character a TOML string may have escaped.

    A last resort for values such as `x; python_version >= "3.8"` written with
    `\\u0022` or other escapes the exact spellings miss.
    """
    cut = _TOML_ESCAPED.search(value)
    prefix = value[: cut.start()] if cut else value
    return (f'"{prefix}',) if prefix else ()


def _dotted_parts(header: str) -> tuple[str, ...]:
    """The key parts of a dotted header such as `tool.poetry.group."dev".dependencies`."""
    return tuple(_unquote(part) for part in _DOTTED_PART.findall(header.strip()))


def _unquote(key: str) -> str:
    """A bare or quoted key as tomllib returns it (escapes in basic strings resolved)."""
    if len(key) >= 2 and key[0] == key[-1] == "'":
        return key[1:-1]
    if len(key) >= 2 and key[0] == key[-1] == '"':
        try:
            return str(json.loads(key))
        except ValueError:
            return key[1:-1]
    return key
