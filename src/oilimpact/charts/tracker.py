"""The monthly tracker's lead chart: the year's published receipts against the law's plan and the same
month a year earlier, with the running gap."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from oilimpact import fmt
from oilimpact.charts.base import (
    ACCENT,
    INK,
    _date_axis,
    _months,
    _new,
    _styled,
    _thousands,
    _titles,
    caption,
)
from oilimpact.provenance import Source


@_styled
def year_to_date(
    receipts: pd.Series,
    plan: pd.Series,
    year_earlier: pd.Series,
    sources: Iterable[Source],
    *,
    unit: str = "bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Bars: published receipts (months without them left empty); dashes: the law's monthly plan; open
    circles: the same month a year earlier; the line on the right axis: the gap to plan so far."""
    months = _months(plan.index)
    got = receipts.set_axis(months)
    planned = plan.set_axis(months)
    earlier = year_earlier.set_axis(months)
    fig, (ax,) = _new(height=4.2)
    ax.bar(months, got.fillna(0).values, width=20, color="#1f3b73", label="Published receipts", zorder=2)
    ax.plot(
        months,
        planned.values,
        linestyle="",
        marker="_",
        markersize=16,
        markeredgewidth=2.2,
        color=ACCENT,
        label="The law's monthly plan",
        zorder=4,
    )
    ax.plot(
        months,
        earlier.values,
        linestyle="",
        marker="o",
        markersize=6,
        markerfacecolor="white",
        markeredgecolor=INK,
        markeredgewidth=1.2,
        label="Same month a year earlier",
        zorder=5,
    )
    published = got.notna().to_numpy()
    gap = (got - planned).where(published).cumsum()
    ax.set_ylim(bottom=0, top=max(np.nanmax(planned.values), np.nanmax(earlier.values)) * 1.25)
    _date_axis(ax)
    _thousands(ax)
    ax.set_ylabel(f"Oil & gas revenue, {unit}")
    ax.set_xlabel("Month of receipt")
    ax.legend(loc="upper left", ncols=3, fontsize=8)
    if published.any():
        last = gap.dropna()
        ax.annotate(
            f"gap so far {fmt.bn_rub(float(last.iloc[-1]), signed=True)}",
            (last.index[-1], float(got.dropna().iloc[-1])),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=8,
            color=INK,
        )
    if title is None:
        if published.any():
            last_month = got.dropna().index[-1]
            total = float(gap.dropna().iloc[-1])
            title = (
                f"To {last_month:%B %Y}, oil & gas receipts are {fmt.bn_rub(abs(total))} "
                f"{'below' if total < 0 else 'above'} the law's plan"
            )
        else:
            title = "No month of the year has published receipts yet"
    _titles(
        fig,
        ax,
        title,
        subtitle
        or f"Federal oil & gas revenue by month of receipt, {unit}: published "
        "months against the law's plan and a year earlier",
    )
    caption(fig, sources)
    return fig
