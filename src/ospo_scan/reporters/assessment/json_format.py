"""The assessment as JSON: for dashboards and scripts.

The document is `document.assessment_document`; this module only writes it, through
the inventory report's own writer (`json_report.dumps`), so every JSON report of
ospo-scan is key-sorted and spaced the same way. Same assessment, same bytes: the only
date in it is `assessed_on`.
"""

from __future__ import annotations

from ospo_scan.assessment.model import Assessment
from ospo_scan.reporters.assessment.document import assessment_document
from ospo_scan.reporters.json_report import dumps


def render_json(assessment: Assessment, pretty: bool = False) -> str:
    """The assessment as key-sorted JSON and a newline: indented by two spaces when
    `pretty`, else compact (no space between tokens)."""
    return dumps(assessment_document(assessment), pretty=pretty) + "\n"
