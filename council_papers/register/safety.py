"""Never lose the clerk's log: refuse what is unsafe, save atomically, keep backups.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import stat
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council_papers.errors import RegisterError
from council_papers.read.limits import MAX_LOG_UNPACKED_MB
from council_papers.register.checks import check_archive, count_parts

log = logging.getLogger(__name__)

# openpyxl says so when it reads something it will not write back.
_LOSSY = re.compile(
    r"will be (removed|lost|discarded|ignored)|being dropped|cannot be (read|set|located)"
    r"|treated as an error|Unable to read"
)
_HARMLESS = ("Ignored Error extension",)  # Excel's "ignore this error" marks: cosmetic
_TEMP_SUFFIX = ".saving.xlsx"


@dataclass(frozen=True)
class Opened:
    """A loaded log, with what is needed to save it back safely."""

    path: Path
    workbook: Any  # openpyxl Workbook; Any so mypy need not import openpyxl here
    created: bool  # the file did not exist: a new log
    stat: tuple[int, int] = (0, 0)  # (mtime_ns, size) when loaded
    parts: Counter[str] | None = None  # what the file held that a save might drop


def check_lock(path: Path) -> None:
    """Refuse when Excel (``~$name``) or LibreOffice (``.~lock.name#``) has the log open."""
    for lock in (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"):
        if (path.parent / lock).exists():
            raise RegisterError(
                f"{path}: open in Excel (lock file {lock}): close it and run again "
                "(if it is closed, delete the lock file)"
            )


def _check_path(path: Path, *, must_exist: bool) -> None:
    if path.suffix.lower() != ".xlsx":
        raise RegisterError(f"{path}: the correspondence log must be an .xlsx file")
    if path.is_dir():
        raise RegisterError(f"{path}: is a folder, not a workbook")
    if must_exist and not path.exists():
        raise RegisterError(f"{path}: file not found")
    if not path.parent.is_dir():
        raise RegisterError(f"{path}: folder {path.parent} not found")


def _load(path: Path) -> tuple[Any, list[str]]:
    """Load with openpyxl; return the workbook and what openpyxl said it would drop."""
    from openpyxl import load_workbook

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # rich_text keeps the clerk's bold words inside a cell; formulas are kept as formulas
            wb = load_workbook(path, rich_text=True)
        except Exception as err:  # openpyxl raises many types on a damaged file
            raise RegisterError(
                f"{path}: not a readable Excel workbook ({_one_line(err)})"
            ) from err
    lossy = []
    for w in caught:
        message = _one_line(w.message)
        if _LOSSY.search(message) and not message.startswith(_HARMLESS):
            lossy.append(message)
        else:
            log.info("%s: %s", path, message)
    return wb, lossy


def _one_line(message: object) -> str:
    # errors are reported in one line; some library messages span several
    return " ".join(str(message).split())


def open_for_reading(path: Path, max_unpacked_mb: float = MAX_LOG_UNPACKED_MB) -> Any:
    """Load an existing log to read it (a lock file does not matter for reading)."""
    _check_path(path, must_exist=True)
    check_archive(path, max_unpacked_mb)
    wb, lossy = _load(path)
    for message in lossy:
        log.info("%s: %s", path, message)
    return wb


def open_for_writing(
    path: Path, new_workbook: Callable[[], Any], max_unpacked_mb: float = MAX_LOG_UNPACKED_MB
) -> Opened:
    """Load the log to change it, after every check; *new_workbook* makes one when it is absent."""
    _check_path(path, must_exist=False)
    check_lock(path)
    if not path.exists():
        return Opened(path, new_workbook(), created=True)
    st = path.stat()  # before reading: a change from here on is caught at save
    if not st.st_mode & stat.S_IWUSR:  # the mode, not os.access: root may write anything
        raise RegisterError(f"{path}: read-only: make it writable and run again")
    check_archive(path, max_unpacked_mb)
    wb, lossy = _load(path)
    if lossy:
        raise RegisterError(
            f"{path}: refused: saving would lose what openpyxl cannot keep: "
            + "; ".join(dict.fromkeys(lossy))
        )
    return Opened(
        path, wb, created=False, stat=(st.st_mtime_ns, st.st_size), parts=count_parts(path)
    )


def save(opened: Opened, backups: int) -> Path | None:
    """Save atomically: temp file, check nothing was dropped, back up, replace. Return the backup."""
    path = opened.path
    _remove_stale_temps(path)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=_TEMP_SUFFIX)
        os.close(fd)
    except OSError as err:
        raise RegisterError(f"{path}: cannot write in {path.parent} ({err})") from err
    tmp = Path(name)
    try:
        try:
            opened.workbook.save(tmp)
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        except OSError as err:
            raise RegisterError(f"{path}: cannot be saved ({err})") from err
        backup = None if opened.created else _before_replace(opened, tmp, backups)
        try:
            os.replace(tmp, path)
        except OSError as err:  # Windows: another program holds the file open
            raise RegisterError(
                f"{path}: cannot be replaced ({err}): close any program using it and run again"
            ) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return backup


def _before_replace(opened: Opened, tmp: Path, backups: int) -> Path | None:
    """Refuse if the save dropped anything or the file changed meanwhile; then back it up."""
    path = opened.path
    assert opened.parts is not None
    after = count_parts(tmp)
    lost = sorted(k for k, n in opened.parts.items() if after[k] < n)
    if lost:
        raise RegisterError(
            f"{path}: refused: saving would lose the {', '.join(lost)} in it "
            "(openpyxl cannot keep them): move them to another workbook"
        )
    st = path.stat()
    if (st.st_mtime_ns, st.st_size) != opened.stat:
        raise RegisterError(f"{path}: changed by another program during the run: run again")
    shutil.copymode(path, tmp)
    try:
        return _backup(path, backups)
    except OSError as err:
        raise RegisterError(f"{path}: cannot make a backup ({err})") from err


def _backup(path: Path, keep: int) -> Path | None:
    """Copy the current log into ``<stem>-backups/``, keeping the *keep* newest copies."""
    if keep <= 0:
        return None
    folder = path.parent / f"{path.stem}-backups"
    folder.mkdir(exist_ok=True)
    pattern = re.compile(re.escape(path.stem) + r"\.backup-(\d{8}-\d{6})(?:-(\d+))?\.xlsx")
    found = []  # ((stamp, n), file): sorts oldest first
    for f in folder.iterdir():
        match = pattern.fullmatch(f.name)
        if match:
            found.append(((match[1], int(match[2] or 1)), f))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    # several saves in one second get -2, -3 ...: always after the newest, even once pruned
    n = max((k[1] for k, _ in found if k[0] == stamp), default=0) + 1
    target = folder / f"{path.stem}.backup-{stamp}{f'-{n}' if n > 1 else ''}.xlsx"
    partial = folder / f".{target.name}.partial"
    shutil.copy2(path, partial)
    os.replace(partial, target)  # a killed copy never passes for a backup
    found.append(((stamp, n), target))
    for _, old in sorted(found, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
    return target


def _remove_stale_temps(path: Path) -> None:
    # A run killed mid-save leaves its temp file; one an hour old is no live run's.
    cutoff = time.time() - 3600
    stem = glob_escape(path.stem)
    backups = path.parent / f"{path.stem}-backups"
    for f in [
        *path.parent.glob(f".{stem}.*{_TEMP_SUFFIX}"),
        *backups.glob(f".{stem}.backup-*.partial"),
    ]:
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
        except OSError:
            pass


def glob_escape(text: str) -> str:
    """Escape glob wildcards in a file name."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _sync_folder(folder: Path) -> None:
    # Make the rename itself durable; not possible (nor needed) on Windows.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
