"""The numbers a chart draws, read back from its artists, and the notebook hook that ships them.

:func:`figure_table` turns a house chart into one long table — series, x, value (and unit) — from
what is on its axes: lines and steps, bars (vertical and horizontal), step patches, scatter points,
shaded bands (a lower and an upper row per x) and heatmap cells (with their y). It reads what was
drawn, so it cannot drift from the picture. :func:`register` makes every Figure and DataFrame shown
in a notebook carry its table under :data:`oilimpact.dataset.MIME_TYPE` in the same output, which the
render step turns into CSV (:mod:`oilimpact.report.datapackage`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Iterator
from typing import Any

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch
from matplotlib.text import Annotation

from oilimpact import dataset

SOURCES_ATTRIBUTE = "_oilimpact_sources"


def _is_date_axis(axis: Any) -> bool:
    converter = axis.get_converter()
    return converter is not None and "date" in type(converter).__name__.lower()


def _categories(axis: Any) -> dict[float, str]:
    """Positions → labels of a categorical axis (strings plotted) or of integer tick labels set by hand."""
    units = axis.get_units()
    mapping = getattr(units, "_mapping", None)
    if mapping:
        return {float(v): str(k) for k, v in mapping.items()}
    locations = [float(loc) for loc in axis.get_ticklocs()]
    if locations != [float(i) for i in range(len(locations))]:  # labelled rows 0, 1, 2 … (barh, tornado)
        return {}
    labels = dict(zip(locations, (label.get_text() for label in axis.get_ticklabels()), strict=False))
    return labels if any(labels.values()) else {}


def _x_values(values: Any, axis: Any) -> list[Any]:
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return [pd.Timestamp(v).date() for v in array]
    if array.dtype == object and len(array) and isinstance(array[0], dt.date | pd.Timestamp | pd.Period):
        return [pd.Timestamp(v.to_timestamp() if isinstance(v, pd.Period) else v).date() for v in array]
    if array.dtype.kind in "fiu" and _is_date_axis(axis):
        return [mdates.num2date(float(v)).date() for v in array]
    categories = _categories(axis)
    if categories and array.dtype.kind in "fiu":
        return [categories.get(float(v), float(v)) for v in array]
    return list(array)


def _unit(label: str) -> str:
    """The unit an axis label ends in ("Oil & gas revenue, bn RUB" → "bn RUB"), else the label."""
    text = " ".join(label.split())
    return text.rsplit(", ", 1)[-1] if ", " in text else text


def _series(ax: Axes) -> Iterator[tuple[str, list[Any], list[Any], list[Any] | None]]:
    """(label, xs, values, ys or None) for every labelled thing drawn on ``ax``; reference lines (two
    points) and unlabelled helpers are left out, bars and heatmaps are kept labelled or not."""
    for line in ax.get_lines():
        label = str(line.get_label())
        x, y = np.asarray(line.get_xdata(), dtype=object), np.asarray(line.get_ydata(), dtype=object)
        if label.startswith("_"):  # a line labelled at its end, not in a legend; else a helper
            label = _end_label(ax, line) if len(x) > 2 else ""
        if not label or len(x) < 1 or len(x) != len(y):
            continue
        yield label, _x_values(line.get_xdata(), ax.xaxis), list(y), None
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        label = str(container.get_label())
        label = "bars" if label.startswith("_") else label
        horizontal = container.orientation == "horizontal"
        positions, values = [], []
        for patch in container.patches:
            if horizontal:
                positions.append(patch.get_y() + patch.get_height() / 2)
                values.append(patch.get_width())
            else:
                positions.append(patch.get_x() + patch.get_width() / 2)
                values.append(patch.get_height())
        axis = ax.yaxis if horizontal else ax.xaxis
        yield label, _x_values(np.asarray(positions, dtype=float), axis), values, None
    for patch in ax.patches:
        if isinstance(patch, StepPatch) and not str(patch.get_label()).startswith("_"):
            values, edges, _baseline = patch.get_data()
            starts = _x_values(np.asarray(edges[:-1], dtype=float), ax.xaxis)
            yield str(patch.get_label()), starts, list(values), None
    for collection in ax.collections:
        label = str(collection.get_label())
        if isinstance(collection, QuadMesh):
            coords = collection.get_coordinates()
            centres = (coords[:-1, :-1] + coords[1:, 1:]) / 2
            z = np.asarray(collection.get_array()).reshape(centres.shape[:2])
            xs = _x_values(centres[..., 0].ravel(), ax.xaxis)
            ys = _x_values(centres[..., 1].ravel(), ax.yaxis)
            yield ("cells" if label.startswith("_") else label), xs, list(z.ravel()), ys
        elif label.startswith("_"):
            continue
        elif isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets())
            if len(offsets):
                yield label, _x_values(offsets[:, 0], ax.xaxis), list(offsets[:, 1]), None
        elif isinstance(collection, PolyCollection):  # a shaded band: its lower and upper edge per x
            for lower, upper in (_band(path.vertices) for path in collection.get_paths()):
                if lower:
                    xs = [x for x, _ in lower]
                    yield f"{label} (lower)", _x_values(np.asarray(xs), ax.xaxis), [v for _, v in lower], None
                    yield f"{label} (upper)", _x_values(np.asarray(xs), ax.xaxis), [v for _, v in upper], None


def _as_number(value: Any) -> float:
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return float(mdates.date2num(pd.Timestamp(value)))
    return float(value)


def _end_label(ax: Axes, line: Any) -> str:
    """The text written at the right end of a line without a legend entry: an annotation in the line's
    colour at its last x (the nearest in y when several are), or ``""``."""
    color = mcolors.to_hex(line.get_color())
    try:
        last_x, last_y = _as_number(line.get_xdata()[-1]), float(line.get_ydata()[-1])
    except (TypeError, ValueError, IndexError):
        return ""
    found = []
    for text in ax.texts:
        if not isinstance(text, Annotation) or not text.get_text().strip():
            continue
        if mcolors.to_hex(text.get_color()) != color:
            continue
        try:
            x, y = _as_number(text.xy[0]), float(text.xy[1])
        except (TypeError, ValueError):
            continue
        if abs(x - last_x) < 1e-6:
            found.append((abs(y - last_y), " ".join(text.get_text().split())))
    return min(found)[1] if found else ""


def _band(vertices: np.ndarray) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    points: dict[float, list[float]] = {}
    for x, y in vertices:
        if np.isfinite(x) and np.isfinite(y):
            points.setdefault(float(x), []).append(float(y))
    xs = sorted(points)
    return [(x, min(points[x])) for x in xs], [(x, max(points[x])) for x in xs]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 6) if np.isfinite(number) else None


def figure_table(fig: Figure) -> dataset.Table:
    """The numbers ``fig`` draws as one long table: ``series``, ``x`` (``y`` for a heatmap),
    ``value`` and ``unit`` (the axis' unit); titled by the chart's title, its sources those the
    caption cites."""
    rows: list[tuple[Any, ...]] = []
    with_y = False
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    drawn = [list(_series(ax)) for ax in panels]
    for n, (ax, series) in enumerate(zip(panels, drawn, strict=True)):
        horizontal = any(isinstance(c, BarContainer) and c.orientation == "horizontal" for c in ax.containers)
        axis_label = " ".join((ax.get_xlabel() if horizontal else ax.get_ylabel()).split())
        unit = _unit(axis_label)
        # In a chart of several panels a series is named after its panel ("NWF liquid assets: …") when
        # the axis says what it shows, or when the same name is drawn in another panel.
        elsewhere = {s[0] for m, other in enumerate(drawn) if m != n for s in other}
        clash = any(s[0] in elsewhere for s in series)
        panel = axis_label.rsplit(", ", 1)[0] if len(panels) > 1 and (", " in axis_label or clash) else ""
        for label, xs, values, ys in series:
            label = f"{panel}: {label}" if panel else label
            if ys is not None:
                with_y = True
                unit = _colorbar_unit(fig) or unit
            for i, (x, value) in enumerate(zip(xs, values, strict=True)):
                y = ys[i] if ys is not None else None
                rows.append((" ".join(label.split()), x, y, _number(value), unit))
    columns = ["series", "x", "y", "value", "unit"]
    if not with_y:
        columns.remove("y")
        rows = [(s, x, v, u) for s, x, _y, v, u in rows]
    units = {row[-1] for row in rows}
    fields, cells = dataset.typed_rows(columns, rows, {"value": units.pop() if len(units) == 1 else ""})
    if panels:  # what x and y are, as the (first) chart's axes say
        horizontal = any(isinstance(c, BarContainer) and c.orientation == "horizontal"
                         for c in panels[0].containers)
        axis_titles = {"x": panels[0].get_ylabel() if horizontal else panels[0].get_xlabel(),
                       "y": panels[0].get_ylabel()}
        fields = tuple(dataclasses.replace(f, title=" ".join(axis_titles.get(f.name, "").split()))
                       for f in fields)
    title = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    subtitle = next((ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")), "")
    return dataset.Table(
        name=fig.get_label() or "chart", title=" ".join(str(title).split()) or "Chart", kind="chart",
        fields=fields, rows=cells, sources=dataset.cite(getattr(fig, SOURCES_ATTRIBUTE, ())),
        description=" ".join(subtitle.split()),
    )


def _colorbar_unit(fig: Figure) -> str:
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            return _unit(ax.get_ylabel() or ax.get_xlabel())
    return ""


def _frame_payload(frame: pd.DataFrame) -> dict[str, Any] | None:
    return _guarded(lambda: dataset.frame_table(frame, kind="table").payload(), "table")


def _figure_payload(fig: Figure) -> dict[str, Any] | None:
    return _guarded(lambda: figure_table(fig).payload(), f"chart {fig.get_label() or ''}".strip())


def _guarded(make: Any, what: str) -> dict[str, Any] | None:
    """The payload, or None with a warning (on stderr, which reports leave out) if it cannot be read:
    a chart is still shown without its data rather than with a traceback in the story."""
    try:
        return make()
    except Exception as exc:  # any failure to read a chart back must not break the cell
        warnings.warn(f"oilimpact: the data of this {what} could not be read ({type(exc).__name__}: {exc})",
                      stacklevel=2)
        return None


def register(shell: Any) -> None:
    """Make ``shell`` (IPython) add the table of every Figure and DataFrame it shows to that output."""
    from IPython.core.formatters import BaseFormatter  # here, for start-up speed: only a kernel needs it
    from traitlets import ObjectName, Unicode

    class TableFormatter(BaseFormatter):
        format_type = Unicode(dataset.MIME_TYPE)
        print_method = ObjectName("_repr_oilimpact_table_")
        _return_type = (dict,)

    formatters = shell.display_formatter.formatters
    if dataset.MIME_TYPE not in formatters:
        formatters[dataset.MIME_TYPE] = TableFormatter(parent=shell.display_formatter)
    formatter = formatters[dataset.MIME_TYPE]
    formatter.for_type(Figure, _figure_payload)
    formatter.for_type(pd.DataFrame, _frame_payload)
