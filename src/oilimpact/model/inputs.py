"""Monthly inputs: actual history (data/history.csv, then the assumptions), then the scenario's paths.

History (every scenario): the Urals tax price, the CBR monthly average and O&G revenue from
``data/history.csv`` (one sourced value per month, the numbers the structural fit uses; see
:mod:`oilimpact.model.history`), then ``data/assumptions.yaml`` for what the history does not reach
(2026 tax prices and revenue); the Primorsk discount from ``data/assumptions.yaml``. Months the sources
do not give are filled, and flagged:

* Urals: a 2025 gap (February: its tax price was not found) is interpolated linearly and shifted so
  that the 2025 mean equals the published 55.60; a gap in another year is interpolated.
* RUB/USD: the history's monthly averages (the CBR daily rates averaged over every calendar day, also
  for 2026); a month beyond them takes the last one.
* Discount: interpolated linearly between published months, held flat before the first.
* Brent in history is the *implied* tax-price Brent, Urals + discount; it runs $1–2 above Dated Brent
  because the tax price is 22 % ESPO, which trades at a smaller discount.

Scenario months (after the last actual price): Urals follows ``path_shape`` from ``urals_price``:
``flat``; ``glide`` (linear to ``target_price`` by ``target_month``, flat after); ``shock_decay``
(``target + (start − target)·0.5^(k/half_life)``, k months after the first scenario month). Brent =
Urals + ``urals_discount``; RUB/USD flat at ``rub_usd``; the export volume index is
``1 + export_share·export_volume_change/100`` (output falls only by the exported share).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from oilimpact.model.assumptions import Assumptions, load_assumptions
from oilimpact.model.history import Row, load_history
from oilimpact.params import Parameters

BASE_START = pd.Period("2024-10", "M")
"""First tax-base month the model needs (the quarter behind the March 2025 annual NDD payment)."""


def _series(assumptions: Assumptions, *keys: str) -> pd.Series:
    values: dict[pd.Period, float] = {}
    for key in keys:
        for label, value in assumptions.get(key).series().items():
            values[pd.Period(label[:7], "M")] = value
    return pd.Series(values, dtype=float).sort_index()


@dataclass(frozen=True)
class History:
    """Actual monthly inputs up to the last month with a published Urals tax price."""

    frame: pd.DataFrame  # urals_usd_bbl, rub_usd, discount_usd_bbl, brent_usd_bbl, *_filled flags
    last_actual: pd.Period
    revenue: pd.Series  # actual O&G revenue by receipt month, bn RUB
    keys: tuple[str, ...]


def _history_series(rows: Mapping[str, Mapping[str, Row]], series: str) -> pd.Series:
    values = {pd.Period(month, "M"): row.value for month, row in rows.get(series, {}).items()}
    return pd.Series(values, dtype=float).sort_index()


def build_history(assumptions: Assumptions, rows: Mapping[str, Mapping[str, Row]] | None = None) -> History:
    """Actual prices, rates and revenues, gaps filled as the module docstring says; ``rows`` is
    ``data/history.csv`` as :func:`load_history` reads it (read when not given)."""
    rows = load_history() if rows is None else rows
    urals = _history_series(rows, "urals_tax_price")
    urals = urals.combine_first(_series(assumptions, "urals_tax_price_2026"))
    months = pd.period_range(BASE_START, urals.index.max(), freq="M")
    published = urals.reindex(months)
    filled = published.interpolate().bfill()
    in_2025 = months.year == 2025
    gaps = published.isna().to_numpy() & in_2025
    if gaps.any():
        target_mean = assumptions.value("urals_tax_price_annual", "2025")
        filled[gaps] += (target_mean * in_2025.sum() - filled[in_2025].sum()) / gaps.sum()

    fx = _history_series(rows, "rub_usd_avg").reindex(months)
    fx_filled = fx.isna()
    fx = fx.interpolate().bfill().ffill()

    discount = _series(assumptions, "urals_discount").reindex(months)
    discount_filled = discount.isna()
    discount = discount.interpolate().bfill().ffill()

    frame = pd.DataFrame(
        {
            "urals_usd_bbl": filled,
            "rub_usd": fx,
            "discount_usd_bbl": discount,
            "brent_usd_bbl": filled + discount,
            "urals_filled": published.isna(),
            "rub_usd_filled": fx_filled,
            "discount_filled": discount_filled,
        }
    )
    revenue = _history_series(rows, "og_revenue").combine_first(_series(assumptions, "og_revenue_monthly"))
    revenue = revenue[revenue.index >= BASE_START + 1]
    keys = ("urals_tax_price_2026", "urals_tax_price_annual", "urals_discount", "og_revenue_monthly")
    return History(frame, months[-1], revenue.sort_index(), keys)


@cache
def default_history() -> History:
    return build_history(load_assumptions())


def base_months(horizon_end: str | pd.Period) -> pd.PeriodIndex:
    """Tax-base months from :data:`BASE_START` to the horizon's end (its last month feeds no receipt
    inside the horizon but completes the year's average price)."""
    return pd.period_range(BASE_START, pd.Period(horizon_end, "M"), freq="M")


