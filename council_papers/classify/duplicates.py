"""Duplicates: the same message twice, a forwarded copy, the same bulletin pasted as text.

Exact copies share a key (Message-ID or content hash). Near copies are found
through a small min-hash sketch of each text, so a new item is compared only
with the few held items that share part of its sketch, never with all of them;
rapidfuzz then confirms the match.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from council_papers.keys import normalise_text

SHINGLE = 6  # words per shingle
SKETCH = 12  # shingles kept per text
MAX_COMPARE = 6000  # characters compared; enough to tell two bulletins apart


@dataclass(frozen=True)
class Held:
    """An item already held, as duplicates are found against it."""

    label: str  # what the clerk knows it by: a file name or a log Ref
    key: str
    text: str  # normalised text


def sketch(words: list[str]) -> frozenset[int]:
    """Return the min-hash sketch of a text's word shingles."""
    if len(words) <= SHINGLE:
        return frozenset({zlib.crc32(" ".join(words).encode())})
    hashes = {
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
        for i in range(len(words) - SHINGLE + 1)
    }
    return frozenset(sorted(hashes)[:SKETCH])


@dataclass
class DuplicateIndex:
    """Held items, indexed for exact and near-duplicate lookups."""

    threshold: int = 92
    by_key: dict[str, Held] = field(default_factory=dict)
    by_shingle: dict[int, list[Held]] = field(default_factory=lambda: defaultdict(list))

    def add(self, label: str, key: str, text: str) -> None:
        """Hold an item so later ones are checked against it."""
        held = Held(label, key, normalise_text(text))
        self.by_key.setdefault(key, held)
        for h in sketch(held.text.split()):
            self.by_shingle[h].append(held)

    def find(self, key: str, text: str) -> tuple[Held, str] | None:
        """Return the held item this one duplicates and how, or None."""
        if key in self.by_key:
            how = "same Message-ID" if key.startswith("mid:") else "same text"
            return self.by_key[key], how
        norm = normalise_text(text)
        if len(norm) < 40:  # too little text to call two items the same
            return None
        votes: dict[int, int] = defaultdict(int)
        candidates: dict[int, Held] = {}
        for h in sketch(norm.split()):
            for held in self.by_shingle.get(h, ()):
                votes[id(held)] += 1
                candidates[id(held)] = held
        from rapidfuzz import fuzz

        for ident, _ in sorted(votes.items(), key=lambda kv: -kv[1])[:5]:
            held = candidates[ident]
            if held.text == norm:
                return held, "same text"
            score = fuzz.ratio(norm[:MAX_COMPARE], held.text[:MAX_COMPARE])
            if score >= self.threshold:
                return held, f"{score:.0f}% the same text"
        return None
