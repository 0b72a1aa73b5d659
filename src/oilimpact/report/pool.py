"""How reports are run: the executor interface of the batch, and its local implementation.

An executor takes the reports to render and yields each one's :class:`Outcome` as it finishes; the
batch (:mod:`oilimpact.report.batch`) records them — manifest, progress, index — on its own thread.
:class:`LocalPool` runs them in ``jobs`` threads here, each with one warm kernel;
:class:`oilimpact.report.cluster.DaskExecutor` hands the same reports to a Dask cluster. Light at
import: the kernel machinery is imported when a pool starts.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from oilimpact.report.manifest import KERNEL_NAME
from oilimpact.report.notebook import notebook_imports
from oilimpact.report.outcome import Outcome
from oilimpact.report.plan import Report
from oilimpact.report.stages import StageClock, process_cpu


@dataclass(frozen=True)
class Limits:
    """How long and how much one report may take (``oilimpact render --cell-timeout`` etc.)."""

    cell_timeout: float = 600.0  # seconds per notebook cell; the kernel is interrupted after it
    export_timeout: float = 120.0  # seconds for pandoc's conversion of one report
    output_chars: int = 200_000  # characters of one cell output shown in the HTML and the PDF


@dataclass(frozen=True)
class Job:
    """What every report of one run shares."""

    reports_dir: Path
    pdf: bool = True
    date: str | None = None
    presets: dict[str, dict[str, str]] = field(default_factory=dict)  # name → title, description
    limits: Limits = field(default_factory=Limits)


class Executor(Protocol):
    """Runs reports; the batch iterates :meth:`run` and calls :meth:`stop` on Ctrl-C or a fatal error."""

    def run(self, todo: Sequence[Report], job: Job) -> Iterator[Outcome]:
        """Yield one outcome per report of ``todo`` as each finishes (files already in place)."""
        ...

    def stop(self) -> list[Outcome]:
        """Interrupt what is running; return the outcomes that finished but were not yielded."""
        ...


class LocalPool:
    """``jobs`` threads on this machine, each keeping one warm kernel across the reports it runs and,
    when there are more cores than workers, exporting each report while its kernel executes the next."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self._stop = threading.Event()
        self._finished: queue.Queue[Outcome] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._kernels: list = []
        self._lock = threading.Lock()

    def run(self, todo: Sequence[Report], job: Job) -> Iterator[Outcome]:
        # Imported here, for start-up speed: papermill, jupyter_client and the model take seconds to
        # import and a run where every report is up to date never needs them.
        from oilimpact.report.execute import Executed, execute_report, export_report
        from oilimpact.report.kernel import WarmKernel

        pending: queue.Queue[Report] = queue.Queue()
        for report in todo:
            pending.put(report)
        cwd = todo[0].notebook.path.parent
        preload = notebook_imports(sorted({r.notebook.path for r in todo}))

        def exported(report: Report, future: Future) -> Outcome:
            try:
                return future.result()
            except Exception as exc:  # e.g. the disk filled up under the HTML: this report fails
                return Outcome(report, "failed", 0.0, message=f"{type(exc).__name__}: {exc}")

        # With a core to spare, each worker exports a report (data, HTML, pandoc, Typst) on its own
        # export thread while its kernel executes the next one; at most one export waits, so memory
        # stays bounded. With a worker per core there is no core for it: measured on 2 cores with 2
        # workers, overlapping cost ~10 % more CPU for no gain in time, so the export runs in line.
        overlap = self.jobs < (os.cpu_count() or 1)

        def worker() -> None:
            kernel: WarmKernel | None = None
            exporter = ThreadPoolExecutor(1, thread_name_prefix=f"{threading.current_thread().name}-export")
            exporting: Future | None = None

            def export(report: Report, step: Executed) -> Future:
                future = exporter.submit(export_report, step)
                # Recorded as soon as it is written, not when the next execution ends (resume).
                future.add_done_callback(lambda done: self._finished.put(exported(report, done)))
                return future

            try:
                while not self._stop.is_set():
                    try:
                        report = pending.get_nowait()
                    except queue.Empty:
                        return
                    clock = StageClock()
                    step: Executed | Outcome
                    try:
                        if kernel is None or not kernel.alive():
                            if kernel is not None:
                                kernel.shutdown()
                            with clock.stage("kernel"):
                                kernel = WarmKernel(KERNEL_NAME, cwd, preload)
                            clock.add("kernel", process_cpu(kernel.pid), 0.0)  # its start and imports
                            with self._lock:
                                self._kernels.append(kernel)
                        step = execute_report(report, job.reports_dir, kernel, pdf=job.pdf, date=job.date,
                                              stop=self._stop, preset=job.presets.get(report.scenario or ""),
                                              limits=job.limits, clock=clock)
                    except Exception as exc:  # kernel would not start: this report fails, the rest go on
                        step = Outcome(report, "failed", 0.0, message=f"{type(exc).__name__}: {exc}")
                    if exporting is not None:
                        futures.wait([exporting])  # one export at a time per worker
                        exporting = None
                    if isinstance(step, Outcome):
                        self._finished.put(step)
                    elif overlap:
                        exporting = export(report, step)
                    else:
                        self._finished.put(exported(report, exporter.submit(export_report, step)))
            finally:
                if kernel is not None:  # idle now: stopped first, its memory back while the export ends
                    kernel.shutdown()
                exporter.shutdown(wait=True)  # the last export, and its outcome recorded

        self._threads = [threading.Thread(target=worker, name=f"render-{i}", daemon=True)
                         for i in range(min(self.jobs, len(todo)))]
        for thread in self._threads:
            thread.start()
        given = 0
        while given < len(todo) and any(t.is_alive() for t in self._threads) or not self._finished.empty():
            try:
                outcome = self._finished.get(timeout=0.2)
            except queue.Empty:
                continue
            given += 1
            yield outcome
        # Each worker shuts its kernel down on the way out: wait for that, or the process could end
        # first, leaving the kernel to notice its parent is gone and its connection file (with the
        # signing key) in the temp folder.
        for thread in self._threads:
            thread.join(timeout=30)

    def stop(self) -> list[Outcome]:
        self._stop.set()
        with self._lock:
            for kernel in self._kernels:
                kernel.interrupt()
        for thread in self._threads:
            thread.join(timeout=30)
        left = []
        while not self._finished.empty():
            left.append(self._finished.get_nowait())
        return left
