"""`ospo-scan query --db DB`: questions to the organization inventory, answered in SQL.

One question per call: which repositories use a package (`--package`, a name or purl
pattern with an optional version range in the ecosystem's own syntax), which use a
license or a license category (`--license`), the organization's most critical upstream
projects (`--critical`), packages used at several versions at once (`--skew`). The
store narrows and aggregates in the database; only the answer's rows come back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ospo_scan.cli.application import DebugOption, _fail_on, guarded
from ospo_scan.cli.output import OutputPathError, check_output_path
from ospo_scan.cli.query_output import QueryFormat, Row, write_rows
from ospo_scan.cli.store_access import DbOption, SnapshotOption, opened_store, store_call

if TYPE_CHECKING:
    from ospo_scan.store.interface import InventoryStore
    from ospo_scan.store.model import OrganizationCritical, RepositoryUse, VersionSkew

QUERY_HELP_EPILOG = (
    "Examples: --package 'pkg:maven/org.apache.logging.log4j/log4j-core <2.17.1'; --package 'pkg:npm/@babel/*'; "
    "--package lodash; --license GPL-3.0-only; --license copyleft; --critical --limit 20; --skew. "
    "Exit codes: 0 answered (an empty answer too); 2 usage error, a query that cannot be read, or a store that cannot be opened; 70 internal error."
)
USE_COLUMNS = ("repository", "commit", "purl", "version", "license", "category", "direct", "lifecycles", "projects")
CRITICAL_COLUMNS = ("rank", "ecosystem", "project", "score", "repositories", "direct_repositories", "versions", "reasons")
SKEW_COLUMNS = ("ecosystem", "package", "version_count", "repositories", "versions")


def query_command(
    db: DbOption = "",
    package: Annotated[Optional[str], typer.Option("--package", "-p", metavar="PATTERN", help="Repositories using a package: a name, or a purl (with * wildcards), then optionally a version range, e.g. '<2.17.1', '>=1.0,<2.0', '^4.17.0', '[1.0,2.0)'.")] = None,
    license_or_category: Annotated[Optional[str], typer.Option("--license", metavar="LICENSE", help="Repositories using components under an SPDX license (or expression containing it), or a category: permissive, weak-copyleft, copyleft, unknown, ...")] = None,
    critical: Annotated[bool, typer.Option("--critical", help="The organization's most critical upstream projects, ranked.")] = False,
    skew: Annotated[bool, typer.Option("--skew", help="Packages in use at several versions across repositories.")] = False,
    snapshot: SnapshotOption = "latest",
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=0, help="--critical: how many (0: all).")] = 10,
    min_versions: Annotated[int, typer.Option("--min-versions", metavar="N", min=2, help="--skew: at least this many versions.")] = 2,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="table, json or csv.")] = QueryFormat.TABLE,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the answer to this file (atomically) instead of stdout.")] = None,
    debug: DebugOption = False,
) -> None:
    """Ask the organization inventory: who uses a package or license, the critical projects, version skew."""
    with guarded(debug):
        asked = [name for name, given in (("--package", package), ("--license", license_or_category), ("--critical", critical or None), ("--skew", skew or None)) if given]
        if len(asked) != 1:
            raise typer.BadParameter(f"ask one question: --package, --license, --critical or --skew (given: {', '.join(asked) or 'none'})", param_hint="query")
        target = _fail_on(OutputPathError, lambda: None if output is None or str(output) == "-" else check_output_path(output))
        from ospo_scan.cli.snapshot_commands import _required_db

        with opened_store(_required_db(db)) as store:
            snapshot_id = store_call(lambda: store.snapshot(snapshot).id)
            title, columns, rows, empty = _answer(store, snapshot_id, package=package, license_or_category=license_or_category, critical=critical, limit=limit, min_versions=min_versions)
        _fail_on(OutputPathError, lambda: write_rows(rows, columns, output_format, title=title, empty=empty, target=target))


def _answer(store: InventoryStore, snapshot_id: int, *, package: str | None, license_or_category: str | None, critical: bool, limit: int, min_versions: int) -> tuple[str, tuple[str, ...], list[Row], str]:
    """(title, columns, rows, what an empty answer says) of the one question asked."""
    if package is not None:
        from ospo_scan.store.interface import StoreError
        from ospo_scan.store.query import PackageQuery

        query = _fail_on((StoreError, ValueError), lambda: PackageQuery.parse(package))
        uses = store_call(lambda: store.repositories_using(snapshot_id, query))
        return f"Repositories using {package}", USE_COLUMNS, [_use_row(use) for use in uses], f"no repository uses {package}"
    if license_or_category is not None:
        uses = store_call(lambda: store.repositories_with_license(snapshot_id, license_or_category))
        return f"Repositories using {license_or_category}", USE_COLUMNS, [_use_row(use) for use in uses], f"no repository uses {license_or_category}"
    if critical:
        ranked = store_call(lambda: store.critical_projects(snapshot_id, limit or None))
        return "Critical projects", CRITICAL_COLUMNS, [_critical_row(entry) for entry in ranked], "no third-party component in this snapshot"
    skewed = store_call(lambda: store.version_skew(snapshot_id, min_versions))
    return "Version skew", SKEW_COLUMNS, [_skew_row(entry) for entry in skewed], f"no package is in use at {min_versions} or more versions"


def _use_row(use: RepositoryUse) -> Row:
    return {
        "repository": use.repository, "commit": use.commit, "purl": use.purl, "version": use.version, "license": use.license or "unknown",
        "category": use.category, "direct": use.direct, "lifecycles": use.lifecycles, "projects": use.projects,
    }


def _critical_row(entry: OrganizationCritical) -> Row:
    return {
        "rank": entry.rank, "ecosystem": entry.ecosystem, "project": entry.project, "score": entry.score, "repositories": entry.repositories,
        "direct_repositories": entry.direct_repositories, "versions": entry.versions, "reasons": entry.reasons,
    }


def _skew_row(entry: VersionSkew) -> Row:
    repositories = sorted({name for _, names in entry.versions for name in names})
    return {
        "ecosystem": entry.ecosystem, "package": entry.package, "version_count": len(entry.versions), "repositories": len(repositories),
        "versions": tuple(f"{version} ({', '.join(names)})" for version, names in entry.versions),
    }
