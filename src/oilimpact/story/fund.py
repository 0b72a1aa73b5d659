"""The National Wealth Fund in words and a table: its end balance with every caveat (revaluation, deficit
financing, the announced pause of the rule's operations), the month-by-month path and its reconciliation
to the published balances."""

from __future__ import annotations

from typing import Any

import pandas as pd

from oilimpact.fmt import bn_rub, number, percent
from oilimpact.model import default_context, nwf_reconciliation
from oilimpact.story.brief import month_words
from oilimpact.story.common import assumption_sources, cite, table


def nwf_markdown(result: Any) -> str:
    """The fund's end balance with its caveats: revaluation, deficit financing, the reconciliation."""
    a = result.annual
    rec = nwf_reconciliation(result.params)
    gap = ""
    if len(rec):
        row = rec.iloc[-1]
        gap = (
            f" Checked against the published balance of 1 {row.name:%B %Y} "
            f"({bn_rub(row['published_bn_rub'])}), the model's step from the month before gives "
            f"{bn_rub(row['model_bn_rub'])}: the gap of {bn_rub(row['gap_bn_rub'], signed=True)} is what "
            "it does not carry (the gold price and the yuan cross rate, which it holds); the path restarts "
            "from each published balance."
        )
    share = a["nwf_deficit_share"]
    draws = (
        "no draws for the deficit beyond those published"
        if share == 0
        else f"{percent(100 * share, 0)} of the deficit above the law's drawn from the fund"
    )
    covered = a["nwf_end_if_fund_covers_overshoot_bn_rub"]
    if a["nwf_runs_out_if_fund_covers_overshoot"]:
        alternative = (f"If the fund covered the whole deficit above the law's, it would run out in "
                       f"{month_words(a['nwf_runs_out_if_fund_covers_overshoot'])}.")
    else:
        alternative = (f"If the fund covered the whole deficit above the law's, it would end at "
                       f"{bn_rub(covered)}.")
    return (
        f"The fund's liquid assets end 2026 at **{bn_rub(a['nwf_end_balance_bn_rub'])}**, assuming {draws} "
        f"(January's published sale for the deficit was {bn_rub(_published_draws())}), the "
        "budget rule's FX operations, and yuan and gold that keep their dollar value (so their rouble "
        f"value follows the rouble). {alternative}{_pause_sentence(result)}{gap}"
    )


def _pause_sentence(result: Any, year: int = 2026) -> str:
    """The months whose budget-rule operations the ministry paused, and what the model does there."""
    m = result.monthly
    parts = [f"{month_words(month)} (the rule's "
             f"{bn_rub(float(m.loc[month, 'nwf_flow_bn_rub']), signed=True)} moves into "
             f"{month_words(month + 1)}'s window)"
             for month in sorted(default_context().fund.paused) if month.year == year and month in m.index]
    if not parts:
        return ""
    return (" The Finance Ministry paused the budget rule's currency operations for " + "; ".join(parts)
            + ": the fund moves by nothing from the rule then, and the year's total is unchanged.")


def _published_draws() -> float:
    return float(sum(default_context().fund.financing.values()))


FUND_KEYS = (
    "nwf_liquid_assets",
    "budget_rule_fx_operations",
    "budget_rule_fx_paused",
    "nwf_deficit_financing",
    "nwf_deficit_financing_plan",
    "nwf_deficit_share",
    "budget_deficit_ytd",
    "rub_usd_month_end",
)


def fund_sources() -> list:
    return cite(assumption_sources(*FUND_KEYS))


def nwf_table(result: Any) -> pd.DataFrame:
    """The fund by month end in 2026: the model's path and, where the next month-start balance is
    published, that balance and the gap to the model's step into it."""
    rec = nwf_reconciliation(result.params)
    m = result.monthly[result.monthly.index.year == 2026]
    published = {month - 1: row for month, row in rec.iterrows()}
    rows = []
    for month, balance in m["nwf_balance_bn_rub"].items():
        row = published.get(month)
        rows.append(
            {
                "Month end": f"{month:%B %Y}",
                "Model, bn RUB": number(balance, 0),
                "Published (next day), bn RUB": ""
                if row is None
                else number(row["published_bn_rub"], 0),
                "Gap, bn RUB": "" if row is None else number(row["gap_bn_rub"], 0, signed=True),
            }
        )
    return table(pd.DataFrame(rows), 0, label="Month end")
