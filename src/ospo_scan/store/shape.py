"""Strict reading of untrusted JSON values, each failure a StoreError naming its key path.

A document to store may come from anywhere (another machine, a hand edit, an attacker),
so ingest reads every field it keeps through these functions: a wrong type, a missing
key, `null` or `[]` where an object belongs all become `scan.json: components[3].purl:
expected a string`, never a KeyError or TypeError. Text must also be storable by both
databases: PostgreSQL rejects a NUL character and neither takes a lone surrogate, so
those are refused here, with their key path, rather than by the database mid-write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ospo_scan.store.errors import StoreError


@dataclass(frozen=True, slots=True)
class Shape:
    """Reads values of one document; `source` starts every message."""

    source: str

    def fail(self, where: str, what: str) -> StoreError:
        """The error for the value at key path `where`."""
        return StoreError(f"{self.source}: {where}: {what}" if where else f"{self.source}: {what}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, found {_kind(value)}")
        return self._storable(value, where)

    def optional_string(self, value: Any, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string or null, found {_kind(value)}")
        return self._storable(value, where)

    def optional_line(self, value: Any, where: str) -> int | None:
        """A line number: a whole number (not a boolean) that fits a 64-bit column, or null."""
        if value is None:
            return None
        if type(value) is not int or not 0 <= value < 2**63:
            raise self.fail(where, f"expected a whole number or null, found {_kind(value)}")
        return value

    def flag(self, value: Any, where: str, default: bool = False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, found {_kind(value)}")
        return value

    def _storable(self, value: str, where: str) -> str:
        if "\x00" in value:
            raise self.fail(where, "contains a NUL character, which a database cannot store")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self.fail(where, "is not valid Unicode text (a lone surrogate)") from None
        return value


def _kind(value: Any) -> str:
    """How a wrong value is named in a message (never the value itself: it may be huge)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
