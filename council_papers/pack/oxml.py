"""Small WordprocessingML helpers for what python-docx has no API for.

Hyperlinks, repeating table header rows, table captions, fields and the
document's default language. Each writes the element Word itself writes, in the
order the schema requires, so Word and LibreOffice both open the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph


def make_element(tag: str, **attrs: str) -> Any:
    """Return a new element; ``w_val="x"`` sets the attribute w:val."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name.replace("_", ":", 1)), value)
    return element


def add_hyperlink(paragraph: Paragraph, text: str, url: str, style_id: str) -> None:
    """Append a real hyperlink (an external relationship) showing *text* in the character style."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = make_element("w:hyperlink", r_id=r_id, w_history="1")
    run = make_element("w:r")
    rpr = make_element("w:rPr")
    rpr.append(make_element("w:rStyle", w_val=style_id))
    run.append(rpr)
    t = make_element("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def mark_header_row(row: _Row) -> None:
    """Mark *row* as the table's header row, repeated at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    # Schema order inside w:trPr: … cantSplit, trHeight, tblHeader …
    tr_pr.append(make_element("w:cantSplit", w_val="true"))
    tr_pr.append(make_element("w:tblHeader", w_val="true"))


def keep_row_together(row: _Row) -> None:
    """Stop *row* from breaking across two pages."""
    row._tr.get_or_add_trPr().append(make_element("w:cantSplit", w_val="true"))


def set_table_indent(table: Table, emu: int) -> None:
    """Indent *table* from the text margin by *emu* (w:tblInd, in twentieths of a point)."""
    tbl_pr = table._tbl.tblPr
    indent = make_element("w:tblInd", w_w=str(round(emu / 635)), w_type="dxa")
    # Schema order inside w:tblPr: … jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout …
    tbl_pr.insert_element_before(
        indent,
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )


def set_table_caption(table: Table, caption: str, description: str) -> None:
    """Give *table* the title and description Word shows as its Alt Text."""
    tbl_pr = table._tbl.tblPr
    # w:tblCaption and w:tblDescription come last in w:tblPr.
    tbl_pr.append(make_element("w:tblCaption", w_val=caption))
    tbl_pr.append(make_element("w:tblDescription", w_val=description))


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a field (PAGE, NUMPAGES …) whose shown value Word and LibreOffice fill in."""
    from docx.oxml.ns import qn

    for part in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if part == "instr":
            instr = make_element("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif part == "result":
            run.text = placeholder
        else:
            run._r.append(make_element("w:fldChar", w_fldCharType=part))


def set_default_language(styles_element: Any, language: str) -> None:
    """Set the language in the styles' document defaults (what a PDF reports as its language)."""
    from docx.oxml.ns import qn

    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = make_element("w:docDefaults")
        styles_element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = make_element("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = make_element("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = make_element("w:lang")
        later = [rpr.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        following = next((e for e in later if e is not None), None)
        if following is not None:
            following.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), language)


def paragraph_is_empty(p: Any) -> bool:
    """True for a body paragraph with no text, picture, object or field: spacing only."""
    from docx.oxml.ns import qn

    if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
        return False
    content = ("w:drawing", "w:pict", "w:object", "w:fldSimple", "w:fldChar", "w:sym")
    return all(p.find(".//" + qn(tag)) is None for tag in content)


def holds_section_break(p: Any) -> bool:
    """True for a paragraph that ends a section (its properties carry a w:sectPr)."""
    from docx.oxml.ns import qn

    return p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
