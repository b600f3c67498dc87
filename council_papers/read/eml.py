"""Saved emails (.eml): the original message, even when it came as a forward."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

from council_papers.dates import parse_date
from council_papers.decoding import decode_reported
from council_papers.errors import ReadError
from council_papers.limits import current
from council_papers.models import Format, RawDocument
from council_papers.read.forward import MAX_DEPTH, unwrap_inline
from council_papers.read.html import html_to_text

_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "mime-version", "received")
_FORWARD_SUBJECT = re.compile(r"^\s*(fw|fwd)\s*:", re.I)


_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)
_START = re.compile(r"""start\s*=\s*["']?([^"';\s]+)""", re.I)  # multipart/related's first part


def _raw_header(part: Message, name: str) -> str | None:
    """Return a header's raw text, unparsed (parsing goes through the header registry, which is slow)."""
    return next((value for key, value in part.raw_items() if key.lower() == name), None)


def _content_type(part: Message) -> str:
    """Return the part's content type as the stdlib's ``get_content_type`` does, parsing nothing twice."""
    value = _raw_header(part, "content-type")
    if value is None:
        return part.get_default_type()
    ctype = str(value).split(";", 1)[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"  # RFC 2045: invalid means text/plain


def _is_attachment(part: Message) -> bool:
    value = _raw_header(part, "content-disposition")
    return value is not None and str(value).split(";", 1)[0].strip().lower() == "attachment"


def decode_part(part: Message, notes: list[str] | None = None) -> str:
    """Decode a text part: its declared charset, else UTF-8, else Windows-1252.

    Charset guessers picked cp1250 on UK mail and turned £ into Ł; UK senders
    without a declared charset are nearly always UTF-8 or Windows-1252. A warning
    about bytes that were replaced goes to *notes*.
    """
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""

    declared = _CHARSET.search(str(_raw_header(part, "content-type") or ""))
    text, warning = decode_reported(payload, declared.group(1) if declared else None)
    if warning and notes is not None:
        notes.append(warning)
    return text


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # the stdlib's header parser raises assorted types on junk
        value = _raw_header(msg, name.lower())
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _raw_to(msg: Message) -> str | None:
    """The To header's text, unparsed: only its addresses are looked at, and parsing
    address lists is the slowest thing the stdlib does with a header."""
    value = _raw_header(msg, "to")
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _header_date(msg: Message) -> dt.datetime | None:
    try:
        value = msg.get("Date")
        stamp = getattr(value, "datetime", None)
    except Exception:  # as in _header
        stamp = None
    return stamp if isinstance(stamp, dt.datetime) else parse_date(_header(msg, "Date"))


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<[^<>\s]*>|https?://\S+")


def _words(text: str) -> int:
    """The words of a body's prose: link addresses, and short lines (buttons, footers,
    "Unsubscribe | Settings"), left out, the same for the plain and the HTML body."""
    count = 0
    for line in _LINK_TARGET.sub(" ", text).split("\n"):
        if line.count("|") >= 2:  # a bar of buttons or a table border
            continue
        words = re.findall(r"\w+", line)
        if len(words) >= 4:
            count += len(words)
    return count


def _bodies(msg: Message) -> tuple[Message | None, Message | None]:
    """Return the message's first plain and first HTML body parts.

    The parts ``EmailMessage.get_body`` would pick for ``("plain",)`` and
    ``("html",)``: attachments skipped, a multipart/related entered by its start
    part; each part's headers read once instead of a dozen times.
    """
    found: dict[str, Message] = {}
    todo = [msg]
    while todo and len(found) < 2:
        part = todo.pop()
        if _is_attachment(part):
            continue
        maintype, _, subtype = _content_type(part).partition("/")
        if maintype == "text":
            if subtype in ("plain", "html"):
                found.setdefault(subtype, part)
            continue
        if maintype != "multipart" or not part.is_multipart():
            continue
        subparts = [p for p in part.get_payload() if isinstance(p, Message)]
        if subtype == "related" and subparts:
            wanted = _START.search(str(_raw_header(part, "content-type") or ""))
            chosen = [
                p
                for p in subparts
                if wanted and str(_raw_header(p, "content-id")).strip() == wanted[1]
            ]
            subparts = chosen[:1] or subparts[:1]
        todo.extend(reversed(subparts))  # depth first, in document order
    return found.get("plain"), found.get("html")


def _body(msg: Message) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Return the richer of the message's HTML and plain bodies, with the HTML's headings and warnings."""
    plain, html = _bodies(msg)
    notes: list[str] = []
    plain_text = decode_part(plain, notes) if plain is not None else ""
    text, headings, warnings = richer_body(
        plain_text, decode_part(html, notes) if html is not None else None
    )
    return text, headings, (*dict.fromkeys(notes), *warnings)


def richer_body(
    plain: str, html: str | bytes | None
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Of an email's plain and HTML bodies, the text to keep, with the HTML's headings and warnings.

    HTML is preferred (it carries the headings) unless the plain part says clearly more.
    """
    if html is None:
        return plain, (), ()
    rendered = html_to_text(html, page=False)
    plain_words = _words(plain) if plain else 0
    if plain_words > 10 and plain_words > 1.2 * _words(rendered.text) + 10:
        return plain, (), ()
    return rendered.text, rendered.headings, rendered.warnings


def _attached_messages(msg: Message) -> list[Message]:
    found = []
    for part in msg.walk():
        if part is msg or not part.is_multipart() or _content_type(part) != "message/rfc822":
            continue
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            inner = inner[0]
        if isinstance(inner, Message):
            found.append(inner)
    return found


# Documents attached to an email are read by the same readers, in memory, under the
# same limits; their text becomes part of the item ("please see attached").
_DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_MAX_ATTACHMENTS = 10


def _attachment_name(part: Message) -> str | None:
    # parse the headers only where a name can be (the stdlib's parser is slow)
    raw = (
        f"{_raw_header(part, 'content-disposition') or ''}{_raw_header(part, 'content-type') or ''}"
    )
    if "name" not in raw.lower():
        return None
    try:
        name = part.get_filename()
    except Exception:  # a malformed parameter: the stdlib raises assorted types
        name = None
    return " ".join(str(name).split()) if name else None


def _attached_documents(msg: Message) -> list[tuple[str, str, bytes]]:
    """Return (name, suffix, bytes) for each PDF or Word document attached to *msg*."""
    found: list[tuple[str, str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart() or _content_type(part) == "message/rfc822":
            continue
        name = _attachment_name(part)
        suffix = Path(name).suffix.lower() if name else ""
        if suffix not in (".pdf", ".docx"):
            suffix = _DOCUMENT_TYPES.get(_content_type(part), "")
        if not suffix or not (name or _is_attachment(part)):
            continue
        try:
            data = part.get_payload(decode=True)
        except Exception:  # a damaged transfer encoding
            data = None
        if isinstance(data, bytes) and data:
            found.append((name or f"attachment{suffix}", suffix, data))
        if len(found) >= _MAX_ATTACHMENTS:
            break
    return found


# the line that starts an attached document's text within the email's
ATTACHMENT_HEADING = "Attachment: {name}"


def attached_texts(text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The text of each attached document *names*, as read_documents put it into *text*."""
    starts = []
    for name in names:
        heading = f"{ATTACHMENT_HEADING.format(name=name)}\n\n"
        at = text.find(heading)
        if at >= 0:
            starts.append((at, at + len(heading)))
    if not starts:
        return ()
    starts.sort()
    ends = [at for at, _ in starts[1:]] + [len(text)]
    return tuple(text[body:end].strip() for (_, body), end in zip(starts, ends, strict=True))


def read_attachments(msg: Message, path: Path) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Read the documents attached to *msg*: (their text, their names, warnings)."""
    return read_documents(_attached_documents(msg), path)


def read_documents(
    documents: list[tuple[str, str, bytes]], path: Path
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Read attached documents, (name, suffix, bytes) each: (their text, names, warnings)."""
    from council_papers.read.docx import read_docx
    from council_papers.read.pdf import read_pdf

    texts: list[str] = []
    names: list[str] = []
    warnings: list[str] = []
    limit = current().max_unpacked_bytes
    for name, suffix, data in documents[:_MAX_ATTACHMENTS]:
        if len(data) > limit:
            warnings.append(f"attachment '{name}' not read: larger than the unpacked-size limit")
            continue
        reader = read_pdf if suffix == ".pdf" else read_docx
        try:
            doc = reader(Path(f"{path.name} › {name}"), data)
        except ReadError as err:
            reason = str(err).split(": ", 1)[-1]
            warnings.append(f"attachment '{name}' could not be read: {reason}")
            continue
        except Exception as err:  # a reader's bug must not lose the email
            warnings.append(f"attachment '{name}' could not be read ({type(err).__name__})")
            continue
        warnings.extend(f"attachment '{name}': {w}" for w in doc.warnings)
        if doc.text.strip():
            texts.append(f"{ATTACHMENT_HEADING.format(name=name)}\n\n{doc.text.strip()}")
            names.append(name)
    return "\n\n".join(texts), tuple(names), tuple(warnings)


def _defects(msg: Message) -> tuple[str, ...]:
    names: list[str] = []
    for part in msg.walk():
        names.extend(type(d).__name__ for d in getattr(part, "defects", []))
    if not names:
        return ()
    return (f"malformed email: {', '.join(dict.fromkeys(names))}",)  # one line, however many


def message_to_raw(
    msg: Message, path: Path, fmt: Format = Format.EML, depth: int = 0
) -> RawDocument:
    """Turn a parsed message into a record of its original sender, subject, date and text."""
    sender = _header(msg, "From")
    subject = _header(msg, "Subject")
    text, headings, html_warnings = _body(msg)
    warnings = (*_defects(msg), *html_warnings)
    attached = _attached_messages(msg)
    documents, names, doc_warnings = read_attachments(msg, path)
    warnings = (*warnings, *doc_warnings)
    raw = RawDocument(
        path=str(path),
        format=fmt,
        text=text,
        sender=sender,
        subject=subject,
        date=_header_date(msg),
        to=_raw_to(msg),
        message_id=_header(msg, "Message-ID"),
        headings=headings,
        warnings=warnings,
    )
    # Forwarded as an attachment: the attached message is the correspondence when
    # the outer one says it is a forward or is only a short covering note.
    if attached and (_FORWARD_SUBJECT.match(subject or "") or _words(text) <= 80):
        if depth >= MAX_DEPTH:
            return replace(raw, warnings=(*warnings, f"forwards nested more than {MAX_DEPTH} deep"))
        inner = message_to_raw(attached[0], path, fmt, depth + 1)
        return replace(inner, forwarded_by=sender, warnings=(*warnings, *inner.warnings))
    unwrapped = unwrap_inline(raw)
    if documents:
        unwrapped = replace(
            unwrapped, text=f"{unwrapped.text.rstrip()}\n\n{documents}", attachments=names
        )
    return unwrapped


def _looks_like_mail(msg: Message) -> bool:
    present = {k.lower() for k in msg}
    return len(present & set(_KNOWN_HEADERS)) >= 2 or ("from" in present and "subject" in present)


def nesting(msg: Message) -> int:
    """Return how deep the message's parts are nested (0 for a message of one part)."""
    deepest = 0
    todo = [(msg, 0)]
    while todo:  # a loop, not recursion: the nesting is what is in question
        part, depth = todo.pop()
        deepest = max(deepest, depth)
        if not part.is_multipart():  # a leaf's get_payload() decodes, and can fail on junk
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            todo.extend((p, depth + 1) for p in payload if isinstance(p, Message))
    return deepest


def _too_deep(limit: int) -> str:
    return f"refused: parts nested more than {limit} deep (set by [limits] max_nesting)"


def read_eml(path: Path, data: bytes) -> RawDocument:
    """Read a saved email (.eml)."""
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    if data.lstrip().startswith(b"%PDF"):
        raise ReadError(f"{path}: not an email: the file is a PDF (rename it to .pdf)")
    if data.startswith(b"PK\x03\x04"):
        raise ReadError(f"{path}: not an email: the file is a zip or Office document")
    limit = current().max_nesting
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError as err:  # the parser recurses once per level of nesting
        raise ReadError(f"{path}: {_too_deep(limit)}") from err
    if nesting(msg) > limit:
        raise ReadError(f"{path}: {_too_deep(limit)}")
    if not _looks_like_mail(msg):
        raise ReadError(f"{path}: not an email (no From, Subject or Date headers)")
    return message_to_raw(msg, path)
