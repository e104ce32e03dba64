"""Poetry's version constraints, as poetry.lock writes a dependency's, tested against a version.

poetry.lock keeps each dependency's constraint in Poetry's syntax. Mostly that is PEP 440
(`>=1.0,<2.0`, `!=3.0.*`), but Poetry also writes `*` (any version), `||` between
alternatives (`>=1.7.4,<1.8 || >1.8,<2.0`), clauses separated by spaces, a bare version
or `=1.2` for an exact pin, and the caret and tilde operators (`^1.2` is `>=1.2,<2.0`,
`^0.2.3` is `>=0.2.3,<0.3.0`, `~1.2` is `>=1.2,<1.3`). `allows(constraint)` turns one
into a test of a locked version for LockedVersions.select: True, False, or None when
the constraint or the version cannot be read (a wrong answer would be worse than none).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ospo_scan.parsers.numbers import too_long_number

__all__ = ["allows", "to_specifiers"]

_CLAUSE = re.compile(r"[\s,]*(?:(?P<op>\^|~=|~|===|==|!=|<=|>=|<|>|=)\s*)?(?P<version>[^\s,<>=!~^|]+)[\s,]*")
"""The spaces after an operator belong to the operator: written as `op? \\s*`, a failed
match split a run of spaces between `[\\s,]*` and `\\s*` every possible way (quadratic)."""
_ANY = ("", "*")
_RELEASE = re.compile(r"\d+(?:\.\d+)*")


def allows(constraint: str | None) -> Callable[[str], bool | None]:
    """A test of locked versions against a Poetry constraint (None or `*`: any version)."""
    alternatives = to_specifiers(constraint)
    if alternatives is None:
        return lambda version: None
    return lambda version: _admits(alternatives, version)


def to_specifiers(constraint: str | None) -> list[SpecifierSet] | None:
    """The constraint as PEP 440 specifier sets, one per `||` alternative; None when unreadable.

    A number Python will not read makes the constraint unreadable: comparing with it would
    raise ValueError.
    """
    if constraint is None or constraint.strip() in _ANY:
        return [SpecifierSet()]
    if too_long_number(constraint) is not None:
        return None
    alternatives: list[SpecifierSet] = []
    for text in constraint.split("||"):
        clauses = _clauses(text.strip())
        if clauses is None:
            return None
        try:
            alternatives.append(SpecifierSet(",".join(clauses)))
        except InvalidSpecifier:
            return None
    return alternatives


def _admits(alternatives: list[SpecifierSet], version: str) -> bool | None:
    if too_long_number(version) is not None:
        return None  # Version() would raise ValueError
    try:
        parsed = Version(version)
    except InvalidVersion:
        return None
    return any(specifier.contains(parsed, prereleases=True) for specifier in alternatives)


def _clauses(text: str) -> list[str] | None:
    """PEP 440 clauses of one alternative; None when some part of it is not a clause."""
    if text in _ANY:
        return []
    clauses: list[str] = []
    position = 0
    while position < len(text):
        found = _CLAUSE.match(text, position)
        if found is None or found.end() == position:
            return None
        converted = _clause(found.group("op"), found.group("version"))
        if converted is None:
            return None
        clauses.extend(converted)
        position = found.end()
    return clauses


def _clause(operator: str | None, version: str) -> list[str] | None:
    """One Poetry clause as PEP 440 clauses ([] for `*`)."""
    if version == "*":
        return [] if operator in (None, "=", "==") else None
    if operator in (None, "="):
        return [f"=={version}"]
    if operator in ("^", "~"):
        upper = _upper_bound(version, caret=operator == "^")
        return None if upper is None else [f">={version}", f"<{upper}"]
    return [f"{operator}{version}"]


def _upper_bound(version: str, *, caret: bool) -> str | None:
    """The exclusive bound of `^version` (first non-zero part bumped) or `~version`.

    Parts are counted as written: `^0.0` allows <0.1, `^0` <1; `~1` allows <2, `~1.2`
    and `~1.2.3` <1.3.
    """
    written = _RELEASE.match(version)
    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    if written is None:
        return None
    parts = list(release[: written.group(0).count(".") + 1])
    if caret:
        index = next((i for i, part in enumerate(parts) if part != 0), len(parts) - 1)
    else:
        index = 0 if len(parts) == 1 else 1
    bumped = [*parts[:index], parts[index] + 1]
    return ".".join(str(part) for part in bumped)
