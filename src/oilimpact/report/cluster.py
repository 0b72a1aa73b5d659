"""Reports on a Dask cluster: ``oilimpact render --scheduler tcp://HOST:8786`` or ``--scheduler local:N``.

:class:`DaskExecutor` is the batch's executor (:class:`oilimpact.report.pool.Executor`) on Dask
distributed: one task per report. What it does about what is known to bite:

- **The package and the data on the workers.** A worker renders with its own ``oilimpact`` and its
  own data/, seeds/ and notebooks/: give every worker the same image (the same venv from
  requirements.txt and the same checkout, at the same path or with ``OILIMPACT_ROOT`` set). A task
  first compares the worker's :func:`~oilimpact.report.manifest.inputs_digest` and the notebook's
  digest with the coordinator's; a worker that differs fails the report with a message saying so,
  rather than render different numbers.
- **One kernel per task.** Each worker thread keeps its own warm kernel across its tasks, never
  shared between two running tasks; a kernel that will not start (a port taken by a kernel starting
  at the same moment on the same host) is retried with fresh ports.
- **Threads.** ``OMP_NUM_THREADS=1`` (and the BLAS equivalents) in the worker and so in its kernels:
  N kernels on N cores, not N × N threads.
- **Only the coordinator writes.** A task renders into a private temporary folder on the worker and
  returns the files' bytes; the coordinator writes them atomically into reports/ and records the
  manifest, so no worker needs the reports folder and nothing is ever half-written.
- **The same bytes whichever worker.** The outputs depend only on the inputs the digest covers and
  the coordinator's data date, passed with each task (a test checks LocalCluster against the pool).

Imported only when ``--scheduler`` is given (distributed takes a second to import).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from oilimpact.errors import OilImpactError
from oilimpact.project import atomic_write
from oilimpact.report.manifest import KERNEL_NAME, inputs_digest
from oilimpact.report.notebook import notebook_imports, read_notebook
from oilimpact.report.outcome import Outcome
from oilimpact.report.plan import Report
from oilimpact.report.pool import Job

SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
KERNEL_START_TRIES = 3
_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")
MAX_LOCAL_WORKERS = 64

_kernels: dict[int, Any] = {}  # worker thread id → its warm kernel (in a worker process)
_kernels_lock = threading.Lock()


def parse_scheduler(text: str) -> tuple[str, int | str]:
    """``local:N`` → ``("local", N)``; ``tcp://host:port`` → ``("remote", text)``."""
    local = _LOCAL.match(text)
    if local:
        workers = int(local.group(1))
        if not 1 <= workers <= MAX_LOCAL_WORKERS:
            raise OilImpactError(f"--scheduler {text}: from local:1 to local:{MAX_LOCAL_WORKERS} workers")
        return "local", workers
    if _REMOTE.match(text):
        return "remote", text
    raise OilImpactError(f"--scheduler {text!r}: give a scheduler address tcp://HOST:8786, or local:N for "
                         "a cluster of N worker processes here")


def _worker_kernel(cwd: Path, preload: Sequence[str]):
    """This worker thread's warm kernel, started (with retries) on its first task."""
    # Imported here, for start-up speed: only a worker that renders needs the kernel machinery.
    from oilimpact.report.kernel import WarmKernel

    key = threading.get_ident()
    with _kernels_lock:
        kernel = _kernels.get(key)
    if kernel is not None and kernel.alive() and kernel.cwd == cwd:
        return kernel
    if kernel is not None:
        kernel.shutdown()
    os.environ.update(SINGLE_THREADED)  # inherited by the kernel
    for attempt in range(KERNEL_START_TRIES):
        try:
            kernel = WarmKernel(KERNEL_NAME, cwd, preload)
            break
        except Exception:
            if attempt == KERNEL_START_TRIES - 1:
                raise
    with _kernels_lock:
        _kernels[key] = kernel
    return kernel


def shutdown_worker_kernels() -> int:
    """Stop this worker's warm kernels (run on every worker at the end of a render); how many."""
    with _kernels_lock:
        kernels = list(_kernels.values())
        _kernels.clear()
    for kernel in kernels:
        kernel.shutdown()
    return len(kernels)


