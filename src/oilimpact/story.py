"""Words and tables for the notebooks: numbers formatted the house way, never typed by hand.

The notebooks stay thin: a code cell calls one of these to turn a computed result into a Markdown
sentence or a presentable table. Formatting rules: US dollars as ``$72``/``$4.5``, roubles as
``3,786 bn RUB``, percentages with one decimal at most, signed changes with a real minus sign.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from oilimpact.errors import OilImpactError
from oilimpact.provenance import Source

MINUS = "\u2212"


def _trim(number: float, decimals: int) -> str:
    text = f"{abs(number):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def usd(value: float, decimals: int = 2, signed: bool = False) -> str:
    """``$72``, ``$4.5``, ``−$13`` (signed adds ``+``): trailing zeros dropped."""
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}${_trim(value, decimals)}"


def bn_rub(value: float, decimals: int = 0, signed: bool = False) -> str:
    """``3,786 bn RUB``; ``+412 bn RUB`` when signed."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f} bn RUB"


def number(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A plain number with thousands separators and a real minus sign."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f}"


def percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """``−50 %``, ``1.6 %`` (value already in percent), fixed decimals."""
    if not math.isfinite(value):
        return "n/a"
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f} %"


def above_below(difference: float) -> str:
    """``above`` for a positive difference, ``below`` for a negative one, ``at`` for zero."""
    return "above" if difference > 0 else ("below" if difference < 0 else "at")


def table(
    frame: pd.DataFrame, decimals: int | Mapping[str, int] = 1, label: str | None = None
) -> pd.DataFrame:
    """A frame ready to show: rounded, with one header row.

    ``label`` names the column whose values label the rows: it becomes the index and its name moves to
    the header's corner cell (``columns.name``), so HTML shows no separate index-name row. Without it
    the index is shown as it is, unnamed.
    """
    shown = frame.copy()
    if label is not None and label in shown.columns:
        shown = shown.set_index(label)
    shown.index.name = None
    shown.columns.name = label
    places = decimals if isinstance(decimals, Mapping) else dict.fromkeys(shown.columns, decimals)
    for column, digits in places.items():
        if column in shown and pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].round(digits)
            if digits == 0:
                shown[column] = shown[column].astype("Int64")
    return shown


def bullet_list(lines: Iterable[str]) -> str:
    """Markdown bullets, one per line."""
    return "\n".join(f"- {line}" for line in lines)


# --- notebook set-up ----------------------------------------------------------------------------


def _one_line_error(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    """Show an OilImpactError in one line, ``OilImpactError: message``, without a traceback."""
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)  # publishes the error output, as IPython does for others
    return lines


def setup() -> None:
    """Call once at the top of a notebook: house chart style, SVG figures, and the package's own errors
    (a bad parameter, a bad data file) shown as one line instead of a traceback."""
    from oilimpact import charts

    charts.setup()
    pd.set_option("display.max_colwidth", QUOTE_CHARS + 10)  # pandas cuts cells at 50 characters
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((OilImpactError,), _one_line_error)


# --- citations ----------------------------------------------------------------------------------


def _short(source: Source, limit: int = 70) -> Source:
    """The source as a chart caption cites it: an assumption by its first page, a quote cut to ``limit``."""
    where = source.where
    if source.kind == "assumption" and where:
        where = where.split(";")[0].strip()
    quote = " ".join(source.quote.split())
    if len(quote) > limit:
        quote = quote[: limit - 1].rsplit(" ", 1)[0] + " …"
    return replace(source, where=where, quote=quote)


def cite(*groups: Iterable[Source]) -> list[Source]:
    """Sources of several groups, each once, long quotes shortened."""
    seen: dict[Source, None] = {}
    for group in groups:
        for source in group:
            seen.setdefault(_short(source), None)
    return list(seen)


def assumption_sources(*keys: str) -> list[Source]:
    """The sources of these entries of data/assumptions.yaml."""
    from oilimpact.assumptions import load_assumptions

    return load_assumptions().sources(keys)


def article_sources(items: Iterable[Any]) -> list[Source]:
    """One citation per article (file and date, no quote) for figures or events from ``items``."""
    seen: dict[Source, None] = {}
    for item in items:
        source = item.to_source()
        seen.setdefault(replace(source, quote=""), None)
    return list(seen)


