"""Generated phrasings of ranges, periods and exchange rates: the rules hold for text they were not
written for (values, months, dates and wordings vary; the expected record is computed, not typed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oilimpact import story
from oilimpact.articles import Article, extract_figures, figures_frame
from oilimpact.articles.dates import MONTHS
from oilimpact.errors import OilImpactError
from oilimpact.model import load_assumptions
from oilimpact.model.scenarios import parse_scenarios

SETTINGS = settings(max_examples=60, deadline=None)


def figures_of(body: str, date: dt.date = dt.date(2026, 3, 10)) -> list:
    header = f" date {date.isoformat()} "
    return extract_figures(Article(Path("generated.txt"), "generated.txt", date, header + body, len(header)))


def money(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


prices = st.integers(min_value=10, max_value=150)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


# --- ranges ---------------------------------------------------------------------------------------


@SETTINGS
@given(low=prices, extra=st.integers(1, 40), form=st.sampled_from(
    ["${a}–${b}", "${a}-${b}", "between ${a} and ${b}", "${a} to ${b}", "about ${a}–{b}"]))
def test_a_price_range_is_one_record(low, extra, form):
    high = low + extra
    phrase = form.format(a=low, b=high)
    found = figures_of(f"Analysts see Brent at {phrase} a barrel in 2027, if the strait stays shut.")
    assert len(found) == 1, [f.text for f in found]
    (f,) = found
    assert (f.value, f.value_high, f.qualifier, f.unit, f.period) == (low, high, "range", "USD/bbl", "2027")
    assert f.midpoint == (low + high) / 2


@SETTINGS
@given(low=st.floats(0.5, 20, allow_nan=False).map(lambda v: round(v, 1)), extra=st.integers(1, 30),
       scale=st.sampled_from([("mbd", "million"), ("kbd", "thousand")]))
def test_a_volume_range_with_a_scale_suffix(low, extra, scale):
    high = round(low + extra / 10, 1)
    suffix, word = scale
    (f,) = figures_of(f"Seaborne exports held at {money(low)}-{money(high)} {suffix} in February.")
    assert (f.value, f.value_high, f.scale, f.unit, f.qualifier) == (low, high, word, "bbl/day", "range")
    assert f.period == "2026-02"


@SETTINGS
@given(low=st.integers(1, 60), extra=st.integers(1, 20),
       verb=st.sampled_from(["declined", "fell", "dropped", "were down"]))
def test_a_falling_range_is_negated_at_both_ends(low, extra, verb):
    high = low + extra
    (f,) = figures_of(f"In the autumn receipts {verb} between {low}% and {high}% from a year earlier.")
    assert (f.value, f.value_high, f.qualifier, f.unit) == (-low, -high, "range", "percent")


# --- periods --------------------------------------------------------------------------------------


@SETTINGS
@given(today=dates, month=st.integers(1, 12), value=st.integers(100, 999))
def test_a_month_without_a_year_is_the_latest_one_not_after_the_article(today, month, value):
    name = MONTHS[month - 1]
    year = today.year - (month > today.month)
    (f,) = figures_of(f"Oil and gas receipts came to {value} billion roubles in {name}.", today)
    assert f.period == f"{year}-{month:02d}"
    assert (f.period_start, f.unit, f.scale) == (dt.date(year, month, 1), "RUB", "billion")


@SETTINGS
@given(today=dates, months=st.integers(2, 11), value=st.integers(1, 99))
def test_the_first_n_months_is_a_span_from_january(today, months, value):
    year = today.year if months < today.month else today.year - 1
    text = f"For the first {months} months of the year, revenue totalled {value} trillion roubles."
    (f,) = figures_of(text, today)
    assert (f.period_start, f.period_end.month, f.period_end.year) == (dt.date(year, 1, 1), months, year)
    assert all(g.text != f"{months} months" for g in figures_of(f"In the first {months} months, sales rose.",
                                                                today))


@SETTINGS
@given(today=dates, first=st.integers(1, 6), length=st.integers(1, 5), value=st.integers(10, 90),
       dash=st.sampled_from(["–", "-", " to "]))
def test_a_month_to_month_span(today, first, length, value, dash):
    last = first + length
    assume(last <= today.month)
    text = f"In {MONTHS[first - 1]}{dash}{MONTHS[last - 1]} the deficit reached {value} trillion roubles."
    (f,) = figures_of(text, today)
    assert f.period == f"{today.year}-{first:02d}..{today.year}-{last:02d}"


@SETTINGS
@given(today=dates, value=st.integers(10, 900))
def test_last_month_and_last_year_count_from_the_article(today, value):
    month = (today.replace(day=1) - dt.timedelta(days=1))
    (f,) = figures_of(f"Last month the fund sold {value} billion roubles of yuan.", today)
    assert f.period == f"{month.year}-{month.month:02d}"
    (g,) = figures_of(f"Last year the ministry collected {value} billion roubles from the sector.", today)
    assert g.period == str(today.year - 1)


@SETTINGS
@given(today=dates, value=st.integers(10, 900), quarter=st.sampled_from(
    [("first", 1), ("second", 2), ("third", 3), ("fourth", 4)]))
def test_quarters(today, value, quarter):
    word, number = quarter
    current = (today.month - 1) // 3 + 1
    year = today.year - (number > current)
    (f,) = figures_of(f"In the {word} quarter, receipts amounted to {value} billion roubles.", today)
    assert f.period == f"{year}-Q{number}"


@SETTINGS
@given(today=dates, value=st.integers(10, 900), month=st.integers(1, 12))
def test_for_the_month_is_the_month_named_before(today, value, month):
    year = today.year - (month > today.month)
    body = (f"Receipts were {value} billion roubles in {MONTHS[month - 1]}. "
            f"For the month, the profit tax brought {value + 1} billion roubles.")
    first, second = figures_of(body, today)
    assert second.period == first.period == f"{year}-{month:02d}"


def test_no_period_for_a_bare_duration_and_the_article_date_for_the_present():
    today = dt.date(2026, 3, 10)
    (waiver,) = figures_of("Washington granted a waiver of up to 30 days.", today)
    assert (waiver.unit, waiver.qualifier, waiver.period) == ("days", "up_to", "")
    (price,) = figures_of("Urals currently sells for roughly $40 a barrel.", today)
    assert (price.period, price.qualifier) == ("2026-03-10", "about")


# --- exchange rates and what is not a figure ------------------------------------------------------


rates = st.floats(50, 130, allow_nan=False).map(lambda v: round(v, 2))


@SETTINGS
@given(rate=rates, form=st.sampled_from([
    "The rouble traded at {r} per dollar on the day.",
    "The budget assumes {r} roubles per dollar.",
    "The central bank set the official rate of 1 US dollar at {r} roubles for Tuesday.",
    "Oil revenue fell.\n\n($1 = {r} roubles)",
]))
def test_an_exchange_rate_is_one_rate_record_and_the_1_is_not_a_figure(rate, form):
    found = figures_of(form.format(r=money(rate)))
    assert [(f.value, f.unit) for f in found] == [(rate, "RUB/USD")]


@pytest.mark.parametrize("text", [
    "1. Price. The note has three parts.",
    "Newsroom hotline: +7 (495) 555-01-23",
    "The cap is set by Article 3n of Regulation 833/2014, in force since 2022.",
    "The 19th package of sanctions targeted 17 ports.",
    "3 min read · 2,903 views · Last updated: 29.01.2026 18:40",
    "The G7 and COVID-19 era rules.",
])
def test_non_figures_are_not_reported(text):
    assert [f.text for f in figures_of(text) if f.unit != "count"] == []
    assert all(f.text.startswith("17") for f in figures_of(text))


# --- ranges downstream: the notebook table and scenarios --------------------------------------------


def test_notebook_table_shows_a_range_as_a_range():

    found = figures_of("The Bank of Russia expects Urals at $50–$55 a barrel in 2027 and 2028. "
                       "Receipts declined between 25% and 27% in September and October.")
    shown = story.figures_table(found, include_other=True)
    assert shown["Value"].tolist() == ["50–55", "−25 to −27"]
    assert shown["Period"].tolist() == ["2027 – 2028", "September–October 2025"]  # in words


@pytest.mark.parametrize(("take", "value"), [("low", 50.0), ("high", 55.0), ("midpoint", 52.5)])
def test_a_scenario_takes_a_range_end_or_its_midpoint(tmp_path, take, value):

    frame = figures_frame(figures_of("The Bank of Russia expects Urals at $50–$55 a barrel in 2027."))
    text = ("low_case:\n  title: t\n  description: d\n  values:\n"
            f"    urals_price: {{figure: {{metric: urals_price_forecast, qualifier: range}}, take: {take}}}\n"
            "    brent_price: {value: 70, why: a test}\n    rub_usd: {value: 80, why: a test}\n")
    scenario = parse_scenarios(text, tmp_path / "scenarios.yaml", load_assumptions(), frame)["low_case"]
    assert scenario.values["urals_price"] == value
    assert scenario.sources["urals_price"].quote == "$50–$55 a barrel"


def test_take_on_a_figure_that_is_not_a_range_is_a_clear_error(tmp_path):

    frame = figures_frame(figures_of("Urals traded at $65 a barrel on 4 March."))
    text = ("case:\n  title: t\n  description: d\n  values:\n"
            "    urals_price: {figure: {metric: urals_price}, take: high}\n")
    with pytest.raises(OilImpactError, match="take: high needs a range"):
        parse_scenarios(text, tmp_path / "scenarios.yaml", load_assumptions(), frame)


@SETTINGS
@given(change=st.integers(1, 20), level=prices, verb=st.sampled_from(["rose", "fell", "jumped", "slipped"]))
def test_a_change_then_the_level_reached_is_two_figures_not_a_range(change, level, verb):
    found = figures_of(f"Brent crude {verb} {change}% to ${level}.20 a barrel on Tuesday.")
    assert [(abs(f.value), f.unit, f.qualifier) for f in found] == [
        (change, "percent", "exact"), (level + 0.2, "USD/bbl", "exact")]
    assert found[1].metric == "brent_price"


@SETTINGS
@given(rate=rates, word=st.sampled_from(["against the dollar", "to the dollar", "per dollar"]))
def test_a_rate_against_the_dollar(rate, word):
    (f,) = figures_of(f"The rouble weakened to {money(rate)} {word} on Monday.")
    assert (f.value, f.unit) == (rate, "RUB/USD")


def test_the_second_half_of_the_year_is_july_to_december():
    (f,) = figures_of("Analysts expect Urals to average $55-60 in the second half of the year.")
    assert (f.value, f.value_high, f.period) == (55, 60, "2026-07..2026-12")


def test_a_change_below_a_dated_base_is_negative_and_the_when_clause_keeps_its_date():
    found = figures_of("Revenue in July reached 787.3 billion roubles, 27% below July 2024, when it was 1.08 "
                       "trillion.", dt.date(2025, 8, 12))
    assert [(f.value, f.period) for f in found] == [(787.3, "2025-07"), (-27, "2025-07"), (1.08, "2024-07")]
