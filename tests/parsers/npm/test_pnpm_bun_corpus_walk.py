"""Real pnpm and bun lockfiles: what scan() finds runtime or development-only, against a walk written here.

The expectation is computed from the lockfile's own YAML/JSON with a breadth-first walk
from the importers' (workspaces') sections, written in this test and sharing no code with
the parsers or ospo_scan.graph: dependencies and optionalDependencies (bun: and
peerDependencies) start runtime paths, devDependencies development ones; every edge of an
entry is followed, and a `link:`/`workspace:` package leads on to its importer's
installed sections. A package is runtime when a runtime path reaches it, development-only
when only development paths do.

The walk runs twice. Over *entries* (pnpm: one per peer variant, `a@1.0.0(react@18)`; bun:
one per install path) it is what the package manager installs. Over (name, version)
*nodes*, with every variant's edges merged, it is what a graph of packages (the model's
Usage is per package, edges name versions) can conclude: scan() must agree with that one
exactly. The two differ only where peer variants of one version need different things;
that difference is printed, and it can only ever make more packages runtime, never fewer.

scan() is run on the lockfile's folder as a user would (its package.json files make the
workspace projects; other formats are left out to keep it quick); its usages located at
the lockfile and reached from a root (directness direct or transitive) are compared, for
the whole lockfile ("whole": runtime in any project vs development-only in all) and for
each importer that is a project of the scan, walked from its own roots ("each project").
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from ospo_scan.model import Directness, Ecosystem, Inventory, Lifecycle
from ospo_scan.parsers.npm import bun_lock, package_json, pnpm_lock
from ospo_scan.scan import ScanOptions, scan

Package = tuple[str, str]
"""(name, version) of a package."""
BROKEN = {"fixtures/anchore__syft/syft/pkg/cataloger/javascript/testdata/corrupt/pnpm-lock.yaml"}
"""syft's deliberately corrupt lockfile (a parse error, tested in test_pnpm_lock)."""
OPTIONS = ScanOptions(licenses=None, parsers=(package_json.SPEC, pnpm_lock.SPEC, bun_lock.SPEC))
"""The lockfile and the manifests that make its workspace projects; nothing else of the repository."""
_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$")
_TRAILING = re.compile(r"(?:\s|//[^\n]*|/\*.*?\*/)*[}\]]", re.DOTALL)
"""What follows a trailing comma: blanks and comments, then a closing bracket."""


