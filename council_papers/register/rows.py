"""The rows of the correspondence log: columns, the row record, and cell values both ways.

Pure Python (no openpyxl), so the CLI can name the columns without loading Excel code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from council_papers.models import Article, Classified, Disposition, Kind
from council_papers.personal import ItemFindings

# Header text of each column, in the order a new log is laid out.
COLUMNS: tuple[str, ...] = (
    "Ref",
    "Received",
    "Sent",
    "From",
    "Author",
    "Subject",
    "Kind",
    "Themes",
    "Disposition",
    "Reason",
    "Respond by",
    "Meeting",
    "Agenda item",
    "Personal data",
    "Clerk notes",
    "Action",
    "Source file",
    "Key",
)
# LogRow attribute for each column, same order.
FIELDS: tuple[str, ...] = (
    "ref",
    "received",
    "sent",
    "sender_org",
    "author",
    "subject",
    "kind",
    "themes",
    "disposition",
    "reason",
    "respond_by",
    "meeting",
    "agenda_item",
    "personal_data",
    "clerk_notes",
    "action",
    "source_file",
    "key",
)
# The columns the tool cannot work without: numbering, idempotence and the pack read them.
# The others are informational; a clerk who deletes one simply stops getting it.
REQUIRED: tuple[str, ...] = (
    "Ref",
    "Received",
    "Sent",
    "From",
    "Subject",
    "Disposition",
    "Meeting",
    "Agenda item",
    "Key",
)
DATE_COLUMNS = frozenset({"Received", "Sent", "Respond by", "Meeting"})
# needs_review is shown as this prefix on Reason: the clerk sees it where they read
# "why", can filter on "begins with CHECK", and clears it by editing the reason.
CHECK = "CHECK: "
# Strings Excel (or a CSV export of the log) could take for a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
# openpyxl's ILLEGAL_CHARACTERS_RE, plus lone surrogates and the two non-characters XML forbids.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REF = re.compile(r"^\s*(\d{4})-(\d+)\s*$")
_TEXT_DATES = (
    "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y",
    "%d %B %y", "%d %b %y", "%B %d %Y", "%b %d %Y",
)  # fmt: skip
# What a clerk types around a UK date: "Thursday 9th June 2022", "9 June, 2022".
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class LogRow:
    """One row of the correspondence log, as the clerk last left it.

    ``disposition`` is None when the cell is blank or holds text that is not
    Agenda / Circulated / Excluded; ``disposition_text`` keeps what was typed so the
    caller can report it. ``key`` is the Key cell, or ``row:<Ref>`` / ``row:#<n>``
    for a row typed by hand. ``extra`` holds the clerk's own columns, by header.
    """

    ref: str
    received: dt.date | None
    sent: dt.date | None
    sender_org: str
    author: str
    subject: str
    kind: str
    themes: tuple[str, ...]
    disposition: Disposition | None
    reason: str
    meeting: dt.date | None
    agenda_item: str
    personal_data: bool
    clerk_notes: str
    action: str
    source_file: str
    key: str
    needs_review: bool = False
    disposition_text: str = ""
    meeting_text: str = ""  # what the Meeting cell holds when it is not a date ("deferred")
    sent_text: str = ""  # what the Sent cell holds when it is not a date
    row: int = 0  # the sheet row it was read from; changes when the clerk sorts
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)
    respond_by: dt.date | None = None  # the date a response is asked by, while the call was open

    @property
    def hand_typed(self) -> bool:
        """True for a row the clerk typed in (it had no Key)."""
        return self.key.startswith("row:")


@dataclass(frozen=True)
class StoredText:
    """The full text and articles of one logged item, kept in the Texts sheet.

    ``findings``: the personal data the classifier found in what the pack prints of
    the item, or None (a log from before they were kept, or a cell typed over).
    """

    text: str
    articles: tuple[Article, ...] = ()
    findings: ItemFindings | None = None


def clean_text(value: str) -> str:
    """Drop characters XML cannot hold (openpyxl would refuse them) and bare carriage returns."""
    return _ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def looks_like_formula(value: object) -> bool:
    """True for a string Excel could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def show_disposition(disposition: Disposition) -> str:
    """Return the disposition as the clerk sees it: Agenda, Circulated, Excluded."""
    return disposition.value.capitalize()


def show_kind(kind: Kind) -> str:
    """Return the kind in words: ``engagement-meeting`` -> ``Engagement meeting``."""
    return kind.value.replace("-", " ").capitalize()


def parse_kind(text: str) -> Kind | None:
    """Read a Kind cell as :func:`show_kind` wrote it, ignoring case; None when it is no kind."""
    wanted = "-".join(text.casefold().split())
    return next((k for k in Kind if k.value == wanted), None)


def parse_disposition(text: str) -> Disposition | None:
    """Read a Disposition cell, ignoring case and spaces; None when it is not one."""
    wanted = text.strip().casefold()
    return next((d for d in Disposition if d.value == wanted), None)


def parse_ref(ref: str) -> tuple[int, int] | None:
    """Return (year, number) of a ``2022-014`` style Ref, else None."""
    match = _REF.match(ref)
    return (int(match[1]), int(match[2])) if match else None


