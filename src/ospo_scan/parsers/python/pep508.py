"""PEP 508 requirement strings -> DeclaredPackage, through `packaging`.

Shared by every Python manifest format (requirements files, pyproject, setup.cfg,
Pipfile) so that extras, markers, URL requirements and exact pins are read the same
way everywhere.
"""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.parsers.numbers import too_long_number

__all__ = [
    "MAX_REQUIREMENT_LENGTH",
    "InvalidRequirement",
    "UnreadableVersionError",
    "exact_version",
    "package_from_requirement",
    "parse_requirement",
    "wheel_version",
]

MAX_REQUIREMENT_LENGTH = 10_000
"""Characters a requirement may have; a longer one is refused unread. packaging reads a
requirement token by token at about two microseconds each, so a 1 MB line of `a,a,a,...`
took two seconds; real requirements, URLs and markers included, stay well under this."""


class UnreadableVersionError(InvalidRequirement):
    """A well-formed requirement whose version has a number Python will not read.

    Its own class because the entry is invalid, not the file's syntax (`invalid-entry`).
    """


def parse_requirement(text: str) -> Requirement:
    """`Requirement(text)`, refusing with InvalidRequirement what packaging cannot handle safely.

    A requirement longer than MAX_REQUIREMENT_LENGTH is refused unread, and one with a
    number Python will not read (UnreadableVersionError): packaging parses it, then raises
    a bare ValueError as soon as a version is compared or the specifier printed, here or in
    a later stage. The number is looked for in the whole text, markers and URL too, which
    are compared as versions as well.
    """
    if len(text) > MAX_REQUIREMENT_LENGTH:
        raise InvalidRequirement(f"{len(text):,} characters long, more than the {MAX_REQUIREMENT_LENGTH:,} a requirement may have")
    problem = too_long_number(text)
    if problem is not None:
        raise UnreadableVersionError(f"it has {problem}")
    return Requirement(text)


def exact_version(specifier: SpecifierSet) -> str | None:
    """The version a specifier pins exactly (`==1.2`, `===1.2`), else None.

    A wildcard (`==1.*`) or any second clause leaves the version open.
    """
    clauses = list(specifier)
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    if clause.operator in ("==", "===") and "*" not in clause.version:
        return clause.version
    return None


def wheel_version(url: str) -> str | None:
    """The version encoded in a wheel file name at the end of a URL, if any."""
    filename = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if not filename.endswith(".whl"):
        return None
    try:
        return str(parse_wheel_filename(filename)[1])
    except (InvalidWheelFilename, ValueError):
        return None


def specifier_as_written(text: str, requirement: Requirement) -> str | None:
    """The version specifier in the order the author wrote it (`>=2,<3`, not packaging's `<3,>=2`).

    Whitespace is dropped; should the text not round-trip to the same specifier set,
    packaging's canonical form is used instead.
    """
    if not requirement.specifier:
        return None
    head = text.split(";", 1)[0].strip()[len(requirement.name) :].lstrip()
    if head.startswith("["):
        head = head.partition("]")[2]
    written = "".join(head.split()).strip("()")
    try:
        if SpecifierSet(written) == requirement.specifier:
            return written
    except InvalidSpecifier:
        pass
    return str(requirement.specifier)


def package_from_requirement(
    text: str,
    *,
    scopes: frozenset[Scope],
    line: int | None = None,
    direct: bool | None = True,
    path: str | None = None,
) -> DeclaredPackage:
    """Build a DeclaredPackage from a PEP 508 string; raises InvalidRequirement (see parse_requirement)."""
    requirement = parse_requirement(text)
    version = exact_version(requirement.specifier)
    if requirement.url and version is None:
        version = wheel_version(requirement.url)
    return DeclaredPackage(
        name=requirement.name,
        version=version,
        requirement=specifier_as_written(text, requirement) or requirement.url or None,
        scopes=scopes,
        direct=direct,
        line=line,
        path=path,
        extras=tuple(sorted(requirement.extras)),
        markers=str(requirement.marker) if requirement.marker else None,
        source_url=requirement.url,
    )
