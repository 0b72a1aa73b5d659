"""The data behind every chart and table: tables read off charts and frames, the CSV files, the
Frictionless data packages (validated by the ``frictionless`` library), the links to them, and stale
files removed."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from frictionless import validate
from matplotlib.figure import Figure

from oilimpact import charts, dataset
from oilimpact.charts.data import figure_table
from oilimpact.provenance import Source
from oilimpact.report import datapackage

REAL = pytest.mark.xdist_group("real-reports")
SCENARIO_NOTEBOOKS = ("02_price_scenarios", "03_budget_impact", "04_sanctions_levers", "05_risk")


def _rows(table: dataset.Table) -> list[dict]:
    return [dict(zip([f.name for f in table.fields], row, strict=True)) for row in table.rows]


# --- tables from charts and frames ------------------------------------------------------------------


def test_a_line_chart_gives_its_series_by_month_with_the_axis_unit_and_the_caption_sources():
    months = pd.period_range("2026-01", periods=3, freq="M")
    source = Source("assumption", "Budget law", "https://example.org/law", accessed="2026-03")
    fig = charts.backtest(pd.DataFrame({"actual": [1.0, 2.0, 3.0], "model": [1.5, 2.5, None]},
                                       index=months), [source])
    table = figure_table(fig)
    assert fig.get_label() == "backtest" and table.kind == "chart"
    assert [f.name for f in table.fields] == ["series", "x", "value", "unit"]
    assert {f.name: f.type for f in table.fields}["x"] == "yearmonth"
    actual = [r for r in _rows(table) if r["series"] == "Actual"]
    assert [(r["x"], r["value"]) for r in actual] == [("2026-01", 1.0), ("2026-02", 2.0), ("2026-03", 3.0)]
    assert {r["unit"] for r in _rows(table)} == {"bn RUB"}
    assert table.sources == (("Budget law, accessed 2026-03", "https://example.org/law"),)


def test_bars_bands_and_heatmaps_are_read_back():
    fig = Figure()
    ax = fig.subplots()
    ax.bar(["Rouble", "Volumes"], [-3.0, 2.0], label="step")
    ax.set_ylabel("Change, bn RUB")
    days = pd.to_datetime(["2026-01-01", "2026-02-01"])
    ax2 = fig.add_subplot(2, 1, 2)
    ax2.fill_between(mdates.date2num(days), [1.0, 2.0], [3.0, 5.0], label="5th–95th percentile")
    ax2.xaxis_date()
    ax2.set_ylabel("Urals, USD per barrel")
    rows = _rows(figure_table(fig))
    assert {(r["series"], r["x"], r["value"]) for r in rows if "step" in r["series"]} == {
        ("Change: step", "Rouble", -3.0), ("Change: step", "Volumes", 2.0)}
    band = {(r["series"], r["x"], r["value"]) for r in rows if "percentile" in r["series"]}
    assert ("Urals: 5th–95th percentile (lower)", "2026-02-01", 2.0) in band  # x is text: it mixes kinds
    assert ("Urals: 5th–95th percentile (upper)", "2026-02-01", 5.0) in band

    grid = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=[40.0, 60.0], columns=[80.0, 90.0])
    heat = figure_table(charts.heatmap(grid, []))
    cells = {(r["x"], r["y"]): r["value"] for r in _rows(heat) if r["series"] == "cells"}
    assert cells == {(80, 40): 1.0, (90, 40): 2.0, (80, 60): 3.0, (90, 60): 4.0}
    assert {f.name: f.title for f in heat.fields}["x"] == "RUB per USD"


def test_lines_labelled_at_their_ends_are_named_by_their_labels_in_each_panel():
    months = pd.period_range("2026-01", periods=4, freq="M")
    frame = pd.DataFrame({"war_premium": [1.0, 2, 3, 4], "budget_law": [2.0, 3, 4, 5]}, index=months)
    fig = charts.deficit_nwf(frame, frame * 10, [], highlight="war_premium", law_deficit=4.5)
    series = {r["series"] for r in _rows(figure_table(fig))}
    assert series == {"Cumulative deficit: war premium", "Cumulative deficit: budget law",
                      "NWF liquid assets: war premium", "NWF liquid assets: budget law"}


def test_a_frame_keeps_its_index_types_units_and_numbers_shown_as_text():
    frame = pd.DataFrame({"og_revenue_bn_rub": [1.5, None], "shown": ["3,631", "\u2212599"]},
                         index=pd.period_range("2026-01", periods=2, freq="M"))
    table = dataset.frame_table(frame, "T")
    assert [(f.name, f.type, f.unit) for f in table.fields] == [
        ("month", "yearmonth", ""), ("og_revenue_bn_rub", "number", "bn RUB"), ("shown", "integer", "")]
    assert table.rows == (("2026-01", 1.5, 3631), ("2026-02", None, -599))


def test_collected_tables_are_named_by_chart_function_or_heading_and_unique():
    def output(payload: dict) -> dict:
        return {"output_type": "display_data", "data": {dataset.MIME_TYPE: payload}, "metadata": {}}

    chart = dataset.Table("price_paths", "Title", "chart", (dataset.Field("x", "number"),), ((1,),)).payload()
    shown = dataset.Table("", "", "table", (dataset.Field("x", "number"),), ((1,),)).payload()
    nb = {"cells": [
        {"cell_type": "markdown", "source": "## The year so far: receipts"},
        {"cell_type": "code", "outputs": [output(chart), output(shown)]},
        {"cell_type": "code", "outputs": [output(chart)]},
        {"cell_type": "code", "outputs": [output({**shown, "kind": "data", "name": "monthly"})]},
    ]}
    assert [(p.cell, p.output, p.table.name) for p in dataset.collect_tables(nb)] == [
        (1, 0, "chart-01-price-paths"), (1, 1, "table-01-the-year-so-far-receipts"),
        (2, 0, "chart-02-price-paths"), (3, 0, "monthly")]


# --- the rendered reports ---------------------------------------------------------------------------


def _valid(path: Path) -> None:
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@REAL
@pytest.mark.parametrize("notebook", SCENARIO_NOTEBOOKS)
def test_each_report_package_is_valid_and_holds_the_monthly_annual_chart_and_result_tables(
        real_reports, notebook):
    folder = real_reports / "war_premium" / f"{notebook}.data"
    _valid(folder / "datapackage.json")
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["data_date"] and package["created"].startswith(package["data_date"])
    assert package["version"] and package["scenario"] == "war_premium" and package["sources"]
    names = [r["name"] for r in package["resources"]]
    assert {"monthly", "annual", "results", "parameters"} <= set(names)
    assert any(n.startswith("chart-") for n in names)
    monthly = {f["name"]: f for f in next(r for r in package["resources"]
                                           if r["name"] == "monthly")["schema"]["fields"]}
    assert monthly["month"]["type"] == "yearmonth"
    assert monthly["og_revenue_bn_rub"]["unit"] == "bn RUB" and monthly["urals_usd_bbl"]["unit"] == "USD/bbl"
    for resource in package["resources"]:
        assert (folder / resource["path"]).is_file()
        assert resource["title"] and resource["schema"]["fields"]
        if resource["name"].startswith("chart-"):
            assert resource.get("sources"), resource["name"]  # a chart's data cites what its caption cites


@REAL
def test_results_csv_holds_the_numbers_the_index_compares(real_reports):
    manifest = json.loads((real_reports / "manifest.json").read_text())["reports"]
    recorded = manifest["war_premium/03_budget_impact"]["results"]
    path = real_reports / "war_premium/03_budget_impact.data/results.csv"
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(path.read_text()))}
    assert set(rows) == set(recorded)
    assert float(rows["og_revenue_2026_bn_rub"]["value"]) == pytest.approx(
        recorded["og_revenue_2026_bn_rub"]["value"])
    assert rows["og_revenue_2026_bn_rub"]["unit"] == "bn RUB"
    monthly = list(csv.DictReader(io.StringIO(
        (real_reports / "war_premium/03_budget_impact.data/monthly.csv").read_text())))
    total = sum(float(r["og_revenue_used_bn_rub"]) for r in monthly if r["month"].startswith("2026"))
    assert total == pytest.approx(recorded["og_revenue_2026_bn_rub"]["value"], rel=1e-6)


@REAL
def test_scenario_and_all_scenario_packages_are_valid_and_zipped(real_reports):
    for folder in (real_reports / "war_premium", real_reports):
        _valid(folder / "datapackage.json")
        package = json.loads((folder / "datapackage.json").read_text())
        with zipfile.ZipFile(folder / "data.zip") as archive:
            names = archive.namelist()
            assert names[0] == "datapackage.json"
            assert json.loads(archive.read("datapackage.json")) == package
            assert sorted(names[1:]) == sorted(r["path"] for r in package["resources"])
    everything = json.loads((real_reports / "datapackage.json").read_text())
    paths = {r["path"].split("/")[0] for r in everything["resources"]}
    assert paths == {"war_premium", "default"}


@REAL
def test_html_links_the_data_next_to_every_chart_and_the_index_links_every_package(real_reports):
    page = (real_reports / "war_premium/03_budget_impact.html").read_text()
    charts_shown = page.count('<figure class="chart">')
    links = [line for line in page.split("<p class=\"data-link\">")[1:] if "Download the data" in line]
    assert charts_shown >= 5 and len(links) >= charts_shown
    for figure in page.split('<figure class="chart">')[1:]:
        assert "Download the data" in figure.split("</figure>")[0]
    for href in (chunk.split('"')[0] for chunk in page.split('<a href="')[1:]):
        if href.endswith((".csv", ".json")):
            assert (real_reports / "war_premium" / href).is_file(), href
    index = (real_reports / "index.html").read_text()
    for href in ("data.zip", "datapackage.json", "war_premium/data.zip", "war_premium/datapackage.json",
                 "war_premium/03_budget_impact.data/datapackage.json"):
        assert f'<a href="{href}">' in index and (real_reports / href).is_file(), href


def test_a_rerender_removes_what_the_previous_one_left(tmp_path):
    folder = tmp_path / "01_x.data"
    folder.mkdir()
    (folder / "chart-09-gone.csv").write_text("x\r\n1\r\n")
    result = {"name": "a", "value": 1.0, "unit": "bn RUB", "label": "A"}
    output = {"output_type": "display_data", "metadata": {},
              "data": {"application/vnd.oilimpact.result+json": result}}
    nb = {"cells": [{"cell_type": "code", "outputs": [output]}]}

    def write() -> list[Path]:
        return datapackage.write_report_data(nb, folder, name="x 01_x", title="X", data_date="2026-03-08")

    written = write()
    assert sorted(p.name for p in folder.iterdir()) == ["datapackage.json", "results.csv"] == sorted(
        p.name for p in written)
    _valid(folder / "datapackage.json")
    assert write() == written
