"""The real-time protocol: every choice made from the months before each origin (truncated history
reproduces every backtest row, choices included), the backtest against the naive benchmark, the terms
against their published components, the budget rule's numbers and the nowcast."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from oilimpact.cli import main
from oilimpact.model import realtime, rule, structural


@pytest.fixture(scope="module")
def data() -> structural.Data:
    return structural.load_data()


@pytest.fixture(scope="module")
def protocol(data) -> realtime.Protocol:
    return realtime.Protocol(data)


@pytest.fixture(scope="module")
def backtest(data, protocol):
    return realtime.rolling_backtest(data, protocol=protocol)


def truncated(data: structural.Data, origin: str) -> structural.Data:
    """``data`` as it stood at the start of ``origin``: prices, rates and components of earlier months
    only; revenue up to the origin (its own only to score the row)."""
    cut = copy.deepcopy(data)
    cut.price = {m: v for m, v in cut.price.items() if m < origin}
    cut.rate = {m: v for m, v in cut.rate.items() if m < origin}
    cut.revenue = {m: v for m, v in cut.revenue.items() if m <= origin}
    cut.components = {s: {m: v for m, v in rows.items() if m < origin} for s, rows in cut.components.items()}
    cut.forget()
    return cut


@pytest.mark.parametrize("origin", ["2024-01", "2024-07", "2025-01", "2025-08", "2026-01"])
def test_truncated_history_reproduces_the_backtest_row_choices_included(data, backtest, origin):
    again = realtime.rolling_backtest(truncated(data, origin), start=origin, end=origin).loc[origin]
    row = backtest.loc[origin]
    assert again["choice"] == row["choice"] and again["fitted_on"] == row["fitted_on"]
    for column in ("predicted_bn_rub", "additional_expected_bn_rub", "fx_total_bn_rub", "fx_daily_bn_rub"):
        assert again[column] == pytest.approx(row[column], nan_ok=True), column


def test_later_data_cannot_move_an_origins_choice(data, protocol):
    poisoned = copy.deepcopy(data)
    for month in [m for m in poisoned.revenue if m >= "2025-06"]:
        poisoned.revenue[month] *= 3
    for origin in ("2024-07", "2025-01", "2025-06"):
        assert realtime.Protocol(poisoned).choose(origin)[0] == protocol.choose(origin)[0]


def test_the_choices_are_made_per_origin(backtest, protocol):
    # the NDD's costs and the oil split are in every fit (mechanics, not choices): 6 seasons × trend ×
    # weighting
    assert len(realtime.CANDIDATES) == 24 and all(c.ndd_costs and c.oil_split for c in realtime.CANDIDATES)
    chosen = backtest["choice"].replace("", None).dropna()
    # fewer than twelve scored months (one gas season) before 2024-09: the simplest candidate
    assert set(chosen[chosen.index < "2024-09"]) == {"no season, NDD costs, oil split"}
    assert chosen["2024-09"] == "no season, NDD costs, oil split, robust"
    assert chosen["2025-01"] == "season peak 12, NDD costs, oil split"
    assert len(set(chosen)) >= 4
    choice, scores = protocol.choose("2026-01")
    assert choice == structural.Choice(12, damper_trend=False, robust=False, ndd_costs=True, oil_split=True)
    assert scores[choice] == pytest.approx(4.25, abs=0.01) and len(scores) == len(realtime.CANDIDATES)


def test_the_backtest_under_the_protocol(backtest):
    summary = realtime.backtest_summary(backtest)
    overall = summary.loc["overall"]
    assert overall["months"] == 23
    assert overall["median_ape_pct"] == pytest.approx(3.21, abs=0.01)
    assert overall["mape_pct"] == pytest.approx(5.66, abs=0.01)
    # better than the naive benchmark in 2024, 2025 and overall, in mean and in median
    for year in ("2024", "2025", "overall"):
        r = summary.loc[year]
        assert r["mape_pct"] < r["naive_mape_pct"] and r["median_ape_pct"] < r["naive_median_ape_pct"]
    # 2026 so far is one month, 0.08 points worse than the naive benchmark: a miss, said in the README
    assert summary.loc["2026", "mape_pct"] == pytest.approx(5.24, abs=0.01)
    assert summary.loc["2026", "naive_mape_pct"] == pytest.approx(5.16, abs=0.01)
    # the one month over 15 %: February 2024's one-off extraction-tax true-up, kept in the score
    worst = backtest["error_pct"].abs().idxmax()
    assert worst == "2024-02" and backtest.loc[worst, "note"] == "MET published 1,000, model 701"
    assert (backtest.drop(index=worst)["error_pct"].abs().dropna() < 15).all()
    assert "urals_tax_price 2025-02" in backtest.loc["2025-03", "note"]


def test_each_term_at_its_origin_against_the_published_component(data, protocol):
    table = realtime.components_table(data, protocol=protocol)
    terms = realtime.terms_summary(table)
    assert set(terms.index) == {"extraction_tax", "ndd", "damper_paid", "oil_taxes"}
    ndd = table[table["term"] == "ndd"].set_index("month")
    assert ndd.loc["2024-10", "published_bn_rub"] == 492
    assert ndd.loc["2024-10", "model_bn_rub"] == pytest.approx(474.8, abs=0.1)
    assert terms.loc["ndd", "median_gap_pct"] == pytest.approx(10.4, abs=0.1)  # a miss of the target
    assert terms.loc["extraction_tax", "median_gap_pct"] == pytest.approx(6.1, abs=0.1)
    # the oil part against Bloomberg's oil-related taxes (an equation of every fit); it runs a little high
    assert terms.loc["oil_taxes", "months"] == 10 and terms.loc["oil_taxes", "median_gap_bn_rub"] > 0
    assert terms.loc["oil_taxes", "median_gap_pct"] == pytest.approx(4.4, abs=0.1)  # target ≤ 5 %
    assert terms.loc["damper_paid", "median_gap_pct"] == pytest.approx(23.3, abs=0.1)  # a miss (≤ 10 %)
    assert terms.loc["damper_paid", "months"] == 17 and terms.loc["damper_paid", "sign_differs"] == 0


# --- the budget rule's monthly numbers -------------------------------------------------------------


def test_the_ministrys_identity_total_is_expected_plus_last_months_deviation():
    first, last = dt.date(2026, 1, 16), dt.date(2026, 2, 5)
    january = rule.Operations("2026-01", 59, 600.0, -231.9, 39.8, 15, (first, last))
    assert january.total_bn_rub == pytest.approx(-192.1)  # as announced
    assert january.daily_bn_rub == pytest.approx(-12.8, abs=0.01)  # −12.8 bn a day, as announced
    assert rule.Operations("2023-01", 0, 0, -54.5, None, 17, (first, last)).total_bn_rub == -54.5


@given(st.integers(min_value=2023, max_value=2030), st.integers(min_value=1, max_value=12))
def test_each_window_starts_from_the_7th_and_ends_before_the_next(year, month):
    label = f"{year}-{month:02d}"
    first, last = rule.window(label)
    following, _ = rule.window(structural.shift(label, 1))
    assert rule.is_trading_day(first) and rule.is_trading_day(last)
    assert (first.day >= 15) if month == 1 else (7 <= first.day <= 12)
    assert last < following and (following - last).days <= 4
    assert 14 <= rule.trading_days(label) <= 26


def test_the_backtest_compares_the_rule_with_the_announcements(backtest):
    gaps = realtime.rule_summary(backtest)
    assert gaps["additional_months"] == 10
    assert gaps["additional_median_gap"] == pytest.approx(41.1, abs=0.1)
    assert gaps["additional_same_sign"] == 10
    row = backtest.loc["2025-12"]
    assert row["additional_published_bn_rub"] == -137.6
    assert row["additional_expected_bn_rub"] == pytest.approx(-140.5, abs=0.1)
    assert row["fx_total_published_bn_rub"] == -123.4


def test_nowcast_gives_revenue_and_the_rule(data):
    result = realtime.nowcast("2026-01", data)
    assert (result.inputs.price, result.inputs.rate) == (39.18, 78.4368)
    assert result.low_bn_rub < result.expected_bn_rub < result.high_bn_rub
    assert result.expected_bn_rub == pytest.approx(413.9, abs=0.1) and result.actual_bn_rub == 393.3
    assert result.choice == "season peak 12, NDD costs, oil split" and result.fitted_on == 32
    operations = result.operations
    assert operations.base_price == 59 and operations.trading_days == 17
    assert operations.window == (dt.date(2026, 1, 15), dt.date(2026, 2, 6))
    assert operations.additional_bn_rub == pytest.approx(-187.1, abs=0.1)  # published −231.9
    assert result.published_operations["additional"] == -231.9
    assert result.published_operations["deviation"] == 39.8 and result.published_operations["daily"] == -12.8
    total = operations.additional_bn_rub + (operations.deviation_bn_rub or 0.0)
    assert operations.total_bn_rub == pytest.approx(total)


def test_the_damper_proxy_can_change_sign(data):
    """The proxy d₀ + d₁·G turns negative (companies pay in) when the extraction-tax base is low enough
    (below about 180 bn of G: a Urals tax price near $32 at 77.6 RUB/USD). January 2026's receipts have
    the published sign (16.9 bn paid out); February's do not (published: companies paid 18.8 bn in,
    data/assumptions.yaml) — an honest miss: January's indexation of the threshold prices and the fuel
    prices behind the netback are not in the history."""
    january = realtime.nowcast("2026-01", data).terms["damper_paid"]
    february = realtime.nowcast("2026-02", data).terms["damper_paid"]
    assert january == pytest.approx(23.3, abs=0.1)  # published 16.9 paid out
    assert february == pytest.approx(29.5, abs=0.1)  # published 18.8 paid in: the sign is missed
    model = realtime.Protocol(data).model_at("2026-02")
    assert model.terms(rule.base_inputs(data, "2026-02", 30.0))["damper_paid"] < 0 < january


# --- the commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["nowcast", "2026-13"], "month '2026-13': expected YYYY-MM"),
        (["nowcast", "March"], "month 'March': expected YYYY-MM"),
        (["nowcast", "2023-03"], "month 2023-03: no inputs (urals_tax_price 2022-10"),
        (["nowcast", "2031-01"], "month 2031-01: no inputs (urals_tax_price 2030-12"),
        (["backtest", "--from", "2024-1"], "--from '2024-1': expected a month YYYY-MM"),
        (["backtest", "--from", "2030-01"], "no receipt months with published revenue"),
        (["backtest", "--format", "xml"], "'xml' is not one of 'table', 'json'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args, says):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert says in result.stderr, result.stderr


def test_backtest_and_nowcast_commands_print_their_numbers():
    result = CliRunner().invoke(main, ["backtest"])
    assert result.exit_code == 0, result.output
    assert "overall: 23 months, MAPE 5.7 %, median APE 3.2 %, worst 29.9 %" in result.output
    assert "expected additional O&G revenue: 10 months, median gap 41.1 bn RUB" in result.output
    assert "2025-03" in result.output and "no inputs" in result.output
    now = CliRunner().invoke(main, ["nowcast", "2026-01"])
    assert now.exit_code == 0 and "2026-01: expected O&G revenue 414 bn RUB" in now.output
    assert "published: 393.3 bn RUB" in now.output and "(published -231.9)" in now.output
    assert "-12.73 bn RUB a day over 17 trading days (published -12.8)" in now.output


def test_json_formats_are_readable():
    backtest = json.loads(CliRunner().invoke(main, ["backtest", "--format", "json"]).output)
    assert {"rows", "summary", "budget_rule", "terms", "term_months", "protocol"} <= set(backtest)
    row = next(r for r in backtest["rows"] if r["month"] == "2026-01")
    assert row["choice"] == "season peak 12, NDD costs, oil split" and row["actual_bn_rub"] == 393.3
    assert next(r for r in backtest["rows"] if r["month"] == "2025-03")["predicted_bn_rub"] is None
    now = json.loads(CliRunner().invoke(main, ["nowcast", "2026-01", "--format", "json"]).output)
    assert now["budget_rule"]["trading_days"] == 17 and now["budget_rule_published"]["total"] == -192.1
    assert now["terms"]["ndd"] == 0.0 and now["choice"] == "season peak 12, NDD costs, oil split"
