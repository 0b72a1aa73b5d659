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
