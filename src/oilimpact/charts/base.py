"""The house chart style and the pieces every chart shares: set-up, saving, titles, captions, axes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.lines
import matplotlib.style
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from IPython import get_ipython
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter

from oilimpact import fmt, provenance
from oilimpact.charts.data import SOURCES_ATTRIBUTE
from oilimpact.charts.data import register as register_tables
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


# Lightness alternates dark/light and every line style differs, so series survive greyscale. None is
# ACCENT (the law's and the plan's lines), INK (history) or the greys of reference lines.
LOOKS: tuple[Look, ...] = (
    Look("#1f3b73", "-", "o"),
    Look("#e8a33d", "--", "s"),
    Look("#6a3d9a", ":", "^"),
    Look("#4aa3a2", "-.", "D"),
    Look("#8c564b", (0, (5, 1, 1, 1, 1, 1)), "v"),
    Look("#5f9e3a", (0, (1, 2)), "x"),
)

# Each preset scenario keeps its look in every chart and report, whichever one is highlighted (the
# highlighted one is drawn thicker, never in another colour). Other names take the looks left over.
SCENARIO_LOOKS: dict[str, Look] = {
    "budget_law": LOOKS[0],
    "pre_war": LOOKS[4],
    "war_premium": LOOKS[1],
    "hormuz_prolonged": LOOKS[2],
    "de_escalation": LOOKS[3],
    "sanctions_tighten": LOOKS[5],
}


def scenario_looks(names: Iterable[Any]) -> dict[Any, Look]:
    """The look of each scenario: a preset's own (:data:`SCENARIO_LOOKS`), any other name the first of
    :data:`LOOKS` no name here uses yet (cycling when all are taken)."""
    names = list(names)
    looks = {name: SCENARIO_LOOKS[str(name)] for name in names if str(name) in SCENARIO_LOOKS}
    spare = [look for look in LOOKS if look not in looks.values()] or list(LOOKS)
    others = [name for name in names if name not in looks]
    looks.update({name: spare[i % len(spare)] for i, name in enumerate(others)})
    return {name: looks[name] for name in names}

F = TypeVar("F", bound=Callable[..., Figure])


def setup() -> None:
    """Use the house style and show notebook figures as reproducible SVG (call once per notebook)."""
    mpl.style.use(STYLE)
    if get_ipython() is None:
        return
    # Imported here, for start-up speed and because importing the inline backend hooks it into IPython.
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata=_SAVE_METADATA["svg"])
    register_tables(get_ipython())


def _styled(function: F) -> F:
    """Draw inside the house style whether or not :func:`setup` ran."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.style.context(STYLE):
            fig = function(*args, **kwargs)
        fig.set_label(function.__name__)  # names the chart's data file (oilimpact.charts.data)
        return fig

    return wrapper  # type: ignore[return-value]


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as SVG, PDF or PNG (by suffix), byte-identical for identical figures."""
    path = Path(path)
    kind = path.suffix.lstrip(".").lower()
    with mpl.style.context(STYLE):
        fig.savefig(path, format=kind, metadata=_SAVE_METADATA.get(kind))
    return path


# --- shared pieces ------------------------------------------------------------------------------


def _new(nrows: int = 1, *, height: float | None = None, width: float = 8.0, **kwargs: Any):
    fig = Figure(figsize=(width, height or mpl.rcParams["figure.figsize"][1]), layout="constrained")
    axes = fig.subplots(nrows, 1, squeeze=False, **kwargs)[:, 0]
    return fig, axes


def _text_width(text: str, fontsize: float, weight: str = "normal") -> float:
    """The width of one line of ``text`` in points, as the house font draws it."""
    prop = FontProperties(family=mpl.rcParams["font.family"], size=fontsize, weight=weight)
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def _wrap(text: str, fig: Figure, fontsize: float, weight: str = "normal", share: float = 0.97) -> str:
    """``text`` broken on words so every line fits ``share`` of the figure's width (measured in the font,
    bold or not); a line break in ``text`` is kept."""
    room = fig.get_figwidth() * 72 * share
    lines = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _text_width(candidate, fontsize, weight) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _titles(fig: Figure, ax: Axes, title: str, subtitle: str) -> None:
    size = mpl.rcParams["figure.titlesize"]
    fig.suptitle(_wrap(title, fig, size, "bold"), x=0.0, ha="left", fontsize=size, fontweight="bold")
    if subtitle:
        # the subtitle starts at the axes' left edge, right of the tick labels
        ax.set_title(_wrap(subtitle, fig, 9.5, share=0.86), loc="left", fontsize=9.5, color="#555555", pad=8)


def caption(fig_or_ax: Figure | Axes, sources: Iterable[Source], note: str = "") -> str:
    """Put ``note`` and ``Source: …`` (from the sources' provenance) under the figure; return the text.

    Calling it again replaces the caption. Space is reserved in the constrained layout so the
    caption never overlaps the axes, in notebooks and in saved files alike.
    """
    fig = fig_or_ax if isinstance(fig_or_ax, Figure) else fig_or_ax.get_figure(root=True)
    sources = list(sources)
    setattr(fig, SOURCES_ATTRIBUTE, sources)  # the chart's data package cites them too
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
    formatter = FuncFormatter(lambda v, _pos: fmt.number(v, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _dodge(positions: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Spread 1-D label positions at least ``gap`` apart within [low, high], keeping their order and
    moving each as little as possible: labels that would overlap are set as one evenly spaced group
    centred on their own positions (least squares), so no label is pushed far from its point."""
    values = np.asarray(positions, dtype=float)
    order = np.argsort(values, kind="stable")
    targets = values[order]
    groups: list[list[int]] = []  # runs of sorted indices placed together

    def start(group: list[int]) -> float:
        offsets = targets[group] - gap * np.arange(len(group))
        top = high - gap * (len(group) - 1)
        return float(min(max(offsets.mean(), low), max(top, low)))

    for i in range(len(targets)):
        groups.append([i])
        while len(groups) > 1 and start(groups[-2]) + gap * len(groups[-2]) > start(groups[-1]) + 1e-9:
            last = groups.pop()
            groups[-1].extend(last)
    placed = np.empty_like(targets)
    for group in groups:
        placed[group] = start(group) + gap * np.arange(len(group))
    result = np.empty_like(placed)
    result[order] = placed
    return result.tolist()


def _end_labels(ax: Axes, entries: list[tuple[pd.Timestamp, float, str, str]]) -> None:
    """Label lines at their right ends (x, y, text, colour), dodged so labels never overlap; a label
    moved off its line's end is joined to it by a thin leader in the line's colour."""
    if not entries:
        return
    ax.figure.canvas.draw_idle()
    low, high = ax.get_ylim()
    # a label's height (8.5 pt and its leading) in data units, on the axes' height before the layout
    # shrinks it by about a fifth; never less than 4.5 % of the axis
    height_pt = ax.get_position().height * ax.figure.get_figheight() * 72 * 0.8
    gap = (high - low) * max(0.045, 11.5 / max(height_pt, 1.0))
    ys = _dodge([e[1] for e in entries], gap, low + gap / 2, high - gap / 2)
    moved = [abs(y - e[1]) > gap * 0.25 for e, y in zip(entries, ys, strict=True)]
    shift = 16 if any(moved) else 6
    for (x, y_end, text, color), y, leader in zip(entries, ys, moved, strict=True):
        at_label = mtransforms.offset_copy(ax.transData, fig=ax.figure, x=shift, y=0, units="points")
        ax.annotate(
            text,
            xy=(x, y_end),
            xytext=(ax.convert_xunits(x), y),
            textcoords=at_label,
            va="center",
            fontsize=8.5,
            color=color,
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": color, "linewidth": 0.6, "shrinkA": 1, "shrinkB": 2}
            if leader
            else None,
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
    return f"{sign}{unit_prefix}{fmt.trim(float(row['value']), 2)}"


def _is_upper_bound(row: Mapping[str, Any]) -> bool:
    return str(row.get("qualifier") or "").lower() in {"less than", "under", "below"}
