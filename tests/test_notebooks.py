"""The notebook suite: structure (parameters, thinness, no outputs) and execution with papermill for the
defaults and every preset, asserting on the key results each notebook records."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from oilimpact.model.scenarios import load_scenarios
from oilimpact.results import collect

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_FACES = {"articles", "charts", "model", "story"}  # what notebooks may import from oilimpact
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PRESETS = list(load_scenarios())
OTHER_PRESETS = [name for name in PRESETS if name != "budget_law"]
PARAMETER_LINE = re.compile(r"^(?P<name>\w+): (?P<type>[\w\[\], ]+) = (?P<default>.+?)  # (?P<help>[^=]+)$")
FAST = {"05_risk": {"mc_paths": 2000}}  # fewer Monte Carlo paths in tests
SINGLE = {"00_brief"}  # notebooks without a scenario parameter
LAW_DEFICIT = 3786.4
JANUARY_DEFICIT = 1718.0  # published, data/assumptions.yaml budget_deficit_ytd
LAW_PLAN = 8918.0
GDP = 235067.0


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


# --- structure ----------------------------------------------------------------------------------


def test_the_suite_has_the_brief_the_five_notebooks_and_the_comparison():
    assert [p.stem for p in NOTEBOOKS] == [
        "00_brief",
        "01_article_figures",
        "02_price_scenarios",
        "03_budget_impact",
        "04_sanctions_levers",
        "05_risk",
        "06_compare",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_title_and_kernel(path):
    nb = _read(path)
    for cell in _code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert nb.metadata["title"] and nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_first_one_per_line_scenario_first_and_papermill_reads_it(path):
    nb = _read(path)
    first = _code_cells(nb)[0]
    assert "parameters" in first.metadata.get("tags", [])
    lines = [line for line in first.source.splitlines() if line and not line.startswith(("from ", "import "))]
    matches = [PARAMETER_LINE.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches, strict=True) if not m]
    if path.stem in SINGLE:  # renders once, over every scenario: no scenario parameter
        assert all(m["name"] != "scenario" for m in matches)
    else:
        assert matches[0]["name"] == "scenario" and matches[0]["default"] == '"budget_law"'
    assert all(m["default"] == "None" and "None" in m["help"] for m in matches if m["name"] != "scenario")
    inferred = pm.inspect_notebook(str(path))
    assert list(inferred) == [m["name"] for m in matches]
    assert all(p["help"] for p in inferred.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_cell_after_parameters_validates_through_the_package(path):
    second = _code_cells(_read(path))[1].source
    assert "model.resolve_parameters(" in second and "story.setup()" in second


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path):
    """No def, class or lambda, no file handling or parsing, a few lines per cell: the package does it."""
    transform = TransformerManager().transform_cell
    for cell in _code_cells(_read(path))[1:]:
        tree = ast.parse(transform(cell.source))
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                cell.source
            )
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in {"open", "read_csv", "read_text", "load", "loads", "exec", "eval"}, (
                    cell.source
                )
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                )
                assert all(m.split(".")[0] in {"oilimpact", "typing"} for m in modules), cell.source
                if isinstance(node, ast.ImportFrom) and node.module == "oilimpact":
                    names = {a.name for a in node.names}
                    assert names <= PUBLIC_FACES, f"{path.name} imports {names - PUBLIC_FACES}: {cell.source}"
                else:  # nothing below the public faces: no oilimpact.model.budget, oilimpact.params ...
                    assert all(m in {"typing", *(f"oilimpact.{f}" for f in PUBLIC_FACES)} for m in modules), (
                        cell.source
                    )
        statements = len(tree.body)
        assert statements <= 8 and len(cell.source.splitlines()) <= 14, cell.source


def test_markdown_cells_type_no_model_numbers():
    """Prose numbers are computed: markdown cells may name the budget's $59 and the article's figures in
    the introduction, but no result of the model (bn RUB amounts, percentages of GDP)."""
    for path in NOTEBOOKS:
        for cell in _read(path).cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\d[\d,.]* ?(bn|trn)\b|% of GDP", cell.source), (path.stem, cell.source)


# --- execution ----------------------------------------------------------------------------------

_CACHE: dict[tuple[str, str | None], nbformat.NotebookNode] = {}


def _execute(stem: str, tmp: Path, parameters: dict[str, Any]) -> nbformat.NotebookNode:
    out = tmp / f"{stem}-{parameters.get('scenario', 'defaults')}.ipynb"
    return pm.execute_notebook(
        str(ROOT / "notebooks" / f"{stem}.ipynb"),
        str(out),
        parameters=dict(FAST.get(stem, {}), **parameters),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp),
    )


def _run(stem: str, scenario: str | None, tmp: Path) -> nbformat.NotebookNode:
    """Execute once per (notebook, scenario) per worker; ``None`` runs the notebook's own defaults."""
    key = (stem, scenario)
    if key not in _CACHE:
        _CACHE[key] = _execute(stem, tmp, {} if scenario is None else {"scenario": scenario})
    return _CACHE[key]


