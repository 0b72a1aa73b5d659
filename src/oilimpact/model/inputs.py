"""Monthly inputs: actual history from the assumptions, then the scenario's price, rouble and volume paths.

History (every scenario): the Urals tax price, the CBR rate and the Primorsk discount from
``data/assumptions.yaml``. Months the sources do not give are filled, and flagged:

* Urals: October–November 2024 take December 2024's price (they only feed the March 2025 annual
  NDD payment); the 2025 gaps (Feb, Apr, Jun, Jul) are interpolated linearly and shifted by one common
  amount so that the 2025 mean equals the published 55.60.
* RUB/USD: published monthly averages where given; September and November 2025 take the month-end
  rate; January and February 2026 the mean of the surrounding month-end rates; the rest linear.
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

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from oilimpact.model.assumptions import Assumptions, load_assumptions
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
    revenue_inferred: tuple[pd.Period, ...] = ()  # months whose revenue is a remainder, not published


def build_history(assumptions: Assumptions) -> History:
    """Actual prices, rates and revenues, gaps filled as the module docstring says."""
    urals = _series(assumptions, "urals_tax_price", "urals_tax_price_2026")
    months = pd.period_range(BASE_START, urals.index.max(), freq="M")
    published = urals.reindex(months)
    filled = published.copy()
    first = published.first_valid_index()
    filled[filled.index < first] = published[first]
    filled = filled.interpolate()
    in_2025 = months.year == 2025
    gaps = published.isna().to_numpy() & in_2025
    target_mean = assumptions.value("urals_tax_price_annual", "2025")
    filled[gaps] += (target_mean * in_2025.sum() - filled[in_2025].sum()) / gaps.sum()

    fx = _series(assumptions, "rub_usd_monthly_average").reindex(months)
    month_end = _series(assumptions, "rub_usd_month_end")
    fx[pd.Period("2025-12", "M")] = assumptions.value("rub_usd_2025_12_average")
    for month in (pd.Period("2025-09", "M"), pd.Period("2025-11", "M")):
        fx[month] = month_end[month]
    for month in (pd.Period("2026-01", "M"), pd.Period("2026-02", "M")):
        if month in fx.index:
            fx[month] = (month_end[month - 1] + month_end[month]) / 2
    fx_filled = fx.isna()
    fx[fx.index < fx.first_valid_index()] = fx[fx.first_valid_index()]
    fx = fx.interpolate()

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
    revenue = _series(assumptions, "og_revenue_monthly")
    march = pd.Period("2025-03", "M")
    revenue[march] = (
        assumptions.value("og_revenue_2025_q1")
        - revenue[pd.Period("2025-01", "M")]
        - revenue[pd.Period("2025-02", "M")]
    )
    keys = (
        "urals_tax_price",
        "urals_tax_price_2026",
        "urals_tax_price_annual",
        "rub_usd_monthly_average",
        "rub_usd_month_end",
        "rub_usd_2025_12_average",
        "urals_discount",
        "og_revenue_monthly",
        "og_revenue_2025_q1",
    )
    return History(frame, months[-1], revenue.sort_index(), keys, (march,))


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
