"""go.sum, the checksums of a Go module's build graph -> the modules whose code is built.

Each line is `module version hash`. A hash of the module's whole tree (`v1.2.3 h1:...`)
means the go command downloaded that module to build or test the project: it is a
component. A hash of only its go.mod (`v1.2.3/go.mod h1:...`) means the module was read
to compute the module graph and its code is not used: it is not reported.

go.sum cannot say which modules the project requires itself, so `direct` stays None;
resolution gives the go.mod beside it the last word. A replaced module appears here
under its replacement's path and version (the module actually downloaded), which is
also the name go.mod reports for it, so the two line up. A local-directory replacement
has no checksum at all.

Hash algorithms other than `h1` (none exist today) are skipped. A malformed line is an
issue (code `invalid-entry`) and the others are read; a file with no readable line at
all is not a go.sum.

For a go.mod with `go` >= 1.17 the require list is the whole build list, and resolution
keeps only the go.sum entries it names: the rest are checksums of modules that were read
to prune the graph or that only tests of dependencies need.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, ScanIssue
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)
from ospo_scan.parsers.golang.modules import is_version

PARSER_NAME = "go-sum"
GO_MOD_SUFFIX = "/go.mod"
_H1_DIGEST = re.compile(r"^[A-Za-z0-9+/]{43}=$")
"""A base64-encoded SHA-256: 43 characters and one `=` of padding."""
SEVERAL_VERSIONS = "go.sum has code checksums for several versions of this module; a build uses one"


def parse_go_sum(source: SourceFile, reader: FileReader) -> ParseResult:
    """One package per module@version with a code checksum; graph-only modules are left out."""
    result = ParseResult()
    found: dict[tuple[str, str], DeclaredPackage] = {}
    readable = 0
    for number, raw in enumerate(source.text.split("\n"), 1):
        if not raw.strip():
            continue
        try:
            entry = _entry(raw)
        except ValueError as error:
            result.issues.append(_invalid_entry(source, str(error), number))
            continue
        readable += 1
        if entry.problem:
            result.issues.append(_invalid_entry(source, entry.problem, number))
        if entry.in_build and (entry.path, entry.version) not in found:
            package = DeclaredPackage(name=entry.path, version=entry.version, direct=None, line=number)
            found[(entry.path, entry.version)] = package
    if readable == 0 and result.issues:
        first = result.issues[0]
        raise ParseError(f"not a go.sum file: {first.message}", first.line)
    result.packages = _mark_several_versions(list(found.values()))
    return result


def _invalid_entry(source: SourceFile, message: str, line: int) -> ScanIssue:
    """A line that cannot be (fully) read: the other lines are; the scan stays incomplete."""
    return issue(source, PARSER_NAME, message, line, code=INVALID_ENTRY)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    path: str
    version: str
    in_build: bool
    """True for an h1 checksum of the module's code (not of its go.mod alone)."""
    problem: str | None = None
    """A flaw that does not hide what the line names (a truncated digest)."""


def _entry(raw: str) -> _Entry:
    """What one line says, or ValueError when it cannot be read at all."""
    fields = raw.split()
    if len(fields) != 3:
        raise ValueError(f"expected `module version hash`, found {len(fields)} field(s)")
    path, version, checksum = fields
    bare = version.removesuffix(GO_MOD_SUFFIX)
    if not is_version(bare):
        raise ValueError(f"{path}: {excerpt(bare)} is not a module version")
    algorithm, colon, digest = checksum.partition(":")
    if not colon or not algorithm or not digest:
        raise ValueError(f"{path} {version}: {excerpt(checksum)} is not `algorithm:digest`")
    in_build = algorithm == "h1" and not version.endswith(GO_MOD_SUFFIX)
    problem = None
    if algorithm == "h1" and _H1_DIGEST.match(digest) is None:
        problem = f"{path} {version}: the h1 digest is not a base64 SHA-256 (truncated?)"
    return _Entry(path=path, version=bare, in_build=in_build, problem=problem)


def _mark_several_versions(packages: list[DeclaredPackage]) -> list[DeclaredPackage]:
    """Go builds with one version of a module; checksums of several are kept but noted."""
    counts = Counter(package.name for package in packages)
    return [replace(package, note=SEVERAL_VERSIONS) if counts[package.name] > 1 else package for package in packages]


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.GOLANG,
    role=FileRole.LOCKFILE,
    # The go command only ever writes `go.sum` (go.work.sum is another format's business).
    file_names=frozenset({"go.sum"}),
    parse=parse_go_sum,
)
