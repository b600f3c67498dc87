"""Text decoding as browsers and mail clients do it: declared charsets, supersets, no loss.

Shared by every reader that meets bytes: emails' parts, saved pages, pasted text.
"""

from __future__ import annotations

import codecs


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), falling back to Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        head = data[: err.start]
        # cut off inside its last character: UTF-8 text (it holds other multi-byte
        # characters), not Windows-1252 text that happens to end in "é" or "Â"
        if err.end == len(data) and err.reason == "unexpected end of data" and not head.isascii():
            return head.decode("utf-8-sig")
        return data.decode("cp1252", errors="replace")


# Declared charsets whose superset is what senders really use, as browsers read them.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
}
# A part with no more than this share of bad bytes is read in its declared charset.
_MOSTLY = 0.01


def decode_declared(data: bytes, charset: str | None, *, utf16: bool = True) -> str:
    """Decode with a declared charset when it is a real text encoding that fits the bytes.

    See :func:`decode_reported`, which also says what was replaced.
    """
    return decode_reported(data, charset, utf16=utf16)[0]


def decode_reported(
    data: bytes, charset: str | None, *, utf16: bool = True
) -> tuple[str, str | None]:
    """Decode with a declared charset; return the text and a warning when bytes were lost.

    A declared charset is read as its superset where senders use one (ISO-8859-1 as
    Windows-1252, GB2312 as GB18030 …), as browsers and mail clients do. A part that
    is mostly valid in its charset keeps it, with the few bad bytes replaced and a
    warning; US-ASCII, an unknown name, or bytes that do not fit at all fall back to
    :func:`decode_text`. With *utf16* false, a UTF-16/32 declaration without a byte
    order mark is ignored (a web page that says so is not, in practice).
    """
    try:
        codec = codecs.lookup((charset or "").strip().strip("\"'")).name if charset else None
    except (LookupError, ValueError):
        codec = None
    if codec is None or codec == "ascii" or (not utf16 and codec.startswith(("utf-16", "utf-32"))):
        return decode_text(data), None
    codec = _SUPERSETS.get(codec, codec)
    if codec == "cp1252":
        return data.decode("cp1252", errors="replace"), None
    try:
        return data.decode(codec), None
    except LookupError:  # base64 and other non-text codecs
        return decode_text(data), None
    except UnicodeError:
        pass
    try:
        text = data.decode(codec, errors="replace")
    except (LookupError, UnicodeError):
        return decode_text(data), None
    bad = text.count("\ufffd") - data.decode("latin-1").count("\ufffd")
    if bad <= max(2, _MOSTLY * len(text)):
        return text, f"{bad} byte(s) not valid {charset} were replaced"
    return decode_text(data), f"not valid {charset}: read as UTF-8 or Windows-1252"
