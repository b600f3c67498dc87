"""The council-papers command line: thin commands over the library.

This is the only module that prints or exits: CouncilPapersError -> exit 1 with
one line, usage errors -> exit 2 (click's own convention).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from council_papers import __version__
from council_papers.errors import CouncilPapersError

if TYPE_CHECKING:  # the library is imported inside each command: --help stays quick
    from rich.table import Table

    from council_papers.config import Config
    from council_papers.models import Classified, InspectReport, Unreadable
    from council_papers.pipeline import PackReport
    from council_papers.read.mailbox import ImapMailbox, MailOptions
    from council_papers.register.rows import LogRow

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class State:
    """Options shared by every command."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose


# a command function, before or after click has made it a command
Command = TypeVar("Command", bound=Callable[..., object])


@contextmanager
def reported(state: State) -> Iterator[None]:
    """Turn a library error into one line (or a traceback with --verbose) and exit 1."""
    try:
        yield
    except CouncilPapersError as err:
        if state.verbose:
            raise
        raise click.ClickException(shown(str(err))) from err


def shown(text: str) -> str:
    """Return *text* safe to print on one line: control and bidi characters as escapes.

    A file name can hold a new line, a terminal escape or U+202E; printed raw they
    would split the one-line report, recolour the terminal or reverse the line.
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _report_files(inspected: InspectReport) -> None:
    """One line on stderr per file that could not be read, and per warning."""
    from council_papers.models import Unreadable

    for record in inspected.records:
        if isinstance(record, Unreadable):
            click.secho(shown(f"could not read {record.path}: {record.error}"), fg="red", err=True)
        for warning in record.warnings:
            click.secho(shown(f"warning: {record.path}: {warning}"), fg="yellow", err=True)


def _progress(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """Yield a progress callback drawing a bar on a terminal, or None."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress

    # redrawn as each file is read, not by a refresh thread: a process with no other
    # threads can start its reading processes by fork (pipeline._read_many)
    with Progress(transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Reading", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(
                task,
                completed=done,
                total=total,
                description=f"Reading {_name(path)}",
                refresh=True,
            )

        yield update


progress_bar = contextmanager(_progress)


def _name(path: str) -> str:
    """A file's name, or a mailbox message's place (``INBOX;UID=7``), to show on one line."""
    if "://" in path:  # imaps://user@host/INBOX;UIDVALIDITY=1/;UID=7
        folder, _, uid = path.split("/", 3)[-1].partition(";UIDVALIDITY=")
        return f"{folder};{uid.rpartition(';')[2]}" if uid else folder
    return Path(path).name


def mail_option(command: Command) -> Command:
    """The --since option: how far back mailboxes (IMAP, mbox, Maildir) are read."""
    return click.option(
        "--since",
        metavar="YYYY-MM-DD|all",
        default=None,
        help="Mailboxes: take mail from this day on, or 'all' for every message "
        "(default: since the last meeting in the log).",
    )(command)


def _inputs(
    inputs: tuple[str, ...], config: Config, since: str | None
) -> tuple[list[str | ImapMailbox], MailOptions]:
    """The inputs to read (council.toml's [mailbox] when none is given) and how to read mail.

    The password of an IMAP mailbox comes from $COUNCIL_PAPERS_IMAP_PASSWORD or the
    system keyring, else it is asked for here, before any progress bar is drawn.
    """
    from council_papers.read.mailbox import (
        PASSWORD_VARIABLE,
        ImapMailbox,
        MailOptions,
        is_mailbox_url,
        parse_mailbox_url,
        stored_password,
    )

    sources: list[str | ImapMailbox] = list(inputs)
    if not sources:
        if config.mailbox is None:
            raise click.UsageError(
                "give files, folders or a mailbox (imaps://USER@HOST/FOLDER), "
                "or add a [mailbox] section to council.toml"
            )
        sources = [config.mailbox]
    options = MailOptions(
        everything=since == "all", since=None if since in (None, "all") else _date(str(since))
    )
    imap = [
        s if isinstance(s, ImapMailbox) else parse_mailbox_url(s)
        for s in sources
        if isinstance(s, ImapMailbox) or is_mailbox_url(str(s))
    ]
    if imap and not stored_password(imap[0]):
        try:
            password = click.prompt(f"Password for {imap[0].label}", hide_input=True, err=True)
        except click.Abort:
            raise click.ClickException(
                f"no password: set {PASSWORD_VARIABLE}, store it in the "
                "system keyring, or type it when asked"
            ) from None
        options = MailOptions(since=options.since, everything=options.everything, password=password)
    return sources, options


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version")
@click.option("-v", "--verbose", is_flag=True, help="Show debug logging and full tracebacks.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Turn police correspondence into a council's Police Matters item, log and pack."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s")
    ctx.obj = State(False)
    _set_verbose(ctx, None, verbose)  # also when logging was set up before (basicConfig: no-op)


def _set_verbose(ctx: click.Context, param: click.Parameter | None, value: bool) -> None:
    if value:
        ctx.ensure_object(State).verbose = True
        logging.getLogger().setLevel(logging.DEBUG)


def verbose_option(command: Command) -> Command:
    """-v/--verbose after the command name too, as before it (``pack -v`` = ``-v pack``)."""
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbose,
        help="Show debug logging and full tracebacks.",
    )(command)


