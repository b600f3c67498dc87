"""Readers: one per format, chosen by file suffix, each returning a RawDocument."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from council_papers.errors import ReadError
from council_papers.limits import Limits, TooLarge, applied, read_regular, special_kind
from council_papers.models import Format, RawDocument, Skipped

log = logging.getLogger(__name__)

Reader = Callable[[Path, bytes], RawDocument]
if TYPE_CHECKING:
    from council_papers.read.mailbox import FileMailbox, ImapMailbox

    Mailbox = ImapMailbox | FileMailbox

# suffix -> (format, "module:function"); imported on first use so --help stays quick
READERS: dict[str, tuple[Format, str]] = {
    ".eml": (Format.EML, "council_papers.read.eml:read_eml"),
    ".msg": (Format.MSG, "council_papers.read.msg:read_msg"),
    ".html": (Format.HTML, "council_papers.read.html:read_html"),
    ".htm": (Format.HTML, "council_papers.read.html:read_html"),
    ".txt": (Format.TXT, "council_papers.read.txt:read_txt"),
    ".pdf": (Format.PDF, "council_papers.read.pdf:read_pdf"),
    ".docx": (Format.DOCX, "council_papers.read.docx:read_docx"),
}
# What each suffix's reader expects, as the clerk would name it.
_WHAT = {
    ".eml": "an email",
    ".msg": "an Outlook message",
    ".html": "a web page",
    ".htm": "a web page",
    ".txt": "a text file",
    ".pdf": "a PDF",
    ".docx": "a Word document",
}
# Content that says what a file really is, whatever its name: (magic, what, suffixes it fits,
# suffix to rename it to).
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_MAGIC = (
    (b"%PDF-", "a PDF", {".pdf"}, ".pdf"),
    (b"PK\x03\x04", "a zip or Office document", {".docx"}, None),
    (_OLE, "an Outlook message or old Office document", {".msg"}, ".msg"),
)
_TEXT_SUFFIXES = {".eml", ".html", ".htm", ".txt"}
# Control bytes that never occur in text (tab, new lines, form feed and ESC excluded: ISO-2022
# mail uses ESC). More than this share of them in a file's start means it is binary.
_BINARY = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_NOT_BINARY = bytes(b for b in range(256) if b not in _BINARY)
_BINARY_SHARE = 0.02

# Files a clerk's folder holds that are not correspondence; passed over quietly.
_IGNORED_NAMES = {"council.toml", "thumbs.db", "desktop.ini"}


def format_for(path: Path) -> Format | None:
    """Return the format read for *path*'s suffix, or None if there is no reader."""
    entry = READERS.get(path.suffix.lower())
    return entry[0] if entry else None


def _reader(suffix: str) -> Reader:
    module, func = READERS[suffix][1].split(":")
    reader: Reader = getattr(importlib.import_module(module), func)
    return reader


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "~$"))


def walk(paths: Iterable[str | Path | Mailbox]) -> Iterator[Path | Skipped | Mailbox]:
    """Yield each readable file or mailbox under *paths* (folders recursively, sorted), or why not.

    A mailbox is an IMAP address (imaps://…), an mbox file or a Maildir directory, or an
    ImapMailbox / FileMailbox given as it is.
    """
    from council_papers.read.mailbox import (
        FileMailbox,
        ImapMailbox,
        is_mailbox_url,
        is_maildir,
        parse_mailbox_url,
    )

    for given in paths:
        if isinstance(given, ImapMailbox | FileMailbox):
            yield given
            continue
        if isinstance(given, str) and is_mailbox_url(given):
            yield parse_mailbox_url(given)
            continue
        path = Path(given)
        if path.is_dir() and is_maildir(path):
            yield FileMailbox(path, "maildir")
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                here = Path(root)
                if here != path and is_maildir(here):
                    yield FileMailbox(here, "maildir")
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    yield from _one(here / name, explicit=False)
        elif path.exists():
            yield from _one(path, explicit=True)
        else:
            yield Skipped(str(path), "no such file or folder")


