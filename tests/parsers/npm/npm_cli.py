"""npm's own reading of a lockfile, as the reference the package-lock tests compare with.

`npm ls --all --json --long --package-lock-only` builds npm's virtual tree from the
lockfile (and the package.json files beside it) without touching node_modules or the
network. To make sure nothing is ever fetched should that change, every run gets an
empty user and global config, a fresh cache folder, `offline=true` and a registry on a
closed local port.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.model import Lifecycle

NPM = shutil.which("npm")


@dataclass(frozen=True, slots=True)
class NpmLs:
    """What one `npm ls` run printed."""

    tree: dict[str, Any] | None
    """The JSON tree, None when npm printed nothing readable."""
    returncode: int
    stderr: str

    @property
    def problems(self) -> list[str]:
        """npm's own complaints (missing, invalid, extraneous), when it printed a tree."""
        return list((self.tree or {}).get("problems") or [])


def npm_ls(directory: Path, *options: str) -> NpmLs:
    """Run `npm ls` in `directory` (which must hold the lockfile) with `options` added."""
    private = directory.parent / f".npm-{directory.name}"
    private.mkdir(exist_ok=True)
    (private / "userconfig").write_text("", encoding="utf-8")
    (private / "globalconfig").write_text("", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith("npm_")}
    environment.pop("NODE_ENV", None)  # NODE_ENV=production would make npm omit dev by default
    environment.update(
        {
            "npm_config_cache": str(private / "cache"),
            "npm_config_userconfig": str(private / "userconfig"),
            "npm_config_globalconfig": str(private / "globalconfig"),
            "npm_config_offline": "true",
            "npm_config_registry": "http://127.0.0.1:9/",
            "npm_config_update_notifier": "false",
            "npm_config_audit": "false",
            "npm_config_fund": "false",
        }
    )
    command = [NPM or "npm", "ls", "--all", "--json", "--long", "--package-lock-only", *options]
    completed = subprocess.run(
        command, cwd=directory, env=environment, capture_output=True, text=True, timeout=600, check=False
    )
    try:
        tree = json.loads(completed.stdout) if completed.stdout.strip() else None
    except json.JSONDecodeError:
        tree = None
    return NpmLs(tree=tree if isinstance(tree, dict) else None, returncode=completed.returncode, stderr=completed.stderr)


def ls_nodes(tree: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """(parent, key, node) for every installed node of npm's tree (missing ones left out)."""
    stack = [tree]
    while stack:
        parent = stack.pop()
        for key, node in (parent.get("dependencies") or {}).items():
            if isinstance(node, dict) and "version" in node and not node.get("missing"):
                yield parent, key, node
                stack.append(node)


def node_name(key: str, node: dict[str, Any]) -> str:
    """With --long, npm prints the package's own name (an alias folder's real package)."""
    name = node.get("name")
    return name if isinstance(name, str) and name else key


def is_local(node: dict[str, Any]) -> bool:
    """A link to a folder of the project (workspace, `file:` folder) or a `file:` tarball."""
    resolved = node.get("resolved")
    return isinstance(resolved, str) and resolved.startswith("file:")


def installed(tree: dict[str, Any]) -> set[tuple[str, str]]:
    """(name, version) of every third-party package npm's tree holds.

    npm prints a node seen before as a short "deduped" copy without `resolved`, so a
    local node is recognized by its install path, which every copy carries.
    """
    nodes = list(ls_nodes(tree))
    local = {node.get("path") for _, _, node in nodes if is_local(node)}
    return {(node_name(key, node), node["version"]) for _, key, node in nodes if node.get("path") not in local}


def npm_graph(tree: dict[str, Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str, str, str]]]:
    """npm's tree -> the root's direct packages and the dependency edges.

    npm ls also prints, under a node, extraneous children it does not depend on, so a
    child counts only when the parent declares it (`_dependencies` = dependencies and
    optionalDependencies, `peerDependencies`, and for the root and the project's own
    folders, whose dev dependencies npm installs, `devDependencies`).
    """
    direct: set[tuple[str, str]] = set()
    found: set[tuple[str, str, str, str]] = set()
    for parent, key, node in ls_nodes(tree):
        declared = {*(parent.get("_dependencies") or {}), *(parent.get("peerDependencies") or {})}
        if parent is tree or (is_local(parent) and not str(parent.get("resolved")).endswith(".tgz")):
            declared |= set(parent.get("devDependencies") or {})
        if key not in declared:
            continue
        if parent is tree:
            direct.add((node_name(key, node), node["version"]))
        else:
            found.add((parent["name"], parent["version"], node_name(key, node), node["version"]))
    return direct, found


def npm_flags(tree: dict[str, Any]) -> dict[tuple[str, str], tuple[Lifecycle, bool, bool]]:
    """npm's own conclusion for each package, read from the flags it wrote into the lockfile.

    dev -> development; optional -> runtime, optional; dev and optional -> development,
    optional; devOptional (some paths dev, the others optional) -> runtime, optional; peer.
    """
    found = {}
    for _, key, node in ls_nodes(tree):
        lifecycle = Lifecycle.DEVELOPMENT if node.get("dev") else Lifecycle.RUNTIME
        optional = bool(node.get("optional") or node.get("devOptional"))
        found[(node_name(key, node), node["version"])] = (lifecycle, optional, bool(node.get("peer")))
    return found
