"""The log loaded once for one command: read its rows and texts, append, record meetings, save.

Loading a log is most of what a command costs (openpyxl parses every cell), so a
command loads it once, for writing, and reads and changes that one copy.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from types import TracebackType
from typing import TYPE_CHECKING

from council_papers.errors import RegisterError
from council_papers.keys import record_key
from council_papers.limits import MAX_LOG_UNPACKED_MB
from council_papers.models import Classified, Unreadable
from council_papers.register import keys, safety, texts, workbook
from council_papers.register.checks import count_parts
from council_papers.register.rows import LogRow, StoredText, next_number, parse_row, record_values

if TYPE_CHECKING:
    from council_papers.register import AddResult


def _new_log() -> object:
    """Return a new, empty log workbook: the Correspondence table and the Texts sheet."""
    wb = workbook.create()
    texts.start_sheet(wb)
    return wb


class LoadedLog:
    """One load of the log, with every check done; reads are cached, changes saved atomically.

    It holds the log's lock from before the load until :meth:`close` (or the end of a
    ``with`` block), so another run waits for this one rather than overwriting it.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        backups: int = 5,
        max_unpacked_mb: float = MAX_LOG_UNPACKED_MB,
        lock_wait: float = safety.LOCK_WAIT_S,
    ) -> None:
        self.path = Path(path)
        if backups < 0:
            raise ValueError("backups must be 0 or more")
        if not create and not self.path.exists():
            raise RegisterError(f"{self.path}: file not found")
        self.backups = backups
        self.notes: list[str] = []  # what the clerk should hear about (stale files removed ...)
        safety.check_path(self.path, must_exist=not create)
        self._lock = safety.SaveLock(self.path, lock_wait)
        self._lock.acquire()
        try:
            # under the lock: no run of ours is saving, so what a save left behind is stale
            for stale in safety.remove_stale_temps(self.path):
                self.notes.append(f"removed {stale}, left by an interrupted save")
            self._opened = safety.open_for_writing(self.path, _new_log, max_unpacked_mb)
            self._layout = workbook.find_layout(self._opened.workbook, self.path)
        except BaseException:
            self._lock.release()
            raise
        self._rows: tuple[LogRow, ...] | None = None
        self._texts: dict[str, StoredText] | None = None

    def close(self) -> None:
        """Release the lock: the next run may load the log. Nothing can be saved after."""
        self._lock.release()

    def __enter__(self) -> LoadedLog:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def texts_missing(self) -> bool:
        """True when the clerk has deleted the Texts sheet (the items' full texts are gone)."""
        return not self.created and workbook.find_sheet(self._opened.workbook, texts.TEXTS) is None

    @property
    def created(self) -> bool:
        """True while the log exists only in memory (it did not exist and is not yet saved)."""
        return self._opened.created

    def rows(self) -> tuple[LogRow, ...]:
        """Every row in sheet order, hand-typed ones included, blank rows skipped."""
        if self._rows is None:
            self._rows = workbook.read_rows(self._layout)
        return self._rows

    def texts(self) -> dict[str, StoredText]:
        """Key -> full text and articles of each logged item (hand-typed rows have none)."""
        if self._texts is None:
            self._texts = texts.read_texts(self._opened.workbook, self.path)
        return self._texts

    def add(
        self,
        records: Sequence[Classified | Unreadable],
        *,
        today: dt.date | None = None,
        re_add: bool = False,
    ) -> AddResult:
        """Append the records not yet in the log (by key) below its last row, and save.

        A record whose row the clerk deleted from the log is not added again (the log
        remembers every key it was given, on a hidden sheet) unless *re_add*. An
        unclassified record (from a caller mypy does not check) is refused before
        anything is written.
        """
        from council_papers.register import AddResult

        for record in records:
            if not isinstance(record, Classified | Unreadable):
                raise ValueError(
                    f"{record.path}: no decision: classify records before logging them"
                )
        today = today or dt.date.today()
        existing = self.rows()
        # Ref (or "row N") of every key and source file already logged, for skips and duplicates
        known = {r.key: r.ref or f"row {r.row}" for r in existing}
        wb = self._opened.workbook
        remembered = keys.read_keys(wb)
        deleted = set() if remembered is None else remembered - known.keys()
        # by file name: what the classifier names a copy's original by, within one batch
        by_source = {
            PurePath(r.source_file).name: r.ref for r in existing if r.source_file and r.ref
        }
        number = next_number([r.ref for r in existing], today.year)
        new: list[dict[str, object]] = []
        bodies = []
        skipped: list[tuple[str, str]] = []
        for record in records:
            if isinstance(record, Unreadable):
                skipped.append((record.path, record.error))
                continue
            key = record_key(record)
            if key in known:
                skipped.append((record.path, f"already in the log as {known[key]}"))
                continue
            if key in deleted and not re_add:
                skipped.append(
                    (
                        record.path,
                        "deleted from the log by the clerk: not added "
                        "again (add --re-add to bring it back)",
                    )
                )
                continue
            ref = f"{today.year}-{number:03d}"
            number += 1
            dup = record.decision.duplicate_of
            values = record_values(
                record,
                key=key,
                ref=ref,
                received=today,
                duplicate=(known.get(dup) or by_source.get(dup)) if dup else None,
            )
            known[key] = ref
            by_source[PurePath(record.path).name] = ref
            new.append(values)
            findings = record.decision.findings if record.decision else None
            bodies.append((key, StoredText(record.text, record.articles, findings)))
        created = self.created
        if not new and not created:
            return AddResult(skipped=tuple(skipped))  # nothing to write: leave the file alone
        layout = self._layout
        # read_rows skips exactly the rows last_row would: the last one read is the last used
        last = max((r.row for r in existing), default=layout.header_row)
        numbers = workbook.append_rows(layout, new, self.path, last=last)
        texts.write_texts(wb, bodies, self.path)
        # a log from before the keys sheet starts it with every key it holds
        keys.remember(
            wb,
            [str(v["Key"]) for v in new]
            if remembered is not None
            else [*(r.key for r in existing if not r.hand_typed), *(str(v["Key"]) for v in new)],
        )
        backup = self._save()
        # the rows exactly as read_log will return them: only the columns the sheet has
        blank = dict.fromkeys(layout.extras.values())
        added = tuple(
            parse_row({k: v for k, v in values.items() if k in layout.columns}, row=n, extra=blank)
            for values, n in zip(new, numbers, strict=True)
        )
        self._rows = None if self._rows is None else (*self._rows, *added)
        self._texts = None
        return AddResult(added, tuple(skipped), created=created, backup=backup)

    def assign_meeting(self, assignments: Mapping[str, tuple[dt.date, str | None]]) -> None:
        """Write the meeting date and agenda item (None clears it) into the rows with these keys."""
        for key, (meeting, _) in assignments.items():
            if not isinstance(meeting, dt.date):
                raise ValueError(f"{key}: meeting must be a date, not {meeting!r}")
        rows: dict[str, list[int]] = {}
        for row in self.rows():
            rows.setdefault(row.key, []).append(row.row)
        unknown = [key for key in assignments if key not in rows]
        if unknown:
            raise RegisterError(f"{self.path}: not in the log: {', '.join(unknown)}")
        if not assignments:
            return
        ws, cols = self._layout.ws, self._layout.columns
        changed = False
        for key, (meeting, item) in assignments.items():
            day = meeting.date() if isinstance(meeting, dt.datetime) else meeting
            for n in rows[key]:
                cells = ws.cell(n, cols["Meeting"]), ws.cell(n, cols["Agenda item"])
                if _holds(cells[0].value, day) and _holds(cells[1].value, item):
                    continue  # as it was: rebuilding the same pack changes nothing
                workbook.set_cell(cells[0], day)
                workbook.set_cell(cells[1], item)
                changed = True
        if changed:  # a save that would change nothing makes no backup either
            self._save()
        self._rows = None

    def _save(self) -> Path | None:
        workbook.mark(self._opened.workbook)
        backup = safety.save(self._opened, self.backups)
        # what is on disk now is ours: a later save in this command checks against it
        st = self.path.stat()
        self._opened = replace(
            self._opened, created=False, stat=(st.st_mtime_ns, st.st_size),
            parts=count_parts(self.path),
        )  # fmt: skip
        return backup


def _holds(value: object, wanted: object) -> bool:
    """True when a cell already holds *wanted* (a date, text, or nothing)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = value.strip() or None
    return value == wanted
