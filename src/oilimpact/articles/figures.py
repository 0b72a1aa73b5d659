"""Economic figures pulled from news articles, each with the exact words and sentence it came from.

:func:`extract_figures` finds every figure of an :class:`~oilimpact.articles.text.Article` by general
rules over number formats, units, context words and sentence structure, with no knowledge of any
particular article, so a new file dropped in ``seeds/`` is read as it is. The vocabulary the rules need
(currencies, scales, unit words, qualifier, falling and shortfall words) is in small tables below.

A figure is a number (``72``, ``2,500``, ``1.29``, ``three``, ``a tenth``, ``half``) with what sits
around it:

- unit: a currency before or after it (``$ € £ ₽``, ``USD``, ``RUB 582.5 billion``, ``roubles`` …;
  ``USD/bbl`` when it is an unscaled amount in a passage about oil, or says "a barrel"; ``RUB/day``
  for "12.8 billion roubles a day"), ``RUB/USD`` for an exchange rate ("92.2 roubles per dollar",
  "($1 = 78.85 roubles)", "the rouble at 76.27 per dollar"), ``percent`` (``%``, ``per cent``,
  fractions), ``pp``, ``bbl/day`` (``b/d``, ``kbd``, ``mbd``), ``bbl``, ``t``, ``bcm``,
  ``days``/``weeks``/``months``/``years`` (``30-day``, ``three years``), ``count`` for things counted
  ("500 units", "50 transits"). A bare number takes the unit of the figure it is compared with ("80.46
  per dollar, from 86.10 in March"), of an earlier figure with the same value ("the 92.2 in the law"),
  or, when it has a scale, the currency of the money figures around it ("at 425.5 billion");
  otherwise it is not reported;
- scale: ``thousand`` (``k``, ``kbd``), ``million`` (``m``, ``mn``, ``mln``, ``mbd``), ``billion``
  (``bn``, ``bln``), ``trillion`` (``trn``, ``trln``, ``tn``) — ``value`` stays as written (``€500m``
  is 500 with scale million);
- qualifier: ``exact``, ``less_than`` (less than, under, below, ``<``), ``more_than`` (more than,
  over, above, ``>``), ``about`` (about, around, some, roughly, near …), ``up_to`` (up to, as much as,
  at most), ``at_least`` (at least, no less than, "X or more"), ``range`` ("$5–$6", "1.1-1.3 mbd",
  "between 3.5% and 4.4%", "$8 to $10": ``value`` the first end, ``value_high`` the second). "over"
  before a duration is a span ("delivered over three years"), not a qualifier;
- sign: negative for a decline ("fell 12%", "50% lower", "down by $1.4bn", "a drop of about 46%") and
  a shortfall against a plan, base, target or expectation ("a shortfall of 30.1 bln", "below plan by
  170 billion", "7.5% below the original plan"); a spread between two prices stays positive ("$30
  below the global benchmark"); a falling range is negated at both ends;
- period: see :mod:`oilimpact.articles.periods`;
- metric: the first rule of :data:`METRIC_RULES` whose words appear around it, else ``other``.

Not figures: page furniture (``308 views``, ``3 min read``, ``28.02.26, 16:20`` stamps, malformed
numbers such as the ``$43.210.00`` ticker, lines with no words), dates and years, times, ordinals,
list numbers ("1. Price"), phone numbers, legal references ("Article 96.10", "Regulation 833/2014"),
names with digits (``F-35``, ``G7``, ``COVID-19``), decades (``2010s``), the N of "the first 11
months", and the "1" that defines a rate ("$1 = 78.85 roubles", "1 US dollar", "each $1").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from oilimpact.articles import ru_figures, ru_periods
from oilimpact.articles.lang import language_of, quoted_sentences
from oilimpact.articles.metrics import METRIC_RULES as METRIC_RULES
from oilimpact.articles.metrics import by_sentence, metric_of
from oilimpact.articles.periods import assign_periods, find_phrases
from oilimpact.articles.raw import RawFigure as _Raw
from oilimpact.articles.ru_metrics import RU_METRIC_RULES, fill_in
from oilimpact.articles.text import Article, Sentence, passage, sentences, visible
from oilimpact.articles.units import (
    CURRENCIES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DURATIONS,
    RATE_UNIT,
    SCALE_WORDS,
    SCALES,
)
from oilimpact.provenance import Source

# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure: ``Path(seeds/source).read_text()[start:end] == text``."""

    source: str
    article_date: dt.date
    metric: str
    value: float
    unit: str
    scale: str
    qualifier: str
    period: str
    period_start: dt.date | None
    period_end: dt.date | None
    text: str
    start: int
    end: int
    sentence: str
    value_high: float | None = None  # the second end of a range (qualifier "range")

    @property
    def amount(self) -> float:
        """The value with its scale applied (``€500m`` → 500e6)."""
        return self.value * SCALES[self.scale]

    @property
    def midpoint(self) -> float:
        """The middle of a range; the value itself for any other figure."""
        return self.value if self.value_high is None else (self.value + self.value_high) / 2

    def to_source(self) -> Source:
        return Source("article", self.article_date.isoformat(), f"seeds/{self.source}", self.text)


