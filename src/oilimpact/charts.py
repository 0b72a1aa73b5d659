"""House-style charts: one function per chart, data and sources in, a matplotlib Figure out.

Rules every chart follows (the notebooks only call these):

- The title states the finding (computed from the data when not given); a grey subtitle says what
  is plotted and in which unit; axes carry labels with units; bars start at zero.
- Series differ by line style and marker as well as colour, so a greyscale print still tells them
  apart; upper bounds ("less than $50") and negative changes are hatched.
- Every figure gets a caption ``Source: …`` built by :func:`oilimpact.provenance.caption` from the
  sources the caller passes — never typed.
- Figures are created without pyplot (no global state, no double display in notebooks) inside the
  house style (``oilimpact.mplstyle``); :func:`save` writes byte-identical SVG/PDF/PNG for the same
  input (fixed SVG hash salt, no timestamps, text as paths).

Months: any monthly index (``DatetimeIndex`` or ``PeriodIndex``) is accepted and drawn at the
first day of the month.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.lines
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from oilimpact import provenance, story
from oilimpact.provenance import Source

STYLE = Path(__file__).with_name("oilimpact.mplstyle")
CAPTION_GID = "oilimpact-caption"

# Metadata that would otherwise carry the date or the software version into the file.
_SAVE_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
    "png": {"Software": None},
}

INK = "#222222"
MUTED = "#8a8a8a"
LIGHT = "#d9d9d9"
ACCENT = "#c8102e"


@dataclass(frozen=True)
class Look:
    """How one series is drawn: colour, line style and marker (greyscale-distinguishable)."""

    color: str
    linestyle: Any
    marker: str

    def kwargs(self) -> dict[str, Any]:
        return {"color": self.color, "linestyle": self.linestyle, "marker": self.marker}


# Lightness alternates dark/light and every line style differs, so series survive greyscale.
LOOKS: tuple[Look, ...] = (
    Look("#1f3b73", "-", "o"),
    Look("#e8a33d", "--", "s"),
    Look("#000000", ":", "^"),
    Look("#4aa3a2", "-.", "D"),
    Look("#7f7f7f", (0, (5, 1, 1, 1, 1, 1)), "v"),
    Look("#c8102e", (0, (1, 2)), "x"),
)

F = TypeVar("F", bound=Callable[..., Figure])


def setup() -> None:
    """Use the house style and show notebook figures as reproducible SVG (call once per notebook)."""
    mpl.style.use(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata=_SAVE_METADATA["svg"])


def _styled(function: F) -> F:
    """Draw inside the house style whether or not :func:`setup` ran."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.style.context(STYLE):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as SVG, PDF or PNG (by suffix), byte-identical for identical figures."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    with mpl.style.context(STYLE):
        fig.savefig(path, format=fmt, metadata=_SAVE_METADATA.get(fmt))
    return path


# --- shared pieces ------------------------------------------------------------------------------


def _new(nrows: int = 1, *, height: float | None = None, width: float = 8.0, **kwargs: Any):
    fig = Figure(figsize=(width, height or mpl.rcParams["figure.figsize"][1]), layout="constrained")
    axes = fig.subplots(nrows, 1, squeeze=False, **kwargs)[:, 0]
    return fig, axes


def _wrap(text: str, fig: Figure, fontsize: float) -> str:
    chars = max(30, int(fig.get_figwidth() * 72 / (fontsize * 0.56)))
    return "\n".join(textwrap.fill(part, chars) for part in text.split("\n"))


def _titles(fig: Figure, ax: Axes, title: str, subtitle: str) -> None:
    size = mpl.rcParams["figure.titlesize"]
    fig.suptitle(_wrap(title, fig, size), x=0.0, ha="left", fontsize=size, fontweight="bold")
    if subtitle:
        ax.set_title(subtitle, loc="left", fontsize=9.5, color="#555555", pad=8)


def caption(fig_or_ax: Figure | Axes, sources: Iterable[Source], note: str = "") -> str:
    """Put ``note`` and ``Source: …`` (from the sources' provenance) under the figure; return the text.

    Calling it again replaces the caption. Space is reserved in the constrained layout so the
    caption never overlaps the axes, in notebooks and in saved files alike.
    """
    fig = fig_or_ax if isinstance(fig_or_ax, Figure) else fig_or_ax.get_figure(root=True)
    cited = provenance.caption(sources)
    text = "\n".join(part for part in (note, cited) if part)
    for old in [t for t in fig.texts if t.get_gid() == CAPTION_GID]:
        old.remove()
    if not text:
        return ""
    fontsize = 7.5
    wrapped = _wrap(text, fig, fontsize)
    lines = wrapped.count("\n") + 1
    fig.text(
        0.0,
        0.005,
        wrapped,
        ha="left",
        va="bottom",
        fontsize=fontsize,
        color="#555555",
        gid=CAPTION_GID,
        linespacing=1.3,
    )
    needed = (lines * fontsize * 1.3 + 6) / 72
    # Grow the figure by the caption's height so the plot keeps its size however long the sources are.
    base_height = getattr(fig, "_oilimpact_base_height", fig.get_figheight())
    fig._oilimpact_base_height = base_height  # type: ignore[attr-defined]
    fig.set_figheight(base_height + needed)
    share = needed / fig.get_figheight()
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, share, 1, 1 - share))
    return text


