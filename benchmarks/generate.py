#!/usr/bin/env python3
"""Write a realistic mixed corpus of N items for the benchmarks.

    python benchmarks/generate.py OUT --n 1000 [--seed 1] [--start 0]

The items imitate what a clerk saves, in roughly the proportions a clerk gets
them (see MIX): Neighbourhood Alert HTML emails, GovDelivery bulletins from the
Commissioner, councillors' Gmail and Outlook forwards, plain emails from officers,
councils and residents, pasted .txt files, saved web pages, PDF reports, Word
documents, and duplicates (a forwarded copy, a pasted copy, a file saved twice).

Each item is built from the templates of the test fixtures
(tests/fixtures/make_classify_fixtures.py and make_fixtures.py) with its own
places, people, dates, paragraph selection and a paragraph or two of local news,
so items are distinct: only the duplicates are duplicates.

Item *i* depends only on (seed, i): the first 1,000 items of a 10,000-item corpus
are the 1,000-item corpus, and ``--start`` writes a later slice. The same seed
writes the same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import html
import importlib
import io
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))
mcf: Any = importlib.import_module("make_classify_fixtures")
mf: Any = importlib.import_module("make_fixtures")

# kind -> weight (per 100 items): what a clerk's police mail is made of
MIX: tuple[tuple[str, int], ...] = (
    ("na", 40),  # Neighbourhood Alert HTML emails, straight to the clerk
    ("govdelivery", 12),  # the Commissioner's GovDelivery bulletins
    ("gmail", 6),  # a councillor forwards, from Gmail, what the clerk did not get
    ("outlook", 5),  # the same from Outlook
    ("mail", 8),  # plain emails: officers' reports, council notices, residents
    ("txt", 5),  # text pasted into a file
    ("web", 5),  # saved web pages
    ("pdf", 6),  # PDF reports
    ("docx", 5),  # Word documents
    ("duplicate", 8),  # a forwarded or pasted copy of an earlier item, or a file saved twice
)

VILLAGES = (
    "Over", "Swavesey", "Willingham", "Cottenham", "Histon", "Impington", "Girton", "Milton",
    "Waterbeach", "Landbeach", "Fulbourn", "Linton", "Sawston", "Melbourn", "Bassingbourn",
    "Gamlingay", "Elsworth", "Hardwick", "Comberton", "Caldecote", "Toft", "Barton",
    "Haslingfield", "Harston", "Great Shelford", "Stapleford", "Balsham", "Bottisham",
    "Burwell", "Soham", "Littleport", "Haddenham", "Witchford", "Chatteris", "Whittlesey",
    "Ramsey", "Warboys", "Somersham", "Fenstanton", "Hemingford Grey", "Godmanchester",
    "Brampton", "Buckden", "Kimbolton", "Little Paxton", "Yaxley", "Sawtry", "Stilton",
    "Eaton Socon", "Papworth Everard", "Caxton", "Bourn", "Cambourne", "Longstanton",
    "Northstowe", "Oakington", "Dry Drayton", "Bar Hill", "Lolworth", "Boxworth", "Knapwell",
    "Great Gransden", "Orwell", "Meldreth", "Foxton", "Duxford", "Whittlesford", "Pampisford",
)  # fmt: skip
# Places the fixture templates name; each item maps them to villages of its own.
TEMPLATE_PLACES = (
    "Longmere", "Fen Ashby", "Cambourne", "Bourn", "St Ives", "St Neots", "Eynesbury",
    "Huntingdon", "Wisbech", "Papworth Everard", "Bar Hill", "Caxton", "Comberton", "Ely",
)  # fmt: skip
_PLACE_RE = re.compile(r"\b(" + "|".join(sorted(TEMPLATE_PLACES, key=len, reverse=True)) + r")\b")
STREETS = (
    "High Street", "Church Lane", "Mill Road", "Station Road", "The Green", "School Lane",
    "Manor Close", "Orchard Way", "Meadow Road", "Chapel Street", "Back Lane", "Green End",
    "Queens Way", "Cambridge Road", "St Neots Road", "Ermine Street", "Pound Lane",
    "Brook Street", "Victoria Close", "Oak Drive", "Rectory Lane", "Mill Lane", "West Street",
)  # fmt: skip
FIRST = (
    "Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Mia", "Jack", "Sophie", "Noah",
    "Grace", "Leo", "Ruby", "Oscar", "Ella", "Alfie", "Chloe", "Thomas", "Lily", "James",
    "Evie", "William", "Freya", "Henry", "Hannah", "Samuel", "Megan", "Daniel", "Priya",
    "Tariq", "Joanne", "Martin", "Helen", "Stuart", "Claire", "Graham", "Anita", "Dominic",
)  # fmt: skip
LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts",
    "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "Clarke", "Jackson", "Turner", "Hill", "Moore", "Cooper", "Ward",
    "Morris", "King", "Baker", "Patel", "Khan", "Nowak", "Okafor", "Fletcher", "Pearce",
)  # fmt: skip
CRIMES = (
    "thefts from vans", "shed and garage break-ins", "catalytic converter thefts",
    "anti-social behaviour", "fly-tipping", "speeding", "damage to parked cars",
    "bicycle thefts", "doorstep scams", "burglaries", "thefts of fuel", "hare coursing",
    "off-road bikes on footpaths", "shoplifting", "thefts of garden tools", "drug dealing",
)  # fmt: skip
THINGS = ("shed", "garage", "side gate", "van", "bicycle", "car", "outbuilding", "front door")
VENUES = (
    "the village hall", "the library", "the community centre", "the parish church hall",
    "the sports pavilion", "the primary school", "the surgery car park", "the Hub",
)  # fmt: skip
GROUPS = ("Speedwatch group", "Neighbourhood Watch", "Farm Watch group", "Horse Watch group")
RANKS = ("PCSO", "PC", "Sergeant", "Inspector")
QUOTES = (
    "We can only act on what we know about, so please keep telling us.",
    "The information residents gave us led directly to these arrests.",
    "We know how much this matters to people in the village, and it remains a priority.",
    "A few simple steps make a real difference, and most of them cost nothing.",
    "We will keep up the patrols for as long as they are needed.",
)  # fmt: skip
LOCAL = (
    "Officers in {place} dealt with {n} reports of {crime} between {day1} and {day2}, "
    "most of them around {street}.",
    "If you live near {street}, {place}, please check that your {thing} is secure and "
    "report anything suspicious quoting {ref}.",
    "{rank} {first} {last} of the {place} neighbourhood team said: “{quote}”",
    "The next {group} meeting for {place} will be held at {venue} on {day1} from {hour}pm.",
    "Since the last update, {n2} people have been arrested in connection with {crime} in "
    "{place} and {place2}.",
    "Residents of {place} told us that {crime} remains their biggest concern, followed by "
    "{crime2}.",
    "{first2} {last2}, who coordinates the {place} {group}, said volunteers had been out "
    "{n} times since {month}.",
    "Patrols will continue in {place} and {place2} over the coming weeks, with particular "
    "attention to {street} and {street2}.",
    "Anyone with information about {crime} in {place} can call 101 or report online "
    "quoting reference {ref}.",
    "The {place} team has also given crime prevention advice at {venue} and visited {n} "
    "homes on {street}.",
)
COUNCILLOR_NOTES = (
    ("{clerk} – one for the next agenda I think?", "{cllr}"),
    ("Hi {clerk},", "Not sure if this came to you directly. Could members see it?", "Thanks, {cllr}"),
    ("FYI – worth circulating to the council.", "{cllr}"),
    ("{clerk}, could we discuss this at the next meeting?", "Regards", "Cllr {cllr}"),
)  # fmt: skip

FIRST_DAY = dt.date(2022, 1, 3)
DAYS = 4 * 365  # items are dated over four years


@dataclasses.dataclass(frozen=True)
class Item:
    """One generated file: where it goes (relative to the corpus folder) and its bytes."""

    index: int
    kind: str
    name: str
    data: bytes


def _rng(seed: int, i: int, salt: str = "") -> random.Random:
    return random.Random(f"{seed}:{i}:{salt}")


def kind_of(seed: int, i: int) -> str:
    """Return the kind of item *i* (drawn from MIX)."""
    kinds, weights = zip(*MIX, strict=True)
    return _rng(seed, i, "kind").choices(kinds, weights)[0]


def _token(*parts: object, n: int = 12) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:n]


def _slug(text: str, n: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:n].strip("-") or "item"


class Vary:
    """One item's own world: its places, people, date and local news."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = dict(
            zip(TEMPLATE_PLACES, rng.sample(VILLAGES, len(TEMPLATE_PLACES)), strict=True)
        )
        self.place = self.places["Longmere"]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        if day.weekday() == 6:
            day += dt.timedelta(days=1)
        self.date = mcf.uk(day.year, day.month, day.day, rng.randrange(7, 20), rng.randrange(60))
        self.clerk = (rng.choice(FIRST), rng.choice(LAST))
        self.council = f"{self.place} Parish Council"
        domain = _slug(self.place).replace("-", "")
        self.clerk_to = (f"{self.clerk[0]} {self.clerk[1]}", f"clerk@{domain}parishcouncil.org.uk")
        cllr = (rng.choice(FIRST), rng.choice(LAST))
        self.cllr = (
            f"{cllr[0]} {cllr[1]}",
            f"{cllr[0].lower()}.{cllr[1].lower()}.{domain}@gmail.com",
        )

    def text(self, s: str) -> str:
        """The template's words with this item's places."""
        return _PLACE_RE.sub(lambda m: self.places[m.group(1)], s)

    def sentence(self, template: str) -> str:
        r = self.rng
        d1 = self.date.date() - dt.timedelta(days=r.randrange(3, 20))
        d2 = d1 + dt.timedelta(days=r.randrange(1, 6))
        return template.format(
            place=self.place, place2=r.choice(VILLAGES), n=r.randrange(2, 40),
            n2=r.randrange(2, 7), crime=r.choice(CRIMES), crime2=r.choice(CRIMES),
            street=r.choice(STREETS), street2=r.choice(STREETS), thing=r.choice(THINGS),
            ref=f"35/{r.randrange(10000, 99999)}/{d1:%y}", rank=r.choice(RANKS),
            first=r.choice(FIRST), last=r.choice(LAST), first2=r.choice(FIRST),
            last2=r.choice(LAST), quote=r.choice(QUOTES), group=r.choice(GROUPS),
            venue=r.choice(VENUES), hour=r.randrange(6, 8), month=f"{d1:%B}",
            day1=f"{d1:%A} {d1.day} {d1:%B}", day2=f"{d2:%A} {d2.day} {d2:%B}",
        )  # fmt: skip

    def local(self) -> str:
        """A paragraph of local news no other item has."""
        return " ".join(self.sentence(t) for t in self.rng.sample(LOCAL, self.rng.randrange(2, 5)))

    def blocks(self, blocks: list[Any]) -> list[Any]:
        """The template's blocks with some paragraphs left out and local news added."""
        r = self.rng
        out: list[Any] = []
        for n, b in enumerate(blocks):
            if isinstance(b, str):
                if n == 0 or "](" in b or r.random() > 0.2:
                    out.append(self.text(b))
            elif b[0] == "ul":
                items = [self.text(i) for i in b[1]]
                r.shuffle(items)
                out.append(("ul", items[: max(2, len(items) - r.randrange(2))]))
            else:
                out.append((b[0], self.text(b[1]) if isinstance(b[1], str) else b[1]))
        size = sum(len(b) for b in out if isinstance(b, str))
        last = len(out) - 1 if out and not isinstance(out[-1], str) else len(out)
        for _ in range(1 + size // 1000):  # enough new text that no two items look alike
            out.insert(r.randrange(1, max(2, last + 1)), self.local())
        return out

    def subject(self, subject: str) -> str:
        subject = self.text(subject)
        subject = re.sub(r"\d{1,2}\.\d{1,2}\.\d{2}", f"{self.date:%-d.%-m.%y}", subject)
        if self.rng.random() < 0.4 and self.place not in subject:
            subject = f"{subject} – {self.place}"
        return subject


# -- templates --------------------------------------------------------------------------

NA_TEMPLATES = tuple(v for _, v in sorted(vars(mcf).items()) if isinstance(v, mcf.NA))
GD_TEMPLATES = tuple(v for _, v in sorted(vars(mcf).items()) if isinstance(v, mcf.GD))
SIGNATURES = tuple(v for k, v in sorted(vars(mcf).items()) if k.startswith("SIG_"))


def _captured_mail() -> tuple[Any, ...]:
    """The fixtures' plain emails (officers, councils, residents), as Mail objects."""
    makers: tuple[Callable[[], Any], ...] = (
        mcf.pspo_consultation, mcf.report_september, mcf.report_december, mcf.scam_qr_codes,
        mcf.resident_report, mcf.highways_notice, mcf.playground_quote, mcf.hall_booking,
        mcf.bin_collections, mcf.transport_consultation,
    )  # fmt: skip
    real = mcf.build
    mcf.build = lambda mail: mail  # each maker ends in build(Mail(...)): keep the Mail
    try:
        return tuple(make() for make in makers)
    finally:
        mcf.build = real


MAIL_TEMPLATES = _captured_mail()
# People the plain emails name; each item gives them other names.
MAIL_PEOPLE = (
    "Sarah Whitlock", "Thomas Bramley", "Tom Bramley", "Mike Hennessy", "Andrew Gill",
    "Priya Chandran", "Jane",
)  # fmt: skip
_PEOPLE_RE = re.compile(r"\b(" + "|".join(MAIL_PEOPLE) + r")\b")
WEB_TEMPLATES = (
    mcf.WEB_PCC_VICTIMS,
    mcf.WEB_FORCE_SPEEDWATCH,
    (FIXTURES / "inbox" / "pcc-webpage.html").read_text("utf-8"),
)
# Templates whose wording also suits a web page or a PDF/Word report.
_WEB_SLUGS = ("strategy", "funding", "consultation", "survey", "scam", "newsletter", "other")


def _na(seed: int, i: int) -> tuple[Any, Vary]:
    r = _rng(seed, i, "na")
    v = Vary(r)
    t = r.choice(NA_TEMPLATES)
    na = dataclasses.replace(
        t, slug=f"bench-{seed}-{i}", date=v.date, subject=v.subject(t.subject),
        title=v.text(t.title) if t.title else None, blocks=v.blocks(t.blocks),
        sent_by=t.sent_by if r.random() < 0.6 else r.choice(SIGNATURES),
    )  # fmt: skip
    return na, v


def _gd(seed: int, i: int) -> tuple[Any, Vary]:
    r = _rng(seed, i, "gd")
    v = Vary(r)
    t = r.choice(GD_TEMPLATES)
    gd = dataclasses.replace(
        t, slug=f"bench-{seed}-{i}", date=v.date, subject=v.subject(t.subject),
        heading=v.text(t.heading), blocks=v.blocks(t.blocks),
    )  # fmt: skip
    return gd, v


def _name(v: Vary, i: int, subject: str, suffix: str) -> str:
    return f"{v.date:%Y-%m}/{v.date:%Y-%m-%d}-{_slug(subject)}-{i:05d}{suffix}"


def _forward(seed: int, i: int, style: str, original: tuple[Any, Vary] | None = None) -> Item:
    """A councillor forwards a message to the clerk (Gmail or Outlook)."""
    r = _rng(seed, i, "forward")
    if original is None:
        original = _na(seed, i) if r.random() < 0.7 else _gd(seed, i)
    msg, v = original
    cllr = v.cllr
    if isinstance(msg, mcf.NA):
        text, doc = msg.render(cllr, cllr[0].split()[0])
        orig_msgid = msg.mail(cllr, cllr[0].split()[0]).msgid
        sender = msg.sender
    else:
        m = msg.mail(cllr)
        text, doc, orig_msgid, sender = m.text, m.html, m.msgid, m.sender
    note = [
        line.format(clerk=v.clerk[0], cllr=cllr[0].split()[0])
        for line in r.choice(COUNCILLOR_NOTES)
    ]
    when = msg.date + dt.timedelta(hours=r.randrange(1, 40))
    slug = f"bench-{seed}-{i}-fwd"
    if style == "gmail":
        mail = mcf.gmail_forward(
            msg.subject,
            sender,
            msg.date,
            cllr,
            text,
            doc,
            forwarder=cllr,
            to=v.clerk_to,
            date=when,
            note=note,
            slug=slug,
            orig_msgid=orig_msgid,
        )
    else:
        mail = mcf.outlook_forward(
            msg.subject,
            sender,
            msg.date,
            cllr,
            text,
            doc,
            forwarder=cllr,
            to=v.clerk_to,
            date=when,
            note=note,
            slug=slug,
        )
    return Item(i, style, _name(v, i, mail.subject, ".eml"), mcf.build(mail))


def _after_first(text: str, sep: str, insert: str) -> str:
    head, found, tail = text.partition(sep)
    return f"{head}{found}{insert}{tail}" if found else text + insert


def _mail(seed: int, i: int) -> Item:
    r = _rng(seed, i, "mail")
    v = Vary(r)
    t = r.choice(MAIL_TEMPLATES)
    names = {name: f"{r.choice(FIRST)} {r.choice(LAST)}" for name in MAIL_PEOPLE}
    names["Jane"] = v.clerk[0]

    def words(s: str) -> str:
        return _PEOPLE_RE.sub(lambda m: names[m.group(1)], v.text(s))

    # short letters: enough local news that no two look alike
    local = [v.local() for _ in range(2 + len(t.text) // 700)]
    paras = words(t.text).split("\n\n")
    for extra in local:
        paras.insert(r.randrange(1, max(2, len(paras) - 1)), extra)
    text = "\n\n".join(paras)
    doc = None
    if t.html is not None:
        doc = words(t.html)
        if "</p>" in doc:
            doc = _after_first(doc, "</p>", "".join(f"\n<p>{html.escape(x)}</p>" for x in local))
        else:  # a Gmail body: <div> lines
            doc = _after_first(
                doc,
                "<div><br></div>",
                "".join(f"<div>{html.escape(x)}</div><div><br></div>" for x in local),
            )
    domain = t.msgid.rsplit("@", 1)[-1].rstrip(">")
    mail = dataclasses.replace(
        t, subject=v.subject(t.subject), date=v.date, to=v.clerk_to, text=text, html=doc,
        msgid=f"<{_token(seed, i, 'mail', n=24)}@{domain}>",
        boundary=f"_000_{_token(seed, i, 'boundary', n=24)}_" if t.boundary else "",
    )  # fmt: skip
    return Item(i, "mail", _name(v, i, mail.subject, ".eml"), mcf.build(mail))


def _txt(seed: int, i: int, original: tuple[Any, Vary] | None = None) -> Item:
    """Text pasted from the mail window into a file: a bulletin, or an alert."""
    r = _rng(seed, i, "txt")
    if original is None:
        original = _gd(seed, i) if r.random() < 0.6 else _na(seed, i)
    msg, v = original
    if isinstance(msg, mcf.GD):
        text = msg.pasted()
    else:
        text, _ = msg.render(v.clerk_to, v.clerk[0], link_style="plain")
    if r.random() < 0.25:  # saved from Notepad as "ANSI"
        data = text.replace("\n", "\r\n").encode("cp1252", errors="replace")
    else:
        data = text.encode("utf-8")
    return Item(i, "txt", _name(v, i, msg.subject, ".txt"), data)


def _web(seed: int, i: int) -> Item:
    """A page saved from the force's or the Commissioner's website."""
    r = _rng(seed, i, "web")
    v = Vary(r)
    pool = [t for t in NA_TEMPLATES + GD_TEMPLATES if t.slug.startswith(_WEB_SLUGS)]
    t = r.choice(pool)
    title = v.subject(t.subject)
    body = mcf.blocks_html(v.blocks(t.blocks), mcf.Linker("web", f"bench-{seed}-{i}"))
    content = f"<h1>{html.escape(title)}</h1>\n{body}\n"
    page = r.choice(WEB_TEMPLATES)
    page = re.sub(
        r"<title>[^<]*</title>",
        f"<title>{html.escape(title)} | Police and Crime "
        "Commissioner for Cambridgeshire and Peterborough</title>",
        page,
        count=1,
    )
    tag = "main" if "<main" in page else "article"
    page = re.sub(
        rf"(<{tag}[^>]*>).*?(</{tag}>)",
        lambda m: m.group(1) + content + m.group(2),
        page,
        count=1,
        flags=re.S,
    )
    return Item(i, "web", _name(v, i, title, ".html"), page.encode("utf-8"))


def _report_text(v: Vary, rng: random.Random) -> tuple[str, list[str], list[list[str]]]:
    """Title, paragraphs and a crime figures table for a neighbourhood report."""
    t = rng.choice([t for t in NA_TEMPLATES + GD_TEMPLATES if t.slug.startswith(_WEB_SLUGS)])
    paras = [b for b in v.blocks(t.blocks) if isinstance(b, str)]
    paras = [re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", p) for p in paras]
    crimes = rng.sample(CRIMES, 5)
    rows = [["Crime type", "Last year", "This year", "Change"]]
    for c in crimes:
        a, b = rng.randrange(3, 60), rng.randrange(3, 60)
        rows.append([c.capitalize(), str(a), str(b), f"{b - a:+d}"])
    title = f"{v.place} Neighbourhood Policing Report"
    return title, paras, rows


def _pdf(seed: int, i: int) -> Item:
    """A neighbourhood policing report as a PDF: running heads, a table, two to five pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    r = _rng(seed, i, "pdf")
    v = Vary(r)
    title, paras, rows = _report_text(v, r)
    officer = f"PS {r.randrange(1000, 9999)} {r.choice(FIRST)} {r.choice(LAST)}"
    mf.set_pdf_time(v.date)
    ss = getSampleStyleSheet()
    body = ParagraphStyle(
        "b", parent=ss["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=6
    )
    h1 = ParagraphStyle("h1", parent=ss["Heading1"], fontName="Helvetica-Bold", fontSize=20)
    h2 = ParagraphStyle("h2", parent=ss["Heading2"], fontName="Helvetica-Bold", fontSize=14)
    pages = r.randrange(2, 6)

    def chrome(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, "OFFICIAL – Cambridgeshire Constabulary")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {doc.page} of {pages}")
        canvas.drawString(20 * mm, 12 * mm, f"{title} – {v.date:%B %Y}")
        canvas.restoreState()

    def p(text: str, style: Any = body) -> Any:
        return Paragraph(html.escape(text), style)

    story: list[Any] = [
        p(title, h1), p(f"Prepared for {v.council}"), p(f"Report date: {v.date.day} {v.date:%B %Y}"),
        p(f"Author: {officer}, South Cambs Neighbourhood Team"), p("1. Summary", h2),
        *[p(x) for x in paras[:3]],
    ]  # fmt: skip
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 10),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#00205b")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ]
        )
    )
    story += [PageBreak(), p("2. Crime figures", h2), table, *[p(v.local()) for _ in range(2)]]
    for n in range(3, pages + 1):
        story += [
            PageBreak(),
            p(f"{n}. {r.choice(CRIMES).capitalize()}", h2),
            *[p(x) for x in paras[3:]],
            p(v.local()),
            p(v.local()),
        ]
    story.append(p(f"{officer}, South Cambs Neighbourhood Team, Cambridgeshire Constabulary"))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title, author=officer, lang="en-GB").build(
        story, onFirstPage=chrome, onLaterPages=chrome
    )
    return Item(i, "pdf", _name(v, i, title, ".pdf"), buf.getvalue())


def _docx(seed: int, i: int) -> Item:
    """A quarterly policing update as a Word document: headings, a header-row table."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = _rng(seed, i, "docx")
    v = Vary(r)
    title, paras, rows = _report_text(v, r)
    title = f"Quarterly Policing Update – {v.place}"
    author = f"{r.choice(FIRST)} {r.choice(LAST)}"
    d = docx.Document()
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by, cp.language = title, author, author, "en-GB"
    cp.created = cp.modified = v.date.replace(tzinfo=None)
    d.add_paragraph(title, style="Title")
    d.add_paragraph(f"Cambridgeshire Constabulary – {v.place} Neighbourhood Policing Team")
    d.add_paragraph(f"Date: {v.date.day} {v.date:%B %Y}.")
    d.add_heading("Summary", level=1)
    for x in paras[:3]:
        d.add_paragraph(x)
    d.add_heading("Crime figures", level=1)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(n, c).text = value
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    d.add_heading("Priorities for the next quarter", level=1)
    for x in [*paras[3:], v.local(), v.local()]:
        d.add_heading(r.choice(CRIMES).capitalize(), level=2)
        d.add_paragraph(x)
    d.add_paragraph(
        f"Inspector {author}\nSouth Cambs Neighbourhood Policing\nCambridgeshire Constabulary"
    )
    buf = io.BytesIO()
    d.save(buf)
    stamp = (v.date.year, v.date.month, v.date.day, v.date.hour, v.date.minute, 0)
    return Item(i, "docx", _name(v, i, title, ".docx"), mf.normalise_zip(buf.getvalue(), stamp))


def original_of(seed: int, i: int) -> int | None:
    """The earlier item that duplicate item *i* copies (None if *i* is not a copy)."""
    if kind_of(seed, i) != "duplicate" or i == 0:
        return None
    r = _rng(seed, i, "original")
    # an item from the last few hundred: copies turn up while the original is still recent
    earlier = [i - r.randrange(1, min(i, 300) + 1) for _ in range(20)]
    return next((j for j in earlier if kind_of(seed, j) in ("na", "govdelivery", "mail")), None)


def _duplicate(seed: int, i: int) -> Item:
    """A second copy of an earlier item: forwarded by a councillor, pasted, or saved twice."""
    r = _rng(seed, i, "duplicate")
    j = original_of(seed, i)
    if j is None:
        return _email(seed, i)  # nothing earlier to copy
    kind = kind_of(seed, j)
    how = r.random()
    if kind == "na" and how < 0.7:
        return _forward(seed, i, "gmail" if how < 0.4 else "outlook", _na(seed, j))
    if kind == "govdelivery" and how < 0.6:
        return _txt(seed, i, _gd(seed, j))
    first = item(seed, j)
    stem, dot, suffix = first.name.rpartition(".")
    return Item(i, "duplicate", f"{stem} (copy {i}){dot}{suffix}", first.data)


def _email(seed: int, i: int) -> Item:
    na, v = _na(seed, i)
    return Item(
        i, "na", _name(v, i, na.subject, ".eml"), mcf.build(na.mail(v.clerk_to, v.clerk[0]))
    )


def _bulletin(seed: int, i: int) -> Item:
    gd, v = _gd(seed, i)
    return Item(i, "govdelivery", _name(v, i, gd.subject, ".eml"), mcf.build(gd.mail(v.clerk_to)))


_MAKERS: dict[str, Callable[[int, int], Item]] = {
    "na": _email,
    "govdelivery": _bulletin,
    "gmail": lambda seed, i: _forward(seed, i, "gmail"),
    "outlook": lambda seed, i: _forward(seed, i, "outlook"),
    "mail": _mail,
    "txt": _txt,
    "web": _web,
    "pdf": _pdf,
    "docx": _docx,
    "duplicate": _duplicate,
}


def item(seed: int, i: int) -> Item:
    """Return item *i* of the corpus for *seed*."""
    kind = kind_of(seed, i)
    made = _MAKERS[kind](seed, i)
    return made if kind != "duplicate" else dataclasses.replace(made, kind="duplicate")


def generate(out: Path, n: int, *, seed: int = 1, start: int = 0) -> list[Item]:
    """Write items start .. start+n-1 under *out*; return them (without their bytes)."""
    out = Path(out)
    written = []
    for i in range(start, start + n):
        it = item(seed, i)
        path = out / it.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(it.data)
        written.append(dataclasses.replace(it, data=b""))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write a corpus and say what it holds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write into")
    ap.add_argument("--n", type=int, default=100, help="how many items (default 100)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="index of the first item")
    args = ap.parse_args(argv)
    items = generate(args.out, args.n, seed=args.seed, start=args.start)
    counts: dict[str, int] = {}
    for it in items:
        counts[it.kind] = counts.get(it.kind, 0) + 1
    print(
        f"wrote {len(items)} items to {args.out}: "
        + ", ".join(f"{k} {counts.get(k, 0)}" for k, _ in MIX)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
