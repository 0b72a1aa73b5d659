"""One page per scenario grid, ``reports/grids/<grid>.html``, with its results as CSV and JSON.

Read from ``reports/manifest.json`` (the key results every report recorded, :mod:`oilimpact.results`):
the points of a grid are the entries with axis values on the same preset and the same axes. The page
shows the key results — 2026 oil and gas revenue, the gap to the law, the deficit in % of GDP, the
fund at the end of the year — as heatmaps over the axes (small multiples over a third axis and more),
each cell a link to its report; then an offline calculator: a select per axis picks the precomputed
point and shows its numbers (the numbers are the reports', formatted here; the script only looks
them up). One self-contained file, no model in JavaScript.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oilimpact import params
from oilimpact import presets as preset_file
from oilimpact.errors import OilImpactError
from oilimpact.project import atomic_write
from oilimpact.report.export import check_self_contained, format_result, page_html
from oilimpact.report.gridplan import format_value, named_grid

GRIDS_DIR = "grids"
KEY_RESULTS = ("og_revenue_2026_bn_rub", "og_gap_to_plan_bn_rub", "deficit_pct_gdp", "nwf_end_bn_rub")
"""Shown on a grid page when its notebooks record them; else the first four results recorded."""


@dataclass
class GridPoint:
    id: str
    values: tuple[float, ...]  # in the grid's axis order
    status: str = "ok"
    reports: dict[str, str] = field(default_factory=dict)  # notebook → its HTML, relative to reports/
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → value, unit, label, report


@dataclass
class GridData:
    preset: str
    axes: tuple[str, ...]
    points: dict[tuple[float, ...], GridPoint]
    title: str = ""

    @property
    def key(self) -> str:
        return f"{self.preset}@{','.join(self.axes)}"

    @property
    def slug(self) -> str:
        return ".".join((self.preset, *self.axes))

    def axis_values(self, i: int) -> list[float]:
        return sorted({values[i] for values in self.points})

    def shown(self) -> list[str]:
        """The result names the page shows."""
        recorded: dict[str, int] = {}
        for point in self.points.values():
            for name, result in point.results.items():
                recorded.setdefault(name, result.get("order", 0))
        key = [name for name in KEY_RESULTS if name in recorded]
        return key or sorted(recorded, key=recorded.__getitem__)[:4]


def gather(manifest: Mapping[str, Mapping[str, Any]], reports_dir: Path | None = None) -> list[GridData]:
    """The grids of the manifest: entries with axis values, by preset and axes (files present)."""
    grids: dict[tuple[str, tuple[str, ...]], GridData] = {}
    for entry in sorted(manifest.values(), key=lambda e: (e.get("point") or "", e["notebook"])):
        axes = entry.get("axes") or {}
        if not axes or not entry.get("outputs"):
            continue
        if reports_dir is not None and not (reports_dir / entry["outputs"][0]).exists():
            continue
        order = list(params.PARAMETER_SPECS)  # the manifest's JSON sorts keys: the spec table's order again
        names = tuple(sorted(axes, key=order.index))
        grid = grids.setdefault((entry["scenario"], names), GridData(entry["scenario"], names, {}))
        values = tuple(float(axes[n]) for n in names)
        point = grid.points.setdefault(values, GridPoint(entry["point"], values))
        page = next((p for p in entry["outputs"] if p.endswith(".html")), entry["outputs"][0])
        point.reports[entry["notebook_name"]] = page
        if entry["status"] != "ok":
            point.status = entry["status"]
        for name, result in (entry.get("results") or {}).items():
            point.results.setdefault(name, {**result, "report": page})
    return sorted(grids.values(), key=lambda g: g.key)


def _label(name: str) -> str:
    """A parameter as a reader names it: its help text up to the first comma or "from" (``Urals (tax
    price)``, ``Roubles per US dollar``)."""
    spec = params.PARAMETER_SPECS.get(name)
    return spec.help.split(",")[0].split(" from ")[0] if spec else name


def grid_csv(grid: GridData) -> str:
    """One row per point: id, axis values, status, each shown result, the report."""
    shown = grid.shown()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["point", *grid.axes, "status", *shown, "report"])
    for values, point in sorted(grid.points.items()):
        row = [point.id, *(format_value(v) for v in values), point.status]
        row += [point.results[n]["value"] if n in point.results else "" for n in shown]
        first = point.results[shown[0]]["report"] if shown and shown[0] in point.results else ""
        writer.writerow([*row, first or next(iter(point.reports.values()), "")])
    return buffer.getvalue()


def grid_json(grid: GridData) -> str:
    payload = {
        "grid": grid.key, "title": grid.title, "preset": grid.preset, "axes": list(grid.axes),
        "results": grid.shown(),
        "points": [{"id": p.id, "values": dict(zip(grid.axes, v, strict=True)), "status": p.status,
                    "reports": p.reports, "results": {n: r["value"] for n, r in p.results.items()}}
                   for v, p in sorted(grid.points.items())],
    }
    return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _color(share: float) -> tuple[str, str]:
    """Background and text colour for a cell at ``share`` (0–1) of the result's range."""
    low, high = (247, 251, 255), (8, 69, 148)
    rgb = tuple(round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb), "#fff" if share > 0.55 else "#111"


