"""Forwarded mail: recover the original From, Date and Subject from a forward block.

quotequail recognises Gmail, Outlook and Apple Mail forward blocks. It has been
seen to swallow a first body line that looks like a header ("Article 1: ..."),
so the body is re-cut here from the header block it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from council_papers.dates import parse_date
from council_papers.models import RawDocument

MAX_DEPTH = 8  # forwards of forwards; deeper nesting is reported, not followed

_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
_HEADER_KEYS = ("from", "sent", "date", "to", "cc", "bcc", "subject", "reply-to", "importance")
_HEADER_LINE = re.compile(r"^\s*[*>]*\s*(" + "|".join(_HEADER_KEYS) + r")\s*[*]*\s*:", re.I)
_MARKER = re.compile(
    r"^\s*(-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:|"
    r"-{2,}\s*original message\s*-{2,}|_{10,})\s*$",
    re.I,
)


_MAYBE_FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded|original) message|begin forwarded message|_{10,}|"
    r"[*>]*\s*from\s*[*]*\s*:)",
    re.I | re.M,
)


def strip_subject_prefix(subject: str | None) -> str | None:
    """Drop Fwd:/FW:/RE: prefixes (repeated or bracketed) from a subject."""
    if subject is None:
        return None
    return _PREFIX.sub("", subject).strip() or None


@dataclass(frozen=True)
class Forward:
    """The original message found inside a forward."""

    sender: str | None
    subject: str | None
    date: str | None
    text: str
    top: str = ""  # what the forwarder or replier wrote above the quoted message
    to: str | None = None


def _recut(text: str) -> tuple[dict[str, str], str] | None:
    """Return the first forward header block's values and the text after it, or None."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _MARKER.match(lines[i]) or _HEADER_LINE.match(lines[i]):
            start = i + 1 if _MARKER.match(lines[i]) else i
            j = start
            while j < len(lines) and not lines[j].strip():
                j += 1
            headers: dict[str, str] = {}
            while j < len(lines) and (m := _HEADER_LINE.match(lines[j])):
                key = m.group(1).lower()
                value = lines[j][m.end() :].strip(" *")
                j += 1
                # a long Outlook To: line wraps onto indented continuation lines
                while (
                    j < len(lines)
                    and lines[j].startswith((" ", "\t"))
                    and lines[j].strip()
                    and not _HEADER_LINE.match(lines[j])
                ):
                    value += " " + lines[j].strip()
                    j += 1
                # a subject wrapped by the mail client onto an unindented line: it is the
                # subject's when a header or the blank line before the body follows it
                if (
                    key == "subject"
                    and j + 1 < len(lines)
                    and lines[j].strip()
                    and not _HEADER_LINE.match(lines[j])
                    and (not lines[j + 1].strip() or _HEADER_LINE.match(lines[j + 1]))
                    and len(value) >= 40
                    and len(lines[j].split()) <= 12
                ):
                    value += " " + lines[j].strip()
                    j += 1
                headers.setdefault(key, value)
            if len(headers) >= 2:
                return headers, "\n".join(lines[j:]).strip("\n")
        i += 1
    return None


def unwrap_forward(text: str) -> Forward | None:
    """Return the forwarded original inside *text*, or None if it is not a forward."""
    # Every forward style carries a marker line or a "From:" header line; without
    # one, skip quotequail, which is the slowest step of reading an email.
    if not _MAYBE_FORWARD.search(text):
        return None
    import quotequail

    found = quotequail.unwrap(text)
    if not found or found.get("type") != "forward":
        return None
    top = (found.get("text_top") or "").strip()
    body = found.get("text") or ""
    cut = _recut(text)
    headers: dict[str, str] = {}
    if cut:
        headers, recut = cut
        # Keep our cut when quotequail's body is empty or a shorter tail of it: a line was swallowed.
        if recut and (not body.strip() or (body.strip() in recut and len(recut) > len(body))):
            body = recut
    # Our header values stop at the line's end; quotequail has been seen to run a
    # Subject on into the body's first line when no blank line follows it.
    return Forward(
        sender=headers.get("from") or found.get("from"),
        subject=headers.get("subject") or found.get("subject"),
        date=headers.get("date") or headers.get("sent") or found.get("date") or found.get("sent"),
        text=body,
        top=top,
        to=headers.get("to") or found.get("to"),
    )


