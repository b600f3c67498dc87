"""Mailboxes as inputs: a real IMAP server (Dovecot), mbox files and Maildirs.

The IMAP tests APPEND real messages to a private Dovecot (see tests/dovecot.py) and
fetch them through the CLI; they skip when Dovecot is not installed (.ci/run installs it).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import mailbox
import re
import socket
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import COUNCIL, EXAMPLES, FIXTURES, INBOX, run
from council_papers.config import load_config
from council_papers.errors import ConfigError, MailboxError
from council_papers.read.imap import imap_date, quote_folder
from council_papers.read.mailbox import ImapMailbox, parse_mailbox_url

EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = "2022-07-05"
HOSTILE = FIXTURES / "hostile" / "nested-multipart.eml"
_folders = itertools.count(1)


def folder_name() -> str:
    """A folder of its own for each test: UIDs and UIDVALIDITY never shared."""
    return f"Police{next(_folders)}"


def saved(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


def sent(path: Path) -> float:
    """When a saved message says it was sent: APPENDed as its received time."""
    return email.utils.parsedate_to_datetime(
        re.search(rb"^Date: (.+)$", path.read_bytes(), re.M)[1].decode().strip()  # type: ignore[index]
    ).timestamp()


def new_message(subject: str, day: dt.date) -> bytes:
    """A Neighbourhood Alert message no fixture holds."""
    msg = EmailMessage()
    msg["From"] = "Cambridgeshire Police <noreply@neighbourhoodalert.co.uk>"
    msg["To"] = "clerk@cambourne.test"
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(
        dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=dt.UTC)
    )
    msg["Message-ID"] = f"<{abs(hash(subject))}@neighbourhoodalert.co.uk>"
    msg.set_content(
        f"{subject}.\n\nCambourne Speedwatch needs volunteers for the summer "
        "sessions on the High Street. Message Sent By Inspector Shane Fasey."
    )
    return msg.as_bytes()


def at(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC).timestamp()


def log_rows(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["Correspondence"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]


def without_source(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "Source file"} for r in rows]


def pack_projection(path: Path) -> tuple[list, list]:
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def failure_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("could not read ")]


@pytest.fixture
def imap_env(dovecot, monkeypatch):
    """The clerk's password in the environment and the test CA trusted, as a council's own."""
    import dovecot as server

    monkeypatch.setenv("COUNCIL_PAPERS_IMAP_PASSWORD", server.PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca))
    return dovecot


# -- IMAP against Dovecot -------------------------------------------------------------


def test_each_message_is_added_once_and_a_new_one_adds_one(imap_env, tmp_path):
    folder = folder_name()
    messages = saved(INBOX)
    imap_env.fill(folder, [p.read_bytes() for p in messages])
    log = tmp_path / "log.xlsx"
    first = run("add", imap_env.url(folder), "--log", log)
    assert first.exit_code == 0, first.output
    rows = log_rows(log)
    assert len(rows) == len(messages) == 7
    assert all(
        re.fullmatch(
            rf"imaps://clerk%40cambourne\.test@127\.0\.0\.1:{imap_env.imaps_port}/"
            rf"{folder};UIDVALIDITY=\d+/;UID={n}",
            r["Source file"],
        )
        for n, r in enumerate(rows, start=1)
    )
    again = run("add", imap_env.url(folder), "--log", log)
    assert again.exit_code == 0, again.output
    assert "0 row(s) added" in again.output and len(log_rows(log)) == 7
    imap_env.fill(folder, [new_message("Speedwatch volunteers wanted", dt.date(2022, 7, 1))])
    third = run("add", imap_env.url(folder), "--log", log)
    assert third.exit_code == 0, third.output
    assert "1 row(s) added" in third.output
    assert log_rows(log)[-1]["Subject"] == "Speedwatch volunteers wanted"
    # read-only: EXAMINE and BODY.PEEK[] left every message unread
    assert not any(b"\\Seen" in flags for flags in imap_env.flags(folder))


def test_build_from_the_mailbox_matches_build_from_the_saved_files(imap_env, tmp_path):
    folder = folder_name()
    files = saved(EXAMPLE / "inbox")
    imap_env.fill(folder, [p.read_bytes() for p in files], when=[sent(p) for p in files])
    config = EXAMPLE / "council.toml"
    by_mail = run(
        "build",
        imap_env.url(folder),
        "--meeting",
        MEETING,
        "--out",
        tmp_path / "mail",
        "--config",
        config,
    )
    by_file = run(
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        tmp_path / "file",
        "--config",
        config,
    )
    assert by_mail.exit_code == 0, by_mail.output
    assert by_file.exit_code == 0, by_file.output
    mail_log, file_log = (tmp_path / d / "correspondence-log.xlsx" for d in ("mail", "file"))
    assert len(log_rows(mail_log)) == 9
    assert without_source(log_rows(mail_log)) == without_source(log_rows(file_log))
    pack = f"police-matters-{MEETING}.docx"
    assert pack_projection(tmp_path / "mail" / pack) == pack_projection(tmp_path / "file" / pack)

    # again: nothing new, the same pack
    again = run(
        "build",
        imap_env.url(folder),
        "--meeting",
        MEETING,
        "--out",
        tmp_path / "mail",
        "--config",
        config,
    )
    assert again.exit_code == 0, again.output
    assert "0 row(s) added" in again.output
    assert pack_projection(tmp_path / "mail" / pack) == pack_projection(tmp_path / "file" / pack)

    # by default only mail since the last meeting is fetched; --since reaches further back
    imap_env.fill(
        folder,
        [
            new_message("Speedwatch volunteers wanted", dt.date(2022, 7, 8)),
            new_message("Bike marking in May", dt.date(2022, 5, 2)),
        ],
        when=[at(dt.date(2022, 7, 8)), at(dt.date(2022, 5, 2))],
    )
    later = run("add", imap_env.url(folder), "--log", mail_log, "--config", config)
    assert "1 row(s) added" in later.output, later.output
    assert log_rows(mail_log)[-1]["Subject"] == "Speedwatch volunteers wanted"
    back = run(
        "add", imap_env.url(folder), "--log", mail_log, "--config", config, "--since", "2022-01-01"
    )
    assert "1 row(s) added" in back.output, back.output
    assert log_rows(mail_log)[-1]["Subject"] == "Bike marking in May"
    assert (
        "0 row(s) added"
        in run("add", imap_env.url(folder), "--log", mail_log, "--since", "all").output
    )


def test_a_message_already_saved_as_a_file_is_not_logged_twice(imap_env, tmp_path):
    folder = folder_name()
    log = tmp_path / "log.xlsx"
    assert run("add", INBOX / "na-alert-html.eml", "--log", log).exit_code == 0
    imap_env.fill(
        folder,
        [
            (INBOX / "na-alert-html.eml").read_bytes(),
            (INBOX / "govdelivery-bulletin.eml").read_bytes(),
        ],
    )
    result = run("add", imap_env.url(folder), "--log", log)
    assert result.exit_code == 0, result.output
    assert "1 row(s) added" in result.output
    assert "already in the log as" in result.output
    assert log_rows(log)[0]["Subject"] == "Free property marking event in Cambourne"
    assert len(log_rows(log)) == 2


def test_a_hostile_message_is_reported_in_one_line_and_the_rest_go_through(imap_env, tmp_path):
    folder = folder_name()
    imap_env.fill(
        folder,
        [
            (INBOX / "na-alert-html.eml").read_bytes(),
            HOSTILE.read_bytes(),
            (INBOX / "gmail-forward.eml").read_bytes(),
        ],
    )
    log = tmp_path / "log.xlsx"
    result = run("add", imap_env.url(folder), "--log", log)
    assert result.exit_code == 1
    (line,) = failure_lines(result.output)
    assert f"/{folder};UIDVALIDITY=" in line and ";UID=2: refused: parts nested more than" in line
    assert len(log_rows(log)) == 2


def test_starttls_on_the_imap_port(imap_env, tmp_path):
    folder = folder_name()
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
    result = run("inspect", imap_env.url(folder, scheme="imap"))
    assert result.exit_code == 0, result.output
    assert "Free property marking event in Cambourne" in result.output
    assert (
        f"imap://clerk%40cambourne.test@127.0.0.1:{imap_env.imap_port}/{folder};" in result.output
    )


def test_unencrypted_only_when_the_config_says_so_and_with_a_warning(imap_env, tmp_path, caplog):
    from council_papers.config import Config
    from council_papers.pipeline import inspect_paths

    folder = folder_name()
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
    import dovecot as server

    box = ImapMailbox(
        host="127.0.0.1",
        port=imap_env.imap_port,
        user=server.USER,
        folder=folder,
        security="unencrypted",
    )
    report = inspect_paths([box], Config())
    assert [r.subject for r in report.records] == ["Free property marking event in Cambourne"]
    assert any(
        "unencrypted connection" in r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING"
    )


@pytest.mark.parametrize(
    ("case", "expect"),
    [
        pytest.param(
            "password", "the server refused the user name or password", id="wrong-password"
        ),
        pytest.param("folder", "no folder 'Nope' on the server", id="unknown-folder"),
        pytest.param("down", "refused the connection: the server is down", id="server-down"),
        pytest.param("certificate", "the server's certificate is not trusted", id="untrusted"),
    ],
)
def test_a_mailbox_that_cannot_be_read_gives_one_line_and_no_row_is_lost(
    imap_env, tmp_path, monkeypatch, case, expect
):
    folder = folder_name()
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
    url = imap_env.url(folder)
    log = tmp_path / "log.xlsx"
    assert run("add", INBOX / "gmail-forward.eml", "--log", log).exit_code == 0
    if case == "password":
        monkeypatch.setenv("COUNCIL_PAPERS_IMAP_PASSWORD", "not the password")
    elif case == "folder":
        url = imap_env.url("Nope")
    elif case == "down":
        url = url.replace(f":{imap_env.imaps_port}/", f":{_closed_port()}/")
    else:  # the system's trust store has never heard of the test CA
        monkeypatch.delenv("SSL_CERT_FILE")
    # a saved file given alongside still goes through
    result = run("add", url, INBOX / "govdelivery-bulletin.eml", "--log", log)
    assert result.exit_code == 1
    (line,) = failure_lines(result.output)
    assert expect in line, line
    assert line.startswith("could not read imaps://clerk%40cambourne.test@127.0.0.1:")
    assert len(log_rows(log)) == 2  # the earlier row kept, the saved file added


def _closed_port() -> int:
    from dovecot import free_port

    return free_port()


@pytest.mark.parametrize("change", ["new-uidvalidity", "deleted"])
def test_the_folder_changing_during_the_fetch_keeps_what_was_taken(imap_env, tmp_path, change):
    import subprocess

    import dovecot as server

    from council_papers.config import Config
    from council_papers.pipeline import add_paths

    folder = folder_name()
    imap_env.fill(
        folder,
        [(INBOX / "na-alert-html.eml").read_bytes(), (INBOX / "gmail-forward.eml").read_bytes()],
    )
    seen = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append((done, total))
        if done != 1:
            return
        if change == "deleted":  # the folder is deleted under the fetch
            with imap_env.client() as client:
                client.delete(f'"{folder}"')
        else:  # rebuilt: the UIDs no longer name the same messages
            subprocess.run(
                [
                    "doveadm",
                    "-c",
                    str(imap_env.folder / "dovecot.conf"),
                    "mailbox",
                    "update",
                    "-u",
                    server.USER,
                    "--uid-validity",
                    "12345",
                    folder,
                ],
                check=True,
                timeout=30,
            )

    box = ImapMailbox(host="127.0.0.1", port=imap_env.imaps_port, user=server.USER, folder=folder)
    report = add_paths([box], Config(), tmp_path / "log.xlsx", progress=progress)
    assert seen == [(1, 2)]
    assert len(report.added) == 1  # the message taken before the change is kept
    (failed,) = report.inspected.failed
    assert failed.path == box.label
    assert "the server ended the session during the fetch" in (failed.error or "")
    assert "1 of 2 message(s) taken; run again for the rest" in (failed.error or "")


def test_a_new_uidvalidity_is_noticed_even_if_the_server_carries_on(imap_env):
    import dovecot as server

    from council_papers.read import imap

    folder = folder_name()
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
    box = ImapMailbox(host="127.0.0.1", port=imap_env.imaps_port, user=server.USER, folder=folder)
    with imap_env.client() as client:
        validity = imap._examine(client, box)
        imap._check_unchanged(client, box, validity, 0, 1)  # the same folder: no complaint
        with pytest.raises(MailboxError, match="the folder changed on the server during the fetch"):
            imap._check_unchanged(client, box, validity + 1, 0, 1)


def test_the_password_can_be_typed_when_asked(imap_env, tmp_path, monkeypatch):
    import dovecot as server
    from click.testing import CliRunner

    from council_papers.cli import cli

    monkeypatch.delenv("COUNCIL_PAPERS_IMAP_PASSWORD")
    folder = folder_name()
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
    result = CliRunner().invoke(
        cli,
        ["add", imap_env.url(folder), "--log", str(tmp_path / "l.xlsx")],
        input=server.PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password for imaps://clerk%40cambourne.test@127.0.0.1:" in result.output
    assert server.PASSWORD not in result.output  # typed unseen
    assert "1 row(s) added" in result.output


def test_the_password_can_come_from_the_system_keyring(imap_env, tmp_path, monkeypatch):
    keyring = pytest.importorskip("keyring")
    import dovecot as server
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        """A keyring held in memory, as the system's would hold it."""

        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.held: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.held.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.held[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.held.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        monkeypatch.delenv("COUNCIL_PAPERS_IMAP_PASSWORD")
        keyring.set_password("council-papers:127.0.0.1", server.USER, server.PASSWORD)
        folder = folder_name()
        imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes()])
        result = run("add", imap_env.url(folder), "--log", tmp_path / "log.xlsx")
    finally:
        keyring.set_keyring(before)
    assert result.exit_code == 0, result.output
    assert "Password for" not in result.output  # not asked
    assert "1 row(s) added" in result.output


