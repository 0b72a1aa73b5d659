"""The deficit map: a value over a grid of Urals price and rouble rate, labelled contours, the law's
contour bold, and the scenarios placed on it, none hidden under another."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from oilimpact import fmt
from oilimpact.charts.base import (
    ACCENT,
    INK,
    _dodge,
    _new,
    _styled,
    _titles,
    caption,
    scenario_looks,
)
from oilimpact.provenance import Source


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
    titles: Mapping[str, str] | None = None,
) -> Figure:
    """A value over a grid (index = y values, columns = x values), labelled contours, the
    ``reference`` contour bold, and scenarios ``placed`` (columns name, x, y) as labelled markers named
    by ``titles`` (else the name in words). Scenarios at (nearly) the same point are drawn side by side,
    each tied to the exact point by a thin line, their labels stacked in order; contour labels go where
    their line is farthest from the markers and labels."""
    ys = grid.index.to_numpy(dtype=float)
    xs = grid.columns.to_numpy(dtype=float)
    z = grid.to_numpy(dtype=float)
    fig, (ax,) = _new(height=5.4, width=7.6)
    mesh = ax.pcolormesh(xs, ys, z, shading="nearest", cmap="cividis_r", rasterized=False)
    bar = fig.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label(value_label)
    bar.formatter = FuncFormatter(lambda v, _p: fmt.number(v, 0))
    bar.update_ticks()
    levels = MaxNLocator(8).tick_values(np.nanmin(z), np.nanmax(z))
    lines = ax.contour(xs, ys, z, levels=levels, colors="white", linewidths=0.6, alpha=0.9)
    ax.autoscale_view()  # the limits the markers' places are measured in
    spots = _scenario_spots(ax, placed, highlight, titles) if placed is not None else []
    # contour labels where their line is farthest from every scenario's marker and label
    avoid = [(sx, sy) for spot in spots for sx, sy in spot["avoid"]]
    ax.clabel(lines, fmt=lambda v: fmt.number(v, 0), fontsize=7, inline=True,
              manual=_label_spots(ax, lines, avoid) if avoid else False)
    if reference is not None and np.nanmin(z) < reference < np.nanmax(z):
        ref = ax.contour(xs, ys, z, levels=[reference], colors=INK, linewidths=2.0, linestyles="--")
        ax.clabel(ref, fmt=lambda v: f"{reference_label} {fmt.number(v, 0)}", fontsize=8,
                  manual=_label_spots(ax, ref, avoid) if avoid else False)
    for spot in spots:
        row, bold = spot["row"], spot["bold"]
        ax.plot(
            row["x"],
            row["y"],
            linestyle="",
            marker="*" if bold else spot["marker"],
            markersize=15 if bold else 8,
            color=ACCENT if bold else "white",
            markeredgecolor=INK,
            markeredgewidth=1.2,
            zorder=7 if bold else 6,
            transform=spot["marker_at"],
        )
        if spot["moved"]:  # a thin line from the marker back to the scenario's exact point
            point = (row["x"], row["y"])
            ax.annotate("", xy=point, xytext=point, textcoords=spot["marker_at"],
                        arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.7, "shrinkA": 5,
                                    "shrinkB": 0}, zorder=5)
        ax.annotate(
            spot["text"],
            xy=(row["x"], row["y"]),
            xytext=spot["label_at"],
            textcoords="axes fraction",
            va="center",
            fontsize=8.5,
            fontweight="bold" if bold else "normal",
            color=INK,
            zorder=8,
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


# Near means closer than this share of the axes in both directions: markers would cover each other.
_NEAR = 0.045


def _scenario_spots(
    ax: Any, placed: pd.DataFrame, highlight: str | None, titles: Mapping[str, str] | None
) -> list[dict[str, Any]]:
    """Where each placed scenario's marker and label go: near points are grouped and their markers set
    side by side (12 points apart) around the group's place; labels right of the group, stacked in the
    points' order from the top and dodged against labels of other groups in reach."""
    to_axes = ax.transData + ax.transAxes.inverted()
    rows = [placed.iloc[k] for k in range(len(placed))]
    fractions = [tuple(to_axes.transform((float(r["x"]), float(r["y"])))) for r in rows]
    groups: list[list[int]] = []
    for k, (fx, fy) in enumerate(fractions):
        for group in groups:
            if any(abs(fx - fractions[j][0]) < _NEAR and abs(fy - fractions[j][1]) < _NEAR for j in group):
                group.append(k)
                break
        else:
            groups.append([k])
    looks = scenario_looks(str(r["name"]) for r in rows)
    spots: list[dict[str, Any]] = [{} for _ in rows]
    fig = ax.get_figure()
    width_in = fig.get_figwidth() * ax.get_position().width
    for group in groups:
        group.sort(key=lambda j: (-fractions[j][1], fractions[j][0]))  # top first, as the labels stack
        for place, j in enumerate(group):
            dx = (place - (len(group) - 1) / 2) * 12 if len(group) > 1 else 0.0
            row = rows[j]
            spots[j] = {
                "row": row,
                "bold": row["name"] == highlight,
                "marker": looks[str(row["name"])].marker,
                "marker_at": mtransforms.offset_copy(ax.transData, fig=fig, x=dx, y=0, units="points"),
                "moved": dx != 0,
                "text": (titles or {}).get(str(row["name"]), str(row["name"]).replace("_", " ")),
                "x": fractions[j][0] + ((len(group) - 1) * 6 + 10) / 72 / width_in,
                "y": fractions[j][1],
            }
    # labels dodged in y among those whose x is within reach of each other
    gap = 0.05
    order = sorted(range(len(rows)), key=lambda j: spots[j]["x"])
    reach: list[list[int]] = []
    for j in order:
        if reach and spots[j]["x"] - max(spots[i]["x"] for i in reach[-1]) < 0.25:
            reach[-1].append(j)
        else:
            reach.append([j])
    for members in reach:
        targets = [spots[j]["y"] for j in members]  # labels keep the order of their points' heights
        ys = _dodge(targets, gap, gap / 2, 1 - gap / 2)
        for j, y in zip(members, ys, strict=True):
            spots[j]["label_at"] = (spots[j]["x"], y)
            spots[j]["avoid"] = [fractions[j], (spots[j]["x"] + 0.08, y), (spots[j]["x"] + 0.16, y)]
    return spots


def _label_spots(ax: Any, contours: Any, avoid: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """One point per contour level, in data coordinates: the point of its line, away from the axes' edges
    (where a label would be cut), farthest from every point in ``avoid`` (axes fractions)."""
    to_axes = ax.transData + ax.transAxes.inverted()
    far = np.asarray(avoid, dtype=float)
    spots = []
    for path in contours.get_paths():
        vertices = np.asarray(path.vertices, dtype=float)
        if not len(vertices):
            continue
        fractions = to_axes.transform(vertices)
        # a label is centred on its point: keep it a label's half-width from the sides
        inside = (fractions[:, 0] > 0.12) & (fractions[:, 0] < 0.88) & (fractions[:, 1] > 0.08) & (
            fractions[:, 1] < 0.92)
        if not inside.any():
            continue
        distance = np.min(np.hypot(*(fractions[:, None, :] - far[None, :, :]).transpose(2, 0, 1)), axis=1)
        distance[~inside] = -1.0
        spots.append(tuple(vertices[int(np.argmax(distance))]))
    return spots
