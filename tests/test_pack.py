"""The meeting pack: written with python-docx, read back, and compared as a projection.

The full pack for the Cambourne meeting of seed 004 is compared with the golden
file tests/fixtures/pack/cambourne-2022-07-05.json. After an intended change to
the layout, regenerate it and review the diff:

    COUNCIL_PAPERS_REGENERATE=1 python -m pytest tests/test_pack.py -k golden
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import COUNCIL, EXAMPLES, FIXTURES, INBOX, ROOT, SEEDS, run
from council_papers.clean import clean
from council_papers.errors import PackError
from council_papers.models import Article
from council_papers.pack import (
    REQUIRED_STYLES,
    PackItem,
    PackSpec,
    check_template,
    default_template,
    export_pdf,
    publication_deadline,
    write_pack,
)
from council_papers.pack.deadline import long_date, ordinal
from council_papers.pack.pdf import INSTALL_HINT
from council_papers.publish import FLAG_NOTE

GOLDEN = FIXTURES / "pack" / "cambourne-2022-07-05.json"
SURVEY_URL = "https://www.cambs.police.uk/survey/south-cambs"
REGISTER_URL = "https://www.cambs.police.uk/events/south-cambs-engagement"

SPEC = PackSpec(
    council="Cambourne Town Council",
    district="District of South Cambridgeshire",
    meeting_title="Council Meeting",
    meeting_date=dt.date(2022, 7, 5),
)

# The seven messages circulated before the meeting of seed 004, in its order.
CIRCULATED = [
    ("Latest news from the courts – 20.6.22", dt.date(2022, 6, 20), "court-news"),
    ("Latest news from the courts", dt.date(2022, 6, 13), "court-news"),
    ("Please help us improve this Alert system", dt.date(2022, 6, 14), "platform-feedback"),
    ("Neighbourhood Watch Network has launched a lottery", dt.date(2022, 6, 16), "funding"),
    ("The latest from the courts", dt.date(2022, 6, 23), "court-news"),
    ("Latest news from the courts", dt.date(2022, 6, 27), "court-news"),
    (
        "Almost 40,000 hours given up by volunteers to keep the streets of Cambridgeshire safe",
        None,
        "statistics",
    ),
]


# --- building packs ---------------------------------------------------------------


def seed_items() -> tuple[list[PackItem], list[PackItem]]:
    """The agenda and circulated items of seed 004, the two agenda texts taken from the seed."""
    raw = (SEEDS / "004_66becb0d81e243ad.txt").read_text(encoding="utf-8")
    # The seed's links were stubs "(#)"; give them real targets as the emails had.
    raw = raw.replace(
        "[fill in our online survey](#)", f"[fill in our online survey]({SURVEY_URL})"
    )
    raw = raw.replace(
        "[Please register to attend this meeting.](#)",
        f"[Please register to attend this meeting.]({REGISTER_URL})",
    )
    text = clean(raw)
    first = text.index("It is time to have your say\n\nDear John")
    second = text.index("Creating a safer\nCambridgeshire\n\nStrategy to end")
    agenda = [
        PackItem(
            "5.1",
            "Neighbourhood Alert",
            "It is time to have your say",
            dt.date(2022, 6, 21),
            text[first:second],
            kind="survey",
        ),
        PackItem(
            "5.2",
            "Neighbourhood Alert",
            "Strategy to end violence against women and girls taking shape",
            dt.date(2022, 6, 24),
            text[second:],
            kind="strategy",
        ),
    ]
    circulated = [
        PackItem(None, "Neighbourhood Alert", subject, date, "", kind=kind)
        for subject, date, kind in CIRCULATED
    ]
    return agenda, circulated


def newsletter() -> PackItem:
    return PackItem(
        "5.3",
        "Office of the Police and Crime Commissioner",
        "PCC e-newsletter: spring",
        dt.date(2022, 6, 1),
        "",
        articles=(
            Article(
                "Youth fund opens for bids",
                "Crime prevention",
                "Charities supporting young people can bid: "
                "https://www.cambridgeshire-pcc.gov.uk/funding/.\n\n"
                "• Breaking drugs supply chains\n• Delivering a treatment and recovery system",
            ),
            Article(
                None, "Ethical policing", "The Commissioner held the Chief Constable to account."
            ),
            Article(None, None, "An article with neither headline nor theme."),
        ),
        kind="newsletter",
    )


def write(tmp_path: Path, agenda=(), circulated=(), name="pack.docx", **changes) -> Path:
    spec = PackSpec(**{**SPEC.__dict__, **changes})
    return write_pack(spec, list(agenda), list(circulated), tmp_path / name).path


# --- reading packs back -----------------------------------------------------------


def projection(path: Path) -> dict:
    """What a reader of the pack sees: styles and text, tables, title and language."""
    document = docx.Document(str(path))
    body: list = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            body.append([block.style.name, block.text])
        elif isinstance(block, Table):
            body.append(
                {
                    "table": block.style.name,
                    "rows": [[c.text for c in row.cells] for row in block.rows],
                }
            )
    props = document.core_properties
    return {"title": props.title, "language": props.language, "author": props.author, "body": body}


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [tuple(b) for b in projection(path)["body"] if isinstance(b, list)]


def tables(path: Path) -> list[list[list[str]]]:
    return [b["rows"] for b in projection(path)["body"] if isinstance(b, dict)]


HEADING_LEVEL = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


def assert_accessible(path: Path) -> None:
    """Headings in order, header rows marked, no empty spacer paragraphs, title and language set."""
    document = docx.Document(str(path))
    level = None
    for para in document.paragraphs:
        name = para.style.name
        if name in HEADING_LEVEL:
            new = HEADING_LEVEL[name]
            in_order = new == 0 if level is None else new <= level + 1
            assert in_order, f"heading level skipped at {para.text!r}"
            level = new
        assert para.text.strip() or para._p.find(".//" + qn("w:drawing")) is not None, (
            "an empty paragraph used as spacing"
        )
    for table in document.tables:
        assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert table.style.name == "Table Grid"
    assert document.core_properties.title.endswith("– Police Matters")
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang.get(qn("w:val")) == "en-GB"


# --- the layout of seed 004 -------------------------------------------------------


def golden_json(got: dict) -> str:
    """JSON with one paragraph or table row per line, so a layout change reads as a small diff."""
    lines = ["{"]
    lines += [
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},"
        for k, v in got.items()
        if k != "body"
    ]
    lines.append('  "body": [')
    for i, block in enumerate(got["body"]):
        end = "," if i < len(got["body"]) - 1 else ""
        if isinstance(block, dict):
            rows = ",\n".join(f"      {json.dumps(r, ensure_ascii=False)}" for r in block["rows"])
            lines.append(
                f'    {{"table": {json.dumps(block["table"])}, "rows": [\n{rows}\n    ]}}{end}'
            )
        else:
            lines.append(f"    {json.dumps(block, ensure_ascii=False)}{end}")
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def test_golden_seed_004_pack(tmp_path):
    agenda, circulated = seed_items()
    got = projection(write(tmp_path, agenda, circulated))
    if os.environ.get("COUNCIL_PAPERS_REGENERATE"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(golden_json(got), encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_front_matter_and_tables_follow_seed_004(tmp_path):
    agenda, circulated = seed_items()
    path = write(tmp_path, agenda, circulated)
    assert paragraphs(path)[:6] == [
        ("Title", "Cambourne Town Council"),
        ("Subtitle", "District of South Cambridgeshire"),
        ("Subtitle", "Council Meeting 5th July 2022"),
        ("Heading 1", "5. Police Matters"),
        ("Heading 2", "Correspondence circulated since the last meeting by email"),
        ("Heading 2", "5.1 It is time to have your say"),
    ]
    assert tables(path) == [
        [
            ["Item", "FROM", "SUBJECT"],
            ["5.1", "Neighbourhood Alert", "It is time to have your say"],
            [
                "5.2",
                "Neighbourhood Alert",
                "Strategy to end violence against women and girls taking shape",
            ],
        ],
        [
            ["FROM", "SUBJECT", "Date"],
            ["Neighbourhood Alert", "Latest news from the courts – 20.6.22", "20th June 2022"],
            ["Neighbourhood Alert", "Latest news from the courts", "13th June 2022"],
            ["Neighbourhood Alert", "Please help us improve this Alert system", "14th June 2022"],
            [
                "Neighbourhood Alert",
                "Neighbourhood Watch Network has launched a lottery",
                "16th June 2022",
            ],
            ["Neighbourhood Alert", "The latest from the courts", "23rd June 2022"],
            ["Neighbourhood Alert", "Latest news from the courts", "27th June 2022"],
            [
                "Neighbourhood Alert",
                "Almost 40,000 hours given up by volunteers to keep the streets "
                "of Cambridgeshire safe",
                "Not known",
            ],
        ],
    ]
    assert_accessible(path)


def test_agenda_item_full_text(tmp_path):
    agenda, circulated = seed_items()
    body = paragraphs(write(tmp_path, agenda, circulated))
    start = body.index(("Heading 2", "5.1 It is time to have your say"))
    assert body[start + 1 : start + 4] == [
        ("Normal", "From: Neighbourhood Alert, sent 21st June 2022"),
        # the subject repeated under the heading is dropped; the greeting is made neutral
        ("Normal", "Dear resident,"),
        (
            "Normal",
            "We're preparing to hold our next online engagement meeting next month and we "
            "would like to once again invite you to have your say.",
        ),
    ]
    end = body.index(
        ("Heading 2", "5.2 Strategy to end violence against women and girls taking shape")
    )
    assert body[end - 1] == ("Normal", "Inspector Shane Fasey\nSouth Cambs")  # a line break, kept
    assert body[-1] == ("Normal", "Corporate Communications")


def test_agenda_papers_start_on_a_new_page(tmp_path):
    agenda, circulated = seed_items()
    document = docx.Document(str(write(tmp_path, agenda, circulated)))
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["5.1 It is time to have your say"]


@pytest.mark.parametrize(
    ("agenda", "circulated", "expected"),
    [
        pytest.param(
            False,
            False,
            [
                ("Heading 1", "5. Police Matters"),
                (
                    "Normal",
                    "No police correspondence for discussion was received since the last meeting",
                ),
                ("Heading 2", "Correspondence circulated since the last meeting by email"),
                ("Normal", "No police correspondence was received since the last meeting"),
            ],
            id="nothing-received",
        ),
        pytest.param(
            False,
            True,
            [
                ("Heading 1", "5. Police Matters"),
                (
                    "Normal",
                    "No police correspondence for discussion was received since the last meeting",
                ),
                ("Heading 2", "Correspondence circulated since the last meeting by email"),
            ],
            id="only-circulated",
        ),
        pytest.param(
            True,
            False,
            [
                ("Heading 1", "5. Police Matters"),
                ("Heading 2", "Correspondence circulated since the last meeting by email"),
                ("Normal", "No police correspondence was received since the last meeting"),
            ],
            id="only-agenda",
        ),
    ],
)
def test_empty_sections_say_so(tmp_path, agenda, circulated, expected):
    items, others = seed_items()
    path = write(tmp_path, items if agenda else [], others if circulated else [])
    assert paragraphs(path)[3 : 3 + len(expected)] == expected
    assert len(tables(path)) == agenda + circulated
    assert_accessible(path)


def test_police_item_number_and_positional_numbers(tmp_path):
    items = [
        PackItem(None, "OPCC", "Police and Crime Plan consultation", None, "Have your say."),
        PackItem(None, None, "Speedwatch volunteers wanted", dt.date(2022, 6, 2), "Join us."),
    ]
    path = write(tmp_path, items, police_item=7)
    assert tables(path)[0][1:] == [
        ["7.1", "OPCC", "Police and Crime Plan consultation"],
        ["7.2", "", "Speedwatch volunteers wanted"],
    ]
    body = paragraphs(path)
    assert ("Heading 1", "7. Police Matters") in body
    assert ("Heading 2", "7.2 Speedwatch volunteers wanted") in body
    assert ("Normal", "Sent 2nd June 2022") in body  # no sender: the date alone
    assert ("Normal", "From: OPCC") in body  # no date: the sender alone


def test_newsletter_articles_are_headed_by_headline_or_theme(tmp_path):
    path = write(tmp_path, [newsletter()])
    body = paragraphs(path)
    start = body.index(("Heading 2", "5.3 PCC e-newsletter: spring"))
    assert body[start + 1 :] == [
        ("Normal", "From: Office of the Police and Crime Commissioner, sent 1st June 2022"),
        ("Heading 3", "Youth fund opens for bids"),
        ("Normal", "Theme: Crime prevention"),
        (
            "Normal",
            "Charities supporting young people can bid: "
            "https://www.cambridgeshire-pcc.gov.uk/funding/.",
        ),
        ("List Bullet", "Breaking drugs supply chains"),
        ("List Bullet", "Delivering a treatment and recovery system"),
        ("Heading 3", "Ethical policing"),
        ("Normal", "The Commissioner held the Chief Constable to account."),
        ("Heading 3", "Article 3"),
        ("Normal", "An article with neither headline nor theme."),
    ]
    assert_accessible(path)


def test_text_blocks_bullets_and_wrapped_lines(tmp_path):
    text = (
        "The projects are as follows:\n\n"
        "• Project Kaizen: Domestic Abuse\n"
        "* Project Artemis: Child Sexual Abuse and Exploitation\n"
        "- Project Boyd: Offender management and Public Protection Unit, across\n"
        "all of Cambridgeshire\n"
        "Project Eleos is the fourth.\n\n"
        "This project has involved both uniformed and plain-clothed police officers\n"
        "carrying out patrols of high-footfall areas around bars, pubs and clubs in\n"
        "the cities.\n\n"
        "-5 degrees is not a bullet"
    )
    item = PackItem("5.1", "Cambridgeshire Constabulary", "VAWG strategy", None, text)
    body = paragraphs(write(tmp_path, [item]))
    assert body[-7:] == [
        ("Normal", "The projects are as follows:"),
        ("List Bullet", "Project Kaizen: Domestic Abuse"),
        ("List Bullet", "Project Artemis: Child Sexual Abuse and Exploitation"),
        (
            "List Bullet",
            "Project Boyd: Offender management and Public Protection Unit, across all "
            "of Cambridgeshire",
        ),
        ("Normal", "Project Eleos is the fourth."),
        (
            "Normal",
            "This project has involved both uniformed and plain-clothed police officers "
            "carrying out patrols of high-footfall areas around bars, pubs and clubs in the "
            "cities.",
        ),
        ("Normal", "-5 degrees is not a bullet"),
    ]


def test_subjects_with_markup_characters_survive(tmp_path):
    item = PackItem(
        None, "Neighbourhood Watch <NHW> & Friends", 'Scams: "Hi Mum" & <fake> texts', None, ""
    )
    assert tables(write(tmp_path, [], [item]))[0][1] == [
        "Neighbourhood Watch <NHW> & Friends",
        'Scams: "Hi Mum" & <fake> texts',
        "Not known",
    ]


def test_control_characters_from_pdfs_and_word_are_dropped(tmp_path):
    item = PackItem("5.1", "OPCC\x00", "Bulletin\x0b 5 September", None, "Page one\x0cPage\x07 two")
    path = write(tmp_path, [item])
    assert tables(path)[0][1] == ["5.1", "OPCC", "Bulletin 5 September"]
    assert paragraphs(path)[-1] == ("Normal", "Page one\nPage two")


def test_council_name_is_required(tmp_path):
    with pytest.raises(PackError, match="no council is named"):
        write(tmp_path, council=" ")


# --- accessibility ------------------------------------------------------------------


def test_core_properties(tmp_path):
    agenda, circulated = seed_items()
    got = projection(write(tmp_path, agenda, circulated))
    assert (got["title"], got["language"], got["author"]) == (
        "Cambourne Town Council – Council Meeting 5th July 2022 – Police Matters",
        "en-GB",
        "Cambourne Town Council",
    )


def test_table_header_rows_repeat(tmp_path):
    agenda, circulated = seed_items()
    document = docx.Document(str(write(tmp_path, agenda, circulated)))
    for table in document.tables:
        flags = [
            row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in table.rows
        ]
        assert flags == [True] + [False] * (len(table.rows) - 1)
        assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_markdown_links_are_real_hyperlinks(tmp_path):
    agenda, circulated = seed_items()
    document = docx.Document(str(write(tmp_path, agenda, circulated)))
    links = [(link.text, link.url) for p in document.paragraphs for link in p.hyperlinks]
    assert links == [
        ("fill in our online survey", SURVEY_URL),
        ("Please register to attend this meeting.", REGISTER_URL),
    ]
    external = {
        rel.target_ref
        for rel in document.part.rels.values()
        if rel.reltype == RT.HYPERLINK and rel.is_external
    }
    assert external == {SURVEY_URL, REGISTER_URL}
    hyperlink_style = document.styles["Hyperlink"].style_id
    for para in document.paragraphs:
        for link in para.hyperlinks:
            assert [r.style.style_id for r in link.runs] == [hyperlink_style]


def test_bare_urls_link_and_stub_links_do_not(tmp_path):
    text = (
        "Find out more at https://www.cambs.police.uk/advice. [Read more](#)\n\n"
        "[Report it online](https://www.cambs.police.uk/report), or "
        "[javascript](javascript:alert(1))."
    )
    item = PackItem("5.1", "Cambridgeshire Constabulary", "Advice", None, text)
    document = docx.Document(str(write(tmp_path, [item])))
    found = [(p.text, [(h.text, h.url) for h in p.hyperlinks]) for p in document.paragraphs[-2:]]
    assert found == [
        (
            "Find out more at https://www.cambs.police.uk/advice. Read more",
            [("https://www.cambs.police.uk/advice", "https://www.cambs.police.uk/advice")],
        ),
        (
            "Report it online, or [javascript](javascript:alert(1)).",
            [("Report it online", "https://www.cambs.police.uk/report")],
        ),
    ]


# --- publishing: redact | flag | keep ------------------------------------------------

COURT_NEWS = (
    "Dear John,\n\n"
    "Daniel Smith, 34, of Elm Road, Cambourne, was jailed for two years. "
    "Contact the appeal line on 07700 900123 or 101."
)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param(
            "redact",
            [
                ("Heading 2", "5.1 Latest news from the courts"),
                ("Normal", "From: Neighbourhood Alert"),
                ("Normal", "Dear resident,"),
                (
                    "Normal",
                    "[name removed], 34, of [address removed], Cambourne, was jailed for two "
                    "years. Contact the appeal line on [phone number removed] or 101.",
                ),
            ],
            id="redact",
        ),
        pytest.param(
            "flag",
            [
                ("Heading 2", "5.1 Latest news from the courts"),
                ("Normal", FLAG_NOTE),
                ("Normal", "From: Neighbourhood Alert"),
                ("Normal", "Dear resident,"),
                (
                    "Normal",
                    "Daniel Smith, 34, of Elm Road, Cambourne, was jailed for two years. "
                    "Contact the appeal line on 07700 900123 or 101.",
                ),
            ],
            id="flag",
        ),
        pytest.param(
            "keep",
            [
                ("Heading 2", "5.1 Latest news from the courts"),
                ("Normal", "From: Neighbourhood Alert"),
                ("Normal", "Dear John,"),
                (
                    "Normal",
                    "Daniel Smith, 34, of Elm Road, Cambourne, was jailed for two years. "
                    "Contact the appeal line on 07700 900123 or 101.",
                ),
            ],
            id="keep",
        ),
    ],
)
def test_publication_modes(tmp_path, mode, expected):
    item = PackItem(
        "5.1",
        "Neighbourhood Alert",
        "Latest news from the courts",
        None,
        COURT_NEWS,
        kind="court-news",
    )
    assert paragraphs(write(tmp_path, [item], publication=mode))[-len(expected) :] == expected


def test_flag_follows_the_classifier_too(tmp_path):
    item = PackItem(
        "5.1", "OPCC", "Victim's story", None, "A resident told us her story.", personal_data=True
    )
    assert ("Normal", FLAG_NOTE) in paragraphs(write(tmp_path, [item], publication="flag"))
    assert ("Normal", FLAG_NOTE) not in paragraphs(write(tmp_path, [item], name="r.docx"))


# --- from the log: what the classifier logged, the pack prints -----------------------

COURTS = (
    EXAMPLES / "cambourne-2022-07" / "inbox" / "2022-06-20-latest-news-from-the-courts-20-6-22.eml"
)
MEETING = dt.date(2022, 7, 5)


def logged_for_the_meeting(tmp_path: Path, source: Path) -> Path:
    """A log holding *source*, which the clerk has put on the agenda of MEETING in Excel."""
    log = tmp_path / "log.xlsx"
    result = run("add", source, "--log", log, "--config", COUNCIL)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(log)
    ws = wb["Correspondence"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Disposition") + 1).value = "Agenda"
    ws.cell(2, header.index("Meeting") + 1).value = MEETING
    wb.save(log)
    return log


def pack_from(log: Path, tmp_path: Path, name: str = "pack.docx") -> list[tuple[str, str]]:
    out = tmp_path / name
    result = run(
        "pack", "--meeting", MEETING.isoformat(), "--log", log, "--pack", out, "--config", COUNCIL
    )
    assert result.exit_code == 0, result.output
    return paragraphs(out)


def test_court_news_from_the_log_loses_its_defendants_names(tmp_path):
    # the log's Kind cell says "Court news": the pack reads it as court news
    printed = pack_from(logged_for_the_meeting(tmp_path, COURTS), tmp_path)
    text = "\n".join(t for _, t in printed)
    assert ("Normal", "Dear resident,") in printed
    assert "Ryan Colley" not in text and "Arbury Road" not in text
    assert "Sophie Aldridge" not in text and "Darren Pell" not in text
    assert (
        "Normal",
        (
            "[name removed], 29, of [address removed], Cambridge, was jailed for 22 "
            "months at Cambridge Crown Court on Friday (17 June) after admitting four burglaries "
            "from sheds and garages in Comberton and Hardwick in March."
        ),
    ) in printed


def test_a_newsletter_from_the_log_is_printed_article_by_article(tmp_path):
    newsletter = FIXTURES / "classify" / "newsletter-force-round-up.eml"
    printed = pack_from(logged_for_the_meeting(tmp_path, newsletter), tmp_path)
    assert [t for style, t in printed if style == "Heading 3"] == [
        "Christmas drink and drug driving campaign begins on 1 December",
        "38 new officers join neighbourhood teams",
        "Romance fraud: know the signs",
        "Still time to tell us about your area",
        "Report lost property online",
    ]


# Findings found once: the classifier's, kept in the log's Texts sheet, are what the
# pack replaces; only text it was not made on is looked at again.


def texts_cell(log: Path, header: str):
    """The Texts sheet's cell under *header* for the one item logged (workbook, cell)."""
    wb = openpyxl.load_workbook(log)
    ws = wb["Texts"]
    column = [c.value for c in ws[1]].index(header) + 1
    return wb, ws.cell(2, column)


