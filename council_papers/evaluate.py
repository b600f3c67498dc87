"""Measure decisions against a clerk's own: a labels.csv beside a folder of items.

The same measure the project is held to (POLICY.md's dispositions), so a clerk can
ask "how would these rules have decided last year's correspondence?".
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from council_papers.config import Config
from council_papers.errors import ConfigError
from council_papers.models import Classified, Correspondence, Unreadable


@dataclass(frozen=True)
class Miss:
    """One item decided otherwise than its label."""

    file: str
    want: str
    got: str | None
    flagged: bool


@dataclass(frozen=True)
class Score:
    """How the decisions compare with the labels."""

    items: int
    right: int
    agenda: int
    agenda_found: int
    excluded: int
    excluded_found: int
    flagged: int
    wrong_unflagged: int
    misses: tuple[Miss, ...] = ()
    unlabelled: tuple[str, ...] = ()
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    def line(self) -> str:
        """The score in one line."""
        return (
            f"disposition {self.right}/{self.items}, agenda items found "
            f"{self.agenda_found}/{self.agenda}, excluded {self.excluded_found}/{self.excluded}, "
            f"flagged for review {self.flagged}/{self.items}, wrong without a review flag "
            f"{self.wrong_unflagged}"
        )


def read_labels(path: str | Path) -> dict[str, str]:
    """Read a labels.csv: file name → disposition (agenda, circulated or excluded)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror or err})") from err
    if not rows or "file" not in rows[0] or "disposition" not in rows[0]:
        raise ConfigError(f"{path}: needs the columns 'file' and 'disposition'")
    labels = {}
    for i, row in enumerate(rows, start=2):
        want = (row.get("disposition") or "").strip().lower()
        if want not in ("agenda", "circulated", "excluded"):
            raise ConfigError(
                f"{path}: line {i}: disposition {want!r} must be agenda, circulated or excluded"
            )
        labels[(row.get("file") or "").strip()] = want
    return labels


def score(records: Sequence[Classified | Unreadable], labels: dict[str, str]) -> Score:
    """Compare each record's disposition with its label (matched by file name).

    A labelled file that could not be read, or is missing, counts as decided "unread".
    """
    got = {Path(r.path).name: r for r in records}
    right = agenda = agenda_found = excluded = excluded_found = flagged = wrong_unflagged = 0
    misses: list[Miss] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for name, want in labels.items():
        record = got.get(name)
        decision = record.decision if isinstance(record, Classified) else None
        have = str(decision.disposition) if decision else None
        review = bool(decision and decision.needs_review)
        confusion[(want, have or "unread")] += 1
        flagged += review
        right += have == want
        if want == "agenda":
            agenda += 1
            agenda_found += have == "agenda"
        if want == "excluded":
            excluded += 1
            excluded_found += have == "excluded"
        if have != want:
            misses.append(Miss(name, want, have, review))
            wrong_unflagged += not review
    return Score(
        len(labels),
        right,
        agenda,
        agenda_found,
        excluded,
        excluded_found,
        flagged,
        wrong_unflagged,
        tuple(misses),
        tuple(sorted(set(got) - set(labels))),
        dict(confusion),
    )


def labels_for(folder: Path) -> Path:
    """The labels.csv of a folder of items: beside it, else inside it (named, if neither is)."""
    candidates = (folder.parent / "labels.csv", folder / "labels.csv")
    return next((c for c in candidates if c.is_file()), candidates[0])


def score_folder(
    config: Config, folder: Path, labels: Path | None = None, *, jobs: int | None = 1
) -> Score:
    """Decide every item in *folder* and score the decisions against the clerk's labels.

    *labels*: a labels.csv (default: :func:`labels_for`), read first so a missing one
    stops the run before any item is read. *jobs* as for pipeline.inspect_paths.
    """
    from council_papers.pipeline import inspect_paths

    wanted = read_labels(labels or labels_for(folder))
    return score(inspect_paths([folder], config, jobs=jobs).records, wanted)


def score_log(config: Config, log: Path) -> Score:
    """Decide the log's items again and score them against the clerk's own dispositions."""
    return score(*redecide_log(config, log))


def redecide_log(config: Config, log: Path) -> tuple[tuple[Classified, ...], dict[str, str]]:
    """Decide the log's items again from their stored text, with today's rules.

    Returns the new decisions and the clerk's own (the Disposition each row holds),
    keyed by Ref: "how would these rules have decided last year's correspondence?"
    """
    from council_papers.classify import classify_all
    from council_papers.pipeline import Stages, open_log

    stages = Stages.load(config)
    book = open_log(config, log, create=False)
    texts = book.texts()
    records: list[Correspondence] = []
    labels: dict[str, str] = {}
    identifier = stages.knowledge.identifier
    for row in book.rows():
        if row.disposition is None or row.key not in texts or "duplicate of" in row.reason:
            continue  # a copy is decided by its original; a blank Disposition has no answer
        text = texts[row.key].text
        org = identifier.registry.by_name(row.sender_org)
        found = identifier.identify(header=None, site=None, raw_text=text, text=text)
        role = str(org.role) if org else str(found.role)
        ref = row.ref or row.key
        records.append(
            Correspondence(
                path=ref,
                format=None,
                sender_org=row.sender_org or found.name,
                author=row.author,
                subject=row.subject,
                date=row.sent or row.received,
                text=text,
                articles=texts[row.key].articles,
                sender_role=role,
                sender_evidence=f"the log names {row.sender_org}" if org else found.evidence,
            )
        )
        labels[ref] = str(row.disposition)
    return classify_all(records, stages.ruleset), labels
