"""Runs the stages in order and returns a report. Never prints."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from council_papers.classify import Precedent, Ruleset, classify_all, load_rules, precedents_from
from council_papers.config import Config, Theme
from council_papers.errors import ConfigError, MailboxError, PackError, ReadError
from council_papers.extract import Knowledge, extract
from council_papers.limits import applied
from council_papers.models import (
    Classified,
    Correspondence,
    Disposition,
    Format,
    InspectReport,
    Kind,
    Skipped,
    Unreadable,
)
from council_papers.read import format_for, read_bytes, read_file, walk
from council_papers.read.mailbox import FileMailbox, ImapMailbox, MailOptions
from council_papers.senders import Identifier, Registry, find_area, load_registry

if TYPE_CHECKING:  # imported when used: --help stays quick
    from council_papers.classify import Trial
    from council_papers.classify.signals import Signals
    from council_papers.pack import PackItem
    from council_papers.register.book import LoadedLog
    from council_papers.register.rows import LogRow, StoredText

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, current path)


@dataclass(frozen=True)
class Stages:
    """What the stages need, loaded once per run."""

    config: Config
    knowledge: Knowledge
    ruleset: Ruleset

    @classmethod
    def load(cls, config: Config) -> Stages:
        """Load the organisations, rules and themes the config points to."""
        ruleset = load_rules(config.rules, council=config.council_name)
        registry = load_registry(config.organisations)
        themes = tuple(Theme(t.name, t.aliases) for t in ruleset.themes)
        return cls(
            config=config,
            knowledge=Knowledge(
                identifier=Identifier(registry, _home_area(registry, config)),
                themes=themes,
            ),
            ruleset=ruleset,
        )


def _home_area(registry: Registry, config: Config) -> str | None:
    """The council's own police area, checked against the registry."""
    if not config.police_area:
        return None
    try:
        return find_area(registry, config.police_area).name
    except ConfigError as err:
        raise ConfigError(f"council.toml: [council] police_area: {err}") from err


def read_one(path: Path, stages: Stages) -> Correspondence | Unreadable:
    """Read, clean and extract one file; a file that cannot be read is Unreadable, with why."""
    try:
        raw = read_file(path, max_bytes=stages.config.max_file_bytes, limits=stages.config.limits)
    except ReadError as err:
        log.debug("could not read %s", path, exc_info=True)
        return Unreadable(path=str(path), format=format_for(path), error=_reason(err, path))
    return extract(raw, stages.knowledge)


# The name a mailbox message is read under: the .eml reader, checks and limits a saved
# file gets; the record then takes the message's own label.
_AS_SAVED = Path("message.eml")


def read_message(label: str, data: bytes, stages: Stages) -> Correspondence | Unreadable:
    """Read, clean and extract one message from a mailbox exactly as a saved .eml file."""
    try:
        raw = read_bytes(
            _AS_SAVED, data, max_bytes=stages.config.max_file_bytes, limits=stages.config.limits
        )
    except ReadError as err:
        log.debug("could not read %s", label, exc_info=True)
        return Unreadable(path=label, format=Format.EML, error=_reason(err, _AS_SAVED))
    return extract(replace(raw, path=label), stages.knowledge)


def _read_mailbox(
    box: ImapMailbox | FileMailbox,
    stages: Stages,
    progress: Progress | None,
    mail: MailOptions,
    since: dt.date | None,
) -> list[Correspondence | Unreadable]:
    """Read each message of *box*; a mailbox that fails adds one Unreadable naming it.

    Messages taken before a failure are kept: each is a whole message, and a second run
    recognises them by their key.
    """
    records: list[Correspondence | Unreadable] = []
    try:
        for message in box.messages(mail, since, stages.config.max_file_bytes):
            if message.data is None:
                problem = message.problem or "not taken from the mailbox"
                records.append(Unreadable(path=message.label, format=Format.EML, error=problem))
            else:
                records.append(read_message(message.label, message.data, stages))
            if progress:
                progress(message.number, message.total, message.label)
    except MailboxError as err:
        log.debug("mailbox %s failed", box.label, exc_info=True)
        records.append(
            Unreadable(path=box.label, format=None, error=_reason(err, Path(box.label), box.label))
        )
    return records


def last_meeting(rows: Iterable[LogRow]) -> dt.date | None:
    """The latest meeting recorded in the log's rows (register.LogRow), if any."""
    return max((r.meeting for r in rows if r.meeting is not None), default=None)


def _reason(err: ReadError | MailboxError, path: Path, label: str | None = None) -> str:
    message = str(err)
    prefix = f"{label or path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