def _is_url(value: str) -> bool:
    return value.lower().startswith(("imap://", "imaps://"))


def _existing(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """The named files, folders and mailboxes; a file or folder that does not exist is a
    usage error (exit 2).

    Checked while the command line is parsed, so nothing (log, pack, folder) is written.
    """
    missing = [path for path in value if not _is_url(path) and not Path(path).exists()]
    if missing:
        raise click.BadParameter(shown(f"{', '.join(missing)}: no such file or folder"))
    return value


def _unknown_suffixes(paths: tuple[str, ...]) -> list[Path]:
    """The named files (not folders' contents, not mbox files) that no reader reads."""
    from council_papers.read import format_for
    from council_papers.read.mailbox import is_mbox

    files = [Path(p) for p in paths if not _is_url(p)]
    return [
        path for path in files if path.is_file() and format_for(path) is None and not is_mbox(path)
    ]


def _stop_if_nothing_readable(paths: tuple[str, ...]) -> list[Path]:
    """Return the named files nothing reads; stop (exit 1, nothing written) if that is all of them."""
    unknown = _unknown_suffixes(paths)
    if unknown and len(unknown) == len(paths):
        from council_papers.read import READERS

        raise click.ClickException(
            shown(
                f"nothing to read: no reader for {', '.join(str(p) for p in unknown)} "
                f"(council-papers reads {', '.join(READERS)} files)"
            )
        )
    return unknown


def config_option(command: Command) -> Command:
    """The -c/--config option: the council.toml to use (a missing one is a usage error)."""
    return click.option(
        "-c",
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False),
        help="council.toml to use (default: ./council.toml if present).",
    )(command)


