"""The template's style contract, and loading a clerk's template.

The pack is written into a copy of a Word document (the template) using only the
styles named in REQUIRED_STYLES, so a clerk restyles the pack by restyling those
styles in Word, and their header, footer and logo are kept. The default template
in ``templates/pack-template.docx`` is made by the development script
``scripts/make_pack_template.py`` (not part of the installed package)::

    python scripts/make_pack_template.py templates/pack-template.docx
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from council_papers.errors import PackError, ReadError

if TYPE_CHECKING:
    from docx.document import Document

TABLE_STYLE = "Table Grid"
REQUIRED_STYLES: tuple[str, ...] = (
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Normal",
    "List Bullet",
    TABLE_STYLE,
    "Hyperlink",
)
# What each style must be, so a "Hyperlink" paragraph style is caught on load too.
_STYLE_TYPES = {"Hyperlink": "character", TABLE_STYLE: "table"}
TEMPLATE_NAME = "pack-template.docx"
LANGUAGE = "en-GB"


def default_template() -> Path:
    """Return the path of the default template shipped with council-papers."""
    from council_papers.config import templates_dir

    return templates_dir() / TEMPLATE_NAME


def open_template(path: Path) -> tuple[Document, tuple[str, ...]]:
    """Open the Word document at *path* as a template, or raise PackError.

    Return it with the names of the styles the pack needs that it lacked, which
    are copied in from the default template (see _add_missing_styles).
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from council_papers.zipcheck import ZIP_ERRORS, check_doctypes, check_zip

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".dotx", ".dotm"}:
        raise PackError(_template_format_message(path))
    if suffix == ".doc":
        raise PackError(
            f"{path}: old Word 97-2003 format: open it in Word and save it as a "
            "Word Document (.docx)"
        )
    from council_papers.limits import special_kind

    kind = special_kind(path)
    if kind is not None:  # a FIFO would hang the open, a device never ends
        raise PackError(f"{path}: is {kind}, not a Word document")
    if not path.is_file():
        raise PackError(f"{path}: template not found")
    try:
        with path.open("rb") as fh:
            check_zip(path, fh, what="Word document to use as a template")
            check_doctypes(path, fh, what="Word document")
        document = docx.Document(str(path))
    except ReadError as err:
        raise PackError(str(err)) from err
    except ValueError as err:  # python-docx refuses a .dotx or .docm renamed to .docx
        if "template" in str(err) or "macroEnabled" in str(err):
            raise PackError(_template_format_message(path)) from err
        raise PackError(f"{path}: not a readable Word document ({err})") from err
    except (
        PackageNotFoundError,
        KeyError,
        SyntaxError,
        AttributeError,
        TypeError,
        *ZIP_ERRORS,
    ) as err:
        raise PackError(f"{path}: not a readable Word document ({err})") from err
    _ensure_page(document)
    try:
        added = _add_missing_styles(document)
        _check_styles(document, path)
    except (ValueError, AttributeError, TypeError, KeyError) as err:  # styles.xml not as expected
        raise PackError(f"{path}: the template's styles cannot be read ({err})") from err
    return document, added


def _template_format_message(path: Path) -> str:
    return (
        f"{path}: is a Word template (.dotx) or macro-enabled file, which cannot be "
        "written into: open it in Word and save it as a Word Document (.docx)"
    )


def check_template(path: Path) -> tuple[str, ...]:
    """Raise PackError if the pack cannot be written on the template at *path*.

    Return the styles the pack needs that it lacks (written from the default
    template's copies: see _add_missing_styles).
    """
    return open_template(path)[1]


def _ensure_page(document: Document) -> None:
    """Give a body with no section properties (written by hand, not by Word) an A4 page."""
    from docx.shared import Cm

    body = document.element.body
    if body.sectPr is not None:
        return
    body.get_or_add_sectPr()
    section = document.sections[-1]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))


