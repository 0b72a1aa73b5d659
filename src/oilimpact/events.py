"""When things happened: dates and periods in article text, resolved against the article's date.

Two uses. :func:`find_whens` finds every date or period phrase ("in December", "this week",
"for 2026", "on March 5th", "said Monday", "since 2024", "by 2030") and resolves it; the figures
stage attaches the nearest one to each number. :func:`extract_events` keeps the precise ones (a day,
or a month with its year) as the article's timeline, each with a short label from its sentence.

Resolution rules (``d`` is the article's date):

- weekday ("Monday", "on Sunday", "early Saturday"): the most recent such day on or before ``d``;
  "next Monday" the first after ``d``, "last Monday" the one before the current week's.
- month and day without a year ("March 4th", "on October 16th", "4 March"): the most recent one not
  after ``d``.
- month without a year ("in December"): the most recent such month not after ``d``'s month; after
  "by", "until", "through" or "next": the first one on or after it.
- "this/last/next week|month|quarter|year": relative to ``d`` (weeks are ISO weeks, Monday–Sunday).
- "since X" is open-ended (``X/..``), "by X" / "until X" closes at X (``../X``).

Period labels are ISO 8601: ``2026-03-05`` (day), ``2026-W10`` (ISO week), ``2025-12`` (month),
``2026-Q1`` (quarter), ``2026`` (year), ``2024/..`` and ``../2030`` (open intervals), and
``2026-03-05/P30D`` (a duration starting on a day). Event dates use the day or month forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oilimpact.provenance import Source

if TYPE_CHECKING:
    from oilimpact.figures import Article

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3].lower(): i for i, name in enumerate(MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_M = "|".join(MONTHS)
_MABBR = _M + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_W = "|".join(WEEKDAYS)
_PREP = r"in|during|for|since|by|until|through|throughout|from|of"

# One alternative per kind of phrase; the order matters (a day beats a bare month).
_WHEN = re.compile(
    rf"""
    (?P<iso>\b(?i:on\s+)?(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})\b)
  | (?P<md>\b(?i:(?:on|from|since|by|until)\s+)?(?P<md_month>{_MABBR})\.?\s+(?P<md_day>\d{{1,2}})
        (?:st|nd|rd|th)?\b(?![:.,]\d)(?:,?\s+(?P<md_year>\d{{4}})\b)?)
  | (?P<dm>\b(?i:on\s+)?(?i:the\s+)?(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_month>{_M})\b
        (?:,?\s+(?P<dm_year>\d{{4}})\b)?)
  | (?P<wd>\b(?i:(?:early|late|later)\s+(?:on\s+)?|on\s+|(?P<wd_rel>last|next|this)\s+)?(?P<wd_day>{_W})\b)
  | (?P<rel>\b(?i:(?P<rel_which>this|last|next|the\s+past|the\s+previous|the\s+current)\s+
        (?P<rel_unit>week|month|quarter|year))\b)
  | (?P<qtr>\b(?i:(?:in\s+)?(?:the\s+)?(?P<q_ord>first|second|third|fourth)\s+quarter)
        (?:\s+of)?(?:\s+(?P<q_year>\d{{4}})\b)?)
  | (?P<qq>\bQ(?P<qq_n>[1-4])\s+(?P<qq_year>\d{{4}})\b)
  | (?P<my>\b(?i:(?P<my_prep>{_PREP})\s+)?(?i:(?:early|mid|late)[\s-])?(?P<my_month>{_M})\b
        (?:\s+(?P<my_year>\d{{4}})\b)?)
  | (?P<yr>\b(?i:(?P<yr_prep>{_PREP})\s+(?:the\s+year\s+)?)(?P<yr_year>(?:19|20)\d{{2}})\b(?!s|-\d))
  | (?P<dayword>\b(?i:(?P<dayword_w>today|yesterday|tomorrow))\b)
    """,
    re.VERBOSE,
)

# Every phrase _WHEN can match contains one of these words.
_WHEN_HINT = re.compile(
    rf"{_MABBR}|{_W}|\d{{4}}|(?i:\b(?:week|month|quarter|year|today|yesterday|tomorrow)\b)"
)


@dataclass(frozen=True)
class When:
    """A resolved date or period phrase: ``text[start:end]`` is the phrase."""

    label: str
    first: dt.date | None
    last: dt.date | None
    precision: str  # day | week | month | quarter | year | open
    start: int
    end: int
    explicit_year: bool = False

    @property
    def is_event_date(self) -> bool:
        """Precise enough for the timeline: a day, or a month named with its year."""
        return self.precision == "day" or (self.precision == "month" and self.explicit_year)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _month(year: int, month: int, *, explicit: bool, start: int, end: int) -> When:
    return When(f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month), "month",
                start, end, explicit)


def _day(day: dt.date, start: int, end: int) -> When:
    return When(day.isoformat(), day, day, "day", start, end, True)


def _week(day: dt.date, start: int, end: int) -> When:
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = day.isocalendar()
    return When(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6), "week", start, end)


def _quarter(year: int, quarter: int, start: int, end: int, explicit: bool = False) -> When:
    first = dt.date(year, 3 * quarter - 2, 1)
    return When(f"{year}-Q{quarter}", first, _month_end(year, 3 * quarter), "quarter", start, end, explicit)


def _year(year: int, start: int, end: int) -> When:
    return When(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year", start, end, True)


def _open(prep: str | None, period: When) -> When:
    """'since X' runs from X on; 'by/until X' runs up to X; anything else is X itself."""
    if prep == "since":
        return When(f"{period.label}/..", period.first, None, "open", period.start, period.end, True)
    if prep in ("by", "until"):
        return When(f"../{period.label}", None, period.last, "open", period.start, period.end, True)
    return period


def _recent_day(month: int, day: int, article_date: dt.date) -> dt.date | None:
    """The most recent month/day on or before the article's date (None for e.g. February 30th)."""
    for year in (article_date.year, article_date.year - 1, article_date.year - 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= article_date:
            return candidate
    return None


def _resolve(m: re.Match[str], article_date: dt.date) -> When | None:
    kind = m.lastgroup
    g = m.group
    start, end = m.span()
    try:
        if kind == "iso":
            return _day(dt.date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))), start, end)
        if kind in ("md", "dm"):
            month = _MONTH_NUMBER[g(f"{kind}_month").lower()]
            day, year = int(g(f"{kind}_day")), g(f"{kind}_year")
            when = dt.date(int(year), month, day) if year else _recent_day(month, day, article_date)
            return _day(when, start, end) if when else None
    except ValueError:
        return None
    if kind == "wd":
        target = WEEKDAYS.index(g("wd_day"))
        back = (article_date.weekday() - target) % 7
        day = article_date - dt.timedelta(days=back)
        rel = (g("wd_rel") or "").lower()
        if rel == "next":
            day += dt.timedelta(days=7)
        elif rel == "last":
            day -= dt.timedelta(days=7 if back == 0 else 0)
        elif rel == "this" and target > article_date.weekday():
            day += dt.timedelta(days=7)
        return _day(day, start, end)
    if kind == "rel":
        which = " ".join(g("rel_which").lower().split())
        step = {"last": -1, "the past": -1, "the previous": -1, "next": 1}.get(which, 0)
        unit = g("rel_unit").lower()
        if unit == "week":
            return _week(article_date + dt.timedelta(weeks=step), start, end)
        if unit == "month":
            index = article_date.year * 12 + article_date.month - 1 + step
            return _month(index // 12, index % 12 + 1, explicit=False, start=start, end=end)
        if unit == "quarter":
            index = article_date.year * 4 + (article_date.month - 1) // 3 + step
            return _quarter(index // 4, index % 4 + 1, start, end)
        return _year(article_date.year + step, start, end)
    if kind in ("qtr", "qq"):
        quarter = _ORDINALS[g("q_ord").lower()] if kind == "qtr" else int(g("qq_n"))
        year = g("q_year") or g("qq_year")
        if year:
            return _quarter(int(year), quarter, start, end, explicit=True)
        current = (article_date.month - 1) // 3 + 1
        return _quarter(article_date.year - (quarter > current), quarter, start, end)
    if kind == "my":
        prep, year = (g("my_prep") or "").lower() or None, g("my_year")
        if not prep and not year:
            return None  # a bare "May" is too often a verb or a name
        month = _MONTH_NUMBER[g("my_month").lower()]
        if year:
            resolved = int(year)
        elif prep in ("by", "until", "through"):
            resolved = article_date.year + (month < article_date.month)
        else:
            resolved = article_date.year - (month > article_date.month)
        return _open(prep, _month(resolved, month, explicit=bool(year), start=start, end=end))
    if kind == "yr":
        return _open(g("yr_prep").lower(), _year(int(g("yr_year")), start, end))
    if kind == "dayword":
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[g("dayword_w").lower()]
        return _day(article_date + dt.timedelta(days=shift), start, end)
    return None


def find_whens(text: str, start: int, end: int, article_date: dt.date) -> list[When]:
    """Every date or period phrase in ``text[start:end]``, resolved against ``article_date``."""
    found: list[When] = []
    if not _WHEN_HINT.search(text, start, end):
        return found  # most sentences name no date; skip the slower full pattern
    for m in _WHEN.finditer(text, start, end):
        when = _resolve(m, article_date)
        if when is not None:
            found.append(when)
    return found


def with_duration(when: When, amount: float, unit: str) -> When:
    """A duration starting on a day: ``2026-03-05/P30D`` runs 2026-03-05 .. 2026-04-03."""
    if when.precision != "day" or when.first is None or amount != int(amount) or amount <= 0:
        return when
    n = int(amount)
    code = {"days": "D", "weeks": "W", "months": "M", "years": "Y"}[unit]
    if unit == "days":
        last = when.first + dt.timedelta(days=n - 1)
    elif unit == "weeks":
        last = when.first + dt.timedelta(days=7 * n - 1)
    else:
        months = n * (12 if unit == "years" else 1)
        index = when.first.year * 12 + when.first.month - 1 + months
        year, month = index // 12, index % 12 + 1
        last = dt.date(year, month, min(when.first.day, _month_end(year, month).day)) - dt.timedelta(days=1)
    return When(f"{when.label}/P{n}{code}", when.first, last, "day", when.start, when.end, True)


# --- sentences ------------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"'(\[]?[A-Z0-9])|\n")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|No|vs|etc|Inc|Co|Corp|Ltd|Jr|Sr"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))$"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentence spans of ``text[start:]`` (a line break always ends one and starts a paragraph)."""
    spans: list[Sentence] = []
    paragraph, begin = 0, start
    for m in _SENTENCE_BREAK.finditer(text, start):
        if m.group() != "\n" and _ABBREVIATION.search(text, max(begin, m.start() - 12), m.start()):
            continue
        stop = m.start() if m.group() == "\n" else m.end()
        _add_sentence(spans, text, begin, stop, paragraph)
        begin = m.end()
        if m.group() == "\n":
            paragraph += 1
    _add_sentence(spans, text, begin, len(text), paragraph)
    return spans


def _add_sentence(spans: list[Sentence], text: str, begin: int, stop: int, paragraph: int) -> None:
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        spans.append(Sentence(begin, stop, paragraph))


# --- events ---------------------------------------------------------------------------------


TOPICS = ("conflict", "sanctions", "oil_market", "diplomacy", "other")
"""What an event is about, from keyword rules on its label and sentence:

- ``conflict``: strikes, attacks, missiles, jets shot down, a war or conflict breaking out;
- ``sanctions``: sanctions, waivers, price caps, licences, embargoes, tariffs;
- ``oil_market``: oil, crude, Brent/Urals, Hormuz, tankers, LNG, OPEC, refineries;
- ``diplomacy``: talks, calls, messages, condolences, statements to others, agreements, deals;
- ``other``: none of these.
"""
MARKET_TOPICS = ("conflict", "sanctions", "oil_market")
"""Topics that can move the oil price: the price chart marks only these."""


@dataclass(frozen=True)
class Event:
    """A dated event: ``date`` is ``YYYY-MM-DD`` or, when the text names only the month, ``YYYY-MM``.

    ``quote`` is the whole sentence, ``text[start:end] == quote`` in the article file; ``label`` a
    short headline from the sentence's words (:func:`event_label`); ``topic`` one of :data:`TOPICS`.
    """

    source: str
    article_date: dt.date
    date: str
    label: str
    topic: str
    quote: str
    start: int
    end: int

    def to_source(self) -> Source:
        return Source("article", self.article_date.isoformat(), f"seeds/{self.source}", self.quote)


def extract_events(article: Article) -> list[Event]:
    """Every precisely dated event of the article (a day, or a month with its year), in text order."""
    text = article.text
    body = text[article.body_start:]
    found: list[Event] = []
    for sentence in sentences(text, article.body_start):
        quote = text[sentence.start:sentence.end]
        for when in find_whens(text, sentence.start, sentence.end, article.date):
            if not when.is_event_date:
                continue
            label = event_label(quote, when.start - sentence.start, when.end - sentence.start, body)
            date = when.label if when.precision == "day" else when.label[:7]
            found.append(Event(article.name, article.date, date, label, event_topic(quote, label), quote,
                               sentence.start, sentence.end))
    return _merge_repeats(found)


_LABEL_STOPWORDS = {"said", "says", "with", "from", "into", "over", "that", "this", "their", "after",
                    "before"}
SAME_EVENT_OVERLAP = 0.4


def _content_words(label: str) -> set[str]:
    words = {w.lower() for w in re.findall(r"[\w’'-]+", label)}
    return {w for w in words if len(w) >= 4 and w not in _LABEL_STOPWORDS}


def _merge_repeats(events: list[Event]) -> list[Event]:
    """One event per happening: when an article mentions the same dated event again (same date, labels
    sharing at least :data:`SAME_EVENT_OVERLAP` of their content words), the first mention stands."""
    kept: list[Event] = []
    for event in events:
        words = _content_words(event.label)
        if not any(
            earlier.date == event.date
            and len(words & (seen := _content_words(earlier.label))) / max(len(words | seen), 1)
            >= SAME_EVENT_OVERLAP
            for earlier in kept
        ):
            kept.append(event)
    return kept


# --- topics ---------------------------------------------------------------------------------

_TOPIC_WORDS = {
    "sanctions": r"sanction\w*|waivers?|price[\s-]caps?|licen[cs]es?|embargo\w*|tariffs?|blacklist\w*",
    "oil_market": r"oil|crude|brent|urals|hormuz|tankers?|lng|opec\+?|refiner\w*|barrels?|pipelines?",
    "conflict": r"(?:air)?strikes?|struck|attack\w*|assault\w*|bomb\w*|missiles?|drones?|shot\s+down|"
                r"shoot\s+down|invasion|invaded?|fighters?|jets?|warplanes?|f-\d+|broke\s+out|erupted",
    "diplomacy": r"talks?|talked|calls?|called\s+for|phoned?|spoke|speak\w*|conversation|condolences?|"
                 r"messages?|summit|met|meeting|agreements?|partnership|treaty|deals?|ceasefire|peace|"
                 r"negotiat\w*|communication|contact|envoys?|diplomat\w*|told|telling|visit\w*",
}
# Label first in this order: "waiver to purchase Russian crude" is about sanctions, not oil.
_TOPIC_RE = {topic: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)
             for topic, words in _TOPIC_WORDS.items()}


def event_topic(sentence: str, label: str) -> str:
    """One of :data:`TOPICS`: the first topic (sanctions, oil_market, conflict, diplomacy) whose
    keywords the label holds; failing that, the topic with most keyword hits in the whole sentence
    (a tie goes to the earlier one in that order); ``other`` when none matches."""
    for topic, pattern in _TOPIC_RE.items():
        if pattern.search(label):
            return topic
    hits = {topic: len(pattern.findall(sentence)) for topic, pattern in _TOPIC_RE.items()}
    best = max(hits, key=lambda t: hits[t])
    return best if hits[best] else "other"


# --- labels ---------------------------------------------------------------------------------

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|\([^)]*\)")
_QUOTE_TEXT = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_SEGMENT = re.compile(r"[^,;:—–]+")
_LEAD = re.compile(
    r"^(?:(?:after|before|when|while|as|but|and|then|following|under|since|during|with|so|yet|"
    r"a|an|the|it\s+(?:is|was)\s+(?:\w+\s+)?that|that)(?:\s+|\Z))+",
    re.IGNORECASE,
)
# A title or epithet before a name ("Russian dictator Vladimir Putin", "Iranian President Masoud
# Pezeshkian", "Mr Putin", "Kremlin spokesman Dmitry Peskov") is dropped. The first name goes only
# when the article also uses the surname alone (not every name is given-name first: "Xi Jinping").
_TITLE_WORDS = (r"Mr|Mrs|Ms|Dr|President|Prime\s+Minister|Foreign\s+Minister|Minister|Chancellor|Secretary|"
                r"Senator|General|King|Queen|Prince|Ayatollah|Supreme\s+Leader|Emir|Sheikh|dictator|leader|"
                r"president|spokesman|spokeswoman|spokesperson|premier|minister")