_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|sv)\s*(\[\d+\])?\s*:", re.I)
_WROTE = re.compile(
    r"^\s*(?:On\b.{4,200}\bwrote:|Le\b.{4,200}\ba écrit\s*:)\s*$", re.I | re.M | re.S
)


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_reply(
    subject: str | None, top: str, *, to: str | None = None, quoted_from: str | None = None
) -> bool:
    """True when a message with a quoted one below is a reply, whose own text is the item.

    A few lines of its own above the quote, and either a "Re:" subject or a quote from
    the very person it is sent to (a reply whose subject was changed): the replier
    wrote something, and what they wrote is the correspondence; the quote is context.
    """
    if len(re.findall(r"\w+", top)) < 8:
        return False
    if _REPLY_SUBJECT.match(subject or ""):
        return True
    # a forward goes to someone else; a message to the very person quoted answers them
    answered = {a.lower() for a in _ADDRESS.findall(to or "")}
    quoted = {a.lower() for a in _ADDRESS.findall(quoted_from or "")}
    return bool(answered & quoted)


def split_reply(text: str) -> tuple[str, str] | None:
    """Split a reply at its "On … wrote:" line: (the reply's own text, the quoted message)."""
    m = _WROTE.search(text)
    if not m or len(re.findall(r"\w+", text[: m.start()])) < 8:
        return None
    quoted = "\n".join(
        line.lstrip(">").lstrip() if line.startswith(">") else line
        for line in text[m.end() :].split("\n")
    )
    return text[: m.start()].strip(), quoted.strip()


def unwrap_inline(raw: RawDocument) -> RawDocument:
    """Replace a forward's outer headers and text with the original message's.

    A reply is not a forward: the replier stays the sender and their text the item,
    with the quoted message kept as context.
    """
    forwarded_by = raw.forwarded_by or None
    depth = 0
    while depth < MAX_DEPTH:
        fwd = unwrap_forward(raw.text)
        if (
            fwd is not None
            and depth == 0
            and is_reply(raw.subject, fwd.top, to=raw.to, quoted_from=fwd.sender)
        ):
            quoted = "\n".join(
                f"{key}: {value}"
                for key, value in (
                    ("From", fwd.sender),
                    ("Date", fwd.date),
                    ("Subject", fwd.subject),
                )
                if value
            )
            context = f"{quoted}\n\n{fwd.text}".strip()
            return replace(
                raw, text=fwd.top, context=context, subject=strip_subject_prefix(raw.subject)
            )
        if fwd is None:
            if depth == 0 and is_reply(raw.subject, raw.text):
                split = split_reply(raw.text)
                if split:
                    return replace(
                        raw,
                        text=split[0],
                        context=split[1],
                        subject=strip_subject_prefix(raw.subject),
                    )
            break
        forwarded_by = forwarded_by or raw.sender
        date = parse_date(fwd.date) or raw.date
        raw = replace(
            raw,
            text=fwd.text,
            sender=fwd.sender or raw.sender,
            subject=fwd.subject or raw.subject,
            date=date,
            to=fwd.to,
            message_id=None,  # the outer Message-ID names the forward, not the original
        )
        depth += 1
    if depth == MAX_DEPTH and unwrap_forward(raw.text) is not None:
        note = f"forwards nested more than {MAX_DEPTH} deep: the innermost ones are left as text"
        raw = replace(raw, warnings=(*raw.warnings, note))
    return replace(raw, forwarded_by=forwarded_by, subject=strip_subject_prefix(raw.subject))
