"""The council-papers command line: thin commands over the library.

This is the only module that prints or exits: CouncilPapersError -> exit 1 with
one line, usage errors -> exit 2 (click's own convention).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from council_papers import __version__
from council_papers.errors import CouncilPapersError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class State:
    """Options shared by every command."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose


@contextmanager
def reported(state: State) -> Iterator[None]:
    """Turn a library error into one line (or a traceback with --verbose) and exit 1."""
    try:
        yield
    except CouncilPapersError as err:
        if state.verbose:
            raise
        raise click.ClickException(str(err)) from err


def _progress(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """Yield a progress callback drawing a bar on a terminal, or None."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Reading", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=f"Reading {Path(path).name}")

        yield update


progress_bar = contextmanager(_progress)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version")
@click.option("-v", "--verbose", is_flag=True, help="Show debug logging and full tracebacks.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Turn police correspondence into a council's Police Matters item, log and pack."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s")
    ctx.obj = State(verbose)


def _load_config(path: str | None) -> Any:
    from council_papers.config import load_config

    if path is None and Path("council.toml").is_file():
        path = "council.toml"  # the clerk's config in the folder they run from
    return load_config(path)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="council.toml to use (default: ./council.toml if present).")
@click.pass_obj
def inspect(state: State, paths: tuple[Path, ...], as_json: bool, config_path: str | None) -> None:
    """Read files or folders and show what was found in each.

    Exit status: 0 when every file was read, 1 when any could not be.
    """
    from council_papers.pipeline import inspect_paths

    with reported(state):
        config = _load_config(config_path)
        with progress_bar(sys.stderr.isatty() and not as_json) as progress:
            report = inspect_paths(paths, config, progress=progress)
    for skip in report.skipped:
        click.echo(f"{skip.path}: {skip.reason}", err=True)
    for record in report.records:
        if as_json:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        else:
            _show(record)
    missing = [s for s in report.skipped if s.reason == "no such file or folder"]
    if report.failed or missing:
        if not as_json:
            click.echo(f"{len(report.failed) + len(missing)} file(s) could not be read.", err=True)
        sys.exit(1)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="council.toml to use (default: ./council.toml if present).")
@click.pass_obj
def explain(state: State, path: Path, config_path: str | None) -> None:
    """Show every rule tried on one file, in order, and what matched or why not."""
    from council_papers.classify import explain as explain_rules
    from council_papers.pipeline import Stages, read_one

    with reported(state):
        stages = Stages.load(_load_config(config_path))
        record = read_one(path, stages)
        if not record.ok:
            raise click.ClickException(f"{path}: {record.error}")
        from council_papers.classify import classify_all

        (record,) = classify_all([record], stages.ruleset)
    click.secho(f"{path}", bold=True)
    click.echo(f"  Subject: {record.subject}")
    click.echo(f"  From:    {record.sender_org or '(unknown)'}")
    click.echo(f"  Rules, from {stages.ruleset.path}:")
    decided = False
    for n, trial in enumerate(explain_rules(record, stages.ruleset), start=1):
        if trial.matched and not decided:
            mark, decided = "DECIDES", True
        else:
            mark = "matches (too late)" if trial.matched else "no"
        click.echo(f"  {n:>3}. {trial.rule.name:<22} {mark:<19} {trial.detail}")
    decision = record.decision
    assert decision is not None
    click.echo(f"  Kind:        {decision.kind}")
    click.echo(f"  Disposition: {decision.disposition}{'  (needs review)' if decision.needs_review else ''}")
    click.echo(f"  Themes:      {', '.join(decision.themes) or '(none)'}")
    for reason in decision.reasons:
        click.echo(f"  Because:     {reason}")


def _show(record: Any) -> None:
    click.secho(record.path, bold=True)
    if record.error:
        click.secho(f"  error: {record.error}", fg="red")
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
    if decision is not None:
        review = "  (needs review)" if decision.needs_review else ""
        click.echo(f"  {'Decision:':<14}{decision.kind} → {decision.disposition}{review}")
        if decision.themes:
            click.echo(f"  {'Themes:':<14}{', '.join(decision.themes)}")
        for reason in decision.reasons:
            click.echo(f"  {'Because:':<14}{reason}")
    for warning in record.warnings:
        click.secho(f"  warning: {warning}", fg="yellow")
    click.echo()


def main() -> None:
    """Entry point of the council-papers console script."""
    cli(prog_name="council-papers")