def _results(nb: nbformat.NotebookNode) -> dict[str, float]:
    return {name: payload["value"] for name, payload in collect(nb).items()}


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in _code_cells(nb) for o in cell.outputs]


def _check_clean(nb: nbformat.NotebookNode, charts: int) -> None:
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == charts
    assert not [o for o in outputs if "image/png" in o.get("data", {})]  # vector only
    assert all("<dc:date>" not in o["data"]["image/svg+xml"] for o in svgs)
    prose = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert prose and all("$" not in re.sub(r"\\\$", "", text) for text in prose)  # money, not LaTeX


def _check(stem: str, scenario: str, values: dict[str, float]) -> None:
    """Assertions every run of a notebook must satisfy, against the package computed independently."""
    from oilimpact.model import counterfactual, resolve_parameters, run_scenario

    if stem == "01_article_figures":
        assert values["urals_latest_usd"] == 72 and values["budget_urals_usd"] == 59
        assert values["urals_december_usd"] == 50 and values["urals_gap_to_budget_usd"] == 13
        assert values["og_revenue_jan_yoy_pct"] == -50
        assert values["events_count"] >= 5 and values["figures_count"] >= 5
        return
    if stem == "00_brief":
        assert [values[f"brief_sentence_{k}"][:8] for k in (1, 2, 3)] == ["In every", "The 2026", "The fund"]
        assert values["card_per_usd_full_bn_rub"] == pytest.approx(172.2, abs=0.5)
        assert values["card_per_discount_full_bn_rub"] == pytest.approx(-values["card_per_usd_full_bn_rub"])
        assert "January 2026" in [v for k, v in values.items() if k.startswith("data_as_of_")]
        return
    params = resolve_parameters(scenario)
    annual = run_scenario(params).annual
    if stem == "02_price_scenarios":
        assert values["urals_avg_2026_usd"] == pytest.approx(annual["urals_average_usd_bbl"])
        assert values["urals_gap_to_budget_2026_usd"] == pytest.approx(annual["urals_average_usd_bbl"] - 59)
        # the one counterfactual: the article's $72 from March against the law's $59, rest as in the scenario
        assert values["article_price_gain_bn_rub"] == pytest.approx(counterfactual(params, 72.0))
        assert values["article_price_gain_bn_rub"] == pytest.approx(
            13 * annual["sensitivity_urals_price_rest_of_year_bn_rub"], rel=1e-6)
        assert 0 <= values["months_above_us_cap_pct"] <= values["months_above_eu_cap_pct"] <= 100
    elif stem == "03_budget_impact":
        assert values["law_deficit_bn_rub"] == LAW_DEFICIT
        assert values["og_revenue_2026_bn_rub"] - values["og_gap_to_plan_bn_rub"] == pytest.approx(LAW_PLAN)
        assert values["deficit_bn_rub"] == pytest.approx(annual["deficit_bn_rub"])
        assert values["deficit_pct_gdp"] == pytest.approx(100 * values["deficit_bn_rub"] / GDP)
        assert values["nwf_end_bn_rub"] == pytest.approx(annual["nwf_end_balance_bn_rub"])
        assert 0 <= values["nwf_end_covering_bn_rub"] <= values["nwf_end_bn_rub"]
        assert "model_at_law_bn_rub" not in values  # a calibration is not shown as a check
        assert 0 < values["rolling_median_ape_pct"] <= 5.0
    elif stem == "04_sanctions_levers":
        # the card is one fixed baseline: the same numbers whichever scenario the report is about
        assert values["sensitivity_per_usd_bn_rub"] == pytest.approx(172.2, abs=0.5)
        assert values["sensitivity_per_rub_bn_rub"] == pytest.approx(76.7, abs=0.5)
        assert values["scenario_per_usd_rest_bn_rub"] == pytest.approx(
            annual["sensitivity_urals_price_rest_of_year_bn_rub"])
    elif stem == "06_compare":  # against compare_to's default: the budget law, or for the budget law
        # itself War premium held (not a page of zeros)
        from oilimpact.story import default_other

        law = run_scenario(resolve_parameters(default_other(params.scenario))).annual
        assert values["og_revenue_2026_bn_rub"] == pytest.approx(annual["og_revenue_bn_rub"])
        assert values["compare_og_revenue_2026_bn_rub"] == pytest.approx(law["og_revenue_bn_rub"])
        assert values["difference_og_revenue_2026_bn_rub"] == pytest.approx(
            annual["og_revenue_bn_rub"] - law["og_revenue_bn_rub"])
    elif stem == "05_risk":
        assert values["mc_paths"] == FAST["05_risk"]["mc_paths"]
        assert 0 <= values["p_urals_avg_above_budget"] <= 100 and 0 <= values["p_deficit_above_law"] <= 100
        assert values["deficit_p5_bn_rub"] < values["deficit_p50_bn_rub"] < values["deficit_p95_bn_rub"]


