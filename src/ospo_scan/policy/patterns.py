"""Which components a first-party pattern or an exception's purl pattern covers.

Patterns are purl-style globs (`*`, `?`, `[...]`) written the way each ecosystem names
its packages, or as a package URL:

- `@acme/*` (npm), `com.acme:*` (Maven groupId:artifactId), `github.com/acme/*` (Go),
  `acme-*` (PyPI, normalized as PEP 503 does) -- first-party patterns;
- `pkg:npm/@acme/*`, `pkg:maven/com.acme/*`, `pkg:pypi/requests@2.31.0` -- either; a purl
  without a version covers every version.

Version ranges are written in the ecosystem's own syntax (`^1.2` for npm, `>=2,<3` for
PyPI, `[1.0,2.0)` for Maven, `>=v1.2.0` for Go) and judged by `univers`, which knows
each ecosystem's ordering (no version is compared by hand here).
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache
from typing import Any
from urllib.parse import unquote

from packageurl import PackageURL

from ospo_scan.model import Component, Ecosystem

_NATIVE_RANGES = {"pypi": "PypiVersionRange", "npm": "NpmVersionRange", "maven": "MavenVersionRange"}
"""univers's range class per purl type, by name: univers is imported only when a policy
exception names a version range (it costs start-up time every scan would pay)."""
_GO_COMPARATOR = re.compile(r"^\s*(>=|<=|>|<|=|!=)?\s*v?(\S+)\s*$")
_PYPI_SEPARATORS = re.compile(r"[-_.]+")


class PatternError(ValueError):
    """A pattern or version range that cannot be used (the message says why)."""


def check_first_party_pattern(pattern: str) -> None:
    """Raise PatternError when `pattern` cannot match anything."""
    if pattern.startswith("pkg:"):
        _split_purl_pattern(pattern)


def check_exception_pattern(purl: str, versions: str | None) -> None:
    """Raise PatternError for an exception's unusable purl pattern or version range."""
    if not purl.startswith("pkg:"):
        raise PatternError(f"{purl!r} is not a package URL pattern (pkg:<type>/<name>, e.g. pkg:npm/left-pad)")
    package_type, _, version = _split_purl_pattern(purl)
    if versions is not None:
        if version is not None:
            raise PatternError(f"{purl!r} names a version and a range is given too: use one of them")
        _version_range(package_type, versions)


def component_key(component: Component) -> str:
    """`pkg:<type>/<namespace>/<name>`, decoded and without version: what purl patterns match."""
    return _purl_key(component.purl)


def is_first_party(component: Component, patterns: tuple[str, ...]) -> bool:
    """True when a pattern names the component (or it is one of the repository's own)."""
    if component.first_party:
        return True
    if not patterns:
        return False
    key = component_key(component)
    native = _native_names(component)
    for pattern in patterns:
        if pattern.startswith("pkg:"):
            if matches_purl(component, pattern, None):
                return True
        elif any(_glob(name, pattern, component.ecosystem) for name in native):
            return True
    return key in patterns


def matches_purl(component: Component, pattern: str, versions: str | None) -> bool:
    """True when the exception pattern (and range, when given) covers the component."""
    package_type, name_pattern, version = _split_purl_pattern(pattern)
    if package_type != component.ecosystem.value:
        return False
    if not _glob(component_key(component).split("/", 1)[1], name_pattern, component.ecosystem):
        return False
    if version is not None:
        return component.version is not None and fnmatchcase(component.version, version)
    if versions is not None:
        return in_range(component, versions)
    return True


def in_range(component: Component, versions: str) -> bool:
    """True when the component's version lies in the range (False without a version, or
    when the ecosystem cannot read the version)."""
    if component.version is None:
        return False
    version_range = _version_range(component.ecosystem.value, versions)
    try:
        return bool(version_range.version_class(component.version.removeprefix("v") if component.ecosystem is Ecosystem.GOLANG else component.version) in version_range)
    except Exception:  # noqa: BLE001 - univers raises assorted errors for versions its scheme cannot read
        return False


def _native_names(component: Component) -> tuple[str, ...]:
    if component.ecosystem is Ecosystem.MAVEN and "/" in (key := component_key(component).split("/", 1)[1]):
        group, artifact = key.rsplit("/", 1)
        return (f"{group}:{artifact}",)
    return (component.name,)


def _glob(name: str, pattern: str, ecosystem: Ecosystem) -> bool:
    if ecosystem is Ecosystem.PYPI:
        return fnmatchcase(_pypi_normal(name), _pypi_normal(pattern))
    return fnmatchcase(name, pattern)


def _pypi_normal(name: str) -> str:
    return _PYPI_SEPARATORS.sub("-", name).lower()


@cache
def _purl_key(purl: str) -> str:
    parsed = PackageURL.from_string(purl)
    namespace = f"{parsed.namespace}/" if parsed.namespace else ""
    return f"pkg:{parsed.type}/{namespace}{parsed.name}"


@cache
def _split_purl_pattern(pattern: str) -> tuple[str, str, str | None]:
    """(type, name pattern with namespace, version pattern or None) of `pkg:type/...[@v]`."""
    body = unquote(pattern[len("pkg:"):]).split("?", 1)[0].split("#", 1)[0]
    package_type, slash, rest = body.partition("/")
    if not slash or not rest or not package_type:
        raise PatternError(f"{pattern!r} has no name: write pkg:<type>/<name>")
    if package_type.lower() not in {e.value for e in Ecosystem}:
        raise PatternError(f"{pattern!r}: ospo-scan reads no {package_type!r} packages (known: {', '.join(e.value for e in Ecosystem)})")
    head, _, last = rest.rpartition("/")
    name, at, version = last.partition("@")
    if at and not version:
        raise PatternError(f"{pattern!r} ends in '@' without a version")
    return package_type.lower(), f"{head}/{name}" if head else name, version if at else None


@cache
def _version_range(package_type: str, versions: str) -> Any:
    from univers import version_range  # type: ignore[import-untyped]

    try:
        if package_type in _NATIVE_RANGES:
            return getattr(version_range, _NATIVE_RANGES[package_type]).from_native(versions)
        return version_range.VersionRange.from_string("vers:golang/" + "|".join(_go_constraints(versions)))
    except PatternError:
        raise
    except Exception as error:  # noqa: BLE001 - univers reports bad ranges with assorted exception types
        raise PatternError(f"{versions!r} is not a {package_type} version range: {error}") from None


def _go_constraints(versions: str) -> list[str]:
    """`>=v1.2.0, <v2` -> ['>=1.2.0', '<2']: Go has no range syntax of its own, so
    comparators are written as the other ecosystems write them."""
    constraints = []
    for part in re.split(r"[,\s]+(?=[<>=!])|,", versions):
        if not part.strip():
            continue
        found = _GO_COMPARATOR.match(part)
        if found is None:
            raise PatternError(f"{versions!r}: {part!r} is not a comparison such as >=v1.2.0")
        constraints.append(f"{found.group(1) or '='}{found.group(2)}")
    if not constraints:
        raise PatternError(f"{versions!r} is empty")
    return constraints