# --- vocabulary -----------------------------------------------------------------------------

_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_FRACTION_VALUES = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0,
                    "hundredth": 1.0}
_QUALIFIERS = {
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "<": "less_than", "more than": "more_than", "over": "more_than", "above": "more_than",
    "in excess of": "more_than", "upwards of": "more_than", "exceeding": "more_than", ">": "more_than",
    "about": "about", "around": "about", "some": "about", "roughly": "about", "approximately": "about",
    "nearly": "about", "almost": "about", "close to": "about", "circa": "about", "near": "about",
    "an estimated": "about", "~": "about", "up to": "up_to", "as much as": "up_to",
    "as many as": "up_to", "as high as": "up_to", "no more than": "up_to", "at most": "up_to",
    "at least": "at_least", "no less than": "at_least",
}
# What a shortfall is measured against: "below plan by", "7.5% below the original plan".
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_TARGETS = (r"plan|target|base(?:\s+level)?|budget|quota|forecast|expectations?|assumption|estimate"
            r"|goal|projection")

_NUM = r"\d[\d.,]*\d|\d"
_CUR = r"US\$|\$|€|£|₽|\b(?:USD|EUR|RUB|GBP|CNY)\s?"
_GLUED = r"trln|trn|tn|bln|bn|mln|mn|kbd|mbd|m|k"
_NUMBER = re.compile(rf"(?P<cur>{_CUR})?(?<![\w.,:/+\-–—])(?P<num>{_NUM})(?P<glued>{_GLUED})?(?![\w])")
_VALID_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\Z")
# The second end of a range: "–$55", "-1.3", " to $10", " and 27%" (after "between").
_RANGE_END = re.compile(
    rf"(?P<pct>\s?%)?\s*(?P<join>[–—-]|\bto\b|\band\b)\s*(?P<cur>{_CUR})?(?P<num>{_NUM})(?P<glued>{_GLUED})?"
    r"(?![\w])"
)
_WORD_NUMBER = re.compile(
    r"\b(?P<word>" + "|".join(_WORD_VALUES) + r"|a\s+dozen)"
    r"(?=[\s-](?:days?|weeks?|months?|years?|per\s?cent|percent|million|billion|trillion|barrels?)\b)",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"\b(?:(?:a|one)\s+(?P<frac>half|third|quarter|fifth|tenth|hundredth)"
    r"|(?P<multi>two|three|four|nine)[\s-](?P<fracs>thirds|quarters|fifths|tenths)"
    r"|(?P<half>half))(?=\s+of\b)",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"(?P<scale>\s?-?(?:trillion|trln|trn|tn|billion|bln|bn|million|mln|mn|thousand)\b)?"
    r"(?P<unit>\s(?:roubles?\s+|rubles?\s+)?(?:per|to\s+the|against\s+the|versus\s+the|vs\.?\s+the)\s+"
    r"(?:US\s+)?dollar\b"
    r"|\s?(?:%|per\s?cent\b|percent\b)"
    r"|\s?percentage\s+points?\b|\s?pp\b"
    r"|\s?(?:kbd|mbd)\b"
    r"|\s(?:(?:barrels?\s+(?:a|per)\s+day)|b/d|bpd)\b|(?<=[mk])\sb/d\b"
    r"|\s(?:roubles?|rubles?|RUB|(?:US\s)?dollars?|USD|euros?|EUR|yuan|CNY)\b"
    r"|\s(?:barrels?|bbl)\b|\s(?:tonnes?|tons?)\b|\s(?:cubic\s+metres?|bcm)\b"
    r"|[\s-](?:days?|weeks?|months?|years?)\b)?"
    r"(?P<per>\s?(?:a|per)\s+barrel\b|/bbl\b)?"
    r"(?P<day>(?:\s+of\s+[a-z]+(?:\s+and\s+[a-z]+)?)?\s+(?:a|per)\s+day\b)?"
    r"(?P<direction>\s(?:lower|higher|down|up|less|more|short|drop|decline|fall|rise)\b)?",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:\b(?P<q>less\s+than|fewer\s+than|under|below|more\s+than|over|above|in\s+excess\s+of|upwards\s+of"
    r"|exceeding|about|around|some|roughly|approximately|nearly|almost|close\s+to|circa|an\s+estimated|near"
    r"|up\s+to|as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|no\s+more\s+than|at\s+most|at\s+least"
    r"|no\s+less\s+than)\s+|(?P<sym>[~<>])\s*)\Z",
    re.IGNORECASE,
)
_OR_MORE = re.compile(r"\s+or\s+(?P<w>more|above|higher|less|fewer|below)\b", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+\Z", re.IGNORECASE)
# A change verb before "A to B" makes B the level reached ("rose 3% to $85", "cut from 70 to 56").
_CHANGED_BEFORE = re.compile(
    r"\b(?:rose|rise|rises|risen|fell|fall|falls|fallen|jumped|jumps|climbed|climbs|dropped|drops|slipped|"
    r"slid|declined|declines|decreased|increased|gained|lost|surged|soared|plunged|tumbled|cut|raised|"
    r"lowered|up|down)\s+(?:by\s+)?(?:from\s+)?(?:(?:about|around|some|roughly|nearly|almost)\s+)?\Z",
    re.IGNORECASE,
)
# Falling and shortfall words right before a number: "fell 35%", "down by", "a drop of about",
# "the shortfall of", "below plan by", "cost the fund", "the annual decline made".
_FALLING_BEFORE = re.compile(
    r"\b(?:fell|fall|falls|falling|dropped|drops|drop|declined|declines|decline|decreased|decrease"
    r"|slumped|slump|plunged|shrank|shrunk|lost|lose|loses|slid|tumbled|slipped|sank|down|lower|cut"
    r"|reduced|lowered|shortfall|deficit\s+of\s+revenue|undershot\s+\w+|missed\s+\w+"
    rf"|below\s+(?:the\s+)?(?:[\w’']+\s+)?(?:{_TARGETS})|cost\s+(?:the\s+)?\w+|decline\s+made)"
    r"(?:\s+(?:of|by|was|were|is|are|made|amounted\s+to))?(?:\s+between)?"
    r"\s+(?:(?:about|around|roughly|some|nearly|almost|approximately|an\s+estimated)\s+)?\Z",
    re.IGNORECASE,
)
_CUT_BY = re.compile(r"\b(?:cut|reduced|lowered|undershot|missed)\b[^,.;]{0,40}\bby\s+\Z", re.IGNORECASE)
_SHORTFALL_BEFORE = re.compile(r"\bshortfall\b[^,.;()]{0,30}\Z", re.IGNORECASE)
_FALLING_AFTER = re.compile(
    rf"\s(?:lower|down|less|short)\b|\s(?:drop|decline|fall)\b|\s+below\s+(?:the\s+|its\s+)?(?:[\w’'+]+\s+){{0,2}}"
    rf"(?:{_TARGETS})\b"
    rf"|(?<=%)\s+(?:below|under)\s+(?:(?:the\s+)?same\s+\w+\s+(?:of\s+)?)?(?:(?:{_MONTH_NAMES})\b|\d{{4}}\b|a\s+year)",
    re.IGNORECASE,
)
_FURNITURE_AFTER = re.compile(
    r"\s*(?:views?|comments?|likes?|shares?|reads?|subscribers?|followers?|reactions?|replies"
    r"|min(?:ute)?s?\s+read)\b|:\d{2}\b",
    re.IGNORECASE,
)
_FURNITURE_BEFORE = re.compile(r"(?:\b(?:share|shares|views|comments|likes)\s*:?\s*|\d:)\Z", re.IGNORECASE)
_LEGAL_BEFORE = re.compile(
    r"\b(?:Article|Art\.|Articles|Regulation|Section|Clause|Decree|Resolution|Directive|Law|Order|Chapter"
    r"|Paragraph|Part|Rule|No\.?|Nos\.?|§)\s*\Z"
)
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=\s)")
_PHONE = re.compile(r"\+\s?\d{1,3}(?:[\s().-]*\d){6,}")
_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+\Z")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_PERIOD_COUNT_BEFORE = re.compile(r"\b(?:first|last)\s+\Z", re.IGNORECASE)
# The "1" that defines a rate or a sensitivity: "$1 = 78.85 roubles", "1 US dollar", "each $1".
_RATE_ONE = re.compile(r"(?:US\$|\$)1\s*=|1\s+(?:US\s+)?dollar\b", re.IGNORECASE)
_EACH_BEFORE = re.compile(r"\b(?:each|every|per)\s+\Z", re.IGNORECASE)
_RATE_DEFINED = re.compile(
    r"(?:(?:US\$|\$)1\s*=\s*|\b1\s+(?:US\s+)?dollar\b[^.;]{0,40}?)\Z", re.IGNORECASE
)
_RATE_BEFORE = re.compile(r"\b(?:exchange\s+)?rate\b[^.;,]{0,25}\b(?:was|of|at|is|stood\s+at)\s+\Z",
                          re.IGNORECASE)
_DAILY_BEFORE = re.compile(r"\bdaily\b[^.;]{0,40}\Z", re.IGNORECASE)
_COUNTED = re.compile(r"\s+(?:[A-Za-z][a-z-]+\s+)?(?P<noun>[a-z][a-z-]*s)\b")
_NOT_COUNTED = frozenset({"days", "weeks", "months", "years", "hours", "minutes", "views", "shares",
                          "reads", "likes", "comments", "percent", "points", "times", "is", "was", "has",
                          "as", "its", "this", "his", "us", "less", "plus", "thus", "dollars", "roubles",
                          "rubles", "euros", "barrels", "tonnes", "tons"})
_COMPARED_BEFORE = re.compile(
    r"\b(?:from|against|versus|vs\.?|compared\s+(?:with|to)|than|to|of)\s+(?:the\s+)?\Z", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_OIL = re.compile(r"\b(?:barrels?|oil|crude|urals|brent|wti|espo|bbl|discount|cap)\b", re.IGNORECASE)
PAIR_BETWEEN = re.compile(r"\s*\(\s*\Z")
_PAIR_AFTER = re.compile(r"\s*\)")
COMPARISON_BEFORE = re.compile(
    r"\b(?:(?:well|far|slightly|much|way)\s+)?(?:above|below|higher\s+than|lower\s+than|more\s+than"
    r"|less\s+than|short\s+of|compared\s+(?:with|to)|against|versus|vs\.?)\s+(?:the\s+|its\s+)?\Z",
    re.IGNORECASE,
)

def extract_figures(article: Article) -> list[Figure]:
    """Every economic figure of the article, in text order (an article with none gives []); read
    without its invisible characters (:func:`visible`), offsets into the file as it is."""
    seen = visible(article)
    if seen.starts is None:
        return _extract(article)
    found = []
    for figure in _extract(seen.article):
        start, end = seen.span(figure.start, figure.end)
        found.append(dataclasses.replace(figure, start=start, end=end, text=article.text[start:end]))
    return found


def _extract(article: Article) -> list[Figure]:
    text = _masked(article.text)
    spans = sentences(article.text, article.body_start)
    starts = [s.start for s in spans]
    language = language_of(article.text, article.body_start)
    quoted = quoted_sentences(article.text, spans, language)
    if quoted:
        return _mixed_figures(article, text, spans, starts, language, quoted)
    if language == "ru":
        raws = _russian_raws(text, article, spans, starts)
        return [_figure(article, raw) for raw in ru_periods.assign(article, raws)]
    raws = assign_periods(article, _english_raws(text, article, spans, starts))
    return [_figure(article, raw) for raw in _with_partners(raws)]


_SPACE_GROUPED = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£¥₽]\s?)?(?P<num>\d{1,3}(?:[ \u00a0\u2007\u2009\u202f]\d{3})+)(?!\w|[.,]\d)"
    r"(?P<unit>\s?(?:%|(?:kbd|mbd|b/d|bpd|barrels?|tonnes?|tons?|bn|billion|million|mn|mln|trillion|roubles?"
    r"|rubles?|dollars?|euros?|yuan|per\s?cent|percent|units?)\b))?"
)