def caption_text(fig: Figure) -> str:
    """The caption :func:`caption` placed on ``fig`` (unwrapped), or ``""``."""
    for text in fig.texts:
        if text.get_gid() == CAPTION_GID:
            return " ".join(text.get_text().split())
    return ""


def _months(index: Any) -> pd.DatetimeIndex:
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    return pd.DatetimeIndex(pd.to_datetime(index))


def _month(value: Any) -> pd.Timestamp:
    if isinstance(value, pd.Period):
        return value.to_timestamp()
    return pd.Timestamp(value)


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _thousands(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    formatter = FuncFormatter(lambda v, _pos: story.number(v, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _dodge(positions: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Spread sorted 1-D label positions at least ``gap`` apart, kept within [low, high]."""
    order = np.argsort(positions, kind="stable")
    placed = np.clip(np.asarray(positions, dtype=float)[order], low, high)
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    if len(placed) and placed[-1] > high:
        placed[-1] = high
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    result = np.empty_like(placed)
    result[order] = placed
    return result.tolist()


def _end_labels(ax: Axes, entries: list[tuple[pd.Timestamp, float, str, str]]) -> None:
    """Label lines at their right ends (x, y, text, colour), dodged so labels never overlap."""
    if not entries:
        return
    ax.figure.canvas.draw_idle()
    low, high = ax.get_ylim()
    gap = (high - low) * 0.055
    ys = _dodge([e[1] for e in entries], gap, low + gap / 2, high - gap / 2)
    for (x, _y, text, color), y in zip(entries, ys, strict=True):
        ax.annotate(
            text,
            xy=(x, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            color=color,
            annotation_clip=False,
        )


def _hline(
    ax: Axes, y: float, text: str, *, color: str = ACCENT, linestyle: Any = "--", where: str = "right"
) -> None:
    ax.axhline(y, color=color, linestyle=linestyle, linewidth=1.2, zorder=2)
    x = 1.0 if where == "right" else 0.0
    ax.annotate(
        text,
        xy=(x, y),
        xycoords=("axes fraction", "data"),
        xytext=(-2 if x else 2, 3),
        textcoords="offset points",
        ha="right" if x else "left",
        va="bottom",
        fontsize=8.5,
        color=color,
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def _events_key(ax: Axes, events: pd.DataFrame | None) -> str:
    """Numbered event markers along the bottom of ``ax``; returns the key for the caption."""
    if events is None or events.empty:
        return ""
    frame = events.assign(date=pd.to_datetime(events["date"], format="mixed"))
    frame = frame.sort_values("date", kind="stable")
    left, right = ax.get_xlim()
    xs = mdates.date2num(frame["date"])
    inside = (xs >= left) & (xs <= right)
    frame, xs = frame[inside], xs[inside]
    if frame.empty:
        return ""
    span = right - left
    fractions = [(x - left) / span for x in xs]
    placed = _dodge(fractions, 0.028, 0.01, 0.99)
    keys = []
    for number, (x, frac, (_, row)) in enumerate(zip(xs, placed, frame.iterrows(), strict=True), 1):
        ax.axvline(x, color=MUTED, linewidth=0.7, linestyle=(0, (2, 2)), zorder=1)
        ax.annotate(
            str(number),
            xy=(x, 0.93),
            xycoords=("data", "axes fraction"),
            xytext=(left + frac * span, 0.985),
            textcoords=("data", "axes fraction"),
            ha="center",
            va="top",
            fontsize=8,
            fontweight="bold",
            color=INK,
            bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": MUTED, "linewidth": 0.6},
            arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.6},
        )
        keys.append(f"({number}) {row['date']:%-d %b %Y}: {row['label']}")
    return "Events: " + "; ".join(keys) + "."


def _point_label(row: Mapping[str, Any], unit_prefix: str = "$") -> str:
    qualifier = str(row.get("qualifier") or "")
    sign = {
        "less than": "< ",
        "under": "< ",
        "below": "< ",
        "more than": "> ",
        "over": "> ",
        "above": "> ",
        "about": "≈ ",
        "around": "≈ ",
    }.get(qualifier.lower(), "")
    return f"{sign}{unit_prefix}{story._trim(float(row['value']), 2)}"


def _is_upper_bound(row: Mapping[str, Any]) -> bool:
    return str(row.get("qualifier") or "").lower() in {"less than", "under", "below"}


# --- timeline -----------------------------------------------------------------------------------


@_styled
def timeline(
    events: pd.DataFrame,
    sources: Iterable[Source],
    *,
    title: str | None = None,
    subtitle: str = "Dated events named in the articles, oldest first",
) -> Figure:
    """Events (columns ``date``, ``label``) as a dated list on a vertical line, one row each.

    Rows are evenly spaced so every label stays legible however the events cluster; a gap of more
    than a month between two events is written on the line (``5 months``), so the spacing never
    pretends to be to scale."""
    shown = [
        f"{pd.Timestamp(d):%b %Y}" if len(str(d)) == 7 else f"{pd.Timestamp(d):%-d %b %Y}"
        for d in events["date"]
    ]
    frame = events.assign(date=pd.to_datetime(events["date"], format="mixed"), shown=shown)
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    n = len(frame)
    fig, (ax,) = _new(height=max(3.0, 1.6 + 0.36 * n))
    if title is None:
        title = (
            f"{n} dated events, {frame['date'].iloc[0]:%B %Y} to {frame['date'].iloc[-1]:%-d %B %Y}"
            if n
            else "No dated events found"
        )
    _titles(fig, ax, title, subtitle)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.4, -0.6)
    spine_x = 0.03
    if n:
        ax.plot([spine_x, spine_x], [0, n - 1], color=MUTED, linestyle="-", linewidth=1.0, marker="")
        ax.plot([spine_x] * n, range(n), linestyle="", marker="o", color=INK, markersize=5, zorder=3)
    for i, row in frame.iterrows():
        ax.text(
            spine_x + 0.03,
            i,
            row["shown"],
            va="center",
            ha="left",
            fontsize=9,
            fontweight="bold",
            color=INK,
        )
        ax.text(
            spine_x + 0.19,
            i,
            textwrap.shorten(str(row["label"]), 95, placeholder="…"),
            va="center",
            ha="left",
            fontsize=9,
            color=INK,
        )
        if "source" in frame.columns:
            ax.text(0.995, i, str(row["source"]), va="center", ha="right", fontsize=7.5, color=MUTED)
        if i:
            days = (row["date"] - frame["date"].iloc[i - 1]).days
            if days > 31:
                months = round(days / 30.44)
                ax.text(
                    spine_x - 0.012,
                    i - 0.5,
                    f"{months} month{'s' if months != 1 else ''}",
                    va="center",
                    ha="right",
                    fontsize=7,
                    color=MUTED,
                    style="italic",
                )
    note = "Right-hand numbers: the article each event comes from (seeds/NNN_…)." if "source" in frame else ""
    caption(fig, sources, note)
    return fig


# --- headline figures ---------------------------------------------------------------------------


@_styled
def headline(
    points: pd.DataFrame,
    sources: Iterable[Source],
    *,
    budget: float | None = None,
    budget_label: str = "budget law assumes",
    what: str = "Urals",
    unit: str = "USD per barrel",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Bars from zero for the article's price figures (columns ``label``, ``value``, optional
    ``qualifier``), with the budget's price as a line. An upper bound ("less than $50") is hatched."""
    rows = [row for _, row in points.reset_index(drop=True).iterrows()]
    fig, (ax,) = _new(height=4.6, width=7.0)
    if title is None and rows:
        first, last = rows[0], rows[-1]
        verb = "rose" if last["value"] > first["value"] else "fell"
        from_text = ("under " if _is_upper_bound(first) else "") + story.usd(first["value"])
        title = f"{what} {verb} from {from_text} to {story.usd(last['value'])}"
        if budget is not None:
            gap = last["value"] - budget
            title += f", {story.usd(abs(gap))} {story.above_below(gap)} the budget's {story.usd(budget)}"
    _titles(fig, ax, title or "", subtitle or f"{what}, {unit}, as reported")
    positions = np.arange(len(rows))
    for x, row in zip(positions, rows, strict=True):
        bound = _is_upper_bound(row)
        ax.bar(
            x,
            row["value"],
            width=0.55,
            color="white" if bound else "#1f3b73",
            edgecolor="#1f3b73",
            hatch="///" if bound else None,
            linewidth=1.0,
            zorder=2,
        )
        ax.annotate(
            _point_label(row),
            xy=(x, row["value"]),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=12,
            fontweight="bold",
            color=INK,
        )
    ax.set_xticks(positions, [textwrap.fill(str(r["label"]), 22) for r in rows])
    ax.tick_params(axis="x", length=0)
    top = max([float(r["value"]) for r in rows] + [budget or 0.0])
    ax.set_ylim(0, top * 1.18)
    ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.set_ylabel(unit)
    if budget is not None:
        _hline(ax, budget, f"{budget_label} {story.usd(budget)}", where="left")
    note = ""
    if any(_is_upper_bound(r) for r in rows):
        note = "Hatched bar: an upper bound (the article says “less than”)."
    caption(fig, sources, note)
    return fig


# --- price paths --------------------------------------------------------------------------------


@_styled
def price_paths(
    paths: pd.DataFrame,
    sources: Iterable[Source],
    *,
    highlight: str | None = None,
    brent: pd.Series | None = None,
    budget_price: float | None = None,
    base_price: pd.Series | None = None,
    history_end: Any = None,
    points: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    caps: Mapping[str, float | pd.Series] | None = None,
    unit: str = "USD per barrel",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Monthly Urals paths, one column per scenario; ``highlight`` drawn bold with its Brent and the
    discount between them shaded. ``history_end`` (last actual month) draws the shared history once.
    ``points`` (date, value, label, qualifier) are article figures; ``events`` (date, label) are
    numbered markers; ``caps`` are price caps as constant values or monthly step series."""
    fig, (ax,) = _new(height=5.2)
    months = _months(paths.index)
    frame = paths.set_axis(months)
    highlight = highlight if highlight in frame.columns else frame.columns[0]
    cut = _month(history_end) if history_end is not None else None
    entries = []
    if cut is not None:
        hist = frame.loc[:cut, highlight]
        ax.plot(
            hist.index,
            hist.values,
            color=INK,
            linestyle="-",
            linewidth=2.2,
            marker="",
            label="Actual",
            zorder=5,
        )
        entries.append((hist.index[-1], float(hist.iloc[-1]), "", INK))
    future = frame.loc[cut:] if cut is not None else frame
    for i, name in enumerate(frame.columns):
        look = LOOKS[i % len(LOOKS)]
        bold = name == highlight
        ax.plot(
            future.index,
            future[name].values,
            color=ACCENT if bold else look.color,
            linestyle="-" if bold else look.linestyle,
            marker=look.marker,
            markersize=4 if bold else 3,
            markevery=1 if bold else 3,
            linewidth=2.6 if bold else 1.3,
            alpha=1.0 if bold else 0.9,
            zorder=6 if bold else 3,
            label=name,
        )
        entries.append(
            (
                future.index[-1],
                float(future[name].iloc[-1]),
                name.replace("_", " "),
                ACCENT if bold else look.color,
            )
        )
    if brent is not None:
        brent_line = brent.set_axis(_months(brent.index)).reindex(months)
        ax.plot(
            months,
            brent_line.values,
            color="#555555",
            linestyle=(0, (4, 2)),
            linewidth=1.2,
            marker="",
            zorder=4,
            label=f"Brent ({highlight})",
        )
        ax.fill_between(
            months,
            frame[highlight].values,
            brent_line.values,
            color=LIGHT,
            alpha=0.6,
            hatch="..",
            edgecolor="#bbbbbb",
            linewidth=0,
            zorder=1,
            label="Discount to Brent",
        )
        entries.append((months[-1], float(brent_line.iloc[-1]), "Brent", "#555555"))
    if base_price is not None:
        base = base_price.set_axis(_months(base_price.index)).reindex(months)
        ax.step(
            months,
            base.values,
            where="mid",
            color="#1f3b73",
            linestyle=(0, (6, 2)),
            linewidth=1.2,
            marker="",
            label="Budget-rule base price",
            zorder=2,
        )
    for i, (label, cap) in enumerate((caps or {}).items()):
        style = [(0, (1, 1)), (0, (3, 1, 1, 1)), (0, (8, 2))][i % 3]
        line = (
            cap.set_axis(_months(cap.index)).reindex(months).ffill()
            if isinstance(cap, pd.Series)
            else pd.Series(float(cap), index=months)
        )
        values = [story.usd(v) for v in dict.fromkeys(line.dropna())]
        ax.step(
            months,
            line.values,
            where="mid",
            color="#555555",
            linestyle=style,
            linewidth=1.2,
            marker="",
            label=f"{label} {' → '.join(values)}",
            zorder=2,
        )
    if budget_price is not None:
        _hline(ax, budget_price, f"budget law {story.usd(budget_price)}", where="left")
    if points is not None and not points.empty:
        for _, row in points.iterrows():
            when = pd.Timestamp(row["date"])
            bound = _is_upper_bound(row)
            ax.plot(
                [when],
                [row["value"]],
                linestyle="",
                marker="v" if bound else "D",
                markersize=9,
                color="white",
                markeredgecolor=INK,
                markeredgewidth=1.6,
                zorder=8,
            )
            ax.annotate(
                f"{_point_label(row)}: {textwrap.fill(str(row['label']), 26)}",
                xy=(when, row["value"]),
                xytext=(-8, 10 if not bound else -12),
                textcoords="offset points",
                ha="right",
                va="bottom" if not bound else "top",
                fontsize=8,
                color=INK,
                zorder=9,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            )
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.set_xlim(months[0] - pd.Timedelta(days=10), months[-1] + pd.Timedelta(days=10))
    _date_axis(ax)
    ax.set_ylabel(f"Urals, {unit}")
    ax.set_xlabel("Month")
    _end_labels(ax, [e for e in entries if e[2]])
    note = _events_key(ax, events)
    if title is None:
        avg = frame.loc[frame.index.year == months[-1].year, highlight].mean()
        name = highlight.replace("_", " ")
        title = f"In the {name} scenario Urals averages {story.usd(avg, 0)} in {months[-1].year}"
        if budget_price is not None:
            gap = avg - budget_price
            title += (
                f", {story.usd(abs(gap), 0)} {story.above_below(gap)} the budget's {story.usd(budget_price)}"
            )
    _titles(fig, ax, title, subtitle or f"Urals by scenario, monthly average, {unit}")
    handles, labels = ax.get_legend_handles_labels()
    scenario_names = {str(c) for c in frame.columns}
    keep = [(h, lbl) for h, lbl in zip(handles, labels, strict=True) if lbl not in scenario_names]
    if points is not None and not points.empty:
        keep.append(
            (
                mpl.lines.Line2D(
                    [],
                    [],
                    linestyle="",
                    marker="D",
                    markersize=7,
                    color="white",
                    markeredgecolor=INK,
                    markeredgewidth=1.4,
                ),
                "Article figure",
            )
        )
    if keep:
        ax.legend(
            *zip(*keep, strict=True),
            loc="upper left",
            bbox_to_anchor=(0.0, -0.12),
            ncols=min(len(keep), 3),
            fontsize=8,
        )
    caption(fig, sources, note)
    return fig


# --- revenue, backtest, deficit -----------------------------------------------------------------


@_styled
def revenue_vs_plan(
    monthly: pd.Series,
    sources: Iterable[Source],
    *,
    plan: pd.Series | float | None = None,
    prior_year: pd.Series | None = None,
    actual: pd.Series | None = None,
    scenario: str = "scenario",
    unit: str = "bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Monthly oil & gas revenue of a scenario (bars from zero) against the law's plan (step line),
    the same month a year earlier (open circles) and actual receipts (filled diamonds)."""
    months = _months(monthly.index)
    values = monthly.set_axis(months)
    fig, (ax,) = _new(height=4.8)
    ax.bar(
        months,
        values.values,
        width=20,
        color="#9db3d6",
        edgecolor="#1f3b73",
        linewidth=0.6,
        label=f"{scenario.replace('_', ' ')}: actual where published, else model",
        zorder=2,
    )
    if plan is not None:
        if isinstance(plan, pd.Series):
            plan_line = plan.set_axis(_months(plan.index)).reindex(months)
        else:
            plan_line = pd.Series(float(plan), index=months)
        edges = list(months - pd.Timedelta(days=14)) + [months[-1] + pd.Timedelta(days=14)]
        ax.stairs(
            plan_line.values,
            edges,
            baseline=None,
            color=ACCENT,
            linestyle="--",
            linewidth=1.6,
            label="Budget law plan (model at the law's price and rate)",
            zorder=4,
        )
    if prior_year is not None:
        prior = prior_year.set_axis(_months(prior_year.index) + pd.DateOffset(years=1)).reindex(months)
        ax.plot(
            months,
            prior.values,
            linestyle="",
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=INK,
            markeredgewidth=1.2,
            label="Same month a year earlier (actual)",
            zorder=5,
        )
    if actual is not None and not actual.dropna().empty:
        act = actual.dropna()
        ax.plot(
            _months(act.index),
            act.values,
            linestyle="",
            marker="D",
            markersize=6,
            color=INK,
            label="Actual receipts",
            zorder=6,
        )
    ax.set_ylim(bottom=0)
    _date_axis(ax)
    _thousands(ax)
    ax.set_ylabel(f"Oil & gas revenue, {unit}")
    ax.set_xlabel("Month of receipt")
    ax.legend(loc="upper left", ncols=2, fontsize=8)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.18)
    if title is None:
        total = values.loc[values.index.year == months[-1].year].sum()
        name = scenario.replace("_", " ")
        title = f"{months[-1].year} oil & gas revenue: {story.bn_rub(total)} in the {name} scenario"
        if plan is not None:
            planned = plan_line.loc[plan_line.index.year == months[-1].year].sum()
            gap = total - planned
            title += f", {story.bn_rub(abs(gap))} {story.above_below(gap)} plan"
    _titles(fig, ax, title, subtitle or f"Federal oil & gas revenue by month of receipt, {unit}")
    caption(fig, sources)
    return fig


@_styled
def backtest(
    frame: pd.DataFrame,
    sources: Iterable[Source],
    *,
    actual: str = "actual",
    model: str = "model",
    out_of_sample: Sequence[Any] = (),
    unit: str = "bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Model vs actual monthly revenue; months in ``out_of_sample`` are shaded and their errors
    printed on the chart."""
    months = _months(frame.index)
    data = frame.set_axis(months)
    fig, (ax,) = _new(height=4.6)
    ax.plot(months, data[actual].values, color=INK, linestyle="-", marker="o", label="Actual")
    ax.plot(
        months,
        data[model].values,
        color=ACCENT,
        linestyle="--",
        marker="s",
        markerfacecolor="white",
        label="Model",
    )
    oos = [_month(m) for m in out_of_sample]
    errors = []
    for month in oos:
        ax.axvspan(
            month - pd.Timedelta(days=15),
            month + pd.Timedelta(days=15),
            facecolor=LIGHT,
            alpha=0.7,
            hatch="//",
            edgecolor="#bbbbbb",
            linewidth=0,
            zorder=0,
        )
        row = data.loc[month]
        error = (row[model] - row[actual]) / row[actual] * 100
        errors.append((month, error))
        ax.annotate(
            story.percent(error, 0, signed=True),
            xy=(month, row[model]),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=8.5,
            color=ACCENT,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
    if oos:
        ax.annotate(
            "out of sample",
            xy=(oos[0] - pd.Timedelta(days=15), 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-3, -2),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.set_ylim(bottom=0)
    _date_axis(ax)
    _thousands(ax)
    ax.set_ylabel(f"Oil & gas revenue, {unit}")
    ax.set_xlabel("Month of receipt")
    ax.legend(loc="lower left", ncols=2)
    if title is None:
        if errors:
            parts = [f"{m:%B %Y} by {story.percent(abs(e), 0)}" for m, e in errors]
            title = "Out of sample the model misses " + " and ".join(parts)
        else:
            fit = (data[model] - data[actual]).abs().mean()
            title = f"The model is off by {story.bn_rub(fit)} a month on average"
    _titles(fig, ax, title, subtitle or f"Monthly oil & gas revenue, model vs actual, {unit}")
    caption(fig, sources)
    return fig


@_styled
def deficit_nwf(
    deficit: pd.DataFrame,
    nwf: pd.DataFrame,
    sources: Iterable[Source],
    *,
    highlight: str | None = None,
    law_deficit: float | None = None,
    unit: str = "bn RUB",
    title: str | None = None,
    top_label: str = "Cumulative deficit",
) -> Figure:
    """Two panels sharing the month axis: cumulative deficit and NWF liquid balance, one column per
    scenario (``highlight`` bold), with the law's full-year deficit as a line."""
    fig, (top, bottom) = _new(2, height=6.6, sharex=True)
    highlight = highlight if highlight in deficit.columns else deficit.columns[0]
    for ax, frame, label in ((top, deficit, top_label), (bottom, nwf, "NWF liquid assets")):
        data = frame.set_axis(_months(frame.index))
        entries = []
        for i, name in enumerate(data.columns):
            look = LOOKS[i % len(LOOKS)]
            bold = name == highlight
            ax.plot(
                data.index,
                data[name].values,
                color=ACCENT if bold else look.color,
                linestyle="-" if bold else look.linestyle,
                marker=look.marker,
                markersize=4 if bold else 3,
                linewidth=2.6 if bold else 1.2,
                zorder=5 if bold else 3,
            )
            entries.append(
                (
                    data.index[-1],
                    float(data[name].iloc[-1]),
                    name.replace("_", " "),
                    ACCENT if bold else look.color,
                )
            )
        ax.set_ylabel(f"{label},\n{unit}")
        _thousands(ax)
        lo, hi = ax.get_ylim()
        ax.set_ylim(min(0.0, lo), max(0.0, hi) * 1.05)
        ax.axhline(0, color=INK, linewidth=0.8)
        _end_labels(ax, entries)
    if law_deficit is not None:
        _hline(top, law_deficit, f"budget law, full year: {story.bn_rub(law_deficit)}", where="left")
        top.set_ylim(top=max(top.get_ylim()[1], law_deficit * 1.12))
    _date_axis(bottom)
    bottom.set_xlabel("Month")
    end_def = float(deficit[highlight].iloc[-1])
    end_nwf = float(nwf[highlight].iloc[-1])
    if title is None:
        title = (
            f"{highlight.replace('_', ' ').capitalize()}: deficit reaches {story.bn_rub(end_def)} "
            f"and the NWF ends at {story.bn_rub(end_nwf)}"
        )
    _titles(fig, top, title, f"Top: {top_label.lower()}. Bottom: NWF liquid assets. By scenario, {unit}")
    caption(fig, sources)
    return fig


# --- waterfall, tornado, heatmap ----------------------------------------------------------------


@_styled
def waterfall(
    steps: pd.Series,
    sources: Iterable[Source],
    *,
    total_label: str = "Total change",
    unit: str = "bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """The change against a reference split into effects (a Series label → value) that add up to the
    total bar. Increases are solid, decreases hatched; the axis includes zero."""
    labels = [str(i) for i in steps.index] + [total_label]
    values = steps.astype(float).to_numpy()
    total = float(values.sum())
    starts = np.concatenate([[0.0], np.cumsum(values)[:-1]])
    fig, (ax,) = _new(height=4.6)
    for i, (start, value) in enumerate(zip(starts, values, strict=True)):
        up = value >= 0
        ax.bar(
            i,
            value,
            bottom=start,
            width=0.6,
            color="#1f3b73" if up else "white",
            edgecolor="#1f3b73",
            hatch=None if up else "///",
            linewidth=1.0,
            zorder=2,
        )
        if i + 1 < len(values):
            ax.plot(
                [i + 0.3, i + 0.7], [start + value] * 2, color=MUTED, linestyle="-", linewidth=0.8, marker=""
            )
        ax.annotate(
            story.number(value, 0, signed=True),
            xy=(i, max(start, start + value)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    n = len(values)
    ax.bar(
        n,
        total,
        width=0.6,
        color=ACCENT if total >= 0 else "white",
        edgecolor=ACCENT,
        hatch=None if total >= 0 else "xx",
        linewidth=1.2,
        zorder=2,
    )
    ax.annotate(
        story.number(total, 0, signed=True),
        xy=(n, max(0.0, total)),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
    )
    ax.axhline(0, color=INK, linewidth=0.9)
    ax.set_xticks(range(n + 1), [textwrap.fill(lbl, 14) for lbl in labels])
    ax.tick_params(axis="x", length=0)
    lo, hi = ax.get_ylim()
    ax.set_ylim(min(lo, 0) * 1.1, max(hi, 0) * 1.12 + (hi - lo) * 0.02)
    _thousands(ax)
    ax.set_ylabel(f"Change, {unit}")
    if title is None:
        biggest = steps.astype(float).abs().idxmax()
        title = (
            f"{total_label}: {story.bn_rub(total, signed=True)}; the biggest part is "
            f"{biggest} ({story.bn_rub(float(steps[biggest]), signed=True)})"
        )
    _titles(fig, ax, title, subtitle or f"Contributions to the change, {unit}")
    ax.legend(
        handles=[
            Patch(facecolor="#1f3b73", edgecolor="#1f3b73", label="adds"),
            Patch(facecolor="white", edgecolor="#1f3b73", hatch="///", label="takes away"),
        ],
        loc="upper right",
        ncols=2,
    )
    caption(fig, sources)
    return fig


@_styled
def tornado(
    frame: pd.DataFrame,
    sources: Iterable[Source],
    *,
    label: str = "label",
    low: str = "low",
    high: str = "high",
    low_text: str | None = None,
    high_text: str | None = None,
    unit: str = "bn RUB",
    what: str = "2026 deficit",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Horizontal bars of the change in ``what`` when each lever moves to its low and high setting
    (columns ``low``/``high`` are changes vs the base case); widest bar on top. Low is hatched."""
    data = frame.assign(_range=(frame[high] - frame[low]).abs()).sort_values("_range", kind="stable")
    fig, (ax,) = _new(height=max(3.4, 1.8 + 0.5 * len(data)))
    ys = np.arange(len(data))
    ax.barh(
        ys,
        data[low].values,
        height=0.55,
        color="white",
        edgecolor="#1f3b73",
        hatch="///",
        label="lever at its low setting",
        zorder=2,
    )
    ax.barh(
        ys,
        data[high].values,
        height=0.55,
        color="#1f3b73",
        edgecolor="#1f3b73",
        label="lever at its high setting",
        zorder=2,
    )
    for y, (_, row) in zip(ys, data.iterrows(), strict=True):
        for column, text_column in ((low, low_text), (high, high_text)):
            value = float(row[column])
            text = story.number(value, 0, signed=True)
            if text_column:
                text = f"{row[text_column]}: {text}"
            ax.annotate(
                text,
                xy=(value, y),
                xytext=(4 if value >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if value >= 0 else "right",
                va="center",
                fontsize=8,
            )
    ax.axvline(0, color=INK, linewidth=0.9)
    ax.set_yticks(ys, [textwrap.fill(str(v), 24) for v in data[label]])
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    lo, hi = ax.get_xlim()
    span = hi - lo
    ax.set_xlim(lo - span * 0.25, hi + span * 0.25)
    _thousands(ax, "x")
    ax.set_xlabel(f"Change in {what} vs the scenario, {unit}")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), ncols=2, fontsize=8)
    if title is None and len(data):
        top = data.iloc[-1]
        title = (
            f"{top[label]} moves the {what} most: "
            f"{story.bn_rub(float(top[low]), signed=True)} to {story.bn_rub(float(top[high]), signed=True)}"
        )
    _titles(fig, ax, title or "", subtitle or f"Sensitivity of the {what} to each lever, {unit}")
    caption(fig, sources)
    return fig


@_styled
def heatmap(
    grid: pd.DataFrame,
    sources: Iterable[Source],
    *,
    placed: pd.DataFrame | None = None,
    highlight: str | None = None,
    reference: float | None = None,
    reference_label: str = "budget law",
    x_label: str = "RUB per USD",
    y_label: str = "Urals, USD per barrel",
    value_label: str = "2026 deficit, bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """A value over a grid (index = y values, columns = x values), labelled contours, the
    ``reference`` contour bold, and scenarios ``placed`` (columns name, x, y) as labelled markers."""
    ys = grid.index.to_numpy(dtype=float)
    xs = grid.columns.to_numpy(dtype=float)
    z = grid.to_numpy(dtype=float)
    fig, (ax,) = _new(height=5.4, width=7.6)
    mesh = ax.pcolormesh(xs, ys, z, shading="nearest", cmap="cividis_r", rasterized=False)
    bar = fig.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label(value_label)
    bar.formatter = FuncFormatter(lambda v, _p: story.number(v, 0))
    bar.update_ticks()
    levels = MaxNLocator(8).tick_values(np.nanmin(z), np.nanmax(z))
    lines = ax.contour(xs, ys, z, levels=levels, colors="white", linewidths=0.6, alpha=0.9)
    ax.clabel(lines, fmt=lambda v: story.number(v, 0), fontsize=7, inline=True)
    if reference is not None and np.nanmin(z) < reference < np.nanmax(z):
        ref = ax.contour(xs, ys, z, levels=[reference], colors=INK, linewidths=2.0, linestyles="--")
        ax.clabel(ref, fmt=lambda v: f"{reference_label} {story.number(v, 0)}", fontsize=8)
    if placed is not None:
        # Scenarios at (nearly) the same point get their labels stacked downwards, highlight drawn last.
        span_x, span_y = float(np.ptp(xs)) or 1.0, float(np.ptp(ys)) or 1.0
        order = sorted(range(len(placed)), key=lambda k: placed.iloc[k]["name"] == highlight)
        labelled: list[tuple[float, float]] = []
        for i in order:
            row = placed.iloc[i]
            bold = row["name"] == highlight
            near = sum(
                abs(row["x"] - x) / span_x < 0.06 and abs(row["y"] - y) / span_y < 0.06 for x, y in labelled
            )
            labelled.append((row["x"], row["y"]))
            marker = LOOKS[i % len(LOOKS)].marker
            ax.plot(
                row["x"],
                row["y"],
                linestyle="",
                marker="*" if bold else marker,
                markersize=15 if bold else 8,
                color=ACCENT if bold else "white",
                markeredgecolor=INK,
                markeredgewidth=1.2,
                zorder=6,
            )
            ax.annotate(
                str(row["name"]).replace("_", " "),
                xy=(row["x"], row["y"]),
                xytext=(9, 4 - 13 * near),
                textcoords="offset points",
                fontsize=8.5,
                fontweight="bold" if bold else "normal",
                color=INK,
                zorder=7,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
    ax.grid(False)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if title is None:
        title = f"{value_label.split(',')[0]} across oil prices and exchange rates"
    _titles(fig, ax, title, subtitle or f"{value_label}; darker = larger")
    caption(fig, sources)
    return fig


# --- risk ---------------------------------------------------------------------------------------


@_styled
def fan(
    percentiles: pd.DataFrame,
    sources: Iterable[Source],
    *,
    history: pd.Series | None = None,
    budget_price: float | None = None,
    probability_above: float | None = None,
    unit: str = "USD per barrel",
    what: str = "Urals",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """A Monte Carlo fan: columns are percentiles (numbers, e.g. 5, 25, 50, 75, 95); the outer and
    inner bands are shaded (and hatched differently), the median a line, history solid black."""
    months = _months(percentiles.index)
    data = percentiles.set_axis(months)
    cols = sorted(data.columns, key=float)
    fig, (ax,) = _new(height=4.8)
    bands = (
        [(cols[0], cols[-1], "#c7d3e8", ".."), (cols[1], cols[-2], "#7f9cc8", None)]
        if len(cols) >= 5
        else [(cols[0], cols[-1], "#9fb4d6", None)]
    )
    for lo, hi, color, hatch in bands:
        ax.fill_between(
            months,
            data[lo].values,
            data[hi].values,
            color=color,
            hatch=hatch,
            edgecolor="#8fa5c8",
            linewidth=0,
            label=f"{float(lo):g}th–{float(hi):g}th percentile",
        )
    median = cols[len(cols) // 2]
    ax.plot(
        months,
        data[median].values,
        color="#1f3b73",
        linestyle="-",
        marker="",
        linewidth=2,
        label=f"Median ({float(median):g}th percentile)",
    )
    if history is not None:
        hist = history.set_axis(_months(history.index))
        ax.plot(
            hist.index,
            hist.values,
            color=INK,
            linestyle="-",
            marker="o",
            markersize=3,
            linewidth=1.8,
            label="Actual",
        )
    if budget_price is not None:
        _hline(ax, budget_price, f"budget law {story.usd(budget_price)}", where="left")
    ax.set_ylim(bottom=0)
    _date_axis(ax)
    ax.set_ylabel(f"{what}, {unit}")
    ax.set_xlabel("Month")
    ax.legend(loc="lower left", ncols=2, fontsize=8)
    if title is None:
        if probability_above is not None and budget_price is not None:
            title = (
                f"{story.percent(probability_above * 100, 0)} of simulated paths average above the "
                f"budget's {story.usd(budget_price)} in {months[-1].year}"
            )
        else:
            title = f"Simulated {what} paths"
    _titles(fig, ax, title, subtitle or f"Monte Carlo of {what}, monthly, {unit}")
    caption(fig, sources)
    return fig


@_styled
def histogram(
    values: Sequence[float] | np.ndarray | pd.Series,
    sources: Iterable[Source],
    *,
    reference: float | None = None,
    reference_label: str = "budget law",
    unit: str = "bn RUB",
    what: str = "2026 deficit",
    bins: int = 40,
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Distribution of simulated outcomes as share of paths (bars from zero); the part beyond
    ``reference`` is hatched and its probability stated."""
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    fig, (ax,) = _new(height=4.4)
    weights = np.full(len(data), 100.0 / max(len(data), 1))
    counts, edges = np.histogram(data, bins=bins, weights=weights)
    centres = (edges[:-1] + edges[1:]) / 2
    widths = np.diff(edges)
    beyond = centres > reference if reference is not None else np.zeros(len(centres), bool)
    ax.bar(
        centres[~beyond],
        counts[~beyond],
        width=widths[~beyond],
        color="#9db3d6",
        edgecolor="#1f3b73",
        linewidth=0.4,
        label=f"{what} at or below {reference_label}" if reference is not None else what,
    )
    if beyond.any():
        ax.bar(
            centres[beyond],
            counts[beyond],
            width=widths[beyond],
            color="white",
            edgecolor=ACCENT,
            hatch="///",
            linewidth=0.6,
            label=f"{what} above {reference_label}",
        )
    share = float((data > reference).mean() * 100) if reference is not None and len(data) else math.nan
    if reference is not None:
        ax.axvline(reference, color=ACCENT, linestyle="--", linewidth=1.4)
        ax.annotate(
            f"{reference_label} {story.number(reference, 0)}",
            xy=(reference, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=8.5,
            color=ACCENT,
        )
    ax.set_ylim(bottom=0)
    _thousands(ax, "x")
    ax.set_xlabel(f"{what}, {unit}")
    ax.set_ylabel("Share of simulated paths, %")
    ax.legend(loc="upper left", fontsize=8)
    if title is None:
        title = (
            f"In {story.percent(share, 0)} of simulated paths the {what} exceeds the {reference_label}"
            if reference is not None
            else f"Distribution of the {what}"
        )
    _titles(fig, ax, title, subtitle or f"Monte Carlo, {len(data):,} paths, {unit}")
    caption(fig, sources)
    return fig