def next_number(refs: Iterable[str], year: int) -> int:
    """Return the next free Ref number for *year*: one past the highest used."""
    used = [p[1] for p in map(parse_ref, refs) if p and p[0] == year]
    return max(used, default=0) + 1


def record_values(
    record: Classified, *, key: str, ref: str, received: dt.date, duplicate: str | None
) -> dict[str, object]:
    """Return the cells of a new row for *record*, by column header.

    *duplicate* is what the record duplicates (a Ref where known): such a row is
    logged as Excluded so a forwarded copy never reaches Police Matters twice.
    """
    decision = record.decision
    reasons = list(decision.reasons)
    disposition = decision.disposition
    if decision.duplicate_of:
        disposition = Disposition.EXCLUDED
        if duplicate and duplicate != decision.duplicate_of:  # name the original by its Ref
            named = f"duplicate of {decision.duplicate_of}"
            reasons = [
                r.replace(named, f"duplicate of {duplicate} ({decision.duplicate_of})")
                for r in reasons
            ]
        if not any("duplicate" in r.casefold() for r in reasons):
            reasons.insert(0, f"duplicate of {duplicate or decision.duplicate_of}")
    reason = "; ".join(r.strip() for r in reasons if r.strip())
    if decision.needs_review:
        reason = CHECK + reason
    sent = record.date.date() if isinstance(record.date, dt.datetime) else record.date
    values: dict[str, object] = {
        "Ref": ref,
        "Received": received,
        "Sent": sent,
        "From": record.sender_org,
        "Author": record.author,
        "Subject": record.subject,
        "Kind": show_kind(decision.kind),
        "Themes": "; ".join(decision.themes),
        "Disposition": show_disposition(disposition),
        "Reason": reason,
        "Respond by": decision.deadline,
        "Meeting": None,
        "Agenda item": None,
        "Personal data": "Yes" if decision.personal_data else None,
        "Clerk notes": None,
        "Action": None,
        "Source file": record.path,
        "Key": key,
    }
    # Empty strings become empty cells; text loses what XML cannot carry.
    return {
        k: (clean_text(v).strip() or None) if isinstance(v, str) else v for k, v in values.items()
    }


def cell_text(value: object) -> str:
    """Return a cell as text: numbers without a stray ``.0``, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()  # str, rich text, int


def cell_date(value: object) -> dt.date | None:
    """Return a cell as a date: a real date, an Excel serial number or common typed forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        # a date cell the clerk reformatted as General still holds Excel's day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = cell_text(value)
    if not text:  # an empty cell: no format to try (a failed strptime is slow)
        return None
    # typed as text: "9th June 2022", "Thursday, 9 June 2022", "05/07/2022" (UK: 5 July)
    text = " ".join(_WEEKDAY.sub("", _ORDINAL.sub("", text)).replace(",", " ").split())
    for fmt in _TEXT_DATES:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_row(
    cells: Mapping[str, object], *, row: int, extra: Mapping[str, object] | None = None
) -> LogRow:
    """Build a LogRow from cell values keyed by our headers (missing columns read as blank)."""
    text = {name: cell_text(cells.get(name)) for name in COLUMNS}
    reason = text["Reason"]
    needs_review = reason.casefold().startswith(CHECK.strip().casefold())
    if needs_review:
        reason = reason[len(CHECK.strip()) :].strip()
    meeting, sent = cell_date(cells.get("Meeting")), cell_date(cells.get("Sent"))
    return LogRow(
        ref=text["Ref"],
        received=cell_date(cells.get("Received")),
        sent=sent,
        sender_org=text["From"],
        author=text["Author"],
        subject=text["Subject"],
        kind=text["Kind"],
        themes=tuple(t.strip() for t in text["Themes"].split(";") if t.strip()),
        disposition=parse_disposition(text["Disposition"]),
        reason=reason,
        meeting=meeting,
        agenda_item=text["Agenda item"],
        personal_data=text["Personal data"].casefold() in {"yes", "y", "true", "x", "1"},
        clerk_notes=text["Clerk notes"],
        action=text["Action"],
        source_file=text["Source file"],
        key=text["Key"],
        needs_review=needs_review,
        disposition_text=text["Disposition"],
        meeting_text="" if meeting else text["Meeting"],
        sent_text="" if sent else text["Sent"],
        row=row,
        extra=MappingProxyType(dict(extra or {})),
        respond_by=cell_date(cells.get("Respond by")),
    )


def with_row_keys(rows: Iterable[LogRow]) -> tuple[LogRow, ...]:
    """Give rows typed by hand (no Key) a key: ``row:<Ref>``, else ``row:#<sheet row>``.

    The Ref form survives the clerk sorting the sheet; the row-number form is the
    fallback for a row with no Ref, or one whose Ref another hand-typed row shares.
    """
    rows = tuple(rows)
    taken = {r.key for r in rows if r.key}
    out = []
    for r in rows:
        if not r.key:
            key = f"row:{r.ref}" if r.ref else ""
            if not key or key in taken:
                key = f"row:#{r.row}"
            taken.add(key)
            r = replace(r, key=key)
        out.append(r)
    return tuple(out)
