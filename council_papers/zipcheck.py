"""Guard for zip-based formats (.docx, .xlsx): refuse bombs before a library opens them."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import IO

from council_papers.errors import ReadError
from council_papers.limits import current

MAX_MEMBERS = 2000
MAX_RATIO = 200
_PROLOGUE = 65_536  # bytes of each XML part read to look for a DOCTYPE
# What reading a damaged member raises: bad data, truncation, encryption, odd compression.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


def check_zip(
    path: Path,
    source: IO[bytes],
    *,
    what: str,
    max_unpacked: int | None = None,
    setting: str = "max_unpacked_mb",
) -> None:
    """Raise ReadError if *source* is not a zip or would unpack to far more than it is.

    Only the central directory is read: nothing is decompressed. A member whose
    headers understate its size is still bounded, as zipfile stops at the size
    declared and then fails its CRC check.
    """
    limit = current().max_unpacked_bytes if max_unpacked is None else max_unpacked
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    except ZIP_ERRORS as err:  # NotImplementedError: a zip version zipfile does not know
        raise ReadError(f"{path}: not a valid {what} (damaged or not a zip: {err})") from err
    finally:
        source.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"{path}: refused: {len(infos)} parts inside (limit {MAX_MEMBERS})")
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > limit or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise ReadError(
            f"{path}: refused: would unpack to {_mb(unpacked)} "
            f"(a zip bomb or far larger than a {what}; limit {_mb(limit)}, set by [limits] "
            f"{setting})"
        )


def _mb(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


def doctype_part(zf: zipfile.ZipFile) -> str | None:
    """Return the first XML part that declares a DOCTYPE (entity attacks need one), or None.

    A DOCTYPE can only come before the root element, so only each part's prologue
    is read; a part with no root element in its first 64 KB is treated as one.
    """
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with zf.open(info) as member:
            head = member.read(_PROLOGUE)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in head[:4]:
            encoding = "utf-16-be" if head[:1] == b"\0" else "utf-16"
            head = head.decode(encoding, errors="ignore").encode()
        root = re.search(rb"<[A-Za-z_]", head)
        prologue = head[: root.start()] if root else head
        if b"<!DOCTYPE" in prologue.upper() or (root is None and info.file_size > _PROLOGUE):
            return info.filename
    return None


def check_doctypes(path: Path, source: IO[bytes], *, what: str) -> None:
    """Refuse XML parts that declare a DOCTYPE: no Office file needs one, entity attacks do.

    A DOCTYPE can only come before the root element, so only each part's prologue
    is read. Call after :func:`check_zip`.
    """
    try:
        with zipfile.ZipFile(source) as zf:
            part = doctype_part(zf)
        if part is not None:
            raise ReadError(
                f"{path}: refused: {part} declares XML entities (a DOCTYPE), which no {what} needs"
            )
    except ZIP_ERRORS as err:
        raise ReadError(f"{path}: damaged {what} ({type(err).__name__}: {err})") from err
    finally:
        source.seek(0)
