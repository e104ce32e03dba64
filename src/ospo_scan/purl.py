"""The one place that turns (ecosystem, name, version) into a package URL.

Every ecosystem has its own name rules in the purl spec (PEP 503 for PyPI, a scope
as namespace for npm, groupId as namespace for Maven, the module path split for Go).
Keeping them here means parsers never build purl strings by hand.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NewType

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from ospo_scan.model import Ecosystem

NormalizedName = NewType("NormalizedName", str)
"""A package name normalized per its ecosystem's rules (e.g. PEP 503 for PyPI)."""


def normalize_name(ecosystem: Ecosystem, name: str) -> NormalizedName:
    """Normalize a package name the way its ecosystem compares names."""
    name = name.strip()
    if ecosystem is Ecosystem.PYPI:
        return NormalizedName(canonicalize_name(name))
    if ecosystem is Ecosystem.NPM:
        return NormalizedName(name.lower())  # the purl spec lowercases npm names and scopes
    return NormalizedName(name)


def split_name(ecosystem: Ecosystem, name: str) -> tuple[str | None, str]:
    """Split a full package name into the purl (namespace, name) pair."""
    if ecosystem is Ecosystem.NPM and name.startswith("@") and "/" in name:
        scope, _, bare = name.partition("/")
        return scope, bare
    if ecosystem is Ecosystem.MAVEN and ":" in name:
        group, _, artifact = name.partition(":")
        return group, artifact
    if ecosystem is Ecosystem.GOLANG and "/" in name:
        namespace, _, bare = name.rpartition("/")
        return namespace, bare
    return None, name


def build_purl(
    ecosystem: Ecosystem,
    name: str,
    version: str | None,
    qualifiers: dict[str, str] | None = None,
) -> str:
    """Build the canonical purl string for a package (name already normalized)."""
    return _cached_purl(ecosystem, name, version or None, tuple(sorted((qualifiers or {}).items())))


@lru_cache(maxsize=1 << 16)
def _cached_purl(ecosystem: Ecosystem, name: str, version: str | None, qualifiers: tuple[tuple[str, str], ...]) -> str:
    """packageurl-python's validation is thorough and slow; a big monorepo asks for the
    same purl thousands of times (every edge of every lockfile), so results are kept."""
    namespace, bare = split_name(ecosystem, name)
    if not qualifiers:
        plain = _plain_purl(ecosystem, namespace, bare, version)
        if plain is not None:
            return plain
    return _library_purl(ecosystem, namespace, bare, version, qualifiers)


_UNCHANGED = re.compile(r"[A-Za-z0-9._~-]+")
"""Characters percent-encoding leaves as they are (RFC 3986 unreserved)."""
_UNCHANGED_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
_LOWERCASED_NAMES = frozenset({Ecosystem.PYPI, Ecosystem.NPM})
"""The purl types (of ours) whose names the purl spec lowercases (pypi also maps _ to -)."""
_PLAIN_PREFIXES = {ecosystem: f"pkg:{ecosystem.value}/" for ecosystem in Ecosystem}


def _plain_purl(ecosystem: Ecosystem, namespace: str | None, name: str, version: str | None) -> str | None:
    """The purl string of a package whose parts need no encoding and no normalization, else None.

    Nearly every name and version is made of unreserved characters only; for those the
    library's result is the parts joined as they are, so it is built here without it (the
    library's normalization and quoting of every part cost more than all else in resolving
    a monorepo). Anything else (an npm scope's `@`, a `+` in a version, upper case where the
    type lowercases, qualifiers) is left to `_library_purl`. tests/core/test_purl_fast_path.py
    checks the two agree.
    """
    if not _UNCHANGED.fullmatch(name):
        return None
    if ecosystem in _LOWERCASED_NAMES and name != name.lower():
        return None
    if ecosystem is Ecosystem.PYPI and "_" in name:
        return None
    if version is not None and not _UNCHANGED.fullmatch(version):
        return None
    prefix = _PLAIN_PREFIXES[ecosystem]
    if namespace:
        if ecosystem is Ecosystem.NPM and namespace.startswith("@") and _UNCHANGED.fullmatch(namespace, 1):
            prefix = f"{prefix}%40{namespace[1:]}/"
        elif _UNCHANGED_PATH.fullmatch(namespace) and (ecosystem is not Ecosystem.PYPI or namespace == namespace.lower()):
            prefix = f"{prefix}{namespace}/"
        else:
            return None
    return f"{prefix}{name}@{version}" if version else f"{prefix}{name}"


def _library_purl(ecosystem: Ecosystem, namespace: str | None, bare: str, version: str | None, qualifiers: tuple[tuple[str, str], ...]) -> str:
    """packageurl-python's purl string: validates and encodes every part."""
    return PackageURL(
        type=ecosystem.value,
        namespace=namespace,
        name=bare,
        version=version,
        qualifiers=dict(qualifiers) or None,
    ).to_string()