def _heatmap(grid: GridData, name: str, fixed: tuple[tuple[int, float], ...]) -> str:
    rows_axis, cols_axis = 0, 1 if len(grid.axes) > 1 else None
    present = [p.results[name]["value"] for p in grid.points.values()
               if isinstance(p.results.get(name, {}).get("value"), (int, float))]
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    largest = max((abs(v) for v in present), default=0)
    digits = 0 if largest >= 100 else 1 if largest >= 10 else 2
    cols = grid.axis_values(cols_axis) if cols_axis is not None else [None]
    head = "".join(f'<th class="num">{html.escape(format_value(c))}</th>' for c in cols if c is not None)
    corner = html.escape(_label(grid.axes[rows_axis])) + (
        f" ↓ · {html.escape(_label(grid.axes[1]))} →" if cols_axis else "")
    lines = [f"<tr><th>{corner}</th>{head or '<th></th>'}</tr>"]
    for row in grid.axis_values(rows_axis):
        cells = []
        for col in cols:
            values = [0.0] * len(grid.axes)
            values[rows_axis] = row
            if cols_axis is not None:
                values[cols_axis] = col
            for i, v in fixed:
                values[i] = v
            point = grid.points.get(tuple(values))
            if point is None:
                cells.append('<td class="num missing">·</td>')
                continue
            result = point.results.get(name)
            if result is None or not isinstance(result["value"], (int, float)):
                link = next(iter(point.reports.values()), "")
                cells.append(f'<td class="num {html.escape(point.status)}"><a href="../{html.escape(link)}">'
                             f"{html.escape(point.status)}</a></td>")
                continue
            share = (result["value"] - low) / (high - low) if high > low else 0.5
            background, ink = _color(share)
            text = html.escape(format_result(float(result["value"]), digits))
            cells.append(f'<td class="num" style="background:{background}"><a style="color:{ink}" '
                         f'href="../{html.escape(result["report"])}" title="{html.escape(point.id)}">'
                         f"{text}</a></td>")
        lines.append(f'<tr><th class="num">{html.escape(format_value(row))}</th>{"".join(cells)}</tr>')
    caption = ", ".join(f"{_label(grid.axes[i])} {format_value(v)}" for i, v in fixed)
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="heatmap">{caption_html}\n' + "\n".join(lines) + "\n</table>"


def _calculator(grid: GridData, shown: Sequence[str]) -> str:
    samples = {name: next((p.results[name] for p in grid.points.values() if name in p.results), {})
               for name in shown}
    data = {}
    for values, point in grid.points.items():
        rows = []
        for name in shown:
            result = point.results.get(name)
            value = format_result(result["value"]) if result else point.status
            rows.append([str(samples[name].get("label") or name), value,
                         str(result.get("unit", "")) if result else ""])
        link = point.results[shown[0]]["report"] if shown and shown[0] in point.results else next(
            iter(point.reports.values()), "")
        data["|".join(format_value(v) for v in values)] = {"id": point.id, "href": f"../{link}", "rows": rows}
    selects = "".join(
        f'<label>{html.escape(_label(axis))} <select data-axis="{i}">'
        + "".join(f"<option>{html.escape(format_value(v))}</option>" for v in grid.axis_values(i))
        + "</select></label> " for i, axis in enumerate(grid.axes))
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return (
        '<section class="calculator"><h2>Calculator</h2>\n'
        "<p>Pick a value on each axis: the numbers are those of the rendered report for that point.</p>\n"
        f"<form>{selects}</form>\n<p><b>Point</b> <a id=\"calc-link\" href=\"#\"></a></p>\n"
        '<table class="results" id="calc-out"><tbody></tbody></table>\n'
        f'<script type="application/json" id="grid-data">{blob}</script>\n'
        "<script>\n(function () {\n"
        "  var data = JSON.parse(document.getElementById('grid-data').textContent);\n"
        "  var selects = Array.prototype.slice.call(document.querySelectorAll('.calculator select'));\n"
        "  var out = document.querySelector('#calc-out tbody');\n"
        "  var link = document.getElementById('calc-link');\n"
        "  function show() {\n"
        "    var point = data[selects.map(function (s) { return s.value; }).join('|')];\n"
        "    out.textContent = '';\n"
        "    if (!point) { link.textContent = 'not rendered'; link.removeAttribute('href'); return; }\n"
        "    link.textContent = point.id; link.setAttribute('href', point.href);\n"
        "    point.rows.forEach(function (r) {\n"
        "      var tr = document.createElement('tr');\n"
        "      r.forEach(function (text, i) {\n"
        "        var td = document.createElement('td'); td.textContent = text;\n"
        "        td.className = i === 1 ? 'num' : 'label'; tr.appendChild(td);\n"
        "      });\n"
        "      out.appendChild(tr);\n"
        "    });\n"
        "  }\n"
        "  selects.forEach(function (s) { s.addEventListener('change', show); });\n"
        "  show();\n"
        "})();\n</script></section>"
    )