# --- notebook 01: what the articles say ---------------------------------------------------------


def select_articles(corpus: Any, article: str | None) -> Any:
    """The corpus restricted to one article (file name or its start, e.g. ``"003"``); ``None`` = all."""
    if not article:
        return corpus
    from oilimpact.figures import Corpus, cross_checks

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


QUOTE_CHARS = 140  # a figure's quote in the figures table: its sentence, cut on a word boundary


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut after a whole word with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(",;: ") + "…"


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
                "What": METRIC_NAMES.get(f.metric, f.metric),
                "As printed": f.text,
                "Value": f.value,
                "Unit": f.unit + (f" ({f.scale})" if f.scale else ""),
                "Qualifier": f.qualifier.replace("_", " ") if f.qualifier != "exact" else "",
                "Period": f.period,
                "Quote": shorten(f.sentence, QUOTE_CHARS),
            }
        )
    return table(
        pd.DataFrame(
            rows, columns=["Article", "What", "As printed", "Value", "Unit", "Qualifier", "Period", "Quote"]
        ),
        {"Value": 1},
        label="Article",
    )


def article_label(source: str) -> str:
    """A short name for an article file: its number prefix (``003`` of ``003_db86….txt``) or its stem."""
    stem = source.rsplit(".", 1)[0]
    return stem.split("_", 1)[0] or stem


def cross_checks_table(checks: Iterable[Any]) -> pd.DataFrame:
    """Numbers implied by two figures of one sentence: a rate from one amount in two currencies, the gap
    between compared figures — each with the article's words."""
    from oilimpact.figures import cross_checks_frame

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
        rows.setdefault((e.date, e.label), {"date": e.date, "label": e.label, "source": e.source[:3]})
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
    from oilimpact.figures import find_figure

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


def scenario_markdown(p: Any) -> str:
    """The chosen scenario in two sentences: its title, description and resolved prices."""
    from oilimpact.scenarios import load_scenarios

    preset = load_scenarios()[p.scenario]
    shape = {
        "flat": "held flat",
        "glide": f"gliding to {usd(p.target_price or p.urals_price)} by {p.target_month}",
        "shock_decay": f"decaying with a {number(p.half_life_months, 0)}-month half-life",
    }[p.path_shape]
    return (
        f"**Scenario: {preset.title}** (`{p.scenario}`). {preset.description} "
        f"From the first month without an actual price: Urals **{usd(p.urals_price)}** ({shape}), Brent "
        f"{usd(p.brent_price)}, discount {usd(p.urals_discount)}, **{number(p.rub_usd, 2)} RUB/USD**, export "
        f"volumes {percent(p.export_volume_change, 1, signed=True)}."
    )


def markdown(text: str) -> Any:
    """``IPython.display.Markdown`` with dollar signs escaped, so ``$50 … $72`` is money, not LaTeX."""
    from IPython.display import Markdown

    return Markdown(text.replace("\\$", "$").replace("$", "\\$"))


# --- notebooks 02-05: the model's results as chart inputs, tables and sentences ------------------

SCENARIO_ORDER_NOTE = "Scenarios other than the chosen one run with their own presets."


def run_all(p: Any) -> dict[str, Any]:
    """Every preset's :class:`~oilimpact.model.ScenarioResult` on the chosen horizon; the chosen scenario
    with the user's overrides (``p``)."""
    from oilimpact.model import run_scenario
    from oilimpact.params import resolve_parameters
    from oilimpact.scenarios import load_scenarios

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
    from oilimpact.assumptions import load_assumptions

    found = load_assumptions()
    eu = found.get("price_cap_eu").series()
    eu_series = pd.Series(list(eu.values()), index=pd.PeriodIndex([k[:7] for k in eu], freq="M"))
    return {"US price cap": found.value("price_cap_us"), "EU price cap": eu_series}


PRICE_KEYS = (
    "urals_tax_price",
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
    from oilimpact import charts
    from oilimpact.events import MARKET_TOPICS
    from oilimpact.model import default_context
    from oilimpact.scenarios import load_scenarios

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
        assumption_sources(*PRICE_KEYS),
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
    )