def _group_separators(match: re.Match[str]) -> str:
    """"1 000 kbd", "1\u202f000": thousands grouped by a space read as "1,000" (the same length, so every
    offset stays). A plain space counts only next to a currency or a unit: "March 5 200 tankers" is two."""
    number = match.group("num")
    if " " in number and not (match.group("cur") or match.group("unit")):
        return match.group(0)
    grouped = re.sub(r"[ \u00a0\u2007\u2009\u202f]", ",", number)
    return f"{match.group('cur') or ''}{grouped}{match.group('unit') or ''}"


def _english_raws(text: str, article: Article, spans: list[Sentence], starts: list[int]) -> list[_Raw]:
    """The English rules: the numbers with their unit, scale, qualifier, sign and metric (no period)."""
    text = _SPACE_GROUPED.sub(_group_separators, text)
    raws = sorted(_find_numbers(text, article.body_start, spans, starts), key=lambda r: r.start)
    raws = _resolve_bare(text, raws, spans)
    _link_pairs(text, raws)
    groups = by_sentence(raws)
    per_barrel: set[tuple[str, float]] = set()  # (unit, value) of the prices per barrel so far
    for i, raw in enumerate(raws):
        raw.unit = _per_barrel(text, raw, spans, per_barrel)
        raw.metric = metric_of(text, raws, i, spans, groups=groups)
        if raw.unit.endswith("/bbl"):
            per_barrel.update((raw.unit, v) for v in (raw.value, raw.value_high) if v is not None)
    return raws


