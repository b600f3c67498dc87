"""Fit to publish: greetings become neutral, private people's data goes, officials' stays."""

from __future__ import annotations

import pytest

from council_papers.models import Publication
from council_papers.personal import (
    ADDRESS_REMOVED,
    EMAIL_REMOVED,
    NAME_REMOVED,
    PHONE_REMOVED,
    find,
    is_personal_email,
)
from council_papers.publish import neutral_salutation, published, replaced


def redact(text: str, kind: str | None = None) -> tuple[str, bool]:
    """The rules end to end: look at *text*, replace what was found, and say if anything was."""
    findings = find(text, kind)
    return replaced(text, findings), bool(findings.found)


def for_publication(text: str, kind: str | None, mode: Publication | str) -> tuple[str, bool]:
    """What the pack prints of *text* in *mode* when nothing was found in it before."""
    findings = find(text, kind)
    return published(text, findings, mode), bool(findings.found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Dear John,\n\nWe're preparing to hold our next online engagement meeting.",
            "Dear resident,\n\nWe're preparing to hold our next online engagement meeting.",
            id="alert-first-name",
        ),
        pytest.param(
            "Hi Jane,\nThanks for sending this on.",
            "Dear resident,\nThanks for sending this on.",
            id="hi-first-name",
        ),
        pytest.param("Dear Mrs Smith,", "Dear resident,", id="title-and-surname"),
        pytest.param("Dear Cllr Jones", "Dear resident,", id="no-comma"),
        pytest.param("Hello Sarah!", "Dear resident,", id="exclamation"),
        pytest.param("Good morning Peter,", "Dear resident,", id="good-morning"),
        pytest.param(
            "  Dear Mary-Jane O'Connor,", "  Dear resident,", id="indented-hyphen-apostrophe"
        ),
        pytest.param("Dear John and Mary,", "Dear resident,", id="couple"),
        pytest.param("Dear all,", "Dear all,", id="group-all"),
        pytest.param("Dear Sir/Madam,", "Dear Sir/Madam,", id="sir-madam"),
        pytest.param("Dear Councillors,", "Dear Councillors,", id="councillors"),
        pytest.param("Dear Clerk,", "Dear Clerk,", id="clerk-role"),
        pytest.param("Dear Resident,", "Dear Resident,", id="already-neutral"),
        pytest.param(
            "Dear Neighbourhood Watch Coordinator,",
            "Dear Neighbourhood Watch Coordinator,",
            id="role-title",
        ),
        pytest.param("Good afternoon everyone,", "Good afternoon everyone,", id="everyone"),
        pytest.param(
            "Hello and welcome to our spring newsletter.",
            "Hello and welcome to our spring newsletter.",
            id="hello-and-welcome",
        ),
        pytest.param(
            "Hi Vis jackets were handed out to volunteers.",
            "Hi Vis jackets were handed out to volunteers.",
            id="hi-vis-not-a-greeting",
        ),
        pytest.param(
            "Inspector Shane Fasey said: Dear John, ...",
            "Inspector Shane Fasey said: Dear John, ...",
            id="not-at-line-start",
        ),
    ],
)
def test_neutral_salutation(text, expected):
    assert neutral_salutation(text) == expected


@pytest.mark.parametrize(
    ("address", "personal"),
    [
        pytest.param("john.smith@gmail.com", True, id="gmail"),
        pytest.param("jsmith@btinternet.com", True, id="btinternet"),
        pytest.param("mary@hotmail.co.uk", True, id="hotmail-uk"),
        pytest.param("mary@yahoo.co.uk", True, id="yahoo-uk"),
        pytest.param("pete@icloud.com", True, id="icloud"),
        pytest.param("pete@me.com", True, id="me-com"),
        pytest.param("family@sky.com", True, id="sky"),
        pytest.param("a.b@ntlworld.com", True, id="ntlworld"),
        pytest.param("enquiries@cambridgeshire-pcc.gov.uk", False, id="pcc"),
        pytest.param("south.cambs@cambs.police.uk", False, id="police"),
        pytest.param("info@ourwatch.org.uk", False, id="org-uk"),
        pytest.param("paul.lopez@ecrcentre.co.uk", False, id="organisation-own-domain"),
        pytest.param("someone@me.gov.uk", False, id="gov-uk-wins"),
    ],
)
def test_personal_email(address, personal):
    assert is_personal_email(address) is personal


