"""The agenda's publication deadline, and dates written the way a council writes them."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

CLEAR_DAYS = 3


@lru_cache(maxsize=8)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays  # lazy: keeps `--help` quick

    # Good Friday and Christmas Day are in the list too, as the Local Government
    # Act 1972 also disregards them.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_excluded_day(day: dt.date) -> bool:
    """True for a day that does not count as a clear day: a Sunday or a bank holiday."""
    return day.weekday() == 6 or day in _holidays(day.year)


def publication_deadline(meeting: dt.date) -> dt.date:
    """Return the last day to publish the agenda: three clear days before *meeting*.

    Clear days exclude the day of publication and the day of the meeting, and
    Sundays and bank holidays in England and Wales are not counted. If the day
    found is itself a Sunday or bank holiday we go back to the working day
    before: publishing earlier is always lawful, and a clerk is not asked to
    publish on a holiday.
    """
    day, counted = meeting, 0
    while counted < CLEAR_DAYS:
        day -= dt.timedelta(days=1)
        if not is_excluded_day(day):
            counted += 1
    day -= dt.timedelta(days=1)
    while is_excluded_day(day):
        day -= dt.timedelta(days=1)
    return day


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# English names whatever the machine's locale: the pack is written in en-GB.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: dt.date, *, weekday: bool = False) -> str:
    """Return "5th July 2022" (or "Tuesday 5th July 2022"), as council papers write it."""
    text = f"{ordinal(day.day)} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text
