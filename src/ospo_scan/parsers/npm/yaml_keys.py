"""Line numbers of mapping keys in block-style YAML, which PyYAML's loaders do not keep.

Lockfiles written by pnpm (and Yarn Berry) are block mappings, one key per line, nested
by indentation. One pass over the lines follows that nesting with a stack of
(indent, key) and records the line of every key whose path the caller wants, per
document (`---` starts one, as in `yaml.load_all`). Keys may be plain, single- or
double-quoted; flow collections (`{integrity: ...}`) stay on their line and are not
entered. Composing PyYAML nodes would give exact marks too, but costs a second full
parse of files that reach megabytes.

This reads the layout pnpm writes. For hand-made oddities (a key split over lines, a
block scalar whose text looks like `key: value`) a line may be missing, never invented
for a key the caller did not ask for, and nothing here raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

KeyPath = tuple[str, ...]

_KEY = re.compile(
    r"""^(?P<indent>[ ]*)(?P<key>'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#&*!|>%@`{}\[\],?:-][^\n]*?|-[^\s\n][^\n]*?)"""
    r"""[ \t]*:(?:[ \t]|$)"""
)


def key_lines(text: str, wanted: Callable[[KeyPath], bool]) -> dict[tuple[int, KeyPath], int]:
    """Map (document index, key path) of every wanted key to its 1-based line."""
    found: dict[tuple[int, KeyPath], int] = {}
    stack: list[tuple[int, str]] = []
    document, ended = -1, False
    for number, line in enumerate(text.split("\n"), 1):
        marker = line[:3] if line[3:4].strip() == "" else ""
        if marker in ("---", "..."):
            document, ended = (document + 1, False) if marker == "---" else (document, True)
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
        stack.append((indent, _unquote(match.group("key"))))
        path = tuple(key for _, key in stack)
        if wanted(path) and (document, path) not in found:
            found[(document, path)] = number
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
