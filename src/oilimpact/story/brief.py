"""What a reader takes away: the sensitivity card, the one counterfactual, the sentences that explain a
gap, the honest deficit and fund, the data's dates and the brief."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from oilimpact.fmt import bn_rub, number, percent, usd
from oilimpact.model import (
    LEVERS,
    counterfactual,
    default_context,
    law_baseline,
    load_assumptions,
    load_scenarios,
    nwf_reconciliation,
    run_scenario,
    sensitivity_card,
)
from oilimpact.model.history import load_history
from oilimpact.story.common import table

CARD_LABELS = {
    "urals_price": "Urals +$1 a barrel",
    "rub_usd": "Rouble weaker by 1 RUB/USD",
    "urals_discount": "Discount wider by $1 (Brent held)",
    "export_volume_change": "Crude exports +1 %",
}


def month_words(month: Any) -> str:
    """``2026-03`` → ``March 2026``."""
    return f"{pd.Period(month, 'M'):%B %Y}"


def card_table() -> pd.DataFrame:
    """The sensitivity card: 2026 O&G revenue per unit of each lever at the one fixed baseline (the
    law's Urals and rouble rate from the first month without a published price)."""
    sens, _breakeven, _baseline = sensitivity_card()
    rest = f"{first_scenario_month():%B}–December"
    rows = []
    for lever in LEVERS:
        row = sens.loc[lever]
        rows.append(
            {
                "Lever": CARD_LABELS[lever],
                "Full year, bn RUB": row["full_year_bn_rub"],
                f"{rest}, bn RUB": row["rest_of_year_bn_rub"],
                "Full year, % GDP": row["full_year_pct_gdp"],
                f"{rest}, % GDP": row["rest_of_year_pct_gdp"],
            }
        )
    frame = pd.DataFrame(rows)
    return table(
        frame, {c: 3 if "GDP" in c else 0 for c in frame.columns if c != "Lever"}, label="Lever"
    )


def breakeven_table() -> pd.DataFrame:
    """The flat Urals price from the first month without a published price that keeps the 2026 deficit
    at the law's, at 75, 80, 85 and 90 RUB/USD (the card's baseline otherwise): one row, a column a rate."""
    _sens, breakeven, _baseline = sensitivity_card()
    frame = pd.DataFrame(
        [{"At the rouble rate": "Urals that keeps the deficit at the law's, USD/bbl",
          **{f"{number(rate, 0)} RUB/USD": float(price) for rate, price in breakeven.items()}}]
    )
    return table(frame, 1, label="At the rouble rate")


def card_markdown() -> str:
    """What the card is and why it is the same in every report."""
    sens, breakeven, baseline = sensitivity_card()
    first = first_scenario_month()
    per_usd = sens.loc["urals_price"]
    return (
        f"**The sensitivity card**, the same in every report: one fixed baseline, the law's Urals "
        f"{usd(baseline.urals_price)} and {number(baseline.rub_usd, 1)} RUB/USD held from "
        f"{month_words(first)}; each lever moves the whole path, and its effect is linear ($10 is ten "
        f"times $1). $1 on Urals is worth {bn_rub(per_usd['full_year_bn_rub'])} over a full year and "
        f"{bn_rub(per_usd['rest_of_year_bn_rub'])} over {first:%B}–December {first.year}. At 80 RUB/USD the "
        f"deficit stays at the law's level only with Urals at {usd(breakeven[80.0], 1)} or more."
    )


def card_caption() -> str:
    """The card in one sentence, for the one-page brief (:func:`card_markdown` says more)."""
    _sens, _breakeven, baseline = sensitivity_card()
    return (f"The same baseline in every report: the law's {usd(baseline.urals_price)} and "
            f"{number(baseline.rub_usd, 1)} RUB/USD from {month_words(first_scenario_month())}; effects are "
            "linear; break-even prices are Urals held flat from then.")


def first_scenario_month() -> pd.Period:
    """The first tax-base month without a published Urals price (the scenarios take over there)."""
    return default_context().history.last_actual + 1


# --- the one counterfactual and the gap's explanation ----------------------------------------------


def counterfactual_markdown(result: Any, price: float, quote_source: str = "the article's") -> str:
    """The counterfactual, defined once: ``price`` held from the first scenario month, everything else as
    in the scenario, against the law's price held over the same months."""
    law = default_context().law_price
    gain = counterfactual(result.params, price)
    first = first_scenario_month()
    return (
        f"**{quote_source.capitalize()} {usd(price)} held from {month_words(first)}**, everything else as in "
        f"this scenario (its rouble rate and volumes), brings "
        f"**{bn_rub(abs(gain))} {'more' if gain >= 0 else 'less'}** oil and gas revenue in 2026 than the "
        f"law's {usd(law)} held over the same months."
    )


def gap_markdown(result: Any) -> str:
    """Why the year's revenue differs from the law's plan, in the steps of the decomposition (the law's
    inputs switched to the scenario's one at a time), and the sentence a reader needs when a price above
    the law's still leaves revenue below plan."""
    d = result.decomposition
    a = result.annual
    context = default_context()
    paths = result.paths
    published = paths.months[~paths.is_scenario]
    feeding = published[published >= pd.Period("2025-10", "M")]
    urals = pd.Series(paths.urals, index=paths.months).loc[feeding]
    discount = pd.Series(paths.discount, index=paths.months).loc[feeding]
    scen = paths.is_scenario & (paths.months.year == 2026)
    rate = float(paths.rub_usd[scen].mean())
    rates = pd.Series(paths.rub_usd, index=paths.months).loc[feeding]
    law_rate = number(context.law_rub_usd, 1)
    steps = [
        f"the published rouble rates of {feeding[0]:%B %Y}–{feeding[-1]:%B %Y} ({number(rates.min(), 0)}–"
        f"{number(rates.max(), 0)} instead of {law_rate} RUB/USD), "
        f"{bn_rub(d['published_rub_usd_effect_bn_rub'], signed=True)}",
    ]
    if abs(d["scenario_rub_usd_effect_bn_rub"]) >= 0.5:
        steps.append(f"the scenario's rouble at {number(rate, 1)} instead of {law_rate} RUB/USD from "
                     f"{month_words(first_scenario_month())}, "
                     f"{bn_rub(d['scenario_rub_usd_effect_bn_rub'], signed=True)}")
    steps += [
        f"the published Urals prices of {feeding[0]:%B %Y}–{feeding[-1]:%B %Y} ({usd(urals.min(), 0)}–"
        f"{usd(urals.max(), 0)} instead of {usd(context.law_price)}, with the discount at "
        f"{usd(discount.min(), 0)}–{usd(discount.max(), 0)}), "
        f"{bn_rub(d['published_prices_effect_bn_rub'], signed=True)}",
    ]
    if abs(d["volume_effect_bn_rub"]) >= 0.5:
        steps.append(f"export volumes, {bn_rub(d['volume_effect_bn_rub'], signed=True)}")
    steps.append(
        f"the scenario's Urals path from {month_words(first_scenario_month())}, "
        f"{bn_rub(d['scenario_price_effect_bn_rub'], signed=True)}"
    )
    steps.append(
        "published and nowcast months against the scenario model, "
        f"{bn_rub(d['actual_months_residual_bn_rub'], signed=True)}"
    )
    total = a["og_gap_to_plan_bn_rub"]
    text = (
        f"Revenue ends **{bn_rub(abs(total))} {'above' if total >= 0 else 'below'}** the law's plan. Step by "
        "step from the law's inputs: " + "; ".join(steps) + "."
    )
    price = d["scenario_price_effect_bn_rub"]
    if price > 0 and total < 0:
        text += f" So {windfall_clause(result)}: more than the windfall."
    return text


def windfall_clause(result: Any, price_words: str = "") -> str:
    """``the higher price from March 2026 adds 1,398 bn RUB, but the months already published (…) take
    1,084 bn RUB and the scenario's rouble of 77.3 RUB/USD takes 915 bn RUB`` — each part a step of the
    decomposition, so the parts and the price add up to the gap with the residual."""
    d = result.decomposition
    paths = result.paths
    scen = paths.is_scenario & (paths.months.year == 2026)
    published = -(d["published_rub_usd_effect_bn_rub"] + d["published_prices_effect_bn_rub"])
    parts = [f"the months already published (their strong rouble and low, wide-discount prices) "
             f"{_moves(-published, plural=True)}"]
    if abs(d["scenario_rub_usd_effect_bn_rub"]) >= 0.5:
        parts.append(f"the scenario's rouble of {number(float(paths.rub_usd[scen].mean()), 1)} RUB/USD "
                     f"{_moves(d['scenario_rub_usd_effect_bn_rub'])}")
    if abs(d["volume_effect_bn_rub"]) >= 0.5:
        parts.append(f"export volumes {_moves(d['volume_effect_bn_rub'], plural=True)}")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    price_words = price_words or f"the higher price from {month_words(first_scenario_month())}"
    return f"{price_words} {_moves(d['scenario_price_effect_bn_rub'])}, but {joined}"


def _moves(value: float, plural: bool = False) -> str:
    if abs(value) < 0.5:
        return "change almost nothing" if plural else "changes almost nothing"
    verb = ("add" if value > 0 else "take") + ("" if plural else "s")
    return f"{verb} {bn_rub(abs(value))}"


# --- the deficit and the fund, with their assumptions -----------------------------------------------


def _deficit_basis(a: Any) -> str:
    """How the deficit is made, after its published months: ``the published deficit of January (…)
    and non-oil revenue and spending at the law's pace after it, plus the O&G shortfall``."""
    known = pd.Period(a["deficit_published_to"], "M")
    share = 100 * a["deficit_published_bn_rub"] / a["law_deficit_bn_rub"]
    span = f"{known:%B}" if known.month == 1 else f"January–{known:%B}"
    return (f"the published deficit of {span} ({bn_rub(a['deficit_published_bn_rub'])}, {percent(share, 0)} "
            "of the law's year), then, as an assumption, non-oil revenue and spending at the law's average "
            "monthly pace for the rest of the year, plus the O&G shortfall against the plan")


def month_span(months: pd.Index) -> str:
    """``January``, ``February–March``, ``April–December`` (a year's consecutive receipt months)."""
    first, last = f"{months[0]:%B}", f"{months[-1]:%B}"
    return first if first == last else f"{first}–{last}"


def known_months_markdown(result: Any, year: int = 2026) -> str:
    """The part of the year's revenue every scenario shares (published + nowcast months)."""
    a, m = result.annual, result.monthly
    status = m.loc[m.index.year == year, "revenue_status"]
    parts = [f"{month_span(status.index[status == kind])}'s {bn_rub(a[f'og_revenue_{kind}_bn_rub'])} {kind}"
             for kind in ("published", "nowcast") if (status == kind).any()]
    return f"Every scenario shares {' and '.join(parts)} of {year} revenue."


def brief_basis_markdown(law: Any) -> str:
    """What every scenario of the brief shares and assumes: the published and nowcast months, how the
    deficit is made, what the fund's end assumes."""
    deficit = ("" if law.annual["deficit_published_to"]
               else " Every deficit is the law's plus the O&G shortfall against the plan.")
    return (known_months_markdown(law) + deficit
            + " Each NWF end holds the fund's yuan and gold at their dollar value.")


def deficit_markdown(result: Any) -> str:
    """The deficit with what it is made of: the published year to date, the law's pace, the shortfall."""
    a = result.annual
    if not a["deficit_published_to"]:
        return (
            f"The deficit is **{bn_rub(a['deficit_bn_rub'])} ({percent(a['deficit_pct_gdp'], 2)} of GDP)**: "
            f"the law's {bn_rub(a['law_deficit_bn_rub'])} plus the year's O&G shortfall against plan."
        )
    return (
        f"The 2026 deficit comes to **{bn_rub(a['deficit_bn_rub'])} ({percent(a['deficit_pct_gdp'], 2)} of "
        f"GDP)** against the law's {bn_rub(a['law_deficit_bn_rub'])}. It counts {_deficit_basis(a)}."
        + past_share_sentence(a)
    )


def past_share_sentence(a: Any) -> str:
    """How much of past years' deficits the months already published carried, against the share the
    law's pace gives them: the evidence on the assumption that drives the headline deficit."""
    known = pd.Period(a["deficit_published_to"], "M")
    past = load_assumptions().get("budget_deficit_ytd_past").series()
    shares = []
    for year in sorted({int(label[:4]) for label in past}):
        part, whole = past.get(f"{year}-{known.month:02d}"), past.get(f"{year}-12")
        if part is not None and whole:
            shares.append(f"{percent(100 * part / whole, 0)} in {year}")
    if not shares:
        return ""
    span = f"{known:%B}" if known.month == 1 else f"January–{known:%B}"
    pace = percent(100 * known.month / 12, 0)
    this_year = percent(100 * a["deficit_published_bn_rub"] / a["deficit_bn_rub"], 0)
    return (f" How much of a year's deficit falls in {span} varies: {' and '.join(shares)} (published "
            f"year-to-date figures); the law's average pace gives {pace}, and in this scenario {span} "
            f"{known.year} is {this_year} of the year.")


# --- the data's dates and the brief ------------------------------------------------------------------

DATA_SERIES = {
    "og_revenue": "Oil and gas revenue (receipts)",
    "urals_tax_price": "Urals tax price",
    "rub_usd_avg": "CBR rouble rate, monthly average",
    "met_oil": "Extraction tax on crude",
    "ndd": "Additional income tax (NDD)",
    "damper": "Damper",
}
ASSUMPTION_SERIES = {
    "og_revenue_monthly": "Oil and gas revenue (receipts)",
    "urals_tax_price_2026": "Urals tax price",
    "urals_discount": "Urals discount to Brent",
    "damper_payment": "Damper",
    "nwf_liquid_assets": "NWF liquid assets (month start)",
    "budget_rule_fx_operations": "Budget-rule FX operations",
    "nwf_deficit_financing": "NWF deficit financing",
    "budget_deficit_ytd": "Federal deficit, year to date",
}


def data_as_of() -> pd.DataFrame:
    """The latest period of every data series the model reads (history file and assumptions)."""
    latest: dict[str, str] = {}
    for series, label in DATA_SERIES.items():
        months = list(load_history().get(series, {}))
        if months:
            latest[label] = max(latest.get(label, ""), max(months))
    assumptions = load_assumptions()
    for key, label in ASSUMPTION_SERIES.items():
        labels = [k[:7] for k in assumptions.get(key).series()]
        if labels:
            latest[label] = max(latest.get(label, ""), max(labels))
    inputs_to = f"{default_context().history.last_actual:%Y-%m}"
    nowcasts = _nowcast_months()
    use = {
        "Urals tax price": f"to {month_words(inputs_to)}, then the scenario's",
        "CBR rouble rate, monthly average": f"to {month_words(inputs_to)} (the last tax price), then the "
        "scenario's",
        "Oil and gas revenue (receipts)": "as published"
        + (f", the nowcast for {nowcasts}" if nowcasts else "") + ", then the scenario's",
        "Extraction tax on crude": "to fit its term",
        "Additional income tax (NDD)": "to fit its term",
    }
    frame = pd.DataFrame(
        {"Series": list(latest), "Latest month": [month_words(v) for v in latest.values()],
         "The model uses it": [use.get(label, "as published") for label in latest]}
    )
    return table(frame, 0, label="Series")


_SHORT = {
    "CBR rouble rate, monthly average": "CBR rouble rate", "Oil and gas revenue (receipts)": "O&G revenue",
    "NWF liquid assets (month start)": "NWF liquid assets",
    "Federal deficit, year to date": "federal deficit",
    "Additional income tax (NDD)": "NDD", "Extraction tax on crude": "crude extraction tax",
}
"""Shorter names for the brief's one sentence on the data's dates."""


def data_as_of_markdown() -> str:
    """:func:`data_as_of` in two sentences, for the one-page brief: each series' latest month, then what
    the model uses of the prices, the rate and the revenue."""
    frame = data_as_of()
    by_month: dict[str, list[str]] = {}
    for series, month in frame["Latest month"].items():
        series = _SHORT.get(series, series)
        proper = series.split()[0] in ("Urals", "CBR", "NWF", "O&G", "NDD")  # names keep their capital
        by_month.setdefault(month, []).append(series if proper else series[0].lower() + series[1:])
    order = sorted(by_month, key=lambda m: pd.Period(pd.Timestamp(f"1 {m}"), "M"), reverse=True)
    latest = "; ".join(f"{month}: {', '.join(by_month[month])}" for month in order)
    uses = frame["The model uses it"]
    return (f"Latest month of each series — {latest}. The model uses the tax price and the rate "
            f"{uses['Urals tax price'].split(',')[0]}{_later_data_clause(frame)}.")


def _later_data_clause(frame: pd.DataFrame) -> str:
    """Series published past the scenarios' first month are dated above but not fed in: say so."""
    start = pd.Period(first_scenario_month(), "M")
    later = [_SHORT.get(s, s) for s, m in frame["Latest month"].items()
             if pd.Period(pd.Timestamp(f"1 {m}"), "M") >= start]
    if not later:
        return ""
    return (f"; every scenario starts in {month_words(start)}, so later {', '.join(later)} months "
            "are not fed in")


def _nowcast_months(year: int = 2026) -> str:
    """The receipt months of ``year`` shown as the nowcast (inputs published, revenue not), in words."""
    result = run_scenario(law_baseline())
    months = result.monthly.index[(result.monthly["revenue_status"] == "nowcast")
                                  & (result.monthly.index.year == year)]
    if not len(months):
        return ""
    first, last = months[0], months[-1]
    return month_words(first) if first == last else f"{first:%B}–{last:%B %Y}"


def so_what(runs: Mapping[str, Any], price: float) -> list[str]:
    """Three computed sentences: why a higher price does not rescue revenue, the deficit's range and what
    drives it, and the fund with and without deficit financing."""
    titles = {name: load_scenarios()[name].title for name in runs}
    law = runs.get("budget_law")
    ordered = sorted(runs.items(), key=lambda kv: kv[1].annual["deficit_bn_rub"])
    best, worst = ordered[0], ordered[-1]
    above = [titles[n] for n, r in runs.items() if r.annual["og_gap_to_plan_bn_rub"] >= 0]
    first = (
        "In every scenario 2026 oil and gas revenue stays below the law's plan"
        if not above
        else f"Only {', '.join(above)} reach the law's plan"
    )
    war = runs.get("war_premium")
    if war is not None:
        d = war.decomposition
        first += (
            f". Even with Urals at {usd(price)} from {month_words(first_scenario_month())} "
            f"({titles['war_premium']}), {windfall_clause(war, 'the price')}; with the published and nowcast "
            "months "
            f"{bn_rub(d['actual_months_residual_bn_rub'], signed=True)} against the model, revenue ends "
            f"{bn_rub(abs(d['total_vs_plan_bn_rub']))} "
            f"{'above' if d['total_vs_plan_bn_rub'] >= 0 else 'below'} plan."
        )
    else:
        first += "."
    second = (
        f"The 2026 deficit runs from {bn_rub(best[1].annual['deficit_bn_rub'])} ({titles[best[0]]}) to "
        f"{bn_rub(worst[1].annual['deficit_bn_rub'])} ({titles[worst[0]]}) against the law's "
        f"{bn_rub(best[1].annual['law_deficit_bn_rub'])}"
        + (
            f"; even with the law's price and rate from {month_words(first_scenario_month())} it is "
            f"{bn_rub(law.annual['deficit_bn_rub'])}, because "
            f"{month_words(law.annual['deficit_published_to'])} alone ran a deficit of "
            f"{bn_rub(law.annual['deficit_published_bn_rub'])}, "
            f"{percent(100 * law.annual['deficit_published_bn_rub'] / law.annual['law_deficit_bn_rub'], 0)} "
            "of the law's year, and the rest of the year is assumed to run at the law's average monthly "
            "pace."
            if law is not None and law.annual["deficit_published_to"]
            else "."
        )
    )
    ends = [r.annual["nwf_end_balance_bn_rub"] for r in runs.values()]
    covered = {n: r.annual["nwf_end_if_fund_covers_overshoot_bn_rub"] for n, r in runs.items()}
    short = [f"{titles[n]}, {month_words(r.annual['nwf_runs_out_if_fund_covers_overshoot'])}"
             for n, r in runs.items() if r.annual["nwf_runs_out_if_fund_covers_overshoot"]]
    kept = [v for n, v in covered.items() if not runs[n].annual["nwf_runs_out_if_fund_covers_overshoot"]]
    third = (
        f"The fund's liquid assets end 2026 between {bn_rub(min(ends))} and {bn_rub(max(ends))} "
        "if it finances nothing for the deficit beyond January's sale"
        + (
            f"; if it covered each scenario's deficit above the law's, it would run out in "
            f"{len(short)} of {len(covered)} scenarios ({'; '.join(short)})"
            + (f" and end between {bn_rub(min(kept))} and {bn_rub(max(kept))} in the others."
               if kept else ".")
            if short
            else f"; if it covered each scenario's deficit above the law's, it would end between "
            f"{bn_rub(min(covered.values()))} and {bn_rub(max(covered.values()))}."
        )
        + _fund_miss_clause(next(iter(runs.values())))
    )
    return [first, second, third]


def _fund_miss_clause(result: Any) -> str:
    """The fund's one published check, for the brief: how far the model's one-month step missed."""
    rec = nwf_reconciliation(result.params)
    if not len(rec):
        return ""
    row = rec.iloc[-1]
    share = 100 * row["gap_bn_rub"] / row["published_bn_rub"]
    return (f" Its one check missed the published 1 {row.name:%B} balance by "
            f"{bn_rub(row['gap_bn_rub'], signed=True)} ({percent(share, 0)}: gold and the yuan rate, held).")
