"""Where a report's time goes: CPU and wall seconds per stage of its render.

A :class:`StageClock` travels with one report (:func:`oilimpact.report.execute.render_one`) and ends
up in its :class:`~oilimpact.report.outcome.Outcome`; ``oilimpact render --timings FILE`` writes every
report's stages, and ``bench/render_bench.py`` sums them over a batch. CPU is the worker thread's
(``time.thread_time``) plus, for a stage that runs in another process (the kernel executing cells),
that process's CPU over the stage. Reading the clocks costs microseconds; nothing else is done.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator

STAGES = ("kernel", "inject", "execute", "save", "data", "html", "pandoc", "typst", "manifest")
"""The stages in render order: kernel start or reset, parameter injection (papermill's load,
parameterize and metadata), cell execution, saving the executed notebook, the data package, the
HTML page, pandoc's conversion to Typst, the Typst compile, the manifest write."""


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far; 0 when it is gone or unknown."""
    if not pid:
        return 0.0
    import psutil  # here, for start-up speed (only a render with something to do reads it)

    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


class StageClock:
    """CPU and wall seconds per stage of one report, summed when a stage is entered twice."""

    def __init__(self) -> None:
        self.seconds: dict[str, tuple[float, float]] = {}
        self.marks: dict[str, list[tuple[float, float]]] = {}

    @staticmethod
    def now() -> tuple[float, float]:
        """(wall, thread CPU) clocks now."""
        return time.perf_counter(), time.thread_time()

    def mark(self, name: str) -> None:
        """Note the clocks under ``name`` (a boundary inside code that is timed as a whole)."""
        self.marks.setdefault(name, []).append(self.now())

    def span(self, name: str, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Add the time between two :meth:`now` readings to stage ``name``."""
        self.add(name, end[1] - start[1], end[0] - start[0])

    def add(self, name: str, cpu: float, wall: float) -> None:
        old_cpu, old_wall = self.seconds.get(name, (0.0, 0.0))
        self.seconds[name] = (old_cpu + max(cpu, 0.0), old_wall + max(wall, 0.0))

    @contextlib.contextmanager
    def stage(self, name: str, pid: int | None = None) -> Iterator[None]:
        """Time the block as stage ``name``; ``pid``'s CPU over the block counts too."""
        wall, cpu, other = time.perf_counter(), time.thread_time(), process_cpu(pid)
        try:
            yield
        finally:
            spent = time.thread_time() - cpu + (process_cpu(pid) - other if pid else 0.0)
            self.add(name, spent, time.perf_counter() - wall)

    def as_dict(self) -> dict[str, list[float]]:
        """``{stage: [cpu, wall]}`` in render order, rounded to the millisecond."""
        order = {name: i for i, name in enumerate(STAGES)}
        return {name: [round(cpu, 3), round(wall, 3)]
                for name, (cpu, wall) in sorted(self.seconds.items(), key=lambda kv: order.get(kv[0], 99))}


class TimedPopen(subprocess.Popen):
    """A :class:`subprocess.Popen` that keeps the child's resource usage when it is reaped, so the
    CPU a converter spent is known even while other threads run children of their own."""

    child_cpu = 0.0

    def _try_wait(self, wait_flags):  # CPython's reaping hook: os.wait4 instead of os.waitpid
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid:
            self.child_cpu = usage.ru_utime + usage.ru_stime
        return pid, status
