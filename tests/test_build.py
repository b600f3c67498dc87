"""The main job end to end: `build` on the Cambourne example reproduces seed 004."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import docx
import openpyxl
import pytest

from conftest import BROKEN, EXAMPLES, SEEDS, run

EXAMPLE = EXAMPLES / "cambourne-2022-07"
MEETING = "2022-07-05"


def seed_004_tables() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The agenda and circulated tables as the real clerk typed them in seed 004."""
    text = (SEEDS / "004_66becb0d81e243ad.txt").read_text(encoding="utf-8")
    agenda = [
        tuple(m.groups()) for m in re.finditer(r"^(5\.\d)\t([^\t\n]+)\t([^\t\n]+)$", text, re.M)
    ]
    block = text.split("Correspondence circulated since the last meeting by email", 1)[1]
    block = block.split("Creating a safer", 1)[0]
    circulated = [
        tuple(line.split("\t"))
        for line in block.splitlines()
        if "\t" in line and not line.startswith("FROM")
    ]
    return agenda, circulated  # type: ignore[return-value]


def pack_tables(path) -> tuple[list[list[str]], list[list[str]]]:
    document = docx.Document(str(path))
    agenda, circulated = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    return agenda, circulated


@pytest.fixture
def built(tmp_path):
    out = tmp_path / "out"
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
    return out


def test_build_reproduces_seed_004_item_for_item(built):
    want_agenda, want_circulated = seed_004_tables()
    assert len(want_agenda) == 2 and len(want_circulated) == 7
    agenda, circulated = pack_tables(built / f"police-matters-{MEETING}.docx")
    assert agenda[0] == ["Item", "FROM", "SUBJECT"]
    assert [tuple(r) for r in agenda[1:]] == want_agenda
    assert circulated[0][:2] == ["FROM", "SUBJECT"]
    assert [tuple(r[:2]) for r in circulated[1:]] == want_circulated


def test_build_writes_the_front_matter_and_full_text_of_each_agenda_item(built):
    document = docx.Document(str(built / f"police-matters-{MEETING}.docx"))
    paras = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [t for _, t in paras]
    assert paras[0] == ("Title", "Cambourne Town Council")
    assert "District of South Cambridgeshire" in texts
    assert "Council Meeting 5th July 2022" in texts
    assert ("Heading 1", "5. Police Matters") in paras
    assert ("Heading 2", "5.1 It is time to have your say") in paras
    assert (
        "Heading 2",
        "5.2 Strategy to end violence against women and girls taking shape",
    ) in paras
    body = "\n".join(texts)
    assert "Inspector Shane Fasey" in body and "Project Kaizen: Domestic Abuse" in body
    # fit to publish: the forwarded "Dear John," is neutral, the councillor's address gone
    assert "Dear John" not in body and "gmail.com" not in body
    assert document.core_properties.language == "en-GB"


def test_build_records_the_meeting_and_items_in_the_log(built):
    ws = openpyxl.load_workbook(built / "correspondence-log.xlsx")["Correspondence"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 9
    assert all(r["Meeting"] == dt.datetime(2022, 7, 5) for r in rows)
    items = {r["Subject"]: r["Agenda item"] for r in rows if r["Agenda item"]}
    assert items == {
        "It is time to have your say": "5.1",
        "Strategy to end violence against women and girls taking shape": "5.2",
    }
    assert {r["Disposition"] for r in rows} == {"Agenda", "Circulated"}


def test_running_build_again_adds_nothing_and_gives_the_same_pack(built):
    first = pack_tables(built / f"police-matters-{MEETING}.docx")
    again = run(
        "build",
        EXAMPLE / "inbox",
        "--meeting",
        MEETING,
        "--out",
        built,
        "--config",
        EXAMPLE / "council.toml",
    )
    assert again.exit_code == 0, again.output
    assert "0 row(s) added" in again.output
    assert pack_tables(built / f"police-matters-{MEETING}.docx") == first
    ws = openpyxl.load_workbook(built / "correspondence-log.xlsx")["Correspondence"]
    assert ws.max_row == 10


def test_build_loads_the_log_once_for_adding_and_packing(built, monkeypatch):
    from council_papers.register import safety

    loads = []
    real = safety._load
    monkeypatch.setattr(safety, "_load", lambda path: loads.append(path) or real(path))
    new = BROKEN.parent / "inbox" / "pasted-alert.txt"  # something new to add, then pack
    result = run(
        "build", new, "--meeting", MEETING, "--out", built, "--config", EXAMPLE / "council.toml"
    )
    assert result.exit_code == 0, result.output
    assert "1 row(s) added" in result.output
    assert loads == [built / "correspondence-log.xlsx"]  # openpyxl parsed it once


def test_the_clerks_edit_in_the_log_steers_the_next_pack(built):
    log = built / "correspondence-log.xlsx"
    wb = openpyxl.load_workbook(log)
    ws = wb["Correspondence"]
    header = [c.value for c in ws[1]]
    subject, disposition = header.index("Subject") + 1, header.index("Disposition") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, subject).value == "Neighbourhood Watch Network has launched a lottery":
            ws.cell(row, disposition).value = "Agenda"
    wb.save(log)
    result = run(
        "pack",
        "--meeting",
        MEETING,
        "--log",
        log,
        "--pack",
        built / "again.docx",
        "--config",
        EXAMPLE / "council.toml",
    )
    assert result.exit_code == 0, result.output
    agenda, circulated = pack_tables(built / "again.docx")
    assert [r[2] for r in agenda[1:]][-1] == "Neighbourhood Watch Network has launched a lottery"
    assert [r[0] for r in agenda[1:]] == ["5.1", "5.2", "5.3"]
    assert len(circulated) == 1 + 6


