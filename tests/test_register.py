"""The correspondence log: every behaviour is checked by reading the .xlsx back with openpyxl."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Border, Font, PatternFill, Side

from council_papers.errors import RegisterError
from council_papers.keys import record_key
from council_papers.models import (
    Article,
    Classified,
    Correspondence,
    Decision,
    Disposition,
    Format,
    Kind,
    Unreadable,
)
from council_papers.personal import ItemFindings, find
from council_papers.register import (
    COLUMNS,
    AddResult,
    LogRow,
    StoredText,
    add_records,
    assign_meeting,
    read_log,
    read_texts,
)

TODAY = dt.date(2024, 9, 6)
HELPER = Path(__file__).with_name("register_kill_helper.py")


def make_record(
    subject: str = "It is time to have your say",
    date: dt.date | None = dt.date(2024, 9, 5),
    disposition: Disposition = Disposition.AGENDA,
    *,
    message_id: str | None = None,
    text: str | None = None,
    sender_org: str = "Neighbourhood Alert",
    articles: tuple[Article, ...] = (),
    error: str | None = None,
    decided: bool = True,
    **decision: object,
) -> Classified | Correspondence | Unreadable:
    """A classified record, as the pipeline would hand it to the log (with *error*: a
    file that could not be read; not *decided*: one that was never classified)."""
    path = f"inbox/{message_id or subject}.eml"
    if error is not None:
        return Unreadable(path=path, format=Format.EML, error=error)
    fields: dict = {"kind": Kind.SURVEY, "disposition": disposition, "reasons": ("a survey",)}
    fields.update(decision)
    record = Correspondence(
        path=path,
        format=Format.EML,
        sender_org=sender_org,
        author="Darryl Preston",
        subject=subject,
        date=date,
        message_id=message_id,
        articles=articles,
        text=text if text is not None else f"Full text of {subject}.",
    )
    return Classified.of(record, Decision(**fields)) if decided else record


def sheet(path: Path, name: str = "Correspondence"):
    """The worksheet, loaded by openpyxl on its own (not through the register)."""
    return openpyxl.load_workbook(path)[name]


def headers(ws) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def column(ws, header: str) -> list:
    """Values under *header* on every row below it."""
    col = headers(ws)[header]
    return [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]


def files_beside(log: Path) -> list[str]:
    """The names in the log's folder, but for the lock file every save takes (kept, empty)."""
    return sorted(p.name for p in log.parent.iterdir() if p.name != f".{log.name}.lock")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite_zip(
    path: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None
) -> None:
    """Rewrite the members of an .xlsx (change returns new bytes, or None to keep them)."""
    members = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            members[name] = change(name, data) or data
    members.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "correspondence-log.xlsx"


@pytest.fixture
def two(log: Path) -> Path:
    """A log holding two items: an agenda item and a circulated one."""
    add_records(
        log,
        [
            make_record("Have your say on policing", message_id="<a@x>"),
            make_record(
                "Scam warning", dt.date(2024, 9, 4), Disposition.CIRCULATED, message_id="<b@x>"
            ),
        ],
        today=TODAY,
    )
    return log