def looking_is_counted(monkeypatch) -> list[str]:
    """Count the texts the pack looks at for personal data (each a new look)."""
    from council_papers import personal

    looked: list[str] = []
    real = personal.find

    def find(text, kind=None):
        looked.append(text)
        return real(text, kind)

    monkeypatch.setattr(personal, "find", find)
    return looked


def test_the_pack_replaces_the_logged_findings_without_looking_again(tmp_path, monkeypatch):
    log = logged_for_the_meeting(tmp_path, COURTS)
    old = tmp_path / "old-log.xlsx"  # the same log, as written before findings were kept
    wb, cell = texts_cell(log, "Personal data found")
    assert cell.value.startswith("{")
    cell.value = None
    wb.save(old)
    looked_at = pack_from(old, tmp_path, "looked-at.docx")

    from council_papers import personal

    def no_looking(text, kind=None):
        raise AssertionError("the pack looked for personal data again")

    monkeypatch.setattr(personal, "find", no_looking)
    assert pack_from(log, tmp_path) == looked_at
    assert ("Normal", "Dear resident,") in looked_at
    assert any(
        t.startswith("[name removed], 29, of [address removed], Cambridge") for _, t in looked_at
    )


def test_text_the_clerk_edited_in_the_log_is_looked_at_afresh(tmp_path, monkeypatch):
    log = logged_for_the_meeting(tmp_path, COURTS)
    wb, cell = texts_cell(log, "Text")
    cell.value = cell.value.replace(
        "Kind Regards,", "Anyone who saw it can ring Mrs Jones on 07700 900461.\n\nKind Regards,"
    )
    wb.save(log)
    looked = looking_is_counted(monkeypatch)
    printed = [t for _, t in pack_from(log, tmp_path)]
    assert "Anyone who saw it can ring Mrs Jones on [phone number removed]." in printed
    assert "07700 900461" not in "\n".join(printed) and "Ryan Colley" not in "\n".join(printed)
    assert len(looked) == 1 and "07700 900461" in looked[0]  # the text; subject, From reused


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("{not json", id="bad-json"),
        pytest.param("[]", id="a-list"),
        pytest.param('{"subject": 1}', id="wrong-shape"),
        pytest.param("none found", id="words"),
        pytest.param("[" * 100_000, id="nested-too-deep"),
    ],
)
def test_a_findings_cell_the_clerk_typed_over_means_looking_afresh(tmp_path, monkeypatch, typed):
    log = logged_for_the_meeting(tmp_path, COURTS)
    before = pack_from(log, tmp_path, "before.docx")
    wb, cell = texts_cell(log, "Personal data found")
    cell.value = typed[:32_000]
    wb.save(log)
    looked = looking_is_counted(monkeypatch)
    assert pack_from(log, tmp_path) == before  # no traceback, and redacted as before
    assert looked  # looked at afresh


