"""A clerk's regex that backtracks for ever is stopped after REGEX_TIMEOUT seconds per item.

The bound: one regex rule runs at most ``matching.REGEX_TIMEOUT`` (1 s) on one item,
and after its first timeout it is not run again in that run (it raises at once), so
a run with a catastrophic rule costs about one second, whatever the number of items.
Each test runs in a child process with a generous timeout, so that a regression hangs
no test run: the timeout is a guard, not the assertion.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

# Each gets past the load-time check for nested quantifiers (an alternation under a
# quantifier) and backtracks exponentially on a run of a's, in re and in `regex`.
CATASTROPHIC = [
    pytest.param(r"(a|aa)*\d", id="alternation-under-star"),
    pytest.param(r"^(a|aa)*$", id="anchored-alternation"),
    pytest.param(r"(a|aa)*$", id="alternation-before-the-end"),
]
GUARD = 120  # seconds: only so a regression fails instead of hanging the suite


def _child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=GUARD,
        cwd=ROOT,
    )


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_regex_is_stopped_and_named(pattern):
    result = _child(f"""
        from council_papers.classify.matching import RegexTimeout, compile_matcher
        matcher = compile_matcher({pattern!r}, "regex")
        for attempt in ("first", "again"):
            try:
                matcher.search("a" * 60 + "!")
            except RegexTimeout as err:
                print(attempt, err.repeated, err)
            else:
                print(attempt, "returned")
    """)
    assert result.returncode == 0, result.stderr
    first, again = result.stdout.splitlines()
    assert first.startswith("first False regex ") and f"'{pattern}'" in first
    assert "and was stopped" in first
    assert again.startswith("again True ") and "earlier in this run" in again


def test_the_timeout_is_a_config_error_the_cli_reports_in_one_line():
    from council_papers.classify.matching import RegexTimeout
    from council_papers.errors import ConfigError

    assert issubclass(RegexTimeout, ConfigError)


def test_an_ordinary_regex_still_matches_through_the_bounded_engine():
    from council_papers.classify.matching import compile_matcher

    matcher = compile_matcher(r"PC\s+\d{4}", "regex")
    assert matcher.bounded is not None
    assert matcher.search("Signed, pc 1234 (Cambourne)") == ("pc 1234",)
    assert compile_matcher(r"PC\s+\d{4}", "regex", case_sensitive=True).search("pc 1234") is None


def test_a_run_with_a_catastrophic_rule_ends_and_names_the_regex(tmp_path):
    """inspect on items that make the rule backtrack returns, naming the regex, no traceback."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nname = "runs-of-a"\nkind = "other"\ndisposition = "circulated"\n'
        "matching = \"regex\"\nmatch = '(a|aa)*\\d'\n",
        encoding="utf-8",
    )
    (tmp_path / "council.toml").write_text('[files]\nrules = "rules.toml"\n', encoding="utf-8")
    for name in ("zero", "one", "two"):  # no digit anywhere, so the search must try every way
        (tmp_path / f"item{name}.txt").write_text(
            "Subject: Runs\n\n" + "a" * 60 + "\n", encoding="utf-8"
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "council_papers",
            "inspect",
            "--config",
            "council.toml",
            "itemzero.txt",
            "itemone.txt",
            "itemtwo.txt",
        ],
        capture_output=True,
        text=True,
        timeout=GUARD,
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr
    assert r"(a|aa)*\d" in result.stdout + result.stderr


def test_a_run_with_a_catastrophic_rule_finishes_names_the_rule_and_flags_the_item(tmp_path):
    """The whole run: the rule is stopped on the first item, skipped after, and named."""
    from conftest import FIXTURES, json_lines, run

    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nname = "backtracker"\nkind = "survey"\ndisposition = "agenda"\n'
        'matching = "regex"\nfield = "body"\nmatch = \'(a|aa)*\\d\'\n',
        encoding="utf-8",
    )
    (tmp_path / "council.toml").write_text('[files]\nrules = "rules.toml"\n', encoding="utf-8")
    long_a = tmp_path / "aaaa.txt"
    long_a.write_text("Police update\n\n" + "a" * 80 + "!\n", encoding="utf-8")
    result = run(
        "inspect",
        "--config",
        tmp_path / "council.toml",
        long_a,
        FIXTURES / "corpus" / "files" / "A14_action-fraud-parking-text-alert.txt",
        "--json",
    )
    assert result.exit_code == 0, result.output
    first, second = json_lines(result)
    assert first["needs_review"] and any(
        "rule 'backtracker'" in r and "was stopped" in r for r in first["reasons"]
    )
    assert first["rule"] is None  # decided by the policy, not by the stopped rule
    # the next item is not tried against the stopped rule again: it says so at once
    assert any("earlier in this run" in r for r in second["reasons"])
    assert not any(r.startswith("please check: rule 'backtracker'") for r in second["reasons"])