def test_a_message_over_the_size_limit_is_not_downloaded(imap_env, tmp_path):
    folder = folder_name()
    big = new_message("Speedwatch volunteers wanted", dt.date(2022, 7, 1)) + b"x" * 30_000
    imap_env.fill(folder, [(INBOX / "na-alert-html.eml").read_bytes(), big])
    (tmp_path / "council.toml").write_text("[limits]\nmax_file_mb = 0.02\n")
    result = run(
        "add",
        imap_env.url(folder),
        "--log",
        tmp_path / "log.xlsx",
        "--config",
        tmp_path / "council.toml",
    )
    assert result.exit_code == 1
    (line,) = failure_lines(result.output)
    assert ";UID=2: too large (0.0 MB; the limit is 0 MB, set by [limits] max_file_mb)" in line
    assert len(log_rows(tmp_path / "log.xlsx")) == 1


def test_a_gmail_label_on_another_server_says_so(imap_env, tmp_path):
    import dovecot as server

    (tmp_path / "council.toml").write_text(
        f'[mailbox]\nhost = "127.0.0.1"\nport = {imap_env.imaps_port}\nuser = "{server.USER}"\n'
        'gmail_label = "Police"\n'
    )
    result = run("inspect", "--config", tmp_path / "council.toml")
    assert result.exit_code == 1
    assert "gmail_label works only with Gmail's server" in result.output


