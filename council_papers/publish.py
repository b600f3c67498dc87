"""Fit to publish: pure str -> str steps that take private individuals' data out of a text.

A meeting pack goes on the council's website and stays there for years, so what
was fine in an email to the clerk is not always fine in the pack:

- ``neutral_salutation``: a greeting addressed to one person ("Dear John,",
  "Hi Jane,", "Dear Mrs Smith,") becomes "Dear resident,". We replace rather than
  remove because Neighbourhood Alert and OPCC messages are mail-merged to each
  subscriber: "Dear resident," is what the sender meant, and the letter still
  reads as a letter. Greetings to a group or a role ("Dear all", "Dear Sir/Madam",
  "Dear Councillors", "Dear Clerk") are left alone.
- ``redact``: private email addresses (consumer mail providers such as gmail or
  btinternet), UK mobile numbers, landlines written about a private person, and
  in court news and appeals the names and street addresses of private people.
  Officers' names and organisations' contact details (101, 0800 numbers, anything
  at .gov.uk, .police.uk, .org.uk or an organisation's own domain) stay.

Court news keeps the age and the town ("[name removed], 34, of [address removed],
Cambourne"): councillors need to see whether a case is local, and a town with an
age does not identify a person the way a name and a street do. A clerk of a very
small parish can choose ``publication = "flag"`` and check each item by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from council_papers.models import Publication

EMAIL_REMOVED = "[email address removed]"
PHONE_REMOVED = "[phone number removed]"
NAME_REMOVED = "[name removed]"
ADDRESS_REMOVED = "[address removed]"
FLAG_NOTE = "[Personal data: check before publishing]"
NEUTRAL_SALUTATION = "Dear resident"
PUBLICATION_MODES = tuple(mode.value for mode in Publication)

# Kinds of item that name private individuals (defendants, missing or wanted people).
NAMING_KINDS = frozenset({"court-news", "appeal"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- salutations -----------------------------------------------------------------

_GREETING = re.compile(
    r"^(?P<lead>[ \t]*)(?P<greet>dear|hi|hello|hiya|good (?:morning|afternoon|evening))"
    r"[ \t]+(?P<name>[^\n,!:;.]{1,60}?)[ \t]*(?P<punct>[,!:]|$)",
    re.IGNORECASE | re.MULTILINE,
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|and|&)$")
# Words that make a greeting address a group or a role, not a person.
_GROUP_WORDS = _words(
    """all everyone everybody resident residents sir madam sirs colleague colleagues
    councillor councillors clerk clerks member members friend friends neighbour neighbours
    team partner partners subscriber subscribers there folks both chair chairman chairperson
    parishioners community watch coordinator coordinators co-ordinator co-ordinators alert
    user users reader readers customer customers council parish town committee officer
    officers volunteer volunteers supporter supporters businesses business owners
    organisation organisations stakeholder stakeholders"""
)


def neutral_salutation(text: str) -> str:
    """Return *text* with greetings addressed to one named person turned into "Dear resident,"."""

    def replace(m: re.Match[str]) -> str:
        words = m["name"].split()
        if len(words) > 4 or not all(_NAME_TOKEN.match(w) for w in words):
            return m[0]  # "Hello and welcome", "Hi Vis jackets are here": not a greeting
        if {w.lower().strip(".") for w in re.split(r"[\s/]+", m["name"])} & _GROUP_WORDS:
            return m[0]
        return f"{m['lead']}{NEUTRAL_SALUTATION},"

    return _GREETING.sub(replace, text)


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


def _phone_replacer(text: str, found: list[str]) -> Callable[[re.Match[str]], str]:
    def replace(m: re.Match[str]) -> str:
        digits = _national_digits(m[0])
        if digits is None:
            return m[0]
        if digits.startswith("07"):  # mobiles are personal, whoever's they are
            found.append(m[0])
            return PHONE_REMOVED
        if digits.startswith(("01", "02")):
            before = text[max(0, m.start() - 160) : m.start()]
            start = _SENTENCE_START.search(before)
            sentence = before[start.end() :] if start else before
            if _PRIVATE_CUES.search(sentence) and not _ORGANISATION_CUES.search(sentence):
                found.append(m[0])
                return PHONE_REMOVED
        return m[0]  # 03, 08, 09 and 101 are organisations' numbers

    return replace


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


def _redact_people(text: str, found: list[str]) -> str:
    names: set[str] = set()

    def replace(m: re.Match[str]) -> str:
        words = m["name"].split()
        lead: list[str] = []
        while words and words[0].lower() in _NOT_A_NAME:
            lead.append(words.pop(0))
        if len(words) < 2 or any(w.lower().strip("’'") in _NOT_PRIVATE for w in words):
            return m[0]
        segments = m["address"].split(",") if m["address"] else []
        missing = bool(_MISSING_AFTER.match(m.string, m.end()))
        if m["age"] is None and not missing and not any(_is_street(s) for s in segments):
            return m[0]  # "Shane Fasey, of South Cambs": no age, no street: not a defendant
        person = [w for w in words if w not in _TITLES]
        if not person:  # "Mr Dr, 34": titles, no name
            return m[0]
        names.add(" ".join(person))
        names.add(person[-1])
        if missing:  # an appeal goes on to use the first name: "Anyone who has seen Daniel"
            names.add(person[0])
        particles = [i for i, w in enumerate(person) if w.islower()]
        if particles:  # "van der Berg", also as a sentence starts it: "Van der Berg"
            surname = " ".join(person[particles[0] :])
            names.update({surname, surname[0].upper() + surname[1:]})
        found.append(" ".join(person))
        s, pieces = m.string, [*lead, NAME_REMOVED]
        out = " ".join(pieces)
        if not segments:
            return out + s[m.end("name") : m.end()]
        kept = [seg.strip() for seg in segments if not _is_street(seg)]
        address = ", ".join(([ADDRESS_REMOVED] if len(kept) < len(segments) else []) + kept)
        return out + s[m.end("name") : m.start("address")] + address + s[m.end("address") : m.end()]

    text = _PERSON.sub(replace, text)
    if names:  # later mentions: "Smith admitted …", "Mr Smith's car"
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        titles = "|".join(_TITLES)
        later = re.compile(rf"\b(?:(?:{titles})\.?\s+)?(?:{alternatives})\b")
        text = later.sub(NAME_REMOVED, text)
    return text


# --- putting it together -------------------------------------------------------------


def redact(text: str, kind: str | None = None) -> tuple[str, bool]:
    """Return *text* with private individuals' contact details (and, in court news and
    appeals, names and street addresses) replaced, and whether anything was replaced."""
    found: list[str] = []

    def mailto(m: re.Match[str]) -> str:
        if not is_personal_email(m["address"]):
            return m[0]
        found.append(m["address"])
        return m["text"] if m["text"].strip() and "@" not in m["text"] else EMAIL_REMOVED

    def email(m: re.Match[str]) -> str:
        if not is_personal_email(m[0]):
            return m[0]
        found.append(m[0])
        return EMAIL_REMOVED

    text = _MAILTO_LINK.sub(mailto, text)
    if "@" in text:  # what _EMAIL matches has one
        text = _EMAIL.sub(email, text)
    text = _PHONE.sub(_phone_replacer(text, found), text)
    if kind is not None and str(kind) in NAMING_KINDS:
        text = _redact_people(text, found)
    return text, bool(found)


def for_publication(
    text: str, kind: str | None, publication: Publication | str
) -> tuple[str, bool]:
    """Return the text to print for a *publication* mode and whether personal data was found.

    ``redact`` neutralises the salutation and redacts; ``flag`` neutralises the
    salutation only (the caller shows FLAG_NOTE when personal data was found);
    ``keep`` prints the text exactly as received.
    """
    if publication not in PUBLICATION_MODES:
        raise ValueError(f"publication must be one of {', '.join(PUBLICATION_MODES)}")
    redacted, found = redact(text, kind)
    if publication == "keep":
        return text, found
    if publication == "flag":
        return neutral_salutation(text), found
    return neutral_salutation(redacted), found
