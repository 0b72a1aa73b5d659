"""The figures table of notebook 01: article by its file prefix, quotes cut on a word boundary."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact import story
from oilimpact.articles import extract_figures, read_article
from oilimpact.project import seeds_dir


def test_figures_table_shows_the_outlet_and_long_quotes():
    article = next(p for p in sorted(seeds_dir().glob("003*.txt")))
    table = story.figures_table(extract_figures(read_article(article)))
    assert set(table.index) == {"Hindustan Times"}  # seeds/sources.csv, not the file's hash
    quotes = list(table["Quote"])
    assert all(len(q) <= story.QUOTE_CHARS for q in quotes)
    assert any(len(q) > 100 for q in quotes)  # the sentence, not the 50 characters pandas used to show
    assert "rose from less than $50 in December" in quotes[table["What"].tolist().index("Urals price")]
    assert all(printed in quote for printed, quote in zip(table["As printed"], quotes, strict=True))


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("ab ,\n"), max_size=300), st.integers(min_value=5, max_value=160))
def test_shorten_cuts_on_a_word_boundary(text, limit):
    short = story.shorten(text, limit)
    flat = " ".join(text.split())
    assert len(short) <= limit
    if short == flat:
        return
    assert short.endswith("…")
    kept = short[:-1]
    assert flat.startswith(kept)
    if " " in flat[: limit - 1]:  # a single word longer than the limit is cut where the limit falls
        assert flat[len(kept)] in " ,;:"


def test_cross_checks_table_shows_the_rate_and_the_gap_with_the_words(seeds):
    from oilimpact.articles import read_corpus

    shown = story.cross_checks_table(read_corpus(seeds).cross_checks)
    assert list(shown.columns) == ["Check", "Value", "Unit", "As printed"]
    assert shown.columns.name == "Article" and list(shown.index) == ["Hindustan Times"] * 2
    assert shown["Value"].tolist() == [1.16, 13.0]
    assert shown["As printed"].tolist() == ["€500m ($580m)", "$72 … well above the $59"]


def test_article_label_is_the_outlet_else_the_number_prefix_or_the_stem():
    assert story.article_label("003_db86b3df408a027f.txt") == "Hindustan Times"
    assert story.article_label("004_7beb1c430b950552.txt") == "The Moscow Times"
    assert story.article_label("017_0123456789abcdef.txt") == "017"  # not in seeds/sources.csv
    assert story.article_label("reuters-budget.txt") == "reuters-budget"


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["alpha", "beta,", "gamma", "delta;", "это", "доходы"]), min_size=1,
                max_size=60),
       st.integers(min_value=0, max_value=59), st.integers(min_value=40, max_value=160))
def test_a_figures_quote_always_holds_its_own_words(words, at, limit):
    words = words[: at] + ["432,3 млрд рублей"] + words[at:]
    sentence = " ".join(words)
    quote = story.figure_quote(sentence, "432,3 млрд рублей", limit)
    assert "432,3 млрд рублей" in quote
    assert len(quote) <= max(limit, len("432,3 млрд рублей") + 2)
    assert quote.strip("…") in sentence


def test_the_figures_table_quotes_a_long_russian_sentence_around_its_number(tmp_path):
    body = ("Одновременно министерство сообщило, что с 6 февраля по 5 марта будет направлять на продажу "
            "валюты и золота 11,9 млрд руб. в день против 12,8 млрд руб. в день с 16 января по 5 февраля, "
            "а затем "
            "объем операций будет пересмотрен с учетом итогов исполнения бюджета за февраль.")
    path = tmp_path / "ru.txt"
    path.write_text(f" date 2026-02-04 {body}", encoding="utf-8")
    table = story.figures_table(extract_figures(read_article(path)))
    assert all(printed in quote for printed, quote in zip(table["As printed"], table["Quote"], strict=True))
    assert set(table["What"]) == {"Finance Ministry FX sales a day"}


def test_periods_are_written_in_words():
    from oilimpact.fmt import period_words

    assert period_words("2026-W10") == "the week of 2–8 March 2026"
    assert period_words("2026-03-05/P30D") == "30 days from 5 March 2026"
    assert period_words("2025-12..2026-03") == "December 2025 – March 2026"
    assert period_words("2025-09..2025-10") == "September–October 2025"
    assert period_words("2026-Q1") == "Q1 2026" and period_words("2026-01") == "January 2026"
    assert period_words("not a period") == "not a period"


@settings(max_examples=200)
@given(st.dates(min_value=__import__("datetime").date(1990, 1, 1),
                max_value=__import__("datetime").date(2100, 12, 31)))
def test_a_week_in_words_names_its_monday_and_sunday(day):
    import datetime as dt

    from oilimpact.fmt import period_words

    year, week, _ = day.isocalendar()
    text = period_words(f"{year}-W{week:02d}")
    sunday = dt.date.fromisocalendar(year, week, 7)
    assert text.startswith("the week of ") and text.endswith(f"{sunday.day} {sunday:%B} {sunday.year}")
    monday = sunday - dt.timedelta(days=6)
    assert f"{monday.day}" in text.removeprefix("the week of ").split("–")[0]


def test_the_figures_table_shows_periods_in_words(seeds):
    from oilimpact.articles import read_corpus

    corpus = read_corpus(seeds)
    periods = set(story.figures_table(corpus.figures, include_other=True)["Period"])
    assert "the week of 2–8 March 2026" in periods and not any("-W" in p or "/P" in p for p in periods)
