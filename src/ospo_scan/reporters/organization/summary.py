"""The words the markdown and HTML organization reports share, so they say the same.

Values are not escaped here: each renderer escapes for its own medium.
"""

from __future__ import annotations

from ospo_scan.store.model import OrganizationOverview, SnapshotRecord


def summary_facts(overview: OrganizationOverview) -> list[tuple[str, str]]:
    """The summary as (name, value) lines: which snapshot, and how much is in it."""
    snapshot = overview.snapshot
    return [
        ("Snapshot", snapshot_name(snapshot)),
        ("Taken at", snapshot.taken_at),
        ("Repositories", str(snapshot.repositories)),
        ("Components", f"{snapshot.components} distinct third-party"),
        ("Gaps", str(total_gaps(overview))),
    ]


def snapshot_name(snapshot: SnapshotRecord) -> str:
    """`label (snapshot 12)`, or `snapshot 12` for a snapshot saved without a label."""
    return f"{snapshot.label} (snapshot {snapshot.id})" if snapshot.label else f"snapshot {snapshot.id}"


def trend_label(snapshot: SnapshotRecord) -> str:
    """How a trend table row or chart axis names a snapshot: its label, else its id."""
    return snapshot.label or f"snapshot {snapshot.id}"


def short_commit(commit: str | None) -> str:
    """The first 12 characters of a commit, as people quote them (the JSON has it all)."""
    return (commit or "")[:12]


def total_gaps(overview: OrganizationOverview) -> int:
    """Every gap of the latest snapshot (the sum over its codes)."""
    return sum(number for _, number in overview.gaps_by_code)
