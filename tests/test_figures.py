"""Figures pulled from articles: the seed table of issue 2, general rules, bad input, data/ files, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact import OilImpactError
from oilimpact.articles import (
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    MAX_ARTICLE_BYTES,
    Figure,
    cross_checks,
    events_frame,
    extract_figures,
    figures_frame,
    find_figure,
    frame_csv,
    load_events,
    load_figures,
    read_article,
    read_corpus,
)
from oilimpact.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
A000 = "000_b21e893726f58edb.txt"
A003 = "003_db86b3df408a027f.txt"


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(SEEDS)


@pytest.fixture(scope="module")
def f003(corpus) -> list[Figure]:
    return [f for f in corpus.figures if f.source == A003]


def one(figures: list[Figure], text: str) -> Figure:
    found = [f for f in figures if f.text == text]
    assert len(found) == 1, (text, [f.text for f in figures])
    return found[0]


def article(tmp_path: Path, body: str, date: str = "2026-03-08", name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(f" date {date} {body}", encoding="utf-8")
    return path


def figures_of(tmp_path: Path, body: str, date: str = "2026-03-08") -> list[Figure]:
    return extract_figures(read_article(article(tmp_path, body, date)))


# --- the table of issue 2, row by row --------------------------------------------------------


def test_urals_less_than_50_in_december(f003):
    f = one(f003, "less than $50")
    assert (f.value, f.unit, f.scale, f.qualifier, f.metric) == (
        50,
        "USD/bbl",
        "",
        "less_than",
        "urals_price",
    )
    assert (f.period, f.period_start, f.period_end) == (
        "2025-12",
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
    )


def test_urals_72_this_week(f003):
    f = one(f003, "$72")
    assert (f.value, f.unit, f.qualifier, f.metric) == (72, "USD/bbl", "exact", "urals_price")
    assert (f.period, f.period_start, f.period_end) == ("2026-W10", dt.date(2026, 3, 2), dt.date(2026, 3, 8))


def test_budget_assumption_59_for_2026(f003):
    f = one(f003, "$59")
    assert (f.value, f.unit, f.qualifier, f.metric) == (59, "USD/bbl", "exact", "budget_oil_price_assumption")
    assert (f.period, f.period_start, f.period_end) == ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_oil_gas_revenue_50_percent_lower_in_january(f003):
    f = one(f003, "50% lower")
    assert (f.value, f.unit, f.qualifier, f.metric) == (-50, "percent", "exact", "oil_gas_revenue_yoy_change")
    assert f.period == "2026-01"


def test_arms_deal_in_two_currencies(f003):
    eur, usd = one(f003, "€500m"), one(f003, "$580m")
    assert (eur.value, eur.unit, eur.scale, eur.amount) == (500, "EUR", "million", 500e6)
    assert (usd.value, usd.unit, usd.scale) == (580, "USD", "million")
    for f in (eur, usd):
        assert (f.qualifier, f.period, f.metric) == ("exact", "2025-12", "arms_deal_value")


def test_counts_and_duration_of_the_deal(f003):
    units, missiles, years = one(f003, "500"), one(f003, "2,500"), one(f003, "three years")
    assert (units.value, units.unit, missiles.value, missiles.unit) == (500, "count", 2500, "count")
    assert (years.value, years.unit) == (3, "years")
    # the counts belong to the deal "struck in December"; the delivery time is a bare duration
    for f, period in ((units, "2025-12"), (missiles, "2025-12"), (years, "")):
        assert (f.qualifier, f.period, f.metric) == ("exact", period, "other")


def test_lng_share_around_a_tenth(f003):
    f = one(f003, "around a tenth")
    assert (f.value, f.unit, f.qualifier, f.period, f.metric) == (
        10,
        "percent",
        "about",
        "",
        "lng_supply_share",
    )


def test_thirty_day_waiver_from_march_5(f003):
    f = one(f003, "30-day")
    assert (f.value, f.unit, f.qualifier, f.metric) == (30, "days", "exact", "sanctions_waiver_days")
    assert (f.period, f.period_start, f.period_end) == (
        "2026-03-05/P30D",
        dt.date(2026, 3, 5),
        dt.date(2026, 4, 3),
    )


def test_json_output_lists_every_row_of_the_table(cli):
    result = cli.invoke(main, ["figures", str(SEEDS), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {(r["text"], r["metric"]): r for r in json.loads(result.output)}
    assert rows[("less than $50", "urals_price")]["period"] == "2025-12"
    assert rows[("$72", "urals_price")]["period"] == "2026-W10"
    assert rows[("$59", "budget_oil_price_assumption")]["value"] == 59
    assert rows[("50% lower", "oil_gas_revenue_yoy_change")]["value"] == -50
    assert rows[("€500m", "arms_deal_value")]["unit"] == "EUR"
    assert rows[("$580m", "arms_deal_value")]["scale"] == "million"
    assert rows[("around a tenth", "lng_supply_share")]["qualifier"] == "about"
    assert rows[("30-day", "sanctions_waiver_days")]["period_start"] == "2026-03-05"


# --- provenance and furniture ----------------------------------------------------------------


def test_offsets_point_at_the_figures_own_words_in_every_seed(corpus):
    assert corpus.figures
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for f in corpus.figures:
        assert texts[f.source][f.start : f.end] == f.text
        assert f.text in f.sentence


def test_page_furniture_is_not_a_figure(corpus):
    texts = {f.text for f in corpus.figures}
    assert not [f for f in corpus.figures if f.source == A000]
    for junk in (
        "$43.210.00",
        "$43.210",
        "43.210.00",
        "308",
        "10286",
        "14914",
        "28.02.26",
        "16:20",
        "16",
        "20",
    ):
        assert junk not in texts
    assert not {"130", "35", "300", "400", "2010", "2025", "2026"} & texts  # Yak-130, F-35, S-300, years


def test_to_source_cites_file_date_and_words(f003):
    source = one(f003, "$72").to_source()
    assert (source.kind, source.title, source.where, source.quote) == (
        "article",
        "2026-03-08",
        f"seeds/{A003}",
        "$72",
    )


def test_cross_checks_rate_and_gap(corpus):
    checks = {c.kind: c for c in corpus.cross_checks}
    assert (checks["implied_fx_rate"].value, checks["implied_fx_rate"].unit) == (1.16, "USD per EUR")
    assert checks["implied_fx_rate"].quote == "€500m ($580m)"
    assert (checks["gap"].value, checks["gap"].unit) == (13, "USD/bbl")
    assert checks["gap"].quote == "$72 … well above the $59"
    # The same checks from the figures alone, without the article texts:
    again = {(c.kind, c.value) for c in cross_checks(corpus.figures)}
    assert again == {("implied_fx_rate", 1.16), ("gap", 13)}


def test_same_article_twice_gives_identical_results():
    a = read_article(SEEDS / A003)
    assert extract_figures(a) == extract_figures(read_article(SEEDS / A003))


# --- general rules on invented sentences ----------------------------------------------------


def test_invented_article_is_read_with_the_same_rules(tmp_path):
    figs = figures_of(
        tmp_path,
        "Oil and gas revenues fell to 1.29 trn roubles in February. Brent traded at over $90 a "
        "barrel this week. Exports reached 3.4m barrels a day in January. The deficit may reach "
        "up to 12 per cent by 2030, and about half of the budget has been spent since 2024.",
    )
    by_text = {f.text: f for f in figs}
    rub = by_text["1.29 trn roubles"]
    assert (rub.value, rub.scale, rub.unit, rub.metric, rub.period) == (
        1.29,
        "trillion",
        "RUB",
        "oil_gas_revenue",
        "2026-02",
    )
    brent = by_text["over $90 a barrel"]
    assert (brent.qualifier, brent.unit, brent.metric, brent.period) == (
        "more_than",
        "USD/bbl",
        "brent_price",
        "2026-W10",
    )
    exports = by_text["3.4m barrels a day"]
    assert (exports.value, exports.scale, exports.unit, exports.metric) == (
        3.4,
        "million",
        "bbl/day",
        "oil_exports",
    )
    deficit = by_text["up to 12 per cent"]
    assert (deficit.qualifier, deficit.unit, deficit.period, deficit.period_end) == (
        "up_to",
        "percent",
        "../2030",
        dt.date(2030, 12, 31),
    )
    half = by_text["about half"]
    assert (half.value, half.period, half.period_start, half.period_end) == (
        50,
        "2024/..",
        dt.date(2024, 1, 1),
        None,
    )


def test_signs_qualifiers_and_per_cent(tmp_path):
    figs = figures_of(
        tmp_path,
        "Tax receipts dropped by 12% in March, while imports were 7 per cent higher. Sales rose at least 3%.",
    )
    assert [(f.text, f.value, f.qualifier) for f in figs] == [
        ("12%", -12, "exact"),
        ("7 per cent higher", 7, "exact"),
        ("at least 3%", 3, "at_least"),
    ]


def test_article_with_no_figures_gives_empty_list(tmp_path):
    assert figures_of(tmp_path, "The talks resumed and nothing was agreed.") == []


def test_over_a_duration_is_a_span_not_a_qualifier(tmp_path):
    (f,) = figures_of(tmp_path, "Weapons will be delivered over five years.")
    assert (f.text, f.value, f.unit, f.qualifier) == ("five years", 5, "years", "exact")


CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}
SCALE_SUFFIXES = {
    "": "",
    "k": "thousand",
    "m": "million",
    "bn": "billion",
    "trn": "trillion",
    " million": "million",
    " billion": "billion",
}


@settings(max_examples=60, deadline=None)
@given(
    sign=st.sampled_from(sorted(CURRENCY_SIGNS)),
    value=st.decimals(0, 999_999, places=1),
    grouped=st.booleans(),
    suffix=st.sampled_from(sorted(SCALE_SUFFIXES)),
)
def test_generated_currency_amounts(tmp_path_factory, sign, value, grouped, suffix):
    number = f"{value:,}" if grouped else f"{value}"
    written = f"{sign}{number}{suffix}"
    path = article(tmp_path_factory.mktemp("gen"), f"The company paid {written} for the plant.")
    (f,) = extract_figures(read_article(path))
    assert (f.text, f.value, f.unit, f.scale) == (
        written,
        float(value),
        CURRENCY_SIGNS[sign],
        SCALE_SUFFIXES[suffix],
    )


@settings(max_examples=40, deadline=None)
@given(value=st.integers(1, 99), form=st.sampled_from(["%", " per cent", " percent", "% lower", "% higher"]))
def test_generated_percentages(tmp_path_factory, value, form):
    path = article(tmp_path_factory.mktemp("gen"), f"Output was {value}{form} in the quarter.")
    (f,) = extract_figures(read_article(path))
    expected = -value if "lower" in form else value
    assert (f.text, f.value, f.unit) == (f"{value}{form}", expected, "percent")


# --- bad input ------------------------------------------------------------------------------


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(OilImpactError, match="no such file or folder"):
        read_corpus(tmp_path / "nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"Kremlin says nothing", "no date header"),
        (b" date 2026-13-45 Text", "bad date '2026-13-45'"),
        (b" date 2026-3-1 Text", "bad date '2026-3-1'"),
        (b" date 2026-03-02 first line\nsecond \xff line", "not UTF-8"),
    ],
)
def test_bad_file_named_explicitly_raises_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(OilImpactError, match=message) as info:
        read_corpus([path])
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_non_utf8_error_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b" date 2026-03-02 first\nsecond\nthird \xff")
    with pytest.raises(OilImpactError, match=r"bad.txt:3: not UTF-8"):
        read_article(path)


def test_oversized_article_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    body = "Urals traded at $72 this week. " * (5_000_000 // 31)
    path.write_text(f" date 2026-03-08 {body}", encoding="utf-8")
    assert path.stat().st_size > MAX_ARTICLE_BYTES
    with pytest.raises(OilImpactError, match=r"huge.txt: file is 5.0 MB, over the 1 MB limit"):
        read_article(path)


def test_folder_run_warns_about_bad_files_and_reads_the_others(tmp_path):
    article(tmp_path, "Urals was $72 this week.", name="good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nodate.txt").write_text("no header", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.name for a in corpus.articles] == ["good.txt"]
    assert [f.text for f in corpus.figures] == ["$72"]
    assert len(corpus.warnings) == 2
    assert any("empty.txt" in w and "empty file" in w for w in corpus.warnings)
    assert any("nodate.txt" in w and "no date header" in w for w in corpus.warnings)


def test_read_article_parses_header(tmp_path):
    a = read_article(article(tmp_path, "Body text.", "2026-03-02"))
    assert (a.name, a.date, a.body_start, a.text[a.body_start :]) == (
        "a.txt",
        dt.date(2026, 3, 2),
        17,
        "Body text.",
    )


# --- tables and data/ files ------------------------------------------------------------------


def test_frames_have_the_agreed_columns_sorted(corpus):
    figures, events = figures_frame(corpus.figures), events_frame(corpus.events)
    assert tuple(figures.columns) == FIGURE_COLUMNS and tuple(events.columns) == EVENT_COLUMNS
    assert list(figures["start"]) == sorted(figures["start"])  # one source has figures
    keys = list(zip(events["source"], events["start"], strict=True))
    assert keys == sorted(keys)


def test_committed_data_files_are_up_to_date_with_seeds(corpus):
    for name, frame in (
        ("figures.csv", figures_frame(corpus.figures)),
        ("events.csv", events_frame(corpus.events)),
    ):
        committed = (ROOT / "data" / name).read_text(encoding="utf-8")
        assert committed == frame_csv(frame), f"data/{name} is stale: run `make figures`"


def test_load_round_trips_and_find_figure_picks_one(corpus):
    frame = load_figures(ROOT / "data" / "figures.csv")
    pd.testing.assert_frame_equal(frame, figures_frame(corpus.figures))  # NaN value_high equal too
    loaded = find_figure(frame, "urals_price", period="2026-03-08/week")
    assert loaded == find_figure(corpus, "urals_price", period="2026-W10") == one(corpus.figures, "$72")
    assert find_figure(corpus.figures, "arms_deal_value", unit="EUR", source="003").text == "€500m"
    events = load_events(ROOT / "data" / "events.csv")
    assert events.to_dict("records") == events_frame(corpus.events).to_dict("records")


def test_find_figure_errors_name_metric_and_period(corpus):
    with pytest.raises(OilImpactError, match="2 figures with metric 'urals_price'"):
        find_figure(corpus.figures, "urals_price")
    with pytest.raises(OilImpactError, match="no figure with metric 'urals_price', period '2024'.*'\\$72'"):
        find_figure(corpus.figures, "urals_price", period="2024")


def test_load_errors_name_the_file(tmp_path):
    with pytest.raises(OilImpactError, match="figures.csv: missing; run 'make figures'"):
        load_figures(tmp_path / "figures.csv")
    bad = tmp_path / "events.csv"
    bad.write_text("source,date\nx,2026-01-01\n", encoding="utf-8")
    with pytest.raises(OilImpactError, match="events.csv: missing columns article_date, label"):
        load_events(bad)
    rows = tmp_path / "figures.csv"
    rows.write_text(",".join(FIGURE_COLUMNS) + "\n" + "a,2026-99-01" + ",x" * 12 + "\n", encoding="utf-8")
    with pytest.raises(OilImpactError, match="figures.csv:2: article_date '2026-99-01' is not a YYYY-MM-DD"):
        load_figures(rows)


# --- CLI -------------------------------------------------------------------------------------


def test_cli_table_and_events(cli):
    table = cli.invoke(main, ["figures", str(SEEDS / A003)])
    assert table.exit_code == 0
    line = next(row for row in table.output.splitlines() if '"$72"' in row)
    assert line.split()[:5] == ["72", "USD/bbl", "exact", "2026-W10", "urals_price"]
    timeline = cli.invoke(main, ["figures", str(SEEDS), "--events", "--format", "csv"])
    assert timeline.output.splitlines()[0] == ",".join(EVENT_COLUMNS)
    assert "2025-10-16,Conversation between Trump and Putin" in timeline.output


def test_cli_write_is_atomic_and_warnings_go_to_stderr(cli, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x.txt").write_bytes((SEEDS / A003).read_bytes())
    (seeds / "broken.txt").write_bytes(b"")
    out = tmp_path / "data"
    out.mkdir()
    result = cli.invoke(main, ["figures", str(seeds), "--write", str(out), "--format", "csv"])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "broken.txt" in result.stderr and "warning" not in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["events.csv", "figures.csv"]  # no temp files left
    assert (out / "figures.csv").read_text(encoding="utf-8") == result.stdout


def test_cli_error_is_one_line_and_exit_2(cli, tmp_path):
    result = cli.invoke(main, ["figures", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_cross_checks_are_reported_in_the_cli_and_as_a_frame(cli, seeds):
    from oilimpact.articles import cross_checks_frame, read_corpus
    from oilimpact.cli import main

    frame = cross_checks_frame(read_corpus(seeds).cross_checks)
    assert frame[["kind", "value", "unit"]].values.tolist() == [
        ["implied exchange rate", 1.16, "USD per EUR"],
        ["gap between compared figures", 13.0, "USD/bbl"],
    ]
    out = cli.invoke(main, ["figures", str(seeds)]).output
    tail = out.split("Cross-checks", 1)[1]
    assert '1.16   USD per EUR  implied exchange rate         "€500m ($580m)"' in tail
    assert '"$72 … well above the $59"' in tail
