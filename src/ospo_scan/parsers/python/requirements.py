"""pip requirements files (requirements.txt, requirements/*.in, constraints.txt, ...).

The line grammar lives in requirements_syntax and the meaning of one requirement in
requirements_targets; this module follows includes and decides scope and directness.

Includes (`-r FILE`, `-c FILE`) are resolved against the including file's directory
and read through the FileReader, so they never leave the scanned root. A file that
cannot be read, an include cycle or nesting deeper than MAX_INCLUDE_DEPTH becomes a
ScanIssue on the include line. Packages from an included file carry its path and
their line in it. Constraint files never add packages: their exact pins fill in the
version of packages that a requirement names, with a note saying where the pin is. A
constraints file scanned on its own therefore yields no packages, only its issues.

Scope rule: the words of the file name and of its directory name (split on
non-alphanumerics: `dev-requirements.txt`, `requirements/docs.in`, `tests/requirements.txt`)
give TEST for test/tests/testing, else DEV for dev/devel/develop/development/lint/linting/
doc/docs/typing. Otherwise a top-level file is RUNTIME, and so is an included file that
the scan also reads on its own (its name matches this format): `requirements-dev.txt ->
-r requirements.txt` keeps requirements.txt RUNTIME rather than making every runtime
package look dev-only too. An included file the scan would not read on its own takes
its includer's scope: `test-requirements.txt -> -r common.txt` is TEST.

Directness: a line annotated by pip-compile with `# via` sources is transitive unless a
source is `-r file`, `-c file` or a project (`name (pyproject.toml)`); every other line
is direct.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, ScanIssue, Scope
from ospo_scan.parsers import shell_words
from ospo_scan.parsers.base import (
    PARSE_ERROR,
    DeclaredPackage,
    FileReader,
    FileReadError,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    basename,
    issue,
    folder_above,
)
from ospo_scan.parsers.python.manifest_common import canonical, join_notes
from ospo_scan.parsers.python.requirements_syntax import Entry, OptionError, entries, parse_options, split_options
from ospo_scan.parsers.python.requirements_targets import EntryError, TemplateError, declare, is_url

PARSER_NAME = "pip-requirements"
MAX_INCLUDE_DEPTH = 10
"""Includes nested deeper than this are reported, not followed."""
PROSE_MIN_INVALID = 10
"""A file with more invalid lines than this, and more invalid than valid ones, is not a requirements file."""

_NOT_PIP_TEMPLATES = frozenset(
    {
        "manifest", "makefile", "gnumakefile", "configure", "config", "setup", "doxyfile", "cmakelists",
        "dockerfile", "vagrantfile", "kconfig", "version", "readme", "license", "changelog", "aclocal",
        "acinclude", "meson_options", "pkg-info",
    }
)  # fmt: skip
"""Stems of `.in` files that are autoconf/CMake/packaging templates, never pip inputs."""

_TEST_WORDS = frozenset({"test", "tests", "testing"})
_DEV_WORDS = frozenset({"dev", "devel", "develop", "development", "lint", "linting", "doc", "docs", "typing"})
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_PROJECT_SOURCE = re.compile(r"\([^()]+\)$")


def matches(path: str) -> bool:
    """requirements*.txt/.in, *requirements*.txt, constraints*, requirements/*.txt|.in, other pip-tools .in files."""
    name = basename(path).lower()
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or extension not in ("txt", "in"):
        return False
    if "requirements" in stem or stem.startswith("constraints"):
        return True
    if posixpath.basename(posixpath.dirname(path)).lower() == "requirements":
        return True
    return extension == "in" and "." not in stem and stem not in _NOT_PIP_TEMPLATES


def project_folder(path: str) -> str:
    """Files of a `requirements/` folder belong to the project above it."""
    folder = folder_above(path, 1)
    return folder_above(path, 2) if basename(folder) == "requirements" else folder


def scopes_for(path: str, inherited: frozenset[Scope] = frozenset({Scope.RUNTIME})) -> frozenset[Scope]:
    """The scope a file's name (and its directory's) implies, else `inherited` (see module doc)."""
    directory = posixpath.basename(posixpath.dirname(path))
    stem = basename(path).rsplit(".", 1)[0]
    words = set(_WORD_SPLIT.split(f"{directory} {stem}".lower()))
    if words & _TEST_WORDS:
        return frozenset({Scope.TEST})
    if words & _DEV_WORDS:
        return frozenset({Scope.DEV})
    return inherited


def _included_scopes(path: str, includer: frozenset[Scope]) -> frozenset[Scope]:
    """An included file scanned on its own too keeps its own scope; others inherit (module doc)."""
    return scopes_for(path, frozenset({Scope.RUNTIME}) if matches(path) else includer)


def parse_requirements(source: SourceFile, reader: FileReader) -> ParseResult:
    """Packages a pip requirements file (and the files it includes) declares."""
    walk = _Walk(reader=reader, top=source.path)
    root = posixpath.normpath(source.path)
    found = walk.file(source, scopes_for(source.path), chain=(root,), constraint=_is_constraints(source.path))
    packages = _apply_constraints(found.packages, found.constraints)
    return ParseResult(packages=packages, issues=found.issues, workspace_members=found.members)


def _is_constraints(path: str) -> bool:
    return basename(path).lower().startswith("constraints")


@dataclass(slots=True)
class _Found:
    """What one file and its includes yield; kept apart until the file is known to be valid."""

    packages: list[DeclaredPackage] = field(default_factory=list)
    constraints: list[DeclaredPackage] = field(default_factory=list)
    issues: list[ScanIssue] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    def absorb(self, other: _Found) -> None:
        self.packages += other.packages
        self.constraints += other.constraints
        self.issues += other.issues
        self.members += [name for name in other.members if name not in self.members]


@dataclass(slots=True, kw_only=True)
class _Walk:
    """One parse: the reader, the top-level file, and the files already read (a diamond is read once)."""

    reader: FileReader
    top: str
    seen: set[tuple[str, frozenset[Scope], bool]] = field(default_factory=set)

    def file(self, source: SourceFile, scopes: frozenset[Scope], *, chain: tuple[str, ...], constraint: bool) -> _Found:
        """Read every line of one file; raise ParseError when it is not a requirements file."""
        found = _Found()
        invalid: list[int] = []
        valid = 0
        for entry in entries(source.text):
            try:
                valid += self.entry(source, entry, scopes, found, chain=chain, constraint=constraint)
            except (EntryError, OptionError) as error:
                code = error.code if isinstance(error, EntryError) else PARSE_ERROR
                found.issues.append(issue(source, PARSER_NAME, str(error), entry.number, code=code))
                if not isinstance(error, TemplateError):  # a template is a requirements file still
                    invalid.append(entry.number)
        if len(invalid) > PROSE_MIN_INVALID and len(invalid) > valid:
            raise ParseError(
                f"not a pip requirements file: {len(invalid)} of {len(invalid) + valid} lines are not requirements",
                invalid[0],
            )
        return found

    def entry(
        self,
        source: SourceFile,
        entry: Entry,
        scopes: frozenset[Scope],
        found: _Found,
        *,
        chain: tuple[str, ...],
        constraint: bool,
    ) -> int:
        """Handle one line; return 1 when it was a requirement (for the prose check), else 0."""
        requirement, options = split_options(entry.text)
        if requirement:
            self.add(source, entry, declare(requirement), scopes, found, constraint=constraint)
            return 1
        try:
            tokens = shell_words.split(options)
        except ValueError as error:
            raise OptionError(f"cannot split options {excerpt(options)}: {error}") from None
        for name, value in parse_options(tokens):
            if name == "editable" and value is not None:
                self.add(source, entry, declare(value, editable=True), scopes, found, constraint=constraint)
            elif name in ("requirement", "constraint") and value is not None:
                nested = constraint or name == "constraint"
                found.absorb(self.include(source, entry.number, value, scopes, chain=chain, constraint=nested))
        return 0

    def add(
        self,
        source: SourceFile,
        entry: Entry,
        package: DeclaredPackage | None,
        scopes: frozenset[Scope],
        found: _Found,
        *,
        constraint: bool,
    ) -> None:
        """Place a package at its line and file; a constraint file's entries only pin.

        None is a local project the line does not name (`-e .[dev]`): no package.
        """
        if package is None:
            return
        path = None if source.path == self.top else source.path
        placed = replace(package, scopes=scopes, line=entry.number, path=path, direct=_is_direct(entry))
        if constraint:
            found.constraints.append(replace(placed, path=source.path))
            return
        found.packages.append(placed)
        if placed.first_party and "egg=" in (placed.requirement or ""):  # named by the file, not guessed
            found.members.append(placed.name)

    def include(
        self,
        source: SourceFile,
        line: int,
        target: str,
        scopes: frozenset[Scope],
        *,
        chain: tuple[str, ...],
        constraint: bool,
    ) -> _Found:
        """Follow `-r`/`-c`; every way it can fail is an issue on the include line."""
        found = _Found()
        if is_url(target):
            found.issues.append(issue(source, PARSER_NAME, f"remote include {target} not followed (offline)", line))
            return found
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), target))
        problem = _include_problem(path, chain)
        if problem is not None:
            found.issues.append(issue(source, PARSER_NAME, problem, line))
            return found
        scopes = _included_scopes(path, scopes)
        if (path, scopes, constraint) in self.seen:
            return found
        self.seen.add((path, scopes, constraint))
        try:
            included = self.reader.read(path)
        except FileReadError as error:
            found.issues.append(issue(source, PARSER_NAME, f"cannot read included file {target}: {error}", line))
            return found
        try:
            return self.file(included, scopes, chain=(*chain, path), constraint=constraint)
        except ParseError as error:
            found.issues.append(issue(included, PARSER_NAME, error.message, error.line))
            return found


def _include_problem(path: str, chain: tuple[str, ...]) -> str | None:
    """Why an include must not be followed (a cycle, too deep), or None."""
    if path in chain:
        return f"include cycle: {' -> '.join((*chain, path))}"
    if len(chain) > MAX_INCLUDE_DEPTH:
        return f"includes nested deeper than {MAX_INCLUDE_DEPTH} levels; {path} not read"
    return None


def _is_direct(entry: Entry) -> bool:
    """pip-compile output: transitive unless a `# via` source is an input file or the project."""
    if entry.via is None:
        return True
    return any(source.startswith(("-r ", "-c ")) or _PROJECT_SOURCE.search(source) for source in entry.via)


def _apply_constraints(packages: list[DeclaredPackage], constraints: list[DeclaredPackage]) -> list[DeclaredPackage]:
    """Pin unpinned packages to their constraint's exact version, noting where it comes from."""
    by_name: dict[str, DeclaredPackage] = {}
    for constraint in constraints:
        by_name.setdefault(canonical(constraint.name), constraint)
    return [_constrained(package, by_name.get(canonical(package.name))) for package in packages]


def _constrained(package: DeclaredPackage, constraint: DeclaredPackage | None) -> DeclaredPackage:
    if constraint is None or package.first_party:
        return package
    where = f"{constraint.path}:{constraint.line}"
    if package.version is None and constraint.version is not None:
        note = f"version pinned by constraint {constraint.requirement} at {where}"
        return replace(package, version=constraint.version, note=join_notes([package.note, note]))
    note = f"constrained to {constraint.requirement or constraint.source_url} at {where}"
    return replace(package, note=join_notes([package.note, note]))


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.MANIFEST,
    project_folder=project_folder,
    matches=matches,
    parse=parse_requirements,
)
