"""Settings: built-in defaults (naming no council) merged with the clerk's council.toml.

Relative paths in a council.toml resolve against the folder the file is in, so a
clerk can keep the config, rules and template together and run from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from council_papers import schema
from council_papers.errors import ConfigError
from council_papers.limits import MAX_LOG_UNPACKED_MB, Limits
from council_papers.models import Publication
from council_papers.schema import Entry, Key, Section, Shape, Type

if TYPE_CHECKING:
    from council_papers.read.mailbox import ImapMailbox


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


# The shape of council.toml: [section] -> key -> (Config attribute, what the key takes).
_NUMBER_ABOVE_0 = Key(Type.NUMBER, above=0)
_FIELDS: dict[str, dict[str, tuple[str, Key]]] = {
    "council": {
        "name": ("council_name", Key()),
        "district": ("district", Key()),
        "meeting_title": ("meeting_title", Key()),
        "police_item": ("police_item", Key(Type.WHOLE, low=1, high=999)),
        "police_area": ("police_area", Key()),
    },
    "files": {
        "log": ("log", Key()),
        "template": ("template", Key()),
        "rules": ("rules", Key()),
        "organisations": ("organisations", Key()),
    },
    "publication": {
        "personal_data": (
            "publication",
            Key(Type.CHOICE, choices=tuple(m.value for m in Publication)),
        )
    },
    "limits": {
        "max_file_mb": ("max_file_mb", _NUMBER_ABOVE_0),
        "max_unpacked_mb": ("max_unpacked_mb", _NUMBER_ABOVE_0),
        "max_log_unpacked_mb": ("max_log_unpacked_mb", _NUMBER_ABOVE_0),
        "max_nesting": ("max_nesting", Key(Type.WHOLE, low=1)),
        "lock_wait_seconds": ("lock_wait_s", _NUMBER_ABOVE_0),
    },
}
_PATHS = {"log", "template", "rules", "organisations"}


@cache
def shape() -> Shape:
    """The shape of council.toml, [mailbox] included (its choices live with the mailbox)."""
    from council_papers.read.mailbox import PASSWORD_VARIABLE, SECURITY_CHOICES

    mailbox = {
        "host": Key(required=True, blank=False),
        "user": Key(required=True, blank=False),
        "folder": Key(default="INBOX", blank=False),
        "port": Key(Type.WHOLE, low=1, high=65535),
        "security": Key(Type.CHOICE, default="tls", choices=SECURITY_CHOICES),
        "since": Key(Type.DATE),
        "gmail_label": Key(),
        "timeout": Key(Type.NUMBER, default=30, above=0, high=600),
        "password": Key(
            forbidden=f"the password never goes in council.toml; set {PASSWORD_VARIABLE} "
            "or type it when asked"
        ),
    }
    sections = {
        name: Section({key: spec for key, (_, spec) in keys.items()})
        for name, keys in _FIELDS.items()
    }
    return Shape({**sections, "mailbox": Section(mailbox)})


def load_config(path: str | Path | None = None) -> Config:
    """Return the built-in defaults, overridden by the council.toml at *path* if given."""
    if path is None:
        return Config()
    path = Path(path)
    loaded = schema.load(path, shape())
    base = path.resolve().parent
    changes: dict[str, Any] = {}
    for section, keys in _FIELDS.items():
        entry = loaded.tables[section]
        for key, (attr, _) in keys.items():
            if not entry.has(key):
                continue
            value = entry[key]
            if attr in _PATHS:
                value = (base / str(value)) if value else None
                if value is None and attr in {"rules", "organisations"}:
                    continue  # an empty setting keeps the shipped file
            changes[attr] = value
    if "mailbox" in loaded.present:
        changes["mailbox"] = _mailbox(loaded.tables["mailbox"])
    if "publication" in changes:
        changes["publication"] = Publication(changes["publication"])
    config = replace(Config(), **changes)
    _validate(config, path)
    return config


def _mailbox(entry: Entry) -> ImapMailbox:
    """The [mailbox] section: the clerk's IMAP folder (never its password)."""
    from council_papers.read.mailbox import ImapMailbox

    return ImapMailbox(
        host=entry["host"],
        user=entry["user"],
        folder=entry["folder"],
        port=entry["port"],
        security=entry["security"],
        since=entry["since"],
        gmail_label=entry["gmail_label"] or None,
        timeout=float(entry["timeout"]),
    )


def _validate(config: Config, path: Path) -> None:
    """What the shape cannot say: the files named must exist."""
    for attr in ("rules", "organisations", "template"):
        value = getattr(config, attr)
        if value is not None and not Path(value).is_file():
            raise ConfigError(f"{path}: [files]: {attr} = {str(value)!r}: file not found")