@pytest.mark.parametrize(
    ("text", "kind", "expected", "found"),
    [
        # Private contact details go, in any kind of item.
        pytest.param(
            "Please contact me on john.smith@gmail.com if you can help.",
            None,
            f"Please contact me on {EMAIL_REMOVED} if you can help.",
            True,
            id="gmail",
        ),
        pytest.param(
            "Email [Jane](mailto:jane.doe@hotmail.co.uk) with offers of help.",
            None,
            "Email Jane with offers of help.",
            True,
            id="mailto-link-text-kept",
        ),
        pytest.param(
            "Email [jane.doe@hotmail.co.uk](mailto:jane.doe@hotmail.co.uk).",
            None,
            f"Email {EMAIL_REMOVED}.",
            True,
            id="mailto-link-address-as-text",
        ),
        pytest.param(
            "Ring Dave on 07700 900123 to join the Speedwatch team.",
            None,
            f"Ring Dave on {PHONE_REMOVED} to join the Speedwatch team.",
            True,
            id="mobile",
        ),
        pytest.param(
            "Text 07700-900-123 or +44 (0)7700 900123 or +447700900123.",
            None,
            f"Text {PHONE_REMOVED} or {PHONE_REMOVED} or {PHONE_REMOVED}.",
            True,
            id="mobile-formats",
        ),
        pytest.param(
            "If you see him, call his mum on 01954 123456.",
            "appeal",
            f"If you see him, call his mum on {PHONE_REMOVED}.",
            True,
            id="landline-private-context",
        ),
        pytest.param(
            "The owner, Mr Patel, can be reached on (01223) 456789.",
            None,
            f"The owner, Mr Patel, can be reached on {PHONE_REMOVED}.",
            True,
            id="landline-bracketed-area-code",
        ),
        # Organisations' contact details and officers stay.
        pytest.param(
            "Call Cambourne police station on 01954 123456.",
            None,
            "Call Cambourne police station on 01954 123456.",
            False,
            id="landline-organisation",
        ),
        pytest.param(
            "Report it on 101, or anonymously to Crimestoppers on 0800 555 111.",
            None,
            "Report it on 101, or anonymously to Crimestoppers on 0800 555 111.",
            False,
            id="101-and-0800",
        ),
        pytest.param(
            "Victim and Witness Hub: 0300 333 3456, enquiries@cambridgeshire-pcc.gov.uk",
            None,
            "Victim and Witness Hub: 0300 333 3456, enquiries@cambridgeshire-pcc.gov.uk",
            False,
            id="0300-and-gov-uk",
        ),
        pytest.param(
            "Centre Director – T/Detective Superintendent Paul Lopez – paul.lopez@ecrcentre.co.uk",
            None,
            "Centre Director – T/Detective Superintendent Paul Lopez – paul.lopez@ecrcentre.co.uk",
            False,
            id="seed-003-officer-contact",
        ),
        pytest.param(
            "Crime reference 35/12345/22, reported 20/06/2022.",
            None,
            "Crime reference 35/12345/22, reported 20/06/2022.",
            False,
            id="references-and-dates-are-not-phones",
        ),
        # Court news and appeals: private people's names and streets go; age and town stay.
        pytest.param(
            "Daniel Smith, 34, of Elm Road, Cambourne, was jailed for two years at "
            "Cambridge Crown Court. Smith admitted burglary.",
            "court-news",
            f"{NAME_REMOVED}, 34, of {ADDRESS_REMOVED}, Cambourne, was jailed for two years "
            f"at Cambridge Crown Court. {NAME_REMOVED} admitted burglary.",
            True,
            id="court-name-age-street-town",
        ),
        pytest.param(
            "Sentencing Mark Brown, 52, of 4 High Street, Papworth Everard, Judge Mark "
            "Bishop said the offences were serious.",
            "court-news",
            f"Sentencing {NAME_REMOVED}, 52, of {ADDRESS_REMOVED}, Papworth Everard, Judge "
            "Mark Bishop said the offences were serious.",
            True,
            id="court-sentence-starter-and-judge",
        ),
        pytest.param(
            "Peter O'Brien (27) was remanded in custody.",
            "court-news",
            f"{NAME_REMOVED} (27) was remanded in custody.",
            True,
            id="court-age-in-brackets",
        ),
        pytest.param(
            "Tom van der Berg, aged 41, from St Ives, was banned from driving. "
            "Van der Berg must also pay costs.",
            "court-news",
            f"{NAME_REMOVED}, aged 41, from St Ives, was banned from driving. "
            f"{NAME_REMOVED} must also pay costs.",
            True,
            id="court-particles-town-kept",
        ),
        pytest.param(
            "Sarah Jones, of Flat 3, 12 Fen Road, Chesterton, was fined £200. Mrs Jones "
            "apologised.",
            "court-news",
            f"{NAME_REMOVED}, of {ADDRESS_REMOVED}, Chesterton, was fined £200. "
            f"{NAME_REMOVED} apologised.",
            True,
            id="court-no-age-but-street",
        ),
        pytest.param(
            "Have you seen Jane Doe (15)? She was last seen in Cambourne.",
            "appeal",
            f"Have you seen {NAME_REMOVED} (15)? She was last seen in Cambourne.",
            True,
            id="appeal-missing-person",
        ),
        pytest.param(
            "Inspector Shane Fasey, 45, of South Cambs, said the team would respond.",
            "court-news",
            "Inspector Shane Fasey, 45, of South Cambs, said the team would respond.",
            False,
            id="officer-kept",
        ),
        pytest.param(
            "The case was heard at Cambridge Crown Court, 20 June 2022.",
            "court-news",
            "The case was heard at Cambridge Crown Court, 20 June 2022.",
            False,
            id="court-and-date-not-a-person",
        ),
        pytest.param(
            "Det Supt John Massey, Head of Protecting Vulnerable People (PVP), said:",
            "court-news",
            "Det Supt John Massey, Head of Protecting Vulnerable People (PVP), said:",
            False,
            id="seed-004-officer",
        ),
        pytest.param(
            "Daniel Smith, 34, of Elm Road, Cambourne, was jailed.",
            "strategy",
            "Daniel Smith, 34, of Elm Road, Cambourne, was jailed.",
            False,
            id="names-only-in-court-news-and-appeals",
        ),
    ],
)
def test_redact(text, kind, expected, found):
    assert redact(text, kind) == (expected, found)


