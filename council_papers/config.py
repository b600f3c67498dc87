"""Settings: built-in defaults (naming no council) merged with the clerk's council.toml.

Relative paths in a council.toml resolve against the folder the file is in, so a
clerk can keep the config, rules and template together and run from anywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from council_papers.errors import ConfigError
from council_papers.limits import MAX_LOG_UNPACKED_MB, Limits
from council_papers.models import Publication

if TYPE_CHECKING:
    from council_papers.read.mailbox import ImapMailbox

PUBLICATION_CHOICES = tuple(mode.value for mode in Publication)


def templates_dir() -> Path:
    """Return the folder holding the shipped templates, rules and example config."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():  # a wheel install carries them inside the package
        return packaged
    return Path(__file__).parent.parent / "templates"  # a source checkout or editable install


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

    # no council is built in: `council-papers init` writes the clerk's own
    council_name: str = ""
    district: str = ""
    meeting_title: str = "Council Meeting"
    police_item: int = 5
    police_area: str | None = None  # the council's own police area, as organisations.toml names it
    log: Path | None = None
    template: Path | None = None
    rules: Path = field(default_factory=lambda: templates_dir() / "rules.toml")
    organisations: Path = field(default_factory=lambda: templates_dir() / "organisations.toml")
    publication: Publication = Publication.REDACT
    max_file_mb: float = 50.0
    max_unpacked_mb: float = 200.0  # a .docx, all its parts unpacked
    max_log_unpacked_mb: float = MAX_LOG_UNPACKED_MB  # the log, all its parts unpacked
    max_nesting: int = 50  # parts inside parts of an email
    mailbox: ImapMailbox | None = None  # [mailbox]: the IMAP folder read when no input is given
    lock_wait_s: float = 120.0  # how long a run waits for another run's use of the log

    @property
    def max_file_bytes(self) -> int:
        """The largest input file read, in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def limits(self) -> Limits:
        """The limits a reader works within."""
        return Limits(
            max_unpacked_bytes=int(self.max_unpacked_mb * 1024 * 1024), max_nesting=self.max_nesting
        )


# key in council.toml -> (attribute, expected type)
_SCHEMA: dict[str, dict[str, tuple[str, type | tuple[type, ...]]]] = {
    "council": {
        "name": ("council_name", str),
        "district": ("district", str),
        "meeting_title": ("meeting_title", str),
        "police_item": ("police_item", int),
        "police_area": ("police_area", str),
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
    "mailbox": {},  # read by _mailbox
}
# [mailbox] key -> (expected type, what to call it in a message)
_MAILBOX: dict[str, tuple[type | tuple[type, ...], str]] = {
    "host": (str, "text"),
    "user": (str, "text"),
    "folder": (str, "text"),
    "port": (int, "a whole number"),
    "security": (str, "text"),
    "since": ((dt.date, str), "a date like 2024-09-01"),
    "gmail_label": (str, "text"),
    "timeout": ((int, float), "a number of seconds"),
}
_PATHS = {"log", "template", "rules", "organisations"}


# A settings file is a few kB; this bounds a read of something that is not one.
_MAX_TOML_BYTES = 16 * 1024 * 1024


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a UTF-8 BOM (Notepad writes one) is accepted. ConfigError if wrong."""
    from council_papers.limits import TooLarge, read_regular, special_kind

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
        if section == "mailbox":
            changes["mailbox"] = _mailbox(path, values)
            continue
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
    return replace(config, publication=Publication(config.publication))  # checked: a mode


def _mailbox(path: Path, values: dict[str, Any]) -> ImapMailbox:
    """Read the [mailbox] section: the clerk's IMAP folder (never its password)."""
    from council_papers.read.mailbox import PASSWORD_VARIABLE, SECURITY_CHOICES, ImapMailbox

    if "password" in values:
        raise ConfigError(
            f"{path}: [mailbox] password: the password never goes in council.toml; "
            f"set {PASSWORD_VARIABLE} or type it when asked"
        )
    for key, value in values.items():
        if key not in _MAILBOX:
            raise ConfigError(
                f"{path}: unknown key '{key}' in [mailbox] (expected: {', '.join(_MAILBOX)})"
            )
        typ, want = _MAILBOX[key]
        if isinstance(value, bool) or not isinstance(value, typ) or isinstance(value, dt.datetime):
            raise ConfigError(f"{path}: [mailbox] {key} must be {want}, not {value!r}")
    for key in ("host", "user"):
        if not values.get(key):
            raise ConfigError(f"{path}: [mailbox] needs {key}")
    security = values.get("security", "tls")
    if security not in SECURITY_CHOICES:
        raise ConfigError(
            f"{path}: [mailbox] security must be one of {', '.join(SECURITY_CHOICES)}, "
            f"not {security!r}"
        )
    since = values.get("since")
    if isinstance(since, str):
        try:
            since = dt.date.fromisoformat(since)
        except ValueError:
            raise ConfigError(f"{path}: [mailbox] since must be a date like 2024-09-01") from None
    port, timeout = values.get("port"), values.get("timeout", 30)
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{path}: [mailbox] port must be from 1 to 65535")
    if not 0 < timeout <= 600:
        raise ConfigError(f"{path}: [mailbox] timeout must be from 1 to 600 seconds")
    return ImapMailbox(
        host=values["host"],
        user=values["user"],
        folder=values.get("folder") or "INBOX",
        port=port,
        security=security,
        since=since,
        gmail_label=values.get("gmail_label") or None,
        timeout=float(timeout),
    )


def _validate(config: Config, path: Path) -> None:
    if config.publication not in PUBLICATION_CHOICES:
        raise ConfigError(
            f"{path}: [publication] personal_data must be one of "
            f"{', '.join(PUBLICATION_CHOICES)}, not {config.publication!r}"
        )
    if not 1 <= config.police_item <= 999:
        raise ConfigError(f"{path}: [council] police_item must be between 1 and 999")
    for limit, key in (
        ("max_file_mb", "max_file_mb"),
        ("max_unpacked_mb", "max_unpacked_mb"),
        ("max_log_unpacked_mb", "max_log_unpacked_mb"),
        ("max_nesting", "max_nesting"),
        ("lock_wait_s", "lock_wait_seconds"),
    ):
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