def test_findings_edited_by_hand_are_not_trusted(tmp_path, monkeypatch):
    log = logged_for_the_meeting(tmp_path, COURTS)
    before = pack_from(log, tmp_path, "before.docx")
    wb, cell = texts_cell(log, "Personal data found")
    stored = json.loads(cell.value)
    assert stored["text"]["found"]
    stored["text"]["found"] = []  # "nothing to remove here"
    cell.value = json.dumps(stored)
    wb.save(log)
    looked = looking_is_counted(monkeypatch)
    assert pack_from(log, tmp_path) == before
    assert len(looked) == 1


def test_a_newsletters_articles_are_replaced_from_the_log_too(tmp_path, monkeypatch):
    newsletter = FIXTURES / "classify" / "newsletter-force-round-up.eml"
    log = logged_for_the_meeting(tmp_path, newsletter)
    looked = looking_is_counted(monkeypatch)
    assert ("Heading 3", "Romance fraud: know the signs") in pack_from(log, tmp_path)
    assert looked == []


def saved_by_libreoffice(log: Path, tmp_path: Path) -> Path:
    """*log* opened and saved again by LibreOffice Calc, as a clerk might."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "saved"
    subprocess.run(
        [program, "--headless", "--norestore", "--nolockcheck", "--nologo",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "xlsx", "--outdir", str(out), str(log)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    if not (out / log.name).is_file():
        pytest.skip("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    return out / log.name


def test_findings_survive_a_save_in_libreoffice(tmp_path, monkeypatch):
    log = logged_for_the_meeting(tmp_path, COURTS)
    before = pack_from(log, tmp_path, "before.docx")
    saved = saved_by_libreoffice(log, tmp_path)
    looked = looking_is_counted(monkeypatch)
    assert pack_from(saved, tmp_path) == before
    assert looked == []


# --- templates --------------------------------------------------------------------


def tiny_png() -> bytes:
    """An 8×8 navy PNG, made by hand so the tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x1f\x3a\x5f" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def add_hyperlink_style(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)


