"""Dated events and period phrases, resolved against the article's date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact.articles import find_whens, frame_csv, load_events, read_article, read_corpus, sentences
from oilimpact.articles.events import (
    MARKET_TOPICS,
    MAX_LABEL_WORDS,
    TOPICS,
    TRAILING_WORDS,
    event_label,
    event_topic,
    extract_events,
)
from oilimpact.errors import OilImpactError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def events():
    return read_corpus(SEEDS).events


def dated(events, prefix: str) -> list[tuple[str, str, str]]:
    return [(e.date, e.label, e.topic) for e in events if e.source.startswith(prefix)]


def test_article_004_weekdays_resolve_against_monday_2026_03_02(events):
    assert dated(events, "004") == [
        ("2026-03-02", "Kremlin said it remains in close communication with authorities", "diplomacy"),
        ("2026-03-01", "Putin extended his condolences to Pezeshkian", "diplomacy"),
        ("2026-03-02", "Peskov said Putin plans to call foreign leader", "diplomacy"),
        ("2026-02-28", "Conflict broke out after US and Israel attacks on Iran", "conflict"),
    ]


def test_article_003_ordinal_and_month_dates(events):
    assert dated(events, "003") == [
        ("2026-03-02", "Hegseth: “We didn’t start this war”", "diplomacy"),
        # Mentioned twice (paragraphs 4 and 10): one event, as first mentioned.
        ("2025-01", "Strategic partnership agreement signed", "diplomacy"),
        ("2026-03-04", "Russian-made Yak-130 jet provided easy target for Israeli F-35", "conflict"),
        ("2026-03-05", "US gave India 30-day waiver to purchase Russian crude", "sanctions"),
        ("2026-03-06", "Putin spoke to Pezeshkian and called for end to hostilities", "diplomacy"),
        ("2025-10-16", "Conversation between Trump and Putin", "diplomacy"),
        ("2026-03-05", "Trump linked two conflicts", "diplomacy"),
    ]


def test_article_000_march_1_and_no_stamps(events):
    # Article 000 names Pezeshkian only in full, so his first name stays; Putin is also "Putin" there.
    assert dated(events, "000") == [("2026-03-01", "Putin sent message to Masoud Pezeshkian", "diplomacy")]


def test_market_topics_are_the_strikes_the_jet_and_the_waiver(events):
    market = sorted((e.date, e.topic) for e in events if e.topic in MARKET_TOPICS)
    assert market == [("2026-02-28", "conflict"), ("2026-03-04", "conflict"), ("2026-03-05", "sanctions")]
    assert {e.topic for e in events} <= set(TOPICS)


def _label_words_come_from(label: str, sentence: str) -> bool:
    said = {w.lower() for w in re.findall(r"[\w’'-]+", sentence)}
    return all(w.lower() in said | ABBREVIATIONS for w in re.findall(r"[\w’'-]+", label))


def _well_formed(label: str, sentence: str) -> None:
    words = label.split()
    assert 1 <= len(words) <= MAX_LABEL_WORDS, label
    assert words[-1].lower().strip("”“.,:;") not in TRAILING_WORDS, label
    assert label[0].isupper() or label[0] == "“", label
    assert _label_words_come_from(label, sentence), label


ABBREVIATIONS = {"us", "uk", "eu", "un"}


def test_seed_labels_are_short_headlines_from_their_own_sentence(events):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for e in events:
        assert texts[e.source][e.start : e.end] == e.quote
        _well_formed(e.label, e.quote)
        assert not re.search(r"\b(?:Mr|Mrs|President|dictator|United States|the|a|an)\b", e.label), e.label
        assert e.to_source().where == f"seeds/{e.source}"


INVENTED = [
    ("The European Union adopted its 20th sanctions package on 23 February 2026, banning maritime "
     "services for Russian crude.", "EU adopted its 20th sanctions package", "sanctions"),
    ("On March 3rd Iran closed the Strait of Hormuz to tankers after the United States struck its ports.",
     "Iran closed Strait of Hormuz to tankers", "oil_market"),
    ("Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow on Friday to discuss "
     "energy deals.", "Xi Jinping met Vladimir Putin in Moscow", "diplomacy"),
    ("Brent jumped 8% on Monday as traders priced in the risk to shipping through the Strait of Hormuz.",
     "Brent jumped 8% as traders priced in risk", "oil_market"),
    ("Mr Novak, Russia’s deputy prime minister, on Thursday told reporters that exports of oil products "
     "would be banned for six months.", "Novak told reporters exports of oil products would be banned",
     "oil_market"),
    ("“We will respond,” the foreign ministry said on Saturday.", "Foreign ministry: “We will respond”",
     "other"),
    ("It was on 2 March that a drone hit the refinery at Tuapse, which stopped processing for a week.",
     "Drone hit refinery at Tuapse", "oil_market"),
    ("The rouble weakened on Tuesday.", "Rouble weakened", "other"),
    ("Officials in Moscow said on Friday that the finance ministry would resume foreign currency purchases "
     "for the national wealth fund from the start of next month because of higher prices.",
     "Officials in Moscow said finance ministry would resume foreign currency", "other"),
]


@pytest.mark.parametrize(("sentence", "label", "topic"), INVENTED)
def test_invented_sentences_get_headline_labels_and_topics(sentence, label, topic):
    (when,) = [w for w in find_whens(sentence, 0, len(sentence), SUNDAY) if w.is_event_date]
    got = event_label(sentence, when.start, when.end)
    assert (got, event_topic(sentence, got)) == (label, topic)
    _well_formed(got, sentence)


def test_full_name_becomes_surname_only_when_the_article_uses_the_surname():
    sentence = "On March 4th Iranian President Masoud Pezeshkian thanked Russian leader Vladimir Putin."
    start = sentence.index("On March 4th")
    assert event_label(sentence, start, start + 12) == "Masoud Pezeshkian thanked Vladimir Putin"
    context = sentence + " Mr Putin did not reply. Pezeshkian waited."
    assert event_label(sentence, start, start + 12, context) == "Pezeshkian thanked Putin"


def test_label_topic_comes_before_the_rest_of_the_sentence():
    # The sentence names strikes, but the event itself is a condolence message.
    sentence = "On March 1 Putin sent condolences to Tehran over the death of officials in American strikes."
    label = event_label(sentence, 0, len("On March 1"))
    assert label == "Putin sent condolences to Tehran over death of officials"
    assert event_topic(sentence, label) == "diplomacy"
    # When the label names no topic, the sentence decides.
    assert event_topic(sentence, "Officials died") == "conflict"
    assert event_topic("Nothing to see here.", "Nothing to see") == "other"


_CLAUSE = st.sampled_from([
    "the ministry", "Iranian President Masoud Pezeshkian", "America", "the United States and Israel",
    "a Russian-made jet, built as a trainer,", "which", "oil exports", "said that", "told reporters",
    "sanctions on", "after the", "with", "to", "and", "of the", "the price cap", "talks in Riyadh",
    "carried out attacks on", "Iran", "tankers", "in", "“a quoted remark, here”", "(an aside)", ",",
])


@settings(max_examples=200, deadline=None)
@given(before=st.lists(_CLAUSE, max_size=10), after=st.lists(_CLAUSE, max_size=14))
def test_any_sentence_gets_a_well_formed_label(before, after):
    head = " ".join(before)
    sentence = f"{head} on March 4th {' '.join(after)}.".strip()
    start = sentence.index("on March 4th")
    label = event_label(sentence, start, start + len("on March 4th"))
    assert label == event_label(sentence, start, start + len("on March 4th"))
    if label:
        words = label.split()
        assert len(words) <= MAX_LABEL_WORDS, label
        assert len(words) == 1 or words[-1].lower().strip("”“.,:;") not in TRAILING_WORDS, label
        assert _label_words_come_from(label, sentence), label
    assert event_topic(sentence, label) in TOPICS


def test_same_article_twice_gives_the_same_events():
    assert extract_events(read_article(SEEDS / "003_db86b3df408a027f.txt")) == extract_events(
        read_article(SEEDS / "003_db86b3df408a027f.txt")
    )


def test_events_csv_has_topics_and_rejects_unknown_ones(tmp_path):
    frame = load_events()
    assert list(frame.columns[:5]) == ["source", "article_date", "date", "label", "topic"]
    assert frame.loc[frame["date"] == "2026-02-28", "topic"].tolist() == ["conflict"]
    bad = tmp_path / "events.csv"
    renamed = frame.assign(topic=frame["topic"].replace("sanctions", "trade"))
    bad.write_text(frame_csv(renamed), encoding="utf-8")
    line = 2 + int(frame.index[frame["topic"] == "sanctions"][0])  # header is line 1
    with pytest.raises(OilImpactError, match=rf"events.csv:{line}: topic 'trade' is not one of conflict"):
        load_events(bad)


SUNDAY = dt.date(2026, 3, 8)
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
        ("2026-03-03", "Officials said ministry suspended currency sales"),
        ("2026-01-15", "Budget rule was changed"),
    ]


def test_a_repeated_mention_is_one_event_but_different_events_on_a_day_stay(tmp_path):
    path = tmp_path / "010_repeat.txt"
    path.write_text(
        " date 2026-03-10 On March 3rd the ministry raised the oil export tax. Traders were calm. "
        "The oil export tax the ministry raised on March 3rd surprised nobody. "
        "On March 3rd the central bank cut its key rate.",
        encoding="utf-8",
    )
    events = extract_events(read_article(path))
    assert [e.date for e in events] == ["2026-03-03", "2026-03-03"]
    assert events[0].label == "Ministry raised oil export tax"
    assert events[1].label == "Central bank cut its key rate"
