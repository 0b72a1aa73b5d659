"""The scenario model: Urals paths → extraction tax and O&G revenues → budget rule, NWF and deficit.

## Equations

For tax-base month *t* (Urals tax price *P*, USD/bbl; rate *X*, RUB/USD; export-volume index *v*):

- **Kc** = (*P* − 15) · *X* / 261 (floored at 0).
- **Gross extraction tax** *G_t* = 919 · Kc · *Q* · *v_t* · days / 7.3, bn RUB, on the reference output
  *Q* = 9.326 mb/d (December 2025), 7.3 bbl/t.
- **O&G revenue received in month *m*** (taxes are paid by the 28th of the next month, so January's
  receipts reflect December's price):
  *R_m* = c₀ + c₁·*G*₍ₘ₋₁₎ + c₂·[m ∈ Apr, Jul, Oct]·Σ *G* over the previous quarter
  + c₃·[m = Mar]·Σ *G* over Oct–Dec of the previous year + *L*₍year₎.
  c₁·*G* is the extraction tax net of the Kc-proportional part of the deduction Dm; c₂, c₃ the quarterly
  and annual additional income tax (NDD); c₀ gas, other O&G taxes and the average damper. c₀…c₃ are
  fitted by least squares to the 2025 monthly actuals (see `calibration_table()`).
- **Level term** *L*₍year₎ = (law's O&G plan − model at the law's price and rate in every month) / 12,
  applied from 2026: what the law assumes beyond price and rate (volumes, gas, damper). Shown in
  `calibration_check()`; with it the law's assumptions reproduce 8,918 bn.
- **Plan** (per month) = the model at the law's price and rate; it sums to the law's 8,918 bn.
- **Base revenue** (budget rule) = the model with *P* replaced by the base price ($59 in 2026, −$1 a year
  to $55 in 2030) at the actual rate and volumes; **NWF flow** = revenue − base revenue (excess saved,
  shortfall drawn); NWF balance from 4.08 trn on 2026-01-01.
- **Deficit** = law deficit 3,786.4 bn + Σ (plan − revenue) over the year; % of GDP on 235,067 bn.
  Months with an actual revenue use it; the others use the model.
- **Urals** = Brent − discount; scenario paths: flat, glide, shock-and-decay; Monte Carlo: log Urals =
  log(path) + Ornstein–Uhlenbeck deviation (volatility, reversion), so each month's median is the path.
- **Export volume change** *e* % moves output by export share × *e* (crude exports 5.0 of 9.326 mb/d).
- **Decomposition** of a scenario's 2026 revenue minus the plan into Brent price, discount, rouble and
  volume effects: Shapley values over the four inputs (the average of each input's effect over every
  order of switching them from the law's path to the scenario's), which sum exactly to the total, plus
  the actual-minus-model residual of months with a published revenue.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from oilimpact.assumptions import Assumptions, load_assumptions
from oilimpact.errors import OilImpactError
from oilimpact.params import Parameters, resolve_parameters
from oilimpact.paths_model import (
    History,
    Paths,
    base_months,
    build_history,
    mean_reverting_urals,
    scenario_paths,
)
from oilimpact.provenance import Source
from oilimpact.revenue import (
    COMPONENTS,
    Calibration,
    Layout,
    TaxConstants,
    calibrate,
    gross_extraction_tax,
    kc,
    layout,
)

EQUATIONS_MD = __doc__.split("## Equations", 1)[1].strip()
CALIBRATION_WINDOW = ("2025-01", "2025-12")
BACKTEST_WINDOW = ("2025-01", "2025-11")
LAW_FROM = pd.Period("2025-10", "M")
"""The law case puts the law's price and rate on every tax-base month feeding 2026 receipts (from the
quarter behind the March annual NDD payment)."""

SENSITIVITY_NOTE_MD = """\
**Why the sensitivity differs from the 150–200 bn per $1 rule of thumb.** The rule of thumb (Salikhov,
Izvestia) covers all budget revenue and a year at a higher rouble rate and export volumes; the model
measures only oil and gas revenue, from the 2025 relation of monthly receipts to the extraction-tax base,
at the scenario's rouble rate. Per $1 the change is ∂R/∂P = Σ (c₁ + NDD share)·919/261·X·Q·days/7.3, so
it scales with the rouble rate X: at 92.2 RUB/USD it is a quarter larger than at 75. Only the months
still to come can move: January's and February's prices are already in, so the rest-of-year effect is
smaller than the full-year one. Per 1 RUB/USD the effect scales with P − 15, not with P, because the
first $15 a barrel are untaxed.
"""


@dataclass(frozen=True)
class Context:
    """Everything the model needs that does not depend on the scenario (built once, cached)."""

    assumptions: Assumptions
    history: History
    constants: TaxConstants
    calibration: Calibration
    law_price: float
    law_rub_usd: float
    law_discount: float
    law_plan: dict[int, float]
    base_prices: dict[int, float]
    law_deficit: float
    gdp: float
    nwf_start: float
    caps: dict[str, float]

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
                "nwf_liquid_assets",
                "price_cap_us",
                "price_cap_eu",
            ]
        )
        return self.assumptions.sources(keys)


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
    fit = calibrate(gross[None, :], layout(receipts, months), history.revenue, *window)
    caps = {"us": assumptions.value("price_cap_us"), "eu": assumptions.value("price_cap_eu", "2026-02-01")}
    return Context(
        assumptions,
        history,
        constants,
        fit,
        assumptions.value("budget_law_urals_price"),
        assumptions.value("budget_law_rub_usd"),
        assumptions.get("urals_discount").series() and _law_discount(assumptions),
        {int(y): v for y, v in assumptions.get("budget_law_og_revenue").series().items()},
        {int(y): v for y, v in assumptions.get("budget_rule_base_price").series().items()},
        assumptions.value("budget_law_deficit"),
        assumptions.value("budget_law_gdp"),
        assumptions.value("nwf_liquid_assets", "2026-01-01"),
        caps,
    )


def _law_discount(assumptions: Assumptions) -> float:
    """The law states only Urals; split it with the Jul–Sep 2025 discount (when the law was drafted)."""
    series = assumptions.get("urals_discount").series()
    chosen = [v for k, v in series.items() if "2025-07" <= k <= "2025-09"]
    return sum(chosen) / len(chosen)


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

    def gross(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        return gross_extraction_tax(urals, fx, volume, _days(self.base)[None, :], self.context.constants)

    def components(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        return self.context.calibration.components(self.gross(urals, fx, volume), self.lay)

    def revenue(self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray) -> np.ndarray:
        """Model O&G revenue (paths, receipts) including the level term."""
        return self.context.calibration.revenue(self.gross(urals, fx, volume), self.lay) + self.level

    def used(self, revenue: np.ndarray) -> np.ndarray:
        """Actual revenue where published, the model elsewhere."""
        return np.where(np.isnan(self.actual), revenue, self.actual)

    def budget(
        self, urals: np.ndarray, fx: np.ndarray, volume: np.ndarray, base_price: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """Revenue, base revenue, NWF flow/balance and the deficit of every year, for (paths, months)."""
        urals, fx, volume = (np.atleast_2d(a) for a in (urals, fx, volume))
        revenue = self.revenue(urals, fx, volume)
        used = self.used(revenue)
        base_path = self.base_price if base_price is None else base_price
        base = self.revenue(np.broadcast_to(base_path, urals.shape), fx, volume)
        rule = ~np.isnan(self.plan)
        base = np.where(rule, base, np.nan)
        flow = np.where(rule, used - base, np.nan)
        in_fund = self.receipts >= pd.Period("2026-01", "M")
        balance = np.where(
            in_fund, self.context.nwf_start + np.cumsum(np.where(in_fund, flow, 0.0), axis=1), np.nan
        )
        return {"revenue": revenue, "used": used, "base": base, "nwf_flow": flow, "nwf_balance": balance}

    def year_total(self, monthly: np.ndarray, year: int) -> np.ndarray:
        mask = np.asarray(self.receipts.year == year)
        return monthly[:, mask].sum(axis=1)

    def deficit(self, used: np.ndarray, year: int) -> np.ndarray:
        mask = np.asarray(self.receipts.year == year)
        shortfall = (self.plan[mask] - used[:, mask]).sum(axis=1)
        return self.context.law_deficit + shortfall


def _base_price_path(context: Context, base: pd.PeriodIndex) -> np.ndarray:
    years = sorted(context.base_prices)
    out = []
    for month in base:
        year = min(max((month + 1).year, years[0]), years[-1])
        out.append(context.base_prices[year])
    return np.asarray(out, dtype=float)


def law_inputs(context: Context, base: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Urals, discount, RUB/USD of the law case: actual before :data:`LAW_FROM`, the law's after."""
    hist = context.history.frame.reindex(base)
    law = np.asarray(base >= LAW_FROM)
    urals = np.where(law, context.law_price, hist["urals_usd_bbl"].to_numpy(dtype=float))
    discount = np.where(law, context.law_discount, hist["discount_usd_bbl"].to_numpy(dtype=float))
    fx = np.where(law, context.law_rub_usd, hist["rub_usd"].to_numpy(dtype=float))
    return urals, discount, fx


