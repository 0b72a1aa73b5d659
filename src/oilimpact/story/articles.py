"""Notebook 01, what the articles say: the figures and cross-checks tables, the timeline, the headline."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from oilimpact.articles import METRIC_GLOSSES, Corpus, cross_checks, cross_checks_frame, find_figure
from oilimpact.errors import OilImpactError
from oilimpact.fmt import MINUS, above_below, percent, period_words, trim, usd
from oilimpact.outlets import outlet
from oilimpact.provenance import Source
from oilimpact.story.common import (
    QUOTE_CHARS,
    cite,
    table,
)

# --- notebook 01: what the articles say ---------------------------------------------------------


def select_articles(corpus: Any, article: str | None) -> Any:
    """The corpus restricted to one article (file name or its start, e.g. ``"003"``); ``None`` = all."""
    if not article:
        return corpus

    names = [a.name for a in corpus.articles]
    chosen = [a for a in corpus.articles if a.name == article or a.name.startswith(article)]
    if len(chosen) != 1:
        found = "no article" if not chosen else f"{len(chosen)} articles"
        raise OilImpactError(
            f"parameter article: {found} matches {article!r}; give one of {', '.join(names)}"
        )
    name = chosen[0].name
    figures = [f for f in corpus.figures if f.source == name]
    return Corpus(
        chosen,
        figures,
        [e for e in corpus.events if e.source == name],
        cross_checks(figures, {name: chosen[0].text}),
        list(corpus.warnings),
    )




def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut after a whole word with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(",;: ") + "…"


# Emoji and dingbats of social-media posts ("🔻", "⚡️"): no report font has them, and they carry no words.
_PICTOGRAPHS = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")


def figure_quote(sentence: str, text: str, limit: int) -> str:
    """The words a figure was read from, with its number: the whole sentence when it fits in ``limit``
    characters, else the stretch of it around the figure's own words — its clause and the words on either
    side — cut on word boundaries, "…" where words are left out."""
    flat, own = " ".join(_PICTOGRAPHS.sub("", sentence).split()), " ".join(text.split())
    at = flat.find(own)
    if len(flat) <= limit or at < 0:
        return shorten(flat, limit)
    width = limit - 2  # the two "…"
    lo = max(0, at - max(width - len(own), 0) // 2)
    hi = min(len(flat), lo + width)
    lo = max(0, min(lo, hi - width))
    if lo > 0 and flat[lo - 1] != " ":
        lo = min(flat.find(" ", lo) + 1 or at, at)
    if hi < len(flat) and flat[hi] != " ":
        space = flat.rfind(" ", at + len(own), hi)
        hi = space if space >= 0 else at + len(own)
    quote = flat[lo:hi].strip(" ,;:")
    return ("…" if lo > 0 else "") + quote + ("…" if hi < len(flat) else "")


def figures_table(figures: Iterable[Any], include_other: bool = False) -> pd.DataFrame:
    """The article figures with their quotes: one row each, metric names spelled out; the article by
    its file prefix (its date is in the text), the quote up to :data:`QUOTE_CHARS`."""
    rows = []
    for f in figures:
        if f.metric == "other" and not include_other:
            continue
        rows.append(
            {
                "Article": article_label(f.source),
                "What": METRIC_NAMES.get(f.metric) or METRIC_GLOSSES.get(f.metric) or f.metric,
                "As printed": f.text,
                "Value": figure_value(f),
                "Unit": f.unit + (f" ({f.scale})" if f.scale else ""),
                "Qualifier": f.qualifier.replace("_", " ") if f.qualifier != "exact" else "",
                "Period": period_words(f.period),
                "Quote": figure_quote(f.sentence, f.text, QUOTE_CHARS),
            }
        )
    return table(
        pd.DataFrame(
            rows, columns=["Article", "What", "As printed", "Value", "Unit", "Qualifier", "Period", "Quote"]
        ),
        label="Article",
    )


def corpus_markdown(corpus: Corpus) -> str:
    """What the articles hold: how many figures the table shows and from which articles, what it leaves
    out (numbers with no economic metric), and the dated events."""
    shown = [f for f in corpus.figures if f.metric != "other"]
    by_article: dict[str, int] = {}
    for f in shown:
        by_article[article_label(f.source)] = by_article.get(article_label(f.source), 0) + 1
    n = len(corpus.articles)
    if len(by_article) == 1 and n > 1:
        only = next(iter(by_article))
        whence = f", all from the {only} article (the other {n - 1} have no economic figure)"
    elif by_article:
        whence = " (" + ", ".join(f"{count} from {name}" for name, count in by_article.items()) + ")"
    else:
        whence = ""
    other = len(corpus.figures) - len(shown)
    left = (f"; {other} other numbers (counts, durations and the like) are left out of the table and "
            "kept in the data" if other else "")
    return (f"{n} article{'s' if n != 1 else ''}, **{len(shown)} figures** about oil, revenues, sanctions "
            f"and trade{whence}{left}; **{len(corpus.events)} dated events**.")


def figure_value(figure: Any, decimals: int = 2) -> str:
    """A figure's value as the table shows it: ``4.5``, ``−50``, a range as ``5–6`` (``−25 to −27`` when
    both ends are negative), thousands grouped, trailing zeros dropped."""

    def one(value: float) -> str:
        return (MINUS if value < 0 else "") + trim(value, decimals)

    if getattr(figure, "value_high", None) is None or figure.value_high != figure.value_high:  # NaN
        return one(figure.value)
    join = " to " if figure.value < 0 else "–"
    return f"{one(figure.value)}{join}{one(figure.value_high)}"


def article_label(source: str) -> str:
    """A short name for an article file: its outlet (``seeds/sources.csv``), else its number prefix
    (``003`` of ``003_db86….txt``) or its stem."""
    published = outlet(source)
    if published is not None:
        return published.outlet
    stem = source.rsplit(".", 1)[0]
    return stem.split("_", 1)[0] or stem


def cross_checks_table(checks: Iterable[Any]) -> pd.DataFrame:
    """Numbers implied by two figures of one sentence: a rate from one amount in two currencies, the gap
    between compared figures — each with the article's words."""

    frame = cross_checks_frame(checks)
    frame["source"] = frame["source"].map(article_label)
    names = {"source": "Article", "kind": "Check", "value": "Value", "unit": "Unit", "quote": "As printed"}
    frame = frame.rename(columns=names)
    return table(frame, {"Value": 2}, label="Article")