def jobs_option(command: Command) -> Command:
    """The --jobs option: how many processes read the files."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Processes reading the files (default: one per CPU, up to 4, for 50 or more "
        "files; 1 reads them all in this process).",
    )(command)


def _load_config(path: str | None) -> Config:
    from council_papers.config import load_config

    if path is None and Path("council.toml").is_file():
        path = "council.toml"  # the clerk's config in the folder they run from
    return load_config(path)


@cli.command()
@verbose_option
@click.argument("paths", nargs=-1, type=click.Path(), callback=_existing)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line.")
@config_option
@jobs_option
@mail_option
@click.pass_obj
def inspect(
    state: State,
    paths: tuple[str, ...],
    as_json: bool,
    config_path: str | None,
    jobs: int | None,
    since: str | None,
) -> None:
    """Read files, folders or mailboxes and show what was found in each.

    A mailbox is imaps://USER@HOST/FOLDER, an mbox file or a Maildir folder; with no
    input, council.toml's [mailbox]. Exit status: 0 when every file was read, 1 when
    any could not be.
    """
    from council_papers.pipeline import inspect_paths

    unknown = _unknown_suffixes(paths)
    with reported(state):
        config = _load_config(config_path)
        sources, mail = _inputs(paths, config, since)
        with progress_bar(sys.stderr.isatty() and not as_json) as progress:
            report = inspect_paths(sources, config, progress=progress, jobs=jobs, mail=mail)
    for skip in report.skipped:
        click.echo(shown(f"{skip.path}: {skip.reason}"), err=True)
    for record in report.records:
        if as_json:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        else:
            _show(record)
    if report.failed or unknown:
        if not as_json:
            click.echo(f"{len(report.failed) + len(unknown)} file(s) could not be read.", err=True)
        sys.exit(1)


@cli.command()
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score against the clerk's own log instead: every row decided again from "
    "its stored text, compared with the Disposition the clerk left.",
)
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The clerk's decisions: a CSV with 'file' and 'disposition' columns "
    "(default: FOLDER/../labels.csv, then FOLDER/labels.csv).",
)
@config_option
@click.option("--misses", is_flag=True, help="List every item decided otherwise than its label.")
@jobs_option
@verbose_option
@click.pass_obj
def evaluate(
    state: State,
    folder: Path | None,
    log_path: Path | None,
    labels_path: Path | None,
    config_path: str | None,
    misses: bool,
    jobs: int | None,
) -> None:
    """Score the decisions on a folder of items against a clerk's labels.csv, or on the log.

    Prints disposition accuracy, agenda items found, excluded items found, items
    flagged for review, wrong decisions made without a flag, and the confusion of
    dispositions.
    """
    from council_papers.evaluate import score_folder, score_log

    with reported(state):
        if log_path is not None and folder is None:
            result = score_log(_load_config(config_path), log_path)
        elif folder is not None and log_path is None:
            result = score_folder(_load_config(config_path), folder, labels_path, jobs=jobs)
        else:
            raise click.UsageError("give a FOLDER of items with its labels.csv, or --log LOG")
    click.echo(result.line())
    click.echo("labelled → decided:")
    for (want, got), n in sorted(result.confusion.items()):
        click.echo(f"  {want:<11} → {got:<11} {n}")
    if misses:
        for miss in result.misses:
            flag = " (flagged for review)" if miss.flagged else ""
            click.echo(shown(f"  {miss.file}: labelled {miss.want}, decided {miss.got}{flag}"))


@cli.command()
@verbose_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
@click.pass_obj
def explain(state: State, path: Path, config_path: str | None) -> None:
    """Show why one file was decided as it was: your rules in order, then the signals
    the built-in policy read (sender, addressee, asks, deadline, kind scores)."""
    from council_papers.pipeline import explain_file

    with reported(state):
        found = explain_file(path, _load_config(config_path))
    record, signals = found.record, found.signals
    click.secho(shown(str(path)), bold=True)
    click.echo(f"  Subject: {record.subject}")
    click.echo(f"  From:    {record.sender_org or '(unknown)'}")
    click.echo(
        f"  Rules, from {found.rules_path}:"
        if found.trials
        else f"  Rules, from {found.rules_path}: none of your own (the policy decides)"
    )
    decided = False
    for n, trial in enumerate(found.trials, start=1):
        if trial.matched and not decided:
            mark, decided = "DECIDES", True
        else:
            mark = "matches (too late)" if trial.matched else "no"
        click.echo(f"  {n:>3}. {trial.rule.name:<22} {mark:<19} {trial.detail}")
    click.echo("  What the policy read:")
    click.echo(
        shown(f"    sender:     {signals.role} ({signals.sender_evidence or 'no evidence'})")
    )
    click.echo(
        shown(
            f"    addressed:  {signals.addressed or 'not said'}"
            + (f" ('{signals.addressed_why}')" if signals.addressed_why else "")
        )
    )
    click.echo(
        shown(
            f"    asks:       {len(signals.calls)} request(s)"
            + (f", first: '{signals.calls[0].text[:80]}'" if signals.calls else "")
        )
    )
    click.echo(
        shown(
            f"    call:       {signals.call_state or 'none found'}"
            + (f" ({signals.call_why})" if signals.call_why else "")
        )
    )
    ranked = sorted(found.kind_scores.items(), key=lambda kv: kv[1], reverse=True)[:4]
    click.echo("    reads as:   " + ", ".join(f"{k} {v:.1f}" for k, v in ranked))
    decision = record.decision
    click.echo(f"  Kind:        {decision.kind}")
    click.echo(
        f"  Disposition: {decision.disposition}{'  (needs review)' if decision.needs_review else ''}"
    )
    click.echo(f"  Themes:      {', '.join(decision.themes) or '(none)'}")
    for reason in decision.reasons:
        click.echo(shown(f"  Because:     {reason}"))


def _date(value: str) -> dt.date:
    import calendar
    import re

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if shape is None:
        raise click.BadParameter(shown(f"{value!r} is not a date like 2022-07-05"))
    year, month, _ = (int(part) for part in shape.groups())
    if not 1 <= month <= 12:
        raise click.BadParameter(f"{value!r}: there is no month {month}")
    raise click.BadParameter(
        f"{value!r}: there is no such date ({calendar.month_name[month]} "
        f"{year} has {calendar.monthrange(year, month)[1]} days)"
    )


def _meeting(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else _date(value)


def _dmy(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _fitted_table(
    title: str,
    headings: tuple[str, ...],
    rows: Sequence[tuple[object, ...]],
    width: int,
    drop: tuple[str, ...] = (),
) -> Table:
    """A rich table wrapped at word boundaries within *width* columns.

    Each column is made as wide as its longest word; while they do not all fit, the
    columns in *drop* go, in that order. A word wider than the screen can hold (a
    path, a link) is the only thing folded mid-word.
    """
    from rich.table import Table

    def longest(i: int) -> int:
        return max(
            len(word)
            for cell in (headings[i], *(r[i] for r in rows))
            for word in (str(cell).split() or [""])
        )

    def total(columns: list[int] | dict[int, int]) -> int:  # each column: 2 padding, 1 rule
        return sum(longest(i) for i in columns) + 3 * len(columns) + 1

    keep = list(range(len(headings)))
    for name in drop:
        if total(keep) <= width:
            break
        keep.remove(headings.index(name))
    least = {i: longest(i) for i in keep}
    while least and sum(least.values()) + 3 * len(keep) + 1 > width:
        del least[max(least, key=lambda i: least[i])]  # this one folds: it cannot fit whole
    table = Table(title=title, title_justify="left")
    for i in keep:
        table.add_column(headings[i], min_width=least.get(i), overflow="fold")
    for row in rows:
        table.add_row(*(str(row[i]) for i in keep))
    return table


def _summary_tables(added: Sequence[LogRow], skipped: Sequence[tuple[str, str]]) -> None:
    """Print what was added to the log and what was passed over, as tables."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if added:
        rows = []
        for row in added:
            disposition = str(row.disposition or row.disposition_text)
            if row.needs_review:
                disposition += " (check)"
            rows.append(
                (
                    row.ref,
                    _dmy(row.received),
                    _dmy(row.sent),
                    row.sender_org,
                    row.subject,
                    disposition,
                    row.reason,
                )
            )
        console.print(
            _fitted_table(
                "Added to the log",
                ("Ref", "Received", "Sent", "From", "Subject", "Disposition", "Reason"),
                rows,
                console.width,
                drop=("Received", "Sent", "Reason"),
            )
        )
    if skipped:
        console.print(_fitted_table("Not added", ("File", "Why"), list(skipped), console.width))