def _russian_raws(text: str, article: Article, spans: list[Sentence], starts: list[int]) -> list[_Raw]:
    """The Russian rules read the numbers; the metrics are the shared matching with Russian words."""
    raws = ru_figures.find_figures(text, article.body_start, spans, starts)
    groups = by_sentence(raws)
    for i, raw in enumerate(raws):
        raw.metric = metric_of(text, raws, i, spans, rules=RU_METRIC_RULES, groups=groups)
    fill_in(text, raws, article.body_start)
    return raws


def _with_partners(raws: list[_Raw]) -> list[_Raw]:
    """An amount restated in another currency takes the period and metric of the one it restates."""
    for raw in raws:
        if raw.partner is not None:
            partner = raws[raw.partner]
            raw.period, raw.metric = partner.period, partner.metric
    return raws


def _mixed_figures(article: Article, text: str, spans: list[Sentence], starts: list[int], language: str,
                   quoted: set[int]) -> list[Figure]:
    """An article quoting sentences in the other language: each sentence read by its own language's rules,
    the periods chosen over the whole article from the phrases of both."""
    russian = quoted if language == "en" else set(range(len(spans))) - quoted
    text_ru = _blanked(text, [s for i, s in enumerate(spans) if i not in russian])
    text_en = _blanked(text, [s for i, s in enumerate(spans) if i in russian])
    english = _english_raws(text_en, article, spans, starts)
    partners = {id(raw): english[raw.partner] for raw in english if raw.partner is not None}
    raws = sorted(english + _russian_raws(text_ru, article, spans, starts), key=lambda r: r.start)
    position = {id(raw): i for i, raw in enumerate(raws)}
    for raw in raws:
        raw.partner = position[id(partners[id(raw)])] if id(raw) in partners else None

    def both(_text: str, start: int, end: int, today: dt.date) -> list[Any]:
        found = find_phrases(text_en, start, end, today) + ru_periods.find_phrases(text_ru, start, end, today)
        return sorted(found, key=lambda p: p.start)

    return [_figure(article, raw) for raw in _with_partners(ru_periods.assign(article, raws, find=both))]