def letterhead(tmp_path: Path, *, body_text: bool) -> Path:
    """A clerk's letterhead saved by Word: logo and address in the header, Georgia, en-US."""
    from docx.shared import Cm

    document = docx.Document()  # like a document saved by Word: Word's built-in styles
    add_hyperlink_style(document)
    document.styles["Normal"].font.name = "Georgia"
    header = document.sections[0].header.paragraphs[0]
    header.add_run().add_picture(str(write_png(tmp_path)), width=Cm(2))
    header.add_run("Cambourne Town Council, The Hub, High Street, Cambourne CB23 6GW")
    document.sections[0].footer.paragraphs[0].text = "Clerk: clerk@cambournetowncouncil.gov.uk"
    if body_text:
        document.add_paragraph("Working for the residents of Cambourne")
    document.add_paragraph("")
    document.add_paragraph("   ")
    path = tmp_path / "letterhead.docx"
    document.save(str(path))
    return path


def write_png(tmp_path: Path) -> Path:
    png = tmp_path / "logo.png"
    png.write_bytes(tiny_png())
    return png


def test_clerk_letterhead_is_kept(tmp_path):
    template = letterhead(tmp_path, body_text=True)
    agenda, circulated = seed_items()
    path = write(tmp_path, agenda, circulated, template=template)
    document = docx.Document(str(path))
    header = document.sections[0].header
    assert (
        header.paragraphs[0].text
        == "Cambourne Town Council, The Hub, High Street, Cambourne CB23 6GW"
    )
    images = [rel.target_part.blob for rel in header.part.rels.values() if rel.reltype == RT.IMAGE]
    assert images == [tiny_png()]
    assert (
        document.sections[0].footer.paragraphs[0].text == "Clerk: clerk@cambournetowncouncil.gov.uk"
    )
    assert document.styles["Normal"].font.name == "Georgia"
    # The letterhead's own text (and its spacing) stays, and the pack follows it.
    assert paragraphs(path)[:4] == [
        ("Normal", "Working for the residents of Cambourne"),
        ("Normal", ""),
        ("Normal", "   "),
        ("Title", "Cambourne Town Council"),
    ]
    assert tables(path) == tables(write(tmp_path, agenda, circulated, name="default.docx"))
    # python-docx's (Word's) template has no Subtitle style of ours: it still gets one.
    assert paragraphs(path)[4] == ("Subtitle", "District of South Cambridgeshire")


