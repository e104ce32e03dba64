"""What one pnpm-lock.yaml document states: its locked entries and its importers' dependencies.

Entries are the `packages` map (5.x/6.x: everything about a package, edges included) or,
from 9.0, `packages` (resolution, name, version) joined with `snapshots` (the edges, once
per set of peers: `a@1.0.0(react@18.2.0)`). Each becomes a `Locked` record whose
identity is the real package: the `name`/`version` fields when the entry has them (pnpm
writes them for git, tarball and local packages, whose keys are URLs or paths), else what
the key spells (see pnpm_paths).

Edges are an entry's `dependencies` (REQUIRED, or PEER for a name the package lists in
its `peerDependencies` or that its key's peer suffix names: pnpm writes the peer it chose
there) and `optionalDependencies` (OPTIONAL; pnpm puts a resolved optional peer
there too).

Importers are the projects of the workspace (`importers:` keyed by directory) or, in
single-project 5.x/6.x files, the top-level `dependencies`/`devDependencies`/
`optionalDependencies`. Their entries are a reference (5.x) or `{specifier, version}`.

Everything odd is reported with its key path and skipped; nothing here raises.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind, Scope
from ospo_scan.parsers.base import IssueCollector, ParseResult
from ospo_scan.parsers.npm.pnpm_paths import split_key, suffix_peers, version_of
from ospo_scan.parsers.npm.specifiers import exact_version
from ospo_scan.parsers.lines import KeyPath

PARSER_NAME = "pnpm-lock"
SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")
_EDGE_SECTIONS = (("dependencies", EdgeKind.REQUIRED), ("optionalDependencies", EdgeKind.OPTIONAL))
_LOCAL_PREFIXES = ("file:", "link:", "workspace:")


@dataclass(slots=True, kw_only=True)
class Context(IssueCollector):
    """One document being read: where issues go and where key lines are."""

    document: int
    lines: dict[tuple[int, KeyPath], int]
    prefer_v5: bool
    result: ParseResult

    def line(self, *path: str) -> int | None:
        """Line of the key at `path` in this document, if the scan found it."""
        return self.lines.get((self.document, path))


@dataclass(frozen=True, slots=True)
class Locked:
    """One installed package (a packages/snapshots entry, or a workspace link)."""

    key: str
    name: str
    version: str | None
    line: int | None
    key_path: str | None = None
    """`packages["<key>"]` (9.x: the packages key the snapshot belongs to), or `snapshots["<key>"]`."""
    source_url: str | None = None
    first_party: bool = False
    flags: frozenset[Scope] = frozenset()
    """Scopes the 5.x/6.x `dev`/`optional` flags (9.x: `optional`) state; empty when none.
    Only a fallback: resolve walks the graph from the importers for what they reach."""
    dependencies: tuple[tuple[str, str, EdgeKind], ...] = ()
    """(name, reference, kind) of each dependency, as written."""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Declared:
    """A dependency named in one importer's section."""

    importer: str
    section: str
    """`dependencies`, `devDependencies` or `optionalDependencies`, as written."""
    name: str
    reference: str
    specifier: str | None
    line: int | None
    key_path: str
    """`importers["<dir>"].<section>["<name>"]` (single-project 5.x/6.x: `<section>["<name>"]`)."""


def read_entries(ctx: Context, document: dict[str, Any]) -> dict[str, Locked]:
    """Every locked entry, keyed as the file keys it (snapshot keys from 9.0 on)."""
    packages = mapping(ctx, document, "packages")
    if "snapshots" not in document:
        return _collect(ctx, ((key, key, entry, entry) for key, entry in packages.items()))
    snapshots = mapping(ctx, document, "snapshots")
    by_base: dict[Any, list[Any]] = defaultdict(list)
    for key in snapshots:
        by_base[key.split("(", 1)[0] if isinstance(key, str) else key].append(key)
    rows: list[tuple[Any, Any, Any, Any]] = []
    for key, entry in packages.items():
        variants = by_base.pop(key, []) if isinstance(key, str) else []
        rows.extend((variant, key, entry, snapshots[variant]) for variant in variants)
        if not variants:
            rows.append((key, key, entry, {}))
    rows.extend((variant, None, {}, snapshots[variant]) for variants in by_base.values() for variant in variants)
    return _collect(ctx, rows)


