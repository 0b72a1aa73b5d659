"""Shared fixtures: the project's folders and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds(root: Path) -> Path:
    return root / "seeds"


@pytest.fixture()
def cli() -> CliRunner:
    return CliRunner()


REAL_SCENARIO = "war_premium"


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report of each of the project's notebooks, rendered once per session (one kernel): the
    scenario notebooks on war_premium (06 against the budget law), 00_brief once. Tests that use it
    share the xdist group ``real-reports``, so one worker renders it."""
    from oilimpact.report import batch, plan

    out = tmp_path_factory.mktemp("real-reports")
    names = [p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    reports = plan.plan(notebooks=names, scenarios=[REAL_SCENARIO])
    summary = batch.render(reports, out, jobs=1, progress=False, presets=plan.preset_names())
    failed = [f"{o.report.name}: {o.message}" for o in summary.outcomes if o.status != "ok"]
    assert not failed, failed
    return out
