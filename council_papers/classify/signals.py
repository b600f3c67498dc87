"""The evidence a decision is made from, read off the whole item.

Each signal is found in the subject, the body, the sender and the item's structure,
and each carries the words that showed it, so `explain` can say what pointed where:

- *who sent it*: the sender's role from the registry (extraction found it);
- *to whom*: this council (or councils), or the public;
- *what it asks*: respond, apply, attend, nominate, host … and the date it asks by;
- *whether that call is open* on the day the item was sent;
- *what it is*: a report to the council, a newsletter, an alert, court news … scored
  from vocabulary that belongs to each kind of correspondence, not to one message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from council_papers.models import Correspondence, Kind
from council_papers.senders import LOCAL_COUNCIL

# -- dates written in sentences ("by Friday 12 September", "closes 26 January 2025") ----------

_MONTH_NAMES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_MONTH = re.compile(
    rf"(?<![\d£$])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(\d{{4}}))?", re.I
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")


def dates_in(text: str, sent: dt.date | None) -> list[tuple[int, dt.date]]:
    """Every calendar date written in *text*, day first; a date with no year is the next one after *sent*."""
    found: list[tuple[int, dt.date]] = []

    def add(pos: int, day: int, month: int, year: int | None) -> None:
        base = sent or dt.date.today()
        try:
            if year is None:
                date = dt.date(base.year, month, day)
                if date < base - dt.timedelta(days=45):  # "12 January", written in December
                    date = dt.date(base.year + 1, month, day)
            else:
                date = dt.date(year + (2000 if year < 100 else 0), month, day)
        except ValueError:
            return
        found.append((pos, date))

    for m in _DAY_MONTH.finditer(text):
        add(
            m.start(),
            int(m.group(1)),
            _MONTH_NAMES[m.group(2)[:3].lower()],
            int(m.group(3)) if m.group(3) else None,
        )
    for m in _MONTH_DAY.finditer(text):
        if any(abs(p - m.start()) < 12 for p, _ in found):
            continue
        add(
            m.start(),
            int(m.group(2)),
            _MONTH_NAMES[m.group(1)[:3].lower()],
            int(m.group(3)) if m.group(3) else None,
        )
    for m in _NUMERIC.finditer(text):
        add(m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return sorted(found)


# -- vocabulary ---------------------------------------------------------------------------------


def _terms(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.I)


# What each kind of correspondence talks about. General words of the trade: every
# force's alerts, every PCC's bulletins, every officer's report use them.
VOCABULARY: dict[Kind, re.Pattern[str]] = {
    Kind.COURT_NEWS: _terms(
        r"sentenced",
        r"sentencing",
        r"jailed",
        r"convicted",
        r"pleaded guilty",
        r"found guilty",
        r"(?:crown|magistrates'?|youth) court",
        r"from the courts?",
        r"court results?",
        r"court round-?up",
        r"imprison(?:ed|ment)",
        r"suspended sentence",
        r"behind bars",
        r"years? in prison",
        r"custod(?:y|ial) sentence",
        r"the courts",
    ),
    Kind.APPEAL: _terms(
        r"missing",
        r"have you seen",
        r"can you help",
        r"appeal(?:s|ing)? for",
        r"witness(?:es)?",
        r"last seen",
        r"concern(?:ed)? for (?:the|his|her) (?:welfare|safety)",
        r"anyone with information",
        r"do you recognise",
        r"help (?:us )?(?:find|trace|identify)",
        r"information about",
        r"speak up",
        r"anonymous(?:ly)?",
        r"100% anonymous",
    ),
    Kind.SCAM_WARNING: _terms(
        r"scams?",
        r"scammers?",
        r"fraud",
        r"fraudsters?",
        r"phishing",
        r"courier fraud",
        r"rogue traders?",
        r"doorstep (?:crime|callers?)",
        r"cold call(?:s|ers|ing)?",
        r"fake",
        r"not genuine",
        r"bank cards?",
        r"PIN",
        r"7726",
        r"too good to be true",
        r"impersonat\w+",
    ),
    Kind.CRIME_ALERT: _terms(
        r"stolen",
        r"thefts?",
        r"burglar(?:y|ies)",
        r"break-?ins?",
        r"broken into",
        r"criminal damage",
        r"overnight",
        r"targeted",
        r"be vigilant",
        r"robbery",
        r"arson",
        r"catalytic converters?",
        r"crime reference",
        r"suspicious",
        r"smashed",
        r"forced entry",
        r"took",
        r"were taken",
    ),
    Kind.STATISTICS: _terms(
        r"statistics",
        r"in numbers",
        r"figures",
        r"year in review",
        r"performance",
        r"hours (?:given|donated|on duty)",
        r"volunteer hours",
        r"per 1,?000",
        r"digest",
        r"data",
        r"how is .{0,40} performing",
        r"contribution",
    ),
    Kind.NEWSLETTER: _terms(
        r"newsletter",
        r"e-?newsletter",
        r"bulletin",
        r"update from",
        r"news from",
        r"round-?up",
        r"this issue",
        r"in this edition",
        r"latest news",
        r"community update",
        r"monthly update",
        r"from the commissioner",
        r"news and updates",
    ),
    Kind.REPORT: _terms(
        r"report (?:to|for)",
        r"update for",
        r"(?:PCSO|police|policing|neighbourhood|SNT|NPT|beat|ward|parish|monthly|quarterly|team)"
        r"(?:'s)? (?:report|update)",
        r"period covered",
        r"this month",
        r"this quarter",
        r"last month",
        r"quarterly",
        r"monthly",
        r"crimes? (?:reported|recorded)",
        r"recorded crime",
        r"incidents",
        r"anti-social behaviour",
        r"ASB",
        r"priorit(?:y|ies)",
        r"patrols?",
        r"our team",
        r"your (?:next |council )?meeting",
        r"for the meeting",
        r"the council(?:'s)? meeting",
        r"figures for",
        r"same (?:period|quarter|three months)",
    ),
    Kind.CONSULTATION: _terms(
        r"consultations?",
        r"consult(?:ing)?",
        r"precept",
        r"council tax",
        r"police and crime plan",
        r"proposed budget",
        r"your views",
        r"have your say",
        r"share your views",
        r"tell us what you think",
        r"respond(?:ing)?",
        r"responses?",
    ),
    Kind.SURVEY: _terms(
        r"surveys?",
        r"questionnaire",
        r"take part",
        r"fill in",
        r"complete the",
        r"your say",
        r"have your say",
        r"tell us",
    ),
    Kind.ENGAGEMENT_MEETING: _terms(
        r"meetings?",
        r"forum",
        r"surgery",
        r"surgeries",
        r"panel",
        r"roadshow",
        r"drop-?in",
        r"engagement (?:event|evening|session|meeting)",
        r"invit(?:e|ed|ation)",
        r"join us",
        r"come along",
        r"book (?:a|your) place",
        r"nominate",
        r"speed ?watch",
        r"save the date",
        r"cuppa with a copper",
        r"coffee with a copper",
        r"represented",
        r"attend",
    ),
    Kind.FUNDING: _terms(
        r"funds?",
        r"funding",
        r"grants?",
        r"bids?",
        r"award(?:s|ed)?",
        r"small grants",
        r"£\d[\d,]*(?:k)?\b(?= (?:to|for|towards|per project))",
        r"match funding",
    ),
    Kind.STRATEGY: _terms(
        r"strateg(?:y|ies)",
        r"(?:police and crime |policing |delivery |action )?plan",
        r"sets out",
        r"direction",
        r"commitments?",
        r"framework",
        r"(?:three|five)-year",
        r"20\d\d\s*[–-]\s*(?:20)?\d\d",
    ),
    Kind.PLATFORM_FEEDBACK: _terms(
        r"what (?:do )?you think (?:of|about)",
        r"how are we doing",
        r"rate (?:this|our) (?:alert|message)s?",
        r"feedback",
        r"improve (?:this|our) (?:alert|messaging|service)",
        r"(?:our|these|the) (?:alerts|messages)",
        r"messaging service",
        r"alert system",
    ),
    Kind.OTHER: _terms(
        r"lottery",
        r"raffle",
        r"prize draw",
        r"winners?",
        r"recruit\w*",
        r"vacanc(?:y|ies)",
        r"special constables?",
        r"careers?",
        r"job",
    ),
}

# What policing is about: an item from an unknown sender that says little of this is
# not police correspondence.
POLICING = _terms(
    r"police",
    r"policing",
    r"constabulary",
    r"PCSO",
    r"PCC",
    r"OPCC",
    r"commissioner",
    r"crimes?",
    r"criminal",
    r"offen(?:ce|der)s?",
    r"burglar\w*",
    r"thefts?",
    r"stolen",
    r"scams?",
    r"fraud\w*",
    r"anti-social",
    r"ASB",
    r"arrest\w*",
    r"officers?",
    r"neighbourhood watch",
    r"speed ?watch",
    r"victims?",
    r"courts?",
    r"suspicious",
    r"101",
    r"999",
)

# -- who it is addressed to -------------------------------------------------------------------

_COUNCIL = r"(?:parish|town|village|city|community|district) council"
_TO_COUNCIL = re.compile(
    rf"\b(?:report|update|briefing|letter|figures|paper)\s+(?:to|for)\s+(?:the\s+)?"
    rf"(?:[A-Z][\w'&-]*\s+){{0,5}}(?:{_COUNCIL}|TC|PC|councils?)\b"
    rf"|^\s*(?:to|for)\s*:?\s+.{{0,80}}\b(?:{_COUNCIL}|councils|clerks?)\b"
    rf"|\bdear (?:clerk|councillors?|members|parish|town|colleagues)\b"
    rf"|\b(?:parish and town|town and parish|local|parish|town) councils\b"
    rf"|\b(?:the|your|each) (?:town |parish |village )?council(?:'s)? (?:meeting|agenda)\b"
    rf"|\bfor (?:the|your) (?:next )?(?:council )?meeting\b"
    rf"|\b(?:the|your) (?:town |parish |village )?council (?:could|would|can|may|is|to|wants)\b"
    rf"|\bcouncillors\b|\bclerks? to\b|\bthe clerk\b"
    rf"|\A(?:[^\n]*\n){{0,4}}\s*(?:[A-Z][\w'&-]*\s+){{1,4}}(?:Parish|Town|Village|City|Community) "
    rf"Council\s*$",
    re.I | re.M,
)
_NEGATED = re.compile(r"\b(?:not|never|no)\b(?:\s+\w+){0,2}\s*$|n't\s*$", re.I)


def _addressing(text: str) -> re.Match[str] | None:
    """The first words addressing the council, unless they are denied ("not a report to
    any council")."""
    for m in _TO_COUNCIL.finditer(text):
        if not _NEGATED.search(text[max(0, m.start() - 24) : m.start()]):
            return m
    return None


# A council's own address: clerk@…-pc.gov.uk, …parishcouncil…, "Clerk to X Town Council".
_COUNCIL_ADDRESS = re.compile(
    r"(?:@[\w.-]*(?:-pc|-tc|pc|tc|parish|town|council)[\w.-]*\.(?:gov\.uk|org\.uk|co\.uk|uk))"
    r"|\bclerk\b|\b(?:parish|town|village|community) council\b",
    re.I,
)
_TO_PUBLIC = re.compile(
    r"\bdear (?:resident|residents|neighbour|member|subscriber|all)\b|\byou are receiving this\b"
    r"|\byour alert settings\b|\bregistered (?:user|member)s?\b",
    re.I,
)
# Sent to every council for information: a circular, not a report to this council.
_FOR_INFORMATION = re.compile(
    r"\b(?:for information(?: only)?\.|no (?:response|action|reply) is (?:needed|required)|"
    r"nothing you need to do|sent to (?:every|all) (?:town and parish|parish and town|parish|town)"
    r" councils?)",
    re.I,
)

# -- what it asks, and by when --------------------------------------------------------------------

_ASK = re.compile(
    r"\b(?:please|could you|would you|can you|we would (?:be grateful|like|welcome)|"
    r"i would (?:be grateful|like|welcome)|we(?:'d| would) love|invite[sd]?|invitation|"
    r"let (?:me|us) (?:know|have)|reply|respond|return|submit|apply|applications?|bid|"
    r"register|book|nominate|host|join|take part|complete|fill in|have your say|share your views|"
    r"tell us|send (?:us|me)|confirm|consider|agree|come along|attend|encourag\w+|"
    r"ask(?:ing)? (?:the|each|every|your) (?:town |parish )?councils?|is now open|are now open|"
    r"now open|open for)\b",
    re.I,
)
_STRONG_ASK = re.compile(
    r"\b(?:please|could you|would you|can you|we would (?:be grateful|like|welcome)|"
    r"i would (?:be grateful|like|welcome)|we(?:'d| would) love|(?:you are|you're) invited|"
    r"we invite|invit(?:e|es|ing) (?:you|the council|councils|councillors)|let (?:me|us) know|"
    r"have your say|take part|complete (?:the|our|a) (?:short )?(?:survey|questionnaire)|"
    r"apply (?:now|online|by|for)|applications? (?:are|is) (?:now )?open|bids? (?:are|is) "
    r"(?:now )?open|nominate|register (?:now|online|to|for|your)|book (?:a|your) place|"
    r"share your views|tell us what you think|(?:is|are) now open)\b",
    re.I,
)
_DEADLINE = re.compile(
    r"\b(?:clos(?:es|ing|e)|deadline|by|before|until|no later than|ends?|runs? (?:until|to)|"
    r"open (?:until|till)|due|returned by|in by)\b",
    re.I,
)
_CLOSED = re.compile(
    r"\b(?:(?:has|have|was|were|is now) (?:now )?closed|closed on|now closed|what you told us|"
    r"results? of (?:the|our|my)|thank you (?:to everyone|for your views|for taking part)|"
    r"(?:have|has) been awarded|were awarded|successful (?:bids|applicants|applications)|"
    r"took part|(?:the )?(?:panel|commissioner) (?:supported|approved|agreed))\b",
    re.I,
)
_LATER = re.compile(
    r"\b(?:save the date|will (?:open|be sent|follow|be announced|be published)|details to follow|"
    r"nothing you need to do(?: yet)?|keep an eye out|more details (?:soon|to follow)|coming soon|"
    r"will be in touch)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# A call that opens on a later date ("will open for applications on Monday 1 June")
_OPENS = re.compile(
    r"\b(?:will (?:open|launch|go live|start)|opens|is due to open|goes live|"
    r"will be open(?:ing)?)(?: for (?:applications|bids|entries|nominations|responses))?"
    r"(?:\s+on|\s+from)?\s+([^\n]{4,40})",
    re.I,
)
# how far ahead an opening date may be and the call still count as open: a call that
# opens within a fortnight of being sent is open by the time the council meets
OPENS_SOON = dt.timedelta(days=14)


def _opening(text: str, sent: dt.date | None) -> dt.date | None:
    """The first date a call is said to open on, when it is after *sent*."""
    if sent is None:
        return None
    for m in _OPENS.finditer(text):
        dates = [d for _, d in dates_in(m.group(1), sent) if d > sent]
        if dates:
            return dates[0]
    return None


@dataclass(frozen=True)
class Call:
    """Something the item asks the council or residents to do, with its dates."""

    text: str  # the sentence that asks
    deadline: dt.date | None = None
    event: dt.date | None = None
    strong: bool = False  # asked of the reader in so many words ("please", "could you", "apply")
    # the sentence with the two before it: what is asked for is often said just before
    # the sentence that gives its date ("... to nominate a councillor. Please send the
    # name by 27 March.")
    about: str = ""


@dataclass(frozen=True)
class Signals:
    """Everything the decision is made from, each with what showed it."""

    role: str  # senders.Role value
    sender_evidence: str
    addressed: str | None  # "council", "public" or None
    addressed_why: str | None
    addressed_in_text: bool  # the text itself addresses the council, not only its To header
    for_information: str | None  # "sent to every council for information …"
    calls: tuple[Call, ...]
    deadline: dt.date | None
    call_state: str | None  # "open", "closed", "later" or None
    call_why: str | None
    scores: dict[Kind, float]
    why: dict[Kind, tuple[str, ...]]
    policing: int  # how many policing words the item holds
    articles: int
    fmt: str
    officer: bool  # written by an officer or police team
    undated: bool  # no date sent was found: "still open" cannot be judged
    local_council: bool  # from a parish, town or community council: the council's own business
    figures: int  # lines of figures (a report's or a digest's tables)

    def best(self, kinds: tuple[Kind, ...] | None = None) -> tuple[Kind, float]:
        """The highest-scoring kind (among *kinds*), and its score."""
        pool = {k: v for k, v in self.scores.items() if kinds is None or k in kinds}
        if not pool:
            return Kind.OTHER, 0.0
        kind = max(pool, key=lambda k: pool[k])
        return kind, pool[kind]


_NOT_A_COUNT = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|am|pm|st|nd|rd|th|"
    r"hours?|hrs?|mins?|minutes?"
)
_FIGURE_LINE = re.compile(
    # a table row: a label, then its numbers
    r"^[^\n]{2,80}?\s[−+-]?\d[\d,.%]*(?:\s+[−+-]?\d[\d,.%]*)*\s*$"
    # a count given as "Label: 3 – what happened" (a date, a time, a phone number or a
    # reference is not a count)
    rf"|^[\s*•·–-]*[A-Za-z][^\n:]{{1,60}}:[ \t]+(?:[1-9]\d{{0,3}}|0)(?![\d,.:/])"
    rf"(?![ \t]*(?:{_NOT_A_COUNT})\b)(?=[ \t(–-]|$)",
    re.M | re.I,
)
_OFFICER = re.compile(
    r"^(?:PCSO|PC|Sgt\.?|Sergeant|Inspector|Insp\.?|DC|DS|DI|Ch(?:ief)?\.? Insp\.?|"
    r"Police Constable)\b.{0,60}$|\b(?:Safer |Rural |Community )?Neighbourhood (?:Policing )?Team\b|"
    r"\bSafer Neighbourhood Team\b|\bCommunity (?:Safety|Policing) (?:Unit|Team)\b|"
    r"\bNeighbourhood (?:Inspector|Sergeant)\b|\b(?:SNT|NPT|CSU|CPT)\b",
    re.M,
)


_POWERED_BY = re.compile(r"^\W*([A-Z][^\n]{2,40}?) is powered by\b", re.M)


def _platform_names(record: Correspondence) -> list[str]:
    """The names a platform message goes by: its registry name, its From name, its brand."""
    names = [record.sender_org or ""]
    if record.sender:
        names.append(record.sender.split("<")[0].strip().strip('"'))
    names += _POWERED_BY.findall(record.text[-3000:])
    return [n for n in dict.fromkeys(names) if len(n) > 3]


def _names(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) is not None


def _count(pattern: re.Pattern[str], text: str, cap: int) -> tuple[int, list[str]]:
    hits = [m.group(0) for m in pattern.finditer(text)]
    return min(len(hits), cap), hits


def read_signals(record: Correspondence, sent: dt.date | None = None) -> Signals:
    """Read every signal off *record*."""
    subject = record.subject or ""
    text = record.text or ""
    lead = text[:700]
    body = text[:20_000]
    sent = sent or record.date
    scores: dict[Kind, float] = {}
    why: dict[Kind, tuple[str, ...]] = {}
    for kind, pattern in VOCABULARY.items():
        s_n, s_hits = _count(pattern, subject, 3)
        # one pass over the body, stopped at its cap; the lead's hits are its first ones
        b_hits: list[str] = []
        l_hits: list[str] = []
        for hit in pattern.finditer(body):
            b_hits.append(hit.group(0))
            if hit.end() <= len(lead) and len(l_hits) < 4:
                l_hits.append(hit.group(0))
            if len(b_hits) >= 12:
                break
        l_n, b_n = len(l_hits), len(b_hits)
        score = 4.0 * s_n + 1.0 * l_n + 0.35 * b_n
        scores[kind] = score
        shown = list(dict.fromkeys(h.lower() for h in (*s_hits, *l_hits, *b_hits)))[:4]
        why[kind] = tuple(shown)
    if record.sender_role == "platform" and scores.get(Kind.PLATFORM_FEEDBACK, 0.0) > 0:
        # asking what readers think of the platform, by its own name, is about the
        # platform itself ("Tell us what you think of Herts Alert"), not about policing
        own = next((n for n in _platform_names(record) if _names(n, subject)), None)
        if own is not None:
            scores[Kind.PLATFORM_FEEDBACK] += 4.0
            why[Kind.PLATFORM_FEEDBACK] = (
                f"the subject names the platform itself, {own}",
                *why[Kind.PLATFORM_FEEDBACK],
            )
    figures = len(_FIGURE_LINE.findall(body))
    head_tail = "\n".join(text.split("\n")[:8] + text.split("\n")[-20:])
    officer = bool(_OFFICER.search(head_tail)) or record.sender_role == "force"
    # to whom
    addressed = addressed_why = None
    # a reply's quoted message says whom the reply answers (a clerk's question)
    m = _addressing(f"{subject}\n{text[:3000]}\n{record.context[:2000]}")
    if m:
        addressed, addressed_why = "council", " ".join(m.group(0).split())
    elif record.sender_role == "force" and record.to and _COUNCIL_ADDRESS.search(record.to):
        # an officer's own email to the clerk (not a platform's message to its subscribers)
        addressed, addressed_why = "council", f"sent to {record.to}"
    else:
        p = _TO_PUBLIC.search(text[:3000])
        if p:
            addressed, addressed_why = "public", " ".join(p.group(0).split())
    info = _FOR_INFORMATION.search(text[:3000])
    # what it asks, and by when
    calls: list[Call] = []
    recent: list[str] = []
    for sentence in _SENTENCE.split(f"{subject}\n{body}"):
        lead_in, recent = " ".join(recent[-2:]), [*recent[-1:], sentence]
        if len(sentence) > 600 or not _ASK.search(sentence):
            continue
        dates = dates_in(sentence, sent)
        deadline = event = None
        for pos, date in dates:
            before = sentence[max(0, pos - 40) : pos]
            if _DEADLINE.search(before):
                deadline = deadline or date
            else:
                event = event or date
        calls.append(
            Call(
                " ".join(sentence.split())[:200],
                deadline,
                event,
                bool(_STRONG_ASK.search(sentence)),
                " ".join(f"{lead_in} {sentence}".split())[-600:],
            )
        )
    # a meeting or event on a date still to come, however it is put ("we'll meet online on 9 August")
    for sentence in _SENTENCE.split(body[:8000]):
        if len(sentence) <= 400 and VOCABULARY[Kind.ENGAGEMENT_MEETING].search(sentence):
            future = [d for _, d in dates_in(sentence, sent) if not sent or d >= sent]
            if future and not any(c.text[:60] in " ".join(sentence.split()) for c in calls):
                calls.append(Call(" ".join(sentence.split())[:200], None, future[0]))
    # also a closing date stated on its own ("Closing date: 31 October 2025")
    for m2 in re.finditer(
        r"(?:\bclos(?:es?|ing)(?: date)?\b|deadline|submissions? by|open (?:from )?"
        r"[^.\n]{0,25}?(?:\bto\b|until|till|[–-]))\s*:?\s*([^\n]{4,60})",
        body,
        re.I,
    ):
        dates = dates_in(m2.group(1), sent)
        if dates:
            # the call is what the paragraph before the closing date offers
            around = body[max(0, m2.start() - 400) : m2.end()]
            # in a newsletter, the call is what its own article offers
            for article in record.articles:
                if m2.group(0) in article.text:
                    around = f"{article.headline or ''}. {article.text}"
                    break
            calls.append(
                Call(
                    " ".join(around.split())[-300:],
                    dates[0][1],
                    None,
                    bool(_STRONG_ASK.search(around)),
                )
            )
    deadlines = sorted({c.deadline for c in calls if c.deadline})
    state = state_why = None
    future = [d for d in deadlines if not sent or d >= sent]
    past = [d for d in deadlines if sent and d < sent]
    deadline = future[0] if future else (past[-1] if past else None)
    closed = _CLOSED.search(f"{subject}\n{lead}")
    later = _LATER.search(f"{subject}\n{text[:3000]}")
    opens = _opening(f"{subject}\n{body}", sent)
    if future and opens is not None and sent is not None and opens - sent > OPENS_SOON:
        state, state_why = "later", f"it opens on {opens:%-d %B %Y}: not open yet"
    elif future:
        state, state_why = "open", f"asks for a response by {deadline:%-d %B %Y}"
    elif past and not future:
        state, state_why = (
            "closed",
            f"its closing date, {past[-1]:%-d %B %Y}, was before it was sent",
        )
    if closed and state != "open":
        state, state_why = "closed", f"says '{' '.join(closed.group(0).split())}'"
    if later and state not in ("open", "later"):
        state, state_why = (
            "later",
            f"says '{' '.join(later.group(0).split())}': nothing to act on yet",
        )
    if state is None:
        events = [c.event for c in calls if c.event and (not sent or c.event >= sent)]
        if events:
            state, state_why = "open", f"invites to something on {min(events):%-d %B %Y}"
        elif calls and re.search(
            r"\b(?:now open|is open|are open|open for)\b", f"{subject}\n{lead}", re.I
        ):
            state, state_why = "open", "says it is now open"
    return Signals(
        role=record.sender_role or "unknown",
        sender_evidence=record.sender_evidence or "",
        addressed=addressed,
        addressed_why=addressed_why,
        addressed_in_text=bool(m),
        for_information=" ".join(info.group(0).split()) if info else None,
        calls=tuple(calls),
        deadline=deadline,
        call_state=state,
        call_why=state_why,
        scores=scores,
        why=why,
        policing=len(POLICING.findall(f"{subject}\n{body}")),
        articles=len(record.articles),
        fmt=str(record.format or ""),
        officer=officer,
        undated=sent is None,
        local_council=record.sender_role == "council"
        and bool(LOCAL_COUNCIL.search(record.sender_org or "")),
        figures=figures,
    )
