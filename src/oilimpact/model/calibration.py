"""The model against published numbers: the 2025 fit, the law's calibration point, the out-of-sample
backtest, leave-one-out over 2025 and the published components (NDD, damper) next to the model's."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from oilimpact.model import realtime, structural
from oilimpact.model.budget import (
    Context,
    _days,
    default_context,
    engine_for,
    law_inputs,
)
from oilimpact.model.revenue import gross_extraction_tax, layout


def calibration_table() -> pd.DataFrame:
    """Fitted vs actual O&G revenue for the calibration months (2025), with the error; ``in_fit`` says
    whether the month entered the least squares (March's revenue is inferred; May, July and August depend
    on an interpolated tax price)."""
    fit = default_context().calibration
    frame = pd.DataFrame({"actual_bn_rub": fit.actual, "fitted_bn_rub": fit.fitted})
    frame["error_bn_rub"] = frame["fitted_bn_rub"] - frame["actual_bn_rub"]
    frame["error_pct"] = 100.0 * frame["error_bn_rub"] / frame["actual_bn_rub"]
    frame["in_fit"] = fit.in_fit
    frame.index.name = "month"
    return frame


def coefficients() -> pd.Series:
    """c₀ (bn RUB a month), c₁ and c₂ (per bn RUB of gross tax base); ``c3_ndd_annual`` is c₂ again: the
    March settlement is the same tax on the fourth quarter's base; ``s_gas_season_bn_rub`` is the gas
    season's amplitude (bn RUB at its peak month's receipts, the same below six months later);
    ``e_ndd_costs_bn_rub`` the costs the NDD deducts in each NDD month (0 unless the origin chose them)."""
    calibration = default_context().calibration
    c0, c1, c2, c3 = calibration.per_regressor
    return pd.Series(
        [c0, c1, c2, c3, calibration.season, calibration.ndd_costs],
        index=["c0_level_bn_rub", "c1_extraction", "c2_ndd_quarterly", "c3_ndd_annual",
               "s_gas_season_bn_rub", "e_ndd_costs_bn_rub"],
    )


def calibration_check(year: int = 2026) -> dict[str, float]:
    """The year's O&G revenue with every month at the law's price and rate, before and after the level term,
    against the law's plan (8,918 bn for 2026)."""
    context = default_context()
    engine = engine_for(f"{year}-01", f"{year}-12")
    law_urals, law_fx = law_inputs(context, engine.base)
    model = float(
        engine.year_total(
            engine.revenue(law_urals[None, :], law_fx[None, :], np.ones((1, len(engine.base)))), year
        )[0]
    )
    plan = context.law_plan[year]
    before = engine.model_at_law_by_year[year]
    return {
        "law_og_revenue_bn_rub": plan,
        "model_without_level_bn_rub": before,
        "gap_without_level_pct": 100.0 * (before - plan) / plan,
        "level_term_bn_rub_month": engine.level_by_year[year],
        "model_bn_rub": model,
        "error_pct": 100.0 * (model - plan) / plan,
    }


def _history_revenue(context: Context) -> pd.Series:
    """The model (no level term) for every receipt month the history's prices cover."""
    gross, receipts, lay = _history_inputs(context)
    return pd.Series(context.calibration.revenue(gross, lay)[0], receipts)


def _history_inputs(context: Context) -> tuple[np.ndarray, pd.PeriodIndex, np.ndarray]:
    """The history's gross extraction tax (one path), the receipt months it covers and their layout."""
    frame = context.history.frame
    gross = gross_extraction_tax(
        frame["urals_usd_bbl"].to_numpy(),
        frame["rub_usd"].to_numpy(),
        np.ones(len(frame)),
        _days(frame.index),
        context.constants,
    )[None, :]
    receipts = pd.period_range(frame.index[0] + 3, frame.index[-1] + 1, freq="M")
    return gross, receipts, layout(receipts, frame.index)


def backtest() -> pd.DataFrame:
    """December 2025 and January 2026 out of sample: each predicted by the structural model fitted only
    on the months before it (:func:`oilimpact.model.realtime.rolling_backtest` and
    :func:`~oilimpact.model.realtime.nowcast`); also the January year-on-year change (the article's
    −50 %). Computed once per version of the project's data files."""
    return _backtest(realtime.project_stamp()).copy()


