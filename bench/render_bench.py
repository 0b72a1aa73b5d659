"""Render benchmark: ``oilimpact render`` cold and warm against the standard toolchain and the floor.

Reads notebooks/ and the scenario presets; writes only into a temporary folder. Prints, for the same
reports (every notebook × every preset, or ``--limit N`` of them):

- floor: the same code cells exec'd in one plain Python process (no kernel, no output files), wall
  and CPU seconds;
- cold: ``oilimpact render --force`` into an empty folder (execute + HTML + PDF) with ``--jobs 1``
  and with ``--jobs N``: wall, CPU of the whole process tree (``os.wait4``), and a stage table —
  kernel start or reset, parameter injection, execution, saving the notebook, data package, HTML,
  pandoc, Typst, manifest — as CPU and wall seconds summed over the batch and per report (from
  ``oilimpact render --timings``);
- warm: the ``--jobs N`` command again (nothing changed: every report skipped);
- toolchain: a loop of ``papermill`` CLI then ``jupyter nbconvert --to html --no-input`` per report
  (execute + HTML only, no PDF), one after the other as a shell loop does;
- targets: overhead per report (batch CPU minus the floor's, per report) against the floor's time
  per report, the cold ``--jobs N`` suite against the floor, warm no-op, peak memory (printed, never
  asserted: timings on a shared machine are noisy).

Then a scenario grid of 50 points × one notebook (``--grid-notebook``, default 03, no PDF):

- presets: the same notebook over the presets, ``--jobs`` workers (the per-report reference);
- grid, local pool: ``oilimpact render --grid ... --jobs N``: reports/s, time per report, stages;
- grid, warm: the same command again (every point skipped);
- grid, LocalCluster: the same grid with ``--scheduler local:N`` (N worker processes) into another
  folder: reports/s against the pool, and whether every HTML is byte-identical to the pool's;
- floor: the code cells of a few grid points exec'd in one plain process, per report.

Peak memory is the largest sum of RSS over the process tree (the command and its kernels), sampled
every 50 ms. Usage: ``python bench/render_bench.py [--jobs N] [--limit N] [--skip-toolchain]
[--grid-only | --skip-grid] [--grid AXIS ...] [--skip-cluster]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


CPU_SECONDS: dict[str, float] = {}  # command line → CPU seconds of its last run (process tree)


def measure(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, int]:
    """Wall seconds, peak RSS of the process tree in MiB, exit code. The tree's CPU seconds (the
    command, its kernels and converters, as reaped: ``os.wait4``) go into ``CPU_SECONDS``."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    root = psutil.Process(proc.pid)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        with contextlib.suppress(psutil.Error):
            tree = [root, *root.children(recursive=True)]
            total = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            peak = max(peak, total)
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    CPU_SECONDS[" ".join(cmd)] = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, peak / 2**20, proc.returncode


STAGE_NAMES = ("kernel", "inject", "execute", "save", "data", "html", "pandoc", "typst", "manifest")


def stage_table(timings: Path, cpu_total: float, wall_total: float, floor_cpu: float | None = None) -> None:
    """Where the reports' time went: each stage's CPU and wall seconds, summed over the batch and per
    report (from ``oilimpact render --timings``), against the whole command's CPU and wall."""
    reports = json.loads(timings.read_text())["reports"]
    n = max(len(reports), 1)
    sums = {name: [0.0, 0.0] for name in STAGE_NAMES}
    for stages in reports.values():
        for name, (cpu, wall) in stages.items():
            sums.setdefault(name, [0.0, 0.0])
            sums[name][0] += cpu
            sums[name][1] += wall
    print(f"  {'stage':<10} {'CPU s':>8} {'wall s':>8} {'CPU/report':>11} {'wall/report':>12}")
    for name, (cpu, wall) in sums.items():
        print(f"  {name:<10} {cpu:8.2f} {wall:8.2f} {cpu / n:11.3f} {wall / n:12.3f}")
    staged_cpu = sum(c for c, _ in sums.values())
    staged_wall = sum(w for _, w in sums.values())
    print(f"  {'staged':<10} {staged_cpu:8.2f} {staged_wall:8.2f} {staged_cpu / n:11.3f} "
          f"{staged_wall / n:12.3f}")
    print(f"  {'command':<10} {cpu_total:8.2f} {wall_total:8.2f} {cpu_total / n:11.3f} {wall_total / n:12.3f}"
          "   (the process tree's CPU; wall of the whole run)")
    print(f"  {'unstaged':<10} {cpu_total - staged_cpu:8.2f} {'':8} {(cpu_total - staged_cpu) / n:11.3f}"
          "   (start-up, planning, imports, index, threads outside the stages)")
    if floor_cpu is not None:
        print(f"  {'floor':<10} {floor_cpu:8.2f} {'':8} {floor_cpu / n:11.3f}"
              "   (the code cells in one plain process)")


