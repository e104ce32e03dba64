"""Fixtures of the store tests: a throwaway PostgreSQL server, a database per test on
each backend (`store_url`), and report documents made by real scans.

The server is the machine's own PostgreSQL binaries, run as `nobody` (initdb refuses
root) in a temporary folder, listening only on a Unix socket: no TCP port, nothing
reachable from outside. Tests on PostgreSQL skip, saying why, only when no PostgreSQL
binaries are installed.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PORT = 54329


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://nobody@/{database}?host={self.socket_dir}&port={self.port}"


def _as_nobody(*command: str) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session, stopped at its end."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine: the PostgreSQL store tests need them")
    base = Path(tempfile.mkdtemp(prefix="ospo-pg-"))
    base.chmod(0o755)
    data, sockets = base / "data", base / "sock"
    for folder in (data, sockets):
        folder.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "nobody")
        shutil.chown(sockets, "nobody")
    subprocess.run(_as_nobody(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "nobody", "--no-sync"), check=True, capture_output=True)
    options = f"-k {sockets} -c listen_addresses='' -p {PORT} -c fsync=off -c max_connections=50"
    subprocess.run(_as_nobody(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(sockets / "log"), "start"), check=True, capture_output=True)
    try:
        yield PostgresServer(socket_dir=sockets, port=PORT)
    finally:
        subprocess.run(_as_nobody(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


_numbers = itertools.count()


def fresh_postgres_database(server: PostgresServer) -> str:
    """A new, empty database's URL."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A location for a new, empty store: a SQLite path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "inventory.db")
    return fresh_postgres_database(request.getfixturevalue("postgres_server"))


# --- documents from real scans -------------------------------------------------------


def scan_document(*roots: Path, policy: Path | None = None) -> dict[str, Any]:
    """The JSON report document `ospo-scan scan` (or `check --policy`) writes for `roots`."""
    from ospo_scan.analysis import analyze
    from ospo_scan.config.loading import load_settings_file
    from ospo_scan.policy import evaluate, load_policy
    from ospo_scan.reporters.json_report import to_document
    from ospo_scan.scan import ScanOptions, scan

    inventory = scan(list(roots), ScanOptions(jobs=1))
    outcome = None
    if policy is not None:
        settings = load_settings_file(policy)
        assert settings is not None
        outcome = evaluate(inventory, load_policy(settings), date(2026, 1, 1))
    return to_document(inventory, analyze(inventory), outcome)


@dataclass(frozen=True)
class Organization:
    """Real repositories to scan: the example shop, and two small services beside it."""

    shop: Path
    billing: Path
    billing_v2: Path


@pytest.fixture(scope="session")
def organization(tmp_path_factory: pytest.TempPathFactory) -> Organization:
    base = tmp_path_factory.mktemp("org")
    shop = base / "shop"
    shutil.copytree(EXAMPLES / "polyglot-shop", shop, symlinks=True)
    billing = base / "billing"
    billing.mkdir()
    (billing / "requirements.txt").write_text("redis==4.6.0\npydantic==2.9.2\ncertifi==2024.8.30\n")
    billing_v2 = base / "v2" / "billing"
    billing_v2.mkdir(parents=True)
    (billing_v2 / "requirements.txt").write_text("redis==5.2.0\npydantic==2.9.2\ncertifi==2024.8.30\n")
    return Organization(shop=shop, billing=billing, billing_v2=billing_v2)


@pytest.fixture(scope="session")
def shop_report(organization: Organization) -> dict[str, Any]:
    """The shop checked against the example policy (so it has violations)."""
    return scan_document(organization.shop, policy=EXAMPLES / "policy.toml")


@pytest.fixture(scope="session")
def org_report(organization: Organization) -> dict[str, Any]:
    """Shop and billing scanned together: one report of two repositories."""
    return scan_document(organization.shop, organization.billing)


@pytest.fixture(scope="session")
def billing_v2_report(organization: Organization) -> dict[str, Any]:
    return scan_document(organization.billing_v2)
