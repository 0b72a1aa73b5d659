"""Dated events and period phrases, resolved against the article's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oilimpact.events import event_label, extract_events, find_whens, sentences
from oilimpact.figures import read_article, read_corpus

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def events():
    return read_corpus(SEEDS).events


def dated(events, prefix: str) -> list[tuple[str, str]]:
    return [(e.date, e.label) for e in events if e.source.startswith(prefix)]


def test_article_004_weekdays_resolve_against_monday_2026_03_02(events):
    assert dated(events, "004") == [
        ("2026-03-02", "Kremlin said it remains in close communication"),
        ("2026-03-01", "Putin extended his condolences"),
        ("2026-03-02", "Peskov said Putin plans"),
        ("2026-02-28", "Conflict broke out after the United States"),
    ]


def test_article_003_ordinal_and_month_dates(events):
    assert dated(events, "003") == [
        ("2026-03-02", "Pete Hegseth told Americans"),
        ("2025-01", "Strategic partnership agreement signed"),
        ("2026-03-04", "Russian-made Yak-130 jet"),
        ("2026-03-05", "America gave India a 30-day waiver"),
        ("2026-03-06", "Putin spoke to Masoud Pezeshkian"),
        ("2025-01", "Putin signed the strategic partnership with Pezeshkian"),
        ("2025-10-16", "Conversation between Trump and Putin"),
        ("2026-03-05", "Trump linked the two conflicts"),
    ]


def test_article_000_march_1_and_no_stamps(events):
    assert dated(events, "000") == [("2026-03-01", "Russian dictator Vladimir Putin sent a message")]


def test_event_quotes_and_offsets_and_label_length(events):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for e in events:
        assert texts[e.source][e.start : e.end] == e.quote
        assert 1 <= len(e.label.split()) <= 8
        assert e.to_source().where == f"seeds/{e.source}"


def test_same_article_twice_gives_the_same_events():
    assert extract_events(read_article(SEEDS / "003_db86b3df408a027f.txt")) == extract_events(
        read_article(SEEDS / "003_db86b3df408a027f.txt")
    )


MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("phrase", "label", "first", "last"),
    [
        ("said Monday", "2026-03-02", "2026-03-02", "2026-03-02"),
        ("on Sunday", "2026-03-01", "2026-03-01", "2026-03-01"),
        ("early Saturday", "2026-02-28", "2026-02-28", "2026-02-28"),
        ("next Friday", "2026-03-06", "2026-03-06", "2026-03-06"),
        (
            "On March 4th",
            "2025-03-04",
            "2025-03-04",
            "2025-03-04",
        ),  # after a Monday 2 March article: last year
        ("on October 16th", "2025-10-16", "2025-10-16", "2025-10-16"),
        ("on 1 March 2026", "2026-03-01", "2026-03-01", "2026-03-01"),
        ("in January 2025", "2025-01", "2025-01-01", "2025-01-31"),
        ("in December", "2025-12", "2025-12-01", "2025-12-31"),
        ("in March", "2026-03", "2026-03-01", "2026-03-31"),
        ("by June", "../2026-06", None, "2026-06-30"),
        ("this week", "2026-W10", "2026-03-02", "2026-03-08"),
        ("last month", "2026-02", "2026-02-01", "2026-02-28"),
        ("for 2026", "2026", "2026-01-01", "2026-12-31"),
        ("since 2024", "2024/..", "2024-01-01", None),
        ("by 2030", "../2030", None, "2030-12-31"),
        ("in the first quarter", "2026-Q1", "2026-01-01", "2026-03-31"),
        ("yesterday", "2026-03-01", "2026-03-01", "2026-03-01"),
    ],
)
def test_phrases_resolve_against_the_article_date(phrase, label, first, last):
    text = f"It happened {phrase}."
    (when,) = find_whens(text, 0, len(text), MONDAY)
    as_date = {None: None} | {s: dt.date.fromisoformat(s) for s in (first, last) if s}
    assert (when.label, when.first, when.last) == (label, as_date[first], as_date[last])
    assert phrase.split()[-1] in text[when.start : when.end]


def test_year_on_year_and_bare_may_are_not_periods():
    text = "Revenues were 50% lower year-on-year. May they rest. The 2010s were calm."
    assert find_whens(text, 0, len(text), MONDAY) == []


def test_sentences_respect_abbreviations_and_lines():
    text = "The U.S. and Iran met. Mr Putin spoke.\nNew line here"
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "The U.S. and Iran met.",
        "Mr Putin spoke.",
        "New line here",
    ]
    assert [s.paragraph for s in sentences(text)] == [0, 0, 1]


def test_label_drops_quotes_dates_and_titles():
    sentence = (
        "After a conversation between Mr Trump and Mr Putin on October 16th, both threats were dropped."
    )
    start = sentence.index("on October")
    assert (
        event_label(sentence, start, start + len("on October 16th")) == "Conversation between Trump and Putin"
    )


def test_invented_article_events(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(
        " date 2026-03-04 Officials said on Tuesday that the ministry suspended currency sales. "
        "The budget rule was changed on 15 January 2026, the paper reported.",
        encoding="utf-8",
    )
    found = extract_events(read_article(path))
    assert [(e.date, e.label) for e in found] == [
        ("2026-03-03", "Officials said the ministry suspended currency sales"),
        ("2026-01-15", "Budget rule was changed"),
    ]
