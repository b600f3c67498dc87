"""Never lose the clerk's log: refuse what is unsafe, save atomically, keep backups.

Imported only from inside the register's functions: openpyxl is slow to import.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import logging
import os
import re
import secrets
import shutil
import stat
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council_papers.errors import RegisterError
from council_papers.limits import MAX_LOG_UNPACKED_MB
from council_papers.register.checks import check_archive, count_parts

log = logging.getLogger(__name__)

# openpyxl says so when it reads something it will not write back.
_LOSSY = re.compile(
    r"will be (removed|lost|discarded|ignored)|being dropped|cannot be (read|set|located)"
    r"|treated as an error|Unable to read"
)
_HARMLESS = ("Ignored Error extension",)  # Excel's "ignore this error" marks: cosmetic
_TEMP_SUFFIX = ".saving.xlsx"
# How long a run waits for another run's save before it gives up (seconds).
LOCK_WAIT_S = 120.0


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
                f"{path}: open in Excel or LibreOffice (lock file {lock}): close it and run "
                "again (if it is closed, delete the lock file)"
            )


def real_path(path: Path) -> Path:
    """Return where the log really lives: a symlink is followed, so its target is updated."""
    return path.resolve() if path.is_symlink() else path


def lock_path(path: Path) -> Path:
    """Return the lock file that every read-modify-save of the log at *path* holds."""
    real = real_path(path)
    return real.parent / f".{real.name}.lock"


class SaveLock:
    """The one lock around a read-modify-save of the log: taken before loading, held to the end.

    Concurrent runs queue on it; one that has waited *wait* seconds gives up, writing nothing.
    """

    def __init__(self, path: Path, wait: float = LOCK_WAIT_S) -> None:
        from filelock import FileLock

        self.path = path
        self.wait = wait
        self.file = lock_path(path)
        # no explicit mode: filelock would chmod to it; its default follows the umask
        self._lock = FileLock(self.file, timeout=wait)

    def acquire(self) -> None:
        """Wait (up to the bound) for other runs to finish with the log, then hold it."""
        from filelock import Timeout

        try:
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                # the CLI shows warnings: the clerk sees why the run pauses
                log.warning(
                    "%s: another council-papers run is using the log: waiting for it (up to %g s)",
                    self.path,
                    self.wait,
                )
                self._lock.acquire()
        except Timeout as err:
            raise RegisterError(
                f"{self.path}: another council-papers run has kept the log busy for "
                f"{self.wait:g} s (lock file {self.file}): nothing written; run again when "
                "it has finished"
            ) from err
        except OSError as err:
            raise RegisterError(
                f"{self.path}: cannot make the lock file {self.file} ({err.strerror or err})"
            ) from err

    def release(self) -> None:
        """Let the next run in."""
        self._lock.release()


def check_path(path: Path, *, must_exist: bool) -> None:
    """Refuse a path that cannot be the log: not .xlsx, a folder, a FIFO or device, or missing."""
    from council_papers.limits import special_kind

    if path.suffix.lower() != ".xlsx":
        raise RegisterError(f"{path}: the correspondence log must be an .xlsx file")
    if path.is_dir():
        raise RegisterError(f"{path}: is a folder, not a workbook")
    if must_exist and not path.exists():
        raise RegisterError(f"{path}: file not found")
    if not path.parent.is_dir():
        raise RegisterError(f"{path}: folder {path.parent} not found")
    kind = special_kind(path)
    if kind is not None:  # opening a FIFO would wait for ever, a device would never end
        raise RegisterError(f"{path}: is {kind}, not a workbook")


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
    check_path(path, must_exist=True)
    check_archive(path, max_unpacked_mb)
    wb, lossy = _load(path)
    for message in lossy:
        log.info("%s: %s", path, message)
    return wb


def open_for_writing(
    path: Path, new_workbook: Callable[[], Any], max_unpacked_mb: float = MAX_LOG_UNPACKED_MB
) -> Opened:
    """Load the log to change it, after every check; *new_workbook* makes one when it is absent."""
    check_path(path, must_exist=False)
    check_lock(path)
    real = real_path(path)  # a symlinked log is saved where it really lives
    if real != path:
        check_lock(real)  # Excel's lock file sits beside the file it opened
    path = real
    if not path.exists():
        return Opened(path, new_workbook(), created=True)
    st = path.stat()  # before reading: a change from here on is caught at save
    if not st.st_mode & stat.S_IWUSR:  # the mode, not os.access: root may write anything
        raise RegisterError(f"{path}: read-only: make it writable and run again")
    if st.st_nlink > 1:  # a save replaces the file: the other names would keep the old rows
        raise RegisterError(
            f"{path}: refused: the log is hard-linked ({st.st_nlink} names for one file), and "
            "saving would split them: keep one name (use a shortcut or symlink for the others)"
        )
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


def _new_temp(path: Path) -> Path:
    """Create an empty temp file beside *path*, its mode following the umask (as the pack's does)."""
    for _ in range(100):
        tmp = path.parent / f".{path.stem}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
        try:
            # 0o666 less the umask: mkstemp's 0o600 would hide a new log from the clerk's colleagues
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as err:
            raise RegisterError(f"{path}: cannot write in {path.parent} ({err})") from err
        return tmp
    raise RegisterError(f"{path}: cannot write in {path.parent} (no free temp file name)")


def save(opened: Opened, backups: int) -> Path | None:
    """Save atomically: temp file, check nothing was dropped, back up, replace. Return the backup.

    The caller holds the log's SaveLock, from before the load until this returns.
    """
    path = opened.path
    tmp = _new_temp(path)
    try:
        try:
            opened.workbook.save(tmp)
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        except OSError as err:
            raise RegisterError(f"{path}: cannot be saved ({err})") from err
        if opened.created and path.exists():  # made meanwhile by a program that took no lock
            raise RegisterError(f"{path}: created by another program during the run: run again")
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
    """Copy the current log into ``<stem>-backups/``, keeping the *keep* newest copies.

    A log identical to the newest backup is not copied again, so the backups are the
    last *keep* versions that differ. The new copy is always named after the newest
    one, even when that was stamped by a clock running ahead: so it is never the
    one pruned.
    """
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
    found.sort()
    if found and filecmp.cmp(found[-1][1], path, shallow=False):
        return found[-1][1]  # this version is backed up already
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    newest = found[-1][0] if found else ("", 0)
    # several saves in one second, or a backup stamped ahead of the clock: -2, -3 ... after it
    stamp, n = (stamp, 1) if stamp > newest[0] else (newest[0], newest[1] + 1)
    target = folder / f"{path.stem}.backup-{stamp}{f'-{n}' if n > 1 else ''}.xlsx"
    partial = folder / f".{target.name}.partial"
    shutil.copy2(path, partial)
    os.replace(partial, target)  # a killed copy never passes for a backup
    found.append(((stamp, n), target))
    for _, old in sorted(found, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
    return target


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove what a killed save of this log left behind; return what was removed.

    Called with the log's SaveLock held: every council-papers run saves only under that
    lock, so a temp or partial file of ours found now belongs to no live run.
    """
    path = real_path(path)
    stem = glob_escape(path.stem)
    backups = path.parent / f"{path.stem}-backups"
    removed = []
    for f in [
        *path.parent.glob(f".{stem}.*{_TEMP_SUFFIX}"),
        *backups.glob(f".{stem}.backup-*.partial"),
    ]:
        try:
            if f.is_file() and not f.is_symlink():
                f.unlink()
                removed.append(f)
        except OSError:
            pass
    return removed


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
