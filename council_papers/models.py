"""The records that flow through the pipeline: typed, frozen, JSON-friendly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from council_papers.personal import ItemFindings


class Format(StrEnum):
    """The file formats council-papers reads."""

    EML = "eml"
    MSG = "msg"
    HTML = "html"
    TXT = "txt"
    PDF = "pdf"
    DOCX = "docx"


class Kind(StrEnum):
    """What kind of item a piece of correspondence is."""

    SURVEY = "survey"
    ENGAGEMENT_MEETING = "engagement-meeting"
    CONSULTATION = "consultation"
    STRATEGY = "strategy"
    FUNDING = "funding"
    REPORT = "report"
    COURT_NEWS = "court-news"
    NEWSLETTER = "newsletter"
    APPEAL = "appeal"
    CRIME_ALERT = "crime-alert"
    SCAM_WARNING = "scam-warning"
    PLATFORM_FEEDBACK = "platform-feedback"
    STATISTICS = "statistics"
    WEB_PAGE = "web-page"
    NOT_POLICE = "not-police"
    OTHER = "other"


class Publication(StrEnum):
    """What the pack does with private individuals' personal data ([publication] personal_data)."""

    REDACT = "redact"  # remove it
    FLAG = "flag"  # keep it and mark the item for the clerk to check
    KEEP = "keep"  # print the text as received


class RuleField(StrEnum):
    """The part of an item a rule looks at."""

    SUBJECT = "subject"
    SENDER = "sender"  # organisation, From and signature
    BODY = "body"
    ALL = "all"


class Disposition(StrEnum):
    """Where an item goes: on the agenda, in the circulated table, or neither."""

    AGENDA = "agenda"
    CIRCULATED = "circulated"
    EXCLUDED = "excluded"


@dataclass(frozen=True)
class Decision:
    """The classifier's verdict on one item, with the reasons that made it."""

    kind: Kind
    disposition: Disposition
    themes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    needs_review: bool = False
    duplicate_of: str | None = None
    personal_data: bool = False
    rule: str | None = None  # the rule that decided kind and disposition
    deadline: dt.date | None = None  # the date a response is asked by, while the call is open
    findings: ItemFindings | None = None  # the personal data in what the pack prints of it

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as a JSON-ready dict."""
        return {
            "kind": str(self.kind),
            "disposition": str(self.disposition),
            "themes": list(self.themes),
            "reasons": list(self.reasons),
            "needs_review": self.needs_review,
            "duplicate_of": self.duplicate_of,
            "personal_data": self.personal_data,
            "rule": self.rule,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: the text of one file, before cleaning and extraction.

    ``headings`` are lines the source marked as headings (HTML h1-h6, Word heading
    styles); the article splitter trusts them over its own guesses.
    """

    path: str
    format: Format
    text: str
    sender: str | None = None  # the original From, "Name <address>"
    subject: str | None = None  # the original subject, prefixes kept
    date: dt.datetime | None = None  # the original Date header
    title: str | None = None  # a document or page title
    document_date: dt.datetime | None = None  # from file metadata: weaker than a dateline
    site: str | None = None  # a saved page's site: its name and/or address
    message_id: str | None = None
    forwarded_by: str | None = None
    headings: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # a reply's quoted earlier message: context for the decision, not the item's own text
    context: str = ""
    attachments: tuple[str, ...] = ()  # names of attached documents whose text was read
    letterhead: str = ""  # a document's page headers and footers
    to: str | None = None  # the original's To header


@dataclass(frozen=True)
class Article:
    """One article of a newsletter or bulletin."""

    headline: str | None
    theme: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the article as a JSON-ready dict."""
        return {"headline": self.headline, "theme": self.theme, "text": self.text}


@dataclass(frozen=True)
class Unreadable:
    """A file (or mailbox, or message) the readers could not read, and why.

    It goes no further than the report: nothing is extracted, classified or logged.
    """

    path: str
    format: Format | None
    error: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the failure as a JSON-ready dict: a read record's keys, empty, with the error."""
        empty = Correspondence(path=self.path, format=self.format, warnings=self.warnings)
        return {**empty.to_dict(), "error": self.error}


@dataclass(frozen=True)
class Correspondence:
    """One piece of correspondence, read, cleaned and extracted (not yet classified)."""

    path: str
    format: Format | None
    sender_org: str | None = None
    author: str | None = None
    subject: str | None = None
    date: dt.date | None = None
    forwarded_by: str | None = None
    sender: str | None = None
    message_id: str | None = None
    articles: tuple[Article, ...] = ()
    text: str = ""
    warnings: tuple[str, ...] = ()
    context: str = ""  # a reply's quoted earlier message
    attachments: tuple[str, ...] = ()  # attached documents whose text is part of `text`
    sender_role: str | None = None  # senders.Role: force, commissioner, platform, council …
    sender_evidence: str | None = None  # what named the sender
    on_behalf_of: str | None = None  # a platform message's police body
    to: str | None = None  # whom the original was sent to

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict (dates as YYYY-MM-DD).

        ``error`` is always null here: ``inspect --json`` gives every record the same
        keys, and an Unreadable fills this one in.
        """
        return {
            "path": self.path,
            "format": str(self.format) if self.format else None,
            "sender_org": self.sender_org,
            "author": self.author,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "forwarded_by": self.forwarded_by,
            "sender": self.sender,
            "message_id": self.message_id,
            "articles": [a.to_dict() for a in self.articles],
            "text": self.text,
            "warnings": list(self.warnings),
            "error": None,
            "context": self.context,
            "sender_role": self.sender_role,
            "sender_evidence": self.sender_evidence,
            "on_behalf_of": self.on_behalf_of,
            "to": self.to,
            "attachments": list(self.attachments),
        }


@dataclass(frozen=True, kw_only=True)
class Classified(Correspondence):
    """A piece of correspondence with the classifier's decision: what the log and pack take."""

    decision: Decision

    @classmethod
    def of(cls, record: Correspondence, decision: Decision) -> Classified:
        """*record* (classified or not) with *decision* as its decision."""
        own = {f.name: getattr(record, f.name) for f in fields(Correspondence)}
        return cls(**own, decision=decision)

    def to_dict(self) -> dict[str, Any]:
        """Return the record and its decision as one JSON-ready dict."""
        return {**super().to_dict(), **self.decision.to_dict()}


@dataclass(frozen=True)
class Skipped:
    """A path the walker passed over on purpose, with the reason."""

    path: str
    reason: str


@dataclass(frozen=True)
class InspectReport:
    """Everything one run of the read, clean, extract and classify stages produced."""

    records: tuple[Classified | Unreadable, ...] = ()  # in the inputs' order
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)

    @property
    def items(self) -> tuple[Classified, ...]:
        """The files that were read, each with its decision."""
        return tuple(r for r in self.records if isinstance(r, Classified))

    @property
    def failed(self) -> tuple[Unreadable, ...]:
        """The files that could not be read."""
        return tuple(r for r in self.records if isinstance(r, Unreadable))
