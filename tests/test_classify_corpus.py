"""Decisions on a corpus of realistic messages, against a clerk's expected answers.

tests/fixtures/classify/expected.toml was written from the policy in issue 3 (what
asks the council to act goes on the agenda; information is circulated; what is
not about policing, and duplicates, are excluded), not from the rules' wording.
"""

from __future__ import annotations

import tomllib

import pytest

from conftest import EXAMPLES, FIXTURES, json_lines, run

CORPUS = FIXTURES / "classify"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))["message"]


@pytest.fixture(scope="module")
def decided() -> dict[str, dict]:
    result = run("inspect", CORPUS, "--json")
    assert result.exit_code == 0, result.output
    return {r["path"].rsplit("/", 1)[-1]: r for r in json_lines(result)}


# A known disagreement, kept visible: this label (circulated) predates POLICY.md, whose
# clause 6 puts a newsletter carrying an open neighbourhood survey on the agenda; the
# engine does so, saying which call it found.
_KNOWN = {
    "newsletter-force-round-up.eml": "label predates POLICY.md clause 6 (an open survey in a newsletter)"
}


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param(m, marks=pytest.mark.xfail(reason=_KNOWN[m["file"]], strict=True))
        if m["file"] in _KNOWN
        else m
        for m in EXPECTED
    ],
    ids=lambda m: m["file"],
)
def test_disposition(decided, expected):
    # The disposition is what the clerk relies on; the kind is a description, and
    # these fixtures' kinds came from the same generator as the first rules (issue 11),
    # so it is measured (test_kinds_mostly_agree), not asserted item by item.
    rec = decided[expected["file"]]
    assert rec["disposition"] == expected["disposition"], rec["reasons"]
    assert rec["reasons"], "every decision carries its reason"
    assert rec["duplicate_of"] == expected.get("duplicate_of")


def test_kinds_mostly_agree(decided):
    same = sum(decided[m["file"]]["kind"] == m["kind"] for m in EXPECTED)
    assert same >= 0.6 * len(EXPECTED)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda m: m["file"])
def test_personal_data(decided, expected):
    assert decided[expected["file"]]["personal_data"] is expected["personal_data"]


def test_the_corpus_covers_every_kind():
    from council_papers.models import Kind

    assert {m["kind"] for m in EXPECTED} == {k.value for k in Kind}
    assert len(EXPECTED) >= 30


def test_seed_004_decisions_come_out_exactly():
    """The real clerk's choices in seed 004: two agenda items, seven circulated."""
    result = run("inspect", EXAMPLES / "cambourne-2022-07" / "inbox", "--json")
    recs = json_lines(result)
    agenda = [r["subject"] for r in recs if r["disposition"] == "agenda"]
    circulated = [r["subject"] for r in recs if r["disposition"] == "circulated"]
    assert sorted(agenda) == sorted(
        [
            "It is time to have your say",
            "Strategy to end violence against women and girls taking shape",
        ]
    )
    assert sorted(circulated) == sorted(
        [
            "Latest news from the courts – 20.6.22",
            "Latest news from the courts",
            "Please help us improve this Alert system",
            "Neighbourhood Watch Network has launched a lottery",
            "The latest from the courts",
            "Latest news from the courts",
            "Almost 40,000 hours given up by volunteers to keep the streets of Cambridgeshire safe",
        ]
    )
