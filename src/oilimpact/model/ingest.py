"""The monthly update: article figures that are outturns of a history series, as proposed rows of
``data/history.csv`` (``oilimpact ingest PATH... [--write]``).

Load → process → save: :func:`propose` reads the articles (the ``seeds/`` format, with an optional
``url …`` line so a row cites its page), runs the figures extractor and maps each figure whose metric
label belongs to a series onto that series and month; :func:`write_proposals` adds the ``new`` rows.

A figure becomes a proposal of

- ``og_revenue`` — ``oil_gas_revenue`` in roubles for one month; a year-to-date total (January to
  month m) gives month m by difference from the total to m−1, printed in the same run or summed from
  the history's months, and is marked inferred (``I``);
- ``urals_tax_price`` — ``urals_price`` for one month, stated as the tax price or a monthly average;
- ``rub_usd_avg`` — ``exchange_rate`` for one month, stated as an average;
- ``met_oil``, ``ndd``, ``damper`` — ``extraction_tax`` (on crude), ``ndd_revenue``,
  ``damper_payments`` (``damper_net_transfer_to_budget`` is a negative payout), bn RUB for one month;
- ``og_additional_revenue_expected`` — MinFin's expected additional O&G revenue for the month
  (an estimate by definition: the one series where "expected" is not a reason to skip);
- ``fx_operations_daily`` — ``fx_sales_daily``: the budget rule's daily currency operations, sales
  negative, under the month its window starts (MinFin announces them at the start of the month).

Every proposal has a status: ``new`` (no row yet for that series and month), ``agrees`` (within the
rounding of the two prints), ``conflicts`` (naming the row already there and its source; the history
rule says which would win) or ``skipped`` with the reason — forecast or expectation wording, a plan,
base level or shortfall rather than the outturn, another country, another currency, a qualifier that
is not a print of the value ("less than"), a period that is not one month. An article dated before the
month it reports is an error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from oilimpact.articles import Article, Figure, read_corpus
from oilimpact.errors import OilImpactError
from oilimpact.model.history import (
    INGEST_MARK,
    SERIES,
    Row,
    choose,
    default_path,
    history_csv,
    load_history,
)
from oilimpact.project import atomic_write, relative_to_root

STATUSES = ("new", "agrees", "conflicts", "skipped")

_METRIC_SERIES = {
    "oil_gas_revenue": "og_revenue", "urals_price": "urals_tax_price", "exchange_rate": "rub_usd_avg",
    "extraction_tax": "met_oil", "ndd_revenue": "ndd", "damper_payments": "damper",
    "damper_net_transfer_to_budget": "damper",
    "oil_gas_revenue_additional_expected": "og_additional_revenue_expected",
    "fx_sales_daily": "fx_operations_daily",
}
# labels that name a neighbour of a series: the figure is about the series but is not its outturn
_NOT_THE_OUTTURN = {
    "oil_gas_revenue_plan": "a plan, not an outturn", "budget_oil_gas_revenue_plan": "a plan, not an outturn",
    "oil_gas_revenue_base": "the budget rule's base level, not the outturn",
    "oil_gas_revenue_shortfall": "a shortfall against a plan or base level, not the outturn",
    "oil_gas_revenue_vs_plan": "a gap to the plan, not the outturn",
    "oil_gas_revenue_mom_change": "a change on the month before, not a level",
    "oil_gas_revenue_yoy_change": "a change on a year before, not a level",
    "oil_gas_revenue_monthly_average": "an average over months, not one month",
    "urals_price_forecast": "a forecast", "budget_oil_price_assumption": "the budget's assumption",
    "budget_urals_base_price": "the budget rule's base price", "budget_exchange_rate_assumption":
    "the budget's assumption",
}
_ESTIMATES = {"og_additional_revenue_expected", "fx_operations_daily"}  # announced ahead by nature
_FORECAST = re.compile(
    r"\b(?:is|are|was|were)\s+(?:now\s+)?(?:expected|seen|forecast|projected|likely)\b|\bwill\b|\bwould\b|\bcould\b"
    r"|\bmay\s+(?:reach|fall|rise|be)\b|\bmight\b|\bforecasts?\b|\bexpects?\b|\bprojects?\b|\bprojection\b"
    r"|\bseen\s+(?:falling|rising|at|averaging)\b|\boutlook\b|\bpredict\w*|\bestimates?\s+that\b|\bto\s+come\s+in\b",
    re.IGNORECASE,
)
_OTHER_COUNTRY = re.compile(
    r"\b(?:Kazakhstan|Norway|Norwegian|Saudi|Iran(?:ian)?|Iraq(?:i)?|Azerbaijan(?:i)?|Nigeria(?:n)?|Venezuela(?:n)?"
    r"|Kuwait(?:i)?|Emirati|UAE|Qatar(?:i)?|Oman(?:i)?|Canad(?:a|ian)|Brazil(?:ian)?|Mexic(?:o|an)|Libya(?:n)?"
    r"|Algeria(?:n)?|Angola(?:n)?|Ukrain(?:e|ian)|Belarus(?:ian)?|Kazakh|American|U\.S\.|Chinese|Indian)(?:[’']s)?\b")
_RUSSIA = re.compile(r"\bRussia|\bRussian|\bMoscow|\bthe\s+(?:Finance|Economy)\s+Ministry|\bMinFin\b",
                     re.IGNORECASE)
_TAX_PRICE = re.compile(r"tax|averag|monthly|Economy\s+Ministry|Ministry\s+of\s+Economic", re.IGNORECASE)
_AVERAGE = re.compile(r"averag|on\s+average|\bmean\b", re.IGNORECASE)
_CRUDE = re.compile(r"\boil\b|\bcrude\b", re.IGNORECASE)
_GAS = re.compile(r"\bgas\b|condensate", re.IGNORECASE)
_PURCHASE = re.compile(r"\bbuy|\bbought\b|purchas", re.IGNORECASE)
_MONTH = re.compile(r"\d{4}-\d{2}\Z")
_SPREAD = re.compile(r"\W*(?:a\s+barrel\s+|per\s+barrel\s+)?(?:above|below|higher\s+than|lower\s+than)\b",
                     re.IGNORECASE)
_YTD = re.compile(r"(?P<year>\d{4})-01\.\.(?P=year)-(?P<month>\d{2})\Z")
_PRINTS = {"exact": "printed", "about": "printed, rounded (\"about\")"}


@dataclass(frozen=True)
class Proposal:
    """One figure read as a row of ``data/history.csv`` (or why it is not one)."""

    series: str
    period: str
    value: float | None
    unit: str
    article: str
    start: int
    end: int
    quote: str
    sentence: str
    article_date: str
    url: str
    metric: str
    confidence: str  # V printed, I inferred; "" when skipped
    rule: str  # why this series and month, and how the value was read
    status: str
    reason: str = ""  # for skipped and conflicts
    decimals: int = 1  # digits after the point of the print, in the series' unit (the rounding)
    blocks: bool = False  # a conflict the history rule would settle for the article: never overwritten

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Ingest:
    """Every proposal of one run, and the conflicts the history rule cannot settle for the history."""

    proposals: list[Proposal]
    warnings: list[str]

    @property
    def new(self) -> list[Proposal]:
        return [p for p in self.proposals if p.status == "new"]

    @property
    def blocking(self) -> list[Proposal]:
        """Conflicts where the article's print would win by the rule: never overwritten, so they stop
        ``--write`` (the analyst decides)."""
        return [p for p in self.proposals if p.blocks]


def propose(paths: Sequence[str | Path], history_path: str | Path | None = None) -> Ingest:
    """Read the articles in ``paths`` and propose history rows against ``history_path``
    (default ``data/history.csv``)."""
    corpus = read_corpus(list(paths))
    history = load_history(history_path)
    articles = {a.name: a for a in corpus.articles}
    candidates = [_candidate(f, articles[f.source]) for f in corpus.figures]
    candidates = [c for c in candidates if c is not None]
    candidates += _inferred_months([c for c in candidates if c.status == "ytd"], history)
    proposals = [replace(c, status="skipped", reason=_ytd_reason(c)) if c.status == "ytd" else c
                 for c in candidates]
    for proposal in proposals:
        _check_dated(proposal)
    return Ingest(_against_history(proposals, history), corpus.warnings)


def write_proposals(ingest: Ingest, history_path: str | Path | None = None) -> list[Proposal]:
    """Add the ``new`` rows to ``data/history.csv`` atomically and return them; a blocking conflict
    writes nothing (OilImpactError is not raised for it: the caller names it and exits non-zero)."""
    if ingest.blocking or not ingest.new:
        return []
    path = Path(history_path) if history_path is not None else default_path()
    rows = [row for months in load_history(path).values() for row in months.values()]
    rows += [_row(p) for p in ingest.new]
    atomic_write(path, history_csv(sorted(rows, key=lambda r: (r.series, r.period))))
    return ingest.new


# --- one figure --------------------------------------------------------------------------------


def _candidate(figure: Figure, article: Article) -> Proposal | None:
    series = _METRIC_SERIES.get(figure.metric)
    neighbour = _NOT_THE_OUTTURN.get(figure.metric)
    if series is None and neighbour is None:
        return None
    shown_series = series or _neighbour_series(figure.metric)
    base = dict(series=shown_series, period=figure.period or "", value=None, unit=SERIES[shown_series],
                article=relative_to_root(article.path), start=figure.start, end=figure.end, quote=figure.text,
                sentence=figure.sentence, article_date=figure.article_date.isoformat(), url=article.url,
                metric=figure.metric, confidence="", rule="", status="skipped")
    if series is None:
        return Proposal(**base, reason=neighbour)
    clause = _clause(article.text, figure)
    forecast = _FORECAST.search(clause)
    if series not in _ESTIMATES and forecast:
        return Proposal(**base, reason=f"forecast or expectation wording ({forecast.group(0)!r})")
    country = _OTHER_COUNTRY.search(clause)
    if country and not _RUSSIA.search(clause):
        return Proposal(**base, reason=f"a figure of another country ({country.group(0)!r})")
    if _SPREAD.match(article.text, figure.end) or _SPREAD.match(figure.text[-30:]):
        return Proposal(**base, reason="a gap between two values (\"above\", \"below\"), not a level")
    if figure.qualifier not in _PRINTS:
        return Proposal(**base, reason=f"not a print of the value ({figure.qualifier.replace('_', ' ')})")
    value, unit_reason = _in_series_unit(series, figure)
    if value is None:
        return Proposal(**base, reason=unit_reason)
    period, period_rule = _month_of(series, figure)
    if series == "urals_tax_price" and not _TAX_PRICE.search(figure.sentence):
        return Proposal(**base, reason="a Urals quote, not stated as the monthly tax price or average")
    if series == "rub_usd_avg" and not _AVERAGE.search(figure.sentence):
        return Proposal(**base, reason="a rate on a day, not the month's average")
    if series == "met_oil" and (_GAS.search(figure.sentence) or not _CRUDE.search(figure.sentence)):
        return Proposal(**base, reason="extraction tax not stated as on crude oil (met_oil)")
    if period is None:
        ytd = _YTD.match(figure.period or "") if series == "og_revenue" else None
        if ytd:
            return replace(Proposal(**base), value=value, period=figure.period, status="ytd",
                           confidence="V", decimals=_decimals(figure, series))
        return Proposal(**base, reason=f"period {figure.period or 'none'} is not one month")
    sign_rule = ", a net transfer to the budget booked as a negative payout" \
        if figure.metric == "damper_net_transfer_to_budget" else ""
    sign_rule += ", a sale booked negative" if series == "fx_operations_daily" and value < 0 else ""
    rule = f"V: {_PRINTS[figure.qualifier]} in the article as {figure.metric} for {period_rule}{sign_rule}"
    return replace(Proposal(**base), period=period, value=value, confidence="V", rule=rule, status="new",
                   decimals=_decimals(figure, series))


def _neighbour_series(metric: str) -> str:
    if metric.startswith(("urals", "budget_urals")) or metric == "budget_oil_price_assumption":
        return "urals_tax_price"
    if metric == "budget_exchange_rate_assumption":
        return "rub_usd_avg"
    return "og_revenue"


def _clause(text: str, figure: Figure) -> str:
    """The words of the figure's own clause: from the last clause break before it to the first after
    ("revenue will likely reach X" is a forecast; "X, after the ministry cut its forecast" is not)."""
    sentence_start = text.find(figure.sentence[:40], max(0, figure.start - len(figure.sentence) - 2))
    sentence_start = sentence_start if 0 <= sentence_start <= figure.start else figure.start
    before = text[sentence_start:figure.start]
    cut = max(before.rfind(";"), before.rfind(" – "), before.rfind(":"), before.rfind(", after"),
              before.rfind(", while"), before.rfind(", but"), before.rfind(", and "))
    after_start = figure.end
    after = text[after_start:after_start + 200]
    breaks = (after.find(mark) for mark in (";", ".", ", while", ", after", ", but", ", and ", " – "))
    stop = min([i for i in breaks if i >= 0] or [len(after)])
    return before[cut + 1:] + text[figure.start:figure.end] + after[:stop]


def _in_series_unit(series: str, figure: Figure) -> tuple[float | None, str]:
    wanted = SERIES[series]
    if wanted == "bn RUB":
        if figure.unit != "RUB":
            return None, f"in {figure.unit}, not roubles"
        value = figure.amount / 1e9
        if figure.metric == "damper_net_transfer_to_budget":
            value = -value
        return value, ""
    if wanted == "bn RUB per day":
        if figure.unit != "RUB/day":
            return None, f"in {figure.unit}, not roubles a day"
        sale = not _PURCHASE.search(figure.sentence)
        return (-1 if sale else 1) * abs(figure.amount) / 1e9, ""
    if wanted == "USD/bbl":
        return (figure.value, "") if figure.unit == "USD/bbl" else (None, f"in {figure.unit}, not USD/bbl")
    if figure.unit != "RUB/USD":
        return None, f"in {figure.unit}, not roubles per dollar"
    return figure.value, ""


def _month_of(series: str, figure: Figure) -> tuple[str | None, str]:
    period = figure.period or ""
    if _MONTH.match(period):
        return period, f"the month {period}"
    if series == "fx_operations_daily" and figure.period_start is not None:
        month = figure.period_start.strftime("%Y-%m")
        return month, f"the window from {figure.period_start.isoformat()} (its month {month})"
    return None, ""


def _decimals(figure: Figure, series: str) -> int:
    """Digits after the point of the print, counted in the series' unit ("8.03 trillion" → 2 in
    trillions → −1 in billions: the print is good to ±5 bn)."""
    printed = f"{abs(figure.value):f}".rstrip("0")
    digits = len(printed.split(".")[1]) if "." in printed else 0
    if SERIES[series].startswith("bn RUB"):
        digits -= round(math.log10(max(figure.amount and abs(figure.amount / figure.value), 1) / 1e9))
    return digits


# --- year to date → one month ------------------------------------------------------------------


def _inferred_months(ytds: list[Proposal], history: dict[str, dict[str, Row]]) -> list[Proposal]:
    """Month m of og_revenue from January–m minus January–(m−1): the two totals printed (in any of the
    articles read), or the earlier one summed from the history's months."""
    by_end: dict[str, Proposal] = {}
    for ytd in ytds:
        end = ytd.period.split("..")[1]
        by_end.setdefault(end, ytd)
    months = history.get("og_revenue", {})
    inferred = []
    for end, ytd in sorted(by_end.items()):
        year, month = int(end[:4]), int(end[5:])
        if month == 1:
            continue
        previous_end = f"{year}-{month - 1:02d}"
        earlier = by_end.get(previous_end)
        assert ytd.value is not None
        if earlier is not None and earlier.value is not None:
            value = ytd.value - earlier.value
            how = (f"I: January–{end} {ytd.value:g} − January–{previous_end} {earlier.value:g} "
                   f"(both printed: {earlier.article}:{earlier.start}–{earlier.end})")
            quote, decimals = f"{ytd.quote} | {earlier.quote}", min(ytd.decimals, earlier.decimals)
        else:
            previous = [f"{year}-{m:02d}" for m in range(1, month)]
            if not all(p in months for p in previous):
                continue
            total = sum(months[p].value for p in previous)
            value = ytd.value - total
            how = f"I: January–{end} {ytd.value:g} − the history's January–{previous_end} months ({total:g})"
            quote, decimals = ytd.quote, ytd.decimals
        inferred.append(replace(ytd, period=end, value=round(value, 4), confidence="I", rule=how,
                                status="new", quote=quote, decimals=decimals))
    return inferred


