"""The five real seed documents, through `council-papers inspect --json`."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, SEEDS, json_lines, run


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict]:
    result = run(
        "inspect", SEEDS, "--json", "--config", EXAMPLES / "cambourne-2022-07" / "council.toml"
    )
    assert result.exit_code == 0, result.output
    return {rec["path"].rsplit("/", 1)[-1][:3]: rec for rec in json_lines(result)}


def test_every_seed_is_read_and_the_readme_is_reported_not_read(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert all(rec["error"] is None for rec in seeds.values())


def test_seed_000_pcc_newsletter_with_banner_themes(seeds):
    rec = seeds["000"]
    assert rec["sender_org"] == "Cambridgeshire and Peterborough Police and Crime Commissioner"
    assert rec["author"].startswith("Darryl Preston")
    assert rec["date"] is None  # the paste carries no date
    assert [(a["headline"], a["theme"]) for a in rec["articles"]] == [
        (
            "A new Police and Crime Plan for Cambridgeshire and Peterborough – next steps",
            "Putting communities first",
        ),
        ("New projects funded to prevent serious violence", "Putting communities first"),
        ("Victim and Witness Hub celebrates 10th anniversary", "Supporting victims and witnesses"),
        (
            "Outstanding achievements recognised at police awards",
            "Supporting victims and witnesses",
        ),
        ("Drug tests rolled out in Anti-Spiking Week", "Supporting victims and witnesses"),
    ]
    # the sign-off is not swallowed into the last article
    assert "Thank you for reading" not in rec["articles"][-1]["text"]
    assert "|" not in rec["text"]


def test_seed_001_govdelivery_bulletin_dateline_and_themes_above_headlines(seeds):
    rec = seeds["001"]
    assert rec["sender_org"] == "Cambridgeshire and Peterborough Police and Crime Commissioner"
    assert rec["date"] == "2024-09-05"  # day first: 05-09-2024
    assert rec["author"] == "Darryl Preston"
    assert [(a["headline"], a["theme"]) for a in rec["articles"]] == [
        ("investment in prevention", None),
        (
            "Police Commissioner thanks public for their views on a new plan for Cambridgeshire "
            "and Peterborough",
            "Crime prevention",
        ),
        ("Have you been a victim or witness of a crime?", "Supporting victims and witnesses"),
        ("Independent Community Scrutiny Panel Praised", "Ethical policing"),
        (
            "Cambridgeshire Constabulary offer zombie knife compensation scheme",
            "Robust enforcement",
        ),
    ]
    zombie = rec["articles"][-1]["text"]
    assert "Monday 23rd September" in zombie and "**" not in zombie
    # the closing letter after the last "Read more" is not part of that article
    assert "no place for hatred" not in zombie
    assert "Read more" not in rec["text"]


def test_seed_002_markdown_stubs_and_a_theme_with_no_headline(seeds):
    rec = seeds["002"]
    assert rec["sender_org"] == "Cambridgeshire and Peterborough Police and Crime Commissioner"
    assert rec["author"] == "Darryl Preston"
    assert [(a["headline"], a["theme"]) for a in rec["articles"]] == [
        (None, "Putting communities first"),
        (
            "£1m boost to roll out 'hotspot' policing patrols to target ASB and violence",
            "Putting communities first",
        ),
        (
            "Renewed commitment to end modern slavery and human trafficking.",
            "Supporting victims and witnesses",
        ),
        ("Young people get their first taste of police scrutiny work.", "Ethical policing"),
        ("Crackdown on county lines nets 60 arrests", "Robust enforcement"),
        ("New investment worth £98k helps to keep young people safe.", "Crime prevention"),
    ]
    assert rec["articles"][0]["text"].startswith("New safety measures to protect residents")
    assert "[Read more]" not in rec["text"] and "(#)" not in rec["text"]


def test_seed_003_web_page_chrome_removed_and_not_split(seeds):
    rec = seeds["003"]
    assert rec["sender_org"] == "Cambridgeshire and Peterborough Police and Crime Commissioner"
    assert rec["subject"] == "Crime Prevention"
    assert rec["date"] is None and rec["author"] is None
    assert "Accessibility Options" not in rec["text"]
    assert rec["articles"] == []  # a page, not a newsletter
    # contact details are content: cleaning keeps them (publication decides later)
    assert "mel.lennon@ecrcentre.co.uk" in rec["text"]


def test_seed_004_pack_reads_as_neighbourhood_alert_material(seeds):
    rec = seeds["004"]
    assert rec["sender_org"] == "Neighbourhood Alert"
    assert rec["author"] == "Corporate Communications"
