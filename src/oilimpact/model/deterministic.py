"""One deterministic scenario: its monthly table, annual summary, decomposition and sensitivities."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oilimpact.model.budget import Context, Engine, default_context, engine_for, law_inputs
from oilimpact.model.inputs import Paths, scenario_paths
from oilimpact.model.revenue import COMPONENTS, kc
from oilimpact.params import Parameters
from oilimpact.provenance import Source


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


def scenario_inputs(params: Parameters, context: Context) -> tuple[Engine, Paths, np.ndarray]:
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
    engine, paths, base_price = scenario_inputs(params, context)
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
    engine, paths, _ = scenario_inputs(params, context)
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
    engine, paths, _ = scenario_inputs(params, context)
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
