"""``reports/index.html``: every report with its links and status, and the key results
(:mod:`oilimpact.results`) of each notebook across scenarios, from ``reports/manifest.json``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oilimpact import presets as preset_file
from oilimpact.fmt import percent
from oilimpact.project import atomic_write
from oilimpact.report.datapackage import DATA_SUFFIX, PACKAGE, ZIP, write_collections
from oilimpact.report.export import check_self_contained, format_result, page_html
from oilimpact.report.gridpage import write_grid_pages
from oilimpact.report.revisions import revisions_section


@dataclass(frozen=True)
class IndexEntry:
    """One report as the index lists it; ``outputs`` are paths relative to the reports folder."""

    notebook: str
    title: str
    scenario: str | None
    status: str
    outputs: tuple[str, ...] = ()
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


def _link(path: str, label: str) -> str:
    return f'<a href="{html.escape(path)}">{html.escape(label)}</a>'


def _files(entry: IndexEntry) -> str:
    labels = {".html": "HTML", ".pdf": "PDF", ".ipynb": "notebook"}
    shown = [p for p in entry.outputs if Path(p).suffix in labels]
    ordered = sorted(shown, key=lambda p: list(labels).index(Path(p).suffix))
    links = [_link(p, labels[Path(p).suffix]) for p in ordered]
    links += [_link(p, "data") for p in entry.outputs if p.endswith(f"{DATA_SUFFIX}/{PACKAGE}")]
    return " · ".join(links)


UNIT_DIGITS = {"bn RUB": 0, "%": 1, "% GDP": 2, "USD/bbl": 1, "RUB/USD": 1}
"""One rounding rule per quantity, as the reports' prose writes it (a recorded ``decimals`` overrides)."""


def _shown(value: Any, digits: int | None, unit: str | None) -> str:
    """A key result as the index writes it; a percentage never reads 0 for 0.2 (``< 0.5``)."""
    if unit == "%" and isinstance(value, float) and digits is not None:
        return percent(value, digits).removesuffix(" %")
    return format_result(value, digits)


def _row_digits(values: Sequence[Any]) -> int | None:
    """Decimals for one row of the comparison table, by its largest number (so −2.7 / −19.2 / 8.1)."""
    floats = [abs(v) for v in values if isinstance(v, float)]
    if not floats:
        return None
    largest = max(floats)
    return 0 if largest >= 100 else 1 if largest >= 10 else 2


# Wide tables scroll in their own box, so a phone never scrolls the page sideways.
_SCROLLING = re.compile(r'(?s)(<table class="(?:results|reports)".*?)</table>')

BRIEF_PREFIX = "brief_sentence_"
"""Results recorded under this prefix are the brief's sentences: the index opens with them."""


def _brief_section(entries: Iterable[IndexEntry]) -> str:
    sentences = [(r.get("order", 0), str(r["value"])) for e in entries for n, r in e.results.items()
                 if n.startswith(BRIEF_PREFIX) and e.status == "ok"]
    if not sentences:
        return ""
    items = "".join(f"<li>{html.escape(text)}</li>" for _order, text in sorted(sentences))
    return f'<section class="brief"><h2>In brief</h2>\n<ul>{items}</ul></section>'