def test_template_with_only_empty_paragraphs_is_replaced(tmp_path):
    template = letterhead(tmp_path, body_text=False)
    path = write(tmp_path, *seed_items(), template=template)
    assert paragraphs(path)[0] == ("Title", "Cambourne Town Council")
    assert_accessible(path)  # and the en-US template now says en-GB


# What Word writes into a letterhead's styles.xml when nothing else has been used.
WORD_KEEPS = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "Header",
    "HeaderChar",
    "Footer",
    "FooterChar",
}


def word_letterhead(tmp_path: Path, *, numbering: bool) -> Path:
    """letterhead() as Word saves it: only the styles it uses; a numbering part or none."""
    path = letterhead(tmp_path, body_text=False)
    document = docx.Document(str(path))
    styles = document.styles.element
    for style in list(styles.iterchildren(qn("w:style"))):
        if style.get(qn("w:styleId")) not in WORD_KEEPS:
            styles.remove(style)
    if not numbering:
        for r_id, rel in list(document.part.rels.items()):
            if rel.reltype == RT.NUMBERING:
                del document.part.rels[r_id]
    document.save(str(path))
    return path


def bullet_numbering(path: Path) -> list[str]:
    """The numFmt of level 0 of the list behind the List Bullet style of the document."""
    document = docx.Document(str(path))
    num_id = (
        document.styles["List Bullet"]
        .element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        .get(qn("w:val"))
    )
    numbering = document.part.numbering_part.element
    nums = [n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    assert len(nums) == 1, "one list definition per id"
    abstract_id = nums[0].find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [
        a
        for a in numbering.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    ]
    return [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in abstract.iterchildren(qn("w:lvl"))]


@pytest.mark.parametrize("numbering", [False, True], ids=["no-numbering-part", "own-lists"])
def test_a_word_letterhead_lacking_the_packs_styles_gets_the_default_templates(tmp_path, numbering):
    template = word_letterhead(tmp_path, numbering=numbering)
    before = template.read_bytes()
    # not refused: these are copied in from the default template
    assert check_template(template) == (
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Bullet",
        "Table Grid",
        "Hyperlink",
    )
    agenda, circulated = seed_items()
    bullets = PackItem(
        "5.3",
        "Cambridgeshire Constabulary",
        "VAWG strategy",
        None,
        "The projects:\n\n• Project Kaizen: Domestic Abuse\n• Project Artemis\n\n"
        f"[Read the strategy]({SURVEY_URL})",
    )
    path = write(tmp_path, [*agenda, bullets], circulated, template=template)
    assert template.read_bytes() == before  # the clerk's file is never changed
    styles = {style for style, _ in paragraphs(path)}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet"} <= styles
    assert ("List Bullet", "Project Kaizen: Domestic Abuse") in paragraphs(path)
    assert bullet_numbering(path)[0] == "bullet"  # the copied List Bullet still has bullets
    document = docx.Document(str(path))
    assert {t.style.name for t in document.tables} == {"Table Grid"}
    link_style = document.styles["Hyperlink"].style_id
    assert document.element.body.xpath(f'.//w:hyperlink/w:r/w:rPr/w:rStyle[@w:val="{link_style}"]')
    assert document.styles["Normal"].font.name == "Georgia"  # the clerk's own styles stay
    assert document.sections[0].header.paragraphs[0].text.startswith("Cambourne Town Council")
    assert_accessible(path)


def test_a_letterhead_with_its_own_lists_keeps_them(tmp_path):
    template = word_letterhead(tmp_path, numbering=True)
    own = docx.Document(str(template)).part.numbering_part.element
    ids = {n.get(qn("w:numId")) for n in own.iterchildren(qn("w:num"))}
    path = write(tmp_path, *seed_items(), template=template)
    numbering = docx.Document(str(path)).part.numbering_part.element
    after = [n.get(qn("w:numId")) for n in numbering.iterchildren(qn("w:num"))]
    assert ids < set(after) and len(after) == len(set(after))  # theirs kept, ours added, no clash


def test_missing_styles_are_named_in_the_pack_report(tmp_path):
    template = word_letterhead(tmp_path, numbering=False)
    out = tmp_path / "out"
    result = run(
        "build",
        "--config",
        COUNCIL,
        INBOX / "na-alert-html.eml",
        "--meeting",
        "2024-12-01",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    result = run(
        "pack",
        "--config",
        COUNCIL,
        "--meeting",
        "2024-12-01",
        "--log",
        out / "correspondence-log.xlsx",
        "--template",
        template,
        "--pack",
        tmp_path / "pack.docx",
    )
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {template}: the template has no Title, Heading 1, Heading 2, Heading 3, "
        "List Bullet, Table Grid, Hyperlink style: the default template's are used"
    ) in result.stderr


def test_template_style_of_the_wrong_type(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.styles.add_style("Hyperlink", WD_STYLE_TYPE.PARAGRAPH)
    path = tmp_path / "odd.docx"
    document.save(str(path))
    with pytest.raises(PackError, match=r"Hyperlink \(must be a character style\)"):
        check_template(path)


def test_dotx_template_is_refused_clearly(tmp_path):
    dotx = tmp_path / "letterhead.dotx"
    shutil.copy(default_template(), dotx)
    with pytest.raises(
        PackError,
        match=r"letterhead\.dotx: is a Word template .*save it as a Word "
        r"Document \(\.docx\)",
    ):
        check_template(dotx)


def test_dotx_renamed_to_docx_is_refused_clearly(tmp_path):
    renamed = tmp_path / "letterhead.docx"
    with zipfile.ZipFile(default_template()) as src, zipfile.ZipFile(renamed, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, data)
    with pytest.raises(PackError, match=r"letterhead\.docx: is a Word template"):
        check_template(renamed)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("missing.docx", None, r"missing\.docx: template not found", id="not-found"),
        pytest.param(
            "notes.docx", b"just text", r"notes\.docx: not a valid Word document", id="not-a-zip"
        ),
        pytest.param(
            "old.doc", b"\xd0\xcf\x11\xe0", r"old\.doc: old Word 97-2003 format", id="doc"
        ),
    ],
)
def test_unusable_templates(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PackError, match=message):
        write(tmp_path, template=path)


