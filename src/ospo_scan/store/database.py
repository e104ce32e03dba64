"""The store over any DB-API connection: the SQL both backends share.

Statements are written once with `?` placeholders; a Dialect turns them into the
backend's own style and says how a write transaction begins. Each backend (sqlite.py,
postgres.py) only opens the connection, names itself and guards its migrations; the
answers (organization.py) and the snapshot document (document.py) read through
`rows`, so they never see which database they run on.

The connection runs in autocommit mode and transactions are begun by hand: then a
write is exactly the statements between BEGIN and COMMIT, and every read statement
sees only committed snapshots (a snapshot is written whole or not at all).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from ospo_scan.store import document, organization
from ospo_scan.store.errors import StoreError
from ospo_scan.store.ingest import purl_parts
from ospo_scan.store.interface import InventoryStore, SnapshotWriter
from ospo_scan.store.model import (
    OrganizationCritical,
    OrganizationOverview,
    RepositoryScan,
    RepositoryUse,
    SnapshotRecord,
    StoredComponent,
    VersionSkew,
)
from ospo_scan.store.query import PackageQuery
from ospo_scan.store.schema import LATEST_VERSION, VERSION_TABLE, pending


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialect:
    """What differs between the backends' SQL."""

    placeholder: str
    """`?` (sqlite3) or `%s` (psycopg)."""
    id_column: str
    """An auto-numbered primary key column type."""
    begin_write: tuple[str, ...]
    """Statements that open a write transaction (and take whatever lock it needs)."""

    def sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)


