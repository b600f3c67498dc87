"""The sender registry: every police area's force, PCC-role holder and platforms, the
national bodies and the senders that are not police, as data a clerk can extend.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from council_papers.errors import ConfigError


class Role(StrEnum):
    """What kind of body an organisation is, as far as Police Matters is concerned."""

    FORCE = "force"
    COMMISSIONER = "commissioner"
    PLATFORM = "platform"
    ACTION_FRAUD = "action-fraud"
    CRIMESTOPPERS = "crimestoppers"
    NEIGHBOURHOOD_WATCH = "neighbourhood-watch"
    NATIONAL_POLICE = "national-police"
    COUNCIL = "council"
    FIRE = "fire"
    NHS = "nhs"
    ENVIRONMENT_AGENCY = "environment-agency"
    HIGHWAYS = "highways"
    OTHER_PUBLIC = "other-public"
    PRESS = "press"
    UNKNOWN = "unknown"


# Bodies whose correspondence belongs under Police Matters (POLICY.md, "Excluded").
POLICE_ROLES = frozenset(
    {
        Role.FORCE,
        Role.COMMISSIONER,
        Role.PLATFORM,
        Role.ACTION_FRAUD,
        Role.CRIMESTOPPERS,
        Role.NEIGHBOURHOOD_WATCH,
        Role.NATIONAL_POLICE,
    }
)
# Public bodies that write about roads, planning, fire, health, floods: not police.
NOT_POLICE_ROLES = frozenset(
    {
        Role.COUNCIL,
        Role.FIRE,
        Role.NHS,
        Role.ENVIRONMENT_AGENCY,
        Role.HIGHWAYS,
        Role.OTHER_PUBLIC,
    }
)


@dataclass(frozen=True)
class Organisation:
    """A known sender and what identifies it."""

    name: str
    role: Role
    area: str | None = None
    names: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    govdelivery: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()

    @property
    def police(self) -> bool:
        """True for the bodies whose correspondence is police correspondence."""
        return self.role in POLICE_ROLES

    def all_names(self) -> tuple[str, ...]:
        """The organisation's name and the other names it goes by."""
        return (self.name, *self.names)


@dataclass(frozen=True)
class Area:
    """A police area: its force, whoever holds the PCC role, its messaging platforms."""

    name: str
    aliases: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    force: str | None = None
    commissioner: str | None = None
    platforms: tuple[str, ...] = ()


