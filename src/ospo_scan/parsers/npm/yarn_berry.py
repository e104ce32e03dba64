"""Yarn Berry (v2 and later) yarn.lock: YAML -> locked packages, workspaces, edges, resolutions.

Every top-level key but `__metadata` is an entry: its key lists the descriptors
(`lodash@npm:^4.17.0, lodash@npm:^4.17.21`) that resolved to one locator, its
`resolution` (`lodash@npm:4.17.21`). The locator's name is the real package (an alias
key `cjs@npm:real@^5` resolves to `real@npm:5.0.1`), its protocol says where it comes from:

- `npm:` the registry; `git`/`https` URLs and `exec:` (a script builds it) keep their source;
- `workspace:` a package of this repository: first party, its folder a workspace path;
  `workspace:.` is the root, which becomes the project, not a package;
- `link:`, `portal:`, `file:` local folders or archives: first party;
- `patch:` a package changed by a local patch: the package is the underlying locator
  (`resolve@patch:resolve@npm%3A1.22.1#...` is resolve 1.22.1), so it merges with the plain
  entry of that version into one package, with a note.

First party is decided by the locator alone: `@jest/types@npm:26.6.2` beside the workspace
`@jest/types@workspace:packages/jest-types` is a registry package of the same name.

The file states the whole graph (`states_graph`). Each entry's `dependencies` are edges,
REQUIRED unless `dependenciesMeta` flags them optional (Berry folds optionalDependencies
into `dependencies`); `peerDependencies` are PEER edges (OPTIONAL when
`peerDependenciesMeta` flags them) whose child version is None: the lock records the
range a package asks its parent for, not which package satisfied it (that depends on the
parent, through Yarn's virtual packages), and a peer installs nothing the parent does not
already depend on. Workspace entries are first-party packages with their edges too, but
Yarn merges a workspace's devDependencies into its `dependencies`, so they are no roots:
the package.json declarations are, mapped to locked versions through `resolutions`
(every descriptor of every key, and for `npm:` also the bare range package.json writes).
YAML loaders forget positions, so lines are found in the text (ospo_scan.parsers.lines.yaml_keys).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredProject,
    IssueCollector,
    ParseError,
    ParseResult,
    SourceFile,
)
from ospo_scan.parsers.formats import load_yaml
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.lines.yaml_keys import key_lines
from ospo_scan.parsers.npm.specifiers import SpecKind, classify
from ospo_scan.parsers.npm.yarn_common import (
    PARSER_NAME,
    add_resolution,
    entry_key_path,
    merge_packages,
    unique_edges,
)

_LOCAL_PROTOCOLS = frozenset({"link", "portal", "file"})
_LOCAL_VERSION = "0.0.0-use.local"
"""The placeholder yarn writes as the version of workspaces and links."""
_MAX_PATCH_NESTING = 8
_ROOT_PLACEHOLDER = "root-workspace-"
"""Prefix of the name yarn invents for a root package.json without a name."""


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a locator's package comes from."""

    name: str
    first_party: bool = False
    source_url: str | None = None
    note: str | None = None
    workspace_path: str | None = None
    """The workspace's folder relative to the lockfile ('.' for the root); None if not a workspace."""


@dataclass(slots=True)
class _Entry:
    """One lock entry, read."""

    key: str
    line: int | None
    resolution: str
    origin: _Origin
    version: str | None
    notes: tuple[str, ...]
    body: dict[str, Any]

    @property
    def is_root(self) -> bool:
        return self.origin.workspace_path == "."

    @property
    def descriptors(self) -> list[str]:
        """The key's descriptors, as written: `lodash@npm:^4.17.0, lodash@npm:^4.17.21` -> two."""
        return [part.strip() for part in self.key.split(", ") if part.strip()]

    def package(self) -> DeclaredPackage:
        return DeclaredPackage(
            name=self.origin.name,
            version=self.version,
            first_party=self.origin.first_party,
            line=self.line,
            source_url=self.origin.source_url,
            note="; ".join(self.notes) or None,
            key_path=self.key,
        )


def parse_berry(source: SourceFile) -> ParseResult:
    """Read every entry, then link dependencies to entries for edges; file every descriptor."""
    document = load_yaml(source)
    if not isinstance(document, dict):
        raise ParseError(f"expected a mapping of lock entries, found {type(document).__name__}")
    result = ParseResult()
    lines = key_lines(source.text, _wanted, _entered)
    context = _Context(source=source, parser=PARSER_NAME, issues=result.issues, result=result, lines=lines)
    _check_metadata(context, document)
    read = (_entry(context, key, body) for key, body in document.items() if key != "__metadata")
    entries = [entry for entry in read if entry is not None]
    index = _DescriptorIndex(entries)
    context.result.packages = merge_packages(entry.package() for entry in entries if not entry.is_root)
    context.result.edges = unique_edges(_edges(entries, index))
    context.result.resolutions = _resolutions(entries)
    context.result.states_graph = True
    _workspaces(entries, context.result)
    return context.result


