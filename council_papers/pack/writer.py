"""Write the meeting pack: the agenda's Police Matters item as a Word document.

The layout follows the real pack in seeds/004: council, district, meeting and
date; "<n>. Police Matters" with a table of the items for discussion; the table
of correspondence circulated by email; then the full text of each item for
discussion. Everything is written with the template's styles (see template.py),
so the clerk's letterhead, header, footer and fonts carry through.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from council_papers.clean import drop_sent_by
from council_papers.errors import PackError
from council_papers.models import Article
from council_papers.pack.deadline import long_date
from council_papers.pack.items import PackItem, PackSpec
from council_papers.pack.oxml import (
    add_hyperlink,
    holds_section_break,
    keep_row_together,
    mark_header_row,
    paragraph_is_empty,
    set_default_language,
    set_table_caption,
    set_table_indent,
)
from council_papers.pack.selection import item_number
from council_papers.pack.template import LANGUAGE, TABLE_STYLE, default_template, open_template
from council_papers.pack.text import blocks, plain, segments, xml_safe
from council_papers.personal import Findings, findings_for
from council_papers.publish import FLAG_NOTE, PUBLICATION_MODES, published
from council_papers.read.own import PACK_MARK

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

log = logging.getLogger(__name__)

NO_AGENDA_ITEMS = "No police correspondence for discussion was received since the last meeting"
NO_CIRCULATED = "No police correspondence was received since the last meeting"
CIRCULATED_HEADING = "Correspondence circulated since the last meeting by email"
NO_TEXT = "The full text of this item was not available."
AGENDA_HEADER = ("Item", "FROM", "SUBJECT")
CIRCULATED_HEADER = ("FROM", "SUBJECT", "Date")
# Shares of the text width: the number is short, the subject takes the room. The
# circulated table is indented by the Item column, so that the FROM and SUBJECT
# columns of the two tables line up, one under the other.
_ITEM, _FROM, _DATE = 0.11, 0.29, 0.22
_AGENDA_WIDTHS = (_ITEM, _FROM, 1 - _ITEM - _FROM)
_CIRCULATED_WIDTHS = (_FROM, 1 - _ITEM - _FROM - _DATE, _DATE)
_CIRCULATED_INDENT = _ITEM


@dataclass(frozen=True)
class _Prepared:
    """An item as it will be printed, after the publication setting has been applied."""

    number: str | None
    sender: str
    subject: str
    date: dt.date | None
    text: str
    articles: tuple[Article, ...]
    flagged: bool
    respond_by: dt.date | None = None


def pack_title(spec: PackSpec) -> str:
    """Return the document title: "<council> – <meeting> <date> – Police Matters"."""
    return f"{spec.council} – {spec.meeting_title} {long_date(spec.meeting_date)} – Police Matters"


@dataclass(frozen=True)
class WrittenPack:
    """The pack written, and the styles its template lacked (the default template's used)."""

    path: Path
    styles_added: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # leftovers of killed saves that were removed

    def note(self, template: Path) -> str | None:
        """What to tell the clerk about their template, if anything."""
        if not self.styles_added:
            return None
        return (
            f"{template}: the template has no {', '.join(self.styles_added)} style: the "
            "default template's are used (to restyle them, add them to the template in Word)"
        )


def write_pack(
    spec: PackSpec, agenda: Sequence[PackItem], circulated: Sequence[PackItem], out: Path
) -> WrittenPack:
    """Write the Police Matters pack for *spec* to *out* (.docx) on the template."""
    out = Path(out)
    _validate(spec, out)
    template = Path(spec.template) if spec.template is not None else default_template()
    if out.exists() and template.exists() and out.resolve() == template.resolve():
        raise PackError(f"{out}: is the template itself: write the pack to another file")
    document, styles_added = open_template(template)
    _clear_empty_body(document)
    # The pack is British English whatever language the template was saved in:
    # the PDF's declared language comes from here.
    set_default_language(document.styles.element, LANGUAGE)

    items = [
        _prepare(item, spec, item_number(spec.police_item, i)) for i, item in enumerate(agenda, 1)
    ]
    others = [_prepare(item, spec, None) for item in circulated]
    _Writer(document, spec).write(items, others)
    _set_properties(document, spec)
    removed = _remove_stale_temps(out)
    _save(document, out)
    log.debug("%s: %d agenda item(s), %d circulated", out, len(items), len(others))
    notes = tuple(f"removed {f}, left by an interrupted save of the pack" for f in removed)
    return WrittenPack(out, styles_added, notes)


def _validate(spec: PackSpec, out: Path) -> None:
    if spec.publication not in PUBLICATION_MODES:
        raise PackError(
            f"{out}: publication must be one of {', '.join(PUBLICATION_MODES)}, "
            f"not {spec.publication!r}"
        )
    if not isinstance(spec.police_item, int) or spec.police_item < 1:
        raise PackError(f"{out}: the Police Matters item number must be 1 or more")
    if out.suffix.lower() != ".docx":
        raise PackError(f"{out}: the pack must be a .docx file")
    if not spec.council.strip() or not spec.meeting_title.strip():
        raise PackError(
            f"{out}: no council is named: set [council] name and meeting_title in "
            "council.toml (`council-papers init` writes one), or pass --config"
        )


def _prepare(item: PackItem, spec: PackSpec, number: str | None) -> _Prepared:
    """Apply the publication setting to everything of *item* that will be printed.

    The personal data replaced in each part is what the classifier found and the
    log kept (``item.findings``), when it was found in the very text printed here;
    a part with nothing kept, or edited since, is looked at afresh
    (``personal.findings_for``).
    """
    mode, found, kept = spec.publication, [item.personal_data], item.findings
    kept_subject, kept_sender, kept_text = (
        (kept.subject, kept.sender_org, kept.text) if kept else (None, None, None)
    )
    kept_articles = kept.articles if kept else ()

    def publish(value: str | None, part: Findings | None, kind: str | None = item.kind) -> str:
        printed = xml_safe(value or "")
        findings = findings_for(printed, kind, part)
        found.append(bool(findings.found))
        return published(printed, findings, mode)

    def article(n: int, a: Article) -> Article:
        part = kept_articles[n] if n < len(kept_articles) else None
        return Article(
            headline=publish(a.headline, part.headline if part else None) or None,
            theme=xml_safe(a.theme or "") or None,
            text=publish(drop_sent_by(a.text), part.text if part else None),
        )

    articles = tuple(article(n, a) for n, a in enumerate(item.articles))
    return _Prepared(
        number=xml_safe(item.number or "") or number,
        sender=" ".join(plain(publish(item.sender_org, kept_sender, None)).split()),
        subject=" ".join(plain(publish(item.subject, kept_subject)).split()) or "(no subject)",
        date=item.date,
        text=publish(drop_sent_by(item.text), kept_text),
        articles=articles,
        flagged=mode == "flag" and any(found),
        respond_by=item.respond_by,
    )


def _clear_empty_body(document: Document) -> None:
    """Drop the template body's empty paragraphs; a body with a letterhead is kept whole."""
    from docx.oxml.ns import qn

    body = document.element.body
    # Paragraphs, tables and content controls are content; bookmarks and the like are not.
    children = [c for c in body.iterchildren() if c.tag in {qn("w:p"), qn("w:tbl"), qn("w:sdt")}]
    if all(c.tag == qn("w:p") and paragraph_is_empty(c) for c in children):
        for child in children:
            if not holds_section_break(child):
                body.remove(child)


class _Writer:
    """Appends the pack's paragraphs and tables to the template's body."""

    def __init__(self, document: Document, spec: PackSpec) -> None:
        self.document = document
        self.spec = spec
        self.link_style = document.styles["Hyperlink"].style_id
        self.subtitle = _subtitle_style(document)
        self.style_ids: dict[str, str | None] = {}
        # New paragraphs go before the body's closing sectPr. python-docx finds it by
        # scanning the whole body for every paragraph added (a pack of n items took
        # O(n^2)); it is found once here.
        body = document.element.body
        self.body_element = body
        self.sect_pr = body.sectPr
        section = document.sections[-1]
        width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        self.text_width = int(width) if width > 0 else 5760000  # 16 cm, if the template is odd

    def write(self, agenda: list[_Prepared], circulated: list[_Prepared]) -> None:
        spec = self.spec
        self.para(xml_safe(spec.council).strip(), "Title")
        if spec.district.strip():
            self.para(xml_safe(spec.district).strip(), self.subtitle)
        meeting = xml_safe(spec.meeting_title).strip()
        # (the day the agenda must be published by is for the clerk: the CLI says it)
        self.para(f"{meeting} {long_date(spec.meeting_date)}", self.subtitle)
        self.para(f"{spec.police_item}. Police Matters", "Heading 1")
        if agenda:
            self.table(
                AGENDA_HEADER,
                [(i.number or "", i.sender, i.subject) for i in agenda],
                _AGENDA_WIDTHS,
                caption="Police matters for discussion",
                description="Each item's number, the organisation it is from, and its subject.",
            )
        else:
            self.para(NO_AGENDA_ITEMS)
        self.para(CIRCULATED_HEADING, "Heading 2")
        if circulated:
            self.table(
                CIRCULATED_HEADER,
                [
                    (i.sender, i.subject, long_date(i.date) if i.date else "Not known")
                    for i in circulated
                ],
                _CIRCULATED_WIDTHS,
                indent=_CIRCULATED_INDENT,
                caption=CIRCULATED_HEADING,
                description="Each item's sender organisation, subject and date sent.",
            )
        else:
            self.para(NO_CIRCULATED)
        for index, item in enumerate(agenda):
            self.item(item, first=index == 0)

    def item(self, item: _Prepared, *, first: bool) -> None:
        heading = self.para(f"{item.number} {item.subject}", "Heading 2")
        if first:  # the papers start on a page of their own, as in a printed pack
            heading.paragraph_format.page_break_before = True
        if item.flagged:
            self.para(FLAG_NOTE, bold=True)
        origin = [f"From: {item.sender}"] if item.sender else []
        if item.date:
            origin.append(f"{'sent' if origin else 'Sent'} {long_date(item.date)}")
        if origin:
            self.para(", ".join(origin), italic=True)
        if item.respond_by:  # what the council is asked to do, and by when
            self.para(f"Response requested by {long_date(item.respond_by)}.", bold=True)
        if item.articles:
            for number, article in enumerate(item.articles, 1):
                self.para(article.headline or article.theme or f"Article {number}", "Heading 3")
                if article.headline and article.theme:
                    self.para(f"Theme: {article.theme}", italic=True)
                self.body(article.text, article.headline)
        elif item.text.strip():
            self.body(item.text, item.subject)
        else:
            self.para(NO_TEXT)

    def body(self, text: str, title: str | None) -> None:
        """Write *text* as paragraphs, dropping an early line that only repeats the heading."""
        parts = blocks(text)
        repeat = (title or "").strip().casefold()
        for i, block in enumerate(parts[:3]):
            if (
                repeat
                and len(block.lines) == 1
                and plain(block.lines[0]).strip().casefold() == repeat
            ):
                del parts[i]
                break
        for block in parts:
            para = self.paragraph(block.style)
            for n, line in enumerate(block.lines):
                if n:
                    para.add_run().add_break()
                self.runs(para, line)

    def runs(self, para: Paragraph, line: str) -> None:
        for segment in segments(line):
            if segment.url:
                add_hyperlink(para, segment.text, segment.url, self.link_style)
            else:
                para.add_run(segment.text)

    def para(
        self, text: str, style: str = "Normal", *, italic: bool = False, bold: bool = False
    ) -> Paragraph:
        para = self.paragraph(style)
        run = para.add_run(text)
        if italic:
            run.italic = True
        if bold:
            run.bold = True
        return para

    def paragraph(self, style: str) -> Paragraph:
        """Add an empty paragraph in *style*.

        python-docx looks a style name up by scanning every style in the template,
        for every paragraph (a millisecond each): each name is looked up once here.
        """
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        if style not in self.style_ids:
            part: Any = self.document.part  # python-docx leaves get_style_id untyped
            self.style_ids[style] = part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        p = OxmlElement("w:p")
        if self.sect_pr is not None:
            self.sect_pr.addprevious(p)
        else:
            self.body_element.append(p)
        para = Paragraph(p, self.document._body)
        p.style = self.style_ids[style]  # what Paragraph.style = style sets
        return para

    def table(
        self,
        header: tuple[str, ...],
        rows: list[tuple[str, ...]],
        widths: tuple[float, ...],
        *,
        caption: str,
        description: str,
        indent: float = 0.0,
    ) -> Table:
        from docx.shared import Emu

        # typed Any: python-docx leaves Table.add_row untyped
        table: Any = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles[TABLE_STYLE]
        table.autofit = False
        mark_header_row(table.rows[0])
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for values in rows:
            row = table.add_row()
            keep_row_together(row)
            for cell, text in zip(row.cells, values, strict=True):
                cell.paragraphs[0].add_run(text)
        # Fixed widths from the template's text width: Word reads them from each
        # cell, LibreOffice from the table grid, so both are set.
        for column, share in zip(table.columns, widths, strict=True):
            width = Emu(int(self.text_width * share))
            column.width = width
            for cell in column.cells:
                cell.width = width
        if indent:
            set_table_indent(table, int(self.text_width * indent))
        set_table_caption(table, caption, description)
        made: Table = table
        return made


def _subtitle_style(document: Document) -> str:
    """Return "Subtitle", adding a plain one if the template has none."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles: Any = document.styles
    found = [s for s in styles if s.name == "Subtitle"]
    if found:
        return "Subtitle" if found[0].type == WD_STYLE_TYPE.PARAGRAPH else "Normal"
    style = styles.add_style("Subtitle", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(4)
    return "Subtitle"


def _set_properties(document: Document, spec: PackSpec) -> None:
    props = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.title = pack_title(spec)
    props.subject = "Police Matters"
    props.language = LANGUAGE
    props.author = props.last_modified_by = spec.council
    props.created = props.modified = now
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = "Agenda"
    # how a later run knows this file for its own output and never reads it as correspondence
    props.identifier = PACK_MARK


def _remove_stale_temps(out: Path) -> list[Path]:
    """Remove temp files of packs in *out*'s folder left by saves whose process is gone.

    A pack's temp file is named after the process saving it (``.<name>.docx.<pid>.tmp``):
    a pid no longer running proves the save was killed. Where that cannot be asked
    (not POSIX), a day-old one is taken as stale. Return what was removed.
    """
    import re
    import time

    mine = re.compile(r"\..+\.docx\.(\d+)\.tmp")
    removed: list[Path] = []
    try:
        found = [(f, int(m[1])) for f in out.parent.iterdir() if (m := mine.fullmatch(f.name))]
    except OSError:
        return removed
    for f, pid in found:
        if pid == os.getpid():
            continue
        try:
            if f.is_symlink() or not f.is_file():
                continue
            if os.name == "posix":
                try:
                    os.kill(pid, 0)
                    continue  # that process is running: perhaps saving it now
                except ProcessLookupError:
                    pass
                except PermissionError:
                    continue  # running, as another user
            elif f.stat().st_mtime > time.time() - 86400:
                continue
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed


def _save(document: Document, out: Path) -> None:
    """Save to a temporary file beside *out*, then swap it in: a failed save leaves the old pack."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PackError(f"{out}: cannot create the folder ({err.strerror or err})") from err
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        document.save(str(tmp))
        os.replace(tmp, out)
    except PermissionError as err:
        raise PackError(
            f"{out}: cannot be written (permission denied: is it open in Word?)"
        ) from err
    except OSError as err:
        raise PackError(f"{out}: cannot be written ({err.strerror or err})") from err
    finally:
        if tmp.exists():
            tmp.unlink()
