"""Outlook messages (.msg), via python-oxmsg."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument
from council_papers.read.eml import richer_body, unwrap_inline

_NO_DATE_BEFORE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # 1601-01-01 means "no date"


def read_msg(path: Path, data: bytes) -> RawDocument:
    """Read an Outlook .msg file; a forward inside it yields the original sender."""
    from oxmsg import Message

    if not data.strip():
        raise ReadError(f"{path}: empty file")
    try:
        msg = Message.load(data)
        sender = msg.sender
        subject = msg.subject
        sent = msg.sent_date
        html = msg.html_body
        plain = msg.body or ""
        headers = msg.message_headers
    except ValueError as err:
        raise ReadError(f"{path}: not an Outlook message (.msg) ({err})") from err
    except Exception as err:  # olefile and oxmsg raise many types on damaged files
        raise ReadError(f"{path}: damaged Outlook message ({type(err).__name__}: {err})") from err
    # a damaged file can give any type for any property (an int for the sent date)
    sender = sender if isinstance(sender, str) else None
    subject = subject if isinstance(subject, str) else None
    sent = sent if isinstance(sent, dt.datetime) else None
    html = html if isinstance(html, str | bytes) else None
    plain = plain if isinstance(plain, str) else ""
    message_id = headers.get("message-id") or headers.get("Message-ID") \
        if isinstance(headers, Mapping) else None
    if sent is not None and sent.tzinfo is None:
        sent = sent.replace(tzinfo=dt.UTC)
    if sent is not None and sent < _NO_DATE_BEFORE:
        sent = None
    text, headings, warnings = richer_body(plain, html or None)
    raw = RawDocument(
        path=str(path),
        format=Format.MSG,
        text=text,
        sender=sender,
        subject=subject,
        date=sent,
        message_id=message_id if isinstance(message_id, str) else None,
        headings=headings,
        warnings=warnings,
    )
    return unwrap_inline(raw)