@dataclass(slots=True, kw_only=True)
class _Context(IssueCollector):
    """The file being read, the result being filled, and where its keys are."""

    result: ParseResult
    lines: dict[tuple[int, KeyPath], int]
    """Line of each top-level key `(key,)` and of each entry's version `(key, "version")`."""
    _text_lines: list[str] | None = None

    def line(self, *path: str) -> int | None:
        """Line of the key at `path` (the file is one YAML document), if the scan found it."""
        return self.lines.get((0, path))

    def text_line(self, line: int) -> str:
        """Line `line` (1-based) of the file, split once on first use."""
        if self._text_lines is None:
            self._text_lines = self.source.text.split("\n")
        return self._text_lines[line - 1]


def _wanted(path: KeyPath) -> bool:
    """The lines a reader needs: each top-level key's, and each entry's `version:`."""
    return len(path) == 1 or (len(path) == 2 and path[1] == "version")


def _entered(path: KeyPath) -> bool:
    """Only top-level entries hold wanted keys; their fields' insides are passed over."""
    return len(path) == 1


def _check_metadata(context: _Context, document: dict[Any, Any]) -> None:
    metadata, line = document.get("__metadata"), context.line("__metadata")
    if metadata is None:
        context.report("__metadata: missing (every Yarn Berry lockfile starts with it); entries read anyway", line)
    elif not isinstance(metadata, dict):
        context.report(f"__metadata: expected a mapping, found {type(metadata).__name__}", line)


# --- entries ----------------------------------------------------------------------------


def _entry(context: _Context, key: Any, body: Any) -> _Entry | None:
    """One entry; None (with an issue) for a key that is not descriptors or a body that is not a mapping."""
    if not isinstance(key, str):
        context.report(f"top-level key {excerpt(key)}: expected a string of descriptors")
        return None
    line, path = context.line(key), entry_key_path(key)
    if not isinstance(body, dict):
        context.report(f"{path}: expected a mapping, found {type(body).__name__}", line)
        return None
    dependencies = body.get("dependencies")
    if dependencies is not None and not isinstance(dependencies, dict):
        context.report(f"{path}.dependencies: expected a mapping, found {type(dependencies).__name__}", line)
    resolution = _resolution(context, key, body, line)
    name, reference = split_locator(resolution) or (resolution, "")
    origin = _origin(context, name, reference, path, line)
    version, version_note = _version(context, key, body, line)
    notes = tuple(note for note in (origin.note, version_note, _alias_note(key, origin.name)) if note)
    return _Entry(key=key, line=line, resolution=resolution, origin=origin, version=version, notes=notes, body=body)


def _alias_note(key: str, name: str) -> str | None:
    """`str-cjs@npm:string-width@^4` resolves to string-width: say under which name it is installed."""
    written = {(split_locator(part.strip()) or (part.strip(), ""))[0] for part in key.split(", ")}
    aliases = sorted(written - {name})
    return f"installed under the alias {', '.join(aliases)}" if aliases else None


def split_locator(locator: str) -> tuple[str, str] | None:
    """`@scope/name@npm:1.0.0` -> ('@scope/name', 'npm:1.0.0'); None without an '@' after the name."""
    at = locator.find("@", 1)
    return None if at == -1 else (locator[:at], locator[at + 1 :])


def _resolution(context: _Context, key: str, body: dict[str, Any], line: int | None) -> str:
    """The entry's locator; without one, the key's first descriptor stands in (with an issue)."""
    resolution = body.get("resolution")
    if isinstance(resolution, str) and split_locator(resolution) is not None:
        return resolution
    found = "missing" if resolution is None else f"not a locator ({excerpt(resolution)})"
    context.report(f"{entry_key_path(key)}.resolution: {found}; read from the key", line)
    return key.split(", ", 1)[0]


