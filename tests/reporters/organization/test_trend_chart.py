"""The trend charts alone: one mark per snapshot whatever the history's length or values."""

from __future__ import annotations

import re

import pytest

from ospo_scan.reporters.organization.trend_chart import DATES_SHOWN, VALUES_SHOWN, Kind, Point, trend_chart, trend_figure


def _points(values: list[int]) -> list[Point]:
    return [Point(snapshot=100 + i, date=f"2026-01-{1 + i % 28:02d}", value=v, detail=f"<b>{i}</b>: {v}") for i, v in enumerate(values)]


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("values", [[0, 0], [5, 0, 7], list(range(60))], ids=["all-zero", "a-zero", "sixty"])
def test_one_mark_per_snapshot_in_order(kind: Kind, values: list[int]) -> None:
    svg = trend_chart("c", _points(values), kind)
    assert re.findall(r'class="trend-mark[^"]*" data-snapshot="(\d+)"', svg) == [str(100 + i) for i in range(len(values))]
    assert svg == trend_chart("c", _points(values), kind)


def test_a_long_history_shows_fewer_dates_and_no_numbers_beside_the_marks() -> None:
    svg = trend_chart("c", _points(list(range(60))), Kind.LINE)
    assert 0 < svg.count('class="date"') <= DATES_SHOWN
    assert svg.count('text-anchor="middle">') - svg.count('class="date"') == 0
    short = trend_chart("c", _points(list(range(VALUES_SHOWN))), Kind.LINE)
    assert short.count('class="date"') == VALUES_SHOWN


def test_marks_stay_inside_the_picture() -> None:
    svg = trend_chart("c", _points([3, 9000, 0]), Kind.COLUMNS)
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())  # type: ignore[union-attr]
    for x, y, w, h in re.findall(r'<rect class="trend-mark[^"]*" data-snapshot="\d+" x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"', svg):
        assert 0 <= int(x) and int(x) + int(w) <= width and 0 <= int(y) and int(y) + int(h) <= height


def test_tooltips_are_escaped_and_one_point_is_no_chart() -> None:
    assert "&lt;b&gt;0&lt;/b&gt;" in trend_chart("c", _points([1, 2]), Kind.LINE)
    alone = trend_figure("<c>", _points([1]), Kind.LINE, alone="No history yet.")
    assert "<svg" not in alone and "No history yet." in alone and "&lt;c&gt;" in alone
