"""The rules file: themes and ordered classification rules a clerk can read and change."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council_papers.classify.matching import Matcher, compile_matcher, words_of
from council_papers.errors import ConfigError
from council_papers.models import Correspondence, Disposition, Format, Kind, RuleField
from council_papers.senders import Role

FIELDS = tuple(field.value for field in RuleField)
_RULE_KEYS = {
    "name",
    "kind",
    "disposition",
    "match",
    "matching",
    "field",
    "unless",
    "case_sensitive",
    "threshold",
    "confident",
    "formats",
    "min_articles",
    "explain",
    "every",
    "sender_role",
    "addressed_to",
    "open_call",
    "decided_kind",
}
SENDER_ROLES = tuple(role.value for role in Role)
ADDRESSEES = ("council", "public")
_THEME_KEYS = {"name", "aliases", "match", "matching", "field", "case_sensitive", "threshold"}


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


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}")


def _phrases(value: Any) -> str | None:
    """A match given as a TOML array of phrases, as the text the matcher splits."""
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        import shlex

        return shlex.join(v.strip() for v in value)  # split back into the same phrases
    return None


def _matcher(path: Path, where: str, entry: dict[str, Any], key: str, council: str) -> Matcher:
    value = entry.get(key)
    text = _phrases(value) if isinstance(value, list) else value
    if isinstance(value, list) and entry.get("matching") == "regex":
        raise _fail(
            path, where, f"'{key}' must be one regular expression (text) for regex matching"
        )
    if not isinstance(text, str):
        raise _fail(
            path,
            where,
            f'\'{key}\' must be text or a list of phrases, like ["have your say", "survey"]',
        )
    text = text.replace("{council}", council)
    threshold = entry.get("threshold", 85)
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise _fail(path, where, "'threshold' must be a whole number from 50 to 100")
    matching = entry.get("matching", "any")
    if not isinstance(matching, str):
        raise _fail(path, where, "'matching' must be one of any, all, literal, regex, fuzzy")
    try:
        return compile_matcher(
            text,
            matching,
            case_sensitive=_bool(path, where, entry, "case_sensitive", False),
            threshold=threshold,
        )
    except (ValueError, TypeError) as err:
        raise _fail(path, where, str(err)) from err


def _bool(path: Path, where: str, entry: dict[str, Any], key: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise _fail(path, where, f"'{key}' must be true or false, not {value!r}")
    return value


def _texts(
    path: Path, where: str, entry: dict[str, Any], key: str, allowed: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        raise _fail(path, where, f"'{key}' must be a list, like {key} = [\"{value}\"]")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, f'\'{key}\' must be a list of texts, like ["a", "b"]')
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise _fail(path, where, f"{key} {bad[0]!r} must be one of: {', '.join(allowed)}")
    return tuple(value)


def _field(path: Path, where: str, entry: dict[str, Any]) -> RuleField:
    field = entry.get("field", "all")
    if field not in FIELDS:
        raise _fail(path, where, f"field {field!r} must be one of {', '.join(FIELDS)}")
    return RuleField(field)


def _enum(path: Path, where: str, enum: Any, value: Any, key: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise _fail(path, where, f"{key} {value!r} must be one of: {allowed}") from None


def load_rules(path: str | Path, council: str = "") -> Ruleset:
    """Load and check a rules file; one ConfigError names the file, rule and problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: file not found") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err
    unknown = set(data) - {"rule", "theme", "defaults"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s): {', '.join(sorted(unknown))}")
    rules = []
    names: set[str] = set()
    for i, entry in enumerate(data.get("rule", []), start=1):
        where = f"rule {i} ({entry.get('name', 'unnamed')})"
        if not isinstance(entry.get("name"), str):
            raise _fail(path, where, "needs a name")
        if entry["name"] in names:
            raise _fail(path, where, "another rule has the same name")
        names.add(entry["name"])
        extra = set(entry) - _RULE_KEYS
        if extra:
            raise _fail(path, where, f"unknown key(s): {', '.join(sorted(extra))}")
        every = _bool(path, where, entry, "every", False)
        if every == ("match" in entry):
            raise _fail(
                path,
                where,
                "needs either 'match' (words to look for) or "
                "'every = true' (every item its conditions allow)",
            )
        min_articles = entry.get("min_articles", 0)
        if isinstance(min_articles, bool) or not isinstance(min_articles, int) or min_articles < 0:
            raise _fail(path, where, "'min_articles' must be a whole number, like 2")
        addressed = entry.get("addressed_to")
        if addressed is not None and addressed not in ADDRESSEES:
            raise _fail(
                path, where, f"addressed_to {addressed!r} must be one of: {', '.join(ADDRESSEES)}"
            )
        explain_text = entry.get("explain")
        if explain_text is not None and not isinstance(explain_text, str):
            raise _fail(path, where, "'explain' must be text")
        rules.append(
            Rule(
                name=entry["name"],
                kind=_enum(path, where, Kind, entry.get("kind"), "kind"),
                disposition=_enum(
                    path, where, Disposition, entry.get("disposition"), "disposition"
                ),
                matcher=_EVERY if every else _matcher(path, where, entry, "match", council),
                field=_field(path, where, entry),
                unless=_matcher(path, where, {**entry, "matching": "any"}, "unless", council)
                if "unless" in entry
                else None,
                confident=_bool(path, where, entry, "confident", True),
                formats=_texts(path, where, entry, "formats", tuple(str(f) for f in Format)),
                min_articles=min_articles,
                explain=explain_text,
                every=every,
                sender_roles=_texts(path, where, entry, "sender_role", SENDER_ROLES),
                addressed_to=addressed,
                open_call=_bool(path, where, entry, "open_call", False)
                if "open_call" in entry
                else None,
                decided_kinds=tuple(
                    _enum(path, where, Kind, k, "decided_kind")
                    for k in _texts(path, where, entry, "decided_kind")
                ),
            )
        )
    themes = []
    for i, entry in enumerate(data.get("theme", []), start=1):
        where = f"theme {i} ({entry.get('name', 'unnamed')})"
        if not isinstance(entry.get("name"), str):
            raise _fail(path, where, "needs a name")
        extra = set(entry) - _THEME_KEYS
        if extra:
            raise _fail(path, where, f"unknown key(s): {', '.join(sorted(extra))}")
        themes.append(
            ThemeRule(
                name=entry["name"],
                aliases=_texts(path, where, entry, "aliases"),
                matcher=_matcher(path, where, entry, "match", council)
                if "match" in entry
                else None,
                field=_field(path, where, entry),
            )
        )
    defaults = data.get("defaults", {})
    where = "[defaults]"
    return Ruleset(
        path=path,
        rules=tuple(rules),
        themes=tuple(themes),
        default_kind=_enum(path, where, Kind, defaults.get("kind", "other"), "kind"),
        default_disposition=_enum(
            path, where, Disposition, defaults.get("disposition", "circulated"), "disposition"
        ),
        near_duplicate=_near_duplicate(path, defaults),
    )


def _near_duplicate(path: Path, defaults: dict[str, Any]) -> int:
    value = defaults.get("near_duplicate", 92)
    if isinstance(value, bool) or not isinstance(value, int) or not 50 <= value <= 100:
        raise _fail(path, "[defaults]", "near_duplicate must be a whole number from 50 to 100")
    return value
