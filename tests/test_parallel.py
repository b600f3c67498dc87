"""Large batches are read by worker processes: the same records, in the same order.

The workers are forked on Linux when no other thread runs, spawned otherwise;
a worker that dies does not lose a file. (Speed is benchmarks/run.py's business.)
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import threading

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


@pytest.mark.parametrize(("requested", "files", "expected"), [
    (None, pipeline.PARALLEL_FROM - 1, 1),  # a clerk's usual batch: this process
    (1, 10_000, 1),
    (3, 2, 3),
])
def test_how_many_processes_read(requested, files, expected):
    assert pipeline.worker_count(requested, files) == expected


def test_a_large_batch_uses_every_cpu_up_to_the_maximum():
    expected = max(1, min(pipeline.MAX_JOBS, pipeline.cpus()))
    assert pipeline.worker_count(None, pipeline.PARALLEL_FROM) == expected
