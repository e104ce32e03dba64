"""The store in one SQLite file: for one machine, a laptop or a CI job.

WAL journaling lets readers go on while a snapshot is written; a write takes the
database's write lock at its start (`BEGIN IMMEDIATE`), so two writers queue instead of
failing half-way, and wait up to BUSY_TIMEOUT for each other. Foreign keys are on, so
a bug that would orphan a row fails instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ospo_scan.store.database import DatabaseStore, Dialect
from ospo_scan.store.errors import StoreError

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another one before giving up (milliseconds)."""

DIALECT = Dialect(placeholder="?", id_column="INTEGER PRIMARY KEY", begin_write=("BEGIN IMMEDIATE",))


class SqliteStore(DatabaseStore):
    """An InventoryStore in a SQLite file."""

    @classmethod
    def open(cls, path: Path) -> SqliteStore:
        """Open (creating when absent) the database at `path` and migrate it."""
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: not a file")
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot open: {error}") from None
        store = cls(connection, DIALECT, str(path))
        try:
            store.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            store.execute("PRAGMA foreign_keys = ON")
            store.execute("PRAGMA journal_mode = WAL")
            with store.transaction():
                store.migrate()
        except BaseException:
            connection.close()
            raise
        return store

    def database_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.Error,)

    def describe(self, error: BaseException) -> str:
        text = str(error)
        if "file is not a database" in text:
            return "not a SQLite database (or an encrypted one)"
        return text or type(error).__name__
