"""Structural O&G revenue on the 2023–2025 history, term by term; rolling backtest; nowcast.

For receipt month m and tax month t = m − 1 (Urals tax price P_t, USD/bbl; CBR average X_t, RUB/USD;
taxes for month t are paid by the 28th of month m):

    Kc_t = (P_t − 15) · X_t / 261                          (floored at 0)
    G_t  = 919 · Kc_t · Q · days_t / 7.3 / 10⁹             bn RUB, :func:`revenue.gross_extraction_tax`
    N_m  = [m ∈ Apr, Jul, Oct] · Σ G over the previous quarter + [m = Mar] · Σ G over Oct–Dec before

The terms, each with its own equation where ``data/history.csv`` has the published component:

    crude extraction tax  MET_m    = a · G_{m−1}        a: 919·Kc − Dm as a share of 919·Kc, a reduced form
                                                          (Dm's Kman, Kdt, Kabdt, Kdemp are not published
                                                          monthly; a also absorbs output ≠ Q)
    NDD                   NDD_m    = b · N_m            quarterly advances in Apr, Jul, Oct; the annual
                                                          settlement in March
    damper (paid out)     damp_m   = d₀ + d₁ · G_{m−1}  a proxy driven by the export netback through Kc
                                                          (the damper is the export minus the domestic
                                                          fuel netback; its formula needs fuel prices the
                                                          history does not hold)
    export duty           duty_m   = published          crude export duty, 2023 only (abolished 2024-01;
                                                          December 2023 takes November's)
    gas and other         other_m  = c₀ + s · S_m       S_m = cos(2π(month(m) − 1)/12): the heating
                                                          season of gas output and the gas taxes on it

    R_m = (c₀ − d₀) + (a − d₁)·G_{m−1} + b·N_m + s·S_m + duty_m

which is the scenario engine's form (:mod:`oilimpact.model.revenue`: c₀ + c₁·G + c₂·N + s·S) with
c₀ = k = c₀ − d₀ of the terms, c₁ = a − d₁, c₂ = b: :func:`engine_coefficients` hands the fit to the
engine, so scenarios, the budget rule, Shapley values and the Monte Carlo run on this model.

The gas season. Gas taxes (extraction tax on gas and condensate, the gas export duty) are inside O&G
revenue and follow the gas output, which peaks in the winter; a model of oil prices alone leaves
them in the residual, which is why the 2023–2025 residuals run high in the winter receipt months and
low in the summer ones. S_m is one annual cosine with its peak fixed at January's receipts (December's
output); only its amplitude s is fitted. The phase is where a free annual harmonic fitted on the whole
2023–2025 history peaks (receipt month 1.2) — a structural constant chosen once, not refitted per
backtest origin. Over any twelve consecutive months S sums to zero, so it moves money between months,
never a year's total.

The six numbers (k, a, b, d₁, d₀, s) are one least-squares fit of the stacked equations: the
revenue equation for every training month, plus the MET, NDD and damper equations for the training
months that publish them — so every published component pins its own term.

The oil part, oil_m = MET_m + NDD_m − damp_m + duty_m, is compared with Bloomberg's calculation of
"oil-related taxes" from the Finance Ministry's data (13 months in the history) but not fitted: that
comparison shows how the fit splits revenue between the oil terms and gas and other. The split is
loosely identified: the fit puts gas and other at c₀ ≈ 47 ± 49 bn a month over the season, below the
80–200 bn that revenue minus Bloomberg's oil taxes implies, so its oil part runs high. Fitting the oil
part as a sixth equation moves gas and other to ≈ 100 ± 47 bn but makes the damper proxy pay about
100 bn a month in 2025 against the 30–80 bn published (the damper's fall in 2025 needs its own
formula: fuel netbacks against the indexed domestic threshold price), with the same backtest accuracy
within noise (median APE 5.1 % against 5.0 %, MAPE 6.4 % against 6.8 %); the engine's coefficients
c₀, c₁, c₂, s hardly move (116.0, 0.930, 0.236, 47.2 against 118.2, 0.918, 0.246, 48.9).

Regimes the data span: in 2023 the Urals tax price was the Argus Urals average (MinFin) and the crude
export duty still existed; from 2024 the duty is gone and the tax price is floored at Brent minus a
fixed discount ($15 in January 2024, the "price floor"); from 2025 it is 78 % Urals + 22 % ESPO. The
history stores the tax price as published for each month, so the floor is already in P; the duty is a
term of its own. Months whose tax price is not published (2023-05, 2025-02) have no inputs: their
receipt months (2023-06, 2025-03, and 2025-04 whose NDD base includes February) are neither fitted
nor predicted.

:func:`rolling_backtest`: for every receipt month from 2024-01, fit only on earlier months and predict
it from its own inputs; compare with the naive benchmark (last year's same month × the price-times-rate
ratio). :func:`nowcast`: the next month's revenue from the tax price and rate of the month before, with
a range from the backtest errors.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oilimpact.errors import OilImpactError
from oilimpact.model.assumptions import load_assumptions
from oilimpact.model.history import Row, load_history
from oilimpact.model.revenue import TaxConstants, gas_season, gross_extraction_tax, ndd_lags
from oilimpact.params import is_month

BACKTEST_FROM = "2024-01"
TERMS = ("level", "met", "ndd", "damper_slope", "damper_level", "gas_season")


def _shift(month: str, by: int) -> str:
    year, mon = int(month[:4]), int(month[5:])
    index = year * 12 + mon - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def ndd_quarter(receipt: str) -> list[str]:
    """The tax months whose base the NDD paid in ``receipt`` covers (:func:`revenue.ndd_lags`), oldest
    first: the previous quarter in April, July and October; October–December before in March."""
    return [_shift(receipt, -lag) for lag in sorted(ndd_lags(int(receipt[5:])), reverse=True)]


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
    def season(self) -> float:
        """S_m of the receipt month (:func:`revenue.gas_season`)."""
        return float(gas_season(int(self.month[5:])))


@dataclass
class Data:
    """Prices, rates, revenue and components by month (from data/history.csv, then data/assumptions.yaml
    for 2026 months the history does not reach)."""

    price: dict[str, float]
    rate: dict[str, float]
    revenue: dict[str, float]
    components: dict[str, dict[str, float]]
    constants: TaxConstants  # the formula's numbers, with their sources in data/assumptions.yaml
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    _gross: dict[str, float] = field(default_factory=dict, repr=False)  # by tax month, computed once

    def gross(self, tax_month: str) -> float:
        """G of a tax month: :func:`revenue.gross_extraction_tax` on its published price and rate."""
        if tax_month not in self._gross:
            days = calendar.monthrange(int(tax_month[:4]), int(tax_month[5:]))[1]
            self._gross[tax_month] = float(gross_extraction_tax(
                np.array([self.price[tax_month]]), np.array([self.rate[tax_month]]), np.ones(1),
                np.array([days], dtype=float), self.constants)[0])
        return self._gross[tax_month]

    def inputs(self, month: str) -> Inputs | None:
        tax_month = _shift(month, -1)
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
        need = [_shift(month, -1), *ndd_quarter(month)]
        gaps = [f"urals_tax_price {m}" for m in need if m not in self.price]
        return gaps + [f"rub_usd_avg {m}" for m in need if m not in self.rate]


def _rows(history: Mapping[str, Mapping[str, Row]], series: str) -> dict[str, float]:
    return {period: row.value for period, row in history.get(series, {}).items()}


def load_data() -> Data:
    """History from data/history.csv; 2026 tax prices, rates and revenue from data/assumptions.yaml."""
    history = load_history()
    series = ("met_oil", "ndd", "damper", "export_duty", "oil_tax_revenue")
    components = {s: _rows(history, s) for s in series}
    assumptions = load_assumptions()
    data = Data(_rows(history, "urals_tax_price"), _rows(history, "rub_usd_avg"),
                _rows(history, "og_revenue"), components, TaxConstants.from_assumptions(assumptions))
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
class Fit:
    coefficients: pd.Series  # TERMS
    months: tuple[str, ...]  # the receipt months it was fitted on

    def predict(self, x: Inputs) -> float:
        c = self.coefficients
        return float(c["level"] + (c["met"] - c["damper_slope"]) * x.gross + c["ndd"] * x.ndd_base
                     + c["gas_season"] * x.season + x.duty)

    def terms(self, x: Inputs) -> dict[str, float]:
        c = self.coefficients
        return {"extraction_tax": c["met"] * x.gross, "ndd": c["ndd"] * x.ndd_base,
                "damper_paid": c["damper_level"] + c["damper_slope"] * x.gross, "export_duty": x.duty,
                "gas_and_other": c["level"] + c["damper_level"] + c["gas_season"] * x.season}

    def compared(self, x: Inputs) -> dict[str, float]:
        """The terms plus the oil part (extraction tax + NDD − damper + duty), each of which some month
        of the history publishes (:data:`PUBLISHED_TERMS`, :data:`OIL_PART`)."""
        terms = self.terms(x)
        oil = terms["extraction_tax"] + terms["ndd"] - terms["damper_paid"] + terms["export_duty"]
        return {**terms, "oil_taxes": oil}

    def engine(self) -> tuple[float, float, float, float]:
        """c₀, c₁, c₂ and the gas season's amplitude s of the scenario engine's form."""
        c = self.coefficients
        return (float(c["level"]), float(c["met"] - c["damper_slope"]), float(c["ndd"]),
                float(c["gas_season"]))


def fit(data: Data, months: list[str]) -> Fit:
    """Least squares on the stacked revenue and component equations of ``months`` (receipt months)."""
    rows, target, used = [], [], []
    for month in months:
        x = data.inputs(month)
        if x is None or month not in data.revenue:
            continue
        used.append(month)
        rows.append([1.0, x.gross, x.ndd_base, -x.gross, 0.0, x.season])
        target.append(data.revenue[month] - x.duty)
        met = data.components.get("met_oil", {}).get(month)
        if met is not None:
            rows.append([0.0, x.gross, 0.0, 0.0, 0.0, 0.0])
            target.append(met)
        ndd = data.components.get("ndd", {}).get(month)
        if ndd is not None and x.ndd_base > 0:
            rows.append([0.0, 0.0, x.ndd_base, 0.0, 0.0, 0.0])
            target.append(ndd)
        damper = data.components.get("damper", {}).get(month)
        if damper is not None:
            rows.append([0.0, 0.0, 0.0, x.gross, 1.0, 0.0])
            target.append(damper)
    if len(used) < 6:
        raise OilImpactError(f"too few months with inputs to fit the model ({len(used)}; at least 6 needed)")
    solution, *_ = np.linalg.lstsq(np.array(rows), np.array(target), rcond=None)
    return Fit(pd.Series(solution, index=list(TERMS)), tuple(used))


def _naive(data: Data, month: str) -> float | None:
    """Last year's same month scaled by the tax month's price × rate against last year's."""
    last_year = _shift(month, -12)
    now, then = _shift(month, -1), _shift(month, -13)
    if last_year not in data.revenue or any(m not in data.price or m not in data.rate for m in (now, then)):
        return None
    return data.revenue[last_year] * (data.price[now] * data.rate[now]) / (data.price[then] * data.rate[then])


