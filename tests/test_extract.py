"""Extraction's rules of thumb, one at a time: author, sent date, subject, articles."""

from __future__ import annotations

import datetime as dt

import pytest

from council_papers.config import Theme
from council_papers.extract import _first_line, find_author, find_sent_date, split_articles
from council_papers.models import Format, RawDocument


def _raw(text: str, **kw) -> RawDocument:
    return RawDocument(path="x.txt", format=Format.TXT, text=text, **kw)


@pytest.mark.parametrize(
    ("text", "author"),
    [
        pytest.param(
            "Dear Clerk,\n\nFigures attached.\n\nKind regards\n\nSgt 2217 Luke Fenwick\nSouth Norfolk SNT",
            "Sgt 2217 Luke Fenwick",
            id="valediction-then-signer",
        ),
        pytest.param(
            "Alert text.\n\nMessage Sent By\nLowenna Rowe\n(Police and Crime Commissioner, Engagement Officer)",
            "Lowenna Rowe",
            id="message-sent-by-on-the-next-line",
        ),
        pytest.param(
            "Body of the update.\n\nPCSO 7711 Sarah Whitlock\nCaldecote",
            "PCSO 7711 Sarah Whitlock",
            id="ranked-name-in-the-last-lines",
        ),
        pytest.param("Body.\n\nJane Fairweather", "Jane Fairweather", id="bare-name-last"),
        pytest.param("Just a line with no signature at all.", None, id="none"),
    ],
)
def test_find_author(text, author):
    assert find_author(text) == author


def test_the_header_date_wins_over_a_date_in_the_text():
    raw = _raw("Date: 3 March 2025\n\nHello", date=dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC))
    assert find_sent_date(raw, raw.text, None) == dt.date(2025, 3, 5)


def test_a_govdelivery_dateline_without_a_header_is_read_day_first():
    text = "Office of the PCC sent this bulletin at 05-09-2024 11:57 AM BST\n\nNews"
    assert find_sent_date(_raw(text), text, None) == dt.date(2024, 9, 5)


def test_a_date_line_then_the_subject_then_the_documents_own_date():
    assert find_sent_date(
        _raw("Report date: 14 April 2025\n\nx"), "Report date: 14 April 2025\n\nx", None
    ) == dt.date(2025, 4, 14)
    assert find_sent_date(
        _raw("no date"), "no date", "Latest news from the courts – 20.6.22"
    ) == dt.date(2022, 6, 20)
    created = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    assert find_sent_date(_raw("text", document_date=created), "text", None) == dt.date(2024, 1, 2)
    # a scan with no text: the file's date is when it was scanned, not sent
    assert find_sent_date(_raw("", document_date=created), "", None) is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        pytest.param(
            "Office of the PCC sent this bulletin at 05-09-2024 11:57 AM BST\nSpring news",
            "Spring news",
            id="dateline-skipped",
        ),
        pytest.param(
            "Skip to main content\nCookies\nRural crime\nBody", "Rural crime", id="chrome-skipped"
        ),
        pytest.param(
            "Hi All,\nSpeedwatch this weekend", "Speedwatch this weekend", id="greeting-skipped"
        ),
        pytest.param("12 March 2026\nPanel meeting", "Panel meeting", id="bare-date-skipped"),
    ],
)
def test_the_first_line_that_can_be_a_title(text, title):
    assert _first_line(text) == title


def test_articles_split_on_theme_banners_and_headlines():
    themes = (Theme("Crime prevention"), Theme("Supporting victims and witnesses"))
    text = (
        "Crime prevention\n\nShed security week\n\nOfficers will mark tools at the village hall on "
        "Saturday and give advice on locks and alarms for sheds and garages.\n\n"
        "Supporting victims and witnesses\n\nNew advocates funded\n\nTwo more specialist advocates "
        "will support victims of stalking across the county from next month.\n"
    )
    articles = split_articles(text, (), themes)
    assert [(a.headline, a.theme) for a in articles] == [
        ("Shed security week", "Crime prevention"),
        ("New advocates funded", "Supporting victims and witnesses"),
    ]
    assert articles[0].text.startswith("Officers will mark tools")


def test_a_letter_with_one_heading_is_not_split():
    text = "A heading\n\nOne paragraph of a letter that is long enough to be body text for the splitter.\n"
    assert split_articles(text, (), ()) == ()


def test_an_events_date_line_is_not_the_date_sent():
    text = (
        "You're invited\n\nDate: Thursday 14 May 2026, 6.30pm\nVenue: Trinity Park\n\n"
        "Issued: 2 April 2026\n"
    )
    assert find_sent_date(_raw(text), text, None) == dt.date(2026, 4, 2)
