"""Property-based tests: generated emails, HTML and bytes never crash a reader or the cleaner.

The only exception a reader may raise is ReadError; whatever it reads, extraction
works and its text is already clean (cleaning it again changes nothing). Readers
are called directly, not through read_file, whose safety net would hide a crash.
tests/test_clean.py has the cleaner's own properties on plain text; these add
hostile characters and the readers' output.
"""

from __future__ import annotations

import base64
import functools
import os
import quopri
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council_papers.clean import BIDI_CONTROLS, clean, one_line
from council_papers.errors import ReadError
from council_papers.limits import Limits, applied
from council_papers.read import _reader, check_content

# Modest by default so the test run stays quick; HYPOTHESIS_EXAMPLES=2000 for a long run.
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CHARSETS = [
    "utf-8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "utf-16",
    "koi8-r",
    "shift_jis",
    "iso-2022-jp",
    "gb2312",
    "x-no-such-charset",
    "base64",
    "utf-7",
]
# Characters real hostile input carries: controls, bidi overrides, invisibles, surrogates
# aside (they cannot be encoded), combining marks, line separators.
NASTY = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\x1b[31m",
        "\x85",
        "\u2028",
        "\u202e",
        "\u2066",
        "\u200b",
        "\ufeff",
        "\u0301",
        "\r",
        "\r\n",
        "\t",
        "\x0c",
        "\x0b",
        "=",
        "+",
        "@",
        "-",
        "<",
        "&",
        "£",
        "–",
        "\ufffd",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=30), NASTY), max_size=12).map("".join)


def read(suffix: str, data: bytes):
    """Read *data* as a file with *suffix*: a RawDocument, or None after a ReadError."""
    path = Path(f"generated{suffix}")
    try:
        check_content(path, data)
        with applied(Limits()):
            return _reader(suffix)(path, data)
    except ReadError as err:
        assert str(err).startswith(f"{path}: ") and "\n" not in str(err)
        return None


@functools.cache
def knowledge():
    """The built-in organisations and themes (not a fixture: hypothesis would print it)."""
    from council_papers.config import Config
    from council_papers.pipeline import Stages

    return Stages.load(Config()).knowledge


def check_extracted(raw) -> None:
    """Extraction works on what was read; its text is clean and its fields one safe line."""
    from council_papers.extract import extract

    if raw is None:
        return
    record = extract(raw, knowledge())
    assert clean(record.text) == record.text
    for field in (record.subject, record.sender, record.sender_org, record.forwarded_by):
        if field is not None:
            assert one_line(field) == field
            assert not any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in field)


# -- emails ----------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()).replace("\x00", "")


@st.composite
def header_values(draw) -> bytes:
    """A header value as a mailer might write it: raw 8-bit, or an RFC 2047 encoded word."""
    value = _one_line(draw(TEXT))
    how = draw(st.sampled_from(["raw", "b", "q"]))
    if how == "raw":
        return value.encode("utf-8", "surrogatepass")
    charset = draw(st.sampled_from(CHARSETS))
    try:
        data = value.encode(charset, errors="replace")
    except LookupError:
        data = value.encode("utf-8", "surrogatepass")
    word = base64.b64encode(data) if how == "b" else quopri.encodestring(data, header=True)
    return b"=?" + charset.encode() + b"?" + how.encode() + b"?" + word.replace(b"\n", b"") + b"?="


@st.composite
def messages(draw, depth: int = 0) -> bytes:
    """A message's bytes: generated headers and a body of nested parts, built by hand."""
    lines = []
    for name in ("From", "Subject", "Date", "To", "Message-ID"):
        if draw(st.booleans()):
            lines.append(name.encode() + b": " + draw(header_values()))
    kind = draw(
        st.sampled_from(["leaf", "leaf", "mixed", "alternative", "rfc822"])
        if depth < 4
        else st.just("leaf")
    )
    if kind == "rfc822":
        inner = draw(messages(depth + 1))
        return b"\n".join([*lines, b"Content-Type: message/rfc822", b"", inner])
    if kind in {"mixed", "alternative"}:
        boundary = f"b{depth}-{draw(st.integers(0, 9))}".encode()
        parts = [draw(messages(depth + 1)) for _ in range(draw(st.integers(1, 3)))]
        body = b"".join(b"--" + boundary + b"\n" + part + b"\n" for part in parts)
        if draw(st.booleans()):  # a truncated message has no closing boundary
            body += b"--" + boundary + b"--\n"
        head = b"Content-Type: multipart/" + kind.encode() + b'; boundary="' + boundary + b'"'
        return b"\n".join([*lines, head, b"", body])
    subtype = draw(st.sampled_from(["plain", "html"]))
    text = draw(TEXT)
    if subtype == "html":
        text = f"<p>{text}</p>"
    charset = draw(st.sampled_from(CHARSETS))
    try:
        payload = text.encode(charset, errors="replace")
    except LookupError:
        payload = text.encode("cp1252", errors="replace")
    cte = draw(st.sampled_from(["base64", "quoted-printable", "8bit"]))
    if cte == "base64":
        payload = base64.encodebytes(payload)
    elif cte == "quoted-printable":
        payload = quopri.encodestring(payload)
    head = [
        f'Content-Type: text/{subtype}; charset="{charset}"'.encode(),
        f"Content-Transfer-Encoding: {cte}".encode(),
    ]
    return b"\n".join([*lines, *head, b"", payload])


