"""One report: execute the notebook with papermill on a warm kernel, then write its HTML and PDF.

Imported by :mod:`oilimpact.report.batch` only when there is something to render (papermill, the
kernel machinery and the model are slow to import; a no-op ``render`` never loads them).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import papermill
from papermill.exceptions import PapermillExecutionError

from oilimpact.errors import OilImpactError
from oilimpact.model import resolve_parameters
from oilimpact.params import PARAMETER_SPECS
from oilimpact.project import atomic_write
from oilimpact.report import datapackage, export
from oilimpact.report.kernel import ENGINE_NAME, WarmKernel, register_engine
from oilimpact.report.manifest import KERNEL_NAME
from oilimpact.report.notebook import notebook_subject, notebook_title
from oilimpact.report.outcome import Outcome
from oilimpact.report.plan import Report
from oilimpact.report.pool import Limits
from oilimpact.report.stages import StageClock
from oilimpact.results import collect

FAILED_SUFFIX = ".failed"
"""A run that fails where a good report exists is written as ``<notebook>.failed.ipynb``/``.html``
beside it; the good ipynb, HTML and PDF stay until a run succeeds."""


def _good_report(path: Path) -> bool:
    """``path`` is an executed notebook of a run that did not fail (papermill marks one that did)."""
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False
    return not (metadata.get("papermill") or {}).get("exception")


def resolved_values(report: Report) -> dict[str, Any]:
    """The values the scenario gives the report's parameters of ours (``oilimpact.params``) — what
    ``resolve_parameters(scenario, **overrides)`` makes of them; empty for a notebook that is not ours
    or a scenario the project does not know."""
    if report.scenario is None:
        return {}
    injected = dict(report.parameters)
    names = [p.name for p in report.notebook.parameters if p.name in PARAMETER_SPECS
             and p.name != "scenario"]
    given = {p.name: injected.get(p.name, p.default) for p in report.notebook.parameters if p.name in names}
    try:
        resolved = resolve_parameters(
            report.scenario, **{k: v for k, v in given.items() if v is not None}).as_dict()
    except (OilImpactError, TypeError, ValueError):
        return {}
    return {name: resolved[name] for name in names if name in resolved}


def _report_info(report: Report, nb: dict[str, Any], date: str | None, failed: bool,
                 preset: dict[str, str] | None = None):
    injected = dict(report.parameters)
    resolved = resolved_values(report)
    parameters = []
    for p in report.notebook.parameters:
        value = injected.get(p.name, p.default)
        source = ""
        if value is None and p.name in resolved:
            value, source = resolved[p.name], "scenario"
        parameters.append(export.Parameter(p.name, value, p.help, p.name in report.user_set, source))
    return export.ReportInfo(
        title=notebook_title(nb, report.notebook.name), notebook=report.notebook.path.name,
        scenario=report.scenario, parameters=tuple(parameters), data_date=date, failed=failed,
        subject=notebook_subject(nb), scenario_title=(preset or {}).get("title", ""),
        scenario_description=(preset or {}).get("description", ""),
    )


LINE_CHARS = 10_000
"""The longest output line the export passes on: a longer one is broken (PDF/A allows no text string
over 32,767 characters, and a browser lays one out slowly)."""


def _wrapped(line: str) -> str:
    return "\n".join(line[i:i + LINE_CHARS] for i in range(0, len(line), LINE_CHARS)) or line


def capped_outputs(nb: dict[str, Any], limit: int) -> dict[str, Any]:
    """A copy of ``nb`` for the HTML and the PDF with each cell output's text clipped to ``limit``
    characters and any other payload over ``limit * 20`` bytes dropped, each with a note saying so:
    a cell printing megabytes must not make the export take minutes and gigabytes."""
    def clip(text: Any) -> Any:
        joined = "".join(text) if isinstance(text, list) else text
        if not isinstance(joined, str):
            return text
        if len(joined) > limit:
            joined = f"{joined[:limit]}\n[... output clipped: {len(joined):,} characters, {limit:,} shown]\n"
        elif max(map(len, joined.splitlines() or [""])) <= LINE_CHARS:
            return text
        return "\n".join(_wrapped(line) for line in joined.split("\n"))

    copy = json.loads(json.dumps(nb))
    for cell in copy.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if "text" in output:
                output["text"] = clip(output["text"])
            if "traceback" in output:
                output["traceback"] = [clip("\n".join(output["traceback"]))]
            data = output.get("data") or {}
            for mime, payload in list(data.items()):
                if mime.startswith("text/") or mime.endswith("json"):
                    data[mime] = clip(payload) if not isinstance(payload, dict) else payload
                elif len(str(payload)) > limit * 20:
                    data.pop(mime)
                    data.setdefault("text/plain", f"[{mime} output dropped: over {limit * 20:,} bytes]")
    return copy


def render_one(report: Report, reports_dir: Path, kernel: WarmKernel | None, *, pdf: bool = True,
               date: str | None = None, stop: threading.Event | None = None,
               preset: dict[str, str] | None = None, limits: Limits | None = None,
               clock: StageClock | None = None) -> Outcome:
    """Execute one report with papermill and export it; never raises for a notebook's own error.
    ``clock`` (kept in the outcome's ``stages``) times its stages."""
    step = execute_report(report, reports_dir, kernel, pdf=pdf, date=date, stop=stop, preset=preset,
                          limits=limits, clock=clock)
    return step if isinstance(step, Outcome) else export_report(step)


@dataclass
class Executed:
    """A report whose notebook ran and is saved (``target``): what :func:`export_report` needs."""

    report: Report
    reports_dir: Path
    nb: dict[str, Any]
    message: str  # the notebook's error, "" when it ran through
    target: Path  # the executed notebook as written
    keep: bool  # it failed and the last good report stays (this run is written beside it)
    started: float
    pdf: bool
    date: str | None
    stop: threading.Event | None
    preset: dict[str, str] | None
    limits: Limits
    clock: StageClock


def execute_report(report: Report, reports_dir: Path, kernel: WarmKernel | None, *, pdf: bool = True,
                   date: str | None = None, stop: threading.Event | None = None,
                   preset: dict[str, str] | None = None, limits: Limits | None = None,
                   clock: StageClock | None = None) -> Executed | Outcome:
    """The first half of :func:`render_one`: execute the notebook on ``kernel`` and save it. An
    :class:`Outcome` when there is nothing to export (interrupted, or papermill itself failed)."""
    limits = limits or Limits()
    clock = clock or StageClock()
    register_engine()
    started = time.perf_counter()
    target = report.output(reports_dir, ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex}.ipynb")
    message = ""
    try:
        begun = clock.now()
        try:
            try:
                nb = papermill.execute_notebook(
                    str(report.notebook.path), str(tmp), parameters=dict(report.parameters),
                    engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME, progress_bar=False,
                    request_save_on_cell_execute=False, execution_timeout=limits.cell_timeout,
                    warm_kernel=kernel, cwd=None if kernel else str(report.notebook.path.parent),
                    clock=clock,
                )
            except PapermillExecutionError as exc:
                message = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
                nb = json.loads(tmp.read_text(encoding="utf-8"))
        finally:
            engine = clock.marks.pop("engine", [])
            if len(engine) == 2:  # before the engine: load, parameterize; after: write the ipynb
                clock.span("inject", begun, engine[0])
                clock.span("save", engine[1], clock.now())
        if stop is not None and stop.is_set():
            tmp.unlink(missing_ok=True)
            return _timed(Outcome(report, "interrupted", time.perf_counter() - started), clock)
        keep = bool(message) and _good_report(target)
        if keep:  # the last good report stays; the failed run is written beside it
            target = target.with_name(f"{target.stem}{FAILED_SUFFIX}.ipynb")
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, Exception) and not (stop is not None and stop.is_set()):
            return _timed(Outcome(report, "failed", time.perf_counter() - started,
                                  message=f"{type(exc).__name__}: {exc}"), clock)
        return _timed(Outcome(report, "interrupted", time.perf_counter() - started), clock)
    return Executed(report, reports_dir, nb, message, target, keep, started, pdf, date, stop, preset, limits,
                    clock)


