"""Classes of item the third held-out set showed the engine getting wrong, each written
afresh here (other areas, other words) as a clerk would save it, so the fix is held for
the class and not for the one file that showed it.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from council_papers.config import Config
from council_papers.models import Classified
from council_papers.pipeline import inspect_paths

_FOOTER_HTML = """
<p>Message Sent By<br>{sender}<br>(Police, {role}, {force})</p>
<p>How useful was this message?
<a href="https://www.{site}/da/{mid}/rate?r=1">&#9733;</a>
<a href="https://www.{site}/da/{mid}/rate?r=2">&#9733;</a>
<a href="https://www.{site}/da/{mid}/rate?r=3">&#9733;</a></p>
<p>Your area: {area}</p>
<p>To login to your account, or if you have forgotten your password please go to
https://www.{site}/login. <a href="https://www.{site}/da/{mid}/unsubscribe">Unsubscribe
from all messages</a>.</p>
<p>{brand} is powered by Neighbourhood Alert. VISAV Ltd, Nottingham.</p>
"""


CLERK = "clerk@marden-pc.example.org.uk"  # the council every item here is sent to


def _email(
    path: Path,
    *,
    sender: str,
    to: str = CLERK,
    subject: str,
    date: dt.datetime,
    plain: str,
    html: str | None = None,
) -> Path:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{path.stem}@example.invalid>"
    msg.set_content(plain)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    path.write_bytes(bytes(msg))
    return path


def _platform_alert(path: Path, *, mid: str, subject: str, body: list[str], sender: str) -> Path:
    site, brand = "kentalert.example.co.uk", "Kent Alert"
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    html = (
        f'<p><a href="https://www.{site}/da/{mid}/view">View this message in your browser</a></p>'
        f"<p>Kent Police</p><h2>{subject}</h2>{paragraphs}"
        + _FOOTER_HTML.format(
            sender=sender,
            role="PCSO",
            force="Kent Police",
            site=site,
            mid=mid,
            area="Maidstone > Marden",
            brand=brand,
        )
    )
    return _email(
        path,
        sender=f"{brand} <noreply@{site}>",
        subject=subject,
        date=dt.datetime(2026, 5, 11, 9, 30, tzinfo=dt.UTC),
        plain="\n\n".join(["Kent Police", subject, *body]),
        html=html,
    )


def _decide(*paths: Path) -> dict[str, Classified]:
    report = inspect_paths(list(paths), Config(), jobs=1)
    assert not report.failed, report.failed
    return {Path(r.path).name: r for r in report.items}


def test_two_alerts_from_one_platform_are_not_copies_for_sharing_its_footer(tmp_path):
    # the link before the body once took the text up to the footer's first ")" with it,
    # so two alerts compared as their footers alone
    vans = _platform_alert(
        tmp_path / "vans.eml",
        mid="a1b2c3",
        subject="Tools stolen from vans in Marden",
        body=[
            "Overnight on 8 May three vans parked on Howland Road had their rear doors "
            "peeled open and power tools taken.",
            "Please mark your tools, park against a wall and remove tools overnight.",
        ],
        sender="PCSO Dan Okoro",
    )
    dogs = _platform_alert(
        tmp_path / "dogs.eml",
        mid="d4e5f6",
        subject="Dog walkers asked to watch for livestock worrying",
        body=[
            "Sheep were attacked in fields off Pattenden Lane at the weekend.",
            "Keep dogs on leads near livestock and report sightings on 101.",
        ],
        sender="PC Amy Lusk",
    )
    decided = _decide(vans, dogs)
    assert decided["dogs.eml"].decision.duplicate_of is None
    assert decided["dogs.eml"].decision.disposition == "circulated"


def test_the_same_alert_pasted_as_text_is_still_a_copy(tmp_path):
    body = [
        "Overnight on 8 May three vans parked on Howland Road and Albion Road had their "
        "rear doors peeled open and power tools taken, including drills, saws and a "
        "generator worth about £4,000 in all.",
        "We believe the same group has been working through villages south of Maidstone "
        "this month, arriving in a dark estate car between 2am and 4am.",
        "Please mark your tools with your postcode, park with the rear doors against a "
        "wall or fence, and take tools out of vans overnight where you can.",
        "If you saw anything or have doorbell or dashcam footage from that night, please "
        "call 101 or report online quoting 46/88123/26.",
    ]
    first = _platform_alert(
        tmp_path / "a-vans.eml",
        mid="a1b2c3",
        subject="Tools stolen from vans in Marden",
        body=body,
        sender="PCSO Dan Okoro",
    )
    pasted = tmp_path / "b-vans-pasted.txt"
    pasted.write_text(
        "Kent Police\nTools stolen from vans in Marden\n\n" + "\n\n".join(body) + "\n\n"
        "Message Sent By\nPCSO Dan Okoro\n(Police, PCSO, Kent Police)\n\n"
        "How useful was this message? ★ ★ ★\nYour area: Maidstone > Marden\n",
        encoding="utf-8",
    )
    decided = _decide(first, pasted)
    assert decided["b-vans-pasted.txt"].decision.duplicate_of == "a-vans.eml"


def test_applications_that_close_on_a_date_are_an_open_funding_call(tmp_path):
    plain = (
        "Dear councillors and partners,\n\n"
        "Welcome to the May update from your Police and Crime Commissioner.\n\n"
        "Road safety week\n\nOfficers will be out at schools across the county.\n\n"
        "Safer Streets small grants\n\n"
        "Grants of up to £3,000 are available for projects that make a neighbourhood "
        "safer, such as lighting, youth clubs and Speedwatch kit. Town and parish councils "
        "may apply.\n\nApplications close at noon on Friday 26 June 2026.\n\n"
        "Rural crime\n\nThe rural crime team recovered two stolen tractors.\n\n"
        "Office of the Police and Crime Commissioner for Kent\n"
    )
    path = _email(
        tmp_path / "pcc-update.eml",
        sender="Kent PCC <contact@kent-pcc.gov.uk>",
        subject="May update from the Commissioner",
        date=dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC),
        plain=plain,
    )
    record = _decide(path)["pcc-update.eml"]
    assert record.decision.disposition == "agenda", record.decision.reasons
    assert record.decision.deadline == dt.date(2026, 6, 26)


def test_an_officers_email_giving_counts_and_asking_the_council_is_a_report(tmp_path):
    plain = (
        "Good morning Helen,\n\n"
        "Here is April for Marden, for Tuesday's meeting.\n\n"
        "Crimes reported in April: 11\n"
        "Burglary: 2 – both overnight, entry through insecure rear doors on Albion Road\n"
        "Theft from vehicles: 4 – windows smashed, bags stolen at the station car park\n"
        "Shed break-ins: 3 – tools stolen overnight from the allotments\n"
        "Criminal damage: 2 – the pavilion windows\n"
        "ASB calls: 6 – mostly the skate park in the evenings\n\n"
        "Please remind residents to lock sheds and not to leave bags on show in cars.\n\n"
        "The burglaries and the thefts look linked to a dark van seen in the village at "
        "night; anyone with doorbell footage should call 101.\n\n"
        "We have added late patrols at the skate park and allotments.\n\n"
        "Could the council tell me by 29 May whether it wants the skate park kept as a "
        "priority for the summer, or the speeding on Maidstone Road instead?\n\n"
        "Thanks\nDan\n\nPCSO 4471 Dan Okoro\nMaidstone Rural Neighbourhood Team\nKent Police\n"
    )
    path = _email(
        tmp_path / "pcso-april.eml",
        sender="Dan Okoro <dan.okoro@kent.police.uk>",
        subject="April",
        date=dt.datetime(2026, 5, 6, 8, 15, tzinfo=dt.UTC),
        plain=plain,
    )
    record = _decide(path)["pcso-april.eml"]
    assert (record.decision.kind, record.decision.disposition) == ("report", "agenda"), (
        record.decision.reasons
    )


def test_a_forces_figures_page_for_the_public_is_circulated(tmp_path):
    rows = "".join(
        f"<tr><td>{name}</td><td>{a}</td><td>{b}</td></tr>"
        for name, a, b in (
            ("Burglary", 41, 38),
            ("Vehicle offences", 77, 80),
            ("Violence against the person", 212, 199),
            ("Criminal damage and arson", 65, 71),
            ("Shoplifting", 90, 84),
            ("Anti-social behaviour", 140, 151),
        )
    )
    page = tmp_path / "maidstone-figures.html"
    page.write_text(
        "<html><head><title>Crime in Maidstone district – April 2026 | Kent Police</title>"
        '<meta property="og:site_name" content="Kent Police"></head><body>'
        "<nav>Skip to main content | Home | News | Your area</nav>"
        "<h1>Crime in Maidstone district – April 2026</h1>"
        "<p>Published 12 May 2026 by the Maidstone Community Safety Unit.</p>"
        "<p>These figures show crimes recorded in Maidstone district this month and last.</p>"
        "<table><tr><th>Crime</th><th>April</th><th>March</th></tr>" + rows + "</table>"
        "<p>Figures are provisional and may change.</p>"
        "<footer>© Kent Police | Privacy | Cookies | Accessibility</footer></body></html>",
        encoding="utf-8",
    )
    record = _decide(page)["maidstone-figures.html"]
    assert record.decision.disposition == "circulated", record.decision.reasons
    assert record.decision.kind != "report"


def test_a_planning_consultation_about_a_police_station_is_the_councils_not_the_forces(
    tmp_path,
):
    plain = (
        "MAIDSTONE BOROUGH COUNCIL\n"
        "Planning consultation with parish councils\n\n"
        "Reference: 26/501234/FULL\n"
        "Site: Marden Police Station, High Street, Marden\n"
        "Proposal: Conversion of the police station to four flats\n\n"
        "Dear Clerk,\n\n"
        "The borough council invites the parish council's comments on the above. Kent "
        "Police closed the front counter in 2024 and the neighbourhood team now works from "
        "Maidstone. Please send comments by 2 June 2026.\n\n"
        "Development Management\n"
    )
    path = _email(
        tmp_path / "planning.eml",
        sender="Planning <planning.notices@maidstone.example.gov.uk>",
        subject="Consultation 26/501234/FULL – Marden Police Station",
        date=dt.datetime(2026, 5, 12, 14, 0, tzinfo=dt.UTC),
        plain=plain,
    )
    record = _decide(path)["planning.eml"]
    assert record.sender_org == "Maidstone Borough Council"
    assert record.decision.disposition == "excluded", record.decision.reasons


def test_a_platform_asking_what_readers_think_of_it_is_feedback_not_a_survey(tmp_path):
    path = _platform_alert(
        tmp_path / "feedback.eml",
        mid="f0f0f0",
        subject="What do you think of Kent Alert? Five minute survey",
        body=[
            "We want to make Kent Alert more useful to you.",
            "Tell us how often you would like messages and what they should cover. "
            "The survey is open until 31 May 2026.",
        ],
        sender="Kent Alert Team",
    )
    record = _decide(path)["feedback.eml"]
    # a brand the registry does not list, named by a From name that is its own address
    assert record.sender_org == "Kent Alert"
    assert (record.decision.kind, record.decision.disposition) == (
        "platform-feedback",
        "circulated",
    ), record.decision.reasons


# --- found with the fourth held-out set (tests/fixtures/heldout4) ---------------------


def _pcc_letter(tmp_path: Path, name: str, sent: dt.datetime, body: str) -> Path:
    return _email(
        tmp_path / name,
        sender="Office of the Kent PCC <contact@kent-pcc.gov.uk>",
        subject="Community grants 2026",
        date=sent,
        plain="Dear Clerk,\n\n"
        + body
        + "\n\nOffice of the Police and Crime Commissioner for Kent\n",
    )


def test_a_fund_that_opens_months_later_is_only_announced(tmp_path):
    body = (
        "This is advance notice that our community grants scheme will open on 1 August "
        "2026 for bids of up to £5,000 from parish councils and local groups, closing on "
        "30 September 2026. The guidance will be on our website when the scheme opens."
    )
    record = _decide(
        _pcc_letter(tmp_path, "later.eml", dt.datetime(2026, 5, 5, tzinfo=dt.UTC), body)
    )
    assert record["later.eml"].decision.disposition == "circulated", record[
        "later.eml"
    ].decision.reasons


def test_a_fund_that_opens_within_days_is_open_by_the_meeting(tmp_path):
    body = (
        "Our community grants scheme will open on 12 May 2026 for bids of up to £5,000 "
        "from parish councils and local groups, closing on 30 June 2026. Please apply "
        "through our website."
    )
    record = _decide(
        _pcc_letter(tmp_path, "soon.eml", dt.datetime(2026, 5, 5, tzinfo=dt.UTC), body)
    )
    assert record["soon.eml"].decision.disposition == "agenda", record["soon.eml"].decision.reasons


def test_a_newsletters_call_is_known_by_the_sentence_before_its_date(tmp_path):
    plain = (
        "Dear subscriber,\n\nWelcome to the Commissioner's newsletter for May.\n\n"
        "Rural crime panel\n\nWe are asking each town and parish council in the Weald to "
        "put forward one councillor to sit on the new rural crime panel. Names to "
        "partnerships@kent-pcc.gov.uk by Friday 5 June 2026, please.\n\n"
        "Victims' services\n\nOur new victims' hub opened in Ashford this month.\n\n"
        "Road safety\n\nThe summer drink-drive campaign starts on 1 July.\n\n"
        "Office of the Police and Crime Commissioner for Kent\n"
    )
    path = _email(
        tmp_path / "newsletter.eml",
        sender="Kent PCC <newsletter@kent-pcc.gov.uk>",
        subject="Commissioner's newsletter – May 2026",
        date=dt.datetime(2026, 5, 14, 9, 0, tzinfo=dt.UTC),
        plain=plain,
    )
    record = _decide(path)["newsletter.eml"]
    assert record.decision.disposition == "agenda", record.decision.reasons
    assert record.decision.deadline == dt.date(2026, 6, 5)


def test_figures_that_say_they_are_no_report_to_a_council_are_not_one(tmp_path):
    plain = (
        "Kent Police – Performance Team\nNeighbourhood summary: Marden – April 2026\n\n"
        "Burglary: 3\nVehicle crime: 5\nCriminal damage: 2\nShoplifting: 4\nASB: 9\n\n"
        "These summaries are published every month for each neighbourhood. This is not a "
        "report to any particular parish council.\n\nKent Police\n"
    )
    page = tmp_path / "summary.txt"
    page.write_text(plain, encoding="utf-8")
    record = _decide(page)["summary.txt"]
    assert record.decision.kind != "report", record.decision.reasons
    assert record.decision.disposition == "circulated"


def test_a_body_named_in_a_list_is_not_the_signature(tmp_path):
    text = (
        "MARDEN COMMUNITY SPEEDWATCH\nReport to Marden Parish Council – April 2026\n\n"
        "We ran six sessions on Howland Road and checked 640 vehicles; 41 were over 35 mph.\n\n"
        "What happened next\n"
        "- 38 first letters sent by Kent Police to registered keepers\n"
        "- 3 drivers visited by the roads policing unit\n"
        "- our figures were sent to Kent County Council Highways for the 20 mph request\n\n"
        "Thanks to our eleven volunteers.\n\nJean Pilbeam\nMarden CSW coordinator\n"
    )
    path = tmp_path / "csw.txt"
    path.write_text(text, encoding="utf-8")
    record = _decide(path)["csw.txt"]
    # neither body its points mention wrote it: the volunteers' coordinator did
    assert record.sender_org not in ("Kent County Council", "Kent Police")
    assert record.decision.disposition != "excluded", record.decision.reasons


def test_a_public_page_about_a_strategy_or_an_open_day_is_marked_for_review(tmp_path):
    page = tmp_path / "news.html"
    page.write_text(
        "<html><head><title>Rural crime strategy: one year on | Kent Police</title>"
        '<meta property="og:site_name" content="Kent Police"></head><body>'
        "<h1>Rural crime strategy: one year on</h1>"
        "<p>A year after Kent Police launched its rural crime strategy, thefts of farm "
        "machinery are down by a fifth. The strategy's next steps include more rural "
        'specials and a farm watch scheme.</p><p>Inspector Ruth Calloway said: "Please '
        'keep telling us what you see."</p></body></html>',
        encoding="utf-8",
    )
    decision = _decide(page)["news.html"].decision
    assert decision.disposition == "circulated" or decision.needs_review, decision.reasons


# --- found with the fifth held-out set (tests/fixtures/heldout5) ----------------------


def test_a_force_news_page_that_mentions_councils_is_not_a_report_to_one(tmp_path):
    page = tmp_path / "operation.html"
    page.write_text(
        "<html><head><title>Operation Long Evenings returns | Kent Police</title>"
        '<meta property="og:site_name" content="Kent Police"></head><body>'
        "<nav>Skip to main content | News | Your area</nav>"
        "<h1>Operation Long Evenings returns to Maidstone</h1>"
        "<p>Neighbourhood officers will run extra evening patrols in parks and town "
        "centres across the district from 1 June, working with parish councils, schools "
        "and youth clubs to cut anti-social behaviour over the summer holidays.</p>"
        "<p>Last summer the operation saw reports of anti-social behaviour fall by a "
        "quarter. Inspector Sam Oduya said the team would be out on foot and on bikes.</p>"
        "<footer>© Kent Police | Privacy | Cookies</footer></body></html>",
        encoding="utf-8",
    )
    decision = _decide(page)["operation.html"].decision
    assert (decision.kind != "report", decision.disposition) == (True, "circulated"), (
        decision.reasons
    )


def test_the_commissioners_staff_writing_from_the_forces_address_are_the_commissioner(tmp_path):
    plain = (
        "Dear Clerk,\n\nThe Commissioner is refreshing his Police and Crime Plan and would "
        "like each parish council's views. Please reply by 30 June 2026 with your council's "
        "three priorities.\n\nKind regards,\n\nPriya Lomas\nPolicy Officer\n"
        "Office of the Police and Crime Commissioner for Kent\nSutton Road, Maidstone\n\n"
        "This email is from Kent Police. It is confidential and may be legally privileged. "
        "If you are not the intended recipient, you must not copy or use it.\n"
    )
    path = _email(
        tmp_path / "plan.eml",
        sender='"Lomas, Priya" <priya.lomas@kent.police.uk>',
        subject="Police and Crime Plan refresh – your council's views",
        date=dt.datetime(2026, 5, 20, 11, 0, tzinfo=dt.UTC),
        plain=plain,
    )
    record = _decide(path)["plan.eml"]
    assert record.sender_org == "Kent Police and Crime Commissioner"
    assert record.decision.disposition == "agenda", record.decision.reasons


def test_a_platforms_brand_after_the_forces_name_in_the_from_name(tmp_path):
    html = (
        "<p>Kent Police</p><h2>Quad bike stolen from Staplehurst farm</h2>"
        "<p>A red quad bike was taken from a barn on Pinnock Lane overnight on 12 May. "
        "Please check your outbuildings and call 101 with any information.</p>"
        + _FOOTER_HTML.format(
            sender="PC Lee Hart",
            role="PC",
            force="Kent Police",
            site="kentvillagewatch.example.co.uk",
            mid="q1q2q3",
            area="Maidstone > Staplehurst",
            brand="Village Watch",
        )
    )
    path = _email(
        tmp_path / "quad.eml",
        sender="Kent Police – Village Watch <noreply@kentvillagewatch.example.co.uk>",
        subject="Quad bike stolen from Staplehurst farm",
        date=dt.datetime(2026, 5, 13, 8, 0, tzinfo=dt.UTC),
        plain="Quad bike stolen from Staplehurst farm",
        html=html,
    )
    assert _decide(path)["quad.eml"].sender_org == "Village Watch"


# --- found with the sixth held-out set (tests/fixtures/heldout6) ----------------------


def _pdf(paragraphs: list[str]) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    styles = getSampleStyleSheet()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(p, styles["Normal"]) for p in paragraphs])
    return out.getvalue()


def _with_attachment(path: Path, *, sender: str, subject: str, day: int, note: str, pdf: bytes):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, CLERK, subject
    msg["Date"] = format_datetime(dt.datetime(2026, 10, day, 9, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<{path.stem}@example.invalid>"
    msg.set_content(note)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{path.stem}.pdf")
    path.write_bytes(bytes(msg))
    return path


def test_the_same_document_attached_to_two_emails_is_one_item(tmp_path):
    report = _pdf(
        [
            "Kent Police Rural Task Force – Autumn newsletter 2026",
            "Harvest round-up: thank you to the farmers and Farm Watch members who reported "
            "suspicious vehicles this summer; four hare coursing groups were stopped and two "
            "vehicles seized under the new powers.",
            "Machinery thefts: GPS trackers and forensic marking are now offered free to "
            "members of Farm Watch. Quad bikes remain the most stolen machine in the county.",
            "Fly-tipping: we are working with the borough councils to catch those tipping on "
            "farmland, and three people have been prosecuted since June.",
            "Rural Task Force, Kent Police",
        ]
    )
    first = _with_attachment(
        tmp_path / "a-newsletter.eml",
        sender="Rural Task Force <rural.taskforce@kent.police.uk>",
        subject="Rural newsletter – autumn",
        day=5,
        note="Good morning all,\n\nPlease find attached our autumn newsletter.\n\nRural Task Force\n",
        pdf=report,
    )
    again = _with_attachment(
        tmp_path / "b-resent.eml",
        sender="Member Services <members@kalc.example.org.uk>",
        subject="FW: police rural newsletter for member councils",
        day=9,
        note="Dear Clerks,\n\nKent Police have asked us to share the attached with member "
        "councils.\n\nWith best wishes,\nKent Association of Local Councils\n",
        pdf=report,
    )
    decided = _decide(first, again)
    assert decided["b-resent.eml"].decision.duplicate_of == "a-newsletter.eml"
    assert decided["a-newsletter.eml"].decision.duplicate_of is None


def test_the_council_a_letter_speaks_of_is_not_its_sender(tmp_path):
    letter = tmp_path / "precept.pdf"
    letter.write_bytes(
        _pdf(
            [
                "1 October 2026",
                "To the Clerk of the Council",
                "Council tax for policing 2027/28: what the Council thinks",
                "I would be grateful if the Council would let me have its views on the "
                "policing part of the council tax. My survey is open until 15 November 2026 "
                "at www.kent-pcc.gov.uk/precept.",
                "Yours sincerely,",
                "Matthew Scott, Kent Police and Crime Commissioner",
                "www.kent-pcc.gov.uk",
            ]
        )
    )
    record = _decide(letter)["precept.pdf"]
    assert record.sender_org != "the Council"
    assert record.decision.disposition == "agenda", (record.sender_org, record.decision.reasons)
