"""Cleaning: pure str -> str steps that remove what real inputs carry but nobody wrote.

Every step works on whole lines or on well-delimited inline tokens (links, URLs,
markdown emphasis), so a word of real content is never cut: a line is either an
artefact as a whole (``is_artefact``) or it is kept. ``clean`` is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from council_papers.links import unwrap_url

# Markdown-style links, as pasted text and our HTML reader both produce them.
MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
URL = re.compile(r"\bhttps?://[^\s<>()\[\]\"']+", re.IGNORECASE)
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f"), None)
# Bidirectional embeddings, overrides and isolates. U+202E shows "invoice\u202egnp.exe" as
# "invoiceexe.png" and reverses the rest of a table row; text in any language displays
# correctly without them (the Unicode bidi algorithm orders it), so they are dropped.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_HIDDEN = dict.fromkeys(map(ord, BIDI_CONTROLS), None) | _INVISIBLE
# C0 and C1 control characters other than tab and line ends: bells, terminal escapes, NULs.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Line ends other than \n: a PDF's form feed, Word's vertical tab, NEL and the Unicode ones.
_LINE_ENDS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")

# Whole lines that are a platform's buttons, footers or page chrome (lower case,
# after links are reduced to their text).
# "Read more": an artefact, and also the end of an article to the splitter.
_READ_MORE_STUB = r"^read (more|the full (story|article))\s*[»>.…]*$"
_ARTEFACT_LINES = [
    re.compile(p)
    for p in (
        r"^[\s|\-_=*~•·#]*$",  # table borders and separators left by HTML tables
        _READ_MORE_STUB,
        r"^to reply or forward this (e-?mail|message),? please use the buttons\b.*$",
        r"^(to )?unsubscribe\b.*$",
        r"^(if you (no longer )?(wish|want) (not )?to (receive|unsubscribe)|"
        r"you are receiving this|you have received this (e-?mail|message) because|"
        r"this (e-?mail|message) was sent to .{0,80}using govdelivery|"
        r"update your subscriptions, modify your password|"
        r"to stop receiving these|please do not reply to this (e-?mail|message)|"
        r"powered by govdelivery|privacy policy \| cookie|"
        r"change your alert settings|view (this (e-?mail|message)|it) in (your|a) (web )?browser|"
        r"having trouble (viewing|reading) this e-?mail|subscriber services:?$|"
        r"manage your subscriptions\b|for help with the subscription service).*$",
        r"^(accessibility options|skip to (main )?content|back to top)$",
        # a platform's rating buttons
        r"^(please )?rate this (message|alert)\b.{0,40}$",
        r"^did you find (it|this( message| alert)?) useful\??( (yes|no))*$",
        r"^share (this|on)\b.{0,30}:.*$",  # "Share this page: X Facebook"
    )
]
# Phrases a footer line is made of, e.g. "Reply to this message | Forward | Rate".
_FOOTER_PHRASES = frozenset(
    {
        "reply to this message",
        "reply",
        "forward",
        "forward this message",
        "rate",
        "rate this message",
        "unsubscribe",
        "change your alert settings",
        "change your settings",
        "view in browser",
        "view online",
        "manage preferences",
        "manage your preferences",
        "subscriber preferences",
        "subscriber preferences page",
        "manage subscriptions",
        "unsubscribe all",
        "subscriber services",
        "update your preferences",
        "privacy policy",
        "cookie policy",
        "help",
        "share",
        "tweet",
        "like",
    }
)


_PHRASES_ALT = "|".join(re.escape(p) for p in sorted(_FOOTER_PHRASES, key=len, reverse=True))
# buttons side by side, spaced or not ("Reply Rate Forward", "ReplyRateForward")
_FOOTER_RUN = re.compile(rf"(?:{_PHRASES_ALT})")
_FOOTER_LINE = re.compile(rf"^(?:(?:{_PHRASES_ALT})\s*)+$")


def _clean_link(match: re.Match[str]) -> str:
    text, url = match.group(1), match.group(2)
    if not url.lower().startswith(("http://", "https://")):
        return text  # "(#)", mailto: and javascript: links are stubs in a pasted text
    target = unwrap_url(url)
    if target is None or not text.strip():
        return text
    if text.strip() == target:
        return target
    return f"[{text}]({target})"


def _clean_bare_url(match: re.Match[str]) -> str:
    url = match.group(0)
    trail = ""
    while url and url[-1] in ".,;:!?":  # sentence punctuation after a URL
        trail = url[-1] + trail
        url = url[:-1]
    target = unwrap_url(url)
    return (target or "") + trail


# The same line is cleaned several times (clean, then each check on it, then the
# article splitter) and footers recur in every message: remember recent answers.
_CACHE = 1 << 14


@lru_cache(maxsize=_CACHE)
def clean_inline(line: str) -> str:
    """Clean one line's inline artefacts: links, tracking URLs, emphasis, odd spaces."""
    if not (line.isascii() and line.isprintable()):  # printable ASCII has nothing to drop
        # drop before composing: a combining accent after a dropped character joins the letter
        line = unicodedata.normalize("NFC", _CONTROLS.sub("", line.translate(_HIDDEN)))
        line = _LINE_ENDS.sub(" ", line)
    if "**" in line:
        line = _BOLD.sub(r"\1", line)
    if "://" in line or "](" in line:
        # Bare URLs first, skipping those inside a markdown link (handled with their text).
        parts = []
        pos = 0
        for m in MD_LINK.finditer(line):
            parts.append(URL.sub(_clean_bare_url, line[pos : m.start()]))
            parts.append(_clean_link(m))
            pos = m.end()
        parts.append(URL.sub(_clean_bare_url, line[pos:]))
        line = "".join(parts)
    line = _SPACES.sub(" ", line).strip()
    return line.strip(" |").strip()


