"""The log never loses a row (issue 15, and issue 14's log points): each test runs the
CLI on real files and reads the .xlsx back with openpyxl."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import COUNCIL, EXAMPLES, run

EXAMPLE = EXAMPLES / "cambourne-2022-07"
CLI = [sys.executable, "-c", "from council_papers.cli import main; main()"]
# The CLI in a process that stops for 3 s just before it swaps its saved log in, as a
# synced or network folder can: the moment another run's save would be overwritten.
SLOW_CLI = [
    sys.executable,
    "-c",
    textwrap.dedent("""\
    import os, time
    real = os.replace
    def slow(src, dst, **kw):
        if str(src).endswith(".saving.xlsx"):
            time.sleep(3)
        return real(src, dst, **kw)
    os.replace = slow
    from council_papers.cli import main
    main()
    """),
]
WORDS = (
    "bicycle",
    "burglary",
    "speeding",
    "parking",
    "graffiti",
    "vandalism",
    "drugs",
    "shed",
    "van",
    "catalytic",
    "converter",
    "doorstep",
    "courier",
    "scam",
    "lottery",
)


def letters(folder: Path, tag: str, count: int = 5) -> list[Path]:
    """*count* plain-text police notices, each different enough to be its own item."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(count):
        pick = [WORDS[(n * 7 + k * 3 + len(tag)) % len(WORDS)] for k in range(6)]
        body = "\n\n".join(
            f"Paragraph {p} of notice {tag}-{n}: officers in {tag} ask about {' and '.join(pick)} "
            f"seen on {n + p} occasions in street {tag}{n}{p}."
            for p in range(4)
        )
        path = folder / f"{tag}-{n}.txt"
        path.write_text(f"Police notice {tag} number {n}\n\n{body}\n", encoding="utf-8")
        out.append(path)
    return out


def sources(log: Path) -> list[str]:
    """The Source file of every row, read back with openpyxl on its own."""
    ws = openpyxl.load_workbook(log)["Correspondence"]
    col = next(c.column for c in ws[1] if c.value == "Source file")
    return [
        str(v) for (v,) in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True) if v
    ]


def start_add(files: list[Path], log: Path, cli: list[str] = CLI) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*cli, "add", *map(str, files), "--log", str(log)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


# -- 15.1 / 14.4: one lock around every read-modify-save --------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["new log", "existing log"])
def test_four_concurrent_adds_all_land_their_rows(tmp_path: Path, existing: bool) -> None:
    for round_ in range(3):
        folder = tmp_path / f"round-{round_}"
        log = folder / "correspondence-log.xlsx"
        expected = []
        if existing:
            first = letters(folder / "first", "first")
            assert run("add", *first, "--log", log).exit_code == 0
            expected += map(str, first)
        batches = [letters(folder / f"p{k}", f"p{k}r{round_}") for k in range(4)]
        procs = [start_add(batch, log) for batch in batches]
        results = [finish(p) for p in procs]
        assert all(code == 0 for code, _ in results), results
        for batch in batches:
            expected += map(str, batch)
        # every row of every run, each once
        assert sorted(sources(log)) == sorted(expected), f"round {round_}"


def test_a_run_slowed_inside_the_save_window_loses_nothing(tmp_path: Path) -> None:
    log = tmp_path / "correspondence-log.xlsx"
    assert run("add", *letters(tmp_path / "old", "old"), "--log", log).exit_code == 0
    slow_files, fast_files = letters(tmp_path / "slow", "slow"), letters(tmp_path / "fast", "fast")
    # the slow run stops for 3 s between writing its temp file and replacing the log;
    # the other run starts once the slow one is saving
    slow = start_add(slow_files, log, SLOW_CLI)
    while not list(tmp_path.glob(".correspondence-log.*.saving.xlsx")):
        assert slow.poll() is None, finish(slow)
        time.sleep(0.02)  # not to take a core from the run it waits for
    fast = start_add(fast_files, log)
    (slow_code, slow_out), (fast_code, fast_out) = finish(slow), finish(fast)
    assert slow_code == 0 and fast_code == 0, (slow_out, fast_out)
    assert sorted(sources(log)) == sorted(
        map(str, [*letters(tmp_path / "old", "old"), *slow_files, *fast_files])
    )