def plan(limit: int | None):
    from oilimpact.report import plan as planning

    reports = planning.plan()
    return reports[:limit] if limit else reports


def floor(reports) -> float:
    """Every report's code cells exec'd in one Python process (Agg backend, stdout swallowed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cwd = os.getcwd()
    started = time.perf_counter()
    FLOOR_CPU[0] = time.process_time()
    for report in reports:
        nb = json.loads(report.notebook.path.read_text())
        os.chdir(report.notebook.path.parent)
        namespace: dict = {"__name__": "__main__"}
        injected = "\n".join(f"{k} = {v!r}" for k, v in report.parameters)
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb["cells"]:
                if cell["cell_type"] != "code":
                    continue
                source = "".join(cell["source"])
                exec(compile(source, report.notebook.name, "exec"), namespace)
                if "parameters" in cell.get("metadata", {}).get("tags", []):
                    exec(injected, namespace)
        plt.close("all")
    os.chdir(cwd)
    FLOOR_CPU[0] = time.process_time() - FLOOR_CPU[0]
    return time.perf_counter() - started


FLOOR_CPU = [0.0]  # CPU seconds of the last floor() run


def toolchain(reports, out: Path) -> tuple[float, float]:
    seconds, peak = 0.0, 0.0
    for report in reports:
        target = out / report.folder / f"{report.notebook.name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        params = [arg for name, value in report.parameters for arg in ("-p", name, str(value))]
        s1, m1, rc1 = measure([str(BIN / "papermill"), str(report.notebook.path), str(target), "-k",
                               "python3", "--cwd", str(report.notebook.path.parent), "--no-progress-bar",
                               *params])
        s2, m2, rc2 = measure([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)])
        if rc1 or rc2:
            print(f"  toolchain: {report.name} failed (papermill {rc1}, nbconvert {rc2})")
        seconds += s1 + s2
        peak = max(peak, m1, m2)
    return seconds, peak


GRID = ("urals_price=40:85:5", "rub_usd=70:110:10")  # 10 x 5 = 50 points


def grid_bench(jobs: int, notebook: str, axes: tuple[str, ...] = GRID, cluster: bool = True) -> None:
    from oilimpact.report import gridplan
    from oilimpact.report import plan as planning

    grid = gridplan.parse_grid("war_premium", gridplan.cli_axes(axes))
    reports = planning.plan_grids([grid], notebooks=[notebook])
    presets = [r for r in planning.plan(notebooks=[notebook]) if r.scenario]
    print(f"\ngrid: {grid.size} points x {reports[0].notebook.name} (no PDF), {os.cpu_count()} CPUs, "
          f"--jobs {jobs} / local:{jobs}")
    base = [str(BIN / "oilimpact"), "render", "-n", notebook, "--no-pdf"]
    grid_args = [a for axis in axes for a in ("--grid", axis)] + ["-s", "war_premium"]
    with tempfile.TemporaryDirectory(prefix="oilimpact-grid-bench-") as tmp:
        out = Path(tmp)
        preset_s, _mem, rc = measure([*base, "--jobs", str(jobs), "--output", str(out / "presets")])
        per_preset = preset_s / len(presets)
        print(f"presets ({len(presets)} reports, pool) : {preset_s:7.1f} s  {per_preset:5.2f} s/report  "
              f"exit {rc}")
        pool = [*base, *grid_args, "--jobs", str(jobs), "--output", str(out / "pool")]
        timed = [*pool, "--timings", str(out / "grid-timings.json")]
        pool_s, pool_mem, rc = measure(timed)
        per_point = pool_s / len(reports)
        print(f"grid, local pool        : {pool_s:7.1f} s  {len(reports) / pool_s:5.2f} reports/s  "
              f"{per_point:5.2f} s/report ({per_point / per_preset:.2f}x a preset report)  "
              f"peak {pool_mem:6.0f} MiB  exit {rc}")
        stage_table(out / "grid-timings.json", CPU_SECONDS[" ".join(timed)], pool_s)
        warm_s, _mem, rc = measure(pool)
        print(f"grid, warm re-run       : {warm_s:7.2f} s  exit {rc}")
        if cluster:
            cluster_bench(out, reports, base, grid_args, jobs, pool_s)
    sample = reports[:5]
    floor_s = floor(sample) / len(sample)
    print(f"floor (code cells only) : {floor_s:5.2f} s/report (CPU {FLOOR_CPU[0] / len(sample):5.2f} s); "
          f"a grid report costs {per_point / floor_s:.1f}x the floor")


def cluster_bench(out: Path, reports, base: list[str], grid_args: list[str], jobs: int,
                  pool_s: float) -> None:
    """The grid again on a Dask LocalCluster: time against the pool's, and the HTML byte-identical."""
    dask_s, dask_mem, rc = measure([*base, *grid_args, "--scheduler", f"local:{jobs}",
                                    "--output", str(out / "dask")])
    name = reports[0].notebook.name
    pages = sorted(p.relative_to(out / "pool") for p in (out / "pool").rglob(f"*/{name}.html"))
    same = all((out / "pool" / p).read_bytes() == (out / "dask" / p).read_bytes() for p in pages)
    print(f"grid, LocalCluster      : {dask_s:7.1f} s  {len(reports) / dask_s:5.2f} reports/s  "
          f"({dask_s / pool_s:.2f}x the pool's time)  peak {dask_mem:6.0f} MiB  exit {rc}  "
          f"HTML identical to the pool's: {'yes' if same and pages else 'NO'} ({len(pages)} pages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    parser.add_argument("--skip-toolchain", action="store_true")
    parser.add_argument("--grid-notebook", default="03", help="the notebook of the grid benchmark")
    parser.add_argument("--grid", dest="grid_axes", action="append", metavar="AXIS",
                        help=f"a grid axis NAME=START:STOP:STEP (repeatable; default {' '.join(GRID)})")
    parser.add_argument("--skip-cluster", action="store_true", help="no LocalCluster run of the grid")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--grid-only", action="store_true", help="only the grid benchmark")
    which.add_argument("--skip-grid", action="store_true", help="no grid benchmark")
    args = parser.parse_args()
    axes = tuple(args.grid_axes or GRID)
    if args.grid_only:
        grid_bench(args.jobs, args.grid_notebook, axes, not args.skip_cluster)
        return

    reports = plan(args.limit)
    selection: list[str] = []
    for report in reports:
        selection += ["-n", report.notebook.name]
        if report.scenario:
            selection += ["-s", report.scenario]
    names = sorted({arg for i, arg in enumerate(selection) if selection[i - 1] == "-n"})
    scenarios = sorted({arg for i, arg in enumerate(selection) if selection[i - 1] == "-s"})
    print(f"{len(reports)} reports ({len(names)} notebooks x {len(scenarios) or 1} scenarios), "
          f"{os.cpu_count()} CPUs, --jobs {args.jobs}")

    started_rss = psutil.Process().memory_info().rss
    floor_s = floor(reports)
    floor_cpu = FLOOR_CPU[0]
    floor_mem = max(psutil.Process().memory_info().rss, started_rss) / 2**20
    n = len(reports)
    print(f"floor (code cells only) : {floor_s:7.1f} s  {floor_s / n:5.2f} s/report  "
          f"CPU {floor_cpu:6.1f} s  rss {floor_mem:6.0f} MiB")

    cold: dict[int, tuple[float, float, float]] = {}  # jobs → wall, CPU, peak MiB
    warm = warm_mem = 0.0
    with tempfile.TemporaryDirectory(prefix="oilimpact-bench-") as tmp:
        out = Path(tmp)
        for jobs in sorted({1, args.jobs}):
            folder = out / f"ours-{jobs}"
            command = [str(BIN / "oilimpact"), "render", "--output", str(folder), "--jobs", str(jobs)]
            command += [a for n_ in names for a in ("-n", n_)] + [a for s in scenarios for a in ("-s", s)]
            timings = out / f"timings-{jobs}.json"
            cold_cmd = [*command, "--force", "--timings", str(timings)]
            seconds, mem, rc = measure(cold_cmd)
            cpu = CPU_SECONDS[" ".join(cold_cmd)]
            cold[jobs] = (seconds, cpu, mem)
            print(f"\ncold --jobs {jobs} (execute+HTML+PDF): {seconds:7.1f} s  {seconds / n:5.2f} s/report  "
                  f"CPU {cpu:6.1f} s ({cpu / n:4.2f} s/report)  {seconds / floor_s:4.2f}x the floor's wall  "
                  f"peak {mem:6.0f} MiB  exit {rc}")
            stage_table(timings, cpu, seconds, floor_cpu)
            if jobs == args.jobs:
                warm, warm_mem, rc = measure(command)
                print(f"warm  (nothing changed) : {warm:7.2f} s  peak {warm_mem:6.0f} MiB  exit {rc}")
                pdfs = sorted(folder.rglob("*.pdf"))
                if pdfs:
                    sizes = [p.stat().st_size for p in pdfs]
                    largest = max(pdfs, key=lambda p: p.stat().st_size).relative_to(folder)
                    print(f"PDF sizes: {min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KiB "
                          f"(largest {largest})")
        if not args.skip_toolchain:
            chain, chain_mem = toolchain(reports, out / "toolchain")
            print(f"toolchain (execute+HTML): {chain:7.1f} s  {chain / n:5.2f} s/report  "
                  f"peak {chain_mem:6.0f} MiB")
            print(f"ratios: toolchain/cold {chain / cold[args.jobs][0]:.1f}x, "
                  f"toolchain/floor {chain / floor_s:.1f}x")
    if 1 in cold and args.jobs in cold and args.jobs != 1:
        print(f"\nscaling: --jobs 1 {cold[1][0]:.1f} s ({cold[1][0] / floor_s:.2f}x the floor), --jobs "
              f"{args.jobs} {cold[args.jobs][0]:.1f} s ({cold[args.jobs][0] / floor_s:.2f}x the floor): "
              f"{cold[1][0] / cold[args.jobs][0]:.2f}x faster with {args.jobs} workers")
    wall, cpu, mem = cold[args.jobs]
    per_floor = floor_cpu / n  # the floor's CPU: its wall is inflated on a loaded machine
    print("targets (printed, not asserted; timings are noisy on a shared machine):")
    for jobs, (_w, jobs_cpu, _m) in sorted(cold.items()):
        extra = (jobs_cpu - floor_cpu) / n
        met = "met" if extra <= 0.3 * per_floor else "MISSED"
        print(f"  overhead per report, --jobs {jobs} (batch CPU - floor CPU) / n = {extra:.2f} s = "
              f"{extra / per_floor:.2f}x the floor's {per_floor:.2f} CPU s/report (target <= 0.30x): {met}")
    print(f"  cold suite, --jobs {args.jobs}: {wall:.1f} s = {wall / floor_s:.2f}x the one-process floor "
          f"{floor_s:.1f} s (target <= 0.75x): {'met' if wall <= 0.75 * floor_s else 'MISSED'}")
    print(f"  warm no-op: {warm:.2f} s (target <= 0.5 s): {'met' if warm <= 0.5 else 'MISSED'}")
    peak = max(m for _w, _c, m in cold.values())
    print(f"  peak memory: {peak:.0f} MiB = {peak * 2**20 / 1e9:.2f} GB (target <= 1.2 GB): "
          f"{'met' if peak * 2**20 <= 1.2e9 else 'MISSED'}")
    if not args.skip_grid:
        grid_bench(args.jobs, args.grid_notebook, axes, not args.skip_cluster)


if __name__ == "__main__":
    main()
