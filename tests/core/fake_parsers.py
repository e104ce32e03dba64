"""Tiny parsers used to test the pipeline apart from any real format.

`deps.txt` lists one `name==version` per line; `deps.lock` the same, as a lockfile;
`boom.txt` always raises, `deep.txt` raises RecursionError.
"""

from __future__ import annotations

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)


def _parse_lines(source: SourceFile, direct: bool | None) -> ParseResult:
    result = ParseResult()
    for number, line in enumerate(source.text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("project "):
            result.project = DeclaredProject(name=line.split()[1], version="1.0", license="MIT")
            continue
        if line.startswith("edge "):
            _, parent, child = line.split()
            result.edges.append(DeclaredEdge(parent=parent, parent_version=None, child=child))
            continue
        if line.startswith("workspace "):
            result.workspace_paths.append(line.split()[1])
            continue
        flagged = direct
        if line.startswith(("transitive ", "direct ")):
            word, line = line.split(maxsplit=1)
            flagged = word == "direct"
        if line == "FATAL":
            raise ParseError("fatal syntax error", number)
        name, sep, version = line.partition("==")
        if not sep:
            result.issues.append(issue(source, "fake", f"bad line {line!r}", number))
            continue
        scope = Scope.DEV if name.startswith("dev-") else Scope.RUNTIME
        result.packages.append(
            DeclaredPackage(name=name, version=version or None, requirement=f"=={version}" if version else None, scopes=frozenset({scope}), direct=flagged, line=number)
        )
    return result


def parse_manifest(source: SourceFile, reader: FileReader) -> ParseResult:
    return _parse_lines(source, True)


def parse_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    return _parse_lines(source, None)


def parse_boom(source: SourceFile, reader: FileReader) -> ParseResult:
    raise KeyError("a bug in a parser")


def parse_deep(source: SourceFile, reader: FileReader) -> ParseResult:
    raise RecursionError("maximum recursion depth exceeded")


FAKE_PARSERS = (
    ParserSpec(name="fake-manifest", ecosystem=Ecosystem.PYPI, role=FileRole.MANIFEST, file_names=frozenset({"deps.txt"}), parse=parse_manifest),
    ParserSpec(name="fake-lock", ecosystem=Ecosystem.PYPI, role=FileRole.LOCKFILE, file_names=frozenset({"deps.lock"}), parse=parse_lock),
    ParserSpec(name="fake-boom", ecosystem=Ecosystem.PYPI, role=FileRole.MANIFEST, file_names=frozenset({"boom.txt"}), parse=parse_boom),
    ParserSpec(name="fake-deep", ecosystem=Ecosystem.PYPI, role=FileRole.MANIFEST, file_names=frozenset({"deep.txt"}), parse=parse_deep),
)


def parse_group_inherit(sources, reader, context):  # type: ignore[no-untyped-def]
    """`inherit.txt` files: a line `parent PATH` pulls in the packages of another such file."""
    texts = {s.path: s for s in sources}
    results = {}
    for source in sources:
        lines = source.text.splitlines()
        parents = [line.split()[1] for line in lines if line.startswith("parent ")]
        if "CRASH" in lines:
            raise RuntimeError("group parser bug")
        own = "\n".join(line for line in lines if not line.startswith("parent "))
        inherited = "\n".join(texts[p].text for p in parents if p in texts)
        results[source.path] = _parse_lines(SourceFile(path=source.path, text=own + "\n" + inherited), True)
    return results


GROUP_PARSER = ParserSpec(
    name="fake-group", ecosystem=Ecosystem.MAVEN, role=FileRole.MANIFEST, file_names=frozenset({"inherit.txt"}),
    parse=parse_manifest, parse_group=parse_group_inherit,
)
