"""Settings: built-in Cambridgeshire defaults merged with the clerk's council.toml.

Relative paths in a council.toml resolve against the folder the file is in, so a
clerk can keep the config, rules and template together and run from anywhere.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from council_papers.errors import ConfigError
from council_papers.read.limits import MAX_LOG_UNPACKED_MB, Limits

PUBLICATION_CHOICES = ("redact", "flag", "keep")


def templates_dir() -> Path:
    """Return the folder holding the shipped templates, rules and example config."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():  # a wheel install carries them inside the package
        return packaged
    return Path(__file__).parent.parent / "templates"  # a source checkout or editable install


@dataclass(frozen=True)
class Organisation:
    """A known sender organisation and the evidence that identifies it."""

    name: str
    domains: tuple[str, ...] = ()
    senders: tuple[str, ...] = ()  # phrases in the From display name
    signatures: tuple[str, ...] = ()  # phrases that show the item came through it
    mentions: tuple[str, ...] = ()  # phrases that point to it when nothing stronger does


@dataclass(frozen=True)
class Theme:
    """A Police and Crime Plan theme: its name as written, and other spellings of it."""

    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Return every heading that stands for this theme."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about the council and its files."""

    council_name: str = "Cambourne Town Council"
    district: str = "District of South Cambridgeshire"
    meeting_title: str = "Council Meeting"
    police_item: int = 5
    log: Path | None = None
    template: Path | None = None
    rules: Path = field(default_factory=lambda: templates_dir() / "rules.toml")
    organisations: Path = field(default_factory=lambda: templates_dir() / "organisations.toml")
    publication: str = "redact"
    max_file_mb: float = 50.0
    max_unpacked_mb: float = 200.0  # a .docx, all its parts unpacked
    max_log_unpacked_mb: float = MAX_LOG_UNPACKED_MB  # the log, all its parts unpacked
    max_nesting: int = 50  # parts inside parts of an email
    lock_wait_s: float = 120.0  # how long a run waits for another run's use of the log

    @property
    def max_file_bytes(self) -> int:
        """The largest input file read, in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def limits(self) -> Limits:
        """The limits a reader works within."""
        return Limits(max_unpacked_bytes=int(self.max_unpacked_mb * 1024 * 1024),
                      max_nesting=self.max_nesting)


# key in council.toml -> (attribute, expected type)
_SCHEMA: dict[str, dict[str, tuple[str, type | tuple[type, ...]]]] = {
    "council": {
        "name": ("council_name", str),
        "district": ("district", str),
        "meeting_title": ("meeting_title", str),
        "police_item": ("police_item", int),
    },
    "files": {
        "log": ("log", str),
        "template": ("template", str),
        "rules": ("rules", str),
        "organisations": ("organisations", str),
    },
    "publication": {"personal_data": ("publication", str)},
    "limits": {
        "max_file_mb": ("max_file_mb", (int, float)),
        "max_unpacked_mb": ("max_unpacked_mb", (int, float)),
        "max_log_unpacked_mb": ("max_log_unpacked_mb", (int, float)),
        "max_nesting": ("max_nesting", int),
        "lock_wait_seconds": ("lock_wait_s", (int, float)),
    },
}
_PATHS = {"log", "template", "rules", "organisations"}


# A settings file is a few kB; this bounds a read of something that is not one.
_MAX_TOML_BYTES = 16 * 1024 * 1024


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a UTF-8 BOM (Notepad writes one) is accepted. ConfigError if wrong."""
    from council_papers.read.limits import TooLarge, read_regular, special_kind

    kind = special_kind(path)
    if kind is not None:  # a FIFO would hang the read, /dev/zero never ends
        raise ConfigError(f"{path}: is {kind}, not a settings file")
    try:
        # utf-8-sig drops the BOM tomllib would call invalid at line 1, column 1
        return tomllib.loads(read_regular(path, _MAX_TOML_BYTES).decode("utf-8-sig"))
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: file not found") from err
    except TooLarge as err:
        raise ConfigError(f"{path}: too large for a settings file") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({err})") from err



def load_config(path: str | Path | None = None) -> Config:
    """Return the built-in defaults, overridden by the council.toml at *path* if given."""
    if path is None:
        return Config()
    path = Path(path)
    data = read_toml(path)
    base = path.resolve().parent
    changes: dict[str, Any] = {}
    for section, values in data.items():
        if section not in _SCHEMA:
            raise ConfigError(
                f"{path}: unknown section [{section}] (expected one of: {', '.join(_SCHEMA)})"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: '{section}' must be a [section]")
        for key, value in values.items():
            if key not in _SCHEMA[section]:
                known = ", ".join(_SCHEMA[section])
                raise ConfigError(f"{path}: unknown key '{key}' in [{section}] (expected: {known})")
            attr, typ = _SCHEMA[section][key]
            # bool is an int in Python; a clerk writing `police_item = true` is a mistake
            if isinstance(value, bool) or not isinstance(value, typ):
                want = "a whole number" if typ is int else "text" if typ is str else "a number"
                raise ConfigError(f"{path}: [{section}] {key} must be {want}, not {value!r}")
            if attr in _PATHS:
                value = (base / str(value)) if value else None
                if value is None and attr in {"rules", "organisations"}:
                    continue
            changes[attr] = value
    config = replace(Config(), **changes)
    _validate(config, path)
    return config


def _validate(config: Config, path: Path) -> None:
    if config.publication not in PUBLICATION_CHOICES:
        raise ConfigError(
            f"{path}: [publication] personal_data must be one of "
            f"{', '.join(PUBLICATION_CHOICES)}, not {config.publication!r}"
        )
    if not 1 <= config.police_item <= 999:
        raise ConfigError(f"{path}: [council] police_item must be between 1 and 999")
    for limit, key in (("max_file_mb", "max_file_mb"), ("max_unpacked_mb", "max_unpacked_mb"),
                       ("max_log_unpacked_mb", "max_log_unpacked_mb"),
                       ("max_nesting", "max_nesting"), ("lock_wait_s", "lock_wait_seconds")):
        value = getattr(config, limit)
        # nan and inf are valid TOML floats: a bound that is no number bounds nothing
        if not math.isfinite(value) or value <= 0:
            raise ConfigError(
                f"{path}: [limits] {key} must be more than 0 (and a finite number), not {value!r}"
            )
    for attr in ("rules", "organisations", "template"):
        value = getattr(config, attr)
        if value is not None and not Path(value).is_file():
            raise ConfigError(f"{path}: [files] {attr} = {str(value)!r}: file not found")


def _strings(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where} must be a list of strings")
    return tuple(value)


def load_organisations(path: str | Path) -> tuple[Organisation, ...]:
    """Read the known organisations, in the order they are tried."""
    path = Path(path)
    data = read_toml(path)
    orgs = []
    for i, entry in enumerate(data.get("organisation", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(f"{path}: organisation {i} needs a name")
        where = f"organisation '{entry['name']}'"
        unknown = set(entry) - {"name", "domains", "senders", "signatures", "mentions"}
        if unknown:
            raise ConfigError(f"{path}: {where}: unknown key(s) {', '.join(sorted(unknown))}")
        orgs.append(
            Organisation(
                name=entry["name"],
                domains=tuple(d.lower() for d in _strings(path, where, entry.get("domains"))),
                senders=_strings(path, where, entry.get("senders")),
                signatures=_strings(path, where, entry.get("signatures")),
                mentions=_strings(path, where, entry.get("mentions")),
            )
        )
    if not orgs:
        raise ConfigError(f"{path}: no [[organisation]] entries")
    return tuple(orgs)
