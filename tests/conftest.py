"""Shared fixtures: the project's folders and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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


def clear_model_caches() -> None:
    """Forget the model's cached history, context and engines (after the project's data changed)."""
    from oilimpact.model import budget, inputs

    for cached in (inputs.default_history, budget.default_context, budget.engine_for):
        cached.cache_clear()


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/, seeds/ and notebooks/ with an empty reports/, as the project root."""
    root = tmp_path / "project"
    for name in ("data", "seeds", "notebooks"):
        shutil.copytree(ROOT / name, root / name)
    (root / "reports").mkdir()
    monkeypatch.setenv("OILIMPACT_ROOT", str(root))
    clear_model_caches()
    yield root
    clear_model_caches()


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
