"""One deterministic scenario: its monthly table, annual summary, decomposition and sensitivities."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oilimpact.model import fund
from oilimpact.model.budget import Context, Engine, default_context, engine_for, law_inputs
from oilimpact.model.inputs import Paths, scenario_paths
from oilimpact.model.revenue import COMPONENTS, kc
from oilimpact.params import Parameters, build_parameters
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
            "og_revenue_nowcast_bn_rub": engine.nowcast,
            "revenue_status": revenue_status(engine),
            "price_month_is_scenario": lag(paths.is_scenario),
        },
        index=pd.PeriodIndex(engine.receipts, name="month"),
    )
    start = pd.Period(params.horizon_start, "M")
    monthly = monthly[monthly.index >= start]

    annual = _annual(engine, out, paths, context, year, base_price)
    result_sources = context.sources()
    decomposition = decompose(params, year)
    sensitivity = sensitivities(params, year)
    annual = pd.concat(
        [
            annual,
            pd.Series(
                {
                    f"sensitivity_{lever}_{span}_bn_rub": sensitivity.loc[lever, f"{span}_bn_rub"]
                    for lever in sensitivity.index
                    for span in ("full_year", "rest_of_year")
                }
            ),
        ]
    )
    return ScenarioResult(params, monthly, annual, result_sources, decomposition, sensitivity, paths)


def _annual(
    engine: Engine, out: dict[str, np.ndarray], paths: Paths, context: Context, year: int,
    base_price: np.ndarray,
) -> pd.Series:
    used = engine.year_total(out["used"], year)[0]
    plan = float(np.nansum(engine.plan[np.asarray(engine.receipts.year == year)]))
    deficit = float(engine.deficit(out["used"], year)[0])
    mask = np.asarray(engine.receipts.year == year)
    balance = out["nwf_balance"][0][mask]
    price_mask = np.asarray(paths.months.year == year)
    known = fund.last_published_deficit(context.fund, year)
    covered = engine.budget(paths.urals, paths.rub_usd, paths.volume, base_price, deficit_share=1.0)
    covered_end = covered["nwf_balance"][0][mask]
    status = revenue_status(engine)[mask]
    used_monthly = out["used"][0][mask]
    summary = {
        "year": year,
        "urals_average_usd_bbl": float(paths.urals[price_mask].mean()) if price_mask.any() else math.nan,
        "og_revenue_bn_rub": float(used),
        "og_revenue_model_bn_rub": float(engine.year_total(out["revenue"], year)[0]),
        "og_revenue_published_bn_rub": float(np.nansum(engine.actual[mask])),
        "og_months_published": int(np.isfinite(engine.actual[mask]).sum()),
        "og_revenue_nowcast_bn_rub": float(np.nansum(np.where(status == "nowcast", used_monthly, 0.0))),
        "og_months_nowcast": int((status == "nowcast").sum()),
        "og_revenue_scenario_bn_rub": float(np.nansum(np.where(status == "scenario", used_monthly, 0.0))),
        "og_months_scenario": int((status == "scenario").sum()),
        "og_plan_bn_rub": plan,
        "og_gap_to_plan_bn_rub": float(used - plan),
        "deficit_bn_rub": deficit,
        "deficit_pct_gdp": 100.0 * deficit / context.gdp,
        "law_deficit_bn_rub": context.law_deficit,
        "deficit_published_to": str(known) if known is not None else "",
        "deficit_published_bn_rub": context.fund.deficit_ytd[known] if known is not None else math.nan,
        "nwf_flow_bn_rub": float(np.nansum(out["nwf_flow"][0][mask])),
        "nwf_draws_bn_rub": float(out["nwf_draws"][0][mask].sum())
        + sum(v for m, v in context.fund.financing.items() if m.year == year),
        "nwf_deficit_share": context.fund.deficit_share,
        "nwf_end_balance_bn_rub": _last(balance),
        "nwf_end_if_fund_covers_overshoot_bn_rub": _last(covered_end),
        "nwf_runs_out_if_fund_covers_overshoot": _first_below_zero(engine.receipts[mask], covered_end),
        "level_term_bn_rub_month": engine.level_by_year.get(year, 0.0),
        **_cap_shares(paths.urals, paths.months, context.caps, year),
    }
    return pd.Series(summary, dtype=object)


def revenue_status(engine: Engine) -> np.ndarray:
    """Per receipt month: ``published`` (the ministry's figure), ``nowcast`` (its inputs are published,
    its revenue not: the nowcast, the same in every scenario) or ``scenario`` (the scenario's model)."""
    return np.where(np.isfinite(engine.actual), "published",
                    np.where(np.isfinite(engine.nowcast), "nowcast", "scenario"))


def _first_below_zero(months: pd.PeriodIndex, balance: np.ndarray) -> str:
    """The first month whose end balance is below zero (the fund would be exhausted), or ``""``."""
    below = np.flatnonzero(balance < 0)
    return str(months[below[0]]) if len(below) else ""


def _last(values: np.ndarray) -> float:
    return float(values[-1]) if len(values) and not np.isnan(values[-1]) else math.nan


def nwf_reconciliation(params: Parameters) -> pd.DataFrame:
    """Each published month-start NWF balance against the model's one-month step into it from the
    published balance before (:func:`oilimpact.model.fund.reconcile`)."""
    context = default_context()
    engine, paths, base_price = scenario_inputs(params, context)
    out = engine.budget(paths.urals, paths.rub_usd, paths.volume, base_price)
    return fund.reconcile(engine.receipts, out["nwf_flow"], out["month_end_rates"], context.fund,
                          out["nwf_draws"])


LEVERS = {
    "urals_price": ("Urals", "USD/bbl"),
    "rub_usd": ("Rouble", "RUB/USD"),
    "urals_discount": ("Urals discount", "USD/bbl"),
    "export_volume_change": ("Crude export volume", "%"),
}
"""The levers a sensitivity, the tornado and the card move, each by one unit of its own."""


def shifted_inputs(
    paths: Paths, export_share: float, lever: str, amounts: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Urals, RUB/USD and volume (one row per amount) with ``lever`` moved by each amount in every
    tax-base month of ``mask`` — the whole path, whatever its shape. A wider discount lowers Urals with
    Brent held; a volume change of 1 % moves the volume index by the export share of 1 %."""
    shift = np.asarray(amounts, dtype=float)[:, None] * np.asarray(mask, dtype=float)[None, :]
    urals = np.broadcast_to(paths.urals, shift.shape).copy()
    fx = np.broadcast_to(paths.rub_usd, shift.shape).copy()
    volume = np.broadcast_to(paths.volume, shift.shape).copy()
    if lever == "urals_price":
        urals += shift
    elif lever == "urals_discount":
        urals -= shift
    elif lever == "rub_usd":
        fx += shift
    elif lever == "export_volume_change":
        volume += export_share * shift / 100.0
    else:
        raise KeyError(lever)
    return urals, fx, volume


def _feeding(engine: Engine, year: int) -> np.ndarray:
    """Tax-base months whose taxes are received in ``year`` (October of the year before, for the March
    NDD settlement, to November)."""
    return np.asarray(
        (engine.base >= pd.Period(f"{year - 1}-10", "M")) & (engine.base <= pd.Period(f"{year}-11", "M"))
    )


def sensitivities(params: Parameters, year: int = 2026) -> pd.DataFrame:
    """The year's O&G revenue change per unit of each lever of :data:`LEVERS` (central differences of
    ±0.5 units over the whole path), bn RUB and % of GDP.

    ``full_year``: every tax-base month feeding the year's receipts moves (comparable with the rule of
    thumb); ``rest_of_year``: only the scenario's months (published prices cannot move any more). The
    model is linear in each lever (while Urals stays above the $15 threshold), so N units move revenue
    by N times these numbers — the tornado's bars are exactly that."""
    context = default_context()
    engine, paths, _ = scenario_inputs(params, context)
    feeding = _feeding(engine, year)
    masks = {"full_year": feeding, "rest_of_year": feeding & paths.is_scenario}
    rows = {}
    for lever in LEVERS:
        row = {}
        for label, mask in masks.items():
            inputs = shifted_inputs(paths, context.constants.export_share, lever, np.array([-0.5, 0.5]), mask)
            totals = engine.year_total(engine.revenue(*inputs), year)
            row[f"{label}_bn_rub"] = float(totals[1] - totals[0])
            row[f"{label}_pct_gdp"] = 100.0 * row[f"{label}_bn_rub"] / context.gdp
        rows[lever] = row
    return pd.DataFrame(rows).T


