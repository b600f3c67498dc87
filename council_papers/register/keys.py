"""The hidden sheet of every key ever logged: a row the clerk deletes stays deleted.

Without it, a row the clerk deleted in Excel would come back on the next ``add`` of
the same file, since the log would no longer know it. The sheet is hidden (not
"very hidden": the clerk can unhide it in Excel) and holds one key per row.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Font

from council_papers.register.workbook import cell_str, find_sheet, set_cell

KEYS = "Logged keys"
_NOTE = "Every item ever added; a key here but not in Correspondence was deleted by the clerk"


def read_keys(wb: Any) -> set[str] | None:
    """Return every key the log was ever given, or None for a log from before the sheet."""
    ws = find_sheet(wb, KEYS)
    if ws is None:
        return None
    return {
        key
        for (value,) in ws.iter_rows(min_row=2, max_col=1, values_only=True)
        if (key := cell_str(value))
    }


def remember(wb: Any, keys: Iterable[str]) -> None:
    """Add *keys* to the hidden sheet, starting it when the log has none."""
    ws = find_sheet(wb, KEYS)
    if ws is None:
        ws = wb.create_sheet(KEYS)
        ws.sheet_state = "hidden"
        ws.cell(1, 1).value = "Key"
        ws.cell(1, 1).font = Font(bold=True)
        ws.cell(1, 2).value = _NOTE
        ws.column_dimensions["A"].width = 30
    n = ws.max_row
    for key in dict.fromkeys(keys):
        n += 1
        set_cell(ws.cell(n, 1), key)
