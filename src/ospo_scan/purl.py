"""The one place that turns (ecosystem, name, version) into a package URL.

Every ecosystem has its own name rules in the purl spec (PEP 503 for PyPI, a scope
as namespace for npm, groupId as namespace for Maven, the module path split for Go).
Keeping them here means parsers never build purl strings by hand.
"""

from __future__ import annotations

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
    return PackageURL(
        type=ecosystem.value,
        namespace=namespace,
        name=bare,
        version=version,
        qualifiers=dict(qualifiers) or None,
    ).to_string()
