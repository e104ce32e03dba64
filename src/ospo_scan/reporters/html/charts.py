"""Horizontal bar charts as inline SVG: no script, no library, readable when printed.

Each bar carries its number as text and a tooltip, so the chart says what it shows
without colour alone. Geometry is computed in whole SVG units from the data only, so
the same data draws the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ospo_scan.reporters.html.markup import text

ROW, CHAR, BAR_WIDTH, VALUE_WIDTH, LABEL_LIMIT = 22, 7, 300, 60, 34
"""Row height, an estimated character width, the longest bar, room for the number, and
the longest label shown whole (longer ones end in an ellipsis; the tooltip has them)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a chart: a label and its stacked parts as (value, CSS class)."""

    label: str
    parts: tuple[tuple[int, str], ...]

    @property
    def total(self) -> int:
        """The number shown after the bar."""
        return sum(value for value, _ in self.parts)


def figure(caption: str, bars: Sequence[Bar], legend: Sequence[tuple[str, str]] = ()) -> str:
    """A captioned chart with its legend as (name, CSS class) swatches."""
    chart = bar_chart(caption, bars) if bars else '<p class="note">Nothing to show.</p>'
    keys = "".join(f'<span><span class="swatch {text(css)}"></span>{text(name)}</span>' for name, css in legend)
    return f"<figure><figcaption>{text(caption)}</figcaption>{chart}" + (f'<div class="legend">{keys}</div>' if keys else "") + "</figure>"


def bar_chart(caption: str, bars: Sequence[Bar]) -> str:
    """Stacked horizontal bars scaled to the longest, each with its label and total."""
    label_width = min(max(len(bar.label) for bar in bars), LABEL_LIMIT) * CHAR + 12
    longest = max(bar.total for bar in bars) or 1
    width, height = label_width + BAR_WIDTH + VALUE_WIDTH, len(bars) * ROW + 4
    rows = "".join(_row(bar, position * ROW + 2, label_width, longest) for position, bar in enumerate(bars))
    return f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{text(caption)}</title>{rows}</svg>'


def _row(bar: Bar, top: int, label_width: int, longest: int) -> str:
    label = bar.label if len(bar.label) <= LABEL_LIMIT else bar.label[: LABEL_LIMIT - 1] + "…"
    baseline = top + ROW // 2 + 4
    parts, x = [], float(label_width)
    for value, css in bar.parts:
        length = round(value / longest * BAR_WIDTH, 1)
        if length > 0:
            parts.append(
                f'<rect class="{text(css)}" x="{x:g}" y="{top + 3}" width="{length:g}" height="{ROW - 6}"><title>{text(bar.label)}: {value}</title></rect>'
            )
        x += length
    return (
        f'<text x="{label_width - 8}" y="{baseline}" text-anchor="end">{text(label)}</text>'
        + "".join(parts)
        + f'<text class="value" x="{x + 6:g}" y="{baseline}">{bar.total}</text>'
    )
