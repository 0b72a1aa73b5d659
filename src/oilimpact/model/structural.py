"""Structural O&G revenue on the 2023–2025 history, term by term, for the choices of one origin.

For receipt month m and tax month t = m − 1 (Urals tax price P_t, USD/bbl; CBR average X_t, RUB/USD;
taxes for month t are paid by the 28th of month m):

    Kc_t = (P_t − 15) · X_t / 261                          (floored at 0)
    G_t  = 919 · Kc_t · Q · days_t / 7.3 / 10⁹             bn RUB, :func:`revenue.gross_extraction_tax`
    N_m  = [m ∈ Apr, Jul, Oct] · Σ G over the previous quarter + [m = Mar] · Σ G over Oct–Dec before

The terms, each with its own equation where ``data/history.csv`` has the published component:

    crude extraction tax  MET_m    = a · G_{m−1}        a: 919·Kc − Dm as a share of 919·Kc, a reduced form
                                                          (Dm's Kman, Kdt, Kabdt, Kdemp are not published
                                                          monthly; a also absorbs output ≠ Q)
    NDD                   NDD_m    = b · N_m − e        quarterly advances in Apr, Jul, Oct; the annual
                                                          settlement in March; e: the costs a tax on
                                                          profit deducts (if the origin chose them)
    damper (paid out)     damp_m   = d₀ + d₁ · G_{m−1}  a proxy driven by the export netback through Kc
                          (+ d₂ · years since 2024-01)  (the damper is the export minus the domestic
                                                          fuel netback; its formula needs fuel prices the
                                                          history does not hold); it changes sign when
                                                          G is low; the trend if chosen (the threshold
                                                          prices are indexed every January)
    export duty           duty_m   = published          crude export duty, 2023 only (abolished 2024-01;
                                                          December 2023 takes November's)
    gas and other         other_m  = c₀ + s · S_m       S_m = cos(2π(month(m) − p)/12): the heating
                                                          season of gas output and the gas taxes on it,
                                                          peaking in receipt month p (or no season)

    R_m = (c₀ − d₀) + (a − d₁)·G_{m−1} + b·N_m − e·[NDD month] − d₂·trend + s·S_m + duty_m

which is the scenario engine's form (:mod:`oilimpact.model.revenue`: c₀ + c₁·G + c₂·N − e + s·S) with
c₀ = c₀ − d₀ of the terms, c₁ = a − d₁, c₂ = b: :meth:`Fit.engine` hands a fit to the engine, so
scenarios, the budget rule, Shapley values and the Monte Carlo run on this model.

One least-squares fit stacks the revenue equation for every training month with the MET, NDD and
damper equations for the training months that publish them — so every published component pins its
own term — and, if chosen, Bloomberg's "oil-related taxes" (MET + NDD − damper + duty) as an equation
of the oil part. Which of these enter, the season's phase and the weighting are a :class:`Choice`,
made at each origin from the months before it by :mod:`oilimpact.model.realtime`; nothing here is
read off the whole sample.

Regimes the data span: in 2023 the Urals tax price was the Argus Urals average (MinFin) and the crude
export duty still existed; from 2024 the duty is gone and the tax price is floored at Brent minus a
fixed discount ($15 in January 2024, the "price floor"); from 2025 it is 78 % Urals + 22 % ESPO. The
history stores the tax price as published for each month, so the floor is already in P; the duty is a
term of its own. A month whose tax price is not published (2025-02) has no inputs: its receipt months
(2025-03, and 2025-04 whose NDD base includes February) are neither fitted nor predicted.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from oilimpact.errors import OilImpactError
from oilimpact.model.assumptions import load_assumptions
from oilimpact.model.history import Row, load_history
from oilimpact.model.revenue import TaxConstants, gas_season, gross_extraction_tax, ndd_lags

TERMS = ("level", "met", "ndd", "damper_slope", "damper_level", "damper_trend", "gas_season", "ndd_costs")
TREND_ORIGIN = "2024-01"
"""Where the damper's trend is zero (the first backtest origin; it only shifts the damper's level)."""


def shift(month: str, by: int) -> str:
    """The month ``by`` months after ``month`` (YYYY-MM)."""
    year, mon = int(month[:4]), int(month[5:])
    index = year * 12 + mon - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _trend(month: str) -> float:
    return (int(month[:4]) * 12 + int(month[5:]) - int(TREND_ORIGIN[:4]) * 12 - int(TREND_ORIGIN[5:])) / 12


def ndd_quarter(receipt: str) -> list[str]:
    """The tax months whose base the NDD paid in ``receipt`` covers (:func:`revenue.ndd_lags`), oldest
    first: the previous quarter in April, July and October; October–December before in March."""
    return [shift(receipt, -lag) for lag in sorted(ndd_lags(int(receipt[5:])), reverse=True)]


@dataclass(frozen=True)
class Inputs:
    """What the model needs for one receipt month, from the prices and rates of the months before."""

    month: str
    price: float  # P of the tax month m − 1
    rate: float
    gross: float  # G_{m−1}
    ndd_base: float  # N_m
    duty: float  # export duty received (2023), else 0

    @property
    def trend(self) -> float:
        """Years from :data:`TREND_ORIGIN` to the receipt month (the damper's indexation trend)."""
        return _trend(self.month)


@dataclass
class Data:
    """Prices, rates, revenue and components by month (from data/history.csv, then data/assumptions.yaml
    for 2026 months the history does not reach)."""

    price: dict[str, float]
    rate: dict[str, float]
    revenue: dict[str, float]
    components: dict[str, dict[str, float]]
    constants: TaxConstants  # the formula's numbers, with their sources in data/assumptions.yaml
    base_price: dict[str, float] = field(default_factory=dict)  # the budget rule's, by year (USD/bbl)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    _gross: dict[str, float] = field(default_factory=dict, repr=False)  # by tax month, computed once
    _inputs: dict[str, Inputs | None] = field(default_factory=dict, repr=False)  # by receipt month, once

    def gross(self, tax_month: str) -> float:
        """G of a tax month: :func:`revenue.gross_extraction_tax` on its published price and rate."""
        if tax_month not in self._gross:
            days = calendar.monthrange(int(tax_month[:4]), int(tax_month[5:]))[1]
            self._gross[tax_month] = float(gross_extraction_tax(
                np.array([self.price[tax_month]]), np.array([self.rate[tax_month]]), np.ones(1),
                np.array([days], dtype=float), self.constants)[0])
        return self._gross[tax_month]

    def gross_at(self, tax_month: str, price: float) -> float:
        """G of a tax month at another Urals tax price (its published rate): the budget rule's base."""
        days = calendar.monthrange(int(tax_month[:4]), int(tax_month[5:]))[1]
        return float(gross_extraction_tax(np.array([price]), np.array([self.rate[tax_month]]), np.ones(1),
                                          np.array([days], dtype=float), self.constants)[0])

    def inputs(self, month: str) -> Inputs | None:
        if month not in self._inputs:
            self._inputs[month] = self._read_inputs(month)
        return self._inputs[month]

    def forget(self) -> None:
        """Drop what was computed from the prices and rates (after changing them)."""
        self._gross.clear()
        self._inputs.clear()

    def _read_inputs(self, month: str) -> Inputs | None:
        tax_month = shift(month, -1)
        if tax_month not in self.price or tax_month not in self.rate:
            return None
        quarter = ndd_quarter(month)
        if any(q not in self.price or q not in self.rate for q in quarter):
            return None
        price, rate = self.price[tax_month], self.rate[tax_month]
        ndd_base = sum(self.gross(q) for q in quarter)
        duties = self.components.get("export_duty", {})
        duty = duties.get(month, duties.get("2023-11", 0.0)) if month.startswith("2023") else 0.0
        return Inputs(month, price, rate, self.gross(tax_month), ndd_base, duty)

    def missing(self, month: str) -> list[str]:
        """What ``month`` lacks: the tax price or rate of a month its taxes depend on."""
        need = [shift(month, -1), *ndd_quarter(month)]
        gaps = [f"urals_tax_price {m}" for m in need if m not in self.price]
        return gaps + [f"rub_usd_avg {m}" for m in need if m not in self.rate]


def _rows(history: Mapping[str, Mapping[str, Row]], series: str) -> dict[str, float]:
    return {period: row.value for period, row in history.get(series, {}).items()}


def load_data() -> Data:
    """History from data/history.csv; 2026 tax prices, rates and revenue from data/assumptions.yaml."""
    history = load_history()
    series = ("met_oil", "ndd", "damper", "export_duty", "oil_tax_revenue", "og_additional_revenue_expected",
              "og_additional_revenue_deviation", "fx_operations_total", "fx_operations_daily")
    components = {s: _rows(history, s) for s in series}
    assumptions = load_assumptions()
    data = Data(_rows(history, "urals_tax_price"), _rows(history, "rub_usd_avg"),
                _rows(history, "og_revenue"), components, TaxConstants.from_assumptions(assumptions),
                {year: float(v) for year, v in assumptions.get("budget_rule_base_price").series().items()})
    for series, rows in history.items():
        for period, row in rows.items():
            where = ", ".join(part for part in (row.source_url, row.page_date) if part)
            data.sources[(series, period)] = f"{row.source_title} ({where})"
    extra = {"price": ("urals_tax_price_2026", "urals_tax_price"), "rate": ("rub_usd_monthly_average",),
             "revenue": ("og_revenue_monthly",)}
    for attribute, keys in extra.items():
        target = getattr(data, attribute)
        for key in keys:
            if key not in assumptions:
                continue
            entry = assumptions.get(key)
            for label, value in entry.series().items():
                month = label[:7]
                if month >= "2026-01" and month not in target:
                    target[month] = float(value)
                    data.sources[(attribute, month)] = f"{entry.source.title} ({entry.source.where})"
    return data


@dataclass(frozen=True)
class Choice:
    """The structural choices of one fit, made at each origin from the months before it by
    :func:`oilimpact.model.realtime.choose` (never fixed once on the whole sample)."""

    season_peak: int | None  # receipt month where the gas season S peaks; None: no season term
    damper_trend: bool  # the damper proxy has a time trend (its threshold is indexed every year)
    robust: bool  # months the fit cannot explain are down-weighted (Huber), not trusted at full weight
    ndd_costs: bool = False  # the NDD deducts costs: b·N − e in each NDD month, not b·N alone
    oil_split: bool = False  # Bloomberg's oil-related taxes pin the oil part (an equation of the fit)

    @property
    def label(self) -> str:
        season = f"season peak {self.season_peak}" if self.season_peak else "no season"
        return ", ".join([season, *(["damper trend"] if self.damper_trend else []),
                          *(["NDD costs"] if self.ndd_costs else []),
                          *(["oil split"] if self.oil_split else []), *(["robust"] if self.robust else [])])


HUBER_K = 1.345
"""Huber's tuning constant (95 % efficiency under normal errors): a textbook value, not read off data."""


@dataclass(frozen=True)
class Fit:
    coefficients: pd.Series  # TERMS
    months: tuple[str, ...]  # the receipt months it was fitted on
    choice: Choice
    weights: dict[str, float] = field(default_factory=dict)  # revenue-equation weight of each month

    def season(self, x: Inputs) -> float:
        """S of the receipt month at the chosen peak (0 without a season term)."""
        peak = self.choice.season_peak
        return 0.0 if peak is None else float(gas_season(int(x.month[5:]), peak))

    @cached_property
    def _c(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.coefficients.items()}

    def predict(self, x: Inputs) -> float:
        c = self._c
        return float(c["level"] + (c["met"] - c["damper_slope"]) * x.gross + self._ndd(x)
                     - c["damper_trend"] * x.trend + c["gas_season"] * self.season(x) + x.duty)

    def _ndd(self, x: Inputs) -> float:
        c = self._c
        return float(c["ndd"] * x.ndd_base - (c["ndd_costs"] if x.ndd_base > 0 else 0.0))

    def terms(self, x: Inputs) -> dict[str, float]:
        c = self.coefficients
        damper = c["damper_level"] + c["damper_slope"] * x.gross + c["damper_trend"] * x.trend
        return {"extraction_tax": c["met"] * x.gross, "ndd": self._ndd(x),
                "damper_paid": damper, "export_duty": x.duty,
                "gas_and_other": c["level"] + c["damper_level"] + c["gas_season"] * self.season(x)}

    def compared(self, x: Inputs) -> dict[str, float]:
        """The terms plus the oil part (extraction tax + NDD − damper + duty), each of which some month
        of the history publishes (:data:`PUBLISHED_TERMS`, :data:`OIL_PART`)."""
        terms = self.terms(x)
        oil = terms["extraction_tax"] + terms["ndd"] - terms["damper_paid"] + terms["export_duty"]
        return {**terms, "oil_taxes": oil}

    def engine(self, at: str) -> tuple[float, float, float, float, float]:
        """c₀, c₁, c₂, the gas season's amplitude s and the NDD's costs e of the scenario engine's form;
        the damper's trend (if chosen) is folded into c₀ at receipt month ``at`` (the engine has no
        trend)."""
        c = self._c
        level = c["level"] - c["damper_trend"] * _trend(at)
        return (level, c["met"] - c["damper_slope"], c["ndd"], c["gas_season"], c["ndd_costs"])


def _design(data: Data, months: list[str], choice: Choice) -> tuple[list[list[float]], list[float], list[str],
                                                                     list[str]]:
    """The stacked equations' rows (:data:`TERMS` order), targets, which month each row is of, and the
    months with a revenue equation."""
    rows, target, owner, used = [], [], [], []
    peak = choice.season_peak
    for month in months:
        x = data.inputs(month)
        if x is None or month not in data.revenue:
            continue
        used.append(month)
        season = 0.0 if peak is None else float(gas_season(int(month[5:]), peak))
        trend = x.trend if choice.damper_trend else 0.0
        costs = 1.0 if choice.ndd_costs and x.ndd_base > 0 else 0.0
        rows.append([1.0, x.gross, x.ndd_base, -x.gross, 0.0, -trend, season, -costs])
        target.append(data.revenue[month] - x.duty)
        owner.append(month)
        equations = (("met_oil", [0.0, x.gross, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], True),
                     ("ndd", [0.0, 0.0, x.ndd_base, 0.0, 0.0, 0.0, 0.0, -costs], x.ndd_base > 0),
                     ("damper", [0.0, 0.0, 0.0, x.gross, 1.0, trend, 0.0, 0.0], True),
                     ("oil_tax_revenue", [0.0, x.gross, x.ndd_base, -x.gross, -1.0, -trend, 0.0, -costs],
                      choice.oil_split))
        for series, row, applies in equations:
            published = data.components.get(series, {}).get(month)
            if published is not None and applies:
                rows.append(row)
                target.append(published - (x.duty if series == "oil_tax_revenue" else 0.0))
                owner.append(f"{series} {month}")
    return rows, target, owner, used


def fit(data: Data, months: list[str], choice: Choice) -> Fit:
    """Least squares on the stacked revenue and component equations of ``months`` (receipt months),
    with the terms and weighting of ``choice``; robust: iteratively reweighted with Huber's weights on
    residuals scaled by their median absolute deviation."""
    rows, target, owner, used = _design(data, months, choice)
    if len(used) < 6:
        raise OilImpactError(f"too few months with inputs to fit the model ({len(used)}; at least 6 needed)")
    design, y = np.array(rows), np.array(target)
    if not choice.damper_trend:
        design[:, TERMS.index("damper_trend")] = 0.0
    weights = np.ones(len(y))
    for _ in range(20 if choice.robust else 1):
        root = np.sqrt(weights)[:, None]
        solution, *_ = np.linalg.lstsq(design * root, y * root[:, 0], rcond=None)
        residual = y - design @ solution
        scale = 1.4826 * np.median(np.abs(residual - np.median(residual)))
        if not choice.robust or scale <= 0:
            break
        updated = np.minimum(1.0, HUBER_K * scale / np.maximum(np.abs(residual), 1e-12))
        if np.allclose(updated, weights, atol=1e-6):
            break
        weights = updated
    by_month = {m: float(w) for m, w in zip(owner, weights, strict=True) if " " not in m}
    return Fit(pd.Series(solution, index=list(TERMS)), tuple(used), choice, by_month)


PUBLISHED_TERMS = (
    ("extraction_tax", "met_oil", "MET"), ("ndd", "ndd", "NDD"), ("damper_paid", "damper", "damper"),
)
"""Each term the history publishes in some months, its series there, and its short name in notes."""
OIL_PART = ("oil_taxes", "oil_tax_revenue", "oil taxes")
"""The oil part (:meth:`Fit.compared`) against Bloomberg's oil-related taxes: compared, not fitted."""
