"""Short excerpts of scanned values, for the messages that quote them.

A message that quotes a value with `repr()` or an f-string walks all of it. A scanned
file can make that walk endless: a 431-byte YAML lockfile whose aliases nest nine lists
of nine makes one value of 387 million strings (repr never returns), and one 1 MB line
would be copied whole into every report that shows the issue. `excerpt` looks at no
more of a value than it shows: a string or bytes is cut to a few dozen characters and
says how long it was, a container is named by its type and size and never entered, a
huge integer by its size in bits. Every parser builds its messages from scanned values
through here, so no message can be longer than a line or take longer than a moment.
"""

from __future__ import annotations

import datetime

__all__ = ["EXCERPT_LIMIT", "excerpt", "shorten"]

EXCERPT_LIMIT = 80
"""Characters of a scanned text a message shows (escapes in its repr may add some)."""

_SCALARS = (bool, float, type(None), datetime.date, datetime.time)
"""Values whose repr is short whatever the file holds (datetime.datetime is a date)."""
_MAX_INT_BITS = 256
"""An integer this wide or less is shown (77 digits); a wider one only by its size."""
_CONTAINER_NAMES: dict[type, tuple[str, str]] = {
    list: ("a list", "item"),
    tuple: ("a tuple", "item"),
    dict: ("a mapping", "key"),
    set: ("a set", "item"),
    frozenset: ("a set", "item"),
}


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """How a message quotes `value`: `repr` when short, else a cut repr or a description.

    `'abc'` stays `'abc'`; a longer text becomes `'abc...' (1,000,000 characters)`;
    `[...]` becomes `a list of 9 items`; any other object is named by its type alone.
    """
    if isinstance(value, (str, bytes)):
        return _cut(value, limit)
    if isinstance(value, _SCALARS):
        return repr(value)
    if isinstance(value, int):
        width = value.bit_length()
        return repr(value) if width <= _MAX_INT_BITS else f"an integer of {width:,} bits"
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return _described(value)
    return f"a {type(value).__name__} object"


def shorten(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """`text` itself (unquoted), cut to `limit` characters with `...` when longer.

    For places that show scanned text as it is, such as a key path `["a@^1, a@^2"]`.
    """
    return text if len(text) <= limit else f"{text[: max(limit - 3, 1)]}..."


def _described(value: list[object] | tuple[object, ...] | dict[object, object] | set[object] | frozenset[object]) -> str:
    """`a list of 9 items`: the kind and size of a container, without looking inside it."""
    article, unit = next(names for kind, names in _CONTAINER_NAMES.items() if isinstance(value, kind))
    size = len(value)
    return f"{article} of {size:,} {unit}{'' if size == 1 else 's'}"


def _cut(value: str | bytes, limit: int) -> str:
    """The repr of a text's first `limit` characters, saying how long the whole was."""
    if len(value) <= limit:
        return repr(value)
    shown = repr(value[:limit])
    unit = "characters" if isinstance(value, str) else "bytes"
    return f"{shown[:-1]}...{shown[-1]} ({len(value):,} {unit})"
