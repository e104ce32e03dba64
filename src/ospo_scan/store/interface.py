"""What an organization inventory store is, whatever database keeps it.

One abstract base class (InventoryStore), one writer protocol (SnapshotWriter) and one
exception (StoreError); SQLite and PostgreSQL are implementations beside it
(sqlite.py, postgres.py) that share their SQL (database.py). The CLI codes against
this module only, and `open_store` is the one place that picks a backend, so psycopg
is imported only when a PostgreSQL URL is given.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

from ospo_scan.store.model import (
    OrganizationCritical,
    OrganizationOverview,
    RepositoryScan,
    RepositoryUse,
    SnapshotRecord,
    VersionSkew,
)
from ospo_scan.store.errors import StoreError
from ospo_scan.store.query import PackageQuery

__all__ = ["InventoryStore", "SnapshotWriter", "StoreError", "open_store"]


class SnapshotWriter(ABC):
    """The open transaction of one snapshot: scans are added to it one at a time."""

    record: SnapshotRecord
    """Set once the snapshot is committed (after the `write_snapshot` block exits normally)."""

    @abstractmethod
    def add(self, scan: RepositoryScan) -> bool:
        """Put `scan` in the snapshot: True when it was stored now, False when an identical
        scan (repository, commit, digest) was already stored (the snapshot points at it)."""


class InventoryStore(ABC):
    """Snapshots of repository scans and the organization-wide answers over them."""

    display_name: str
    """How errors name this database: a SQLite path, or a PostgreSQL URL without its password."""

    @abstractmethod
    def write_snapshot(self, label: str | None, taken_at: str, *, join: bool = False) -> AbstractContextManager[SnapshotWriter]:
        """One transaction: committed when the block exits normally, rolled back on any
        exception (KeyboardInterrupt included), leaving the database as it was.

        `join`: add to the newest snapshot with `label` (made when there is none) instead
        of starting a new one; a repository already in it has its earlier scan replaced.
        The snapshot is looked up inside the write lock, so many CI jobs joining one
        label at once all land in the same snapshot."""

    @abstractmethod
    def snapshots(self) -> list[SnapshotRecord]:
        """Every snapshot, oldest first."""

    @abstractmethod
    def snapshot(self, ref: str) -> SnapshotRecord:
        """`latest`, a numeric id, or a label (the newest snapshot with it); StoreError when none."""

    @abstractmethod
    def snapshot_document(self, snapshot_id: int) -> dict[str, Any]:
        """The snapshot as a JSON report document (`read_report` reads it, `compare` diffs it)."""

    @abstractmethod
    def repositories_using(self, snapshot_id: int, query: PackageQuery) -> list[RepositoryUse]:
        """Every repository of the snapshot with a component the query matches."""

    @abstractmethod
    def repositories_with_license(self, snapshot_id: int, license_or_category: str) -> list[RepositoryUse]:
        """Components under an SPDX license (or containing it), or of a license category."""

    @abstractmethod
    def critical_projects(self, snapshot_id: int, limit: int | None = 10) -> list[OrganizationCritical]:
        """Upstream projects ranked by criticality across the snapshot's repositories."""

    @abstractmethod
    def version_skew(self, snapshot_id: int, min_versions: int = 2, package: str | None = None) -> list[VersionSkew]:
        """Packages in use at `min_versions` or more versions across the repositories."""

    @abstractmethod
    def profiles(self, snapshot_id: int) -> dict[str, str]:
        """Repository name -> its stored assessment profile (JSON), for the scans that have one."""

    @abstractmethod
    def overview(self, snapshot_id: int) -> OrganizationOverview:
        """Everything the organization report shows, trends up to this snapshot."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> InventoryStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(db: str) -> InventoryStore:
    """A PostgreSQL store for a `postgresql://` or `postgres://` URL, else a SQLite file
    (created when absent; its folder must exist). Missing migrations are applied."""
    if db.startswith(POSTGRES_SCHEMES):
        from ospo_scan.store.postgres import PostgresStore  # psycopg only when asked for

        return PostgresStore.open(db)
    from ospo_scan.store.sqlite import SqliteStore

    return SqliteStore.open(Path(db))


def chunked(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """`items` in pieces small enough for one IN (...) list on either backend."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
