"""Which old version of a package became which new one, when a side has several.

A monorepo can hold two versions of one package, and a change can move each of them.
For the versions only one side has (those on both sides did not change), pairs are
formed in two passes:

1. by project: an old version and a new one used by the same project are the same
   dependency moved (project A went from 1.0 to 3.0 while project B went from 2.0 to
   2.1: not 2.0 -> 3.0). Each old version, newest first, takes the new version that
   shares the most projects with it (the newest on a tie);
2. by rank: what is left pairs newest with newest, on the reasoning that the newest
   line is the one that is maintained and bumped, and old lines are the ones dropped.

The versions left over on the longer side are plain additions or removals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ospo_scan.diffing.model import ReportedComponent
from ospo_scan.diffing.versions import newest_first


@dataclass(frozen=True, slots=True, kw_only=True)
class Pairing:
    """The versions of one package that only one side has, matched up."""

    pairs: tuple[tuple[ReportedComponent, ReportedComponent], ...] = ()
    """(old, new): the same dependency at another version."""
    removed: tuple[ReportedComponent, ...] = ()
    added: tuple[ReportedComponent, ...] = ()


def pair_versions(old: Sequence[ReportedComponent], new: Sequence[ReportedComponent]) -> Pairing:
    """Match the old-only versions of one package with its new-only versions."""
    old_left, new_left = newest_first(old), newest_first(new)
    pairs = _pair_by_project(old_left, new_left)
    pairs += zip(old_left, new_left)
    return Pairing(
        pairs=tuple(pairs),
        removed=tuple(old_left[len(new_left):]),
        added=tuple(new_left[len(old_left):]),
    )


def _pair_by_project(old: list[ReportedComponent], new: list[ReportedComponent]) -> list[tuple[ReportedComponent, ReportedComponent]]:
    """Pairs sharing a project; the paired components are taken out of both lists."""
    pairs = []
    for before in list(old):
        shared = [(len(set(before.projects) & set(after.projects)), -rank, after) for rank, after in enumerate(new)]
        best = max(shared, key=lambda entry: entry[:2], default=None)
        if best is None or best[0] == 0:
            continue
        old.remove(before)
        new.remove(best[2])
        pairs.append((before, best[2]))
    return pairs