def test_a_run_that_waits_too_long_for_the_lock_gives_up_without_writing(tmp_path: Path) -> None:
    from filelock import FileLock

    log = tmp_path / "correspondence-log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a"), "--log", log).exit_code == 0
    before = log.read_bytes()
    config = tmp_path / "council.toml"
    config.write_text("[limits]\nlock_wait_seconds = 0.5\n", encoding="utf-8")
    with FileLock(tmp_path / ".correspondence-log.xlsx.lock"):  # another run holds the log
        result = cli_in(
            tmp_path, "add", *letters(tmp_path / "b", "b"), "--log", log, "--config", config
        )
    assert result.returncode == 1
    waited, gave_up = result.stderr.splitlines()  # one line on waiting, one on giving up
    assert "another council-papers run is using the log: waiting for it (up to 0.5 s)" in waited
    assert "another council-papers run has kept the log busy for 0.5 s" in gave_up
    assert "nothing written" in result.stderr
    assert log.read_bytes() == before


# -- 15.2: links ------------------------------------------------------------------------


def test_a_symlinked_log_is_updated_where_it_really_lives(tmp_path: Path) -> None:
    shared = tmp_path / "shared-drive" / "council-log.xlsx"
    shared.parent.mkdir()
    assert run("add", *letters(tmp_path / "a", "a"), "--log", shared).exit_code == 0
    link = tmp_path / "correspondence-log.xlsx"
    link.symlink_to(shared)
    result = run("add", *letters(tmp_path / "b", "b"), "--log", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert len(sources(shared)) == 10
    assert (shared.parent / "council-log-backups").is_dir()  # backed up beside the real log


def test_a_hard_linked_log_is_refused_in_one_line(tmp_path: Path) -> None:
    log = tmp_path / "correspondence-log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a"), "--log", log).exit_code == 0
    other = tmp_path / "copy-for-the-chair.xlsx"
    os.link(log, other)
    result = run("add", *letters(tmp_path / "b", "b"), "--log", log)
    assert result.exit_code == 1
    assert "hard-linked (2 names for one file)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert len(sources(log)) == 5 and os.path.samefile(log, other)


# -- 15.3: backups ----------------------------------------------------------------------


def backups(log: Path) -> list[Path]:
    return sorted((log.parent / f"{log.stem}-backups").glob("*.xlsx"))


def test_rebuilding_the_same_pack_makes_no_backup(tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    assert run("add", EXAMPLE / "inbox", "--log", log).exit_code == 0
    assert (
        run(
            "pack",
            "--config",
            COUNCIL,
            "--meeting",
            "2022-07-05",
            "--log",
            log,
            "--pack",
            tmp_path / "pack.docx",
        ).exit_code
        == 0
    )
    made = backups(log)
    assert len(made) == 1  # the log as added, before the meeting was recorded in it
    for _ in range(6):
        result = run(
            "pack",
            "--config",
            COUNCIL,
            "--meeting",
            "2022-07-05",
            "--log",
            log,
            "--pack",
            tmp_path / "pack.docx",
        )
        assert result.exit_code == 0, result.output
    assert backups(log) == made  # nothing changed, so nothing was pushed out


def test_a_backup_stamped_ahead_of_the_clock_never_pushes_out_the_new_one(tmp_path: Path) -> None:
    from council_papers.register import read_log

    log = tmp_path / "log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a"), "--log", log).exit_code == 0
    folder = log.parent / "log-backups"
    folder.mkdir(exist_ok=True)
    for n in range(5):  # made on a machine whose clock was years ahead
        (folder / f"log.backup-2099010{n + 1}-120000.xlsx").write_bytes(log.read_bytes())
    assert run("add", *letters(tmp_path / "b", "b"), "--log", log).exit_code == 0
    kept = backups(log)
    assert len(kept) == 5  # five kept, as the README says
    newest = max(
        kept,
        key=lambda p: (
            p.name.split("backup-")[1].split(".")[0].split("-")[:2],
            int(p.stem.split("-")[-1]) if p.stem.count("-") > 2 else 1,
        ),
    )
    assert len(read_log(newest)) == 5  # the version just before this add survived
    assert run("add", *letters(tmp_path / "c", "c"), "--log", log).exit_code == 0
    assert sorted(len(read_log(p)) for p in backups(log))[-2:] == [5, 10]


