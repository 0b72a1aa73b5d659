"""Stage 1, the articles: figures and dated events pulled from news articles, with their sentences.

- :mod:`~oilimpact.articles.text`: an article file (date header, size and encoding checks) and its
  sentences;
- :mod:`~oilimpact.articles.dates`: date and period phrases, resolved against the article's date;
- :mod:`~oilimpact.articles.figures`: the figure rules (number, unit, scale, qualifier, sign, period,
  metric); :mod:`~oilimpact.articles.lang` picks English or Russian, and the Russian rules are
  :mod:`~oilimpact.articles.ru_figures` with their words (:mod:`~oilimpact.articles.ru_vocab`), period
  phrases (:mod:`~oilimpact.articles.ru_periods`) and metric vocabulary
  (:mod:`~oilimpact.articles.ru_metrics`);
- :mod:`~oilimpact.articles.events`: the dated events (timeline), with labels and topics;
- :mod:`~oilimpact.articles.checks`: numbers two figures imply (exchange rates, gaps);
- :mod:`~oilimpact.articles.corpus`: reading folders of articles, ``data/figures.csv`` and
  ``data/events.csv``, picking one figure, terminal tables.

This package is the public face: notebooks and the model import from ``oilimpact.articles``.
"""

from __future__ import annotations

from oilimpact.articles.checks import CROSS_CHECK_KINDS, CrossCheck, cross_checks, cross_checks_frame
from oilimpact.articles.corpus import (
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    Corpus,
    cross_checks_text,
    events_frame,
    figures_frame,
    find_figure,
    frame_csv,
    load_events,
    load_figures,
    read_corpus,
    records,
    text_table,
    write_data,
)
from oilimpact.articles.dates import When, find_whens
from oilimpact.articles.events import MARKET_TOPICS, TOPICS, Event, event_label, event_topic, extract_events
from oilimpact.articles.figures import CURRENCIES, METRIC_RULES, RATE_UNIT, SCALES, Figure, extract_figures
from oilimpact.articles.lang import LANGUAGES, language_of
from oilimpact.articles.ru_metrics import GLOSSES as METRIC_GLOSSES
from oilimpact.articles.ru_metrics import RU_METRIC_RULES
from oilimpact.articles.text import (
    MAX_ARTICLE_BYTES,
    Article,
    Sentence,
    article_date,
    read_article,
    sentences,
)

__all__ = [
    "Article", "CROSS_CHECK_KINDS", "CURRENCIES", "Corpus", "CrossCheck", "EVENT_COLUMNS", "Event",
    "FIGURE_COLUMNS", "Figure", "LANGUAGES", "MARKET_TOPICS", "MAX_ARTICLE_BYTES", "METRIC_GLOSSES",
    "METRIC_RULES", "RATE_UNIT", "RU_METRIC_RULES", "SCALES", "Sentence", "TOPICS", "When", "article_date",
    "cross_checks", "cross_checks_frame", "cross_checks_text", "event_label", "event_topic", "events_frame",
    "extract_events", "extract_figures", "figures_frame", "find_figure", "find_whens", "frame_csv",
    "language_of", "load_events", "load_figures", "read_article", "read_corpus", "records", "sentences",
    "text_table", "write_data",
]
