"""Resource limits for reading hostile input, set per read from ``[limits]`` in council.toml.

A reader asks :func:`current` rather than taking the limits as an argument, so every
reader keeps the one ``(path, data)`` signature the suffix registry calls.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
# A log grows by a row per item for years: 10,000 rows unpack to about 35 MB, 50,000 to
# about 175 MB (and openpyxl needs about 5.5 times that in memory to hold it).
MAX_LOG_UNPACKED_MB = 500.0


@dataclass(frozen=True)
class Limits:
    """How far a reader may go before it refuses a file."""

    max_unpacked_bytes: int = 200 * MB  # a .docx/.xlsx zip, all members together
    max_nesting: int = 50  # MIME parts inside parts (forwards as attachments, multiparts)


_DEFAULT = Limits()
_CURRENT: ContextVar[Limits | None] = ContextVar("council_papers_read_limits", default=None)


def current() -> Limits:
    """Return the limits in force for the read in progress (the defaults outside one)."""
    return _CURRENT.get() or _DEFAULT


@contextmanager
def applied(limits: Limits) -> Iterator[None]:
    """Put *limits* in force for the duration of a ``with`` block."""
    token = _CURRENT.set(limits)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def special_kind(path: Path) -> str | None:
    """Say what *path* is when it exists and is not a regular file (links followed), else None.

    A FIFO would hang a read for ever and a device (``/dev/zero``) never ends, so only
    regular files are opened: the CLI reports anything else in one line and skips it.
    """
    try:
        return _kind(os.stat(path).st_mode)
    except OSError:
        return None  # missing or unreadable: the caller's own open says so


class TooLarge(OSError):
    """A file holds more than the bytes a caller allowed."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, at most *max_bytes*: TooLarge past it, OSError if not a regular file.

    Opened without blocking, so a FIFO swapped in after a check cannot hang the read,
    and bounded by reading, not by ``st_size`` (0 for devices and /proc files).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise OSError(f"is {kind}, not a regular file")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(f"holds more than {max_bytes} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)
