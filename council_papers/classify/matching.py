"""Matching rules as paperless-ngx users know them, each recording why it matched.

Match types: ``any`` (any word or "quoted phrase"), ``all`` (every one), ``literal``
(the exact text), ``regex`` and ``fuzzy``. Words and phrases match on word
boundaries and ignore case unless the rule says otherwise.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from council_papers.errors import ConfigError

# Regexes run on at most this much text, nested quantifiers are refused at load,
# and a clerk's regex is run by the `regex` package with a time limit: Python's re
# has no timeout, and an optional group under a quantifier ("(a|aa)*", "(\w+\s?)*")
# gets past any check of the pattern's text and can backtrack for hours.
MAX_TEXT = 60_000
REGEX_TIMEOUT = 1.0  # seconds one regex may run on one item's text
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}]\)\s*[+*{]")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case-fold so that letters ``re.IGNORECASE`` treats as one letter fold alike.

    casefold() covers the rest of Python's case-insensitive equivalences (ſ and s,
    ß and ẞ...); only the Turkish dotted and dotless i need mapping first.
    """
    return text.replace("\u0130", "i").replace("\u0131", "i").casefold()


def words_of(text: str) -> frozenset[str] | None:
    """The folded words of the text a matcher searches (its first MAX_TEXT characters).

    A word or phrase pattern can only match where each of its words is a whole word
    of the text (its pattern is bounded by non-word characters on each side), so a
    term any of whose words is missing from this set cannot match: most terms, for
    most texts, are ruled out without a regex running over the text.

    None (search every term) for a text holding U+0345, the one character that is
    not a word character but folds to one (ι), which would join words.
    """
    text = text[:MAX_TEXT]
    if "\u0345" in text:
        return None
    return frozenset(_WORD.findall(fold(text)))


class RegexTimeout(ConfigError):
    """A rule's regex ran past REGEX_TIMEOUT on one text and was stopped.

    The caller names the rule: ``f"rule '{rule.name}': {err}"``. After one timeout the
    same matcher raises at once (``repeated`` is True) for every later text, so a run
    over many items costs one timeout, not one per item.
    """

    def __init__(self, pattern: str, *, repeated: bool = False) -> None:
        self.pattern = pattern
        self.repeated = repeated
        when = "earlier in this run" if repeated else "on this item"
        super().__init__(
            f"regex '{pattern}' ran for more than {REGEX_TIMEOUT:g} s {when} and was stopped "
            "(it backtracks: simplify it)"
        )


class MatchType(StrEnum):
    """How a rule's `match` text is applied."""

    ANY = "any"
    ALL = "all"
    LITERAL = "literal"
    REGEX = "regex"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class Matcher:
    """A compiled `match` expression."""

    type: MatchType
    text: str
    patterns: tuple[re.Pattern[str], ...]
    terms: tuple[str, ...]
    threshold: int = 85
    # every term in one pattern: one pass rules out a text none of them is in, which is
    # most texts for most rules (the terms are then tried in order, to report the first)
    screen: re.Pattern[str] | None = None
    # for word and phrase patterns (not regex or fuzzy): each term's folded words
    needs: tuple[frozenset[str], ...] | None = None
    # for regex: the same pattern compiled by the `regex` package, which can be stopped
    bounded: Any = None
    # set once the bounded regex has timed out: mutable on purpose, shared by copies
    _timed_out: list[bool] = field(default_factory=list, compare=False, repr=False)

    def search(self, haystack: str, words: frozenset[str] | None = None) -> tuple[str, ...] | None:
        """Return the words that matched, or None if it did not match.

        *words*, when given, must be ``words_of(haystack)``: terms with a word not in
        it are passed over without searching (the same result, sooner).
        """
        haystack = haystack[:MAX_TEXT]
        if self.type is MatchType.FUZZY:
            return self._fuzzy(haystack)
        patterns = self.patterns
        if words is not None and self.needs is not None:
            possible = [need <= words for need in self.needs]
            if self.type is MatchType.ALL and not all(possible):
                return None
            patterns = tuple(p for p, ok in zip(patterns, possible, strict=True) if ok)
            if not patterns:
                return None
        elif self.screen is not None and not self.screen.search(haystack):
            return None
        if self.bounded is not None:
            return self._bounded(haystack)
        hits = []
        for pattern in patterns:
            m = pattern.search(haystack)
            if m:
                hits.append(m.group(0))
                if self.type is not MatchType.ALL:
                    return tuple(hits)
            elif self.type is MatchType.ALL:
                return None
        return tuple(hits) if hits else None

    def _bounded(self, haystack: str) -> tuple[str, ...] | None:
        """Search with the time-limited regex; raise RegexTimeout when it runs too long."""
        if self._timed_out:
            raise RegexTimeout(self.text, repeated=True)
        try:
            m = self.bounded.search(haystack, timeout=REGEX_TIMEOUT)
        except TimeoutError as err:
            self._timed_out.append(True)
            raise RegexTimeout(self.text) from err
        return (m.group(0),) if m else None

    def _fuzzy(self, haystack: str) -> tuple[str, ...] | None:
        from rapidfuzz import fuzz

        low = haystack.casefold()
        for term in self.terms:
            result = fuzz.partial_ratio_alignment(term.casefold(), low)
            if result is not None and result.score >= self.threshold:
                return (haystack[result.dest_start : result.dest_end],)
        return None


