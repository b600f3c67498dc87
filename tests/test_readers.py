"""Every reader, on realistic fixture files, against the ground truth in MANIFEST.toml.

The fixtures are written by tests/fixtures/make_fixtures.py (regenerate with
`python tests/fixtures/make_fixtures.py`); the manifest states what each file
really holds: original sender, subject, date, forwarder, author, articles.
"""

from __future__ import annotations

import tomllib

import pytest

from conftest import BROKEN, INBOX, json_lines, run

MANIFEST = tomllib.loads((INBOX / "MANIFEST.toml").read_text(encoding="utf-8"))
READABLE = [f for f in MANIFEST["file"] if not f.get("error")]
BROKEN_MANIFEST = tomllib.loads((BROKEN / "MANIFEST.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    result = run("inspect", INBOX, "--json")
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
        assert result.exit_code == 0
        return
    rec = recs[broken["name"]]
    if broken.get("readable"):
        assert rec["error"] is None
        assert result.exit_code == 0
    else:
        assert rec["error"] and "\n" not in rec["error"]
        assert result.exit_code == 1
