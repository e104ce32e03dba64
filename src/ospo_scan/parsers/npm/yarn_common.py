"""What the two yarn.lock readers (v1 text, Berry YAML) share: the parser name and the merge rules.

Both flavours may state one package several times: v1 files edited by hand repeat an
entry, and Berry keeps a `patch:` entry beside the package it patches (same name and
version). The inventory wants one DeclaredPackage per (name, version) per file, so the
readers build one per entry and `merge_packages` folds them, keeping every fact.

Both also state the same kind of graph: no roots (neither flavour records which section
of which package.json a dependency came from), edges with their kinds, and `resolutions`
from the descriptors of each entry's key to the version it locks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ospo_scan.excerpt import shorten
from ospo_scan.parsers.base import DeclaredEdge, DeclaredPackage

PARSER_NAME = "yarn-lock"


def merge_packages(packages: Iterable[DeclaredPackage]) -> list[DeclaredPackage]:
    """One package per (name, version), in file order; repeats add their facts to the first.

    First party when any repeat is; notes are all kept. The first line and key win (the
    earliest entry).
    """
    merged: dict[tuple[str, str | None], DeclaredPackage] = {}
    for package in packages:
        key = (package.name, package.version)
        kept = merged.get(key)
        merged[key] = package if kept is None else _combine(kept, package)
    return list(merged.values())


def _combine(kept: DeclaredPackage, other: DeclaredPackage) -> DeclaredPackage:
    """Fold a repeated (name, version) into the one already kept."""
    return replace(
        kept,
        first_party=kept.first_party or other.first_party,
        source_url=kept.source_url or other.source_url,
        note=_join_notes(kept.note, other.note),
    )


def _join_notes(first: str | None, second: str | None) -> str | None:
    """Both notes, once each, in order."""
    notes = [note for note in (first, second) if note]
    return "; ".join(dict.fromkeys(notes)) or None


def unique_edges(edges: Iterable[DeclaredEdge]) -> list[DeclaredEdge]:
    """Edges in file order without repeats (a patch entry repeats its original's) or self-loops."""
    kept = (edge for edge in edges if (edge.parent, edge.parent_version) != (edge.child, edge.child_version))
    return list(dict.fromkeys(kept))


def add_resolution(resolutions: dict[tuple[str, str], str], name: str, requirement: str, version: str) -> None:
    """File `name@requirement` -> `version`; the first entry that states a descriptor wins (as for edges)."""
    resolutions.setdefault((name, requirement), version)


_KEY_LIMIT = 120
"""Characters of an entry's key a key path shows: a hostile file may hold a key of megabytes."""


def entry_key_path(key: str) -> str:
    """How issues name an entry: its key as the file writes it, e.g. `["a@^1, a@^1.2"]`."""
    return f'["{shorten(key, _KEY_LIMIT)}"]'


