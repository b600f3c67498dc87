"""Extraction: who sent it (organisation and person), what it is called, when, and its articles."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from council_papers.clean import (
    clean,
    clean_inline,
    display_text,
    is_artefact,
    is_read_more,
    one_line,
)
from council_papers.config import Theme
from council_papers.dates import find_date, parse_date
from council_papers.models import Article, Correspondence, Format, RawDocument
from council_papers.read.forward import strip_subject_prefix
from council_papers.senders import Identifier, Sender

# Words that make a From display name an organisation rather than a person.
_ORG_WORDS = re.compile(
    r"\b(council|police|constabulary|office|commissioner|trust|association|service|watch|ltd|"
    r"limited|department|partnership|fire|nhs|team|alert|network|society|charity|group|unit)\b",
    re.I,
)
_RANK = (
    r"(?:Chief Constable|Deputy Chief Constable|Assistant Chief Constable|Chief Superintendent|"
    r"Det(?:ective)?\.? (?:Ch(?:ief)?\.? )?(?:Supt|Superintendent|Inspector|Insp|Sergeant|Sgt|"
    r"Constable)|Superintendent|Supt|Chief Inspector|Inspector|Insp\.?|Sergeant|Sgt\.?|"
    r"PCSO|PC|PS|DC|DS|DI|DCI|Police Constable|Councillor|Cllr\.?)"
)
_NAME = r"[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+){1,3}"
_RANKED_NAME = re.compile(rf"^{_RANK}(?:\s+\d+)?\s+{_NAME}\b.*$")
_PLAIN_NAME = re.compile(rf"^{_NAME}$")
_VALEDICTION = re.compile(
    r"^((kind(est)?|best|warm(est)?|many)\s+(regards|wishes|thanks)|regards|yours\s+"
    r"(sincerely|faithfully|truly)|best|thanks|thank you|thank you for reading|with thanks|"
    r"sincerely|take care|stay safe)\s*[,.!]*$",
    re.I,
)
_CONTACT = re.compile(r"@|https?://|www\.|\b\d{4,5}\s?\d{5,6}\b")
_SENT_BY = re.compile(r"^message sent by\s*:?\s*(.*)$", re.I)
_TITLE_ROLE = re.compile(
    r"\b(?:Commissioner|Chief Constable|Inspector|Sergeant|Superintendent|Councillor)\b,?\s+"
    rf"({_NAME})\s*$"
)
_GOVDELIVERY = re.compile(
    r"sent this bulletin at\s+(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:\s+(\d{1,2}:\d{2}\s*[AP]M))?",
    re.I,
)
_ALERT_SENT = re.compile(r"alert message sent\s*:?\s*(\d{1,2}/\d{1,2}/\d{2,4})", re.I)
_EVENT_DETAIL = re.compile(r"\s*(?:time|venue|where|location|place|address)\s*:", re.I)
_DATE_LINE = re.compile(
    r"^\s*(?:date|dated|report date|date of report|date sent|published|issued)\s*:?\s+(.{6,40})$",
    re.I | re.M,
)


_DATELINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|issued|date)\s*:?\s*(?:on\s+)?)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?[\w ,.]{0,30}\d{4}$",
    re.I,
)

# Titles that document software writes when the author gave none.
_NO_TITLE = frozenset({"untitled", "document", "microsoft word", "new document", "title"})


@dataclass(frozen=True)
class Knowledge:
    """What extraction needs from the council's data files."""

    identifier: Identifier
    themes: tuple[Theme, ...]


# -- author -------------------------------------------------------------------