def _collect(ctx: Context, rows: Any) -> dict[str, Locked]:
    """Locked records of (key, packages key, packages entry, snapshot entry) rows that make sense."""
    found: dict[str, Locked] = {}
    for key, package_key, entry, snapshot in rows:
        section = "packages" if package_key is not None else "snapshots"
        key_path = f'{section}["{key}"]'
        line = ctx.line(section, package_key if package_key is not None else key)
        entry_path = f'packages["{package_key}"]' if package_key is not None else key_path
        if not isinstance(key, str):
            ctx.report(f"{section}: a key is not a string ({excerpt(key)})", line)
            continue
        body = _table(ctx, key_path, entry, line)
        edges = body if snapshot is entry else _table(ctx, f'snapshots["{key}"]', snapshot, line)
        if body is not None and edges is not None:
            locked = _locked(ctx, key, key_path, body, edges, line, entry_path)
            if locked is not None:
                found[key] = locked
    return found


def _locked(
    ctx: Context,
    key: str,
    key_path: str,
    entry: dict[str, Any],
    snapshot: dict[str, Any],
    line: int | None,
    entry_path: str,
) -> Locked | None:
    """The identity, source and edges of one entry; None (with an issue) when unreadable."""
    split = split_key(key, ctx.prefer_v5)
    name = text(entry.get("name")) or (split[0] if split else None)
    if name is None:
        ctx.report(f"{key_path}: cannot read a package name and version from the key, and there is no `name` field", line)
        return None
    reference = split[1] if split else None
    non_registry = "name" in entry or reference is None or version_of(reference) is None
    field = text(entry.get("version"))
    if field is not None:
        version: str | None = exact_version(field) or field
    else:
        version = None if non_registry else reference
    source_url, first_party, kind = _source(reference, entry.get("resolution")) if non_registry else (None, False, "")
    if version is None and source_url is None:
        ctx.report(f"{key_path}: no version in the key and no `version` field", line)
        return None
    return Locked(
        key=key,
        name=name,
        version=version,
        line=line,
        key_path=entry_path,
        source_url=source_url,
        first_party=first_party,
        flags=_flags(entry, snapshot),
        dependencies=_dependencies(ctx, key_path, snapshot, _peer_names(entry) | suffix_peers(key), line),
        note=None if version else f"version not locked: {kind}",
    )


def _source(reference: str | None, resolution: Any) -> tuple[str | None, bool, str]:
    """(source URL or path, first-party, what it is) of a package not from a registry."""
    res = resolution if isinstance(resolution, dict) else {}
    directory = text(res.get("directory"))
    if directory is not None:
        return f"file:{directory}", True, "local directory"
    repo, commit = text(res.get("repo")), text(res.get("commit"))
    if repo is not None:
        url = repo if repo.startswith("git+") else f"git+{repo}"
        return (f"{url}#{commit}" if commit else url), False, "git repository"
    tarball = text(res.get("tarball"))
    if tarball is not None:
        local = tarball.startswith("file:")
        return tarball, local, "local tarball" if local else "tarball URL"
    if reference is not None and ":" in reference:
        local = reference.startswith(_LOCAL_PREFIXES)
        return reference, local, "local path" if local else "URL"
    return None, False, ""


def _flags(entry: dict[str, Any], snapshot: dict[str, Any]) -> frozenset[Scope]:
    """5.x/6.x `dev: true|false` (absent: both) and `optional: true`; 9.x snapshots keep `optional`."""
    dev, optional = entry.get("dev"), entry.get("optional") is True or snapshot.get("optional") is True
    if not isinstance(dev, bool) and not optional:
        return frozenset()
    scopes = {Scope.DEV} if dev is True else {Scope.RUNTIME}
    if optional:
        scopes = (scopes - {Scope.RUNTIME}) | {Scope.OPTIONAL}
    return frozenset(scopes)


