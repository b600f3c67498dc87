"""The Texts sheet: the full text and articles of each logged item, which the pack is built from.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from council_papers.errors import RegisterError
from council_papers.models import Article
from council_papers.personal import ItemFindings
from council_papers.register.rows import StoredText, clean_text
from council_papers.register.workbook import cell_str, find_sheet, last_row, set_cell

log = logging.getLogger(__name__)

TEXTS = "Texts"
TEXT_COLUMNS = ("Key", "Part", "Text", "Articles")
# The personal data the classifier found in each item (JSON), which the pack replaces
# without looking again. Not required: it is started the first time findings are
# written, so a log from before it gains it as a new one does.
FINDINGS = "Personal data found"
# Excel holds at most 32,767 UTF-16 units in a cell; stay a little under it.
CELL_LIMIT = 32_000


def start_sheet(wb: Any) -> Worksheet:
    """Add an empty Texts sheet (header only) at the end of *wb*."""
    ws = wb.create_sheet(TEXTS)
    ws.append(list(TEXT_COLUMNS))
    for n, width in enumerate((24, 6, 80, 60), start=1):
        ws.cell(1, n).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    return ws


def _texts_sheet(wb: Any, path: Path, *, create: bool) -> tuple[Worksheet, dict[str, int]] | None:
    """The Texts sheet and its columns by name (FINDINGS only when it is there)."""
    ws = find_sheet(wb, TEXTS)
    if ws is None:
        if not create:
            return None
        ws = start_sheet(wb)  # the clerk deleted it: start it again
    columns = {cell_str(c.value).casefold(): c.column for c in ws[1] if c.value is not None}
    missing = [name for name in TEXT_COLUMNS if name.casefold() not in columns]
    if missing:
        raise RegisterError(
            f"{path}: column(s) missing from the {ws.title!r} sheet: {', '.join(missing)}"
        )
    names = [*TEXT_COLUMNS, *([FINDINGS] if FINDINGS.casefold() in columns else [])]
    return ws, {name: columns[name.casefold()] for name in names}


def _findings_column(ws: Worksheet, cols: dict[str, int]) -> int:
    """The FINDINGS column, started after the last one in use if the sheet has none."""
    if FINDINGS not in cols:
        cols[FINDINGS] = ws.max_column + 1
        header = ws.cell(1, cols[FINDINGS], FINDINGS)
        header.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(header.column)].width = 40
    return cols[FINDINGS]


def _chunks(text: str) -> list[str]:
    """Split *text* into pieces of at most CELL_LIMIT UTF-16 units (how Excel counts)."""
    out = []
    while text:
        piece = text[:CELL_LIMIT]
        excess = len(piece.encode("utf-16-le")) // 2 - CELL_LIMIT
        if excess > 0:  # characters beyond U+FFFF count twice
            piece = piece[: len(piece) - excess]
        out.append(piece)
        text = text[len(piece) :]
    return out


def write_texts(wb: Any, items: Iterable[tuple[str, StoredText]], path: Path) -> None:
    """Store each item's text, articles and findings (JSON) in the Texts sheet, long ones split."""
    found = _texts_sheet(wb, path, create=True)
    assert found is not None
    ws, cols = found
    have = {
        cell_str(r[0])
        for r in ws.iter_rows(min_row=2, min_col=cols["Key"], max_col=cols["Key"], values_only=True)
    }
    n = last_row(ws, 1)
    for key, stored in items:
        if key in have:  # kept from an earlier run (perhaps corrected by the clerk)
            continue
        have.add(key)
        columns = {
            cols["Text"]: _chunks(clean_text(stored.text)),
            cols["Articles"]: _chunks(_json([a.to_dict() for a in stored.articles])),
        }
        if stored.findings is not None:
            compact = json.dumps(stored.findings.to_dict(), separators=(",", ":"))  # ASCII
            columns[_findings_column(ws, cols)] = _chunks(compact)
        for part in range(max(1, *map(len, columns.values()))):
            n += 1
            set_cell(ws.cell(n, cols["Key"]), key)
            ws.cell(n, cols["Part"]).value = part + 1
            for column, pieces in columns.items():
                set_cell(ws.cell(n, column), pieces[part] if part < len(pieces) else None)


def _json(data: object) -> str:
    return clean_text(json.dumps(data, ensure_ascii=False))


def read_texts(wb: Any, path: Path) -> dict[str, StoredText]:
    """Return key -> StoredText from the Texts sheet, joining the parts of long texts."""
    found = _texts_sheet(wb, path, create=False)
    if found is None:
        return {}
    ws, cols = found
    joined = ("Text", "Articles", FINDINGS)  # each split over the rows of an item's parts
    parts: dict[str, list[tuple[float, list[str]]]] = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        cell = dict(zip(range(1, len(row) + 1), row, strict=True))
        key = cell_str(cell.get(cols["Key"]))
        if not key:
            continue
        number = cell.get(cols["Part"])
        order = float(number) if isinstance(number, int | float) else float("inf")
        values = [cell.get(cols[name]) if name in cols else None for name in joined]
        parts.setdefault(key, []).append((order, ["" if v is None else str(v) for v in values]))
    out = {}
    for key, pieces in parts.items():
        pieces.sort(key=lambda p: p[0])  # stable: rows without a Part keep sheet order
        text, arts, findings = ("".join(p[1][n] for p in pieces) for n in range(len(joined)))
        out[key] = StoredText(
            text=text, articles=_articles(key, arts), findings=_findings(key, findings)
        )
    return out


def _articles(key: str, data: str) -> tuple[Article, ...]:
    if not data.strip():
        return ()
    try:
        items = json.loads(data)
        return tuple(
            Article(headline=i.get("headline"), theme=i.get("theme"), text=str(i.get("text") or ""))
            for i in items
        )
    except (ValueError, TypeError, AttributeError) as err:
        # the clerk edited the JSON into something else: the text still stands
        log.warning("Texts sheet, %s: articles are not valid JSON (%s); text alone kept", key, err)
        return ()


def _findings(key: str, data: str) -> ItemFindings | None:
    """The findings as written, or None (the pack looks again) for anything else.

    None for a log from before findings were kept, and for a cell the clerk typed
    in: bad JSON, or JSON of another shape.
    """
    if not data.strip():
        return None
    try:
        return ItemFindings.from_dict(json.loads(data))
    except (ValueError, RecursionError) as err:
        log.info(
            "Texts sheet, %s: Personal data found is not as council-papers wrote it (%s): "
            "the pack looks for personal data afresh",
            key,
            err,
        )
        return None
