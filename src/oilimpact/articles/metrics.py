"""Metric labels for figures: short snake_case names ("urals_price", "oil_gas_revenue") from the
figure's unit and the words around it — for reading the table and picking figures in scenarios."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oilimpact.articles.text import Sentence, passage
from oilimpact.articles.units import CURRENCIES, RATE_UNIT


@dataclass(frozen=True)
class MetricRule:
    """A metric applies when the figure's unit is one of ``units`` and every pattern is found
    in ``scope``: ``segment`` (the words between the neighbouring figures), ``sentence``, ``before``
    (the sentence up to the figure), ``lead`` (the words right before it, back to the previous figure),
    or ``passage`` (the sentence and up to two before it in the same paragraph)."""

    metric: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    scope: str = "sentence"


def _rule(metric: str, units: str, *patterns: str, scope: str = "sentence") -> MetricRule:
    unit_set = {
        "price": {f"{c}/bbl" for c in CURRENCIES}, "money": set(CURRENCIES), "percent": {"percent", "pp"},
    }.get(units, {units})
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    return MetricRule(metric, frozenset(unit_set), compiled, scope)


_RUSSIAN_OIL = r"\burals\b|russian\s+(?:oil|crude)|russia[’']s\s+(?:oil|crude)"
_REVENUE = r"revenue|receipts|income"
_RECEIVED = r"revenue|receipts|income|proceeds|collected|intake|yielded|brought|came\s+to|totall?ed|amounted"
_OIL_GAS = r"\boil\b|\bgas\b|energy"
_DEAL = r"\bdeal\b|contract|\bpay\b|\bsold\b|\bsell\b|purchase|order|\bbuy\b"
_LNG = r"\blng\b|liquefied\s+natural\s+gas"
_YOY = r"year-on-year|year\s+on\s+year|\by/y\b|\byoy\b|(?:from|than)\s+a\s+year\s+(?:earlier|ago)"
_ARMS = (r"missile|weapon|\barms\b|\bjets?\b|fighter|drone|air[- ]defen[cs]e|helicopter|\btanks?\b|munition"
         r"|artillery|\bshells\b")

#: The metric vocabulary, first match wins; anything else is ``other``.
METRIC_RULES: tuple[MetricRule, ...] = (
    _rule("sanctions_waiver_days", "days", r"waiver|licen[cs]e|exemption|carve-?out|reprieve",
          scope="segment"),
    _rule("price_cap", "price", r"\bcap\b|price\s+cap", scope="segment"),
    _rule("budget_oil_price_assumption", "price", r"assum|budget|base\s+price|cut-?off", scope="segment"),
    _rule("urals_discount", "price", r"\b(?:discounts?|spreads?)\b(?:\s+[^\s,;]+){0,5}\s*\Z", scope="lead"),
    # the benchmark named last before the figure ("Brent rose 3% to $85, while Urals traded near $61")
    _rule("brent_price", "price", r"\bbrent\b(?!.*(?:urals|russian\s+(?:oil|crude)))", scope="before"),
    _rule("urals_price", "price", _RUSSIAN_OIL),
    _rule("brent_price", "price", r"\bbrent\b"),
    _rule("urals_discount", "price", r"\b(?:discounts?|spreads?)\b", scope="passage"),
    _rule("urals_price", "price", _RUSSIAN_OIL, scope="passage"),
    _rule("brent_price", "price", r"\bbrent\b", scope="passage"),
    _rule("oil_price", "price", r"."),
    _rule("oil_gas_revenue_yoy_change", "percent", _REVENUE, _OIL_GAS, _YOY),
    _rule("budget_deficit", "money", r"deficit", scope="segment"),
    _rule("oil_gas_revenue", "money", _REVENUE, _OIL_GAS),
    _rule("budget_deficit", "money", r"deficit"),
    _rule("budget_deficit", "percent", r"deficit"),
    _rule("arms_deal_value", "money", _DEAL, _ARMS),
    _rule("lng_supply_share", "percent", _LNG, r"suppl|share|import|of\s+europe"),
    _rule("oil_exports", "bbl/day", r"export"),
    _rule("oil_output", "bbl/day", r"output|produc"),
    _rule("national_wealth_fund", "money", r"national\s+wealth\s+fund|\bnwf\b"),
    _rule("oil_gas_revenue", "money", _RECEIVED, _OIL_GAS, scope="passage"),
    _rule("budget_exchange_rate_assumption", RATE_UNIT, r"assum|budget|\blaw\b|\bplan", scope="segment"),
    _rule("exchange_rate", RATE_UNIT, r"."),
    _rule("fx_sales_daily", "RUB/day", r"sell|sale|sold|purchas|buy"),
)


def metric_of(text: str, raws: Sequence[Any], i: int, spans: Sequence[Sentence],
              rules: Sequence[MetricRule] | None = None) -> str:
    """The metric of ``raws[i]``: the first rule of ``rules`` (a language's vocabulary, by default
    :data:`METRIC_RULES`) that applies, else ``other``."""
    raw = raws[i]
    neighbours = [r for r in raws if r.sentence_index == raw.sentence_index and r is not raw]
    seg_start = max([r.end for r in neighbours if r.end <= raw.start], default=raw.sentence.start)
    seg_end = min([r.start for r in neighbours if r.start >= raw.end], default=raw.sentence.end)
    scopes = {
        "segment": text[seg_start:seg_end],
        "sentence": text[raw.sentence.start:raw.sentence.end],
        "before": text[raw.sentence.start:raw.start],  # the sentence up to the figure
        "lead": text[max(seg_start, raw.start - 60):raw.start],  # the few words right before it
    }
    for rule in METRIC_RULES if rules is None else rules:
        if raw.unit not in rule.units:
            continue
        if rule.scope == "passage" and "passage" not in scopes:
            scopes["passage"] = passage(text, spans, raw.sentence_index)
        if all(p.search(scopes[rule.scope]) for p in rule.patterns):
            return rule.metric
    return "other"