def find_author(text: str) -> str | None:
    """Return the person (or team) who signed or sent the text, or None."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        m = _SENT_BY.match(line)
        if m:
            rest = m.group(1).strip() or (lines[i + 1] if i + 1 < len(lines) else "")
            if rest:
                return rest.rstrip(".")
    tail_start = max(0, len(lines) - 10)
    for i in range(len(lines) - 1, tail_start - 1, -1):
        if _VALEDICTION.match(lines[i]) and i + 1 < len(lines):
            signer = lines[i + 1]
            if len(signer.split()) <= 14 and not signer.endswith((":", "?")):
                return signer.rstrip(".")
    window = lines[-6:]
    for line in window:
        if _RANKED_NAME.match(line) and len(line.split()) <= 10:
            return line.rstrip(".")
    for line in reversed(window):  # a bare name, perhaps above a role or a footer line
        if _PLAIN_NAME.match(line):
            return line
    for line in lines[:3]:
        m = _TITLE_ROLE.search(line)
        if m:
            return m.group(1)
    return None


# -- date -----------------------------------------------------------------------


def find_sent_date(raw: RawDocument, text: str, subject: str | None) -> dt.date | None:
    """Return the date the original was sent: header, else dateline, else subject, else file."""
    header = raw.date.date() if raw.date else None
    m = _GOVDELIVERY.search(text)
    if m:
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        candidates = []
        for day, month in ((first, second), (second, first)):  # day first, then US order
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                pass
        # GovDelivery writes MM/DD/YYYY on some accounts: trust the one the header agrees with
        if header:
            return header
        if candidates:
            return candidates[0]
    if header:
        return header
    m = _ALERT_SENT.search(text)
    if m:
        parsed = parse_date(m.group(1))
        if parsed:
            return parsed.date()
    for m in _DATE_LINE.finditer(text):
        # "Date: Thursday 14 May, 6.30pm / Venue: …" is when an event is, not when it was sent
        if _EVENT_DETAIL.match(text[m.end() : m.end() + 200].lstrip("\n")):
            continue
        found = find_date(m.group(1))
        if found:
            return found
    found = find_date(subject)
    if found:
        return found
    # a dateline of its own near the top of a pasted page ("Wednesday, 25 March 2020")
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()][:8]:
        if len(line) <= 60 and _DATELINE.match(line):
            found = find_date(line)
            if found:
                return found
    # a file's own creation date stands in for an undated document, but not for a
    # scan with no text: that date is when it was scanned
    return raw.document_date.date() if raw.document_date and text.strip() else None


# -- articles -------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w&£]+")
_STARTS_WELL = re.compile(r"^[\w£$“‘\"'(]")


def _norm(text: str) -> str:
    return _NOT_WORD.sub(" ", display_text(text).casefold()).strip()


def _words(text: str) -> int:
    return len(text.split())


@dataclass
class _Draft:
    headline: str | None
    theme: str | None
    lines: list[str]


def split_articles(
    raw_text: str, headings: tuple[str, ...], themes: tuple[Theme, ...], title: str | None = None
) -> tuple[Article, ...]:
    """Split a newsletter into articles: headline, the theme heading above it, and text.

    Works on layout, not on one newsletter's wording: theme headings come from the
    rules file, headlines are the source's own headings (HTML/Word) or short lines
    that open a block and are followed by a paragraph. "Read more" stubs and a
    valediction end an article. A first line that repeats the title is the
    title, not a headline or a theme.
    """
    theme_names = {_norm(n): t.name for t in themes for n in t.names()}
    heading_set = {_norm(h) for h in headings}
    # (kind, text): kind is "text", "blank" or "end"
    items: list[tuple[str, str]] = []
    for raw in raw_text.replace("\r\n", "\n").split("\n"):
        line = clean_inline(raw)
        if is_read_more(raw):
            items.append(("end", ""))
        elif not line or is_artefact(raw):
            items.append(("blank", ""))
        else:
            items.append(("text", line))
    first = next((i for i, (kind, _) in enumerate(items) if kind == "text"), None)
    if first is not None and title and _norm(items[first][1]) == _norm(title):
        items[first] = ("blank", "")

    def next_text(i: int) -> str | None:
        for kind, value in items[i + 1 :]:
            if kind == "end":
                return None
            if kind == "text":
                return value
        return None

    def body_like(line: str | None, than: str) -> bool:
        if line is None or _norm(line) in theme_names or _VALEDICTION.match(line):
            return False
        n = _words(line)
        return len(line) > len(than) and (
            n >= 12 or (n >= 8 and line.endswith((".", "!", "?", "”", '"')))
        )

    articles: list[_Draft] = []
    current: _Draft | None = None
    theme: str | None = None
    after_theme = False
    at_block_start = True
    for i, (kind, value) in enumerate(items):
        if kind != "text":
            at_block_start = True
            if kind == "end":
                current = None
            elif current is not None:
                current.lines.append("")
            continue
        starts_block, at_block_start = at_block_start, False
        norm = _norm(value)
        if norm in theme_names:
            theme, after_theme, current = theme_names[norm], True, None
            at_block_start = True
            continue
        if _VALEDICTION.match(value):
            break  # the sign-off: what follows is a signature, not an article
        shown = display_text(value)
        short = _words(shown) <= 16 and len(shown) <= 120 and not shown.endswith((",", ";", ":"))
        # a headline starts like a title and is not a contact line
        starts_well = bool(_STARTS_WELL.match(shown)) and not _CONTACT.search(shown)
        marked = norm in heading_set
        headline = (
            (starts_block or marked)
            and short
            and starts_well
            and (marked or not shown.endswith(".") or after_theme)
            and body_like(next_text(i), shown)
        )
        if headline:
            current = _Draft(shown, theme, [])
            articles.append(current)
            after_theme = False
        elif current is not None:
            current.lines.append(value)
        elif after_theme:
            current = _Draft(None, theme, [value])
            articles.append(current)
            after_theme = False
    done = tuple(Article(d.headline, d.theme, clean("\n".join(d.lines))) for d in articles)
    done = tuple(a for a in done if a.text)
    if len(done) >= 2 or any(a.theme for a in done):
        return done
    return ()


# -- the record --------------------------------------------------------------------

# Lines that open a pasted page or message but are not its title: datelines, page
# chrome, greetings, bare dates.
_NOT_A_TITLE = re.compile(
    r"sent this bulletin at|^(?:message issued|alert message sent|published|issued|date)\b.{0,40}\d|"
    r"^(?:view (?:this )?(?:email )?in (?:your )?browser|having trouble viewing|skip to (?:main )?"
    r"content|accessibility|cookies?\b|menu$|search$|home$|you are here|screen reader|log ?in\b)|"
    r"^(?:dear|hi|hello|good (?:morning|afternoon|evening))\b[^.]{0,40}[,!]?$|"
    r"^[\W\d]*$|^(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\d{1,2}\s+\w+\s+\d{4}$|"
    r"^\d{1,2}(?:st|nd|rd|th)?\s+\w+\s+\d{4}$|^\+\s|\blogo\b",
    re.I,
)


def _first_line(text: str, banners: tuple[str, ...] = ()) -> str | None:
    """Return the text's first line as a title, passing over a sender's banner lines."""
    lines = [display_text(ln) for ln in text.split("\n") if display_text(ln)]
    banner = ""
    for i, line in enumerate(lines[:4]):
        banner = f"{banner} {line}".strip().casefold()
        if not any(banner in b.casefold() for b in banners):
            lines = lines[i:]
            break
    for shown in lines:
        if shown and not _NOT_A_TITLE.search(shown):
            if len(shown) > 120:
                shown = shown[:117].rsplit(" ", 1)[0] + "…"
            return shown
    return None


def extract(raw: RawDocument, knowledge: Knowledge) -> Correspondence:
    """Turn a RawDocument into a clean Correspondence record."""
    text = clean(raw.text)
    # fields shown on one line (log cells, table rows, the terminal) lose control and
    # bidi characters here, once, so every later stage sees the neutral text
    title = one_line(raw.title)
    title = title if title and title.casefold() not in _NO_TITLE else None
    sender = one_line(raw.sender)
    banners = tuple(
        s
        for org in knowledge.identifier.registry.organisations
        for s in (*org.signatures, *org.all_names())
    )
    found: Sender = knowledge.identifier.identify(
        header=sender,
        site=one_line(raw.site),
        raw_text=raw.text,
        text=text,
        letterhead=raw.letterhead,
        document=raw.format in (Format.PDF, Format.DOCX),
    )
    # a first line taken as the subject is a one-line field like the others (its spaces
    # may be any Unicode space: U+1680, U+3000 …)
    subject = (
        strip_subject_prefix(one_line(raw.subject)) or title or one_line(_first_line(text, banners))
    )
    return Correspondence(
        path=raw.path,
        format=raw.format,
        sender_org=found.name,
        sender_role=str(found.role),
        sender_evidence=found.evidence,
        on_behalf_of=found.on_behalf_of,
        author=find_author(text),
        subject=subject,
        date=find_sent_date(raw, text, subject),
        forwarded_by=one_line(raw.forwarded_by),
        sender=sender,
        message_id=raw.message_id,
        articles=split_articles(raw.text, raw.headings, knowledge.themes, subject),
        text=text,
        warnings=raw.warnings,
        context=clean(raw.context) if raw.context else "",
        to=one_line(raw.to),
        attachments=raw.attachments,
    )