_TITLE = re.compile(
    rf"(?:\b[A-Z][\w’'-]*\s+)?\b(?:{_TITLE_WORDS})\.?\s+(?=[A-Z])"
)
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\b")
_ABBREVIATIONS = (
    (re.compile(r"\b(?:the\s+)?United\s+States(?:\s+of\s+America)?\b|\b(?:the\s+)?U\.S\.(?=\s)|"
                r"\bAmerica(?:[’']s)?(?![\w’'])", re.IGNORECASE), "US"),
    (re.compile(r"\b(?:the\s+)?United\s+Kingdom\b", re.IGNORECASE), "UK"),
    (re.compile(r"\b(?:the\s+)?European\s+Union\b", re.IGNORECASE), "EU"),
    (re.compile(r"\b(?:the\s+)?United\s+Nations\b", re.IGNORECASE), "UN"),
)
_ARTICLES = re.compile(r"(?:(?<=\s)|^)(?:a|an|the|The|A|An)\s+(?=\S)")
# "after X carried out attacks on Y" reads as "after X attacks on Y" (the noun phrase keeps the sense).
_LIGHT_VERB = re.compile(r"\b((?:after|before|following|amid)\s+\S+(?:\s+\S+){0,3}?)\s+"
                         r"(?:carried\s+out|conducted|launched|staged)\s+(?=\w+s\b)")
