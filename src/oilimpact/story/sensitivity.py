"""Notebooks 04 and 05: the tornado, the heatmap of placed scenarios, the Brent shock, the risk table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from oilimpact import charts, fmt
from oilimpact.fmt import bn_rub, number, percent, usd
from oilimpact.model import (
    breakeven_urals,
    default_context,
    deficit_grid,
    sensitivity_card,
    tornado,
)
from oilimpact.story.brief import first_scenario_month, month_span, month_words
from oilimpact.story.common import (
    scenario_title,
    table,
)
from oilimpact.story.scenarios import (
    last_actual_month,
    model_sources,
    prices,
)

# --- 04 ------------------------------------------------------------------------------------------

TORNADO_LABELS = {
    "urals_price": ("Urals", "$"),
    "rub_usd": ("Rouble, RUB/USD", ""),
    "urals_discount": ("Urals discount", "$"),
    "export_volume_change": ("Export volume, %", ""),
}


def tornado_frame(p: Any) -> pd.DataFrame:
    """The model's tornado as chart input: deficit change for each lever's low and high setting, the
    whole scenario path moved (so each bar is its shock times the lever's per-unit sensitivity)."""

    t = tornado(p)
    rows = []
    for lever, row in t.iterrows():
        name, prefix = TORNADO_LABELS.get(lever, (lever, ""))
        shock = fmt.trim(row["shock"], 1)
        rows.append(
            {
                "label": f"{name} ±{prefix}{shock}",
                "low": row["deficit_low_bn_rub"],
                "high": row["deficit_high_bn_rub"],
                "low_text": f"{fmt.MINUS}{prefix}{shock}",
                "high_text": f"+{prefix}{shock}",
            }
        )
    return pd.DataFrame(rows)


def tornado_chart(p: Any) -> Any:

    return charts.tornado(
        tornado_frame(p),
        model_sources("dated_brent", "urals_discount"),
        low_text="low_text",
        high_text="high_text",
        what="2026 deficit",
        subtitle=f"Change in the 2026 deficit when one lever moves over the whole path from "
        f"{first_scenario_month():%B %Y}, {scenario_title(p.scenario)} scenario, bn RUB "
        "(low setting hatched)",
    )


def levers_markdown(result: Any) -> str:
    """The scenario's own per-unit effects over the months to come, the ones its tornado multiplies."""
    sens = result.sensitivity
    urals = sens.loc["urals_price", "rest_of_year_bn_rub"]
    rate = sens.loc["rub_usd", "rest_of_year_bn_rub"]
    discount = sens.loc["urals_discount", "rest_of_year_bn_rub"]
    volume = sens.loc["export_volume_change", "rest_of_year_bn_rub"]
    return (
        f"Around this scenario, over the months still to come, $1 more on Urals brings "
        f"**{bn_rub(urals)}** of 2026 oil and gas revenue, a rouble weaker by 1 RUB/USD "
        f"{bn_rub(rate)}, a discount wider by $1 (Brent held) costs {bn_rub(abs(discount))} and 1 % more "
        f"crude exports bring {bn_rub(volume)}; the tornado's ±$10 bar on Urals is ten times the first "
        f"number before rounding ({number(urals, 1)} × 10 = {bn_rub(10 * urals)}). "
        + _versus_card(result, urals)
    )


def _versus_card(result: Any, urals: float) -> str:
    """Why the scenario's $1 differs from the card's: a dollar of Urals is worth roubles at the rate."""
    card, _breakeven, baseline = sensitivity_card()
    at_card = float(card.loc["urals_price", "rest_of_year_bn_rub"])
    paths = result.paths
    mask = (paths.months.year == 2026) & paths.is_scenario
    rate = float(paths.rub_usd[mask].mean()) if mask.any() else baseline.rub_usd
    scaled = at_card * rate / baseline.rub_usd
    if abs(at_card - urals) < 0.5:
        return "That is the card's number: the scenario's rouble rate and volumes are the law's."
    return (
        f"The card's $1 is worth {bn_rub(at_card)} at the law's {number(baseline.rub_usd, 1)} RUB/USD; "
        f"a dollar of Urals is worth roubles at the rate, so at this scenario's {number(rate, 1)} RUB/USD it "
        f"comes to about {bn_rub(scaled)}" + (
            ", the number above." if abs(scaled - urals) < 0.5
            else f", and its {'lower' if urals < scaled else 'higher'} export volumes make it "
            f"{bn_rub(urals)}."
            if abs(float(paths.volume[mask].mean()) - 1.0) > 1e-9
            else f", and its exact path makes it {bn_rub(urals)}."
        )
    )
def placed_scenarios(runs: Mapping[str, Any], year: int = 2026) -> pd.DataFrame:
    """Each scenario's average Urals and RUB/USD over its own months of the year (where the grid puts it)."""
    rows = []
    for name, result in runs.items():
        mask = (result.paths.months.year == year) & result.paths.is_scenario
        rows.append(
            {"name": name, "x": result.paths.rub_usd[mask].mean(), "y": result.paths.urals[mask].mean()}
        )
    return pd.DataFrame(rows)


def heatmap_chart(p: Any, runs: Mapping[str, Any]) -> Any:

    grid = deficit_grid(params=p)
    placed = placed_scenarios(runs)
    return charts.heatmap(
        grid,
        model_sources("budget_law_urals_price", "budget_law_rub_usd"),
        placed=placed,
        highlight=p.scenario,
        reference=default_context().law_deficit,
        reference_label="law",
        title=heatmap_finding(p, placed, default_context().law_deficit),
        subtitle=heatmap_subtitle(runs[p.scenario]),
        titles={name: scenario_title(name) for name in runs},
    )


def heatmap_subtitle(result: Any, year: int = 2026) -> str:
    """What the heatmap draws, in the months it draws it: the grid holds Urals and the rouble flat over
    the scenario's months of the year, and each marker is a scenario's average over those same months
    (:func:`placed_scenarios`), not over the whole year."""
    paths = result.paths
    months = paths.months[(paths.months.year == year) & paths.is_scenario]
    span = f"{month_span(months)} {year}"
    return (f"{year} deficit, bn RUB, with Urals and the rouble flat over {span} (the months still to "
            f"come); each scenario placed at its average Urals and rouble over {span}")


# --- 05 ------------------------------------------------------------------------------------------


def fan_chart(mc: Any, result: Any) -> Any:

    last = last_actual_month(result)
    fan = mc.fan_urals.loc[mc.fan_urals.index >= last]
    fan = fan.rename(columns=lambda c: int(str(c).lstrip("p")))
    history = prices({"x": result}).loc[:last, "x"]
    return charts.fan(
        fan,
        model_sources("budget_law_urals_price"),
        history=history,
        budget_price=default_context().law_price,
        probability_above=mc.p_urals_above_law,
        subtitle=f"{len(mc.deficit):,} simulated paths around the {scenario_title(result.params.scenario)}"
        f" path, volatility {percent(100 * mc.params.mc_volatility, 0)} a year, USD per barrel",
    )


def deficit_histogram(mc: Any) -> Any:

    return charts.histogram(
        mc.deficit,
        model_sources(),
        reference=default_context().law_deficit,
        reference_label="budget law",
        what="2026 deficit",
    )


def risk_table(mc: Any) -> pd.DataFrame:
    """The Monte Carlo's headline numbers with units, one row each."""
    pct = mc.deficit_percentiles
    # one rounding rule per quantity: a probability as the prose writes it (whole per cent, "< 0.5 %"),
    # roubles to the billion, the path count whole
    rows = [
        ("Simulated paths", number(len(mc.deficit), 0), ""),
        ("Chance the 2026 average Urals is above the budget's price", percent(100 * mc.p_urals_above_law, 0),
         ""),
        ("Chance the 2026 deficit is above the law's", percent(100 * mc.p_deficit_above_law, 0), ""),
    ]
    rows += [(f"Deficit, {int(k)}th percentile", number(float(v), 0), "bn RUB") for k, v in pct.items()]
    share = default_context().fund.deficit_share
    draws = ("no draws for the deficit beyond those published" if share == 0
             else f"{percent(100 * share, 0)} of the deficit above the law's drawn")
    rows += [(f"NWF end, {int(k)}th percentile ({draws})", number(float(v), 0), "bn RUB")
             for k, v in mc.nwf_end_percentiles.items()]
    return table(pd.DataFrame(rows, columns=["Statistic", "Value", "Unit"]), 0, label="Statistic")


def heatmap_finding(p: Any, placed: pd.DataFrame, law_deficit: float) -> str:
    """The heatmap's title: the exact Urals price (flat over the months still to come) that keeps the
    deficit at the law's at the chosen scenario's average rouble rate (:func:`breakeven_urals`, the same
    computation as the sensitivity card's break-even prices), not the nearest grid step."""
    rate = float(placed.loc[placed["name"] == p.scenario, "x"].iloc[0])
    price = float(breakeven_urals(p, rates=(rate,)).iloc[0])
    return (
        f"At {number(rate, 1)} RUB/USD the deficit stays within the law's {bn_rub(law_deficit)} only with "
        f"Urals at {usd(price, 1)} or more from {month_words(first_scenario_month())}"
    )
