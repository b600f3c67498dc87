"""openpyxl details of the log: lay out a new workbook, find our columns, append rows in style.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.formatting.formatting import ConditionalFormatting, ConditionalFormattingList
from openpyxl.styles import Alignment, Font
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from council_papers.errors import RegisterError
from council_papers.register.rows import (
    COLUMNS,
    DATE_COLUMNS,
    REQUIRED,
    LogRow,
    clean_text,
    looks_like_formula,
    parse_row,
    with_row_keys,
)

SHEET = "Correspondence"
TABLE = "Correspondence"
DATE_FORMAT = "dd/mm/yyyy"
DISPOSITIONS = '"Agenda,Circulated,Excluded"'
_WIDTHS = {
    "Ref": 10, "Received": 12, "Sent": 12, "From": 24, "Author": 20, "Subject": 50,
    "Kind": 18, "Themes": 28, "Disposition": 13, "Reason": 45, "Respond by": 12, "Meeting": 12,
    "Agenda item": 9, "Personal data": 9, "Clerk notes": 30, "Action": 20,
    "Source file": 30, "Key": 24,
}  # fmt: skip
_WRAPPED = {"Subject", "Reason", "Clerk notes", "Action"}
# Text format, so "5.10" or "2024-001" typed by the clerk stays as typed.
_TEXT_FORMAT = {"Ref", "Agenda item"}


@dataclass(frozen=True)
class Layout:
    """Where our data sits on the Correspondence sheet, found by header text."""

    ws: Worksheet
    header_row: int
    columns: Mapping[str, int]  # our header -> column number
    extras: Mapping[int, str]  # the clerk's own column number -> header
    table: Table | None


def create() -> Any:
    """Return a new workbook holding the Correspondence table (header only)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    for n, name in enumerate(COLUMNS, start=1):
        ws.cell(1, n).font = Font(bold=True)
        ws.cell(1, n).alignment = Alignment(vertical="top", wrap_text=True)
        ws.column_dimensions[get_column_letter(n)].width = _WIDTHS[name]
    ws.freeze_panes = "A2"
    # A table needs a data row: row 2 starts empty and the first add fills it.
    ref = f"A1:{get_column_letter(len(COLUMNS))}2"
    table = Table(displayName=TABLE, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    col = get_column_letter(COLUMNS.index("Disposition") + 1)
    # "warning" rather than "stop": the clerk may deliberately type something else,
    # and read_log keeps unknown text for the caller to report.
    dv = DataValidation(
        type="list", formula1=DISPOSITIONS, allow_blank=True, errorStyle="warning",
        error="Choose Agenda, Circulated or Excluded", errorTitle="Disposition",
        showErrorMessage=True,
    )  # fmt: skip
    dv.add(f"{col}2:{col}2")
    ws.add_data_validation(dv)
    return wb


def mark(wb: Any) -> None:
    """Mark the workbook as council-papers' log, so it is never read back as correspondence."""
    from council_papers.read.own import LOG_MARK

    wb.properties.identifier = LOG_MARK


def find_sheet(wb: Any, title: str) -> Worksheet | None:
    """Return the sheet called *title*, ignoring case and stray spaces."""
    return next(
        (ws for ws in wb.worksheets if ws.title.strip().casefold() == title.casefold()), None
    )


def find_layout(wb: Any, path: Path) -> Layout:
    """Locate the Correspondence sheet, its header row and our columns, or raise RegisterError."""
    ws = find_sheet(wb, SHEET)
    if ws is None:  # the clerk renamed the sheet: follow the table
        ws = next((w for w in wb.worksheets if TABLE in w.tables), None)
    if ws is None:
        raise RegisterError(f"{path}: no sheet named {SHEET!r}: is this the correspondence log?")
    table = ws.tables.get(TABLE) or (
        next(iter(ws.tables.values())) if len(ws.tables) == 1 else None
    )
    if table is not None:
        header_row = CellRange(table.ref).min_row
        if table.totalsRowCount:
            raise RegisterError(
                f"{path}: the {table.displayName} table has a Total Row: turn it off and run again"
            )
    else:  # converted to a plain range: the header is the first row naming a Key column
        header_row = next(
            (r for r in range(1, min(ws.max_row, 20) + 1)
             if any(cell_str(c.value).casefold() == "key" for c in ws[r])),
            1,
        )  # fmt: skip
    wanted = {name.casefold(): name for name in COLUMNS}
    columns: dict[str, int] = {}
    extras: dict[int, str] = {}
    for cell in ws[header_row]:
        header = cell_str(cell.value)
        name = wanted.get(header.casefold())
        if name and name not in columns:
            columns[name] = cell.column
        elif header:
            extras[cell.column] = header
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RegisterError(
            f"{path}: required column(s) missing from the {ws.title!r} sheet: {', '.join(missing)}"
        )
    return Layout(ws, header_row, columns, extras, table)


def cell_str(value: object) -> str:
    """Return a header or key cell as stripped text."""
    return "" if value is None else str(value).strip()


def last_row(ws: Worksheet, header_row: int) -> int:
    """Return the last row holding any value (the header row if none), so nothing is overwritten."""
    last = header_row
    for n, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
    ):
        if any(v is not None and v != "" for v in values):
            last = n
    return last