# 1. A new log is an Excel Table a clerk can filter, with real dates and a drop-down
def test_new_log_is_a_table_with_dates_and_a_disposition_drop_down(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    assert wb.sheetnames == ["Correspondence", "Texts", "Logged keys"]
    assert wb["Logged keys"].sheet_state == "hidden"  # the keys of every item ever added
    ws = wb["Correspondence"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    table = ws.tables["Correspondence"]
    assert table.ref == "A1:R3"
    assert table.autoFilter is not None and table.autoFilter.ref == "A1:R3"
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Agenda,Circulated,Excluded"'
    assert str(dv.sqref) == "I2:I3"
    assert headers(ws)["Disposition"] == 9  # column I
    assert ws.column_dimensions["F"].width == 50  # Subject is wide
    assert ws.column_dimensions["A"].width < ws.column_dimensions["F"].width
    for name in ("Received", "Sent"):
        for r in (2, 3):
            cell = ws.cell(r, headers(ws)[name])
            assert isinstance(cell.value, dt.datetime) and cell.number_format == "dd/mm/yyyy"
    assert column(ws, "Ref") == ["2024-001", "2024-002"]
    assert column(ws, "Received") == [dt.datetime(2024, 9, 6)] * 2
    assert column(ws, "Sent") == [dt.datetime(2024, 9, 5), dt.datetime(2024, 9, 4)]
    assert column(ws, "Disposition") == ["Agenda", "Circulated"]
    assert column(ws, "Kind") == ["Survey", "Survey"]
    assert column(ws, "Key") == ["mid:a@x", "mid:b@x"]
    assert column(ws, "Source file") == ["inbox/<a@x>.eml", "inbox/<b@x>.eml"]


def test_row_values_and_result(log: Path) -> None:
    record = make_record(
        "Rural crime survey",
        message_id="<c@x>",
        kind=Kind.ENGAGEMENT_MEETING,
        themes=("Putting communities first", "Crime prevention"),
        reasons=("an engagement meeting", "mentions Cambourne"),
        personal_data=True,
    )
    result = add_records(log, [record], today=TODAY)
    assert isinstance(result, AddResult) and result.created and result.skipped == ()
    [row] = result.added
    assert isinstance(row, LogRow)
    assert row == read_log(log)[0]
    assert (row.ref, row.received, row.sent, row.key) == (
        "2024-001",
        TODAY,
        dt.date(2024, 9, 5),
        "mid:c@x",
    )
    assert row.disposition is Disposition.AGENDA and row.disposition_text == "Agenda"
    ws = sheet(log)
    values = {h: ws.cell(2, c).value for h, c in headers(ws).items()}
    assert values["Kind"] == "Engagement meeting"
    assert values["Themes"] == "Putting communities first; Crime prevention"
    assert values["Reason"] == "an engagement meeting; mentions Cambourne"
    assert values["Personal data"] == "Yes"
    assert values["From"] == "Neighbourhood Alert" and values["Author"] == "Darryl Preston"
    assert values["Meeting"] is None and values["Agenda item"] is None


def test_empty_first_run_still_creates_a_valid_log(log: Path) -> None:
    result = add_records(log, [make_record(error="not an email")], today=TODAY)
    assert result.created and result.added == ()
    ws = sheet(log)
    assert ws.tables["Correspondence"].ref == "A1:R2"  # a table needs one (empty) data row
    assert read_log(log) == ()
    add_records(log, [make_record(message_id="<a@x>")], today=TODAY)
    assert sheet(log).tables["Correspondence"].ref == "A1:R2"
    assert [r.ref for r in read_log(log)] == ["2024-001"]


# Refs are stable: numbered per year of receipt, never renumbered
def test_refs_number_per_year_and_continue_after_the_highest(two: Path) -> None:
    add_records(two, [make_record("New year", message_id="<c@x>")], today=dt.date(2025, 1, 3))
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    ws.cell(6, 1).value = "2024-050"  # typed by the clerk
    ws.cell(6, headers(ws)["Subject"]).value = "Letter from a resident"
    wb.save(two)
    add_records(two, [make_record("Later", message_id="<d@x>")], today=dt.date(2024, 12, 1))
    assert column(sheet(two), "Ref") == [
        "2024-001",
        "2024-002",
        "2025-001",
        None,
        "2024-050",
        "2024-051",
    ]


# 2. Idempotent
def test_adding_the_same_records_twice_adds_nothing_and_leaves_the_file(two: Path) -> None:
    before, rows = digest(two), read_log(two)
    again = [make_record("Have your say on policing", message_id="<a@x>")]
    result = add_records(two, again, today=dt.date(2024, 10, 1))
    assert result.added == ()
    assert result.skipped == (("inbox/<a@x>.eml", "already in the log as 2024-001"),)
    assert digest(two) == before  # not even re-saved
    assert read_log(two) == rows


def test_same_message_twice_in_one_batch_is_logged_once(log: Path) -> None:
    record = make_record(message_id="<a@x>")
    result = add_records(log, [record, record], today=TODAY)
    assert [r.ref for r in result.added] == ["2024-001"]
    assert result.skipped == ((record.path, "already in the log as 2024-001"),)
    assert column(sheet(log), "Key") == ["mid:a@x"]


def test_message_without_id_is_keyed_by_content(log: Path) -> None:
    record = make_record("Pasted text", message_id=None)
    add_records(log, [record], today=TODAY)
    assert add_records(log, [record], today=TODAY).added == ()
    assert column(sheet(log), "Key") == [record_key(record)]
    assert record_key(record).startswith("sha:")


def test_a_duplicate_is_logged_as_excluded_naming_the_original(two: Path) -> None:
    copy = make_record(
        "Fwd: Have your say on policing",
        message_id="<fwd@x>",
        duplicate_of="mid:a@x",
        reasons=("same text",),
    )
    [row] = add_records(two, [copy], today=TODAY).added
    assert row.disposition is Disposition.EXCLUDED
    ws = sheet(two)
    assert column(ws, "Disposition")[-1] == "Excluded"
    assert column(ws, "Reason")[-1] == "duplicate of 2024-001; same text"


def test_errors_are_skipped_and_undecided_records_refused(log: Path) -> None:
    broken = make_record(message_id="<e@x>", error="not a valid Word document")
    result = add_records(log, [broken, make_record(message_id="<a@x>")], today=TODAY)
    assert result.skipped == ((broken.path, "not a valid Word document"),)
    assert column(sheet(log), "Key") == ["mid:a@x"]
    before = digest(log)
    with pytest.raises(ValueError, match="no decision"):
        add_records(log, [make_record(message_id="<u@x>", decided=False)], today=TODAY)
    assert digest(log) == before


def test_needs_review_is_a_check_prefix_on_reason(log: Path) -> None:
    add_records(
        log,
        [make_record(message_id="<a@x>", needs_review=True, reasons=("no rule matched",))],
        today=TODAY,
    )
    assert column(sheet(log), "Reason") == ["CHECK: no rule matched"]
    [row] = read_log(log)
    assert row.needs_review and row.reason == "no rule matched"


# 3. The clerk's edits win
def test_clerk_edits_extra_columns_sheets_and_formatting_survive(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    col = headers(ws)
    ws.cell(2, col["Disposition"]).value = "circulated"  # typed in lower case
    ws.cell(2, col["Subject"]).value = "Policing survey (edited)"
    ws.cell(3, col["Clerk notes"]).value = "Sent to Cllr Smith"
    ws.cell(3, col["Action"]).value = "Reply by 30/09"
    ws.cell(2, col["Subject"]).fill = PatternFill("solid", fgColor="FFFF00")
    ws.cell(1, 19).value = "Follow-up"  # the clerk's own column, after ours
    ws.cell(2, 19).value = "phone PCSO"
    ws.cell(1, 20).value = "Discuss?"
    ws.cell(2, 20).value = '=IF(I2="Agenda","yes","no")'  # the clerk's own formula
    ws.cell(3, col["Clerk notes"]).comment = Comment("Ask about Lower Cambourne", "Clerk")
    ws.column_dimensions["F"].width = 70
    wb.create_sheet("Councillors")["A1"] = "Cllr Smith"
    wb.save(two)
    wb = openpyxl.load_workbook(two, rich_text=True)
    bold = CellRichText(["Urgent: ", TextBlock(InlineFont(b=True), "reply by Friday")])
    wb["Correspondence"].cell(2, col["Clerk notes"]).value = bold
    wb.save(two)

    add_records(two, [make_record("Court news", message_id="<c@x>")], today=TODAY)
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    assert wb.sheetnames == ["Correspondence", "Texts", "Logged keys", "Councillors"]
    assert wb["Councillors"]["A1"].value == "Cllr Smith"
    assert column(ws, "Subject") == ["Policing survey (edited)", "Scam warning", "Court news"]
    assert column(ws, "Disposition") == ["circulated", "Circulated", "Agenda"]
    assert column(ws, "Clerk notes")[1] == "Sent to Cllr Smith"
    assert column(ws, "Follow-up") == ["phone PCSO", None, None]
    assert ws.cell(2, 20).data_type == "f" and ws.cell(2, 20).value == '=IF(I2="Agenda","yes","no")'
    assert ws.cell(3, col["Clerk notes"]).comment.text == "Ask about Lower Cambourne"
    assert ws.column_dimensions["F"].width == 70
    assert ws.cell(2, col["Subject"]).fill.fgColor.rgb == "00FFFF00"
    rich = openpyxl.load_workbook(two, rich_text=True)["Correspondence"].cell(2, col["Clerk notes"])
    assert rich.value == bold  # the bold words inside the cell are kept
    rows = read_log(two)
    assert rows[0].disposition is Disposition.CIRCULATED  # the edit steers the pack
    assert rows[0].extra == {"Follow-up": "phone PCSO", "Discuss?": '=IF(I2="Agenda","yes","no")'}
    assert rows[0].clerk_notes == "Urgent: reply by Friday"
    assert rows[1].action == "Reply by 30/09"


def test_columns_are_found_by_header_wherever_the_clerk_moved_them(log: Path) -> None:
    order = ["key", "Notes of my own", *reversed([c.upper() for c in COLUMNS if c != "Key"])]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Correspondence"
    ws.append(order)
    ws.append(["mid:old@x", "mine", None, None])
    wb.save(log)
    add_records(log, [make_record("Moved columns", message_id="<a@x>")], today=TODAY)
    ws = sheet(log)
    at = {h.casefold(): c for h, c in headers(ws).items()}
    assert ws.cell(3, at["subject"]).value == "Moved columns"
    assert ws.cell(3, at["key"]).value == "mid:a@x"
    assert ws.cell(3, at["disposition"]).value == "Agenda"
    assert ws.cell(3, at["notes of my own"]).value is None
    assert ws.cell(2, at["notes of my own"]).value == "mine"
    assert [r.key for r in read_log(log)] == ["mid:old@x", "mid:a@x"]


def test_a_plain_range_under_a_title_row_is_found(log: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Correspondence"
    ws.append(["Cambourne Town Council: correspondence log"])
    ws.append(list(COLUMNS))
    ws.append(["2023-001", None, None, "OPCC", None, "Old item"])
    wb.save(log)
    add_records(log, [make_record("New item", message_id="<a@x>")], today=TODAY)
    ws = sheet(log)
    assert ws["A1"].value == "Cambourne Town Council: correspondence log"
    assert [ws.cell(r, 6).value for r in (3, 4)] == ["Old item", "New item"]
    assert [r.key for r in read_log(log)] == ["row:2023-001", "mid:a@x"]


def test_sorted_rows_stay_put_and_new_rows_go_below(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    first, second = ([c.value for c in ws[r]] for r in (2, 3))
    for c, value in enumerate(second, start=1):
        ws.cell(2, c).value = value
    for c, value in enumerate(first, start=1):
        ws.cell(3, c).value = value
    wb.save(two)
    add_records(two, [make_record("Third", message_id="<c@x>")], today=TODAY)
    assert column(sheet(two), "Ref") == ["2024-002", "2024-001", "2024-003"]
    assert [r.ref for r in read_log(two)] == ["2024-002", "2024-001", "2024-003"]


def test_hand_typed_rows_are_kept_keyed_and_addressable(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    col = headers(ws)
    typed = {
        4: {"Ref": "2024-090", "Subject": "Letter from PCSO", "Disposition": "Agenda"},
        6: {"Subject": "Phone call about parking", "Disposition": "Circulated"},  # row 5 left blank
        7: {"Ref": "2024-090", "Subject": "Same Ref typed twice"},
    }
    for r, values in typed.items():
        for name, value in values.items():
            ws.cell(r, col[name]).value = value
    wb.save(two)
    add_records(two, [make_record("Next", message_id="<c@x>")], today=TODAY)
    rows = read_log(two)
    assert [r.key for r in rows] == [
        "mid:a@x",
        "mid:b@x",
        "row:2024-090",
        "row:#6",
        "row:#7",
        "mid:c@x",
    ]
    assert [r.hand_typed for r in rows] == [False, False, True, True, True, False]
    assert (
        rows[3].subject == "Phone call about parking"
        and rows[3].disposition is Disposition.CIRCULATED
    )
    assert (
        rows[5].ref == "2024-091" and rows[5].row == 8
    )  # numbered after the typed Ref, below all rows
    assign_meeting(two, {"row:#6": (dt.date(2024, 10, 1), "5.2")}, backups=0)
    assert sheet(two).cell(6, col["Agenda item"]).value == "5.2"


@pytest.mark.parametrize("deleted", [("Subject",), ("Disposition", "Key")])
def test_missing_required_columns_are_refused_and_the_file_untouched(
    two: Path, deleted: tuple[str, ...]
) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    for name in deleted:
        ws.cell(1, headers(ws)[name]).value = f"Old {name}"
    wb.save(two)
    before = digest(two)
    with pytest.raises(RegisterError) as err:
        add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    assert (
        str(err.value)
        == f"{two}: required column(s) missing from the 'Correspondence' sheet: {', '.join(deleted)}"
    )
    assert digest(two) == before
    with pytest.raises(RegisterError, match="missing"):
        read_log(two)


def test_optional_columns_the_clerk_deleted_are_not_recreated(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    ws.delete_cols(headers(ws)["Author"])  # leaves the table ref stale; rebuild it
    del ws.tables["Correspondence"]
    wb.save(two)
    add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    ws = sheet(two)
    assert "Author" not in headers(ws)
    assert column(ws, "Subject")[-1] == "It is time to have your say"
    assert read_log(two)[-1].author == ""


# 4. Appended rows look like the rows above them; ranges grow with the table
def test_appended_rows_copy_the_style_of_the_row_above_and_ranges_grow(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    col = headers(ws)
    thin = Side(style="thin", color="FF0000")
    for c in range(1, len(COLUMNS) + 1):
        ws.cell(3, c).fill = PatternFill("solid", fgColor="DDEBF7")
        ws.cell(3, c).border = Border(bottom=thin)
    ws.cell(3, col["Sent"]).number_format = "d mmm yyyy"
    ws.cell(3, col["Received"]).number_format = "General"  # the clerk cleared it
    ws.cell(3, col["Subject"]).font = Font(italic=True, color="0000FF")
    red = PatternFill("solid", bgColor="FFC7CE")
    ws.conditional_formatting.add("I2:I3", FormulaRule(formula=['I2="Agenda"'], fill=red))
    ws.conditional_formatting.add("A1:R1", FormulaRule(formula=["TRUE"], fill=red))  # header only
    wb.save(two)

    add_records(
        two, [make_record(f"New {n}", message_id=f"<n{n}@x>") for n in range(2)], today=TODAY
    )
    ws = sheet(two)
    for r in (4, 5):
        assert ws.cell(r, col["Sent"]).number_format == "d mmm yyyy"
        assert (
            ws.cell(r, col["Received"]).number_format == "dd/mm/yyyy"
        )  # dates always show as dates
        assert (
            ws.cell(r, col["Subject"]).font.i
            and ws.cell(r, col["Subject"]).font.color.rgb == "000000FF"
        )
        assert ws.cell(r, col["Key"]).fill.fgColor.rgb == "00DDEBF7"
        assert ws.cell(r, col["From"]).border.bottom.style == "thin"
    assert ws.tables["Correspondence"].ref == "A1:R5"
    assert str(ws.data_validations.dataValidation[0].sqref) == "I2:I5"
    assert sorted(str(cf.sqref) for cf in ws.conditional_formatting) == ["A1:R1", "I2:I5"]


# 5. No data ever lost
@pytest.mark.parametrize("lock", ["~$correspondence-log.xlsx", ".~lock.correspondence-log.xlsx#"])
def test_an_open_log_is_refused_and_untouched(two: Path, lock: str) -> None:
    (two.parent / lock).write_text("clerk")
    before = digest(two)
    with pytest.raises(RegisterError, match=r"open in Excel .*close it and run again"):
        add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    with pytest.raises(RegisterError, match="open in Excel"):
        assign_meeting(two, {"mid:a@x": (dt.date(2024, 10, 1), "5.1")})
    assert digest(two) == before
    assert len(read_log(two)) == 2  # reading is fine


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"Ref,Subject\n2024-001,hello\n", "not a valid Excel workbook"),
        (b"", "not a valid Excel workbook"),
        ("zip", "not an Excel workbook"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504), "a password-protected or old-style"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(
    log: Path, content: bytes | str, reason: str
) -> None:
    if content == "zip":
        with zipfile.ZipFile(log, "w") as zf:
            zf.writestr("word/document.xml", "<w/>")
    else:
        log.write_bytes(content)  # type: ignore[arg-type]
    before = digest(log)
    with pytest.raises(RegisterError, match=re.escape(str(log)) + ": " + reason):
        add_records(log, [make_record(message_id="<a@x>")], today=TODAY)
    assert digest(log) == before
    assert files_beside(log) == [log.name]


def test_zip_bombs_are_refused(log: Path) -> None:
    with (
        zipfile.ZipFile(log, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("xl/workbook.xml", "w", force_zip64=True) as fh,
    ):
        for _ in range(201):  # 201 MB of zeros: a few hundred KB packed
            fh.write(bytes(1 << 20))
    with pytest.raises(RegisterError, match="would unpack to 201 MB"):
        add_records(log, [make_record(message_id="<a@x>")], today=TODAY)
    with pytest.raises(RegisterError, match="would unpack"):
        read_log(log)
    with zipfile.ZipFile(log, "w") as zf:
        for n in range(2001):
            zf.writestr(f"xl/part{n}.xml", "")
    with pytest.raises(RegisterError, match="2001 parts inside"):
        add_records(log, [make_record(message_id="<a@x>")], today=TODAY)


def test_other_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match=r"must be an \.xlsx"):
        add_records(tmp_path / "log.xls", [], today=TODAY)
    with pytest.raises(RegisterError, match="not found"):
        add_records(tmp_path / "no-such-folder" / "log.xlsx", [], today=TODAY)
    with pytest.raises(RegisterError, match="file not found"):
        read_log(tmp_path / "log.xlsx")


RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TEXTBOX = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
<xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>9</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>
<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>
<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Remember to chase the PCSO</a:t></a:r></a:p></xdr:txBody></xdr:sp>
<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"""


def add_textbox(path: Path) -> None:
    """Give the first sheet a drawing holding a text box, wired up as Excel does."""
    drawing = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"

    def change(name: str, data: bytes) -> bytes | None:
        text = data.decode()
        if name == "xl/worksheets/sheet1.xml":
            element = f'<drawing xmlns:r="{RELS}" r:id="rIdBox"/>'
            return text.replace("<tableParts", element + "<tableParts").encode()
        if name == "xl/worksheets/_rels/sheet1.xml.rels":
            return text.replace(
                "</Relationships>",
                f'<Relationship Id="rIdBox" Type="{drawing}" Target="../drawings/drawing1.xml"/></Relationships>',
            ).encode()
        if name == "[Content_Types].xml":
            return text.replace(
                "</Types>",
                '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
            ).encode()
        return None

    rewrite_zip(path, change, {"xl/drawings/drawing1.xml": _TEXTBOX})


_X14_DV = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="0"/></ext></extLst></worksheet>'
)


@pytest.mark.parametrize(
    "spoil, lost",
    [
        (add_textbox, "shapes or text boxes"),
        (
            lambda p: rewrite_zip(p, lambda n, d: None, {"xl/slicers/slicer1.xml": b"<slicers/>"}),
            "slicers",
        ),
        (
            lambda p: rewrite_zip(
                p, lambda n, d: None, {"xl/slicerCaches/slicerCache1.xml": b"<x/>"}
            ),
            "slicers",
        ),
        (
            lambda p: rewrite_zip(
                p, lambda n, d: None, {"xl/ctrlProps/ctrlProp1.xml": b"<formControlPr/>"}
            ),
            "form controls",
        ),
        (lambda p: rewrite_zip(p, lambda n, d: None, {"xl/vbaProject.bin": b"\0" * 64}), "macros"),
        (
            lambda p: rewrite_zip(
                p,
                lambda n, d: (
                    d.replace(b"</worksheet>", _X14_DV.encode())
                    if n == "xl/worksheets/sheet1.xml"
                    else None
                ),
            ),
            "Data Validation extension",
        ),
    ],
    ids=["text box", "slicer", "slicer cache", "form control", "macros", "x14 drop-down"],
)
def test_parts_openpyxl_would_drop_are_refused(
    two: Path, spoil: Callable[[Path], None], lost: str
) -> None:
    spoil(two)
    before = digest(two)
    with pytest.raises(
        RegisterError, match=rf"^{re.escape(str(two))}: refused: saving would lose .*{lost}"
    ) as err:
        add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    assert "\n" not in str(err.value)
    with pytest.raises(RegisterError, match=lost):
        assign_meeting(two, {"mid:a@x": (dt.date(2024, 10, 1), "5.1")})
    assert digest(two) == before
    assert files_beside(two) == [two.name]  # no temp file or backup left
    assert len(read_log(two)) == 2  # still readable


def test_entities_in_the_xml_are_refused(two: Path) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    rewrite_zip(two, lambda n, d: bomb + d if n == "xl/workbook.xml" else None)
    before = digest(two)
    with pytest.raises(RegisterError, match=r"xl/workbook\.xml declares XML entities"):
        read_log(two)
    with pytest.raises(RegisterError, match="declares XML entities"):
        add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    assert digest(two) == before


def test_stale_temp_files_from_an_interrupted_save_are_cleared(two: Path) -> None:
    # every save holds the log's lock, so under it no run of ours is saving: any temp
    # file of ours, however fresh, was left by a killed run
    stale = [two.parent / f".correspondence-log.{n}.saving.xlsx" for n in ("old1", "new1")]
    backups = two.parent / "correspondence-log-backups"
    backups.mkdir(exist_ok=True)
    stale.append(backups / ".correspondence-log.backup-20240906-120000.xlsx.partial")
    other = two.parent / ".other-log.abc.saving.xlsx"  # another log's: not ours to remove
    for f in (*stale, other):
        f.write_bytes(b"partial")
    from council_papers.register import load_log

    with load_log(two) as book:
        assert sorted(book.notes) == sorted(
            f"removed {f}, left by an interrupted save" for f in stale
        )
    assert not any(f.exists() for f in stale) and other.exists()


def test_backups_keep_the_previous_version_and_are_bounded(log: Path) -> None:
    for n in range(6):
        result = add_records(
            log, [make_record(f"Item {n}", message_id=f"<{n}@x>")], today=TODAY, backups=3
        )
        assert (result.backup is None) == (n == 0)
    folder = log.parent / "correspondence-log-backups"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3
    assert all(
        re.fullmatch(r"correspondence-log\.backup-\d{8}-\d{6}(-\d+)?\.xlsx", n) for n in names
    )
    assert result.backup is not None and result.backup.parent == folder
    assert len(read_log(result.backup)) == 5  # the version before the last add
    assert len(read_log(log)) == 6
    assert sorted(len(read_log(folder / n)) for n in names) == [3, 4, 5]  # the newest three kept


def test_a_log_changed_during_the_run_is_not_overwritten(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from council_papers.register import texts

    real = texts.write_texts

    def clerk_saves_meanwhile(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        with two.open("ab") as fh:  # another program rewrites the file mid-run
            fh.write(b"\0")

    monkeypatch.setattr(texts, "write_texts", clerk_saves_meanwhile)
    with pytest.raises(RegisterError, match="changed by another program"):
        add_records(two, [make_record(message_id="<c@x>")], today=TODAY)
    assert two.read_bytes().endswith(b"\0")  # the other program's version stands


# 6. Text stays text
@pytest.mark.parametrize(
    "subject",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+44 1223 123456",
        "-5 arrests",
        "@SUM(A1)",
        "=1+1",
    ],
)
def test_formula_looking_text_is_stored_as_text(log: Path, subject: str) -> None:
    record = make_record(
        subject, message_id="<f@x>", sender_org="=cmd|' /C calc'!A0", text="=2+2 in the text"
    )
    add_records(log, [record], today=TODAY)
    ws = sheet(log)
    col = headers(ws)
    for name, expected in (("Subject", subject), ("From", "=cmd|' /C calc'!A0")):
        cell = ws.cell(2, col[name])
        assert (cell.value, cell.data_type) == (expected, "s")
        assert cell.quotePrefix  # stays text when the clerk edits the cell in Excel
    texts = sheet(log, "Texts")
    assert (texts["C2"].value, texts["C2"].data_type) == ("=2+2 in the text", "s")
    with zipfile.ZipFile(log) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in zf.read("xl/worksheets/sheet2.xml")
    assert read_log(log)[0].subject == subject
    assert read_texts(log)["mid:f@x"].text == "=2+2 in the text"


def test_xml_illegal_characters_are_dropped_not_fatal(log: Path) -> None:
    record = make_record(
        "Bad\x00 char\x07s\x1b here", message_id="<i@x>", text="Line one\x0b\r\nLine two\x1f"
    )
    add_records(log, [record], today=TODAY)
    ws = sheet(log)
    assert column(ws, "Subject") == ["Bad chars here"]
    assert all(
        ILLEGAL_CHARACTERS_RE.search(str(c.value)) is None for row in ws.iter_rows() for c in row
    )
    assert read_texts(log)["mid:i@x"].text == "Line one\nLine two"


# 7. Reading back what the clerk typed
def test_read_log_parses_what_the_clerk_typed(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Correspondence"]
    col = headers(ws)
    ws.cell(2, col["Disposition"]).value = "  AGENDA "
    ws.cell(3, col["Disposition"]).value = "Deferred"
    ws.cell(2, col["Meeting"]).value = "01/10/2024"  # typed as text
    ws.cell(3, col["Meeting"]).value = 45566  # a date cell reformatted as General
    ws.cell(2, col["Agenda item"]).value = 5.1  # Excel made a number of it
    ws.cell(2, col["Personal data"]).value = "yes"
    ws.cell(2, col["Themes"]).value = "Ethical policing;  Robust enforcement ;"
    ws.insert_rows(3)  # a blank row in the middle
    wb.save(two)
    first, second = read_log(two)
    assert first.disposition is Disposition.AGENDA
    assert second.disposition is None and second.disposition_text == "Deferred"
    assert first.meeting == second.meeting == dt.date(2024, 10, 1)
    assert first.agenda_item == "5.1" and first.personal_data
    assert first.themes == ("Ethical policing", "Robust enforcement")
    assert second.row == 4


def test_assign_meeting_writes_only_meeting_and_item(two: Path) -> None:
    rows = read_log(two)
    assign_meeting(
        two, {"mid:a@x": (dt.date(2024, 10, 1), "5.1"), "mid:b@x": (dt.date(2024, 10, 1), None)}
    )
    ws = sheet(two)
    assert column(ws, "Meeting") == [dt.datetime(2024, 10, 1)] * 2
    assert ws.cell(2, headers(ws)["Meeting"]).number_format == "dd/mm/yyyy"
    item = ws.cell(2, headers(ws)["Agenda item"])
    assert (item.value, item.data_type) == ("5.1", "s")
    assert column(ws, "Agenda item") == ["5.1", None]
    after = read_log(two)
    assert [(r.meeting, r.agenda_item) for r in after] == [
        (dt.date(2024, 10, 1), "5.1"),
        (dt.date(2024, 10, 1), ""),
    ]
    assert [r.subject for r in after] == [r.subject for r in rows]
    before = digest(two)
    with pytest.raises(RegisterError, match="not in the log: mid:nope@x"):
        assign_meeting(
            two,
            {"mid:a@x": (dt.date(2024, 11, 1), "5.1"), "mid:nope@x": (dt.date(2024, 11, 1), None)},
        )
    assert digest(two) == before


# The Texts sheet holds what the pack is built from
def test_long_texts_and_articles_are_split_over_cells_and_joined_back(log: Path) -> None:
    text = "Bulletin 🚓 with emoji. " * 4000  # ~96k characters, the emoji counting twice in Excel
    articles = tuple(
        Article(f"Headline {n}", "Crime prevention", "Article text. " * 300) for n in range(20)
    )
    add_records(
        log,
        [make_record("Long bulletin", message_id="<l@x>", text=text, articles=articles)],
        today=TODAY,
    )
    ws = sheet(log, "Texts")
    assert [c.value for c in ws[1]] == ["Key", "Part", "Text", "Articles"]
    assert [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)] == [1, 2, 3, 4]
    for row in ws.iter_rows(min_row=2):
        assert row[0].value == "mid:l@x"
        for cell in row[2:]:
            if cell.value is not None:
                assert len(cell.value.encode("utf-16-le")) // 2 <= 32_767
    stored = read_texts(log)["mid:l@x"]
    assert stored == StoredText(text=text, articles=articles)


def test_whitespace_at_the_edges_of_text_parts_survives(log: Path) -> None:
    text = "a" * 31_999 + "  \n b" + "\n"  # the first part ends, the second starts, with spaces
    add_records(log, [make_record("Spaces", message_id="<s@x>", text=text)], today=TODAY)
    ws = sheet(log, "Texts")
    assert (ws["C2"].value[-1:], ws["C3"].value) == (" ", " \n b\n")
    assert read_texts(log)["mid:s@x"].text == text


def test_texts_sheet_deleted_by_the_clerk_is_started_again(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    del wb["Texts"]
    wb.save(two)
    assert read_texts(two) == {}
    add_records(two, [make_record("Later", message_id="<c@x>")], today=TODAY)
    assert read_texts(two) == {"mid:c@x": StoredText("Full text of Later.")}
    assert openpyxl.load_workbook(two).sheetnames == ["Correspondence", "Logged keys", "Texts"]


def found_in(text: str, kind: str | None = "court-news") -> ItemFindings:
    return ItemFindings(find("Court results", kind), find("Police", None), find(text, kind))


def test_the_personal_data_found_is_kept_beside_the_text(log: Path) -> None:
    text = "Jo Bloggs, 34, of Elm Road, Ely, was jailed. Call 07700 900123."
    findings = found_in(text)
    add_records(log, [make_record("Court", message_id="<f@x>", text=text, findings=findings)])
    ws = sheet(log, "Texts")
    assert [c.value for c in ws[1]] == ["Key", "Part", "Text", "Articles", "Personal data found"]
    assert "07700" not in ws["E2"].value  # spans of the text, not a copy of what was found
    assert read_texts(log)["mid:f@x"] == StoredText(text, (), findings)


def test_many_findings_are_split_over_cells_and_joined_back(log: Path) -> None:
    text = " ".join(f"resident{n}@gmail.com" for n in range(3000))
    findings = found_in(text, None)
    add_records(log, [make_record("Many", message_id="<m@x>", text=text, findings=findings)])
    ws = sheet(log, "Texts")
    assert ws.max_row > 2 and len(ws["E2"].value) <= 32_000
    assert read_texts(log)["mid:m@x"].findings == findings


def test_an_older_texts_sheet_gains_the_findings_column_after_the_clerks_own(two: Path) -> None:
    wb = openpyxl.load_workbook(two)
    ws = wb["Texts"]
    ws["E1"] = "My notes"  # the clerk's own column, on a log from before findings were kept
    wb.save(two)
    assert all(t.findings is None for t in read_texts(two).values())
    text = "Call 07700 900123."
    add_records(two, [make_record("Later", message_id="<c@x>", text=text, findings=found_in(text))])
    ws = sheet(two, "Texts")
    assert [c.value for c in ws[1]] == [
        "Key",
        "Part",
        "Text",
        "Articles",
        "My notes",
        "Personal data found",
    ]
    stored = read_texts(two)
    assert stored["mid:c@x"].findings == found_in(text)
    assert stored["mid:a@x"].findings is None


# 8. Crash consistency: a run killed at any moment leaves the old log or the new one
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_killed_add_leaves_either_the_old_or_the_new_log(tmp_path: Path) -> None:
    base = tmp_path / "base.xlsx"
    old = [
        make_record(f"Old item {n}", message_id=f"<old-{n}@x>", text="Old text. " * 100)
        for n in range(300)
    ]
    add_records(base, old, today=dt.date(2024, 9, 1), backups=0)
    old_keys = [r.key for r in read_log(base)]
    new_keys = old_keys + [f"mid:kill-{n}@test" for n in range(50)]

    def start(path: Path) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, str(HELPER), str(path)], stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        return proc

    # One undisturbed run sets the span of the kill delays: all of add_records, and a bit after.
    calibrate = tmp_path / "calibrate" / "log.xlsx"
    calibrate.parent.mkdir()
    shutil.copy(base, calibrate)
    proc = start(calibrate)
    began = time.monotonic()
    proc.communicate(timeout=60)  # communicate() also closes the pipe
    assert proc.returncode == 0
    span = (time.monotonic() - began) * 1.2
    assert [r.key for r in read_log(calibrate)] == new_keys

    rng = random.Random(20240906)
    for n in range(25):
        path = tmp_path / f"run-{n}" / "log.xlsx"
        path.parent.mkdir()
        shutil.copy(base, path)
        proc = start(path)
        time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert openpyxl.load_workbook(path).sheetnames == ["Correspondence", "Texts", "Logged keys"]
        keys = [r.key for r in read_log(path)]
        assert keys in (old_keys, new_keys), f"run {n}: {len(keys)} rows"
        assert len(read_texts(path)) == len(keys)