CHARTS = {
    "00_brief": 0,
    "01_article_figures": 2,
    "02_price_scenarios": 1,
    "03_budget_impact": 6,
    "04_sanctions_levers": 2,
    "05_risk": 2,
    "06_compare": 2,
}
RUNS = [
    pytest.param(p.stem, s, id=f"{p.stem}-{s or 'defaults'}", marks=pytest.mark.xdist_group(p.stem))
    for p in NOTEBOOKS
    for s in ([None] if p.stem in SINGLE else [None, *OTHER_PRESETS])
]


@pytest.mark.notebook
@pytest.mark.parametrize(("stem", "scenario"), RUNS)
def test_notebook_runs_and_records_its_key_results(stem, scenario, tmp_path_factory):
    nb = _run(stem, scenario, tmp_path_factory.mktemp("nb"))
    _check_clean(nb, CHARTS[stem])
    values = _results(nb)
    words = ("brief_sentence_", "data_as_of_")  # the brief's sentences and the data's dates are text
    assert all(isinstance(v, (int, float)) or k.startswith(words) for k, v in values.items())
    _check(stem, scenario or "budget_law", values)


@pytest.mark.notebook
@pytest.mark.xdist_group("03_budget_impact")
def test_scenarios_move_the_results_the_right_way(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nb")
    budget = {s: _results(_run("03_budget_impact", s, tmp)) for s in (None, "war_premium", "pre_war")}
    assert budget["war_premium"]["og_revenue_2026_bn_rub"] > budget[None]["og_revenue_2026_bn_rub"]
    assert budget["pre_war"]["deficit_bn_rub"] > budget[None]["deficit_bn_rub"] > LAW_DEFICIT
    assert budget["war_premium"]["nwf_end_bn_rub"] > budget["pre_war"]["nwf_end_bn_rub"]


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("stem", "name", "value", "expected"),
    [
        ("03_budget_impact", "urals_price", -5, "parameter urals_price: must be a number > 0"),
        ("03_budget_impact", "scenario", "nope", "unknown scenario 'nope'; known scenarios: budget_law"),
        ("01_article_figures", "article", "999", "parameter article: no article matches '999'"),
    ],
)
def test_a_bad_parameter_stops_with_the_package_one_line_error(stem, name, value, expected, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as failed:
        _execute(stem, tmp_path, {name: value})
    assert failed.value.ename == "OilImpactError"
    assert expected in failed.value.evalue and "\n" not in failed.value.evalue
    assert failed.value.traceback == [f"OilImpactError: {failed.value.evalue}"]  # one line, no traceback


TICKED = re.compile(r"`([^`\n]+)`")
FILE_NAME = re.compile(r"^[\w./-]+(?:\.(?:csv|yaml|ipynb|txt)|/)$")
CODE_WORDS = re.compile(r"\b[a-z]{2,}_[a-z0-9_]+\b|\w\(\)")
"""What a reader should never meet in prose: a backticked identifier (file names are fine), a
snake_case name or a function call."""


@pytest.mark.notebook
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS],
                         ids=[p.stem for p in NOTEBOOKS])
