"""Notebooks 02 and 03: every scenario run, the price chart and table, revenue, backtest, deficit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from oilimpact import charts
from oilimpact.articles import MARKET_TOPICS
from oilimpact.fmt import bn_rub, percent, usd
from oilimpact.model import (
    HISTORY_SOURCE,
    backtest,
    backtest_summary,
    calibration_table,
    counterfactual,
    default_context,
    load_assumptions,
    load_scenarios,
    resolve_parameters,
    rolling_backtest,
    run_scenario,
)
from oilimpact.provenance import Source
from oilimpact.story.articles import (
    Headline,
    events_for_chart,
    headline,
)
from oilimpact.story.brief import DATA_SERIES, counterfactual_markdown, month_span
from oilimpact.story.common import (
    article_sources,
    assumption_sources,
    cite,
    scenario_title,
    table,
)

# --- notebooks 02-05: the model's results as chart inputs, tables and sentences ------------------

SCENARIO_ORDER_NOTE = "Scenarios other than the chosen one run with their own presets."


def run_all(p: Any) -> dict[str, Any]:
    """Every preset's :class:`~oilimpact.model.ScenarioResult` on the chosen horizon; the chosen scenario
    with the user's overrides (``p``)."""

    runs = {}
    for name in load_scenarios():
        params = p if name == p.scenario else resolve_parameters(name, horizon_end=p.horizon_end)
        runs[name] = run_scenario(params)
    return runs


def _price_months(result: Any) -> pd.PeriodIndex:
    months = result.paths.months
    return months[months >= pd.Period(result.params.horizon_start, "M")]


def prices(runs: Mapping[str, Any], what: str = "urals") -> pd.DataFrame:
    """A price path (``urals``, ``brent``, ``discount``, ``rub_usd``) by tax-base month, per scenario."""
    columns = {}
    for name, result in runs.items():
        series = pd.Series(getattr(result.paths, what), index=result.paths.months)
        columns[name] = series.loc[_price_months(result)]
    return pd.DataFrame(columns)


def last_actual_month(result: Any) -> pd.Period:
    """The last tax-base month with an actual price (the scenario takes over after it)."""
    months = result.paths.months[~result.paths.is_scenario]
    return months[-1]


def caps() -> dict[str, Any]:
    """Price caps from data/assumptions.yaml: the US cap as a number, the EU cap as a monthly step series."""

    found = load_assumptions()
    eu = found.get("price_cap_eu").series()
    eu_series = pd.Series(list(eu.values()), index=pd.PeriodIndex([k[:7] for k in eu], freq="M"))
    return {"US price cap": found.value("price_cap_us"), "EU price cap": eu_series}


PRICE_KEYS = (
    "urals_tax_price_2026",
    "urals_discount",
    "dated_brent",
    "budget_law_urals_price",
    "budget_rule_base_price",
    "price_cap_us",
    "price_cap_eu",
)


def price_chart(runs: Mapping[str, Any], chosen: str, corpus: Any) -> Any:
    """Chart 02: Urals by scenario with the chosen one's Brent, the budget line, the base price, the
    article's figures, the market-moving dated events (topic conflict, sanctions or oil_market) and
    the price caps; caption from all their sources."""

    result = runs[chosen]
    months = _price_months(result)
    base = pd.Series(default_context().base_prices).rename(lambda year: pd.Period(f"{year}-01", "M"))
    base_path = base.reindex(pd.period_range(base.index.min(), months[-1], freq="M")).ffill().reindex(months)
    if result.params.base_price is not None:
        base_path[months > last_actual_month(result)] = result.params.base_price
    head = headline(corpus)
    events = events_for_chart(e for e in corpus.events if len(e.date) == 10 and e.topic in MARKET_TOPICS)
    events = events.drop_duplicates("date")
    sources = cite(
        head.sources(),
        [HISTORY_SOURCE, *assumption_sources(*PRICE_KEYS)],
        (s for s in load_scenarios()[chosen].all_sources() if s.kind != "parameter"),
        article_sources(corpus.events),
    )
    return charts.price_paths(
        prices(runs),
        sources,
        highlight=chosen,
        brent=prices({chosen: result}, "brent")[chosen],
        budget_price=default_context().law_price,
        base_price=base_path,
        history_end=last_actual_month(result),
        points=head.points(),
        events=events,
        caps=caps(),
        titles=scenario_titles(runs),
    )