def price_table(runs: Mapping[str, Any], year: int = 2026) -> pd.DataFrame:
    """Per scenario: the year's average Urals, Brent, discount and rouble, and months above each cap."""
    rows = []
    for name, result in runs.items():
        mask = result.paths.months.year == year
        a = result.annual
        rows.append(
            {
                "Scenario": name,
                f"Urals {year} avg, USD/bbl": result.paths.urals[mask].mean(),
                f"Brent {year} avg, USD/bbl": result.paths.brent[mask].mean(),
                f"Discount {year} avg, USD/bbl": result.paths.discount[mask].mean(),
                f"RUB/USD {year} avg": result.paths.rub_usd[mask].mean(),
                "Months above US cap, %": 100 * a["months_above_us_cap_share"],
                "Months above EU cap, %": 100 * a["months_above_eu_cap_share"],
            }
        )
    return table(pd.DataFrame(rows), 1, label="Scenario")


def article_price_markdown(result: Any, head: Headline) -> str:
    """'At $72, Urals is $13 above the budget's $59; over the rest of the year that adds ≈ N bn RUB'."""
    if head.latest is None or head.budget is None:
        return ""
    per_usd = float(result.annual["sensitivity_per_usd_rest_of_year_bn_rub"])
    gain = per_usd * head.gap
    return (
        f"At **{usd(head.latest.value)}**, Urals is **{usd(abs(head.gap))} {above_below(head.gap)}** the "
        f"budget's {usd(head.budget.value)}; held over the rest of the year (the months whose prices are "
        f"not yet in), that {'adds' if gain >= 0 else 'takes'} ≈ **{bn_rub(abs(gain))}** of oil and gas "
        f"revenue at the scenario's rouble rate ({bn_rub(per_usd)} per $1)."
    )


def price_gain(result: Any, head: Headline) -> float:
    """Rest-of-year revenue from the article's latest price being above the budget's, bn RUB."""
    return float(result.annual["sensitivity_per_usd_rest_of_year_bn_rub"]) * head.gap


MODEL_KEYS = (
    "og_revenue_monthly",
    "budget_law_og_revenue",
    "budget_law_deficit",
    "budget_law_gdp",
    "nwf_liquid_assets",
    "urals_tax_price",
    "rub_usd_monthly_average",
    "extraction_tax_base_rate",
)


def model_sources(*extra: str) -> list[Source]:
    return cite(assumption_sources(*MODEL_KEYS, *extra))


def revenue_chart(result: Any, year: int = 2026) -> Any:
    """Chart 03a: the year's monthly O&G revenue (actual where published, else the model) vs the law's
    plan, the same month a year earlier and actual receipts."""
    from oilimpact import charts

    m = result.monthly
    this = m[m.index.year == year]
    prior = m.loc[m.index.year == year - 1, "og_revenue_actual_bn_rub"].dropna()
    return charts.revenue_vs_plan(
        this["og_revenue_used_bn_rub"],
        model_sources(),
        plan=this["plan_bn_rub"],
        prior_year=prior,
        actual=this["og_revenue_actual_bn_rub"],
        scenario=result.params.scenario,
    )


def backtest_frame() -> tuple[pd.DataFrame, list[pd.Period]]:
    """Actual vs model revenue: 2025 in-sample fit, then the out-of-sample months of the backtest."""
    from oilimpact.model import backtest, calibration_table

    fit = calibration_table()
    out = backtest()
    frame = pd.DataFrame({"actual": fit["actual_bn_rub"], "model": fit["fitted_bn_rub"]})
    frame = frame.drop(index=out.index, errors="ignore")
    frame = pd.concat(
        [frame, pd.DataFrame({"actual": out["actual_bn_rub"], "model": out["predicted_bn_rub"]})]
    )
    return frame, list(out.index)


def backtest_chart() -> Any:
    from oilimpact import charts

    frame, oos = backtest_frame()
    first, last = oos[0], oos[-1]
    fig = charts.backtest(frame, model_sources(), out_of_sample=oos)
    charts.caption(
        fig,
        model_sources(),
        note=(
            f"Shaded: {first:%b %Y} and {last:%b %Y} predicted by the model calibrated on Jan–Nov 2025 only; "
            "the other months show the fit on the 2025 months with a published price and revenue."
        ),
    )
    return fig


