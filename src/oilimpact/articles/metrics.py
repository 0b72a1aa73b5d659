"""Metric labels for figures: short snake_case names ("urals_price", "oil_gas_revenue") from the
figure's unit and the words around it — for reading the table, picking figures in scenarios and
telling an outturn of a history series (``oilimpact ingest``) from a plan, a base level, a shortfall or
a forecast of it."""

from __future__ import annotations

import functools
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
    ``trail`` (the words right after it, up to the next figure), ``passage`` (the sentence and up to
    two before it in the same paragraph), ``article`` (the article up to the end of the sentence) or
    ``figure`` (the figure's own words).
    ``also`` adds patterns that must be found in another scope, ``unless`` patterns that must not be."""

    metric: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    scope: str = "sentence"
    also: tuple[tuple[str, re.Pattern[str]], ...] = ()
    unless: tuple[tuple[str, re.Pattern[str]], ...] = ()


def _rule(metric: str, units: str, *patterns: str, scope: str = "sentence",
          also: dict[str, str] | None = None, unless: dict[str, str] | None = None) -> MetricRule:
    unit_set = {
        "price": {f"{c}/bbl" for c in CURRENCIES}, "money": set(CURRENCIES), "percent": {"percent", "pp"},
    }.get(units, {units})
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    extra = tuple((k, re.compile(v, re.IGNORECASE)) for k, v in (also or {}).items())
    never = tuple((k, re.compile(v, re.IGNORECASE)) for k, v in (unless or {}).items())
    return MetricRule(metric, frozenset(unit_set), compiled, scope, extra, never)


_RUSSIAN_OIL = r"\burals\b|russian\s+(?:oil|crude)|russia[’']s\s+(?:oil|crude)"
_REVENUE = r"revenue|receipts|income"
_RECEIVED = r"revenue|receipts|income|proceeds|collected|intake|yielded|brought|came\s+to|totall?ed|amounted"
_OIL_GAS = r"\boil\b|\bgas\b|energy"
_DEAL = r"\bdeal\b|contract|\bpay\b|\bsold\b|\bsell\b|purchase|order|\bbuy\b"
_LNG = r"\blng\b|liquefied\s+natural\s+gas"
_YOY = (r"year-on-year|year\s+on\s+year|\by/y\b|\byoy\b|(?:from|than|on)\s+a\s+year\s+(?:earlier|ago|before)"
        r"|(?:previous|last|a)\s+year\b|(?:compared\s+with|against|on|than\s+in)\s+(?:\w+[\s–-]+)?\w+\s+(?:of\s+)?"
        r"(?:19|20)\d\d|same\s+(?:period|month)")
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# a change against the month before: "down by 83.1 billion roubles from November", "compared with April"
_MOM = (rf"(?:from|than\s+in|compared\s+with|against)\s+{_MONTH}\b(?!\s+(?:19|20)\d\d)"
        r"|previous\s+month|a\s+month\s+(?:earlier|before)|month-on-month")
_CHANGE = r"\b(?:down|up)\s+by\s*\Z|\b(?:fell|rose|dropped|declined|increased|decreased|grew)\s+by\s*\Z"
_PLAN = (r"\bbudget(?:ed|s)\b|budget\s+(?:law|plan)|budget\s+itself|\bplan(?:s|ned)?\b|pencils?\s+in|envisag"
         r"|projected\s+in\s+the\s+law|\btarget(?:ed|ing)?\b")
_FORECAST = (r"forecast|\bexpects?\b|\bexpected\s+to\b|\bprojects?\b|projection|outlook"
             r"|\bwill\s+(?:likely\s+)?average|\bseen\s+(?:at|falling|rising|averaging)|\bto\s+average\b|\bpredicts?\b|\bestimates?\s+that")
_GDP = r"\A\W*(?:of\s+(?:the\s+)?(?:GDP|gross\s+domestic))"
_NWF = r"national\s+wealth\s+fund|\bnwf\b|wealth\s+fund|liquid\s+(?:part|assets)|the\s+fund\b"
_ARMS = (r"missile|weapon|\barms\b|\bjets?\b|fighter|drone|air[- ]defen[cs]e|helicopter|\btanks?\b|munition"
         r"|artillery|\bshells\b")

#: The metric vocabulary, first match wins; anything else is ``other``.
METRIC_RULES: tuple[MetricRule, ...] = (
    _rule("sanctions_waiver_days", "days", r"waiver|licen[cs]e|exemption|carve-?out|reprieve",
          scope="segment"),
    _rule("price_cap", "price", r"\bcap\b|price\s+cap|ceiling", scope="segment"),
    _rule("price_cap", "price", r"insure|\bship\b|financ|\bkept\b|g7\s+level|coalition|ceiling|moving",
          also={"passage": r"\bcap\b|ceiling"}),
    _rule("budget_urals_base_price", "price", r"base\s+(?:oil\s+)?price|cut-?off\s+price"),
    _rule("urals_discount", "price", r"\A[^.;]{0,30}\bbelow\s+(?:the\s+)?(?:global\s+)?(?:benchmark|brent)",
          scope="trail"),
    _rule("budget_oil_price_assumption", "price",
          r"(?:assum\w*|budget(?:'s|’s)?|\blaw\b|lawmakers|based\s+on|rests\s+on|written\s+into)(?:\s+\S+){0,4}\s*\Z",
          scope="lead"),
    _rule("budget_oil_price_assumption", "price",
          r"\A\W*(?:a\s+barrel\s+|per\s+barrel\s+)?(?:assum|written\s+into)", scope="trail"),
    _rule("urals_price_forecast", "price", _FORECAST, scope="before", also={"sentence": _RUSSIAN_OIL}),
    _rule("urals_discount", "price", r"\b(?:discounts?|spreads?)\b(?:\s+[^\s,;]+){0,5}\s*\Z", scope="lead"),
    # the benchmark named last before the figure ("Brent rose 3% to $85, while Urals traded near $61")
    _rule("brent_price", "price", r"\bbrent\b(?!.*(?:urals|russian\s+(?:oil|crude)))", scope="before"),
    _rule("urals_price", "price", _RUSSIAN_OIL),
    _rule("brent_price", "price", r"\bbrent\b"),
    _rule("urals_discount", "price", r"\b(?:discounts?|spreads?)\b", scope="passage"),
    _rule("urals_price", "price", _RUSSIAN_OIL, scope="passage"),
    _rule("brent_price", "price", r"\bbrent\b", scope="passage"),
    _rule("oil_price", "price", r"."),
    _rule("urals_price_yoy_change", "percent", r"urals|oil\s+price", r"fell|rose|decline|drop|lower|higher",
          unless={"sentence": _REVENUE}),
    _rule("oil_gas_revenue_yoy_change", "percent", _REVENUE, _OIL_GAS, _YOY),
    _rule("oil_gas_revenue_yoy_change", "percent", _YOY, also={"article": rf"(?:{_REVENUE}).*(?:{_OIL_GAS})|"
                                                                          rf"(?:{_OIL_GAS}).*(?:{_REVENUE})"},
          unless={"sentence": r"deficit|spending|GDP|export"}),
    _rule("oil_gas_revenue_yoy_change", "percent", _REVENUE, _OIL_GAS,
          r"\b(?:drop|fell|rose|declin|slump|lower|higher|increas|decreas|grew|plung|jump)",
          unless={"sentence": _MOM}),
    _rule("oil_gas_revenue_mom_change", "percent", _REVENUE, _MOM, also={"article": _OIL_GAS}),
    _rule("budget_deficit_target_gdp", "percent", r"target|approved|\bplan|tripled|raise", scope="lead",
          also={"sentence": r"deficit"}),
    _rule("budget_deficit_gdp", "percent", _GDP, scope="trail", also={"sentence": r"deficit"}),
    _rule("budget_deficit_target_gdp", "percent", r"\A\W*of\s+GDP", scope="trail",
          also={"sentence": r"target"}),
    _rule("nwf_liquid_assets_gdp", "percent", r"GDP", scope="segment", also={"passage": _NWF}),
    _rule("budget_deficit_target", "money", r"target", scope="lead", also={"sentence": r"deficit"}),
    _rule("damper_net_transfer_to_budget", "money", r"net\s+transfer|into\s+the\s+budget",
          also={"passage": r"damper|damping"}),
    _rule("damper_payments", "money", r"\bdamper\b|damping", scope="lead"),
    _rule("ndd_revenue", "money", r"\bndd\b|additional[- ]income\s+tax|tax\s+on\s+additional\s+income",
          scope="lead"),
    _rule("extraction_tax", "money", r"extraction\s+tax|\bMET\b|\bNDPI\b", scope="lead"),
    _rule("damper_payments", "money", r"\bdamper\b|damping",
          unless={"segment": r"extraction|\bMET\b|\bNDD\b|revenue|receipts|duty"}),
    # MinFin's ex-ante figure for the budget rule: an expected shortfall is negative additional revenue
    _rule("oil_gas_revenue_additional_expected", "money",
          r"expect\w*\s+(?:an?\s+)?(?:shortfall|loss|lost|additional)|expected\s+(?:volume\s+of\s+)?(?:lost|shortfall)",
          scope="segment", also={"sentence": _OIL_GAS}),
    _rule("oil_gas_revenue_additional_expected", "money",
          r"additional\s+(?:oil\s+and\s+gas\s+)?(?:revenue|income|receipts)|(?:revenue|income|receipts)\s+above",
          r"expect|estimat|project"),
    _rule("oil_gas_revenue_shortfall", "money", r"shortfall|\bshort\s+of|lost\s+revenue", scope="lead"),
    _rule("oil_gas_revenue_shortfall", "money", r"\bshort\b", scope="figure"),
    _rule("oil_gas_revenue_base", "money", r"\bbase\b(?:\s+\w+){0,2}?\s+(?:level|revenue)", scope="lead"),
    _rule("oil_gas_revenue_vs_plan", "money", r"below\s+plan|above\s+plan|against\s+(?:the\s+)?plan",
          scope="lead"),
    _rule("budget_oil_gas_revenue_plan", "money", _PLAN, scope="lead",
          also={"passage": r"budget\s+law|budget\s+itself|\bthe\s+law\b", "sentence": _OIL_GAS}),
    _rule("oil_gas_revenue_plan", "money", _PLAN, scope="lead", also={"passage": _OIL_GAS}),
    _rule("budget_revenue", "money", r"total\s+revenue|budget\s+revenue|\Arevenue|\.\s*revenue", scope="lead",
          unless={"lead": _OIL_GAS}),
    _rule("budget_spending", "money", r"spending|expenditure", scope="segment"),
    _rule("oil_gas_revenue_mom_change", "money", _CHANGE, scope="lead", also={"sentence": _MOM}),
    _rule("oil_gas_revenue_monthly_average", "money", r"\A\W*(?:roubles|rubles)?\s*a\s+month", scope="trail",
          also={"sentence": _RECEIVED}),
    _rule("budget_deficit", "money", r"deficit", scope="segment"),
    _rule("oil_gas_revenue", "money", _REVENUE, _OIL_GAS),
    _rule("budget_deficit", "money", r"deficit"),
    _rule("budget_deficit", "percent", r"deficit"),
    _rule("arms_deal_value", "money", _DEAL, _ARMS),
    _rule("lng_supply_share", "percent", _LNG, r"suppl|share|import|of\s+europe"),
    _rule("oil_exports", "bbl/day", r"export"),
    _rule("oil_output", "bbl/day", r"output|produc"),
    _rule("nwf_revaluation", "money", r"revaluation|exchange-rate\s+differences|cost\s+the\s+fund"),
    _rule("nwf_deposit_income", "money", r"interest|deposit\s+income", also={"passage": _NWF}),
    _rule("nwf_total", "money", r"total|illiquid|in\s+dollar\s+terms", also={"passage": _NWF}),
    _rule("nwf_liquid_assets", "money", _NWF, scope="passage", unless={"sentence": _REVENUE}),
    _rule("oil_gas_revenue", "money", _RECEIVED, _OIL_GAS, scope="passage"),
    _rule("oil_gas_revenue", "money", _RECEIVED, scope="sentence", also={"article": _OIL_GAS},
          unless={"sentence": r"export|earnings|deficit|spending|fund"}),
    _rule("budget_exchange_rate_assumption", RATE_UNIT, r"assum|budget|\blaw\b|lawmakers|based\s+on|\bplan",
          scope="before", unless={"before": r"currently|trades|averaged|official"}),
    _rule("budget_exchange_rate_assumption", RATE_UNIT, r"\A\W*(?:in|of)\s+the\s+(?:budget\s+)?law",
          scope="trail"),
    _rule("exchange_rate", RATE_UNIT, r"."),
    _rule("fx_sales_daily", "RUB/day", r"sell|sale|sold|purchas|buy"),
)


@functools.lru_cache(maxsize=128)
def _earliest_end(text: str, pattern: re.Pattern[str]) -> int | None:
    """The shortest prefix of ``text`` in which ``pattern`` is found (None: nowhere), by bisection, so
    the "article so far" scope costs O(n log n) per article instead of a search of the prefix per
    figure (quadratic on a long article)."""
    if pattern.search(text) is None:
        return None
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if pattern.search(text, 0, middle) is None:
            low = middle + 1
        else:
            high = middle
    return low


class _SoFar:
    """The "article" scope: the text up to the end of the figure's sentence, searched without copying."""

    def __init__(self, text: str, end: int):
        self.text, self.end = text, end

    def search(self, pattern: re.Pattern[str]) -> bool:
        earliest = _earliest_end(self.text, pattern)
        return earliest is not None and earliest <= self.end


def by_sentence(raws: Sequence[Any]) -> dict[int, list[Any]]:
    """The figures of each sentence (by its index), in the order of ``raws``."""
    groups: dict[int, list[Any]] = {}
    for raw in raws:
        groups.setdefault(raw.sentence_index, []).append(raw)
    return groups


def _found(scopes: dict[str, Any], scope: str, pattern: re.Pattern[str]) -> bool:
    where = scopes[scope]
    return where.search(pattern) if isinstance(where, _SoFar) else pattern.search(where) is not None


def metric_of(text: str, raws: Sequence[Any], i: int, spans: Sequence[Sentence],
              rules: Sequence[MetricRule] | None = None, groups: dict[int, list[Any]] | None = None) -> str:
    """The metric of ``raws[i]``: the first rule of ``rules`` (a language's vocabulary, by default
    :data:`METRIC_RULES`) that applies, else ``other``. ``groups`` is :func:`by_sentence` of ``raws``
    (computed here when not given; a caller looping over every figure passes it once)."""
    raw = raws[i]
    same = (groups if groups is not None else by_sentence(raws))[raw.sentence_index]
    neighbours = [r for r in same if r is not raw]
    seg_start = max([r.end for r in neighbours if r.end <= raw.start], default=raw.sentence.start)
    seg_end = min([r.start for r in neighbours if r.start >= raw.end], default=raw.sentence.end)
    scopes = {
        "segment": text[seg_start:seg_end],
        "sentence": text[raw.sentence.start:raw.sentence.end],
        "before": text[raw.sentence.start:raw.start],  # the sentence up to the figure
        "lead": text[max(seg_start, raw.start - 60):raw.start],  # the few words right before it
        "trail": text[raw.end:min(seg_end, raw.end + 60)],  # the few words right after it
        "article": _SoFar(text, raw.sentence.end),
        "figure": text[raw.start:raw.end],  # the figure's own words ("2.6 trillion roubles short")
    }
    for rule in METRIC_RULES if rules is None else rules:
        if raw.unit not in rule.units:
            continue
        if rule.scope == "passage" and "passage" not in scopes:
            scopes["passage"] = passage(text, spans, raw.sentence_index)
        if not all(_found(scopes, rule.scope, p) for p in rule.patterns):
            continue
        if rule.also or rule.unless:
            for scope, _ in rule.also + rule.unless:
                if scope == "passage" and "passage" not in scopes:
                    scopes["passage"] = passage(text, spans, raw.sentence_index)
            if not all(_found(scopes, scope, p) for scope, p in rule.also):
                continue
            if any(_found(scopes, scope, p) for scope, p in rule.unless):
                continue
        return rule.metric
    return "other"
