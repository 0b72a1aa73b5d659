"""The real-time protocol: every structural choice made at each origin from the months before it only;
the rolling backtest, the nowcast and the terms against their published components under it.

At an origin m (a receipt month to predict), the model's choices are made by code from receipt months
before m, never once on the whole sample:

* **the gas season** — none, or one annual cosine peaking in receipt month 11, 12, 1, 2 or 3 (the
  heating season; the amplitude is fitted);
* **the damper's trend** — the damper proxy d₀ + d₁·G with or without a linear trend in time (its
  threshold prices are indexed every January, so the same oil price pays less damper a year later);
* **the weighting** — ordinary least squares, or Huber's weights (months the fit cannot explain, such
  as February 2024's one-off extraction-tax true-up, count less);
* **which months enter** — every earlier month with inputs (a month without its tax price is dropped;
  nothing else is chosen by hand).

Not choices, in every candidate: the NDD's costs (b·N − e: a tax on profit deducts them) and the oil
split (Bloomberg's oil-related taxes pin the oil part, as every published component pins its term).

Each of the :data:`CANDIDATES` is scored by its one-step-ahead errors over the last
:data:`SCORE_MONTHS` months before the origin (each of those predicted by a fit on the months before
it, with that candidate's choices); the candidate with the lowest mean absolute percentage error is
chosen; ties go to the simpler one (earlier in :data:`CANDIDATES`). With fewer than
:data:`MIN_SCORED` scored months the simplest candidate is used. The coefficients are then fitted on
every month before the origin. So the backtest row for m, its choices included, depends only on data
before m (``tests/test_realtime.py`` re-runs it on truncated history).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from oilimpact.errors import OilImpactError
from oilimpact.model import assumptions, history, rule
from oilimpact.model.structural import (
    OIL_PART,
    PUBLISHED_TERMS,
    Choice,
    Data,
    Fit,
    Inputs,
    fit,
    load_data,
    ndd_quarter,
    shift,
)
from oilimpact.params import is_month
from oilimpact.project import file_stamp

BACKTEST_FROM = "2024-01"
CANDIDATES = tuple(Choice(peak, trend, robust, ndd_costs=True, oil_split=True) for robust in (False, True)
                   for trend in (False, True) for peak in (None, 11, 12, 1, 2, 3))
"""The choices an origin picks from, simplest first (the tie-break order). The NDD's costs and the oil
split are in every candidate, not choices: the NDD is a tax on profit, whose base deducts costs (Tax
Code ch. 25.4), so an NDD proportional to the base alone is not the tax; and Bloomberg's oil-related
taxes are a published component, which pins the oil part as the MET, NDD and damper equations pin
theirs. (Model v3a offered both as options; an origin with too little history to score the candidates
then fitted neither, and the damper and the gas level it left free were split by the revenue alone.)"""
SCORE_MONTHS = 12
"""How many months before the origin score the candidates (the most recent year: one gas season)."""
MIN_SCORED = 12
"""Fewer scored months than this (one gas season) and the simplest candidate is taken: a season's phase
cannot be chosen on part of a year."""
TREND_SPAN = 24
"""A damper trend is a candidate only when the months before the origin span this many (two January
indexations of its threshold); with less, a trend is extrapolated from noise."""
FIT_WINDOW = ("2023-01", "2025-12")


class Protocol:
    """One-step-ahead predictions of every candidate for every month of ``data`` (each from a fit on the
    months before it), computed once and shared by all origins: an origin's choice reads only the rows
    of months before it."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.months = sorted(data.revenue)
        self._fits: dict[tuple[str, Choice], Fit | None] = {}
        self._apes: dict[tuple[str, Choice], float] = {}

    def fit_before(self, month: str, choice: Choice) -> Fit | None:
        """The fit on every month before ``month`` with ``choice`` (None: too few months)."""
        key = (month, choice)
        if key not in self._fits:
            try:
                self._fits[key] = fit(self.data, [m for m in self.months if m < month], choice)
            except OilImpactError:
                self._fits[key] = None
        return self._fits[key]

    def ape(self, month: str, choice: Choice) -> float:
        """|error| in % of ``month``'s revenue predicted one step ahead with ``choice`` (nan: no
        prediction)."""
        if (month, choice) in self._apes:
            return self._apes[(month, choice)]
        x = self.data.inputs(month)
        model = self.fit_before(month, choice)
        ape = math.nan
        if x is not None and model is not None and month in self.data.revenue:
            actual = self.data.revenue[month]
            ape = abs(100 * (model.predict(x) - actual) / actual)
        self._apes[(month, choice)] = ape
        return ape

    def choose(self, origin: str) -> tuple[Choice, dict[Choice, float]]:
        """The choice at ``origin`` and every candidate's score (mean APE over the scored months)."""
        before = [m for m in self.months if m < origin]
        scored = [m for m in before if not math.isnan(self.ape(m, CANDIDATES[0]))][-SCORE_MONTHS:]
        if len(scored) < MIN_SCORED:
            return CANDIDATES[0], {}
        span = len(pd.period_range(min(before), max(before), freq="M"))
        allowed = [c for c in CANDIDATES if span >= TREND_SPAN or not c.damper_trend]
        scores = {c: float(np.nanmean([self.ape(m, c) for m in scored])) for c in allowed}
        best = min(allowed, key=lambda c: (round(scores[c], 9), CANDIDATES.index(c)))
        return best, scores

    def model_at(self, origin: str) -> Fit:
        """The fit for ``origin``: its choice, coefficients on every month before it."""
        choice, _scores = self.choose(origin)
        model = self.fit_before(origin, choice)
        if model is None:
            raise OilImpactError(f"month {origin}: too few earlier months with inputs to fit the model")
        return model


