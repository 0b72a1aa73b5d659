"""Charts of the budget: revenue against plan, backtest, deficit and NWF, waterfall, tornado (the heatmap
is in charts.surface)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from oilimpact import fmt
from oilimpact.charts.base import (
    ACCENT,
    INK,
    LIGHT,
    MUTED,
    _date_axis,
    _end_labels,
    _hline,
    _month,
    _months,
    _new,
    _styled,
    _thousands,
    _titles,
    caption,
    scenario_looks,
)
from oilimpact.provenance import Source

# --- revenue, backtest, deficit -----------------------------------------------------------------


@_styled
def revenue_vs_plan(
    monthly: pd.Series,
    sources: Iterable[Source],
    *,
    plan: pd.Series | float | None = None,
    prior_year: pd.Series | None = None,
    actual: pd.Series | None = None,
    status: pd.Series | None = None,
    scenario: str = "scenario",
    unit: str = "bn RUB",
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Monthly oil & gas revenue of a scenario (bars from zero, shaded by ``status``: published, nowcast,
    scenario) against the law's plan (step line), the same month a year earlier (open circles) and actual
    receipts (filled diamonds)."""
    months = _months(monthly.index)
    values = monthly.set_axis(months)
    fig, (ax,) = _new(height=4.8)
    name = scenario.replace("_", " ")  # a scenario's title passes unchanged
    if status is None:
        status = pd.Series("scenario", index=monthly.index)
    kinds = status.set_axis(months).reindex(months).fillna("scenario")
    looks = {
        "published": ("#1f3b73", "#1f3b73", "", "published"),
        "nowcast": ("#c9d5ea", "#1f3b73", "////", "nowcast (inputs published, the same in every scenario)"),
        "scenario": ("#9db3d6", "#1f3b73", "", f"{name} scenario (model)"),
    }
    for kind, (face, edge, hatch, label) in looks.items():
        chosen = np.asarray(kinds == kind)
        if chosen.any():
            ax.bar(months[chosen], values.values[chosen], width=20, color=face, edgecolor=edge, hatch=hatch,
                   linewidth=0.6, label=label, zorder=2)
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
        title = f"{months[-1].year} oil & gas revenue: {fmt.bn_rub(total)} in the {name} scenario"
        if plan is not None:
            planned = plan_line.loc[plan_line.index.year == months[-1].year].sum()
            gap = total - planned
            title += f", {fmt.bn_rub(abs(gap))} {fmt.above_below(gap)} plan"
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
            fmt.percent(error, 1, signed=True),
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
            # one decimal and the sign (model above actual is +), as the report's text and table write it
            parts = [f"{m:%B %Y} by {fmt.percent(e, 1, signed=True)}" for m, e in errors]
            title = "Out of sample the model misses " + " and ".join(parts)
        else:
            fit = (data[model] - data[actual]).abs().mean()
            title = f"The model is off by {fmt.bn_rub(fit)} a month on average"
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
    titles: Mapping[str, str] | None = None,
) -> Figure:
    """Two panels sharing the month axis: cumulative deficit and NWF liquid balance, one column per
    scenario (each in its own look, ``highlight`` thicker), with the law's full-year deficit as a line;
    ``titles`` names the columns for the reader (else the name in words)."""
    fig, (top, bottom) = _new(2, height=6.6, sharex=True)
    highlight = highlight if highlight in deficit.columns else deficit.columns[0]
    named = {name: (titles or {}).get(name, str(name).replace("_", " ")) for name in deficit.columns}
    looks = scenario_looks(deficit.columns)
    for ax, frame, label in ((top, deficit, top_label), (bottom, nwf, "NWF liquid assets")):
        data = frame.set_axis(_months(frame.index))
        entries = []
        for name in data.columns:
            look = looks[name]
            bold = name == highlight
            ax.plot(
                data.index,
                data[name].values,
                color=look.color,
                linestyle="-" if bold else look.linestyle,
                marker=look.marker,
                markersize=4.5 if bold else 3,
                linewidth=3.0 if bold else 1.2,
                zorder=5 if bold else 3,
                gid=f"scenario:{name}",
            )
            entries.append((data.index[-1], float(data[name].iloc[-1]), named[name], look.color))
        ax.set_ylabel(f"{label},\n{unit}")
        _thousands(ax)
        lo, hi = ax.get_ylim()
        ax.set_ylim(min(0.0, lo), max(0.0, hi) * 1.05)
        ax.axhline(0, color=INK, linewidth=0.8)
        _end_labels(ax, entries)
    if law_deficit is not None:
        _hline(top, law_deficit, f"budget law, full year: {fmt.bn_rub(law_deficit)}", where="left")
        top.set_ylim(top=max(top.get_ylim()[1], law_deficit * 1.12))
    _date_axis(bottom)
    bottom.set_xlabel("Month")
    end_def = float(deficit[highlight].iloc[-1])
    end_nwf = float(nwf[highlight].iloc[-1])
    if title is None:
        title = (
            f"{named[highlight]}: deficit reaches {fmt.bn_rub(end_def)} "
            f"and the NWF ends at {fmt.bn_rub(end_nwf)}"
        )
    first_word = top_label.split(" ", 1)[0]
    lowered = top_label if first_word.isupper() else top_label[:1].lower() + top_label[1:]  # "O&G" stays
    _titles(fig, top, title, f"Top: {lowered}. Bottom: NWF liquid assets. By scenario, {unit}")
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
    total bar. Increases are solid, decreases hatched, the total dark grey (solid a gain, cross-hatched a
    loss); values are written beyond each bar's end, the legend sits under the axis; the axis includes
    zero."""
    labels = [str(i) for i in steps.index] + [total_label]
    values = steps.astype(float).to_numpy()
    total = float(values.sum())
    starts = np.concatenate([[0.0], np.cumsum(values)[:-1]])
    fig, (ax,) = _new(height=4.8)
    ends: list[tuple[float, float, bool]] = []  # (x, where the label goes, above the bar)
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
        ends.append((i, start + value, up))
    n = len(values)
    gain = total >= 0
    ax.bar(
        n,
        total,
        width=0.6,
        color=INK if gain else "white",
        edgecolor=INK,
        hatch=None if gain else "xx",
        linewidth=1.2,
        zorder=2,
    )
    ends.append((n, total, gain))
    for (x, y, above), value in zip(ends, [*values, total], strict=True):
        ax.annotate(
            fmt.number(value, 0, signed=True),
            xy=(x, y),
            xytext=(0, 3 if above else -3),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontsize=10 if x == n else 9,
            fontweight="bold" if x == n else "normal",
        )
    ax.axhline(0, color=INK, linewidth=0.9)
    ticks = [textwrap.fill(lbl, 14) for lbl in labels]
    ax.set_xticks(range(n + 1), ticks)
    ax.tick_params(axis="x", length=0)
    # Headroom on both sides for the value labels, from the bars themselves, so no label meets a title.
    tops = np.concatenate([starts, starts + values, [0.0, total]])
    lo, hi = float(tops.min()), float(tops.max())
    pad = (hi - lo or 1.0) * 0.13
    floor, ceiling = min(lo, 0.0), max(hi, 0.0)
    label_below = any(not above and y - floor < pad for _x, y, above in ends)
    label_above = any(above and ceiling - y < pad for _x, y, above in ends)
    ax.set_ylim(floor - pad * label_below, ceiling + pad * label_above)
    _thousands(ax)
    ax.set_ylabel(f"Change, {unit}")
    if title is None:
        biggest = steps.astype(float).abs().idxmax()
        title = (
            f"{total_label}: {fmt.bn_rub(total, signed=True)}; the biggest part is "
            f"{biggest} ({fmt.bn_rub(float(steps[biggest]), signed=True)})"
        )
    _titles(fig, ax, title, subtitle or f"Contributions to the change, {unit}")
    # Under the category labels (as many lines as the longest), clear of every bar.
    tick_lines = max(label.count("\n") + 1 for label in ticks)
    below = mtransforms.ScaledTranslation(0, -(8 + 12 * tick_lines) / 72, fig.dpi_scale_trans)
    ax.legend(
        handles=[
            Patch(facecolor="#1f3b73", edgecolor="#1f3b73", label="adds"),
            Patch(facecolor="white", edgecolor="#1f3b73", hatch="///", label="takes away"),
            Patch(
                facecolor=INK if gain else "white",
                edgecolor=INK,
                hatch=None if gain else "xx",
                label=f"{total_label} (the sum, {'a gain' if gain else 'a loss'})",
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=ax.transAxes + below,
        ncols=3,
        fontsize=8.5,
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
            text = fmt.number(value, 0, signed=True)
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
            f"{fmt.bn_rub(float(top[low]), signed=True)} to {fmt.bn_rub(float(top[high]), signed=True)}"
        )
    _titles(fig, ax, title or "", subtitle or f"Sensitivity of the {what} to each lever, {unit}")
    caption(fig, sources)
    return fig