def test_pack_never_overwrites_its_template(tmp_path):
    template = tmp_path / "pack.docx"
    shutil.copy(default_template(), template)
    with pytest.raises(PackError, match="is the template itself"):
        write(tmp_path, template=template)


@pytest.mark.parametrize(
    ("changes", "name", "message"),
    [
        pytest.param(
            {"publication": "publish"}, "pack.docx", "publication must be one of", id="publication"
        ),
        pytest.param({"police_item": 0}, "pack.docx", "must be 1 or more", id="item-number"),
        pytest.param({}, "pack.pdf", r"pack\.pdf: the pack must be a \.docx file", id="suffix"),
    ],
)
def test_bad_arguments(tmp_path, changes, name, message):
    with pytest.raises(PackError, match=message):
        write(tmp_path, name=name, **changes)


# --- the default template ---------------------------------------------------------


def style_projection(path: Path) -> dict:
    """The template's look: each style's formatting, the defaults, the page and the footer."""
    document = docx.Document(str(path))
    styles = []
    for style in sorted(document.styles, key=lambda s: s.name):
        font = getattr(style, "font", None)
        fmt = getattr(style, "paragraph_format", None)
        styles.append(
            [
                style.name,
                str(style.type),
                getattr(getattr(style, "base_style", None), "name", None),
                font and font.name,
                font and font.size,
                font and font.bold,
                font and font.italic,
                font and font.all_caps,
                font and str(font.color.rgb) if font and font.color.type else None,
                fmt and fmt.space_before,
                fmt and fmt.space_after,
                fmt and fmt.keep_with_next,
            ]
        )
    defaults = document.styles.element.find(qn("w:docDefaults"))
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    return {
        "styles": styles,
        "defaults": re.sub(
            r'xmlns:\w+="[^"]+"', "", docx.oxml.xmlchemy.serialize_for_reading(defaults)
        ),
        "page": [
            section.page_width,
            section.page_height,
            section.left_margin,
            section.right_margin,
            section.top_margin,
            section.bottom_margin,
        ],
        "footer": [footer.text, [i.text for i in footer._p.iter(qn("w:instrText"))]],
    }


