"""The alias table: license names, URLs and classifiers that are not SPDX ids.

The data is aliases.toml beside this module (versioned, documented in its header); this
module loads it once, validates every value through spdx.py (so a typo in the table
fails the tests, naming the entry, rather than producing an invalid expression), and
answers lookups. Two rules complement the table because listing their cases would be
endless and error-prone: "<SPDX id> License" names, and the license URLs of
opensource.org and spdx.org whose last segment is an SPDX id.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from ospo_scan.licenses import spdx
from ospo_scan.licenses.spdx import SpdxExpression

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

AMBIGUOUS_PREFIX = f"{spdx.OSPO_REF_PREFIX}ambiguous-"
_VERSION = re.compile(r"^\d{4}\.\d{2}\.\d+$")
_SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_SECTIONS = {"version", "names", "classifiers", "urls", "exceptions", "ambiguous"}
_SECTIONS |= {"proprietary", "no_license"}
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_URL_START = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_BARE_URL = re.compile(r"^[\w-]+(?:\.[\w-]+)+/\S*$")
_URL_SUFFIX = re.compile(r"\.(?:txt|html?|shtml|php|md)$")
_RULE_URL = re.compile(r"^(?:opensource\.org/licenses?|spdx\.org/licenses)/([\w.+-]+)$")
_RULE_NAME = re.compile(r"^(?:the\s+)?(?P<body>\S+)\s+license$")


class AliasTableError(ValueError):
    """The alias table is malformed (the message names the entry)."""


class AliasKind(str, Enum):
    """What a matched string declares."""

    LICENSE = "license"
    AMBIGUOUS = "ambiguous"
    PROPRIETARY = "proprietary"
    NO_LICENSE = "no-license"


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """What one string of the table stands for."""

    kind: AliasKind
    expression: SpdxExpression | None
    """The SPDX expression; `LicenseRef-ospo-ambiguous-<slug>` for ambiguous strings;
    None for proprietary and no-license strings."""
    reason: str | None = None
    """Why the string is ambiguous, proprietary or no license at all."""
    source: str
    """Which part of the table matched (e.g. 'names', 'urls', 'ambiguous.bsd', a rule)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasTable:
    """The loaded table: every key already normalized, every value validated."""

    version: str
    entries: Mapping[str, Alias]
    exceptions: Mapping[str, str]
    """Normalized exception name -> SPDX exception id."""
    ambiguity: Mapping[str, str]
    """Slug -> the reason its strings are ambiguous."""
    members: Mapping[str, tuple[SpdxExpression, ...]]
    """Slug -> the SPDX ids its strings may mean (empty: they cannot be listed)."""

    def lookup(self, text: str) -> Alias | None:
        """The alias for a name, URL or classifier (table first, then the two rules)."""
        if is_url(text):
            key = url_key(text)
            return self.entries.get(key) or _url_rule(key)
        key = name_key(text)
        return self.entries.get(key) or _name_rule(key)

    def exception(self, text: str) -> str | None:
        """The SPDX exception id for an exception's id or name, else None."""
        return spdx.exception_id(text) or self.exceptions.get(name_key(text))

    def ambiguity_reason(self, license_id: str) -> str | None:
        """Why `LicenseRef-ospo-ambiguous-<slug>` is ambiguous; None for other ids."""
        if not license_id.startswith(AMBIGUOUS_PREFIX):
            return None
        return self.ambiguity.get(license_id.removeprefix(AMBIGUOUS_PREFIX))

    def members_of(self, license_id: str) -> tuple[SpdxExpression, ...]:
        """The ids `LicenseRef-ospo-ambiguous-<slug>` may mean; () for other ids and for
        groups that cannot list them."""
        if not license_id.startswith(AMBIGUOUS_PREFIX):
            return ()
        return self.members.get(license_id.removeprefix(AMBIGUOUS_PREFIX), ())


@cache
def load_aliases() -> AliasTable:
    """The table shipped in the package, loaded and validated once."""
    text = files("ospo_scan.licenses").joinpath("aliases.toml").read_text(encoding="utf-8")
    return parse_aliases(text)