# Reading is most of a run's time and each file is read on its own, so a large batch
# is read by worker processes, one per CPU (up to MAX_JOBS); a clerk's usual batch is
# read in this process, where a -v traceback is simplest to follow.
PARALLEL_FROM = 50  # files
MAX_JOBS = 4

_worker_stages: Stages | None = None


def cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, files: int) -> int:
    """How many processes read *files* files: *requested* (1: this one), else automatic."""
    if requested is not None:
        return max(1, requested)
    return 1 if files < PARALLEL_FROM else max(1, min(MAX_JOBS, cpus()))


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_WATCH_EVERY = 0.5  # seconds between a worker's checks that its parent is alive


def _start_worker(stages: Stages, parent: int) -> None:
    global _worker_stages
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_parent(parent)
    _worker_stages = stages


def _end_with_parent(parent: int) -> None:
    """Make this worker end when the process *parent* dies, even by SIGKILL.

    A killed parent runs no clean-up, and its idle workers would wait on their task
    queue for ever. Linux ends them at once (PR_SET_PDEATHSIG); everywhere, a thread
    also polls the parent pid, which catches the parent dying before prctl ran.
    """
    if sys.platform == "linux":
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog alone
            log.debug("prctl(PR_SET_PDEATHSIG) unavailable", exc_info=True)
    if os.getppid() != parent:  # died already: nobody is waiting for what we read
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_EVERY)
    os._exit(1)  # orphaned (re-parented): end without waiting for the queue


def _read_in_worker(path: Path) -> Correspondence | Unreadable:
    assert _worker_stages is not None, "worker started without its stages"
    return read_one(path, _worker_stages)


def _read_many(
    files: list[Path], stages: Stages, jobs: int
) -> Iterator[Correspondence | Unreadable]:
    """Read *files* in *jobs* worker processes; yield the records in the files' order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork starts a worker in milliseconds with everything already imported, but is
    # only safe with no other thread running; otherwise (and on macOS and Windows)
    # spawn, which imports afresh
    method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
    chunk = max(1, min(32, len(files) // (jobs * 8)))
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(stages, os.getpid()),
        ) as pool:
            for record in pool.map(_read_in_worker, files, chunksize=chunk):
                done += 1
                yield record
    except BrokenProcessPool:  # a worker was killed (out of memory?): go on in this process
        log.warning(
            "a reading process stopped unexpectedly; reading the remaining %d file(s) "
            "in one process",
            len(files) - done,
        )
        for path in files[done:]:
            yield read_one(path, stages)


def _read_all(
    paths: Iterable[str | Path | ImapMailbox | FileMailbox],
    stages: Stages,
    progress: Progress | None,
    jobs: int | None,
    mail: MailOptions | None = None,
    since: Callable[[], dt.date | None] | None = None,
) -> tuple[list[Correspondence | Unreadable], tuple[Skipped, ...]]:
    """Read every file and mailbox under *paths*, reporting progress; return records and skips.

    The records come in the files' order whatever *jobs* is, so everything after
    reading (duplicates: the first copy is kept) does not depend on it; the mailboxes'
    messages follow. *since* gives the day mail is fetched from unless *mail* says
    otherwise; it is asked only when there is a mailbox.
    """
    found = list(walk(paths))
    files = [p for p in found if isinstance(p, Path)]
    workers = worker_count(jobs, len(files))
    if workers > 1 and len(files) > 1:
        reading: Iterable[Correspondence | Unreadable] = _read_many(files, stages, workers)
    else:
        reading = (read_one(path, stages) for path in files)
    records: list[Correspondence | Unreadable] = []
    for n, (path, record) in enumerate(zip(files, reading, strict=True), start=1):
        records.append(record)
        if progress:
            progress(n, len(files), str(path))
    boxes = [b for b in found if isinstance(b, ImapMailbox | FileMailbox)]
    if boxes:
        mail = mail or MailOptions()
        day = None if mail.everything else mail.since or (since() if since else None)
        for box in boxes:
            records.extend(_read_mailbox(box, stages, progress, mail, day))
    return records, tuple(s for s in found if isinstance(s, Skipped))


def _classified(
    records: Sequence[Correspondence | Unreadable],
    ruleset: Ruleset,
    held: Iterable[tuple[str, str, str]] = (),
    precedents: Sequence[Precedent] = (),
) -> tuple[Classified | Unreadable, ...]:
    """Classify the records that were read (as classify_all does); each unreadable file
    stays in its place, so the report lists both in the inputs' order."""
    read = [r for r in records if isinstance(r, Correspondence)]
    decided = iter(classify_all(read, ruleset, held, precedents))
    return tuple(r if isinstance(r, Unreadable) else next(decided) for r in records)