def test_a_server_that_never_answers_times_out_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNCIL_PAPERS_IMAP_PASSWORD", "secret")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never says a word
        port = silent.getsockname()[1]
        (tmp_path / "council.toml").write_text(
            f'[mailbox]\nhost = "127.0.0.1"\nport = {port}\nuser = "clerk"\ntimeout = 1\n'
        )
        result = run("add", "--config", tmp_path / "council.toml", "--log", tmp_path / "log.xlsx")
    assert result.exit_code == 1
    (line,) = failure_lines(result.output)
    assert f"no answer from 127.0.0.1:{port} within 1 seconds" in line


def test_no_password_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNCIL_PAPERS_IMAP_PASSWORD", raising=False)
    result = run("add", "imaps://clerk@127.0.0.1:1/INBOX", "--log", tmp_path / "log.xlsx")
    assert result.exit_code == 1
    assert "no password: set COUNCIL_PAPERS_IMAP_PASSWORD" in result.output


def test_no_input_and_no_mailbox_in_the_config_is_a_usage_error(tmp_path):
    result = run("add", "--log", tmp_path / "log.xlsx")
    assert result.exit_code == 2
    assert "give files, folders or a mailbox" in result.output


# -- mbox and Maildir ------------------------------------------------------------------


def write_mailbox(kind: str, where: Path, messages: list[bytes]) -> Path:
    """An mbox file (as Thunderbird or Google Takeout write) or a Maildir holding *messages*."""
    box: mailbox.Mailbox = mailbox.mbox(where) if kind == "mbox" else mailbox.Maildir(where)
    for data in messages:
        box.add(data)
    box.close()
    return where


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_build_from_an_mbox_or_maildir_matches_build_from_the_saved_files(kind, tmp_path):
    files = saved(EXAMPLE / "inbox")
    box = write_mailbox(
        kind,
        tmp_path / ("Police.mbox" if kind == "mbox" else "Police"),
        [p.read_bytes() for p in files],
    )
    config = EXAMPLE / "council.toml"
    by_box = run("build", box, "--meeting", MEETING, "--out", tmp_path / "box", "--config", config)
    by_file = run(
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        tmp_path / "file",
        "--config",
        config,
    )
    assert by_box.exit_code == 0, by_box.output
    assert by_file.exit_code == 0, by_file.output
    box_log, file_log = (tmp_path / d / "correspondence-log.xlsx" for d in ("box", "file"))
    assert len(log_rows(box_log)) == 9
    assert without_source(log_rows(box_log)) == without_source(log_rows(file_log))
    assert all(r["Source file"].startswith(f"{box}#") for r in log_rows(box_log))
    pack = f"police-matters-{MEETING}.docx"
    assert pack_projection(tmp_path / "box" / pack) == pack_projection(tmp_path / "file" / pack)
    again = run("add", box, "--log", box_log, "--since", "all")
    assert "0 row(s) added" in again.output


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_a_hostile_message_in_an_mbox_or_maildir_is_one_line(kind, tmp_path):
    box = write_mailbox(
        kind,
        tmp_path / ("Inbox.mbox" if kind == "mbox" else "Inbox"),
        [
            (INBOX / "na-alert-html.eml").read_bytes(),
            (FIXTURES / "hostile" / "garbage.eml").read_bytes(),
            (INBOX / "gmail-forward.eml").read_bytes(),
        ],
    )
    result = run("add", box, "--log", tmp_path / "log.xlsx")
    assert result.exit_code == 1
    (line,) = failure_lines(result.output)
    assert line.startswith(f"could not read {box}#") and "binary content" in line
    assert len(log_rows(tmp_path / "log.xlsx")) == 2


