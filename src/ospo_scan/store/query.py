"""What `snapshot query` asks for: a package (by name, purl or glob) and maybe a version range.

A query is read once into a PackageQuery; the database narrows by ecosystem, namespace
and name (SQL LIKE patterns, built here with their wildcards escaped), and the versions
of what it finds are then checked against the range in Python with univers, which knows
each ecosystem's ordering (no version is compared by hand). A version univers cannot
read does not match a range, and is not an error: a branch name is simply not `<2.0`.
Matching is case-insensitive throughout, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from univers.version_range import RANGE_CLASS_BY_SCHEMES, VersionRange  # type: ignore[import-untyped]

from ospo_scan.diffing.versions import parsed

_COMPARATOR = re.compile(r"\s*(<=|>=|==|!=|<|>|=)\s*([^\s,<>=!|]+)\s*")
"""One `<op><version>` of the comparator form (`>=1.0,<2.0` or `>=1.0 <2.0`)."""

_SCHEMES = {"pypi": "pypi", "npm": "npm", "maven": "maven", "golang": "golang"}
"""The univers scheme of each ecosystem ranges may name (by purl type)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageQuery:
    """A parsed query: what to look for, as LIKE patterns, and the range to filter by."""

    text: str
    """The query as written, for messages."""
    ecosystem: str | None
    """The purl type; None: any ecosystem (a plain name was given)."""
    namespace: str | None
    """LIKE pattern of the purl namespace (lower case); None: the purl named none."""
    name: str
    """LIKE pattern of the purl name (lower case); for a plain name, of either spelling."""
    version_range: Any | None = None
    """A univers VersionRange, or None: any version."""

    @classmethod
    def parse(cls, text: str) -> PackageQuery:
        """`lodash`, `pkg:npm/lodash`, `pkg:npm/@babel/*`, each optionally followed by
        whitespace and a version range; ValueError saying what is wrong."""
        stripped = text.strip()
        if not stripped:
            raise ValueError("empty package query: give a name (lodash) or a package URL (pkg:npm/lodash)")
        package, _, range_text = stripped.partition(" ")
        range_text = range_text.strip()
        if not package.lower().startswith("pkg:"):
            if range_text:
                raise ValueError(f"{text!r}: a version range needs an ecosystem: write the package as a purl (pkg:npm/{package} {range_text})")
            return cls(text=text, ecosystem=None, namespace=None, name=like_pattern(package))
        ecosystem, namespace, name, version = _purl_parts(package, text)
        if version is not None:
            if range_text:
                raise ValueError(f"{text!r}: give either a version in the purl or a range after it, not both")
            range_text = f"={version}"
        return cls(
            text=text,
            ecosystem=ecosystem,
            namespace=like_pattern(namespace) if namespace is not None else None,
            name=like_pattern(name),
            version_range=version_range(ecosystem, range_text, text) if range_text else None,
        )

    def matches_version(self, version: str | None) -> bool:
        """True when there is no range, or univers reads `version` and it is in the range."""
        if self.version_range is None:
            return True
        value = parsed(self.ecosystem or "", version)
        if value is None:
            return False
        try:
            return bool(value in self.version_range)
        except Exception:  # noqa: BLE001 - univers raises assorted errors comparing odd versions; such a version is simply not in range
            return False


def like_pattern(glob: str) -> str:
    """A glob (`*` any run of characters) as a lower-case LIKE pattern, escape character `\\`."""
    escaped = glob.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def version_range(ecosystem: str, text: str, query: str) -> Any:
    """A univers range from comparators (`<2.17.1`, `>=1.0,<2.0`), a `vers:` string or the
    ecosystem's native syntax (`^4.17.0`, `[1.0,2.0)`, `~=1.4`)."""
    scheme = _SCHEMES.get(ecosystem)
    if scheme is None:
        raise ValueError(f"{query!r}: version ranges are not supported for ecosystem {ecosystem!r} (supported: {', '.join(sorted(_SCHEMES))})")
    try:
        if text.startswith("vers:"):
            return VersionRange.from_string(text)
        comparators = _comparators(text)
        if comparators is not None:
            return VersionRange.from_string(f"vers:{scheme}/" + "|".join(comparators))
        return RANGE_CLASS_BY_SCHEMES[scheme].from_native(text)
    except Exception as error:  # noqa: BLE001 - univers raises many kinds (ValueError, NotImplementedError, InvalidVersion...) for a range it cannot read
        raise ValueError(f"{query!r}: {text!r} is not a {ecosystem} version range ({type(error).__name__}: {error})") from None


def _comparators(text: str) -> list[str] | None:
    """`>=1.0,<2.0` as vers comparators (`>=1.0`, `<2.0`), or None when not that form."""
    found = []
    for part in re.split(r"[,\s]+", text.strip()):
        match = _COMPARATOR.fullmatch(part)
        if match is None:
            return None
        operator = "=" if match.group(1) in ("=", "==") else match.group(1)
        found.append(f"{operator}{match.group(2)}")
    return found or None


def _purl_parts(package: str, query: str) -> tuple[str, str | None, str, str | None]:
    """(type, namespace, name, version) of a purl that may hold `*` globs."""
    rest = package[4:].lstrip("/")
    rest = rest.split("?", 1)[0].split("#", 1)[0]
    ecosystem, _, path = rest.partition("/")
    if not ecosystem or not path:
        raise ValueError(f"{query!r}: a package URL needs a type and a name (pkg:npm/lodash)")
    version = None
    head, at, tail = path.rpartition("@")
    if at and head and not head.endswith("/"):
        path, version = head, unquote(tail)
    namespace, _, name = path.rpartition("/")
    if not name:
        raise ValueError(f"{query!r}: the package URL has no name after its last '/'")
    ecosystem = ecosystem.lower()
    name = unquote(name)
    if ecosystem == "pypi":
        name = re.sub(r"[-_.]+", "-", name)
    return ecosystem, unquote(namespace) if namespace else None, name, version or None