def inspect_paths(
    paths: Iterable[str | Path | ImapMailbox | FileMailbox],
    config: Config,
    progress: Progress | None = None,
    *,
    jobs: int | None = 1,
    mail: MailOptions | None = None,
) -> InspectReport:
    """Read and classify every file under *paths*; unreadable files are reported, not fatal.

    *jobs*: processes reading the files: 1 (the default) reads them in this process;
    None chooses as the command line does (see worker_count). Worker processes are
    spawned where they cannot be forked, and spawning re-imports the calling script:
    a script that asks for them must guard its work with ``if __name__ == "__main__"``.
    *mail*: how mailboxes are read; by default mail since the last meeting in the log
    (config's, else ./correspondence-log.xlsx) when there is one.
    """
    stages = Stages.load(config)

    def since() -> dt.date | None:
        from council_papers.register import read_log

        log = default_log(config)
        return last_meeting(read_log(log)) if log.is_file() else None

    records, skipped = _read_all(paths, stages, progress, jobs, mail, since)
    return InspectReport(records=_classified(records, stages.ruleset), skipped=skipped)


# -- add: files -> the correspondence log -------------------------------------------


@dataclass(frozen=True)
class AddReport:
    """What `add` did: what it read, what it appended to the log, what it passed over."""

    inspected: InspectReport
    added: tuple[LogRow, ...]
    skipped: tuple[tuple[str, str], ...]
    log: Path
    created: bool
    notes: tuple[str, ...] = ()  # what the clerk should hear (stale temp files removed ...)

    @property
    def passed_over(self) -> tuple[tuple[str, str], ...]:
        """The files read but not added (already in the log, deleted by the clerk), with why.

        The unreadable files are in ``inspected.failed`` instead.
        """
        unread = {r.path for r in self.inspected.failed}
        return tuple((path, why) for path, why in self.skipped if path not in unread)

    @property
    def excluded(self) -> tuple[Classified, ...]:
        """The items this run logged as Excluded (not those the log already held)."""
        passed_over = {path for path, _ in self.skipped}
        return tuple(
            r
            for r in self.inspected.items
            if r.decision.disposition == Disposition.EXCLUDED and r.path not in passed_over
        )


def default_log(config: Config, folder: Path | None = None) -> Path:
    """The log the config names, else correspondence-log.xlsx in *folder* (or here)."""
    if config.log is not None:
        return config.log
    return (folder or Path.cwd()) / "correspondence-log.xlsx"


def default_pack(meeting: dt.date, folder: Path | None = None) -> Path:
    """police-matters-YYYY-MM-DD.docx in *folder* (or here, as a relative path): where a
    meeting's pack goes."""
    return (folder or Path()) / f"police-matters-{meeting.isoformat()}.docx"


def open_log(config: Config, log: Path, *, create: bool = True) -> LoadedLog:
    """Lock and load the log once for a command (register.LoadedLog), within the config's limits.

    The caller closes it (or uses it in a ``with`` block) to let the next run in.
    """
    from council_papers.register import load_log

    return load_log(
        log, create=create, max_unpacked_mb=config.max_log_unpacked_mb, lock_wait=config.lock_wait_s
    )


def add_paths(
    paths: Iterable[str | Path | ImapMailbox | FileMailbox],
    config: Config,
    log: Path,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
    jobs: int | None = 1,
    book: LoadedLog | None = None,
    mail: MailOptions | None = None,
    re_add: bool = False,
) -> AddReport:
    """Read and classify files, and append what is new to the log (*jobs* as for inspect_paths).

    *book*: the log already loaded by :func:`open_log` (build passes the one it then
    writes the pack from), else it is loaded (and locked) here, once the files are read
    (first, when a mailbox needs the log's last meeting). *mail*: how mailboxes are
    read; by default, mail since the last meeting in the log. *re_add*: add again the
    items whose rows the clerk deleted from the log.
    """
    stages = Stages.load(config)
    if book is not None:
        records, skipped = _read_all(
            paths, stages, progress, jobs, mail, lambda: last_meeting(book.rows())
        )
        return _add(book, records, skipped, stages, log, today, re_add)
    opened: list[LoadedLog] = []

    def since() -> dt.date | None:
        if not opened:  # a mailbox needs the log's last meeting before reading
            opened.append(open_log(config, log))
        return last_meeting(opened[0].rows())

    try:
        records, skipped = _read_all(paths, stages, progress, jobs, mail, since)
        if not opened:
            opened.append(open_log(config, log))
    except BaseException:
        if opened:
            opened[0].close()
        raise
    with opened[0] as own:
        return _add(own, records, skipped, stages, log, today, re_add)


