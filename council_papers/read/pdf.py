"""PDFs: the text layer via pypdf; a scan without one is flagged "needs OCR"."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
import warnings as pywarnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from council_papers.dates import parse_date
from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument


def _pdf_date(value: object) -> dt.datetime | None:
    text = str(value or "")
    if text.startswith("D:") and len(text) >= 10:  # D:YYYYMMDDHHmmSS
        return parse_date(f"{text[2:6]}-{text[6:8]}-{text[8:10]}")
    return None


_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d+(\s*(of|/)\s*\d+)?\s*$", re.I)
EDGE = 3  # lines at the top and bottom of a page where running heads and feet sit


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers, footers and page numbers repeated at the edges of pages."""
    split = [p.split("\n") for p in pages]
    if len(split) < 2:
        return [("\n".join(ln for ln in lines if not _PAGE_NUMBER.match(ln))) for lines in split]
    counts: dict[str, int] = {}
    for lines in split:
        edges = {_DIGITS.sub("#", ln.strip()) for ln in lines[:EDGE] + lines[-EDGE:] if ln.strip()}
        for shape in edges:
            counts[shape] = counts.get(shape, 0) + 1
    repeated = {shape for shape, n in counts.items() if n >= max(2, (len(split) + 1) // 2)}
    out = []
    for lines in split:
        n = len(lines)
        kept = [
            ln
            for i, ln in enumerate(lines)
            if not (
                (i < EDGE or i >= n - EDGE)
                and (_DIGITS.sub("#", ln.strip()) in repeated or _PAGE_NUMBER.match(ln))
            )
        ]
        out.append("\n".join(kept))
    return out


class _Collect(logging.Handler):
    """A logging handler that keeps each message in a list."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def _pypdf_log(into: list[str]) -> Iterator[None]:
    """Send pypdf's log lines into *into* instead of the terminal, while reading."""
    logger = logging.getLogger("pypdf")
    handler, propagate = _Collect(into), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _page_text(page: Any) -> str:
    text: str = page.extract_text() or ""
    if not text.strip():
        # extract_text swallows a decompression bomb and returns "": decode the page
        # again so it raises, rather than report the page as a scan
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return text


def read_pdf(path: Path, data: bytes) -> RawDocument:
    """Read a PDF's text layer, page by page."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

    if not data.strip():
        raise ReadError(f"{path}: empty file")
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise ReadError(f"{path}: not a PDF (no %PDF header)")
    # pypdf reports recoverable damage as warnings and log lines (some at ERROR, some
    # hundreds of characters long): collect them for one warning, never print them
    notes: list[str] = []
    try:
        with _pypdf_log(notes), pywarnings.catch_warnings(record=True) as caught:
            pywarnings.simplefilter("always")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")  # many "protected" PDFs open with no password
                except (NotImplementedError, PdfReadError) as err:
                    raise ReadError(f"{path}: encrypted PDF that cannot be opened ({err})") from err
                if not opened:
                    raise ReadError(f"{path}: encrypted PDF: it needs a password to open")
            pages = [_page_text(page) for page in reader.pages]
            meta = reader.metadata
            title = (meta.title or "").strip() if meta else ""
            created = _pdf_date(meta.get("/CreationDate")) if meta else None
        notes.extend(str(w.message) for w in caught)
    except FileNotDecryptedError as err:
        raise ReadError(f"{path}: encrypted PDF: it needs a password to open") from err
    except LimitReachedError as err:
        raise ReadError(
            f"{path}: refused: part of it unpacks to more than pypdf's limit "
            f"(a decompression bomb, or a damaged file: {err})"
        ) from err
    except ReadError:
        raise
    except Exception as err:  # pypdf raises many types on damaged files
        raise ReadError(f"{path}: damaged or truncated PDF ({type(err).__name__}: {err})") from err
    pages = strip_running_lines([unicodedata.normalize("NFKC", p) for p in pages])
    text = "\n\n".join(p.strip() for p in pages)
    warnings: list[str] = []
    if pages and not text.strip():
        warnings.append(f"needs OCR: no text layer on {len(pages)} page(s)")
    if notes:
        note = " ".join(notes[0].split())
        warnings.append(f"PDF is slightly damaged ({note[:150]}{'…' if len(note) > 150 else ''})")
    return RawDocument(
        path=str(path),
        format=Format.PDF,
        text=text,
        title=title or None,
        document_date=created,
        warnings=tuple(warnings),
    )