def _blanked(text: str, spans: list[Sentence]) -> str:
    """``text`` with the given sentences blanked (same length, so offsets hold)."""
    chars = list(text)
    for span in spans:
        chars[span.start:span.end] = " " * (span.end - span.start)
    return "".join(chars)


def _masked(text: str) -> str:
    """The text with phone numbers and list numbers blanked (same length, so offsets hold)."""
    for pattern in (_PHONE, _LIST_NUMBER):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _figure(article: Article, raw: _Raw) -> Figure:
    period = raw.period
    sentence = article.text[raw.sentence.start:raw.sentence.end]
    return Figure(
        source=article.name, article_date=article.date, metric=raw.metric, value=raw.value, unit=raw.unit,
        scale=raw.scale, qualifier=raw.qualifier, period=period.label if period else "",
        period_start=period.first if period else None, period_end=period.last if period else None,
        text=article.text[raw.start:raw.end], start=raw.start, end=raw.end,
        sentence=" ".join(sentence.split()), value_high=raw.value_high,
    )


def _sentence_at(spans: list[Sentence], starts: list[int], pos: int) -> int | None:
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and spans[i].start <= pos < spans[i].end else None


def _number(raw_number: str) -> float | None:
    return float(raw_number.replace(",", "")) if _VALID_NUMBER.match(raw_number) else None


