"""data/assumptions.yaml: every entry validated against one schema; bad entries name file, line and key."""

from __future__ import annotations

import pytest
import yaml

from oilimpact.errors import OilImpactError
from oilimpact.model.assumptions import AssumptionEntry, load_assumptions, parse_assumptions
from oilimpact.project import data_dir

GOOD = """\
budget_law_urals_price:
  value: 59
  unit: USD/bbl
  period: 2026
  source: {title: Moscow Times, where: https://ru.themoscowtimes.com, accessed: "2026-03"}
  confidence: V
"""


def test_every_entry_of_the_real_file_fits_the_schema():
    raw = yaml.safe_load((data_dir() / "assumptions.yaml").read_text(encoding="utf-8"))
    assert len(raw) >= 40
    for body in raw.values():
        AssumptionEntry.model_validate(body)  # raises on the first bad entry, naming it
    loaded = load_assumptions()
    assert loaded.value("budget_law_urals_price") == 59
    assert loaded.value("og_revenue_monthly", "2026-01") == 393.3
    assert loaded.get("budget_law_deficit").source.where.endswith("tass.com/economy/2022723")


def test_sources_are_distinct_and_ordered():
    loaded = load_assumptions()
    sources = loaded.sources(["budget_law_deficit", "budget_law_gdp", "budget_law_deficit"])
    assert [s.title for s in sources] == [
        "Rambler Finance; TASS (federal budget 2026)",
        "Rambler Finance (federal budget 2026)",
    ]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("value: 59", "value: abc"), 3, "budget_law_urals_price: value: must be a number, got 'abc'"),
        (("value: 59", "value: .nan"), 3, "must be finite"),
        (("value: 59", "value: 0"), 3, "value: 0.0 is outside > 0 and <= 500 (USD/bbl)"),
        (("value: 59", "value: {a: 1, b: 900}"), 3, "value.b: 900.0 is outside > 0 and <= 500"),
        (("confidence: V", "confidence: X"), 7, "confidence"),
        (('accessed: "2026-03"', "accessed: March"), 6, "must be a date YYYY-MM or YYYY-MM-DD"),
        (("  unit: USD/bbl\n", ""), 2, "unit: Field required"),
        (("confidence: V", "confidence: V\n  colour: red"), 8, "colour: Extra inputs are not permitted"),
    ],
)
def test_bad_entry_names_file_line_and_key(tmp_path, change, line, message):
    """The line is the nested value's own (the entry's when a field is missing)."""
    path = tmp_path / "assumptions.yaml"
    path.write_text("# header\n" + GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(OilImpactError) as err:
        load_assumptions(path)
    text = str(err.value)
    assert text.startswith(f"{path}:{line}: assumption budget_law_urals_price"), text
    assert message in text
    assert "\n" not in text


def test_unknown_key_lists_the_known_ones(tmp_path):
    loaded = parse_assumptions(GOOD, tmp_path / "a.yaml")
    with pytest.raises(OilImpactError, match="no assumption 'nope'; known keys: budget_law_urals_price"):
        loaded.get("nope")
    with pytest.raises(OilImpactError, match="is a single number"):
        loaded.get("budget_law_urals_price").at("2026")