def _origin(context: _Context, name: str, reference: str, path: str, line: int | None, depth: int = 0) -> _Origin:
    """What the locator's protocol says about the package (see the module docstring).

    `depth` counts `patch:` locators wrapped in one another (yarn nests them when a patch is
    patched again); a hostile file could nest them deep enough to exhaust the stack.
    """
    protocol, _, rest = reference.partition(":") if _has_protocol(reference) else ("", "", reference)
    without_params = reference.split("::", 1)[0]
    if protocol == "npm" or not reference:
        return _Origin(name=name)
    if protocol == "workspace":
        return _Origin(name=name, first_party=True, source_url=without_params, workspace_path=rest.split("::", 1)[0])
    if protocol in _LOCAL_PROTOCOLS:
        return _Origin(name=name, first_party=True, source_url=without_params)
    if protocol == "patch":
        return _patched(context, name, rest, path, line, depth + 1)
    if protocol == "exec":
        return _Origin(name=name, source_url=without_params, note="built by a script at install time (exec: protocol)")
    if classify(name, reference).kind in (SpecKind.GIT, SpecKind.TARBALL):
        return _Origin(name=name, source_url=reference)
    shown = excerpt(reference)
    context.report(f"{path}.resolution: unknown protocol in {shown}; package read as written", line)
    return _Origin(name=name, source_url=reference, note=f"unrecognized locator reference {shown}")


def _has_protocol(reference: str) -> bool:
    """`npm:1.0.0`, `workspace:.`, `patch:...` -> True; an URL (`https://...`) counts too."""
    head, colon, _ = reference.partition(":")
    return bool(colon) and head.isalpha()


def _patched(context: _Context, name: str, rest: str, path: str, line: int | None, depth: int) -> _Origin:
    """`patch:resolve@npm%3A1.22.1#<patch>::params`: the underlying package, noted as patched."""
    inner = unquote(rest.split("#", 1)[0])
    split = split_locator(inner)
    if split is None or depth > _MAX_PATCH_NESTING:
        shown = excerpt(inner)
        context.report(f"{path}.resolution: patched locator {shown} cannot be read; named after the key", line)
        return _Origin(name=name, note="patched locally (patch: protocol)")
    underlying = _origin(context, split[0], split[1], path, line, depth)
    note = f"patched locally (patch: protocol) from {inner}"
    return replace(underlying, note=note, workspace_path=None)


def _version(context: _Context, key: str, body: dict[str, Any], line: int | None) -> tuple[str | None, str | None]:
    """(version, note). YAML reads `version: 1.10` as the number 1.1, so numbers are re-read as text."""
    raw = body.get("version")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        version_line = context.line(key, "version")
        raw = (_scalar_text(context.text_line(version_line)) if version_line else None) or str(raw)
    if not isinstance(raw, str) or not raw:
        found = "missing" if raw is None else f"expected a string, found {type(raw).__name__}"
        context.report(f"{entry_key_path(key)}.version: {found}", line)
        return None, "no version in the lock"
    if raw == _LOCAL_VERSION:
        return None, f"local package: yarn records no version ({_LOCAL_VERSION})"
    return raw, None


def _scalar_text(line: str) -> str | None:
    """The value of a `key: value` line exactly as written, comment and quotes removed."""
    written = line.partition(":")[2].split(" #", 1)[0].strip()
    return written.strip("\"'") or None


# --- dependencies: edges, resolutions, workspaces --------------------------------------


class _DescriptorIndex:
    """Finds the entry a dependency resolved to, from its `name` and `range` as the lock writes them.

    Entry keys spell descriptors fully (`ms@npm:2.1.2`), while dependency lists may omit the
    default `npm:` (older locks) and never carry the `::locator=` parameter that binds a
    `link:`/`file:` descriptor to the package that asked for it. Two kinds of dependency
    never appear in a key: `catalog:` ranges (the range lives in .yarnrc.yml) and ranges that
    the root package.json's `resolutions` overrode; they resolve when the lock holds only one
    package of that name, and stay unresolved (child version None) otherwise.
    """

    def __init__(self, entries: list[_Entry]) -> None:
        self._exact: dict[str, _Entry] = {}
        self._unbound: dict[str, list[_Entry]] = defaultdict(list)
        self._by_name: dict[str, list[_Entry]] = defaultdict(list)
        for entry in entries:
            for descriptor in entry.descriptors:
                self._exact.setdefault(descriptor, entry)
                self._unbound[descriptor.split("::", 1)[0]].append(entry)
            first = entry.key.split(", ", 1)[0]
            self._by_name[(split_locator(first) or (first, ""))[0]].append(entry)

    def find(self, name: str, range_: str, parent: _Entry) -> _Entry | None:
        descriptor = f"{name}@{range_}"
        found = self._exact.get(descriptor) or self._exact.get(f"{name}@npm:{range_}")
        if found is not None:
            return found
        candidates = self._unbound.get(descriptor) or self._by_name.get(name, [])
        if len({(entry.origin.name, entry.version) for entry in candidates}) == 1:
            return candidates[0]  # one package, maybe in several entries (a patch beside its original)
        bound = f"locator={parent.resolution}"
        return next((entry for entry in candidates if bound in unquote(entry.key)), None)


