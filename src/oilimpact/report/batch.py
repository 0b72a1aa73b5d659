"""Batch rendering: every notebook × scenario → ``reports/<scenario>/<notebook>.{ipynb,html,pdf}``.

Reads ``notebooks/*.ipynb`` (any papermill-parameterized notebook: the first code cell tagged
``parameters``), the scenario presets (:mod:`oilimpact.presets`), ``data/`` and ``seeds/``. Writes the
reports, ``reports/manifest.json`` and ``reports/index.html``.

Method, in order:

1. :func:`oilimpact.report.plan.plan` — which reports, with which parameters, every input checked.
2. :func:`render` — content hashes (:mod:`oilimpact.report.manifest`: notebook, parameters, the files of
   data/ and seeds/ the notebook reads, the package's source and version) against ``manifest.json``: an
   unchanged report is skipped. The others go to an executor (:mod:`oilimpact.report.pool`: ``jobs``
   local threads, or a Dask cluster, :mod:`oilimpact.report.cluster`); each local worker keeps one warm
   Jupyter kernel (:mod:`oilimpact.report.kernel`) whose namespace, working folder and matplotlib state
   are reset between notebooks while the imported modules stay loaded — which is what makes a batch
   fast. Each report is executed (:func:`oilimpact.report.execute.execute_report`) and then exported
   (:func:`~oilimpact.report.execute.export_report`) on the worker's export thread while its kernel
   executes the next report. Every file is written to a temporary name in its folder and renamed, the
   manifest after each report, so Ctrl-C never leaves a half-written file and the next run resumes.

A notebook that fails keeps its executed ``.ipynb`` (error visible, as papermill writes it) and an
HTML page showing the traceback; it gets no PDF, is marked ``failed`` and the others go on.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from oilimpact import presets as preset_file
from oilimpact.articles import article_date
from oilimpact.errors import OilImpactError
from oilimpact.project import atomic_write, seeds_dir
from oilimpact.project import reports_dir as default_reports_dir
from oilimpact.report.index import write_index
from oilimpact.report.lock import RenderLock, render_lock
from oilimpact.report.manifest import (
    inputs_digest,
    load_manifest,
    report_key,
    write_manifest,
)
from oilimpact.report.outcome import Outcome, Summary
from oilimpact.report.plan import Report
from oilimpact.report.pool import Executor, Job, Limits, LocalPool
from oilimpact.report.revisions import record_revision
from oilimpact.report.stages import StageClock


def data_date() -> str | None:
    """The date of the data: the latest seed article date (its ``date YYYY-MM-DD`` header) or
    assumption ``accessed`` date."""
    # Imported here, for start-up speed: the model pulls in pandas, and only a run with something to
    # render needs the date (a no-op render must stay under a second).
    from oilimpact.model.assumptions import default_path, load_assumptions

    seeds = seeds_dir()
    days = [article_date(path) for path in sorted(seeds.glob("*.txt"))] if seeds.is_dir() else []
    found = [day.isoformat() for day in days if day is not None]
    accessed = load_assumptions().latest_accessed() if default_path().is_file() else None
    found += [accessed] if accessed else []
    return max(found) if found else None


def _manifest_entry(outcome: Outcome, key: str, reports_dir: Path) -> dict[str, Any]:
    report = outcome.report
    return {
        "key": key, "status": outcome.status, "notebook": report.notebook.path.name,
        "notebook_name": report.notebook.name, "scenario": report.scenario, "title": outcome.title,
        "parameters": dict(report.parameters), "seconds": round(outcome.seconds, 2),
        "outputs": [p.relative_to(reports_dir).as_posix() for p in outcome.outputs],
        "results": outcome.results, "message": outcome.message,
        "point": report.point, "axes": dict(report.axes),
    }


def render(
    reports: Sequence[Report],
    reports_dir: Path | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = True,
    progress: bool = True,
    presets: Sequence[str] = (),
    on_outcome: Callable[[Outcome], None] | None = None,
    executor: Executor | None = None,
    limits: Limits | None = None,
    timings: Path | None = None,
) -> Summary:
    """Render ``reports`` (from :func:`plan`) into ``reports_dir``; skip the unchanged ones. Holds the
    folder's render lock (:mod:`oilimpact.report.lock`) throughout. ``executor`` runs them (default a
    :class:`~oilimpact.report.pool.LocalPool` of ``jobs`` warm kernels). ``timings``: a JSON file to
    write each rendered report's stage times into (:mod:`oilimpact.report.stages`)."""
    reports_dir = Path(reports_dir) if reports_dir is not None else default_reports_dir()
    with render_lock(reports_dir) as held:
        summary = _render(reports, reports_dir, jobs=jobs, force=force, pdf=pdf, progress=progress,
                          presets=presets, on_outcome=on_outcome, executor=executor, held=held,
                          limits=limits or Limits())
    if timings is not None:
        stages = {o.report.name: o.stages for o in summary.outcomes if o.stages}
        atomic_write(timings, json.dumps({"seconds": round(summary.seconds, 3), "reports": stages}, indent=1))
    return summary


