"""The National Wealth Fund's liquid assets and the federal deficit, month by month.

**Deficit** of a year = the published year-to-date deficit up to the last month it is printed for
(January 2026: 1,718 bn) + for each month after it, one twelfth of the law's deficit (non-oil revenue
and spending at the law's average pace) + that month's O&G shortfall against the law's plan. Without a
published month it is the law's deficit plus the year's O&G shortfall.

**NWF liquid assets** (yuan and gold) by month end:

    B_end(m) = B_start(m) · X_end(m) / X_end(m−1) + F(m) − D(m)

* B_start(m) is the published month-start balance where there is one (1 January, 1 February 2026),
  else the previous month's B_end: every published balance restarts the path, and the gap between it
  and the model's step into it is printed (:func:`reconcile`).
* X_end / X_end(m−1): revaluation with the rouble. The fund's yuan and gold are assumed to keep their
  dollar value (the cross rate and the gold price held), so their rouble value moves with RUB/USD; the
  month-end rate is the published one where it exists, else the month's rate on the scenario's path.
* F(m): the budget rule's FX operations — the published total of the month's window where announced,
  else the rule's flow (revenue − base revenue); nothing in a month whose operations were paused
  (March 2026), its flow added to the next month's window.
* D(m): deficit financing — the published monthly sale where there is one, else the assumed share of
  the year's deficit above the law's, spread evenly over the months still to come.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class FundData:
    """The fund's published numbers the model uses, by month (``pd.Period``)."""

    balances: Mapping[pd.Period, float]  # month-start liquid assets, bn RUB
    operations: Mapping[pd.Period, float]  # budget-rule FX operations of the month's window, bn RUB
    financing: Mapping[pd.Period, float]  # sold to finance the deficit in the month, bn RUB
    month_end_rates: Mapping[pd.Period, float]  # RUB/USD on the month's last business day
    deficit_ytd: Mapping[pd.Period, float]  # federal deficit from January to the month, bn RUB (> 0)
    deficit_share: float  # share of the deficit above the law's the fund finances (months to come)
    paused: frozenset[pd.Period] = frozenset()  # months whose budget-rule operations were paused


def last_published_deficit(data: FundData, year: int) -> pd.Period | None:
    months = [m for m in data.deficit_ytd if m.year == year]
    return max(months) if months else None


def deficit(
    receipts: pd.PeriodIndex,
    plan: np.ndarray,
    used: np.ndarray,
    law_deficit: float,
    data: FundData,
    year: int,
) -> np.ndarray:
    """The year's deficit for each path (rows of ``used``), as the module docstring says."""
    in_year = np.asarray(receipts.year == year)
    known = last_published_deficit(data, year)
    if known is None:
        return law_deficit + (plan[in_year] - used[:, in_year]).sum(axis=1)
    rest = in_year & np.asarray(receipts > known)
    months_left = 12 - known.month
    return (
        data.deficit_ytd[known]
        + law_deficit * months_left / 12.0
        + (plan[rest] - used[:, rest]).sum(axis=1)
    )


def month_end_rates(
    receipts: pd.PeriodIndex, base: pd.PeriodIndex, fx: np.ndarray, data: FundData
) -> np.ndarray:
    """RUB/USD at the end of each receipt month (paths, receipts): published where it is, else the
    path's rate of that month; column −1 of the result is the month before the first receipt month."""
    position = {m: i for i, m in enumerate(base)}
    months = [receipts[0] - 1, *receipts]
    out = np.empty((fx.shape[0], len(months)))
    for j, month in enumerate(months):
        if month in data.month_end_rates:
            out[:, j] = data.month_end_rates[month]
        else:
            out[:, j] = fx[:, position[month]] if month in position else fx[:, -1]
    return out


def balance(
    receipts: pd.PeriodIndex,
    flow: np.ndarray,
    rates_end: np.ndarray,
    data: FundData,
    draws: np.ndarray,
) -> np.ndarray:
    """Month-end liquid assets (paths, receipts) from the first receipt month with a published
    month-start balance (NaN before it). ``rates_end`` as :func:`month_end_rates` gives it; ``draws``
    the assumed deficit financing of each month (paths, receipts), used where none is published."""
    out = np.full(flow.shape, np.nan)
    current = None
    deferred = np.zeros(flow.shape[0])
    for j, month in enumerate(receipts):
        if month in data.balances:
            current = np.full(flow.shape[0], data.balances[month])
        if current is None:
            continue
        reval = rates_end[:, j + 1] / rates_end[:, j]
        ops = data.operations.get(month)
        if month in data.paused:  # nothing moves; the month's flow waits for the next window
            deferred = deferred + np.nan_to_num(flow[:, j])
            moved = np.zeros(flow.shape[0])
        elif ops is None:
            moved, deferred = flow[:, j] + deferred, np.zeros(flow.shape[0])
        else:
            moved = np.full(flow.shape[0], ops)
        financed = data.financing.get(month)
        drawn = draws[:, j] if financed is None else np.full(flow.shape[0], financed)
        current = current * reval + np.nan_to_num(moved) - drawn
        out[:, j] = current
    return out


def overshoot_draws(
    receipts: pd.PeriodIndex,
    deficits: Mapping[int, np.ndarray],
    law_deficit: float,
    data: FundData,
    share: float | None = None,
) -> np.ndarray:
    """The assumed monthly draws: ``share`` (the data's by default) of each year's deficit above the
    law's, spread evenly over the year's months after the last published deficit financing."""
    share = data.deficit_share if share is None else share
    paths = len(next(iter(deficits.values()))) if deficits else 1
    draws = np.zeros((paths, len(receipts)))
    if share == 0:
        return draws
    for year, values in deficits.items():
        done = [m for m in data.financing if m.year == year]
        after = max(done) if done else pd.Period(f"{year - 1}-12", "M")
        months = np.asarray((receipts.year == year) & (receipts > after))
        if months.any():
            overshoot = np.maximum(values - law_deficit, 0.0) * share
            draws[:, months] = (overshoot / months.sum())[:, None]
    return draws


def reconcile(
    receipts: pd.PeriodIndex, flow: np.ndarray, rates_end: np.ndarray, data: FundData, draws: np.ndarray
) -> pd.DataFrame:
    """For every published month-start balance that follows a published one inside ``receipts``: the
    model's one-month step from the previous published balance, the published value and the gap
    (published − model; what the model does not carry: the gold price and the cross rate, timing)."""
    rows = []
    steps = balance(receipts, flow[:1], rates_end[:1], data, draws[:1])[0]
    for j, month in enumerate(receipts):
        following = month + 1
        if month in data.balances and following in data.balances:
            model = float(steps[j])
            published = data.balances[following]
            rows.append(
                {
                    "month_start": following,
                    "from_bn_rub": data.balances[month],
                    "model_bn_rub": model,
                    "published_bn_rub": published,
                    "gap_bn_rub": published - model,
                }
            )
    return pd.DataFrame(
        rows, columns=["month_start", "from_bn_rub", "model_bn_rub", "published_bn_rub", "gap_bn_rub"]
    ).set_index("month_start")