def _results_rows(entries: list[IndexEntry], columns: list[str | None],
                  same: list[str] | None = None) -> list[str]:
    """One row per key result of ``entries`` across ``columns``; a result that is the same in every
    scenario goes to ``same`` (one value cell) when it is given."""
    by_column = {e.scenario: e for e in entries}
    names: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for name, result in entry.results.items():
            if not name.startswith(BRIEF_PREFIX):
                names.setdefault(name, result)
    rows = []
    for name, result in sorted(names.items(), key=lambda item: item[1].get("order", 0)):
        present = [by_column[c].results[name]["value"] for c in columns
                   if c in by_column and name in by_column[c].results]
        digits = result.get("decimals")
        if digits is None:
            digits = UNIT_DIGITS.get(str(result.get("unit") or ""), _row_digits(present))
        shown = [_shown(v, digits, result.get("unit")) for v in present]
        label = html.escape(str(result.get("label") or name))
        unit = html.escape(str(result.get("unit") or ""))
        head = f'<td class="label">{label}</td><td class="unit">{unit}</td>'
        if len(columns) > 1 and len(present) == len(columns) and len(set(shown)) == 1 and same is not None:
            same.append(f'<tr>{head}<td class="num">{html.escape(shown[0])}</td></tr>')
            continue
        if len(columns) > 1 and len(present) == len(columns) and len(set(shown)) == 1:
            rows.append(f'<tr>{head}<td class="num same" colspan="{len(columns)}">{html.escape(shown[0])} '
                        '<span class="muted">same in every scenario</span></td></tr>')
            continue
        cells = []
        for column in columns:
            entry = by_column.get(column)
            if entry is None:
                cells.append("<td></td>")
            elif name in entry.results:
                value = html.escape(_shown(entry.results[name]["value"], digits, result.get("unit")))
                cells.append(f'<td class="num">{value}</td>')
            else:
                missing = "failed" if entry.status == "failed" else "—"
                cells.append(f'<td class="num {entry.status}">{missing}</td>')
        rows.append(f"<tr>{head}{''.join(cells)}</tr>")
    return rows


def _scenario_head(scenario: str, titles: Mapping[str, str]) -> str:
    title = titles.get(scenario) or scenario
    key = f'<br><code class="key">{html.escape(scenario)}</code>' if title != scenario else ""
    return f'<th class="num">{html.escape(title)}{key}</th>'


