"""An item's clean text as the pack lays it out: paragraphs, bullets and links (pure str)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from council_papers.clean import BIDI_CONTROLS, MD_LINK, URL

BULLET_STYLE = "List Bullet"
BODY_STYLE = "Normal"

_BULLET = re.compile(r"^[•*\-–·▪◦●]\s+(?P<text>\S.*)$")
_LINK_TARGET = re.compile(r"^(https?://|mailto:)\S+$", re.IGNORECASE)
# A plain-text email wraps its lines at 70-80 characters: those lines are one paragraph.
_WRAP_MIN, _WRAP_MAX = 55, 80


@dataclass(frozen=True)
class Block:
    """One paragraph of the pack: its style and its lines (shown with line breaks)."""

    style: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """A run of text in a line, with the address it links to, if any."""

    text: str
    url: str | None = None


_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS), None)


def xml_safe(text: str) -> str:
    """Return *text* without the control characters XML (and so Word) cannot hold.

    Word's line break (vertical tab) and a PDF's page break (form feed) become
    new lines; other control characters are dropped, and so are bidi overrides
    (a clerk's own text in the log could still hold one), which would reverse a
    table row.
    """
    text = text.replace("\x0b", "\n").replace("\x0c", "\n").translate(_NO_BIDI)
    return _NOT_XML.sub("", text)


def blocks(text: str) -> list[Block]:
    """Split *text* into paragraphs: blank lines separate them; "•", "*", "-" lines are bullets."""
    out: list[Block] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        normal: list[str] = []
        bullet: list[str] | None = None
        for line in lines:
            m = _BULLET.match(line)
            if m:
                _flush(out, normal, bullet)
                normal, bullet = [], [m["text"]]
            elif bullet is not None and line[:1].islower():
                bullet.append(line)  # a bullet wrapped onto the next line
            else:
                _flush(out, [], bullet)
                bullet = None
                normal.append(line)
        _flush(out, normal, bullet)
    return out


def _flush(out: list[Block], normal: list[str], bullet: list[str] | None) -> None:
    if normal:
        out.append(Block(BODY_STYLE, _unwrap(normal)))
    if bullet:
        out.append(Block(BULLET_STYLE, (" ".join(bullet),)))


def _unwrap(lines: list[str]) -> tuple[str, ...]:
    """Join hard-wrapped prose; keep the line breaks of a signature or an address."""
    if len(lines) > 1 and all(_WRAP_MIN <= len(line) <= _WRAP_MAX for line in lines[:-1]):
        return (" ".join(lines),)
    return tuple(lines)


def segments(line: str) -> list[Segment]:
    """Split *line* into text and links: markdown links [text](url) and bare http(s) URLs."""
    out: list[Segment] = []
    pos = 0
    for m in MD_LINK.finditer(line):
        out.extend(_bare_urls(line[pos : m.start()]))
        label, target = m.group(1).strip(), m.group(2)
        if _LINK_TARGET.match(target):
            out.append(Segment(label or target, target))
        else:  # "[Read more](#)" and other stubs: the words, without a dead link
            out.append(Segment(m.group(1)))
        pos = m.end()
    out.extend(_bare_urls(line[pos:]))
    return _merge(out)


def _bare_urls(text: str) -> list[Segment]:
    out: list[Segment] = []
    pos = 0
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")  # sentence punctuation after a URL
        out.append(Segment(text[pos : m.start()]))
        out.append(Segment(url, url))
        pos = m.start() + len(url)
    out.append(Segment(text[pos:]))
    return out


def _merge(parts: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for part in parts:
        if not part.text:
            continue
        if out and part.url is None and out[-1].url is None:
            out[-1] = Segment(out[-1].text + part.text)
        else:
            out.append(part)
    return out


def plain(line: str) -> str:
    """Return *line* as it reads in the pack: links reduced to their text."""
    return "".join(s.text for s in segments(line))