def _find_numbers(text: str, body_start: int, spans: list[Sentence], starts: list[int]) -> list[_Raw]:
    found: list[_Raw] = []
    taken_until = body_start
    for m in _NUMBER.finditer(text, body_start):
        if m.start("num") < taken_until:
            continue  # the second end of a range already read
        value = _number(m.group("num"))
        if value is None:
            continue  # "$43.210.00", "28.02.26": a ticker or a stamp, not an amount
        currency = CURRENCY_SIGNS.get((m.group("cur") or "").strip().lower(), "")
        glued = (m.group("glued") or "").lower()
        if _not_a_figure(text, m, value, currency or glued):
            continue
        raw = _with_context(text, m, value, currency, glued, spans, starts)
        if raw is not None:
            found.append(raw)
            taken_until = raw.end
    for m in _WORD_NUMBER.finditer(text, body_start):
        if _PERIOD_COUNT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "the first ten months": a period, not a duration
        value = float(_WORD_VALUES[" ".join(m.group("word").lower().split()[-1:])])
        raw = _with_context(text, m, value, "", "", spans, starts, number_span=m.span())
        found += [replace(raw, in_words=True)] if raw is not None else []
    for m in _FRACTION.finditer(text, body_start):
        if m.group("frac"):
            value = _FRACTION_VALUES[m.group("frac").lower()]
        elif m.group("multi"):
            value = _WORD_VALUES[m.group("multi").lower()] * _FRACTION_VALUES[m.group("fracs").lower()[:-1]]
        else:
            value = 50.0
        raw = _with_context(text, m, round(value, 4), "", "", spans, starts, number_span=m.span(),
                            unit="percent")
        found += [replace(raw, in_words=True)] if raw is not None else []
    return found


def _not_a_figure(text: str, m: re.Match[str], value: float, marked: str) -> bool:
    """Dates, years, times, counters, legal references, the "1" of a rate, "the first 11 months"."""
    start, end = m.start(), m.end()
    before = text[max(0, start - 40):start]
    if _FURNITURE_AFTER.match(text, end) or _FURNITURE_BEFORE.search(before):
        return True
    if _LEGAL_BEFORE.search(before) or re.match(r"/\d", text[end:end + 2]):
        return True  # "Article 96.10", "Regulation 833/2014"
    if value == 1 and (_RATE_ONE.match(text, start) or _EACH_BEFORE.search(before)):
        return True
    if marked:
        return False
    if _MONTH_BEFORE.search(before[-14:]):
        return True  # "March 4", "on March 1"
    if value <= 31 and _MONTH_AFTER.match(text, end):
        return True  # "4 March", "16 Jan 2026"
    after = _AFTER.match(text, end)
    unit_word = (after.group("unit") or "").strip(" -").lower().rstrip("s")
    if unit_word in ("month", "week", "year", "day") \
            and _PERIOD_COUNT_BEFORE.search(before):
        return True  # "the first 11 months"
    if after.group("unit") or after.group("scale"):
        return False
    return value.is_integer() and 1800 <= value <= 2100 and "," not in m.group("num")