@SETTINGS
@given(messages())
def test_a_generated_email_reads_or_is_refused(data):
    check_extracted(read(".eml", data))


@SETTINGS
@given(messages(), st.integers(0, 2000), st.binary(max_size=20))
def test_a_damaged_email_reads_or_is_refused(data, at, junk):
    at = min(at, len(data))
    check_extracted(read(".eml", data[:at] + junk + data[at + len(junk) :]))


# -- HTML tag soup ---------------------------------------------------------------------

TAGS = [
    "p",
    "div",
    "span",
    "a",
    "b",
    "strong",
    "h1",
    "h2",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "script",
    "style",
    "iframe",
    "img",
    "main",
    "article",
    "nav",
    "header",
    "footer",
    "title",
    "head",
    "body",
    "html",
    "br",
    "noscript",
    "svg",
    "form",
    "template",
]
ATTRS = [
    "",
    ' style="display:none"',
    ' class="cookie-banner"',
    " hidden",
    ' aria-hidden="true"',
    ' href="http://127.0.0.1:9/x?utm_source=y"',
    ' href="javascript:alert(1)"',
    ' role="main"',
    ' src="http://127.0.0.1:9/p.gif"',
    ' id="nav"',
    ' href="https://safelinks.protection.outlook.com/?url=http%3A%2F%2F127.0.0.1%3A9"',
]
PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(TAGS), st.sampled_from(ATTRS)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    TEXT,
    st.sampled_from(
        [
            "<!-- c -->",
            "<![CDATA[x]]>",
            "&amp;",
            "&#x202e;",
            "&#0;",
            "&#xd800;",
            "&nosuch;",
            "<?xml version='1.0' encoding='utf-16'?>",
            "<!DOCTYPE html>",
            '<meta charset="x-bogus">',
            '<meta charset="utf-16">',
            "<",
            ">",
            "\x00",
        ]
    ),
)


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join), st.sampled_from(CHARSETS[:8]))
def test_generated_tag_soup_reads_or_is_refused(soup, charset):
    data = soup.encode(charset, errors="replace") if charset != "utf-7" else soup.encode()
    check_extracted(read(".html", data))
    check_extracted(read(".htm", soup.encode("utf-8", errors="surrogatepass")))


# -- bytes, every reader -----------------------------------------------------------------


@SETTINGS
@given(
    st.sampled_from([".eml", ".msg", ".html", ".txt", ".pdf", ".docx"]),
    st.one_of(st.binary(max_size=2000), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
)
def test_random_bytes_read_or_are_refused_by_every_reader(suffix, data):
    check_extracted(read(suffix, data))


@SETTINGS
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_text_bytes_read_as_text(text, encoding):
    # text as editors save it: read, never refused, with its words (a refusal fails here)
    data = text.encode(encoding, errors="replace")
    if not data.strip() or not text.strip() or "\x00" in text:
        return  # an empty file is refused, rightly; a NUL is binary
    from council_papers.read import looks_binary

    if looks_binary(data):
        return  # control characters a text editor never writes
    raw = read(".txt", data)
    assert raw is not None, f"{encoding} text refused"
    check_extracted(raw)
    words = [
        w
        for w in text.encode(encoding, errors="replace")
        .decode("utf-16" if encoding == "utf-16" else encoding, errors="replace")
        .split()
        if w.isalnum()
    ]
    assert all(w in raw.text for w in words[:20])


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from([b"", b"\xff\xfe", b"\xef\xbb\xbf"]))
def test_any_bytes_named_txt_read_or_are_refused_in_one_line(data, bom):
    check_extracted(read(".txt", bom + data))


# -- the cleaner on hostile characters -----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_clean_drops_control_and_bidi_characters_and_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once
    assert not any(
        c in BIDI_CONTROLS or (unicodedata.category(c) == "Cc" and c != "\n") for c in once
    )


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_one_line_is_one_safe_line_and_idempotent(text):
    line = one_line(text)
    if line is None:
        return
    assert one_line(line) == line
    assert "\n" not in line and line == line.strip()
    assert not any(
        c in BIDI_CONTROLS or unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in line
    )


@pytest.mark.parametrize(
    "text", ["a\u202eb", "e\u200b\u0301", "x\x1b[2Jy", "1\x852", "\u2066\u2069"]
)
def test_clean_examples_of_hostile_characters(text):
    assert clean(clean(text)) == clean(text)
    assert not set(clean(text)) & set(BIDI_CONTROLS + "\x1b\x85\u200b")