def _names_re(phrases: list[tuple[str, int]]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alts = sorted({re.escape(p) for p, _ in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


@dataclass(frozen=True)
class Registry:
    """Every known organisation and police area, with lookups built once."""

    organisations: tuple[Organisation, ...]
    areas: tuple[Area, ...] = ()
    path: Path | None = None

    def by_name(self, name: str | None) -> Organisation | None:
        """The organisation called *name* (its registry name), or None."""
        if not name:
            return None
        return self._by_name.get(name.casefold())

    @cached_property
    def _by_name(self) -> dict[str, Organisation]:
        return {o.name.casefold(): o for o in self.organisations}

    @cached_property
    def _domains(self) -> list[tuple[str, Organisation]]:
        pairs = [(d, o) for o in self.organisations for d in o.domains]
        return sorted(pairs, key=lambda p: len(p[0]), reverse=True)  # the most specific first

    def by_domain(self, host: str) -> Organisation | None:
        """The organisation whose domain *host* is, or is under."""
        host = host.lower().strip(".")
        for domain, org in self._domains:
            if host == domain or host.endswith("." + domain):
                return org
        return None

    @cached_property
    def _name_pattern(self) -> tuple[re.Pattern[str] | None, dict[str, Organisation]]:
        lookup: dict[str, Organisation] = {}
        phrases: list[tuple[str, int]] = []
        for org in self.organisations:
            for n in (*org.all_names(), *org.govdelivery):
                key = n.casefold()
                # an ambiguous name (two bodies) names neither
                if key in lookup and lookup[key] is not org:
                    lookup[key] = _AMBIGUOUS
                else:
                    lookup[key] = org
                    phrases.append((n, 0))
        return _names_re(phrases), lookup

    def named_in(self, text: str) -> list[tuple[int, Organisation, str]]:
        """Every organisation named in *text*: (position, organisation, the words)."""
        pattern, lookup = self._name_pattern
        if pattern is None or not text:
            return []
        found = []
        for m in pattern.finditer(text):
            org = lookup.get(m.group(0).casefold())
            if org is not None and org is not _AMBIGUOUS:
                found.append((m.start(), org, m.group(0)))
        return found

    def area(self, name: str | None) -> Area | None:
        """The police area called *name* (or one of its aliases), or None."""
        if not name:
            return None
        key = name.casefold()
        for area in self.areas:
            if key in (a.casefold() for a in (area.name, *area.aliases)):
                return area
        return None

    def area_of(self, org: Organisation | None) -> Area | None:
        """The police area *org* serves, if any."""
        return self.area(org.area) if org else None


_AMBIGUOUS = Organisation("(ambiguous)", Role.UNKNOWN)

# -- loading -----------------------------------------------------------------------------

_ORG_KEYS = {
    "name",
    "role",
    "area",
    "names",
    "domains",
    "govdelivery",
    "signatures",
    "source",
    "checked",
    "senders",
    "mentions",
}  # senders/mentions: the first file's names
_AREA_KEYS = {
    "name",
    "aliases",
    "covers",
    "force",
    "commissioner",
    "platforms",
    "source",
    "checked",
}


def _strings(path: Path, where: str, entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{path}: {where}: \'{key}\' must be a list of texts, like ["a", "b"]')
    return tuple(v.strip() for v in value if v.strip())


def _text(
    path: Path, where: str, entry: dict[str, Any], key: str, *, required: bool = False
) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {where}: '{key}' must be text")
    return value.strip()


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: file not found") from err
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror or err})") from err
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # Notepad writes a BOM
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text ({err.reason})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err


def load_registry(path: str | Path) -> Registry:
    """Read the organisations file; one ConfigError names the file, the entry and the problem."""
    path = Path(path)
    data = _read(path)
    unknown = set(data) - {"organisation", "area"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown section(s) {', '.join(sorted(unknown))} "
            "(expected [[organisation]] and [[area]])"
        )
    orgs: list[Organisation] = []
    for i, entry in enumerate(data.get("organisation", []), start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: organisation {i} must be an [[organisation]] table")
        where = f"organisation {i} ({entry.get('name', 'unnamed')})"
        name = _text(path, where, entry, "name", required=True)
        assert name is not None
        extra = set(entry) - _ORG_KEYS
        if extra:
            raise ConfigError(f"{path}: {where}: unknown key(s) {', '.join(sorted(extra))}")
        role_text = entry.get("role", "other-public")
        try:
            role = Role(role_text)
        except ValueError:
            allowed = ", ".join(r.value for r in Role if r is not Role.UNKNOWN)
            raise ConfigError(
                f"{path}: {where}: role {role_text!r} must be one of {allowed}"
            ) from None
        names = (
            *_strings(path, where, entry, "names"),
            *_strings(path, where, entry, "senders"),
            *_strings(path, where, entry, "mentions"),
        )
        orgs.append(
            Organisation(
                name=name,
                role=role,
                area=_text(path, where, entry, "area"),
                names=tuple(dict.fromkeys(n for n in names if n.casefold() != name.casefold())),
                domains=tuple(
                    d.lower().removeprefix("www.") for d in _strings(path, where, entry, "domains")
                ),
                govdelivery=_strings(path, where, entry, "govdelivery"),
                signatures=_strings(path, where, entry, "signatures"),
            )
        )
    if not orgs:
        raise ConfigError(f"{path}: no [[organisation]] entries")
    known = {o.name.casefold() for o in orgs}
    areas: list[Area] = []
    for i, entry in enumerate(data.get("area", []), start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: area {i} must be an [[area]] table")
        where = f"area {i} ({entry.get('name', 'unnamed')})"
        extra = set(entry) - _AREA_KEYS
        if extra:
            raise ConfigError(f"{path}: {where}: unknown key(s) {', '.join(sorted(extra))}")
        area = Area(
            name=_text(path, where, entry, "name", required=True) or "",
            aliases=_strings(path, where, entry, "aliases"),
            covers=_strings(path, where, entry, "covers"),
            force=_text(path, where, entry, "force"),
            commissioner=_text(path, where, entry, "commissioner"),
            platforms=_strings(path, where, entry, "platforms"),
        )
        for ref in (area.force, area.commissioner, *area.platforms):
            if ref and ref.casefold() not in known:
                raise ConfigError(f"{path}: {where}: names '{ref}', which is not an organisation")
        areas.append(area)
    return Registry(tuple(orgs), tuple(areas), path)


def find_area(registry: Registry, given: str) -> Area:
    """The police area a clerk named: by its name, another name, or a county it covers."""
    wanted = " ".join(given.split()).casefold()
    for area in registry.areas:
        if wanted in (n.casefold() for n in (area.name, *area.aliases)):
            return area
    covering = [a for a in registry.areas if wanted in (c.casefold() for c in a.covers)]
    if len(covering) == 1:
        return covering[0]
    names = [a.name for a in registry.areas]
    close = difflib.get_close_matches(given, names, n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(repr(c) for c in close)}?"
        if close
        else " (council-papers init --list-areas lists them)"
    )
    raise ConfigError(
        f"police area {given!r} is not one of the {len(names)} areas of England and Wales{hint}"
    )
