"""Does an item name private individuals? Used to flag the log and guard the pack."""

from __future__ import annotations

import re

# Personal mail services: an address there belongs to a person, not an organisation.
PERSONAL_DOMAINS = (
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com",
    "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "mac.com", "aol.com",
    "btinternet.com", "sky.com", "talktalk.net", "virginmedia.com", "ntlworld.com",
    "tiscali.co.uk", "protonmail.com", "proton.me", "gmx.com", "mail.com",
)
PRIVATE_EMAIL = re.compile(
    r"\b[\w.+-]+@(?:" + "|".join(re.escape(d) for d in PERSONAL_DOMAINS) + r")\b", re.I
)
MOBILE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?7\d{3}|07\d{3})[\s-]?\d{3}[\s-]?\d{3}(?!\d)")
# "Kevin Marsh, 34, of Huntingdon Road" / "Kevin Marsh (34)" / "Kevin Marsh, aged 34"
NAMED_PERSON = re.compile(
    r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}(?:,\s*(?:aged\s+)?\d{1,2},?\s+(?:of|from)\b|"
    r"\s*\(\d{1,2}\)|,\s*aged\s+\d{1,2}\b)"
)
MISSING = re.compile(r"\bmissing\b.{0,80}\b[A-Z][a-z]+\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b"
                     r".{0,60}\b(?:is|has been|was) (?:reported )?missing\b", re.S)


def personal_data_found(text: str) -> tuple[str, ...]:
    """Return what in *text* identifies a private individual (empty if nothing)."""
    found = []
    if PRIVATE_EMAIL.search(text):
        found.append("a private email address")
    if MOBILE.search(text):
        found.append("a mobile phone number")
    if NAMED_PERSON.search(text):
        found.append("a named individual with their age or address")
    elif MISSING.search(text):
        found.append("a named missing person")
    return tuple(found)
