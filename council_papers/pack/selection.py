"""Which logged items a meeting's pack holds, in what order, and their numbers: one place.

The pack takes the rows not yet reported at an earlier meeting, sent (or, with no
date, received) up to the day the agenda must be published, plus any rows already
given this meeting, so running it again rebuilds the same pack. The Disposition cell
as the clerk left it decides where each row goes; agenda items are numbered 5.1, 5.2 …
in the order they were sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from council_papers.models import Disposition, Kind
from council_papers.pack.deadline import publication_deadline
from council_papers.pack.items import PackItem
from council_papers.register.rows import parse_kind

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from council_papers.register.rows import LogRow, StoredText


def item_number(police_item: int, position: int) -> str:
    """The sub-item number of the *position*-th agenda item: "5.1", "5.2" …"""
    return f"{police_item}.{position}"


def sort_date(row: LogRow) -> dt.date:
    """The date a row is placed by: sent, else received."""
    return row.sent or row.received or dt.date.min


@dataclass(frozen=True)
class Selection:
    """The rows one meeting's pack is made from."""

    deadline: dt.date  # the day the agenda must be published by
    chosen: tuple[LogRow, ...]  # every row for this meeting, in order
    agenda: tuple[LogRow, ...]
    circulated: tuple[LogRow, ...]
    unknown: tuple[str, ...]  # Disposition cells holding text that is no disposition


def select(rows: Sequence[LogRow], meeting: dt.date) -> Selection:
    """Choose, order and sort the log's rows for the pack of *meeting*."""
    deadline = publication_deadline(meeting)
    # a Meeting cell holding text ("deferred to March") is the clerk's: never chosen
    chosen = sorted(
        (
            r
            for r in rows
            if r.meeting == meeting
            or (r.meeting is None and not r.meeting_text and sort_date(r) <= deadline)
        ),
        key=lambda r: (sort_date(r), r.row),
    )
    unknown = tuple(
        f"{r.ref or 'row ' + str(r.row)}: '{r.disposition_text}'"
        for r in chosen
        if r.disposition is None and r.disposition_text
    )
    return Selection(
        deadline=deadline,
        chosen=tuple(chosen),
        agenda=tuple(r for r in chosen if r.disposition is Disposition.AGENDA),
        circulated=tuple(r for r in chosen if r.disposition is Disposition.CIRCULATED),
        unknown=unknown,
    )


def pack_items(
    selection: Selection, texts: Mapping[str, StoredText], police_item: int
) -> tuple[tuple[PackItem, ...], tuple[PackItem, ...]]:
    """The agenda items (numbered) and the circulated ones, as the pack shows them."""

    def item(row: LogRow, number: str | None) -> PackItem:
        stored = texts.get(row.key)
        kind = parse_kind(row.kind)  # the log shows "Court news"; the pack goes by court-news
        return PackItem(
            number=number,
            sender_org=row.sender_org or None,
            subject=row.subject or "(no subject)",
            date=row.sent,
            text=stored.text if stored else "",
            articles=stored.articles if stored and kind is Kind.NEWSLETTER else (),
            kind=kind.value if kind else row.kind or None,
            personal_data=row.personal_data,
            respond_by=row.respond_by,
            findings=stored.findings if stored else None,
        )

    agenda = tuple(item(r, item_number(police_item, n)) for n, r in enumerate(selection.agenda, 1))
    return agenda, tuple(item(r, None) for r in selection.circulated)
