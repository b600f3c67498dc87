"""Every wrong type, unknown key or bad value in council.toml, organisations.toml or
rules.toml is one line naming the file and the entry: never a traceback (issue 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council_papers.classify.rules import _RULE_KEYS, load_rules
from council_papers.config import load_config, templates_dir
from council_papers.errors import ConfigError
from council_papers.senders import load_registry

# TOML values of every type a clerk could mistype a setting as
VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 10**6),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.text(max_size=5), max_size=3),
    st.lists(st.integers(), max_size=3),
    st.just({"x": 1}),
)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else (
                "inf"
                if value == float("inf")
                else "-inf"
                if value == float("-inf")
                else repr(value)
            )
        )
    if isinstance(value, str):
        return (
            '"'
            + value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .encode("unicode_escape")
            .decode("ascii")
            .replace("\\\\", "\\")
            + '"'
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _one_line(err: ConfigError, path: Path) -> None:
    assert "\n" not in str(err) and str(err).startswith(str(path)), str(err)


COUNCIL_KEYS = (
    [("council", k) for k in ("name", "district", "meeting_title", "police_item", "police_area")]
    + [
        ("limits", k)
        for k in ("max_file_mb", "max_unpacked_mb", "max_log_unpacked_mb", "max_nesting")
    ]
    + [("publication", "personal_data")]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(COUNCIL_KEYS), VALUES)
def test_council_toml_wrong_values_are_one_line(tmp_path, key, value):
    path = tmp_path / "council.toml"
    path.write_text(f"[{key[0]}]\n{key[1]} = {_toml(value)}\n", encoding="utf-8")
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return  # not TOML at all: its own one-line error, tested elsewhere
    try:
        load_config(path)
    except ConfigError as err:
        _one_line(err, path)


# every key a rule may have (from the loader itself, so a new key is tested too), and one
# it may not
RULE_KEYS = (*sorted(_RULE_KEYS - {"name"}), "surprise")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(RULE_KEYS), VALUES)
def test_rules_toml_wrong_values_are_one_line(tmp_path, key, value):
    base = {"name": '"mine"', "kind": '"survey"', "disposition": '"agenda"', "match": '["x"]'}
    base[key] = _toml(value)
    path = tmp_path / "rules.toml"
    path.write_text(
        "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items()), encoding="utf-8"
    )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return
    try:
        load_rules(path)
    except ConfigError as err:
        _one_line(err, path)


ORG_KEYS = (
    "name",
    "role",
    "area",
    "names",
    "domains",
    "govdelivery",
    "signatures",
    "source",
    "surprise",
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(ORG_KEYS), VALUES)
def test_organisations_toml_wrong_values_are_one_line(tmp_path, key, value):
    base = {"name": '"X Police"', "role": '"force"'}
    base[key] = _toml(value)
    path = tmp_path / "organisations.toml"
    path.write_text(
        "[[organisation]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items()), encoding="utf-8"
    )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return
    try:
        load_registry(path)
    except ConfigError as err:
        _one_line(err, path)


@pytest.mark.parametrize("name", ["council.toml", "rules.toml", "organisations.toml"])
def test_the_shipped_files_load(name):
    path = templates_dir() / name
    if name == "council.toml":
        text = path.read_text(encoding="utf-8").replace('"Your police area"', '"Thames Valley"')
        assert "police_area" in text
    elif name == "rules.toml":
        assert load_rules(path).themes
    else:
        registry = load_registry(path)
        assert len(registry.areas) == 43 and registry.area("Thames Valley") is not None