@cache
def engine_for(start: str, end: str, context: Context | None = None) -> Engine:
    """The engine for receipt months ``start``..``end`` (cached per horizon)."""
    context = context or default_context()
    plan_end = max(pd.Period(end, "M"), pd.Period("2026-12", "M"))
    receipts = pd.period_range(start, plan_end, freq="M")
    base = base_months(plan_end)
    lay = layout(receipts, base)
    urals, _, fx = law_inputs(context, base)
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
    )
    if plan_end != pd.Period(end, "M"):
        return _trim(engine, pd.Period(end, "M"))
    return engine


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
    )


# --- one scenario ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's monthly table, annual summary, sources, decomposition and sensitivities."""

    params: Parameters
    monthly: pd.DataFrame
    annual: pd.Series
    sources: list[Source]
    decomposition: pd.Series
    sensitivity: pd.DataFrame
    paths: Paths = field(repr=False)


def _inputs(params: Parameters, context: Context) -> tuple[Engine, Paths, np.ndarray]:
    engine = engine_for(params.horizon_start, params.horizon_end)
    paths = scenario_paths(params, context.history, context.constants.export_share)
    base_price = engine.base_price.copy()
    if params.base_price is not None:
        base_price[paths.is_scenario] = params.base_price
    return engine, paths, base_price


