"""The notebooks' shared words: tables, bullet lists, set-up, citations, Markdown, the scenario line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import pandas as pd
from IPython import get_ipython
from IPython.display import Markdown

from oilimpact import charts
from oilimpact.errors import OilImpactError
from oilimpact.fmt import MINUS, number, percent, usd
from oilimpact.model import (
    default_context,
    load_assumptions,
    load_scenarios,
)
from oilimpact.provenance import Source

QUOTE_CHARS = 140  # a figure's quote in the figures table: its sentence, cut on a word boundary


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
    shown.attrs["decimals"] = {c: d for c, d in places.items() if c in shown}
    return shown


def _grouped(value: Any, digits: int) -> str:
    """``8406`` → ``8,406``, ``-12.5`` → ``−12.5``; a missing value is an empty cell."""
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):,.{digits}f}"
    return text.replace("-", MINUS) if text.startswith("-") else text


def table_html(frame: pd.DataFrame) -> str | None:
    """The HTML of a :func:`table` frame with its numbers grouped by thousands (``8,406``) and a real minus
    sign, each column to its own decimals; the frame itself keeps its numbers. ``None`` for any other
    frame (IPython then shows pandas' own HTML)."""
    decimals = frame.attrs.get("decimals")
    if not decimals:
        return None
    shown = frame.copy()
    shown.attrs = {}
    for column, digits in decimals.items():
        if column in shown and pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = [_grouped(v, digits) for v in shown[column]]
    return shown._repr_html_()


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
    charts.setup()
    pd.set_option("display.max_colwidth", 400)  # pandas cuts at 50; quotes are cut to QUOTE_CHARS
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((OilImpactError,), _one_line_error)
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


def scenario_title(name: str) -> str:
    """A scenario as a reader sees it: its title in data/scenarios.yaml ("War premium held"), else its
    name in words."""
    presets = load_scenarios()
    return presets[name].title if name in presets else name.replace("_", " ")


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

    return load_assumptions().sources(keys)


def article_sources(items: Iterable[Any]) -> list[Source]:
    """One citation per article (file and date, no quote) for figures or events from ``items``."""
    seen: dict[Source, None] = {}
    for item in items:
        source = item.to_source()
        seen.setdefault(replace(source, quote=""), None)
    return list(seen)



def scenario_markdown(p: Any, focus: str = "prices") -> str:
    """The chosen scenario as this report needs it: ``prices`` (02, and 01) in full with its description;
    ``budget`` (03) the price and rate that drive revenue; ``levers`` (04) the point the levers move
    around; ``risk`` (05) what the simulation varies and what it holds. The report's header already
    carries the description, so only ``prices`` repeats it."""

    preset = load_scenarios()[p.scenario]
    shape = {
        "flat": "held flat",
        "glide": f"gliding to {usd(p.target_price or p.urals_price)} by "
                 f"{pd.Period(p.target_month, 'M'):%B %Y}",
        "shock_decay": f"decaying with a {number(p.half_life_months, 0)}-month half-life",
    }[p.path_shape]
    first = _first_scenario_month()
    volumes = (f"crude exports {percent(p.export_volume_change, 1, signed=True)}"
               if p.export_volume_change else "export volumes unchanged")
    if focus == "budget":
        return (f"**{preset.title}:** from {first} Urals {usd(p.urals_price)} ({shape}) at "
                f"{number(p.rub_usd, 2)} RUB/USD, {volumes}.")
    if focus == "levers":
        return (f"**{preset.title}:** the levers move around Urals {usd(p.urals_price)} ({shape}), "
                f"a discount of {usd(p.urals_discount)} to Brent, {number(p.rub_usd, 2)} RUB/USD and "
                f"{volumes}, from {first}.")
    if focus == "risk":
        return (f"**{preset.title}:** the simulated Urals paths are centred on {usd(p.urals_price)} "
                f"({shape}) from {first}. The simulation varies Urals only: the rouble "
                f"({number(p.rub_usd, 2)} RUB/USD), the discount and volumes stay on the scenario's path, "
                "so the spread is the oil price's alone.")
    return (
        f"**Scenario: {preset.title}.** {preset.description} "
        f"From {first}, the first month without a published price: Urals **{usd(p.urals_price)}** ({shape}), "
        f"Brent {usd(p.brent_price)}, discount {usd(p.urals_discount)}, **{number(p.rub_usd, 2)} RUB/USD**, "
        f"{volumes}."
    )


def _first_scenario_month() -> str:
    return f"{default_context().history.last_actual + 1:%B %Y}"


def markdown(text: str) -> Any:
    """``IPython.display.Markdown`` with dollar signs escaped, so ``$50 … $72`` is money, not LaTeX."""
    return Markdown(text.replace("\\$", "$").replace("$", "\\$"))
