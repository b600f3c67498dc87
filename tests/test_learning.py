"""Learning from the clerk (issue 11, point 5): a scripted clerk corrects one meeting's
decisions in Excel; the next meeting's similar items come out as the clerk wanted."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import openpyxl

from conftest import COUNCIL, json_lines, run

NA = "Cambridgeshire Police <noreply@neighbourhoodalert.co.uk>"
FOOTER = (
    "\n\nMessage Sent By\nCorporate Communications (Police, Corporate Communications, "
    "Cambridgeshire)\n\nTo reply or forward this email please use the buttons below\n"
)


def _alert(folder: Path, name: str, subject: str, body: str, when: dt.date) -> Path:
    msg = EmailMessage()
    msg["From"] = NA
    msg["To"] = "clerk@lowerfield-pc.gov.uk"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime(when.year, when.month, when.day, 9, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<{name}@neighbourhoodalert.co.uk>"
    msg.set_content(f"Creating a safer Cambridgeshire\n\n{subject}\n\nDear Jo,\n\n{body}{FOOTER}")
    path = folder / f"{name}.eml"
    path.write_bytes(msg.as_bytes())
    return path


COURTS_JUNE = (
    "Here are some of the people sentenced at Cambridge Crown Court and Huntingdon "
    "Magistrates' Court this month after investigations by our officers.\n\nA 34-year-old "
    "man from St Neots was jailed for three years for burglary after he broke into two "
    "homes in Eaton Socon.\n\nA woman from Huntingdon was given a suspended sentence for "
    "assaulting an emergency worker."
)
COURTS_JULY = (
    "Here are some of the people sentenced at Cambridge Crown Court and Peterborough "
    "Magistrates' Court this month after investigations by our officers.\n\nTwo men from "
    "Wisbech were jailed for a total of seven years for supplying class A drugs.\n\nA "
    "19-year-old from March was banned from driving for two years after a police chase "
    "through Chatteris."
)
THEFT = (
    "Overnight on Tuesday three sheds were broken into on Mill Road and power tools were "
    "stolen. Please check your sheds are locked and report anything suspicious on 101."
)


def _set_disposition(log: Path, subject: str, value: str) -> str:
    book = openpyxl.load_workbook(log)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    col_subject, col_disposition, col_ref = (
        headers.index(h) for h in ("Subject", "Disposition", "Ref")
    )
    for row in sheet.iter_rows(min_row=2):
        if row[col_subject].value == subject:
            row[col_disposition].value = value
            ref = str(row[col_ref].value)
            book.save(log)
            return ref
    raise AssertionError(f"{subject} not in the log")


def test_the_next_meetings_similar_items_follow_the_clerks_correction(tmp_path):
    june, july = tmp_path / "june", tmp_path / "july"
    june.mkdir()
    july.mkdir()
    log = tmp_path / "correspondence-log.xlsx"
    june_subject = "Court round-up: sentences handed down across Cambridgeshire in June"
    _alert(june, "courts-june", june_subject, COURTS_JUNE, dt.date(2022, 6, 20))
    _alert(june, "sheds-june", "Shed break-ins on Mill Road", THEFT, dt.date(2022, 6, 21))
    first = json_lines(run("inspect", june, "--json", "--config", COUNCIL))
    assert {r["subject"]: r["disposition"] for r in first}[june_subject] == "circulated"
    assert run("add", june, "--log", log, "--config", COUNCIL).exit_code == 0

    # the clerk's council discusses the court results: they change the row in Excel
    ref = _set_disposition(log, june_subject, "Agenda")

    july_subject = "Court round-up: sentences handed down across Cambridgeshire in July"
    _alert(july, "courts-july", july_subject, COURTS_JULY, dt.date(2022, 7, 18))
    _alert(
        july,
        "sheds-july",
        "Sheds broken into overnight in Eaton Socon",
        "Two garages and a shed in Eaton Socon were entered at the weekend and bicycles were "
        "taken. Mark your bikes and keep garages locked; call 101 with any information.",
        dt.date(2022, 7, 19),
    )
    result = run("add", july, "--log", log, "--config", COUNCIL)
    assert result.exit_code == 0, result.output
    rows = _rows(log)
    courts = rows[july_subject]
    assert courts["Disposition"] == "Agenda"
    assert f"like {ref} '{june_subject}', which you put on the agenda" in courts["Reason"]
    # an item unlike the corrected one keeps the policy's decision
    assert rows["Sheds broken into overnight in Eaton Socon"]["Disposition"] == "Circulated"


def test_a_rule_the_clerk_wrote_is_never_overridden_by_a_precedent(tmp_path):
    june, july = tmp_path / "june", tmp_path / "july"
    june.mkdir()
    july.mkdir()
    log = tmp_path / "correspondence-log.xlsx"
    june_subject = "Court round-up: sentences handed down across Cambridgeshire in June"
    _alert(june, "courts-june", june_subject, COURTS_JUNE, dt.date(2022, 6, 20))
    council = tmp_path / "council.toml"
    council.write_text(
        COUNCIL.read_text(encoding="utf-8") + '\n[files]\nrules = "rules.toml"\n'
        if "[files]" not in COUNCIL.read_text(encoding="utf-8")
        else COUNCIL.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nname = "courts-circulated"\nkind = "court-news"\ndisposition = "circulated"\n'
        'field = "subject"\nmatch = ["court round-up"]\n',
        encoding="utf-8",
    )
    assert run("add", june, "--log", log, "--config", council).exit_code == 0
    _set_disposition(log, june_subject, "Agenda")
    july_subject = "Court round-up: sentences handed down across Cambridgeshire in July"
    _alert(july, "courts-july", july_subject, COURTS_JULY, dt.date(2022, 7, 18))
    assert run("add", july, "--log", log, "--config", council).exit_code == 0
    courts = _rows(log)[july_subject]
    assert courts["Disposition"] == "Circulated"
    assert "rule 'courts-circulated'" in courts["Reason"]


def _rows(log: Path) -> dict[str, dict[str, str]]:
    sheet = openpyxl.load_workbook(log, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in values[0]]
    return {
        str(r[headers.index("Subject")]): {
            h: ("" if v is None else str(v)) for h, v in zip(headers, r, strict=False)
        }
        for r in values[1:]
        if r[0] is not None
    }
