"""Go module paths, versions and replacements: the rules go.mod, go.work and vendor/modules.txt share.

A module version is a semantic version with a `v` prefix, kept verbatim: pseudo-versions
(`v0.0.0-20200804184101-5ec99f83aff1`) and `+incompatible` are ordinary semver pre-release
and build parts. The major version must agree with the path (`/v2` suffix, gopkg.in's
`.v2`), as `go` itself checks; a mismatch is reported, never silently fixed.

A replacement swaps the code of a required module for another module version (the
component is then the replacement, with a note naming what it replaced) or for a local
directory (the component keeps the required module's path, has no version and is the
project's own code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.excerpt import shorten
from ospo_scan.parsers.numbers import too_long_number

_SEMVER = re.compile(
    r"^v(?:0|[1-9]\d*)"
    r"(?:\.(?:0|[1-9]\d*)"
    r"(?:\.(?:0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
    r")?)?$"
)
"""Go's semver: vMAJOR[.MINOR[.PATCH[-pre][+build]]] (the short forms take no pre/build)."""
_MAJOR_SUFFIX = re.compile(r"/(v[2-9]|v[1-9]\d+)$")
_GOPKG_SUFFIX = re.compile(r"\.(v(?:0|[1-9]\d*))(?:-unstable)?$")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_GO_VERSION = re.compile(r"^([1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?(?:[a-z]+[0-9]+)?$")
"""A `go` directive's version as golang.org/x/mod/modfile accepts it: 1.17, 1.21.0, 1.22rc1."""
COMPLETE_BUILD_LIST = (1, 17)
"""The language version from which go.mod lists every module of the build (module graph pruning)."""


def is_version(text: str) -> bool:
    """True for a Go module version such as v1.2.3, v0.0.0-2020...-abcdef or v2.0.0+incompatible."""
    return _SEMVER.match(text) is not None


def go_language_version(text: str) -> tuple[int, int] | None:
    """(major, minor) of a `go` directive's version, or None when `go` would refuse it.

    The language version is all that matters for the build list: 1.22rc1, 1.22 and 1.22.0
    are all language 1.22 (gover orders 1.22 < 1.22rc1 < 1.22.0, all at or above 1.22).
    A number too long for int() is no version either (it would raise ValueError).
    """
    match = _GO_VERSION.match(text)
    if match is None or too_long_number(text) is not None:
        return None
    return int(match.group(1)), int(match.group(2))


def major_version_problem(path: str, version: str) -> str | None:
    """Why `version` cannot be a version of `path` (Go's major-version rule), or None if it can."""
    major = re.split(r"[.+-]", version, maxsplit=1)[0]
    if path.startswith("gopkg.in/"):
        suffix = _GOPKG_SUFFIX.search(path)
        if suffix is None or major == suffix.group(1) or (suffix.group(1) == "v1" and version.startswith("v0.0.0-")):
            return None
        return f"version {shorten(version)} does not match the path's major version {suffix.group(1)}"
    suffix = _MAJOR_SUFFIX.search(path)
    if suffix is not None:
        expected = suffix.group(1)
        return None if major == expected else f"version {shorten(version)} does not match the path suffix /{expected}"
    if major in ("v0", "v1") or version.endswith("+incompatible"):
        return None
    return f"version {shorten(version)} needs a /{shorten(major)} path suffix or +incompatible"


def is_directory_path(path: str) -> bool:
    """A replacement target that is a directory, as `go` tells them apart: rooted or ./ ../ relative."""
    return (
        path in (".", "..")
        or path.startswith(("./", "../", "/", ".\\", "..\\", "\\"))
        or _WINDOWS_DRIVE.match(path) is not None
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Replacement:
    """`old [version] => new [version]` from a replace directive or a modules.txt header."""

    old_path: str
    old_version: str | None
    """None for a replacement of every version of old_path."""
    new_path: str
    new_version: str | None
    """None when new_path is a local directory."""
    line: int

    @property
    def is_local(self) -> bool:
        return self.new_version is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """What a (possibly replaced) module becomes as a component."""

    name: str
    version: str | None
    first_party: bool = False
    source_url: str | None = None
    note: str | None = None


def effective(path: str, version: str | None, replacement: Replacement | None) -> Identity:
    """The module whose code is built for `path@version`, given the replacement that applies."""
    if replacement is None:
        return Identity(name=path, version=version)
    old = f"{path}@{version}" if version else path
    if replacement.is_local:
        note = f"replaced {old} by local directory {replacement.new_path}"
        return Identity(name=path, version=None, first_party=True, source_url=replacement.new_path, note=note)
    return Identity(name=replacement.new_path, version=replacement.new_version, note=f"replaced {old}")


Replacements = dict[tuple[str, str | None], Replacement]
"""Replacements by (old path, old version or None for every version)."""


def find_replacement(replacements: Replacements, path: str, version: str | None) -> Replacement | None:
    """A replacement of exactly this version wins over one of every version, as in `go`."""
    if version is not None and (path, version) in replacements:
        return replacements[(path, version)]
    return replacements.get((path, None))


def join_notes(parts: Iterable[str | None]) -> str | None:
    """Non-empty note parts joined with '; ', or None when there are none."""
    kept = [part for part in parts if part]
    return "; ".join(kept) if kept else None
