"""Rows of a store answer (`query`, `snapshot list`) as a table, JSON or CSV.

Every answer is a list of flat rows under named columns, so one writer serves them
all: the table for a person (names from scanned files made harmless for the terminal),
JSON for a program (lists stay lists), CSV for a spreadsheet (lists joined with `; `,
cells a spreadsheet would evaluate defused). The same rows give the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TextIO, Union

from ospo_scan.cli.output import OutputTarget, write_report

Cell = Union[str, int, float, bool, None, Sequence[str]]
Row = Mapping[str, Cell]


class QueryFormat(str, Enum):
    """The formats of store answers."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def write_rows(rows: Sequence[Row], columns: Sequence[str], output_format: QueryFormat, *, title: str, empty: str, target: OutputTarget | None = None) -> None:
    """Write the rows to stdout or `target` (OutputPathError when the target fails)."""
    def draw(stream: TextIO, is_terminal: bool) -> None:
        if output_format is QueryFormat.JSON:
            stream.write(json.dumps([{column: _json_cell(row.get(column)) for column in columns} for row in rows], ensure_ascii=False, sort_keys=True, indent=2) + "\n")
        elif output_format is QueryFormat.CSV:
            _csv(rows, columns, stream)
        else:
            _table(rows, columns, stream, is_terminal, title=title, empty=empty)

    write_report(draw, target, file_format=output_format is not QueryFormat.TABLE)


def _json_cell(value: Cell) -> object:
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _text_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(value)
    return str(value)


def _csv(rows: Sequence[Row], columns: Sequence[str], stream: TextIO) -> None:
    from ospo_scan.reporters.csv_report import formula_safe

    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([formula_safe(_text_cell(row.get(column))) for column in columns] for row in rows)


def _table(rows: Sequence[Row], columns: Sequence[str], stream: TextIO, is_terminal: bool, *, title: str, empty: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ospo_scan.reporters.terminal_text import no_color_requested, plain_text

    console = Console(file=stream, force_terminal=is_terminal, no_color=no_color_requested() or not is_terminal, highlight=False, emoji=False, width=None if is_terminal else 200)
    if not rows:
        console.print(Text(empty))
        return
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(Text(plain_text(_text_cell(row.get(column)))) for column in columns))
    console.print(table)

