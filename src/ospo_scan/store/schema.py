"""The store's tables, as an ordered list of migrations both backends apply.

A database records the last migration applied in `schema_version`; opening a store
applies the missing ones in order, in one transaction, so a database is always at a
version this list names and never half-migrated. The DDL is written once for both
backends: `{id}` stands for the backend's auto-numbered primary key (SQLite's INTEGER
PRIMARY KEY, PostgreSQL's identity column); flags are INTEGER 0/1 in both, so the
queries that read them are shared too. Text indexes are on a prefix (`substr`): a hostile report's megabyte-long name is
stored, and PostgreSQL's btree refuses index rows over 8 KB. A migration is never edited once released:
a change is a new step at the end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One step: the statements that take a database from `version - 1` to `version`."""

    version: int
    description: str
    statements: tuple[str, ...]


_V1_BASE = Migration(
    version=1,
    description="base tables: scans, snapshots and what a scan contributes",
    statements=(
        """CREATE TABLE repository_scans (
            id {id},
            repository TEXT NOT NULL,
            commit_id TEXT,
            commit_key TEXT NOT NULL,
            branch TEXT,
            digest TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            status TEXT NOT NULL,
            has_policy INTEGER NOT NULL,
            UNIQUE (repository, commit_key, digest)
        )""",
        "CREATE TABLE snapshots (id {id}, label TEXT, taken_at TEXT NOT NULL)",
        """CREATE TABLE snapshot_scans (
            snapshot_id BIGINT NOT NULL REFERENCES snapshots (id),
            scan_id BIGINT NOT NULL REFERENCES repository_scans (id),
            PRIMARY KEY (snapshot_id, scan_id)
        )""",
        """CREATE TABLE projects (
            scan_id BIGINT NOT NULL REFERENCES repository_scans (id),
            project TEXT NOT NULL,
            name TEXT,
            ecosystem TEXT NOT NULL,
            path TEXT NOT NULL,
            license TEXT,
            PRIMARY KEY (scan_id, project)
        )""",
        """CREATE TABLE components (
            id {id},
            scan_id BIGINT NOT NULL REFERENCES repository_scans (id),
            purl TEXT NOT NULL,
            ecosystem TEXT NOT NULL,
            namespace TEXT,
            purl_name TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT,
            license TEXT,
            category TEXT NOT NULL,
            first_party INTEGER NOT NULL,
            direct INTEGER NOT NULL
        )""",
        """CREATE TABLE usages (
            component_id BIGINT NOT NULL REFERENCES components (id),
            project TEXT NOT NULL,
            lifecycle TEXT NOT NULL,
            directness TEXT NOT NULL
        )""",
        """CREATE TABLE gaps (
            scan_id BIGINT NOT NULL REFERENCES repository_scans (id),
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            component TEXT,
            project TEXT,
            path TEXT,
            line BIGINT
        )""",
        """CREATE TABLE violations (
            scan_id BIGINT NOT NULL REFERENCES repository_scans (id),
            fingerprint TEXT NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            component TEXT,
            package TEXT,
            project TEXT,
            path TEXT,
            line BIGINT
        )""",
    ),
)

_V2_LOOKUPS = Migration(
    version=2,
    description="lower-cased license for case-insensitive lookups, and the indexes the queries narrow by",
    statements=(
        "ALTER TABLE components ADD COLUMN license_key TEXT",
        "UPDATE components SET license_key = lower(license)",
        "CREATE INDEX components_package ON components (substr(ecosystem, 1, 100), substr(purl_name, 1, 200))",
        "CREATE INDEX components_purl ON components (substr(purl, 1, 400))",
        "CREATE INDEX components_license ON components (substr(license_key, 1, 200))",
        "CREATE INDEX components_category ON components (substr(category, 1, 100))",
        "CREATE INDEX components_scan ON components (scan_id)",
        "CREATE INDEX usages_component ON usages (component_id)",
        "CREATE INDEX snapshot_scans_scan ON snapshot_scans (scan_id)",
        "CREATE INDEX gaps_scan ON gaps (scan_id)",
        "CREATE INDEX violations_scan ON violations (scan_id)",
    ),
)

_V3_PROFILES = Migration(
    version=3,
    description="each repository scan's profile (own license, health files, policies, CI gates) for `assess --db`",
    statements=(
        """CREATE TABLE repository_profiles (
            scan_id BIGINT PRIMARY KEY REFERENCES repository_scans (id),
            profile TEXT NOT NULL
        )""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (_V1_BASE, _V2_LOOKUPS, _V3_PROFILES)
"""Every migration, oldest first; the last one's version is the current schema."""

LATEST_VERSION = MIGRATIONS[-1].version

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
"""One row: the last migration applied (no row: an empty database, version 0)."""


def pending(current: int) -> tuple[Migration, ...]:
    """The migrations a database at `current` still needs, in order."""
    return tuple(m for m in MIGRATIONS if m.version > current)