def render_task(report: Report, job: Job, inputs: str, preload: Sequence[str]) -> dict[str, Any]:
    """On a worker: render ``report`` into a private folder; return how it went and the files' bytes."""
    # Imported here, for start-up speed: papermill and the model load on the worker, not the coordinator.
    from oilimpact.report.execute import render_one

    host = socket.gethostname()
    if inputs_digest() != inputs or read_notebook(report.notebook.path).digest != report.notebook.digest:
        return {"status": "failed", "seconds": 0.0, "files": {}, "title": "", "results": {},
                "message": f"worker on {host}: its data/, seeds/, notebook or oilimpact package differ from "
                           "the coordinator's; give every worker the same checkout and venv"}
    with tempfile.TemporaryDirectory(prefix="oilimpact-task-") as tmp:
        folder = Path(tmp)
        kernel = _worker_kernel(report.notebook.path.parent, preload)
        outcome = render_one(report, folder, kernel, pdf=job.pdf, date=job.date,
                             preset=job.presets.get(report.scenario or ""), limits=job.limits)
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in outcome.outputs}
    return {"status": outcome.status, "seconds": outcome.seconds, "files": files, "title": outcome.title,
            "results": outcome.results, "message": outcome.message}


def land(report: Report, payload: dict[str, Any], reports_dir: Path) -> Outcome:
    """The coordinator's side of a task: write the returned files atomically, make the outcome."""
    outputs = []
    for relative, data in payload["files"].items():
        target = reports_dir / relative
        atomic_write(target, data)
        outputs.append(target)
    if payload["files"] and payload["status"] == "failed":
        report.output(reports_dir, ".pdf").unlink(missing_ok=True)  # as render_one does: no stale PDF
    return Outcome(report, payload["status"], payload["seconds"], outputs, payload["message"],
                   payload["title"], payload["results"])


class DaskExecutor:
    """Reports as Dask tasks on the scheduler at ``address`` (``tcp://HOST:PORT``) or on a
    ``LocalCluster`` of worker processes started here and closed at the end (``local:N``)."""

    def __init__(self, scheduler: str):
        self.scheduler = scheduler
        self.kind, self.target = parse_scheduler(scheduler)
        self._client: Any = None
        self._cluster: Any = None
        self._futures: dict[Any, Report] = {}
        self._landed: set[Any] = set()
        self._job: Job | None = None

    def _connect(self):
        # Imported here, for start-up speed: distributed is needed only on the cluster path.
        import logging

        from distributed import Client, LocalCluster

        if self.kind == "local":
            self._cluster = LocalCluster(n_workers=int(self.target), threads_per_worker=1, processes=True,
                                         dashboard_address=":0", silence_logs=logging.ERROR,
                                         env=dict(SINGLE_THREADED))
            return Client(self._cluster)
        try:
            return Client(str(self.target), timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise OilImpactError(f"--scheduler {self.scheduler}: cannot reach the scheduler ({exc})"
                                 ) from None

    def run(self, todo: Sequence[Report], job: Job) -> Iterator[Outcome]:
        # Imported here, for start-up speed: distributed is needed only on the cluster path.
        from distributed import as_completed

        self._job = job
        self._client = self._connect()
        inputs = inputs_digest()
        preload = notebook_imports(sorted({r.notebook.path for r in todo}))
        run_id = uuid.uuid4().hex[:8]
        self._futures = {
            self._client.submit(render_task, report, job, inputs, preload, pure=False,
                                key=f"oilimpact-{run_id}-{i}"): report
            for i, report in enumerate(todo)
        }
        for future in as_completed(list(self._futures)):
            self._landed.add(future)
            yield self._outcome(future)
        self._close()

    def _outcome(self, future) -> Outcome:
        report = self._futures[future]
        try:
            payload = future.result()
        except Exception as exc:  # the worker died or the task could not run: this report fails
            return Outcome(report, "failed", 0.0, message=f"on the cluster: {type(exc).__name__}: {exc}")
        assert self._job is not None
        return land(report, payload, self._job.reports_dir)

    def stop(self) -> list[Outcome]:
        finished = []
        for future, report in self._futures.items():
            if future in self._landed:
                continue
            if future.status == "finished":
                finished.append(self._outcome(future))
            else:
                future.cancel()
                finished.append(Outcome(report, "interrupted"))
        self._close()
        return finished

    def _close(self) -> None:
        if self._client is None:
            return
        with contextlib.suppress(Exception):  # a worker already gone has no kernel left to stop
            self._client.run(shutdown_worker_kernels)
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
        self._client = self._cluster = None