def one_line(text: str | None) -> str | None:
    """Return a field shown on one line (subject, sender) as plain visible text, or None.

    Line breaks and tabs become spaces; control characters, bidi overrides and
    invisible characters are dropped, so a subject can neither reverse a table row
    nor send escape codes to a terminal.
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFC", _CONTROLS.sub("", text.translate(_HIDDEN)))
    return " ".join(text.split()) or None


def display_text(line: str) -> str:
    """Return the line as a reader sees it: links reduced to their text."""
    return MD_LINK.sub(lambda m: m.group(1), line).strip()


_READ_MORE = re.compile(_READ_MORE_STUB)
_SEGMENT_SPLIT = re.compile(r"[|•·]")


@lru_cache(maxsize=_CACHE)
def is_read_more(line: str) -> bool:
    """True for a "Read more" link stub, which also marks the end of an article."""
    return bool(_READ_MORE.match(display_text(clean_inline(line)).lower()))


@lru_cache(maxsize=_CACHE)
def is_artefact(line: str) -> bool:
    """True when the whole line is a button, footer, separator or page chrome."""
    shown = display_text(clean_inline(line)).lower()
    if any(p.match(shown) for p in _ARTEFACT_LINES):
        return True
    segments = [s.strip(" .:") for s in _SEGMENT_SPLIT.split(shown) if s.strip(" .:")]
    if len(segments) == 1:  # buttons side by side: "Reply Forward Rate"
        segments = _FOOTER_RUN.findall(shown) if _FOOTER_LINE.match(shown) else segments
    return (
        bool(segments)
        and all(s in _FOOTER_PHRASES for s in segments)
        and (
            len(segments) > 1
            or segments[0]
            in {
                "reply to this message",
                "unsubscribe",
                "change your alert settings",
                "unsubscribe all",
            }
        )
    )


# Neighbourhood Alert's sender block, under the signature: "Message Sent By" and the
# line naming the sender's role and area. Extraction reads the author from it, so
# ``clean`` keeps it; the pack prints the signature above it already, so what is
# printed (and looked at for personal data, by classify) is the text without it.
_SENT_BY = re.compile(
    r"^[ \t]*Message Sent By:?[ \t]*\n(?:[ \t]*\n)?[^\n]*(?:\n|$)", re.IGNORECASE | re.MULTILINE
)


def drop_sent_by(text: str) -> str:
    """Remove Neighbourhood Alert's "Message Sent By / Name (Police, Role, Area)" block."""
    return _SENT_BY.sub("", text.replace("\r\n", "\n"))


def clean(text: str) -> str:
    """Return *text* without wrappers' artefacts, with single blank lines between blocks."""
    text = _LINE_ENDS.sub("\n", text)
    out: list[str] = []
    for raw in text.split("\n"):
        line = clean_inline(raw)
        if not line or is_artefact(line):
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