def test_default_template_is_what_the_code_builds(tmp_path):
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "make_pack_template.py"))
    rebuilt = script["build_default_template"](tmp_path / "rebuilt.docx")
    assert style_projection(rebuilt) == style_projection(default_template()), (
        "templates/pack-template.docx is out of date: run scripts/make_pack_template.py"
    )


def test_default_template_is_plain_a4_en_gb(tmp_path):
    from docx.shared import Pt

    path = default_template()
    check_template(path)
    document = docx.Document(str(path))
    assert all(name in [s.name for s in document.styles] for name in REQUIRED_STYLES)
    section = document.sections[0]
    cm = [
        round(length.cm, 2)
        for length in (
            section.page_width,
            section.page_height,
            section.left_margin,
            section.right_margin,
            section.top_margin,
            section.bottom_margin,
        )
    ]
    assert cm == [21, 29.7, 2.5, 2.5, 2.5, 2.5]
    rpr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert rpr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == str(int(Pt(11).pt * 2))
    footer = section.footer.paragraphs[0]
    assert footer.text == "Page 1 of 1"
    assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert document.core_properties.language == "en-GB"
    assert not [p for p in document.paragraphs if p.text.strip()]


# --- the publication deadline ----------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "deadline"),
    [
        # Clear days 4, 2 and 1 July; 3 July is a Sunday.
        pytest.param(dt.date(2022, 7, 5), dt.date(2022, 6, 30), id="seed-004-tuesday"),
        pytest.param(dt.date(2022, 7, 8), dt.date(2022, 7, 4), id="friday-monday"),
        # Clear days Wed, Tue, Mon would leave Sunday: we name the Saturday before.
        pytest.param(dt.date(2022, 7, 7), dt.date(2022, 7, 2), id="thursday-not-on-a-sunday"),
        # Mon 1 April 2024 is Easter Monday, Fri 29 March Good Friday.
        pytest.param(dt.date(2024, 4, 2), dt.date(2024, 3, 26), id="after-easter-monday"),
        pytest.param(dt.date(2024, 4, 4), dt.date(2024, 3, 28), id="not-on-good-friday"),
        # Christmas Day and Boxing Day 2023 were Monday and Tuesday.
        pytest.param(dt.date(2023, 12, 28), dt.date(2023, 12, 21), id="after-christmas"),
        pytest.param(dt.date(2024, 1, 2), dt.date(2023, 12, 27), id="after-new-year"),
        # 2021: Christmas on a Saturday, substitute holidays on 27 and 28 December.
        pytest.param(dt.date(2021, 12, 29), dt.date(2021, 12, 21), id="christmas-on-saturday"),
        # 2 and 3 June 2022: the Platinum Jubilee bank holidays.
        pytest.param(dt.date(2022, 6, 7), dt.date(2022, 5, 31), id="jubilee"),
        # 19 September 2022: the State Funeral of Queen Elizabeth II.
        pytest.param(dt.date(2022, 9, 21), dt.date(2022, 9, 15), id="state-funeral"),
    ],
)
def test_publication_deadline(meeting, deadline):
    assert publication_deadline(meeting) == deadline


