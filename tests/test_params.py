"""Parameters: one spec table, typed overrides, one-line errors naming the parameter and the range."""

from __future__ import annotations

import math

import pytest

from oilimpact.errors import OilImpactError
from oilimpact.model import resolve_parameters
from oilimpact.model.scenarios import load_scenarios, scenario_names
from oilimpact.params import PARAMETER_SPECS, parse_overrides, validate_overrides

REQUIRED = (
    "scenario",
    "urals_price",
    "brent_price",
    "urals_discount",
    "rub_usd",
    "export_volume_change",
    "path_shape",
    "target_month",
    "half_life_months",
    "horizon_end",
    "mc_paths",
    "mc_volatility",
    "seed",
)


def test_spec_table_has_every_required_parameter_with_help():
    for name in REQUIRED:
        assert name in PARAMETER_SPECS and PARAMETER_SPECS[name].help


def test_parse_overrides_types_values():
    assert parse_overrides(
        ["urals_price=72.5", "mc_paths=1000", "path_shape=glide", "target_price=None"]
    ) == {"urals_price": 72.5, "mc_paths": 1000, "path_shape": "glide", "target_price": None}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["urals_price=abc"], "parameter urals_price: must be a number > 0 and <= 300, got 'abc'"),
        (["urals_price=nan"], "parameter urals_price: must be a number > 0 and <= 300, got 'nan'"),
        (["urals_price=-5"], "parameter urals_price: must be a number > 0 and <= 300, got '-5'"),
        (["rub_usd=0"], "parameter rub_usd: must be a number > 0 and <= 500, got '0'"),
        (["mc_paths=2.5"], "parameter mc_paths: must be an integer >= 1 and <= 2000000, got '2.5'"),
        (
            ["path_shape=zigzag"],
            "parameter path_shape: must be one of flat, glide, shock_decay, got 'zigzag'",
        ),
        (["horizon_end=2026-13"], "parameter horizon_end: must be a month YYYY-MM from 2025-01 to 2030-12"),
        (["colour=red"], "unknown parameter 'colour'; known parameters: scenario, horizon_start"),
        (["urals_price"], "parameter 'urals_price': write it as name=value"),
    ],
)
def test_bad_override_is_one_line_naming_parameter_and_range(pairs, message):
    with pytest.raises(OilImpactError) as err:
        parse_overrides(pairs)
    assert message in str(err.value)


def test_validate_overrides_rejects_nan_and_bool():
    with pytest.raises(OilImpactError, match="urals_price"):
        validate_overrides({"urals_price": math.nan})
    with pytest.raises(OilImpactError, match="seed"):
        validate_overrides({"seed": True})


def test_horizon_that_ends_before_it_starts():
    with pytest.raises(
        OilImpactError, match="parameter horizon_end: must not be before horizon_start 2026-01"
    ):
        resolve_parameters("budget_law", horizon_start="2026-01", horizon_end="2025-06")


def test_prices_stay_consistent_under_overrides():
    war = resolve_parameters("war_premium")
    assert (war.urals_price, war.brent_price) == (72.0, 92.69)
    assert war.urals_discount == pytest.approx(20.69)
    moved = resolve_parameters("war_premium", urals_price=80)
    assert moved.urals_discount == pytest.approx(20.69) and moved.brent_price == pytest.approx(100.69)
    brent = resolve_parameters("war_premium", brent_price=100, urals_price=None)
    assert brent.urals_price == pytest.approx(79.31)
    with pytest.raises(OilImpactError, match="parameter urals_price: must be a number > 0"):
        resolve_parameters("pre_war", urals_discount=70)


def test_unknown_scenario_lists_the_presets():
    with pytest.raises(OilImpactError, match="unknown scenario 'nope'; known scenarios: budget_law, pre_war"):
        resolve_parameters("nope")


def test_presets_are_traced_to_their_sources():
    presets = load_scenarios()
    assert list(presets) == scenario_names()
    assert {"budget_law", "pre_war", "war_premium", "hormuz_prolonged", "de_escalation"} <= set(presets)
    law = presets["budget_law"]
    assert law.values["urals_price"] == 59 and law.values["rub_usd"] == 92.2
    assert law.sources["urals_price"].kind == "assumption"
    assert any(s.kind == "article" and "$59" in s.quote for s in law.traces["urals_price"])
    war = presets["war_premium"]
    assert war.values["urals_price"] == 72
    assert war.sources["urals_price"].kind == "article" and "$72" in war.sources["urals_price"].quote
    assert presets["pre_war"].values["urals_price"] == 39.18
    for preset in presets.values():
        assert set(preset.sources) == set(preset.values)
        for param, source in preset.sources.items():
            assert source.title or source.where, (preset.name, param)