def price_table(runs: Mapping[str, Any], year: int = 2026) -> pd.DataFrame:
    """Per scenario (by its title): the year's average Urals, Brent, discount and rouble, and months
    above each cap."""
    titles = scenario_titles(runs)
    rows = []
    for name, result in runs.items():
        mask = result.paths.months.year == year
        a = result.annual
        rows.append(
            {
                "Scenario": titles[name],
                f"Urals {year} avg, USD/bbl": result.paths.urals[mask].mean(),
                f"Brent {year} avg, USD/bbl": result.paths.brent[mask].mean(),
                f"Discount {year} avg, USD/bbl": result.paths.discount[mask].mean(),
                f"RUB/USD {year} avg": result.paths.rub_usd[mask].mean(),
                "Months above US cap, %": 100 * a["months_above_us_cap_share"],
                "Months above EU cap, %": 100 * a["months_above_eu_cap_share"],
            }
        )
    return table(pd.DataFrame(rows), 1, label="Scenario")


def definitions_table(runs: Mapping[str, Any], year: int = 2026) -> pd.DataFrame:
    """What each scenario assumes for the months it models (from the first month without a published
    price to December): its description from data/scenarios.yaml and the averages of its inputs."""
    presets = load_scenarios()
    rows = []
    for name, result in runs.items():
        paths = result.paths
        mask = (paths.months.year == year) & paths.is_scenario
        first = paths.months[mask][0] if mask.any() else None
        rows.append({
            "Scenario": scenario_title(name),
            "What it assumes": " ".join(presets[name].description.split()) if name in presets else "",
            "Urals, USD/bbl": paths.urals[mask].mean(),
            "Brent, USD/bbl": paths.brent[mask].mean(),
            "Discount, USD/bbl": paths.discount[mask].mean(),
            "RUB/USD": paths.rub_usd[mask].mean(),
            "Crude exports, %": result.params.export_volume_change,
            "_from": first,
        })
    frame = pd.DataFrame(rows)
    start = frame.pop("_from").dropna()
    frame.attrs["months"] = f"{start.min():%B}–December {year}" if len(start) else str(year)
    frame.attrs["published"] = (_months_words(pd.period_range(f"{year}-01", start.min() - 1, freq="M"))
                                if len(start) and start.min().month > 1 else "")
    return table(frame, {c: 0 if c == "Crude exports, %" else 1 for c in frame.columns
                         if c not in ("Scenario", "What it assumes")}, label="Scenario")


def definitions_markdown(definitions: pd.DataFrame) -> str:
    """The caption of :func:`definitions_table`: over which months its averages run."""
    published = definitions.attrs.get("published")
    shared = (f"; {published} {'is' if ' and ' not in published else 'are'} published and the same in all"
              " of them" if published else "")
    return f"Averages over {definitions.attrs['months']}, the months each scenario models{shared}."


def article_price_markdown(result: Any, head: Headline) -> str:
    """The one counterfactual at the article's latest price (see :func:`oilimpact.story.brief.
    counterfactual_markdown`), with the article's quote named."""
    if head.latest is None or head.budget is None:
        return ""
    return counterfactual_markdown(result, head.latest.value)


def price_gain(result: Any, head: Headline) -> float:
    """2026 O&G revenue from the article's latest price held from the first scenario month instead of the
    law's, everything else as in the scenario (:func:`oilimpact.model.counterfactual`), bn RUB."""
    return counterfactual(result.params, head.latest.value)