def test_prose_has_no_code_identifiers(stem, tmp_path_factory):
    nb = _run(stem, None, tmp_path_factory.mktemp("nb"))
    texts = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    texts += [o["data"]["text/markdown"] for o in _outputs(nb) if "text/markdown" in o.get("data", {})]
    found = {t for text in texts for t in TICKED.findall(text) if not FILE_NAME.match(t)}
    found |= {m.group(0) for text in texts for m in CODE_WORDS.finditer(TICKED.sub("", text))}
    assert sorted(found) == []


@pytest.mark.notebook
@pytest.mark.xdist_group("03_budget_impact")
def test_the_brief_shows_the_numbers_the_budget_reports_record(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nb")
    brief = _run("00_brief", None, tmp)
    table = next(o["data"]["text/html"] for o in _outputs(brief)
                 if "text/html" in o.get("data", {}) and "Gap to plan" in o["data"]["text/html"])
    for scenario in ("war_premium", "pre_war"):
        values = _results(_run("03_budget_impact", scenario, tmp))
        title = html.escape(load_scenarios()[scenario].title)  # rows are headed by the scenario's title
        row = table.split(f"<th>{title}</th>", 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<td>([^<]*)</td>", row)
        # numbers grouped by thousands, with a real minus sign
        shown = [float(c.replace(",", "").replace("\u2212", "-")) for c in cells]
        assert shown[1:] == [
            round(values["og_revenue_2026_bn_rub"]), round(values["og_gap_to_plan_bn_rub"]),
            round(values["deficit_bn_rub"]), round(values["deficit_pct_gdp"], 2),
            round(values["nwf_end_bn_rub"])]
        assert "," in cells[1]  # 8,406, not 8406


@pytest.mark.notebook
@pytest.mark.xdist_group("00_brief_pdf")
def test_the_brief_is_one_page_in_its_pdf(tmp_path):
    """Page 1 of the brief's PDF holds the whole brief: the three sentences, the table, the card, the
    break-even prices and the data's dates (the parameters appendix may follow)."""
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "oilimpact", "render", "-n", "00", "--jobs", "1",
                           "--output", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    first = " ".join(PdfReader(out / "default" / "00_brief.pdf").pages[0].extract_text().split())
    first = first.replace("\u2019", "'")  # typographic apostrophes
    for text in ("In every scenario 2026 oil and gas revenue stays below the law's plan",
                 "below plan", "The sensitivity card", "75 RUB/USD",
                 "How recent the data are", "February–March's", "nowcast",
                 "Its one check missed the published 1 February balance"):
        assert text in first, text