def _cap_shares(urals: np.ndarray, months: pd.PeriodIndex, caps: dict[str, float], year: int) -> dict:
    mask = np.asarray(months.year == year)
    if not mask.any():
        return {"months_above_us_cap_share": math.nan, "months_above_eu_cap_share": math.nan}
    return {
        "months_above_us_cap_share": float((urals[mask] > caps["us"]).mean()),
        "months_above_eu_cap_share": float((urals[mask] > caps["eu"]).mean()),
    }


def run_scenario(params: Parameters, year: int = 2026) -> ScenarioResult:
    """Run one deterministic scenario over its horizon; ``annual`` summarises ``year``."""
    context = default_context()
    engine, paths, base_price = _inputs(params, context)
    out = engine.budget(paths.urals, paths.rub_usd, paths.volume, base_price)
    parts = engine.components(paths.urals[None, :], paths.rub_usd[None, :], paths.volume[None, :])[0]
    position = {m: i for i, m in enumerate(engine.base)}
    lagged = [position[m - 1] for m in engine.receipts]

    def lag(values: np.ndarray) -> np.ndarray:
        return values[lagged]

    monthly = pd.DataFrame(
        {
            "urals_usd_bbl": lag(paths.urals),
            "brent_usd_bbl": lag(paths.brent),
            "discount_usd_bbl": lag(paths.discount),
            "rub_usd": lag(paths.rub_usd),
            "kc": lag(kc(paths.urals, paths.rub_usd)),
            "export_volume_index": lag(paths.volume),
            "crude_exports_mb_d": lag(paths.volume)
            * context.constants.export_share
            * context.constants.reference_output_mb_d,
            "og_revenue_bn_rub": out["revenue"][0],
            **{name: parts[:, i] for i, name in enumerate(COMPONENTS)},
            "level_term_bn_rub": engine.level,
            "og_revenue_actual_bn_rub": engine.actual,
            "og_revenue_used_bn_rub": out["used"][0],
            "plan_bn_rub": engine.plan,
            "base_revenue_bn_rub": out["base"][0],
            "nwf_flow_bn_rub": out["nwf_flow"][0],
            "nwf_balance_bn_rub": out["nwf_balance"][0],
            "price_month_is_scenario": lag(paths.is_scenario),
        },
        index=pd.PeriodIndex(engine.receipts, name="month"),
    )
    start = pd.Period(params.horizon_start, "M")
    monthly = monthly[monthly.index >= start]

    annual = _annual(engine, out, paths, context, year)
    result_sources = context.sources()
    decomposition = decompose(params, year)
    sensitivity = sensitivities(params, year)
    annual = pd.concat(
        [
            annual,
            pd.Series(
                {
                    "sensitivity_per_usd_full_year_bn_rub": sensitivity.loc[
                        "per_usd_urals", "full_year_bn_rub"
                    ],
                    "sensitivity_per_usd_rest_of_year_bn_rub": sensitivity.loc[
                        "per_usd_urals", "rest_of_year_bn_rub"
                    ],
                    "sensitivity_per_rub_full_year_bn_rub": sensitivity.loc[
                        "per_rub_usd", "full_year_bn_rub"
                    ],
                    "sensitivity_per_rub_rest_of_year_bn_rub": sensitivity.loc[
                        "per_rub_usd", "rest_of_year_bn_rub"
                    ],
                }
            ),
        ]
    )
    return ScenarioResult(params, monthly, annual, result_sources, decomposition, sensitivity, paths)


