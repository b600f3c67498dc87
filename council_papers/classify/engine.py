"""The built-in decision: POLICY.md's dispositions, combined from the item's signals.

Read top to bottom as a clerk would decide:
1. who sent it: a public body that is not the police → excluded (not police
   correspondence, however often it mentions the police);
2. what it is: the kind whose vocabulary, structure and sender fit best;
3. whether it asks the council to act, take part or hear from its police while the
   call is still open → agenda; otherwise circulated.
Every step adds a reason; where the evidence is weak or points two ways the item is
marked for review, with what pointed each way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from council_papers.classify.signals import Signals
from council_papers.models import Disposition, Kind
from council_papers.senders import NOT_POLICE_ROLES

# Kinds that are information only, whatever they ask (POLICY.md, "Circulated").
INFORMATION = (
    Kind.COURT_NEWS,
    Kind.APPEAL,
    Kind.SCAM_WARNING,
    Kind.CRIME_ALERT,
    Kind.STATISTICS,
    Kind.PLATFORM_FEEDBACK,
)
# Kinds that are a call to the council while it is open (POLICY.md, "Agenda" 2-4).
CALLS = (Kind.CONSULTATION, Kind.SURVEY, Kind.ENGAGEMENT_MEETING, Kind.FUNDING)
# the sender roles (senders.Role), as the signals carry them
_NOT_POLICE = {str(role) for role in NOT_POLICE_ROLES}
_OFFICIAL = {"force", "commissioner", "platform", "national-police"}


@dataclass(frozen=True)
class Verdict:
    """What the engine decided, why, and how sure it is."""

    kind: Kind
    disposition: Disposition
    reasons: tuple[str, ...]
    needs_review: bool
    deadline: dt.date | None = None


# Councils spoken of, not spoken to: on a page published for everyone this is a mention
# ("we are working with town councils"), where in a letter it says whom it is for.
_MENTIONS_COUNCILS = re.compile(
    r"(?:parish and town|town and parish|local|parish|town) councils|councillors", re.I
)


def _saved_page(s: Signals) -> bool:
    """A page saved from a website: published for everyone, not sent to the council."""
    return s.fmt == "html" and not s.sender_evidence.startswith("the From")


def kind_scores(s: Signals) -> dict[Kind, float]:
    """The vocabulary scores, adjusted by what the item's structure and sender show."""
    scores = dict(s.scores)
    to_council = s.addressed == "council" and not (
        _saved_page(s) and _MENTIONS_COUNCILS.fullmatch(s.addressed_why or "")
    )
    # a report: an officer or police team writing to the council about its area
    report = scores.get(Kind.REPORT, 0.0)
    if s.officer and to_council:
        # the text addressing the council says more than the To header: a force sends
        # its county newsletter to the clerk's address too
        report += 4.0 if s.addressed_in_text else 2.0
        if s.figures >= 3:
            report += 2.0
    else:
        # report-ish words ("this month") from anyone else, or to no one, describe: they
        # never make a report on their own
        report = min(report * 0.3, 0.9)
    if s.for_information:
        report -= 6.0
        scores[Kind.STATISTICS] = scores.get(Kind.STATISTICS, 0.0) + 3.0
    scores[Kind.REPORT] = report
    if s.figures >= 4 and not (s.officer and to_council):
        scores[Kind.STATISTICS] = scores.get(Kind.STATISTICS, 0.0) + 1.5
    if s.articles >= 3:
        scores[Kind.NEWSLETTER] = scores.get(Kind.NEWSLETTER, 0.0) + 1.5
    if s.role == "action-fraud":
        scores[Kind.SCAM_WARNING] = scores.get(Kind.SCAM_WARNING, 0.0) + 3.0
    if s.role == "crimestoppers":
        scores[Kind.APPEAL] = scores.get(Kind.APPEAL, 0.0) + 3.0
    # asking about the alert platform itself is only feedback when the platform asks
    if s.role == "platform" and s.scores.get(Kind.PLATFORM_FEEDBACK, 0.0) >= 2.0:
        scores[Kind.PLATFORM_FEEDBACK] += 3.0
    if s.role != "platform":
        scores[Kind.PLATFORM_FEEDBACK] = scores.get(Kind.PLATFORM_FEEDBACK, 0.0) * 0.3
    if _saved_page(s):
        scores[Kind.WEB_PAGE] = 2.5
    scores.setdefault(Kind.OTHER, 0.0)
    scores[Kind.OTHER] = max(scores[Kind.OTHER], 1.0)
    return scores