def _with_context(
    text: str, m: re.Match[str], value: float, currency: str, glued: str,
    spans: list[Sentence], starts: list[int], *, number_span: tuple[int, int] | None = None, unit: str = "",
) -> _Raw | None:
    number_start, end = number_span or (m.start("num"), m.end())
    start = m.start() if number_span is None else number_span[0]
    index = _sentence_at(spans, starts, number_start)
    if index is None:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not _WORD.search(text, line_start, line_end):
        return None  # a line of bare numbers and symbols is page furniture
    scale = SCALE_WORDS.get(glued, "")
    barrels_a_day = glued in ("kbd", "mbd")
    value_high = None
    rng = _RANGE_END.match(text, end) if number_span is None else None
    if rng is not None:
        high = _number(rng.group("num"))
        join = rng.group("join").lower()
        between = _BETWEEN_BEFORE.search(text, max(0, start - 10), start)
        second_currency = CURRENCY_SIGNS.get((rng.group("cur") or "").strip().lower(), "")
        # the two ends must be the same kind of number: "3% to $85.20" is a change and a level
        mixed = bool(rng.group("pct") and second_currency)  # "3% to $85"
        other_money = bool(currency and second_currency and currency != second_currency)
        same_kind = not mixed and not other_money
        moved_to = join == "to" and _CHANGED_BEFORE.search(text, max(0, start - 30), start) is not None
        if (high is not None and high > value and (join != "and" or between) and same_kind
                and not moved_to and not (rng.group("pct") and rng.group("cur"))):
            value_high = high
            glued_high = (rng.group("glued") or "").lower()
            scale = scale or SCALE_WORDS.get(glued_high, "")
            barrels_a_day = barrels_a_day or glued_high in ("kbd", "mbd")
            currency = currency or CURRENCY_SIGNS.get((rng.group("cur") or "").strip().lower(), "")
            if rng.group("pct"):
                unit = unit or "percent"
            end = rng.end()
            if between:
                start = between.start()
    after = _AFTER.match(text, end)
    if after.group("scale") and not scale:
        scale = SCALE_WORDS[after.group("scale").strip(" -.").lower()]
    unit_word = (after.group("unit") or "").strip(" -").lower()
    if unit_word in ("kbd", "mbd"):
        scale, unit_word, barrels_a_day = scale or SCALE_WORDS[unit_word], "", True
    if not unit:
        unit = "bbl/day" if barrels_a_day else _unit_of(unit_word, currency)
    stop = end
    for group in ("scale", "unit", "per", "day"):
        if after.group(group):
            stop = after.end(group)
    if after.group("per") and unit in CURRENCIES:
        unit = f"{unit}/bbl"
    if after.group("day") and unit in CURRENCIES:
        unit = f"{unit}/day"
    direction = (after.group("direction") or "").strip().lower()
    if direction and (unit in ("percent", "pp") or direction in ("short", "less", "lower")):
        stop = after.end("direction")
    if unit == "RUB" and not scale and (_RATE_DEFINED.search(text, max(0, start - 60), start)
                                        or _RATE_BEFORE.search(text, max(0, start - 40), start)):
        unit = RATE_UNIT  # "($1 = 78.85 roubles)", "1 US dollar ... 102.4737 rubles", "the rate was 78.2"
    if unit in CURRENCIES and _DAILY_BEFORE.search(text, max(0, start - 60), start):
        unit = f"{unit}/day"  # "daily sales have ranged from 5.6 to 12.8 bln rubles"
    qualifier = "range" if value_high is not None else "exact"
    q = _QUALIFIER_BEFORE.search(text, max(0, start - 30), start)
    if q:
        word = " ".join((q.group("q") or q.group("sym")).lower().split())
        span_word = word == "over" and unit in DURATIONS
        if not span_word:
            qualifier = qualifier if value_high is not None else _QUALIFIERS.get(word, "about")
            start = q.start()
    more = _OR_MORE.match(text, stop)
    if more and value_high is None:
        qualifier = "at_least" if more.group("w").lower() in ("more", "above", "higher") else "up_to"
        stop = more.end()
    head = text[max(0, start - 60):start]
    falling = bool(_FALLING_BEFORE.search(head) or _CUT_BY.search(head)
                   or _SHORTFALL_BEFORE.search(head) or _FALLING_AFTER.match(text, stop)
                   or direction in ("lower", "down", "less", "short", "drop", "decline", "fall"))
    if falling and re.search(r"\bto\s+\Z", head):
        falling = False  # "slipped to 2.6 mbd", "shrank to 30.5 billion": the level reached
    change = bool(direction) or bool(_FALLING_BEFORE.search(head)) or bool(
        re.search(r"\b(?:rose|rise|grew|climbed|jumped|up|increased|gained|added)\s+(?:by\s+)?\Z", head))
    if falling:
        value = -abs(value)
        value_high = -abs(value_high) if value_high is not None else None
        end_after = _FALLING_AFTER.match(text, stop)
        if end_after and end_after.group().strip().split()[0] in ("below",) and not re.search(
                rf"\d|{_MONTH_NAMES}|\byear\b", end_after.group()):
            stop = end_after.end()  # "below the original plan" joins the words; "below July 2024" not
    return _Raw(value, unit, scale, qualifier, start, stop, number_start, spans[index], index,
                value_high=value_high, negative=falling, change=change)


