"""Batch rendering: planning and validation, warm-kernel execution, failures, the cache, the CLI.

The fixture notebooks (tests/fixtures/notebooks) are tiny: 01 has every output kind and a
``scenario`` parameter, 02 has no scenario, 03 fails on purpose. Kernels are real (papermill).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oilimpact import presets
from oilimpact.cli import main
from oilimpact.errors import OilImpactError
from oilimpact.report import batch, notebook, plan

pytestmark = pytest.mark.xdist_group("render")

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
SLOW = Path(__file__).parent / "fixtures" / "slow" / "04_slow.ipynb"  # not in FIXTURES: it takes seconds
PRESETS = {"low": {"title": "Low price", "description": "A cheap barrel."},
           "high": {"title": "", "description": ""}}


@pytest.fixture()
def fixture_presets(monkeypatch):
    monkeypatch.setattr(presets, "preset_summaries", lambda: PRESETS)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """All fixtures × {low, high} rendered once (5 reports, 2 workers)."""
    out = tmp_path_factory.mktemp("reports")
    reports = plan.plan(FIXTURES, presets=list(PRESETS), overrides=["years=4"])
    summary = batch.render(reports, out, jobs=2, progress=False, presets=list(PRESETS))
    return out, summary


# --- parameters ------------------------------------------------------------------------------------


def test_parameters_cell_is_read_as_papermill_reads_it_and_more():
    """Same names, types, defaults and help as papermill's inspect_notebook — plus the ``X | None``
    lines that papermill 2.7's regex skips (it sees 4 of the 6 parameters of 01_tables)."""
    import ast

    from papermill.inspection import inspect_notebook

    ours = {p.name: p for p in notebook.read_notebook(FIXTURES / "01_tables.ipynb").parameters}
    theirs = inspect_notebook(str(FIXTURES / "01_tables.ipynb"))
    for name, spec in theirs.items():
        assert ours[name].type_name == spec["inferred_type_name"]
        assert ours[name].default == ast.literal_eval(spec["default"])
        assert ours[name].help == spec["help"]
    assert set(ours) - set(theirs) == {"discount", "urals_price"}
    assert ours["urals_price"] == notebook.NotebookParameter(
        "urals_price", "float|None", None, "Urals price override, $/bbl")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_overrides_round_trip(value):
    param = notebook.NotebookParameter("x", "float|None", None)
    assert plan.coerce(param, repr(value), "nb") == value


@given(st.integers())
def test_int_overrides_round_trip_and_reject_text(value):
    param = notebook.NotebookParameter("n", "int", 0)
    assert plan.coerce(param, str(value), "nb") == value
    with pytest.raises(OilImpactError, match="parameter n: 'x1' is not of type int"):
        plan.coerce(param, "x1", "nb")


def test_optional_and_bool_overrides():
    assert plan.coerce(notebook.NotebookParameter("d", "float|None", None), "none", "nb") is None
    assert plan.coerce(notebook.NotebookParameter("d", "Optional[int]", None), "7", "nb") == 7
    assert plan.coerce(notebook.NotebookParameter("f", "bool", True), "no", "nb") is False
    assert plan.coerce(notebook.NotebookParameter("s", "str", ""), "07", "nb") == "07"


def test_plan_is_notebooks_times_presets_and_scenarioless_once():
    reports = plan.plan(FIXTURES, presets=["low", "high"], overrides=["price=72.5"])
    assert [r.name for r in reports] == [
        "low/01_tables", "high/01_tables", "default/02_plain", "low/03_failing", "high/03_failing",
    ]
    assert dict(reports[1].parameters) == {"scenario": "high", "price": 72.5}
    assert dict(reports[2].parameters) == {}  # 02 has no `price`: the override does not reach it
    narrowed = plan.plan(FIXTURES, presets=["low", "high"], scenarios=["high"], notebooks=["01"])
    assert [r.name for r in narrowed] == ["high/01_tables"]


def test_project_parameters_are_range_checked_by_oilimpact_params():
    with pytest.raises(OilImpactError, match="urals_price"):
        plan.plan(FIXTURES, presets=["low"], overrides=["urals_price=-5"])
    (report, *_rest) = plan.plan(FIXTURES, presets=["low"], notebooks=["01"], overrides=["urals_price=61"])
    assert dict(report.parameters)["urals_price"] == 61.0


