"""Every reader, on realistic fixture files, against the ground truth in MANIFEST.toml.

The fixtures are written by tests/fixtures/make_fixtures.py (regenerate with
`python tests/fixtures/make_fixtures.py`); the manifest states what each file
really holds: original sender, subject, date, forwarder, author, articles.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import BROKEN, EXAMPLES, FIXTURES, INBOX, json_lines, run
from council_papers.read import eml, read_file

MANIFEST = tomllib.loads((INBOX / "MANIFEST.toml").read_text(encoding="utf-8"))
READABLE = [f for f in MANIFEST["file"] if not f.get("error")]
BROKEN_MANIFEST = tomllib.loads((BROKEN / "MANIFEST.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    # the fixtures are a Cambridgeshire council's mail: its own force, PCC and platform
    result = run(
        "inspect", INBOX, "--json", "--config", EXAMPLES / "cambourne-2022-07" / "council.toml"
    )
    return {rec["path"].rsplit("/", 1)[-1]: rec for rec in json_lines(result)}


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("expected", READABLE, ids=lambda f: f["name"])
def test_reader_recovers_the_original(records, expected):
    rec = records[expected["name"]]
    if expected.get("error_contains"):
        assert expected["error_contains"] in (rec["error"] or "")
        return
    if expected.get("encrypted"):
        assert "password" in rec["error"]
        return
    assert rec["error"] is None
    assert rec["format"] == expected["format"]
    if expected.get("needs_ocr"):
        assert any("needs OCR" in w for w in rec["warnings"])
        assert rec["text"] == ""
    assert rec["sender_org"] == expected.get("organisation")
    assert rec["subject"] == expected.get("subject")
    assert rec["date"] == expected.get("date")
    if "forwarded_by" in expected:
        assert expected["forwarded_by"] in (rec["forwarded_by"] or "")
    else:
        assert rec["forwarded_by"] is None
    if "author" in expected:
        assert rec["author"] is not None and rec["author"].startswith(expected["author"])
    body = _norm(rec["text"])
    for wanted in expected.get("body_contains", []):
        assert _norm(wanted) in body, wanted
    for unwanted in expected.get("body_excludes", []):
        assert _norm(unwanted) not in body, unwanted
    if "articles" in expected:
        got = [(a["headline"], a["theme"]) for a in rec["articles"]]
        want = [(a.get("headline"), a.get("theme")) for a in expected["articles"]]
        assert got == want


def test_hidden_and_lock_files_are_skipped_and_unknown_suffixes_reported():
    result = run("inspect", INBOX, BROKEN / "unknown.xyz", "--json")
    names = {rec["path"].rsplit("/", 1)[-1] for rec in json_lines(result)}
    assert "~$word-report.docx" not in names and ".DS_Store" not in names
    assert "unknown.xyz: no reader for '.xyz' files" in result.stderr


@pytest.mark.parametrize("broken", BROKEN_MANIFEST["file"], ids=lambda f: f["name"])
def test_a_broken_file_gets_a_one_line_reason_and_the_batch_goes_on(broken):
    path = BROKEN / broken["name"]
    result = run("inspect", path, INBOX / "na-alert-html.eml", "--json")
    recs = {r["path"].rsplit("/", 1)[-1]: r for r in json_lines(result)}
    assert recs["na-alert-html.eml"]["error"] is None  # the good file still goes through
    if path.suffix == ".xyz":
        assert result.exit_code == 1  # a file named on the command line that nothing reads
        return
    rec = recs[broken["name"]]
    if broken.get("readable"):
        assert rec["error"] is None
        assert result.exit_code == 0
    else:
        assert rec["error"] and "\n" not in rec["error"]
        assert result.exit_code == 1


def test_word_headings_come_from_the_title_and_heading_styles():
    spec = next(f for f in MANIFEST["file"] if f["name"] == "word-report.docx")
    raw = read_file(INBOX / "word-report.docx", max_bytes=10_000_000)
    assert raw.headings == (spec["title"], *spec["headings"])


EMAILS = sorted(
    p
    for folder in (INBOX, BROKEN, FIXTURES / "classify", FIXTURES / "hostile")
    for p in folder.rglob("*.eml")
)

RELATED = b"""From: Parish Clerk <clerk@example.org>
Subject: Newsletter with a logo
Date: Mon, 4 Jul 2022 09:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"; start="<second@x>"

--rel
Content-Type: text/html; charset=utf-8
Content-ID: <first@x>

<p>Not the start part.</p>
--rel
Content-Type: multipart/alternative; boundary="alt"
Content-ID: <second@x>

--alt
Content-Type: text/plain; charset=utf-8

The start part, plain.
--alt
Content-Type: text/html; charset=utf-8

<p>The start part, HTML.</p>
--alt--
--rel--
"""

ATTACHMENT_FIRST = b"""From: Cllr Jones <jones@example.org>
Subject: Fwd: notes
Date: Mon, 4 Jul 2022 09:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: text/plain; charset=utf-8; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"

An attached text file, not the body.
--mix
Content-Type: text/plain; charset=utf-8

The body.
--mix--
"""


@pytest.mark.parametrize(
    "data",
    [
        *(pytest.param(p, id=p.name) for p in EMAILS),
        pytest.param(RELATED, id="related-with-start"),
        pytest.param(ATTACHMENT_FIRST, id="attachment-first"),
    ],
)
def test_body_parts_are_the_ones_the_stdlib_picks(data):
    """The reader finds bodies without the stdlib's get_body (which re-parses headers
    a dozen times a message), and must pick the very parts get_body picks."""
    msg = BytesParser(policy=policy.default).parsebytes(
        data.read_bytes() if isinstance(data, Path) else data
    )
    try:
        want = (msg.get_body(preferencelist=("plain",)), msg.get_body(preferencelist=("html",)))
    except Exception as err:  # junk headers the stdlib cannot parse: nothing to compare
        pytest.skip(f"the stdlib's get_body fails on this file: {type(err).__name__}")
    plain, html = eml._bodies(msg)
    assert plain is want[0] and html is want[1]


def test_an_outlook_message_whose_html_is_nested_too_deeply_says_so(tmp_path):
    sys.path.insert(0, str(FIXTURES))
    try:
        from make_fixtures import build_msg
    finally:
        sys.path.remove(str(FIXTURES))
    deep = "<div>" * 300 + "<p>Buried beyond the parser's depth limit.</p>" + "</div>" * 300
    sent = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    data = build_msg(
        subject="Speedwatch results",
        sender_name="PCSO Amy Lee",
        sender_email="amy.lee@cambs.police.uk",
        to_name="Clerk",
        to_email="clerk@example.org",
        sent=sent,
        delivered=sent,
        body="See below.",
        html_body=f"<html><body><p>Speedwatch volunteers carried out 46 checks in March.</p>{deep}"
        "</body></html>",
        message_id="<deep@example.org>",
    )
    path = tmp_path / "deep.msg"
    path.write_bytes(data)
    raw = read_file(path, max_bytes=10_000_000)
    assert "46 checks" in raw.text
    assert any("nested too deeply" in w for w in raw.warnings), raw.warnings
