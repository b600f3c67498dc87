"""The rules file: themes and ordered classification rules a clerk can read and change."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from council_papers import schema
from council_papers.classify.matching import Matcher, compile_matcher, words_of
from council_papers.models import Correspondence, Disposition, Format, Kind, RuleField
from council_papers.schema import Entry, Key, Section, Shape, Type
from council_papers.senders import Role

FIELDS = tuple(field.value for field in RuleField)
SENDER_ROLES = tuple(role.value for role in Role)
ADDRESSEES = ("council", "public")


@dataclass(frozen=True)
class Rule:
    """One classification rule: when it matches, it decides kind and disposition."""

    name: str
    kind: Kind
    disposition: Disposition
    matcher: Matcher
    field: RuleField = RuleField.ALL
    unless: Matcher | None = None
    confident: bool = True
    formats: tuple[str, ...] = ()
    min_articles: int = 0
    explain: str | None = None
    every: bool = False  # applies to every item its conditions allow
    # conditions on the signals the built-in policy reads (classify/signals.py)
    sender_roles: tuple[str, ...] = ()
    addressed_to: str | None = None
    open_call: bool | None = None
    decided_kinds: tuple[Kind, ...] = ()  # the kind the built-in policy would give


@dataclass(frozen=True)
class ThemeRule:
    """A Police and Crime Plan theme and the words that show an item touches it."""

    name: str
    aliases: tuple[str, ...]
    matcher: Matcher | None
    field: RuleField = RuleField.ALL


@dataclass(frozen=True)
class Ruleset:
    """Everything the classifier decides with, loaded from one rules file."""

    path: Path
    rules: tuple[Rule, ...]
    themes: tuple[ThemeRule, ...]
    default_kind: Kind = Kind.OTHER
    default_disposition: Disposition = Disposition.CIRCULATED
    near_duplicate: int = 92  # rapidfuzz score (0-100) above which two texts are the same item


def field_text(record: Correspondence, field: str) -> str:
    """Return the text of *record* a rule with this `field` looks at."""
    sender = " ".join(v for v in (record.sender_org, record.sender, record.author) if v)
    if field == "subject":
        return record.subject or ""
    if field == "sender":
        return sender
    if field == "body":
        return record.text
    return "\n".join((record.subject or "", sender, record.text))


class Fields:
    """A record's text for each `field`, and that text's words, each worked out once.

    An item is tried against every theme and up to every rule, most of which look at
    the same few fields.
    """

    def __init__(self, record: Correspondence) -> None:
        self.record = record
        self._texts: dict[str, str] = {}
        self._words: dict[str, frozenset[str] | None] = {}

    def text(self, field: str) -> str:
        """The text a rule with this `field` looks at."""
        if field not in self._texts:
            self._texts[field] = field_text(self.record, field)
        return self._texts[field]

    def words(self, field: str) -> frozenset[str] | None:
        """``matching.words_of`` that text."""
        if field not in self._words:
            self._words[field] = words_of(self.text(field))
        return self._words[field]


_EVERY = compile_matcher(r"(?s).", "regex")  # `every = true`: the conditions decide

_KINDS = tuple(k.value for k in Kind)
_DISPOSITIONS = tuple(d.value for d in Disposition)
_MATCHING = ("any", "all", "literal", "regex", "fuzzy")
# how a match is written and looked for: shared by rules and themes
_MATCH_KEYS = {
    "match": Key(Type.PHRASES),
    "matching": Key(Type.CHOICE, default="any", choices=_MATCHING),
    "field": Key(Type.CHOICE, default="all", choices=FIELDS),
    "case_sensitive": Key(Type.BOOL, default=False),
    "threshold": Key(Type.WHOLE, default=85, low=50, high=100),
}
RULE_KEYS = {
    "name": Key(required=True, blank=False),
    "kind": Key(Type.CHOICE, required=True, choices=_KINDS),
    "disposition": Key(Type.CHOICE, required=True, choices=_DISPOSITIONS),
    **_MATCH_KEYS,
    "unless": Key(Type.PHRASES),
    "confident": Key(Type.BOOL, default=True),
    "formats": Key(Type.TEXTS, default=(), choices=tuple(f.value for f in Format)),
    "min_articles": Key(Type.WHOLE, default=0, low=0),
    "explain": Key(),
    "every": Key(Type.BOOL, default=False),
    "sender_role": Key(Type.TEXTS, default=(), choices=SENDER_ROLES),
    "addressed_to": Key(Type.CHOICE, choices=ADDRESSEES),
    "open_call": Key(Type.BOOL),
    "decided_kind": Key(Type.TEXTS, default=(), choices=_KINDS),
}
THEME_KEYS = {
    "name": Key(required=True, blank=False),
    "aliases": Key(Type.TEXTS, default=()),
    **_MATCH_KEYS,
}
SHAPE = Shape(
    {
        "rule": Section(RULE_KEYS, many=True, label="rule"),
        "theme": Section(THEME_KEYS, many=True, label="theme"),
        "defaults": Section(
            {
                "kind": Key(Type.CHOICE, default="other", choices=_KINDS),
                "disposition": Key(Type.CHOICE, default="circulated", choices=_DISPOSITIONS),
                # rapidfuzz score (0-100) above which two texts are the same item
                "near_duplicate": Key(Type.WHOLE, default=92, low=50, high=100),
            }
        ),
    }
)


def _matcher(entry: Entry, key: str, council: str, matching: str | None = None) -> Matcher:
    """Compile the phrases of *key* (match or unless) as the entry says to look for them."""
    value = entry[key]
    matching = matching or entry["matching"]
    if isinstance(value, tuple):
        if matching == "regex":
            raise entry.fail(f"{key} must be one regular expression (text) for regex matching")
        value = shlex.join(value)  # split back into the same phrases
    try:
        return compile_matcher(
            value.replace("{council}", council),
            matching,
            case_sensitive=entry["case_sensitive"],
            threshold=entry["threshold"],
        )
    except (ValueError, TypeError) as err:
        raise entry.fail(str(err)) from err


def _rule(entry: Entry, council: str) -> Rule:
    every = entry["every"]
    if every == entry.has("match"):
        raise entry.fail(
            "needs either 'match' (words to look for) or "
            "'every = true' (every item its conditions allow)"
        )
    return Rule(
        name=entry["name"],
        kind=Kind(entry["kind"]),
        disposition=Disposition(entry["disposition"]),
        matcher=_EVERY if every else _matcher(entry, "match", council),
        field=RuleField(entry["field"]),
        unless=_matcher(entry, "unless", council, "any") if entry.has("unless") else None,
        confident=entry["confident"],
        formats=entry["formats"],
        min_articles=entry["min_articles"],
        explain=entry["explain"],
        every=every,
        sender_roles=entry["sender_role"],
        addressed_to=entry["addressed_to"],
        open_call=entry["open_call"],
        decided_kinds=tuple(Kind(k) for k in entry["decided_kind"]),
    )


def _theme(entry: Entry, council: str) -> ThemeRule:
    return ThemeRule(
        name=entry["name"],
        aliases=entry["aliases"],
        matcher=_matcher(entry, "match", council) if entry.has("match") else None,
        field=RuleField(entry["field"]),
    )


def load_rules(path: str | Path, council: str = "") -> Ruleset:
    """Load and check a rules file; one ConfigError names the file, rule and problem."""
    path = Path(path)
    loaded = schema.load(path, SHAPE)
    rules = []
    names: set[str] = set()
    for entry in loaded.lists["rule"]:
        if entry["name"] in names:
            raise entry.fail("another rule has the same name")
        names.add(entry["name"])
        rules.append(_rule(entry, council))
    defaults = loaded.tables["defaults"]
    return Ruleset(
        path=path,
        rules=tuple(rules),
        themes=tuple(_theme(entry, council) for entry in loaded.lists["theme"]),
        default_kind=Kind(defaults["kind"]),
        default_disposition=Disposition(defaults["disposition"]),
        near_duplicate=defaults["near_duplicate"],
    )
