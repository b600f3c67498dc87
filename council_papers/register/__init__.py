"""The correspondence log: one .xlsx row per item, kept for years, the clerk's edits always win.

The log is a workbook with a ``Correspondence`` sheet (an Excel Table, one row per
item, columns in :data:`COLUMNS`) and a ``Texts`` sheet holding each item's full
text and articles, from which the pack is built.

Choices a caller should know:

- ``needs_review`` is shown as ``CHECK: `` at the start of Reason; read back into
  ``LogRow.needs_review`` (and stripped from ``LogRow.reason``).
- A record whose decision is a duplicate (``duplicate_of`` set) is logged, as an
  Excluded row whose reason names what it duplicates (its Ref when that is in the
  log): the council has a record of it, and it never reaches Police Matters twice.
- A row typed by hand has no Key; it reads back with the key ``row:<Ref>``, or
  ``row:#<sheet row>`` when it has no Ref (or shares one), and
  :func:`assign_meeting` accepts that key.
- Disposition is read back ignoring case; text that is none of Agenda, Circulated
  or Excluded gives ``disposition=None`` with the text in ``disposition_text``.
- Columns are found by header text, ignoring case, wherever the clerk moved them.
  Ref, Received, Sent, From, Subject, Disposition, Meeting, Agenda item and Key are
  required; the others are written when present and skipped when deleted.
- A cell holding a formula reads back as its formula text (``=...``).
- Saving refuses (RegisterError, file untouched) when Excel has the log open, when
  the file is not a workbook or is hostile, and when openpyxl would drop anything
  the clerk put in it; otherwise it writes a temp file, keeps a backup in
  ``<stem>-backups/`` and swaps the file in with ``os.replace``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from council_papers.errors import RegisterError
from council_papers.keys import record_key
from council_papers.models import Correspondence
from council_papers.register.rows import (
    COLUMNS,
    LogRow,
    StoredText,
    next_number,
    parse_row,
    record_values,
)

__all__ = [
    "COLUMNS",
    "AddResult",
    "LogRow",
    "StoredText",
    "add_records",
    "assign_meeting",
    "read_log",
    "read_texts",
]


@dataclass(frozen=True)
class AddResult:
    """What :func:`add_records` did: the rows it appended and the records it passed over."""

    added: tuple[LogRow, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (source path, reason)
    created: bool = False  # the log did not exist and was created
    backup: Path | None = None  # the copy of the previous version, if one was made


def _new_log() -> object:
    """Return a new, empty log workbook: the Correspondence table and the Texts sheet."""
    from council_papers.register import texts, workbook

    wb = workbook.create()
    texts.start_sheet(wb)
    return wb


def add_records(
    log_path: str | Path,
    records: Sequence[Correspondence],
    *,
    today: dt.date | None = None,
    backups: int = 5,
) -> AddResult:
    """Append the records not yet in the log (by key) below its last row; never touch old rows."""
    # openpyxl is imported only here, so `council-papers --help` stays instant
    from council_papers.register import safety, texts, workbook

    path = Path(log_path)
    if backups < 0:
        raise ValueError("backups must be 0 or more")
    for record in records:
        if record.error is None and record.decision is None:
            raise ValueError(f"{record.path}: no decision: classify records before logging them")
    today = today or dt.date.today()
    opened = safety.open_for_writing(path, _new_log)
    layout = workbook.find_layout(opened.workbook, path)
    existing = workbook.read_rows(layout)
    # Ref (or "row N") of every key and source file already logged, for skips and duplicates
    known = {r.key: r.ref or f"row {r.row}" for r in existing}
    by_source = {r.source_file: r.ref for r in existing if r.source_file and r.ref}
    refs = [r.ref for r in existing]
    number = next_number(refs, today.year)
    new: list[dict[str, object]] = []
    bodies = []
    skipped: list[tuple[str, str]] = []
    for record in records:
        if record.error is not None:
            skipped.append((record.path, record.error))
            continue
        key = record_key(record)
        if key in known:
            skipped.append((record.path, f"already in the log as {known[key]}"))
            continue
        ref = f"{today.year}-{number:03d}"
        number += 1
        dup = record.decision.duplicate_of if record.decision else None
        values = record_values(
            record,
            key=key,
            ref=ref,
            received=today,
            duplicate=(known.get(dup) or by_source.get(dup)) if dup else None,
        )
        known[key] = ref
        by_source[record.path] = ref
        new.append(values)
        bodies.append((key, record.text, record.articles))
    if not new and not opened.created:
        return AddResult(skipped=tuple(skipped))  # nothing to write: leave the file alone
    numbers = workbook.append_rows(layout, new, path)
    texts.write_texts(opened.workbook, bodies, path)
    backup = safety.save(opened, backups)
    # the rows exactly as read_log will return them: only the columns the sheet has
    blank = dict.fromkeys(layout.extras.values())
    added = tuple(
        parse_row({k: v for k, v in values.items() if k in layout.columns}, row=n, extra=blank)
        for values, n in zip(new, numbers, strict=True)
    )
    return AddResult(added, tuple(skipped), created=opened.created, backup=backup)


def read_log(log_path: str | Path) -> tuple[LogRow, ...]:
    """Return every row of the log in sheet order, hand-typed ones included, blank rows skipped."""
    from council_papers.register import safety, workbook

    path = Path(log_path)
    wb = safety.open_for_reading(path)
    return workbook.read_rows(workbook.find_layout(wb, path))


def read_texts(log_path: str | Path) -> dict[str, StoredText]:
    """Return key -> full text and articles of each logged item (hand-typed rows have none)."""
    from council_papers.register import safety, texts

    path = Path(log_path)
    return texts.read_texts(safety.open_for_reading(path), path)


def assign_meeting(
    log_path: str | Path,
    assignments: Mapping[str, tuple[dt.date, str | None]],
    *,
    backups: int = 5,
) -> None:
    """Write the meeting date and agenda item (None clears it) into the rows with these keys.

    Only the Meeting and Agenda item cells change. Every row sharing a key (a row
    the clerk copied) is updated. An unknown key raises RegisterError and nothing
    is written.
    """
    from council_papers.register import safety, workbook

    path = Path(log_path)
    if backups < 0:
        raise ValueError("backups must be 0 or more")
    for key, (meeting, _) in assignments.items():
        if not isinstance(meeting, dt.date):
            raise ValueError(f"{key}: meeting must be a date, not {meeting!r}")
    if not path.exists():
        raise RegisterError(f"{path}: file not found")
    opened = safety.open_for_writing(path, _new_log)
    layout = workbook.find_layout(opened.workbook, path)
    rows: dict[str, list[int]] = {}
    for row in workbook.read_rows(layout):
        rows.setdefault(row.key, []).append(row.row)
    unknown = [key for key in assignments if key not in rows]
    if unknown:
        raise RegisterError(f"{path}: not in the log: {', '.join(unknown)}")
    if not assignments:
        return
    ws, cols = layout.ws, layout.columns
    for key, (meeting, item) in assignments.items():
        day = meeting.date() if isinstance(meeting, dt.datetime) else meeting
        for n in rows[key]:
            workbook.set_cell(ws.cell(n, cols["Meeting"]), day)
            workbook.set_cell(ws.cell(n, cols["Agenda item"]), item)
    safety.save(opened, backups)