def law_baseline(params: Parameters | None = None) -> Parameters:
    """The one fixed baseline of the sensitivity card: the law's Urals and rouble rate held flat from the
    first month without a published price, volumes unchanged, the discount at its last published level
    (the law states none; it matters only for Brent)."""
    context = default_context()
    frame = context.history.frame
    return build_parameters(
        "budget_law",
        {
            "urals_price": context.law_price,
            "rub_usd": context.law_rub_usd,
            "urals_discount": float(frame["discount_usd_bbl"].iloc[-1]),
            "path_shape": "flat",
            **({"horizon_end": params.horizon_end} if params is not None else {}),
        },
        {},
    )


BREAKEVEN_RATES = (75.0, 80.0, 85.0, 90.0)


def breakeven_urals(params: Parameters, rates: tuple[float, ...] = BREAKEVEN_RATES,
                    year: int = 2026) -> pd.Series:
    """The flat Urals price (over the scenario's months) that keeps the year's deficit at the law's, at
    each RUB/USD rate, everything else as in ``params`` (the deficit is linear in Urals, so two runs a
    rate give it exactly)."""
    context = default_context()
    engine, paths, base_price = scenario_inputs(params, context)
    scen = paths.is_scenario[None, :]
    out = {}
    for rate in rates:
        probes = np.array([[40.0], [80.0]])
        urals = np.where(scen, probes, paths.urals[None, :])
        fx = np.where(scen, rate, np.broadcast_to(paths.rub_usd, urals.shape))
        budget = engine.budget(urals, fx, np.broadcast_to(paths.volume, urals.shape), base_price)
        low, high = engine.deficit(budget["used"], year)
        out[rate] = float(40.0 + (context.law_deficit - low) * 40.0 / (high - low))
    return pd.Series(out, name="urals_usd_bbl")


