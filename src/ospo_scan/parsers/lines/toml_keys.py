"""Line numbers in TOML files (manifests, lockfiles, version catalogs), which tomllib does not keep.

Three questions, each answered from the text:

- `key_line(path)`: the key or table at a key path (`tool.poetry.dependencies.requests`):
  the deepest table header of the path found, then the remaining keys, each after the
  previous one. Headers and keys are indexed once, on first use, so a file with
  thousands of entries costs one pass, not one per entry.
- `string_lines(path, values)`: the strings of the array at `path`, in order, searched
  after its key's `=` in the ways TOML may spell them (basic with escapes, literal).
- `table_lines(name, tables)`: each entry of an array of tables (`[[package]]`): its
  header, skipping lines inside multi-line strings, trusted only when there are exactly
  as many headers as entries (an inline `package = [...]` array has none); otherwise each
  entry's `name = "..."`, searched forward.

This is right for the way these files are written (one entry per line). When the text
cannot be found — an unusual quoting, an escape sequence, a table written inline
somewhere else — the line is None rather than a guess; when a header or key cannot be
found, the search starts at the nearest enclosing header found, or at the top of the file.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from ospo_scan.parsers.lines.text import TextLines

_HEADER = re.compile(r"^[ \t]*\[(?!\[)([^\]\n]+)\]", re.MULTILINE)
_KEY = re.compile(r"""(?:^|(?<=[{,.]))[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*(?=[=.])""", re.MULTILINE)
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')
_DOTTED_PART = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^.]+?)\s*(?:\.|$)""")
_MULTILINE_QUOTES = ('"""', "'''")


class TomlLines(TextLines):
    """A TOML file's text, with its table headers and keys indexed on first use."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._headers: dict[tuple[str, ...], int] | None = None
        self._keys: dict[str, list[int]] | None = None

    def key_line(self, path: Sequence[str]) -> int | None:
        """Line of the key or table at `path` (e.g. tool.poetry.dependencies.requests), or None."""
        offset = self._anchor(path)
        return None if offset is None else self.line_at(offset)

    def string_lines(self, path: Sequence[str], values: Sequence[str]) -> list[int | None]:
        """Lines of the strings `values`, in order, of the array at key `path`."""
        start = self._anchor(path)
        if start is None:
            start = self._anchor(path[:-1]) or 0
        else:  # search after the key's `=`, so a quoted key equal to a value is not taken for it
            equals = self.text.find("=", start)
            start = equals + 1 if equals >= 0 else start
        lines: list[int | None] = []
        for value in values:
            found = self.find_first(_spellings(value), start)
            if found is None and _ESCAPED.search(value):
                found = self.find_first(_prefixes(value), start)
            if found is None:
                lines.append(None)
                continue
            lines.append(self.line_at(found[0]))
            start = found[1]
        return lines

    def table_lines(self, name: str, tables: Sequence[Any]) -> list[int | None]:
        """Line of each entry of the array of tables `name`: its `[[name]]` header, else its `name = "..."`."""
        headers = self._array_headers(name)
        return headers if len(headers) == len(tables) else self._lines_by_name(tables)

    def _anchor(self, path: Sequence[str]) -> int | None:
        """Offset of the deepest header or key of `path` found in the text."""
        headers = self._table_headers()
        for cut in range(len(path), 0, -1):
            header = headers.get(tuple(path[:cut]))
            if header is not None:
                return self._after_keys(path[cut:], header)
        return self._after_keys(path, 0)

    def _after_keys(self, keys: Sequence[str], start: int) -> int | None:
        """Offset of the last of `keys`, each found after the previous; None if one is missing."""
        index = self._key_offsets()
        offset = start
        for key in keys:
            offsets = index.get(key, [])
            at = bisect_left(offsets, offset)
            if at == len(offsets):
                return None
            offset = offsets[at]
        return offset

    def _table_headers(self) -> dict[tuple[str, ...], int]:
        """Offset of each `[a.b.c]` table header, by its key parts (first one wins)."""
        if self._headers is None:
            self._headers = {}
            for match in _HEADER.finditer(self.text):
                self._headers.setdefault(_dotted_parts(match.group(1)), match.start())
        return self._headers

    def _key_offsets(self) -> dict[str, list[int]]:
        """Offsets of every `key =` (or dotted `key.`), by unquoted key, in file order."""
        if self._keys is None:
            self._keys = {}
            for match in _KEY.finditer(self.text):
                self._keys.setdefault(_unquote(match.group(1)), []).append(match.start(1))
        return self._keys

    def _array_headers(self, name: str) -> list[int | None]:
        """Lines of `[[name]]` headers outside multi-line strings."""
        found: list[int | None] = []
        open_quote: str | None = None
        for number, line in enumerate(self.text.splitlines(), 1):
            if open_quote is None and _is_array_header(line, name):
                found.append(number)
            for quote in _MULTILINE_QUOTES:
                if open_quote in (None, quote) and line.count(quote) % 2 == 1:
                    open_quote = None if open_quote else quote
        return found

    def _lines_by_name(self, tables: Sequence[Any]) -> list[int | None]:
        """Line of each table's `name = "<name>"`, searched forward; None when not found."""
        lines: list[int | None] = []
        cursor = 0
        for table in tables:
            name = table.get("name") if isinstance(table, dict) else None
            match = None
            if isinstance(name, str):
                match = re.compile(rf"""\bname\s*=\s*(["']){re.escape(name)}\1""").search(self.text, cursor)
            lines.append(self.line_at(match.start()) if match else None)
            cursor = match.end() if match else cursor
        return lines


def _is_array_header(line: str, name: str) -> bool:
    """`[[name]]`, with optional spaces inside the brackets and a comment after them."""
    stripped = line.strip()
    if not stripped.startswith("[[") or "]]" not in stripped:
        return False
    return stripped[2:].split("]]", 1)[0].strip() == name


def _spellings(value: str) -> tuple[str, ...]:
    """How a TOML string may be written: basic (with JSON-like escapes) or literal quotes."""
    return (json.dumps(value, ensure_ascii=False), f'"{value}"', f"'{value}'")


def _prefixes(value: str) -> tuple[str, ...]:
    """The quoted text up to the first character a TOML string may have escaped.

    A last resort for values such as `x; python_version >= "3.8"` written with
    `\\u0022` or other escapes the exact spellings miss.
    """
    cut = _ESCAPED.search(value)
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
