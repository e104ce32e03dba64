"""pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x -> locked packages, roots and edges.

Reading (see pnpm_entries and pnpm_paths): one record per entry of `packages` (5.x/6.x)
or per `snapshots` entry joined with its `packages` entry (9.0), its version without the
peer suffix (`_react@18.2.0`, `(react@18.2.0)`). Entries that differ only in peers are one
package: one DeclaredPackage per (name, version), at the line and key of its first entry.

The file states the whole graph (`states_graph`): the roots are the importers' sections
(the workspace projects; the top-level sections of a single-project 5.x/6.x file), each
resolved to the entry its reference names; the edges are the entries' `dependencies`
(REQUIRED, PEER for a listed peer) and `optionalDependencies` (OPTIONAL), each resolved to
the locked version. Why a package is installed (runtime, dev, optional) is not decided
here: ospo_scan.graph walks those roots and edges. A package keeps only what the file
itself flags, the 5.x/6.x `dev`/`optional` fields (9.0: `optional`), as the fallback for
an entry no importer reaches. A dependency that no entry holds is still an edge, to the
version its reference pins or to no version.

Local code is first-party, by identity: `link:` references (workspace packages, recorded
with the linked directory and no version, which lives in their own package.json) and
`file:` entries (directories and tarballs, e.g. Rush's `file:projects/x.tgz`). A linked
workspace package depends on what its importer's `dependencies`/`optionalDependencies`
hold, so those are its edges. Importer directories other than `.` are the workspace
paths; workspace_members names the first-party packages. Git and tarball packages keep
their URL (`git+<repo>#<commit>`, the tarball) as source. A reference an importer names
that no entry matches is still reported, with a note, when it pins a version (trimmed
lockfiles); one that cannot be read is an issue (and a root without a version).

pnpm 11 writes several YAML documents: the first may be the package manager's own
environment (`configDependencies`/`packageManagerDependencies` importers), which is not
the project's dependencies and is skipped; every other document is read.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import replace
from typing import Any

from ospo_scan.excerpt import excerpt, shorten
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredRoot,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)
from ospo_scan.parsers.npm.pnpm_entries import (
    PARSER_NAME,
    SECTIONS,
    Context,
    Declared,
    Locked,
    read_declared,
    read_entries,
)
from ospo_scan.parsers.npm.pnpm_paths import identity_of, key_candidates
from ospo_scan.parsers.formats import load_yaml_documents
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.lines.yaml_keys import key_lines

_ENV_SECTIONS = frozenset({"configDependencies", "packageManagerDependencies"})
_LOCKFILE_KEYS = frozenset({"lockfileVersion", "importers", "packages", "snapshots", "specifiers", *SECTIONS})
_KNOWN_MAJORS = frozenset({5, 6, 7, 9})
"""7.0 was written by pre-releases of pnpm 9; it reads as 6.0/9.0."""
_MAX_MAJOR_DIGITS = 6
"""A longer run of digits is no lockfile version, and never goes through int() (a few
thousand digits would raise ValueError, Unicode digits such as '²' too: hence isascii)."""
_RUNTIME = frozenset({Scope.RUNTIME})
_SECTION_SCOPES = {
    "dependencies": _RUNTIME,
    "devDependencies": frozenset({Scope.DEV}),
    "optionalDependencies": frozenset({Scope.OPTIONAL}),
}
"""What an importer section means, as package.json's parser spells it."""
_INSTALLED_FOR_DEPENDENTS = {"dependencies": EdgeKind.REQUIRED, "optionalDependencies": EdgeKind.OPTIONAL}
"""The sections of a workspace package that a project depending on it (through `link:`) gets."""

Identity = tuple[str, str | None, str | None]
"""(name, version, source when there is no version): what one DeclaredPackage stands for."""


