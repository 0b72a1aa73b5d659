"""seeds/sources.csv: every article is cited by outlet, headline, date and address."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from oilimpact.articles import read_article, read_corpus
from oilimpact.cli import main
from oilimpact.dataset import cite
from oilimpact.errors import OilImpactError
from oilimpact.outlets import COLUMNS, outlet, read_outlets
from oilimpact.provenance import Source, caption


def test_every_seed_has_its_publication_with_the_same_date(seeds: Path):
    articles = [read_article(p) for p in sorted(seeds.glob("*.txt"))]
    assert len(articles) == 3
    for article in articles:
        published = outlet(article.name)
        assert published is not None, article.name
        assert published.date == article.date.isoformat()
        assert published.address.startswith("https://")
    assert read_corpus(seeds).warnings == []


def test_the_72_dollar_quote_is_cited_by_outlet_title_date_and_address():
    corpus = read_corpus()
    urals = next(f for f in corpus.figures if f.metric == "urals_price" and f.value == 72)
    assert caption([urals.to_source()]) == 'Source: Hindustan Times, 8 March 2026: "$72".'
    ((title, address),) = cite([urals.to_source()])
    assert title == "Hindustan Times, “The Iran war puts Vladimir Putin in a tough spot”, 8 March 2026"
    assert address.startswith("https://www.hindustantimes.com/world-news/the-iran-war-puts-vladimir-putin")


def test_an_unlisted_article_is_cited_by_its_file_and_date():
    source = Source("article", "2026-04-01", "seeds/017_0123456789abcdef.txt", "$80")
    assert caption([source]) == 'Source: seeds/017_0123456789abcdef.txt (2026-04-01): "$80".'
    assert cite([source]) == (("Article seeds/017_0123456789abcdef.txt (2026-04-01)", ""),)


def test_a_new_seed_without_a_row_is_warned_about(project: Path, cli: CliRunner):
    text = (project / "seeds" / "004_7beb1c430b950552.txt").read_text(encoding="utf-8")
    (project / "seeds" / "017_new.txt").write_text(text, encoding="utf-8")
    result = cli.invoke(main, ["figures"])
    assert result.exit_code == 0
    assert "seeds/017_new.txt: no row in seeds/sources.csv" in result.output


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("004_x.txt,The Moscow Times,A title,2 March 2026,https://example.org/a",
         "sources.csv:2: date '2 March 2026' is not YYYY-MM-DD"),
        ("004_x.txt,The Moscow Times,,2026-03-02,https://example.org/a", "sources.csv:2: title missing"),
        ("004_x.txt,The Moscow Times,A title,2026-03-02,example.org/a",
         "sources.csv:2: address 'example.org/a' must start with https://"),
    ],
)
def test_a_bad_row_names_its_line_and_what_is_accepted(tmp_path: Path, row: str, message: str):
    path = tmp_path / "sources.csv"
    path.write_text(",".join(COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(OilImpactError, match=message.replace("(", r"\(")):
        read_outlets(path)


def test_a_wrong_header_is_refused(tmp_path: Path):
    path = tmp_path / "sources.csv"
    path.write_text("file,outlet,url\n", encoding="utf-8")
    with pytest.raises(OilImpactError, match="sources.csv:1: the header must be file,outlet,title,date,"):
        read_outlets(path)
