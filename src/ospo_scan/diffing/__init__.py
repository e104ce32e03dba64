"""Comparing two JSON reports: `ospo-scan diff`, and later `snapshot diff`.

document.py reads a report document (a dict) into checked records; compare.py is the
comparison, pure over two documents; versions.py orders versions per ecosystem and
pairing.py matches several versions of one package; loading.py reads report files
with errors that name them; formats.py lists the renderers (table, markdown, json),
which share their words through sections.py.
"""

from ospo_scan.diffing.compare import compare, compare_facts
from ospo_scan.diffing.document import DocumentError, read_report
from ospo_scan.diffing.formats import DiffFormat
from ospo_scan.diffing.loading import ReportLoadError, load_report
from ospo_scan.diffing.model import ComponentChange, Direction, ReportDiff, ReportedComponent, ReportedGap, ReportedViolation, ReportSide

__all__ = [
    "ComponentChange", "DiffFormat", "Direction", "DocumentError", "ReportDiff", "ReportLoadError", "ReportSide",
    "ReportedComponent", "ReportedGap", "ReportedViolation", "compare", "compare_facts", "load_report", "read_report",
]