def parse_aliases(text: str) -> AliasTable:
    """Load a table from TOML text; raise AliasTableError naming the first bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AliasTableError(f"aliases.toml: invalid TOML: {error}") from None
    unknown = set(data) - _SECTIONS
    if unknown:
        raise AliasTableError(f"aliases.toml: unknown section(s): {', '.join(sorted(unknown))}")
    version = data.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise AliasTableError(f"aliases.toml: version must be YYYY.MM.N, got {version!r}")
    entries: dict[str, Alias] = {}
    for section in ("names", "classifiers", "urls"):
        for raw, value in _table(data, section).items():
            alias = Alias(kind=AliasKind.LICENSE, expression=_valid(section, raw, value), source=section)
            _add(entries, url_key(raw) if section == "urls" else _key(raw), alias, section, raw)
    ambiguity, members = _load_ambiguous(_table(data, "ambiguous"), entries)
    for section, kind in (("proprietary", AliasKind.PROPRIETARY), ("no_license", AliasKind.NO_LICENSE)):
        for raw, reason in _table(data, section).items():
            alias = Alias(kind=kind, expression=None, reason=str(reason), source=section)
            _add(entries, _key(raw), alias, section, raw)
    return AliasTable(
        version=version,
        entries=MappingProxyType(entries),
        exceptions=MappingProxyType(_load_exceptions(_table(data, "exceptions"))),
        ambiguity=MappingProxyType(ambiguity),
        members=MappingProxyType(members),
    )


def is_url(text: str) -> bool:
    """True for URLs, with or without scheme (`opensource.org/licenses/MIT` too)."""
    text = text.strip()
    return bool(_URL_START.match(text) or _BARE_URL.match(text))


def url_key(text: str) -> str:
    """A URL reduced to what identifies a license text (see the table's header)."""
    key = _URL_START.sub("", text.strip().lower())
    key = key.removeprefix("www.")
    key = re.split(r"[?#]", key, maxsplit=1)[0].rstrip("/")
    key = _URL_SUFFIX.sub("", key).removesuffix(".en")
    return key.rstrip("/")


def name_key(text: str) -> str:
    """A name reduced for matching: case, whitespace, dashes, 'licence' spelling."""
    key = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    key = re.sub(r"\s+", " ", key.replace("licence", "license"))
    return key.strip().rstrip(".,;:").strip()


def _key(raw: str) -> str:
    """Entries outside [urls] may be names or URLs; each is keyed the way lookup will be."""
    return url_key(raw) if is_url(raw) else name_key(raw)


def _url_rule(key: str) -> Alias | None:
    """opensource.org/licenses/<id>, opensource.org/license/<id>, spdx.org/licenses/<id>."""
    match = _RULE_URL.match(key)
    return _single_license(match.group(1), "urls (rule: SPDX id in the URL)") if match else None


def _name_rule(key: str) -> Alias | None:
    """`<SPDX id> License`, optionally preceded by 'The' (e.g. 'ISC License')."""
    match = _RULE_NAME.match(key)
    return _single_license(match.group("body"), "names (rule: '<SPDX id> License')") if match else None


def _single_license(text: str, source: str) -> Alias | None:
    """An alias when `text` is exactly one known license id (no operators)."""
    try:
        node = spdx.tree(text)
    except spdx.SpdxError:
        return None
    if not isinstance(node, spdx.LicenseId) or node.key.startswith("LicenseRef-"):
        return None
    return Alias(kind=AliasKind.LICENSE, expression=spdx.render(node), source=source)


def _load_ambiguous(groups: Mapping[str, Any], entries: dict[str, Alias]) -> tuple[dict[str, str], dict[str, tuple[SpdxExpression, ...]]]:
    """[ambiguous.<slug>]: one reason, several strings, one LicenseRef per slug, and
    the ids the slug may mean (each must be one known SPDX license id)."""
    reasons: dict[str, str] = {}
    members: dict[str, tuple[SpdxExpression, ...]] = {}
    for slug, group in groups.items():
        where = f"ambiguous.{slug}"
        if not _SLUG.match(slug) or not isinstance(group, dict):
            raise AliasTableError(f"aliases.toml: [{where}] needs a lowercase slug and a table")
        reason, strings = group.get("reason"), group.get("strings")
        if not isinstance(reason, str) or not reason or not isinstance(strings, list) or not strings:
            raise AliasTableError(f"aliases.toml: [{where}] needs a reason and a list of strings")
        expression = SpdxExpression(f"{AMBIGUOUS_PREFIX}{slug}")
        for raw in strings:
            alias = Alias(kind=AliasKind.AMBIGUOUS, expression=expression, reason=reason, source=where)
            _add(entries, _key(str(raw)), alias, where, str(raw))
        reasons[slug] = reason
        members[slug] = _members(where, group.get("members", []))
    return reasons, members


def _members(where: str, values: object) -> tuple[SpdxExpression, ...]:
    if not isinstance(values, list):
        raise AliasTableError(f"aliases.toml: [{where}] members must be a list of SPDX ids")
    found: list[SpdxExpression] = []
    for value in values:
        alias = _single_license(str(value), where)
        if alias is None or alias.expression is None or alias.expression != value:
            raise AliasTableError(f"aliases.toml: [{where}] member {value!r} is not one SPDX license id in canonical form")
        found.append(alias.expression)
    return tuple(found)


def _load_exceptions(table: Mapping[str, Any]) -> dict[str, str]:
    exceptions: dict[str, str] = {}
    for raw, value in table.items():
        exception = spdx.exception_id(str(value))
        if exception is None:
            raise AliasTableError(f"aliases.toml: [exceptions] {raw!r}: {value!r} is no SPDX exception")
        key = name_key(raw)
        if key in exceptions:
            raise AliasTableError(f"aliases.toml: [exceptions] {raw!r} appears twice")
        exceptions[key] = exception
    return exceptions


def _table(data: Mapping[str, Any], section: str) -> Mapping[str, Any]:
    table = data.get(section, {})
    if not isinstance(table, dict):
        raise AliasTableError(f"aliases.toml: [{section}] must be a table")
    return table


def _valid(section: str, raw: str, value: object) -> SpdxExpression:
    try:
        return spdx.parse(str(value))
    except spdx.SpdxError as error:
        raise AliasTableError(f"aliases.toml: [{section}] {raw!r}: {error}") from None


def _add(entries: dict[str, Alias], key: str, alias: Alias, section: str, raw: str) -> None:
    if key in entries:
        raise AliasTableError(
            f"aliases.toml: [{section}] {raw!r} duplicates an entry of [{entries[key].source}]"
        )
    entries[key] = alias
