"""Render benchmark: ``oilimpact render`` cold and warm against the standard toolchain and the floor.

Reads notebooks/ and the scenario presets; writes only into a temporary folder. Prints, for the same
reports (every notebook × every preset, or ``--limit N`` of them):

- cold: ``oilimpact render --force`` into an empty folder (execute + HTML + PDF), ``--jobs`` workers;
- warm: the same command again (nothing changed: every report skipped);
- toolchain: a loop of ``papermill`` CLI then ``jupyter nbconvert --to html --no-input`` per report
  (execute + HTML only, no PDF), one after the other as a shell loop does;
- floor: the same code cells exec'd in one plain Python process (no kernel, no output files).

Then a scenario grid of 50 points × one notebook (``--grid-notebook``, default 03, no PDF):

- presets: the same notebook over the presets, ``--jobs`` workers (the per-report reference);
- grid, local pool: ``oilimpact render --grid ... --jobs N``: reports/s and time per report;
- grid, warm: the same command again (every point skipped);
- grid, LocalCluster: the same grid with ``--scheduler local:N`` (N worker processes) into another
  folder: reports/s against the pool, and whether every HTML is byte-identical to the pool's;
- floor: the code cells of a few grid points exec'd in one plain process, per report.

Peak memory is the largest sum of RSS over the process tree (the command and its kernels), sampled
every 50 ms. Usage: ``python bench/render_bench.py [--jobs N] [--limit N] [--skip-toolchain]
[--grid-only | --skip-grid]``.
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


def measure(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, int]:
    """Wall seconds, peak RSS of the process tree in MiB, exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            tree = [root, *root.children(recursive=True)]
            total = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            peak = max(peak, total)
        time.sleep(0.05)
    return time.perf_counter() - started, peak / 2**20, proc.returncode


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
    return time.perf_counter() - started


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


def grid_bench(jobs: int, notebook: str) -> None:
    from oilimpact.report import gridplan
    from oilimpact.report import plan as planning

    grid = gridplan.parse_grid("war_premium", gridplan.cli_axes(GRID))
    reports = planning.plan_grids([grid], notebooks=[notebook])
    presets = [r for r in planning.plan(notebooks=[notebook]) if r.scenario]
    print(f"\ngrid: {grid.size} points x {reports[0].notebook.name} (no PDF), {os.cpu_count()} CPUs, "
          f"--jobs {jobs} / local:{jobs}")
    base = [str(BIN / "oilimpact"), "render", "-n", notebook, "--no-pdf"]
    grid_args = [a for axis in GRID for a in ("--grid", axis)] + ["-s", "war_premium"]
    with tempfile.TemporaryDirectory(prefix="oilimpact-grid-bench-") as tmp:
        out = Path(tmp)
        preset_s, _mem, rc = measure([*base, "--jobs", str(jobs), "--output", str(out / "presets")])
        per_preset = preset_s / len(presets)
        print(f"presets ({len(presets)} reports, pool) : {preset_s:7.1f} s  {per_preset:5.2f} s/report  "
              f"exit {rc}")
        pool = [*base, *grid_args, "--jobs", str(jobs), "--output", str(out / "pool")]
        pool_s, pool_mem, rc = measure(pool)
        per_point = pool_s / len(reports)
        print(f"grid, local pool        : {pool_s:7.1f} s  {len(reports) / pool_s:5.2f} reports/s  "
              f"{per_point:5.2f} s/report ({per_point / per_preset:.2f}x a preset report)  "
              f"peak {pool_mem:6.0f} MiB  exit {rc}")
        warm_s, _mem, rc = measure(pool)
        print(f"grid, warm re-run       : {warm_s:7.2f} s  exit {rc}")
        dask_s, dask_mem, rc = measure([*base, *grid_args, "--scheduler", f"local:{jobs}",
                                        "--output", str(out / "dask")])
        name = reports[0].notebook.name
        pages = sorted(p.relative_to(out / "pool") for p in (out / "pool").rglob(f"*/{name}.html"))
        same = all((out / "pool" / p).read_bytes() == (out / "dask" / p).read_bytes() for p in pages)
        print(f"grid, LocalCluster      : {dask_s:7.1f} s  {len(reports) / dask_s:5.2f} reports/s  "
              f"({dask_s / pool_s:.2f}x the pool's time)  peak {dask_mem:6.0f} MiB  exit {rc}  "
              f"HTML identical to the pool's: {'yes' if same and pages else 'NO'} ({len(pages)} pages)")
    sample = reports[:5]
    floor_s = floor(sample) / len(sample)
    print(f"floor (code cells only) : {floor_s:5.2f} s/report; a grid report costs "
          f"{per_point / floor_s:.1f}x the floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    parser.add_argument("--skip-toolchain", action="store_true")
    parser.add_argument("--grid-notebook", default="03", help="the notebook of the grid benchmark")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--grid-only", action="store_true", help="only the grid benchmark")
    which.add_argument("--skip-grid", action="store_true", help="no grid benchmark")
    args = parser.parse_args()
    if args.grid_only:
        grid_bench(args.jobs, args.grid_notebook)
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

    with tempfile.TemporaryDirectory(prefix="oilimpact-bench-") as tmp:
        out = Path(tmp)
        command = [str(BIN / "oilimpact"), "render", "--output", str(out / "ours"), "--jobs", str(args.jobs)]
        command += [a for n in names for a in ("-n", n)] + [a for s in scenarios for a in ("-s", s)]
        cold, cold_mem, rc = measure([*command, "--force"])
        print(f"cold  (execute+HTML+PDF): {cold:7.1f} s  {cold / len(reports):5.2f} s/report  "
              f"peak {cold_mem:6.0f} MiB  exit {rc}")
        warm, warm_mem, rc = measure(command)
        print(f"warm  (nothing changed) : {warm:7.2f} s  peak {warm_mem:6.0f} MiB  exit {rc}")
        pdfs = sorted((out / "ours").rglob("*.pdf"))
        if pdfs:
            sizes = [p.stat().st_size for p in pdfs]
            largest = max(pdfs, key=lambda p: p.stat().st_size).relative_to(out / "ours")
            print(f"PDF sizes: {min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KiB (largest {largest})")
        if not args.skip_toolchain:
            chain, chain_mem = toolchain(reports, out / "toolchain")
            print(f"toolchain (execute+HTML): {chain:7.1f} s  {chain / len(reports):5.2f} s/report  "
                  f"peak {chain_mem:6.0f} MiB")
        started_rss = psutil.Process().memory_info().rss
        floor_s = floor(reports)
        floor_mem = max(psutil.Process().memory_info().rss, started_rss) / 2**20
        print(f"floor (code cells only) : {floor_s:7.1f} s  {floor_s / len(reports):5.2f} s/report  "
              f"rss {floor_mem:6.0f} MiB")
        if not args.skip_toolchain:
            print(f"ratios: toolchain/cold {chain / cold:.1f}x, cold/floor {cold / floor_s:.1f}x, "
                  f"toolchain/floor {chain / floor_s:.1f}x")
    if not args.skip_grid:
        grid_bench(args.jobs, args.grid_notebook)


if __name__ == "__main__":
    main()
