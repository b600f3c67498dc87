"""The library's own calls, as a script would use them: what each returns, by type."""

from __future__ import annotations

from conftest import BROKEN, INBOX
from council_papers.config import Config
from council_papers.models import Classified, Unreadable
from council_papers.pipeline import inspect_paths


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
