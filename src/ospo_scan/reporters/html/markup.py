"""Escaping, the page's inline assets and its sortable tables.

Every value that reaches the page goes through `text` (html.escape with quotes, and
invisible or text-reordering characters shown as \\uXXXX), so a package named
`<script>` or `"><img onerror=...>` stays text. Only this module and charts.py write
tags; callers pass them values, never markup, except `intro` blocks built here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls, line separators and bidi overrides: invisible, or they reorder what
is shown (a name could read as something it is not)."""


def text(value: object) -> str:
    """A value as HTML text or attribute content: escaped, quotes included, controls shown."""
    escaped = html.escape(str(value), quote=True)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A shipped CSS or JS file of this package, read once per process."""
    return files(__package__ or "ospo_scan.reporters.html").joinpath(name).read_text(encoding="utf-8")


def policy(style: str, script: str) -> str:
    """A Content-Security-Policy under which nothing loads and only the page's own
    style and script (pinned by their sha256) apply."""
    return f"default-src 'none'; style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; base-uri 'none'; form-action 'none'"


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its title, and how its cells sort and wrap.

    `layout` is one of "" (normal text), "num" (right-aligned, sorts as a number),
    "nw" (never wraps), "path" (keeps some width; cells wrap after slashes) or "wrap" (a
    sentence: keeps some width). The layout goes into one CSS rule per column instead
    of an attribute on every cell, which keeps an 18,000-row table small."""

    title: str
    layout: str = ""

    @property
    def numeric(self) -> bool:
        """Whether the script sorts this column by number."""
        return self.layout == "num"


_LAYOUT_CSS = {
    "num": "text-align: right; font-variant-numeric: tabular-nums",
    "nw": "white-space: nowrap",
    "path": "min-width: 8rem",
    "wrap": "min-width: 14rem",
}


ROW_LIMIT = 500
"""Rows a table shows before its "show all" box is ticked: a browser takes seconds to lay
out the 18,000 rows of a large inventory, and the filter finds the rest."""


def table_rules(tables: dict[str, Sequence[Column]]) -> str:
    """CSS for the row limit and for every column with a layout, by table id and position."""
    rules = [
        f"table.limited tbody tr:nth-child(n+{ROW_LIMIT + 1}) {{ display: none; }}",
        ".show-all:checked ~ .scroll table.limited tbody tr:not([hidden]) { display: table-row; }",
    ]
    for key, columns in tables.items():
        for position, column in enumerate(columns, start=1):
            if column.layout:
                rules.append(f"#{key}-table td:nth-child({position}), #{key}-table th:nth-child({position}) {{ {_LAYOUT_CSS[column.layout]}; }}")
    return "\n".join(rules)


def hint(sentence: str) -> str:
    """A sentence under a section's heading."""
    return f'<p class="hint">{text(sentence)}</p>'


_NUMERIC = ' data-type="number"'
"""Tells the script to sort the column by number."""


def table(key: str, caption: str, columns: Sequence[Column], rows: Iterable[str], total: int, empty: str, intro: str = "") -> str:
    """A section holding a sortable table (click a header) and its filter box.

    The filter box is `hidden` until the script shows it, so without JavaScript the
    page offers no control that does nothing. `intro` is markup built by this module
    (hint, a plain table) shown between the heading and the table."""
    if not total:
        return f'<section id="{key}"><h2>{text(caption)}</h2>{intro}<p class="note">{text(empty)}</p></section>'
    head = "".join(f'<th{_NUMERIC if c.numeric else ""} aria-sort="none"><button type="button">{text(c.title)}</button></th>' for c in columns)
    limited = total > ROW_LIMIT
    tools = (
        f'<div class="tools" data-filter-for="{key}-table" hidden>'
        f'<input type="search" aria-label="filter {text(caption.lower())}" placeholder="filter: words every shown row contains">'
        f"<output>{total} of {total} rows{f' (the first {ROW_LIMIT} shown)' if limited else ''}</output></div>"
    )
    show_all = (
        f'<input type="checkbox" class="show-all" id="{key}-table-all">'
        f'<label for="{key}-table-all"> show all {total} rows, not only the first {ROW_LIMIT} (a browser takes a while)</label>'
        if limited
        else ""
    )
    attributes = f'class="sortable limited" data-limit="{ROW_LIMIT}"' if limited else 'class="sortable"'
    body = "".join(rows)
    grid = f'<div class="scroll"><table {attributes} id="{key}-table"><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table></div>'
    return f'<section id="{key}"><h2>{text(caption)} ({total})</h2>{intro}{tools}{show_all}{grid}</section>'


def plain_table(headers: Sequence[str], rows: Iterable[str]) -> str:
    """A small table that is neither sorted nor filtered (a legend); rows are made of `td` cells."""
    head = "".join(f"<th>{text(h)}</th>" for h in headers)
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<div class="scroll"><table class="legend-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def td(value: object, *, css: str = "", sort: object = None, title: str | None = None, path: bool = False) -> str:
    """One cell: its text, and optionally a class, a sort key other than its text, a tooltip.

    A `path` (file path, module path, project id) may wrap after each slash: the
    browser would otherwise widen the column or break inside a word."""
    attributes = f' class="{text(css)}"' if css else ""
    if sort is not None:
        attributes += f' data-sort="{text(sort)}"'
    if title is not None:
        attributes += f' title="{text(title)}"'
    content = text(value)
    return f"<td{attributes}>{content.replace('/', '/<wbr>') if path else content}</td>"


def page(title: str, style: str, script: str, sections: Sequence[str]) -> str:
    """One self-contained HTML page: the CSP admits exactly this style and script (by
    hash), no referrer leaves it, and nothing is loaded from anywhere else."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy(style, script)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        + "\n".join(sections)
        + f"\n<script>{script}</script>\n</body>\n</html>\n"
    )
