"""What every store command shares: the `--db` option, opening the store, the snapshot time.

A database that cannot be opened (a folder that does not exist, a server that does
not answer, a file that is not an inventory) is a usage error, exit 2, with the store's
own message, which names the database (a PostgreSQL password is never shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from ospo_scan.cli import diagnostics
from ospo_scan.cli.exit_codes import ExitCode
from ospo_scan.cli.output_plan import creation_time

if TYPE_CHECKING:
    from ospo_scan.store.interface import InventoryStore

T = TypeVar("T")

DbOption = Annotated[str, typer.Option("--db", metavar="DB", envvar="OSPO_SCAN_DB", show_default=False, help="The inventory: a SQLite file (created if absent), or a postgresql:// URL. Default: $OSPO_SCAN_DB.")]
SnapshotOption = Annotated[str, typer.Option("--snapshot", "-s", metavar="SNAPSHOT", help="Which snapshot: latest, its id, or its label (the newest with it).")]


@contextmanager
def opened_store(db: str) -> Iterator[InventoryStore]:
    """The store at `db`, closed afterwards; a StoreError is a usage error (exit 2)."""
    from ospo_scan.store.interface import open_store

    store = store_call(lambda: open_store(db))
    try:
        yield store
    finally:
        store.close()


def store_call(action: Callable[[], T]) -> T:
    """Run `action`; a StoreError is said and exits 2."""
    from ospo_scan.store.interface import StoreError

    try:
        return action()
    except StoreError as error:
        diagnostics.error(str(error))
        raise typer.Exit(ExitCode.USAGE) from None


def snapshot_time() -> str:
    """When a snapshot is taken: now in UTC, or SOURCE_DATE_EPOCH (reproducible runs)."""
    moment = creation_time(True)
    assert moment is not None  # asked for, so always a time
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
