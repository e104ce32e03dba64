"""An organization's license curations: decisions that override every other evidence.

A curations file is TOML, kept by the OSPO next to its policy:

    [[curation]]
    purl = "pkg:npm/left-pad"          # no version: every version; globs allowed (*, ?)
    license = "MIT"                     # an SPDX expression
    reason = "checked upstream repository, ticket OSPO-123"

Errors name the file and the entry, so a typo never silently drops a decision.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.licenses import spdx
from ospo_scan.model import Component

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib


class CurationsError(Exception):
    """The curations file cannot be used as it is (the message names file and entry)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Curation:
    """One decision: packages matching `purl` have `license`, for `reason`."""

    purl: str
    license: spdx.SpdxExpression
    reason: str
    index: int
    """Position in the file (0-based), for messages."""

    def matches(self, component: Component) -> bool:
        """A pattern without a version matches every version of the package."""
        unversioned = component.purl.rsplit("@", 1)[0] if component.version else component.purl
        return fnmatch.fnmatchcase(component.purl, self.purl) or fnmatch.fnmatchcase(unversioned, self.purl)


@dataclass(frozen=True, slots=True, kw_only=True)
class Curations:
    """All decisions of one file, first match wins."""

    path: str
    entries: tuple[Curation, ...]

    def find(self, component: Component) -> Curation | None:
        """The first curation that matches the component, if any."""
        return next((entry for entry in self.entries if entry.matches(component)), None)


def load_curations(path: Path) -> Curations:
    """Read and validate a curations file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CurationsError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CurationsError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise CurationsError(f"{path}: invalid TOML: {error}") from None
    raw_entries = data.get("curation", [])
    if not isinstance(raw_entries, list):
        raise CurationsError(f"{path}: 'curation' must be an array of tables ([[curation]])")
    return Curations(path=str(path), entries=tuple(_entry(path, index, raw) for index, raw in enumerate(raw_entries)))


def _entry(path: Path, index: int, raw: object) -> Curation:
    where = f"{path}: curation[{index}]"
    if not isinstance(raw, dict):
        raise CurationsError(f"{where}: expected a table")
    values = {key: raw.get(key) for key in ("purl", "license", "reason")}
    missing = [key for key, value in values.items() if not isinstance(value, str) or not value.strip()]
    if missing:
        raise CurationsError(f"{where}: missing or empty {', '.join(missing)}")
    purl, license_text, reason = (str(values[key]).strip() for key in ("purl", "license", "reason"))
    if not purl.startswith("pkg:"):
        raise CurationsError(f"{where}: purl must start with 'pkg:', got {purl!r}")
    expression = spdx.try_parse(license_text)
    if expression is None:
        raise CurationsError(f"{where}: license {license_text!r} is not a valid SPDX expression")
    return Curation(purl=purl, license=expression, reason=reason, index=index)


def no_curations() -> Curations:
    """An empty set, for scans without a curations file."""
    return Curations(path="", entries=())


__all__: Sequence[str] = ("Curation", "Curations", "CurationsError", "load_curations", "no_curations")
