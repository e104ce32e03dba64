"""What one pip requirement names: a PEP 508 requirement, a URL, or a local path.

pip accepts more than PEP 508 on a requirements line: bare URLs (VCS or archive) whose
name comes from the `#egg=` fragment or the wheel file name, local directories and
archives, and `${VAR}` references that it expands from the environment. This module
turns each form into a DeclaredPackage, or raises EntryError with a message that makes
sense on its own, so the caller can record a ScanIssue and go on.

A local project directory is first-party by that identity. Its name is what its own
manifest says, which a requirements line only repeats when it writes one (`-e
.#egg=name`, `name @ file:./libs/name`). A line that names the project's own folder
without a name (`-e .[dev]`, `.`, `..`) yields no package at all (`.` would become the
package `-`): it installs the project itself, whose manifest the scan reads. A sibling
folder (`-e ./libs/alpha`) is a first-party dependency on another project of the
repository, named after its folder (the usual layout; its own manifest has the final say).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from ospo_scan.excerpt import excerpt, shorten
from ospo_scan.model import Scope
from ospo_scan.parsers.base import INVALID_ENTRY, PARSE_ERROR, DeclaredPackage
from ospo_scan.parsers.numbers import too_long_number
from ospo_scan.parsers.python.manifest_common import is_archive
from ospo_scan.parsers.python.pep508 import InvalidRequirement, UnreadableVersionError, package_from_requirement, wheel_version

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_EGG = re.compile(r"[#&]egg=(?P<egg>[^&]*)")
_EGG_VERSION = re.compile(r"^(?P<name>.+?)-(?P<version>\d[^-]*)$")
_ENV_VAR = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)\}")
_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|%s\b|%\(|%%")
_SPECIFIER = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;]*)")
_RUNTIME = frozenset({Scope.RUNTIME})


class EntryError(ValueError):
    """One requirement cannot be understood; the scan records it and reads on."""

    def __init__(self, message: str, *, code: str = PARSE_ERROR) -> None:
        super().__init__(message)
        self.code = code
        """`parse-error` for a line that is not a requirement, `invalid-entry` for one whose value cannot be used."""


class TemplateError(EntryError):
    """The line is a template placeholder (Jinja, cookiecutter, printf), not a requirement."""


def declare(text: str, *, editable: bool = False) -> DeclaredPackage | None:
    """The package a requirement (the part of a line before its options) names.

    None for a local project directory the line does not name (see the module doc).
    Scope, line and file are left at their defaults for the caller to set.
    """
    if _TEMPLATE.search(text):
        raise TemplateError(f"looks like a template placeholder, not a requirement: {excerpt(text)}")
    first = re.split(r"[\s;]", text, maxsplit=1)[0]
    if is_url(first) or first.startswith("file:"):
        return _from_url(text, editable=editable)
    if editable or _looks_like_path(first):
        return _from_path(*_split_marker(text), editable=editable)
    return _from_pep508(text)


def is_url(text: str) -> bool:
    """True for `scheme://...` (including VCS schemes such as `git+https://`)."""
    return _URL_SCHEME.match(text) is not None


def _looks_like_path(token: str) -> bool:
    """pip reads a token as a path when it has a separator, starts with `.`, or is an archive."""
    return token.startswith((".", "/", "~")) or "/" in token or "\\" in token or is_archive(token)


def _split_marker(text: str) -> tuple[str, str | None]:
    """For URL and path lines pip wants `; ` (with a space) before the markers."""
    target, separator, markers = text.partition("; ")
    return target.strip(), (markers.strip() or None) if separator else None


def _from_pep508(text: str) -> DeclaredPackage:
    """A PEP 508 requirement; `name @ ./dir` or `name @ file:...` is the project's own."""
    try:
        package = package_from_requirement(text, scopes=_RUNTIME)
    except UnreadableVersionError as error:
        raise EntryError(f"invalid requirement {excerpt(text)}: {error}", code=INVALID_ENTRY) from None
    except InvalidRequirement as error:
        return _recover_pep508(text, error)
    url = package.source_url
    if url is None or (is_url(url) and not url.startswith("file:")):
        return package
    if is_archive(url):
        return replace(package, note="installed from a local archive")
    return replace(package, first_party=True, note=f"local project at {url}")


def _recover_pep508(text: str, error: InvalidRequirement) -> DeclaredPackage:
    """Read `x==${VAR}` (pip expands it) and `x==1#note` (a comment missing its space), or raise EntryError."""
    names = _ENV_VAR.findall(text)
    if names:
        try:
            package = package_from_requirement(_ENV_VAR.sub("0", text), scopes=_RUNTIME)
        except InvalidRequirement:
            pass
        else:
            found = _SPECIFIER.match(text)
            spec = found.group("spec").strip() if found else None
            note = f"version comes from environment variable {', '.join(names)}, unknown to a static scan"
            return replace(package, version=None, requirement=spec or None, note=note)
    before_hash = text.split("#", 1)[0]
    if before_hash != text:
        try:
            package = package_from_requirement(before_hash, scopes=_RUNTIME)
        except InvalidRequirement:
            pass
        else:
            return replace(package, note="text after '#' read as a comment (pip needs a space before '#')")
    raise EntryError(f"invalid requirement {excerpt(text)}: {str(error).splitlines()[0]}")