def _timed(outcome: Outcome, clock: StageClock) -> Outcome:
    outcome.stages = clock.as_dict()
    return outcome


def export_report(done: Executed) -> Outcome:
    """The second half of :func:`render_one`: the data package, HTML and PDF of an executed report.
    Touches no kernel, so a worker runs it while its kernel executes the next report."""
    report, reports_dir, nb, clock, target, keep = (done.report, done.reports_dir, done.nb, done.clock,
                                                    done.target, done.keep)
    stop, date, message = done.stop, done.date, done.message
    failed = bool(message)
    outputs = [target]
    prepared = clock.now()
    info = _report_info(report, nb, date, failed, done.preset)
    shown = capped_outputs(nb, done.limits.output_chars)
    try:
        html_path = target.with_suffix(".html")  # beside the last good report when this run failed
        data = datapackage.data_folder(report.output(reports_dir, ".html"))
        if failed:
            if not keep:  # a kept good report keeps its data
                datapackage.remove_report_data(data)
        else:
            outputs += datapackage.write_report_data(
                nb, data, name=f"{report.folder} {report.notebook.name}", title=f"{info.title}: the data",
                data_date=date, parameters=[(p.name, p.value, p.source or ("override" if p.overridden else
                                             "default")) for p in info.parameters],
                extra={"scenario": report.scenario or "", "notebook": report.notebook.path.name})
            info = replace(info, data_folder=data.name, data_files=frozenset(p.stem for p in outputs[1:]))
        clock.span("data", prepared, clock.now())
        with clock.stage("html"):
            atomic_write(html_path, export.html_report(shown, info))
        outputs.append(html_path)
        pdf_path = report.output(reports_dir, ".pdf")
        if done.pdf and not failed:
            atomic_write(pdf_path, export.pdf_report(shown, info, timeout=done.limits.export_timeout,
                                                     clock=clock))
            outputs.append(pdf_path)
        elif not keep:
            pdf_path.unlink(missing_ok=True)  # a stale PDF would contradict the failed notebook
        if not failed:
            for stale in (".ipynb", ".html"):  # the record of an earlier failed run, now superseded
                report.output(reports_dir, f"{FAILED_SUFFIX}{stale}").unlink(missing_ok=True)
    except export.ExportError as exc:
        if stop is not None and stop.is_set():  # Ctrl-C reaches pandoc too: not the report's fault
            return _timed(Outcome(report, "interrupted", time.perf_counter() - done.started), clock)
        failed, message = True, str(exc)
    return _timed(Outcome(report, "failed" if failed else "ok", time.perf_counter() - done.started, outputs,
                          message, info.title, collect(nb)), clock)
