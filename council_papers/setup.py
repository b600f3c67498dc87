"""Setting up a council: its council.toml, from the template and the sender registry."""

from __future__ import annotations

import json
import re

from council_papers.errors import ConfigError
from council_papers.senders import find_area

__all__ = ["find_area", "render_council_toml"]


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