def _render(reports: Sequence[Report], reports_dir: Path, *, jobs: int | None, force: bool, pdf: bool,
            progress: bool, presets: Sequence[str], on_outcome: Callable[[Outcome], None] | None,
            executor: Executor | None, held: RenderLock, limits: Limits) -> Summary:
    started = time.perf_counter()
    inputs = {stem: inputs_digest(stem) for stem in {r.notebook.path.stem for r in reports}}
    manifest = load_manifest(reports_dir)
    before = {name: dict(entry) for name, entry in manifest.items()}
    keys = {r.name: report_key(r, inputs[r.notebook.path.stem], pdf) for r in reports}
    outcomes: list[Outcome] = []
    todo: list[Report] = []
    for report in reports:
        entry = manifest.get(report.name)
        fresh = (entry is not None and entry["key"] == keys[report.name] and entry["status"] == "ok"
                 and all((reports_dir / p).exists() for p in entry["outputs"]))
        if fresh and not force:
            outcomes.append(Outcome(report, "skipped", 0.0, [reports_dir / p for p in entry["outputs"]],
                                    title=entry["title"], results=entry["results"]))
        else:
            todo.append(report)

    date = data_date() if todo or not (reports_dir / "index.html").exists() else None
    interrupted = False
    if todo:
        executor = executor or LocalPool(jobs or os.cpu_count() or 1)
        done, interrupted = _run_parallel(todo, reports_dir, executor, pdf, date, progress, manifest, keys,
                                          on_outcome, held, limits)
        outcomes += done
    index = None
    if todo and not interrupted:
        record_revision(reports_dir, before, manifest, {r.name for r in todo}, date)
    if not interrupted and (todo or not (reports_dir / "index.html").exists()):
        index = write_index(reports_dir, manifest, presets, date)
    elif (reports_dir / "index.html").exists():
        index = reports_dir / "index.html"
    order = {r.name: i for i, r in enumerate(reports)}
    outcomes.sort(key=lambda o: order[o.report.name])
    return Summary(outcomes, time.perf_counter() - started, index, interrupted)


def _run_parallel(todo, reports_dir, executor: Executor, pdf, date, progress, manifest, keys, on_outcome,
                  held: RenderLock, limits: Limits):
    job = Job(reports_dir, pdf, date, preset_file.preset_summaries(), limits)
    outcomes: list[Outcome] = []
    bar = tqdm(total=len(todo), unit="report", desc="render", disable=not progress, leave=False)

    def take(outcome: Outcome, save: bool = True) -> None:
        outcomes.append(outcome)
        if outcome.status in ("ok", "failed"):
            manifest[outcome.report.name] = _manifest_entry(outcome, keys[outcome.report.name], reports_dir)
            if save:
                held.check()  # the folder deleted under us: stop, a second render may own it now
                clock = StageClock()
                with clock.stage("manifest"):
                    write_manifest(reports_dir, manifest)  # OilImpactError when the disk is full
                outcome.stages.update(clock.as_dict())
        bar.set_postfix_str(f"{outcome.report.name} {outcome.status}", refresh=False)
        bar.update(1)
        if on_outcome is not None:
            on_outcome(outcome)

    interrupted = False
    try:
        for outcome in executor.run(todo, job):
            take(outcome)
    except OilImpactError:  # the manifest could not be written (disk full, folder gone): stop cleanly
        executor.stop()
        raise
    except KeyboardInterrupt:
        interrupted = True
        # Reports the workers finished around the Ctrl-C are whole: record them, so the next run
        # skips them (the manifest write the Ctrl-C may have cut short is redone here too).
        for outcome in executor.stop():
            take(outcome, save=False)
        write_manifest(reports_dir, manifest)
    finally:
        bar.close()
    return outcomes, interrupted
