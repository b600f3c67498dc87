"""PDFs: the text layer via pypdf; a scan without one is flagged "needs OCR"."""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata
import warnings as pywarnings
from pathlib import Path

from council_papers.dates import parse_date
from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument


def _pdf_date(value: object) -> dt.datetime | None:
    text = str(value or "")
    if text.startswith("D:") and len(text) >= 10:  # D:YYYYMMDDHHmmSS
        return parse_date(f"{text[2:6]}-{text[6:8]}-{text[8:10]}")
    return None


def read_pdf(path: Path, data: bytes) -> RawDocument:
    """Read a PDF's text layer, page by page."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.strip():
        raise ReadError(f"{path}: empty file")
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise ReadError(f"{path}: not a PDF (no %PDF header)")
    # pypdf reports recoverable damage as warnings and log lines; collect, never crash
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    notes: list[str] = []
    try:
        with pywarnings.catch_warnings(record=True) as caught:
            pywarnings.simplefilter("always")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")  # many "protected" PDFs open with no password
                except (NotImplementedError, PdfReadError) as err:
                    raise ReadError(f"{path}: encrypted PDF that cannot be opened ({err})") from err
                if not opened:
                    raise ReadError(f"{path}: encrypted PDF: it needs a password to open")
            pages = [page.extract_text() or "" for page in reader.pages]
            meta = reader.metadata
            title = (meta.title or "").strip() if meta else ""
            created = _pdf_date(meta.get("/CreationDate")) if meta else None
        notes.extend(str(w.message) for w in caught)
    except FileNotDecryptedError as err:
        raise ReadError(f"{path}: encrypted PDF: it needs a password to open") from err
    except ReadError:
        raise
    except Exception as err:  # pypdf raises many types on damaged files
        raise ReadError(f"{path}: damaged or truncated PDF ({type(err).__name__}: {err})") from err
    text = unicodedata.normalize("NFKC", "\n\n".join(p.strip() for p in pages))
    warnings: list[str] = []
    if pages and not text.strip():
        warnings.append(f"needs OCR: no text layer on {len(pages)} page(s)")
    if notes:
        warnings.append(f"PDF is slightly damaged ({notes[0]})")
    return RawDocument(
        path=str(path),
        format=Format.PDF,
        text=text,
        title=title or None,
        document_date=created,
        warnings=tuple(warnings),
    )
