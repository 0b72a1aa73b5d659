"""The figures table of notebook 01: article by its file prefix, quotes cut on a word boundary."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact import story
from oilimpact.articles import extract_figures, read_article
from oilimpact.project import seeds_dir


def test_figures_table_shows_article_prefix_and_long_quotes():
    article = next(p for p in sorted(seeds_dir().glob("003*.txt")))
    table = story.figures_table(extract_figures(read_article(article)))
    assert set(table.index) == {"003"}
    quotes = list(table["Quote"])
    assert all(len(q) <= story.QUOTE_CHARS for q in quotes)
    assert any(len(q) > 100 for q in quotes)  # the sentence, not the 50 characters pandas used to show
    assert "The price of a barrel of Russian oil" in quotes[table["What"].tolist().index("Urals price")]


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
    assert shown.columns.name == "Article" and list(shown.index) == ["003", "003"]
    assert shown["Value"].tolist() == [1.16, 13.0]
    assert shown["As printed"].tolist() == ["€500m ($580m)", "$72 … well above the $59"]


def test_article_label_is_the_number_prefix_or_the_stem():
    assert story.article_label("003_db86b3df408a027f.txt") == "003"
    assert story.article_label("reuters-budget.txt") == "reuters-budget"
