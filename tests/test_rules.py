"""Rule matching, rule files a clerk edits, and `explain`."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, FIXTURES, json_lines, run
from council_papers.classify.matching import compile_matcher, words_of
from council_papers.classify.rules import load_rules
from council_papers.errors import ConfigError


@pytest.mark.parametrize(
    ("matching", "match", "text", "matches"),
    [
        pytest.param(
            "any", '"have your say" survey', "It is time to have your say", True, id="any-phrase"
        ),
        pytest.param(
            "any", '"have your say" survey', "Have your   say today", True, id="phrase-spacing"
        ),
        pytest.param(
            "any", '"have your say"', "your say, have it", False, id="phrase-kept-together"
        ),
        pytest.param("any", "court", "Latest news from the courts", False, id="word-boundary"),
        pytest.param("any", "courts", "Latest news from the Courts", True, id="ignores-case"),
        pytest.param("any", "ASB", "Tackling asb in the park", True, id="acronym-any-case"),
        pytest.param("all", "speeding survey", "A survey about speeding", True, id="all-present"),
        pytest.param(
            "all", "speeding survey", "A survey about parking", False, id="all-missing-one"
        ),
        pytest.param(
            "literal", "Police and Crime Plan", "the new Police and Crime Plan", True, id="literal"
        ),
        pytest.param("literal", "Crime Plan", "Crime Planning day", False, id="literal-word-end"),
        pytest.param("regex", r"\d+\s*hours", "Almost 40,000 hours given", True, id="regex"),
        pytest.param(
            "regex",
            r"^Latest",
            "The latest news",
            False,
            id="regex-anchor-case-insensitive-but-anchored",
        ),
        pytest.param(
            "fuzzy", '"neighbourhood alert"', "sent by Neighborhood Alret", True, id="fuzzy-typos"
        ),
        pytest.param(
            "fuzzy", '"neighbourhood alert"', "village hall booking", False, id="fuzzy-unrelated"
        ),
    ],
)
def test_matching_table(matching, match, text, matches):
    matcher = compile_matcher(match, matching)
    assert (matcher.search(text) is not None) is matches
    assert matcher.search(text, words_of(text)) == matcher.search(text)


# Pieces that make words match and not match in the ways case-folding allows and
# forbids: ß/ẞ/ss, ſ/s, Kelvin K/k, dotted and dotless i, final sigma, combining
# marks, U+0345 (not a word character, folds to one), hyphens and line breaks.
_PIECES = st.sampled_from(
    [
        "speed",
        "SPEED",
        "ing",
        "Street",
        "straße",
        "STRAẞE",
        "strasse",
        "ſ",
        "s",
        "\u212a",
        "k",
        "İ",
        "ı",
        "i",
        "I",
        "ς",
        "σ",
        "Σ",
        "\u0301",
        "\u0345",
        "ι",
        "-",
        " ",
        "  ",
        "\n",
        ".",
        "£",
        "anti",
        "social",
        "court",
        "courts",
        "'",
        "_",
        "1",
        "é",
        "e\u0301",
    ]
)
_PHRASE = st.lists(_PIECES, min_size=1, max_size=4).map("".join).filter(str.strip)


@settings(max_examples=400, deadline=None)
@example(terms=["speed"], text="speed\u0345", matching="any", case_sensitive=False)
@example(terms=["\u0130s"], text="it is", matching="any", case_sensitive=False)
@example(terms=["is"], text="it \u0131s", matching="all", case_sensitive=False)
@example(terms=["stra\u017fse"], text="STRASSE", matching="literal", case_sensitive=False)
@given(
    terms=st.lists(_PHRASE, min_size=1, max_size=4),
    text=st.lists(_PIECES, max_size=30).map("".join),
    matching=st.sampled_from(["any", "all", "literal"]),
    case_sensitive=st.booleans(),
)
def test_ruling_terms_out_by_their_words_never_changes_a_result(
    terms, text, matching, case_sensitive
):
    """search(text, words_of(text)) skips terms with a word the text lacks: it must
    always give what searching every term gives."""
    quoted = " ".join('"' + t.replace('"', "") + '"' for t in terms)
    try:
        matcher = compile_matcher(
            terms[0] if matching == "literal" else quoted, matching, case_sensitive=case_sensitive
        )
    except ValueError:  # a term that is only quotes or spaces
        return
    assert matcher.search(text, words_of(text)) == matcher.search(text)


def test_case_sensitive_rule():
    m = compile_matcher("PCC", "any", case_sensitive=True)
    assert m.search("the PCC said") and not m.search("the pcc said")


def _rules(tmp_path, body: str):
    path = tmp_path / "rules.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "agenda"\nmatch = "a"\nmatching = "regex"\n'
            'match2 = "b"\n',
            "unknown key 'match2'",
            id="unknown-key",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "surveys"\ndisposition = "agenda"\nmatch = "a"\n',
            "kind 'surveys' must be one of",
            id="bad-kind",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "maybe"\nmatch = "a"\n',
            "disposition 'maybe' must be one of",
            id="bad-disposition",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "agenda"\nmatch = "(a"\nmatching = "regex"\n',
            "bad regex",
            id="bad-regex",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "agenda"\nmatch = "(a+)+$"\nmatching = "regex"\n',
            "nested quantifier",
            id="catastrophic-regex",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "agenda"\nmatch = \'"open\'\n',
            "unbalanced quotes",
            id="unclosed-quote",
        ),
        pytest.param(
            '[[rule]]\nname = "x"\nkind = "survey"\ndisposition = "agenda"\nmatch = "a"\nfield = "title"\n',
            "field 'title' must be one of",
            id="bad-field",
        ),
        pytest.param('[[rule]\nname = "x"\n', "not valid TOML", id="not-toml"),
    ],
)
def test_a_broken_rule_file_is_one_error_naming_file_rule_and_problem(tmp_path, body, problem):
    path = _rules(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    message = str(err.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message
    if "TOML" not in problem:
        assert "rule 1 (x)" in message


def test_a_broken_rule_file_stops_inspect_with_exit_1(tmp_path):
    rules = _rules(
        tmp_path, '[[rule]]\nname = "x"\nkind = "nope"\ndisposition = "agenda"\nmatch = "a"\n'
    )
    config = tmp_path / "council.toml"
    config.write_text(f'[files]\nrules = "{rules.name}"\n', encoding="utf-8")
    result = run("inspect", "--config", config, FIXTURES / "inbox" / "na-alert-html.eml")
    assert result.exit_code == 1
    assert "rule 1 (x)" in result.output and "Traceback" not in result.output


def test_a_clerks_own_rule_file_overrides_the_default(tmp_path):
    """Moving court news onto the agenda takes one added rule, no code."""
    from council_papers.config import templates_dir

    default = (templates_dir() / "rules.toml").read_text(encoding="utf-8")
    edited = default + (
        '\n[[rule]]\nname = "court-news"\nkind = "court-news"\ndisposition = "agenda"\n'
        'field = "subject"\nmatch = "courts"\n'
    )
    (tmp_path / "rules.toml").write_text(edited, encoding="utf-8")
    config = tmp_path / "council.toml"
    config.write_text('[files]\nrules = "rules.toml"\n', encoding="utf-8")
    inbox = EXAMPLES / "cambourne-2022-07" / "inbox"
    ours = json_lines(run("inspect", "--config", config, inbox, "--json"))
    stock = json_lines(run("inspect", inbox, "--json"))
    courts = [r for r in ours if r["kind"] == "court-news"]
    assert len(courts) == 4 and all(r["disposition"] == "agenda" for r in courts)
    assert all("rule 'court-news'" in r["reasons"][0] for r in courts)
    assert [r["disposition"] for r in stock if r["kind"] == "court-news"] == ["circulated"] * 4


def test_an_item_no_rule_matches_is_decided_by_the_built_in_policy(tmp_path):
    rules = _rules(
        tmp_path,
        '[[rule]]\nname = "only"\nkind = "survey"\ndisposition = "agenda"\nmatch = "zzzz"\n',
    )
    config = tmp_path / "council.toml"
    config.write_text(f'[files]\nrules = "{rules.name}"\n', encoding="utf-8")
    (rec,) = json_lines(
        run("inspect", "--config", config, FIXTURES / "inbox" / "na-alert-html.eml", "--json")
    )
    assert rec["rule"] is None and rec["reasons"]
    assert rec["disposition"] in ("agenda", "circulated", "excluded")


def test_inspect_json_carries_the_classification_fields():
    (rec,) = json_lines(
        run(
            "inspect",
            EXAMPLES
            / "cambourne-2022-07"
            / "inbox"
            / "2022-06-09-fwd-it-is-time-to-have-your-say.eml",
            "--json",
        )
    )
    for key in (
        "kind",
        "themes",
        "disposition",
        "reasons",
        "needs_review",
        "duplicate_of",
        "personal_data",
    ):
        assert key in rec
    assert rec["kind"] == "survey" and rec["disposition"] == "agenda"
    assert any("have your say" in r for r in rec["reasons"])
    assert any("→ agenda" in r for r in rec["reasons"])
    assert "Putting communities first" in rec["themes"]
    json.dumps(rec)


def test_explain_shows_every_rule_in_order_and_which_decided():
    path = (
        EXAMPLES / "cambourne-2022-07" / "inbox" / "2022-06-09-fwd-it-is-time-to-have-your-say.eml"
    )
    result = run("explain", path)
    assert result.exit_code == 0, result.output
    from council_papers.config import templates_dir

    rules = load_rules(templates_dir() / "rules.toml")
    lines = [ln for ln in result.output.splitlines() if re.match(r"^\s+\d+\. ", ln)]
    assert [ln.split()[1] for ln in lines] == [r.name for r in rules.rules]
    assert "Disposition: agenda" in result.output


# -- the plainer rules format (issue 11, point 4) ------------------------------------------

CORPUS_FILES = FIXTURES / "corpus" / "files"


def _decide_with(tmp_path, rule: str, *paths):
    (tmp_path / "rules.toml").write_text(rule, encoding="utf-8")
    config = tmp_path / "council.toml"
    config.write_text('[files]\nrules = "rules.toml"\n', encoding="utf-8")
    result = run("inspect", "--config", config, *paths, "--json")
    return {r["path"].rsplit("/", 1)[-1]: r for r in json_lines(result)}


def test_phrases_as_a_toml_array_keep_their_words_together(tmp_path):
    decided = _decide_with(
        tmp_path,
        textwrap.dedent("""
        [[rule]]
        name = "vans"
        kind = "crime-alert"
        disposition = "agenda"
        field = "subject"
        match = ["van break-ins", "tractor thefts"]
    """),
        CORPUS_FILES / "A06_tv-alert-van-break-ins.eml",
        CORPUS_FILES / "A08_tv-alert-courts-distraction-burglar.eml",
    )
    assert decided["A06_tv-alert-van-break-ins.eml"]["disposition"] == "agenda"
    assert "rule 'vans'" in decided["A06_tv-alert-van-break-ins.eml"]["reasons"][0]
    # "break-ins" alone is not the phrase: the courts item is left to the policy
    assert decided["A08_tv-alert-courts-distraction-burglar.eml"]["rule"] is None


def test_every_item_with_a_condition_on_what_the_policy_reads(tmp_path):
    decided = _decide_with(
        tmp_path,
        textwrap.dedent("""
        [[rule]]
        name = "courts-on-the-agenda"
        kind = "court-news"
        disposition = "agenda"
        every = true
        decided_kind = ["court-news"]
    """),
        CORPUS_FILES / "A08_tv-alert-courts-distraction-burglar.eml",
        CORPUS_FILES / "A06_tv-alert-van-break-ins.eml",
    )
    assert decided["A08_tv-alert-courts-distraction-burglar.eml"]["disposition"] == "agenda"
    assert decided["A06_tv-alert-van-break-ins.eml"]["disposition"] == "circulated"


def test_a_rule_only_for_one_sender_role(tmp_path):
    decided = _decide_with(
        tmp_path,
        textwrap.dedent("""
        [[rule]]
        name = "fraud-from-action-fraud"
        kind = "scam-warning"
        disposition = "agenda"
        every = true
        sender_role = ["action-fraud"]
    """),
        CORPUS_FILES / "A14_action-fraud-parking-text-alert.txt",
        CORPUS_FILES / "A27_owl-courier-fraud-warning.txt",
    )
    assert decided["A14_action-fraud-parking-text-alert.txt"]["rule"] == "fraud-from-action-fraud"
    assert decided["A27_owl-courier-fraud-warning.txt"]["rule"] is None


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        pytest.param('formats = "html"', "formats must be", id="formats-text"),
        pytest.param('confident = "no"', "confident must be true or false", id="confident-text"),
        pytest.param(
            'min_articles = "two"', "min_articles must be a whole number", id="min-articles"
        ),
        pytest.param('sender_role = ["police"]', "sender_role 'police' must be one of", id="role"),
        pytest.param(
            'addressed_to = "clerk"', "addressed_to 'clerk' must be one of", id="addressed"
        ),
        pytest.param("every = true", "needs either 'match'", id="every-and-match"),
    ],
)
def test_a_wrong_value_in_a_rule_is_one_line_naming_it(tmp_path, entry, says):
    (tmp_path / "rules.toml").write_text(
        f'[[rule]]\nname = "mine"\nkind = "survey"\ndisposition = "agenda"\nmatch = ["x"]\n{entry}\n',
        encoding="utf-8",
    )
    config = tmp_path / "council.toml"
    config.write_text('[files]\nrules = "rules.toml"\n', encoding="utf-8")
    result = run("inspect", "--config", config, CORPUS_FILES / "A06_tv-alert-van-break-ins.eml")
    assert result.exit_code == 1
    message = result.output.strip().splitlines()[-1]
    assert "rules.toml" in message and "mine" in message and says in message
    assert "Traceback" not in result.output


def test_aliases_must_be_a_list(tmp_path):
    path = _rules(tmp_path, '[[theme]]\nname = "T"\naliases = "PCC"\nmatch = ["x"]\n')
    with pytest.raises(Exception, match="aliases must be a list"):
        load_rules(path)


def test_explain_shows_what_the_policy_read_and_why_it_won():
    result = run(
        "explain", FIXTURES / "corpus" / "files" / "A02_pcc-precept-2026-27-local-councils.eml"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "none of your own (the policy decides)" in out
    assert "sender:     commissioner" in out and "thamesvalley-pcc.gov.uk" in out
    assert "addressed:  council" in out
    assert "call:       open (asks for a response by 5 January 2026)" in out
    assert "reads as:   consultation" in out
    assert "Disposition: agenda" in out
