"""Large batches are read by worker processes: the same records, in the same order.

The workers are forked on Linux when no other thread runs, spawned otherwise;
a worker that dies does not lose a file. (Speed is benchmarks/run.py's business.)
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, INBOX, run
from council_papers import pipeline
from council_papers.config import Config

HOSTILE = FIXTURES / "hostile"
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks workers with patched code")


def _inspect(jobs: int) -> tuple:
    return pipeline.inspect_paths([INBOX], Config(), jobs=jobs).records


def _stamped_read_one(path, stages):
    """read_one, noting which process read the file."""
    record = _ORIGINAL_READ_ONE(path, stages)
    return dataclasses.replace(record, warnings=(*record.warnings, f"read by {os.getpid()}"))


def _dies_on_one_file(path):
    """A worker that is killed by one file (as the out-of-memory killer would)."""
    if path.name == "na-alert-html.eml":
        os._exit(3)
    return pipeline.read_one(path, pipeline._worker_stages)


_ORIGINAL_READ_ONE = pipeline.read_one


def test_a_large_batch_gives_the_same_output_as_one_process():
    one = run("inspect", HOSTILE, INBOX, "--json", "--jobs", "1")
    default = run("inspect", HOSTILE, INBOX, "--json")  # over 50 files: worker processes
    two = run("inspect", HOSTILE, INBOX, "--json", "--jobs", "2")
    assert len(one.stdout.splitlines()) >= pipeline.PARALLEL_FROM
    assert one.exit_code == default.exit_code == two.exit_code == 1  # the hostile files
    assert one.stdout == default.stdout == two.stdout  # records, order, duplicates, reasons
    assert one.stderr == default.stderr == two.stderr


def test_the_files_are_read_in_other_processes(monkeypatch):
    monkeypatch.setattr(pipeline, "read_one", _stamped_read_one)
    records = _inspect(jobs=2)
    readers = {w for r in records for w in r.warnings if w.startswith("read by ")}
    assert readers and f"read by {os.getpid()}" not in readers
    plain = [dataclasses.replace(r, warnings=r.warnings[:-1]) for r in records]
    monkeypatch.undo()
    assert tuple(plain) == _inspect(jobs=1)


def test_with_another_thread_running_the_workers_are_spawned_and_agree():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()  # forking now could deadlock a child: spawn is used instead
    try:
        spawned = _inspect(jobs=2)
    finally:
        stop.set()
        other.join()
    assert spawned == _inspect(jobs=1)


def test_a_worker_that_dies_loses_no_file(monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "_read_in_worker", _dies_on_one_file)
    with caplog.at_level(logging.WARNING, logger="council_papers.pipeline"):
        records = _inspect(jobs=2)
    assert "reading process stopped unexpectedly" in caplog.text
    monkeypatch.undo()
    assert records == _inspect(jobs=1)


@pytest.mark.parametrize(
    ("requested", "files", "expected"),
    [
        (None, pipeline.PARALLEL_FROM - 1, 1),  # a clerk's usual batch: this process
        (1, 10_000, 1),
        (3, 2, 3),
    ],
)
def test_how_many_processes_read(requested, files, expected):
    assert pipeline.worker_count(requested, files) == expected


@pytest.mark.parametrize(("cpus", "expected"), [(1, 1), (2, 2), (16, pipeline.MAX_JOBS)])
def test_a_large_batch_uses_every_cpu_up_to_the_maximum(monkeypatch, cpus, expected):
    monkeypatch.setattr(pipeline, "cpus", lambda: cpus)
    assert pipeline.worker_count(None, pipeline.PARALLEL_FROM) == expected


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_ctrl_c_stops_the_readers_and_the_run_in_one_line(tmp_path):
    """Ctrl-C reaches the whole process group: the run stops (click's "Aborted!"), with no
    traceback from any reading process and none of them left behind."""
    for n in range(40):  # enough files that reading is still going on when Ctrl-C comes
        shutil.copytree(INBOX, tmp_path / f"copy{n}", ignore=shutil.ignore_patterns("*.toml"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "council_papers", "inspect", str(tmp_path), "--json", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as a terminal starts it: Ctrl-C not ignored, even when this suite runs with
        # SIGINT ignored (started in the background), which the child would inherit
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.02)
    assert proc.poll() is None and len(workers) == 2, "the workers never started"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert stderr.strip().splitlines() == ["Aborted!"]
    assert _running(workers, within=10) == set()  # no reading process left behind


def _running(pids: set[int], within: float) -> set[int]:
    """Those of *pids* still running (not gone, not a zombie) after up to *within* seconds."""
    deadline = time.monotonic() + within
    while True:
        alive = set()
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue  # gone
            if state != "Z":
                alive.add(pid)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_sigkill_of_build_leaves_no_reading_process_behind(tmp_path):
    """A killed parent runs no clean-up: its workers must end by themselves (issue 14.2)."""
    inbox = tmp_path / "inbox"
    for n in range(40):  # enough files that reading is still going on when the kill comes
        shutil.copytree(INBOX, inbox / f"copy{n}", ignore=shutil.ignore_patterns("*.toml"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "council_papers",
            "build",
            str(inbox),
            "--meeting",
            "2022-07-05",
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.02)
    assert proc.poll() is None and len(workers) == 2, "the workers never started"
    proc.kill()  # SIGKILL: no handler, no atexit, no executor shutdown
    proc.wait(timeout=60)
    try:
        assert _running(workers, within=20) == set()  # each ended by itself
    finally:
        for pid in _running(workers, within=0):
            os.kill(pid, signal.SIGKILL)  # tidy up after a failure


def test_the_watchdog_alone_ends_a_worker_whose_parent_died():
    """Where prctl is not there (not Linux), polling the parent pid is the fallback."""
    code = (
        "import os, sys, time\n"
        "from council_papers import pipeline\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    try:\n"
        "        pipeline._watch_parent(parent)  # must os._exit once orphaned\n"
        "    finally:\n"
        "        time.sleep(3600)  # what an orphaned worker did: wait for ever\n"
        "print(pid, flush=True)\n"
        "os._exit(0)  # the parent dies at once, running nothing\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    orphan = int(out.stdout)
    try:
        assert _running({orphan}, within=20) == set()
    finally:
        for pid in _running({orphan}, within=0):
            os.kill(pid, signal.SIGKILL)
