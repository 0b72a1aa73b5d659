"""The year to date, actual against plan: monthly receipts against the law's monthly profile and 2025,
the cumulative gap and its split into the published components — the chart a monthly tracker leads
with."""

from __future__ import annotations

from typing import Any

import pandas as pd

from oilimpact import charts
from oilimpact.fmt import bn_rub, percent
from oilimpact.model import HISTORY_SOURCE, load_assumptions
from oilimpact.model.history import load_history
from oilimpact.story.common import assumption_sources, cite, table


def ytd_frame(result: Any, year: int = 2026) -> pd.DataFrame:
    """The months of ``year`` with published receipts: receipts, the law's plan, the same month a year
    earlier, the gap and its running sum, and the published components (extraction tax, NDD, damper)."""
    m = result.monthly
    this = m[(m.index.year == year) & m["og_revenue_actual_bn_rub"].notna()]
    prior = m["og_revenue_actual_bn_rub"]
    frame = pd.DataFrame(
        {
            "receipts_bn_rub": this["og_revenue_actual_bn_rub"],
            "plan_bn_rub": this["plan_bn_rub"],
            "year_earlier_bn_rub": [prior.get(p - 12, float("nan")) for p in this.index],
        },
        index=this.index,
    )
    frame["gap_bn_rub"] = frame["receipts_bn_rub"] - frame["plan_bn_rub"]
    frame["cumulative_gap_bn_rub"] = frame["gap_bn_rub"].cumsum()
    history = load_history()
    damper = load_assumptions().get("damper_payment").series()
    for series, column in (("met_oil", "met_bn_rub"), ("ndd", "ndd_bn_rub")):
        frame[column] = [
            history.get(series, {}).get(str(p)).value
            if str(p) in history.get(series, {})
            else float("nan")
            for p in this.index
        ]
    frame["damper_bn_rub"] = [damper.get(str(p), float("nan")) for p in this.index]
    return frame


def ytd_table(result: Any) -> pd.DataFrame:
    f = ytd_frame(result)
    shown = pd.DataFrame(
        {
            "Month": [f"{p:%B %Y}" for p in f.index],
            "Receipts, bn RUB": f["receipts_bn_rub"].to_numpy(),
            "Law's plan (model's months), bn RUB": f["plan_bn_rub"].to_numpy(),
            "A year earlier, bn RUB": f["year_earlier_bn_rub"].to_numpy(),
            "Gap to plan, bn RUB": f["gap_bn_rub"].to_numpy(),
            "Gap so far, bn RUB": f["cumulative_gap_bn_rub"].to_numpy(),
            "Damper (published), bn RUB": f["damper_bn_rub"].to_numpy(),
        }
    )
    return table(shown, 1, label="Month")


def ytd_markdown(result: Any) -> str:
    f = ytd_frame(result)
    if f.empty:
        return "_No month of 2026 has published receipts yet._"
    last = f.index[-1]
    yoy = 100 * (f["receipts_bn_rub"].sum() / f["year_earlier_bn_rub"].sum() - 1)
    span = f"{last:%B %Y}" if len(f) == 1 else f"January–{last:%B %Y}"
    damper = f["damper_bn_rub"].dropna()
    extra = ""
    if len(damper):
        value = float(damper.iloc[-1])
        extra = (
            f" Of the components, only the damper is published for {damper.index[-1]:%B}: "
            f"{bn_rub(abs(value))} {'paid out to the oil companies' if value < 0 else 'paid in by them'}; "
            "the extraction tax, NDD and gas taxes are not yet broken out."
        )
    return (
        f"**Year to date ({span}), published:** {bn_rub(f['receipts_bn_rub'].sum())} of oil and gas revenue, "
        f"{bn_rub(abs(f['cumulative_gap_bn_rub'].iloc[-1]))} "
        f"{'below' if f['cumulative_gap_bn_rub'].iloc[-1] < 0 else 'above'} the law's plan "
        "for the same months "
        f"and {percent(abs(yoy), 1)} {'lower' if yoy < 0 else 'higher'} than a year earlier.{extra}"
        + _plan_sentence(result, last.year)
    )


def _plan_sentence(result: Any, year: int) -> str:
    """The law states a year, not months: say how the monthly plan is made."""
    m = result.monthly
    total = float(m.loc[m.index.year == year, "plan_bn_rub"].sum())
    return (f" The law states only the year's {bn_rub(total)}; its months here are the model at the law's "
            "price and rate, shifted by one constant so that they add up to it.")


def ytd_chart(result: Any, year: int = 2026) -> Any:
    m = result.monthly
    this = m[m.index.year == year]
    return charts.year_to_date(
        this["og_revenue_actual_bn_rub"],
        this["plan_bn_rub"],
        m["og_revenue_actual_bn_rub"].reindex(this.index - 12).set_axis(this.index),
        cite(
            [
                HISTORY_SOURCE,
                *assumption_sources("og_revenue_monthly", "budget_law_og_revenue", "damper_payment"),
            ]
        ),
    )