# --- bad input: one line, exit 2, nothing written --------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["-n", "09_missing"], "-n 09_missing: no such notebook"),
    (["-s", "medium"], "-s medium: unknown scenario (have: low, high)"),
    (["-p", "nope=1"], "-p nope: no selected notebook has this parameter"),
    (["-p", "years=three"], "parameter years: 'three' is not of type int"),
    (["-p", "urals_price=-5"], "urals_price"),
    (["-p", "years"], "write it as name=value"),
    (["-p", "scenario=low"], "choose scenarios with -s"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, fixture_presets, args, message):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(FIXTURES), "--output", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert not out.exists()


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "-rf", "default"])
def test_scenario_names_cannot_escape_reports(cli, tmp_path, monkeypatch, name):
    monkeypatch.setattr(presets, "preset_summaries", dict)  # no presets: any safe -s name is taken
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(FIXTURES), "--output", str(out), "-s", name])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: scenario {name!r}: not usable as a folder name")
    assert not out.exists()


# --- a batch ---------------------------------------------------------------------------------------


def test_batch_renders_every_report_and_isolates_the_failure(rendered):
    out, summary = rendered
    status = {o.report.name: o.status for o in summary.outcomes}
    assert status == {"low/01_tables": "ok", "high/01_tables": "ok", "default/02_plain": "ok",
                      "low/03_failing": "failed", "high/03_failing": "failed"}
    assert summary.exit_code == 1
    for name in ("low/01_tables", "high/01_tables", "default/02_plain"):
        assert sorted(p.name for p in (out / name).parent.glob(Path(name).name + ".*")) == [
            f"{Path(name).name}.{s}" for s in ("data", "html", "ipynb", "pdf")]
    assert not (out / "low/03_failing.data").exists()  # a failed report has no data to trust
    failing = json.loads((out / "low/03_failing.ipynb").read_text())
    errors = [o for c in failing["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors[0]["evalue"] == "deliberate failure for the renderer test"
    assert failing["metadata"]["papermill"]["parameters"] == {"scenario": "low"}
    assert not (out / "low/03_failing.pdf").exists()
    assert "ValueError: deliberate failure" in (out / "low/03_failing.html").read_text()
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.ipynb"))


def test_results_and_parameters_reach_the_notebook(rendered):
    out, summary = rendered
    by_name = {o.report.name: o for o in summary.outcomes}
    assert by_name["high/01_tables"].results["revenue"]["value"] == 2400.0  # 60 $ × 10 × 4 years
    assert by_name["default/02_plain"].results["product"]["value"] == 42
    executed = json.loads((out / "high/01_tables.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"] == {"scenario": "high", "years": 4}


def test_warm_kernel_starts_each_notebook_clean(rendered):
    """Workers reuse kernels; every notebook still starts at execution count 1 in the notebooks dir."""
    out, _ = rendered
    for path in out.rglob("*.ipynb"):
        counts = [c["execution_count"] for c in json.loads(path.read_text())["cells"]
                  if c["cell_type"] == "code" and c["execution_count"] is not None]
        assert counts[0] == 1, path
        assert counts == list(range(1, len(counts) + 1)), path


def test_manifest_and_index(rendered):
    out, _ = rendered
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    assert set(manifest) == {"low/01_tables", "high/01_tables", "default/02_plain", "low/03_failing",
                             "high/03_failing"}
    assert manifest["low/03_failing"]["status"] == "failed"
    data = [f"low/01_tables.data/{name}" for name in ("datapackage.json", "results.csv", "parameters.csv")]
    assert manifest["low/01_tables"]["outputs"] == ["low/01_tables.ipynb", *data, "low/01_tables.html",
                                                    "low/01_tables.pdf"]
    index = (out / "index.html").read_text()
    assert '<a href="high/01_tables.pdf">PDF</a>' in index
    same = index.split("<h2>The same in every scenario</h2>")[1]
    assert '<td class="label">Oil revenue</td><td class="unit">bn $</td><td class="num">2,400</td>' in same
    assert '<span class="status-failed">failed</span>' in index
    assert "http://" not in index and "https://" not in index


def test_every_rendered_report_says_where_its_time_went(rendered, tmp_path):
    """Each outcome carries its stages (CPU and wall seconds, never negative; which stages, not how
    long), and ``--timings`` writes them as JSON."""
    from oilimpact.report.stages import STAGES

    _, summary = rendered
    for outcome in summary.outcomes:
        expected = set(STAGES) if outcome.status == "ok" else set(STAGES) - {"pandoc", "typst"}
        assert set(outcome.stages) == expected, outcome.report.name
        assert all(cpu >= 0 and wall >= 0 for cpu, wall in outcome.stages.values())
    timings = tmp_path / "timings.json"
    reports = plan.plan(FIXTURES, presets=["low"], notebooks=["02"])
    batch.render(reports, tmp_path / "out", jobs=1, progress=False, pdf=False, timings=timings)
    recorded = json.loads(timings.read_text())["reports"]
    assert list(recorded) == ["default/02_plain"]
    assert set(recorded["default/02_plain"]) == set(STAGES) - {"pandoc", "typst"}


def test_second_run_skips_what_is_unchanged(rendered):
    out, first = rendered
    reports = plan.plan(FIXTURES, presets=list(PRESETS), overrides=["years=4"], notebooks=["01", "02"])
    summary = batch.render(reports, out, jobs=2, progress=False, presets=list(PRESETS))
    assert [o.status for o in summary.outcomes] == ["skipped"] * 3
    assert summary.exit_code == 0


def test_changed_notebook_or_parameter_is_rerendered_alone(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("01_tables.ipynb", "02_plain.ipynb"):
        shutil.copy(FIXTURES / name, notebooks / name)
    out = tmp_path / "reports"

    def run(*overrides: str, force: bool = False) -> dict[str, str]:
        reports = plan.plan(notebooks, presets=["low"], overrides=list(overrides))
        summary = batch.render(reports, out, jobs=1, progress=False, pdf=False, force=force)
        return {o.report.name: o.status + (f": {o.message}" if o.message else "") for o in summary.outcomes}

    assert run() == {"low/01_tables": "ok", "default/02_plain": "ok"}
    html_before = (out / "default/02_plain.html").read_bytes()
    plain = json.loads((notebooks / "02_plain.ipynb").read_text())
    plain["cells"][1]["source"] = "factor: int = 3  # multiplier"
    (notebooks / "02_plain.ipynb").write_text(json.dumps(plain))
    assert run() == {"low/01_tables": "skipped", "default/02_plain": "ok"}
    assert (out / "default/02_plain.html").read_bytes() != html_before
    assert "63" in (out / "default/02_plain.html").read_text()
    assert run("price=70") == {"low/01_tables": "ok", "default/02_plain": "skipped"}
    assert run("price=70", force=True) == {"low/01_tables": "ok", "default/02_plain": "ok"}


def test_same_inputs_give_byte_identical_html_and_pdf(rendered, tmp_path):
    out, _ = rendered
    again = tmp_path / "again"
    reports = plan.plan(FIXTURES, presets=list(PRESETS), overrides=["years=4"], notebooks=["01"],
                          scenarios=["high"])
    batch.render(reports, again, jobs=1, progress=False, presets=list(PRESETS))
    for suffix in (".html", ".pdf"):
        name = f"high/01_tables{suffix}"
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_cli_exit_1_when_a_report_fails_and_prints_the_summary(cli, tmp_path, fixture_presets):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(FIXTURES), "--output", str(out),
                               "-n", "03", "-n", "02", "-s", "low", "--no-pdf", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["report", "status", "time", "outputs"]
    assert lines[1].split()[:2] == ["low/03_failing", "failed"]
    assert "ValueError: deliberate failure for the renderer test (cell 3)" in lines[2]
    assert lines[3].split()[:2] == ["default/02_plain", "ok"]
    assert lines[-2].startswith("2 reports: 1 ok, 1 failed")
    assert lines[-1] == f"index: {out / 'index.html'}"


# --- Ctrl-C: a real process, a real signal ---------------------------------------------------------


def _wait_for(condition, what: str, proc: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"render ended (exit {proc.returncode}) before {what}:\n{out}\n{err[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds:.0f} s")
        time.sleep(0.05)


def _processes_with_env(entry: str) -> list[int]:
    """Processes whose environment holds ``entry`` (``NAME=value``): the render and its kernels."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if entry.encode() in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:  # gone, or not ours
                continue
    return found


def _assert_whole(out: Path) -> list[str]:
    """Every file under ``out`` is complete; returns their paths relative to ``out``."""
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
                   and p.name != ".render.lock")  # the lock file stays (an empty flock target)
    for name in files:
        data = (out / name).read_bytes()
        if name.endswith((".ipynb", ".json")):
            json.loads(data)
        elif name.endswith(".pdf"):
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), name
        elif name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name
        elif name.endswith(".csv"):
            assert data.endswith(b"\r\n") and list(csv.reader(io.StringIO(data.decode()))), name
        elif name.endswith(".zip"):
            assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None, name
        else:
            pytest.fail(f"unexpected file {name} (a temporary file left behind?)")
    return files


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the kernels through /proc")
def test_ctrl_c_leaves_only_whole_files_and_the_next_run_resumes(tmp_path):
    """``python -m oilimpact render`` gets SIGINT (as from Ctrl-C, to its process group) while the slow
    notebook's cell sleeps: exit 130, no temporary or partial file, no kernel left, the manifest lists
    the finished report only; the same command then renders the rest and skips the finished one."""
    root = tmp_path / "project"  # no data/: no presets, the fixtures need none
    notebooks = root / "notebooks"
    notebooks.mkdir(parents=True)
    shutil.copy(FIXTURES / "02_plain.ipynb", notebooks)
    shutil.copy(SLOW, notebooks)
    out = tmp_path / "reports"
    marker = f"OILIMPACT_ROOT={root}"
    env = {**os.environ, "OILIMPACT_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "oilimpact", "render", "--output", str(out), "--jobs", "1"]

    def manifest() -> dict:
        return json.loads((out / "manifest.json").read_text())["reports"]

    def run() -> subprocess.Popen:
        return subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    proc = run()
    try:
        # jobs=1 renders 02_plain, then 04_slow; its cell touches 04_slow.running before sleeping.
        _wait_for(lambda: (notebooks / "04_slow.running").exists(), "slow cell", proc)
        assert list(manifest()) == ["default/02_plain"]
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr[-2000:]
        assert [line.split()[:2] for line in stdout.splitlines()[1:3]] == [
            ["default/02_plain", "ok"], ["default/04_slow", "interrupted"]]
        assert "interrupted: run the same command again to resume" in stdout

        data = ["datapackage.json", "parameters.csv", "results.csv"]
        assert _assert_whole(out) == [*(f"default/02_plain.data/{n}" for n in data), "default/02_plain.html",
                                      "default/02_plain.ipynb", "default/02_plain.pdf", "manifest.json"]
        assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != ".render.lock"]
        assert {name: entry["status"] for name, entry in manifest().items()} == {"default/02_plain": "ok"}
        _wait_for(lambda: not _processes_with_env(marker), "end of the kernels", proc, seconds=10)
        finished = {p: p.stat().st_mtime_ns for p in out.rglob("02_plain.*")}

        proc = run()
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr[-2000:]
        status = {line.split()[0]: line.split()[1] for line in stdout.splitlines()[1:3]}
        assert status == {"default/02_plain": "skipped", "default/04_slow": "ok"}
        assert {p: p.stat().st_mtime_ns for p in out.rglob("02_plain.*")} == finished
        assert _assert_whole(out) == sorted([
            "data.zip", "datapackage.json", "default/data.zip", "default/datapackage.json", "index.html",
            "manifest.json", "revisions.json",
            *(f"default/{nb}.{s}" for nb in ("02_plain", "04_slow")
              for s in [*(f"data/{n}" for n in data), "html", "ipynb", "pdf"])])
        assert manifest()["default/04_slow"]["results"]["slept"]["value"] == 2.0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in _processes_with_env(marker):  # kernels of a run that went wrong
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
