"""One loader for the three settings files: council.toml, organisations.toml and rules.toml.

Each file's shape is declared as data (a `Shape`): its sections, each one [table] or a
list of [[tables]]; each key's type, default, allowed values and bounds. `load` reads
the file and checks it against its shape, and every wrong type, unknown key, missing
key or bad value is one `ConfigError` line that names the file, the entry and what was
expected:

    rules.toml: rule 2 (speedwatch): min_articles must be a whole number of 0 or more, not 'two'

What a shape cannot say (a rule needs `match` or `every`; an area's force must be an
organisation) the file's own loader checks, and reports through `Entry.fail` in the
same form. Nothing in a settings file ends a run with a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from council_papers.errors import ConfigError
from council_papers.limits import TooLarge, read_regular, special_kind

# A settings file is a few kB; this bounds a read of something that is not one.
MAX_TOML_BYTES = 16 * 1024 * 1024


class Type(Enum):
    """What a key's value must be."""

    TEXT = "text"
    TEXTS = "a list of texts"  # ["a", "b"]: never one text, which would read as its letters
    PHRASES = "text or a list of phrases"  # a rule's match: "a b" or ["a b", "c"]
    WHOLE = "a whole number"
    NUMBER = "a number"
    BOOL = "true or false"
    DATE = "a date like 2024-09-01"
    CHOICE = "one of"


@dataclass(frozen=True)
class Key:
    """One key of a section: its type, and what else its value must be.

    ``above`` is an exclusive lower bound, ``low``/``high`` inclusive ones; ``choices``
    are the allowed values of a CHOICE or of each item of TEXTS; ``blank`` allows
    empty text; ``forbidden`` is the message for a key that must never be written.
    """

    type: Type = Type.TEXT
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    above: float | None = None
    blank: bool = True
    forbidden: str | None = None

    def expected(self) -> str:
        """What a message says this key must be."""
        if self.type is Type.CHOICE:
            return f"one of: {', '.join(self.choices)}"
        if self.type is Type.TEXTS:
            if self.choices:
                return f'a list of: {", ".join(self.choices)} (like ["{self.choices[0]}"])'
            return 'a list of texts, like ["a", "b"]'
        if self.type is Type.PHRASES:
            return 'text or a list of phrases, like ["have your say", "survey"]'
        if self.type is Type.TEXT and not self.blank:
            return "text (not empty)"
        if self.type in (Type.WHOLE, Type.NUMBER):
            return str(self.type.value) + self._range()
        return str(self.type.value)

    def _range(self) -> str:
        def n(x: float) -> str:
            return str(int(x)) if float(x).is_integer() else str(x)

        if self.above is not None:
            most = f" and at most {n(self.high)}" if self.high is not None else ""
            return f" more than {n(self.above)}{most}"
        if self.low is not None and self.high is not None:
            return f" from {n(self.low)} to {n(self.high)}"
        if self.low is not None:
            return f" of {n(self.low)} or more"
        return ""

    def convert(self, value: Any) -> Any:
        """The value as the program uses it; _Wrong when it is not what this key takes."""
        t = self.type
        if t is Type.TEXT:
            if not isinstance(value, str) or (not self.blank and not value.strip()):
                raise _Wrong
            return value.strip() if not self.blank else value
        if t is Type.TEXTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _Wrong
            for v in value:
                if self.choices and v not in self.choices:
                    raise _Wrong(self._not_a_choice(v))
            return tuple(v.strip() for v in value if v.strip())
        if t is Type.PHRASES:
            if isinstance(value, str) and value.strip():
                return value
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) and v.strip() for v in value)
            ):
                return tuple(v.strip() for v in value)
            raise _Wrong
        if t is Type.BOOL:
            if not isinstance(value, bool):
                raise _Wrong
            return value
        if t is Type.CHOICE:
            if not isinstance(value, str):
                raise _Wrong
            if value not in self.choices:
                raise _Wrong(self._not_a_choice(value))
            return value
        if t is Type.DATE:
            return _date(value)
        return self._number(value)

    def _not_a_choice(self, value: str) -> str:
        return f"{value!r} must be one of: {', '.join(self.choices)}{_near(value, self.choices)}"

    def _number(self, value: Any) -> int | float:
        # bool is an int in Python; a clerk writing `police_item = true` is a mistake
        if isinstance(value, bool) or not isinstance(
            value, int if self.type is Type.WHOLE else (int, float)
        ):
            raise _Wrong
        # nan and inf are valid TOML floats: a bound that is no number bounds nothing
        if isinstance(value, float) and not math.isfinite(value):
            raise _Wrong
        if self.above is not None and not value > self.above:
            raise _Wrong
        if self.low is not None and value < self.low:
            raise _Wrong
        if self.high is not None and value > self.high:
            raise _Wrong
        return value