def december_note(result: Any, head: Headline) -> str:
    """Why the article's December price and the model's December price differ."""
    if head.december is None:
        return ""
    month = pd.Period("2025-12", "M")
    tax = float(pd.Series(result.paths.urals, index=result.paths.months)[month])
    bound = "less than " if head.december.qualifier == "less_than" else ""
    return (
        f"The article's \"{bound}{usd(head.december.value)}\" for December is a market quote; the model uses "
        f"the Urals tax price the Economy Ministry publishes for the extraction tax, {usd(tax)} for "
        f"December 2025 (since 2025 a blend of 78 % Urals and 22 % ESPO), which is what the budget receives."
    )


MODEL_KEYS = (
    "og_revenue_monthly",
    "budget_law_og_revenue",
    "budget_law_deficit",
    "budget_law_gdp",
    "nwf_liquid_assets",
    "extraction_tax_base_rate",
)
"""What the model charts cite besides :data:`HISTORY_SOURCE` (tax prices, rates and revenue to 2025-12)."""


def model_sources(*extra: str) -> list[Source]:
    return cite([HISTORY_SOURCE, *assumption_sources(*MODEL_KEYS, *extra)])


def revenue_chart(result: Any, year: int = 2026) -> Any:
    """Chart 03a: the year's monthly O&G revenue (published, nowcast or the scenario's model, shaded
    apart) vs the law's plan, the same month a year earlier and actual receipts."""

    m = result.monthly
    this = m[m.index.year == year]
    prior = m.loc[m.index.year == year - 1, "og_revenue_actual_bn_rub"].dropna()
    return charts.revenue_vs_plan(
        this["og_revenue_used_bn_rub"],
        model_sources(),
        plan=this["plan_bn_rub"],
        prior_year=prior,
        status=this["revenue_status"],  # published months are the dark bars
        scenario=scenario_title(result.params.scenario),
    )


def backtest_frame() -> tuple[pd.DataFrame, list[pd.Period]]:
    """Actual vs model revenue: 2025 in-sample fit, then the out-of-sample months of the backtest."""

    fit = calibration_table()
    out = backtest()
    frame = pd.DataFrame({"actual": fit["actual_bn_rub"], "model": fit["fitted_bn_rub"]})
    frame = frame.drop(index=out.index, errors="ignore")
    frame = pd.concat(
        [frame, pd.DataFrame({"actual": out["actual_bn_rub"], "model": out["predicted_bn_rub"]})]
    )
    return frame, list(out.index)


def backtest_chart() -> Any:

    frame, oos = backtest_frame()
    first, last = oos[0], oos[-1]
    fig = charts.backtest(frame, model_sources(), out_of_sample=oos)
    charts.caption(
        fig,
        model_sources(),
        note=(
            f"Shaded: {first:%b %Y} and {last:%b %Y} predicted out of sample, each by the model fitted only "
            "on the months before it; the other months show the fit (on 2023–2025 history) for 2025."
        ),
    )
    return fig