def _from_url(text: str, *, editable: bool) -> DeclaredPackage | None:
    """A bare URL: the name comes from a wheel file name or the `#egg=` fragment."""
    url, markers = _split_marker(text)
    if url.startswith("file:"):
        return _from_path(url, markers, editable=editable)
    name, version, extras = _egg(url)
    note = "editable VCS checkout" if editable else None
    wheel = _wheel_name(url)
    if wheel is not None:
        (name, version), note = wheel, "name and version from the wheel file name"
    if name is None:
        raise EntryError(f"cannot tell the package name of {url} (no #egg= fragment, not a wheel file name)")
    return DeclaredPackage(
        name=name, version=version, requirement=url, extras=extras, markers=markers, source_url=url, note=note
    )


def _wheel_name(url: str) -> tuple[str, str] | None:
    """Name (as the file spells it) and version of a wheel URL, or None if not a wheel name."""
    version = wheel_version(url)
    if version is None:
        return None
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].split("-", 1)[0], version


def _egg(url: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """Name, version (`egg=name-1.0`) and extras (`egg=name[x]`) from a `#egg=` fragment."""
    found = _EGG.search(url)
    if found is None or not found.group("egg"):
        return None, None, ()
    egg, extras = _strip_extras(found.group("egg"))
    problem = too_long_number(egg)
    if problem is not None:
        raise EntryError(f"#egg={shorten(egg)}: {problem}", code=INVALID_ENTRY)
    versioned = _EGG_VERSION.match(egg)
    if versioned is not None and _is_version(versioned.group("version")):
        return versioned.group("name"), versioned.group("version"), extras
    return egg, None, extras


def _is_version(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _strip_extras(target: str) -> tuple[str, tuple[str, ...]]:
    """Split a trailing `[extra,...]` off a path or egg name.

    The bracket is the first `[` after the last `]` but the final one, found with two
    string searches: a pattern with a lazy prefix retried the rest of the text from
    every `[` (a line of `[`s took quadratic time).
    """
    if not target.endswith("]"):
        return target, ()
    inner_close = target.rfind("]", 0, len(target) - 1)
    opening = target.find("[", inner_close + 1, len(target) - 1)
    if opening < 0:
        return target, ()
    extras = target[opening + 1 : -1]
    return target[:opening], tuple(sorted(part.strip() for part in extras.split(",") if part.strip()))


def _from_path(target: str, markers: str | None, *, editable: bool) -> DeclaredPackage | None:
    """A local directory is the project's own (first-party), when the line names it; a local archive is not."""
    path, extras = _strip_extras(target.split("#", 1)[0])
    if is_archive(path):
        return _from_archive(path, extras, markers)
    name, version, egg_extras = _egg(target)
    if name is None and _is_own_folder(path):
        return None  # the project itself (module doc)
    what = "editable local project" if editable else "local project"
    return DeclaredPackage(
        name=name or _last_component(path),
        version=version,
        requirement=target,
        first_party=True,
        extras=extras or egg_extras,
        markers=markers,
        source_url=path,
        note=f"{what} at {path}",
    )


def _from_archive(path: str, extras: tuple[str, ...], markers: str | None) -> DeclaredPackage:
    """A wheel or sdist on disk is a third-party distribution named by its file name."""
    filename = _last_component(path)
    try:
        if filename.endswith(".whl"):
            version = parse_wheel_filename(filename)[1]
            name = filename.split("-", 1)[0]
        else:
            version = parse_sdist_filename(filename)[1]
            name = filename.rpartition("-")[0]  # parse_sdist_filename splits at the last '-' too
    except (InvalidWheelFilename, InvalidSdistFilename, ValueError):
        raise EntryError(f"cannot tell the package name of the local archive {path}") from None
    return DeclaredPackage(
        name=name,
        version=str(version),
        requirement=path,
        extras=extras,
        markers=markers,
        source_url=path,
        note="installed from a local archive; name and version from its file name",
    )


def _last_component(path: str) -> str:
    """The last path component, or the path itself when it is only dots (`.`, `..`)."""
    path = re.sub(r"^file:(//)?", "", path.replace("\\", "/"))
    last = posixpath.basename(posixpath.normpath(path)) if path else ""
    return last if last.strip(".") else path


def _is_own_folder(path: str) -> bool:
    """`.`, `./`, `..`, `../..`: the folder of the project (or above it), not a sibling."""
    path = re.sub(r"^file:(//)?", "", path.replace("\\", "/"))
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return all(part == ".." for part in parts)
