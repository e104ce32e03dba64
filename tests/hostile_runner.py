"""One scan in a child process, for the hostile-repository suite (tests/test_hostile_repository.py).

A hostile tree can make a scan hang (a quadratic regex, an alias bomb, a FIFO opened for
reading) or take the interpreter down with it (a C stack overflow in a recursive parser).
Inside the test process either would stall or kill the whole test run; in a child the test
kills it after a generous wall-clock limit and fails, naming the case. The child scans
exactly as a user's `ospo-scan scan` does (default options, the license stage included,
parallel parsing where the file count calls for it) and writes what the test asserts on as
one JSON document.

Children are forked from a multiprocessing fork server that has imported this module (and
so the scanner) once: a fresh interpreter per case would spend most of its time importing.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import pkgutil
import pwd
import resource
import traceback
from pathlib import Path

import ospo_scan
from ospo_scan.model import Inventory
from ospo_scan.reporters import table_report
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanOptions, scan

MEMORY_LIMIT = 4 * 1024**3
"""Address space a child may use, in bytes: like the wall-clock kill, a guard for the machine
(a bomb that goes off ends in MemoryError in the child), not an assertion on memory."""


def run_case(root: str, result_path: str, environment: dict[str, str], max_file_size: int | None, table: bool, as_user: tuple[str, str] | None) -> None:
    """Scan `root` and write {components, issues, licenses, table...} (or {error}) to `result_path`.

    Runs in its own session so that the test can kill it together with its parsing workers,
    and with at most MEMORY_LIMIT of address space.
    `environment` is the test's (HOME pointing at an empty folder): the fork server was started
    by whichever test came first. `as_user`: (user, a tree to warm up on) to scan as that user.
    """
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.environ.clear()
    os.environ.update(environment)
    result = open(result_path, "w", encoding="ascii")  # opened before any privilege is dropped
    try:
        if as_user is not None:
            _become(*as_user)
        options = ScanOptions() if max_file_size is None else ScanOptions(max_file_size=max_file_size)
        inventory = scan([Path(root)], options)
        document: dict[str, object] = _summary(inventory)
        document["table"] = _table(inventory) if table else None
    except BaseException:  # noqa: BLE001 - whatever escapes the scan is what the test reports
        document = {"error": traceback.format_exc()}
    # ensure_ascii: a raw escape character or bidi override from the scanned text reaches the
    # test as data, never as bytes that a terminal showing a failure would act upon.
    with result:
        result.write(json.dumps(document, ensure_ascii=True))


def run_command(arguments: list[str], result_path: str, environment: dict[str, str], as_user: tuple[str, str] | None) -> None:
    """Run `ospo-scan ARGUMENTS` in-process, as `as_user` when given (see run_case), and
    write {exit_code, stderr} to `result_path`: for what the command line itself checks
    before a scan (an option's folder this user may not enter)."""
    from typer.testing import CliRunner

    from ospo_scan.cli.application import app

    os.setsid()
    os.environ.clear()
    os.environ.update(environment)
    result = open(result_path, "w", encoding="ascii")
    try:
        if as_user is not None:
            CliRunner().invoke(app, arguments)  # as root, so that what the command imports lazily is loaded
            _become(*as_user)
        invoked = CliRunner().invoke(app, arguments)
        if invoked.exception is not None and not isinstance(invoked.exception, SystemExit):
            raise invoked.exception
        document: dict[str, object] = {"exit_code": invoked.exit_code, "stderr": invoked.stderr}
    except BaseException:  # noqa: BLE001 - whatever escapes is what the test reports
        document = {"error": traceback.format_exc()}
    with result:
        result.write(json.dumps(document, ensure_ascii=True))


def _summary(inventory: Inventory) -> dict[str, object]:
    return {
        "components": sorted({component.purl for component in inventory.components}),
        "component_names": sorted({component.name for component in inventory.components}),
        "issues": [
            {"path": issue.path, "line": issue.line, "code": issue.code, "parser": issue.parser, "message": issue.message}
            for issue in inventory.issues
        ],
        "locations": sorted({location.path for component in inventory.components for location in component.locations}),
        "licenses": sorted({repr(component.license) for component in inventory.components}),
        "complete": inventory.complete,
        "files_scanned": inventory.files_scanned,
    }


def _table(inventory: Inventory) -> str:
    """The terminal report with every component, rendered as on a terminal, into a string."""
    stream = io.StringIO()
    table_report.render(Report.of(inventory, show_components=True), stream, is_terminal=True)
    return stream.getvalue()


def _become(user: str, warm_up: str) -> None:
    """Import all of ospo_scan and scan `warm_up` once, then run as `user` (root reads any
    file whatever its mode).

    The interpreter's own files may be root's alone (/root/.pyenv): everything the scan
    imports or loads lazily (modules, the license data it ships) is loaded while still root.
    """
    for module in pkgutil.walk_packages(ospo_scan.__path__, "ospo_scan."):
        if not module.name.endswith(".__main__"):  # importing it would run the CLI
            importlib.import_module(module.name)
    _table(scan([Path(warm_up)]))
    entry = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
