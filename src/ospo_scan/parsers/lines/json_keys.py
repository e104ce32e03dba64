"""Line numbers of object keys in JSON text, which json.loads does not keep.

One structural pass over the text: a regular expression jumps from key to key and
bracket to bracket, skipping values (the regex engine does the per-character work); a
stack follows which object we are in, and the line of each key whose *parent path* the
caller wants is recorded; containers that cannot hold a wanted key are jumped over.
Knowing the path is what makes the lookup exact: the `"dependencies"` of the manifest is
not confused with the one nested under `"jspm"`, nor a package named `"packages"` with
the lockfile's top-level map. Items of arrays get the path segment `[]`, so no key under
an array is ever mistaken for an object member.

The pass is iterative (no recursion), so a hostile, deeply nested file cannot exhaust
the stack here; json.loads rejects such files first anyway. Malformed text (the caller
parses with json.loads first, so this does not happen in practice) only yields fewer
lines, never an exception. A key written twice keeps the line of its first occurrence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ospo_scan.parsers.lines import KeyPath

ARRAY_ITEM = "[]"
"""The path segment standing for any item of an array."""

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_OTHER = r'[^"{}\[\]]*'
"""Numbers, literals, commas, colons and blanks: everything but strings and brackets."""
_KEY_OR_BRACKET = re.compile(rf'{_OTHER}(?:{_STRING}(?!\s*:){_OTHER})*(?:"([^"\\]*(?:\\.[^"\\]*)*)"\s*:|([{{}}\[\]]))')
"""Skips values (unrolled, so no catastrophic backtracking) up to the next key or bracket."""
_BRACKET = re.compile(rf"{_OTHER}(?:{_STRING}{_OTHER})*([{{}}\[\]])")
"""Skips everything up to the next bracket: used to jump over containers nobody asked about."""

Predicate = Callable[[KeyPath], bool]


def key_lines(text: str, wanted: Predicate, enter: Predicate | None = None) -> dict[KeyPath, int]:
    """Map the path of every key whose parent path satisfies `wanted` to its 1-based line.

    `enter(path)` says whether a container may hold wanted keys at any depth (default:
    `wanted`); the others are jumped over bracket by bracket, which is what keeps a
    20 MB lockfile fast: only the keys of the `packages` map are looked at one by one.
    """
    enter = enter or wanted
    lines: dict[KeyPath, int] = {}
    stack: list[tuple[KeyPath, bool]] = []
    """Open containers being read key by key, innermost last: (path, is_array)."""
    pending = ARRAY_ITEM
    """The last key read in the innermost object: the name of the value that follows."""
    line, counted_to, position = 1, 0, 0
    while (token := _KEY_OR_BRACKET.match(text, position)) is not None:
        position = token.end()
        key, bracket = token.group(1), token.group(2)
        if key is not None:
            if not stack or stack[-1][1]:
                continue  # not a member of an object (invalid JSON)
            pending = _decode(key)
            parent = stack[-1][0]
            if wanted(parent) and (path := (*parent, pending)) not in lines:
                start = token.start(1) - 1
                line += text.count("\n", counted_to, start)
                counted_to = start
                lines[path] = line
        elif bracket in "{[":
            path = _child_path(stack, pending)
            if stack and not enter(path):
                position = _skip_container(text, position)
            else:
                stack.append((path, bracket == "["))
        elif stack:
            stack.pop()
            if not stack:
                break
    return lines


def _skip_container(text: str, position: int) -> int:
    """The position just after the container whose opening bracket ends before `position`."""
    depth = 1
    while depth:
        bracket = _BRACKET.match(text, position)
        if bracket is None:
            return len(text)
        position = bracket.end()
        depth += 1 if bracket.group(1) in "{[" else -1
    return position


def _child_path(stack: list[tuple[KeyPath, bool]], pending: str) -> KeyPath:
    """Path of a container opening now: the root, an array item, or the value of `pending`."""
    if not stack:
        return ()
    parent, is_array = stack[-1]
    return (*parent, ARRAY_ITEM if is_array else pending)


def _decode(raw: str) -> str:
    """The key as json.loads spells it (escapes resolved); the raw text if it is not valid."""
    if "\\" not in raw:
        return raw
    try:
        decoded = json.loads(f'"{raw}"')
    except json.JSONDecodeError:
        return raw
    return decoded if isinstance(decoded, str) else raw
