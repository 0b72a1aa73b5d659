"""What a reader takes away is true: the sensitivity identities, the one counterfactual, the fund
reconciled to its published balances, the deficit from the published year to date, words without
code identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact import fmt, model
from oilimpact.model import resolve_parameters

PRESETS = model.scenario_names()


@pytest.mark.parametrize("scenario", PRESETS)
def test_tornado_bar_is_its_shock_times_the_per_unit_sensitivity(scenario):
    params = resolve_parameters(scenario)
    sens = model.sensitivities(params)
    bars = model.tornado(params)
    for lever, row in bars.iterrows():
        per_unit = sens.loc[lever, "rest_of_year_bn_rub"]
        assert row["revenue_high_bn_rub"] == pytest.approx(row["shock"] * per_unit, rel=1e-6, abs=1e-6)
        assert row["revenue_low_bn_rub"] == pytest.approx(-row["shock"] * per_unit, rel=1e-6, abs=1e-6)
        # the deficit moves by the revenue change, the other way
        assert row["deficit_high_bn_rub"] == pytest.approx(-row["revenue_high_bn_rub"], abs=1e-6)


@pytest.mark.parametrize("shape", ["flat", "glide", "shock_decay"])
def test_a_lever_moves_the_whole_path_in_every_shape(shape):
    params = resolve_parameters("de_escalation", path_shape=shape, target_price=45, half_life_months=3)
    context = model.default_context()
    _engine, paths, _ = model.scenario_inputs(params, context)
    from oilimpact.model.deterministic import shifted_inputs

    urals, _fx, _vol = shifted_inputs(paths, 0.5, "urals_price", np.array([10.0]), paths.is_scenario)
    moved = urals[0] - paths.urals
    assert np.allclose(moved[paths.is_scenario], 10.0) and np.allclose(moved[~paths.is_scenario], 0.0)
    per_usd = model.sensitivities(params).loc["urals_price", "rest_of_year_bn_rub"]
    bar = model.tornado(params).loc["urals_price", "revenue_high_bn_rub"]
    assert bar == pytest.approx(10 * per_usd, rel=1e-6)


def test_the_card_is_one_fixed_baseline_and_the_discount_mirrors_urals():
    card, breakeven, baseline = model.sensitivity_card()
    assert baseline.urals_price == 59 and baseline.rub_usd == 92.2 and baseline.path_shape == "flat"
    # the rule of thumb (Salikhov, Izvestia): 150–200 bn RUB a year per $1; the months to come are fewer
    assert 150 <= card.loc["urals_price", "full_year_bn_rub"] <= 200
    per_usd = card.loc["urals_price"]
    assert 0.6 < per_usd["rest_of_year_bn_rub"] / per_usd["full_year_bn_rub"] < 0.85
    assert card.loc["urals_discount", "full_year_bn_rub"] == pytest.approx(
        -card.loc["urals_price", "full_year_bn_rub"]
    )
    assert card.loc["urals_price", "full_year_pct_gdp"] == pytest.approx(
        100 * card.loc["urals_price", "full_year_bn_rub"] / 235067
    )
    # a stronger rouble needs a dearer barrel to keep the deficit at the law's
    assert list(breakeven.index) == [75.0, 80.0, 85.0, 90.0]
    assert breakeven.is_monotonic_decreasing


@pytest.mark.parametrize("rate", model.BREAKEVEN_RATES)
def test_the_breakeven_price_gives_the_law_deficit(rate):
    _card, breakeven, baseline = model.sensitivity_card()
    at = baseline.replace(urals_price=breakeven[rate], rub_usd=rate)
    assert model.run_scenario(at).annual["deficit_bn_rub"] == pytest.approx(3786.4, abs=0.01)


def test_the_counterfactual_is_the_last_price_step_of_the_decomposition():
    war = resolve_parameters("war_premium")  # the article's $72, flat from March
    gain = model.counterfactual(war, 72.0)
    assert model.decompose(war)["scenario_price_effect_bn_rub"] == pytest.approx(gain)
    assert gain == pytest.approx(
        13 * model.sensitivities(war).loc["urals_price", "rest_of_year_bn_rub"], rel=1e-6
    )
    assert gain == pytest.approx(model.counterfactual(resolve_parameters("war_premium"), 72.0), abs=1e-6)


def test_why_a_higher_price_still_leaves_revenue_below_plan():
    from oilimpact.story import gap_markdown

    result = model.run_scenario(resolve_parameters("war_premium"))
    text, d = gap_markdown(result), result.decomposition
    gap, price = result.annual["og_gap_to_plan_bn_rub"], d["scenario_price_effect_bn_rub"]
    against = -(d["rub_usd_effect_bn_rub"] + d["published_prices_effect_bn_rub"] + d["volume_effect_bn_rub"])
    assert gap < 0 < price < against  # a higher price, and still below the plan
    assert f"{fmt.bn_rub(-gap)} below" in text and f"{fmt.bn_rub(price, signed=True)}" in text
    published = -(d["published_rub_usd_effect_bn_rub"] + d["published_prices_effect_bn_rub"])
    assert (f"the months already published (their strong rouble and low, wide-discount prices) take "
            f"{fmt.bn_rub(published)} and the scenario's rouble of 77.3 RUB/USD takes "
            f"{fmt.bn_rub(-d['scenario_rub_usd_effect_bn_rub'])}: more than the windfall") in text
    # the scenario's assumed rouble is not booked as history: the published months' rate step is the
    # same in every scenario (they share the published months)
    law = model.run_scenario(resolve_parameters("budget_law")).decomposition
    assert law["published_rub_usd_effect_bn_rub"] == pytest.approx(d["published_rub_usd_effect_bn_rub"])
    assert abs(law["scenario_rub_usd_effect_bn_rub"]) < 0.5  # the law's own rate from March


def test_the_fund_is_reconciled_to_every_published_month_start_balance():
    rec = model.nwf_reconciliation(resolve_parameters("war_premium"))
    assert list(rec.index) == [pd.Period("2026-02", "M")]
    row = rec.iloc[0]
    assert row["published_bn_rub"] == 4230 and row["from_bn_rub"] == 4080
    assert row["model_bn_rub"] == pytest.approx(4080 * 76.2662 / 78.2267 - 192.1 - 154.568)
    assert row["gap_bn_rub"] == pytest.approx(599, abs=1)


def test_the_fund_shrinks_when_it_covers_the_overshoot_and_the_rouble_revalues_it():
    war = model.run_scenario(resolve_parameters("war_premium")).annual
    weak = model.run_scenario(resolve_parameters("war_premium", rub_usd=100)).annual
    assert war["nwf_end_if_fund_covers_overshoot_bn_rub"] < war["nwf_end_balance_bn_rub"]
    assert weak["nwf_end_balance_bn_rub"] > war["nwf_end_balance_bn_rub"]


@settings(max_examples=30, deadline=None)
@given(value=st.floats(min_value=-0.49, max_value=0.49).filter(lambda v: v != 0))
def test_a_small_nonzero_percentage_never_reads_zero(value):
    text = fmt.percent(value, 0)
    assert text in ("< 0.5 %", "> −0.5 %")


def test_percent_near_one_hundred_and_normal_values():
    assert fmt.percent(99.8, 0) == "> 99.5 %"
    assert fmt.percent(0, 0) == "0 %" and fmt.percent(-50.2, 1) == "−50.2 %"


def test_the_heatmap_title_gives_the_exact_breakeven_at_the_scenarios_rate():
    from oilimpact import story

    runs = story.run_all(resolve_parameters("war_premium"))
    p = runs["war_premium"].params
    placed = story.placed_scenarios(runs)
    title = story.heatmap_finding(p, placed, 3786.4)
    rate = float(placed.loc[placed["name"] == "war_premium", "x"].iloc[0])
    price = float(model.breakeven_urals(p, rates=(rate,)).iloc[0])
    assert f"At {rate:.1f} RUB/USD" in title and f"Urals at ${price:.1f} or more from March 2026" in title
    at = p.replace(urals_price=price, rub_usd=rate, path_shape="flat")
    assert model.run_scenario(at).annual["deficit_bn_rub"] == pytest.approx(3786.4, abs=0.5)


def test_the_scenarios_dollar_is_the_cards_dollar_at_the_scenarios_rate():
    from oilimpact import story

    result = model.run_scenario(resolve_parameters("war_premium"))
    text = story.levers_markdown(result)
    card = model.sensitivity_card()[0].loc["urals_price", "rest_of_year_bn_rub"]
    assert f"The card's $1 is worth {fmt.bn_rub(card)} at the law's 92.2 RUB/USD" in text
    own = result.sensitivity.loc["urals_price", "rest_of_year_bn_rub"]
    assert f"at this scenario's 77.3 RUB/USD it comes to about {fmt.bn_rub(own)}, the number above" in text
    assert result.sensitivity.loc["urals_price", "rest_of_year_bn_rub"] == pytest.approx(
        card * 77.3 / 92.2, rel=0.01)


def test_the_backtest_says_which_months_it_leaves_out_and_why():
    from oilimpact import story

    bt = model.rolling_backtest()
    left = bt.index[bt["predicted_bn_rub"].isna()]
    said = story.rolling_backtest_markdown()
    assert said.startswith(f"{len(bt) - len(left)} of the {len(bt)} months from January 2024 to ")
    assert list(left) == ["2025-03", "2025-04"]  # the history lacks February 2025's tax price
    assert "March and April 2025 are left out" in said
    assert "the Urals tax price of February 2025" in said


def test_the_compare_report_explains_why_its_rouble_bar_differs_from_report_03():
    from oilimpact import story

    c = story.compare(resolve_parameters("war_premium"))
    said = story.order_markdown(c)
    steps = story.difference_steps(c)
    assert fmt.bn_rub(float(steps["Rouble rate"]), signed=True) in said
    assert fmt.bn_rub(float(c.first.decomposition["scenario_rub_usd_effect_bn_rub"]), signed=True) in said
    assert "War premium held" in said and "war_premium" not in said


def test_a_paused_month_moves_nothing_and_the_next_window_carries_its_flow():
    from oilimpact.model import fund

    receipts = pd.period_range("2026-01", "2026-04", freq="M")
    data = fund.FundData(balances={receipts[0]: 1000.0}, operations={}, financing={}, month_end_rates={},
                         deficit_ytd={}, deficit_share=0.0, paused=frozenset({receipts[2]}))
    flow = np.array([[10.0, 20.0, 30.0, 40.0]])
    path = fund.balance(receipts, flow, np.ones((1, 5)), data, np.zeros((1, 4)))[0]
    assert path.tolist() == [1010.0, 1030.0, 1030.0, 1100.0]  # March holds, April takes 30 + 40


def test_march_2026s_announced_pause_is_in_the_data_and_said_in_the_report():
    from oilimpact import story

    march = pd.Period("2026-03", "M")
    assert march in model.default_context().fund.paused  # assumptions.yaml: budget_rule_fx_paused
    result = model.run_scenario(resolve_parameters("war_premium"))
    flow = float(result.monthly.loc[march, "nwf_flow_bn_rub"])
    said = story.nwf_markdown(result)
    assert (f"paused the budget rule's currency operations for March 2026 (the rule's "
            f"{fmt.bn_rub(flow, signed=True)} moves into April 2026's window)") in said


def test_the_deficit_paragraph_gives_the_evidence_on_its_pace_assumption():
    from oilimpact import story

    result = model.run_scenario(resolve_parameters("war_premium"))
    said = story.deficit_markdown(result)
    # January's share of the year's published deficit: 124 / 3,485 in 2024, 1,466 / 5,645 in 2025
    assert "falls in January varies: 4 % in 2024 and 26 % in 2025" in said
    assert "the law's average pace gives 8 %" in said
    share = 100 * result.annual["deficit_published_bn_rub"] / result.annual["deficit_bn_rub"]
    assert f"January 2026 is {fmt.percent(share, 0)} of the year" in said


def test_the_brief_defines_every_scenario_with_its_modelled_months():
    from oilimpact import story

    runs = {name: model.run_scenario(resolve_parameters(name)) for name in PRESETS}
    definitions = story.definitions_table(runs)
    assert len(definitions) == len(PRESETS)
    war = definitions.loc["War premium held"]
    assert war["Urals, USD/bbl"] == pytest.approx(72.0)  # the article's $72, held from March
    assert definitions.loc["Budget law", "Urals, USD/bbl"] == pytest.approx(59.0)  # the law's $59
    assert definitions.loc["Sanctions tighten", "Crude exports, %"] == -10
    assert all(len(text) > 40 and not text.endswith("...") for text in definitions["What it assumes"])
    assert story.definitions_markdown(definitions) == (
        "Averages over March–December 2026, the months each scenario models; January and February 2026 "
        "are published and the same in all of them.")


def test_the_heatmap_subtitle_names_the_months_its_markers_average():
    from oilimpact import story

    result = model.run_scenario(resolve_parameters("war_premium"))
    paths = result.paths
    months = paths.months[(paths.months.year == 2026) & paths.is_scenario]
    span = f"{months[0]:%B}–{months[-1]:%B} 2026"
    subtitle = story.heatmap_subtitle(result)
    assert f"average Urals and rouble over {span}" in subtitle
    assert "placed at their averages" not in subtitle
    placed = story.placed_scenarios({"war_premium": result})
    assert float(placed["y"].iloc[0]) == pytest.approx(float(paths.urals[(paths.months.year == 2026)
                                                                           & paths.is_scenario].mean()))