def _naive(data: Data, month: str) -> float | None:
    """Last year's same month scaled by the tax month's price × rate against last year's."""
    last_year = shift(month, -12)
    now, then = shift(month, -1), shift(month, -13)
    if last_year not in data.revenue or any(m not in data.price or m not in data.rate for m in (now, then)):
        return None
    return data.revenue[last_year] * (data.price[now] * data.rate[now]) / (data.price[then] * data.rate[then])


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


COLUMNS = ["month", "actual_bn_rub", "predicted_bn_rub", "error_pct", "naive_bn_rub", "naive_error_pct",
           "fitted_on", "choice", "additional_expected_bn_rub", "additional_published_bn_rub",
           "fx_total_bn_rub", "fx_total_published_bn_rub", "fx_daily_bn_rub", "fx_daily_published_bn_rub",
           "note"]


def project_stamp() -> tuple:
    """The files the model's data come from (data/history.csv, data/assumptions.yaml) as a cache key."""
    return file_stamp(history.default_path(), assumptions.default_path())


def rolling_backtest(data: Data | None = None, start: str = BACKTEST_FROM, end: str | None = None,
                     protocol: Protocol | None = None) -> pd.DataFrame:
    """:func:`compute_rolling_backtest`; on the project's own data computed once per version of its files
    (a report shows it in a chart, a table, a sentence and a key result)."""
    if data is None and protocol is None:
        return _project_backtest(start, end, project_stamp()).copy()
    return compute_rolling_backtest(data, start, end, protocol)


@lru_cache(maxsize=8)
def _project_backtest(start: str, end: str | None, _stamp: tuple) -> pd.DataFrame:
    return compute_rolling_backtest(None, start, end, None)


def compute_rolling_backtest(data: Data | None = None, start: str = BACKTEST_FROM, end: str | None = None,
                             protocol: Protocol | None = None) -> pd.DataFrame:
    """One row per receipt month from ``start`` to ``end`` (default: the last month with a published
    revenue): each predicted with the choices and coefficients of its origin, made from the months
    before it only; with the budget rule's expected additional revenue and FX operations next to the
    published ones."""
    data = data or load_data()
    protocol = protocol or Protocol(data)
    months = sorted(data.revenue)
    end = end or months[-1]
    records = []
    for month in [m for m in months if start <= m <= end]:
        x = data.inputs(month)
        naive = _naive(data, month)
        actual = data.revenue[month]
        record = {"month": month, "actual_bn_rub": actual, "naive_bn_rub": naive,
                  "naive_error_pct": 100 * (naive - actual) / actual if naive is not None else math.nan}
        if x is None:
            records.append({**record, "fitted_on": 0, "choice": "",
                            "note": "no inputs: " + ", ".join(data.missing(month))})
            continue
        model = protocol.model_at(month)
        predicted = model.predict(x)
        operation = (rule.operations(data, month, model, protocol.model_at) if month[:4] in data.base_price
                     else None)
        records.append({**record, "predicted_bn_rub": predicted,
                        "error_pct": 100 * (predicted - actual) / actual,
                        "fitted_on": len(model.months), "choice": model.choice.label,
                        **(operation.row(data) if operation else {}), "note": _note(data, model, x, actual)})
    return pd.DataFrame.from_records(records, columns=COLUMNS).set_index("month")


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


RULE_COLUMNS = {"additional": ("additional_expected_bn_rub", "additional_published_bn_rub"),
                "fx_total": ("fx_total_bn_rub", "fx_total_published_bn_rub"),
                "fx_daily": ("fx_daily_bn_rub", "fx_daily_published_bn_rub")}


