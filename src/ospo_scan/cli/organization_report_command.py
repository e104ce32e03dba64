"""`ospo-scan report --db DB`: the organization report of a stored snapshot.

The store gathers the overview (the snapshot's repositories, licenses, critical
projects, version skew, gaps, and every snapshot's totals for the trends) and the
reporters in reporters/organization draw it: HTML with inline SVG charts for people,
markdown for a wiki page, JSON for a dashboard.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

from ospo_scan.cli.application import DebugOption, _fail_on, guarded
from ospo_scan.cli.output import OutputPathError, check_output_path, write_report
from ospo_scan.cli.store_access import DbOption, SnapshotOption, opened_store, store_call

if TYPE_CHECKING:
    from ospo_scan.store.model import OrganizationOverview


class OrganizationFormat(str, Enum):
    """The formats of the organization report."""

    HTML = "html"
    MARKDOWN = "markdown"
    JSON = "json"


def report_command(
    db: DbOption = "",
    output_format: Annotated[OrganizationFormat, typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="html, markdown or json.")] = OrganizationFormat.HTML,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file (atomically) instead of stdout.")] = None,
    snapshot: SnapshotOption = "latest",
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON report.")] = False,
    debug: DebugOption = False,
) -> None:
    """The organization report: repositories, licenses, critical projects, skew, gaps, and trends across snapshots."""
    with guarded(debug):
        from ospo_scan.cli.snapshot_commands import _required_db

        target = _fail_on(OutputPathError, lambda: None if output is None or str(output) == "-" else check_output_path(output))
        with opened_store(_required_db(db)) as store:
            overview = store_call(lambda: store.overview(store.snapshot(snapshot).id))

        def draw(stream: TextIO, is_terminal: bool) -> None:
            del is_terminal  # the same bytes wherever they go
            stream.write(_rendered(overview, output_format, pretty))

        _fail_on(OutputPathError, lambda: write_report(draw, target, file_format=True))


def _rendered(overview: OrganizationOverview, output_format: OrganizationFormat, pretty: bool) -> str:
    from ospo_scan.reporters import organization

    if output_format is OrganizationFormat.HTML:
        return organization.render_html(overview)
    if output_format is OrganizationFormat.MARKDOWN:
        return organization.render_markdown(overview)
    return organization.render_json(overview, pretty=pretty)