def _add(
    book: LoadedLog,
    records: list[Correspondence | Unreadable],
    skipped: tuple[Skipped, ...],
    stages: Stages,
    log: Path,
    today: dt.date | None,
    re_add: bool,
) -> AddReport:
    # loaded once: read for duplicates, then appended to and saved
    # what the log already holds: a new copy of it is a duplicate, named by its Ref
    texts = book.texts()
    rows = book.rows()
    held = [(row.ref or row.key, row.key, texts[row.key].text) for row in rows if row.key in texts]
    # the clerk's corrections: rows whose Disposition differs from the one their Reason gave
    precedents = precedents_from(
        (
            row.ref or row.key,
            row.subject,
            row.disposition,
            row.reason,
            row.meeting,
            texts[row.key].text if row.key in texts else "",
            row.sender_org,
            row.kind,
        )
        for row in rows
    )
    classified = _classified(records, stages.ruleset, held, precedents)
    result = book.add(classified, today=today, re_add=re_add)
    return AddReport(
        inspected=InspectReport(records=classified, skipped=skipped),
        added=result.added,
        skipped=result.skipped,
        log=log,
        created=result.created,
        notes=tuple(book.notes),
    )


# -- pack: the log -> the meeting pack ---------------------------------------------------


@dataclass(frozen=True)
class PackReport:
    """What `pack` wrote: the pack, its PDF, and which items went where."""

    pack: Path
    pdf: Path | None
    agenda: tuple[PackItem, ...]
    circulated: tuple[PackItem, ...]
    deadline: dt.date
    unknown_dispositions: tuple[str, ...] = ()
    template_notes: tuple[str, ...] = ()  # what the clerk should know about their template
    warnings: tuple[str, ...] = ()  # cells the clerk typed that were left alone, and why
    notes: tuple[str, ...] = ()  # stale files removed


def build_pack(
    config: Config,
    meeting: dt.date,
    log: Path,
    out: Path,
    *,
    template: Path | None = None,
    pdf: bool = False,
    book: LoadedLog | None = None,
) -> PackReport:
    """Write the meeting pack from the log and record the meeting in the log.

    The pack takes the rows not yet reported at an earlier meeting, sent (or, with
    no date, received) up to the day the agenda must be published, plus any rows
    already given this meeting: so running it again rebuilds the same pack. The
    Disposition cell as the clerk left it decides where each row goes. *book*: as
    for add_paths.
    """
    if book is None:  # loaded (and locked) once: read, then the meeting recorded in it
        with open_log(config, log, create=False) as own:
            return _pack(config, meeting, own, out, template, pdf)
    return _pack(config, meeting, book, out, template, pdf)


def _name(row: LogRow) -> str:
    """A row as the clerk finds it in Excel: its Ref and sheet row."""
    return f"{row.ref} (row {row.row})" if row.ref else f"row {row.row}"


def _clerk_warnings(
    rows: Iterable[LogRow],
    chosen: list[LogRow],
    texts: dict[str, StoredText],
    agenda_rows: list[LogRow],
    texts_missing: bool,
) -> list[str]:
    """What the clerk typed that the pack could not use, naming the rows."""
    warnings = [
        f"{_name(r)}: the Meeting cell holds '{r.meeting_text}', not a date: left "
        "alone, and the item is not in this pack"
        for r in rows
        if r.meeting_text
    ]
    warnings += [
        f"{_name(r)}: the Sent cell holds '{r.sent_text}', which is not a date "
        "(type it like 05/07/2022): the item is placed by its Received date"
        for r in rows
        if r.sent_text and r.meeting is None
    ]
    blank = [_name(r) for r in chosen if r.disposition is None and not r.disposition_text]
    if blank:
        warnings.append(f"Disposition blank, left out of the pack: {', '.join(blank)}")
    no_text = [_name(r) for r in agenda_rows if not r.hand_typed and r.key not in texts]
    if no_text:
        why = (
            "the log's Texts sheet has been deleted"
            if texts_missing
            else "they are not in the log's Texts sheet"
        )
        warnings.append(
            f"no full text for {', '.join(no_text)}: {why}, so the pack says "
            "the text was not available"
        )
    return warnings


