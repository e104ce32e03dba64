"""Trend charts as inline SVG: one mark per snapshot, oldest on the left.

html/charts.py draws horizontal bars for categories; a history needs time along the
x axis, so this module draws vertical charts: a line with a dot per snapshot (a total
that grows or shrinks) or a column per snapshot (a count of what is new each time).
Like charts.py it needs no script or library, every mark carries its number as a
tooltip (and as text while there is room), and the geometry comes from the data
only, in whole SVG units, so the same history draws the same bytes.

Every mark has the class `trend-mark` and a `data-snapshot` attribute (the snapshot
id): what a reader hovers, and what the tests count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ospo_scan.reporters.html.markup import text

PLOT, TOP, BOTTOM, LEFT, RIGHT, STEP = 140, 24, 26, 48, 12, 76
"""Plot height, room above it (values), below it (dates), left of it (the scale), right
of it, and the width given to each snapshot (a date like 2026-01-05 fits)."""

VALUES_SHOWN = 24
"""Up to this many snapshots each mark's number is written beside it; past that only
the tooltip has it (the numbers would overlap)."""

DATES_SHOWN = 24
"""At most this many dates under the x axis: past it every n-th snapshot's only."""

CSS = """
.trend .trend-line { fill: none; stroke: var(--accent); stroke-width: 2; }
.trend .trend-mark { fill: var(--accent); }
.trend.tone-gaps .trend-line { stroke: var(--high); }
.trend.tone-gaps .trend-mark { fill: var(--high); }
.trend .trend-column { fill: var(--bar); }
.trend .trend-axis { stroke: var(--line); stroke-width: 1; }
svg.trend text.date { fill: var(--muted); }
"""
"""The charts' rules, added to the page's style (classes only: the page's policy allows
no style attribute)."""


class Kind(Enum):
    """How a series is drawn."""

    LINE = "line"
    """A total over time: dots joined by a line."""
    COLUMNS = "columns"
    """A count per snapshot that does not add up over time (what is new in each)."""


@dataclass(frozen=True, slots=True)
class Point:
    """One snapshot's value in a series."""

    snapshot: int
    """The snapshot id (the mark's data-snapshot)."""
    date: str
    """What the x axis says under it (the day it was taken)."""
    value: int
    detail: str
    """The mark's tooltip: which snapshot, and the value in words."""


def trend_figure(caption: str, points: Sequence[Point], kind: Kind, tone: str = "", alone: str = "") -> str:
    """A captioned chart of the series, or `alone` (why there is nothing to compare)
    when it has fewer than two snapshots: one point is no trend, and a lone dot would
    read as one."""
    if len(points) < 2:
        return f'<figure><figcaption>{text(caption)}</figcaption><p class="note">{text(alone)}</p></figure>'
    return f"<figure><figcaption>{text(caption)}</figcaption>{trend_chart(caption, points, kind, tone)}</figure>"


def trend_chart(caption: str, points: Sequence[Point], kind: Kind, tone: str = "") -> str:
    """The SVG: a zero line, the scale (0 and the largest value), the marks and the dates."""
    width, height = LEFT + len(points) * STEP + RIGHT, TOP + PLOT + BOTTOM
    largest = max(point.value for point in points)
    scale = _Scale(largest or 1)
    classes = f"trend tone-{tone}" if tone else "trend"
    parts = [
        f"<title>{text(caption)}</title>",
        f'<line class="trend-axis" x1="{LEFT}" y1="{TOP + PLOT}" x2="{width - RIGHT}" y2="{TOP + PLOT}"></line>',
        f'<text class="value" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{largest}</text>',
        f'<text class="value" x="{LEFT - 6}" y="{TOP + PLOT + 4}" text-anchor="end">0</text>',
    ]
    if kind is Kind.LINE:
        parts.append(_line(points, scale))
    labelled = len(points) <= VALUES_SHOWN
    parts += (_mark(position, point, scale, kind, labelled) for position, point in enumerate(points))
    parts += _dates(points)
    return f'<svg role="img" class="{classes}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'


@dataclass(frozen=True, slots=True)
class _Scale:
    """Values to SVG y coordinates: 0 on the axis, the largest value at the top."""

    largest: int

    def y(self, value: int) -> int:
        return TOP + PLOT - round(value / self.largest * PLOT)


def _x(position: int) -> int:
    """The middle of a snapshot's slot."""
    return LEFT + position * STEP + STEP // 2


def _line(points: Sequence[Point], scale: _Scale) -> str:
    coordinates = " ".join(f"{_x(position)},{scale.y(point.value)}" for position, point in enumerate(points))
    return f'<polyline class="trend-line" points="{coordinates}"></polyline>'


def _mark(position: int, point: Point, scale: _Scale, kind: Kind, labelled: bool) -> str:
    """A dot or a column, its tooltip, and its number above it while there is room."""
    x, y, tooltip = _x(position), scale.y(point.value), f"<title>{text(point.detail)}</title>"
    snapshot = f'data-snapshot="{point.snapshot}"'
    if kind is Kind.LINE:
        mark = f'<circle class="trend-mark" {snapshot} cx="{x}" cy="{y}" r="4">{tooltip}</circle>'
    else:
        half = STEP // 2 - 12
        mark = f'<rect class="trend-mark trend-column" {snapshot} x="{x - half}" y="{y}" width="{2 * half}" height="{TOP + PLOT - y}">{tooltip}</rect>'
    value = f'<text class="value" x="{x}" y="{y - 8}" text-anchor="middle">{point.value}</text>' if labelled else ""
    return mark + value


def _dates(points: Sequence[Point]) -> list[str]:
    """Every snapshot's date, or every n-th one past DATES_SHOWN (they would overlap)."""
    stride = -(-len(points) // DATES_SHOWN)
    return [
        f'<text class="date" x="{_x(position)}" y="{TOP + PLOT + 18}" text-anchor="middle">{text(point.date)}</text>'
        for position, point in enumerate(points)
        if position % stride == 0
    ]
