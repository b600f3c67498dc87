"""Dates as UK correspondence writes them: day first, but ISO dates never swapped."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from email.utils import parsedate_to_datetime

_TZINFOS = {"BST": 3600, "GMT": 0, "UTC": 0, "UT": 0, "CET": 3600, "CEST": 7200}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T].*)?$")
_AT = re.compile(r"\s+at\s+", re.I)


def parse_date(text: str | None, *, dayfirst: bool = True) -> dt.datetime | None:
    """Return the date and time written in *text*, or None if there is none.

    ISO forms go to ``fromisoformat`` first, because a day-first parser turns
    2024-09-05 into 9 May.
    """
    if not text:
        return None
    text = text.strip()
    if _ISO.match(text):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    try:  # RFC 5322, as in Date headers
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):  # Overflow: a year like 9999999999
        pass
    from dateutil import parser  # lazy: keeps `--help` quick

    cleaned = _AT.sub(
        " ", text
    )  # "Mon, 20 Jun 2022 at 16:45" (Gmail), "... at 10:20:31 GMT" (Apple)
    try:
        with warnings.catch_warnings():  # "tzname X not understood": the time is still right
            warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)
            return parser.parse(cleaned, dayfirst=dayfirst, tzinfos=_TZINFOS)
    except (ValueError, OverflowError, parser.ParserError):
        return None


# Dates written inside text: a GovDelivery dateline, a Neighbourhood Alert stamp,
# a date in a subject ("Latest news from the courts – 20.6.22") or a report line.
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
NUMERIC_DATE = re.compile(r"(?<![\d.:/-])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d./-]|:\d)")
WORDY_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+(\d{{4}})\b", re.I
)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# "March 25th, 2020", "Wednesday, March 25th, 2020": month first, as some sites write
MONTH_FIRST_DATE = re.compile(
    rf"\b{_MONTHS}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)


def find_date(text: str | None) -> dt.date | None:
    """Return the first calendar date written in *text* (day first), or None."""
    if not text:
        return None
    candidates: list[tuple[int, dt.date]] = []
    for m in ISO_DATE.finditer(text):
        _add(candidates, m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in NUMERIC_DATE.finditer(text):
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        _add(candidates, m.start(), year, int(m.group(2)), int(m.group(1)))
    for m in (*WORDY_DATE.finditer(text), *MONTH_FIRST_DATE.finditer(text)):
        parsed = parse_date(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", m.group(0)))
        if parsed:
            candidates.append((m.start(), parsed.date()))
    return min(candidates)[1] if candidates else None


def _add(out: list[tuple[int, dt.date]], pos: int, year: int, month: int, day: int) -> None:
    try:
        out.append((pos, dt.date(year, month, day)))
    except ValueError:
        pass