def _peer_names(entry: dict[str, Any]) -> frozenset[str]:
    """Names the package lists in `peerDependencies` (ranges there; the chosen version is in its edges)."""
    peers = entry.get("peerDependencies")
    return frozenset(name for name in peers if isinstance(name, str)) if isinstance(peers, dict) else frozenset()


def _dependencies(
    ctx: Context, key_path: str, entry: dict[str, Any], peers: frozenset[str], line: int | None
) -> tuple[tuple[str, str, EdgeKind], ...]:
    """(name, reference, kind) of the entry's `dependencies` (a listed peer: PEER) and `optionalDependencies`."""
    found: list[tuple[str, str, EdgeKind]] = []
    for section, kind in _EDGE_SECTIONS:
        deps = entry.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            ctx.report(f"{key_path}.{section}: expected a mapping, found {type(deps).__name__}", line)
            continue
        for name, reference in deps.items():
            ref = scalar(reference)
            if not isinstance(name, str) or ref is None:
                ctx.report(f'{key_path}.{section}["{name}"]: expected a version or reference', line)
                continue
            found.append((name, ref, EdgeKind.PEER if kind is EdgeKind.REQUIRED and name in peers else kind))
    return tuple(found)


def read_declared(ctx: Context, document: dict[str, Any]) -> list[Declared] | None:
    """Dependencies of every importer; None when the file records none (cannot tell direct)."""
    if "importers" in document:
        declared: list[Declared] = []
        for path, importer in mapping(ctx, document, "importers").items():
            key_path = f'importers["{path}"]'
            table = _table(ctx, key_path, importer, ctx.line("importers", str(path)))
            if table is not None and isinstance(path, str):
                declared.extend(_importer(ctx, posixpath.normpath(path) if path else ".", table, ("importers", path)))
        return declared
    if any(section in document for section in SECTIONS):
        return _importer(ctx, ".", document, ())
    return None


def _importer(ctx: Context, path: str, table: dict[str, Any], at: tuple[str, ...]) -> list[Declared]:
    """One importer's sections (5.x values are references, `specifiers` beside them)."""
    prefix = f'importers["{at[1]}"].' if at else ""
    found = table.get("specifiers")
    specifiers: dict[Any, Any] = found if isinstance(found, dict) else {}
    declared: list[Declared] = []
    for section in SECTIONS:
        deps = table.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            ctx.report(f"{prefix}{section}: expected a mapping, found {type(deps).__name__}", ctx.line(*at, section))
            continue
        for name, value in deps.items():
            line = ctx.line(*at, section, str(name))
            reference, specifier = _reference(value)
            if not isinstance(name, str) or reference is None:
                ctx.report(f'{prefix}{section}["{name}"]: expected a version or {{specifier, version}}', line)
                continue
            specifier = specifier or scalar(specifiers.get(name))
            key_path = f'{prefix}{section}["{name}"]'
            declared.append(Declared(path, section, name, reference, specifier, line, key_path))
    return declared


def _reference(value: Any) -> tuple[str | None, str | None]:
    """(reference, specifier) of an importer entry: `1.2.3` (5.x) or `{specifier, version}`."""
    if isinstance(value, dict):
        return scalar(value.get("version")), scalar(value.get("specifier"))
    return scalar(value), None


def mapping(ctx: Context, parent: dict[str, Any], key: str) -> dict[Any, Any]:
    """`parent[key]` as a mapping: absent or null is empty, another type is reported."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.report(f"{key}: expected a mapping, found {type(value).__name__}", ctx.line(key))
        return {}
    return value


def _table(ctx: Context, key_path: str, value: Any, line: int | None) -> dict[str, Any] | None:
    """An entry's body: null is empty (`/foo/1.0.0:` alone), a non-mapping is reported."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    ctx.report(f"{key_path}: expected a mapping, found {type(value).__name__}", line)
    return None


def text(value: Any) -> str | None:
    """A non-empty string value, else None."""
    return value if isinstance(value, str) and value else None


def scalar(value: Any) -> str | None:
    """A string, or a number YAML read as one (`1.0`), as text; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return text(value)
