"""The shapes clerks' files really come in (issue 16): other forces, forwards and replies in
every style, attachments, broken charsets, .msg dates, dates in words, not-police bulletins.

Each file is written here as a mail client or a website would write it, then read back
through the CLI, field by field.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, json_lines, run

sys.path.insert(0, str(FIXTURES))


def _inspect(*paths: Path, config: Path | None = None) -> list[dict]:
    args: list[str | Path] = ["inspect", *paths, "--json"]
    if config:
        args += ["--config", config]
    return json_lines(run(*args))


def _email(
    path: Path,
    *,
    sender: str,
    subject: str,
    body: str,
    date: dt.datetime,
    html: str | None = None,
    attach: list[tuple[str, str, bytes]] = (),
) -> Path:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Clerk <clerk@lowerfield-pc.gov.uk>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{path.stem}@example.test>"
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, ctype, data in attach:
        main, sub = ctype.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    path.write_bytes(msg.as_bytes())
    return path


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    y = 800
    for line in lines:
        page.drawString(60, y, line)
        y -= 18
    page.save()
    return out.getvalue()


WHEN = dt.datetime(2026, 2, 3, 9, 30, tzinfo=dt.UTC)


# -- other forces' items, named for the force that sent them ------------------------------


def test_another_forces_officer_report_is_named_for_that_force(tmp_path):
    body = (
        "Dear Clerk,\n\nPlease find below my report for the parish council's February meeting.\n\n"
        "Crimes recorded in January: 6 (December: 9)\nThefts from vehicles: 2\nBurglary: 1\n"
        "Anti-social behaviour incidents: 4\n\nI would be grateful if the council could let me "
        "know by 20 February whether it wants speed checks on Mill Street to continue.\n\n"
        "Kind regards\n\nPCSO 4410 Dana Whitby\nMelton Rural Neighbourhood Policing Team\n"
        "Leicestershire Police\n"
    )
    path = _email(
        tmp_path / "report.eml",
        sender="Whitby, Dana <dana.whitby@leics.police.uk>",
        subject="February",
        body=body,
        date=WHEN,
    )
    (rec,) = _inspect(path)
    assert rec["sender_org"] == "Leicestershire Police"
    assert rec["sender_role"] == "force"
    assert (rec["kind"], rec["disposition"]) == ("report", "agenda")
    assert rec["deadline"] == "2026-02-20"


def test_a_county_councils_govdelivery_bulletin_is_not_the_pccs(tmp_path):
    body = (
        "Lincolnshire County Council sent this bulletin at 02-03-2026 09:00 AM GMT\n\n"
        "Roadworks this month\n\nResurfacing on the A15 will close one lane between 9 and 20 "
        "February. The police and emergency services have been told.\n\nLibrary opening hours\n\n"
        "Libraries will open later on Thursdays from March. Councils are asked to share this.\n"
    )
    path = _email(
        tmp_path / "county.eml",
        sender="Lincolnshire County Council <lincolnshire@public.govdelivery.com>",
        subject="Your county news – February",
        body=body,
        date=WHEN,
    )
    (rec,) = _inspect(path)
    assert rec["sender_org"] == "Lincolnshire County Council"
    assert rec["disposition"] == "excluded" and rec["kind"] == "not-police"


def test_a_news_article_about_the_commissioner_is_not_from_the_commissioner(tmp_path):
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Commissioner backs rural patrols | Wessex Gazette</title>"
        "<meta property='og:site_name' content='Wessex Gazette'></head><body>"
        "<h1>Commissioner backs rural patrols</h1>"
        "<p>The Police and Crime Commissioner said on Monday that more officers would patrol the "
        "villages this spring. The Commissioner told the Gazette that the precept rise would pay "
        "for them.</p></body></html>",
        encoding="utf-8",
    )
    (rec,) = _inspect(page)
    assert rec["sender_org"] == "Wessex Gazette"
    assert rec["sender_role"] == "press"
    assert rec["disposition"] == "circulated"


# -- forwards and replies ----------------------------------------------------------------


def test_a_forward_saved_as_a_web_page_is_unwrapped_like_the_same_forward_in_an_eml(tmp_path):
    page = tmp_path / "gmail-print.html"
    page.write_text(
        "<html><head><title>Gmail - Fwd: Rural crime forum – 12 March</title></head><body>"
        "<div>Thought the council should see this. Pat</div>"
        "<div>---------- Forwarded message ---------<br>"
        "From: Kent Police Rural Task Force &lt;rtf@kent.police.uk&gt;<br>"
        "Date: Tue, 3 Feb 2026 at 09:30<br>Subject: Rural crime forum – 12 March<br>"
        "To: &lt;pat.cllr@gmail.com&gt;<br></div><br>"
        "<p>You are invited to the rural crime forum on Thursday 12 March 2026 at 7pm in the "
        "village hall. Please let us know by 5 March who will attend for the parish council.</p>"
        "<p>PC Sam Ord, Rural Task Force, Kent Police</p></body></html>",
        encoding="utf-8",
    )
    (rec,) = _inspect(page)
    assert rec["sender"].startswith("Kent Police Rural Task Force")
    assert rec["subject"] == "Rural crime forum – 12 March"
    assert rec["date"] == "2026-02-03"
    assert rec["sender_org"] == "Kent Police"
    assert "Thought the council should see this" not in rec["text"]


def test_thunderbirds_forward_header_table_is_kept(tmp_path):
    html = (
        "<html><body><p>For the next meeting.</p><div class='moz-forward-container'>"
        "-------- Forwarded Message --------<table class='moz-email-headers-table'>"
        "<tr><th>Subject:</th><td>Community Safety Fund now open</td></tr>"
        "<tr><th>Date:</th><td>Mon, 2 Feb 2026 10:00:00 +0000</td></tr>"
        "<tr><th>From:</th><td>OPCC Grants &lt;grants@thamesvalley-pcc.gov.uk&gt;</td></tr>"
        "<tr><th>To:</th><td>clerk@lowerfield-pc.gov.uk</td></tr></table><br>"
        "<p>Parish councils can bid for up to £5,000. The closing date is 27 March 2026.</p>"
        "</div></body></html>"
    )
    path = _email(
        tmp_path / "thunderbird.eml",
        sender="Clerk <clerk@lowerfield-pc.gov.uk>",
        subject="Fwd: Community Safety Fund now open",
        body="For the next meeting.",
        html=html,
        date=WHEN,
    )
    (rec,) = _inspect(path)
    assert "grants@thamesvalley-pcc.gov.uk" in rec["sender"]
    assert rec["sender_org"] == "Thames Valley Police and Crime Commissioner"
    assert rec["subject"] == "Community Safety Fund now open"


def test_a_reply_keeps_the_replier_and_their_text(tmp_path):
    body = (
        "Hi Jo,\n\nYes, we can bring the speed gun to Church Lane on two evenings in March, and "
        "if the council would like a Speedwatch group I can train volunteers. Please let me "
        "know by 27 February.\n\nSgt 2290 Alex Price\nSurrey Police\n\n"
        "-----Original Message-----\nFrom: Jo Bell <clerk@lowerfield-pc.gov.uk>\n"
        "Sent: 28 January 2026 10:00\nTo: Price, Alex <alex.price@surrey.police.uk>\n"
        "Subject: Speeding on Church Lane\n\nDear Sergeant Price,\n\nCouncillors asked me "
        "whether the police could check speeds on Church Lane.\n\nJo Bell, Clerk\n"
    )
    path = _email(
        tmp_path / "reply.eml",
        sender="Price, Alex <alex.price@surrey.police.uk>",
        subject="RE: Speeding on Church Lane",
        body=body,
        date=WHEN,
    )
    (rec,) = _inspect(path)
    assert "alex.price@surrey.police.uk" in rec["sender"]
    assert rec["forwarded_by"] is None
    assert rec["text"].startswith("Hi Jo,")
    assert "Councillors asked me" in rec["context"] and "Councillors asked me" not in rec["text"]
    assert rec["sender_org"] == "Surrey Police"
    assert rec["disposition"] == "agenda"


def test_a_forwarded_subject_wrapped_onto_a_second_line_is_read_whole(tmp_path):
    body = (
        "FYI\n\n---------- Forwarded message ---------\nFrom: Neighbourhood Alert "
        "<noreply@neighbourhoodalert.co.uk>\nDate: Mon, 2 Feb 2026 at 10:00\n"
        "Subject: Police and Crime Plan consultation: tell us what matters most in your\n"
        "village before 1 March\nTo: <cllr.kim@gmail.com>\n\nThe Commissioner is consulting "
        "on the new Police and Crime Plan. Please have your say before 1 March 2026.\n"
    )
    path = _email(
        tmp_path / "wrapped.eml",
        sender="Kim <cllr.kim@gmail.com>",
        subject="Fwd: Police and Crime Plan consultation",
        body=body,
        date=WHEN,
    )
    (rec,) = _inspect(path)
    assert rec["subject"] == (
        "Police and Crime Plan consultation: tell us what matters most in "
        "your village before 1 March"
    )
    assert not rec["text"].startswith("village before")


# -- attachments --------------------------------------------------------------------------


def test_an_email_that_only_says_see_attached_is_decided_on_the_attachment(tmp_path):
    report = _pdf(
        [
            "Report to Lowerfield Parish Council - January 2026",
            "Prepared by PCSO 5521 Rob Hale, Wiltshire Police",
            "Crimes recorded: 7 (last month: 11)",
            "Burglary 1",
            "Vehicle crime 2",
            "We would be grateful if the council could confirm its priorities by 25 February.",
        ]
    )
    path = _email(
        tmp_path / "see-attached.eml",
        sender="Hale, Rob <rob.hale@wiltshire.police.uk>",
        subject="report",
        body="Please see attached.\n\nRob",
        date=WHEN,
        attach=[
            ("January report.pdf", "application/pdf", report),
            (
                "broken.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                b"PK\x03\x04 not really a zip",
            ),
        ],
    )
    (rec,) = _inspect(path)
    assert rec["attachments"] == ["January report.pdf"]
    assert "Crimes recorded: 7" in rec["text"]
    assert any("broken.docx" in w for w in rec["warnings"])
    assert (rec["kind"], rec["disposition"]) == ("report", "agenda")


# -- decoding -----------------------------------------------------------------------------


def test_one_bad_byte_in_a_utf8_part_costs_one_character_and_a_warning(tmp_path):
    text = (
        "Thefts from sheds in Lowerfield – please check locks. Café owners too: £50 marking kits."
    )
    raw = (
        b"From: Neighbourhood Alert <noreply@neighbourhoodalert.co.uk>\r\nSubject: Shed thefts\r\n"
        b"Date: Tue, 03 Feb 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + text.encode()
        + b" \xff end\r\n"
    )
    path = tmp_path / "bad-byte.eml"
    path.write_bytes(raw)
    (rec,) = _inspect(path)
    assert "Café owners too: £50" in rec["text"] and "–" in rec["text"]
    assert any("not valid utf-8" in w for w in rec["warnings"])


def test_gbk_text_labelled_gb2312_is_read_as_gbk(tmp_path):
    chinese = "社区警务通知：鎔"  # 鎔 is GBK, not GB2312
    raw = (
        b"From: Community Officer <officer@example.org>\r\nSubject: Notice\r\n"
        b"Date: Tue, 03 Feb 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + chinese.encode("gbk")
        + b"\r\n"
    )
    path = tmp_path / "gbk.eml"
    path.write_bytes(raw)
    (rec,) = _inspect(path)
    assert chinese in rec["text"]
    assert not any("not valid" in w for w in rec["warnings"])


# -- Outlook dates ------------------------------------------------------------------------


def test_a_msg_with_no_sent_time_takes_its_delivery_time_and_says_so(tmp_path):
    from make_fixtures import build_msg

    data = build_msg(
        subject="Speedwatch volunteers",
        sender_name="PCSO 7711 Sarah Whitlock",
        sender_email="sarah.whitlock@cambs.police.uk",
        to_name="Clerk",
        to_email="clerk@lowerfield-pc.gov.uk",
        sent=None,
        delivered=dt.datetime(2026, 1, 14, 8, 0, tzinfo=dt.UTC),
        body="Speedwatch needs volunteers in the village.\r\n",
        html_body="<p>Speedwatch needs volunteers in the village.</p>",
        message_id="<abc@example.test>",
    )
    path = tmp_path / "draft.msg"
    path.write_bytes(data)
    (rec,) = _inspect(path)
    assert rec["date"] == "2026-01-14"
    assert any("no sent date: its delivery time is used" in w for w in rec["warnings"])


# -- dates written in words ---------------------------------------------------------------


@pytest.mark.parametrize(
    "dateline", ["Wednesday, March 25th, 2026", "Published: 25th March 2026", "25 March 2026"]
)
def test_a_pasted_pages_dateline_in_words_is_its_date(tmp_path, dateline):
    path = tmp_path / "page.txt"
    path.write_text(
        f"Cookies\nSkip to content\nProtecting your shed this spring\n{dateline}\n\n"
        "Sheds and garages are targeted as the evenings get lighter. Mark your tools and "
        "fit a good lock. Report anything suspicious on 101.\n",
        encoding="utf-8",
    )
    (rec,) = _inspect(path)
    assert rec["date"] == "2026-03-25"
    assert rec["subject"] == "Protecting your shed this spring"


def test_a_message_attached_inside_a_msg_is_unwrapped_as_in_an_eml(tmp_path):
    from make_fixtures import build_msg

    inner = dict(
        subject="Speedwatch volunteers needed",
        sender_name="PCSO 7711 Sarah Whitlock",
        sender_email="sarah.whitlock@cambs.police.uk",
        to_name="Clerk",
        to_email="clerk@lowerfield-pc.gov.uk",
        sent=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
        delivered=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
        body="Caldecote Community Speedwatch is looking for new volunteers.\r\n",
        html_body="<p>Caldecote Community Speedwatch is looking for new volunteers.</p>",
        message_id="<inner@example.test>",
    )
    data = build_msg(
        subject="FW: Speedwatch volunteers needed",
        sender_name="Cllr Ann Hale",
        sender_email="ann.hale@gmail.com",
        to_name="Clerk",
        to_email="clerk@lowerfield-pc.gov.uk",
        sent=dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC),
        delivered=dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC),
        body="See attached.\r\n",
        html_body="<p>See attached.</p>",
        message_id="<outer@example.test>",
        attached=inner,
    )
    path = tmp_path / "attach-item.msg"
    path.write_bytes(data)
    (rec,) = _inspect(path)
    assert rec["subject"] == "Speedwatch volunteers needed"
    assert "sarah.whitlock@cambs.police.uk" in rec["sender"]
    assert rec["date"] == "2026-01-10"
    assert "ann.hale@gmail.com" in rec["forwarded_by"]
    assert rec["sender_org"] == "Cambridgeshire Constabulary"
    assert "looking for new volunteers" in rec["text"]


def test_a_non_unicode_msg_is_read_in_its_code_page(tmp_path):
    from make_fixtures import build_msg

    data = build_msg(
        subject="地域の防犯のお知らせ",
        sender_name="Community Officer",
        sender_email="officer@example.org",
        to_name="Clerk",
        to_email="clerk@example.org",
        sent=dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC),
        delivered=None,
        body="地域の防犯についてのお知らせです。\r\n",
        html_body="<p>地域の防犯についてのお知らせです。</p>",
        message_id="<cp932@example.test>",
        codepage=932,
    )
    path = tmp_path / "cp932.msg"
    path.write_bytes(data)
    (rec,) = _inspect(path)
    assert rec["error"] is None
    assert rec["subject"] == "地域の防犯のお知らせ"
    assert "防犯についてのお知らせです" in rec["text"]


def test_a_reply_whose_subject_was_changed_is_still_a_reply(tmp_path):
    body = (
        "Hi Jo,\n\nHere is the update you asked for: four thefts from vans in March and one "
        "burglary. I will come to the meeting on the 19th.\n\nPCSO 46210 Megan Ashby\n"
        "Kent Police\n\n-----Original Message-----\nFrom: Jo Bell <clerk@lowerfield-pc.gov.uk>\n"
        "Sent: 08 May 2026 09:15\nTo: Ashby, Megan <megan.ashby@kent.police.uk>\n"
        "Subject: Update\n\nHi Megan, could you send your update for the meeting?\n"
    )
    msg = EmailMessage()
    msg["From"] = "Ashby, Megan <megan.ashby@kent.police.uk>"
    msg["To"] = "Jo Bell <clerk@lowerfield-pc.gov.uk>"
    msg["Subject"] = "For your meeting"  # not "Re:": the officer retitled it
    msg["Date"] = format_datetime(WHEN)
    msg.set_content(body)
    path = tmp_path / "retitled-reply.eml"
    path.write_bytes(msg.as_bytes())
    (rec,) = _inspect(path)
    assert "megan.ashby@kent.police.uk" in rec["sender"]
    assert rec["text"].startswith("Hi Jo,") and "could you send your update" in rec["context"]
    assert rec["sender_org"] == "Kent Police"


def test_an_item_with_no_text_is_marked_for_review_saying_so(tmp_path):
    from make_fixtures import build_msg

    empty = tmp_path / "empty.msg"
    empty.write_bytes(
        build_msg(
            subject="",
            sender_name="",
            sender_email="",
            to_name="",
            to_email="",
            sent=None,
            delivered=None,
            body="",
            html_body="",
            message_id="<empty@example.test>",
        )
    )
    blank = tmp_path / "blank.html"
    blank.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    for rec in _inspect(empty, blank):
        assert rec["needs_review"] is True
        assert rec["reasons"][0].startswith("no text: nothing could be read from it")
        assert "OCR" not in rec["reasons"][0]
