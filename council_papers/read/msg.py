"""Outlook messages (.msg), via python-oxmsg."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument
from council_papers.read.eml import read_documents, richer_body
from council_papers.read.forward import unwrap_inline

_NO_DATE_BEFORE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # 1601-01-01 means "no date"
_FORWARD_SUBJECT = re.compile(r"^\s*(fw|fwd)\s*:", re.I)


_EMBEDDED = "__substg1.0_3701000D"  # an attachment's storage holding an attached message
_EMBEDDED_HEADER = 24  # an attached message's properties header (32 for the file's own)
MAX_DEPTH = 8


def read_msg(path: Path, data: bytes) -> RawDocument:
    """Read an Outlook .msg file; a forward inside it yields the original sender."""
    from oxmsg import Message

    if not data.strip():
        raise ReadError(f"{path}: empty file")
    try:
        msg = Message.load(data)
    except ValueError as err:
        raise ReadError(f"{path}: not an Outlook message (.msg) ({err})") from err
    except Exception as err:  # olefile and oxmsg raise many types on damaged files
        raise ReadError(f"{path}: damaged Outlook message ({type(err).__name__}: {err})") from err
    return _message_to_raw(msg, path, 0)


def _message_to_raw(msg: Any, path: Path, depth: int) -> RawDocument:
    try:
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
    message_id = (
        headers.get("message-id") or headers.get("Message-ID")
        if isinstance(headers, Mapping)
        else None
    )
    sent = _usable(sent)
    notes: list[str] = []
    if sent is None:
        # a draft, or a message saved by a client that sets no submit time: the time
        # it was delivered, else created, stands in, and the clerk is told which
        for pid, what in ((0x0E06, "delivery"), (0x3007, "creation")):  # PidTag…Time
            try:
                stamp = _usable(msg.properties.date_prop_value(pid))
            except Exception:  # a damaged property stream
                stamp = None
            if stamp is not None:
                sent = stamp
                notes.append(f"no sent date: its {what} time is used")
                break
    text, headings, warnings = richer_body(plain, html or None)
    documents, names, doc_warnings = read_documents(_documents(msg), path)
    warnings = (*notes, *warnings, *doc_warnings)
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
    # an Outlook "attach item" forward: the attached message is the correspondence when
    # this one says it is a forward or is only a short covering note, as in an .eml
    attached = _attached_messages(msg)
    if attached and (_FORWARD_SUBJECT.match(subject or "") or len(text.split()) <= 80):
        if depth >= MAX_DEPTH:
            return replace(raw, warnings=(*warnings, f"forwards nested more than {MAX_DEPTH} deep"))
        try:
            inner = _message_to_raw(attached[0], path, depth + 1)
        except ReadError as err:
            reason = str(err).split(": ", 1)[-1]
            return replace(
                raw, warnings=(*warnings, f"the attached message could not be read: {reason}")
            )
        return replace(inner, forwarded_by=sender, warnings=(*warnings, *inner.warnings))
    unwrapped = unwrap_inline(raw)
    if documents:
        unwrapped = replace(
            unwrapped, text=f"{unwrapped.text.rstrip()}\n\n{documents}", attachments=names
        )
    return unwrapped


def _attached_messages(msg: Any) -> list[Any]:
    """The messages attached inside *msg* (python-oxmsg does not open them itself)."""
    from oxmsg import Message
    from oxmsg.properties import Properties

    class Attached(Message):
        @property
        def properties(self) -> Any:
            return Properties(self._storage, properties_header_offset=_EMBEDDED_HEADER)

        @property
        def _properties(self) -> Any:
            return self.properties

    found = []
    try:
        storages = list(msg._storage.iter_attachment_storages())
    except Exception:  # not a message we can look inside
        return []
    for storage in storages:
        for sub in getattr(storage, "storages", ()):
            if getattr(sub, "name", "") == _EMBEDDED:
                found.append(Attached(sub))
    return found


def _usable(stamp: object) -> dt.datetime | None:
    if not isinstance(stamp, dt.datetime):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return None if stamp < _NO_DATE_BEFORE else stamp


def _documents(msg: object) -> list[tuple[str, str, bytes]]:
    """The PDF and Word documents attached to an Outlook message."""
    found: list[tuple[str, str, bytes]] = []
    try:
        attachments = list(getattr(msg, "attachments", ()))
    except Exception:  # a damaged attachment table: the message itself is still read
        return found
    for attachment in attachments:
        try:
            name, data = attachment.file_name or "", attachment.file_bytes
        except Exception:
            continue
        suffix = Path(name).suffix.lower()
        if suffix in (".pdf", ".docx") and isinstance(data, bytes) and data:
            found.append((name, suffix, data))
    return found
