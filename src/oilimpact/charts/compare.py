"""Two scenarios side by side: their price paths and their monthly oil and gas revenue, overlaid."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure

from oilimpact import fmt
from oilimpact.charts.base import (
    LOOKS,
    _date_axis,
    _months,
    _new,
    _styled,
    _thousands,
    _titles,
    caption,
    scenario_looks,
)
from oilimpact.provenance import Source


@_styled
def compare_paths(
    first: pd.DataFrame,
    second: pd.DataFrame,
    labels: tuple[str, str],
    sources: Iterable[Source],
    *,
    title: str | None = None,
    names: tuple[str, str] | None = None,
) -> Figure:
    """Two scenarios' monthly frames (``urals_usd_bbl``, ``brent_usd_bbl``, ``og_revenue_used_bn_rub``):
    Urals and Brent on top (Brent thin), oil and gas revenue below; the first scenario solid, the
    second dashed; with ``names`` (their scenario names) each in its scenario's own colour, as in every
    other chart, else in the first two looks. The title, when not given, states the gap in the last
    month's revenue."""
    fig, (top, bottom) = _new(2, height=6.4, sharex=True)
    looks = list(scenario_looks(names).values()) if names and names[0] != names[1] else list(LOOKS[:2])
    for frame, label, look, dash in ((first, labels[0], looks[0], "-"), (second, labels[1], looks[1], "--")):
        months = _months(frame.index)
        style = {"color": look.color, "linestyle": dash}
        top.plot(months, frame["urals_usd_bbl"], marker=look.marker, markersize=3, label=f"{label}: Urals",
                 **style)
        top.plot(months, frame["brent_usd_bbl"], linewidth=0.9, alpha=0.6, label=f"{label}: Brent", **style)
        bottom.plot(months, frame["og_revenue_used_bn_rub"], marker=look.marker, markersize=3, label=label,
                    **style)
    top.set_ylabel("USD per barrel")
    bottom.set_ylabel("bn RUB a month")
    _thousands(bottom)
    top.set_ylim(bottom=0)
    bottom.set_ylim(bottom=0)
    top.legend(loc="lower left", fontsize=8, ncols=2)
    bottom.legend(loc="lower left", fontsize=8)
    _date_axis(bottom)
    if title is None:
        gap = float(first["og_revenue_used_bn_rub"].iloc[-1] - second["og_revenue_used_bn_rub"].iloc[-1])
        month = _months(first.index)[-1].strftime("%B %Y")
        title = (f"{labels[0]} against {labels[1]}: {fmt.bn_rub(gap, signed=True)} of oil and gas revenue "
                 f"in {month}")
    _titles(fig, top, title, "Prices (USD per barrel) and oil and gas revenue (bn RUB a month) by month")
    caption(fig, sources)
    return fig
