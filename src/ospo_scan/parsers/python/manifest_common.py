"""What the Python manifest parsers (pyproject, setup.cfg, Pipfile) share.

A ManifestContext carries the file, its line finders and the issues found so far, so
that every helper can record a per-entry problem and carry on without threading
three arguments through each call. The small rules that more than one format
follows live here too, so they cannot drift apart: which group names mean tests,
when a tool's version constraint is an exact pin, how a local path is told from an
archive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Scope
from ospo_scan.parsers.base import INVALID_ENTRY, DeclaredPackage, IssueCollector, SourceFile
from ospo_scan.parsers.numbers import too_long_number
from ospo_scan.parsers.python.pep508 import InvalidRequirement, UnreadableVersionError, package_from_requirement
from ospo_scan.parsers.lines.ini_keys import IniLines
from ospo_scan.parsers.lines.toml_keys import TomlLines

_ARCHIVE_SUFFIXES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip")


@dataclass(slots=True, kw_only=True)
class ManifestContext(IssueCollector):
    """One manifest being parsed: its text, where issues go, and the parser's name."""

    toml: TomlLines
    """Line finder for TOML manifests (pyproject.toml, Pipfile)."""
    ini: IniLines
    """Line finder for INI manifests (setup.cfg)."""

    @classmethod
    def of(cls, source: SourceFile, parser: str) -> ManifestContext:
        """A fresh context for `source`."""
        return cls(source=source, parser=parser, toml=TomlLines(source.text), ini=IniLines(source.text))

    def report_toml(self, message: str, path: Sequence[str]) -> None:
        """Record a problem with the TOML key at `path`, on that key's line."""
        self.report(message, self.toml.key_line(path))

    def requirement(
        self,
        text: str,
        *,
        where: str,
        scopes: frozenset[Scope],
        line: int | None,
        note: str | None = None,
        path: str | None = None,
        group: str | None = None,
    ) -> DeclaredPackage | None:
        """A package from one PEP 508 string, or None (and an issue) when it is invalid.

        `where` (e.g. `project.optional-dependencies.socks[0]`) becomes its key path;
        `group` is the section's name as written (an extra, a dependency group).
        """
        try:
            package = package_from_requirement(text, scopes=scopes, line=line, direct=True, path=path)
        except InvalidRequirement as error:
            first_line = str(error).splitlines()[0] if str(error) else "unparsable"
            code = INVALID_ENTRY if isinstance(error, UnreadableVersionError) else None
            self.report(f"{where}: invalid requirement {excerpt(text)}: {first_line}", line, code=code)
            return None
        return dataclasses.replace(package, note=note or package.note, group=group, key_path=where)

    def unreadable(self, constraint: str, where: str, line: int | None) -> bool:
        """True, with an invalid-entry issue, for a tool constraint with a number Python will not read.

        Poetry and Pipenv constraints are not PEP 508, so package_from_requirement never
        sees them; a later stage compares their versions all the same.
        """
        problem = too_long_number(constraint)
        if problem is None:
            return False
        self.report(f"{where}: {excerpt(constraint)} has {problem}", line, code=INVALID_ENTRY, key_path=where)
        return True

    def expect_table(self, value: Any, where: str) -> dict[str, Any]:
        """`value` if it is a table; else an issue and an empty table, so parsing goes on."""
        if isinstance(value, dict):
            return value
        self.report(f"{where}: expected a table, found {type_name(value)}")
        return {}


class ArrayItem(NamedTuple):
    """One string of a TOML array, with its key path for messages and its line."""

    where: str
    text: str
    line: int | None


def string_array(ctx: ManifestContext, value: Any, path: tuple[str, ...]) -> list[ArrayItem]:
    """The strings of the TOML array at `path`; a wrong type is an issue, the rest go on."""
    where = ".".join(path)
    if not isinstance(value, list):
        ctx.report_toml(f"{where}: expected an array of requirement strings, found {type_name(value)}", path)
        return []
    lines = ctx.toml.string_lines(path, [item if isinstance(item, str) else "" for item in value])
    items: list[ArrayItem] = []
    for index, (item, line) in enumerate(zip(value, lines)):
        if isinstance(item, str):
            items.append(ArrayItem(f"{where}[{index}]", item, line))
        else:
            ctx.report_toml(f"{where}[{index}]: expected a requirement string, found {type_name(item)}", path)
    return items


def requirement_array(
    ctx: ManifestContext,
    value: Any,
    path: tuple[str, ...],
    scopes: frozenset[Scope],
    note: str | None = None,
    group: str | None = None,
) -> list[DeclaredPackage]:
    """Packages of a TOML array of PEP 508 strings; a bad entry is an issue, the rest go on."""
    packages: list[DeclaredPackage] = []
    for item in string_array(ctx, value, path):
        package = ctx.requirement(item.text, where=item.where, scopes=scopes, line=item.line, note=note, group=group)
        if package is not None:
            packages.append(package)
    return packages


def type_name(value: Any) -> str:
    """A TOML-ish name for a Python value's type, for messages."""
    names = {str: "string", bool: "boolean", int: "integer", float: "float", list: "array", dict: "table"}
    return names.get(type(value), type(value).__name__)


def group_scope(group: str) -> Scope:
    """TEST for groups whose name says so ('test', 'tests', 'testing'...), else DEV.

    Development groups and extras are named by convention only; 'test' in the name is
    the one convention reliable enough to act on.
    """
    return Scope.TEST if "test" in group.lower() else Scope.DEV


def pinned_version(constraint: str) -> str | None:
    """The version a tool constraint pins exactly: '==1.2', '===1.2' or a bare '1.2'.

    Poetry and Pipenv read a bare version (and Poetry a single '=') as an exact pin.
    Wildcards, ranges and several clauses leave the version open.
    """
    text = constraint.strip()
    arbitrary = text.startswith("===")
    candidate = text.lstrip("=").strip()
    if not candidate or "*" in candidate or "," in candidate or not (arbitrary or candidate[0].isdigit()):
        return None
    if arbitrary:
        return candidate if " " not in candidate else None
    if too_long_number(candidate) is not None:
        return None  # Version() would raise ValueError; ManifestContext.unreadable reports the entry
    try:
        Version(candidate)
    except InvalidVersion:
        return None
    return candidate


def constraint_text(constraint: str) -> str | None:
    """The constraint as written, or None for `*`/empty: any version, like a bare PEP 508 name."""
    text = constraint.strip()
    return None if text in ("", "*") else constraint


def is_archive(location: str) -> bool:
    """True when a path or URL names a distribution file rather than a project directory."""
    bare = location.split("#", 1)[0].split("?", 1)[0].lower()
    return bare.endswith(_ARCHIVE_SUFFIXES)


def join_notes(parts: Iterable[str | None]) -> str | None:
    """Non-empty note parts joined with '; ', or None when there are none."""
    kept = [part for part in parts if part]
    return "; ".join(kept) if kept else None


def canonical(name: str) -> str:
    """PEP 503 form, only for matching names inside one file (output keeps names as written)."""
    return str(canonicalize_name(name))


def mark_first_party(
    packages: list[DeclaredPackage], names: set[str], *, reason: str | None = None
) -> list[DeclaredPackage]:
    """Mark the packages whose canonical name is in `names` as first-party."""
    marked: list[DeclaredPackage] = []
    for package in packages:
        if canonical(package.name) in names and not package.first_party:
            package = dataclasses.replace(package, first_party=True, note=join_notes([package.note, reason]))
        marked.append(package)
    return marked
