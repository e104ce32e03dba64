"""The oracle: every package-lock.json / npm-shrinkwrap.json of the corpus, scanned, against npm ls.

For each lockfile, its folder is copied to a temporary place (the lockfile, the
package.json beside it, and the package.json of every workspace folder the lockfile
lists: copied when the corpus has it, else written from the lockfile's own entry for
that folder, which is what npm would find there). Then:

- `npm ls --all --package-lock-only --json --long` lists every package npm's tree holds;
  the scan of that folder (`ospo_scan.scan.scan`, the public API) must give exactly
  these third-party components (name as the package spells it, version);
- `npm ls ... --omit=dev` lists what a production install keeps (npm drops the root's
  and the workspaces' devDependencies and everything only they reach); the components
  with a RUNTIME usage must be exactly these.

When npm ls exits with problems (missing, invalid: a stale lockfile) the tree it printed
is still the reference and the test says so; a file npm cannot read at all is skipped
with npm's reason. No network: see tests/parsers/npm/npm_cli.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.model import Ecosystem, Lifecycle
from ospo_scan.scan import scan
from tests.conftest import CORPUS
from ospo_scan.parsers.npm.package_lock import parse_package_lock
from ospo_scan.reading import SandboxReader
from tests.parsers.npm.npm_cli import NPM, NpmLs, installed, npm_graph, npm_ls

LOCK_NAMES = ("package-lock.json", "npm-shrinkwrap.json")
MANIFEST_FIELDS = (
    "name",
    "version",
    "license",
    "workspaces",
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
)
"""What a lockfile's folder entry keeps of its package.json (enough for npm to rebuild it)."""

Ident = tuple[str, "str | None"]


def corpus_lockfiles() -> list[str]:
    """Every lockfile of the corpus by name (peers' fixtures included), relative to the corpus."""
    if not CORPUS.is_dir():
        return []
    return sorted(path.relative_to(CORPUS).as_posix() for name in LOCK_NAMES for path in CORPUS.rglob(name))


@dataclass(slots=True)
class Reference:
    """npm's answer for one lockfile, and where the copy it was computed on lives."""

    folder: Path
    full: set[Ident] | None = None
    production: set[Ident] | None = None
    direct: set[Ident] = field(default_factory=set)
    """What the root declares, as npm resolved it."""
    edges: set[tuple[str, str, str, str]] = field(default_factory=set)
    """Every dependency edge of npm's tree (parent name, version, child name, version)."""
    skip: str | None = None
    """Why npm could not read the file at all."""
    notes: list[str] = field(default_factory=list)
    """What npm complained about while still printing a tree."""


