"""Plain text pasted into a file: UTF-8, else Windows-1252."""

from __future__ import annotations

from pathlib import Path

from council_papers.decoding import decode_text
from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument
from council_papers.read.forward import unwrap_inline


def read_txt(path: Path, data: bytes) -> RawDocument:
    """Read a pasted text file; a pasted forward still yields the original sender."""
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"{path}: not a text file (binary content)")
    text = decode_text(data)
    raw = RawDocument(path=str(path), format=Format.TXT, text=text)
    return unwrap_inline(raw)
