"""Readers: one per format, chosen by file suffix, each returning a RawDocument."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument, Skipped

Reader = Callable[[Path, bytes], RawDocument]

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


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Yield each readable file under *paths* (folders recursively, sorted), or why not."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    yield from _one(Path(root) / name, explicit=False)
        elif path.exists():
            yield from _one(path, explicit=True)
        else:
            yield Skipped(str(path), "no such file or folder")


def _one(path: Path, *, explicit: bool) -> Iterator[Path | Skipped]:
    if _hidden(path) or path.name.lower() in _IGNORED_NAMES:
        if explicit:
            kind = "an Office lock file" if path.name.startswith("~$") else "a hidden file"
            yield Skipped(str(path), f"skipped: {kind}")
        return
    if format_for(path) is None:
        yield Skipped(str(path), f"no reader for '{path.suffix or path.name}' files")
        return
    yield path


def read_file(path: Path, *, max_bytes: int) -> RawDocument:
    """Read one file with the reader for its suffix; raise ReadError with the reason."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(f"{path}: no reader for '{suffix}' files")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"{path}: too large ({size / 1048576:.1f} MB; the limit is "
                f"{max_bytes / 1048576:.0f} MB, set by [limits] max_file_mb)"
            )
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"{path}: cannot be opened ({err.strerror or err})") from err
    return _reader(suffix)(path, data)
