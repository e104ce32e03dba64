"""Line numbers of mapping keys in block-style YAML, which PyYAML's loaders do not keep.

Lockfiles written by pnpm and Yarn Berry are block mappings, one key per line, nested
by indentation. One pass over the lines follows that nesting with a stack of
(indent, key) and records the line of every key whose path the caller wants, per
document (`---` starts one, as in `yaml.load_all`). Keys may be plain, single- or
double-quoted; flow collections (`{integrity: ...}`) stay on their line and are not
entered. The lines nested under a key the caller does not `enter` are passed over with
one string comparison each, so only the few levels a parser asks about cost a regular
expression per line. Composing PyYAML nodes would give exact marks too, but costs a
second full parse of files that reach tens of megabytes.

This reads the layout pnpm and yarn write. For hand-made oddities (a key split over lines, a
block scalar whose text looks like `key: value`) a line may be missing, never invented
for a key the caller did not ask for, and nothing here raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ospo_scan.parsers.lines import KeyPath

Predicate = Callable[[KeyPath], bool]

_KEY = re.compile(
    r"""^(?P<indent>[ ]*)(?P<key>'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#&*!|>%@`{}\[\],?:-][^\n]*?|-[^\s\n][^\n]*?)"""
    r"""[ \t]*:(?:[ \t]|$)"""
)

_MARKERS = ("---", "...")
"""A document starts (`---`) or ends (`...`) at a line that begins with one of these and a blank."""


def key_lines(text: str, wanted: Predicate, enter: Predicate | None = None) -> dict[tuple[int, KeyPath], int]:
    """Map (document index, key path) of every key whose path satisfies `wanted` to its 1-based line.

    `enter(path)` says whether keys nested under the key at `path` may be wanted (default:
    every key is looked at); the lines under one that may not are skipped unread.
    """
    found: dict[tuple[int, KeyPath], int] = {}
    stack: list[tuple[int, KeyPath]] = []
    """(indent, path) of the keys enclosing the current line, innermost last."""
    document, ended = -1, False
    skipping: str | None = None
    """The indentation (spaces) of lines nested under a key that is not entered."""
    for number, line in enumerate(text.split("\n"), 1):
        if skipping is not None:
            if not line or line.startswith(skipping):
                continue
            skipping = None
        if line.startswith(_MARKERS) and line[3:4].strip() == "":
            document, ended = (document + 1, False) if line[0] == "-" else (document, True)
            stack = []
            continue
        match = _KEY.match(line)
        if match is None:
            continue
        if document < 0 or ended:
            document, ended = document + 1, False
        indent = len(match.group("indent"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (*stack[-1][1], _unquote(match.group("key"))) if stack else (_unquote(match.group("key")),)
        stack.append((indent, path))
        if wanted(path) and (document, path) not in found:
            found[(document, path)] = number
        if enter is not None and not enter(path):
            skipping = " " * (indent + 1)
    return found


def _unquote(raw: str) -> str:
    """The key as the YAML loader spells it: quotes removed, escapes resolved."""
    if raw.startswith("'") and raw.endswith("'") and len(raw) > 1:
        return raw[1:-1].replace("''", "'")
    if raw.startswith('"') and raw.endswith('"') and len(raw) > 1:
        try:
            return str(json.loads(raw))
        except json.JSONDecodeError:
            return raw[1:-1]
    return raw.rstrip()