def _one(path: Path, *, explicit: bool) -> Iterator[Path | Skipped | Mailbox]:
    from council_papers.read.own import own_file

    kind = special_kind(path)
    if kind is not None:  # a FIFO would hang the read, a device never ends
        yield Skipped(str(path), f"skipped: {kind}, not a regular file")
        return
    own = own_file(path)
    if own is not None:
        yield Skipped(str(path), f"passed over: {own}")
        return
    if _hidden(path) or path.name.lower() in _IGNORED_NAMES:
        if explicit:
            kind = "an Office lock file" if path.name.startswith("~$") else "a hidden file"
            yield Skipped(str(path), f"skipped: {kind}")
        return
    if format_for(path) is None:
        from council_papers.read.mailbox import FileMailbox, is_mbox

        if is_mbox(path):
            yield FileMailbox(path, "mbox")
            return
        yield Skipped(str(path), f"no reader for '{path.suffix or path.name}' files")
        return
    yield path


def sniff(data: bytes) -> tuple[str, set[str], str | None] | None:
    """Return what *data* really is by its first bytes, if it is a binary format we know."""
    for magic, what, fits, rename in _MAGIC:
        if data.startswith(magic) or (magic == b"%PDF-" and data.lstrip()[:5] == magic):
            return what, fits, rename
    return None


def looks_binary(data: bytes) -> bool:
    """True when the start of *data* holds control bytes that text never has."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs by design
        return False
    controls = len(sample.translate(None, _NOT_BINARY))  # the control bytes: one pass
    return controls > max(8, _BINARY_SHARE * len(sample))


def check_content(path: Path, data: bytes) -> None:
    """Raise ReadError when *data* is empty or plainly not what *path*'s suffix says."""
    suffix = path.suffix.lower()
    what = _WHAT.get(suffix, "a readable file")
    if not data:
        raise ReadError(f"{path}: empty file")
    found = sniff(data)
    if found is not None and suffix not in found[1]:
        advice = f" (rename it to {found[2]})" if found[2] else ""
        raise ReadError(f"{path}: the file is {found[0]}, not {what}{advice}")
    if suffix in _TEXT_SUFFIXES and looks_binary(data):
        raise ReadError(f"{path}: binary content, not {what}")


def read_file(path: Path, *, max_bytes: int, limits: Limits | None = None) -> RawDocument:
    """Read one file with the reader for its suffix; raise ReadError with the reason.

    Any other exception a reader raises is a bug; it is still reported as a ReadError
    (saying so), so one odd file never stops a batch.
    """
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(f"{path}: no reader for '{suffix}' files")
    too_large = ReadError(
        f"{path}: too large (the limit is {max_bytes / 1048576:.0f} MB, set by [limits] "
        "max_file_mb)"
    )
    kind = special_kind(path)
    if kind is not None:
        raise ReadError(f"{path}: skipped: {kind}, not a regular file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"{path}: too large ({size / 1048576:.1f} MB; the limit is "
                f"{max_bytes / 1048576:.0f} MB, set by [limits] max_file_mb)"
            )
        data = read_regular(path, max_bytes)  # bounded whatever st_size said
    except TooLarge as err:
        raise too_large from err
    except OSError as err:
        raise ReadError(f"{path}: cannot be opened ({err.strerror or err})") from err
    return read_bytes(path, data, max_bytes=max_bytes, limits=limits)


def check_size(path: Path, size: int, max_bytes: int) -> None:
    """Raise ReadError when *size* bytes is over the [limits] max_file_mb limit."""
    if size > max_bytes:
        raise ReadError(
            f"{path}: too large ({size / 1048576:.1f} MB; the limit is "
            f"{max_bytes / 1048576:.0f} MB, set by [limits] max_file_mb)"
        )


def read_bytes(
    path: Path, data: bytes, *, max_bytes: int, limits: Limits | None = None
) -> RawDocument:
    """Read *data* as the file *path* (by its suffix), with the same checks and limits as read_file."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(f"{path}: no reader for '{suffix}' files")
    check_size(path, len(data), max_bytes)
    check_content(path, data)
    reader = _reader(suffix)
    try:
        with applied(limits or Limits()):
            return reader(path, data)
    except ReadError:
        raise
    except RecursionError as err:
        raise ReadError(f"{path}: refused: nested too deeply to read") from err
    except Exception as err:
        log.debug("unexpected error reading %s", path, exc_info=True)
        raise ReadError(
            f"{path}: could not be read: unexpected {type(err).__name__} "
            f"({' '.join(str(err).split())[:200]}); please report this file"
        ) from err