PUBLISHED_TERMS = (
    ("extraction_tax", "met_oil", "MET"), ("ndd", "ndd", "NDD"), ("damper_paid", "damper", "damper"),
)
"""Each term the history publishes in some months, its series there, and its short name in notes."""
OIL_PART = ("oil_taxes", "oil_tax_revenue", "oil taxes")
"""The oil part (:meth:`Fit.compared`) against Bloomberg's oil-related taxes: compared, not fitted."""


def _note(data: Data, model: Fit, x: Inputs, actual: float) -> str:
    """What a backtest row's reader needs: an NDD month, and every published component the prediction
    got wrong by more than 5 % of the month's revenue (known only after the month: it explains the
    miss, it does not enter the prediction)."""
    parts = ["NDD month"] if ndd_quarter(x.month) else []
    terms = model.terms(x)
    for term, series, label in PUBLISHED_TERMS:
        published = data.components.get(series, {}).get(x.month)
        if published is not None and abs(terms[term] - published) > 0.05 * actual:
            parts.append(f"{label} published {published:,.0f}, model {terms[term]:,.0f}")
    return "; ".join(parts)


def rolling_backtest(data: Data | None = None, start: str = BACKTEST_FROM,
                     end: str | None = None) -> pd.DataFrame:
    """One row per receipt month from ``start`` to ``end`` (default: the last month with a published
    revenue, January 2026 from data/assumptions.yaml after the history's 2025-12): each fitted only on
    the months before it (no look-ahead)."""
    data = data or load_data()
    months = sorted(data.revenue)
    end = end or months[-1]
    records = []
    for month in [m for m in months if start <= m <= end]:
        x = data.inputs(month)
        naive = _naive(data, month)
        actual = data.revenue[month]
        if x is None:
            records.append({"month": month, "actual_bn_rub": actual, "predicted_bn_rub": math.nan,
                            "error_pct": math.nan, "naive_bn_rub": naive, "naive_error_pct": math.nan,
                            "fitted_on": 0, "note": "no inputs: " + ", ".join(data.missing(month))})
            continue
        model = fit(data, [m for m in months if m < month])
        predicted = model.predict(x)
        records.append({
            "month": month, "actual_bn_rub": actual, "predicted_bn_rub": predicted,
            "error_pct": 100 * (predicted - actual) / actual, "naive_bn_rub": naive,
            "naive_error_pct": 100 * (naive - actual) / actual if naive is not None else math.nan,
            "fitted_on": len(model.months), "note": _note(data, model, x, actual),
        })
    columns = ["month", "actual_bn_rub", "predicted_bn_rub", "error_pct", "naive_bn_rub", "naive_error_pct",
               "fitted_on", "note"]
    return pd.DataFrame.from_records(records, columns=columns).set_index("month")


