"""The organization report as JSON: for dashboards and scripts.

The document is `document.organization_document`; this module only writes it, through
the inventory report's own writer (`json_report.dumps`), so both JSON reports are
key-sorted and spaced the same way. Same overview, same bytes: the only time in it is
the snapshot's own `taken_at`.
"""

from __future__ import annotations

from ospo_scan.reporters.json_report import dumps
from ospo_scan.reporters.organization.document import organization_document
from ospo_scan.store.model import OrganizationOverview


def render_json(overview: OrganizationOverview, pretty: bool = False) -> str:
    """The overview as key-sorted JSON and a newline: indented by two spaces when
    `pretty`, else compact (no space between tokens, for files a machine reads)."""
    return dumps(organization_document(overview), pretty=pretty) + "\n"
