"""Benchmark: saving a synthetic organization into the store, SQLite and PostgreSQL.

Usage: python bench/store_throughput.py [--repositories N ...] [--jobs J] [--store sqlite|postgresql ...]
                                        [--corpus DIR] [--keep DIR] [--src DIR ...]

Builds N repositories from the corpus and the examples (synthetic_org.py's generator),
then runs `ospo-scan snapshot save --db DB --repos ROOT --jobs J` in a fresh process per
store and prints wall time, CPU (the process and its workers), peak RSS of the saving
process and of its largest worker, repositories/s and components/s (third-party
components the snapshot holds, as `snapshot list` counts them). Issue 14 asks for the
numbers at N = 100 and N = 1,000 (the default runs both) on each store.

PostgreSQL is a throwaway server started from the machine's binaries for the run (as
the user nobody when run as root, since initdb refuses root), on a unix socket in a
temporary folder: nothing listens on the network. --src runs the save on other source
trees (e.g. a `git worktree` of an older revision), alternated, for before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_org import DEFAULT_CORPUS, REPOSITORY, _build, _sources  # noqa: E402

_CHILD = """
import json, os, resource, sys, time
start, times = time.perf_counter(), os.times()
from ospo_scan.cli import main
sys.argv = ["ospo-scan", "snapshot", "save", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    if stop.code not in (0, None):
        raise
wall, after = time.perf_counter() - start, os.times()
print(json.dumps({"wall": wall, "cpu": sum(after[:4]) - sum(times[:4]),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def main() -> int:
    arguments = _arguments()
    sources = _sources(arguments.corpus)
    workdir = Path(arguments.keep) if arguments.keep else Path(tempfile.mkdtemp(prefix="ospo-scan-store-"))
    try:
        with _postgresql("postgresql" in arguments.store) as postgres_url:
            for count in arguments.repositories:
                organization = workdir / f"org-{count}"
                _build(organization, sources, count)
                for store in arguments.store:
                    for tree in arguments.src or [REPOSITORY / "src"]:
                        database = postgres_url(count, tree) if store == "postgresql" else str(workdir / f"inventory-{count}-{abs(hash(tree))}.db")
                        if store == "sqlite":
                            Path(database).unlink(missing_ok=True)
                        measured = _run(tree, database, organization, arguments.jobs)
                        components = _components(tree, database)
                        print(f"N={count} {store:<10} --jobs {arguments.jobs} {tree}: wall {measured['wall']:.1f} s, CPU {measured['cpu']:.1f} s, "
                              f"peak RSS {measured['rss']:.0f} MiB (largest worker {measured['worker_rss']:.0f} MiB), "
                              f"{count / measured['wall']:.1f} repositories/s, {components} components ({components / measured['wall']:.0f} components/s)", flush=True)
        return 0
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(tree: Path, database: str, organization: Path, jobs: int) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _CHILD, "--db", database, "--repos", str(organization), "--jobs", str(jobs)],
                          check=True, capture_output=True, text=True, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _components(tree: Path, database: str) -> int:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-m", "ospo_scan", "snapshot", "list", "--db", database, "--format", "json"],
                          check=True, capture_output=True, text=True, env=environment)
    return int(json.loads(done.stdout)[-1]["components"])


@contextmanager
def _postgresql(wanted: bool) -> Iterator:  # type: ignore[type-arg]
    """A function (N, tree) -> URL of a fresh database on a throwaway server, or None."""
    if not wanted:
        yield None
        return
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binaries:
        raise SystemExit("no PostgreSQL binaries (/usr/lib/postgresql/*/bin): install postgresql, or pass --store sqlite")
    bin_dir = binaries[-1].parent
    base = Path(tempfile.mkdtemp(prefix="ospo-scan-pg-"))
    base.chmod(0o755)
    data, socket = base / "data", base / "socket"
    socket.mkdir()
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(base, "nobody")
        shutil.chown(socket, "nobody")
    port = 25432 + os.getpid() % 1000
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "bench", "--no-sync"], check=True, capture_output=True, cwd=base)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                    f"-k {socket} -c listen_addresses='' -p {port} -c fsync=off", "start"], check=True, capture_output=True, cwd=base)
    created: set[str] = set()

    def url(count: int, tree: Path) -> str:
        name = f"bench_{count}_{abs(hash(tree)) % 10**8}"
        if name not in created:
            import psycopg

            with psycopg.connect(f"host={socket} port={port} user=bench dbname=postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name}")
                connection.execute(f"CREATE DATABASE {name}")
            created.add(name)
        return f"postgresql://bench@/{name}?host={socket}&port={port}"

    try:
        yield url
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, cwd=base)
        time.sleep(0.2)
        shutil.rmtree(base, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, action="append", help="organization size (repeatable; default 100 and 1000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--store", action="append", choices=("sqlite", "postgresql"), help="repeatable; default both")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", help="build the organizations in this folder (or reuse them) and keep them")
    parser.add_argument("--src", type=Path, action="append", help="source tree the saving process imports (repeatable)")
    arguments = parser.parse_args()
    arguments.repositories = arguments.repositories or [100, 1000]
    arguments.store = arguments.store or ["sqlite", "postgresql"]
    return arguments


if __name__ == "__main__":
    sys.exit(main())