class DatabaseStore(InventoryStore):
    """An InventoryStore over one open connection in autocommit mode."""

    def __init__(self, connection: Any, dialect: Dialect, display_name: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self.display_name = display_name

    # --- plumbing -------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query (the store's errors name the database)."""
        cursor = self.execute(sql, params)
        return list(cursor.fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            cursor = self.connection.cursor()
            cursor.execute(self.dialect.sql(sql), tuple(params))
            return cursor
        except self.database_errors() as error:
            raise StoreError(f"{self.display_name}: {self.describe(error)}") from error

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement over many parameter rows: one round trip per batch, not per row."""
        if not rows:
            return
        try:
            self.connection.cursor().executemany(self.dialect.sql(sql), [tuple(row) for row in rows])
        except self.database_errors() as error:
            raise StoreError(f"{self.display_name}: {self.describe(error)}") from error

    def database_errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes that become a StoreError."""
        raise NotImplementedError

    def describe(self, error: BaseException) -> str:
        return str(error).strip() or type(error).__name__

    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction (see transaction_with), begun as the dialect writes."""
        return self.transaction_with(self.dialect.begin_write)

    @contextmanager
    def transaction_with(self, begin: Sequence[str]) -> Iterator[None]:
        """A transaction opened by `begin`: committed on normal exit, rolled back on anything
        else (KeyboardInterrupt and SystemExit included: BaseException, not Exception)."""
        self.execute(begin[0])
        try:
            for statement in begin[1:]:
                self.execute(statement)
            yield
            self.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            self.connection.cursor().execute("ROLLBACK")
        except self.database_errors():  # the connection may already be gone; the server rolls back then
            pass

    def migrate(self) -> None:
        """Apply the missing migrations in one transaction (the caller holds any lock needed)."""
        self.execute(VERSION_TABLE)
        found = self.rows("SELECT version FROM schema_version")
        current = int(found[0][0]) if found else 0
        if current > LATEST_VERSION:
            raise StoreError(f"{self.display_name}: schema version {current} is newer than this ospo-scan knows ({LATEST_VERSION}): upgrade ospo-scan")
        for migration in pending(current):
            for statement in migration.statements:
                self.execute(statement.replace("{id}", self.dialect.id_column))
        if current == 0:
            self.execute("INSERT INTO schema_version (version) VALUES (?)", (LATEST_VERSION,))
        elif current < LATEST_VERSION:
            self.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION,))

    def schema_version(self) -> int:
        found = self.rows("SELECT version FROM schema_version")
        return int(found[0][0]) if found else 0

    # --- snapshots ------------------------------------------------------------------

    @contextmanager
    def write_snapshot(self, label: str | None, taken_at: str, *, join: bool = False) -> Iterator[SnapshotWriter]:
        if join and not label:
            raise StoreError(f"{self.display_name}: joining a snapshot needs its label")
        with self.transaction():
            joined = self.rows("SELECT MAX(id) FROM snapshots WHERE label = ?", (label,)) if join else []
            if joined and joined[0][0] is not None:
                snapshot_id = int(joined[0][0])
            else:
                snapshot_id = int(self.rows("INSERT INTO snapshots (label, taken_at) VALUES (?, ?) RETURNING id", (label, taken_at))[0][0])
            writer = _Writer(self, snapshot_id, replace=join)
            yield writer
            writer.record = self._records(snapshot_id)[0]

    def snapshots(self) -> list[SnapshotRecord]:
        return self._records(None)

    def snapshot(self, ref: str) -> SnapshotRecord:
        ref = ref.strip()
        if ref == "latest":
            found = self.rows("SELECT MAX(id) FROM snapshots")
        elif ref.isdigit():
            found = self.rows("SELECT id FROM snapshots WHERE id = ?", (int(ref),)) if len(ref) < 19 else []
        else:
            found = self.rows("SELECT MAX(id) FROM snapshots WHERE label = ?", (ref,))
        if not found or found[0][0] is None:
            what = "no snapshot has been saved" if ref == "latest" else f"no snapshot {ref!r} (give latest, an id or a label)"
            raise StoreError(f"{self.display_name}: {what}")
        return self._records(int(found[0][0]))[0]

    def _records(self, snapshot_id: int | None) -> list[SnapshotRecord]:
        where, params = ("WHERE s.id = ?", (snapshot_id,)) if snapshot_id is not None else ("", ())
        found = self.rows(
            f"""SELECT s.id, s.label, s.taken_at,
                (SELECT COUNT(DISTINCT r.repository) FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id
                 WHERE ss.snapshot_id = s.id),
                (SELECT COUNT(DISTINCT c.purl) FROM snapshot_scans ss JOIN components c ON c.scan_id = ss.scan_id
                 WHERE ss.snapshot_id = s.id AND c.first_party = 0)
            FROM snapshots s {where} ORDER BY s.id""",
            params,
        )
        return [SnapshotRecord(id=int(i), label=label, taken_at=taken, repositories=int(repos), components=int(comps)) for i, label, taken, repos, comps in found]

    def _existing(self, snapshot_id: int) -> None:
        self.snapshot(str(snapshot_id))

    # --- answers --------------------------------------------------------------------

    def snapshot_document(self, snapshot_id: int) -> dict[str, Any]:
        self._existing(snapshot_id)
        return document.snapshot_document(self.rows, snapshot_id)

    def repositories_using(self, snapshot_id: int, query: PackageQuery) -> list[RepositoryUse]:
        self._existing(snapshot_id)
        return organization.repositories_using(self.rows, snapshot_id, query)

    def repositories_with_license(self, snapshot_id: int, license_or_category: str) -> list[RepositoryUse]:
        self._existing(snapshot_id)
        return organization.repositories_with_license(self.rows, snapshot_id, license_or_category)

    def critical_projects(self, snapshot_id: int, limit: int | None = 10) -> list[OrganizationCritical]:
        self._existing(snapshot_id)
        return organization.critical_projects(self.rows, snapshot_id, limit)

    def version_skew(self, snapshot_id: int, min_versions: int = 2, package: str | None = None) -> list[VersionSkew]:
        self._existing(snapshot_id)
        try:
            query = PackageQuery.parse(package) if package is not None else None
        except ValueError as error:
            raise StoreError(f"{self.display_name}: {error}") from None
        return organization.version_skew(self.rows, snapshot_id, min_versions, query)

    def profiles(self, snapshot_id: int) -> dict[str, str]:
        self._existing(snapshot_id)
        found = self.rows(
            """SELECT r.repository, p.profile FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id
               JOIN repository_profiles p ON p.scan_id = r.id WHERE ss.snapshot_id = ? ORDER BY r.repository""",
            (snapshot_id,),
        )
        return {str(repository): str(profile) for repository, profile in found}

    def overview(self, snapshot_id: int) -> OrganizationOverview:
        record = self.snapshot(str(snapshot_id))
        history = [r for r in self.snapshots() if r.id <= snapshot_id]
        return organization.overview(self.rows, record, history)

    def close(self) -> None:
        try:
            self.connection.close()
        except self.database_errors():  # closing a broken connection: nothing left to release
            pass


class _Writer(SnapshotWriter):
    """Adds scans to the snapshot being written (inside the store's open transaction)."""

    def __init__(self, store: DatabaseStore, snapshot_id: int, *, replace: bool = False) -> None:
        self.store = store
        self.snapshot_id = snapshot_id
        self.replace = replace
        """A joined snapshot: a repository's earlier scan in it gives way to the new one."""
        self.added: set[str] = set()
        """Repositories added by this writer: twice in one write is still an error."""

    def add(self, scan: RepositoryScan) -> bool:
        store = self.store
        commit_key = scan.commit or ""
        inserted = store.rows(
            """INSERT INTO repository_scans (repository, commit_id, commit_key, branch, digest, tool_version, status, has_policy)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repository, commit_key, digest) DO NOTHING RETURNING id""",
            (scan.repository, scan.commit, commit_key, scan.branch, scan.digest, scan.tool_version, scan.status, int(scan.has_policy)),
        )
        if inserted:
            scan_id = int(inserted[0][0])
            _insert_content(store, scan_id, scan)
        else:
            scan_id = int(store.rows(
                "SELECT id FROM repository_scans WHERE repository = ? AND commit_key = ? AND digest = ?", (scan.repository, commit_key, scan.digest)
            )[0][0])
        other = store.rows(
            """SELECT r.id FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id
               WHERE ss.snapshot_id = ? AND r.repository = ? AND r.id <> ?""",
            (self.snapshot_id, scan.repository, scan_id),
        )
        if other and (not self.replace or scan.repository in self.added):
            raise StoreError(f"{store.display_name}: repository {scan.repository!r} is already in this snapshot with another scan: a snapshot holds one scan per repository")
        for (earlier,) in other:
            store.execute("DELETE FROM snapshot_scans WHERE snapshot_id = ? AND scan_id = ?", (self.snapshot_id, int(earlier)))
        self.added.add(scan.repository)
        if scan.profile is not None:  # a scan first imported (no profile) gains the one a save made
            store.execute("INSERT INTO repository_profiles (scan_id, profile) VALUES (?, ?) ON CONFLICT (scan_id) DO NOTHING", (scan_id, scan.profile))
        store.execute("INSERT INTO snapshot_scans (snapshot_id, scan_id) VALUES (?, ?) ON CONFLICT DO NOTHING", (self.snapshot_id, scan_id))
        return bool(inserted)


def _insert_content(store: DatabaseStore, scan_id: int, scan: RepositoryScan) -> None:
    """Projects, components with their usages, gaps and violations of a new scan.

    Each table is written with one executemany. The usages need their component's id:
    the components are read back by id order, which is their insertion order on both
    backends (SQLite numbers rows max+1 under the write lock, a PostgreSQL sequence
    hands one session increasing values), so the n-th id is the n-th component.
    """
    store.execute_many(
        "INSERT INTO projects (scan_id, project, name, ecosystem, path, license) VALUES (?, ?, ?, ?, ?, ?)",
        [(scan_id, p.id, p.name, p.ecosystem, p.path, p.license) for p in scan.projects],
    )
    store.execute_many(
        """INSERT INTO components (scan_id, purl, ecosystem, namespace, purl_name, name, version, license, license_key, category, first_party, direct)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [_component_row(store, scan_id, scan, component) for component in scan.components],
    )
    ids = [int(row[0]) for row in store.rows("SELECT id FROM components WHERE scan_id = ? ORDER BY id", (scan_id,))]
    store.execute_many(
        "INSERT INTO usages (component_id, project, lifecycle, directness) VALUES (?, ?, ?, ?)",
        [(component_id, u.project, u.lifecycle, u.directness) for component_id, component in zip(ids, scan.components, strict=True) for u in component.usages],
    )
    store.execute_many(
        "INSERT INTO gaps (scan_id, code, severity, message, component, project, path, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(scan_id, g.code, g.severity, g.message, g.component, g.project, g.path, g.line) for g in scan.gaps],
    )
    store.execute_many(
        "INSERT INTO violations (scan_id, fingerprint, rule, severity, message, component, package, project, path, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(scan_id, v.fingerprint, v.rule, v.severity, v.message, v.component, v.package, v.project, v.path, v.line) for v in scan.violations],
    )


def _component_row(store: DatabaseStore, scan_id: int, scan: RepositoryScan, component: StoredComponent) -> tuple[Any, ...]:
    try:
        namespace, purl_name = purl_parts(component.purl)
    except ValueError as error:
        raise StoreError(f"{store.display_name}: {scan.repository}: {component.purl!r} is not a package URL ({error})") from None
    direct = any(u.directness == "direct" for u in component.usages)
    license_key = component.license.lower() if component.license else None
    return (scan_id, component.purl, component.ecosystem, namespace, purl_name, component.name, component.version, component.license,
            license_key, component.category.lower(), int(component.first_party), int(direct))
