"""An independent walk of a Python lockfile, for the corpus tests of poetry.lock, uv.lock, pdm.lock.

Written apart from the parsers and from ospo_scan.graph, with tomllib and packaging only:
the roots are what the pyproject.toml beside the lockfile declares (its main dependencies
and extras as runtime, its dev groups as development, a requirement on the project itself
expanded into the extras it names), and a breadth-first search follows each lockfile's
own dependency tables, with extras: a node is (name, extra or None), and an extra's
dependencies are followed only from a path that asks for that extra. That is how the
tools install; the scan's graph has one node per package, so where the two disagree on
packages behind extras the difference is the graph's, and the tests say so.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ospo_scan.model import Ecosystem, Inventory, Lifecycle
from ospo_scan.scan import scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

Node = tuple[str, str | None]
"""(PEP 503 name, extra or None)."""
Release = tuple[str, str | None]
"""(PEP 503 name, version) of a lock entry."""
_POETRY_EXTRA_ITEM = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


@dataclass(slots=True)
class Expected:
    """What the independent walk concludes for one lockfile's project."""

    runtime: set[Release] = field(default_factory=set)
    """Reached from a main dependency or an extra of the project."""
    development: set[Release] = field(default_factory=set)
    """Reached only from its dev groups."""
    unreached: set[Release] = field(default_factory=set)
    """Locked, third-party, reached by neither."""


def expected(lockfile: Path) -> Expected:
    """Walk `lockfile` (uv.lock, poetry.lock or pdm.lock) from the pyproject.toml beside it."""
    lock = tomllib.loads(lockfile.read_text(encoding="utf-8"))
    tables = [table for table in lock.get("package", []) if isinstance(table, dict) and "name" in table]
    graph = _GRAPHS[lockfile.name](tables)
    roots = project_roots(lockfile.parent / "pyproject.toml")
    if lockfile.name == "uv.lock" and _uv_own(tables) and (roots is None or not _names_uv_root(tables, roots.name)):
        roots = uv_metadata_roots(tables)  # uv's record of the manifest it read (dynamic, lenient)
    elif lockfile.name != "uv.lock" and _other_manifests(lockfile):
        raise CannotTell(f"{lockfile}: other manifests beside it ({', '.join(_other_manifests(lockfile))}) are roots too")
    if roots is None:
        raise CannotTell(f"{lockfile}: the pyproject.toml beside it does not state the project's dependencies")
    runtime_roots, development_roots = roots.runtime, roots.development
    runtime = graph.reach(runtime_roots)
    development = graph.reach(development_roots) - runtime
    found = Expected()
    for table in tables:
        release = (canonicalize_name(table["name"]), table.get("version"))
        if graph.first_party(table):
            continue
        if release[0] in runtime:
            found.runtime.add(release)
        elif release[0] in development:
            found.development.add(release)
        else:
            found.unreached.add(release)
    return found


class CannotTell(Exception):
    """No manifest states the roots of this lockfile (dynamic dependencies, no pyproject.toml)."""


# --- roots: the pyproject.toml -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Roots:
    """What a project declares, as graph nodes."""

    name: str
    runtime: list[Node]
    development: list[Node]


def project_roots(pyproject: Path) -> Roots | None:
    """The manifest's runtime and development roots; None when it cannot tell (dynamic, absent)."""
    if not pyproject.is_file():
        return None
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    if "dependencies" in project.get("dynamic", []):
        return None
    try:
        return _declared_roots(data, project)
    except _Unreadable:
        return None


def _declared_roots(data: dict[str, Any], project: dict[str, Any]) -> Roots:
    poetry = data.get("tool", {}).get("poetry", {})
    own = canonicalize_name(project.get("name") or poetry.get("name") or "")
    extras: dict[str, list[str]] = {
        canonicalize_name(extra): items for extra, items in project.get("optional-dependencies", {}).items()
    }
    runtime = list(project.get("dependencies", [])) + [item for items in extras.values() for item in items]
    runtime_nodes = [*_pep508_nodes(runtime), *_poetry_nodes(poetry.get("dependencies", {}))]
    development = [*_dependency_groups(data.get("dependency-groups", {}))]
    development += data.get("tool", {}).get("uv", {}).get("dev-dependencies", [])
    for items in data.get("tool", {}).get("pdm", {}).get("dev-dependencies", {}).values():
        development += [item for item in items if not item.startswith("-e")]
    development_nodes = _pep508_nodes(development)
    for name, group in poetry.get("group", {}).items():
        target = runtime_nodes if name == "main" else development_nodes
        target.extend(_poetry_nodes(group.get("dependencies", {})))
    development_nodes += _poetry_nodes(poetry.get("dev-dependencies", {}))
    return Roots(own, _expand_self(runtime_nodes, own, extras), _expand_self(development_nodes, own, extras))


