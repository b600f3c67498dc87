"""Duplicates: the same message twice, a forwarded copy, the same bulletin pasted as text.

Exact copies share a key (Message-ID or content hash). Near copies are found
through a small min-hash sketch of each text, so a new item is compared only
with the few held items that share part of its sketch, never with all of them;
rapidfuzz then confirms the match.

The sketch's features are the text's phrases between common words ("the", "and",
"of" …), each joined to the next: near copies share most of them, and they are
found with one regex split rather than word by word, which matters when a log of
tens of thousands of rows is indexed on every `add`. A feature shared by more
than MAX_BUCKET held items is boilerplate (a footer, a sign-off): only its latest
MAX_BUCKET items are counted, so each lookup costs the same however large the
index grows.
"""

from __future__ import annotations

import heapq
import operator
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from council_papers.clean import MD_LINK
from council_papers.keys import normalise_text

SKETCH = 12  # features kept per text
MAX_COMPARE = 6000  # characters compared; enough to tell two bulletins apart
MAX_BUCKET = 100  # held items counted per feature (the latest): see the module docstring
WITHIN = 0.9  # this share of a text's four-word runs in another: a copy inside it
CONTAINED = 0.6  # a text this share of another's length, found inside it, is a copy of it
MIN_DOCUMENT = 400  # characters an attached document needs to count as an item of its own
CANDIDATES = 5  # held items confirmed with rapidfuzz, most shared features first
# The commonest English words: they anchor the phrases a text is cut into.
_ANCHORS = re.compile(
    r" (?:the|and|of|to|a|in|for|on|is|at|with|by|be|this|that|you|we|it|are|or|from|as"
    r"|have|will|our|your) "
)


_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)


def _comparable(text: str) -> str:
    """The text as copies are compared: link addresses dropped (an email carries them,
    the same bulletin saved as a page shows only the words), then normalised.

    A Markdown link is reduced to its words first: stripping its address as a bare URL
    would take the link's closing bracket with it, and the text up to the next ")"
    would then be dropped as if it were the address.
    """
    return normalise_text(_URL.sub(" ", MD_LINK.sub(r"\1", text)))


@dataclass(frozen=True)
class Held:
    """An item already held, as duplicates are found against it."""

    label: str  # what the clerk knows it by: a file name or a log Ref
    key: str
    text: str  # normalised text


def sketch(norm: str) -> frozenset[int]:
    """Return the min-hash sketch of a normalised text (see normalise_text)."""
    phrases = _ANCHORS.split(norm)
    # each phrase with the next: single words between anchors ("police") are too common
    features = map(operator.add, phrases, phrases[1:]) if len(phrases) > 1 else phrases
    return frozenset(heapq.nsmallest(SKETCH, set(map(zlib.crc32, map(str.encode, features)))))


@dataclass
class DuplicateIndex:
    """Held items, indexed for exact and near-duplicate lookups."""

    threshold: int = 92
    by_key: dict[str, Held] = field(default_factory=dict)
    held: list[Held] = field(default_factory=list)
    by_feature: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # held items' four-word runs, made when first compared for containment
    _runs: dict[int, set[str]] = field(default_factory=dict)

    def add(self, label: str, key: str, text: str) -> None:
        """Hold an item so later ones are checked against it."""
        norm = _comparable(text)
        self._hold(Held(label, key, norm), sketch(norm))

    def _hold(self, held: Held, features: frozenset[int]) -> None:
        self.by_key.setdefault(held.key, held)
        self.held.append(held)
        for h in features:
            self.by_feature[h].append(len(self.held) - 1)

    def find(self, key: str, text: str) -> tuple[Held, str] | None:
        """Return the held item this one duplicates and how, or None."""
        if key in self.by_key:
            return self._exact(key)
        norm = _comparable(text)
        return self._near(norm, sketch(norm))

    def find_or_add(
        self, label: str, key: str, text: str, attached: tuple[str, ...] = ()
    ) -> tuple[Held, str] | None:
        """Return the held item this one duplicates and how; if none, hold this one.

        *attached* are the texts of documents attached to it: the same report sent
        in two emails with different covering notes is one item, and so is a report
        attached to an email and saved on its own. Each is checked and held as well.
        """
        if key in self.by_key:
            return self._exact(key)
        norm = _comparable(text)  # once, for both the lookup and the index
        features = sketch(norm)
        found = self._near(norm, features)
        documents = [(d, sketch(d)) for d in map(_comparable, attached) if len(d) >= MIN_DOCUMENT]
        for document, sketched in documents:
            if found is not None:
                break
            inside = self._near(document, sketched)
            if inside is not None:
                found = inside[0], f"its attachment is {inside[1]}"
        if found is None:
            self._hold(Held(label, key, norm), features)
            for n, (document, sketched) in enumerate(documents, start=1):
                self._hold(Held(label, f"{key}#attachment{n}", document), sketched)
        return found

    def _exact(self, key: str) -> tuple[Held, str]:
        how = "same Message-ID" if key.startswith("mid:") else "same text"
        return self.by_key[key], how

    def _near(self, norm: str, features: frozenset[int]) -> tuple[Held, str] | None:
        if len(norm) < 40:  # too little text to call two items the same
            return None
        votes: Counter[int] = Counter()
        for h in features:
            bucket = self.by_feature.get(h)
            if bucket:
                votes.update(bucket[-MAX_BUCKET:])
        if not votes:
            return None
        from rapidfuzz import fuzz

        own: set[str] | None = None
        for index, _ in votes.most_common(CANDIDATES):
            held = self.held[index]
            if held.text == norm:
                return held, "same text"
            # below the cutoff rapidfuzz stops early and answers 0
            score = fuzz.ratio(
                norm[:MAX_COMPARE], held.text[:MAX_COMPARE], score_cutoff=self.threshold
            )
            if score >= self.threshold:
                return held, f"{score:.0f}% the same text"
            # the same text inside another: a report forwarded with a covering note, a
            # bulletin saved as a web page with its page's own lines around it
            mine, theirs = norm[:MAX_COMPARE], held.text[:MAX_COMPARE]
            if min(len(mine), len(theirs)) >= CONTAINED * max(len(mine), len(theirs)):
                if own is None:
                    own = _shingles(mine)
                other = self._runs.get(index)
                if other is None:
                    other = self._runs[index] = _shingles(theirs)
                short, long_ = (own, other) if len(mine) <= len(theirs) else (other, own)
                inside = len(short & long_) / len(short) if short else 0.0
                if inside >= WITHIN:
                    return held, f"{inside:.0%} of its text within the other"
        return None


def _shingles(text: str) -> set[str]:
    words = text.split()
    return {" ".join(words[i : i + 4]) for i in range(max(1, len(words) - 3))}