def backtest_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """MAPE and median APE per year and overall, for the model and the naive benchmark."""
    rows = {}
    groups = {str(year): part for year, part in frame.groupby(frame.index.str[:4])}
    groups["overall"] = frame
    for name, part in groups.items():
        model, naive = part["error_pct"].abs().dropna(), part["naive_error_pct"].abs().dropna()
        rows[name] = {"months": len(model), "mape_pct": model.mean(), "median_ape_pct": model.median(),
                      "worst_pct": model.max(), "naive_mape_pct": naive.mean(),
                      "naive_median_ape_pct": naive.median()}
    return pd.DataFrame.from_dict(rows, orient="index")


@dataclass(frozen=True)
class Nowcast:
    month: str
    expected_bn_rub: float
    low_bn_rub: float
    high_bn_rub: float
    inputs: Inputs
    terms: dict[str, float]
    fitted_on: int
    actual_bn_rub: float | None
    sources: tuple[str, ...]


def expected_revenue(month: str, data: Data | None = None) -> float | None:
    """The month's expected O&G revenue (the nowcast's central value), or ``None`` when the tax price or
    rate of a month it depends on is not published: the model fitted on every month before ``month``
    with published revenue, evaluated at the month's published inputs. The scenario engine takes this
    value for every month whose inputs are published but whose revenue is not, so a report, a table and
    ``oilimpact nowcast`` show one number for it."""
    data = data or load_data()
    x = data.inputs(month)
    earlier = [m for m in sorted(data.revenue) if m < month]
    if x is None or not earlier:
        return None
    return fit(data, earlier).predict(x)