def sensitivity_card(year: int = 2026) -> tuple[pd.DataFrame, pd.Series, Parameters]:
    """The card every report and the index show: :func:`sensitivities` and :func:`breakeven_urals` at
    :func:`law_baseline`, so they are the same whichever scenario a report is about."""
    baseline = law_baseline()
    return sensitivities(baseline, year), breakeven_urals(baseline, year=year), baseline


def counterfactual(params: Parameters, price: float, year: int = 2026) -> float:
    """The one counterfactual: the year's O&G revenue with Urals at ``price`` held over the scenario's
    months minus the same with the law's Urals price held there, everything else (rouble, volumes,
    published months) as in the scenario, bn RUB."""
    context = default_context()
    engine, paths, _ = scenario_inputs(params, context)
    scen = paths.is_scenario[None, :]
    urals = np.where(scen, np.array([[price], [context.law_price]]), paths.urals[None, :])
    shape = urals.shape
    totals = engine.year_total(
        engine.used(engine.revenue(urals, np.broadcast_to(paths.rub_usd, shape),
                                   np.broadcast_to(paths.volume, shape))), year)
    return float(totals[0] - totals[1])


DECOMPOSITION_STEPS = (
    "published_rub_usd_effect_bn_rub",
    "scenario_rub_usd_effect_bn_rub",
    "volume_effect_bn_rub",
    "published_prices_effect_bn_rub",
    "scenario_price_effect_bn_rub",
    "actual_months_residual_bn_rub",
)


def decompose(params: Parameters, year: int = 2026) -> pd.Series:
    """The year's revenue minus the law's plan, switching the law's inputs (the law states Urals, the
    rouble rate and, implicitly, volumes) to the scenario's one at a time: the rouble of the months
    already published, then the scenario's rouble, then volumes, then the Urals prices already
    published, then the scenario's Urals path; plus the published receipts minus the model. The steps
    (:data:`DECOMPOSITION_STEPS`) sum exactly to the total; ``rub_usd_effect_bn_rub`` is the two rouble
    steps together. The last price step is the :func:`counterfactual` of a flat path (evaluated at the
    scenario's rouble and volumes)."""
    context = default_context()
    engine, paths, _ = scenario_inputs(params, context)
    law_urals, law_fx = law_inputs(context, engine.base)
    published = ~paths.is_scenario
    urals_published = np.where(published, paths.urals, law_urals)
    fx_published = np.where(published, paths.rub_usd, law_fx)
    ones = np.ones(len(engine.base))
    stages = np.stack([
        np.stack([law_urals, law_fx, ones]),
        np.stack([law_urals, fx_published, ones]),
        np.stack([law_urals, paths.rub_usd, ones]),
        np.stack([law_urals, paths.rub_usd, paths.volume]),
        np.stack([urals_published, paths.rub_usd, paths.volume]),
        np.stack([paths.urals, paths.rub_usd, paths.volume]),
    ])
    totals = engine.year_total(engine.revenue(stages[:, 0], stages[:, 1], stages[:, 2]), year)
    used = float(engine.year_total(engine.used(engine.revenue(
        paths.urals[None, :], paths.rub_usd[None, :], paths.volume[None, :])), year)[0])
    plan = float(np.nansum(engine.plan[np.asarray(engine.receipts.year == year)]))
    steps = np.diff(totals)
    result = pd.Series(
        {
            "published_rub_usd_effect_bn_rub": float(steps[0]),
            "scenario_rub_usd_effect_bn_rub": float(steps[1]),
            "volume_effect_bn_rub": float(steps[2]),
            "published_prices_effect_bn_rub": float(steps[3]),
            "scenario_price_effect_bn_rub": float(steps[4]),
            "actual_months_residual_bn_rub": float(used - totals[-1]),
        }
    )
    result["rub_usd_effect_bn_rub"] = float(steps[0] + steps[1])
    result["total_vs_plan_bn_rub"] = float(used - plan)
    return result
