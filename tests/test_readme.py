"""The README documents what the project actually has: every assumption, preset and notebook."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oilimpact.model.scenarios import load_scenarios, scenario_names

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", list(yaml.safe_load((ROOT / "data/assumptions.yaml").read_text())))
def test_every_assumption_is_listed_with_its_source(key):
    row = next((line for line in README.splitlines() if line.startswith(f"| `{key}` |")), None)
    assert row is not None, f"README's assumptions table lacks {key}"
    assert row.count("|") >= 5 and "(" in row.rsplit("|", 2)[-2], row


@pytest.mark.parametrize("name", list(load_scenarios()))
def test_every_preset_is_described(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("notebook", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_every_notebook_says_what_it_reads_shows_and_records(notebook):
    assert f"| `{notebook}`" in README


def test_the_two_commands_and_the_picture_are_there():
    assert "make reports" in README and "make test" in README
    picture = README.split("](", 1)[1].split(")", 1)[0]
    assert (ROOT / picture).is_file(), picture


@pytest.mark.parametrize("name", scenario_names())
def test_the_scenario_tables_numbers_are_the_models(name):
    from oilimpact import model

    row = next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))
    a = model.run_scenario(model.resolve_parameters(name)).annual
    revenue, deficit, nwf = row.strip("| ").split(" | ")[2:5]
    assert revenue == f"{a['og_revenue_bn_rub']:,.0f} bn"
    assert deficit.startswith(f"{a['deficit_bn_rub']:,.0f} bn ({a['deficit_pct_gdp']:.2f} %")
    assert nwf == f"{a['nwf_end_balance_bn_rub']:,.0f} bn"
