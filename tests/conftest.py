"""Shared test helpers: paths to the seeds and fixtures, and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INBOX = FIXTURES / "inbox"
BROKEN = FIXTURES / "broken"
EXAMPLES = ROOT / "examples"


def run(*args: str | Path) -> Result:
    """Run the council-papers CLI in-process and return click's result."""
    from council_papers.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def json_lines(result: Result) -> list[dict]:
    """Parse the one-object-per-line JSON output of a command."""
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def stages():
    """The pipeline stages with the built-in Cambridgeshire defaults."""
    from council_papers.config import Config
    from council_papers.pipeline import Stages

    return Stages.load(Config())
