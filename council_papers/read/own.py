"""council-papers' own files: the log, its backups, lock and temp files, and the packs.

They are never read back as correspondence (``build .`` in the mail folder would
otherwise log the council's previous pack as a circulated item). They are known by
what they are: the mark council-papers writes in a workbook's or document's
properties (``dc:identifier``), or the log's two sheets; and, for the hidden lock and
temp files, by the names only council-papers gives them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# Written into the core properties of every log and pack (dc:identifier): a clerk editing
# either in Excel or Word keeps it.
LOG_MARK = "council-papers correspondence log"
PACK_MARK = "council-papers meeting pack"

_NAMES = (
    (re.compile(r"\..+\.xlsx\.lock"), "the correspondence log's lock file"),
    (re.compile(r"\..+\.saving\.xlsx"), "a temp file left by a save of the log"),
    (re.compile(r"\..+\.backup-.+\.xlsx\.partial"), "a part-made backup of the log"),
    (re.compile(r"\..+\.docx\.\d+\.tmp"), "a temp file left by a save of a pack"),
)
_SMALL = 1 << 20  # the properties and workbook parts are a few kB; a bomb is not read
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"')


def own_file(path: Path) -> str | None:
    """Say which of council-papers' own files *path* is, or None for anything else.

    *path* must be a regular file (the caller checks: a FIFO would hang the zip read).
    """
    for pattern, what in _NAMES:
        if pattern.fullmatch(path.name):
            return what
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            core = _part(zf, "docProps/core.xml")
            if suffix == ".docx":
                return "a meeting pack council-papers wrote" if PACK_MARK.encode() in core else None
            if LOG_MARK.encode() in core:
                return "a correspondence log council-papers keeps"
            sheets = {n.strip().lower() for n in _SHEET.findall(_part(zf, "xl/workbook.xml"))}
            if {b"correspondence", b"texts"} <= sheets:  # a log written before the mark
                return "a correspondence log council-papers keeps"
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None  # not a zip we can look into: the reader says what is wrong with it
    return None


def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    return zf.read(info) if info.file_size <= _SMALL else b""
