"""The scenario model on published numbers: Kc, calibration, backtest, budget, decomposition, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact import fmt, model
from oilimpact.cli import main
from oilimpact.model import resolve_parameters
from oilimpact.model.assumptions import load_assumptions
from oilimpact.model.revenue import kc


@pytest.fixture(scope="module")
def war():
    return model.run_scenario(resolve_parameters("war_premium"))


def test_kc_matches_the_three_published_values():
    facts = load_assumptions()
    published = facts.get("extraction_tax_kc_published").series()
    prices = {"2024-12": 63.44, "2025-03": 58.99, "2025-05": 52.08}
    rates = facts.get("rub_usd_monthly_average").series()
    for month, value in published.items():
        assert round(float(kc(prices[month], rates[month])), 4) == value
    assert published == {"2024-12": 19.0185, "2025-03": 14.5114, "2025-05": 11.4309}


def test_calibration_fits_2025_and_reproduces_the_law():
    table = model.calibration_table()
    assert list(table.index.astype(str)) == [f"2025-{m:02d}" for m in range(1, 13)]
    # revenue, tax prices and rates up to 2025-12 come from data/history.csv (789.1: Reuters' print)
    assert table.loc[pd.Period("2025-01", "M"), "actual_bn_rub"] == 789.1
    fitted = table[table["in_fit"]]
    # the fit is on 2023–2025 history (model/structural.py, with the choices model/realtime.py makes at
    # 2026-01); March and April 2025 have no inputs (February 2025's tax price is not published), so they
    # are shown but not fitted
    assert [str(m) for m in table.index[~table["in_fit"]]] == ["2025-03", "2025-04"]
    assert fitted["error_pct"].abs().median() == pytest.approx(2.49, abs=0.01)
    assert fitted["error_pct"].abs().max() < 12.5  # August 2025
    check = model.calibration_check()
    assert abs(check["error_pct"]) < 0.5
    assert check["law_og_revenue_bn_rub"] == 8918
    assert check["model_without_level_bn_rub"] == pytest.approx(9126.1, abs=1.0)
    assert check["gap_without_level_pct"] == pytest.approx(2.33, abs=0.01)
    assert check["level_term_bn_rub_month"] == pytest.approx(
        (8918 - check["model_without_level_bn_rub"]) / 12
    )


def test_backtest_out_of_sample_and_the_articles_minus_50_percent():
    table = model.backtest()
    assert list(table["actual_bn_rub"]) == [447.8, 393.3]
    assert table["predicted_bn_rub"].round(1).tolist() == [474.2, 413.9]
    # under the real-time protocol (choices and coefficients from the months before each): +5.9 % / +5.2 %
    assert (table["error_pct"].abs() < 6.0).all()
    assert table["yoy_actual_pct"].iloc[-1] == pytest.approx(-50.2, abs=0.05)
    assert table["yoy_predicted_pct"].iloc[-1] == pytest.approx(-47.55, abs=0.05)


def test_coefficients_have_their_economic_signs():
    c = model.coefficients()
    assert c["c0_level_bn_rub"] == pytest.approx(156.9, abs=0.1)  # gas, other taxes, average damper
    assert 20 < c["s_gas_season_bn_rub"] < 80  # gas taxes higher in the winter receipts
    assert 0.8 < c["c1_extraction"] < 1.0  # net of Dm: below the gross 919·Kc
    # the NDD on profit: a rate on the quarter's base minus the costs it deducts (chosen at 2026-01)
    assert 0.3 < c["c2_ndd_quarterly"] < 0.35 and 100 < c["e_ndd_costs_bn_rub"] < 200
    assert c["c3_ndd_annual"] == c["c2_ndd_quarterly"]  # one NDD rate


def test_leave_one_out_over_2025():
    table = model.leave_one_out()
    assert len(table) == 12
    fitted = table[table["in_fit"]]
    rmse = float(np.sqrt((fitted["error_bn_rub"] ** 2).mean()))
    assert rmse == pytest.approx(30.7, abs=0.1)
    assert fitted["error_pct"].abs().max() < 13.0


def test_components_next_to_the_published_ones():
    table = model.components_check()
    ndd = table.loc["ndd"]
    assert ndd.loc[pd.Period("2025-10", "M"), "published_bn_rub"] == 327.8
    assert ndd["model_bn_rub"].round(1).tolist() == [423.0, 298.7]
    assert (ndd["difference_bn_rub"].abs() / ndd["published_bn_rub"] < 0.14).all()
    damper = table.loc["damper"]
    assert damper["published_bn_rub"].tolist() == [-80.4, -30.5, -16.9, 18.8]


def test_budget_law_scenario_differs_from_plan_only_by_actual_months():
    law = model.run_scenario(resolve_parameters("budget_law"))
    months = law.monthly.loc["2026-05":"2026-12"]  # April still carries Q1 NDD on actual prices
    assert np.allclose(months["og_revenue_bn_rub"], months["plan_bn_rub"])
    assert law.annual["og_plan_bn_rub"] == pytest.approx(8918)
    # the deficit: January's published 1,718 bn, then the law's pace and the O&G shortfall from February
    m = law.monthly.loc["2026-02":"2026-12"]
    shortfall = (m["plan_bn_rub"] - m["og_revenue_used_bn_rub"]).sum()
    assert law.annual["deficit_bn_rub"] == pytest.approx(1718 + 3786.4 * 11 / 12 + shortfall)
    assert law.annual["deficit_published_to"] == "2026-01"
    assert law.annual["deficit_pct_gdp"] == pytest.approx(100 * law.annual["deficit_bn_rub"] / 235067)


def test_war_premium_history_then_scenario(war):
    monthly = war.monthly
    assert (
        monthly.loc[pd.Period("2026-01", "M"), "urals_usd_bbl"] == 39.18
    )  # January receipts: December price
    assert monthly.loc[pd.Period("2026-01", "M"), "og_revenue_used_bn_rub"] == 393.3
    assert (monthly.loc["2026-04":, "urals_usd_bbl"] == 72).all()
    # January: from the published 4,080 on 1 January, revalued with the rouble (78.2267 → 76.2662 at the
    # month ends), the rule's published sales of 192.1 bn and the 154.6 bn sold for the deficit
    january = monthly.loc[pd.Period("2026-01", "M")]
    assert january["nwf_balance_bn_rub"] == pytest.approx(4080 * 76.2662 / 78.2267 - 192.1 - 154.568)
    # February restarts from the published 4,230 on 1 February
    february = monthly.loc[pd.Period("2026-02", "M")]
    assert february["nwf_balance_bn_rub"] == pytest.approx(4230 * 77.27 / 76.2662 - 226.8)
    annual = war.annual
    assert 0 < annual["months_above_us_cap_share"] <= 1
    assert annual["nwf_end_if_fund_covers_overshoot_bn_rub"] < annual["nwf_end_balance_bn_rub"]


@pytest.mark.parametrize(
    "scenario", ["budget_law", "pre_war", "war_premium", "hormuz_prolonged", "de_escalation"]
)
def test_decomposition_sums_exactly_to_the_total(scenario):
    parts = model.run_scenario(resolve_parameters(scenario, export_volume_change=-10)).decomposition
    steps = parts[list(model.DECOMPOSITION_STEPS)]
    assert steps.sum() == pytest.approx(parts["total_vs_plan_bn_rub"], abs=1e-6)
    assert parts["rub_usd_effect_bn_rub"] == pytest.approx(
        parts["published_rub_usd_effect_bn_rub"] + parts["scenario_rub_usd_effect_bn_rub"], abs=1e-9)
    assert parts["volume_effect_bn_rub"] < 0


def test_scenarios_rank_as_the_story_says():
    revenue = {
        name: model.run_scenario(resolve_parameters(name)).annual["og_revenue_bn_rub"]
        for name in ("pre_war", "de_escalation", "war_premium", "hormuz_prolonged")
    }
    assert (
        revenue["pre_war"] < revenue["de_escalation"] < revenue["war_premium"] < revenue["hormuz_prolonged"]
    )


def test_sensitivity_is_near_the_rule_of_thumb_and_scales_with_the_rouble(war):
    per_usd = war.sensitivity.loc["urals_price", "full_year_bn_rub"]
    assert 120 < per_usd < 200
    assert war.sensitivity.loc["urals_price", "rest_of_year_bn_rub"] < per_usd
    weaker = model.sensitivities(resolve_parameters("war_premium", rub_usd=100))
    assert (
        weaker.loc["urals_price", "rest_of_year_bn_rub"]
        > war.sensitivity.loc["urals_price", "rest_of_year_bn_rub"]
    )


@settings(max_examples=15, deadline=None)
@given(price=st.floats(20, 150), extra=st.floats(0.5, 30), rate=st.floats(50, 150), weaker=st.floats(0.5, 30))
def test_monotone_more_price_and_weaker_rouble_bring_more_roubles(price, extra, rate, weaker):
    base = resolve_parameters("budget_law", urals_price=price, rub_usd=rate)
    revenue = model.deficit_grid(
        [price, price + extra], [rate, rate + weaker], base, value="og_revenue_bn_rub"
    )
    assert revenue.iloc[1, 0] > revenue.iloc[0, 0]
    assert revenue.iloc[0, 1] > revenue.iloc[0, 0]


def test_deficit_grid_matches_a_single_run():
    params = resolve_parameters("budget_law", urals_price=70, rub_usd=80)
    grid = model.deficit_grid([60, 70], [80, 90], params)
    assert grid.loc[70.0, 80.0] == pytest.approx(model.run_scenario(params).annual["deficit_bn_rub"])
    assert grid.loc[60.0, 80.0] > grid.loc[70.0, 80.0]


def test_monte_carlo_is_seeded_and_centred_on_the_path():
    params = resolve_parameters("war_premium", mc_paths=4000, seed=7)
    first, again = model.monte_carlo(params), model.monte_carlo(params)
    assert np.array_equal(first.deficit, again.deficit)
    deterministic = model.run_scenario(params).annual["deficit_bn_rub"]
    assert first.deficit_percentiles[50] == pytest.approx(deterministic, rel=0.05)
    assert first.fan_urals.loc[pd.Period("2026-06", "M"), "p50"] == pytest.approx(72, rel=0.03)
    assert 0 < first.p_deficit_above_law < 1 and 0 < first.p_urals_above_law < 1
    calm = model.monte_carlo(params.replace(mc_volatility=0.0))
    assert np.allclose(calm.deficit, deterministic)


def test_tornado_orders_levers_by_swing():
    table = model.tornado(resolve_parameters("budget_law"))
    assert list(table.index)[0] == "urals_price"
    assert (
        table.loc["urals_price", "revenue_high_bn_rub"] > 0 > table.loc["urals_price", "revenue_low_bn_rub"]
    )
    assert table.loc["urals_discount", "revenue_high_bn_rub"] < 0


def test_equations_are_the_module_docstring():
    text = model.equations_markdown()
    assert "(*P* − 15) · *X* / 261" in text and text in model.__doc__
    assert "c₀ + c₁·*G*₍ₘ₋₁₎ + c₂·*N_m* + *s*·*S_m* + *L*₍year₎" in text and "gas season" in text
    assert "150–200" in model.SENSITIVITY_NOTE_MD


def test_cli_scenarios_lists_presets_with_sources(cli):
    result = cli.invoke(main, ["scenarios"])
    assert result.exit_code == 0
    assert "war_premium: War premium held" in result.output
    assert 'urals_price = 72.0  [Hindustan Times, 8 March 2026 "$72"]' in result.output


def test_cli_model_table_and_json(cli):
    result = cli.invoke(main, ["model", "war_premium"])
    assert result.exit_code == 0, result.output
    assert (
        "2026-01   39.2   65.7  26.5     78.4  1.0   393.3" in result.output
        and "level term (calibration)" in result.output and "calibration check" not in result.output
    )
    assert "backtest 2026-01 predicted 413.9 vs actual 393.3 (+5.2 %)" in " ".join(result.output.split())
    result = cli.invoke(main, ["model", "war_premium", "-p", "urals_price=80", "--format", "json"])
    payload = json.loads(result.output)
    assert payload["parameters"]["urals_price"] == 80
    assert payload["monthly"]["2026-12"]["urals_usd_bbl"] == 80
    assert payload["annual"]["og_revenue_bn_rub"] > 8429


@pytest.mark.parametrize(
    "args",
    [
        ["model", "war_premium", "-p", "urals_price=abc"],
        ["model", "war_premium", "-p", "colour=red"],
        ["model", "nope"],
    ],
)
def test_cli_model_bad_input_exits_2_in_one_line(cli, args):
    result = cli.invoke(main, args)
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


# --- one number per month ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every_preset():
    return {name: model.run_scenario(resolve_parameters(name)) for name in model.scenario_names()}


def test_months_with_published_inputs_show_the_nowcast_in_every_preset(every_preset):
    from oilimpact.model.realtime import nowcast

    for month in ("2026-02", "2026-03"):  # the tax price and rate of the month before are published
        expected = nowcast(month).expected_bn_rub
        for name, result in every_preset.items():
            row = result.monthly.loc[month]
            assert row["revenue_status"] == "nowcast", name
            assert row["og_revenue_used_bn_rub"] == pytest.approx(expected, abs=1e-9), (name, month)
    assert 350 < nowcast("2026-02").expected_bn_rub < 460  # near January's 393.3 published, on a higher price
    january = {r.monthly.loc["2026-01", "og_revenue_used_bn_rub"] for r in every_preset.values()}
    assert january == {393.3}  # the published month: the Finance Ministry's figure everywhere


def test_the_scenario_takes_over_only_after_the_nowcast_months(every_preset):
    for result in every_preset.values():
        status = result.monthly.loc["2026-01":"2026-12", "revenue_status"].tolist()
        assert status == ["published"] + ["nowcast"] * 2 + ["scenario"] * 9
        scenario = result.monthly.loc["2026-04":"2026-12"]
        assert np.allclose(scenario["og_revenue_used_bn_rub"], scenario["og_revenue_bn_rub"])


def test_the_year_is_published_plus_nowcast_plus_scenario(every_preset):
    from oilimpact.story import revenue_split_markdown

    for result in every_preset.values():
        a = result.annual
        parts = sum(a[f"og_revenue_{kind}_bn_rub"] for kind in ("published", "nowcast", "scenario"))
        assert parts == pytest.approx(a["og_revenue_bn_rub"])
        assert (a["og_months_published"], a["og_months_nowcast"], a["og_months_scenario"]) == (1, 2, 9)
    text = revenue_split_markdown(every_preset["war_premium"])
    assert "393 bn RUB published by the Finance Ministry (January)" in text
    nowcast_total = every_preset["war_premium"].annual["og_revenue_nowcast_bn_rub"]
    assert f"{fmt.bn_rub(nowcast_total)} nowcast (February–March" in text and "(April–December)" in text


def test_cli_model_and_nowcast_print_the_same_february(cli):
    from oilimpact.model.realtime import nowcast

    value = f"{nowcast('2026-02').expected_bn_rub:,.1f}"
    assert f"expected O&G revenue {nowcast('2026-02').expected_bn_rub:,.0f} bn RUB" in cli.invoke(
        main, ["nowcast", "2026-02"]).output
    for name in ("pre_war", "war_premium"):
        out = cli.invoke(main, ["model", name]).output
        line = next(x for x in out.splitlines() if x.startswith("2026-02"))
        assert value in line and line.rstrip().endswith("nowcast")
        total = model.run_scenario(resolve_parameters(name)).annual["og_revenue_nowcast_bn_rub"]
        assert f"nowcast {total:,.0f} (2 months)" in out
