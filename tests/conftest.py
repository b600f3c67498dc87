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
# A council's own settings (the example's): `pack` and `build` need a council to name.
COUNCIL = EXAMPLES / "cambourne-2022-07" / "council.toml"


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


@pytest.fixture(scope="session")
def dovecot():
    """A private Dovecot IMAP server on 127.0.0.1 for the session (skips when not installed)."""
    import shutil

    import dovecot as server

    binary = server.binary()
    if binary is None or shutil.which("openssl") is None:
        pytest.skip(
            "Dovecot is not installed (Debian: apt-get install dovecot-imapd); "
            ".ci/run installs it, so CI runs these tests"
        )
    folder, temporary = server.new_folder()
    running = server.start(binary, folder)
    try:
        yield running
    finally:
        running.stop()
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