def test_redact_is_idempotent():
    text = (
        "Daniel Smith, 34, of Elm Road, Cambourne, was jailed. Contact john@gmail.com "
        "or 07700 900123."
    )
    once, _ = redact(text, "court-news")
    assert redact(once, "court-news") == (once, False)


@pytest.mark.parametrize(
    ("mode", "expected", "found"),
    [
        pytest.param("redact", f"Dear resident,\n\nCall me on {PHONE_REMOVED}.", True, id="redact"),
        pytest.param("flag", "Dear resident,\n\nCall me on 07700 900123.", True, id="flag"),
        pytest.param("keep", "Dear John,\n\nCall me on 07700 900123.", True, id="keep"),
    ],
)
def test_for_publication(mode, expected, found):
    assert for_publication("Dear John,\n\nCall me on 07700 900123.", None, mode) == (
        expected,
        found,
    )


def test_for_publication_rejects_unknown_mode():
    with pytest.raises(ValueError, match="redact, flag, keep"):
        for_publication("text", None, "publish")


def test_a_missing_persons_name_is_removed_in_an_appeal_with_later_first_name_mentions():
    text = (
        "Daniel Frost was last seen at about 8.30pm in Howitts Lane.\n"
        "Anyone who has seen Daniel is asked to call 101."
    )
    redacted, found = redact(text, "appeal")
    assert found and "Daniel" not in redacted and "Frost" not in redacted
    assert "Howitts Lane" in redacted and "call 101" in redacted
    # an officer "last seen" is not a missing person, and other kinds keep names
    assert redact("Inspector Shane Fasey was last seen at the meeting.", "appeal") == (
        "Inspector Shane Fasey was last seen at the meeting.",
        False,
    )
    assert redact(text, "newsletter") == (text, False)


def test_titles_with_no_name_are_not_a_person():
    # "Mr Dr, 34" reads like "John Smith, 34" but names nobody: it once raised IndexError
    text = "Mr Dr, 34, was jailed. Mr Dr admitted it."
    assert redact(text, "court-news") == (text, False)