def split_terms(text: str) -> tuple[str, ...]:
    """Split match text into words, keeping "quoted phrases" together."""
    try:
        return tuple(t for t in shlex.split(text, posix=True) if t.strip())
    except ValueError as err:  # an unclosed quote
        raise ValueError(f"unbalanced quotes in {text!r}") from err


def _word_body(term: str) -> str:
    return r"\s+".join(re.escape(part) for part in term.split())


def _word_pattern(term: str, flags: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){_word_body(term)}(?!\w)", flags)


def _screen(terms: tuple[str, ...], flags: int) -> re.Pattern[str] | None:
    """One pattern matching wherever any term's own pattern matches (None for one term)."""
    if len(terms) < 2:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(_word_body(t) for t in terms)})(?!\w)", flags)


def compile_matcher(
    text: str, match_type: str, *, case_sensitive: bool = False, threshold: int = 85
) -> Matcher:
    """Compile a rule's match text; raise ValueError with the problem."""
    try:
        kind = MatchType(match_type)
    except ValueError:
        raise ValueError(
            f"unknown matching {match_type!r} (use any, all, literal, regex or fuzzy)"
        ) from None
    if not text.strip():
        raise ValueError("empty match")
    flags = 0 if case_sensitive else re.IGNORECASE
    if kind is MatchType.REGEX:
        if _NESTED_QUANTIFIER.search(text):
            raise ValueError(f"regex {text!r} has a nested quantifier that can run for ever")
        try:
            checked = re.compile(text, flags)  # the syntax rules stay Python's own
        except re.error as err:
            raise ValueError(f"bad regex {text!r}: {err}") from err
        return Matcher(kind, text, (checked,), (text,), bounded=_bounded_regex(text, flags))
    if kind is MatchType.LITERAL:
        return Matcher(kind, text, (_word_pattern(text, flags),), (text,), needs=_needs((text,)))
    terms = split_terms(text)
    if kind is MatchType.FUZZY:
        if not 50 <= threshold <= 100:
            raise ValueError("threshold must be between 50 and 100")
        return Matcher(kind, text, (), terms, threshold)
    patterns = tuple(_word_pattern(t, flags) for t in terms)
    return Matcher(kind, text, patterns, terms, screen=_screen(terms, flags), needs=_needs(terms))


def _bounded_regex(text: str, flags: int) -> Any:
    """Compile *text* with the `regex` package (VERSION0: re's semantics), which has a timeout."""
    import regex

    try:
        return regex.compile(text, regex.VERSION0 | (regex.IGNORECASE if flags else 0))
    except regex.error as err:
        raise ValueError(f"bad regex {text!r}: {err}") from err


def _needs(terms: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_WORD.findall(fold(t))) for t in terms)