METRIC_NAMES = {
    "urals_price": "Urals price",
    "budget_oil_price_assumption": "Budget's oil price",
    "oil_gas_revenue_yoy_change": "O&G revenue, y/y",
    "arms_deal_value": "Arms deal value",
    "lng_supply_share": "Qatar's share of Europe's LNG",
    "sanctions_waiver_days": "Sanctions waiver",
    "other": "Other number",
}


def events_for_chart(events: Iterable[Any]) -> pd.DataFrame:
    """Events as a chart frame (date, label, precision), one row per (date, label), oldest first."""
    rows = {}
    for e in events:
        rows.setdefault((e.date, e.label),
                        {"date": e.date, "label": e.label, "source": article_label(e.source)})
    frame = pd.DataFrame(list(rows.values()), columns=["date", "label", "source"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The article's headline figures (each ``None`` when the selected articles lack it)."""

    december: Any
    latest: Any
    budget: Any
    revenue_yoy: Any

    def points(self) -> pd.DataFrame:
        chosen = [f for f in (self.december, self.latest) if f is not None]
        labels = {id(self.december): "Urals in December 2025", id(self.latest): "Urals, week of 8 March 2026"}
        return pd.DataFrame(
            {
                "date": [f.period_start for f in chosen],
                "value": [f.value for f in chosen],
                "label": [labels[id(f)] for f in chosen],
                "qualifier": [f.qualifier.replace("_", " ") for f in chosen],
            }
        )

    def sources(self) -> list[Source]:
        return cite(f.to_source() for f in (self.december, self.latest, self.budget) if f is not None)

    @property
    def gap(self) -> float:
        return self.latest.value - self.budget.value

    @property
    def budget_price(self) -> float | None:
        return None if self.budget is None else self.budget.value

    def key_results(self) -> list[tuple[str, float, str, str]]:
        """(name, value, unit, label) for :func:`oilimpact.results.record`; NaN where a figure is missing."""

        def value(figure: Any) -> float:
            return float("nan") if figure is None else float(figure.value)

        return [
            ("urals_december_usd", value(self.december), "USD/bbl", "Urals in December 2025 (upper bound)"),
            ("urals_latest_usd", value(self.latest), "USD/bbl", "Urals, week of 8 March 2026"),
            ("budget_urals_usd", value(self.budget), "USD/bbl", "Urals price assumed in the 2026 budget"),
            (
                "urals_gap_to_budget_usd",
                value(self.latest) - value(self.budget),
                "USD/bbl",
                "Urals above the budget's price, week of 8 March",
            ),
            ("og_revenue_jan_yoy_pct", value(self.revenue_yoy), "%", "Oil & gas revenue, January 2026, y/y"),
        ]


def _maybe(figures: Any, metric: str, **criteria: Any) -> Any:

    try:
        return find_figure(figures, metric, **criteria)
    except OilImpactError:
        return None


def headline(corpus: Any) -> Headline:
    """Find the under-$50 December price, the latest price, the budget's price and the revenue change."""
    figures = corpus.figures
    prices = sorted(
        (f for f in figures if f.metric == "urals_price" and f.period_start), key=lambda f: f.period_start
    )
    december = next((f for f in prices if f.period == "2025-12"), None)
    latest = prices[-1] if prices and prices[-1] is not december else None
    return Headline(
        december,
        latest,
        _maybe(figures, "budget_oil_price_assumption"),
        _maybe(figures, "oil_gas_revenue_yoy_change"),
    )


def headline_markdown(h: Headline) -> str:
    """The article's claim in one paragraph, every number taken from the extracted figures."""
    if h.latest is None or h.budget is None:
        return "_The selected articles do not give both a recent Urals price and the budget's price._"
    parts = []
    start = ""
    if h.december is not None:
        bound = "less than " if h.december.qualifier == "less_than" else ""
        start = f"from {bound}**{usd(h.december.value)}** in December "
    parts.append(
        f"Russian oil (Urals) rose {start}to **{usd(h.latest.value)}** in the week to "
        f"{h.latest.period_end:%-d %B %Y} — **{usd(abs(h.gap))} {above_below(h.gap)}** the "
        f"**{usd(h.budget.value)}** a barrel assumed in the 2026 budget."
    )
    if h.revenue_yoy is not None:
        change = h.revenue_yoy.value
        parts.append(
            f"Oil and gas revenues in {h.revenue_yoy.period_start:%B %Y} were "
            f"**{percent(abs(change), 0)} {'lower' if change < 0 else 'higher'}** than a year earlier."
        )
    return " ".join(parts)
