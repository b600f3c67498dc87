#!/usr/bin/env python3
"""Benchmarks: how fast and how big council-papers is, next to the floor of its libraries.

    python benchmarks/run.py                       # the table in benchmarks/README.md
    python benchmarks/run.py --quick               # tiny sizes: CI runs this to keep it working
    python benchmarks/run.py --sizes inspect=100,1000 --sizes add=1000 --only inspect,add
    python benchmarks/run.py --repeat 3              # each figure the median of three runs

Each measurement runs in a fresh Python process that reports its time (after the
libraries are imported) and its peak memory (ru_maxrss). Its floor runs the same
way and does the same work with the bare libraries: the same files read by stdlib
email + lxml/inscriptis + pypdf + python-docx; openpyxl loading and saving the
same log; python-docx writing the same text. Each figure is printed with its ratio
to its floor. Benchmarks are not tests: nothing fails on a time; the last column
only says whether the target of issue 6 was met.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EXAMPLE_CONFIG = (
    Path(__file__).resolve().parent.parent / "examples" / "cambourne-2022-07" / "council.toml"
)
GROUPS = ("inspect", "add", "pack", "writer", "build", "help")
SIZES: dict[str, list[int]] = {
    "inspect": [100, 1_000, 10_000],  # files read and classified
    "add": [1_000, 10_000, 50_000],  # rows already in the log
    "pack": [10, 100, 500],  # agenda items in the pack (as many again circulated)
    "writer": [1_000, 2_000, 4_000],  # agenda items written by pack.write_pack alone (issue 15)
    "build": [1_000],  # files from folder to log and pack
}
QUICK: dict[str, list[int]] = {
    "inspect": [60],
    "add": [30],
    "pack": [3],
    "writer": [5, 10],
    "build": [12],
}
ADDED = 100  # items added to each log
QUICK_ADDED = 5
LOG_BASE = 1_000  # the log's rows are clones of this many corpus items
MEETING = dt.date(2026, 2, 2)  # after every generated item's date
TODAY = dt.date(2026, 1, 5)  # "received" date of every logged row

HELP_RUNS = 7
SAMPLE = 0.25  # seconds between samples of the memory of a process and its workers


# ======================================================================================
# In the child process: one measurement
# ======================================================================================


def _warm(*modules: str) -> None:
    """Import what a measurement uses before the clock starts (both sides alike)."""
    import importlib

    for name in modules:
        importlib.import_module(name)


OURS = (
    "council_papers.pipeline", "council_papers.read.eml", "council_papers.read.html",
    "council_papers.read.pdf", "council_papers.read.docx", "council_papers.read.txt",
    "council_papers.classify", "council_papers.register.workbook",
    "council_papers.register.texts", "council_papers.register.safety",
    "council_papers.pack.writer", "rapidfuzz.fuzz", "quotequail", "holidays", "dateutil.parser",
)  # fmt: skip
BARE = ("email.parser", "lxml.html", "inscriptis", "pypdf", "docx", "openpyxl")
OURS += BARE  # the readers import these on first use: both sides start with them imported


def _files(folder: Path) -> list[Path]:
    """Every file the pipeline would read under *folder*, in the same order."""
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(root) / n for n in sorted(names) if not n.startswith((".", "~$"))]
    return out


def floor_read(folder: Path, jobs: int = 1) -> int:
    """Read every file under *folder* with the bare libraries; return the characters read.

    Reading a file means its text and the few fields the pipeline keeps from it: an
    email's From, Subject, Date and Message-ID; a PDF's or Word document's title,
    author and date. *jobs* > 1: the files are shared out over that many forked
    worker processes in chunks, as the pipeline shares them (pipeline._read_many), so
    that a measurement with workers is compared with a floor with as many.
    """
    files = _files(folder)
    if jobs <= 1 or len(files) < 2:
        return sum(map(_floor_one, files))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform == "linux" else "spawn"
    chunk = max(1, min(32, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context(method)
    ) as pool:
        return sum(pool.map(_floor_one, files, chunksize=chunk))


_FLOOR_HTML_CONFIG: Any = None


def _floor_one(path: Path) -> int:
    """Read one file with the bare libraries (see floor_read); return the characters read."""
    import io
    from email import policy
    from email.parser import BytesParser

    import docx
    import lxml.html
    from docx.table import Table
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig
    from pypdf import PdfReader

    global _FLOOR_HTML_CONFIG
    if _FLOOR_HTML_CONFIG is None:  # made once per process, as the loop over files did
        _FLOOR_HTML_CONFIG = ParserConfig(display_images=False, display_links=False)
    config = _FLOOR_HTML_CONFIG

    def html_text(markup: str | bytes) -> str:
        return Inscriptis(lxml.html.document_fromstring(markup), config).get_text()

    data = path.read_bytes()
    suffix = path.suffix.lower()
    text, fields = "", []
    if suffix == ".eml":
        msg = BytesParser(policy=policy.default).parsebytes(data)
        fields = [str(msg[h]) for h in ("From", "Subject", "Date", "Message-ID")]
        body = msg.get_body(preferencelist=("html", "plain"))
        if body is not None:
            content = body.get_content()
            text = html_text(content) if body.get_content_type() == "text/html" else content
    elif suffix in (".html", ".htm"):
        text = html_text(data)
    elif suffix == ".txt":
        text = data.decode("utf-8", errors="replace")
    elif suffix == ".pdf":
        pdf = PdfReader(io.BytesIO(data))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        meta = pdf.metadata
        fields = [str(meta.title), str(meta.get("/CreationDate"))] if meta else []
    elif suffix == ".docx":
        document = docx.Document(io.BytesIO(data))
        parts = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                parts += [c.text for row in block.rows for c in row.cells]
            else:
                parts.append(block.text)
        text = "\n".join(parts)
        props = document.core_properties
        fields = [str(props.title), str(props.author), str(props.created)]
    return len(text) + sum(map(len, fields))


def floor_pack(log: Path, out: Path, template: Path) -> dict[str, int]:
    """openpyxl loads the log, python-docx writes its agenda and circulated items, openpyxl saves."""
    import docx
    from openpyxl import load_workbook

    wb = load_workbook(log)
    ws = wb["Correspondence"]
    rows = ws.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    col = {name: header.index(name) for name in ("From", "Subject", "Sent", "Disposition", "Key")}
    texts: dict[str, list[str]] = {}
    for key, _part, text, *_ in wb["Texts"].iter_rows(min_row=2, values_only=True):
        texts.setdefault(str(key), []).append(str(text or ""))
    agenda, circulated = [], []
    for row in rows:
        disposition = str(row[col["Disposition"]] or "").lower()
        (agenda if disposition == "agenda" else circulated if disposition == "circulated"
         else []).append(row)  # fmt: skip
    document = docx.Document(str(template))
    document.add_paragraph("Cambourne Town Council", style="Title")
    document.add_heading("5. Police Matters", level=1)
    for rows_, head in (
        (agenda, ("Item", "FROM", "SUBJECT")),
        (circulated, ("FROM", "SUBJECT", "Date")),
    ):
        table = document.add_table(rows=1, cols=3)
        for cell, value in zip(table.rows[0].cells, head, strict=True):
            cell.text = value
        for n, row in enumerate(rows_, 1):
            cells = table.add_row().cells
            cells[0].text = f"5.{n}" if head[0] == "Item" else str(row[col["From"]] or "")
            cells[1].text = str(row[col["Subject"]] or "")
            cells[2].text = str(row[col["Sent"]] or "")
    for n, row in enumerate(agenda, 1):
        document.add_heading(f"5.{n} {row[col['Subject']]}", level=2)
        for para in "".join(texts.get(str(row[col["Key"]]), [])).split("\n\n"):
            document.add_paragraph(para)
    document.save(str(out))
    wb.save(str(out.with_suffix(".xlsx")))
    return {"agenda": len(agenda), "circulated": len(circulated)}


def _inspect(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.config import load_config
    from council_papers.pipeline import inspect_paths

    config = load_config(EXAMPLE_CONFIG)  # a council's own settings, as a clerk runs it

    def run() -> dict[str, Any]:
        report = inspect_paths([p["corpus"]], config, jobs=p.get("jobs"))
        return {
            "items": len(report.records),
            "unreadable": len(report.failed),
            "duplicates": sum(1 for r in report.items if r.decision.duplicate_of),
        }

    return run


def _floor_inspect(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    jobs = _workers(p)  # as many processes as ours, with the same "jobs"
    return lambda: {"chars": floor_read(Path(p["corpus"]), jobs)}


def _scratch_copy(log: Path, scratch: Path) -> Path:
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    target = scratch / log.name
    shutil.copy2(log, target)
    return target


def _add(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.config import load_config
    from council_papers.pipeline import add_paths

    config = load_config(EXAMPLE_CONFIG)  # a council's own settings, as a clerk runs it
    log = _scratch_copy(Path(p["log"]), Path(p["scratch"]))

    def run() -> dict[str, Any]:
        report = add_paths([p["new"]], config, log, today=TODAY, jobs=None)  # as the CLI does
        return {"added": len(report.added), "skipped": len(report.skipped)}

    return run


def _floor_add(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from openpyxl import load_workbook

    log = _scratch_copy(Path(p["log"]), Path(p["scratch"]))

    def run() -> dict[str, Any]:
        chars = floor_read(Path(p["new"]), _workers(p))  # as many readers as add uses
        load_workbook(log).save(log.with_name("saved.xlsx"))
        return {"chars": chars}

    return run


def _pack(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.config import load_config
    from council_papers.pipeline import build_pack

    config = load_config(EXAMPLE_CONFIG)  # a council's own settings, as a clerk runs it
    log = _scratch_copy(Path(p["log"]), Path(p["scratch"]))

    def run() -> dict[str, Any]:
        report = build_pack(config, MEETING, log, log.with_name("pack.docx"))
        return {"agenda": len(report.agenda), "circulated": len(report.circulated)}

    return run


def _floor_pack(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.pack import default_template

    log = _scratch_copy(Path(p["log"]), Path(p["scratch"]))
    return lambda: floor_pack(log, log.with_name("floor.docx"), default_template())


_WORDS = (
    "officers",
    "patrols",
    "Cambourne",
    "residents",
    "speeding",
    "burglary",
    "vehicles",
    "reported",
    "community",
    "survey",
    "meeting",
    "volunteers",
    "council",
    "evening",
)


def _writer_items(n: int) -> list[tuple[str, str, str]]:
    """(sender, subject, text) of *n* items: six paragraphs of about 60 words each."""
    items = []
    for k in range(n):
        paras = [
            " ".join(_WORDS[(k + p * 5 + w * 3) % len(_WORDS)] for w in range(60)) + "."
            for p in range(6)
        ]
        items.append(
            ("Neighbourhood Alert", f"Item {k}: appeal for information", "\n\n".join(paras))
        )
    return items


def _writer(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """pack.write_pack alone: *items* agenda items with full texts and as many circulated."""
    from council_papers.pack import PackItem, PackSpec, write_pack

    made = [
        PackItem(number=None, sender_org=s, subject=t, date=MEETING, text=x)
        for s, t, x in _writer_items(p["items"])
    ]
    spec = PackSpec(
        council="Cambourne Town Council",
        district="District of South Cambridgeshire",
        meeting_title="Council Meeting",
        meeting_date=MEETING,
        police_item=5,
    )
    scratch = Path(p["scratch"])
    scratch.mkdir(parents=True, exist_ok=True)

    def run() -> dict[str, Any]:
        write_pack(spec, made, made, scratch / "writer.docx")
        return {"agenda": len(made)}

    return run


def _floor_writer(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """python-docx writing the same tables and texts on the same template, each paragraph
    put before the body's sectPr directly (python-docx's add_paragraph would scan the body
    for it every time: a quadratic floor would flatter us)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    from council_papers.pack import default_template

    items = _writer_items(p["items"])
    scratch = Path(p["scratch"])
    scratch.mkdir(parents=True, exist_ok=True)

    def run() -> dict[str, Any]:
        document = docx.Document(str(default_template()))
        body = document.element.body
        end = body.sectPr

        def para(text: str) -> None:
            element = OxmlElement("w:p")
            end.addprevious(element)
            Paragraph(element, document._body).add_run(text)

        para("Cambourne Town Council")
        for head in (("Item", "FROM", "SUBJECT"), ("FROM", "SUBJECT", "Date")):
            table = document.add_table(rows=1, cols=3)
            for cell, value in zip(table.rows[0].cells, head, strict=True):
                cell.text = value
            for n, (sender, subject, _) in enumerate(items, 1):
                cells = table.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = f"5.{n}", sender, subject
        for n, (_, subject, text) in enumerate(items, 1):
            para(f"5.{n} {subject}")
            for block in text.split("\n\n"):
                para(block)
        document.save(str(scratch / "floor-writer.docx"))
        return {"agenda": len(items)}

    return run


