"""Key-sorted JSON written piece by piece, byte for byte as `json.dumps` writes the whole.

A report of a thousand repositories is over a gigabyte of JSON: built as one dict and
encoded as one byte string, it took four times that in memory. Here the document is
described lazily (`Members` for an object, `Streamed` for a list, plain data for the
rest) and written in chunks of about a megabyte: a list's elements are taken from their
iterator a batch at a time, encoded by orjson (one call per batch), and dropped, so
neither the document nor its bytes are ever held whole.

The bytes are those of `json.dumps(document, sort_keys=True, ensure_ascii=False)` with
compact separators, or with `indent=2` (`pretty`): a batch encoded with orjson's own
indentation is moved right by its depth in the document (a newline inside a JSON string
is always escaped, so every newline of an encoding is one of its line breaks). Whatever
orjson refuses or would spell otherwise (a lone surrogate, an integer beyond 64 bits, a
float below 1e-4) is encoded by the json module instead, one batch only.

`printable` writes a lone surrogate out as `\\\\xNN` (or `\\\\uNNNN`), as the CLI's
`printable_output` does to a whole JSON document, so the pieces can go to a UTF-8 file
as they come; without it the surrogate stays in the text, as `json.dumps` leaves it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the json module writes the same bytes
    orjson = None  # type: ignore[assignment]

CHUNK_BYTES = 1 << 20
"""About this many bytes are gathered before one write."""

BATCH = 128
"""List elements encoded by one orjson call (a corpus component is some 5 KB)."""


@dataclass(frozen=True, slots=True)
class Members:
    """A JSON object written member by member (keys sorted here), for values that are
    themselves streamed; a plain dict is encoded in one piece."""

    members: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Streamed:
    """A JSON list whose elements (plain data) come from an iterator, a batch at a time."""

    items: Iterable[Any]


Write = Callable[[bytes], object]
"""Where the chunks go (UTF-8 bytes; with surrogates encoded by `surrogatepass` unless
the writer is `printable`)."""


def write_document(document: Any, write: Write, *, pretty: bool, printable: bool = False) -> None:
    """Write `document` and a newline through `write`, in chunks."""
    writer = _Writer(write, pretty=pretty, printable=printable)
    writer.value(document, 0)
    writer.add(b"\n")
    writer.flush()


def materialize(document: Any) -> Any:
    """The plain data a lazy document stands for (what json.dumps would be given)."""
    if isinstance(document, Members):
        return {key: materialize(value) for key, value in document.members.items()}
    if isinstance(document, Streamed):
        return list(document.items)
    return document


_EXPONENT = re.compile(rb"e-[1-9](?![0-9])")
_SMALL_DECIMAL = re.compile(rb"0\.0000")
_BEFORE_A_VALUE = frozenset(b" \n:[,-")
_SURROGATE = re.compile("[\ud800-\udfff]")


def spelled_otherwise(encoded: bytes) -> bool:
    """Whether orjson wrote a float below 1e-4, which json spells otherwise (orjson writes
    0.00001 and 2.5e-7 where json writes 1e-05 and 2.5e-07). Looked for by literal first (a
    regular expression that checks what precedes at every byte takes seconds on 100 MB); a
    look-alike inside a string is a false alarm, which only costs the slower encoder. NaN
    and infinities, which orjson writes as null, never reach a report: the criticality
    settings refuse them and every other float is a rounded share or score."""
    for match in _EXPONENT.finditer(encoded):
        start = match.start()
        if start and 48 <= encoded[start - 1] <= 57:  # a digit before the `e`: a number, unless in a string
            begin = start - 1
            while begin and encoded[begin - 1] in b"0123456789.":
                begin -= 1
            if not begin or encoded[begin - 1] in _BEFORE_A_VALUE:
                return True
    return any(not match.start() or encoded[match.start() - 1] in _BEFORE_A_VALUE for match in _SMALL_DECIMAL.finditer(encoded))


def encode(value: Any, *, pretty: bool) -> str | bytes:
    """`value` as json.dumps writes it: orjson's bytes when they are the same, else json's text."""
    if orjson is not None:
        try:
            encoded = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 if pretty else orjson.OPT_SORT_KEYS)
        except TypeError:  # orjson.JSONEncodeError: a surrogate, a huge integer, a key that is not a string
            pass
        else:
            if not spelled_otherwise(encoded):
                return encoded
    if pretty:
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def printable_json(text: str) -> str:
    """A JSON text with every lone surrogate written out (see the module docstring)."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\\\u{code:04x}"


class _Writer:
    """Gathers encoded pieces and hands them on in chunks."""

    __slots__ = ("_write", "_pretty", "_printable", "_pieces", "_size")

    def __init__(self, write: Write, *, pretty: bool, printable: bool) -> None:
        self._write = write
        self._pretty = pretty
        self._printable = printable
        self._pieces: list[bytes] = []
        self._size = 0

    def add(self, piece: bytes) -> None:
        self._pieces.append(piece)
        self._size += len(piece)
        if self._size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._pieces:
            self._write(b"".join(self._pieces))
            self._pieces = []
            self._size = 0

    def value(self, value: Any, depth: int) -> None:
        """Write one value that starts where the cursor is, `depth` levels deep."""
        if isinstance(value, Members):
            self._object(value.members, depth)
        elif isinstance(value, Streamed):
            self._list(value.items, depth)
        else:
            self.add(self._indented(self._encoded(value), depth))

    def _encoded(self, value: Any) -> bytes:
        encoded = encode(value, pretty=self._pretty)
        if isinstance(encoded, bytes):
            return encoded
        return (printable_json(encoded) if self._printable else encoded).encode("utf-8", "surrogatepass")

    def _indented(self, encoded: bytes, depth: int) -> bytes:
        """An encoding's lines after the first moved right by `depth` levels."""
        if not self._pretty or not depth or b"\n" not in encoded:
            return encoded
        return encoded.replace(b"\n", b"\n" + b"  " * depth)

    def _object(self, members: Mapping[str, Any], depth: int) -> None:
        if not members:
            self.add(b"{}")
            return
        inner = b"\n" + b"  " * (depth + 1) if self._pretty else b""
        colon = b": " if self._pretty else b":"
        for position, key in enumerate(sorted(members)):
            self.add((b"{" if not position else b",") + inner + self._encoded(key) + colon)
            self.value(members[key], depth + 1)
        self.add(b"\n" + b"  " * depth + b"}" if self._pretty else b"}")

    def _list(self, items: Iterable[Any], depth: int) -> None:
        """Elements a batch at a time: the batch encoded as a list, its brackets cut off."""
        iterator = iter(items)
        first = True
        while batch := list(islice(iterator, BATCH)):
            encoded = self._encoded(batch)
            if self._pretty:  # b"[\n  A,\n  B\n]": the elements one level in, as they will stay
                inner = b"  " * depth + self._indented(encoded[2:-2], depth)
                self.add((b"[\n" if first else b",\n") + inner)
            else:
                self.add((b"[" if first else b",") + encoded[1:-1])
            first = False
        if first:
            self.add(b"[]")
        else:
            self.add(b"\n" + b"  " * depth + b"]" if self._pretty else b"]")