def _annual(
    engine: Engine, out: dict[str, np.ndarray], paths: Paths, context: Context, year: int
) -> pd.Series:
    used = engine.year_total(out["used"], year)[0]
    plan = float(np.nansum(engine.plan[np.asarray(engine.receipts.year == year)]))
    deficit = float(engine.deficit(out["used"], year)[0])
    mask = np.asarray(engine.receipts.year == year)
    balance = out["nwf_balance"][0][mask]
    price_mask = np.asarray(paths.months.year == year)
    summary = {
        "year": year,
        "urals_average_usd_bbl": float(paths.urals[price_mask].mean()) if price_mask.any() else math.nan,
        "og_revenue_bn_rub": float(used),
        "og_revenue_model_bn_rub": float(engine.year_total(out["revenue"], year)[0]),
        "og_plan_bn_rub": plan,
        "og_gap_to_plan_bn_rub": float(used - plan),
        "deficit_bn_rub": deficit,
        "deficit_pct_gdp": 100.0 * deficit / context.gdp,
        "law_deficit_bn_rub": context.law_deficit,
        "nwf_flow_bn_rub": float(np.nansum(out["nwf_flow"][0][mask])),
        "nwf_end_balance_bn_rub": float(balance[-1])
        if len(balance) and not np.isnan(balance[-1])
        else math.nan,
        "level_term_bn_rub_month": engine.level_by_year.get(year, 0.0),
        **_cap_shares(paths.urals, paths.months, context.caps, year),
    }
    return pd.Series(summary, dtype=object)


def _annual_used(engine: Engine, urals, fx, volume, year: int) -> np.ndarray:
    return engine.year_total(engine.used(engine.revenue(urals, fx, volume)), year)


