"""Runs the stages in order and returns a report. Never prints."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from council_papers.classify import Ruleset, classify_all, load_rules
from council_papers.config import Config, Theme, load_organisations
from council_papers.errors import ReadError
from council_papers.extract import Knowledge, extract
from council_papers.models import Correspondence, InspectReport, Skipped
from council_papers.read import format_for, read_file, walk

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
        themes = tuple(Theme(t.name, t.aliases) for t in ruleset.themes)
        return cls(
            config=config,
            knowledge=Knowledge(
                organisations=load_organisations(config.organisations), themes=themes
            ),
            ruleset=ruleset,
        )


def read_one(path: Path, stages: Stages) -> Correspondence:
    """Read, clean and extract one file; a failure becomes a record with its error."""
    try:
        raw = read_file(path, max_bytes=stages.config.max_file_bytes)
    except ReadError as err:
        log.debug("could not read %s", path, exc_info=True)
        return Correspondence(path=str(path), format=format_for(path), error=_reason(err, path))
    return extract(raw, stages.knowledge)


def _reason(err: ReadError, path: Path) -> str:
    message = str(err)
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def inspect_paths(
    paths: Iterable[str | Path], config: Config, progress: Progress | None = None
) -> InspectReport:
    """Read every file under *paths*; unreadable files are reported, not fatal."""
    stages = Stages.load(config)
    found = list(walk(paths))
    files = [p for p in found if isinstance(p, Path)]
    skipped = tuple(s for s in found if isinstance(s, Skipped))
    records = []
    for n, path in enumerate(files, start=1):
        records.append(read_one(path, stages))
        if progress:
            progress(n, len(files), str(path))
    return InspectReport(records=classify_all(records, stages.ruleset), skipped=skipped)