def test_an_mbox_is_read_from_the_last_meeting_on_unless_asked(tmp_path):
    files = saved(EXAMPLE / "inbox")
    box = write_mailbox("mbox", tmp_path / "Police.mbox", [p.read_bytes() for p in files])
    out = tmp_path / "out"
    assert run("build", "--config", COUNCIL, box, "--meeting", MEETING, "--out", out).exit_code == 0
    write_mailbox(
        "mbox",
        box,
        [
            new_message("Bike marking in May", dt.date(2022, 5, 2)),
            new_message("Speedwatch volunteers wanted", dt.date(2022, 7, 8)),
        ],
    )
    log = out / "correspondence-log.xlsx"
    later = run("add", box, "--log", log)
    assert "1 row(s) added" in later.output, later.output
    assert log_rows(log)[-1]["Subject"] == "Speedwatch volunteers wanted"
    back = run("add", box, "--log", log, "--since", "all")
    assert "1 row(s) added" in back.output, back.output
    assert log_rows(log)[-1]["Subject"] == "Bike marking in May"


def test_a_thunderbird_folder_is_found_inside_a_folder(tmp_path):
    mail = tmp_path / "Local Folders"
    mail.mkdir()
    write_mailbox(
        "mbox",
        mail / "Police",
        [(INBOX / "na-alert-html.eml").read_bytes(), (INBOX / "gmail-forward.eml").read_bytes()],
    )
    (mail / "Police.msf").write_text("// Thunderbird's index")
    maildir = write_mailbox(
        "maildir", tmp_path / "Maildir", [(INBOX / "apple-forward.eml").read_bytes()]
    )
    result = run("add", tmp_path, "--log", tmp_path / "log.xlsx")
    assert result.exit_code == 0, result.output
    sources = [r["Source file"] for r in log_rows(tmp_path / "log.xlsx")]
    assert sources[:2] == [f"{mail / 'Police'}#1", f"{mail / 'Police'}#2"]
    assert sources[2].startswith(f"{maildir}#")