def deficit_chart(runs: Mapping[str, Any], chosen: str, year: int = 2026) -> Any:
    """Chart 03b: the cumulative O&G shortfall against the law's plan (what adds to the law's deficit)
    and the NWF's liquid balance, by scenario."""
    from oilimpact import charts

    shortfall, nwf = {}, {}
    for name, result in runs.items():
        m = result.monthly[result.monthly.index.year == year]
        shortfall[name] = (m["plan_bn_rub"] - m["og_revenue_used_bn_rub"]).cumsum()
        nwf[name] = m["nwf_balance_bn_rub"]
    a = runs[chosen].annual
    title = (
        f"{chosen.replace('_', ' ').capitalize()}: {year} deficit {bn_rub(a['deficit_bn_rub'])} "
        f"({percent(a['deficit_pct_gdp'])} of GDP) against the law's {bn_rub(a['law_deficit_bn_rub'])}; "
        f"the NWF ends at {bn_rub(a['nwf_end_balance_bn_rub'])}"
    )
    return charts.deficit_nwf(
        pd.DataFrame(shortfall),
        pd.DataFrame(nwf),
        model_sources("budget_rule_base_price"),
        highlight=chosen,
        title=title,
        top_label="O&G shortfall vs plan, cumulative",
    )


def annual_table(runs: Mapping[str, Any]) -> pd.DataFrame:
    """Per scenario: the year's Urals, O&G revenue, gap to plan, deficit (bn RUB, % GDP), NWF end."""
    rows = []
    for name, result in runs.items():
        a = result.annual
        rows.append(
            {
                "Scenario": name,
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
    "brent_price_effect_bn_rub": "Brent price",
    "discount_effect_bn_rub": "Urals discount",
    "rub_usd_effect_bn_rub": "Rouble rate",
    "volume_effect_bn_rub": "Export volume",
    "actual_months_residual_bn_rub": "Published months vs model",
}


def waterfall_chart(result: Any) -> Any:
    from oilimpact import charts

    d = result.decomposition
    steps = pd.Series({label: float(d[key]) for key, label in DECOMPOSITION_LABELS.items()})
    return charts.waterfall(
        steps,
        model_sources("dated_brent", "urals_discount"),
        total_label="O&G revenue vs the law's plan",
        subtitle=f"{result.params.scenario.replace('_', ' ')}: 2026 oil & gas revenue minus "
        "the law's 8,918 bn RUB plan, by cause, bn RUB",
    )


# --- 04 ------------------------------------------------------------------------------------------

TORNADO_LABELS = {
    "urals_price": ("Urals", "$"),
    "rub_usd": ("Rouble, RUB/USD", ""),
    "urals_discount": ("Urals discount", "$"),
    "export_volume_change": ("Export volume, %", ""),
}


def tornado_frame(p: Any) -> pd.DataFrame:
    """The model's tornado as chart input: deficit change for each lever's low and high setting."""
    from oilimpact.model import tornado

    t = tornado(p)
    rows = []
    for lever, row in t.iterrows():
        name, prefix = TORNADO_LABELS.get(lever, (lever, ""))
        now = float(getattr(p, lever))
        rows.append(
            {
                "label": f"{name} ±{prefix}{number(row['shock'], 0)}",
                "low": row["deficit_low_bn_rub"],
                "high": row["deficit_high_bn_rub"],
                "low_text": f"{prefix}{_trim(now - row['shock'], 1)}",
                "high_text": f"{prefix}{_trim(now + row['shock'], 1)}",
            }
        )
    return pd.DataFrame(rows)


def tornado_chart(p: Any) -> Any:
    from oilimpact import charts

    return charts.tornado(
        tornado_frame(p),
        model_sources("dated_brent", "urals_discount"),
        low_text="low_text",
        high_text="high_text",
        what="2026 deficit",
        subtitle=f"Change in the 2026 deficit when one lever moves, {p.scenario.replace('_', ' ')}"
        " scenario, bn RUB (low setting hatched)",
    )


def placed_scenarios(runs: Mapping[str, Any], year: int = 2026) -> pd.DataFrame:
    """Each scenario's average Urals and RUB/USD over its own months of the year (where the grid puts it)."""
    rows = []
    for name, result in runs.items():
        mask = (result.paths.months.year == year) & result.paths.is_scenario
        rows.append(
            {"name": name, "x": result.paths.rub_usd[mask].mean(), "y": result.paths.urals[mask].mean()}
        )
    return pd.DataFrame(rows)


def heatmap_chart(p: Any, runs: Mapping[str, Any]) -> Any:
    from oilimpact import charts
    from oilimpact.model import default_context, deficit_grid

    grid = deficit_grid(params=p)
    return charts.heatmap(
        grid,
        model_sources("budget_law_urals_price", "budget_law_rub_usd"),
        placed=placed_scenarios(runs),
        highlight=p.scenario,
        reference=default_context().law_deficit,
        reference_label="law",
        title=heatmap_finding(grid, placed_scenarios(runs), p.scenario, default_context().law_deficit),
        subtitle="2026 deficit, bn RUB, with Urals and the rouble flat over the months still to "
        "come; scenarios placed at their averages",
    )


def brent_shock(p: Any, shock: float = 20.0) -> float:
    """Change in the 2026 deficit when Brent is ``shock`` USD higher with the discount unchanged, bn RUB."""
    from oilimpact.model import run_scenario

    base = run_scenario(p).annual["deficit_bn_rub"]
    moved = run_scenario(p.replace(brent_price=p.brent_price + shock)).annual["deficit_bn_rub"]
    return float(moved - base)


# --- 05 ------------------------------------------------------------------------------------------


def fan_chart(mc: Any, result: Any) -> Any:
    from oilimpact import charts
    from oilimpact.model import default_context

    last = last_actual_month(result)
    fan = mc.fan_urals.loc[mc.fan_urals.index >= last]
    fan = fan.rename(columns=lambda c: int(str(c).lstrip("p")))
    history = prices({"x": result}).loc[:last, "x"]
    return charts.fan(
        fan,
        model_sources("budget_law_urals_price"),
        history=history,
        budget_price=default_context().law_price,
        probability_above=mc.p_urals_above_law,
        subtitle=f"{len(mc.deficit):,} simulated paths around the {result.params.scenario.replace('_', ' ')}"
        f" path, volatility {percent(100 * mc.params.mc_volatility, 0)} a year, USD per barrel",
    )


def deficit_histogram(mc: Any) -> Any:
    from oilimpact import charts
    from oilimpact.model import default_context

    return charts.histogram(
        mc.deficit,
        model_sources(),
        reference=default_context().law_deficit,
        reference_label="budget law",
        what="2026 deficit",
    )


def risk_table(mc: Any) -> pd.DataFrame:
    """The Monte Carlo's headline numbers with units, one row each."""
    pct = mc.deficit_percentiles
    rows = [
        ("Simulated paths", len(mc.deficit), ""),
        ("P(2026 average Urals > budget price)", 100 * mc.p_urals_above_law, "%"),
        ("P(2026 deficit > law)", 100 * mc.p_deficit_above_law, "%"),
    ]
    rows += [(f"Deficit, {int(k)}th percentile", float(v), "bn RUB") for k, v in pct.items()]
    rows += [
        (f"NWF end, {int(k)}th percentile", float(v), "bn RUB") for k, v in mc.nwf_end_percentiles.items()
    ]
    frame = pd.DataFrame(rows, columns=["Statistic", "Value", "Unit"])
    frame["Value"] = frame["Value"].map(lambda v: number(v, 1 if abs(v) < 100 else 0))
    return table(frame, 0, label="Statistic")


def heatmap_finding(grid: pd.DataFrame, placed: pd.DataFrame, chosen: str, law_deficit: float) -> str:
    """The heatmap's title: the lowest Urals price on the grid that keeps the deficit within the law's
    at the chosen scenario's rouble rate (nearest grid column)."""
    rate = float(placed.loc[placed["name"] == chosen, "x"].iloc[0])
    column = min(grid.columns, key=lambda c: abs(float(c) - rate))
    within = grid.index[grid[column] <= law_deficit]
    if len(within) == 0:
        return (
            f"At about {number(column, 0)} RUB/USD no Urals price up to {usd(grid.index.max())} keeps the "
            f"deficit within the law's {bn_rub(law_deficit)}"
        )
    return (
        f"At about {number(column, 0)} RUB/USD the deficit stays within the law's {bn_rub(law_deficit)} "
        f"only with Urals at {usd(within.min())} or more"
    )