def _unit_of(unit_word: str, currency: str) -> str:
    if unit_word.endswith("dollar") and set(unit_word.split()) & {"per", "the"}:
        return RATE_UNIT  # "92.2 roubles per dollar", "81.01 per dollar"
    if currency:
        return currency
    if not unit_word:
        return ""  # bare: decided by _resolve_bare
    if unit_word in ("%", "percent") or unit_word.replace(" ", "") == "percent":
        return "percent"
    if unit_word.startswith("percentage") or unit_word == "pp":
        return "pp"
    words = unit_word.split()
    if words[-1] in CURRENCY_WORDS:
        return CURRENCY_WORDS[words[-1]]
    if (words[0].startswith("barrel") and words[-1] == "day") or unit_word in ("b/d", "bpd"):
        return "bbl/day"
    if words[0].startswith("barrel") or unit_word == "bbl":
        return "bbl"
    if words[0].startswith("ton"):
        return "t"
    if words[0].startswith("cubic") or unit_word == "bcm":
        return "bcm"
    return words[0].rstrip("s") + "s"  # days, weeks, months, years


def _resolve_bare(text: str, raws: list[_Raw], spans: list[Sentence]) -> list[_Raw]:
    """Give a unit to the numbers printed without one, or drop them.

    A bare number compared with a figure of the same sentence takes its unit and scale ("80.46 per
    dollar, from 86.10 in March"); one that repeats an earlier figure's value takes that figure's
    unit ("the 92.2 in the law"); one with a scale takes the currency of the nearest money figure in
    its sentence or the two before ("at 425.5 billion"); one followed by a plural noun is a count
    ("500 Verba units", "50 transits"). Any other bare number is not a figure.
    """
    kept: list[_Raw] = []
    for i, raw in enumerate(raws):
        if raw.unit:
            kept.append(raw)
            continue
        near = [r for r in raws[:i] if r.unit and r.sentence_index == raw.sentence_index]
        compared = _COMPARED_BEFORE.search(text, max(0, raw.start - 30), raw.start)
        counted = _COUNTED.match(text, raw.end)
        if counted and counted.group("noun").lower() not in _NOT_COUNTED:
            raw.unit = "count"
        elif same := [r for r in kept if r.unit and r.value == raw.value and r.value_high is None]:
            raw.unit, raw.scale, raw.same_as = same[-1].unit, raw.scale or same[-1].scale, same[-1]
        elif near and compared:
            ref = near[-1]
            raw.unit, raw.scale = ref.unit, raw.scale or ref.scale
        elif raw.scale:
            money = [r for r in kept if r.unit in CURRENCIES and raw.sentence_index - r.sentence_index <= 2]
            raw.unit = money[-1].unit if money else "count"
        else:
            continue
        kept.append(raw)
    return kept


def _link_pairs(text: str, raws: list[_Raw]) -> None:
    """'€500m ($580m)': the bracketed amount restates the first one in another currency."""
    for i in range(1, len(raws)):
        first, second = raws[i - 1], raws[i]
        if (first.unit in CURRENCIES and second.unit in CURRENCIES and first.unit != second.unit
                and PAIR_BETWEEN.match(text[first.end:second.start] + "")
                and _PAIR_AFTER.match(text, second.end)):
            second.partner = i - 1


def _per_barrel(text: str, raw: _Raw, spans: list[Sentence], earlier: set[tuple[str, float]]) -> str:
    """An unscaled amount of money in a passage about oil, or that repeats an earlier price per barrel
    ("the $59 assumption"), is a price per barrel."""
    if raw.unit not in CURRENCIES or raw.scale or not 1 <= abs(raw.value) <= 500:
        return raw.unit
    if _OIL.search(passage(text, spans, raw.sentence_index)):
        return f"{raw.unit}/bbl"
    return f"{raw.unit}/bbl" if (f"{raw.unit}/bbl", raw.value) in earlier else raw.unit