def _build(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.config import load_config
    from council_papers.pipeline import add_paths, build_pack, open_log

    config = load_config(EXAMPLE_CONFIG)  # a council's own settings, as a clerk runs it
    scratch = Path(p["scratch"])
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    log = scratch / "correspondence-log.xlsx"

    def run() -> dict[str, Any]:
        with open_log(config, log) as book:  # as the CLI's build does: one load, one lock
            added = add_paths([p["corpus"]], config, log, today=TODAY, jobs=None, book=book)
            report = build_pack(config, MEETING, log, scratch / "pack.docx", book=book)
        return {
            "added": len(added.added),
            "agenda": len(report.agenda),
            "circulated": len(report.circulated),
        }

    return run


def _floor_build(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from council_papers.pack import default_template

    # the log the build wrote: loaded, written into a pack and saved, as build_pack does
    log = _scratch_copy(Path(p["log"]), Path(p["scratch"]))

    def run() -> dict[str, Any]:
        chars = floor_read(Path(p["corpus"]), _workers(p))  # as many readers as build uses
        return {"chars": chars, **floor_pack(log, log.with_name("floor.docx"), default_template())}

    return run


def _help(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        times = []
        for _ in range(HELP_RUNS):
            start = time.perf_counter()
            subprocess.run(p["argv"], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"seconds": statistics.median(times), "rss_kb": usage.ru_maxrss}

    return run


def _make_log(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Set-up, not measured: a log of *rows* rows, cloned from the items of a corpus."""
    from council_papers.config import load_config
    from council_papers.pipeline import inspect_paths
    from council_papers.register import add_records

    records = inspect_paths([p["corpus"]], load_config(None)).items

    def run() -> dict[str, Any]:
        rows = []
        for k in range(p["rows"]):
            base = records[k % len(records)]
            # every row its own key and text, as in a real log (no shared strings to save on)
            text = base.text if k < len(records) else f"{base.text}\n\nLog copy {k}."
            rows.append(dataclasses.replace(base, message_id=f"<log-{k}@bench.invalid>", text=text))
        add_records(p["out"], rows, today=TODAY, backups=0)
        return {"rows": len(rows)}

    return run


def _make_pack_log(p: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Set-up, not measured: a log of *items* agenda rows and as many circulated ones."""
    from council_papers.config import load_config
    from council_papers.models import Disposition
    from council_papers.pipeline import inspect_paths
    from council_papers.register import add_records

    found = inspect_paths([p["corpus"]], load_config(None)).items
    records = [r for r in found if not r.decision.duplicate_of]

    def run() -> dict[str, Any]:
        rows = []
        for k in range(2 * p["items"]):
            base = records[k % len(records)]
            where = Disposition.AGENDA if k < p["items"] else Disposition.CIRCULATED
            decision = dataclasses.replace(base.decision, disposition=where)
            rows.append(
                dataclasses.replace(base, message_id=f"<pack-{k}@bench.invalid>", decision=decision)
            )
        add_records(p["out"], rows, today=TODAY, backups=0)
        return {"rows": len(rows)}

    return run


TASKS: dict[
    str, tuple[Callable[[dict[str, Any]], Callable[[], dict[str, Any]]], tuple[str, ...]]
] = {
    "inspect": (_inspect, OURS),
    "floor-inspect": (_floor_inspect, BARE),
    "add": (_add, OURS),
    "floor-add": (_floor_add, BARE),
    "pack": (_pack, OURS),
    "floor-pack": (_floor_pack, BARE),
    "writer": (_writer, OURS),
    "floor-writer": (_floor_writer, BARE),
    "build": (_build, OURS),
    "floor-build": (_floor_build, BARE),
    "help": (_help, ()),
    "floor-help": (_help, ()),
    "make-log": (_make_log, OURS),
    "make-pack-log": (_make_pack_log, OURS),
}


def _workers(spec: dict[str, Any]) -> int:
    """How many reading processes the task's files were given (see pipeline.worker_count)."""
    from council_papers.pipeline import worker_count

    folder = spec.get("corpus") or spec.get("new")
    return worker_count(spec.get("jobs"), len(_files(Path(folder)))) if folder else 0


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (-1 without /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return -1.0
    busy = sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this process and of its finished children (the reading workers)."""
    return sum(
        getattr(resource.getrusage(who), f)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for f in ("ru_utime", "ru_stime")
    )


def wait_for_idle(longest: float, say: Callable[[str], None]) -> float:
    """Wait (up to *longest* s) until other processes use under 5 % of the CPUs; return that share."""
    deadline = time.monotonic() + longest
    cpus = os.cpu_count() or 1
    while True:
        before = _busy_seconds()
        time.sleep(1.0)
        share = (_busy_seconds() - before) / cpus
        if before < 0 or share < 0.05 or time.monotonic() > deadline:
            if share >= 0.05:
                say(
                    f"machine still busy ({share:.0%} of its CPUs) after {longest:.0f} s: measuring"
                )
            return share


def _load() -> float:
    """The 1-minute load average (-1 where there is none): is the machine idle?"""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return -1.0


def child(spec: dict[str, Any]) -> None:
    """Run one task in this (fresh) process and print its result as one JSON line."""
    prepare, modules = TASKS[spec["task"]]
    _warm(*modules)
    run = prepare(spec)
    load = [_load()]
    busy, cpu = _busy_seconds(), _own_cpu()
    start = time.perf_counter()
    extra = run()
    seconds = time.perf_counter() - start
    load.append(_load())
    # what the rest of the machine used meanwhile: 0 on an idle machine
    others = (_busy_seconds() - busy) - (_own_cpu() - cpu) if busy >= 0 else -1.0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # worker processes that read files: the largest one's peak, and how many ran
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    workers = _workers(spec) if child_kb else 0
    # without /proc to sample (see spawn), the worst case: every peak added together
    result = {
        "seconds": seconds,
        "rss_kb": rss_kb + workers * child_kb,
        "self_kb": rss_kb,
        "worker_kb": child_kb,
        "workers": workers,
        "load": [x for x in load if x >= 0],
        "others_cpu_share": max(0.0, others) / (seconds * (os.cpu_count() or 1)),
        **extra,
    }
    print("RESULT " + json.dumps(result))


# ======================================================================================
# In the parent: set up, run each measurement in its own process, print the table
# ======================================================================================


@dataclasses.dataclass
class Row:
    """One line of the table: a measurement and its floor."""

    what: str
    size: str
    items: int  # for the per-item column; 0 if it does not apply
    ours: dict[str, Any]
    floor: dict[str, Any]
    targets: tuple[tuple[str, bool], ...] = ()  # (issue 6's target, whether it was met)

    @property
    def ratio(self) -> float:
        return float(self.ours["seconds"]) / max(float(self.floor["seconds"]), 1e-9)


def _descendants(pid: int) -> list[int]:
    """*pid* and every process below it (Linux /proc; just *pid* elsewhere)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
            parents[int(entry.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue  # gone already
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return found


def _pss_kb(pids: list[int]) -> int:
    """Proportional set size of these processes together: shared pages counted once."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


def spawn(task: str, work: Path, **params: Any) -> dict[str, Any]:
    """Run *task* in a fresh Python process; return what it reported.

    While it runs, the memory of it and its worker processes together is sampled
    (Linux) every SAMPLE seconds, as PSS: a forked worker shares the pages it has
    not changed with its parent, which a sum of peak RSS would count twice.
    """
    spec = {"task": task, **{k: str(v) if isinstance(v, Path) else v for k, v in params.items()}}
    sample = Path("/proc/self/smaps_rollup").exists()
    with subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        peak_pss = 0
        while sample:
            try:
                proc.wait(timeout=SAMPLE)
                break
            except subprocess.TimeoutExpired:
                tree = _descendants(proc.pid)
                if len(tree) > 1:  # workers are running: measure the whole tree
                    peak_pss = max(peak_pss, _pss_kb(tree))
        stdout, stderr = proc.communicate()
    lines = [ln for ln in stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"benchmark task {task} failed (exit {proc.returncode}):\n{stderr}")
    result = dict(json.loads(lines[-1][len("RESULT ") :]))
    if result.get("workers") and peak_pss:
        # the tree's sampled peak, or this process's own exact peak if that is higher
        result["rss_kb"] = max(peak_pss, result["self_kb"])
        result["pss_sampled"] = True
    return result


def corpus(work: Path, n: int, seed: int, start: int = 0) -> Path:
    """The corpus of items start .. start+n-1, generated once per work folder."""
    import generate

    folder = work / (f"corpus-{n}" if start == 0 else f"corpus-{start}+{n}")
    # a new generator writes a new corpus
    version = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:12]
    stamp = f"{seed} {start} {n} {version}\n"
    marker = folder / ".generated"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    generate.generate(folder, n, seed=seed, start=start)
    marker.write_text(stamp)
    return folder


def _made(work: Path, name: str, task: str, **params: Any) -> Path:
    """A log built once per work folder by a set-up task."""
    out = work / name
    if not out.exists():
        partial = out.with_name(f"partial-{out.name}")
        partial.unlink(missing_ok=True)
        spawn(task, work, out=partial, **params)
        partial.rename(out)
    return out


def measure(args: argparse.Namespace, work: Path, say: Callable[[str], None]) -> Iterator[Row]:
    """Run every measurement asked for, in order, yielding table rows."""
    sizes = QUICK if args.quick else SIZES
    sizes = {**sizes, **args.sizes}
    only = set(args.only or GROUPS)
    added = QUICK_ADDED if args.quick else ADDED
    base = min(LOG_BASE, max(sizes["add"] + [1])) if not args.quick else QUICK["add"][0]
    scratch = work / "scratch"

    def timed(task: str, work: Path, **params: Any) -> dict[str, Any]:
        """The median (by time) of --repeat runs of *task*: this machine's timings move."""
        runs = []
        for _ in range(args.repeat):
            if args.idle:
                wait_for_idle(args.idle, say)
            runs.append(spawn(task, work, **params))
        runs.sort(key=lambda r: float(r["seconds"]))
        return {
            **runs[(len(runs) - 1) // 2],
            "runs": [round(float(r["seconds"]), 3) for r in runs],
            "runs_others": [round(float(r.get("others_cpu_share", -1)), 3) for r in runs],
        }

    if "inspect" in only:
        for n in sizes["inspect"]:
            say(f"inspect: generating and reading {n:,} items")
            folder = corpus(work, n, args.seed)
            # in one process (the cost of our code over the libraries'), then as a user
            # runs it: reading in worker processes from PARALLEL_FROM files; each against
            # the floor read with as many processes
            for what, jobs in (("inspect, one process", 1), ("inspect (default)", None)):
                floor = timed("floor-inspect", work, corpus=folder, jobs=jobs)
                ours = timed("inspect", work, corpus=folder, jobs=jobs)
                targets = [("≤ 1.3× floor", ours["seconds"] <= 1.3 * floor["seconds"])]
                if n >= 10_000:
                    targets.append(("< 300 MB", ours["rss_kb"] < 300 * 1024))
                yield Row(what, f"{n:,} files", n, ours, floor, tuple(targets))

    if "add" in only:
        new = corpus(work, added, args.seed, start=base)
        for rows in sizes["add"]:
            say(f"add: building a log of {rows:,} rows, then adding {added} items")
            log = _made(
                work,
                f"log-{rows}.xlsx",
                "make-log",
                corpus=corpus(work, base, args.seed),
                rows=rows,
            )
            ours = timed("add", work, log=log, new=new, scratch=scratch)
            floor = timed("floor-add", work, log=log, new=new, scratch=scratch)
            met = ours["seconds"] <= 1.5 * floor["seconds"]
            yield Row(
                f"add {added} items to a log",
                f"{rows:,} rows",
                added,
                ours,
                floor,
                (("≤ 1.5× floor", met),) if rows == 10_000 else (),
            )

    if "pack" in only:
        source = corpus(work, base, args.seed)
        for items in sizes["pack"]:
            say(f"pack: {items} agenda items")
            log = _made(work, f"pack-log-{items}.xlsx", "make-pack-log", corpus=source, items=items)
            ours = timed("pack", work, log=log, scratch=scratch)
            floor = timed("floor-pack", work, log=log, scratch=scratch)
            yield Row(
                "pack (+ as many circulated)",
                f"{items} agenda",
                items,
                ours,
                floor,
                (("< 1 s", ours["seconds"] < 1),) if items == 100 else (),
            )

    if "writer" in only:
        for items in sizes["writer"]:
            say(f"writer: {items:,} agenda items and as many circulated, written alone")
            ours = timed("writer", work, items=items, scratch=scratch)
            floor = timed("floor-writer", work, items=items, scratch=scratch)
            yield Row(
                "pack writer alone (+ as many circulated)", f"{items:,} agenda", items, ours, floor
            )

    if "build" in only:
        for n in sizes["build"]:
            say(f"build: {n:,} items from folder to log and pack")
            folder = corpus(work, n, args.seed)
            ours = timed("build", work, corpus=folder, scratch=scratch)
            log = scratch / "correspondence-log.xlsx"
            floor = timed("floor-build", work, corpus=folder, log=log, scratch=work / "scratch2")
            yield Row(
                "build: folder → log → pack",
                f"{n:,} files",
                n,
                ours,
                floor,
                (("< 15 s", ours["seconds"] < 15),) if n == 1_000 else (),
            )

    if "help" in only:
        say("council-papers --help")
        ours = timed("help", work, argv=[sys.executable, "-m", "council_papers", "--help"])
        floor = timed("floor-help", work, argv=[sys.executable, "-c", "import click"])
        yield Row(
            "council-papers --help",
            "process",
            0,
            ours,
            floor,
            (("< 0.3 s", ours["seconds"] < 0.3),),
        )


def _secs(s: float) -> str:
    return f"{s:.2f} s" if s >= 0.1 else f"{s * 1000:.0f} ms"


def _peak(result: dict[str, Any]) -> str:
    """Peak MB; with worker processes, of the process and its workers together."""
    mb = f"{result['rss_kb'] / 1024:.0f}"
    if result.get("workers"):
        how = "PSS" if result.get("pss_sampled") else "RSS, added"
        mb += f" (with {result['workers']} workers, {how})"
    return mb


def _cells(row: Row) -> list[str]:
    per = ""
    if row.items:
        per = f"{row.ours['seconds'] / row.items * 1000:.1f} ms"
    target = "; ".join(f"{text}: {'yes' if met else 'MISSED'}" for text, met in row.targets)
    return [
        row.what,
        row.size,
        _secs(row.ours["seconds"]),
        per,
        _peak(row.ours),
        _secs(row.floor["seconds"]),
        f"{row.floor['rss_kb'] / 1024:.0f}",
        f"{row.ratio:.2f}",
        target,
    ]


HEADERS = [
    "measurement",
    "size",
    "time",
    "per item",
    "peak MB",
    "floor",
    "floor MB",
    "× floor",
    "target",
]


def table(rows: list[Row]) -> str:
    """The rows as a plain-text table."""
    cells = [HEADERS, *(_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    out += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(out)


def parallel_gain(rows: list[Row]) -> list[str]:
    """Say what reading in worker processes gains, ours and the floor's, at each size."""
    out = []
    one = {r.size: r for r in rows if r.what == "inspect, one process"}
    for row in rows:
        single = one.get(row.size)
        if row.what != "inspect (default)" or single is None or not row.ours.get("workers"):
            continue
        ours = single.ours["seconds"] / row.ours["seconds"]
        floor = single.floor["seconds"] / row.floor["seconds"]
        out.append(
            f"parallel reading, {row.size}: {row.ours['workers']} workers are "
            f"{ours:.2f}× as fast as one process (the floor: {floor:.2f}×)"
        )
        if len(row.ours.get("runs", ())) > 1:  # the fastest runs: the least disturbed
            best = [min(side["runs"]) for side in (single.ours, row.ours, single.floor, row.floor)]
            out.append(
                f"  fastest runs: ours {best[0] / best[1]:.2f}×, the floor "
                f"{best[2] / best[3]:.2f}×; ours ÷ floor {best[0] / best[2]:.2f} in one "
                f"process, {best[1] / best[3]:.2f} with {row.ours['workers']} workers"
            )
    return out


def interference(rows: list[Row]) -> str | None:
    """How much of the CPUs other processes used during the reported runs (0 %: idle)."""
    shares = [
        side["others_cpu_share"]
        for r in rows
        for side in (r.ours, r.floor)
        if "others_cpu_share" in side
    ]
    if not shares:
        return None
    return (
        f"other processes used {min(shares):.0%}–{max(shares):.0%} of the CPUs during the "
        f"runs reported (0 %: an idle machine)"
    )


def load_range(rows: list[Row]) -> str | None:
    """The 1-minute load average seen at the start and end of every measurement."""
    loads = [x for r in rows for side in (r.ours, r.floor) for x in side.get("load", ())]
    if not loads:
        return None
    return (
        f"load average (1 min) while measuring: {min(loads):.2f}–{max(loads):.2f} "
        f"on {os.cpu_count()} CPU(s) (each measurement's own processes included)"
    )


def growth(rows: list[Row]) -> str | None:
    """Say how the per-item cost of inspect and of the pack writer grows with N (1.0 is linear)."""
    lines = []
    for what, name, bound in (
        ("inspect, one process", "inspect", None),
        ("pack writer alone (+ as many circulated)", "pack writer", 1.3),
    ):
        found = [r for r in rows if r.what == what]
        if len(found) < 2:
            continue
        per = [r.ours["seconds"] / r.items for r in found]
        worst = max(per) / min(per)
        line = (
            f"growth: per-item {name} time at {found[-1].size} is {per[-1] / per[0]:.2f}× "
            f"that at {found[0].size} (1.00 = linear)"
        )
        if bound is not None:
            line += (
                f"; largest/smallest per-item time across "
                f"{', '.join(r.size for r in found)}: {worst:.2f}× "
                f"(target ≤ {bound}×: {'yes' if worst <= bound else 'MISSED'})"
            )
        lines.append(line)
    return "\n".join(lines) or None


def machine() -> str:
    """nproc, CPU model, RAM, Python and the libraries' versions."""
    from importlib.metadata import version

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    libs = ", ".join(
        f"{n} {version(n)}"
        for n in ("openpyxl", "python-docx", "pypdf", "inscriptis", "lxml", "rapidfuzz")
    )
    return (
        f"{os.cpu_count()} CPU(s), {cpu}{ram}; Python {platform.python_version()} on "
        f"{platform.system()} {platform.release()}; {libs}"
    )


def _sizes(text: str) -> tuple[str, list[int]]:
    group, _, values = text.partition("=")
    if group not in SIZES or not values:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use GROUP=N[,N...] with GROUP one of {', '.join(SIZES)}"
        )
    try:
        return group, [int(v.replace("_", "")) for v in values.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes must be whole numbers") from None


def _groups(text: str) -> list[str]:
    groups = [g.strip() for g in text.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown group(s) {', '.join(unknown)}: use {', '.join(GROUPS)}"
        )
    return groups


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes, to check it still runs")
    ap.add_argument(
        "--sizes",
        type=_sizes,
        action="append",
        default=[],
        metavar="GROUP=N,N",
        help="sizes for one group: inspect=files, add=log rows, pack=agenda items, "
        "writer=agenda items, build=files (repeat for several groups)",
    )
    ap.add_argument("--only", type=_groups, help=f"run only these groups ({','.join(GROUPS)})")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each measurement N times and report the median (default 1)",
    )
    ap.add_argument(
        "--idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each run, wait up to SECONDS for other processes to leave the "
        "CPUs idle (under 5 %%)",
    )
    ap.add_argument("--work", type=Path, help="keep corpora and logs here, and reuse them")
    ap.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    ap.add_argument("--json", type=Path, help="also write every result as JSON to this file")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0
    args.sizes = dict(args.sizes)

    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="council-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for row in measure(args, work, lambda s: print(f"... {s}", file=sys.stderr, flush=True)):
            rows.append(row)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    note = growth(rows)
    notes = [n for n in (note, *parallel_gain(rows), load_range(rows), interference(rows)) if n]
    for line in notes:
        print(line)
    print(
        f"(times exclude importing the libraries; peak MB is the process's ru_maxrss, or with "
        f"worker processes the sampled PSS of all of them; medians of {args.repeat} run(s); "
        f"whole run {time.perf_counter() - started:.0f} s)"
    )
    if args.markdown:
        args.markdown.write_text(markdown(rows) + "\n" + "".join(f"\n{n}\n" for n in notes))
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
