"""The pack as a council publishes it (issue 14.14): read back with python-docx.

No sender block under each signature, real hyperlinks wherever the destination is
known, nothing meant for the clerk alone, and the two tables' columns lined up.
"""

from __future__ import annotations

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from conftest import COUNCIL, EXAMPLES, INBOX, json_lines, run
from council_papers.clean import drop_sent_by
from council_papers.pack.oxml import add_hyperlink

EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = "2022-07-05"


@pytest.fixture(scope="module")
def cambourne(tmp_path_factory):
    out = tmp_path_factory.mktemp("cambourne")
    result = run(
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        out,
        "--config",
        EXAMPLE / "council.toml",
    )
    assert result.exit_code == 0, result.output
    return result, docx.Document(str(out / f"police-matters-{MEETING}.docx"))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_message_sent_by_block_is_not_printed_under_the_signature(cambourne):
    _, document = cambourne
    text = "\n".join(_texts(document))
    assert "Inspector Shane Fasey\nSouth Cambs" in text  # the signature stays
    assert "Message Sent By" not in text
    assert "(Police, Inspector, South Cambs)" not in text
    assert "(Police, Corporate Communications, Cambridgeshire)" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Thanks\nInspector Fasey\n\nMessage Sent By\nShane Fasey (Police, Inspector, South Cambs)\n",
            "Thanks\nInspector Fasey\n\n",
            id="at-the-end",
        ),
        pytest.param(
            "Sign-off\n\nMessage sent by:\n\nA Person (Police, PCSO, Ely)\n\nMore text",
            "Sign-off\n\n\nMore text",
            id="colon-and-blank-line",
        ),
        pytest.param(
            "The message sent by the force was clear.",
            "The message sent by the force was clear.",
            id="words-in-a-sentence-stay",
        ),
    ],
)
def test_drop_sent_by(text, expected):
    assert drop_sent_by(text) == expected


def test_the_publication_deadline_is_in_the_summary_not_the_document(cambourne):
    result, document = cambourne
    assert not any("to be published" in t for t in _texts(document))
    assert "Agenda to be published by Thursday 30 June 2022." in result.stdout


def _column_edges(table) -> list[int]:
    """Each column's left edge from the text margin, in twentieths of a point."""
    indent = table._tbl.tblPr.find(qn("w:tblInd"))
    x = int(indent.get(qn("w:w"))) if indent is not None else 0
    edges = []
    for column in table.columns:
        edges.append(x)
        x += round(column.width / 635)
    return edges


def test_the_from_and_subject_columns_of_both_tables_line_up(cambourne):
    _, document = cambourne
    agenda, circulated = document.tables
    assert [c.text for c in agenda.rows[0].cells] == ["Item", "FROM", "SUBJECT"]
    assert [c.text for c in circulated.rows[0].cells][:2] == ["FROM", "SUBJECT"]
    a, c = _column_edges(agenda), _column_edges(circulated)
    assert abs(a[1] - c[0]) <= 1 and abs(a[2] - c[1]) <= 1  # FROM and SUBJECT start together
    right = a[-1] + round(agenda.columns[-1].width / 635)
    assert abs(c[-1] + round(circulated.columns[-1].width / 635) - right) <= 1  # and end together
    for table in (agenda, circulated):  # each cell carries its column's width, for Word
        for column in table.columns:
            assert {cell.width for cell in column.cells} == {column.width}


def _links(document) -> list[tuple[str, str]]:
    return [(link.text, link.url) for p in document.paragraphs for link in p.hyperlinks]


def test_links_to_known_destinations_are_real_hyperlinks_in_the_hyperlink_style(tmp_path):
    result = run("build", "--config", COUNCIL, INBOX, "--meeting", "2030-07-05", "--out", tmp_path)
    assert result.exit_code in (0, 1), result.output  # the inbox holds a scan
    document = docx.Document(str(tmp_path / "police-matters-2030-07-05.docx"))
    links = _links(document)
    assert (
        "https://www.cambridgeshire-pcc.gov.uk/consultation/police-and-crime-plan-survey/",
    ) in {(url,) for _, url in links}
    external = [
        r.target_ref
        for r in document.part.rels.values()
        if r.reltype == RT.HYPERLINK and r.is_external
    ]
    assert external and not [u for u in external if "Clk.aspx" in u or "utm_" in u]
    style = document.styles["Hyperlink"].style_id
    runs = document.element.body.xpath(".//w:hyperlink/w:r")
    assert runs and all(
        r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == style for r in runs
    )  # what keeps them links in the PDF export


def _word_with_a_link(path) -> None:
    document = docx.Document()
    document.core_properties.title = "It is time to have your say"
    document.add_paragraph("It is time to have your say", style="Title")
    para = document.add_paragraph("Please fill in ")
    add_hyperlink(
        para,
        "our online survey",
        "https://www.cambs.police.uk/survey?utm_source=alert",
        "Hyperlink",
    )
    para.add_run(" before 30 June.")
    document.add_paragraph("Inspector Shane Fasey")
    document.add_paragraph("South Cambs Neighbourhood Policing Team, Cambridgeshire Constabulary")
    document.save(str(path))


def test_a_word_documents_links_are_kept_and_reach_the_pack(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _word_with_a_link(inbox / "survey.docx")
    (record,) = json_lines(run("inspect", inbox / "survey.docx", "--json"))
    assert (
        "Please fill in [our online survey](https://www.cambs.police.uk/survey) before 30 June."
        in record["text"]
    )
    assert record["subject"] == "It is time to have your say"
    result = run(
        "build", "--config", COUNCIL, inbox, "--meeting", "2030-07-05", "--out", tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / "police-matters-2030-07-05.docx"))
    assert _links(document) == [("our online survey", "https://www.cambs.police.uk/survey")]
    assert "Please fill in our online survey before 30 June." in _texts(document)