_THAT_AFTER_SAID = re.compile(r"\b(said|says|told\s+\w+|stated|announced)\s+that\b")
_SPEECH_ONLY = re.compile(
    r"^(?P<who>.+?)\s+(?:told|said|says|tells|stated|declared|wrote|added)(?:\s+\S+){0,2}$"
)
_SUBORDINATE = {"which", "who", "whose", "where", "when", "while", "although", "though", "as", "because",
                "but", "or", "if", "since", "after", "before"}
_STRONG_CUTS = {"which", "who", "whom", "whose", "what", "that", "amid", "while", "because", "despite",
                "but", "where", "when", "although", "though", "whereas", "including"}
_WEAK_CUTS = {"to", "with", "after", "over", "as", "and", "for", "in", "on", "at", "by", "from", "into",
              "against", "under", "before", "than", "of", "about"}
TRAILING_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "over", "after",
    "before", "about", "against", "amid", "under", "between", "than", "as", "and", "or", "but", "nor", "so",
    "yet", "his", "her", "its", "their", "our", "my", "your", "he", "she", "it", "they", "we", "what",
    "which", "who", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "can", "could", "should", "did", "does", "do", "not", "later", "earlier",
})
"""Words a label never ends on (prepositions, articles, conjunctions, pronouns, auxiliaries)."""
MAX_LABEL_WORDS = 10