_STYLE = ("<style>table.heatmap{border-collapse:collapse;margin:.5em 1em 1em 0;display:inline-table}"
          "table.heatmap td,table.heatmap th{padding:.25em .6em;border:1px solid #ddd}"
          "table.heatmap a{text-decoration:none}td.missing{color:#999}"
          ".calculator select{margin-right:1em}</style>")


def _title(grid: GridData) -> str:
    """The named grid's title, else the preset's title and the axes as a reader names them."""
    scenario = preset_file.preset_summaries().get(grid.preset, {}).get("title") or grid.preset
    return grid.title or f"{scenario}: {' × '.join(_label(a) for a in grid.axes)}"


def grid_html(grid: GridData) -> str:
    """The grid's page: heatmaps of the shown results, the failed points, the calculator."""
    shown = grid.shown()
    title = _title(grid)
    combos = list(itertools.product(*(grid.axis_values(i) for i in range(2, len(grid.axes)))))
    sections = []
    for name in shown:
        sample = next((p.results[name] for p in grid.points.values() if name in p.results), {})
        label = html.escape(str(sample.get("label") or name))
        unit = html.escape(str(sample.get("unit") or ""))
        maps = "".join(_heatmap(grid, name, tuple(zip(range(2, len(grid.axes)), combo, strict=True)))
                       for combo in combos)
        sections.append(f"<h2>{label} <span class=\"muted\">{unit}</span></h2>\n{maps}")
    failed = [p for p in grid.points.values() if p.status != "ok"]
    if failed:
        items = "".join(f'<li><a href="../{html.escape(next(iter(p.reports.values()), ""))}">'
                        f"{html.escape(p.id)}</a> {html.escape(p.status)}</li>" for p in failed)
        sections.append(f'<h2>Points that failed</h2>\n<ul class="failed">{items}</ul>')
    sections.append(_calculator(grid, shown))
    files = (f'<a href="{html.escape(grid.slug)}.csv">CSV</a> · '
             f'<a href="{html.escape(grid.slug)}.json">JSON</a> · <a href="../index.html">all reports</a>')
    header = (f"<header>\n<h1>{html.escape(title)}</h1>\n<p class=\"facts\">{len(grid.points)} points on "
              f"<code>{html.escape(grid.preset)}</code> · cells link to their report · {files}</p>\n"
              "</header>")
    page = page_html(title, _STYLE + header + "\n" + "\n".join(sections), kind="index")
    check_self_contained(page, f"{GRIDS_DIR}/{grid.slug}.html")
    return page


def _titles() -> dict[tuple[str, tuple[str, ...]], str]:
    """Named grids' titles by preset and axes (a grid the file no longer defines keeps no title)."""
    found = {}
    try:
        defined = preset_file.read_grids()
        known = list(preset_file.preset_summaries())
        for name in defined:
            grid = named_grid(name, defined, known, "data/scenarios.yaml")
            found[(grid.preset, tuple(a.name for a in grid.axes))] = grid.title or name
    except OilImpactError:  # a broken grid entry is reported when it is rendered, not by the index
        pass
    return found


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)


def write_grid_pages(reports_dir: Path, manifest: Mapping[str, Mapping[str, Any]]) -> str:
    """Each grid's page, CSV and JSON under ``reports/grids/``; the index's section linking them."""
    grids = gather(manifest, reports_dir)
    titles = _titles() if grids else {}
    items = []
    for grid in grids:
        grid.title = titles.get((grid.preset, grid.axes), "")
        folder = reports_dir / GRIDS_DIR
        _write(folder / f"{grid.slug}.html", grid_html(grid))
        _write(folder / f"{grid.slug}.csv", grid_csv(grid))
        _write(folder / f"{grid.slug}.json", grid_json(grid))
        failed = sum(p.status != "ok" for p in grid.points.values())
        note = f", {failed} failed" if failed else ""
        items.append(f'<li><a href="{GRIDS_DIR}/{html.escape(grid.slug)}.html">'
                     f"{html.escape(_title(grid))}</a> <code>{html.escape(grid.key)}</code> "
                     f"({len(grid.points)} points{note})</li>")
    compares = sorted((e for e in manifest.values() if e.get("point") and not e.get("axes")
                       and e.get("outputs") and (reports_dir / e["outputs"][0]).exists()),
                      key=lambda e: e["point"])
    for entry in compares:
        page = next((p for p in entry["outputs"] if p.endswith(".html")), entry["outputs"][0])
        items.append(f'<li><a href="{html.escape(page)}">{html.escape(entry["title"] or "")}: '
                     f"{html.escape(entry['point'])}</a></li>")
    if not items:
        return ""
    return f'<section class="grids"><h2>Grids and comparisons</h2>\n<ul>{"".join(items)}</ul></section>'