def _dependencies(entry: _Entry, field: str = "dependencies") -> Iterator[tuple[str, str]]:
    """(name, range) of one of the entry's dependency maps, ranges as text (YAML may have made numbers)."""
    dependencies = entry.body.get(field)
    for name, range_ in dependencies.items() if isinstance(dependencies, dict) else ():
        if isinstance(name, str) and isinstance(range_, (str, int, float)) and not isinstance(range_, bool):
            yield name, str(range_)


def _flagged_optional(entry: _Entry, field: str) -> frozenset[str]:
    """Names that `dependenciesMeta` / `peerDependenciesMeta` flag `optional: true`."""
    meta = entry.body.get(field)
    if not isinstance(meta, dict):
        return frozenset()
    flagged = (name for name, flags in meta.items() if isinstance(flags, dict) and flags.get("optional") is True)
    return frozenset(_meta_name(name) for name in flagged if isinstance(name, str))


def _meta_name(key: str) -> str:
    """A meta key is a name, or `name@range` for one version only: `fsevents@1.2.3` -> `fsevents`."""
    split = split_locator(key)
    return split[0] if split else key


def _edges(entries: list[_Entry], index: _DescriptorIndex) -> Iterator[DeclaredEdge]:
    """Each package's dependencies and peers, with their kind and the version each dependency resolved to.

    The root workspace is the project, not a package: its edges are left out, and so are
    edges to it (a member that depends on the project itself); a dependency the lock does
    not resolve is still an edge, with child_version None.
    """
    for entry in (entry for entry in entries if not entry.is_root):
        parent, parent_version = entry.origin.name, entry.version
        optional = _flagged_optional(entry, "dependenciesMeta")
        for name, range_ in _dependencies(entry):
            target = index.find(name, range_, entry)
            if target is not None and target.is_root:
                continue
            child, version = (target.origin.name, target.version) if target else (name, None)
            kind = EdgeKind.OPTIONAL if name in optional else EdgeKind.REQUIRED
            yield DeclaredEdge(parent=parent, parent_version=parent_version, child=child, child_version=version, kind=kind)
        optional_peers = _flagged_optional(entry, "peerDependenciesMeta")
        for name, _ in _dependencies(entry, "peerDependencies"):
            kind = EdgeKind.OPTIONAL if name in optional_peers else EdgeKind.PEER
            yield DeclaredEdge(parent=parent, parent_version=parent_version, child=name, child_version=None, kind=kind)


def _resolutions(entries: list[_Entry]) -> dict[tuple[str, str], str]:
    """Every descriptor of every key -> the version its entry locks, in the spellings package.json uses.

    `lodash@npm:^4.17.0` is filed as (lodash, `npm:^4.17.0`) and as (lodash, `^4.17.0`);
    an alias `str-cjs@npm:string-width@^4` also under the real package's name; a descriptor
    bound to the workspace that asked for it (`link:./x::locator=...`) also without the
    binding; a `patch:` one also with its escapes undone (`npm%3A` -> `npm:`). Entries
    without a version (workspaces and links: `0.0.0-use.local`) resolve to no version.
    """
    resolutions: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry.version is None:
            continue
        for descriptor in entry.descriptors:
            split = split_locator(descriptor)
            if split is None:
                continue
            for name in dict.fromkeys((split[0], entry.origin.name)):
                for requirement in _requirements(split[1]):
                    add_resolution(resolutions, name, requirement, entry.version)
    return resolutions


def _requirements(range_: str) -> Iterator[str]:
    """The spellings a manifest may give the descriptor range `range_` (the written one first)."""
    yield range_
    unbound = range_.split("::", 1)[0]
    if unbound != range_:
        yield unbound
    if unbound.startswith("patch:") and unquote(unbound) != unbound:
        yield unquote(unbound)
    if unbound.startswith("npm:"):
        bare = unbound[len("npm:") :]
        if split_locator(bare) is None:  # `npm:^1.0`, not an alias `npm:real@^1.0`
            yield bare


def _workspaces(entries: list[_Entry], result: ParseResult) -> None:
    """The project (root workspace), the names of the workspaces, and the folders of the members.

    Only `workspace:` locators are workspaces; `link:`/`portal:`/`file:` packages are first
    party by their own locator, not members.
    """
    root = next((entry for entry in entries if entry.is_root), None)
    if root is not None and not root.origin.name.startswith(_ROOT_PLACEHOLDER):
        result.project = DeclaredProject(name=root.origin.name, version=root.version)
    workspaces = (entry for entry in entries if entry.origin.workspace_path is not None)
    result.workspace_members = sorted({entry.origin.name for entry in workspaces})
    paths = {entry.origin.workspace_path for entry in entries if entry.origin.workspace_path not in (None, ".")}
    result.workspace_paths = sorted(path for path in paths if path is not None)