def decompose(params: Parameters, year: int = 2026) -> pd.Series:
    """The year's revenue minus the law's plan: Brent, discount, rouble and volume effects (Shapley) plus
    the actual-minus-model residual of published months; the parts sum exactly to the total."""
    context = default_context()
    engine, paths, _ = _inputs(params, context)
    law_urals, law_discount, law_fx = law_inputs(context, engine.base)
    law = {
        "brent": law_urals + law_discount,
        "discount": law_discount,
        "fx": law_fx,
        "volume": np.ones(len(engine.base)),
    }
    scen = {"brent": paths.brent, "discount": paths.discount, "fx": paths.rub_usd, "volume": paths.volume}
    names = list(law)
    subsets = list(itertools.product((0, 1), repeat=len(names)))
    stack = {n: np.stack([scen[n] if s[i] else law[n] for s in subsets]) for i, n in enumerate(names)}
    totals = engine.year_total(
        engine.revenue(stack["brent"] - stack["discount"], stack["fx"], stack["volume"]), year
    )
    value = dict(zip(subsets, totals, strict=True))
    n = len(names)
    effects = {}
    for i, name in enumerate(names):
        total = 0.0
        for subset in subsets:
            if subset[i]:
                continue
            size = sum(subset)
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            with_i = tuple(1 if j == i else s for j, s in enumerate(subset))
            total += weight * (value[with_i] - value[subset])
        effects[name] = total
    model_scenario = value[(1,) * n]
    used = _annual_used(engine, paths.urals[None, :], paths.rub_usd[None, :], paths.volume[None, :], year)[0]
    plan = float(np.nansum(engine.plan[np.asarray(engine.receipts.year == year)]))
    result = pd.Series(
        {
            "brent_price_effect_bn_rub": effects["brent"],
            "discount_effect_bn_rub": effects["discount"],
            "rub_usd_effect_bn_rub": effects["fx"],
            "volume_effect_bn_rub": effects["volume"],
            "actual_months_residual_bn_rub": float(used - model_scenario),
        }
    )
    result["total_vs_plan_bn_rub"] = float(used - plan)
    return result


def sensitivities(params: Parameters, year: int = 2026) -> pd.DataFrame:
    """Change in the year's O&G revenue per +$1 Urals and per +1 RUB/USD (central differences).

    ``full_year``: every tax-base month feeding the year's receipts moves (comparable with the rule of
    thumb); ``rest_of_year``: only the scenario's months (actual prices cannot move any more)."""
    context = default_context()
    engine, paths, _ = _inputs(params, context)
    feeding = np.asarray(
        (engine.base >= pd.Period(f"{year - 1}-10", "M")) & (engine.base <= pd.Period(f"{year}-11", "M"))
    )
    masks = {"full_year_bn_rub": feeding, "rest_of_year_bn_rub": feeding & paths.is_scenario}
    rows = {}
    for lever in ("per_usd_urals", "per_rub_usd"):
        row = {}
        for label, mask in masks.items():
            shifts = np.array([-0.5, 0.5])[:, None] * mask[None, :]
            urals = paths.urals[None, :] + (shifts if lever == "per_usd_urals" else 0.0)
            fx = paths.rub_usd[None, :] + (shifts if lever == "per_rub_usd" else 0.0)
            volume = np.broadcast_to(paths.volume, urals.shape)
            totals = engine.year_total(engine.revenue(urals, fx, volume), year)
            row[label] = float(totals[1] - totals[0])
        rows[lever] = row
    frame = pd.DataFrame(rows).T
    thumb = context.assumptions.get("rule_of_thumb_per_usd").series()
    frame["rule_of_thumb"] = [
        f"{thumb['low']:g}–{thumb['high']:g} bn (all revenue)",
        f"{context.assumptions.value('rule_of_thumb_per_rub'):g} bn (weak source)",
    ]
    return frame


# --- calibration, backtest -------------------------------------------------------------------------------


def calibration_table() -> pd.DataFrame:
    """Fitted vs actual O&G revenue for the calibration months (2025), with the error."""
    fit = default_context().calibration
    frame = pd.DataFrame({"actual_bn_rub": fit.actual, "fitted_bn_rub": fit.fitted})
    frame["error_bn_rub"] = frame["fitted_bn_rub"] - frame["actual_bn_rub"]
    frame["error_pct"] = 100.0 * frame["error_bn_rub"] / frame["actual_bn_rub"]
    frame.index.name = "month"
    return frame


def coefficients() -> pd.Series:
    """c₀…c₃ of the calibration (c₀ in bn RUB a month, the others per bn RUB of gross tax base)."""
    fit = default_context().calibration
    return pd.Series(
        fit.coefficients, index=["c0_level_bn_rub", "c1_extraction", "c2_ndd_quarterly", "c3_ndd_annual"]
    )


