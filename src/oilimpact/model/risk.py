"""Risk: the deficit grid over Urals × RUB/USD, the Monte Carlo of mean-reverting log Urals, the tornado."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oilimpact.errors import OilImpactError
from oilimpact.model.budget import default_context
from oilimpact.model.deterministic import scenario_inputs, shifted_inputs
from oilimpact.model.inputs import mean_reverting_urals
from oilimpact.model.scenarios import resolve_parameters
from oilimpact.params import Parameters


def deficit_grid(
    urals: Iterable[float] = range(30, 101, 5),
    rub_usd: Iterable[float] = range(70, 111, 5),
    params: Parameters | None = None,
    year: int = 2026,
    value: str = "deficit_bn_rub",
) -> pd.DataFrame:
    """The year's deficit (or ``value``: deficit_pct_gdp, og_revenue_bn_rub) with Urals and RUB/USD flat
    over the scenario's months: rows Urals, columns RUB/USD (every grid point is one vectorised path)."""
    params = params or resolve_parameters("budget_law")
    context = default_context()
    engine, paths, base_price = scenario_inputs(params, context)
    points = list(itertools.product([float(u) for u in urals], [float(x) for x in rub_usd]))
    if not points:
        raise OilImpactError("deficit_grid: needs at least one Urals price and one RUB/USD rate")
    grid = np.array(points)
    scen = paths.is_scenario[None, :]
    u = np.where(scen, grid[:, :1], paths.urals[None, :])
    x = np.where(scen, grid[:, 1:], paths.rub_usd[None, :])
    vol = np.broadcast_to(paths.volume, u.shape)
    out = engine.budget(u, x, vol, base_price)
    deficit = engine.deficit(out["used"], year)
    values = {
        "deficit_bn_rub": deficit,
        "deficit_pct_gdp": 100.0 * deficit / context.gdp,
        "og_revenue_bn_rub": engine.year_total(out["used"], year),
    }
    if value not in values:
        raise OilImpactError(f"deficit_grid: value must be one of {', '.join(values)}, got {value!r}")
    long = pd.DataFrame({"urals_usd_bbl": grid[:, 0], "rub_usd": grid[:, 1], value: values[value]})
    return long.pivot(index="urals_usd_bbl", columns="rub_usd", values=value)


@dataclass(frozen=True)
class MonteCarloResult:
    """Percentile fans by month, the year's deficit distribution and probabilities."""

    params: Parameters
    fan_urals: pd.DataFrame
    fan_revenue: pd.DataFrame
    deficit: np.ndarray
    deficit_percentiles: pd.Series
    nwf_end_percentiles: pd.Series
    p_urals_above_law: float
    p_deficit_above_law: float
    urals_average: np.ndarray = field(repr=False)

    def summary(self) -> pd.Series:
        return pd.Series(
            {
                "paths": len(self.deficit),
                "p_urals_avg_above_law": self.p_urals_above_law,
                "p_deficit_above_law": self.p_deficit_above_law,
                **{f"deficit_p{int(k)}_bn_rub": v for k, v in self.deficit_percentiles.items()},
            }
        )


PERCENTILES = (5, 25, 50, 75, 95)


def monte_carlo(params: Parameters, year: int = 2026) -> MonteCarloResult:
    """``mc_paths`` mean-reverting log-Urals paths around the scenario's path, through the full revenue and
    budget model in one vectorised pass (rouble and volumes stay on the scenario's path)."""
    context = default_context()
    engine, paths, base_price = scenario_inputs(params, context)
    scen = paths.is_scenario
    urals = np.repeat(paths.urals[None, :], params.mc_paths, axis=0)
    urals[:, scen] = mean_reverting_urals(
        paths.urals[scen], params.mc_paths, params.mc_volatility, params.mc_reversion, params.seed
    )
    fx = np.broadcast_to(paths.rub_usd, urals.shape)
    vol = np.broadcast_to(paths.volume, urals.shape)
    out = engine.budget(urals, fx, vol, base_price)
    deficit = engine.deficit(out["used"], year)
    year_mask = np.asarray(paths.months.year == year)
    average = urals[:, year_mask].mean(axis=1)
    shown = np.asarray(engine.receipts >= pd.Period(params.horizon_start, "M"))
    fan_urals = pd.DataFrame(
        np.percentile(urals, PERCENTILES, axis=0).T,
        index=paths.months,
        columns=[f"p{p}" for p in PERCENTILES],
    )
    fan_revenue = pd.DataFrame(
        np.percentile(out["used"][:, shown], PERCENTILES, axis=0).T,
        index=engine.receipts[shown],
        columns=[f"p{p}" for p in PERCENTILES],
    )
    balance = out["nwf_balance"][:, np.asarray(engine.receipts.year == year)][:, -1]
    return MonteCarloResult(
        params,
        fan_urals,
        fan_revenue,
        deficit,
        pd.Series(np.percentile(deficit, PERCENTILES), index=PERCENTILES, name="deficit_bn_rub"),
        pd.Series(np.percentile(balance, PERCENTILES), index=PERCENTILES, name="nwf_end_bn_rub"),
        float((average > context.law_price).mean()),
        float((deficit > context.law_deficit).mean()),
        average,
    )


TORNADO_SHOCKS = {
    "urals_price": 10.0,
    "rub_usd": 10.0,
    "urals_discount": 5.0,
    "export_volume_change": 10.0,
}


def tornado(params: Parameters, year: int = 2026) -> pd.DataFrame:
    """The year's O&G revenue and deficit change when each lever moves by − and + its shock over the
    whole scenario path (:func:`~oilimpact.model.deterministic.shifted_inputs`, the same shift as the
    per-unit sensitivities, so a bar is its shock times the lever's rest-of-year sensitivity)."""
    context = default_context()
    engine, paths, base_price = scenario_inputs(params, context)
    rows = []
    for lever, shock in TORNADO_SHOCKS.items():
        inputs = shifted_inputs(paths, context.constants.export_share, lever,
                                np.array([0.0, -shock, shock]), paths.is_scenario)
        out = engine.budget(*inputs, base_price)
        revenue = engine.year_total(out["used"], year)
        deficit = engine.deficit(out["used"], year)
        rows.append({
            "lever": lever, "shock": shock,
            "revenue_low_bn_rub": float(revenue[1] - revenue[0]),
            "revenue_high_bn_rub": float(revenue[2] - revenue[0]),
            "deficit_low_bn_rub": float(deficit[1] - deficit[0]),
            "deficit_high_bn_rub": float(deficit[2] - deficit[0]),
        })
    frame = pd.DataFrame(rows).set_index("lever")
    frame["swing_bn_rub"] = (frame["revenue_high_bn_rub"] - frame["revenue_low_bn_rub"]).abs()
    return frame.sort_values("swing_bn_rub", ascending=False)
