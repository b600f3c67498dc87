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
- Saving refuses (RegisterError, file untouched) when Excel or LibreOffice has the
  log open, when the file is not a workbook or is hostile, is hard-linked, and when
  openpyxl would drop anything the clerk put in it; otherwise it writes a temp file,
  keeps a backup in ``<stem>-backups/`` and swaps the file in with ``os.replace``.
  A symlinked log is saved where the link points.
- Every read-modify-save holds one lock (``.<name>.lock`` beside the log, via
  filelock), from before the load to after the replace: concurrent runs queue, and
  one that has waited *lock_wait* seconds raises RegisterError, writing nothing.
- Backups are the last *backups* versions that differ: a save that changes nothing
  makes none, and the newest backup is never the one pruned, whatever the clock says.
- Every key ever added is kept on the hidden ``Logged keys`` sheet: a row the clerk
  deleted is not added again unless ``re_add``.
- A command that reads the log and then changes it loads it once:
  :func:`load_log` returns a LoadedLog whose rows, texts, ``add`` and
  ``assign_meeting`` all work on that one copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from council_papers.models import Classified, Unreadable
from council_papers.register.rows import COLUMNS, LogRow, StoredText

if TYPE_CHECKING:
    from council_papers.register.book import LoadedLog

__all__ = [
    "COLUMNS",
    "AddResult",
    "LogRow",
    "StoredText",
    "add_records",
    "assign_meeting",
    "load_log",
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


def load_log(
    log_path: str | Path,
    *,
    create: bool = True,
    backups: int = 5,
    max_unpacked_mb: float | None = None,
    lock_wait: float | None = None,
) -> LoadedLog:
    """Lock and load the log once, after every check, to read and change it (a new one if absent and *create*).

    A command that reads the log and then writes to it (add, pack) uses one
    LoadedLog rather than loading the file for each step, and closes it (or uses it
    in a ``with`` block) to let the next run in. *max_unpacked_mb*: a log that would
    unpack to more is refused (default: limits.MAX_LOG_UNPACKED_MB). *lock_wait*:
    seconds to wait for another run holding the log (default: safety.LOCK_WAIT_S).
    """
    from council_papers.limits import MAX_LOG_UNPACKED_MB
    from council_papers.register.book import LoadedLog
    from council_papers.register.safety import LOCK_WAIT_S

    return LoadedLog(
        log_path,
        create=create,
        backups=backups,
        max_unpacked_mb=max_unpacked_mb or MAX_LOG_UNPACKED_MB,
        lock_wait=LOCK_WAIT_S if lock_wait is None else lock_wait,
    )


def add_records(
    log_path: str | Path,
    records: Sequence[Classified | Unreadable],
    *,
    today: dt.date | None = None,
    backups: int = 5,
    re_add: bool = False,
) -> AddResult:
    """Append the records not yet in the log (by key) below its last row; never touch old rows."""
    # openpyxl is imported only here, so `council-papers --help` stays instant
    with load_log(log_path, backups=backups) as book:
        return book.add(records, today=today, re_add=re_add)


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
    for key, (meeting, _) in assignments.items():
        if not isinstance(meeting, dt.date):
            raise ValueError(f"{key}: meeting must be a date, not {meeting!r}")
    with load_log(log_path, create=False, backups=backups) as book:
        book.assign_meeting(assignments)
