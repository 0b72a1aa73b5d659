"""Notebooks 04 and 05: the tornado, the heatmap of placed scenarios, the Brent shock, the risk table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from oilimpact import charts, fmt
from oilimpact.fmt import bn_rub, number, percent, usd
from oilimpact.model import (
    default_context,
    deficit_grid,
    run_scenario,
    tornado,
)
from oilimpact.story.common import (
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
    """The model's tornado as chart input: deficit change for each lever's low and high setting."""

    t = tornado(p)
    rows = []
    for lever, row in t.iterrows():
        name, prefix = TORNADO_LABELS.get(lever, (lever, ""))
        now = float(getattr(p, lever))
        rows.append(
            {
                "label": f"{name} ±{prefix}{number(row['shock'], 0)}",
                "low": row["deficit_low_bn_rub"],
                "high": row["deficit_high_bn_rub"],
                "low_text": f"{prefix}{fmt.trim(now - row['shock'], 1)}",
                "high_text": f"{prefix}{fmt.trim(now + row['shock'], 1)}",
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
        subtitle=f"Change in the 2026 deficit when one lever moves, {p.scenario.replace('_', ' ')}"
        " scenario, bn RUB (low setting hatched)",
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
    return charts.heatmap(
        grid,
        model_sources("budget_law_urals_price", "budget_law_rub_usd"),
        placed=placed_scenarios(runs),
        highlight=p.scenario,
        reference=default_context().law_deficit,
        reference_label="law",
        title=heatmap_finding(grid, placed_scenarios(runs), p.scenario, default_context().law_deficit),
        subtitle="2026 deficit, bn RUB, with Urals and the rouble flat over the months still to "
        "come; scenarios placed at their averages",
    )


def brent_shock(p: Any, shock: float = 20.0) -> float:
    """Change in the 2026 deficit when Brent is ``shock`` USD higher with the discount unchanged, bn RUB."""

    base = run_scenario(p).annual["deficit_bn_rub"]
    moved = run_scenario(p.replace(brent_price=p.brent_price + shock)).annual["deficit_bn_rub"]
    return float(moved - base)


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
        subtitle=f"{len(mc.deficit):,} simulated paths around the {result.params.scenario.replace('_', ' ')}"
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
    rows = [
        ("Simulated paths", len(mc.deficit), ""),
        ("P(2026 average Urals > budget price)", 100 * mc.p_urals_above_law, "%"),
        ("P(2026 deficit > law)", 100 * mc.p_deficit_above_law, "%"),
    ]
    rows += [(f"Deficit, {int(k)}th percentile", float(v), "bn RUB") for k, v in pct.items()]
    rows += [
        (f"NWF end, {int(k)}th percentile", float(v), "bn RUB") for k, v in mc.nwf_end_percentiles.items()
    ]
    frame = pd.DataFrame(rows, columns=["Statistic", "Value", "Unit"])
    frame["Value"] = frame["Value"].map(lambda v: number(v, 1 if abs(v) < 100 else 0))
    return table(frame, 0, label="Statistic")


def heatmap_finding(grid: pd.DataFrame, placed: pd.DataFrame, chosen: str, law_deficit: float) -> str:
    """The heatmap's title: the lowest Urals price on the grid that keeps the deficit within the law's
    at the chosen scenario's rouble rate (nearest grid column)."""
    rate = float(placed.loc[placed["name"] == chosen, "x"].iloc[0])
    column = min(grid.columns, key=lambda c: abs(float(c) - rate))
    within = grid.index[grid[column] <= law_deficit]
    if len(within) == 0:
        return (
            f"At about {number(column, 0)} RUB/USD no Urals price up to {usd(grid.index.max())} keeps the "
            f"deficit within the law's {bn_rub(law_deficit)}"
        )
    return (
        f"At about {number(column, 0)} RUB/USD the deficit stays within the law's {bn_rub(law_deficit)} "
        f"only with Urals at {usd(within.min())} or more"
    )