def _add_missing_styles(document: Document) -> tuple[str, ...]:
    """Copy the styles the pack needs and *document* lacks from the default template.

    A letterhead saved by Word holds only the styles it uses (often just Normal):
    each missing one comes with the styles it is based on or linked to, and List
    Bullet with its bullet definition. Return the names copied. A style present
    under another type is left for _check_styles to refuse.
    """
    import copy

    import docx
    from docx.oxml.ns import qn

    present = {s.name for s in document.styles}
    missing = tuple(name for name in REQUIRED_STYLES if name not in present)
    if not missing:
        return ()
    source = docx.Document(str(default_template()))
    by_id = {
        el.get(qn("w:styleId")): el for el in source.styles.element.iterchildren(qn("w:style"))
    }
    target = document.styles.element
    have = {el.get(qn("w:styleId")) for el in target.iterchildren(qn("w:style"))}
    todo = [source.styles[name].style_id for name in missing]
    while todo:
        style_id = todo.pop()
        if style_id in have or style_id not in by_id:
            continue  # already there (or a reference the default template cannot meet)
        style = copy.deepcopy(by_id[style_id])
        target.append(style)
        have.add(style_id)
        todo += [
            ref.get(qn("w:val"))
            for tag in ("w:basedOn", "w:next", "w:link")
            if (ref := style.find(qn(tag))) is not None
        ]
        _copy_numbering(style, source, document)
    return missing


def _copy_numbering(style: Any, source: Document, document: Document) -> None:
    """Give a copied list style its numbering definition in *document*, under new ids."""
    import copy

    from docx.oxml.ns import qn

    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return
    numbering = source.part.numbering_part.element
    num = next(
        (
            n
            for n in numbering.iterchildren(qn("w:num"))
            if n.get(qn("w:numId")) == num_id.get(qn("w:val"))
        ),
        None,
    )
    if num is None:
        return
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    target = _numbering(document)
    abstracts = list(target.iterchildren(qn("w:abstractNum")))
    nums = list(target.iterchildren(qn("w:num")))
    new_abstract_id = str(
        1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1)
    )
    new_num_id = str(1 + max((int(n.get(qn("w:numId"))) for n in nums), default=0))
    abstract, num = copy.deepcopy(abstract), copy.deepcopy(num)
    abstract.set(qn("w:abstractNumId"), new_abstract_id)
    for nsid in abstract.findall(qn("w:nsid")):  # a list's identity: this one is new
        abstract.remove(nsid)
    num.set(qn("w:numId"), new_num_id)
    num.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract_id)
    # the schema's order: every abstractNum, then every num
    if abstracts:
        abstracts[-1].addnext(abstract)
    elif nums:
        nums[0].addprevious(abstract)
    else:
        target.append(abstract)
    (nums[-1].addnext(num) if nums else abstract.addnext(num))
    num_id.set(qn("w:val"), new_num_id)


def _numbering(document: Document) -> Any:
    """The document's numbering definitions, made empty if it has none."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.oxml.parser import parse_xml
    from docx.parts.numbering import NumberingPart

    part = document.part
    for rel in part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return rel.target_part.element
    xml = '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    taken = {str(p.partname) for p in part.package.iter_parts()}
    name = next(
        f"/word/numbering{n or ''}.xml"
        for n in range(len(taken) + 1)
        if f"/word/numbering{n or ''}.xml" not in taken
    )
    numbering = NumberingPart(PackURI(name), CT.WML_NUMBERING, parse_xml(xml), part.package)
    part.relate_to(numbering, RT.NUMBERING)
    return numbering.element


def _check_styles(document: Document, path: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    kinds = {
        WD_STYLE_TYPE.PARAGRAPH: "paragraph",
        WD_STYLE_TYPE.CHARACTER: "character",
        WD_STYLE_TYPE.TABLE: "table",
        WD_STYLE_TYPE.LIST: "list",
    }
    present = {s.name: kinds.get(s.type, "?") for s in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in present]
    wrong = [
        f"{name} (must be a {_STYLE_TYPES.get(name, 'paragraph')} style)"
        for name in REQUIRED_STYLES
        if name in present and present[name] != _STYLE_TYPES.get(name, "paragraph")
    ]
    if missing or wrong:
        problems = []
        if missing:
            problems.append(f"missing the styles {', '.join(missing)}")
        if wrong:
            problems.append(f"wrong style types: {', '.join(wrong)}")
        raise PackError(
            f"{path}: the template is {'; '.join(problems)}. The pack uses the styles "
            f"{', '.join(REQUIRED_STYLES)}: add them in Word (apply each once, then delete "
            f"the text and save), or start from the default {TEMPLATE_NAME}"
        )