@dataclass
class Lock:
    """A lockfile as a graph of entries, built from its own text by this test."""

    package_of: dict[str, Package | None] = field(default_factory=dict)
    """Entry -> the package it installs (None: no version, e.g. a local directory)."""
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    runtime_roots: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Importer folder ('.' for the lockfile's) -> entries its runtime sections name."""
    dev_roots: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    linked: set[str] = field(default_factory=set)
    """Names that `link:` references give workspace packages."""


@dataclass(frozen=True)
class Verdict:
    """Packages needed at run time, and those only development needs."""

    runtime: frozenset[Package]
    development_only: frozenset[Package]


def lockfiles(corpus: Path, name: str) -> list[str]:
    return sorted(str(p.relative_to(corpus)) for p in corpus.rglob(name) if str(p.relative_to(corpus)) not in BROKEN)


def corpus_paths(name: str) -> list[str]:
    """Lockfile paths for parametrize (a placeholder when the corpus is absent: the fixture skips then)."""
    from tests.conftest import CORPUS

    return lockfiles(CORPUS, name) if CORPUS.is_dir() else ["(no corpus)"]


LOCKFILES = [
    (relative, check)
    for relative in corpus_paths("pnpm-lock.yaml") + corpus_paths("bun.lock")
    for check in ("whole", "each project")
]


@pytest.mark.corpus
@pytest.mark.parametrize(("relative", "check"), LOCKFILES, ids=[f"{relative}-{check}" for relative, check in LOCKFILES])
def test_scan_agrees_with_an_independent_walk(corpus: Path, relative: str, check: str) -> None:
    lockfile = corpus / relative
    lock, inventory = read_and_scan(lockfile)
    if check == "whole":
        whole_lockfile(lockfile, lock, inventory)
    else:
        each_project(lockfile, lock, inventory)


@functools.lru_cache(maxsize=1)
def read_and_scan(lockfile: Path) -> tuple[Lock, Inventory]:
    """The lockfile read by this test, and scan() of its folder (both checks of one file share them)."""
    lock = read_bun(lockfile) if lockfile.name == "bun.lock" else read_pnpm(lockfile)
    return lock, scan([lockfile.parent], OPTIONS)


def whole_lockfile(lockfile: Path, lock: Lock, inventory: Inventory) -> None:
    """Runtime anywhere vs development-only everywhere, over every importer."""
    by_entry = verdict(lock, merged=False)
    by_package = verdict(lock, merged=True)
    found = scanned(inventory, lockfile.name)
    variants = by_package.runtime - by_entry.runtime
    print(
        f"{lockfile}: runtime {len(by_package.runtime)}, development-only {len(by_package.development_only)};"
        f" scan: runtime {len(found.runtime)}, development-only {len(found.development_only)};"
        f" runtime only because peer variants are merged: {sorted(variants)}"
    )
    assert found == by_package
    assert by_entry.runtime <= by_package.runtime and by_entry.development_only >= by_package.development_only
    assert by_package.runtime | by_package.development_only == by_entry.runtime | by_entry.development_only


def each_project(lockfile: Path, lock: Lock, inventory: Inventory) -> None:
    """Each importer that is a project of the scan, walked from its own roots only.

    resolve counts an importer whose folder holds no manifest (missing, excluded) for the
    lockfile's own project, so those roots join importer '.'.
    """
    projects = {project.path: project.id for project in inventory.projects if project.ecosystem is Ecosystem.NPM}
    importers = set(lock.runtime_roots) | set(lock.dev_roots)
    orphans = {importer for importer in importers if importer not in projects}
    wrong = []
    for importer in sorted(importers - orphans):
        walked_from = {importer} | (orphans if importer == "." else set())
        if scanned(inventory, lockfile.name, projects[importer]) != verdict(lock, True, walked_from):
            wrong.append(importer)
    print(f"{lockfile}: importers {len(importers)}, projects {len(importers - orphans)}, disagreeing {wrong}")
    shared = sorted(lock.linked & {package[0] for package in lock.package_of.values() if package})
    if wrong and shared:
        pytest.xfail(
            f"{len(wrong)} of {len(importers - orphans)} projects disagree: {len(shared)} workspace packages share"
            f" their name with a locked registry package (e.g. {shared[:3]}), so a workspace package's edges,"
            " which have no version, name no single (name, version) node and resolve drops them"
        )
    assert wrong == []


def scanned(inventory: Inventory, lockfile: str, project: str | None = None) -> Verdict:
    """Per package, what scan() concluded from the lockfile at the scan root (reached entries only)."""
    lifecycles: dict[Package, set[Lifecycle]] = defaultdict(set)
    for component in inventory.components:
        if component.ecosystem is not Ecosystem.NPM or component.version is None:
            continue
        for usage in component.usages:
            if usage.location.path != lockfile or usage.directness is Directness.UNKNOWN:
                continue
            if project in (None, usage.project):
                lifecycles[(component.name, component.version)].add(usage.lifecycle)
    runtime = frozenset(p for p, found in lifecycles.items() if Lifecycle.RUNTIME in found)
    dev = frozenset(p for p, found in lifecycles.items() if found == {Lifecycle.DEVELOPMENT})
    return Verdict(runtime, dev)


def verdict(lock: Lock, merged: bool, importers: set[str] | None = None) -> Verdict:
    """Breadth-first from each kind of root (of some importers, or all), over entries or (name, version) nodes."""
    if merged:
        node: Callable[[str], object] = lambda entry: lock.package_of.get(entry) or entry
    else:
        node = lambda entry: entry
    children: dict[object, set[object]] = defaultdict(set)
    for parent, found in lock.children.items():
        children[node(parent)].update(node(child) for child in found)
    def roots(sections: dict[str, list[str]]) -> list[object]:
        return [node(r) for folder, found in sections.items() if importers is None or folder in importers for r in found]

    runtime = reach(roots(lock.runtime_roots), children)
    dev = reach(roots(lock.dev_roots), children) - runtime
    return Verdict(packages(runtime, lock, merged), packages(dev, lock, merged))


def reach(roots: Iterable[object], children: dict[object, set[object]]) -> set[object]:
    seen: set[object] = set()
    queue = deque(roots)
    while queue:
        current = queue.popleft()
        if current not in seen:
            seen.add(current)
            queue.extend(children.get(current, ()))
    return seen


def packages(nodes: set[object], lock: Lock, merged: bool) -> frozenset[Package]:
    """The versioned packages among the nodes (links, importers and local directories left out)."""
    if merged:
        return frozenset(n for n in nodes if isinstance(n, tuple))
    return frozenset(p for n in nodes if (p := lock.package_of.get(str(n))) is not None)


# pnpm-lock.yaml


def read_pnpm(path: Path) -> Lock:
    """Every project document (pnpm 11's environment document skipped) as one graph."""
    lock = Lock()
    for document in yaml.safe_load_all(path.read_text()):
        if document and not _environment(document):
            _PnpmDocument(document, lock).read()
    return lock


def _environment(document: dict[str, Any]) -> bool:
    importers = document.get("importers") or {}
    sections = {key for body in importers.values() if isinstance(body, dict) for key in body}
    return bool(sections) and sections <= {"configDependencies", "packageManagerDependencies"}


class _PnpmDocument:
    def __init__(self, document: dict[str, Any], lock: Lock) -> None:
        self.document, self.lock = document, lock
        self.v9 = "snapshots" in document
        self.v5 = str(document.get("lockfileVersion", "")).startswith("5")
        self.entries: dict[str, dict[str, Any]] = {
            key: body or {} for key, body in (document.get("snapshots" if self.v9 else "packages") or {}).items()
        }
        if self.v9:  # a packages entry without any snapshot is still installed
            for key in document.get("packages") or {}:
                self.entries.setdefault(key, {})
        importers = document.get("importers")
        self.importers: dict[str, dict[str, Any]] = {".": document}  # a single-project 5.x/6.x file
        if isinstance(importers, dict):
            self.importers = {posixpath.normpath(k) if k else ".": v or {} for k, v in importers.items()}

    def read(self) -> None:
        for key, body in self.entries.items():
            self.lock.package_of[key] = self._package(key)
            for section in ("dependencies", "optionalDependencies"):
                for name, reference in (body.get(section) or {}).items():
                    self._edge(key, name, str(reference), ".")
        for folder, importer in self.importers.items():
            node = f"importer:{folder}"
            for section, roots in (
                ("dependencies", self.lock.runtime_roots),
                ("optionalDependencies", self.lock.runtime_roots),
                ("devDependencies", self.lock.dev_roots),
            ):
                for name, value in (importer.get(section) or {}).items():
                    reference = str(value.get("version") if isinstance(value, dict) else value)
                    child = self._resolve(name, reference, folder) or self._missing(name, reference)
                    if child is not None:
                        roots[folder].append(child)
                        if section != "devDependencies":  # what a package linking to this importer gets
                            self.lock.children[node].append(child)

    def _edge(self, parent: str, name: str, reference: str, base: str) -> None:
        child = self._resolve(name, reference, base)
        if child is not None:
            self.lock.children[parent].append(child)

    def _resolve(self, name: str, reference: str, base: str) -> str | None:
        if reference.startswith("link:"):
            self.lock.linked.add(name)
            return f"importer:{posixpath.normpath(posixpath.join(base, reference[5:]))}"
        if self.v9:
            spellings: tuple[str, ...] = (f"{name}@{reference}", reference)
        else:
            spellings = (f"/{name}/{reference}", f"/{name}@{reference}", reference, f"/{reference}")
        return next((key for key in spellings if key in self.entries), None)

    def _missing(self, name: str, reference: str) -> str | None:
        """A trimmed file's importer entry that no packages entry holds: still the version it pins."""
        version = reference.split("(", 1)[0].split("_", 1)[0]
        if not _VERSION.match(version):
            return None
        key = f"missing:{name}@{version}"
        self.lock.package_of[key] = (name, version)
        return key

    def _package(self, key: str) -> Package | None:
        base = key.split("(", 1)[0]
        fields = (self.document.get("packages") or {}).get(base) if self.v9 else self.entries[key]
        fields = fields or {}
        name, version = fields.get("name"), fields.get("version")
        if name is None or version is None:
            text = base.lstrip("/")
            if self.v5:  # `/name/1.0.0_peers`
                key_name, _, key_version = text.rpartition("/")
                key_version = key_version.split("_", 1)[0]
            else:  # `/name@1.0.0`, `name@1.0.0`
                key_name, _, key_version = text.rpartition("@")
            name, version = name or key_name, version or (key_version if _VERSION.match(key_version) else None)
        return (str(name), str(version)) if version is not None and _VERSION.match(str(version)) else None


# bun.lock


def read_bun(path: Path) -> Lock:
    document = json.loads(_without_jsonc(path.read_text()))
    lock = Lock()
    workspaces = {posixpath.normpath(k) if k else "": v for k, v in (document.get("workspaces") or {}).items()}
    entries = document.get("packages") or {}

    def find(candidates: list[str]) -> str | None:
        return next((c for c in candidates if c in entries), None)

    def workspace_deps(folder: str, sections: tuple[str, ...]) -> list[str]:
        ws = workspaces.get(folder) or {}
        prefixes = [p for p in (ws.get("name"), folder) if folder and p]
        found = []
        for section in sections:
            for name in ws.get(section) or {}:
                key = find([*(f"{prefix}/{name}" for prefix in prefixes), name])
                if key is not None:
                    found.append(key)
        return found

    installed = ("dependencies", "optionalDependencies", "peerDependencies")
    for folder in workspaces:
        lock.runtime_roots[folder or "."].extend(workspace_deps(folder, installed))
        lock.dev_roots[folder or "."].extend(workspace_deps(folder, ("devDependencies",)))
    for key, value in entries.items():
        ident = value[0]
        name, _, reference = ident[1:].partition("@")
        name = ident[0] + name
        if reference.startswith("workspace:"):
            folder = posixpath.normpath(reference[len("workspace:") :])
            version = (workspaces.get(folder) or {}).get("version")
            lock.children[key].extend(workspace_deps(folder, installed))
        else:
            version = reference if _VERSION.match(reference) else None
            info = next((item for item in value[1:] if isinstance(item, dict)), {})
            segments = _segments(key)
            for section in installed:
                for dep in info.get(section) or {}:
                    child = find(["/".join((*segments[:depth], dep)) for depth in range(len(segments), -1, -1)])
                    if child is not None:
                        lock.children[key].append(child)
        lock.package_of[key] = (name, version) if version and _VERSION.match(version) else None
    return lock


def _segments(key: str) -> list[str]:
    """`a/@s/b/c` -> [a, @s/b, c]."""
    parts, segments = key.split("/"), []
    while parts:
        head = parts.pop(0)
        segments.append(f"{head}/{parts.pop(0)}" if head.startswith("@") and parts else head)
    return segments


def _without_jsonc(text: str) -> str:
    """bun.lock's JSON with comments and trailing commas, as plain JSON (strings kept intact)."""
    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = index + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index : end + 1])
            index = end + 1
        elif text.startswith("//", index):
            found = text.find("\n", index)
            index = found if found >= 0 else length
        elif text.startswith("/*", index):
            index = text.index("*/", index) + 2
        elif char == ",":
            if _TRAILING.match(text, index + 1) is None:
                out.append(char)
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)