def parse_pnpm_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every project document of the lockfile (see the module docstring)."""
    documents = _load_documents(source)
    result = ParseResult(states_graph=True)
    lines = key_lines(source.text, _wanted, _enter)
    projects = [(index, doc) for index, doc in enumerate(documents) if doc is not None and not _is_env_document(doc)]
    if not projects:
        result.issues.append(issue(source, PARSER_NAME, _nothing_locked(documents)))
    for index, document in projects:
        ctx = Context(
            source=source, parser=PARSER_NAME, issues=result.issues, document=index, lines=lines, prefer_v5=False, result=result
        )
        _read_document(ctx, document)
    _deduplicate(result)
    return result


def _load_documents(source: SourceFile) -> list[Any]:
    """Every YAML document of the file (pnpm 11 writes two), each a mapping or empty."""
    documents = load_yaml_documents(source)
    for document in documents:
        if document is not None and not isinstance(document, dict):
            raise ParseError(f"not a pnpm lockfile: the document is a {type(document).__name__}, not a mapping", 1)
    return documents


def _wanted(path: KeyPath) -> bool:
    """Key lines worth recording: top-level entries, and importer dependencies."""
    return len(path) <= 2 or (path[0] == "importers" and len(path) <= 4)


def _enter(path: KeyPath) -> bool:
    """Keys whose nested keys may be wanted: the top level, its maps, and importers down to their sections."""
    return len(path) <= 1 or (path[0] == "importers" and len(path) <= 3)


def _is_env_document(document: dict[str, Any]) -> bool:
    """pnpm 11's environment document: importers with only the package manager's own sections."""
    importers = document.get("importers")
    if not isinstance(importers, dict):
        return False
    sections = {key for importer in importers.values() if isinstance(importer, dict) for key in importer}
    return bool(sections) and sections <= _ENV_SECTIONS


def _nothing_locked(documents: list[Any]) -> str:
    if any(document is not None for document in documents):
        return "only the package manager's environment document (pnpm 11): no project dependency is locked"
    return "empty file: no package is locked"


def _read_document(ctx: Context, document: dict[str, Any]) -> None:
    """One project document -> packages, edges and workspace paths appended to the result."""
    if not _LOCKFILE_KEYS & document.keys():
        raise ParseError("not a pnpm lockfile: no lockfileVersion, importers or packages at the top level", 1)
    major = _major(ctx, document)
    ctx = replace(ctx, prefer_v5=major is not None and major < 6)
    graph = _Graph(ctx, read_entries(ctx, document), read_declared(ctx, document) or [])
    ctx.result.roots.extend(graph.roots())
    ctx.result.edges.extend(graph.edges())
    ctx.result.packages.extend(graph.packages())
    ctx.result.workspace_paths.extend(_importer_paths(document.get("importers")))


def _importer_paths(importers: Any) -> list[str]:
    """Directories of the importers that are mappings (the workspace projects)."""
    if not isinstance(importers, dict):
        return []
    readable = (path for path, body in importers.items() if isinstance(body, (dict, type(None))))
    return [posixpath.normpath(path) for path in readable if isinstance(path, str) and path]


def _major(ctx: Context, document: dict[str, Any]) -> int | None:
    """The lockfile major version (5, 6, 9), reported when missing or unknown."""
    raw, line = document.get("lockfileVersion"), ctx.line("lockfileVersion")
    if raw is None:
        ctx.report("lockfileVersion: missing; keys read in both the 5.x and the 6.0+ spelling", line)
        return None
    head = str(raw).strip().split(".", 1)[0] if isinstance(raw, (str, int, float)) else ""
    if not (head.isascii() and head.isdigit()) or len(head) > _MAX_MAJOR_DIGITS:
        ctx.report(f"lockfileVersion: {excerpt(raw)} is not a version number; keys read in both spellings", line)
        return None
    if int(head) not in _KNOWN_MAJORS:
        ctx.report(f"lockfileVersion: {shorten(str(raw))} is not one this parser knows (5.x, 6.x, 9.0); read anyway", line)
    return int(head)


class _Graph:
    """The document's entries by key, how references resolve to them, and what they state."""

    def __init__(self, ctx: Context, nodes: dict[str, Locked], declared: list[Declared]) -> None:
        self.ctx = ctx
        self.nodes = dict(nodes)
        self.declared = declared
        self._by_version: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self._by_name: dict[str, dict[Identity, str]] = defaultdict(dict)
        for key, node in nodes.items():
            self._by_version[(node.name, node.version)].append(key)
            self._by_name[node.name].setdefault(self.identity(key), key)
        self._installed: dict[str, list[Declared]] = defaultdict(list)
        for dep in declared:
            if dep.section in _INSTALLED_FOR_DEPENDENTS:
                self._installed[dep.importer].append(dep)

    def identity(self, key: str) -> Identity:
        node = self.nodes[key]
        return node.name, node.version, None if node.version else node.source_url

    def roots(self) -> list[DeclaredRoot]:
        """Every importer dependency, with the version its reference resolves to."""
        found: list[DeclaredRoot] = []
        for dep in self.declared:
            key = self.find(dep.name, dep.reference, dep.importer, dep.line, dep.key_path) or self._absent(dep)
            if key is None:
                message = f'importers["{dep.importer}"]: {dep.name} "{shorten(dep.reference)}" matches no entry of packages'
                self.ctx.report(message, dep.line)
            node = self.nodes[key] if key is not None else None
            found.append(
                DeclaredRoot(
                    importer=dep.importer,
                    name=node.name if node is not None else dep.name,
                    version=node.version if node is not None else None,
                    scopes=_SECTION_SCOPES[dep.section],
                    group=dep.section,
                    requirement=dep.specifier,
                )
            )
        return found

    def find(self, name: str, reference: str, base: str, line: int | None, key_path: str | None = None) -> str | None:
        """The key `name: reference` stands for: a link, an entry, or the only one of that name."""
        if reference.startswith("link:"):
            return self._link(name, reference[len("link:") :], base, line, key_path)
        for candidate in key_candidates(name, reference):
            if candidate in self.nodes and not candidate.startswith(("link:", "importer:")):
                return candidate
        pinned = identity_of(name, reference, self.ctx.prefer_v5)
        if pinned is not None:
            keys = self._by_version.get(pinned)
            return keys[0] if keys else None
        named = self._by_name.get(name, {})
        return next(iter(named.values())) if len(named) == 1 else None

    def _link(self, name: str, target: str, base: str, line: int | None, key_path: str | None) -> str:
        """A workspace package linked by directory: first-party, version in its own manifest."""
        path = posixpath.normpath(posixpath.join(base, target))
        key = f"link:{path}"
        if key not in self.nodes:
            note = f"workspace package in {path}: its version is in its own package.json"
            self.nodes[key] = Locked(key, name, None, line, key_path, source_url=key, first_party=True, note=note)
        return key

    def _absent(self, dep: Declared) -> str | None:
        """An importer dependency missing from packages, kept when its reference pins a version."""
        pinned = identity_of(dep.name, dep.reference, self.ctx.prefer_v5)
        if pinned is None:
            return None
        key = f"importer:{pinned[0]}@{pinned[1]}"
        if key not in self.nodes:
            note = f'named by importer "{dep.importer}" but missing from packages'
            flags = _SECTION_SCOPES[dep.section]  # all the file says about it
            self.nodes[key] = Locked(key, pinned[0], pinned[1], dep.line, dep.key_path, flags=flags, note=note)
        return key

    def edges(self) -> list[DeclaredEdge]:
        """Every entry's edges, and a linked workspace package's to its importer's installed sections.

        Run after `roots`, which adds the links importers name; links found here are walked too.
        """
        edges: dict[DeclaredEdge, None] = {}
        keys = list(self.nodes)
        for key in keys:  # grows while iterating: a newly linked workspace package has edges too
            node = self.nodes[key]
            for name, reference, kind, base in self._dependencies(node):
                known = len(self.nodes)
                child = self.find(name, reference, base, node.line)
                if len(self.nodes) > known and child is not None:
                    keys.append(child)
                edge = self._edge(node, child, name, reference, kind)
                if edge is not None:
                    edges[edge] = None
        return list(edges)

    def _dependencies(self, node: Locked) -> list[tuple[str, str, EdgeKind, str]]:
        """(name, reference, kind, folder references are relative to) of a node's dependencies."""
        if node.key.startswith("link:"):
            folder = node.key[len("link:") :]
            installed = self._installed.get(folder, [])
            return [(dep.name, dep.reference, _INSTALLED_FOR_DEPENDENTS[dep.section], folder) for dep in installed]
        return [(name, reference, kind, ".") for name, reference, kind in node.dependencies]

    def _edge(
        self, parent: Locked, child: str | None, name: str, reference: str, kind: EdgeKind
    ) -> DeclaredEdge | None:
        """The edge to the child entry, else to what the reference pins (trimmed files), else unresolved."""
        if child is not None:
            target: tuple[str, str | None] = (self.nodes[child].name, self.nodes[child].version)
        else:
            target = identity_of(name, reference, self.ctx.prefer_v5) or (name, None)
        if target == (parent.name, parent.version):
            return None
        return DeclaredEdge(
            parent=parent.name, parent_version=parent.version, child=target[0], child_version=target[1], kind=kind
        )

    def packages(self) -> list[DeclaredPackage]:
        """One DeclaredPackage per identity, in file order (peer variants of a version are one)."""
        groups: dict[Identity, list[Locked]] = {}
        for key, node in self.nodes.items():
            groups.setdefault(self.identity(key), []).append(node)
        return [_package(identity, members) for identity, members in groups.items()]


