"""Two scenarios side by side (notebook 06): the paths, the difference by month and by year, and the
difference in the year's oil and gas revenue split into price, discount, rouble and volume.

The split switches the second scenario's inputs to the first's one group at a time — Brent (with its
path), then the discount, then the rouble rate, then export volumes — and runs the model after each
switch; what is left (the budget rule's base price, the horizon) is the last step, so the steps add up
to the difference exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from oilimpact import charts
from oilimpact.fmt import bn_rub, usd
from oilimpact.model import default_context, resolve_parameters, run_scenario
from oilimpact.story.common import scenario_title, table
from oilimpact.story.scenarios import model_sources

BASELINE = "budget_law"
ALTERNATE = "war_premium"  # the articles' case: Urals held at the $72 they report
YEAR = 2026
STEPS = ("Brent price", "Urals discount", "Rouble rate", "Export volume", "Other inputs")
_PRICE_PATH = ("brent_price", "path_shape", "target_price", "target_month", "half_life_months")


@dataclass(frozen=True)
class Comparison:
    """Two scenario runs: ``first`` (the report's scenario) against ``second``."""

    first: Any
    second: Any
    labels: tuple[str, str]


def default_other(scenario: str) -> str:
    """The preset a scenario is compared with when none is named: the budget law, and the budget law
    itself against the articles' scenario (:data:`ALTERNATE`) — not against itself, a page of zeros."""
    return ALTERNATE if scenario == BASELINE else BASELINE


def compare(p: Any, compare_to: str | None = None) -> Comparison:
    """``p``'s run against the preset ``compare_to`` (default :func:`default_other`), each with its
    title."""
    other = resolve_parameters(compare_to or default_other(p.scenario))
    labels = (scenario_title(p.scenario), scenario_title(other.scenario))
    if labels[0] == labels[1]:  # a scenario against itself (the budget law with the default): tell them apart
        labels = (labels[0], f"{labels[1]} as preset")
    return Comparison(run_scenario(p), run_scenario(other), labels)


def _revenue(params: Any) -> float:
    return float(run_scenario(params).annual["og_revenue_bn_rub"])


def difference_steps(c: Comparison) -> pd.Series:
    """The year's oil and gas revenue, first minus second, by step (they add up to the difference)."""
    a, b = c.first.params, c.second.params
    price = b.replace(urals_discount=b.urals_discount, **{k: getattr(a, k) for k in _PRICE_PATH})
    discount = price.replace(urals_discount=a.urals_discount, brent_price=a.brent_price)
    rouble = discount.replace(rub_usd=a.rub_usd)
    volume = rouble.replace(export_volume_change=a.export_volume_change)
    levels = [float(c.second.annual["og_revenue_bn_rub"]), *map(_revenue, (price, discount, rouble, volume)),
              float(c.first.annual["og_revenue_bn_rub"])]
    return pd.Series([after - before for before, after in zip(levels, levels[1:], strict=False)],
                     index=list(STEPS), name="bn RUB")


def _by_price_month(result: Any, values: Any) -> pd.Series:
    return pd.Series(values, index=result.paths.months)


def difference_table(c: Comparison, by: str = "month") -> pd.DataFrame:
    """Urals and the rouble of the month (price months), oil and gas revenue received in the month and the
    revenue difference, by month (in words) or by year; the year's prices average its own twelve months,
    as every other report does."""
    first, second = c.first.monthly, c.second.monthly
    months = first.index
    prices = pd.DataFrame({
        f"Urals, {c.labels[0]}": _by_price_month(c.first, c.first.paths.urals),
        f"Urals, {c.labels[1]}": _by_price_month(c.second, c.second.paths.urals),
        f"RUB/USD, {c.labels[0]}": _by_price_month(c.first, c.first.paths.rub_usd),
        f"RUB/USD, {c.labels[1]}": _by_price_month(c.second, c.second.paths.rub_usd),
    }).reindex(months)
    frame = prices.assign(**{
        f"O&G received, bn RUB, {c.labels[0]}": first["og_revenue_used_bn_rub"],
        f"O&G received, bn RUB, {c.labels[1]}": second["og_revenue_used_bn_rub"],
    })
    frame["Difference, bn RUB"] = frame.iloc[:, 4] - frame.iloc[:, 5]
    if by == "year":
        means = frame.iloc[:, :4].groupby(frame.index.year).mean()
        sums = frame.iloc[:, 4:].groupby(frame.index.year).sum()
        frame = pd.concat([means, sums], axis=1)
        frame.index = frame.index.astype(str)
    else:
        frame.index = frame.index.strftime("%B %Y")
    return table(frame, {col: 0 if "bn RUB" in col else 1 for col in frame.columns})


def compare_chart(c: Comparison) -> Any:
    """The two scenarios' price paths and monthly revenue, overlaid; the title states the year's gap."""
    gap = float(c.first.annual["og_revenue_bn_rub"] - c.second.annual["og_revenue_bn_rub"])
    title = (f"{c.labels[0]} against {c.labels[1]}: {bn_rub(gap, signed=True)} of oil and gas revenue "
             f"in {YEAR}")
    return charts.compare_paths(c.first.monthly, c.second.monthly, c.labels, model_sources(), title=title,
                                names=(c.first.params.scenario, c.second.params.scenario))


def compare_waterfall(c: Comparison) -> Any:
    """The year's revenue difference split into price, discount, rouble, volume and the rest."""
    return charts.waterfall(
        difference_steps(c), model_sources(), total_label="Difference in O&G revenue",
        subtitle=f"{YEAR} oil and gas revenue, {c.labels[0]} minus {c.labels[1]}, the second scenario's "
                 "inputs switched to the first's one group at a time, bn RUB",
    )


def compare_markdown(c: Comparison) -> str:
    """The comparison in two sentences, every number computed."""
    a, b = c.first.annual, c.second.annual
    gap = float(a["og_revenue_bn_rub"] - b["og_revenue_bn_rub"])
    steps = difference_steps(c)
    biggest = steps.abs().idxmax()
    more = "more" if gap > 0 else "less"
    if abs(gap) < 0.5:
        return (f"In {YEAR} oil and gas revenue comes to **{bn_rub(float(a['og_revenue_bn_rub']))}** in both "
                f"{c.labels[0]} and {c.labels[1]}: the two scenarios set the same inputs.")
    return (
        f"In {YEAR} oil and gas revenue comes to **{bn_rub(float(a['og_revenue_bn_rub']))}** in "
        f"{c.labels[0]}, **{bn_rub(abs(gap))} {more}** than the {bn_rub(float(b['og_revenue_bn_rub']))} of "
        f"{c.labels[1]} (Urals averaging {usd(float(a['urals_average_usd_bbl']), 1)} against "
        f"{usd(float(b['urals_average_usd_bbl']), 1)}). The largest part of the difference is the "
        f"{biggest.lower()}: {bn_rub(float(steps[biggest]), signed=True)}."
    )


def order_markdown(c: Comparison) -> str:
    """Why the rouble's part here differs from the same switch made first, and from report 03's rouble
    step (against the law's own inputs in every month): each step is measured with the earlier switches
    already made, from its own starting point."""
    steps = difference_steps(c)
    b = c.second.params
    alone = _revenue(b.replace(rub_usd=c.first.params.rub_usd)) - float(c.second.annual["og_revenue_bn_rub"])
    here = float(steps["Rouble rate"])
    law = float(c.first.decomposition["scenario_rub_usd_effect_bn_rub"])
    context = default_context()
    return (f"Each bar depends on the order of the switches and on where they start. The rouble's "
            f"{bn_rub(here, signed=True)} is measured with {c.labels[0]}'s Brent and discount already in; "
            f"switched first, at {c.labels[1]}'s prices, the same rate is worth "
            f"{bn_rub(alone, signed=True)}. Report 03 starts from the law's own inputs "
            f"({usd(context.law_price, 0)} and {context.law_rub_usd:.1f} RUB/USD): its step for "
            f"{c.labels[0]}'s rouble from {YEAR}'s scenario months is {bn_rub(law, signed=True)}.")
