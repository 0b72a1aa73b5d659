"""How a render went: one :class:`Outcome` per report, the run's :class:`Summary`, and its table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oilimpact.fmt import fixed_width
from oilimpact.project import relative_to_root
from oilimpact.report.plan import Report


@dataclass
class Outcome:
    """How one report went."""

    report: Report
    status: str  # ok | failed | skipped | interrupted
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    message: str = ""
    title: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, list[float]] = field(default_factory=dict)  # stage → [cpu s, wall s] (stages.py)


@dataclass
class Summary:
    outcomes: list[Outcome]
    seconds: float
    index: Path | None
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 130 if self.interrupted else 1 if self.count("failed") else 0


def _display(path: Path) -> str:
    return relative_to_root(path) if path.is_absolute() else str(path)


def summary_table(summary: Summary, reports_dir: Path) -> str:
    """The end-of-run table: report, status, time, outputs; then totals and where the index is."""
    rows = []
    for outcome in summary.outcomes:
        if outcome.outputs:
            stem = outcome.outputs[0].with_suffix("")
            files = [p for p in outcome.outputs if p.parent == outcome.outputs[0].parent]
            data = len(outcome.outputs) - len(files)  # the data package's files, in <notebook>.data/
            suffixes = ",".join(p.suffix.lstrip(".") for p in files)
            where = f"{_display(stem)}.{{{suffixes}}}" if len(files) > 1 else _display(files[0])
            where += f" + {data} data files" if data else ""
        else:
            where = ""
        seconds = "-" if outcome.status == "skipped" else f"{outcome.seconds:.1f}s"
        rows.append((outcome.report.name, outcome.status, seconds, where, outcome.message))
    header = ("report", "status", "time", "outputs")
    table = fixed_width(header, [row[:4] for row in rows], rule=False)
    lines = [table[0]]
    for line, row in zip(table[1:], rows, strict=True):
        lines.append(line)
        if row[4]:
            lines.append(f"    {row[4]}")
    statuses = ("ok", "skipped", "failed", "interrupted")
    counts = [f"{summary.count(s)} {s}" for s in statuses if summary.count(s)]
    lines.append(f"{len(summary.outcomes)} reports: {', '.join(counts)} in {summary.seconds:.1f}s")
    if summary.interrupted:
        lines.append("interrupted: run the same command again to resume")
    if summary.index is not None:
        lines.append(f"index: {_display(summary.index)}")
    return "\n".join(lines)
