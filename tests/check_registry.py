"""Check templates/organisations.toml: the registry of police areas and sender organisations.

Run as a script (python tests/check_registry.py [path]) or under pytest.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent.parent / "templates" / "organisations.toml"

ROLES = {
    "force",
    "commissioner",
    "platform",
    "action-fraud",
    "crimestoppers",
    "neighbourhood-watch",
    "national-police",
    "council",
    "fire",
    "nhs",
    "environment-agency",
    "highways",
    "other-public",
}
AREA_KEYS = {"name", "aliases", "covers", "force", "commissioner", "platforms", "source", "checked"}
ORG_KEYS = {
    "name",
    "role",
    "area",
    "names",
    "domains",
    "govdelivery",
    "signatures",
    "source",
    "checked",
}
AREA_ROLES = {"force", "commissioner", "platform"}  # these must name their area
DOMAIN_RE = re.compile(
    r"^(?!www\.)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
# Domains that would match far too much if listed (subdomains match automatically).
TOO_WIDE = {"gov.uk", "police.uk", "pnn.police.uk", "org.uk", "co.uk", "nhs.net.uk", "gov.wales"}


def problems(data: dict) -> list[str]:
    out: list[str] = []
    areas = data.get("area", [])
    orgs = data.get("organisation", [])
    if set(data) - {"area", "organisation"}:
        out.append(f"unknown top-level tables: {sorted(set(data) - {'area', 'organisation'})}")

    by_name: dict[str, dict] = {}
    for o in orgs:
        n = o.get("name")
        if not isinstance(n, str) or not n.strip():
            out.append(f"organisation without a name: {o}")
            continue
        if n in by_name:
            out.append(f"duplicate organisation name: {n}")
        by_name[n] = o
        extra = set(o) - ORG_KEYS
        if extra:
            out.append(f"{n}: unknown keys {sorted(extra)}")
        if o.get("role") not in ROLES:
            out.append(f"{n}: role {o.get('role')!r} is not one of {sorted(ROLES)}")
        if not isinstance(o.get("source"), str) or not o["source"].startswith(
            ("http://", "https://")
        ):
            out.append(f"{n}: missing or non-URL source")
        if "checked" in o and not isinstance(o["checked"], bool):
            out.append(f"{n}: checked must be true or false")
        for key in ("names", "domains", "govdelivery", "signatures"):
            v = o.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                out.append(f"{n}: {key} must be a list of non-empty strings")
            elif len({x.lower() for x in v}) != len(v):
                out.append(f"{n}: {key} has duplicates")
        if not o.get("names"):
            out.append(f"{n}: names is empty")
        for d in o.get("domains", []):
            if not DOMAIN_RE.match(d) or d != d.lower():
                out.append(f"{n}: domain {d!r} must be lowercase, without scheme, path or www.")
            if d in TOO_WIDE:
                out.append(f"{n}: domain {d!r} is too wide (it would match every body under it)")
        if o.get("role") in AREA_ROLES - {"platform"} and not o.get("area"):
            out.append(f"{n}: a {o.get('role')} needs an area")

    area_names: set[str] = set()
    spellings: dict[str, str] = {}
    for a in areas:
        n = a.get("name")
        if not isinstance(n, str) or not n.strip():
            out.append(f"area without a name: {a}")
            continue
        if n in area_names:
            out.append(f"duplicate area: {n}")
        area_names.add(n)
        extra = set(a) - AREA_KEYS
        if extra:
            out.append(f"area {n}: unknown keys {sorted(extra)}")
        for s in [n, *a.get("aliases", [])]:
            k = s.lower()
            if k in spellings and spellings[k] != n:
                out.append(f"area spelling {s!r} used by both {spellings[k]} and {n}")
            spellings[k] = n
        if not a.get("covers"):
            out.append(f"area {n}: covers is empty")
        if not isinstance(a.get("source"), str) or not a["source"].startswith(
            ("http://", "https://")
        ):
            out.append(f"area {n}: missing or non-URL source")
        for key, role in (("force", "force"), ("commissioner", "commissioner")):
            ref = a.get(key)
            o = by_name.get(ref)
            if o is None:
                out.append(f"area {n}: {key} {ref!r} is not an organisation")
            elif o.get("role") != role:
                out.append(f"area {n}: {key} {ref!r} has role {o.get('role')!r}, not {role!r}")
            elif o.get("area") != n:
                out.append(f"area {n}: {key} {ref!r} names area {o.get('area')!r}")
        for ref in a.get("platforms", []):
            o = by_name.get(ref)
            if o is None:
                out.append(f"area {n}: platform {ref!r} is not an organisation")
            elif o.get("role") != "platform":
                out.append(f"area {n}: platform {ref!r} has role {o.get('role')!r}")
            elif o.get("area") not in (None, n):
                out.append(f"area {n}: platform {ref!r} belongs to area {o.get('area')!r}")

    for o in orgs:
        if o.get("area") and o["area"] not in area_names:
            out.append(f"{o.get('name')}: area {o['area']!r} is not an [[area]]")

    forces = [o for o in orgs if o.get("role") == "force"]
    if len(areas) != 43:
        out.append(f"expected 43 territorial police areas, found {len(areas)}")
    if len(forces) != 43:
        out.append(f"expected 43 territorial forces, found {len(forces)}")

    said: dict[str, str] = {}
    for o in orgs:
        for phrase in {
            x.lower() for x in [o.get("name", ""), *o.get("names", [])] if isinstance(x, str)
        }:
            if phrase in said and said[phrase] != o.get("name"):
                out.append(f"name {phrase!r} is listed by both {said[phrase]} and {o.get('name')}")
            said.setdefault(phrase, o.get("name"))

    owner: dict[str, str] = {}
    for o in orgs:
        for d in o.get("domains", []):
            if d in owner:
                out.append(f"domain {d} listed by both {owner[d]} and {o['name']}")
            owner[d] = o["name"]
    return out


def overlaps(data: dict) -> list[str]:
    """Domains that are subdomains of another organisation's domain (allowed; longest match wins)."""
    owner = {d: o["name"] for o in data.get("organisation", []) for d in o.get("domains", [])}
    found = []
    for d, n in owner.items():
        parts = d.split(".")
        for i in range(1, len(parts) - 1):
            parent = ".".join(parts[i:])
            if parent in owner and owner[parent] != n:
                found.append(f"{d} ({n}) is under {parent} ({owner[parent]})")
    return found


def load(path: Path = REGISTRY) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def test_registry_is_valid():
    assert problems(load()) == []


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else REGISTRY
    data = load(path)
    errs = problems(data)
    for e in errs:
        print("ERROR", e)
    for w in overlaps(data):
        print("note ", w)
    orgs = data.get("organisation", [])
    roles: dict[str, int] = {}
    for o in orgs:
        roles[o["role"]] = roles.get(o["role"], 0) + 1
    unchecked = sum(1 for o in orgs if o.get("checked") is False)
    print(
        f"{len(data.get('area', []))} areas, {len(orgs)} organisations {roles}; checked = false: {unchecked}"
    )
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