def event_label(sentence: str, date_start: int, date_end: int, context: str = "") -> str:
    """A short headline (at most :data:`MAX_LABEL_WORDS` words) for the event dated at
    ``sentence[date_start:date_end]``, made only of the sentence's own words.

    Keeps the clause holding the date, with its subject when the clause starts with a verb or
    "which", and its predicate when a comma-enclosed aside ("a jet, built as a trainer, provided …")
    splits them; drops quotations, parentheses, asides and the date phrase. Then headline style:
    titles and epithets go ("Russian dictator Vladimir Putin" → "Putin"), a full name becomes the
    surname when ``context`` (the article) also uses the surname alone, "the United States" and
    "America" become "US", articles go. A clause that only says who spoke ("Hegseth told
    Americans") takes the head of the quotation instead. Too long: cut before a relative or
    subordinate clause, else at a preposition; never ends on a preposition, article or conjunction.
    """
    chars = list(sentence)
    for m in _QUOTED.finditer(sentence):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    chars[date_start:date_end] = " " * (date_end - date_start)
    blanked = "".join(chars)
    segments = [(m.start(), m.group()) for m in _SEGMENT.finditer(blanked) if m.group().strip()]
    index = next((i for i, (s, seg) in enumerate(segments) if s <= date_start < s + len(seg) + 1),
                 len(segments) - 1)
    while index < len(segments) - 1 and len(_LEAD.sub("", segments[index][1].strip()).split()) <= 1:
        index += 1
    words = segments[index][1].split() if segments else []
    if words and index > 0:
        first = words[0]
        if first.lower() in ("which", "who"):
            before = segments[index - 1][1].split()[-2:]
            words = before[-1:] if before[0].lower() in _WEAK_CUTS | _STRONG_CUTS else before
            words = words + segments[index][1].split()[1:]
        elif first[0].islower() and first.lower() not in ("a", "an", "the"):
            subject = segments[0][1].split()
            if len(subject) <= 4:
                words = subject + words
    # "X, <aside>, verb …": skip the aside and keep the predicate.
    while index + 2 < len(segments):
        aside, rest = segments[index + 1][1].split(), segments[index + 2][1].split()
        if not (aside and rest and rest[0][0].islower() and not rest[0].endswith("ing")
                and not aside[0].endswith("ing") and len(aside) <= 12
                and rest[0].lower() not in _SUBORDINATE):
            break
        words = words + rest
        index += 2
    phrase = _headline(" ".join(words), context or sentence)
    speaker = _SPEECH_ONLY.match(phrase)
    quote = next((q for q in (m.group(1) or m.group(2) for m in _QUOTE_TEXT.finditer(sentence)) if q), None)
    if speaker and quote and len(speaker["who"].split()) <= 4:
        head = _quote_head(quote, MAX_LABEL_WORDS - len(speaker["who"].split()))
        if head:
            return f"{_capitalize(speaker['who'])}: “{head}”"
    return _capitalize(" ".join(_shorten(phrase.split())))


