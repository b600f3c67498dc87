"""Personal data: what of a private individual's a text holds, found once, then recorded and reused.

A meeting pack goes on the council's website and stays there for years, so what
was fine in an email to the clerk is not always fine in the pack. :func:`find`
finds in one text:

- private email addresses (consumer mail providers such as gmail or btinternet),
- UK mobile numbers, and landlines written about a private person,
- in court news and appeals, the names and street addresses of private people.

Officers' names and organisations' contact details (101, 0800 numbers, anything
at .gov.uk, .police.uk, .org.uk or an organisation's own domain) are not found.
Court news keeps the age and the town ("[name removed], 34, of [address removed],
Cambourne"): councillors need to see whether a case is local, and a town with an
age does not identify a person the way a name and a street do.

This module only finds (issue 12): ``classify`` records the findings for each part
of an item the pack prints, the register keeps them in the log, and ``publish``
replaces them. A finding is a span of the text it was made on, so the findings of
a text carry a seal of that text: they are reused only on the very text they were
made on (:func:`findings_for`), and any other text is new text, looked at afresh.
Nothing here imports the rest of council_papers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# What a finding is (Finding.kind).
EMAIL, PHONE, NAME, ADDRESS = "email", "phone", "name", "address"
KINDS = frozenset({EMAIL, PHONE, NAME, ADDRESS})
EMAIL_REMOVED = "[email address removed]"
PHONE_REMOVED = "[phone number removed]"
NAME_REMOVED = "[name removed]"
ADDRESS_REMOVED = "[address removed]"

# Kinds of item that name private individuals (defendants, missing or wanted people).
NAMING_KINDS = frozenset({"court-news", "appeal"})
# Sealed into every finding: change it with the rules below, so that findings
# recorded by other rules are not reused (the pack then looks again, with these).
RULES = 1


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``text[start:end]`` of the text looked at, and what replaces it.

    What was found is not copied into the finding: the log keeps the findings
    beside the text, and a clerk who deletes a phone number from the text should
    not find it again in the findings.
    """

    start: int
    end: int
    kind: str  # EMAIL, PHONE, NAME or ADDRESS
    replacement: str


@dataclass(frozen=True)
class Findings:
    """What one look at one text found, sealed to that text, to whether names were looked for, and to the rules."""

    seal: str
    found: tuple[Finding, ...] = ()

    def made_on(self, text: str, kind: str | None) -> bool:
        """True when these findings were made on *text* by the rules for *kind*, and not edited since."""
        return self.seal == _seal(text, looks_for_names(kind), self.found)

    def to_dict(self) -> dict[str, Any]:
        """Return the findings as a JSON-ready dict (spans as [start, end, kind, replacement])."""
        return {"seal": self.seal, "found": [list(_row(f)) for f in self.found]}

    @classmethod
    def from_dict(cls, data: object) -> Findings:
        """Read findings back from :meth:`to_dict`'s form; ValueError when it is not that form."""
        data = _mapping(data, ("seal", "found"))
        seal, rows = data["seal"], data["found"]
        if not isinstance(seal, str) or not isinstance(rows, list):
            raise ValueError("findings need a seal and a list of what was found")
        return cls(seal, tuple(_finding(row) for row in rows))


@dataclass(frozen=True)
class ArticleFindings:
    """The findings in one article's headline and in its text."""

    headline: Findings
    text: Findings


