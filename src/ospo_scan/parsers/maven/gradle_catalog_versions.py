"""Version declarations of a Gradle version catalog -> a concrete version, or why there is none.

A catalog writes a version four ways: a string (`"1.0"`, a range `"[1.0, 2.0["`, a
dynamic `"1.+"`, or the `"1.0!!1.2"` strictly/prefer shorthand), a rich table
(`{ strictly, require, prefer, reject, rejectAll }`), a reference to `[versions]`
(`version.ref = "x"`, which TOML reads as `{ ref = "x" }`), or nothing at all. Gradle
resolves the rich forms at build time against the whole graph; without running it, the
version we report is the first concrete one of strictly, require and prefer (the one
Gradle picks when nothing else in the graph disagrees), and the constraint as written
stays the requirement. A range or dynamic version has no concrete version: it is kept
as the requirement with a note, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.parsers.base import INVALID_ENTRY

RICH_KEYS = ("strictly", "require", "prefer", "reject", "rejectAll")
"""The keys Gradle accepts in a rich version table, in the order it renders them."""
PREFERENCE = ("strictly", "require", "prefer")
"""Where the reported version comes from, strongest first."""
STRICTLY_SHORTHAND = "!!"
DYNAMIC_MARKS = frozenset("[]()+,")
DYNAMIC_NOTE = "version range or dynamic version: Gradle picks the version at build time"
REJECT_ALL_NOTE = "the catalog rejects every version of this module (rejectAll)"
NO_VERSION_NOTE = "no version in the catalog: a platform (BOM) or a constraint of the build supplies it"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogVersion:
    """What a catalog says about one entry's version."""

    version: str | None
    """Concrete version, or None (range, dynamic, absent, unreadable)."""
    requirement: str | None
    """The constraint as written (rich tables rendered the way Gradle prints them)."""
    note: str | None = None
    """Why there is no concrete version, when there is none."""


UNRESOLVED_PROPERTY = "unresolved-property"
"""Issue codes (ospo_scan.model.ISSUE_CODES): an entry Gradle would refuse (INVALID_ENTRY);
a `version.ref` naming no `[versions]` entry (a placeholder without a value)."""


class CatalogError(ValueError):
    """An entry of the catalog that Gradle would refuse; `path` is its TOML key path."""

    def __init__(self, path: tuple[str, ...], message: str, code: str = INVALID_ENTRY) -> None:
        super().__init__(f"{'.'.join(path)}: {message}")
        self.path = path
        self.code = code


NO_VERSION = CatalogVersion(version=None, requirement=None, note=NO_VERSION_NOTE)


def declared_version(value: Any, path: tuple[str, ...], versions: Mapping[str, CatalogVersion]) -> CatalogVersion:
    """The version of a library or plugin entry (`path` ends with `version`)."""
    if isinstance(value, str):
        return string_version(value, path)
    if not isinstance(value, dict):
        raise CatalogError(path, f"expected a string or a table, found {type(value).__name__}")
    if "ref" in value:  # Gradle lets a reference win over any other key of the table
        return referenced_version(value["ref"], (*path, "ref"), versions)
    return rich_version(value, path)


def referenced_version(alias: Any, path: tuple[str, ...], versions: Mapping[str, CatalogVersion]) -> CatalogVersion:
    """The `[versions]` entry named by `version.ref`; exact key first, then Gradle's alias spelling.

    `versions` holds each alias both as written and normalized (see `with_normalized_aliases`).
    """
    if not isinstance(alias, str) or not alias:
        raise CatalogError(path, f"expected a version alias, found {excerpt(alias)}")
    found = versions.get(alias) or versions.get(normalize_alias(alias))
    if found is None:
        raise CatalogError(path, f"unknown version alias {excerpt(alias)} (not in [versions])", UNRESOLVED_PROPERTY)
    return found


def string_version(text: str, path: tuple[str, ...]) -> CatalogVersion:
    """A version string: concrete, a range/dynamic version, or the `strictly!!prefer` shorthand."""
    if not text.strip():
        raise CatalogError(path, "the version must not be empty")
    strictly, shorthand, prefer = text.partition(STRICTLY_SHORTHAND)
    if shorthand:
        table = {"strictly": strictly} | ({"prefer": prefer} if prefer else {})
        return _choose(table, requirement=text)
    if is_dynamic(text):
        return CatalogVersion(version=None, requirement=text, note=DYNAMIC_NOTE)
    return CatalogVersion(version=text, requirement=text)


def rich_version(table: dict[str, Any], path: tuple[str, ...]) -> CatalogVersion:
    """A `{ strictly, require, prefer, reject, rejectAll }` table, checked the way Gradle checks it."""
    unknown = sorted(set(table) - set(RICH_KEYS))
    if unknown:
        raise CatalogError(path, f"unknown rich version key(s) {', '.join(unknown)}")
    for key in PREFERENCE:
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise CatalogError((*path, key), f"expected a non-empty version string, found {excerpt(table[key])}")
    reject = table.get("reject", [])
    if not isinstance(reject, list) or not all(isinstance(item, str) for item in reject):
        raise CatalogError((*path, "reject"), "expected an array of version strings")
    if not isinstance(table.get("rejectAll", False), bool):
        raise CatalogError((*path, "rejectAll"), "expected true or false")
    return _choose(table, requirement=render_rich(table))


def _choose(table: Mapping[str, Any], requirement: str) -> CatalogVersion:
    """The strongest concrete version of a rich constraint, or a note saying why there is none."""
    if table.get("rejectAll") is True:
        return CatalogVersion(version=None, requirement=requirement, note=REJECT_ALL_NOTE)
    stated = [table[key] for key in PREFERENCE if table.get(key)]
    concrete = next((version for version in stated if not is_dynamic(version)), None)
    if concrete is not None:
        return CatalogVersion(version=concrete, requirement=requirement)
    note = DYNAMIC_NOTE if stated else NO_VERSION_NOTE
    return CatalogVersion(version=None, requirement=requirement, note=note)


def render_rich(table: Mapping[str, Any]) -> str:
    """`{strictly [1.0, 2.0[; prefer 1.5; reject 1.1 & 1.2}`, the way Gradle prints a constraint."""
    parts = [f"{key} {table[key]}" for key in PREFERENCE if table.get(key)]
    if table.get("reject"):
        parts.append("reject " + " & ".join(table["reject"]))
    if table.get("rejectAll") is True:
        parts.append("reject all versions")
    return "{" + "; ".join(parts) + "}"


def is_dynamic(version: str) -> bool:
    """A range (`[1.0, 2.0)`, `]1.0, 2.0[`), a prefix (`1.+`) or a `latest.*` selector."""
    return bool(DYNAMIC_MARKS.intersection(version)) or version.startswith("latest.")


def normalize_alias(alias: str) -> str:
    """Gradle treats `-`, `_` and `.` in an alias alike (`groovy-core` is `groovy.core`)."""
    return alias.replace("-", ".").replace("_", ".")


def with_normalized_aliases(versions: Mapping[str, CatalogVersion]) -> dict[str, CatalogVersion]:
    """`versions` plus each alias in Gradle's normalized spelling (an exact alias is never overridden)."""
    found = dict(versions)
    for alias, entry in versions.items():
        found.setdefault(normalize_alias(alias), entry)
    return found
