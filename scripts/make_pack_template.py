"""Build the default pack template, templates/pack-template.docx (a development script).

The runtime package only loads templates; this writes the default one: plain A4,
Arial 11pt, en-GB, every style the pack uses, page numbers in the footer.
tests/test_pack.py checks the committed file is what this script makes. Run:

    python scripts/make_pack_template.py templates/pack-template.docx
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from council_papers.pack.template import LANGUAGE, REQUIRED_STYLES, TABLE_STYLE

if TYPE_CHECKING:
    from docx.document import Document

# --- the default template -------------------------------------------------------------

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
FONT = "Arial"
DARK = "1F3A5F"  # navy: 11:1 contrast on white
GREY = "404040"


def build_default_template(path: str | Path) -> Path:
    """Write the default template: plain A4, Arial 11pt, en-GB, every required style, page numbers."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.shared import Cm

    from council_papers.pack.oxml import set_default_language

    # python-docx's own default document carries Word's built-in styles (and the
    # numbering behind List Bullet); we restyle those rather than invent our own.
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.25)

    styles = document.styles.element
    _set_defaults(styles)
    set_default_language(styles, LANGUAGE)
    _restyle(document)
    _footer(document)

    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
    # The package's thumbnail is a picture of python-docx's own sample, not of this;
    # stylesWithEffects is a Word 2010 copy of styles.xml that later Words ignore.
    for rels, reltype in (
        (document.part.package.rels, RT.THUMBNAIL),
        (document.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype == reltype:
                del rels[r_id]

    props = document.core_properties
    props.title = ""
    props.subject = "Police Matters"
    props.author = props.last_modified_by = "council-papers"
    props.comments = (
        "Template for council-papers meeting packs: restyle it in Word, but keep "
        "the style names " + ", ".join(REQUIRED_STYLES) + "."
    )
    props.language = LANGUAGE
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _set_defaults(styles: Any) -> None:
    """Arial 11pt for every run, 6pt after every paragraph, 1.15 line spacing."""
    from docx.oxml.ns import qn

    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme fonts would win over the named font
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "276")
    spacing.set(qn("w:lineRule"), "auto")


# name -> (size pt, bold, colour, space before pt, space after pt)
_PARAGRAPH_STYLES = {
    "Title": (22, True, DARK, 0, 4),
    "Subtitle": (13, False, GREY, 0, 4),
    "Heading 1": (16, True, DARK, 18, 6),
    "Heading 2": (13, True, DARK, 14, 4),
    "Heading 3": (11.5, True, DARK, 10, 3),
}


def _restyle(document: Document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_UNDERLINE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    from council_papers.pack.oxml import make_element

    for name, (size, bold, colour, before, after) in _PARAGRAPH_STYLES.items():
        style: Any = document.styles[name]
        ppr = style.element.pPr
        if ppr is not None:  # python-docx's Title has a coloured rule, its Subtitle a list level
            for tag in ("w:pBdr", "w:numPr"):
                for old in ppr.findall(qn(tag)):
                    ppr.remove(old)
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:rFonts", "w:spacing", "w:kern", "w:i", "w:iCs", "w:szCs"):
            for old in rpr.findall(qn(tag)):
                rpr.remove(old)  # theme fonts, letter spacing and italics from the sample
        style.font.size = Pt(size)
        rpr.sz.addnext(
            make_element("w:szCs", w_val=str(int(size * 2)))
        )  # the same size in any script
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
    # Capitals by style, not typed: a screen reader then reads words, not letters.
    document.styles["Title"].font.all_caps = True

    bullet: Any = document.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)

    styles = document.styles
    if "Hyperlink" not in [s.name for s in styles]:
        link: Any = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
        link.base_style = styles["Default Paragraph Font"]
        link.font.color.rgb = RGBColor.from_string("0563C1")
        link.font.underline = WD_UNDERLINE.SINGLE
        link.priority = 99
        link.unhide_when_used = True

    table = styles[TABLE_STYLE].element
    margins = table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    for side in ("w:top", "w:bottom"):
        margins.find(qn(side)).set(qn("w:w"), "57")  # 1 mm above and below cell text

    for name in ("Header", "Footer"):
        para: Any = styles[name]
        tabs = para.element.pPr.find(qn("w:tabs"))
        # Centre and right tabs for A4 with 2.5 cm margins (16 cm of text), not US Letter.
        for tab, pos in zip(tabs.findall(qn("w:tab")), ("4536", "9072"), strict=True):
            tab.set(qn("w:pos"), pos)
        para.font.size = Pt(9)
        para.font.color.rgb = RGBColor.from_string(GREY)


def _footer(document: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from council_papers.pack.oxml import add_field

    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.style = document.styles["Footer"]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("Page ")
    add_field(para, "PAGE", "1")
    para.add_run(" of ")
    add_field(para, "NUMPAGES", "1")


if __name__ == "__main__":
    print(
        build_default_template(sys.argv[1] if len(sys.argv) > 1 else "templates/pack-template.docx")
    )
