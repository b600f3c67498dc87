"""Cleaning: artefacts go, every word of real content stays, and it is idempotent."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from council_papers.clean import clean, is_artefact, unwrap_url


@pytest.mark.parametrize(
    ("line", "artefact"),
    [
        pytest.param("|", True, id="table-pipe"),
        pytest.param(" | | ", True, id="pipes-and-spaces"),
        pytest.param("[Read more](#)", True, id="markdown-read-more"),
        pytest.param("Read more", True, id="bare-read-more"),
        pytest.param("Read more »", True, id="read-more-chevron"),
        pytest.param(
            "To reply or forward this email please use the buttons below or the links at "
            "the end of this email.",
            True,
            id="na-buttons",
        ),
        pytest.param("Reply to this message", True, id="na-reply"),
        pytest.param(
            "Reply to this message | Forward | Rate | Unsubscribe", True, id="na-footer-row"
        ),
        pytest.param(
            "[Reply to this message](https://www.neighbourhoodalert.co.uk/da/1/click.html?x=1)"
            " | [Unsubscribe](https://example.org/u)",
            True,
            id="linked-footer-row",
        ),
        pytest.param("Change your alert settings", True, id="alert-settings"),
        pytest.param("Unsubscribe from these alerts", True, id="unsubscribe-sentence"),
        pytest.param(
            "Update your subscriptions, modify your password or email address, or stop "
            "subscriptions at any time on your Subscriber Preferences Page.",
            True,
            id="govdelivery-footer",
        ),
        pytest.param("Accessibility Options", True, id="page-chrome"),
        pytest.param(
            "Please reply to this message by Friday with your views.",
            False,
            id="reply-inside-a-sentence",
        ),
        pytest.param(
            "Read more about the new plan on our website below.", False, id="read-more-sentence"
        ),
        pytest.param("Forward planning for the summer patrols", False, id="forward-word"),
        pytest.param("Rate of burglary fell by 12%", False, id="rate-word"),
        pytest.param("Message Sent By", False, id="attribution-kept"),
    ],
)
def test_artefact_lines(line, artefact):
    assert is_artefact(line) is artefact


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.cambs."
            "police.uk%2Fadvice&data=05%7C01&reserved=0",
            "https://www.cambs.police.uk/advice",
            id="safelinks",
        ),
        pytest.param(
            "https://www.cambridgeshire-pcc.gov.uk/funding/?utm_source=govdelivery&"
            "utm_medium=email&id=4",
            "https://www.cambridgeshire-pcc.gov.uk/funding/?id=4",
            id="utm-stripped",
        ),
        pytest.param("https://lnks.gd/l/eyJhbGciOiJIUzI1NiJ9.abc", None, id="govdelivery-tracker"),
        pytest.param(
            "https://www.neighbourhoodalert.co.uk/da/339117/click.html?x=a&t=2",
            None,
            id="alert-click-tracker",
        ),
        pytest.param(
            "https://www.cambs.police.uk/report",
            "https://www.cambs.police.uk/report",
            id="plain-link-kept",
        ),
    ],
)
def test_unwrap_url(url, expected):
    assert unwrap_url(url) == expected


def test_clean_removes_artefacts_and_keeps_links_as_markdown():
    text = (
        "News from your Commissioner |\n|\n|\n\u00a0Welcome\u00a0to  the  update.\n\n\n\n"
        "Apply [here](https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example"
        ".gov.uk%2Fapply&data=1) or see **Monday 23rd September**.\n[Read more](#)\n"
        "Fill in [our survey](#) today.\nUnsubscribe\n"
    )
    assert clean(text) == (
        "News from your Commissioner\n\nWelcome to the update.\n\n"
        "Apply [here](https://www.example.gov.uk/apply) or see Monday 23rd September.\n\n"
        "Fill in our survey today."
    )


def _words(text: str) -> set[str]:
    # URLs are not words a reader reads; links are reduced to their text first
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    return set(re.findall(r"[A-Za-z0-9£]+", text))


# Content is built so that it cannot be an artefact, whatever `clean` thinks one is:
# ordinary words of police correspondence, and made-up words that each hold a digit
# (no button, footer or separator does). The tests' oracle is then the generator,
# not `is_artefact`.
REAL_WORDS = st.sampled_from(
    [
        "police",
        "officers",
        "patrols",
        "burglary",
        "village",
        "meeting",
        "survey",
        "council",
        "Tuesday",
        "£250",
        "speeding",
        "the",
        "of",
        "on",
        "PCSO",
        "Cambourne",
        "theft",
        "vehicles",
        "priorities",
        "23rd",
    ]
)
WORD = st.one_of(
    REAL_WORDS, st.from_regex(r"[A-Za-z£'-]{0,6}[0-9][A-Za-z0-9£'-]{0,5}", fullmatch=True)
)
CONTENT_LINE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
ARTEFACT_LINE = st.sampled_from(
    [
        "|",
        " | ",
        "[Read more](#)",
        "Read more",
        "Reply to this message",
        "Unsubscribe",
        "To reply or forward this email please use the buttons below or the links at the end of this email.",
        "Change your alert settings",
        "Accessibility Options",
        "",
        "   ",
        "\u00a0",
        "Reply to this message | Forward | Rate | Unsubscribe",
    ]
)
NOISE = st.sampled_from(["", " ", "\u00a0", "  ", "\t", " |", "**"])


@st.composite
def documents_and_content(draw):
    """A document of content and artefact lines, and the content lines it holds."""
    lines, content = [], []
    for _ in range(draw(st.integers(1, 15))):
        if draw(st.booleans()):
            line = draw(CONTENT_LINE)
            content.append(line)
            lines.append(draw(NOISE) + line + draw(NOISE))
        else:
            lines.append(draw(ARTEFACT_LINE))
    return "\n".join(lines), content


def documents():
    return documents_and_content().map(lambda pair: pair[0])


@settings(max_examples=300, deadline=None)
@given(documents_and_content())
def test_clean_keeps_every_word_that_is_not_part_of_an_artefact(doc_and_content):
    doc, content = doc_and_content
    assert _words("\n".join(content)) <= _words(clean(doc))


@settings(max_examples=300, deadline=None)
@given(documents())
def test_clean_invents_no_words(doc):
    assert _words(clean(doc)) <= _words(doc)


@settings(max_examples=500, deadline=None)
@given(st.one_of(documents(), st.text(max_size=400)))
def test_clean_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=200, deadline=None)
@given(CONTENT_LINE)
def test_a_content_line_alone_survives(line):
    assert _words(line) <= _words(clean(line))


def test_a_platforms_rating_and_button_lines_are_chrome():
    text = (
        "View this message in your browser\nTheft of tools from vans in Marden\n"
        "ReplyRateForward Share\nPlease rate this message\nDid you find it useful? Yes No\n"
        "Your area: Maidstone"
    )
    assert clean(text) == "Theft of tools from vans in Marden\n\nYour area: Maidstone"