def rolling_backtest_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every month from January 2024 predicted with the choices and the fit of the months before it: the
    monthly frame (actual, model) and the summary (MAPE and median APE per year, model and naive
    benchmark)."""
    bt = rolling_backtest()
    # months without inputs stay as gaps (NaN), so the lines break there instead of bridging them
    frame = pd.DataFrame({"actual": bt["actual_bn_rub"], "model": bt["predicted_bn_rub"]})
    frame.loc[frame["model"].isna(), "actual"] = float("nan")
    frame.index = pd.PeriodIndex(frame.index, freq="M")
    return frame, backtest_summary(bt)


def rolling_backtest_chart() -> Any:
    frame, summary = rolling_backtest_frame()
    overall = summary.loc["overall"]
    title = (f"A month ahead, the model misses by a median {percent(overall['median_ape_pct'], 1)}; "
             f"the naive benchmark by {percent(overall['naive_median_ape_pct'], 1)}")
    sources = [HISTORY_SOURCE]
    subtitle = "O&G revenue by receipt month, bn RUB: published vs predicted out of sample"
    fig = charts.backtest(frame, sources, title=title, subtitle=subtitle)
    charts.caption(fig, sources, note=(
        "Each month is predicted by the structural model (extraction tax, NDD on its calendar, damper, "
        "2023 export duty, gas and other) with every choice (the gas season's form and phase, the damper's "
        "trend, the weighting) and every coefficient made from the months before it only; months whose "
        "previous tax price is not published are left out."))
    return fig


def rolling_backtest_markdown() -> str:
    """How many months the rolling backtest predicts, and which it leaves out and why (its inputs)."""
    bt = rolling_backtest()
    months = pd.PeriodIndex(bt.index, freq="M")
    left = bt["predicted_bn_rub"].isna().to_numpy()
    said = (f"{int((~left).sum())} of the {len(bt)} months from {months[0]:%B %Y} to {months[-1]:%B %Y} "
            "are predicted and scored")
    terms = (" In the table, MAPE is the mean of the months' absolute percentage errors, median APE their "
             "median, and worst the largest.")
    if not left.any():
        return said + "." + terms
    missing = sorted({part.strip() for note in bt.loc[left, "note"] for part in
                      str(note).removeprefix("no inputs:").split(",") if part.strip()})
    inputs = ", ".join(_input_words(m) for m in missing)
    return (f"{said}; {_months_words(months[left])} {'is' if left.sum() == 1 else 'are'} left out because "
            f"an input is missing from the history: {inputs}." + terms)


def _months_words(months: pd.PeriodIndex) -> str:
    """``March and April 2025``; ``December 2024 and March 2025``."""
    if len({m.year for m in months}) == 1:
        names = [f"{m:%B}" for m in months]
        names[-1] += f" {months[-1].year}"
    else:
        names = [f"{m:%B %Y}" for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _input_words(missing: str) -> str:
    """``urals_tax_price 2025-02`` → ``the Urals tax price of February 2025``."""
    series, _, month = missing.partition(" ")
    name = DATA_SERIES.get(series, series.replace("_", " ")).split(",")[0]
    when = f" of {pd.Period(month, 'M'):%B %Y}" if month else ""
    return f"the {name[0].lower() + name[1:] if name.split()[0] not in ('Urals', 'CBR') else name}{when}"


def rolling_backtest_table() -> pd.DataFrame:
    _frame, summary = rolling_backtest_frame()
    shown = summary.rename(columns={
        "months": "Months", "mape_pct": "MAPE %", "median_ape_pct": "Median APE %", "worst_pct": "Worst %",
        "naive_mape_pct": "Naive MAPE %", "naive_median_ape_pct": "Naive median APE %"})
    shown.insert(0, "Period", shown.index)
    places = {c: 0 if c == "Months" else 1 for c in shown.columns if c != "Period"}
    return table(shown, places, label="Period")


def deficit_chart(runs: Mapping[str, Any], chosen: str, year: int = 2026) -> Any:
    """Chart 03b: the cumulative O&G shortfall against the law's plan (what adds to the law's deficit)
    and the NWF's liquid balance, by scenario."""

    shortfall, nwf = {}, {}
    for name, result in runs.items():
        m = result.monthly[result.monthly.index.year == year]
        shortfall[name] = (m["plan_bn_rub"] - m["og_revenue_used_bn_rub"]).cumsum()
        nwf[name] = m["nwf_balance_bn_rub"]
    a = runs[chosen].annual
    title = (
        f"{scenario_title(chosen)}: {year} deficit {bn_rub(a['deficit_bn_rub'])} "
        f"({percent(a['deficit_pct_gdp'], 2)} of GDP) against the law's {bn_rub(a['law_deficit_bn_rub'])}; "
        f"the NWF ends at {bn_rub(a['nwf_end_balance_bn_rub'])} with no further draws for the deficit"
    )
    return charts.deficit_nwf(
        pd.DataFrame(shortfall),
        pd.DataFrame(nwf),
        model_sources("budget_rule_base_price", "budget_rule_fx_operations", "nwf_deficit_financing",
                      "nwf_deficit_share", "budget_deficit_ytd", "rub_usd_month_end"),
        highlight=chosen,
        title=title,
        top_label="O&G shortfall vs plan, cumulative",
        titles=scenario_titles(runs),
    )


