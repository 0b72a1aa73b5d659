"""The price-path chart: Urals and Brent history, scenario paths, article points, caps."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib as mpl
import matplotlib.lines
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure

from oilimpact import fmt
from oilimpact.charts.base import (
    ACCENT,
    INK,
    LIGHT,
    _date_axis,
    _end_labels,
    _events_key,
    _is_upper_bound,
    _month,
    _months,
    _new,
    _point_label,
    _styled,
    _titles,
    caption,
    scenario_looks,
)
from oilimpact.provenance import Source

REFERENCE = "#707070"  # the price caps: thin grey lines, labelled at their ends

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
    titles: Mapping[str, str] | None = None,
) -> Figure:
    """Monthly Urals paths, one column per scenario; ``highlight`` drawn bold with its Brent and the
    discount between them shaded; ``titles`` names the columns for the reader (else the name in words).
    ``history_end`` (last actual month) draws the shared history once. ``points`` (date, value, label,
    qualifier) are article figures; ``events`` (date, label) are numbered markers; ``caps`` are price
    caps as constant values or monthly step series."""
    fig, (ax,) = _new(height=5.2)
    months = _months(paths.index)
    frame = paths.set_axis(months)
    highlight = highlight if highlight in frame.columns else frame.columns[0]
    named = {name: (titles or {}).get(name, str(name).replace("_", " ")) for name in frame.columns}
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
    looks = scenario_looks(frame.columns)
    for name in frame.columns:
        look = looks[name]
        bold = name == highlight
        ax.plot(
            future.index,
            future[name].values,
            color=look.color,
            linestyle="-" if bold else look.linestyle,
            marker=look.marker,
            markersize=4.5 if bold else 3,
            markevery=1 if bold else 3,
            linewidth=3.0 if bold else 1.3,
            alpha=1.0 if bold else 0.9,
            zorder=6 if bold else 3,
            label=named[name],
            gid=f"scenario:{name}",
        )
        entries.append((future.index[-1], float(future[name].iloc[-1]), named[name], look.color))
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
            label=f"Brent ({named[highlight]})",
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
    # Reference lines are thin and labelled at their right ends with the scenarios (one dodged column); the
    # budget-rule base price is drawn only where it differs from the law's price and merged with it there.
    law_text = f"budget law {fmt.usd(budget_price)}" if budget_price is not None else ""
    if base_price is not None:
        base = base_price.set_axis(_months(base_price.index)).reindex(months)
        same = (base - budget_price).abs() < 1e-9 if budget_price is not None else base.isna()
        if budget_price is not None and bool(same.iloc[-1]):
            law_text = f"budget law and base price {fmt.usd(budget_price)}"
        shown = base.where(~same)
        if shown.notna().any():
            values = [fmt.usd(v) for v in dict.fromkeys(shown.dropna())]
            ax.step(
                months,
                shown.values,
                where="mid",
                color=ACCENT,
                linestyle=(0, (6, 2, 1, 2)),
                linewidth=0.9,
                marker="",
                label=f"Budget-rule base price {' → '.join(values)}",
                zorder=2,
            )
            if pd.notna(shown.iloc[-1]):
                entries.append((months[-1], float(shown.iloc[-1]), "base price", ACCENT))
    for i, (label, cap) in enumerate((caps or {}).items()):
        style = [(0, (1, 1)), (0, (3, 1, 1, 1)), (0, (8, 2))][i % 3]
        line = (
            cap.set_axis(_months(cap.index)).reindex(months).ffill()
            if isinstance(cap, pd.Series)
            else pd.Series(float(cap), index=months)
        )
        values = [fmt.usd(v) for v in dict.fromkeys(line.dropna())]
        ax.step(
            months,
            line.values,
            where="mid",
            color=REFERENCE,
            linestyle=style,
            linewidth=0.9,
            marker="",
            label=f"{label} {' → '.join(values)}",
            zorder=2,
        )
        if pd.notna(line.iloc[-1]):
            entries.append((months[-1], float(line.iloc[-1]), f"{label} {fmt.usd(line.iloc[-1])}", REFERENCE))
    if budget_price is not None:
        ax.axhline(budget_price, color=ACCENT, linestyle="--", linewidth=1.0, zorder=2)
        entries.append((months[-1], float(budget_price), law_text, ACCENT))
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
        title = f"In the {named[highlight]} scenario Urals averages {fmt.usd(avg, 0)} in {months[-1].year}"
        if budget_price is not None:
            gap = avg - budget_price
            title += (
                f", {fmt.usd(abs(gap), 0)} {fmt.above_below(gap)} the budget's {fmt.usd(budget_price)}"
            )
    _titles(fig, ax, title, subtitle or f"Urals by scenario, monthly average, {unit}")
    handles, labels = ax.get_legend_handles_labels()
    labelled_at_end = {e[2] for e in entries} | set(named.values())
    keep = [(h, lbl) for h, lbl in zip(handles, labels, strict=True) if lbl.split(" $")[0] not in
            {t.split(" $")[0] for t in labelled_at_end}]
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