def price_path(params: Parameters, months: pd.PeriodIndex) -> np.ndarray:
    """The scenario's Urals path over ``months`` (scenario months only; k = 0 at the first)."""
    steps = np.arange(len(months), dtype=float)
    start = params.urals_price
    target = params.target_price if params.target_price is not None else start
    if params.path_shape == "flat" or len(months) == 0:
        return np.full(len(months), start)
    if params.path_shape == "glide":
        reach = (pd.Period(params.target_month, "M") - months[0]).n if len(months) else 0
        if reach <= 0:
            return np.full(len(months), target)
        return start + (target - start) * np.minimum(steps / reach, 1.0)
    return target + (start - target) * 0.5 ** (steps / params.half_life_months)


@dataclass(frozen=True)
class Paths:
    """Inputs by tax-base month: history then scenario. Arrays are 1-D (one path)."""

    months: pd.PeriodIndex
    urals: np.ndarray
    brent: np.ndarray
    discount: np.ndarray
    rub_usd: np.ndarray
    volume: np.ndarray
    is_scenario: np.ndarray


def scenario_paths(params: Parameters, history: History, export_share: float) -> Paths:
    """History where actual prices exist, the scenario's paths after."""
    months = base_months(params.horizon_end)
    hist = history.frame.reindex(months)
    is_scenario = months > history.last_actual
    scenario_months = months[is_scenario]
    urals = hist["urals_usd_bbl"].to_numpy(dtype=float).copy()
    discount = hist["discount_usd_bbl"].to_numpy(dtype=float).copy()
    fx = hist["rub_usd"].to_numpy(dtype=float).copy()
    urals[is_scenario] = price_path(params, scenario_months)
    discount[is_scenario] = params.urals_discount
    fx[is_scenario] = params.rub_usd
    volume = np.where(is_scenario, 1.0 + export_share * params.export_volume_change / 100.0, 1.0)
    return Paths(months, urals, urals + discount, discount, fx, volume, is_scenario)


def mean_reverting_urals(
    median_path: np.ndarray, n_paths: int, volatility: float, reversion: float, seed: int
) -> np.ndarray:
    """Monte Carlo Urals: log price = log(median path) + an Ornstein–Uhlenbeck deviation.

    z_k = φ·z_{k−1} + σ_m·ε_k with φ = exp(−reversion/12), σ_m = volatility/√12, z_{−1} = 0, so the
    median of every month is the deterministic path. Returns an array (n_paths, len(median_path)).
    """
    steps = len(median_path)
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((n_paths, steps)) * (volatility / np.sqrt(12.0))
    phi = np.exp(-reversion / 12.0)
    # z_k = Σ_j φ^(k−j) ε_j: one matrix product instead of a Python loop over months.
    lags = np.arange(steps)[:, None] - np.arange(steps)[None, :]
    weights = np.where(lags >= 0, phi ** np.maximum(lags, 0), 0.0)
    deviations = shocks @ weights.T
    return median_path[None, :] * np.exp(deviations)