def calibration_check(year: int = 2026) -> dict[str, float]:
    """The year's O&G revenue with every month at the law's price and rate, before and after the level term,
    against the law's plan (8,918 bn for 2026)."""
    context = default_context()
    engine = engine_for(f"{year}-01", f"{year}-12")
    law_urals, _, law_fx = law_inputs(context, engine.base)
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


def backtest() -> pd.DataFrame:
    """Calibrate on 2025-01..2025-11 only; predict December 2025 and January 2026 out of sample from the
    actual prices and rates before them; also the January year-on-year change (the article's −50 %)."""
    context = build_context(load_assumptions(), BACKTEST_WINDOW)
    history = context.history
    frame = history.frame
    gross = gross_extraction_tax(
        frame["urals_usd_bbl"].to_numpy(),
        frame["rub_usd"].to_numpy(),
        np.ones(len(frame)),
        _days(frame.index),
        context.constants,
    )
    months = pd.PeriodIndex(["2025-12", "2026-01"], freq="M")
    receipts = pd.period_range(frame.index[0] + 3, frame.index[-1] + 1, freq="M")
    lay = layout(receipts, frame.index)
    predicted = pd.Series(context.calibration.revenue(gross[None, :], lay)[0], index=receipts).loc[months]
    actual = history.revenue.loc[months]
    table = pd.DataFrame({"actual_bn_rub": actual, "predicted_bn_rub": predicted})
    table["error_bn_rub"] = table["predicted_bn_rub"] - table["actual_bn_rub"]
    table["error_pct"] = 100.0 * table["error_bn_rub"] / table["actual_bn_rub"]
    january_2025 = history.revenue.loc[pd.Period("2025-01", "M")]
    table["yoy_actual_pct"] = [math.nan, 100.0 * (actual.iloc[1] / january_2025 - 1.0)]
    table["yoy_predicted_pct"] = [math.nan, 100.0 * (predicted.iloc[1] / january_2025 - 1.0)]
    table.index.name = "month"
    return table


# --- risk: grid, Monte Carlo, tornado -----------------------------------------------------------------------


def deficit_grid(
    urals: Iterable[float] = range(30, 101, 5),
    rub_usd: Iterable[float] = range(70, 111, 5),
    params: Parameters | None = None,
    year: int = 2026,
    value: str = "deficit_bn_rub",
) -> pd.DataFrame:
    """The year's deficit (or ``value``: deficit_pct_gdp, og_revenue_bn_rub) with Urals and RUB/USD flat
    over the scenario's months: rows Urals, columns RUB/USD (every grid point is one vectorised path)."""
    params = params or resolve_parameters("budget_law")
    context = default_context()
    engine, paths, base_price = _inputs(params, context)
    points = list(itertools.product([float(u) for u in urals], [float(x) for x in rub_usd]))
    if not points:
        raise OilImpactError("deficit_grid: needs at least one Urals price and one RUB/USD rate")
    grid = np.array(points)
    scen = paths.is_scenario[None, :]
    u = np.where(scen, grid[:, :1], paths.urals[None, :])
    x = np.where(scen, grid[:, 1:], paths.rub_usd[None, :])
    vol = np.broadcast_to(paths.volume, u.shape)
    out = engine.budget(u, x, vol, base_price)
    deficit = engine.deficit(out["used"], year)
    values = {
        "deficit_bn_rub": deficit,
        "deficit_pct_gdp": 100.0 * deficit / context.gdp,
        "og_revenue_bn_rub": engine.year_total(out["used"], year),
    }
    if value not in values:
        raise OilImpactError(f"deficit_grid: value must be one of {', '.join(values)}, got {value!r}")
    long = pd.DataFrame({"urals_usd_bbl": grid[:, 0], "rub_usd": grid[:, 1], value: values[value]})
    return long.pivot(index="urals_usd_bbl", columns="rub_usd", values=value)


