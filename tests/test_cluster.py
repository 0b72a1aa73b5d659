"""The Dask path: a grid rendered on a LocalCluster (processes, 2 workers) gives the same files, byte for
byte, and the same recorded results as the local pool; the scheduler option's errors; a worker whose
inputs differ from the coordinator's refuses to render. Local sockets only (127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="dask distributed is not installed")

from oilimpact.cli import main  # noqa: E402  (after the skip: this module needs distributed)
from oilimpact.errors import OilImpactError  # noqa: E402
from oilimpact.report import batch, cluster, gridplan, plan  # noqa: E402
from oilimpact.report.pool import Job, LocalPool  # noqa: E402

pytestmark = pytest.mark.xdist_group("render")

GRID_NOTEBOOKS = Path(__file__).parent / "fixtures" / "grid"
PRESETS = ["budget_law", "war_premium"]


def _reports():
    grid = gridplan.parse_grid("war_premium", gridplan.cli_axes(["urals_price=13,50,70", "rub_usd=90"]))
    return plan.plan_grids([grid], GRID_NOTEBOOKS, presets=PRESETS)


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".pdf", ".csv") and p.name != "index.html"}


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 worker processes, reached through its tcp:// address like a remote one."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  host="127.0.0.1") as local:
        yield local.scheduler_address


def test_the_cluster_renders_the_same_bytes_as_the_local_pool(tmp_path, scheduler):
    pool_out, dask_out = tmp_path / "pool", tmp_path / "dask"
    pool = batch.render(_reports(), pool_out, executor=LocalPool(2), progress=False, presets=PRESETS)
    dask = batch.render(_reports(), dask_out, executor=cluster.DaskExecutor(scheduler), progress=False,
                        presets=PRESETS)
    status = {o.report.point: o.status for o in dask.outcomes}
    assert status == {"war_premium@urals_price=13,rub_usd=90": "failed",
                      "war_premium@urals_price=50,rub_usd=90": "ok",
                      "war_premium@urals_price=70,rub_usd=90": "ok"}
    assert status == {o.report.point: o.status for o in pool.outcomes}
    failed = next(o for o in dask.outcomes if o.status == "failed")
    assert "ValueError: unlucky price" in failed.message

    files = _files(dask_out)
    assert "war_premium.urals_price-50.rub_usd-90/01_grid.pdf" in files
    assert "war_premium.urals_price-13.rub_usd-90/01_grid.html" in files  # the failed point's traceback page
    assert "war_premium.urals_price-13.rub_usd-90/01_grid.pdf" not in files
    assert files == _files(pool_out)

    def results(out: Path) -> dict:
        manifest = json.loads((out / "manifest.json").read_text())["reports"]
        return {name: (e["status"], e["results"], e["outputs"]) for name, e in manifest.items()}

    assert results(dask_out) == results(pool_out)
    entry = json.loads((dask_out / "manifest.json").read_text())["reports"]
    assert entry["war_premium.urals_price-70.rub_usd-90/01_grid"]["results"]["og_revenue_2026_bn_rub"][
        "value"] == 70 * 90 * 1.5
    assert not [p for p in dask_out.rglob(".*") if p.name != ".render.lock"]  # nothing half-written

    again = batch.render(_reports(), dask_out, executor=cluster.DaskExecutor(scheduler), progress=False,
                         presets=PRESETS)
    assert [o.status for o in again.outcomes if o.status != "failed"] == ["skipped", "skipped"]


def test_workers_keep_no_kernel_after_a_render(scheduler):
    with distributed.Client(scheduler) as client:
        assert set(client.run(cluster.shutdown_worker_kernels).values()) == {0}


def test_cli_local_cluster(cli, tmp_path):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(GRID_NOTEBOOKS), "--output", str(out),
                               "--no-pdf", "--grid", "urals_price=50,60", "--scheduler", "local:2"])
    assert result.exit_code == 0, result.output
    assert "2 reports: 2 ok" in result.output
    assert (out / "budget_law.urals_price-60/01_grid.html").read_text().rstrip().endswith("</html>")
    grid = json.loads((out / "grids/budget_law.urals_price.json").read_text())
    assert [p["results"]["og_revenue_2026_bn_rub"] for p in grid["points"]] == [50 * 90 * 1.5, 60 * 90 * 1.5]


@pytest.mark.parametrize(("address", "message"), [
    ("local:0", "--scheduler local:0: from local:1 to local:64 workers"),
    ("nope", "--scheduler 'nope': give a scheduler address tcp://HOST:8786, or local:N for a cluster"),
    ("tcp://host", "--scheduler 'tcp://host': give a scheduler address"),
])
def test_bad_scheduler_is_one_line(cli, tmp_path, address, message):
    with pytest.raises(OilImpactError, match="--scheduler"):
        cluster.parse_scheduler(address)
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--notebooks-dir", str(GRID_NOTEBOOKS), "--output", str(out),
                               "--scheduler", address])
    assert result.exit_code == 2 and result.output.startswith(f"error: {message}")
    assert result.output.count("\n") == 1
    assert not out.exists()


def test_a_worker_with_other_inputs_refuses_to_render(tmp_path):
    report = _reports()[1]
    payload = cluster.render_task(report, Job(tmp_path), "another digest", [])
    assert payload["status"] == "failed" and payload["files"] == {}
    assert "differ from the coordinator's; give every worker the same checkout and venv" in payload["message"]


def test_stop_lands_what_finished_and_marks_the_rest_interrupted(tmp_path, scheduler):
    """What Ctrl-C does on the cluster path: the batch calls stop() while reports are still running."""
    reports = _reports()
    executor = cluster.DaskExecutor(scheduler)
    job = Job(tmp_path, pdf=False)
    first = next(executor.run(reports, job))
    rest = executor.stop()
    assert {o.report.name for o in [first, *rest]} == {r.name for r in reports}
    assert {o.status for o in rest} <= {"ok", "failed", "interrupted"}
    for outcome in [first, *rest]:
        if outcome.status == "ok":
            assert outcome.outputs and all(p.is_file() for p in outcome.outputs)
    assert executor._client is None  # the connection is closed