def scenario_titles(runs: Mapping[str, Any]) -> dict[str, str]:
    """Each run's scenario title from data/scenarios.yaml (its name in words when it is not a preset)."""
    return {name: scenario_title(name) for name in runs}


def annual_table(runs: Mapping[str, Any]) -> pd.DataFrame:
    """Per scenario (by its title): the year's Urals, O&G revenue, gap to plan, deficit (bn RUB, % GDP),
    NWF end — the one table of these numbers, in the brief and in every report."""
    titles = scenario_titles(runs)
    rows = []
    for name, result in runs.items():
        a = result.annual
        rows.append(
            {
                "Scenario": titles[name],
                "Urals avg, USD/bbl": a["urals_average_usd_bbl"],
                "O&G revenue, bn RUB": a["og_revenue_bn_rub"],
                "Gap to plan, bn RUB": a["og_gap_to_plan_bn_rub"],
                "Deficit, bn RUB": a["deficit_bn_rub"],
                "Deficit, % GDP": a["deficit_pct_gdp"],
                "NWF end, bn RUB": a["nwf_end_balance_bn_rub"],
            }
        )
    frame = pd.DataFrame(rows)
    return table(
        frame, {c: (2 if "%" in c else 1 if "USD" in c else 0) for c in frame.columns}, label="Scenario"
    )


DECOMPOSITION_LABELS = {
    "published_rub_usd_effect_bn_rub": "Rouble, months published",
    "scenario_rub_usd_effect_bn_rub": "Rouble, scenario months",
    "volume_effect_bn_rub": "Export volume",
    "published_prices_effect_bn_rub": "Urals, months published",
    "scenario_price_effect_bn_rub": "Urals, scenario months",
    "actual_months_residual_bn_rub": "Published and nowcast months vs model",
}


def waterfall_chart(result: Any) -> Any:

    d = result.decomposition
    steps = pd.Series({label: float(d[key]) for key, label in DECOMPOSITION_LABELS.items()})
    return charts.waterfall(
        steps,
        model_sources("urals_tax_price_2026"),
        total_label="O&G revenue vs the law's plan",
        subtitle=f"{scenario_title(result.params.scenario)}: 2026 oil & gas revenue minus "
        "the law's plan, the law's inputs switched to the scenario's one at a time, bn RUB",
    )


def _split_parts(result: Any, year: int, kinds: tuple[str, ...]) -> list[str]:
    a, m = result.annual, result.monthly
    status = m.loc[m.index.year == year, "revenue_status"]
    labels = {
        "published": "published by the Finance Ministry ({months})",
        "nowcast": "nowcast ({months}; from the published tax prices and rouble rates of the month before, "
        "the same in every scenario)",
        "scenario": f"from the {scenario_title(result.params.scenario)} scenario ({{months}})",
    }
    return [f"{bn_rub(a[f'og_revenue_{kind}_bn_rub'])} " + labels[kind].format(months=month_span(months))
            for kind in kinds if len(months := status.index[status == kind])]


def revenue_split_markdown(result: Any, year: int = 2026) -> str:
    """The year's O&G revenue as published to date + nowcast + scenario, each with its months: one number
    per month, the same in every scenario until the scenario takes over."""
    parts = _split_parts(result, year, ("published", "nowcast", "scenario"))
    return (f"{year} oil and gas revenue of **{bn_rub(result.annual['og_revenue_bn_rub'])}** = "
            + " + ".join(parts) + ".")