_OTHER_MANIFESTS = re.compile(
    r"^(requirements.*\.(txt|in)|Pipfile(\.lock)?|setup\.cfg|uv\.lock|poetry\.lock|pdm\.lock|pylock.*\.toml)$", re.I
)


def _other_manifests(lockfile: Path) -> list[str]:
    """Other Python manifests and lockfiles of the lockfile's folder: the scan reads them as one project."""
    return sorted(p.name for p in lockfile.parent.iterdir() if _OTHER_MANIFESTS.match(p.name) and p != lockfile)


def _uv_own(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lock's own package at "." (editable or virtual)."""
    return [table for table in tables if "." in (table.get("source", {}).get(kind) for kind in ("editable", "virtual"))]


def _names_uv_root(tables: list[dict[str, Any]], name: str) -> bool:
    """True when the lock's own package at "." is the project `name` (test data holds strays)."""
    return any(canonicalize_name(table["name"]) == name for table in _uv_own(tables))


def uv_metadata_roots(tables: list[dict[str, Any]]) -> Roots | None:
    """uv's record of the manifest, `[package.metadata]` of its package at "." (dynamic metadata included)."""
    own = _uv_own(tables)
    if len(own) != 1:
        return None
    metadata = own[0].get("metadata", {})
    development = [item for items in metadata.get("requires-dev", {}).values() for item in items]
    name = canonicalize_name(own[0]["name"])
    return Roots(name, list(_uv_items(metadata.get("requires-dist", []), "extras")), list(_uv_items(development, "extras")))


def _dependency_groups(groups: dict[str, list[Any]]) -> Iterator[str]:
    """Every requirement string of every PEP 735 group (includes add nothing new here)."""
    for items in groups.values():
        yield from (item for item in items if isinstance(item, str))


class _Unreadable(Exception):
    """A requirement the manifest writes is not PEP 508 (uv may have read it leniently)."""


def _pep508_nodes(texts: Iterable[str]) -> list[Node]:
    nodes: list[Node] = []
    for text in texts:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            raise _Unreadable(text) from None
        name = canonicalize_name(requirement.name)
        nodes += [(name, None), *((name, canonicalize_name(extra)) for extra in requirement.extras)]
    return nodes


def _poetry_nodes(table: dict[str, Any]) -> list[Node]:
    nodes: list[Node] = []
    for name, spec in table.items():
        if name.lower() == "python":
            continue
        nodes.append((canonicalize_name(name), None))
        for item in spec if isinstance(spec, list) else [spec]:
            if isinstance(item, dict):
                nodes += [(canonicalize_name(name), canonicalize_name(extra)) for extra in item.get("extras", [])]
    return nodes


def _expand_self(nodes: list[Node], own: str, extras: dict[str, list[str]]) -> list[Node]:
    """`pdm[pytest]` in pdm's own groups installs the project's `pytest` extra: its requirements."""
    expanded: list[Node] = []
    pending = deque(nodes)
    seen: set[Node] = set()
    while pending:
        node = pending.popleft()
        if node in seen:
            continue
        seen.add(node)
        if node[0] != own or not own:
            expanded.append(node)
        elif node[1] is not None:
            pending.extend(_pep508_nodes(extras.get(node[1], [])))
    return expanded


# --- the lockfiles' own tables -----------------------------------------------------------


class _Graph:
    """Children of (name, extra) nodes, as one lockfile format states them."""

    def __init__(self, tables: list[dict[str, Any]]) -> None:
        self.tables = tables
        self.children: dict[Node, set[Node]] = {}
        for table in tables:
            name = canonicalize_name(table["name"])
            for extra, nodes in self.sections(table):
                self.children.setdefault((name, extra), set()).update(nodes)

    def sections(self, table: dict[str, Any]) -> Iterator[tuple[str | None, Iterable[Node]]]:
        raise NotImplementedError

    def first_party(self, table: dict[str, Any]) -> bool:
        raise NotImplementedError

    def reach(self, roots: Iterable[Node]) -> set[str]:
        """Names reached from `roots`; a node (name, extra) also installs (name, None)."""
        seen: set[Node] = set()
        pending = deque(roots)
        while pending:
            node = pending.popleft()
            if node in seen:
                continue
            seen.add(node)
            pending.append((node[0], None))
            pending.extend(self.children.get(node, ()))
        return {name for name, _ in seen}


class _UvGraph(_Graph):
    def sections(self, table: dict[str, Any]) -> Iterator[tuple[str | None, Iterable[Node]]]:
        yield None, _uv_items(table.get("dependencies", []))
        for extra, items in table.get("optional-dependencies", {}).items():
            yield canonicalize_name(extra), _uv_items(items)

    def first_party(self, table: dict[str, Any]) -> bool:
        return bool({"editable", "virtual", "directory", "path", "workspace"} & set(table.get("source", {})))


def _uv_items(items: list[dict[str, Any]], extras_key: str = "extra") -> Iterator[Node]:
    """Dependency items (`extra = [...]`) or metadata items (`extras = [...]`) as nodes."""
    for item in items:
        name = canonicalize_name(item["name"])
        yield name, None
        yield from ((name, canonicalize_name(extra)) for extra in item.get(extras_key, []))


class _PoetryGraph(_Graph):
    def sections(self, table: dict[str, Any]) -> Iterator[tuple[str | None, Iterable[Node]]]:
        required: list[Node] = []
        for name, spec in table.get("dependencies", {}).items():
            items = spec if isinstance(spec, list) else [spec]
            if all(isinstance(item, dict) and item.get("optional") for item in items):
                continue  # only through an extra, listed in [package.extras]
            required.append((canonicalize_name(name), None))
            for item in items:
                if isinstance(item, dict):
                    required += [(canonicalize_name(name), canonicalize_name(e)) for e in item.get("extras", [])]
        yield None, required
        for extra, items in table.get("extras", {}).items():
            yield canonicalize_name(extra), list(_poetry_extra_items(items))

    def first_party(self, table: dict[str, Any]) -> bool:
        return table.get("source", {}).get("type") in ("directory", "file")


def _poetry_extra_items(items: list[str]) -> Iterator[Node]:
    """`[package.extras]` items: `name (>=1.0)`, `name[extra] (>=1.0) ; marker`."""
    for item in items:
        found = _POETRY_EXTRA_ITEM.match(item)
        if found is None:
            continue
        name = canonicalize_name(found.group(1))
        yield name, None
        for extra in (found.group(2) or "").split(","):
            if extra.strip():
                yield name, canonicalize_name(extra.strip())


class _PdmGraph(_Graph):
    def sections(self, table: dict[str, Any]) -> Iterator[tuple[str | None, Iterable[Node]]]:
        own = canonicalize_name(table["name"])
        nodes = [node for node in _pep508_nodes(table.get("dependencies", [])) if node[0] != own]  # pdm writes PEP 508
        extras = table.get("extras", [])
        if not extras:
            yield None, nodes
        for extra in extras:
            yield canonicalize_name(extra), nodes

    def first_party(self, table: dict[str, Any]) -> bool:
        return "path" in table


_GRAPHS: dict[str, type[_Graph]] = {"uv.lock": _UvGraph, "poetry.lock": _PoetryGraph, "pdm.lock": _PdmGraph}


# --- what the scan reports ------------------------------------------------------------------


@dataclass(slots=True)
class Reported:
    """Per lock entry of one lockfile, as the scan's usages for the lockfile's project say."""

    runtime: set[Release] = field(default_factory=set)
    """Some usage from the lockfile is runtime."""
    development: set[Release] = field(default_factory=set)
    """Usages from the lockfile, none of them runtime."""


def reported(scan_root: Path, lockfile: Path) -> Reported:
    """Scan `scan_root` (public API) and read the usages the lockfile's entries got for its project."""
    inventory = _scan(scan_root)
    relative = lockfile.relative_to(scan_root).as_posix()
    folder = lockfile.parent.relative_to(scan_root).as_posix() or "."
    (project,) = [p for p in inventory.projects if p.ecosystem is Ecosystem.PYPI and p.path == folder]
    found = Reported()
    for component in inventory.components:
        if component.ecosystem is not Ecosystem.PYPI or component.first_party:
            continue
        usages = [u for u in component.usages if u.project == project.id and u.location.path == relative]
        if not usages:
            continue
        release = (canonicalize_name(component.name), component.version)
        if any(usage.lifecycle is Lifecycle.RUNTIME for usage in usages):
            found.runtime.add(release)
        else:
            found.development.add(release)
    return found


@functools.cache
def _scan(root: Path) -> Inventory:
    """One scan per folder for the whole test session (a folder may hold several lockfiles)."""
    return scan([root])


def compare(lockfile: Path) -> tuple[Expected, Reported]:
    """The independent walk and the scan, for the entries the walk reaches (raises CannotTell)."""
    want = expected(lockfile)
    got = reported(lockfile.parent, lockfile)
    reached = want.runtime | want.development
    return want, Reported(runtime=got.runtime & reached, development=got.development & reached)


def assert_corpus_lockfiles_agree(corpus: Path, file_name: str) -> None:
    """Every `file_name` of the corpus that can be compared: the scan's runtime and
    development-only packages equal this module's own walk (at least one is compared)."""
    compared = 0
    for lockfile in sorted(corpus.rglob(file_name)):
        try:
            want, got = compare(lockfile)
        except CannotTell:
            continue
        assert (sorted(got.runtime - want.runtime), sorted(want.runtime - got.runtime)) == ([], []), lockfile
        assert got.development == want.development, lockfile
        compared += 1
    assert compared > 0