def _package(identity: Identity, members: list[Locked]) -> DeclaredPackage:
    """The package of one identity; its scopes are the file's own flags (a fallback, see the docstring)."""
    flags: frozenset[Scope] = frozenset().union(*(member.flags for member in members))
    notes = dict.fromkeys(member.note for member in members if member.note)
    first = min(members, key=lambda member: member.line if member.line is not None else 1 << 62)
    return DeclaredPackage(
        name=identity[0],
        version=identity[1],
        scopes=flags or _RUNTIME,
        first_party=any(member.first_party for member in members),
        line=first.line,
        key_path=first.key_path,
        source_url=next((member.source_url for member in members if member.source_url), None),
        note="; ".join(notes) or None,
    )


def _deduplicate(result: ParseResult) -> None:
    """Documents may repeat packages, roots and edges; keep the first of each, sort the workspace lists."""
    seen: dict[tuple[str, str | None, str | None], DeclaredPackage] = {}
    for package in result.packages:
        seen.setdefault((package.name, package.version, None if package.version else package.source_url), package)
    result.packages = list(seen.values())
    result.edges = list(dict.fromkeys(result.edges))
    result.roots = list(dict.fromkeys(result.roots))
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    result.workspace_paths = sorted(set(result.workspace_paths) - {"."})


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.LOCKFILE,
    file_names=frozenset({"pnpm-lock.yaml"}),
    parse=parse_pnpm_lock,
)