def _pack(
    config: Config, meeting: dt.date, book: LoadedLog, out: Path, template: Path | None, pdf: bool
) -> PackReport:
    from council_papers.pack import PackSpec, export_pdf, write_pack
    from council_papers.pack.selection import pack_items, select

    rows = book.rows()
    texts = book.texts()
    selection = select(rows, meeting)
    deadline, chosen, unknown = selection.deadline, list(selection.chosen), selection.unknown
    agenda_rows, circulated_rows = list(selection.agenda), list(selection.circulated)
    warnings = _clerk_warnings(rows, chosen, texts, agenda_rows, book.texts_missing)
    agenda, circulated = pack_items(selection, texts, config.police_item)
    # a response due before the council meets: the clerk must answer first (or by delegation)
    warnings += [
        f"{_name(r)} '{r.subject}': a response is asked by {r.respond_by:%-d %B %Y}, before "
        f"the meeting on {meeting:%-d %B %Y}: reply before the council meets"
        for r in agenda_rows
        if r.respond_by and r.respond_by < meeting
    ]
    spec = PackSpec(
        council=config.council_name,
        district=config.district,
        meeting_title=config.meeting_title,
        meeting_date=meeting,
        police_item=config.police_item,
        publication=config.publication,
        template=template or config.template,
    )
    with applied(config.limits):  # [limits] max_unpacked_mb bounds the template too
        pack = write_pack(spec, agenda, circulated, out)
    written = pack.path
    note = pack.note(Path(spec.template)) if spec.template is not None else None
    assignments: dict[str, tuple[dt.date, str | None]] = {
        r.key: (meeting, i.number) for r, i in zip(agenda_rows, agenda, strict=True)
    }
    assignments.update({r.key: (meeting, None) for r in circulated_rows})
    # rows the clerk has since moved out of this meeting (e.g. to Excluded) are released
    assignments.update(
        {
            r.key: (meeting, None)
            for r in chosen
            if r.meeting == meeting and r.key not in assignments
        }
    )
    if assignments:
        book.assign_meeting(assignments)
    pdf_path = export_pdf(written) if pdf else None
    return PackReport(
        written,
        pdf_path,
        agenda,
        circulated,
        deadline,
        unknown,
        (note,) if note else (),
        warnings=tuple(warnings),
        notes=(*book.notes, *pack.notes),
    )


# -- build: files -> the log -> the meeting pack, in one go -----------------------------


@dataclass(frozen=True)
class BuildReport:
    """What `build` did: the log it added to, and the pack it then wrote from that log."""

    log: Path
    added: AddReport
    pack: PackReport


def build(
    paths: Iterable[str | Path | ImapMailbox | FileMailbox],
    config: Config,
    meeting: dt.date,
    out_dir: Path,
    progress: Progress | None = None,
    *,
    pdf: bool = False,
    jobs: int | None = 1,
    mail: MailOptions | None = None,
) -> BuildReport:
    """Add what is new under *paths* to the log, then write the meeting's pack from it.

    The log is the config's, else correspondence-log.xlsx in *out_dir*; the pack is
    police-matters-YYYY-MM-DD.docx in *out_dir*, which is made if need be (PackError
    when it cannot be). The log is loaded and locked once for both steps, so no other
    run changes it between them, and a log that must be refused stops the build before
    anything is read. *progress*, *jobs* and *mail* as for add_paths; *pdf*: also export
    the pack as a PDF.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PackError(f"{out_dir}: cannot make the folder ({err.strerror or err})") from err
    log = default_log(config, out_dir)
    with open_log(config, log) as book:
        added = add_paths(paths, config, log, progress, jobs=jobs, book=book, mail=mail)
        pack = build_pack(config, meeting, log, default_pack(meeting, out_dir), pdf=pdf, book=book)
    return BuildReport(log, added, pack)


@dataclass(frozen=True)
class Explanation:
    """Why one file was decided as it was: the rules tried, and the signals the policy read."""

    record: Classified
    trials: tuple[Trial, ...]
    signals: Signals
    rules_path: Path
    kind_scores: dict[Kind, float]  # what each kind scored, from the signals (classify.engine)


def explain_file(path: Path, config: Config) -> Explanation:
    """Read and classify one file, and keep every rule's trial and the signals read off it."""
    from council_papers.classify import explain
    from council_papers.classify.engine import kind_scores
    from council_papers.classify.signals import read_signals

    stages = Stages.load(config)
    read = read_one(path, stages)
    if isinstance(read, Unreadable):
        raise ReadError(f"{path}: {read.error}")
    (record,) = classify_all([read], stages.ruleset)
    signals = read_signals(record)
    return Explanation(
        record,
        explain(record, stages.ruleset),
        signals,
        stages.ruleset.path,
        kind_scores(signals),
    )