def copy_project(lockfile: Path, into: Path) -> Path:
    """The lockfile's folder as npm needs it: lockfile, package.json, workspace members' package.json."""
    folder = into / "project"  # one level down, so that a `../x` folder entry stays inside `into`
    folder.mkdir(parents=True)
    shutil.copy(lockfile, folder / lockfile.name)
    if (lockfile.parent / "package.json").is_file():
        shutil.copy(lockfile.parent / "package.json", folder / "package.json")
    try:
        document = json.loads(lockfile.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return folder
    packages = document.get("packages") if isinstance(document, dict) else None
    for path, entry in _member_folders(packages if isinstance(packages, dict) else {}).items():
        target = folder / path / "package.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        if (lockfile.parent / path / "package.json").is_file():
            shutil.copy(lockfile.parent / path / "package.json", target)
        else:
            target.write_text(json.dumps(entry, indent=2), encoding="utf-8")
    return folder


def _member_folders(packages: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Folder entries inside the lockfile's folder -> the package.json the lockfile implies."""
    link_names = {
        entry["resolved"]: path.rsplit("node_modules/", 1)[1]
        for path, entry in packages.items()
        if isinstance(entry, dict) and entry.get("link") is True and isinstance(entry.get("resolved"), str)
    }
    members: dict[str, dict[str, Any]] = {}
    for path, entry in packages.items():
        if not path or not isinstance(entry, dict) or entry.get("link") is True:
            continue
        if path.startswith(("node_modules/", "../")) or "/node_modules/" in path or path == "..":
            continue
        manifest = {key: entry[key] for key in MANIFEST_FIELDS if key in entry}
        if "name" not in manifest and path in link_names:
            manifest["name"] = link_names[path]
        members[path] = manifest
    return members


def reference_for(folder: Path) -> Reference:
    """Run npm ls twice on the prepared copy of a lockfile's folder and read what it printed."""
    full, production = npm_ls(folder), npm_ls(folder, "--omit=dev")
    reference = Reference(folder=folder)
    unread = [run for run in (full, production) if run.tree is None or not set(run.tree) - {"error"}]
    if unread:
        reference.skip = f"npm cannot read this lockfile at all: {_first_error(unread[0])}"
        return reference
    reference.full, reference.production = installed(full.tree), installed(production.tree)
    reference.direct, reference.edges = npm_graph(full.tree)
    if not reference.full and _version_1_without_manifest(folder):
        reference.skip = (
            "a version 1 lockfile without its package.json: npm ls builds no tree "
            "from it (it prints no package at all), so npm gives nothing to compare with"
        )
    for label, run in (("npm ls", full), ("npm ls --omit=dev", production)):
        if run.returncode != 0:
            reference.notes.append(
                f"{label} exited {run.returncode} ({'; '.join(run.problems[:5]) or _first_error(run)}): "
                "compared with the tree it printed"
            )
    return reference


def _version_1_without_manifest(folder: Path) -> bool:
    """A lockfile with only the nested v1 `dependencies` tree, and no package.json beside it."""
    if (folder / "package.json").exists():
        return False
    for name in LOCK_NAMES:
        if (folder / name).is_file():
            document = json.loads((folder / name).read_text(encoding="utf-8"))
            return isinstance(document, dict) and "packages" not in document
    return False


def digest(folder: Path) -> str:
    """Identical copies (several samples share one lockfile) are asked of npm once."""
    hashed = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hashed.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def _first_error(run: NpmLs) -> str:
    error = (run.tree or {}).get("error")
    if isinstance(error, dict):
        detail = str(error.get("detail") or "").strip().splitlines()
        return f"{error.get('code')}: {error.get('summary')}" + (f" ({detail[-1]})" if detail else "")
    lines = [line for line in run.stderr.splitlines() if line.startswith("npm error") and "log of this run" not in line]
    return " / ".join(line.removeprefix("npm error ").strip() for line in lines[:3]) or f"exit {run.returncode}"


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    """npm's answer for every corpus lockfile, computed up front a few at a time (npm ls is slow to start)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (real-world corpus tests)")
    folders = {relative: copy_project(CORPUS / relative, tmp_path_factory.mktemp("npm-ls")) for relative in corpus_lockfiles()}
    unique = {digest(folder): folder for folder in folders.values()}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        answers = dict(zip(unique, pool.map(reference_for, unique.values())))
    found = {}
    for relative, folder in folders.items():
        answer = answers[digest(folder)]
        found[relative] = replace(answer, folder=folder)
    return found


def third_party(folder: Path) -> tuple[set[Ident], set[Ident]]:
    """(every third-party npm component, those with a RUNTIME usage) of a scan of `folder`."""
    inventory = scan([folder])
    components = [c for c in inventory.components if c.ecosystem is Ecosystem.NPM and not c.first_party]
    everything = {(c.name, c.version) for c in components}
    runtime = {(c.name, c.version) for c in components if any(u.lifecycle is Lifecycle.RUNTIME for u in c.usages)}
    return everything, runtime


def difference(label: str, ours: set[Ident], npm: set[Ident], notes: list[str]) -> str:
    extra, missing = sorted(ours - npm, key=str), sorted(npm - ours, key=str)
    lines = [f"{label}: {len(ours & npm)} agree, {len(extra)} only in the scan, {len(missing)} only in npm ls"]
    lines += [f"  only in the scan: {extra[:15]}", f"  only in npm ls: {missing[:15]}", *notes]
    return "\n".join(lines)


@pytest.mark.corpus
@pytest.mark.skipif(NPM is None, reason="npm is not on PATH: the oracle is npm's own reading of the lockfile")
@pytest.mark.parametrize("relative", corpus_lockfiles())
def test_scan_of_a_corpus_lockfile_agrees_with_npm_ls(references: dict[str, Reference], relative: str) -> None:
    reference = references[relative]
    if reference.skip:
        pytest.skip(reference.skip)
    assert reference.full is not None and reference.production is not None
    everything, runtime = third_party(reference.folder)
    assert everything == reference.full, difference("every package", everything, reference.full, reference.notes)
    assert runtime == reference.production, difference(
        "runtime (npm ls --omit=dev)", runtime, reference.production, reference.notes
    )


@pytest.mark.corpus
@pytest.mark.skipif(NPM is None, reason="npm is not on PATH: the oracle is npm's own reading of the lockfile")
@pytest.mark.parametrize("relative", corpus_lockfiles())
def test_parser_roots_and_edges_agree_with_npm_ls(references: dict[str, Reference], relative: str) -> None:
    """The parser alone: the root's direct packages are npm's, and every edge npm's tree has is stated."""
    reference = references[relative]
    if reference.skip:
        pytest.skip(reference.skip)
    reader = SandboxReader(reference.folder)
    result = parse_package_lock(reader.read(Path(relative).name), reader)
    stated = {(e.parent, e.parent_version, e.child, e.child_version) for e in result.edges}
    assert reference.edges <= stated, sorted(reference.edges - stated, key=str)[:15]
    if "packages" in json.loads((CORPUS / relative).read_text(encoding="utf-8")):  # v1 records no root sections
        assert {(r.name, r.version) for r in result.roots if r.importer == "." and r.version} == reference.direct
