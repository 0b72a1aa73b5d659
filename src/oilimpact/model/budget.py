"""The budget side of the model: the context (history, calibration, the law), the vectorised revenue and
budget engine, the budget rule, the NWF and the deficit.

* **Plan** (per month) = the model at the law's price and rate (from :data:`LAW_FROM`) plus the level term
  *L*₍year₎ = (law's O&G plan − that model's year) / 12; it sums to the law's 8,918 bn for 2026.
* **Base revenue** (budget rule) = the model with the Urals price replaced by the base price ($59 in 2026,
  −$1 a year to $55 in 2030) at the actual rate and volumes; **NWF flow** = revenue − base revenue (excess
  saved, shortfall drawn).
* **NWF balance and deficit**: :mod:`oilimpact.model.fund` (published month-start balances, FX
  operations, deficit financing and year-to-date deficit, revaluation with the rouble).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from oilimpact.model import fund
from oilimpact.model.assumptions import Assumptions, load_assumptions
from oilimpact.model.history import HISTORY_SOURCE
from oilimpact.model.inputs import History, base_months, build_history
from oilimpact.model.realtime import FIT_WINDOW, Protocol, expected_revenue, full_fit
from oilimpact.model.revenue import (
    Calibration,
    Layout,
    TaxConstants,
    fixed_calibration,
    gross_extraction_tax,
    layout,
)
from oilimpact.model.structural import load_data, shift
from oilimpact.provenance import Source

CALIBRATION_WINDOW = ("2025-01", "2025-12")
FUND_KEYS = (
    "nwf_liquid_assets",
    "budget_rule_fx_operations",
    "budget_rule_fx_paused",
    "nwf_deficit_financing",
    "nwf_deficit_share",
    "budget_deficit_ytd",
    "rub_usd_month_end",
)
"""The entries of data/assumptions.yaml behind the NWF path and the deficit."""
LAW_FROM = pd.Period("2025-10", "M")
"""The law case puts the law's price and rate on every tax-base month feeding 2026 receipts (from the
quarter behind the March annual NDD payment)."""


@dataclass(frozen=True)
class Context:
    """Everything the model needs that does not depend on the scenario (built once, cached)."""

    assumptions: Assumptions
    history: History
    constants: TaxConstants
    calibration: Calibration
    law_price: float
    law_rub_usd: float
    law_plan: dict[int, float]
    base_prices: dict[int, float]
    law_deficit: float
    gdp: float
    nwf_start: float
    caps: dict[str, float]
    fund: fund.FundData
    protocol: Protocol | None = None  # the real-time choices' computed predictions, shared (one per data)

    def sources(self) -> list[Source]:
        keys = (
            list(self.history.keys)
            + list(TaxConstants.KEYS)
            + [
                "budget_law_urals_price",
                "budget_law_rub_usd",
                "budget_law_og_revenue",
                "budget_rule_base_price",
                "budget_law_deficit",
                "budget_law_gdp",
                *FUND_KEYS,
                "price_cap_us",
                "price_cap_eu",
            ]
        )
        return [HISTORY_SOURCE, *self.assumptions.sources(keys)]


def _days(months: pd.PeriodIndex) -> np.ndarray:
    return np.asarray(months.days_in_month, dtype=float)


def build_context(assumptions: Assumptions, window: tuple[str, str] = CALIBRATION_WINDOW) -> Context:
    history = build_history(assumptions)
    constants = TaxConstants.from_assumptions(assumptions)
    frame = history.frame
    months = frame.index
    gross = gross_extraction_tax(
        frame["urals_usd_bbl"].to_numpy(),
        frame["rub_usd"].to_numpy(),
        np.ones(len(months)),
        _days(months),
        constants,
    )
    receipts = pd.period_range(months[0] + 3, months[-1] + 1, freq="M")
    protocol = Protocol(load_data())
    structural_fit = full_fit(protocol=protocol)
    fit = fixed_calibration(structural_fit.engine(shift(FIT_WINDOW[1], 1)), gross[None, :],
                            layout(receipts, months), history.revenue, *window, set(structural_fit.months),
                            structural_fit.choice.season_peak)
    caps = {"us": assumptions.value("price_cap_us"), "eu": assumptions.value("price_cap_eu", "2026-02-01")}
    return Context(
        assumptions,
        history,
        constants,
        fit,
        assumptions.value("budget_law_urals_price"),
        assumptions.value("budget_law_rub_usd"),
        {int(y): v for y, v in assumptions.get("budget_law_og_revenue").series().items()},
        {int(y): v for y, v in assumptions.get("budget_rule_base_price").series().items()},
        assumptions.value("budget_law_deficit"),
        assumptions.value("budget_law_gdp"),
        assumptions.value("nwf_liquid_assets", "2026-01-01"),
        caps,
        fund_data(assumptions),
        protocol,
    )


def _by_month(assumptions: Assumptions, key: str) -> dict[pd.Period, float]:
    return {pd.Period(label[:7], "M"): value for label, value in assumptions.get(key).series().items()}


def fund_data(assumptions: Assumptions) -> fund.FundData:
    """The fund's published numbers from data/assumptions.yaml (:data:`FUND_KEYS`)."""
    return fund.FundData(
        balances=_by_month(assumptions, "nwf_liquid_assets"),
        operations=_by_month(assumptions, "budget_rule_fx_operations"),
        paused=frozenset(_by_month(assumptions, "budget_rule_fx_paused")),
        financing=_by_month(assumptions, "nwf_deficit_financing"),
        month_end_rates=_by_month(assumptions, "rub_usd_month_end"),
        deficit_ytd=_by_month(assumptions, "budget_deficit_ytd"),
        deficit_share=assumptions.value("nwf_deficit_share"),
    )


