"""HTML -> text for saved web pages and email bodies.

lxml pre-cleans the tree (scripts, chrome, cookie banners, hidden preheaders,
tracking pixels, click-tracking links); inscriptis then renders it, keeping
lists and paragraphs and laying out tables without ``|`` pipes. Links survive as
``[text](url)`` so the pack can turn them back into real hyperlinks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from council_papers.errors import ReadError
from council_papers.links import unwrap_url
from council_papers.models import Format, RawDocument

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "object",
    "embed",
    "template",
    "svg",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "form",
    "img",
    "picture",
    "video",
    "audio",
    "map",
    "link",
    "meta",
)
_CHROME_TAGS = ("nav", "header", "footer", "aside")
# id/class words that mark page chrome rather than content
_CHROME_ATTR = re.compile(
    r"(cookie|consent|gdpr|accessib|skip-?link|skip-?to|breadcrumb|social|share-?bar|"
    r"sharing|header|footer|masthead|menu|nav|sidebar|col-side|side-col|popup|modal)",
    re.I,
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0(px)?\s*(;|$)|"
    r"mso-hide\s*:\s*all|font-size\s*:\s*0(px)?\s*(;|$)",
    re.I,
)
_SPACE = re.compile(r"\s+")
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+")


@dataclass(frozen=True)
class HtmlText:
    """Text rendered from HTML, with the headings and the title it had."""

    text: str
    headings: tuple[str, ...]
    title: str | None
    site: str | None = None
    warnings: tuple[str, ...] = ()


_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.I)


def _site(root: HtmlElement, page_title: str, raw_head: str) -> str | None:
    """Name and address of the site a page was saved from (og: tags, canonical, title)."""
    found: list[str] = []
    for xpath in (
        "//meta[@property='og:site_name']/@content",
        "//meta[@property='og:url']/@content",
        "//link[@rel='canonical']/@href",
    ):
        found.extend(str(v).strip() for v in root.xpath(xpath))
    parts = _TITLE_SPLIT.split(page_title)
    if len(parts) > 1:
        found.append(parts[-1].strip())  # "Page name | Site name"
    m = _SAVED_FROM.search(raw_head)
    if m:
        found.append(m.group(1))
    return " ".join(dict.fromkeys(f for f in found if f)) or None


def _text_of(el: HtmlElement) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _drop(el: HtmlElement) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


# A forward's header block (Thunderbird's "moz-email-headers-table", Outlook's
# divRplyFwdMsg): its class may say "header", but it says who sent the original.
_FORWARD_HEADERS = re.compile(
    r"\b(?:from|subject)\s*:.{0,400}\b(?:date|sent|subject|to)\s*:", re.I | re.S
)


def _looks_like_chrome(el: HtmlElement) -> bool:
    words = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
    if el.get("role") in {"navigation", "banner", "contentinfo", "search"}:
        return True
    if not _CHROME_ATTR.search(words):
        return False
    text = _text_of(el)
    return len(text) < 1500 and not _FORWARD_HEADERS.search(text)


def parse_html(data: bytes | str) -> HtmlElement:
    """Parse HTML leniently (broken markup, NUL bytes, any declared encoding)."""
    return _parse(data)[0]


def _parse(data: bytes | str) -> tuple[HtmlElement, bool]:
    """Parse HTML; also say whether the parser cut off elements nested too deeply."""
    import lxml.html
    from lxml import etree

    from council_papers.decoding import decode_declared, decode_text

    if isinstance(data, bytes):
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
            data = decode_text(data)  # a byte order mark outranks any declaration
        else:
            declared = _CHARSET.search(data[:4096])
            # no declared encoding: UTF-8 if it decodes, else Windows-1252 (UK mail)
            data = decode_declared(
                data, declared[1].decode("ascii") if declared else None, utf16=False
            )
    # lxml refuses a str that carries an XML encoding declaration; its tree refuses text
    # with characters XML cannot hold (parsing lets them in, editing the tree fails)
    # (str.replace, not str.translate: translate took a quarter of a millisecond a page)
    data = _XML_DECLARATION.sub("", data, count=1).replace("\x0b", " ").replace("\x0c", " ")
    data = _NOT_XML.sub("", data)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(data or "<html></html>", parser=parser)
    except etree.ParserError:  # "Document is empty": only comments, or nothing lxml keeps
        root = lxml.html.document_fromstring("<html></html>")
    # libxml2 stops descending at 256 levels and drops what lies deeper
    cut = any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)
    return root, cut


def _preclean(root: HtmlElement) -> None:
    drop = set(_DROP_TAGS)
    for el in list(root.iter()):
        if (
            not isinstance(el.tag, str)  # comments, processing instructions
            or el.tag in drop
            or el.get("hidden") is not None
            or el.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(el.get("style", ""))
        ):
            _drop(el)
    # A saved page with a main region: keep only that. Otherwise drop the chrome.
    main = root.xpath("//main | //*[@role='main'] | //article")
    if main:
        body = root.find("body")
        keep = main[0]
        if body is not None and keep is not body:
            for child in list(body):
                body.remove(child)
            body.append(keep)
    for el in list(root.iter(*_CHROME_TAGS)):
        _drop(el)
    # only elements with an id, class or role can look like chrome (libxml2 finds them)
    for el in root.xpath("//*[@id or @class or @role]"):
        if el.tag not in {"html", "body"} and _looks_like_chrome(el):
            _drop(el)


def _relink(root: HtmlElement) -> None:
    """Write each real link as [text](url); drop click trackers, keeping their text."""
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        text = _text_of(a)
        if not text:
            _drop(a)
            continue
        target = unwrap_url(href) if href.lower().startswith(("http://", "https://")) else None
        tail = a.tail
        for child in list(a):
            a.remove(child)
        a.text = f"[{text}]({target})" if target and target != text else text
        a.tail = tail


def _headings(root: HtmlElement) -> tuple[str, ...]:
    found: list[str] = []
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        found.append(_text_of(el))
    # Newsletters mark headlines with bold text standing alone in its block.
    for el in root.iter("strong", "b"):
        parent = el.getparent()
        if parent is None or parent.tag not in {"p", "td", "div", "th", "span", "li"}:
            continue
        if _text_of(el) and _text_of(el) == _text_of(parent):
            found.append(_text_of(el))
    return tuple(dict.fromkeys(h for h in found if h and len(h) <= 200))


def _title(root: HtmlElement, headings: tuple[str, ...]) -> str | None:
    h1 = root.find(".//h1")
    if h1 is not None and _text_of(h1):
        return _text_of(h1)
    t = root.find(".//title")
    if t is not None and _text_of(t):
        return _TITLE_SPLIT.split(_text_of(t))[0].strip() or None
    return headings[0] if headings else None


def html_to_text(data: bytes | str, *, page: bool = True) -> HtmlText:
    """Render an HTML document or email body as clean-able text.

    *page*: also find the title and the site it was saved from (an email's HTML
    body has its subject and sender instead).
    """
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig

    root, cut = _parse(data)
    page_title, site = "", None
    if page:
        title_el = root.find(".//title")
        page_title = _text_of(title_el) if title_el is not None else ""
        head = data[:2048] if isinstance(data, str) else data[:2048].decode("latin-1")
        site = _site(root, page_title, head)
    _preclean(root)
    _relink(root)
    headings = _headings(root)
    title = None
    if page:
        title = _title(root, headings) or (
            _TITLE_SPLIT.split(page_title)[0] if page_title else None
        )
    text = Inscriptis(root, ParserConfig(display_images=False, display_links=False)).get_text()
    # inscriptis indents nested blocks and pads table cells; neither carries meaning here,
    # and a forward header block must start at the line's start to be recognised
    text = "\n".join(line.strip() for line in text.split("\n"))
    warnings = (
        ("page nested too deeply: text more than 255 elements deep was dropped",) if cut else ()
    )
    return HtmlText(text=text, headings=headings, title=title or None, site=site, warnings=warnings)


def read_html(path: Path, data: bytes) -> RawDocument:
    """Read a saved web page or an email's HTML saved on its own."""
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    try:
        rendered = html_to_text(data)
    except (ValueError, TypeError) as err:  # lxml's ParserError is a ValueError
        raise ReadError(f"{path}: not readable as HTML ({err})") from err
    warnings = rendered.warnings
    if not rendered.text.strip() and not warnings:
        warnings = ("no text found in the page",)
    raw = RawDocument(
        path=str(path),
        format=Format.HTML,
        text=rendered.text,
        title=rendered.title,
        headings=rendered.headings,
        site=rendered.site,
        warnings=warnings,
    )
    from council_papers.read.forward import unwrap_inline

    # a forward saved as a web page (a mail client's "save as" or print view): the
    # original's sender, subject and date, as from the same forward in an .eml
    unwrapped = unwrap_inline(replace(raw, subject=rendered.title))
    if unwrapped.text != raw.text:
        return replace(unwrapped, site=None)
    return raw