# -- 15.4: only regular files are read -----------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def cli_in(folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess: a hang becomes a failed test, not a stuck suite."""
    return subprocess.run(
        [*CLI, *map(str, args)], cwd=folder, text=True, capture_output=True, timeout=60
    )


@needs_fifo
def test_fifos_and_devices_in_the_inbox_are_skipped_in_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    letters(inbox, "real", 2)
    os.mkfifo(inbox / "pipe.eml")
    (inbox / "zero.txt").symlink_to("/dev/zero")
    (inbox / "random.txt").symlink_to("/dev/urandom")
    result = cli_in(tmp_path, "add", inbox, "--log", tmp_path / "log.xlsx")
    assert result.returncode == 0, result.stderr
    assert (
        f"{inbox / 'pipe.eml'}: skipped: a FIFO (named pipe), not a regular file" in result.stderr
    )
    assert f"{inbox / 'zero.txt'}: skipped: a device, not a regular file" in result.stderr
    assert f"{inbox / 'random.txt'}: skipped: a device, not a regular file" in result.stderr
    assert len(sources(tmp_path / "log.xlsx")) == 2


@needs_fifo
def test_a_fifo_named_explicitly_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.eml")
    result = cli_in(tmp_path, "inspect", tmp_path / "pipe.eml")
    assert "pipe.eml: skipped: a FIFO (named pipe), not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@needs_fifo
