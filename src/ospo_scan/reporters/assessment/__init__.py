"""The assessment report: the six answers, the repositories, the checks and the
governance files of one `assessment.model.Assessment`.

One module per format, each a pure function of the assessment: a terminal table
(table_format), markdown for a wiki page or an issue (markdown_format), one
self-contained HTML page (html_page) and JSON for machines (json_format, its shape in
document.py). All of them sort the assessment the same way first (ordering.py) and say
things in the same words (wording.py), so they agree row for row, and the same
assessment gives the same bytes.

The modules are not named `html` and `json` so that no reader takes an
`import json` inside this package for this package's own module.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import Enum

from ospo_scan.assessment.model import Assessment
from ospo_scan.reporters.assessment.html_page import render_html
from ospo_scan.reporters.assessment.json_format import render_json
from ospo_scan.reporters.assessment.markdown_format import render_markdown
from ospo_scan.reporters.assessment.table_format import render_table

__all__ = ["AssessmentFormat", "render", "render_html", "render_json", "render_markdown", "render_table"]


class AssessmentFormat(str, Enum):
    """Every format of the assessment report."""

    TABLE = "table"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


def render(assessment: Assessment, fmt: AssessmentFormat, pretty: bool = False, *, is_terminal: bool = False) -> str:
    """The report in `fmt`, as text. `pretty` indents the JSON; `is_terminal` gives the
    table the terminal's width and colours (else a fixed width and no colour, as the
    inventory's table when written to a file or a pipe). The other formats are the
    same bytes wherever they go."""
    return _RENDERERS[fmt](assessment, pretty, is_terminal)


def _table(assessment: Assessment, pretty: bool, is_terminal: bool) -> str:
    del pretty  # a table has one layout
    buffer = io.StringIO()
    render_table(assessment, buffer, is_terminal)
    return buffer.getvalue()


_RENDERERS: dict[AssessmentFormat, Callable[[Assessment, bool, bool], str]] = {
    AssessmentFormat.TABLE: _table,
    AssessmentFormat.MARKDOWN: lambda assessment, pretty, is_terminal: render_markdown(assessment),
    AssessmentFormat.HTML: lambda assessment, pretty, is_terminal: render_html(assessment),
    AssessmentFormat.JSON: lambda assessment, pretty, is_terminal: render_json(assessment, pretty),
}
"""(assessment, pretty, is_terminal) -> the report, for each format."""
