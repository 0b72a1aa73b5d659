"""Scenario grids: the axis syntax and its errors, point ids and folders, incremental re-render, failed
points, the grid page (links, numbers, CSV, JSON, calculator) and the named grids of data/scenarios.yaml.

The fixture notebook (tests/fixtures/grid/01_grid.ipynb) records the four key results from Urals and
the rouble by a formula the tests know (revenue = Urals × rate × 1.5) and fails at Urals = 13.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from oilimpact import presets
from oilimpact.cli import main
from oilimpact.errors import OilImpactError
from oilimpact.model import load_scenarios
from oilimpact.report import batch, gridpage, gridplan, plan

pytestmark = pytest.mark.xdist_group("render")

GRID_NOTEBOOKS = Path(__file__).parent / "fixtures" / "grid"
PRESETS = ["budget_law", "war_premium"]


def revenue(urals: float, rate: float) -> float:
    return round(urals * rate * 1.5, 1)


def _grid(*specs: str, preset: str = "war_premium") -> gridplan.Grid:
    return gridplan.parse_grid(preset, gridplan.cli_axes(specs))


# --- syntax ------------------------------------------------------------------------------------------


def test_ranges_include_the_stop_and_lists_keep_their_order():
    assert gridplan.cli_axes(["urals_price=40:80:10"])[0].values == (40, 50, 60, 70, 80)
    assert gridplan.cli_axes(["rub_usd=100,80,90"])[0].values == (100, 80, 90)
    assert gridplan.cli_axes(["urals_discount=0.1:0.5:0.2"])[0].values == (0.1, 0.3, 0.5)
    assert gridplan.cli_axes(["export_volume_change=0:-20:-10"])[0].values == (0, -10, -20)
    assert gridplan.cli_axes(["urals_price=55"])[0].values == (55,)
    assert gridplan.parse_axis("rub_usd", [80, 90.5], "file").values == (80, 90.5)


@pytest.mark.parametrize(("spec", "message"), [
    ("nope=1:2:1", "--grid nope: unknown parameter; a grid axis is one of urals_price, brent_price"),
    ("path_shape=1,2", "--grid path_shape: not a numeric parameter"),
    ("urals_price=80:40:10", "--grid urals_price: empty range (from 80 a step of 10 never reaches 40)"),
    ("urals_price=40:80:0", "--grid urals_price: the step is 0"),
    ("urals_price=40:80", "write a range as start:stop:step"),
    ("urals_price=0:20:10", "--grid: parameter urals_price: must be a number > 0 and <= 300, got 0"),
    ("rub_usd=80,600", "--grid: parameter rub_usd: must be a number > 0 and <= 500, got 600"),
    ("rub_usd=80,x", "--grid rub_usd: 'x' is not a number"),
    ("rub_usd=80,80", "--grid rub_usd: 80 is given twice"),
    ("mc_paths=1.5,2", "--grid: parameter mc_paths: must be an integer >= 1"),
    ("urals_price", "write an axis as name=start:stop:step"),
])
def test_bad_axes_are_one_line_errors(spec, message):
    with pytest.raises(OilImpactError) as failed:
        gridplan.cli_axes([spec])
    assert message in str(failed.value) and "\n" not in str(failed.value)


@pytest.mark.parametrize(("args", "message"), [
    (["--grid", "nope=1:2:1"], "error: --grid nope: unknown parameter"),
    (["--grid", "urals_price=40:80:0"], "error: --grid urals_price: the step is 0"),
    (["--grid", "urals_price=80:40:10"], "error: --grid urals_price: empty range"),
    (["--grid", "rub_usd=0,10"], "error: --grid: parameter rub_usd: must be a number > 0"),
    (["--grid", "urals_price=1:300:1", "--grid", "rub_usd=1:10:1"],
     "error: --grid: 3,000 points is more than --max-points 500"),
    (["--grid", "urals_price=40:80:10", "--max-points", "4"], "error: --grid: 5 points is more than"),
    (["--grid", "urals_price=40,50", "--grid", "urals_price=60"], "error: --grid urals_price: given twice"),
    (["--grid", "urals_price=40,50", "-p", "urals_price=60"], "error: -p urals_price: also a --grid axis"),
    (["--grid", "horizon_start=1,2"], "error: --grid horizon_start: not a numeric parameter"),
    (["--grid", "no_such_grid"], "error: --grid no_such_grid: no such grid in data/scenarios.yaml"),
    (["--grid", "urals_price=40,50", "-s", "nope"], "error: -s nope: unknown scenario"),
    (["--grid", "half_life_months=3,6"], "error: --grid: no selected notebook has the parameters"),
])
def test_a_bad_grid_stops_before_any_kernel_with_one_line(cli, tmp_path, args, message):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(GRID_NOTEBOOKS), "--output", str(out), *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    assert not out.exists()


# --- ids and folders ---------------------------------------------------------------------------------


def test_point_ids_are_readable_stable_and_in_the_spec_tables_order():
    one = _grid("urals_price=50", "rub_usd=90").points()[0]
    other = _grid("rub_usd=90", "urals_price=50").points()[0]
    assert one.id == other.id == "war_premium@urals_price=50,rub_usd=90"
    assert one.folder == other.folder == "war_premium.urals_price-50.rub_usd-90"


def test_point_folders_are_safe_and_never_collide():
    points = _grid("urals_discount=-2.5,2.5,-12,12", "rub_usd=80:81:0.5").points()
    folders = [p.folder for p in points]
    assert len(set(folders)) == len(points) == 12
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", f) for f in folders)
    assert "war_premium.urals_discount-m2p5.rub_usd-80p5" in folders
    assert not set(folders) & set(load_scenarios())  # no point folder is a preset's folder


def test_plan_gives_each_point_its_parameters_and_shares_common_points():
    grids = [_grid("urals_price=40,50", "rub_usd=90"), _grid("urals_price=50,60", "rub_usd=90")]
    reports = plan.plan_grids(grids, GRID_NOTEBOOKS, presets=PRESETS)
    assert [r.name for r in reports] == [
        "war_premium.urals_price-40.rub_usd-90/01_grid", "war_premium.urals_price-50.rub_usd-90/01_grid",
        "war_premium.urals_price-60.rub_usd-90/01_grid"]
    assert dict(reports[0].parameters) == {"scenario": "war_premium", "urals_price": 40.0, "rub_usd": 90.0}
    assert reports[0].user_set == {"urals_price", "rub_usd"}


def test_named_grids_live_in_the_scenarios_file_and_the_presets_reader_skips_them():
    assert "grids" not in presets.preset_names() and "grids" not in load_scenarios()
    grid = gridplan.named_grid("war_price_rouble", presets.read_grids(), presets.preset_names(), "file")
    assert grid.preset == "war_premium" and grid.size == 15
    assert [(a.name, a.values) for a in grid.axes] == [("urals_price", (40, 50, 60, 70, 80)),
                                                        ("rub_usd", (80, 90, 100))]
    with pytest.raises(OilImpactError, match="grid g: preset 'nope' is not a preset"):
        gridplan.named_grid("g", {"g": {"preset": "nope", "axes": {"rub_usd": [1]}}}, PRESETS, "file")
    with pytest.raises(OilImpactError, match="file: grid g: parameter rub_usd: must be a number > 0"):
        gridplan.named_grid("g", {"g": {"preset": "war_premium", "axes": {"rub_usd": [-1]}}}, PRESETS, "file")


# --- a grid rendered ---------------------------------------------------------------------------------


def _render(out: Path, *specs: str):
    reports = plan.plan_grids([_grid(*specs)], GRID_NOTEBOOKS, presets=PRESETS)
    return batch.render(reports, out, jobs=2, pdf=False, progress=False, presets=PRESETS)


@pytest.fixture(scope="module")
def grid_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("grid")
    summary = _render(out, "urals_price=13:33:10", "rub_usd=80,90")
    return out, summary


def test_every_point_renders_and_the_failed_ones_are_listed(grid_out):
    out, summary = grid_out
    status = {o.report.point: o.status for o in summary.outcomes}
    assert status == {f"war_premium@urals_price={u},rub_usd={r}": "failed" if u == 13 else "ok"
                      for u in (13, 23, 33) for r in (80, 90)}
    assert summary.exit_code == 1
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    entry = manifest["war_premium.urals_price-23.rub_usd-90/01_grid"]
    assert entry["point"] == "war_premium@urals_price=23,rub_usd=90"
    assert entry["axes"] == {"urals_price": 23.0, "rub_usd": 90.0}
    assert entry["results"]["og_revenue_2026_bn_rub"]["value"] == revenue(23, 90) == 3105.0
    page = (out / "grids/war_premium.urals_price.rub_usd.html").read_text()
    assert ('<ul class="failed"><li><a href="../war_premium.urals_price-13.rub_usd-80/01_grid.html">'
            "war_premium@urals_price=13,rub_usd=80</a> failed</li>") in page


def test_the_grid_page_links_each_cell_to_its_report_with_its_number(grid_out):
    out, _ = grid_out
    page = (out / "grids/war_premium.urals_price.rub_usd.html").read_text()
    for urals in (23, 33):
        for rate in (80, 90):
            href = f"../war_premium.urals_price-{urals}.rub_usd-{rate}/01_grid.html"
            assert (out / "grids" / href).resolve().is_file()
            shown = f"{revenue(urals, rate):,.0f}"
            assert re.search(rf'href="{re.escape(href)}" title="[^"]+">{shown}</a>', page), shown
    assert page.count('<table class="heatmap">') == 4  # revenue, gap, deficit, fund
    assert "http" not in page
    data = json.loads(re.search(r'<script type="application/json" id="grid-data">(.*?)</script>',
                                page, re.S).group(1))
    assert data["33|90"]["id"] == "war_premium@urals_price=33,rub_usd=90"
    assert data["33|90"]["rows"][0] == ["O&G revenue 2026", "4,455", "bn RUB"]
    assert data["13|80"]["rows"][0][1] == "failed"
    index = (out / "index.html").read_text()
    # the named grid of data/scenarios.yaml on the same preset and axes gives the page its title
    assert ('<a href="grids/war_premium.urals_price.rub_usd.html">War premium — Urals price against the '
            "rouble</a>") in index
    assert "6 points, 2 failed" in index
    assert "war_premium.urals_price" not in index.split("<h2>Reports</h2>")[1]  # not in the main table


def test_the_grid_csv_and_json_hold_the_reports_numbers(grid_out):
    out, _ = grid_out
    rows = list(csv.DictReader(io.StringIO((out / "grids/war_premium.urals_price.rub_usd.csv").read_text())))
    assert len(rows) == 6
    row = next(r for r in rows if r["urals_price"] == "33" and r["rub_usd"] == "80")
    assert float(row["og_revenue_2026_bn_rub"]) == revenue(33, 80)
    assert float(row["nwf_end_bn_rub"]) == round(4000 + revenue(33, 80) / 10, 1)
    assert row["report"] == "war_premium.urals_price-33.rub_usd-80/01_grid.html"
    payload = json.loads((out / "grids/war_premium.urals_price.rub_usd.json").read_text())
    assert payload["axes"] == ["urals_price", "rub_usd"] and len(payload["points"]) == 6
    assert payload["results"] == list(gridpage.KEY_RESULTS)


def test_a_rerun_renders_nothing_and_a_new_axis_value_only_the_new_points(grid_out):
    out, _ = grid_out
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if p.name != "index.html"
              and "grids" not in p.parts}
    again = _render(out, "urals_price=23:33:10", "rub_usd=80,90")
    assert {o.status for o in again.outcomes} == {"skipped"}
    more = _render(out, "urals_price=23:33:10", "rub_usd=80,90,100")
    assert {o.report.point: o.status for o in more.outcomes if o.status != "skipped"} == {
        "war_premium@urals_price=23,rub_usd=100": "ok", "war_premium@urals_price=33,rub_usd=100": "ok"}
    assert {p: p.stat().st_mtime_ns for p in before} == before
    payload = json.loads((out / "grids/war_premium.urals_price.rub_usd.json").read_text())
    assert len(payload["points"]) == 8  # the page gathers every point rendered here


def test_cli_prints_the_point_count(cli, tmp_path):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(GRID_NOTEBOOKS), "--output", str(out),
                               "--no-pdf", "-s", "war_premium", "--grid", "urals_price=50,60"])
    assert result.exit_code == 0, result.output
    assert "grid: 2 points x 1 notebooks = 2 reports" in result.output
    assert (out / "war_premium.urals_price-60/01_grid.html").is_file()


def test_the_grid_and_cluster_modules_keep_the_no_op_render_light():
    """A re-run with every point rendered must not pay for pandas, papermill, the model or Dask."""
    import subprocess
    import sys

    code = ("import sys, oilimpact.report.gridplan, oilimpact.report.gridpage, oilimpact.report.pool, "
            "oilimpact.report.cluster, oilimpact.cli; print(' '.join(sorted(m for m in ('pandas', 'numpy', "
            "'papermill', 'oilimpact.model', 'jupyter_client', 'matplotlib', 'distributed', 'dask') "
            "if m in sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def test_a_third_axis_gives_small_multiples():
    entries = {}
    for urals in (40.0, 50.0):
        for rate in (80.0, 90.0):
            for volume in (-10.0, 0.0, 10.0):
                point = gridplan.Point("war_premium", (("urals_price", urals), ("rub_usd", rate),
                                                       ("export_volume_change", volume)))
                value = revenue(urals, rate) * (1 + volume / 100)
                entries[point.folder] = {
                    "notebook": "01_grid.ipynb", "notebook_name": "01_grid", "scenario": "war_premium",
                    "status": "ok", "point": point.id, "outputs": [f"{point.folder}/01_grid.html"],
                    "axes": {"rub_usd": rate, "export_volume_change": volume, "urals_price": urals},
                    "results": {"og_revenue_2026_bn_rub": {"value": value, "unit": "bn RUB", "label": "O&G"}},
                }
    (grid,) = gridpage.gather(entries)
    assert grid.axes == ("urals_price", "rub_usd", "export_volume_change") and len(grid.points) == 12
    page = gridpage.grid_html(grid)
    assert page.count('<table class="heatmap">') == 3
    assert "<caption>Change in crude export volumes -10</caption>" in page
    assert "<th>Urals (tax price) ↓ · Roubles per US dollar →</th>" in page
    assert f">{revenue(50, 90) * 1.1:,.0f}</a>" in page
    data = json.loads(re.search(r'id="grid-data">(.*?)</script>', page, re.S).group(1))
    assert data["50|90|10"]["rows"] == [["O&G", f"{revenue(50, 90) * 1.1:,.0f}", "bn RUB"]]


_DOM = """
function el() {
  return {children: [], attrs: {}, className: '', _text: '',
          get textContent() { return this._text; },
          set textContent(v) { this._text = v; this.children = []; },
          appendChild(c) { this.children.push(c); }, setAttribute(k, v) { this.attrs[k] = v; },
          removeAttribute(k) { delete this.attrs[k]; }, addEventListener(e, f) { this.on = f; }};
}
const selects = [el(), el()]; selects[0].value = '33'; selects[1].value = '80';
const out = el(), link = el(), data = el(); data.textContent = BLOB;
globalThis.document = {getElementById: (id) => id === 'grid-data' ? data : link,
                       querySelectorAll: () => selects, querySelector: () => out, createElement: el};
