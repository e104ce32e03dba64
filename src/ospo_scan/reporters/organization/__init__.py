"""The organization report: the latest snapshot of every repository, and its history.

Three renderers of one `store.model.OrganizationOverview`, each a module of its own:
JSON for machines (json_format), markdown for pull requests and wikis (markdown_format)
and one self-contained HTML page with trend charts (html_page). All three sort the
overview the same way first (ordering.py), so they agree row for row and give the same
bytes for the same data whichever store produced it.
"""

from __future__ import annotations

from ospo_scan.reporters.organization.html_page import render_html
from ospo_scan.reporters.organization.json_format import render_json
from ospo_scan.reporters.organization.markdown_format import render_markdown

__all__ = ["render_html", "render_json", "render_markdown"]