def nowcast(month: str, data: Data | None = None, coverage: float = 0.8) -> Nowcast:
    """The month's expected O&G revenue from the tax price and rate of the month before, fitted on every
    earlier month; the range spans the central ``coverage`` of the backtest's percentage errors."""
    if not is_month(month):
        raise OilImpactError(f"month {month!r}: expected YYYY-MM, e.g. 2026-02")
    data = data or load_data()
    x = data.inputs(month)
    if x is None:
        missing = ", ".join(data.missing(month))
        raise OilImpactError(f"month {month}: no inputs ({missing} missing); give a month whose previous "
                             "month's Urals tax price and CBR rate are in data/")
    earlier = [m for m in sorted(data.revenue) if m < month]
    model = fit(data, earlier)
    errors = rolling_backtest(data, end=max(earlier))["error_pct"].dropna() / 100
    low_q, high_q = (1 - coverage) / 2, 1 - (1 - coverage) / 2
    expected = expected_revenue(month, data)
    # an error e means predicted = actual·(1 + e): the actual is predicted / (1 + e)
    low, high = expected / (1 + errors.quantile(high_q)), expected / (1 + errors.quantile(low_q))
    tax_month = _shift(month, -1)
    keys = (("urals_tax_price", tax_month), ("price", tax_month), ("rub_usd_avg", tax_month),
            ("rate", tax_month))
    sources = tuple(data.sources[key] for key in keys if data.sources.get(key))
    return Nowcast(month, expected, low, high, x, model.terms(x), len(model.months), data.revenue.get(month),
                   sources)


FIT_WINDOW = ("2023-01", "2025-12")


def full_fit(data: Data | None = None) -> Fit:
    """The fit on every month of the history (2023-01 … 2025-12) with inputs."""
    data = data or load_data()
    return fit(data, sorted(m for m in data.revenue if FIT_WINDOW[0] <= m <= FIT_WINDOW[1]))


def engine_coefficients() -> tuple[float, float, float, float]:
    """c₀, c₁, c₂, s for :mod:`oilimpact.model.budget`'s engine, fitted on the whole history."""
    return full_fit().engine()


def components_table(data: Data | None = None) -> pd.DataFrame:
    """Each term (and the oil part) fitted on all history against the published component, month by
    month."""
    data = data or load_data()
    model = full_fit(data)
    rows = []
    for month in sorted(data.revenue):
        x = data.inputs(month)
        if x is None or month > "2025-12":
            continue
        terms = model.compared(x)
        for name, series, _label in (*PUBLISHED_TERMS, OIL_PART):
            published = data.components.get(series, {}).get(month)
            if published is not None:
                rows.append({"month": month, "term": name, "model_bn_rub": terms[name],
                             "published_bn_rub": published, "gap_bn_rub": terms[name] - published})
    return pd.DataFrame(rows)