def rule_summary(frame: pd.DataFrame) -> dict[str, float]:
    """The budget rule's numbers against the published ones: how many months each compares, the median
    absolute gap (bn RUB; bn RUB a day for the daily amount) and how often the sign agrees."""
    out: dict[str, float] = {}
    for name, (model, published) in RULE_COLUMNS.items():
        both = frame[[model, published]].dropna()
        gap = (both[model] - both[published]).abs()
        out[f"{name}_months"] = float(len(both))
        out[f"{name}_median_gap"] = float(gap.median()) if len(both) else math.nan
        out[f"{name}_same_sign"] = float((np.sign(both[model]) == np.sign(both[published])).sum())
    return out


def terms_summary(components: pd.DataFrame) -> pd.DataFrame:
    """Per term: months compared, median |gap| as % of the published component, median gap (bn RUB,
    signed) and the months whose sign differs."""
    rows = {}
    for term, part in components.groupby("term", sort=False):
        nonzero = part[part["published_bn_rub"] != 0]
        relative = nonzero["gap_bn_rub"].abs() / nonzero["published_bn_rub"].abs()
        signs = np.sign(part["model_bn_rub"]) != np.sign(part["published_bn_rub"])
        rows[term] = {"months": len(part), "median_gap_pct": 100 * float(relative.median()),
                      "median_gap_bn_rub": float(part["gap_bn_rub"].median()),
                      "sign_differs": int(signs.sum())}
    return pd.DataFrame.from_dict(rows, orient="index")


def summary_lines(summary: pd.DataFrame, rule_gaps: dict[str, float], terms: pd.DataFrame) -> list[str]:
    """The backtest's summary lines (the CLI and the bench print them; the README quotes them)."""
    lines = []
    for name, r in summary.iterrows():
        months = f"{int(r['months'])} month{'s' if r['months'] != 1 else ''}"
        lines.append(f"{name}: {months}, MAPE {r['mape_pct']:.1f} %, median APE {r['median_ape_pct']:.1f} %, "
                     f"worst {r['worst_pct']:.1f} %; naive MAPE {r['naive_mape_pct']:.1f} %, median APE "
                     f"{r['naive_median_ape_pct']:.1f} %")
    lines.append("")
    lines.append("Terms at each origin against the published components:")
    for term, r in terms.iterrows():
        lines.append(f"  {str(term).replace('_', ' ')}: {int(r['months'])} months, median gap "
                     f"{r['median_gap_pct']:.0f} % ({r['median_gap_bn_rub']:+.0f} bn median), sign "
                     f"differs in {int(r['sign_differs'])}")
    lines.append("")
    labels = {"additional": ("expected additional O&G revenue", "bn RUB"),
              "fx_total": ("FX operation, window total", "bn RUB"),
              "fx_daily": ("FX operation, daily", "bn RUB/day")}
    lines.append("Budget rule against the ministry's announcements:")
    for name, (label, unit) in labels.items():
        n = int(rule_gaps[f"{name}_months"])
        lines.append(f"  {label}: {n} months, median gap {rule_gaps[f'{name}_median_gap']:.1f} {unit}, "
                     f"same sign in {int(rule_gaps[f'{name}_same_sign'])}")
    return lines


def backtest_json(frame: pd.DataFrame, summary: pd.DataFrame, rule_gaps: dict[str, float],
                  terms: pd.DataFrame, components: pd.DataFrame) -> dict[str, object]:
    """The backtest as JSON-ready values (``oilimpact backtest --format json``); nan is null."""
    def records(table: pd.DataFrame, index: str) -> list[dict[str, object]]:
        rows = table.rename_axis(index).reset_index().to_dict(orient="records")
        return [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
                for r in rows]

    return {"rows": records(frame, "month"), "summary": records(summary, "period"), "budget_rule": rule_gaps,
            "terms": records(terms, "term"), "term_months": components.to_dict(orient="records"),
            "protocol": {"candidates": [c.label for c in CANDIDATES], "score_months": SCORE_MONTHS,
                         "min_scored": MIN_SCORED, "trend_span": TREND_SPAN}}


def components_table(data: Data | None = None, frame_end: str = FIT_WINDOW[1],
                     protocol: Protocol | None = None) -> pd.DataFrame:
    """Each term (and the oil part) of every backtest month, predicted at its origin, against the
    published component of that month."""
    data = data or load_data()
    protocol = protocol or Protocol(data)
    rows = []
    for month in sorted(data.revenue):
        x = data.inputs(month)
        if x is None or not BACKTEST_FROM <= month <= frame_end:
            continue
        terms = protocol.model_at(month).compared(x)
        for name, series, _label in (*PUBLISHED_TERMS, OIL_PART):
            published = data.components.get(series, {}).get(month)
            if published is not None:
                rows.append({"month": month, "term": name, "model_bn_rub": terms[name],
                             "published_bn_rub": published, "gap_bn_rub": terms[name] - published})
    return pd.DataFrame(rows, columns=["month", "term", "model_bn_rub", "published_bn_rub", "gap_bn_rub"])


