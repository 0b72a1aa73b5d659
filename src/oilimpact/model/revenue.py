"""Oil and gas budget revenues: the extraction tax formula and the engine's reduced form of the terms.

For tax-base month t (Urals tax price P_t in USD/bbl, rate X_t in RUB/USD, volume index v_t):

    Kc_t = (P_t − 15) · X_t / 261                       (floored at 0)
    G_t  = 919 · Kc_t · Q · v_t · days_t / 7.3 / 10⁹    bn RUB: 919·Kc per tonne on the reference output
                                                         Q = 9.326 mb/d (December 2025)

Revenue received in month m (taxes are paid by the 28th of the next month):

    R_m = c₀ + c₁·G_{m−1} + c₂·N_m − e·[m an NDD month] + s·S_m + L_year(m)
    S_m = cos(2π(month(m) − p)/12)   the gas season, peaking in receipt month p (chosen per origin)
    N_m = [m ∈ Apr, Jul, Oct]·Σ G over the previous quarter + [m = Mar]·Σ G over Oct–Dec of the
          previous year

c₀ is the level of gas and other O&G taxes and the average damper (bn RUB a month); c₁·G the crude
extraction tax net of the Kc-proportional part of the deduction Dm and of the damper's price slope; c₂
the additional income tax (NDD) per bn RUB of the quarter's extraction-tax base: one rate for the
quarterly advances (Apr, Jul, Oct) and the March settlement of the fourth quarter (c₃ = c₂, the same
tax on the same base); s the amplitude of the gas season (gas taxes follow the winter peak of gas
output; S sums to zero over any twelve months). c₀, c₁, c₂, s come from the structural model fitted on
the 2023–2025 history (:mod:`oilimpact.model.structural`, with the choices of
:mod:`oilimpact.model.realtime`, handed over by :func:`fixed_calibration`).
L_year is the level term that makes the law's own assumptions reproduce its O&G plan (see
:mod:`oilimpact.model.budget`); it is zero in 2025.
All functions take arrays shaped (paths, months) so Monte Carlo, grids and decompositions are one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oilimpact.model.assumptions import Assumptions


@dataclass(frozen=True)
class TaxConstants:
    base_rate: float  # RUB/t
    threshold: float  # USD/bbl
    divisor: float
    barrels_per_tonne: float
    reference_output_mb_d: float
    export_share: float

    @classmethod
    def from_assumptions(cls, assumptions: Assumptions) -> TaxConstants:
        output = assumptions.value("crude_output", "2025-12")
        return cls(
            assumptions.value("extraction_tax_base_rate"),
            assumptions.value("extraction_tax_kc_threshold"),
            assumptions.value("extraction_tax_kc_divisor"),
            assumptions.value("barrels_per_tonne"),
            output,
            assumptions.value("crude_exports", "2025-10") / output,
        )

    KEYS = (
        "extraction_tax_base_rate",
        "extraction_tax_kc_threshold",
        "extraction_tax_kc_divisor",
        "barrels_per_tonne",
        "crude_output",
        "crude_exports",
    )


def kc(
    urals: np.ndarray | float, rub_usd: np.ndarray | float, threshold: float = 15.0, divisor: float = 261.0
) -> np.ndarray:
    """The extraction-tax price coefficient Kc = (Urals − 15) × RUB/USD ÷ 261 (not floored)."""
    return (np.asarray(urals, dtype=float) - threshold) * np.asarray(rub_usd, dtype=float) / divisor


def gross_extraction_tax(
    urals: np.ndarray, rub_usd: np.ndarray, volume: np.ndarray, days: np.ndarray, constants: TaxConstants
) -> np.ndarray:
    """919·Kc per tonne on the reference output, bn RUB a month (Kc floored at 0)."""
    coefficient = np.maximum(kc(urals, rub_usd, constants.threshold, constants.divisor), 0.0)
    tonnes = constants.reference_output_mb_d * 1e6 * days * volume / constants.barrels_per_tonne
    return constants.base_rate * coefficient * tonnes / 1e9


@dataclass(frozen=True)
class Layout:
    """Which tax-base months feed each receipt month (as 0/1 weight matrices, receipts × base months)."""

    receipts: pd.PeriodIndex
    base: pd.PeriodIndex
    extraction: np.ndarray
    ndd_quarter: np.ndarray
    ndd_annual: np.ndarray


def layout(receipts: pd.PeriodIndex, base: pd.PeriodIndex) -> Layout:
    position = {month: i for i, month in enumerate(base)}
    shape = (len(receipts), len(base))
    extraction, quarter, annual = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for r, month in enumerate(receipts):
        extraction[r, position[month - 1]] = 1.0
        target = annual if month.month == 3 else quarter
        for lag in ndd_lags(month.month):
            target[r, position[month - lag]] = 1.0
    return Layout(receipts, base, extraction, quarter, annual)


def ndd_lags(month_of_year: int) -> tuple[int, ...]:
    """How many months back from a receipt month lie the tax months its NDD is paid on: the quarter
    just ended in April, July and October (1–3), October–December of the year before in March, the
    annual settlement (3–5); none in other months."""
    if month_of_year in (4, 7, 10):
        return (1, 2, 3)
    return (3, 4, 5) if month_of_year == 3 else ()


def gas_season(month_of_year: int | np.ndarray, peak: float) -> np.ndarray:
    """The gas season S of receipt months (1–12): cos(2π(month − ``peak``)/12), 1 in the receipt month
    ``peak``, −1 six months later; any twelve consecutive months sum to 0. The peak is not a constant:
    :mod:`oilimpact.model.realtime` chooses it at each origin from the months before it."""
    return np.cos(2 * np.pi * (np.asarray(month_of_year, dtype=float) - peak) / 12)


def regressors(gross: np.ndarray, lay: Layout) -> np.ndarray:
    """(paths, receipts, 4): constant, G_{m−1}, quarterly NDD base, annual (Q4 settlement) NDD base."""
    gross = np.atleast_2d(gross)
    stacked = [
        np.ones((gross.shape[0], len(lay.receipts))),
        gross @ lay.extraction.T,
        gross @ lay.ndd_quarter.T,
        gross @ lay.ndd_annual.T,
    ]
    return np.stack(stacked, axis=-1)


COMPONENTS = ("other_og_bn_rub", "extraction_tax_bn_rub", "ndd_quarterly_bn_rub", "ndd_annual_bn_rub")


@dataclass(frozen=True)
class Calibration:
    """Least-squares coefficients c₀, c₁, c₂, the gas season's amplitude s, and the window and months
    they were fitted on."""

    coefficients: np.ndarray  # c₀, c₁, c₂
    window: tuple[str, str]
    fitted: pd.Series  # every window month with a published revenue
    actual: pd.Series
    in_fit: pd.Series  # bool: the month entered the least squares
    season: float  # s, bn RUB a month at the peak
    season_peak: float | None  # the receipt month where S peaks (chosen per origin); None: no season
    ndd_costs: float  # e: the costs the NDD deducts in each NDD month, bn RUB (0 if not chosen)

    def ndd_months(self, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
        """1 in the receipt months with a quarterly advance, and in those with the March settlement."""
        return (lay.ndd_quarter.sum(axis=1) > 0).astype(float), (lay.ndd_annual.sum(axis=1) > 0).astype(float)

    def seasonal(self, lay: Layout) -> np.ndarray:
        """s·S of each receipt month, bn RUB (zero without a season)."""
        if self.season_peak is None:
            return np.zeros(len(lay.receipts))
        return self.season * gas_season(np.asarray(lay.receipts.month), self.season_peak)

    @property
    def per_regressor(self) -> np.ndarray:
        """The coefficients of the four regressors: c₀, c₁, c₂ (quarterly NDD), c₂ (March NDD)."""
        c0, c1, c2 = self.coefficients
        return np.array([c0, c1, c2, c2])

    def components(self, gross: np.ndarray, lay: Layout) -> np.ndarray:
        """(paths, receipts, 4) revenue components, bn RUB (:data:`COMPONENTS`); the gas season is in
        the first, gas and other."""
        parts = regressors(gross, lay) * self.per_regressor
        parts[..., 0] += self.seasonal(lay)
        quarterly, annual = self.ndd_months(lay)
        parts[..., 2] -= self.ndd_costs * quarterly
        parts[..., 3] -= self.ndd_costs * annual
        return parts

    def revenue(self, gross: np.ndarray, lay: Layout) -> np.ndarray:
        """(paths, receipts) revenue, bn RUB: one matrix product with the combined weights."""
        c0, c1, c2 = self.coefficients
        weights = c1 * lay.extraction + c2 * (lay.ndd_quarter + lay.ndd_annual)
        costs = self.ndd_costs * sum(self.ndd_months(lay))
        return c0 + self.seasonal(lay) - costs + np.atleast_2d(gross) @ weights.T


def fixed_calibration(
    coefficients: tuple[float, float, float, float, float], gross: np.ndarray, lay: Layout,
    actual: pd.Series, start: str, end: str, in_fit: set[str], season_peak: float | None,
) -> Calibration:
    """A :class:`Calibration` with given c₀, c₁, c₂, s, e and the season's peak month (fitted elsewhere:
    :func:`oilimpact.model.realtime.full_fit` on the 2023–2025 history, with the choices made at the
    first month after it), its fitted values shown for the receipt months ``start``..``end``."""
    window = [m for m in lay.receipts if pd.Period(start, "M") <= m <= pd.Period(end, "M") and m in actual]
    rows = [lay.receipts.get_loc(m) for m in window]
    four = regressors(gross, lay)[0, rows, :]
    design = np.column_stack([four[:, 0], four[:, 1], four[:, 2] + four[:, 3]])
    index = pd.PeriodIndex(window)
    *chosen, amplitude, costs = np.asarray(coefficients, dtype=float)
    season = 0.0 if season_peak is None else amplitude * gas_season(np.asarray(index.month), season_peak)
    ndd_month = (four[:, 2] + four[:, 3]) > 0
    fitted = design @ np.asarray(chosen) + season - costs * ndd_month
    return Calibration(np.asarray(chosen), (start, end), pd.Series(fitted, index=index), actual.loc[window],
                       pd.Series([str(m) in in_fit for m in window], index=index), amplitude, season_peak,
                       costs)