@pytest.mark.parametrize(
    ("day", "text"),
    [
        pytest.param(dt.date(2022, 7, 5), "5th July 2022", id="5th"),
        pytest.param(dt.date(2022, 7, 1), "1st July 2022", id="1st"),
        pytest.param(dt.date(2022, 7, 2), "2nd July 2022", id="2nd"),
        pytest.param(dt.date(2022, 7, 3), "3rd July 2022", id="3rd"),
        pytest.param(dt.date(2022, 7, 11), "11th July 2022", id="11th"),
        pytest.param(dt.date(2022, 7, 12), "12th July 2022", id="12th"),
        pytest.param(dt.date(2022, 7, 13), "13th July 2022", id="13th"),
        pytest.param(dt.date(2022, 7, 21), "21st July 2022", id="21st"),
        pytest.param(dt.date(2022, 7, 22), "22nd July 2022", id="22nd"),
        pytest.param(dt.date(2022, 7, 31), "31st July 2022", id="31st"),
    ],
)
def test_long_date(day, text):
    assert long_date(day) == text
    assert ordinal(day.day) == text.split()[0]


# --- PDF -------------------------------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as soffice")


def test_pdf_without_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PackError) as err:
        export_pdf(tmp_path / "pack.docx")
    assert str(err.value) == INSTALL_HINT


def fake_soffice(tmp_path: Path, monkeypatch, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]))


@posix_only
def test_pdf_failure_despite_exit_code_0(tmp_path, monkeypatch):
    path = write(tmp_path, *seed_items())
    fake_soffice(tmp_path, monkeypatch, 'echo "Error: source file could not be loaded"\nexit 0\n')
    with pytest.raises(
        PackError,
        match=r"pack\.docx: LibreOffice did not write a PDF "
        r"\(Error: source file could not be loaded\)",
    ):
        export_pdf(path)
    assert not path.with_suffix(".pdf").exists()


@posix_only
def test_pdf_output_that_is_not_a_pdf(tmp_path, monkeypatch):
    path = write(tmp_path, *seed_items())
    fake_soffice(
        tmp_path,
        monkeypatch,
        (
            'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n'
            'mkdir -p "$out" && echo "not a pdf" > "$out/$(basename "$1" .docx).pdf"\n'
        ),
    )
    with pytest.raises(
        PackError, match=r"pack\.docx: LibreOffice wrote pack\.pdf, but it is not a PDF"
    ):
        export_pdf(path)


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
)
def test_pdf_with_libreoffice_is_tagged_en_gb(tmp_path):
    import pypdf

    agenda, circulated = seed_items()
    path = write(tmp_path, [*agenda, newsletter()], circulated)
    pdf = export_pdf(path, tmp_path / "out" / "Police Matters 5 July 2022.pdf")
    assert pdf == tmp_path / "out" / "Police Matters 5 July 2022.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    assert root["/Lang"] == "en-GB"
    assert (
        reader.metadata.title
        == "Cambourne Town Council – Council Meeting 5th July 2022 – Police Matters"
    )
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "5. Police Matters" in text and "Correspondence circulated" in text
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()
    }
    assert {SURVEY_URL, REGISTER_URL} <= links


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
)
def test_a_pack_on_a_letterhead_given_the_default_styles_opens_in_libreoffice(tmp_path):
    import pypdf

    template = word_letterhead(tmp_path, numbering=False)
    bullets = PackItem(
        "5.1",
        "Cambridgeshire Constabulary",
        "VAWG strategy",
        None,
        "The projects:\n\n• Project Kaizen: Domestic Abuse\n• Project Artemis",
    )
    pdf = export_pdf(write(tmp_path, [bullets], template=template))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Cambourne Town Council, The Hub" in text  # the letterhead's header
    # a real bulleted list: Word's bullet is the Symbol font's U+F0B7
    assert re.search(r"[•\uf0b7]\s*Project Kaizen: Domestic Abuse", text)