def _ytd_reason(ytd: Proposal) -> str:
    return f"a year-to-date total ({ytd.period}), not one month; the month is inferred from it where it can"


# --- against the history -----------------------------------------------------------------------


def _check_dated(proposal: Proposal) -> None:
    if proposal.status == "skipped" or not proposal.period:
        return
    month_start = dt.date.fromisoformat(proposal.period + "-01")
    if dt.date.fromisoformat(proposal.article_date) < month_start:
        raise OilImpactError(
            f"dated {proposal.article_date} but reports {proposal.series} for {proposal.period} "
            f"({proposal.quote!r}, characters {proposal.start}–{proposal.end}); an outturn is published "
            "after its month: check the date header", where=proposal.article)


def _tolerance(decimals: int) -> float:
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def _history_decimals(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _as_raw(p: Proposal) -> dict[str, str]:
    return {"series": p.series, "period": p.period, "value": _printed(p), "confidence": p.confidence,
            "source_url": p.url or p.article, "source_title": _title(p), "page_date": p.article_date,
            "quote": p.sentence if p.confidence == "V" else p.quote}


def _printed(p: Proposal) -> str:
    assert p.value is not None
    return f"{p.value:.{max(p.decimals, 0)}f}"


def _title(p: Proposal) -> str:
    return f"Article {Path(p.article).name}, characters {p.start}–{p.end} {INGEST_MARK} {p.rule})"


def _row(p: Proposal) -> Row:
    raw = _as_raw(p)
    return choose([raw], series_kept=SERIES)[0]


def _against_history(proposals: list[Proposal], history: dict[str, dict[str, Row]]) -> list[Proposal]:
    out: list[Proposal] = []
    fresh: dict[tuple[str, str], list[Proposal]] = {}
    for p in proposals:
        if p.status != "new":
            out.append(p)
            continue
        existing = history.get(p.series, {}).get(p.period)
        if existing is None:
            fresh.setdefault((p.series, p.period), []).append(p)
            continue
        assert p.value is not None
        gap = abs(p.value - existing.value)
        if gap <= max(_tolerance(p.decimals), _tolerance(_history_decimals(existing.value))):
            reason = f"history has {existing.value:g} ({_cited(existing)})"
            out.append(replace(p, status="agrees", reason=reason))
            continue
        article_wins = _article_wins(p, existing)
        settled = ("the article's print would win by the history rule, so it is not written: decide and "
                   "edit data/history.csv by hand" if article_wins
                   else "the history's row stays (the history rule keeps it)")
        out.append(replace(p, status="conflicts", blocks=article_wins, reason=(
            f"history has {existing.value:g} {existing.unit} ({_cited(existing)}); {settled}")))
    for group in fresh.values():
        kept = choose([_as_raw(p) for p in group], series_kept=SERIES)[0]
        chosen = next(p for p in group if _title(p) == kept.source_title)
        out.append(chosen)
        for other in group:
            if other is chosen:
                continue
            assert other.value is not None and chosen.value is not None
            rounding = max(_tolerance(other.decimals), _tolerance(chosen.decimals))
            same = abs(other.value - chosen.value) <= rounding
            out.append(replace(other, status="agrees" if same else "conflicts", reason=(
                f"{'same as' if same else 'differs from'} {chosen.value:g} in {chosen.article}:"
                f"{chosen.start}–{chosen.end}, which the history rule keeps")))
    order = {id(p): i for i, p in enumerate(proposals)}
    return sorted(out, key=lambda p: (p.article, p.start, p.confidence, order.get(id(p), 0)))


def _article_wins(p: Proposal, existing: Row) -> bool:
    """Whether the history rule (:func:`oilimpact.model.history.choose`) prefers the article's print to
    the row already there; the row there comes first, so a tie keeps it."""
    there = {"series": existing.series, "period": existing.period, "value": f"{existing.value:g}",
             "confidence": existing.confidence, "source_url": existing.source_url,
             "source_title": existing.source_title, "page_date": existing.page_date, "quote": existing.quote}
    return choose([there, _as_raw(p)], series_kept=SERIES)[0].source_title == _title(p)


def _cited(row: Row) -> str:
    return f"{row.confidence}, {row.source_title or row.source_url}, {row.page_date}".strip(", ")


def proposals_table(proposals: Iterable[Proposal]) -> list[list[str]]:
    """Rows for a terminal table: status, series, period, value, article:offsets, quote, why."""
    rows = []
    for p in proposals:
        value = "" if p.value is None else _printed(p)
        why = p.reason if p.status in ("skipped", "conflicts", "agrees") else p.rule
        rows.append([p.status, p.series, p.period, value, f"{Path(p.article).name}:{p.start}-{p.end}",
                     p.quote[:48], why])
    return rows
