"""Plain text pasted into a file: UTF-8, else Windows-1252."""

from __future__ import annotations

import codecs
from pathlib import Path

from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument
from council_papers.read.eml import unwrap_inline


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), falling back to Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.end == len(data) and err.reason == "unexpected end of data":
            return data[: err.start].decode("utf-8-sig")  # cut off inside the last character
        return data.decode("cp1252", errors="replace")


def decode_declared(data: bytes, charset: str | None, *, utf16: bool = True) -> str:
    """Decode with a declared charset when it is a real text encoding that fits the bytes.

    ISO-8859-1 is read as Windows-1252, as browsers and mail clients do (its C1 range
    holds ’ “ ” €); US-ASCII, an unknown name, or bytes that do not fit fall back to
    :func:`decode_text`. With *utf16* false, a UTF-16/32 declaration without a byte
    order mark is ignored (a web page that says so is not, in practice).
    """
    try:
        codec = codecs.lookup((charset or "").strip().strip("\"'")).name if charset else None
    except (LookupError, ValueError):
        codec = None
    if codec is None or codec == "ascii" or (not utf16 and codec.startswith(("utf-16", "utf-32"))):
        return decode_text(data)
    if codec in {"iso8859-1", "cp1252"}:
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode(codec)
    except (LookupError, UnicodeError):  # LookupError: base64 and other non-text codecs
        return decode_text(data)


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
