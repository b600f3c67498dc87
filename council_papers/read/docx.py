"""Word documents (.docx): paragraphs and tables in document order."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from council_papers.errors import ReadError
from council_papers.models import Format, RawDocument
from council_papers.zipcheck import ZIP_ERRORS, check_doctypes, check_zip

_IN_MEMORY = re.compile(r"file '<[^'>]*object at 0x[0-9a-f]+>'")
_OTHER_OFFICE = {
    "spreadsheetml": ("an Excel workbook", ".xlsx"),
    "presentationml": ("a PowerPoint presentation", ".pptx"),
}


def _reason(err: Exception) -> str:
    """python-docx's reason, without the in-memory file's repr it names the file by."""
    reason = str(err)
    for marker, (what, suffix) in _OTHER_OFFICE.items():
        if "is not a Word file" in reason and marker in reason:
            return f"it is {what}: rename it to {suffix}"
    return _IN_MEMORY.sub("the file", reason)


def read_docx(path: Path, data: bytes) -> RawDocument:
    """Read a Word document; headings come from its Title and Heading styles."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    source = io.BytesIO(data)
    check_zip(path, source, what="Word document")
    check_doctypes(path, source, what="Word document")
    try:
        document = docx.Document(source)
        lines, headings = _blocks(document)
        letterhead = _letterhead(document)
        props = document.core_properties
        title, author, created = props.title, props.author, props.created
    # python-docx raises these on parts that are XML but not the XML it expects
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        SyntaxError,
        AttributeError,
        TypeError,
        IndexError,
    ) as err:
        raise ReadError(f"{path}: not a readable Word document ({_reason(err)})") from err
    except ZIP_ERRORS as err:  # a member that fails its CRC, is cut short or is encrypted
        raise ReadError(f"{path}: damaged Word document ({type(err).__name__}: {err})") from err
    return RawDocument(
        path=str(path),
        format=Format.DOCX,
        text="\n".join(lines),
        title=(title or "").strip() or (headings[0] if headings else None),
        sender=(author or "").strip() or None,
        document_date=created if created and created.year > 1980 else None,
        headings=tuple(headings),
        letterhead=letterhead,
    )


def _letterhead(document: Any) -> str:
    """The text of the document's page headers and footers: often the only place naming its sender."""
    seen: list[str] = []
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.footer,
            section.first_page_footer,
        ):
            if part.is_linked_to_previous:  # no header of its own
                continue
            for paragraph in part.paragraphs:
                text = " ".join(paragraph.text.split())
                if text and text not in seen:
                    seen.append(text)
    return "\n".join(seen[:20])


def _heading_style_ids(document: Any) -> set[str | None]:
    """Return the ids of the document's Title and Heading paragraph styles (None: the default).

    Read from the styles part once: ``Paragraph.style`` scans every style in the
    document on each call, which was half the time of reading a Word document.
    """
    from docx.oxml.ns import qn

    found: set[str | None] = set()
    for style in document.styles.element.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        name = style.find(qn("w:name"))
        label = (name.get(qn("w:val")) if name is not None else "") or ""
        if label.lower().startswith("heading") or label.lower() == "title":
            found.add(style.get(qn("w:styleId")))
            if style.get(qn("w:default")) in {"1", "true", "on"}:
                found.add(None)
    return found


def _blocks(document: Any) -> tuple[list[str], list[str]]:
    """Return the document's lines (paragraphs, then table rows tab-separated) and headings."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    headings: list[str] = []
    heading_ids = _heading_style_ids(document)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _linked_text(block).strip()
            if text and block._p.style in heading_ids:  # what Paragraph.style reads
                headings.append(block.text.strip())
            lines.extend([text, ""] if text else [""])
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
            lines.append("")
    return lines, headings


_MD_SAFE_URL = re.compile(r"^https?://[^\s()\[\]]+$", re.IGNORECASE)


def _linked_text(paragraph: Any) -> str:
    """The paragraph's text, each link to a web address kept as [text](url) for the pack."""
    from docx.text.hyperlink import Hyperlink

    parts = []
    for content in paragraph.iter_inner_content():
        text = content.text
        if isinstance(content, Hyperlink):
            try:
                url = content.url
            except KeyError:  # a link whose relationship is missing: its words only
                url = ""
            label = " ".join(text.split())
            if label and "[" not in label and "]" not in label and _MD_SAFE_URL.match(url):
                text = url if label == url else f"[{label}]({url})"
        parts.append(text)
    return "".join(parts)