class _Wrong(Exception):
    """A value is not what its key takes (Key.convert); *why*, when more exact than the type."""

    def __init__(self, why: str | None = None) -> None:
        super().__init__(why)
        self.why = why


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Wrong


@dataclass(frozen=True)
class Section:
    """A [table] (``many`` false) or a list of [[tables]] named ``label N (name)``."""

    keys: Mapping[str, Key]
    many: bool = False
    label: str = ""


@dataclass(frozen=True)
class Shape:
    """A settings file's sections, by name."""

    sections: Mapping[str, Section]


@dataclass(frozen=True)
class Entry:
    """One checked [table] or [[table]] entry: its values (defaults filled) and its name."""

    path: Path
    where: str  # "[council]", "rule 3 (speedwatch)"
    values: Mapping[str, Any]
    given: frozenset[str] = field(default_factory=frozenset)  # the keys the file wrote

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def has(self, key: str) -> bool:
        """True when the file wrote *key* (not only its default)."""
        return key in self.given

    def fail(self, problem: str) -> ConfigError:
        """A one-line error about this entry, to raise."""
        return ConfigError(f"{self.path}: {self.where}: {problem}")


@dataclass(frozen=True)
class Loaded:
    """A settings file, checked: its [tables] and its lists of [[tables]]."""

    path: Path
    tables: Mapping[str, Entry]
    lists: Mapping[str, tuple[Entry, ...]]
    present: frozenset[str]  # the sections the file wrote


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a UTF-8 BOM (Notepad writes one) is accepted. ConfigError if wrong."""
    kind = special_kind(path)
    if kind is not None:  # a FIFO would hang the read, /dev/zero never ends
        raise ConfigError(f"{path}: is {kind}, not a settings file")
    try:
        raw = read_regular(path, MAX_TOML_BYTES)
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: file not found") from err
    except TooLarge as err:
        raise ConfigError(f"{path}: too large for a settings file") from err
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror or err})") from err
    try:
        # utf-8-sig drops the BOM tomllib would call invalid at line 1, column 1
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text ({err.reason})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err


def load(path: str | Path, shape: Shape) -> Loaded:
    """Read the settings file at *path* and check it against *shape*."""
    path = Path(path)
    return check(read_toml(path), shape, path)


def check(data: Mapping[str, Any], shape: Shape, path: Path) -> Loaded:
    """Check parsed TOML *data* against *shape*; the first problem is one ConfigError."""
    for name in data:
        if name not in shape.sections:
            raise ConfigError(
                f"{path}: unknown section {_section_name(name, None)}{_near(name, shape.sections)}"
                f" (expected: {', '.join(_section_name(n, s) for n, s in shape.sections.items())})"
            )
    tables: dict[str, Entry] = {}
    lists: dict[str, tuple[Entry, ...]] = {}
    for name, section in shape.sections.items():
        value = data.get(name)
        if section.many:
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ConfigError(f"{path}: '{name}' must be a list of [[{name}]] tables")
            lists[name] = tuple(
                _entry(path, f"{section.label or name} {i} ({_named(v)})", v, section)
                for i, v in enumerate(value, start=1)
            )
        elif value is None:  # not written: its defaults, and no key is missing
            defaults = {key: spec.default for key, spec in section.keys.items()}
            tables[name] = Entry(path, f"[{name}]", defaults)
        else:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: '{name}' must be a [section], like [{name}]")
            tables[name] = _entry(path, f"[{name}]", value, section)
    return Loaded(path, tables, lists, frozenset(data))


def _entry(path: Path, where: str, values: Mapping[str, Any], section: Section) -> Entry:
    entry = Entry(path, where, {}, frozenset(values))
    for key in values:
        spec = section.keys.get(key)
        if spec is None:
            known = [k for k, s in section.keys.items() if s.forbidden is None]
            raise entry.fail(
                f"unknown key {key!r}{_near(key, known)} (expected one of: {', '.join(known)})"
            )
        if spec.forbidden is not None:
            raise entry.fail(f"{key}: {spec.forbidden}")
    checked: dict[str, Any] = {}
    for key, spec in section.keys.items():
        if key not in values:
            if spec.required:
                raise entry.fail(f"needs {key}")
            checked[key] = spec.default
            continue
        try:
            checked[key] = spec.convert(values[key])
        except _Wrong as wrong:
            problem = wrong.why or f"must be {spec.expected()}, not {_shown(values[key])}"
            raise entry.fail(f"{key} {problem}") from None
    return Entry(path, where, checked, frozenset(values))


def _named(values: Mapping[str, Any]) -> str:
    name = values.get("name")
    return name if isinstance(name, str) and name.strip() else "unnamed"


def _section_name(name: str, section: Section | None) -> str:
    return f"[[{name}]]" if section is not None and section.many else f"[{name}]"


def _near(word: str, known: Any) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _shown(value: Any) -> str:
    """A value as a message quotes it: its repr, on one line, cut short when long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
