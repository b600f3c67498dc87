"""The command line: help everywhere, exit statuses, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from conftest import BROKEN, INBOX, SEEDS, json_lines, run
from council_papers.cli import cli


def _commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_text(command):
    cmd = cli.commands[command]
    assert cmd.help and cmd.help.strip(), f"{command} has no help"
    for flag in ("--help", "-h"):
        result = run(command, flag)
        assert result.exit_code == 0 and "Usage:" in result.output


def test_every_option_has_help_text():
    for name, cmd in cli.commands.items():
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{name} {param.opts} has no help"


def test_python_dash_m_runs_the_same_cli():
    out = subprocess.run(
        [sys.executable, "-m", "council_papers", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "inspect" in out.stdout


def test_inspect_exit_0_when_everything_was_read():
    assert run("inspect", SEEDS).exit_code == 0


def test_inspect_exit_1_and_one_line_when_a_file_cannot_be_read():
    result = run("inspect", BROKEN / "empty.eml", INBOX / "na-alert-html.eml")
    assert result.exit_code == 1
    assert "error: empty file" in result.stdout
    assert (
        "Free property marking event in Cambourne" in result.stdout
    )  # the rest still went through
    assert "Traceback" not in result.output


def test_inspect_exit_2_on_a_usage_error():
    assert run("inspect").exit_code == 2
    assert run("inspect", "--no-such-option", SEEDS).exit_code == 2


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = run("inspect", tmp_path / "nope.eml", SEEDS, "--json")
    assert result.exit_code == 2 and "nope.eml: no such file or folder" in result.stderr
    assert result.stdout == ""  # nothing else was read


def test_json_error_record_has_null_fields_and_the_reason():
    (rec,) = json_lines(run("inspect", BROKEN / "garbage.docx", "--json"))
    assert rec["error"].startswith("not a valid Word document")
    assert rec["subject"] is None and rec["articles"] == []


def test_json_error_record_has_a_read_records_keys_in_order_but_no_decision():
    from council_papers.models import Decision, Disposition, Kind

    failed, read = json_lines(
        run("inspect", BROKEN / "garbage.docx", INBOX / "na-alert-html.eml", "--json")
    )
    decided = Decision(kind=Kind.OTHER, disposition=Disposition.CIRCULATED).to_dict()
    assert list(failed) == [key for key in read if key not in decided]
    assert read["error"] is None and read["disposition"] == "circulated"


def test_a_config_with_wrong_types_or_unknown_keys_is_one_line(tmp_path):
    config = tmp_path / "council.toml"
    config.write_text('[council]\nname = "X"\npolice_item = "five"\n', encoding="utf-8")
    result = run("inspect", "--config", config, SEEDS)
    assert result.exit_code == 1
    assert (
        "[council]: police_item must be a whole number from 1 to 999, not 'five'" in result.output
    )
    config.write_text('[council]\nnmae = "X"\n', encoding="utf-8")
    result = run("inspect", "--config", config, SEEDS)
    assert result.exit_code == 1 and "unknown key 'nmae'" in result.output