def _agenda_call(s: Signals) -> bool:
    """True when an open call is one the council can answer: consult, fund, invite, or act."""
    if s.call_state != "open":
        return False
    return any(
        bool(call.deadline or call.event) and bool(_CALL_WORDS.search(call.about or call.text))
        for call in s.calls
    )


# What an open call to the council is about (POLICY.md, "Agenda" 2-4): narrower than the
# kinds' vocabulary, which also describes ("responses", "tell us").
_CALL_WORDS = re.compile(
    r"\b(?:consultations?|consult(?:ing)?|surveys?|questionnaire|have your say|your views|"
    r"precept|police and crime plan|funds?|funding|grants?|bids?|meetings?|forum|surgery|"
    r"panel|roadshow|drop-?in|engagement|invit\w+|nominat\w+|host|speed ?watch|"
    r"neighbourhood watch scheme|register to attend|book a place)\b",
    re.I,
)


def judge(s: Signals) -> Verdict:
    """Decide kind and disposition from the signals, with the reasons and a review flag."""
    reasons: list[str] = []
    review: list[str] = []
    who = s.sender_evidence or "sender not identified"
    crime_kind, crime_score = s.best(
        (Kind.SCAM_WARNING, Kind.CRIME_ALERT, Kind.APPEAL, Kind.COURT_NEWS)
    )
    if s.role in _NOT_POLICE and crime_score >= 6.0 and not s.local_council:
        # POLICY.md excludes what is neither from the police nor about policing: a
        # council's Trading Standards scam warning is about crime, so it is circulated
        reasons.append(
            f"from a body that is not the police ({who}), but about crime "
            f"({', '.join(repr(w) for w in s.why.get(crime_kind, ())[:3])}) → "
            f"{crime_kind} → circulated"
        )
        return Verdict(
            crime_kind,
            Disposition.CIRCULATED,
            _with(reasons, ["not from the police: check it belongs under Police Matters"]),
            True,
            None,
        )
    if s.role in _NOT_POLICE:
        reasons.append(f"from a body that is not the police ({who}) → not-police → excluded")
        if s.policing >= 12:
            review.append(
                f"it mentions policing often ({s.policing} times): check it is not "
                "police correspondence"
            )
        return Verdict(
            Kind.NOT_POLICE, Disposition.EXCLUDED, _with(reasons, review), bool(review), None
        )
    if s.role == "unknown" and s.policing < 3:
        reasons.append(
            f"{who}, and it says little about policing ({s.policing} policing "
            "words) → not-police → excluded"
        )
        review.append("the sender is not known")
        return Verdict(Kind.NOT_POLICE, Disposition.EXCLUDED, _with(reasons, review), True, None)

    scores = kind_scores(s)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    kind, top = ranked[0]
    runner, second = ranked[1] if len(ranked) > 1 else (Kind.OTHER, 0.0)
    shown = ", ".join(f"'{w}'" for w in s.why.get(kind, ())[:3])
    reasons.append(f"{who}")
    if kind is Kind.REPORT:
        reasons.append(
            "an officer or police team writing to the council"
            + (f" ('{s.addressed_why}')" if s.addressed_why else "")
            + (f", with {s.figures} lines of figures" if s.figures >= 3 else "")
            + " → report"
        )
    elif kind is Kind.WEB_PAGE and top <= 2.5:
        reasons.append("a page saved from a website, with no call to the council → web-page")
    else:
        reasons.append(f"reads as {kind}" + (f" ({shown})" if shown else ""))

    deadline = s.deadline if s.call_state == "open" else None
    if kind is Kind.REPORT:
        disposition = Disposition.AGENDA
        reasons.append("a police report to the council goes on the agenda")
    elif kind in INFORMATION or (kind is Kind.WEB_PAGE and not _agenda_call(s)):
        disposition = Disposition.CIRCULATED
        reasons.append(f"{kind} is for information → circulated")
        if kind not in INFORMATION and s.call_state == "open":
            deadline = None
    elif kind in CALLS:
        if s.call_state == "open":
            disposition = Disposition.AGENDA
            reasons.append(f"the call is open: {s.call_why} → agenda")
        elif s.call_state in ("closed", "later"):
            disposition = Disposition.CIRCULATED
            reasons.append(f"nothing to respond to: {s.call_why} → circulated")
        elif any(c.strong for c in s.calls) and (top >= 4.0 or s.addressed == "council"):
            disposition = Disposition.AGENDA
            ask = next(c for c in s.calls if c.strong)
            reasons.append(
                f"asks for a response ('{ask.text[:80]}'), with no closing date found → agenda"
            )
            if s.addressed != "council":
                review.append("no closing date was found: check the call is still open")
        else:
            disposition = Disposition.CIRCULATED
            reasons.append("it asks nothing of the council → circulated")
            review.append(f"it reads as {kind} but asks nothing: check")
    elif kind is Kind.STRATEGY:
        if s.role in _OFFICIAL or s.officer:
            disposition = Disposition.AGENDA
            reasons.append("a force or PCC strategy or plan sets local policing direction → agenda")
        else:
            disposition = Disposition.CIRCULATED
            reasons.append("a plan, but not the force's or the Commissioner's → circulated")
            review.append("a strategy from a sender that is not the force or PCC")
    else:  # newsletter, other, web page with a call
        if _agenda_call(s) and (
            s.addressed == "council"
            or kind is Kind.NEWSLETTER
            or (s.role in _OFFICIAL and kind is not Kind.OTHER)
        ):
            disposition = Disposition.AGENDA
            call = next(c for c in s.calls if c.deadline or c.event)
            reasons.append(f"it carries an open call ('{call.text[:90]}'; {s.call_why}) → agenda")
        else:
            disposition = Disposition.CIRCULATED
            why_not = f" ({s.call_why})" if s.call_state in ("closed", "later") else ""
            reasons.append(f"no open call to the council{why_not} → circulated")
            deadline = None
    if (
        disposition is Disposition.AGENDA
        and s.call_state == "open"
        and s.undated
        and kind is not Kind.REPORT
    ):
        review.append(
            "the date it was sent is not known, so whether the call is still open cannot be told"
        )
    if disposition is Disposition.AGENDA and s.fmt == "html" and s.addressed != "council":
        # a saved page speaks to everyone: news of a strategy, an open day for the public
        if kind is Kind.STRATEGY and not any(c.deadline or c.event for c in s.calls):
            review.append("a page about a strategy, asking nothing: check it sets direction")
        elif kind is Kind.ENGAGEMENT_MEETING:
            review.append("an event on a public page, not addressed to the council: check")
    # how sure: a close second kind that would be decided differently
    if second > 0 and top - second < 1.0 and _disposition_of(runner) != _disposition_of(kind):
        review.append(f"it also reads as {runner} ({second:.1f} against {top:.1f})")
    if s.role == "unknown":
        review.append("the sender is not known")
    return Verdict(kind, disposition, _with(reasons, review), bool(review), deadline)


def _disposition_of(kind: Kind) -> str:
    if kind in INFORMATION:
        return "circulated"
    if kind in (*CALLS, Kind.REPORT, Kind.STRATEGY):
        return "agenda"
    return "either"


def _with(reasons: list[str], review: list[str]) -> tuple[str, ...]:
    if review:
        return (*reasons, "please check: " + "; ".join(review))
    return tuple(reasons)
