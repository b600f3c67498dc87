"""Personal data found once: findings are spans of the text they were made on, sealed to it.

tests/test_publish.py holds the rules (what is found, what it becomes); these are
the findings themselves: what they say, when they may be reused, and their
stored form, which a clerk can type over.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council_papers.personal import (
    ADDRESS,
    ADDRESS_REMOVED,
    EMAIL,
    EMAIL_REMOVED,
    NAME,
    NAME_REMOVED,
    PHONE,
    PHONE_REMOVED,
    ArticleFindings,
    Finding,
    Findings,
    ItemFindings,
    find,
    findings_for,
)
from council_papers.publish import replaced

COURT = (
    "Daniel Smith, 34, of Elm Road, Cambourne, was jailed. Smith admitted burglary. "
    "Call 07700 900123 or write to d.smith@gmail.com."
)


def found(text: str, findings: Findings) -> list[tuple[str, str, str]]:
    return [(text[f.start : f.end], f.kind, f.replacement) for f in findings.found]


def test_a_finding_says_what_was_found_its_kind_and_what_replaces_it():
    findings = find(COURT, "court-news")
    assert found(COURT, findings) == [
        ("Daniel Smith", NAME, NAME_REMOVED),
        ("Elm Road, Cambourne", ADDRESS, f"{ADDRESS_REMOVED}, Cambourne"),
        ("Smith", NAME, NAME_REMOVED),
        ("07700 900123", PHONE, PHONE_REMOVED),
        ("d.smith@gmail.com", EMAIL, EMAIL_REMOVED),
    ]
    assert replaced(COURT, findings) == (
        f"{NAME_REMOVED}, 34, of {ADDRESS_REMOVED}, Cambourne, was jailed. {NAME_REMOVED} "
        f"admitted burglary. Call {PHONE_REMOVED} or write to {EMAIL_REMOVED}."
    )


def test_names_are_looked_for_only_in_court_news_and_appeals():
    assert [f.kind for f in find(COURT, "newsletter").found] == [PHONE, EMAIL]
    assert [f.kind for f in find(COURT, None).found] == [PHONE, EMAIL]


@pytest.mark.parametrize(
    ("text", "kind", "expected", "kinds"),
    [
        pytest.param(
            # the surname is also the town the address keeps: a later rule's span lies
            # inside an earlier one's replacement, and the two become one finding
            "John Cambourne, 34, of Elm Road, Cambourne, was fined. Cambourne paid.",
            "court-news",
            f"{NAME_REMOVED}, 34, of {ADDRESS_REMOVED}, {NAME_REMOVED}, was fined. "
            f"{NAME_REMOVED} paid.",
            [NAME, ADDRESS, NAME],  # "Elm Road, Cambourne": one address, with a name in it
            id="surname-is-the-town",
        ),
        pytest.param(
            # a link's words and the address after it read as one address once the
            # link is replaced
            "Write to [Jane](mailto:jane@gmail.com)x@hotmail.com today",
            None,
            f"Write to {EMAIL_REMOVED} today",
            [EMAIL],
            id="link-then-address",
        ),
    ],
)
def test_rules_that_run_on_what_earlier_rules_left_give_spans_of_the_original(
    text, kind, expected, kinds
):
    findings = find(text, kind)
    assert replaced(text, findings) == expected  # what the rules made of it, one after another
    assert [f.kind for f in findings.found] == kinds
    spans = [(f.start, f.end) for f in findings.found]
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_findings_are_made_on_one_text_by_the_rules_for_one_kind():
    findings = find(COURT, "court-news")
    assert findings.made_on(COURT, "court-news")
    assert findings.made_on(COURT, "appeal")  # the same rules
    assert not findings.made_on(COURT, "newsletter")  # names are not looked for there
    assert not findings.made_on(COURT + " Or ring 07700 900999.", "court-news")
    assert not findings.made_on(COURT.replace("Daniel", "David"), "court-news")
    edited = Findings(findings.seal, findings.found[1:])  # a finding deleted by hand
    assert not edited.made_on(COURT, "court-news")


def test_recorded_findings_are_reused_on_their_text_and_any_other_text_is_looked_at_afresh():
    recorded = find(COURT, "court-news")
    assert findings_for(COURT, "court-news", recorded) is recorded
    edited = COURT + " Or ring 07700 900999."
    again = findings_for(edited, "court-news", recorded)
    assert again == find(edited, "court-news")
    assert replaced(edited, again).endswith(f"Or ring {PHONE_REMOVED}.")
    assert findings_for(COURT, "court-news", None) == recorded  # nothing recorded: a look


def item_findings() -> ItemFindings:
    return ItemFindings(
        subject=find("Ring 07700 900123", None),
        sender_org=find("Neighbourhood Alert", None),
        text=find(COURT, "court-news"),
        articles=(ArticleFindings(find("Jailed", "court-news"), find(COURT, "court-news")),),
        private_sender=True,
    )


def test_item_findings_survive_json():
    item = item_findings()
    assert ItemFindings.from_dict(json.loads(json.dumps(item.to_dict()))) == item
    assert item.in_print
    none = ItemFindings(find("Hello", None), find("PCC", None), find("No one.", None))
    assert not none.in_print


def valid() -> dict:
    return item_findings().to_dict()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.pop("text"), id="a-part-missing"),
        pytest.param(lambda d: d.update(articles={}), id="articles-not-a-list"),
        pytest.param(lambda d: d["text"].update(seal=1), id="seal-not-text"),
        pytest.param(lambda d: d["text"].update(found="all of it"), id="found-not-a-list"),
        pytest.param(lambda d: d["text"]["found"].append([1, 2, "phone"]), id="short-row"),
        pytest.param(lambda d: d["text"]["found"].append([5, 2, "phone", "x"]), id="backwards"),
        pytest.param(lambda d: d["text"]["found"].append([-1, 2, "phone", "x"]), id="negative"),
        pytest.param(lambda d: d["text"]["found"].append([True, 2, "phone", "x"]), id="bool"),
        pytest.param(lambda d: d["text"]["found"].append([1, 2, ["phone"], "x"]), id="kind-list"),
        pytest.param(lambda d: d["text"]["found"].append([1, 2, "shoe size", "x"]), id="kind"),
        pytest.param(lambda d: d["text"]["found"].append([1, 2, "phone", 3]), id="replacement"),
        pytest.param(lambda d: d.update(private_sender="yes"), id="flag-not-bool"),
        pytest.param(lambda d: d["articles"].append({"headline": {}}), id="article"),
    ],
)
def test_a_stored_form_of_another_shape_is_a_value_error(change):
    data = valid()
    change(data)
    with pytest.raises(ValueError):
        ItemFindings.from_dict(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=30,
)


def as_text_part(value: object) -> dict:
    """A valid stored form whose text part is *value*."""
    return valid() | {"text": value}


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.one_of(
        JSON,
        JSON.map(as_text_part),
        st.fixed_dictionaries(
            {"seal": st.text(max_size=4), "found": st.lists(JSON, max_size=3)}
        ).map(as_text_part),
    )
)
def test_anything_typed_over_the_stored_form_is_read_or_a_value_error(data):
    try:
        item = ItemFindings.from_dict(data)
    except ValueError:
        return
    # what reads back can be asked whether it fits a text (here: it never does)
    assert not item.text.made_on(COURT, "court-news")


def test_a_finding_is_only_a_span_the_text_it_names_is_not_copied():
    finding = find(COURT, None).found[0]
    assert finding == Finding(finding.start, finding.end, PHONE, PHONE_REMOVED)
    assert "07700" not in json.dumps(find(COURT, None).to_dict())
