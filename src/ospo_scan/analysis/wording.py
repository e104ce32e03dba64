"""Counted nouns for sentences people read: "1 project", "3 projects", never "1 projects"."""

from __future__ import annotations

_IRREGULAR = {"dependency": "dependencies", "repository": "repositories", "policy": "policies", "is": "are", "was": "were"}


def plural(word: str) -> str:
    """The plural of one of the nouns reports use."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return word[:-1] + "ies"
    return word + "s"


def count(number: int, word: str) -> str:
    """`count(1, "project")` -> "1 project"; `count(2, "project")` -> "2 projects"."""
    return f"{number} {word if number == 1 else plural(word)}"


def listing(items: list[str], limit: int = 3) -> str:
    """"a, b and c", or "a, b, c and 4 more" past `limit` items."""
    if not items:
        return ""
    if len(items) > limit:
        shown = items[:limit]
        return f"{', '.join(shown)} and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