@dataclass(frozen=True)
class MonteCarloResult:
    """Percentile fans by month, the year's deficit distribution and probabilities."""

    params: Parameters
    fan_urals: pd.DataFrame
    fan_revenue: pd.DataFrame
    deficit: np.ndarray
    deficit_percentiles: pd.Series
    nwf_end_percentiles: pd.Series
    p_urals_above_law: float
    p_deficit_above_law: float
    urals_average: np.ndarray = field(repr=False)

    def summary(self) -> pd.Series:
        return pd.Series(
            {
                "paths": len(self.deficit),
                "p_urals_avg_above_law": self.p_urals_above_law,
                "p_deficit_above_law": self.p_deficit_above_law,
                **{f"deficit_p{int(k)}_bn_rub": v for k, v in self.deficit_percentiles.items()},
            }
        )


PERCENTILES = (5, 25, 50, 75, 95)


def monte_carlo(params: Parameters, year: int = 2026) -> MonteCarloResult:
    """``mc_paths`` mean-reverting log-Urals paths around the scenario's path, through the full revenue and
    budget model in one vectorised pass (rouble and volumes stay on the scenario's path)."""
    context = default_context()
    engine, paths, base_price = _inputs(params, context)
    scen = paths.is_scenario
    urals = np.repeat(paths.urals[None, :], params.mc_paths, axis=0)
    urals[:, scen] = mean_reverting_urals(
        paths.urals[scen], params.mc_paths, params.mc_volatility, params.mc_reversion, params.seed
    )
    fx = np.broadcast_to(paths.rub_usd, urals.shape)
    vol = np.broadcast_to(paths.volume, urals.shape)
    out = engine.budget(urals, fx, vol, base_price)
    deficit = engine.deficit(out["used"], year)
    year_mask = np.asarray(paths.months.year == year)
    average = urals[:, year_mask].mean(axis=1)
    shown = np.asarray(engine.receipts >= pd.Period(params.horizon_start, "M"))
    fan_urals = pd.DataFrame(
        np.percentile(urals, PERCENTILES, axis=0).T,
        index=paths.months,
        columns=[f"p{p}" for p in PERCENTILES],
    )
    fan_revenue = pd.DataFrame(
        np.percentile(out["used"][:, shown], PERCENTILES, axis=0).T,
        index=engine.receipts[shown],
        columns=[f"p{p}" for p in PERCENTILES],
    )
    balance = out["nwf_balance"][:, np.asarray(engine.receipts.year == year)][:, -1]
    return MonteCarloResult(
        params,
        fan_urals,
        fan_revenue,
        deficit,
        pd.Series(np.percentile(deficit, PERCENTILES), index=PERCENTILES, name="deficit_bn_rub"),
        pd.Series(np.percentile(balance, PERCENTILES), index=PERCENTILES, name="nwf_end_bn_rub"),
        float((average > context.law_price).mean()),
        float((deficit > context.law_deficit).mean()),
        average,
    )


TORNADO_SHOCKS = {
    "urals_price": 10.0,
    "rub_usd": 10.0,
    "urals_discount": 5.0,
    "export_volume_change": 10.0,
}


def tornado(params: Parameters, year: int = 2026) -> pd.DataFrame:
    """The year's O&G revenue and deficit change for − and + shocks of each lever (deterministic runs)."""
    base = run_scenario(params, year).annual
    rows = []
    for lever, shock in TORNADO_SHOCKS.items():
        row: dict[str, object] = {"lever": lever, "shock": shock}
        for sign, label in ((-1, "low"), (1, "high")):
            moved = params.replace(**{lever: getattr(params, lever) + sign * shock})
            annual = run_scenario(moved, year).annual
            row[f"revenue_{label}_bn_rub"] = annual["og_revenue_bn_rub"] - base["og_revenue_bn_rub"]
            row[f"deficit_{label}_bn_rub"] = annual["deficit_bn_rub"] - base["deficit_bn_rub"]
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("lever")
    frame["swing_bn_rub"] = (frame["revenue_high_bn_rub"] - frame["revenue_low_bn_rub"]).abs()
    return frame.sort_values("swing_bn_rub", ascending=False)


def equations_markdown() -> str:
    """The model's equations as Markdown, for the notebooks (the same text as this module's docstring)."""
    return EQUATIONS_MD