@lru_cache(maxsize=4)
def _backtest(_stamp: tuple) -> pd.DataFrame:
    data = structural.load_data()
    december = realtime.rolling_backtest(data, start="2025-12", end="2025-12").loc["2025-12"]
    january = realtime.nowcast("2026-01", data)
    months = pd.PeriodIndex(["2025-12", "2026-01"], freq="M")
    actual = pd.Series([december["actual_bn_rub"], january.actual_bn_rub], index=months, dtype=float)
    predicted = pd.Series([december["predicted_bn_rub"], january.expected_bn_rub], index=months)
    table = pd.DataFrame({"actual_bn_rub": actual, "predicted_bn_rub": predicted})
    table["error_bn_rub"] = table["predicted_bn_rub"] - table["actual_bn_rub"]
    table["error_pct"] = 100.0 * table["error_bn_rub"] / table["actual_bn_rub"]
    january_2025 = data.revenue["2025-01"]
    table["yoy_actual_pct"] = [math.nan, 100.0 * (actual.iloc[1] / january_2025 - 1.0)]
    table["yoy_predicted_pct"] = [math.nan, 100.0 * (predicted.iloc[1] / january_2025 - 1.0)]
    table.index.name = "month"
    return table


def leave_one_out() -> pd.DataFrame:
    """Each month of the shown window (2025) predicted by the structural model fitted on all history
    without it; months without inputs (``in_fit`` False) are predicted by the engine's full fit, so
    the table shows them too."""
    context = default_context()
    data = structural.load_data()
    everything = sorted(m for m in data.revenue if realtime.FIT_WINDOW[0] <= m <= realtime.FIT_WINDOW[1])
    choice = realtime.full_fit(data).choice  # the choices of the full fit: leave-one-out refits only
    full = _history_revenue(context)
    rows = []
    for month in context.calibration.actual.index:
        x = data.inputs(str(month))
        if x is None:
            predicted = float(full[month])
        else:
            predicted = structural.fit(data, [m for m in everything if m != str(month)], choice).predict(x)
        rows.append({"month": month, "actual_bn_rub": context.history.revenue[month],
                     "predicted_bn_rub": predicted})
    table = pd.DataFrame(rows).set_index("month")
    table["error_bn_rub"] = table["predicted_bn_rub"] - table["actual_bn_rub"]
    table["error_pct"] = 100.0 * table["error_bn_rub"] / table["actual_bn_rub"]
    table["in_fit"] = context.calibration.in_fit
    return table


def components_check() -> pd.DataFrame:
    """Published components next to the model's: the NDD (April and October 2025) and the damper (the
    model has no separate damper term: its average sits in c₀, its price slope in c₁, so the table shows
    the model's residual, actual − model, in the damper's months for comparison)."""
    context = default_context()
    assumptions = context.assumptions
    model = _history_revenue(context)
    fit = context.calibration
    gross, receipts, lay = _history_inputs(context)
    parts = pd.DataFrame(fit.components(gross, lay)[0], index=receipts)
    rows = []
    for label, value in assumptions.get("ndd_payment").series().items():
        month = pd.Period(label, "M")
        rows.append(
            {
                "component": "ndd",
                "month": month,
                "published_bn_rub": value,
                "model_bn_rub": float(parts.loc[month, 2] + parts.loc[month, 3]),
                "model_is": "c2 x the quarter's extraction-tax base",
            }
        )
    revenue = context.history.revenue
    for label, value in assumptions.get("damper_payment").series().items():
        month = pd.Period(label, "M")
        residual = float(revenue[month] - model[month]) if month in revenue and month in model else math.nan
        rows.append(
            {
                "component": "damper",
                "month": month,
                "published_bn_rub": value,
                "model_bn_rub": residual,
                "model_is": "residual actual - model (the damper's average is inside c0)",
            }
        )
    table = pd.DataFrame(rows).set_index(["component", "month"])
    table["difference_bn_rub"] = table["model_bn_rub"] - table["published_bn_rub"]
    return table
