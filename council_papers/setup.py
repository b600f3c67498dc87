"""Setting up a council: its council.toml, from the template and the sender registry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from council_papers.config import templates_dir
from council_papers.errors import ConfigError
from council_papers.senders import Area, Registry, find_area, load_registry

__all__ = [
    "Written",
    "council_toml",
    "render_council_toml",
    "shipped_registry",
    "write_council_toml",
]


@dataclass(frozen=True)
class Written:
    """What `init` wrote: the council.toml, and the police area it names."""

    path: Path
    area: Area


def shipped_registry() -> Registry:
    """The sender registry council-papers ships: every police area a council can name."""
    return load_registry(templates_dir() / "organisations.toml")


def council_toml(folder: Path) -> Path:
    """Where `init` writes in *folder*; ConfigError when a council.toml is there already.

    A clerk's council.toml is never overwritten: the check comes before any question
    is asked, and again just before writing.
    """
    target = folder / "council.toml"
    if target.exists():
        raise ConfigError(f"{target}: already exists; not overwritten")
    return target


def write_council_toml(
    folder: Path,
    registry: Registry,
    *,
    name: str,
    district: str,
    police_area: str,
    police_item: int,
) -> Written:
    """Write *folder*/council.toml for this council, from the shipped template.

    *police_area* is a name, another name or a county the area covers, found in
    *registry*. An unknown area, an empty name or a council.toml already there is a
    ConfigError, and nothing is written.
    """
    target = council_toml(folder)
    area = find_area(registry, police_area)
    text = render_council_toml(
        (templates_dir() / "council.toml").read_text(encoding="utf-8"),
        name=name,
        district=district,
        police_area=area.name,
        police_item=police_item,
    )
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return Written(target, area)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def render_council_toml(
    template: str, *, name: str, district: str, police_area: str, police_item: int
) -> str:
    """The template's text with this council's own [council] values in place."""
    if not name.strip():
        raise ConfigError("the council's name must not be empty")
    values = {
        "name": _toml_string(name.strip()),
        "district": _toml_string(district.strip()),
        "police_area": _toml_string(police_area),
        "police_item": str(police_item),
    }
    out = []
    section = None
    for line in template.split("\n"):
        header = re.match(r"^\[(\w+)\]", line)
        if header:
            section = header.group(1)
        key = re.match(r"^(\w+)\s*=", line)
        if section == "council" and key and key.group(1) in values:
            comment = line[line.index("#") :] if "#" in line.split("=", 1)[1] else ""
            line = f"{key.group(1)} = {values[key.group(1)]}"
            line = f"{line:<40} {comment}".rstrip() if comment else line
        out.append(line)
    return "\n".join(out)
