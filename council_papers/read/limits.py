"""Resource limits for reading hostile input, set per read from ``[limits]`` in council.toml.

A reader asks :func:`current` rather than taking the limits as an argument, so every
reader keeps the one ``(path, data)`` signature the suffix registry calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

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