def test_build_with_an_unreadable_file_still_writes_the_pack_and_exits_1(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLE / "inbox", inbox)
    shutil.copy(BROKEN / "truncated.pdf", inbox / "scan.pdf")
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
    assert result.exit_code == 1
    assert "scan.pdf" in result.output and "damaged or truncated PDF" in result.output
    agenda, _ = pack_tables(tmp_path / "out" / f"police-matters-{MEETING}.docx")
    assert len(agenda) == 3


def test_add_twice_adds_nothing_the_second_time(tmp_path):
    log = tmp_path / "log.xlsx"
    first = run("add", EXAMPLE / "inbox", "--log", log)
    assert first.exit_code == 0 and "9 row(s) added" in first.output
    second = run("add", EXAMPLE / "inbox", "--log", log)
    assert second.exit_code == 0 and "0 row(s) added" in second.output
    assert "already in the log as" in second.output


def test_a_forwarded_copy_of_a_logged_message_is_logged_as_excluded(tmp_path):
    from conftest import FIXTURES

    log = tmp_path / "log.xlsx"
    corpus = FIXTURES / "classify"
    run("add", corpus / "engagement-priority-setting-meeting.eml", "--log", log)
    result = run("add", corpus / "fwd-priority-setting-meeting.eml", "--log", log)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(log)["Correspondence"]
    header = [c.value for c in ws[1]]
    last = {h: c.value for h, c in zip(header, ws[ws.max_row], strict=False)}
    first_ref = ws.cell(2, header.index("Ref") + 1).value
    assert last["Disposition"] == "Excluded" and f"duplicate of {first_ref}" in last["Reason"]


def test_pack_writes_here_by_default_and_names_the_file_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("add", EXAMPLE / "inbox", "--config", EXAMPLE / "council.toml").exit_code == 0
    result = run("pack", "--meeting", MEETING, "--config", EXAMPLE / "council.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"Wrote police-matters-{MEETING}.docx"
    assert (tmp_path / f"police-matters-{MEETING}.docx").is_file()


def test_pack_without_a_log_says_what_to_do(tmp_path):
    result = run("pack", "--meeting", MEETING, "--log", tmp_path / "none.xlsx")
    assert result.exit_code == 1 and "run `council-papers add` first" in result.output


def test_a_bad_meeting_date_is_a_usage_error(tmp_path):
    result = run("pack", "--meeting", "5/7/2022", "--log", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "2022-07-05" in result.output


def test_init_writes_a_council_toml_that_loads_and_never_overwrites(tmp_path):
    from council_papers.config import load_config

    result = run(
        "init",
        tmp_path,
        "--name",
        "Lowerfield Parish Council",
        "--district",
        "District of South Oxfordshire",
        "--police-area",
        "Oxfordshire",
    )
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "council.toml")
    assert (config.council_name, config.district, config.police_area, config.police_item) == (
        "Lowerfield Parish Council",
        "District of South Oxfordshire",
        "Thames Valley",
        5,
    )
    assert "Cambourne" not in (tmp_path / "council.toml").read_text(encoding="utf-8")
    again = run("init", tmp_path, "--name", "X", "--district", "", "--police-area", "Kent")
    assert again.exit_code == 1 and "already exists" in again.output


def test_write_council_toml_names_the_area_found_and_never_overwrites(tmp_path):
    from council_papers.config import load_config
    from council_papers.errors import ConfigError
    from council_papers.setup import shipped_registry, write_council_toml

    registry, folder = shipped_registry(), tmp_path / "new"
    council = {"name": "Lowerfield Parish Council", "district": "", "police_item": 7}
    written = write_council_toml(folder, registry, police_area="Oxfordshire", **council)
    assert written.path == folder / "council.toml" and written.area.name == "Thames Valley"
    config = load_config(written.path)
    assert (config.council_name, config.police_area, config.police_item) == (
        "Lowerfield Parish Council",
        "Thames Valley",
        7,
    )
    before = written.path.read_bytes()
    with pytest.raises(ConfigError, match="already exists; not overwritten"):
        write_council_toml(folder, registry, police_area="Kent", **council)
    assert written.path.read_bytes() == before


def test_init_asks_for_what_it_is_not_told(tmp_path):
    from click.testing import CliRunner

    from council_papers.cli import cli
    from council_papers.config import load_config

    result = CliRunner().invoke(
        cli, ["init", str(tmp_path)], input="Brindlecote Town Council\n\nGreater Manchester\n"
    )
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "council.toml")
    assert config.council_name == "Brindlecote Town Council" and config.district == ""
    assert config.police_area == "Greater Manchester"


def test_init_refuses_an_unknown_police_area_and_suggests_one(tmp_path):
    result = run("init", tmp_path, "--name", "X", "--district", "", "--police-area", "Thames Vally")
    assert result.exit_code == 1
    assert "did you mean 'Thames Valley'" in result.output
    assert not (tmp_path / "council.toml").exists()


def test_the_built_in_defaults_name_no_council(tmp_path):
    from council_papers.config import Config

    assert Config().council_name == "" and Config().police_area is None
    result = run("build", EXAMPLE / "inbox", "--meeting", MEETING, "--out", tmp_path)
    assert result.exit_code == 1 and "no council is named" in result.output
