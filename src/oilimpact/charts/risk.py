"""Charts of the Monte Carlo: the fan of revenue paths and the histogram of the deficit."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from oilimpact import fmt
from oilimpact.charts.base import (
    ACCENT,
    INK,
    _date_axis,
    _hline,
    _months,
    _new,
    _styled,
    _thousands,
    _titles,
    caption,
)
from oilimpact.provenance import Source

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
        _hline(ax, budget_price, f"budget law {fmt.usd(budget_price)}", where="left")
    ax.set_ylim(bottom=0)
    _date_axis(ax)
    ax.set_ylabel(f"{what}, {unit}")
    ax.set_xlabel("Month")
    ax.legend(loc="lower left", ncols=2, fontsize=8)
    if title is None:
        if probability_above is not None and budget_price is not None:
            title = (
                f"{fmt.percent(probability_above * 100, 0)} of simulated paths average above the "
                f"budget's {fmt.usd(budget_price)} in {months[-1].year}"
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
            f"{reference_label} {fmt.number(reference, 0)}",
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
            f"In {fmt.percent(share, 0)} of simulated paths the {what} exceeds the {reference_label}"
            if reference is not None
            else f"Distribution of the {what}"
        )
    _titles(fig, ax, title, subtitle or f"Monte Carlo, {len(data):,} paths, {unit}")
    caption(fig, sources)
    return fig
