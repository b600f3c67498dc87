"""The rules file: themes and ordered classification rules a clerk can read and change."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council_papers.classify.matching import Matcher, compile_matcher, words_of
from council_papers.errors import ConfigError
from council_papers.models import Correspondence, Disposition, Kind

FIELDS = ("subject", "sender", "body", "all")
_RULE_KEYS = {
    "name", "kind", "disposition", "match", "matching", "field", "unless", "case_sensitive",
    "threshold", "confident", "formats", "min_articles", "explain",
}
_THEME_KEYS = {"name", "aliases", "match", "matching", "field", "case_sensitive", "threshold"}


@dataclass(frozen=True)
class Rule:
    """One classification rule: when it matches, it decides kind and disposition."""

    name: str
    kind: Kind
    disposition: Disposition
    matcher: Matcher
    field: str = "all"
    unless: Matcher | None = None
    confident: bool = True
    formats: tuple[str, ...] = ()
    min_articles: int = 0
    explain: str | None = None


@dataclass(frozen=True)
class ThemeRule:
    """A Police and Crime Plan theme and the words that show an item touches it."""

    name: str
    aliases: tuple[str, ...]
    matcher: Matcher | None
    field: str = "all"


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


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}")


def _matcher(path: Path, where: str, entry: dict[str, Any], key: str, council: str) -> Matcher:
    text = entry.get(key)
    if not isinstance(text, str):
        raise _fail(path, where, f"'{key}' must be text")
    text = text.replace("{council}", council)
    try:
        return compile_matcher(
            text,
            entry.get("matching", "any"),
            case_sensitive=bool(entry.get("case_sensitive", False)),
            threshold=int(entry.get("threshold", 85)),
        )
    except (ValueError, TypeError) as err:
        raise _fail(path, where, str(err)) from err


def _field(path: Path, where: str, entry: dict[str, Any]) -> str:
    field = entry.get("field", "all")
    if field not in FIELDS:
        raise _fail(path, where, f"field {field!r} must be one of {', '.join(FIELDS)}")
    return str(field)


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
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM is fine
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
        rules.append(
            Rule(
                name=entry["name"],
                kind=_enum(path, where, Kind, entry.get("kind"), "kind"),
                disposition=_enum(path, where, Disposition, entry.get("disposition"), "disposition"),
                matcher=_matcher(path, where, entry, "match", council),
                field=_field(path, where, entry),
                unless=_matcher(path, where, {**entry, "matching": "any"}, "unless", council)
                if "unless" in entry else None,
                confident=bool(entry.get("confident", True)),
                formats=tuple(entry.get("formats", ())),
                min_articles=int(entry.get("min_articles", 0)),
                explain=entry.get("explain"),
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
                aliases=tuple(entry.get("aliases", ())),
                matcher=_matcher(path, where, entry, "match", council) if "match" in entry else None,
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
        near_duplicate=int(defaults.get("near_duplicate", 92)),
    )
