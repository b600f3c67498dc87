"""Every wrong type, unknown key or bad value in council.toml, organisations.toml or
rules.toml is one line naming the file and the entry: never a traceback (issue 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council_papers.classify.rules import RULE_KEYS as LOADER_RULE_KEYS
from council_papers.classify.rules import SHAPE as RULES_SHAPE
from council_papers.classify.rules import THEME_KEYS, load_rules
from council_papers.config import load_config, templates_dir
from council_papers.config import shape as council_shape
from council_papers.errors import ConfigError
from council_papers.senders import load_registry
from council_papers.senders.registry import AREA_KEYS, ORGANISATION_KEYS

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


# every key of every section, from the loader's own shape (a new key is tested too)
COUNCIL_KEYS = [
    (section, key)
    for section, spec in council_shape().sections.items()
    for key in (*spec.keys, "surprise")
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(COUNCIL_KEYS), VALUES)
def test_council_toml_wrong_values_are_one_line(tmp_path, key, value):
    path = tmp_path / "council.toml"
    # [mailbox] needs a host and user before its other keys are looked at
    needed = (
        'host = "h"\nuser = "u"\n' if key[0] == "mailbox" and key[1] not in ("host", "user") else ""
    )
    path.write_text(f"[{key[0]}]\n{needed}{key[1]} = {_toml(value)}\n", encoding="utf-8")
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
RULE_KEYS = (*sorted(set(LOADER_RULE_KEYS) - {"name"}), "surprise")


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


ORG_KEYS = (*ORGANISATION_KEYS, "surprise")


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


THEME_AND_DEFAULT_KEYS = [("theme", k) for k in (*THEME_KEYS, "surprise")] + [
    ("defaults", k) for k in (*RULES_SHAPE.sections["defaults"].keys, "surprise")
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(THEME_AND_DEFAULT_KEYS), VALUES)
def test_rules_toml_themes_and_defaults_wrong_values_are_one_line(tmp_path, key, value):
    section, name = key
    entry = {"name": '"T"', "match": '["x"]'} if section == "theme" else {}
    entry[name] = _toml(value)
    header = "[[theme]]" if section == "theme" else "[defaults]"
    path = tmp_path / "rules.toml"
    path.write_text(
        header + "\n" + "".join(f"{k} = {v}\n" for k, v in entry.items()), encoding="utf-8"
    )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return
    try:
        load_rules(path)
    except ConfigError as err:
        _one_line(err, path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from((*AREA_KEYS, "surprise")), VALUES)
def test_organisations_toml_area_wrong_values_are_one_line(tmp_path, key, value):
    area = {"name": '"X"', "force": '"X Police"'}
    area[key] = _toml(value)
    path = tmp_path / "organisations.toml"
    path.write_text(
        '[[organisation]]\nname = "X Police"\nrole = "force"\n\n[[area]]\n'
        + "".join(f"{k} = {v}\n" for k, v in area.items()),
        encoding="utf-8",
    )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return
    try:
        load_registry(path)
    except ConfigError as err:
        _one_line(err, path)


# A typo in each file: one line naming the file, the entry and the key meant.
TYPOS = [
    pytest.param(
        "council.toml",
        '[council]\nname = "X"\npolice_aera = "Kent"\n',
        load_config,
        "[council]: unknown key 'police_aera' (did you mean 'police_area'?)",
        id="council-key",
    ),
    pytest.param(
        "council.toml",
        "[limit]\nmax_file_mb = 5\n",
        load_config,
        "unknown section [limit] (did you mean 'limits'?)",
        id="council-section",
    ),
    pytest.param(
        "rules.toml",
        '[[rule]]\nname = "courts"\nkind = "court-news"\ndisposition = "agenda"\nmatch = ["court"]\n'
        'feild = "subject"\n',
        load_rules,
        "rule 1 (courts): unknown key 'feild' (did you mean 'field'?)",
        id="rules-key",
    ),
    pytest.param(
        "rules.toml",
        '[[rule]]\nname = "courts"\nkind = "court-new"\ndisposition = "agenda"\nmatch = ["court"]\n',
        load_rules,
        "rule 1 (courts): kind 'court-new' must be one of: ",
        id="rules-value",
    ),
    pytest.param(
        "organisations.toml",
        '[[organisation]]\nname = "X Police"\nrole = "force"\ndomain = ["x.police.uk"]\n',
        load_registry,
        "organisation 1 (X Police): unknown key 'domain' (did you mean 'domains'?)",
        id="organisations-key",
    ),
    pytest.param(
        "organisations.toml",
        '[[organisation]]\nname = "X Police"\nrole = "forces"\n',
        load_registry,
        "organisation 1 (X Police): role 'forces' must be one of: ",
        id="organisations-value",
    ),
]


@pytest.mark.parametrize(("name", "text", "loader", "says"), TYPOS)
def test_a_typo_in_any_settings_file_is_one_line_naming_it(tmp_path, name, text, loader, says):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        loader(path)
    _one_line(err.value, path)
    assert says in str(err.value)
    if "must be one of" in says:
        assert "(did you mean" in str(err.value)