@dataclass(frozen=True)
class ItemFindings:
    """The personal data in every part of one item the pack prints, and in its own addresses.

    The parts are looked at as the pack prints them: subject, text and each
    article's headline and text by the rules for the item's kind; the sender's
    organisation by the rules for no kind (a name there is an organisation's).
    ``private_sender`` and ``private_forwarder``: the From address of the
    original, or of the councillor who forwarded it, is at a consumer mail
    provider (they are not printed, but the item names a private individual).
    """

    subject: Findings
    sender_org: Findings
    text: Findings
    articles: tuple[ArticleFindings, ...] = ()
    private_sender: bool = False
    private_forwarder: bool = False

    @property
    def in_print(self) -> bool:
        """True when personal data was found in a part the pack prints."""
        parts = [self.subject, self.sender_org, self.text]
        parts += [p for a in self.articles for p in (a.headline, a.text)]
        return any(p.found for p in parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the findings as a JSON-ready dict, as the log keeps them."""
        return {
            "subject": self.subject.to_dict(),
            "sender_org": self.sender_org.to_dict(),
            "text": self.text.to_dict(),
            "articles": [
                {"headline": a.headline.to_dict(), "text": a.text.to_dict()} for a in self.articles
            ],
            "private_sender": self.private_sender,
            "private_forwarder": self.private_forwarder,
        }

    @classmethod
    def from_dict(cls, data: object) -> ItemFindings:
        """Read findings back from :meth:`to_dict`'s form; ValueError when it is not that form."""
        data = _mapping(data, ("subject", "sender_org", "text", "articles"))
        articles = data["articles"]
        if not isinstance(articles, list):
            raise ValueError("articles must be a list")
        return cls(
            subject=Findings.from_dict(data["subject"]),
            sender_org=Findings.from_dict(data["sender_org"]),
            text=Findings.from_dict(data["text"]),
            articles=tuple(_article(a) for a in articles),
            private_sender=_flag(data, "private_sender"),
            private_forwarder=_flag(data, "private_forwarder"),
        )


def looks_for_names(kind: str | None) -> bool:
    """True for the kinds of item whose private people's names and addresses are found."""
    return kind is not None and str(kind) in NAMING_KINDS


def find(text: str, kind: str | None = None) -> Findings:
    """Find the private individuals' personal data in *text* (names only in court news and appeals).

    The rules were written as substitutions, one after another, each on the text
    the last left: links to private addresses, private addresses, phone numbers,
    then people. They still run so (a later rule sees "[email address removed]",
    not the address); what each replaces is kept as a span of *text* itself.
    """
    names = looks_for_names(kind)
    found = _Spans(text)
    found.substitute(_MAILTO_LINK, _mailto_link)
    if "@" in found.text:  # what _EMAIL matches has one
        found.substitute(_EMAIL, _email)
    found.substitute(_PHONE, _phone)
    if names:
        people: set[str] = set()
        found.substitute(_PERSON, _person_rule(people))
        if people:  # later mentions: "Smith admitted …", "Mr Smith's car"
            found.substitute(_later_mentions(people), lambda m: _whole(m, NAME, NAME_REMOVED))
    return Findings(_seal(text, names, found.found), found.found)


def findings_for(text: str, kind: str | None, recorded: Findings | None) -> Findings:
    """The personal data in *text*: *recorded* if it was made on this very text, else a new look.

    The one rule for reusing a look at a text: findings are spans of the text they
    were made on, so they apply to that text alone. When the text in hand is not
    it (the clerk has edited the text in the log since), or was looked at for a
    different kind (the clerk changed court news to something else), or under
    other rules, or nothing was recorded (a log written before findings were kept,
    or a findings cell the clerk typed over), the text is new text: it is looked
    at afresh, by the rules as they are now.
    """
    if recorded is not None and recorded.made_on(text, kind):
        return recorded
    return find(text, kind)


# --- the seal and the stored form ------------------------------------------------------


def _row(f: Finding) -> tuple[int, int, str, str]:
    return f.start, f.end, f.kind, f.replacement


def _seal(text: str, names: bool, found: Sequence[Finding]) -> str:
    """A digest of the text, whether names were looked for, the rules and the findings.

    Not a signature (anyone can compute it): it tells an edit, to the text or to
    the findings, from the text the findings were made on.
    """
    what = repr((RULES, names, tuple(map(_row, found))))  # ints, bools and quoted str: exact
    digest = hashlib.blake2b(what.encode("utf-8", "surrogatepass"), digest_size=8)
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _mapping(data: object, keys: Sequence[str]) -> Mapping[str, object]:
    if not isinstance(data, dict) or any(k not in data for k in keys):
        raise ValueError(f"expected an object with {', '.join(keys)}")
    return data


def _flag(data: Mapping[str, object], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _finding(row: object) -> Finding:
    """One [start, end, kind, replacement] row, checked for its shape."""
    if not isinstance(row, list) or len(row) != 4:
        raise ValueError("each finding is [start, end, kind, replacement]")
    start, end, kind, replacement = row
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        raise ValueError("a finding's start and end are whole numbers")
    if not (0 <= start <= end and isinstance(kind, str) and kind in KINDS):
        raise ValueError(
            f"a finding runs from start to end, and is one of {', '.join(sorted(KINDS))}"
        )
    if not isinstance(replacement, str):
        raise ValueError("a finding's replacement is text")
    return Finding(start, end, kind, replacement)


def _article(data: object) -> ArticleFindings:
    data = _mapping(data, ("headline", "text"))
    return ArticleFindings(Findings.from_dict(data["headline"]), Findings.from_dict(data["text"]))


# --- spans through successive substitutions ----------------------------------------------

# What a rule makes of one match: the findings in it (spans of the text the rule
# runs on), none when the match is not personal data.
_Rule = Callable[[re.Match[str]], list[Finding]]
_Placed = tuple[int, int, Finding]  # a finding, and where its replacement sits in the text now


class _Spans:
    """The findings so far, as spans of the original text, and the text as they leave it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: tuple[Finding, ...] = ()

    def substitute(self, pattern: re.Pattern[str], rule: _Rule) -> None:
        """Run one rule over the text as the earlier rules left it, keeping what it replaces."""
        step: list[Finding] = []

        def replace(m: re.Match[str]) -> str:
            hits = rule(m)
            if not hits:
                return m[0]
            step.extend(hits)
            out, pos = [], m.start()
            for f in hits:
                out += [m.string[pos : f.start], f.replacement]
                pos = f.end
            return "".join(out) + m.string[pos : m.end()]

        text = pattern.sub(replace, self.text)
        if step:
            self.found = self._placed(step)
            self.text = text

    def _placed(self, step: list[Finding]) -> tuple[Finding, ...]:
        """The findings with *step* (spans of self.text) added, all as spans of the original.

        A new span that overlaps what an earlier rule put in (a surname that is
        also the town kept after "[address removed]") takes that finding in: one
        span of the original, of the kind of the finding it starts with, replaced
        by what the two rules together made of it.
        """
        placed, shift = [], 0  # the earlier findings, with where their replacements sit now
        for f in self.found:
            placed.append((f.start + shift, f.start + shift + len(f.replacement), f))
            shift += len(f.replacement) - (f.end - f.start)
        out = []
        for cluster in _overlapping(placed, step):
            new = [f for _, _, f, is_new in cluster if is_new]
            if not new:
                out.append(cluster[0][2])
                continue
            start, end = cluster[0][0], max(e for _, e, _, _ in cluster)
            pieces, pos = [], start
            for f in new:
                pieces += [self.text[pos : f.start], f.replacement]
                pos = f.end
            pieces.append(self.text[pos:end])
            origin = _origin(placed, start), _origin(placed, end)
            out.append(Finding(*origin, cluster[0][2].kind, "".join(pieces)))
        return tuple(out)


def _overlapping(
    placed: Sequence[_Placed], step: Sequence[Finding]
) -> list[list[tuple[int, int, Finding, bool]]]:
    """The earlier findings and the new ones (marked True) in runs of spans that overlap."""
    spans = sorted(
        [(s, e, f, False) for s, e, f in placed] + [(f.start, f.end, f, True) for f in step],
        key=lambda span: span[0],
    )
    runs: list[list[tuple[int, int, Finding, bool]]] = []
    for span in spans:
        if runs and span[0] < max(e for _, e, _, _ in runs[-1]):
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def _origin(placed: Sequence[_Placed], position: int) -> int:
    """Where a position of the substituted text (outside every replacement) was in the original."""
    for _, end, f in reversed(placed):
        if end <= position:
            return f.end + position - end
    return position


def _whole(m: re.Match[str], kind: str, replacement: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), kind, replacement)]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- email addresses ---------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_MAILTO_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\(mailto:(?P<address>[^()\s]+)\)", re.I)
# Consumer mail providers: an address there belongs to a person, not an organisation.
_PERSONAL_PROVIDERS = _words(
    """gmail googlemail hotmail outlook live msn yahoo ymail rocketmail icloud me mac aol
    btinternet btopenworld sky talktalk tiscali virginmedia virgin ntlworld blueyonder
    protonmail proton gmx"""
)
_UK_SECOND_LEVEL = _words("co org ac gov me ltd plc net sch nhs police mod")
_PUBLIC_SUFFIXES = (
    ".gov.uk",
    ".police.uk",
    ".org.uk",
    ".nhs.uk",
    ".ac.uk",
    ".sch.uk",
    ".parliament.uk",
    ".mod.uk",
)


def is_personal_email(address: str) -> bool:
    """True when *address* is at a consumer mail provider (gmail, btinternet …)."""
    domain = address.rsplit("@", 1)[-1].lower().rstrip(".")
    if domain.endswith(_PUBLIC_SUFFIXES):
        return False
    labels = domain.split(".")
    suffix = 2 if len(labels) > 2 and labels[-1] == "uk" and labels[-2] in _UK_SECOND_LEVEL else 1
    return len(labels) > suffix and labels[-1 - suffix] in _PERSONAL_PROVIDERS


def _mailto_link(m: re.Match[str]) -> list[Finding]:
    """A link to a private address: its words stay, unless they are the address."""
    if not is_personal_email(m["address"]):
        return []
    shown = m["text"] if m["text"].strip() and "@" not in m["text"] else EMAIL_REMOVED
    return _whole(m, EMAIL, shown)


def _email(m: re.Match[str]) -> list[Finding]:
    return _whole(m, EMAIL, EMAIL_REMOVED) if is_personal_email(m[0]) else []


# --- phone numbers -----------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w+/.])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)\d[\d \t()-]{7,14}\d(?![\w/])"
)
# Words before a landline that show it is a private person's number …
_PRIVATE_CUES = re.compile(
    r"\b(resident|residents'|owner|neighbour|my|me|home|his|her|mr|mrs|ms|miss|mx|mobile|"
    r"personal|private|landlord|tenant|daughter|son|husband|wife|mum|dad|family)\b",
    re.IGNORECASE,
)
# … unless the sentence also names an organisation's line.
_ORGANISATION_CUES = re.compile(
    r"\b(police|constabulary|station|office|council|helpline|line|crimestoppers|"
    r"action fraud|pcc|opcc|commissioner|team|centre|center|service|services|support|hub|"
    r"reception|switchboard|trust|charity|victim|victims|headquarters|hq|nhs|samaritans|"
    r"department|unit|ltd|limited|club|school|surgery|hall|library|partnership|court)\b",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:[.!?]\s|\n)(?!.*(?:[.!?]\s|\n))", re.DOTALL)


def _national_digits(number: str) -> str | None:
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif number.lstrip().startswith("+44"):
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # "+44 (0)7700 …" leaves the bracketed 0 behind
        digits = digits[1:]
    return digits if len(digits) in (10, 11) and digits.startswith("0") else None


def _phone(m: re.Match[str]) -> list[Finding]:
    digits = _national_digits(m[0])
    if digits is None:
        return []
    if digits.startswith("07"):  # mobiles are personal, whoever's they are
        return _whole(m, PHONE, PHONE_REMOVED)
    if digits.startswith(("01", "02")):
        before = m.string[max(0, m.start() - 160) : m.start()]
        start = _SENTENCE_START.search(before)
        sentence = before[start.end() :] if start else before
        if _PRIVATE_CUES.search(sentence) and not _ORGANISATION_CUES.search(sentence):
            return _whole(m, PHONE, PHONE_REMOVED)
    return []  # 03, 08, 09 and 101 are organisations' numbers


# --- names in court news and appeals -----------------------------------------------

_WORD = r"[A-Z][A-Za-z'’-]*[a-z]"
_PARTICLE = r"(?:(?:van|von|de|der|den|da|di|du|la|le|bin|al|el)[ \t]+){0,2}"
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"})
_FULL_NAME = rf"{_WORD}(?:[ \t]+{_PARTICLE}{_WORD}){{1,4}}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
# ", 34," or " (34)" or ", aged 34,": an age, not a date ("Crown Court, 20 June").
_AGE = (
    r"(?P<agepart>\s*(?:,\s*|\(\s*)(?:aged\s+)?(?P<age>1[01]\d|\d{1,2})(?!\d)"
    rf"(?!\s+{_MONTH}\b)(?:\s*\))?)"
)
_SEGMENT = (
    r"(?:\d+[A-Za-z]?\s+)?[A-Z][\w'’-]*"
    r"(?:[ -](?:[A-Z][\w'’-]*|upon|under|le|cum|next|super|de|\d+[A-Za-z]?))*"
)
_ADDRESS = rf"(?P<prep>of|from)\s+(?P<address>{_SEGMENT}(?:,\s*{_SEGMENT})*)"
# "John Smith, 34, of Elm Road, Cambourne", "John Smith (34)", "John Smith, of 4 Elm Road".
_PERSON = re.compile(rf"(?P<name>{_FULL_NAME}){_AGE}?(?:\s*,?\s+{_ADDRESS})?")
_STREET = re.compile(
    r"^\d|^Flat\b|\bSt$|\b(Road|Rd|Street|Avenue|Ave|Close|Lane|Way|Drive|Crescent|Court|"
    r"Place|Gardens|Grove|Terrace|Walk|Square|Hill|Row|Mews|View|Rise|Green|Parade|Vale|Gate|"
    r"Meadow|Meadows|Fields|Chase|Park|End|Yard|Wharf|Broadway|Boulevard|Lodge)\b"
)
# Capitalised words that start a sentence: never the start of a private name.
_NOT_A_NAME = _words(
    """yesterday today tonight on in at when after before meanwhile also and but then however
    sentencing police officers detectives the a an this last earlier later
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december"""
)
# A rank, a title of office or an institution in the name: an officer, a judge, a court.
_NOT_PRIVATE = _words(
    """pc pcso dc ds di dci dsi supt det detective sergeant sgt constable inspector insp chief
    superintendent commander judge recorder justice magistrate magistrates officer
    commissioner councillor cllr honour lord lady sir dame court crown police station council
    prison hospital school centre college university road street"""
)
# "Daniel Frost was last seen …", "… has been reported missing": a missing person.
_MISSING_AFTER = re.compile(
    r"\s+(?:was|is|has been|had been|went)\s+(?:last\s+seen|(?:reported\s+)?missing)\b"
)


def _is_street(segment: str) -> bool:
    return bool(_STREET.search(segment.strip()))


def _person_rule(names: set[str]) -> _Rule:
    """The rule for a private person named with an age, a street or as missing.

    It adds to *names* what later mentions of them look like: "Smith", "Mr Smith",
    and in an appeal the first name ("Anyone who has seen Daniel").
    """

    def rule(m: re.Match[str]) -> list[Finding]:
        words = m["name"].split()
        lead: list[str] = []  # "Sentencing Mark Brown": the name is after the first word
        while words and words[0].lower() in _NOT_A_NAME:
            lead.append(words.pop(0))
        if len(words) < 2 or any(w.lower().strip("’'") in _NOT_PRIVATE for w in words):
            return []
        segments = m["address"].split(",") if m["address"] else []
        missing = bool(_MISSING_AFTER.match(m.string, m.end()))
        if m["age"] is None and not missing and not any(_is_street(s) for s in segments):
            return []  # "Shane Fasey, of South Cambs": no age, no street: not a defendant
        person = [w for w in words if w not in _TITLES]
        if not person:  # "Mr Dr, 34": titles, no name
            return []
        _remember(names, person, missing=missing)
        name = " ".join([*lead, NAME_REMOVED])
        found = [Finding(m.start("name"), m.end("name"), NAME, name)]
        kept = [seg.strip() for seg in segments if not _is_street(seg)]
        address = ", ".join(([ADDRESS_REMOVED] if len(kept) < len(segments) else []) + kept)
        if segments and address != m["address"]:  # the street goes; the town stays
            found.append(Finding(m.start("address"), m.end("address"), ADDRESS, address))
        return found

    return rule


def _remember(names: set[str], person: list[str], *, missing: bool) -> None:
    names.add(" ".join(person))
    names.add(person[-1])
    if missing:  # an appeal goes on to use the first name
        names.add(person[0])
    particles = [i for i, w in enumerate(person) if w.islower()]
    if particles:  # "van der Berg", also as a sentence starts it: "Van der Berg"
        surname = " ".join(person[particles[0] :])
        names.update({surname, surname[0].upper() + surname[1:]})


def _later_mentions(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    titles = "|".join(_TITLES)
    return re.compile(rf"\b(?:(?:{titles})\.?\s+)?(?:{alternatives})\b")
