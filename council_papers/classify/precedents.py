"""Learning from the clerk: past items whose disposition the clerk chose against the policy.

The log holds every decision the clerk left: a row whose Disposition differs from the
one its Reason gave ("… → circulated", changed to Agenda in Excel) is the clerk
correcting the policy. A new item that closely resembles such a row follows the clerk,
and says so; a looser resemblance is flagged for review. Nothing leaves the laptop,
and a rule the clerk wrote always comes first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from council_papers.keys import normalise_text
from council_papers.models import Classified, Disposition

FOLLOW = 88  # this alike (0-100) to a corrected item: follow the clerk
SUGGEST = 80  # this alike: say so and ask the clerk to check
_ARROW = re.compile(r"→\s*(agenda|circulated|excluded)\b", re.I)
_LEAD = 600  # characters of the text compared, after the subject


@dataclass(frozen=True)
class Precedent:
    """A logged item whose disposition the clerk changed from the one the policy gave."""

    ref: str
    subject: str
    disposition: Disposition  # what the clerk chose
    policy: Disposition  # what the policy had said
    meeting: dt.date | None
    text: str
    sender_org: str = ""
    kind: str = ""  # as the log shows it: "Court news"

    def described(self) -> str:
        """How a reason names it: its Ref, subject and what the clerk did with it."""
        where = {
            Disposition.AGENDA: "put on the agenda",
            Disposition.CIRCULATED: "circulated",
            Disposition.EXCLUDED: "excluded",
        }[self.disposition]
        when = f" for {self.meeting:%-d %B %Y}" if self.meeting else ""
        return f"like {self.ref} '{self.subject}', which you {where}{when}"


def policy_disposition(reason: str) -> Disposition | None:
    """The disposition a logged Reason says the policy gave (its last "→ …")."""
    found = _ARROW.findall(reason or "")
    return Disposition(found[-1].lower()) if found else None


Row = tuple[str, str, Disposition | None, str, dt.date | None, str, str, str]


def precedents_from(rows: Iterable[Row]) -> tuple[Precedent, ...]:
    """The clerk's corrections among logged rows.

    Each row: (ref, subject, disposition, reason, meeting, text, sender organisation, kind).
    """
    found = []
    for ref, subject, disposition, reason, meeting, text, sender_org, kind in rows:
        policy = policy_disposition(reason)
        if disposition is None or policy is None or policy == disposition:
            continue
        if "duplicate of" in (reason or ""):
            continue  # a copy's disposition says nothing about the kind of item
        found.append(Precedent(ref, subject, disposition, policy, meeting, text, sender_org, kind))
    return tuple(found)


def _sample(subject: str | None, text: str) -> str:
    return normalise_text(f"{subject or ''} {text[:_LEAD]}")


@dataclass(frozen=True)
class Match:
    """The precedent an item most resembles, and how closely."""

    precedent: Precedent
    score: float


def closest(
    record: Classified, precedents: Sequence[Precedent], disposition: Disposition
) -> Match | None:
    """The corrected item *record* most resembles, if the clerk chose otherwise than *disposition*."""
    if not precedents:
        return None
    from rapidfuzz import fuzz

    subject = normalise_text(record.subject or "")
    lead = normalise_text(record.text[:_LEAD])
    kind = _kind(record.decision.kind)
    best: Match | None = None
    for precedent in precedents:
        if precedent.disposition == disposition or precedent.policy != disposition:
            continue  # the clerk corrected this policy answer, and this item got the same one
        by_subject = fuzz.token_set_ratio(subject, normalise_text(precedent.subject))
        by_text = fuzz.token_set_ratio(lead, normalise_text(precedent.text[:_LEAD]))
        score = 0.6 * by_subject + 0.4 * by_text
        # the same series: the same sender, the same kind of item
        same_series = (
            precedent.sender_org
            and precedent.sender_org == (record.sender_org or "")
            and (not precedent.kind or _kind(precedent.kind) == kind)
        )
        if not same_series:
            score -= 10
        if score >= SUGGEST and (best is None or score > best.score):
            best = Match(precedent, score)
    return best


def _kind(kind: str) -> str:
    return str(kind).replace("-", " ").casefold()