def _report_cell(entry: IndexEntry | None, colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    if entry is None:
        return f"<td{span}></td>"
    status = html.escape(entry.status)
    marker = "" if entry.status == "ok" else f'<span class="status-{status}">{status}</span> '
    return f'<td class="files"{span}>{marker}{_files(entry)}</td>'


_FOLDER_NAMES = {"default": "Reports without a scenario (the brief)"}


def _data_section(packages: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """Links to the data packages: one of all scenarios, then one per scenario folder."""
    if not packages:
        return ""

    def links(package: str) -> str:
        archive = package.rsplit("/", 1)[0] + f"/{ZIP}" if "/" in package else ZIP
        return f"{_link(archive, 'zip')} · {_link(package, 'datapackage.json')}"

    items = [f"<li><b>Every scenario</b>: {links(packages[''])}</li>"] if "" in packages else []
    items += [f"<li>{html.escape(titles.get(folder) or _FOLDER_NAMES.get(folder, folder))}: "
              f"{links(path)}</li>"
              for folder, path in packages.items() if folder]
    return ('<section class="data" id="data"><h2>Download the data</h2>\n<p>The numbers behind every '
            "chart and table, as CSV files described by a Frictionless Data Package (fields, units, "
            "sources, the data date).</p>\n<ul>" + "".join(items) + "</ul></section>")


def index_html(entries: Iterable[IndexEntry], data_date: str | None = None,
               scenario_titles: Mapping[str, str] | None = None, revisions: str = "", grids: str = "",
               packages: Mapping[str, str] | None = None) -> str:
    """``reports/index.html``: the key results across scenarios (scenarios headed by their titles from
    ``scenario_titles``, key below), then every report's links, one row per notebook; ``revisions`` is
    the "What changed" block (:mod:`oilimpact.report.revisions`), placed after the brief; ``grids`` the
    section linking the grid pages and comparisons (:mod:`oilimpact.report.gridpage`)."""
    entries = list(entries)
    titles = dict(scenario_titles or {})
    notebooks: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        notebooks.setdefault(entry.notebook, []).append(entry)
    scenarios: list[str | None] = []
    for entry in entries:
        if entry.scenario is not None and entry.scenario not in scenarios:
            scenarios.append(entry.scenario)

    head = "".join(_scenario_head(s, titles) for s in scenarios if s)
    width = len(scenarios) + 2
    result_rows: list[str] = []
    single_rows: list[str] = []
    for group in notebooks.values():
        title = html.escape(group[0].title)
        if any(e.scenario for e in group):
            same: list[str] = []
            rows = _results_rows(group, scenarios, same)
            if rows:
                result_rows.append(f'<tr class="group"><th colspan="{width}">{title}</th></tr>')
                result_rows += rows
            if same:
                single_rows.append(f'<tr class="group"><th colspan="3">{title}</th></tr>')
                single_rows += same
        else:
            rows = _results_rows(group, [None])
            if rows:
                single_rows.append(f'<tr class="group"><th colspan="3">{title}</th></tr>')
                single_rows += rows
    sections = []
    brief = _brief_section(entries)
    if brief:
        sections.append(brief)
    if revisions:
        sections.append(revisions)
    if result_rows:
        sections.append(
            "<h2>Key results across scenarios</h2>\n"
            '<table class="results"><thead><tr><th>Result</th><th class="unit">Unit</th>'
            f"{head}</tr></thead>\n<tbody>\n" + "\n".join(result_rows) + "\n</tbody></table>"
        )
    if single_rows:
        sections.append(
            "<h2>The same in every scenario</h2>\n"
            '<p class="muted">Numbers that do not depend on the scenario: the fixed-baseline sensitivity '
            "card, the backtest, the months already published.</p>\n"
            '<table class="results"><thead><tr><th>Result</th><th class="unit">Unit</th>'
            '<th class="num">Value</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(single_rows) + "\n</tbody></table>"
        )
    if grids:
        sections.append(grids)
    data = _data_section(dict(packages or {}), titles)
    report_rows = []
    for group in notebooks.values():
        by_scenario = {e.scenario: e for e in group}
        if any(e.scenario for e in group):
            cells = "".join(_report_cell(by_scenario.get(s)) for s in scenarios)
        else:
            cells = _report_cell(group[0], max(len(scenarios), 1))
        report_rows.append(f'<tr><td class="label">{html.escape(group[0].title)}</td>{cells}</tr>')
    report_head = head if scenarios else '<th>Files</th>'
    sections.append(
        f'<h2>Reports</h2>\n<table class="reports"><thead><tr><th>Report</th>{report_head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(report_rows) + "\n</tbody></table>"
    )
    if data:
        sections.append(data)
    failed = sum(e.status == "failed" for e in entries)
    facts = [f"{len(entries)} reports", f"{len(notebooks)} notebooks"]
    if failed:
        facts.append(f'<span class="failed">{failed} failed</span>')
    if data_date:
        facts.append(f"data as of {html.escape(data_date)}")
    if data:
        facts.append('<a href="#data">download the data</a>')
    header = (
        "<header>\n<h1>Oil price, sanctions and Russia's budget — reports</h1>\n"
        f"<p class=\"facts\">{' · '.join(facts)}</p>\n</header>"
    )
    body = _SCROLLING.sub(r'<div class="table-scroll">\1</table></div>', "\n".join(sections))
    page = page_html("oilimpact reports", header + "\n" + body, kind="index")
    check_self_contained(page, "index.html")
    return page


def _scenario_titles() -> dict[str, str]:
    return {name: spec["title"] for name, spec in preset_file.preset_summaries().items() if spec.get("title")}


def write_index(reports_dir: Path, manifest: dict[str, dict[str, Any]], presets: Sequence[str],
                date: str | None) -> Path:
    """``index.html`` from the manifest (every report ever rendered here whose notebook file is there)."""
    order = {name: i for i, name in enumerate(presets)}
    grids = write_grid_pages(reports_dir, manifest)  # grid points and comparisons are listed there
    entries = sorted(
        (e for e in manifest.values() if e["outputs"] and (reports_dir / e["outputs"][0]).exists()
         and not e.get("point")),
        key=lambda e: (e["notebook"], e["scenario"] is not None, order.get(e["scenario"], len(order)),
                       e["scenario"] or ""),
    )
    folders = list(dict.fromkeys(Path(e["outputs"][0]).parent.as_posix() for e in entries))
    titles = _scenario_titles()
    packages = write_collections(reports_dir, manifest, folders, date, titles)
    page = index_html(
        [IndexEntry(e["notebook_name"], e["title"] or e["notebook_name"], e["scenario"], e["status"],
                    tuple(e["outputs"]), e.get("results", {})) for e in entries],
        data_date=date, scenario_titles=titles, revisions=revisions_section(reports_dir),
        grids=grids, packages=packages,
    )
    path = reports_dir / "index.html"
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        atomic_write(path, page)
    return path
