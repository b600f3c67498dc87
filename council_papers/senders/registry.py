"""The sender registry: every police area's force, PCC-role holder and platforms, the
national bodies and the senders that are not police, as data a clerk can extend.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from council_papers import schema
from council_papers.errors import ConfigError
from council_papers.schema import Entry, Key, Section, Shape, Type


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

_TEXTS = Key(Type.TEXTS, default=())
ORGANISATION_KEYS = {
    "name": Key(required=True, blank=False),
    "role": Key(
        Type.CHOICE,
        default=Role.OTHER_PUBLIC.value,
        choices=tuple(r.value for r in Role if r is not Role.UNKNOWN),
    ),
    "area": Key(blank=False),
    "names": _TEXTS,
    "domains": _TEXTS,
    "govdelivery": _TEXTS,
    "signatures": _TEXTS,
    "source": Key(),  # where the facts come from: for the people who keep the file
    "checked": Key(Type.BOOL, default=True),
    # the first file's names for `names`
    "senders": _TEXTS,
    "mentions": _TEXTS,
}
AREA_KEYS = {
    "name": Key(required=True, blank=False),
    "aliases": _TEXTS,
    "covers": _TEXTS,
    "force": Key(blank=False),
    "commissioner": Key(blank=False),
    "platforms": _TEXTS,
    "source": Key(),
    "checked": Key(Type.BOOL, default=True),
}
SHAPE = Shape(
    {
        "organisation": Section(ORGANISATION_KEYS, many=True, label="organisation"),
        "area": Section(AREA_KEYS, many=True, label="area"),
    }
)


def _organisation(entry: Entry) -> Organisation:
    name: str = entry["name"]
    names = (*entry["names"], *entry["senders"], *entry["mentions"])
    return Organisation(
        name=name,
        role=Role(entry["role"]),
        area=entry["area"],
        names=tuple(dict.fromkeys(n for n in names if n.casefold() != name.casefold())),
        domains=tuple(d.lower().removeprefix("www.") for d in entry["domains"]),
        govdelivery=entry["govdelivery"],
        signatures=entry["signatures"],
    )


def _area(entry: Entry, known: set[str]) -> Area:
    area = Area(
        name=entry["name"],
        aliases=entry["aliases"],
        covers=entry["covers"],
        force=entry["force"],
        commissioner=entry["commissioner"],
        platforms=entry["platforms"],
    )
    for ref in (area.force, area.commissioner, *area.platforms):
        if ref and ref.casefold() not in known:
            raise entry.fail(f"names '{ref}', which is not an organisation")
    return area


def load_registry(path: str | Path) -> Registry:
    """Read the organisations file; one ConfigError names the file, the entry and the problem."""
    path = Path(path)
    loaded = schema.load(path, SHAPE)
    orgs = [_organisation(entry) for entry in loaded.lists["organisation"]]
    if not orgs:
        raise ConfigError(f"{path}: no [[organisation]] entries")
    known = {o.name.casefold() for o in orgs}
    areas = [_area(entry, known) for entry in loaded.lists["area"]]
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