@cli.command()
@verbose_option
@click.argument("paths", nargs=-1, type=click.Path(), callback=_existing)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The correspondence log (default: council.toml's, else ./correspondence-log.xlsx).",
)
@config_option
@click.option(
    "--re-add",
    "re_add",
    is_flag=True,
    help="Add again the items whose rows you deleted from the log.",
)
@jobs_option
@mail_option
@click.pass_obj
def add(
    state: State,
    paths: tuple[str, ...],
    log_path: Path | None,
    config_path: str | None,
    re_add: bool,
    jobs: int | None,
    since: str | None,
) -> None:
    """Read and classify files or mailboxes and append what is new to the correspondence log.

    A mailbox is imaps://USER@HOST/FOLDER, an mbox file or a Maildir folder; with no
    input, council.toml's [mailbox]. Adding the same files or messages again adds
    nothing, nor does adding one whose row you deleted (unless --re-add). Exit status 1
    if any file could not be read.
    """
    from council_papers.pipeline import add_paths, default_log

    unknown = _stop_if_nothing_readable(paths)
    with reported(state):
        config = _load_config(config_path)
        sources, mail = _inputs(paths, config, since)
        log = log_path or default_log(config)
        with progress_bar(sys.stderr.isatty()) as progress:
            report = add_paths(
                sources, config, log, progress=progress, jobs=jobs, mail=mail, re_add=re_add
            )
    for skip in report.inspected.skipped:
        click.echo(shown(f"{skip.path}: {skip.reason}"), err=True)
    _notes(report.notes)
    _report_files(report.inspected)
    _summary_tables(report.added, report.passed_over)
    verb = "Created" if report.created else "Updated" if report.added else "Nothing new for"
    click.echo(f"{verb} {report.log}: {len(report.added)} row(s) added.")
    _exit_for_failures(report.inspected, unknown)