def _headline(phrase: str, context: str) -> str:
    phrase = _TITLE.sub("", phrase)
    for m in reversed(list(_FULL_NAME.finditer(phrase))):
        first, last = m.groups()
        if re.search(rf"(?<!\b{first}\s)\b{last}\b", context):
            phrase = phrase[:m.start()] + last + phrase[m.end():]
    for pattern, short in _ABBREVIATIONS:
        phrase = pattern.sub(short, phrase)
    phrase = _THAT_AFTER_SAID.sub(r"\1", " ".join(phrase.split()))
    phrase = _LEAD.sub("", phrase).strip(" .!?")
    phrase = _ARTICLES.sub("", phrase)
    return _LIGHT_VERB.sub(r"\1 ", phrase).strip(" ,.")


def _shorten(words: list[str]) -> list[str]:
    if len(words) > MAX_LABEL_WORDS:
        strong = next((i for i, w in enumerate(words) if i >= 3 and w.lower() in _STRONG_CUTS), None)
        if strong is not None:
            words = words[:strong]
    if len(words) > MAX_LABEL_WORDS:
        weak = [i for i, w in enumerate(words[:MAX_LABEL_WORDS + 1]) if i >= 3 and w.lower() in _WEAK_CUTS]
        words = words[:weak[-1]] if weak else words[:MAX_LABEL_WORDS]
    while len(words) > 1 and words[-1].lower().strip(",.;:") in TRAILING_WORDS:
        words.pop()
    return words


def _quote_head(quote: str, limit: int) -> str:
    """The quotation up to its first break (at most ``limit`` words, never ending on a preposition),
    in sentence case when set in capitals ("WE DIDN’T START")."""
    head = _SEGMENT.match(quote.strip())
    words = (head.group() if head else quote).split()[:limit]
    while words and words[-1].lower().strip(".!?") in TRAILING_WORDS:
        words.pop()
    words = [w.lower() if w.isupper() and w != "I" else w for w in words]
    return _capitalize(" ".join(words).strip(" .!?"))


def _capitalize(text: str) -> str:
    text = text.strip(" ,.")
    return text[:1].upper() + text[1:]