@cache
def default_context() -> Context:
    return build_context(load_assumptions())


# --- the vectorised engine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """One horizon's layout: receipt months, tax-base months, plan, level terms and base prices."""

    context: Context
    receipts: pd.PeriodIndex
    base: pd.PeriodIndex
    lay: Layout
    level: np.ndarray  # per receipt month, bn RUB
    level_by_year: dict[int, float]
    model_at_law_by_year: dict[int, float]
    plan: np.ndarray  # per receipt month (NaN where the law gives no plan)
    base_price: np.ndarray  # per base month: the base price of its receipt year
    actual: np.ndarray  # per receipt month (NaN where unknown)
    nowcast: np.ndarray  # per receipt month: the nowcast where the inputs are published, not the revenue

    def gross(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        return gross_extraction_tax(urals, fx, volume, _days(self.base)[None, :], self.context.constants)

    def components(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        return self.context.calibration.components(self.gross(urals, fx, volume), self.lay)

    def revenue(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        """Model O&G revenue (paths, receipts) including the level term."""
        return self.context.calibration.revenue(self.gross(urals, fx, volume), self.lay) + self.level

    def used(self, revenue: np.ndarray) -> np.ndarray:
        """One number per month: the published revenue where there is one; the nowcast
        (:func:`oilimpact.model.realtime.expected_revenue`) where only the month's inputs are
        published; the scenario's model revenue after that."""
        known = np.where(np.isnan(self.actual), self.nowcast, self.actual)
        return np.where(np.isnan(known), revenue, known)

    def budget(
        self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray, base_price: np.ndarray | None = None,
        deficit_share: float | None = None,
    ) -> dict[str, np.ndarray]:
        """Revenue, base revenue, NWF flow/balance and the deficit of every year, for (paths, months);
        ``deficit_share`` overrides the assumed share of the overshoot the fund finances."""
        urals, fx, volume = (np.atleast_2d(a) for a in (urals, fx, volume))
        revenue = self.revenue(urals, fx, volume)
        used = self.used(revenue)
        base_path = self.base_price if base_price is None else base_price
        base = self.revenue(np.broadcast_to(base_path, urals.shape), fx, volume)
        rule = ~np.isnan(self.plan)
        base = np.where(rule, base, np.nan)
        flow = np.where(rule, used - base, np.nan)
        data = self.context.fund
        deficits = {year: self.deficit(used, year) for year in sorted(set(self.receipts.year))
                    if np.isfinite(self.plan[np.asarray(self.receipts.year == year)]).all()}
        draws = fund.overshoot_draws(self.receipts, deficits, self.context.law_deficit, data, deficit_share)
        rates = fund.month_end_rates(self.receipts, self.base, np.broadcast_to(fx, urals.shape), data)
        balance = fund.balance(self.receipts, flow, rates, data, draws)
        return {"revenue": revenue, "used": used, "base": base, "nwf_flow": flow, "nwf_balance": balance,
                "nwf_draws": draws, "month_end_rates": rates}

    def year_total(self, monthly: np.ndarray, year: int) -> np.ndarray:
        mask = np.asarray(self.receipts.year == year)
        return monthly[:, mask].sum(axis=1)

    def deficit(self, used: np.ndarray, year: int) -> np.ndarray:
        """The year's deficit per path (:func:`oilimpact.model.fund.deficit`)."""
        return fund.deficit(self.receipts, self.plan, used, self.context.law_deficit, self.context.fund, year)


def _base_price_path(context: Context, base: pd.PeriodIndex) -> np.ndarray:
    years = sorted(context.base_prices)
    out = []
    for month in base:
        year = min(max((month + 1).year, years[0]), years[-1])
        out.append(context.base_prices[year])
    return np.asarray(out, dtype=float)


def law_inputs(context: Context, base: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray]:
    """Urals and RUB/USD of the law case: actual before :data:`LAW_FROM`, the law's after (the law states
    no Brent and no discount)."""
    hist = context.history.frame.reindex(base)
    law = np.asarray(base >= LAW_FROM)
    urals = np.where(law, context.law_price, hist["urals_usd_bbl"].to_numpy(dtype=float))
    fx = np.where(law, context.law_rub_usd, hist["rub_usd"].to_numpy(dtype=float))
    return urals, fx


@cache
def engine_for(start: str, end: str, context: Context | None = None) -> Engine:
    """The engine for receipt months ``start``..``end`` (cached per horizon)."""
    context = context or default_context()
    plan_end = max(pd.Period(end, "M"), pd.Period("2026-12", "M"))
    receipts = pd.period_range(start, plan_end, freq="M")
    base = base_months(plan_end)
    lay = layout(receipts, base)
    urals, fx = law_inputs(context, base)
    days = _days(base)[None, :]
    gross = gross_extraction_tax(
        urals[None, :], fx[None, :], np.ones((1, len(base))), days, context.constants
    )
    model_law = context.calibration.revenue(gross, lay)[0]
    level = np.zeros(len(receipts))
    plan = np.full(len(receipts), np.nan)
    level_by_year, model_by_year = {}, {}
    for year, target in context.law_plan.items():
        mask = np.asarray(receipts.year == year)
        if mask.sum() == 12:
            model_by_year[year] = float(model_law[mask].sum())
            level_by_year[year] = (target - model_by_year[year]) / 12.0
            level[mask] = level_by_year[year]
            plan[mask] = model_law[mask] + level_by_year[year]
    actual = context.history.revenue.reindex(receipts).to_numpy(dtype=float)
    engine = Engine(
        context,
        receipts,
        base,
        lay,
        level,
        level_by_year,
        model_by_year,
        plan,
        _base_price_path(context, base),
        actual,
        nowcast_months(receipts, actual, context.protocol),
    )
    if plan_end != pd.Period(end, "M"):
        return _trim(engine, pd.Period(end, "M"))
    return engine


def nowcast_months(receipts: pd.PeriodIndex, actual: np.ndarray,
                   protocol: Protocol | None = None) -> np.ndarray:
    """The nowcast of every receipt month without published revenue whose inputs (the tax price and
    rate of the month before, and the NDD quarter's) are published; NaN elsewhere."""
    protocol = protocol or Protocol(load_data())
    data = protocol.data
    out = np.full(len(receipts), np.nan)
    for i, month in enumerate(receipts):
        if np.isnan(actual[i]):
            value = expected_revenue(str(month), data, protocol)
            out[i] = np.nan if value is None else value
    return out


def _trim(engine: Engine, end: pd.Period) -> Engine:
    keep = np.asarray(engine.receipts <= end)
    base_keep = np.asarray(engine.base <= end)
    lay = Layout(
        engine.receipts[keep],
        engine.base[base_keep],
        engine.lay.extraction[keep][:, base_keep],
        engine.lay.ndd_quarter[keep][:, base_keep],
        engine.lay.ndd_annual[keep][:, base_keep],
    )
    return Engine(
        engine.context,
        engine.receipts[keep],
        engine.base[base_keep],
        lay,
        engine.level[keep],
        engine.level_by_year,
        engine.model_at_law_by_year,
        engine.plan[keep],
        engine.base_price[base_keep],
        engine.actual[keep],
        engine.nowcast[keep],
    )