def _notes(notes: Iterable[str]) -> None:
    for note in notes:
        click.echo(shown(f"note: {note}"), err=True)


def _exit_for_failures(inspected: InspectReport, unknown: list[Path]) -> None:
    """Exit 1 when a file could not be read, or a named file has a suffix nothing reads."""
    failed = len(inspected.failed) + len(unknown)
    if failed:
        click.echo(f"{failed} file(s) could not be read (see above).", err=True)
        sys.exit(1)


@cli.command()
@verbose_option
@click.option(
    "--meeting",
    required=True,
    callback=_meeting,
    metavar="YYYY-MM-DD",
    help="The date of the meeting.",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The correspondence log (default: council.toml's, else ./correspondence-log.xlsx).",
)
@click.option(
    "--pack",
    "pack_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the pack (default: ./police-matters-YYYY-MM-DD.docx).",
)
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your letterhead .docx (default: council.toml's, else the plain A4 template).",
)
@click.option("--pdf", is_flag=True, help="Also export a tagged PDF (needs LibreOffice).")
@config_option
@click.pass_obj
def pack(
    state: State,
    meeting: dt.date,
    log_path: Path | None,
    pack_path: Path | None,
    template: Path | None,
    pdf: bool,
    config_path: str | None,
) -> None:
    """Write the Police Matters pack for a meeting from the log, and record it in the log."""
    from council_papers.pipeline import build_pack, default_log, default_pack

    with reported(state):
        config = _load_config(config_path)
        log = log_path or default_log(config)
        if not log.exists():
            raise click.ClickException(
                f"{log}: no correspondence log yet: run `council-papers add` first"
            )
        out = pack_path or default_pack(meeting)
        report = build_pack(config, meeting, log, out, template=template, pdf=pdf)
    _pack_summary(report)


def _pack_summary(report: PackReport) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    rows = [(item.number, item.sender_org or "", item.subject) for item in report.agenda]
    rows += [("circulated", item.sender_org or "", item.subject) for item in report.circulated]
    console.print(_fitted_table("Police Matters", ("Item", "From", "Subject"), rows, console.width))
    for problem in report.unknown_dispositions:
        click.secho(
            f"warning: Disposition not understood, left out: {problem}", fg="yellow", err=True
        )
    for note in (*report.template_notes, *report.warnings):
        click.secho(shown(f"warning: {note}"), fg="yellow", err=True)
    _notes(report.notes)
    click.echo(f"Agenda to be published by {report.deadline:%A %d %B %Y}.")
    click.echo(f"Wrote {report.pack}" + (f" and {report.pdf}" if report.pdf else ""))


@cli.command()
@verbose_option
@click.argument("inputs", nargs=-1, type=click.Path(), callback=_existing)
@click.option(
    "--meeting",
    required=True,
    callback=_meeting,
    metavar="YYYY-MM-DD",
    help="The date of the meeting.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the log (unless council.toml names one) and the pack.",
)
@click.option("--pdf", is_flag=True, help="Also export a tagged PDF (needs LibreOffice).")
@config_option
@jobs_option
@mail_option
@click.pass_obj
def build(
    state: State,
    inputs: tuple[str, ...],
    meeting: dt.date,
    out_dir: Path,
    pdf: bool,
    config_path: str | None,
    jobs: int | None,
    since: str | None,
) -> None:
    """Add the files or mailboxes to the log and write the meeting pack, in one go.

    Writes OUT/correspondence-log.xlsx and OUT/police-matters-YYYY-MM-DD.docx and
    exits 1 if any input could not be read (the rest still go through). A mailbox
    is imaps://USER@HOST/FOLDER, an mbox file or a Maildir folder; with no input,
    council.toml's [mailbox].
    """
    from council_papers.pipeline import build as build_all

    unknown = _stop_if_nothing_readable(inputs)
    with reported(state):
        config = _load_config(config_path)
        sources, mail = _inputs(inputs, config, since)
        with progress_bar(sys.stderr.isatty()) as progress:
            report = build_all(
                sources, config, meeting, out_dir, progress, pdf=pdf, jobs=jobs, mail=mail
            )
    added = report.added
    for skip in added.inspected.skipped:
        click.echo(shown(f"{skip.path}: {skip.reason}"), err=True)
    _pack_summary(report.pack)
    # what the log already held is not added again; "excluded" is for new rows logged so
    held, excluded = added.passed_over, added.excluded
    click.echo(
        f"Log {report.log}: {len(added.added)} row(s) added; {len(excluded)} excluded; "
        f"{len(held)} already in the log; {len(added.inspected.failed)} could not be read."
    )
    for record in excluded:
        click.echo(shown(f"  excluded {_name(record.path)}: {record.decision.reasons[0]}"))
    for path, why in held:
        click.echo(shown(f"  {_name(path)}: {why}"))
    _report_files(added.inspected)
    _exit_for_failures(added.inspected, unknown)


@cli.command()
@verbose_option
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--name", help="The council's name, as it heads the agenda.")
@click.option("--district", help="The line under it, e.g. 'District of South Oxfordshire'.")
@click.option(
    "--police-area",
    help="The council's police area, e.g. 'Thames Valley' (or a "
    "county it covers, e.g. 'Oxfordshire').",
)
@click.option(
    "--police-item",
    type=click.IntRange(1, 999),
    default=5,
    show_default=True,
    help="The agenda item number of Police Matters.",
)
@click.option("--list-areas", is_flag=True, help="List the police areas and what they cover.")
@click.pass_obj
def init(
    state: State,
    folder: Path,
    name: str | None,
    district: str | None,
    police_area: str | None,
    police_item: int,
    list_areas: bool,
) -> None:
    """Write a commented council.toml for your council (never overwrites one).

    Asks for the council's name, district and police area unless given as options.
    """
    from council_papers.setup import council_toml, shipped_registry, write_council_toml

    with reported(state):
        registry = shipped_registry()
    if list_areas:
        for area in registry.areas:
            covers = f" ({', '.join(area.covers)})" if area.covers else ""
            click.echo(f"{area.name}{covers}")
        return
    with reported(state):
        council_toml(folder)  # refused before any question is asked
    name = name or click.prompt("The council's name (as it heads the agenda)")
    district = (
        district
        if district is not None
        else click.prompt(
            "The district line under it (Enter for none)", default="", show_default=False
        )
    )
    police_area = police_area or click.prompt("Its police area (or its county)")
    with reported(state):
        written = write_council_toml(
            folder,
            registry,
            name=name,
            district=district,
            police_area=police_area,
            police_item=police_item,
        )
    target, area = written.path, written.area
    force = area.force or "its force"
    click.echo(
        shown(
            f"Wrote {target} for {name}: police area {area.name} ({force}). "
            "Check the Police Matters item number and the meeting title."
        )
    )


def _show(record: Classified | Unreadable) -> None:
    """One record as `inspect` shows it: what was found and decided, or why it was not read."""
    from council_papers.models import Unreadable

    click.secho(shown(record.path), bold=True)
    if isinstance(record, Unreadable):
        click.secho(shown(f"  error: {record.error}"), fg="red")
        click.echo()
        return
    fields = [
        ("From", record.sender_org),
        ("Author", record.author),
        ("Subject", record.subject),
        ("Date", record.date.strftime("%d/%m/%Y") if record.date else None),
        ("Forwarded by", record.forwarded_by),
    ]
    for label, value in fields:
        if value:
            click.echo(f"  {label + ':':<14}{value}")
    if record.articles:
        click.echo(f"  {'Articles:':<14}{len(record.articles)}")
        for article in record.articles:
            theme = f" [{article.theme}]" if article.theme else ""
            click.echo(f"    - {article.headline or '(no headline)'}{theme}")
    decision = record.decision
    review = "  (needs review)" if decision.needs_review else ""
    click.echo(f"  {'Decision:':<14}{decision.kind} → {decision.disposition}{review}")
    if decision.themes:
        click.echo(f"  {'Themes:':<14}{', '.join(decision.themes)}")
    for reason in decision.reasons:
        click.echo(f"  {'Because:':<14}{reason}")
    for warning in record.warnings:
        click.secho(shown(f"  warning: {warning}"), fg="yellow")
    click.echo()


def main() -> None:
    """Entry point of the council-papers console script."""
    cli(prog_name="council-papers")