# -- addresses and settings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host", "port", "user", "folder", "security"),
    [
        pytest.param(
            "imaps://clerk@mail.example.org/INBOX",
            "mail.example.org",
            None,
            "clerk",
            "INBOX",
            "tls",
            id="imaps",
        ),
        pytest.param(
            "imaps://clerk@gmail.com@imap.gmail.com/Police",
            "imap.gmail.com",
            None,
            "clerk@gmail.com",
            "Police",
            "tls",
            id="address-as-user",
        ),
        pytest.param(
            "imaps://clerk%40town.gov.uk@mail.town.gov.uk:10993/Police%20Matters",
            "mail.town.gov.uk",
            10993,
            "clerk@town.gov.uk",
            "Police Matters",
            "tls",
            id="quoted",
        ),
        pytest.param(
            "imap://clerk@[::1]:143/INBOX/Police",
            "::1",
            143,
            "clerk",
            "INBOX/Police",
            "starttls",
            id="imap-is-starttls",
        ),
        pytest.param("IMAPS://clerk@host", "host", None, "clerk", "INBOX", "tls", id="no-folder"),
    ],
)
def test_a_mailbox_address_is_read(url, host, port, user, folder, security):
    box = parse_mailbox_url(url)
    assert (box.host, box.port, box.user, box.folder, box.security) == (
        host,
        port,
        user,
        folder,
        security,
    )