@dataclass(frozen=True)
class Nowcast:
    month: str
    expected_bn_rub: float
    low_bn_rub: float
    high_bn_rub: float
    inputs: Inputs
    terms: dict[str, float]
    fitted_on: int
    choice: str
    actual_bn_rub: float | None
    operations: rule.Operations | None  # None: no budget-rule base price for the month's year
    published_operations: dict[str, float | None]  # the ministry's figures for the month, where published
    sources: tuple[str, ...]


def expected_revenue(month: str, data: Data | None = None, protocol: Protocol | None = None) -> float | None:
    """The month's expected O&G revenue (the nowcast's central value), or ``None`` when the tax price or
    rate of a month it depends on is not published or no earlier month has published revenue: the
    model with the choices and coefficients of the month's origin, at its published inputs. The scenario
    engine takes this value for every month whose inputs are published but whose revenue is not, so a
    report, a table and ``oilimpact nowcast`` show one number for it."""
    data = data or load_data()
    x = data.inputs(month)
    if x is None or not [m for m in data.revenue if m < month]:
        return None
    return (protocol or Protocol(data)).model_at(month).predict(x)


def nowcast(month: str, data: Data | None = None, coverage: float = 0.8) -> Nowcast:
    """The month's expected O&G revenue from the tax price and rate of the month before, with the
    choices and coefficients of its origin; the range spans the central ``coverage`` of the backtest's
    percentage errors; the budget rule's expected additional revenue and FX operations for the month."""
    if not is_month(month):
        raise OilImpactError(f"month {month!r}: expected YYYY-MM, e.g. 2026-02")
    data = data or load_data()
    x = data.inputs(month)
    if x is None:
        missing = ", ".join(data.missing(month))
        raise OilImpactError(f"month {month}: no inputs ({missing} missing); give a month whose previous "
                             "month's Urals tax price and CBR rate are in data/")
    protocol = Protocol(data)
    model = protocol.model_at(month)
    earlier = [m for m in sorted(data.revenue) if m < month]
    errors = rolling_backtest(data, end=max(earlier), protocol=protocol)["error_pct"].dropna() / 100
    low_q, high_q = (1 - coverage) / 2, 1 - (1 - coverage) / 2
    expected = expected_revenue(month, data, protocol)
    # an error e means predicted = actual·(1 + e): the actual is predicted / (1 + e)
    low, high = expected / (1 + errors.quantile(high_q)), expected / (1 + errors.quantile(low_q))
    tax_month = shift(month, -1)
    keys = (("urals_tax_price", tax_month), ("price", tax_month), ("rub_usd_avg", tax_month),
            ("rate", tax_month))
    sources = tuple(data.sources[key] for key in keys if data.sources.get(key))
    operations = (rule.operations(data, month, model, protocol.model_at) if month[:4] in data.base_price
                  else None)
    return Nowcast(month, expected, low, high, x, model.terms(x), len(model.months), model.choice.label,
                   data.revenue.get(month), operations, operations.published(data) if operations else {},
                   sources)


def nowcast_json(result: Nowcast) -> dict[str, object]:
    """A nowcast as JSON-ready values (``oilimpact nowcast --format json``)."""
    x = result.inputs
    return {"month": result.month, "expected_bn_rub": result.expected_bn_rub, "low_bn_rub": result.low_bn_rub,
            "high_bn_rub": result.high_bn_rub, "coverage": 0.8, "choice": result.choice,
            "fitted_on": result.fitted_on, "terms": result.terms,
            "inputs": {"urals_tax_price_usd_bbl": x.price, "rub_usd": x.rate,
                       "gross_extraction_tax_bn_rub": x.gross, "ndd_base_bn_rub": x.ndd_base,
                       "export_duty_bn_rub": x.duty},
            "budget_rule": result.operations.as_dict() if result.operations else None,
            "budget_rule_published": result.published_operations, "actual_bn_rub": result.actual_bn_rub,
            "sources": list(result.sources)}


def full_fit(data: Data | None = None, protocol: Protocol | None = None) -> Fit:
    """The fit on every month of the history (2023-01 … 2025-12) with inputs, with the choices made at
    the month after it (as a nowcast of that month would); ``protocol`` shares its computed predictions
    (it must be on the same ``data``)."""
    data = protocol.data if protocol is not None else (data or load_data())
    months = sorted(m for m in data.revenue if FIT_WINDOW[0] <= m <= FIT_WINDOW[1])
    origin = shift(FIT_WINDOW[1], 1)
    choice, _scores = (protocol or Protocol(data)).choose(origin)
    return fit(data, months, choice)


def engine_coefficients() -> tuple[float, float, float, float, float]:
    """c₀, c₁, c₂, s, e for :mod:`oilimpact.model.budget`'s engine, fitted on the whole history."""
    return full_fit().engine(shift(FIT_WINDOW[1], 1))