@pytest.mark.parametrize("option", ["--log", "--config", "--template"])
def test_a_fifo_as_log_config_or_template_is_refused_in_one_line(
    tmp_path: Path, option: str
) -> None:
    log = tmp_path / "log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a", 1), "--log", log).exit_code == 0
    fifo = (
        tmp_path
        / {"--log": "fifo.xlsx", "--config": "fifo.toml", "--template": "fifo.docx"}[option]
    )
    os.mkfifo(fifo)
    args = {
        "--log": ["add", tmp_path / "a", "--log", fifo],
        "--config": ["add", tmp_path / "a", "--log", log, "--config", fifo],
        "--template": [
            "pack",
            "--config",
            str(COUNCIL),
            "--meeting",
            "2024-10-01",
            "--log",
            log,
            "--template",
            fifo,
            "--pack",
            tmp_path / "p.docx",
        ],
    }[option]
    result = cli_in(tmp_path, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Error: {fifo}: is a FIFO (named pipe)")
    assert result.stderr.count("\n") == 1


@pytest.mark.skipif(not Path("/proc/cpuinfo").is_file(), reason="needs /proc")
def test_reads_are_bounded_whatever_st_size_says(tmp_path: Path) -> None:
    # /proc files are regular files of size 0 that hold more: the limit holds all the same
    assert os.stat("/proc/cpuinfo").st_size == 0
    (tmp_path / "big.txt").symlink_to("/proc/cpuinfo")
    (tmp_path / "council.toml").write_text("[limits]\nmax_file_mb = 0.0001\n", encoding="utf-8")
    result = run("inspect", tmp_path / "big.txt", "--config", tmp_path / "council.toml")
    assert result.exit_code == 1
    assert "too large (the limit is 0 MB, set by [limits] max_file_mb)" in result.stdout


# -- 15.5: its own outputs are never read back --------------------------------------------


def test_build_in_the_mail_folder_never_logs_its_own_pack_or_log(tmp_path: Path) -> None:
    import shutil

    inbox = tmp_path / "mail"
    shutil.copytree(EXAMPLE / "inbox", inbox)
    config = EXAMPLE / "council.toml"
    first = cli_in(inbox, "build", ".", "--meeting", "2022-07-05", "--config", config)
    assert first.returncode == 0, first.stderr
    rows = sources(inbox / "correspondence-log.xlsx")
    # the pack the clerk renamed and kept beside the mail is known by what it is
    shutil.copy(inbox / "police-matters-2022-07-05.docx", inbox / "july-agenda.docx")
    second = cli_in(inbox, "build", ".", "--meeting", "2022-09-06", "--config", config)
    assert second.returncode == 0, second.stderr
    assert sources(inbox / "correspondence-log.xlsx") == rows  # nothing of ours logged
    said = second.stderr
    assert (
        "police-matters-2022-07-05.docx: passed over: a meeting pack council-papers wrote" in said
    )
    assert "july-agenda.docx: passed over: a meeting pack council-papers wrote" in said
    assert "correspondence-log.xlsx: passed over: a correspondence log council-papers keeps" in said
    assert ".correspondence-log.xlsx.lock: passed over: the correspondence log's lock file" in said
    assert "correspondence-log-backups" in said  # its backups too


def test_a_log_is_known_by_its_sheets_whatever_its_name(tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a", 1), "--log", log).exit_code == 0
    renamed = tmp_path / "inbox" / "minutes-2024.xlsx"
    renamed.parent.mkdir()
    wb = openpyxl.load_workbook(log)
    wb.properties.identifier = None  # as a log from before the mark
    wb.save(renamed)
    result = run("inspect", renamed.parent)
    assert f"{renamed}: passed over: a correspondence log council-papers keeps" in result.stderr


# -- 15.6: what the clerk typed is never overwritten ----------------------------------------


def clerk_types(
    log: Path, changes: dict[tuple[int, str], object], delete_sheet: str | None = None
) -> None:
    wb = openpyxl.load_workbook(log)
    ws = wb["Correspondence"]
    col = {c.value: c.column for c in ws[1]}
    for (row, header), value in changes.items():
        ws.cell(row, col[header]).value = value
    if delete_sheet:
        del wb[delete_sheet]
    wb.save(log)


def cell(log: Path, row: int, header: str) -> object:
    ws = openpyxl.load_workbook(log)["Correspondence"]
    col = {c.value: c.column for c in ws[1]}
    return ws.cell(row, col[header]).value


@pytest.fixture
def logged(tmp_path: Path) -> Path:
    log = tmp_path / "log.xlsx"
    result = run("add", EXAMPLE / "inbox", "--log", log, "--config", EXAMPLE / "council.toml")
    assert result.exit_code == 0, result.output
    return log


def pack(log: Path, *more: str | Path):
    return run(
        "pack",
        "--meeting",
        "2022-07-05",
        "--log",
        log,
        "--pack",
        log.with_name("pack.docx"),
        "--config",
        EXAMPLE / "council.toml",
        *more,
    )


def test_a_meeting_cell_holding_text_is_left_alone_and_reported(logged: Path) -> None:
    clerk_types(logged, {(2, "Meeting"): "deferred to March"})
    ref = cell(logged, 2, "Ref")
    result = pack(logged)
    assert result.exit_code == 0, result.output
    assert cell(logged, 2, "Meeting") == "deferred to March"
    assert (
        f"warning: {ref} (row 2): the Meeting cell holds 'deferred to March', not a date: "
        "left alone, and the item is not in this pack"
    ) in result.stderr


@pytest.mark.parametrize(
    "typed, day",
    [
        ("9th June 2022", 9),
        ("29/06/2022", 29),
        ("Thursday 9 June 2022", 9),
        ("1st June, 2022", 1),
    ],
)
def test_a_sent_date_typed_as_text_is_read_as_a_uk_date(logged: Path, typed: str, day: int) -> None:
    import datetime as dt

    from council_papers.register import read_log

    rows = read_log(logged)
    agenda = next(r for r in rows if r.disposition and r.disposition.value == "agenda")
    # received after the meeting: only the Sent date typed as text keeps it in the pack
    clerk_types(logged, {(agenda.row, "Sent"): typed, (agenda.row, "Received"): "01/08/2022"})
    assert read_log(logged)[agenda.row - 2].sent == dt.date(2022, 6, day)
    result = pack(logged)
    assert result.exit_code == 0, result.output
    assert agenda.subject in result.stdout  # still in its meeting's pack
    assert "Sent cell" not in result.stderr


def test_a_day_first_date_typed_as_text_is_read_the_uk_way(logged: Path) -> None:
    import datetime as dt

    from council_papers.register import read_log

    clerk_types(logged, {(2, "Sent"): "05/07/2022"})
    assert read_log(logged)[0].sent == dt.date(2022, 7, 5)  # 5 July, not 7 May


def test_a_sent_cell_that_is_no_date_is_reported(logged: Path) -> None:
    clerk_types(logged, {(3, "Sent"): "some time in June"})
    result = pack(logged)
    assert "the Sent cell holds 'some time in June', which is not a date" in result.stderr


def test_a_blank_disposition_is_warned_about_naming_the_row(logged: Path) -> None:
    clerk_types(logged, {(4, "Disposition"): None})
    ref = cell(logged, 4, "Ref")
    result = pack(logged)
    assert f"warning: Disposition blank, left out of the pack: {ref} (row 4)" in result.stderr


def test_a_deleted_texts_sheet_is_warned_about_naming_the_rows(logged: Path) -> None:
    clerk_types(logged, {}, delete_sheet="Texts")
    result = pack(logged)
    assert result.exit_code == 0, result.output
    assert "the log's Texts sheet has been deleted" in result.stderr
    assert re.search(r"no full text for \d{4}-\d{3} \(row 2\), ", result.stderr)


# -- 15.7: the pack in time linear in its items ---------------------------------------------


def test_the_pack_writer_does_not_scan_the_body_for_each_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: how often the body is searched for its place to insert."""
    import datetime as dt

    from docx.oxml.document import CT_Body

    from council_papers.pack import PackItem, PackSpec, write_pack

    searches = 0
    real = CT_Body.first_child_found_in

    def counted(self, *tags):
        nonlocal searches
        searches += 1
        return real(self, *tags)

    monkeypatch.setattr(CT_Body, "first_child_found_in", counted)
    spec = PackSpec(
        council="Cambourne Town Council",
        district="",
        meeting_title="Council",
        meeting_date=dt.date(2024, 10, 1),
        police_item=5,
    )
    counts = []
    for n in (10, 40):
        items = [
            PackItem(
                number=None,
                sender_org="OPCC",
                subject=f"Item {k}",
                date=dt.date(2024, 9, 1),
                text="A paragraph.\n\nAnother.",
            )
            for k in range(n)
        ]
        searches = 0
        write_pack(spec, items, items, tmp_path / f"pack-{n}.docx")
        counts.append(searches)
    assert counts[0] == counts[1]  # a fixed number, whatever the number of items


# -- 15.8: limits and BOMs ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-2", "0.0"])
@pytest.mark.parametrize(
    "limit", ["max_file_mb", "max_unpacked_mb", "max_log_unpacked_mb", "lock_wait_seconds"]
)
def test_limits_that_are_not_finite_positive_numbers_are_one_line_errors(
    tmp_path: Path, limit: str, value: str
) -> None:
    config = tmp_path / "council.toml"
    config.write_text(f"[limits]\n{limit} = {value}\n", encoding="utf-8")
    result = run("inspect", EXAMPLE / "inbox", "--config", config)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {config}: [limits]: {limit} must be a number more than 0"
    )
    assert result.stderr.count("\n") == 1


def test_a_bom_at_the_start_of_any_toml_file_is_accepted(tmp_path: Path) -> None:
    from council_papers.config import templates_dir

    bom = "\ufeff"
    for name in ("rules.toml", "organisations.toml"):
        text = (templates_dir() / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(bom + text, encoding="utf-8")
    config = tmp_path / "council.toml"
    config.write_text(
        bom
        + textwrap.dedent("""\
        [council]
        name = "Cambourne Town Council"
        [files]
        rules = "rules.toml"
        organisations = "organisations.toml"
        """),
        encoding="utf-8",
    )
    result = run("inspect", EXAMPLE / "inbox", "--config", config)
    assert result.exit_code == 0, result.output
    assert "not valid TOML" not in result.output


# -- 14.3: leftovers of a killed run --------------------------------------------------------


def test_leftovers_of_a_killed_run_are_removed_and_mentioned(tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a", 1), "--log", log).exit_code == 0
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    leftovers = [
        tmp_path / ".log.1a2b3c4d.saving.xlsx",
        tmp_path / "log-backups" / ".log.backup-20240906-120000.xlsx.partial",
        tmp_path / f".pack.docx.{int(dead.stdout)}.tmp",
        tmp_path / f".police-matters-2024-07-02.docx.{int(dead.stdout)}.tmp",
    ]
    for f in leftovers:
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(b"half-written")
    alive = tmp_path / f".pack.docx.{os.getppid()}.tmp"  # a running process's: left alone
    alive.write_bytes(b"in use")
    result = run(
        "pack",
        "--config",
        COUNCIL,
        "--meeting",
        "2024-10-01",
        "--log",
        log,
        "--pack",
        tmp_path / "pack.docx",
    )
    assert result.exit_code == 0, result.output
    for f in leftovers:
        assert not f.exists()
        assert f"note: removed {f}, left by an interrupted save" in result.stderr
    assert alive.exists()


# -- 14.5: a row the clerk deleted stays deleted ---------------------------------------------


def test_a_deleted_row_does_not_come_back_unless_asked(tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    files = letters(tmp_path / "a", "a", 3)
    assert run("add", *files, "--log", log).exit_code == 0
    wb = openpyxl.load_workbook(log)
    wb["Correspondence"].delete_rows(3)  # the clerk deletes the second item in Excel
    wb.save(log)
    gone = str(files[1])
    assert gone not in sources(log)
    result = run("add", *files, "--log", log)
    assert result.exit_code == 0
    assert sources(log).count(gone) == 0
    assert "deleted from the log by the clerk" in result.stdout
    result = run("add", *files, "--log", log, "--re-add")
    assert result.exit_code == 0
    assert sources(log).count(gone) == 1
    assert sorted(sources(log)) == sorted(map(str, files))


# -- 14.8: the log's mode follows the umask ---------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_new_log_has_the_mode_the_umask_gives_as_the_pack_does(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        log = tmp_path / "log.xlsx"
        assert run("add", *letters(tmp_path / "a", "a", 1), "--log", log).exit_code == 0
        assert (
            run(
                "pack",
                "--config",
                COUNCIL,
                "--meeting",
                "2024-10-01",
                "--log",
                log,
                "--pack",
                tmp_path / "pack.docx",
            ).exit_code
            == 0
        )
    finally:
        os.umask(old)
    assert log.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "pack.docx").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / ".log.xlsx.lock").stat().st_mode & 0o777 == 0o644  # the lock file too


# -- 14.12: a log open in LibreOffice ---------------------------------------------------------


def test_a_log_open_in_libreoffice_is_refused_naming_both(tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    assert run("add", *letters(tmp_path / "a", "a", 1), "--log", log).exit_code == 0
    (tmp_path / ".~lock.log.xlsx#").write_text("clerk,laptop", encoding="utf-8")
    result = run("add", *letters(tmp_path / "b", "b", 1), "--log", log)
    assert result.exit_code == 1
    assert "open in Excel or LibreOffice (lock file .~lock.log.xlsx#)" in result.stderr