@pytest.mark.parametrize(
    "url",
    [
        "imaps://mail.example.org/INBOX",
        "imaps://clerk@host:99999/INBOX",
        "imaps://clerk@host/INBOX?x=1",
    ],
)
def test_a_wrong_mailbox_address_says_how_to_write_one(url):
    with pytest.raises(MailboxError, match=re.escape(url)):
        parse_mailbox_url(url)


def test_a_password_in_the_address_is_refused_without_repeating_it():
    with pytest.raises(MailboxError, match="the password does not go in the address") as caught:
        parse_mailbox_url("imaps://clerk:hunter2@mail.example.org/INBOX")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("imaps://clerk%40x.gov.uk@mail.x.gov.uk/Police;UIDVALIDITY=17/;UID=7", "Police;UID=7"),
        ("imaps://clerk@mail.x.gov.uk:10993/INBOX/Police", "INBOX/Police"),
        ("inbox/2022-06-09-fwd.eml", "2022-06-09-fwd.eml"),
        ("mail/Police.mbox#3", "Police.mbox#3"),
    ],
)
def test_a_message_is_named_on_one_line_by_its_folder_and_uid(label, shown):
    from council_papers.cli import _name

    assert _name(label) == shown


def test_folder_names_are_quoted_for_imap():
    assert quote_folder("Police") == '"Police"'
    assert quote_folder("Entwürfe & Co") == '"Entw&APw-rfe &- Co"'
    assert quote_folder('say "hi"') == '"say \\"hi\\""'
    assert imap_date(dt.date(2022, 7, 5)) == "5-Jul-2022"


def test_the_mailbox_section_of_council_toml(tmp_path):
    toml = tmp_path / "council.toml"
    toml.write_text(
        '[mailbox]\nhost = "imap.gmail.com"\nuser = "clerk@gmail.com"\n'
        'folder = "Police"\nsince = 2024-09-01\ngmail_label = "Police"\n'
    )
    box = load_config(toml).mailbox
    assert box == ImapMailbox(
        host="imap.gmail.com",
        user="clerk@gmail.com",
        folder="Police",
        since=dt.date(2024, 9, 1),
        gmail_label="Police",
    )
    assert box.real_port == 993


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            'host = "h"\nuser = "u"\npassword = "x"',
            "password never goes in council.toml",
            id="password",
        ),
        pytest.param(
            'host = "h"\nuser = "u"\nsecurity = "none"',
            "security 'none' must be one of",
            id="security",
        ),
        pytest.param('host = "h"', "needs user", id="no-user"),
        pytest.param(
            'host = "h"\nuser = "u"\nsince = "last week"', "since must be a date", id="since"
        ),
        pytest.param(
            'host = "h"\nuser = "u"\nlabel = "x"', "[mailbox]: unknown key 'label'", id="key"
        ),
    ],
)
def test_a_wrong_mailbox_section_is_one_line(tmp_path, body, message):
    toml = tmp_path / "council.toml"
    toml.write_text(f"[mailbox]\n{body}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(toml)