"""
_SHOW = """
const rows = () => out.children.map((r) => r.children.map((c) => c.textContent));
console.log(JSON.stringify([link.textContent, link.attrs.href, rows()]));
selects[0].value = '13'; selects[0].on();
console.log(JSON.stringify([link.textContent, rows()[0]]));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="runs the page's script with node")
def test_the_calculator_picks_the_precomputed_point(grid_out):
    out, _ = grid_out
    page = (out / "grids/war_premium.urals_price.rub_usd.html").read_text()
    blob = re.search(r'id="grid-data">(.*?)</script>', page, re.S).group(1)
    script = re.search(r"<script>\n(.*?)</script>", page, re.S).group(1)
    source = _DOM.replace("BLOB", json.dumps(blob)) + script + _SHOW
    run = subprocess.run(["node", "-e", source], capture_output=True, text=True, timeout=30, check=True)
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first[:2] == ["war_premium@urals_price=33,rub_usd=80",
                         "../war_premium.urals_price-33.rub_usd-80/01_grid.html"]
    assert first[2][0] == ["O&G revenue 2026", f"{revenue(33, 80):,.0f}", "bn RUB"] and len(first[2]) == 4
    assert second == ["war_premium@urals_price=13,rub_usd=80", ["O&G revenue 2026", "failed", ""]]
