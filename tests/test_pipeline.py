"""The library's own calls, as a script would use them: what each returns, by type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import BROKEN, EXAMPLES, FIXTURES, INBOX
from council_papers.config import Config, load_config
from council_papers.errors import PackError
from council_papers.models import Classified, Disposition, Unreadable
from council_papers.pipeline import build, inspect_paths


def test_a_report_keeps_the_inputs_order_and_says_by_type_what_was_read():
    empty, alert = BROKEN / "empty.eml", INBOX / "na-alert-html.eml"
    report = inspect_paths([empty, alert, BROKEN / "garbage.docx"], Config())
    assert [type(r) for r in report.records] == [Unreadable, Classified, Unreadable]
    (item,) = report.items
    assert item.path == str(alert) and item.subject == "Free property marking event in Cambourne"
    assert item.decision.reasons  # every classified item says why
    assert [f.path for f in report.failed] == [str(empty), str(BROKEN / "garbage.docx")]
    assert report.failed[0].error == "empty file"
    assert report.failed[1].error.startswith("not a valid Word document")


# -- build: one call adds to the log and writes the pack ------------------------------

EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = dt.date(2022, 7, 5)


def _log_rows(log: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(log)["Correspondence"]
    header = [c.value for c in ws[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)
    ]


def test_build_logs_the_example_inbox_and_writes_its_pack_in_one_call(tmp_path):
    out = tmp_path / "out"  # made by build
    report = build([EXAMPLE / "inbox"], load_config(EXAMPLE / "council.toml"), MEETING, out)

    assert report.log == out / "correspondence-log.xlsx"
    assert report.pack.pack == out / "police-matters-2022-07-05.docx" and report.pack.pdf is None
    assert report.added.created and len(report.added.added) == 9
    assert report.added.passed_over == () and report.added.excluded == ()
    assert report.pack.deadline == dt.date(2022, 6, 30)

    rows = _log_rows(report.log)  # the meeting is recorded in the log it added to
    assert [r["Ref"] for r in rows] == [r.ref for r in report.added.added]
    assert {r["Meeting"].date() for r in rows} == {MEETING}
    agenda_rows = [r for r in rows if r["Disposition"] == "Agenda"]
    assert [r["Agenda item"] for r in agenda_rows] == ["5.1", "5.2"]

    document = docx.Document(str(report.pack.pack))
    agenda, circulated = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert [tuple(r) for r in agenda[1:]] == [
        (i.number, i.sender_org, i.subject) for i in report.pack.agenda
    ]
    assert [r["Subject"] for r in agenda_rows] == [i.subject for i in report.pack.agenda]
    assert [r[1] for r in circulated[1:]] == [i.subject for i in report.pack.circulated]
    assert len(report.pack.circulated) == 7


def test_build_again_adds_nothing_and_says_what_the_log_already_held(tmp_path):
    config = load_config(EXAMPLE / "council.toml")
    first = build([EXAMPLE / "inbox"], config, MEETING, tmp_path)
    new = FIXTURES / "classify" / "not-police-bin-collections.eml"
    again = build([EXAMPLE / "inbox", new], config, MEETING, tmp_path)

    (excluded,) = again.added.excluded  # the one new item, logged as Excluded
    assert excluded.path == str(new) and excluded.decision.disposition is Disposition.EXCLUDED
    assert [r.subject for r in again.added.added] == [excluded.subject]
    held = again.added.passed_over
    assert [why for _, why in held] == [f"already in the log as {r.ref}" for r in first.added.added]
    assert again.pack.agenda == first.pack.agenda  # the same pack: excluded items stay out
    assert len(_log_rows(again.log)) == 10


def test_build_into_a_folder_it_cannot_make_is_a_pack_error_and_reads_nothing(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PackError, match="cannot make the folder"):
        build([EXAMPLE / "inbox"], load_config(EXAMPLE / "council.toml"), MEETING, a_file / "sub")
    assert list(tmp_path.iterdir()) == [a_file]
