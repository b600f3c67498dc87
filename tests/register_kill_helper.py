"""Subprocess for the crash test: add 50 records to a log, to be killed part-way.

Usage: python register_kill_helper.py LOG [COUNT]. Prints "ready" once the imports
are done, so the test's random delay falls inside add_records, not interpreter start-up.
"""

from __future__ import annotations

import datetime as dt
import sys

from council_papers.models import Article, Classified, Decision, Disposition, Format, Kind
from council_papers.register import add_records


def kill_records(count: int) -> list[Classified]:
    """The records the helper adds; keys are ``mid:kill-<n>@test``."""
    return [
        Classified(
            path=f"inbox/kill-{n}.eml",
            format=Format.EML,
            sender_org="Neighbourhood Alert",
            subject=f"Appeal number {n}",
            date=dt.date(2024, 9, 5),
            message_id=f"<kill-{n}@test>",
            text=f"Appeal {n}. " + "Police are asking for witnesses. " * 60,
            articles=(
                Article(headline=f"Appeal {n}", theme="Crime prevention", text="Witnesses."),
            ),
            decision=Decision(
                kind=Kind.APPEAL, disposition=Disposition.CIRCULATED, reasons=("an appeal",)
            ),
        )
        for n in range(count)
    ]


if __name__ == "__main__":
    records = kill_records(int(sys.argv[2]) if len(sys.argv) > 2 else 50)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    add_records(sys.argv[1], records, today=dt.date(2024, 9, 6))
