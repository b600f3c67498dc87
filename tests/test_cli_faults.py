"""The command line's answers to a clerk's slips (issue 14: points 6, 7, 9, 10, 11)."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import COUNCIL, EXAMPLES, INBOX, run
from council_papers.cli import cli
from council_papers.errors import ConfigError

EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = "2022-07-05"


# -- 6: an --out that cannot be a folder ---------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="/proc is Linux's")
def test_build_out_under_proc_is_one_line(tmp_path, monkeypatch):
    result = run(
        "build",
        "--config",
        COUNCIL,
        INBOX / "na-alert-html.eml",
        "--meeting",
        MEETING,
        "--out",
        "/proc/nope",
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: /proc/nope: cannot make the folder (No such file or directory)"
    ]


def test_build_out_inside_a_file_is_one_line(tmp_path, monkeypatch):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    result = run(
        "build",
        "--config",
        COUNCIL,
        INBOX / "na-alert-html.eml",
        "--meeting",
        MEETING,
        "--out",
        a_file / "sub",
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {a_file / 'sub'}: cannot make the folder (Not a directory)"
    ]


# -- 7: named inputs that do not exist, or that nothing reads ------------------------


@pytest.mark.parametrize("command", ["add", "build", "inspect"])
def test_a_missing_input_stops_the_run_with_status_2_and_writes_nothing(
    tmp_path, command, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    extra = {"add": [], "build": ["--meeting", MEETING, "--out", "out"], "inspect": []}[command]
    result = run(command, INBOX / "na-alert-html.eml", tmp_path / "nope.eml", *extra)
    assert result.exit_code == 2
    assert "nope.eml: no such file or folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no log, no pack, no folder


@pytest.mark.parametrize("command", ["add", "build", "inspect"])
def test_only_unknown_suffixes_exit_1_and_write_nothing(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not correspondence")
    extra = {"add": [], "build": ["--meeting", MEETING, "--out", "out"], "inspect": []}[command]
    result = run(command, photo, *extra)
    assert result.exit_code == 1
    assert "photo.jpg" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_an_unknown_suffix_beside_a_readable_file_exits_1_and_the_rest_is_logged(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not correspondence")
    result = run("add", photo, INBOX / "na-alert-html.eml")
    assert result.exit_code == 1
    assert "photo.jpg: no reader for '.jpg' files" in result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "correspondence-log.xlsx").worksheets[0]
    assert sheet.max_row == 2  # the header and the one readable item


# -- 9: build run twice ----------------------------------------------------------------


def test_build_twice_says_already_in_the_log_not_excluded(tmp_path, monkeypatch):
    args = (
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        tmp_path,
        "--config",
        EXAMPLE / "council.toml",
    )
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "9 row(s) added; 0 excluded; 0 already in the log" in first.stdout
    again = run(*args)
    assert again.exit_code == 0, again.output
    assert "0 row(s) added; 0 excluded; 9 already in the log" in again.stdout
    lines = [ln for ln in again.stdout.splitlines() if ln.startswith("  ")]
    assert len(lines) == 9 and all(": already in the log as " in ln for ln in lines)
    assert "excluded " not in again.stdout


def test_build_still_says_excluded_for_a_new_row_logged_as_excluded(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    original = EXAMPLE / "inbox" / "2022-06-20-latest-news-from-the-courts-20-6-22.eml"
    (inbox / "a.eml").write_bytes(original.read_bytes())
    # the same message saved again with another Message-ID: a new row, logged as a duplicate
    (inbox / "b.eml").write_bytes(
        original.read_bytes().replace(b"Message-ID: <", b"Message-ID: <x")
    )
    result = run(
        "build",
        inbox,
        "--meeting",
        MEETING,
        "--out",
        tmp_path / "out",
        "--config",
        EXAMPLE / "council.toml",
    )
    assert result.exit_code == 0, result.output
    assert "2 row(s) added; 1 excluded; 0 already in the log" in result.stdout
    assert "  excluded b.eml: duplicate of a.eml" in result.stdout


# -- 10: -v after the command ----------------------------------------------------------


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_takes_verbose(command):
    opts = {o for p in cli.commands[command].params for o in getattr(p, "opts", [])}
    assert {"-v", "--verbose"} <= opts


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_after_the_command_shows_the_traceback_as_before_it(tmp_path, where, monkeypatch):
    bad = tmp_path / "council.toml"
    bad.write_text('[council]\nnmae = "X"\n', encoding="utf-8")
    args = ["inspect", "--config", str(bad), str(INBOX / "na-alert-html.eml")]
    args = ["-v", *args] if where == "before" else [*args, "-v"]
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.WARNING)  # put back afterwards
    with pytest.raises(ConfigError, match="unknown key 'nmae'"):
        run(*args)  # --verbose re-raises: the runner lets it through
    assert root.level == logging.DEBUG


def test_pack_takes_v(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("pack", "--config", COUNCIL, "-v", "--meeting", MEETING)
    assert result.exit_code == 1 and "no correspondence log yet" in result.output


# -- 11: dates that do not exist, and a config file that does not -----------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2022-02-30", "'2022-02-30': there is no such date (February 2022 has 28 days)"),
        ("2024-02-30", "'2024-02-30': there is no such date (February 2024 has 29 days)"),
        ("2022-13-01", "'2022-13-01': there is no month 13"),
        ("5 July", "'5 July' is not a date like 2022-07-05"),
    ],
)
def test_a_meeting_date_that_does_not_exist_says_so(tmp_path, value, said, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("pack", "--config", COUNCIL, "--meeting", value)
    assert result.exit_code == 2
    assert said in result.stderr


@pytest.mark.parametrize("command", ["add", "build", "inspect", "pack", "explain"])
def test_a_missing_config_is_a_usage_error(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = {
        "add": [str(INBOX)],
        "build": [str(INBOX), "--meeting", MEETING],
        "inspect": [str(INBOX)],
        "pack": ["--meeting", MEETING],
        "explain": [str(INBOX / "na-alert-html.eml")],
    }[command]
    result = run(command, "--config", "missing.toml", *extra)
    assert result.exit_code == 2
    assert "'missing.toml' does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- 13: summary tables wrap at word boundaries at 80 columns ---------------------------


def _words_in_table(output: str) -> set[str]:
    return set(output.translate({ord(c): " " for c in "│┃┏┓┗┛┡┩└┘┳┻╇┴━─"}).split())


def _cli_at_80(*args: str | Path) -> Any:
    from click.testing import CliRunner

    return CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, [str(a) for a in args], catch_exceptions=False
    )


def test_add_summary_at_80_columns_keeps_every_word_whole(tmp_path):
    result = _cli_at_80(
        "add",
        EXAMPLE / "inbox",
        "--log",
        tmp_path / "log.xlsx",
        "--config",
        EXAMPLE / "council.toml",
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln[:1] in set("┏┃┡│└")]
    assert len(lines) > 9 and max(len(line) for line in lines) <= 80
    shown = _words_in_table(result.stdout)
    sheet = openpyxl.load_workbook(tmp_path / "log.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for column in ("Ref", "From", "Subject"):
            value = row[header.index(column)]
            assert set(str(value).split()) <= shown, (column, value)  # "Neighbou / rhood": no


def test_pack_summary_at_80_columns_keeps_every_word_whole(tmp_path):
    result = _cli_at_80(
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        tmp_path,
        "--config",
        EXAMPLE / "council.toml",
    )
    assert result.exit_code == 0, result.output
    table = result.stdout.split("Police Matters", 1)[1].split("Agenda to be published", 1)[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    shown = _words_in_table(table)
    assert {"Neighbourhood", "Alert", "Cambridgeshire", "circulated", "5.1", "5.2"} <= shown


def test_a_word_wider_than_the_screen_is_the_only_thing_folded():
    from rich.console import Console

    from council_papers.cli import _fitted_table

    console = Console(width=40, record=True, file=io.StringIO())
    path = "inbox/" + "x" * 60 + ".jpg"
    console.print(
        _fitted_table(
            "Not added", ("File", "Why"), [(path, "no reader for '.jpg' files")], console.width
        )
    )
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 40
    assert {"no", "reader", "for", "'.jpg'", "files"} <= _words_in_table(text)
