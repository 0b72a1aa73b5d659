"""The data files' schemas (model/schemas.py, model/assumptions.py, model/history.py) and the YAML loader:
whatever a hand-edited file holds, it is either accepted or refused in one line naming file, line and
key path, never a traceback; aliases are refused, not expanded."""

from __future__ import annotations

import datetime
import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact.articles import load_figures
from oilimpact.errors import OilImpactError
from oilimpact.model.assumptions import load_assumptions, parse_assumptions
from oilimpact.model.scenarios import parse_scenarios
from oilimpact.project import data_dir
from oilimpact.yamlfile import read_yaml_mapping

KEYS = ["assumption", "at", "mean", "figure", "value", "why", "minus", "take", "metric", "qualifier",
        "parameter", "relation", "x"]
LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.dates(min_value=datetime.date(1, 1, 1)),
    st.sampled_from(["budget_law_urals_price", "urals_discount", "2026-02", "flat",
                     "budget_oil_price_assumption", "low", "equal"]),
)
TREE = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4), max_leaves=10)


@pytest.fixture(scope="module")
def inputs():
    return load_assumptions(), load_figures(data_dir() / "figures.csv")


def _one_line_or_accepted(text: str, inputs) -> None:
    try:
        parse_scenarios(text, data_dir() / "scenarios.yaml", *inputs)
    except OilImpactError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("data/scenarios.yaml"), message


@settings(max_examples=150, deadline=None)
@given(spec=TREE)
def test_any_value_of_a_parameter_is_accepted_or_one_clear_line(spec, inputs):
    body = {"s": {"title": "t", "values": {"urals_price": spec, "rub_usd": {"value": 90, "why": "w"}}}}
    _one_line_or_accepted(yaml.safe_dump(body), inputs)


@settings(max_examples=100, deadline=None)
@given(body=TREE, checks=TREE)
def test_any_preset_body_and_checks_is_accepted_or_one_clear_line(body, checks, inputs):
    preset = {"values": {"urals_price": {"value": 60, "why": "w"}, "rub_usd": {"value": 90, "why": "w"}},
              "checks": checks}
    _one_line_or_accepted(yaml.safe_dump({"s": body, "t": preset}), inputs)


@settings(max_examples=100, deadline=None)
@given(value=TREE, unit=LEAF)
def test_any_assumption_value_is_accepted_or_one_clear_line(value, unit, tmp_path_factory):
    entry = {"value": value, "unit": unit, "period": "2026", "confidence": "V",
             "source": {"title": "t", "where": "w", "accessed": "2026-03"}}
    try:
        loaded = parse_assumptions(yaml.safe_dump({"a_key": entry}), tmp_path_factory.mktemp("a") / "a.yaml")
    except OilImpactError as exc:
        assert "\n" not in str(exc) and "assumption a_key" in str(exc) or "a.yaml" in str(exc), str(exc)
    else:
        numbers = loaded.get("a_key").series().values()
        assert all(math.isfinite(n) for n in numbers)


def test_a_nested_error_names_the_line_of_the_value(inputs):
    text = "s:\n  title: t\n  values:\n    rub_usd: {value: 90, why: w}\n    urals_price:\n" \
           "      assumption: urals_discount\n      mean: 5\n"
    with pytest.raises(OilImpactError, match=r"^data/scenarios.yaml:7: scenario s: values.urals_price.mean: "
                                             r"must be \[FROM, TO\]"):
        parse_scenarios(text, data_dir() / "scenarios.yaml", *inputs)


@pytest.mark.parametrize("text", [
    "a: &a [1, 2]\nb: *a\n",
    "a: &a [*a]\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n",
    "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
])
def test_aliases_are_refused_before_they_are_expanded(text):
    with pytest.raises(OilImpactError, match=r"^f.yaml:\d+: not valid YAML: alias \*\w+ is not allowed"):
        read_yaml_mapping(text, "f.yaml", "things")


def test_deep_nesting_and_huge_files_are_refused():
    with pytest.raises(OilImpactError, match="nested too deeply|not valid YAML"):
        read_yaml_mapping("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "f.yaml", "things")
    with pytest.raises(OilImpactError, match="over the 2 MB limit"):
        read_yaml_mapping("a: '" + "x" * 2_100_000 + "'\n", "f.yaml", "things")
