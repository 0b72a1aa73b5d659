"""Two scenarios side by side: the split of the revenue difference adds up and points the right way,
the comparison's plan and its errors, ``render --compare`` linked from the index; and the story
function that shows where a scenario sits in a grid."""

from __future__ import annotations

import json

import pytest

from oilimpact import model, story
from oilimpact.cli import main
from oilimpact.errors import OilImpactError
from oilimpact.report import plan


def _difference(a: str, b: str) -> tuple[float, story.Comparison]:
    c = story.compare(model.resolve_parameters(a), b)
    return float(c.first.annual["og_revenue_bn_rub"] - c.second.annual["og_revenue_bn_rub"]), c


@pytest.mark.parametrize(("a", "b"), [("war_premium", "budget_law"), ("sanctions_tighten", "pre_war"),
                                      ("hormuz_prolonged", "de_escalation")])
def test_the_steps_add_up_to_the_difference(a, b):
    total, c = _difference(a, b)
    steps = story.difference_steps(c)
    assert list(steps.index) == ["Brent price", "Urals discount", "Rouble rate", "Export volume",
                                 "Other inputs"]
    assert float(steps.sum()) == pytest.approx(total, abs=1e-6)


def test_each_step_moves_revenue_the_way_its_input_does():
    _total, c = _difference("sanctions_tighten", "budget_law")  # exports −10 %: less revenue
    steps = story.difference_steps(c)
    assert steps["Export volume"] < 0
    _total, c = _difference("war_premium", "budget_law")  # a dearer Brent, a stronger rouble
    steps = story.difference_steps(c)
    assert steps["Brent price"] > 0 and steps["Rouble rate"] < 0 and steps["Export volume"] == 0
    rate = model.run_scenario(c.second.params.replace(rub_usd=c.first.params.rub_usd))
    assert c.first.params.rub_usd < c.second.params.rub_usd
    assert float(rate.annual["og_revenue_bn_rub"]) < float(c.second.annual["og_revenue_bn_rub"])


def test_difference_table_by_year_sums_the_months():
    total, c = _difference("war_premium", "budget_law")
    years = story.difference_table(c, "year")
    months = story.difference_table(c, "month")
    assert years.loc["2026", "Difference, bn RUB"] == pytest.approx(round(total), abs=1)
    assert len(months) == 24 and months.loc["June 2025", "Difference, bn RUB"] == 0  # published months agree
    # the year's prices average its own twelve price months, as the annual table of every report does
    assert years.loc["2026", "Urals, War premium held"] == round(c.first.annual["urals_average_usd_bbl"], 1)
    assert months.loc["March 2026", "Urals, War premium held"] == 72.0  # the scenario's price from March
    assert "War premium held" in story.compare_markdown(c) and "Budget law" in story.compare_markdown(c)


def test_plan_compare_checks_its_scenarios():
    (report,) = plan.plan_compare("war_premium", "pre_war")
    assert report.name == "compare.war_premium.pre_war/06_compare"
    assert dict(report.parameters) == {"scenario": "war_premium", "compare_to": "pre_war"}
    with pytest.raises(OilImpactError, match="--compare nope: unknown scenario"):
        plan.plan_compare("nope", "pre_war")
    with pytest.raises(OilImpactError, match="give two different scenarios"):
        plan.plan_compare("pre_war", "pre_war")


@pytest.mark.xdist_group("render")
def test_render_compare_is_linked_from_the_index(cli, tmp_path):
    out = tmp_path / "reports"
    result = cli.invoke(main, ["render", "--compare", "sanctions_tighten", "budget_law", "--no-pdf",
                               "--output", str(out)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text()
    assert '<a href="compare.sanctions_tighten.budget_law/06_compare.html">' in index
    entry = json.loads((out / "manifest.json").read_text())["reports"][
        "compare.sanctions_tighten.budget_law/06_compare"]
    total, _c = _difference("sanctions_tighten", "budget_law")
    assert entry["results"]["difference_og_revenue_2026_bn_rub"]["value"] == pytest.approx(total)
    assert entry["point"] == "sanctions_tighten vs budget_law"


def test_a_notebook_can_show_where_its_point_sits_in_the_grid():
    p = model.resolve_parameters("war_premium")
    axes = {"urals_price": [40.0, 60.0, 80.0], "rub_usd": [70.0, 90.0]}
    frame = story.grid_frame(p, axes)
    assert frame.shape == (3, 2)
    expected = model.run_scenario(p.replace(urals_price=60.0, rub_usd=90.0)).annual["og_revenue_bn_rub"]
    assert frame.loc[60.0, 90.0] == round(expected)
    assert frame.loc[80.0, 90.0] > frame.loc[40.0, 90.0] and frame.loc[60.0, 90.0] > frame.loc[60.0, 70.0]
    own = model.run_scenario(p).annual["og_revenue_bn_rub"]  # Urals $72 at 77.27 RUB/USD
    below = int((frame.to_numpy() < own).sum())
    sentence = story.grid_position_markdown(p, axes)
    assert sentence.startswith(f"Of the grid's 6 points, {below} give less 2026 oil and gas revenue")


def test_the_budget_law_is_compared_with_the_articles_case_not_with_itself():
    from oilimpact import story
    from oilimpact.model import resolve_parameters

    c = story.compare(resolve_parameters("budget_law"))
    assert c.labels == ("Budget law", "War premium held")
    assert abs(float(story.difference_steps(c).sum())) > 100  # a real difference, not a page of zeros
    assert story.compare(resolve_parameters("war_premium")).labels[1] == "Budget law"
