"""Hostile and broken input: every file gets one clear line, nothing crashes, nothing leaks.

The corpus is tests/fixtures/hostile/ (made by tests/fixtures/make_hostile.py); its
MANIFEST.toml says what each file must give. Limits are asserted, not timings: a bomb
is refused before anything is unpacked, a lying zip is read no further than it claims.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tomllib
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import COUNCIL, EXAMPLES, FIXTURES, INBOX, ROOT, json_lines, run
from council_papers.clean import BIDI_CONTROLS
from council_papers.errors import ReadError, RegisterError
from council_papers.models import Classified
from council_papers.read import read_file

HOSTILE = FIXTURES / "hostile"
MANIFEST = tomllib.loads((HOSTILE / "MANIFEST.toml").read_text(encoding="utf-8"))["file"]
READER_FILES = [f for f in MANIFEST if f["reader"] not in {"log", "template", "config"}]
EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = "2022-07-05"
GOOD = EXAMPLE / "inbox" / "2022-06-09-fwd-it-is-time-to-have-your-say.eml"
MB = 1024 * 1024


def of(reader: str) -> list[dict]:
    """The manifest entries read by *reader*."""
    return [f for f in MANIFEST if f["reader"] == reader]


def ids(entry: dict) -> str:
    return entry["name"]


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


def unsafe_characters(text: str) -> set[str]:
    """Control characters (other than tab and new line) and bidi overrides in *text*."""
    return {
        c
        for c in text
        if c in BIDI_CONTROLS or (unicodedata.category(c) == "Cc" and c not in "\t\n")
    }


# -- every reader's file: one answer, in one line ----------------------------------------


@pytest.mark.parametrize("entry", READER_FILES, ids=ids)
def test_each_hostile_file_gets_its_one_line_answer(entry):
    result = run("inspect", HOSTILE / entry["name"], "--json")
    no_traceback(result)
    (record,) = json_lines(result)
    if entry["outcome"] == "error":
        assert result.exit_code == 1
        assert entry["expect"] in record["error"]
        assert "\n" not in record["error"] and "please report" not in record["error"]
        assert not re.search(r"object at 0x|<_io\.", record["error"])  # no Python internals
        return
    assert record["error"] is None, record["error"]
    assert result.exit_code == 0
    if entry["outcome"] == "warning":
        assert [w for w in record["warnings"] if entry["expect"] in w], record["warnings"]
        assert all("\n" not in w for w in record["warnings"])
    else:
        assert record["warnings"] == []
        shown = " ".join(str(record[k]) for k in ("subject", "sender_org", "text"))
        assert entry["expect"] in shown


def test_the_corpus_covers_every_reader_and_stays_small():
    readers = {f["reader"] for f in MANIFEST}
    assert {"eml", "msg", "html", "txt", "pdf", "docx", "log", "template", "config"} <= readers
    for reader in ("eml", "msg", "html", "txt", "pdf", "docx"):
        names = {f["name"] for f in of(reader)}
        assert {f"empty.{reader}", f"garbage.{reader}"} <= names
        assert any(n.startswith("truncated") for n in names) or reader == "txt"
    assert all((HOSTILE / f["name"]).stat().st_size < MB for f in MANIFEST)


def test_a_batch_of_every_hostile_file_still_builds_the_good_log_and_pack(tmp_path):
    out = tmp_path / "out"
    files = [HOSTILE / f["name"] for f in READER_FILES]
    result = run(
        "build",
        EXAMPLE / "inbox",
        *files,
        "--meeting",
        MEETING,
        "--out",
        out,
        "--config",
        EXAMPLE / "council.toml",
    )
    no_traceback(result)
    assert result.exit_code == 1  # something could not be read: the status says so
    lines = result.stderr.splitlines()
    for entry in READER_FILES:
        path = str(HOSTILE / entry["name"])
        if entry["outcome"] == "error":
            mine = [ln for ln in lines if ln.startswith(f"could not read {path}: ")]
            assert len(mine) == 1 and entry["expect"] in mine[0], (entry["name"], mine)
        elif entry["outcome"] == "warning":
            mine = [ln for ln in lines if ln.startswith(f"warning: {path}: ")]
            assert len([ln for ln in mine if entry["expect"] in ln]) == 1, (entry["name"], mine)
    failed = sum(1 for f in READER_FILES if f["outcome"] == "error")
    assert f"{failed} could not be read." in result.stdout

    # the pack: seed 004's two agenda items, nothing hostile in their place
    document = docx.Document(str(out / f"police-matters-{MEETING}.docx"))
    agenda = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert agenda[1:] == [
        ["5.1", "Neighbourhood Alert", "It is time to have your say"],
        [
            "5.2",
            "Neighbourhood Alert",
            "Strategy to end violence against women and girls taking shape",
        ],
    ]
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert not unsafe_characters(text)
    assert "INJECTED BY SCRIPT" not in text and "root:x:0:0" not in text

    # the log: every Cambourne item, and a row for each readable hostile file only
    ws = openpyxl.load_workbook(out / "correspondence-log.xlsx")["Correspondence"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]
    sources = {Path(str(r["Source file"])).name for r in rows}
    assert {p.name for p in (EXAMPLE / "inbox").iterdir()} <= sources
    for entry in READER_FILES:
        assert (entry["name"] in sources) == (entry["outcome"] != "error"), entry["name"]
    for row in rows:
        for value in row.values():
            assert not (isinstance(value, str) and unsafe_characters(value)), row


# -- limits: refused before the work, configurable ----------------------------------------


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "huge-scan.pdf"
    with big.open("wb") as fh:  # a sparse 51 MB file: nothing is written to disk
        fh.truncate(51 * MB)
    result = run("inspect", big, INBOX / "na-alert-html.eml", "--json")
    records = {Path(r["path"]).name: r for r in json_lines(result)}
    assert records["huge-scan.pdf"]["error"] == (
        "too large (51.0 MB; the limit is 50 MB, set by [limits] max_file_mb)"
    )
    assert records["na-alert-html.eml"]["error"] is None
    assert result.exit_code == 1


def test_limits_come_from_the_council_toml(tmp_path):
    config = tmp_path / "council.toml"
    config.write_text(
        "[limits]\nmax_file_mb = 1\nmax_unpacked_mb = 0.05\nmax_nesting = 1\n", encoding="utf-8"
    )
    result = run(
        "inspect",
        "--config",
        config,
        "--json",
        INBOX / "word-report.docx",
        INBOX / "forward-as-attachment.eml",
        INBOX / "pasted-alert.txt",
    )
    errors = {Path(r["path"]).name: r["error"] for r in json_lines(result)}
    assert errors["word-report.docx"].startswith("refused: would unpack to 0.")
    assert errors["word-report.docx"].endswith("limit 0.05 MB, set by [limits] max_unpacked_mb)")
    assert (
        "nested more than 1 deep (set by [limits] max_nesting)"
        in errors["forward-as-attachment.eml"]
    )
    assert errors["pasted-alert.txt"] is None


def test_the_log_and_template_limits_come_from_the_council_toml(tmp_path):
    out = tmp_path / "out"
    result = run(
        "build",
        "--config",
        COUNCIL,
        INBOX / "na-alert-html.eml",
        "--meeting",
        MEETING,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    log = out / "correspondence-log.xlsx"
    before = log.read_bytes()
    config = tmp_path / "council.toml"
    config.write_text("[limits]\nmax_log_unpacked_mb = 0.01\n", encoding="utf-8")
    result = run("add", "--config", config, "--log", log, INBOX / "pasted-alert.txt")
    assert result.exit_code == 1
    assert "refused: would unpack to" in result.stderr
    assert "set by [limits] max_log_unpacked_mb)" in result.stderr
    assert log.read_bytes() == before  # refused, untouched
    config.write_text(
        '[council]\nname = "Lowerfield Parish Council"\n[limits]\nmax_unpacked_mb = 0.001\n',
        encoding="utf-8",
    )
    result = run("add", "--config", config, "--log", log, INBOX / "pasted-alert.txt")
    assert result.exit_code == 0, result.output  # the documents' limit is not the log's
    result = run(
        "pack",
        "--config",
        config,
        "--log",
        log,
        "--meeting",
        MEETING,
        "--pack",
        tmp_path / "pack.docx",
    )
    assert result.exit_code == 1
    assert "pack-template.docx: refused: would unpack to" in result.stderr
    assert "set by [limits] max_unpacked_mb)" in result.stderr


def _watch_zip_reads(monkeypatch) -> list[str]:
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(monkeypatch):
    opened = _watch_zip_reads(monkeypatch)
    with pytest.raises(ReadError, match=r"zip-bomb\.docx: refused: would unpack to 120 MB"):
        read_file(HOSTILE / "zip-bomb.docx", max_bytes=50 * MB)
    with pytest.raises(ReadError, match=r"many-parts\.docx: refused: 2505 parts inside"):
        read_file(HOSTILE / "many-parts.docx", max_bytes=50 * MB)
    assert opened == []  # only the central directory was read


def test_an_xlsx_bomb_is_refused_as_a_log_before_anything_is_unpacked(monkeypatch, tmp_path):
    from council_papers.register import add_records

    log = tmp_path / "log-bomb.xlsx"
    shutil.copy(HOSTILE / "log-bomb.xlsx", log)
    opened = _watch_zip_reads(monkeypatch)
    with pytest.raises(RegisterError, match="refused: would unpack to 120 MB"):
        add_records(log, [])
    assert opened == []


def test_a_zip_that_lies_about_its_sizes_is_read_no_further_than_it_claims():
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"lying-sizes\.docx: damaged Word document"):
            read_file(HOSTILE / "lying-sizes.docx", max_bytes=50 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB  # the member inflates to 20 MB; zipfile stops at the 4 KB claimed


def test_a_pdf_decompression_bomb_is_refused_within_pypdfs_limit():
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"pdf-bomb\.pdf: refused: .* decompression bomb"):
            read_file(HOSTILE / "pdf-bomb.pdf", max_bytes=50 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * MB  # the stream inflates to 400 MB; pypdf stops each copy at 75 MB


# -- nothing is written, nothing is fetched ---------------------------------------------

_EVENTS: list[tuple[str, tuple]] = []
_WATCHING = False


def _audit(event: str, args: tuple) -> None:
    if not _WATCHING:
        return
    if event == "open":
        _, mode, flags = args
        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
        if (isinstance(mode, str) and set(mode) & set("wax+")) or (flags or 0) & writes:
            _EVENTS.append((event, args))
    elif event.startswith("socket.") or event in {"urllib.Request", "http.client.connect"}:
        _EVENTS.append((event, args))


sys.addaudithook(_audit)  # audit hooks cannot be removed; _WATCHING switches it on


@pytest.fixture
def audited():
    """Record every file opened for writing and every socket event while the test runs."""
    global _WATCHING
    _EVENTS.clear()
    _WATCHING = True
    try:
        yield _EVENTS
    finally:
        _WATCHING = False


def test_attachments_are_never_written_anywhere(audited, tmp_path, monkeypatch):
    from council_papers.config import Config
    from council_papers.pipeline import inspect_paths

    path = HOSTILE / "attachment-traversal.eml"
    global _WATCHING
    _WATCHING = False
    inspect_paths([path], Config())  # imports and caches warmed outside the watch
    _WATCHING = True
    monkeypatch.chdir(tmp_path)
    report = inspect_paths([path], Config())
    (record,) = report.records
    assert isinstance(record, Classified) and "speedwatch volunteers" in record.text
    assert "root:x:0:0" not in record.text and "pwned" not in record.text
    assert audited == []  # not one file opened for writing
    assert list(tmp_path.iterdir()) == []
    assert not Path("/tmp/council-papers-pwned.sh").exists()


def test_remote_images_and_links_are_never_fetched(audited, tmp_path, monkeypatch):
    calls: list[object] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page, mail = HOSTILE / "remote-content.html", HOSTILE / "remote-content.eml"

    result = run("inspect", page, mail, "--json")
    assert result.exit_code == 0, result.output
    for record in json_lines(result):
        assert "speedwatch volunteers carried out 46 checks" in record["text"]
        assert "INJECTED BY SCRIPT" not in record["text"]
        assert "IFRAME FALLBACK TEXT" not in record["text"]
        assert "[full results](http://127.0.0.1:9/article)" in record["text"]  # kept, not followed
    result = run(
        "build", "--config", COUNCIL, page, mail, "--meeting", MEETING, "--out", tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"police-matters-{MEETING}.docx").is_file()
    assert calls == []
    assert [e for e in audited if e[0] != "open"] == []  # no socket event of any kind


# -- what reaches the log and the pack ---------------------------------------------------

FORMULAS = [f for f in MANIFEST if f["name"].startswith("formula-")]


def test_formula_subjects_and_senders_are_stored_as_text(tmp_path):
    log = tmp_path / "log.xlsx"
    result = run("add", "--log", log, *(HOSTILE / f["name"] for f in FORMULAS))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(log)["Correspondence"]
    header = [c.value for c in ws[1]]
    subject, sender = header.index("Subject"), header.index("From")
    cells = {(r[subject].value, r[subject].data_type) for r in ws.iter_rows(min_row=2)}
    for entry in FORMULAS:
        if entry["name"] != "formula-sender.eml":
            assert (entry["expect"], "s") in cells
    senders = [r[sender] for r in ws.iter_rows(min_row=2) if str(r[sender].value).startswith("=")]
    assert [(c.value, c.data_type) for c in senders] == [("=cmd|' /C calc'!A0 Police Team", "s")]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # no formula anywhere


def test_control_characters_and_rtl_override_are_neutralised_in_the_log_and_pack(tmp_path):
    """Decision: dropped at extraction (one-line fields) and in clean() (text); the pack and
    the log never see them, so a subject cannot reverse a table row or colour a terminal."""
    out = tmp_path / "out"
    result = run(
        "build",
        "--config",
        COUNCIL,
        HOSTILE / "control-chars.eml",
        "--meeting",
        MEETING,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert not unsafe_characters(result.output)
    want = "Speedwatch results [31mURGENT[0m invoicegnp.exe"
    ws = openpyxl.load_workbook(out / "correspondence-log.xlsx")["Correspondence"]
    header = [c.value for c in ws[1]]
    (row,) = ws.iter_rows(min_row=2, values_only=True)
    assert row[header.index("Subject")] == want
    texts = openpyxl.load_workbook(out / "correspondence-log.xlsx")["Texts"]
    stored = " ".join(str(v) for r in texts.iter_rows(values_only=True) for v in r if v)
    assert "Notice reversed text[2J here." in stored and not unsafe_characters(stored)
    document = docx.Document(str(out / f"police-matters-{MEETING}.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert want in cells
    assert not unsafe_characters(" ".join(cells + [p.text for p in document.paragraphs]))


def test_an_odd_file_name_is_reported_on_one_line(tmp_path):
    odd = tmp_path / "odd\nname\u202e\x1b[31m.eml"
    odd.write_bytes((HOSTILE / "garbage.eml").read_bytes())
    result = run("build", "--config", COUNCIL, odd, "--meeting", MEETING, "--out", tmp_path / "out")
    assert result.exit_code == 1
    mine = [ln for ln in result.stderr.splitlines() if "could not read" in ln]
    assert mine == [
        f"could not read {tmp_path}/odd\\nname\\u202e\\x1b[31m.eml: binary content, not an email"
    ]


# -- the log, the template and the config -------------------------------------------------


@pytest.fixture(scope="module")
def good_log(tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "correspondence-log.xlsx"
    result = run("add", "--log", log, GOOD)
    assert result.exit_code == 0, result.output
    return log


@pytest.mark.parametrize("entry", of("log"), ids=ids)
def test_a_hostile_log_is_refused_in_one_line_and_left_untouched(entry, tmp_path):
    log = tmp_path / entry["name"]
    shutil.copy(HOSTILE / entry["name"], log)
    lock = HOSTILE / f"~${entry['name']}"
    if lock.exists():
        shutil.copy(lock, tmp_path)
    before = log.read_bytes()
    result = run("add", "--log", log, GOOD)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line
    assert result.stderr.startswith(f"Error: {log}: ") and entry["expect"] in result.stderr
    assert log.read_bytes() == before


def test_a_read_only_log_is_refused_and_left_untouched(good_log, tmp_path):
    log = tmp_path / "correspondence-log.xlsx"
    shutil.copy(good_log, log)
    log.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = log.read_bytes()
    result = run("add", "--log", log, INBOX / "na-alert-html.eml")
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {log}: read-only: make it writable and run again"
    assert log.read_bytes() == before


@pytest.mark.parametrize("entry", of("template"), ids=ids)
def test_a_template_without_what_the_pack_needs_is_refused_or_made_good(entry, good_log, tmp_path):
    log = tmp_path / "log.xlsx"
    shutil.copy(good_log, log)
    result = run(
        "pack",
        "--config",
        COUNCIL,
        "--meeting",
        MEETING,
        "--log",
        log,
        "--template",
        HOSTILE / entry["name"],
        "--pack",
        tmp_path / "pack.docx",
    )
    no_traceback(result)
    if entry["outcome"] == "warning":  # what it lacks is made good, and the clerk told
        assert result.exit_code == 0, result.output
        assert f"warning: {HOSTILE / entry['name']}: {entry['expect']}" in result.stderr
        assert (tmp_path / "pack.docx").is_file()
        return
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {HOSTILE / entry['name']}: ")
    assert entry["expect"] in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "pack.docx").exists()


@pytest.mark.parametrize("entry", of("config"), ids=ids)
def test_a_broken_council_toml_is_refused_in_one_line(entry):
    result = run("inspect", "--config", HOSTILE / entry["name"], GOOD)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {HOSTILE / entry['name']}: ")
    assert entry["expect"] in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- --verbose ----------------------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "council_papers", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_verbose_shows_the_traceback_of_an_expected_failure(tmp_path):
    log = tmp_path / "log.xlsx"
    shutil.copy(HOSTILE / "log-corrupt.xlsx", log)
    quiet = _cli("add", "--log", log, GOOD)
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    assert re.fullmatch(rf"Error: {re.escape(str(log))}: .*not a zip.*\n", quiet.stderr)
    loud = _cli("--verbose", "add", "--log", log, GOOD)
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr and "RegisterError" in loud.stderr
    # and for a file that cannot be read, inside a batch
    loud = _cli("--verbose", "inspect", HOSTILE / "garbage.pdf")
    assert loud.returncode == 1 and "Traceback (most recent call last)" in loud.stderr
