"""Fit to publish: a text as the pack prints it, by the publication setting, from its findings.

A meeting pack goes on the council's website and stays there for years, so what
was fine in an email to the clerk is not always fine in the pack:

- ``neutral_salutation``: a greeting addressed to one person ("Dear John,",
  "Hi Jane,", "Dear Mrs Smith,") becomes "Dear resident,". We replace rather than
  remove because Neighbourhood Alert and OPCC messages are mail-merged to each
  subscriber: "Dear resident," is what the sender meant, and the letter still
  reads as a letter. Greetings to a group or a role ("Dear all", "Dear Sir/Madam",
  "Dear Councillors", "Dear Clerk") are left alone.
- ``replaced``: the private individuals' personal data that
  :mod:`council_papers.personal` found (contact details, and in court news and
  appeals names and street addresses) replaced, as the findings say.

Finding is not done here: ``classify`` records the findings of each part of an
item, and the pack passes them in (``personal.findings_for`` says when a text is
looked at afresh). A clerk of a very small parish can choose ``publication =
"flag"`` and check each item by hand.
"""

from __future__ import annotations

import re

from council_papers.models import Publication
from council_papers.personal import Findings

FLAG_NOTE = "[Personal data: check before publishing]"
NEUTRAL_SALUTATION = "Dear resident"
PUBLICATION_MODES = tuple(mode.value for mode in Publication)


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


# --- putting it together -------------------------------------------------------------


def replaced(text: str, findings: Findings) -> str:
    """Return *text* with each finding replaced: findings made on this very text."""
    out, pos = [], 0
    for f in findings.found:
        out += [text[pos : f.start], f.replacement]
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def published(text: str, findings: Findings, publication: Publication | str) -> str:
    """Return the text to print for a *publication* mode, given the personal data found in it.

    ``redact`` neutralises the salutation and replaces the findings; ``flag``
    neutralises the salutation only (the caller shows FLAG_NOTE when personal data
    was found); ``keep`` prints the text exactly as received.
    """
    if publication not in PUBLICATION_MODES:
        raise ValueError(f"publication must be one of {', '.join(PUBLICATION_MODES)}")
    if publication == "keep":
        return text
    if publication == "flag":
        return neutral_salutation(text)
    return neutral_salutation(replaced(text, findings))
