"""What the pack is made from: the meeting (PackSpec) and its items (PackItem)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from council_papers.models import Article, Publication
from council_papers.personal import ItemFindings


@dataclass(frozen=True)
class PackItem:
    """One piece of correspondence as the pack shows it: in a table, and for agenda items in full."""

    number: str | None  # "5.1" for agenda items, None for circulated ones
    sender_org: str | None  # the FROM column
    subject: str  # the SUBJECT column
    date: dt.date | None
    text: str  # the full clean text; may contain markdown links [text](https://...)
    articles: tuple[Article, ...] = ()  # a newsletter's articles: headline, theme, text
    kind: str | None = None  # "court-news", "appeal", "newsletter" …
    personal_data: bool = False  # the classifier or the clerk says it names private people
    respond_by: dt.date | None = None  # the date a response is asked by (the log's Respond by)
    # the personal data the classifier found, kept in the log: replaced, not looked for again
    findings: ItemFindings | None = None


@dataclass(frozen=True)
class PackSpec:
    """The meeting the pack is for, and how to write it."""

    council: str  # "Cambourne Town Council"
    district: str  # "District of South Cambridgeshire"
    meeting_title: str  # "Council Meeting"
    meeting_date: dt.date
    police_item: int = 5
    publication: Publication | str = Publication.REDACT  # redact | flag | keep
    template: Path | None = None  # None: the default template shipped in templates/