def read_rows(layout: Layout) -> tuple[LogRow, ...]:
    """Return every non-blank row below the header, in sheet order, with keys for hand-typed rows."""
    ws = layout.ws
    rows = []
    for row in ws.iter_rows(min_row=layout.header_row + 1):
        values = {cell.column: cell.value for cell in row}
        if not any(v is not None and v != "" for v in values.values()):
            continue
        cells = {name: values.get(col) for name, col in layout.columns.items()}
        extra = {h: _plain(values.get(col)) for col, h in layout.extras.items()}
        rows.append(parse_row(cells, row=row[0].row, extra=extra))
    return with_row_keys(rows)


def _plain(value: object) -> object:
    # rich text (loaded with rich_text=True) reads back as the text the clerk sees
    return str(value) if isinstance(value, CellRichText) else value


def set_cell(cell: Cell, value: object) -> None:
    """Write a value so that text stays text and dates show as dates."""
    if isinstance(value, str):
        value = clean_text(value) or None
    if isinstance(value, dt.date) and not is_date_format(cell.number_format):
        cell.number_format = DATE_FORMAT
    cell.value = value
    if looks_like_formula(value):
        # openpyxl stores any "=..." as a formula: force a string, and set Excel's
        # quote prefix so it stays text even after the clerk edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif cell.quotePrefix:
        cell.quotePrefix = False  # a prefix copied from the row above, not wanted here


def append_rows(
    layout: Layout, rows: Sequence[Mapping[str, object]], path: Path, *, last: int | None = None
) -> list[int]:
    """Append *rows* below the last used row, styled like the row above; return their numbers.

    *last* is the last used row when the caller knows it (from read_rows), saving a pass.
    """
    ws = layout.ws
    old_last = last_row(ws, layout.header_row) if last is None else last
    first, end = old_last + 1, old_last + len(rows)
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= first:
            raise RegisterError(
                f"{path}: merged cells {merged.coord} lie where new rows go: unmerge them"
            )
    width = max(ws.max_column, *layout.columns.values())
    for n, values in enumerate(rows, start=first):
        for col in range(1, width + 1):
            cell = ws.cell(n, col)
            if old_last > layout.header_row:
                above = ws.cell(old_last, col)
                if above.has_style:
                    cell._style = copy(above._style)
        for name, col in layout.columns.items():
            cell = ws.cell(n, col)
            if old_last == layout.header_row:  # the first row: nothing to copy from
                cell.alignment = Alignment(vertical="top", wrap_text=name in _WRAPPED)
                if name in _TEXT_FORMAT:
                    cell.number_format = "@"
            if name in DATE_COLUMNS and not is_date_format(cell.number_format):
                cell.number_format = DATE_FORMAT
            set_cell(cell, values.get(name))
    table_end = CellRange(layout.table.ref).max_row if layout.table is not None else 0
    ends = {r for r in (old_last, table_end) if r > layout.header_row}
    _extend(layout, ends, max(end, table_end))
    return list(range(first, end + 1))


def _grow(r: CellRange, ends: set[int], new_end: int) -> CellRange:
    max_row = new_end if r.max_row in ends and r.max_row < new_end else r.max_row
    return CellRange(min_col=r.min_col, min_row=r.min_row, max_col=r.max_col, max_row=max_row)


def _grow_all(ranges: Iterable[CellRange], ends: set[int], new_end: int) -> MultiCellRange:
    return MultiCellRange([_grow(r, ends, new_end) for r in ranges])


def _extend(layout: Layout, ends: set[int], new_end: int) -> None:
    """Grow the table, drop-downs, conditional formats and filter that ended at the old last row."""
    ws, table = layout.ws, layout.table
    if table is not None:
        table.ref = _grow(CellRange(table.ref), ends | {layout.header_row}, new_end).coord
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
        if table.sortState is not None and table.sortState.ref:
            table.sortState.ref = _grow(CellRange(table.sortState.ref), ends, new_end).coord
    for dv in ws.data_validations.dataValidation:
        dv.sqref = _grow_all(dv.sqref.ranges, ends, new_end)
    rules = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        sqref = _grow_all(cf.sqref.ranges, ends, new_end)
        for rule in cf.rules:
            rules.add(ConditionalFormatting(sqref=sqref, pivot=cf.pivot), rule)
    ws.conditional_formatting = rules
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _grow(CellRange(ws.auto_filter.ref), ends, new_end).coord
