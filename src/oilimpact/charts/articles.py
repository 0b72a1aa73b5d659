"""Charts of what the articles say: the timeline of dated events and the headline figures."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from oilimpact import fmt
from oilimpact.charts.base import (
    INK,
    MUTED,
    _hline,
    _is_upper_bound,
    _new,
    _point_label,
    _styled,
    _titles,
    caption,
)
from oilimpact.provenance import Source

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
    note = "Right-hand names: the article each event comes from (its outlet)." if "source" in frame else ""
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
        from_text = ("under " if _is_upper_bound(first) else "") + fmt.usd(first["value"])
        title = f"{what} {verb} from {from_text} to {fmt.usd(last['value'])}"
        if budget is not None:
            gap = last["value"] - budget
            title += f", {fmt.usd(abs(gap))} {fmt.above_below(gap)} the budget's {fmt.usd(budget)}"
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
        _hline(ax, budget, f"{budget_label} {fmt.usd(budget)}", where="left")
    note = ""
    if any(_is_upper_bound(r) for r in rows):
        note = "Hatched bar: an upper bound (the article says “less than”)."
    caption(fig, sources, note)
    return fig
