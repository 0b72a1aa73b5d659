"""Economic figures pulled from news articles, each with the exact words and sentence it came from.

An article file is a space, ``date YYYY-MM-DD``, a space, then the text. :func:`read_article` parses
it; :func:`extract_figures` finds every figure by rules over number formats and context words, with
no knowledge of any particular article, so a new file dropped in ``seeds/`` is read as it is.

A figure is a number (``72``, ``2,500``, ``1.29``, ``three``, ``a tenth``, ``half``) with what sits
around it:

- unit: a currency before or after it (``$ € £ ₽``, ``USD``, ``roubles`` …; ``USD/bbl`` when it is
  an unscaled amount in a passage about oil, or says "a barrel"), ``percent`` (``%``, ``per cent``,
  fractions), ``pp``, ``bbl/day``, ``bbl``, ``t``, ``bcm``, ``days``/``weeks``/``months``/``years``
  (``30-day``, ``three years``), else ``count``;
- scale: ``thousand``, ``million`` (``m``, ``mn``), ``billion`` (``bn``), ``trillion`` (``trn``,
  ``tn``) — ``value`` stays as written (``€500m`` is 500 with scale million);
- qualifier: ``exact``, ``less_than`` (less than, under, below), ``more_than`` (more than, over,
  above, in excess of), ``about`` (about, around, some, roughly, nearly, almost …), ``up_to`` (up to,
  as much as, at most), ``at_least`` (at least, no less than). "over" before a duration is a span
  ("delivered over three years"), not a qualifier;
- sign: a percentage with a falling word next to it ("50% lower", "fell 12%") is negative;
- period: the date/period phrase right after the number (or, failing that, right before it) in the
  same sentence, with no other figure in between — see :mod:`oilimpact.articles.dates` for labels;
- metric: the first rule of :data:`METRIC_RULES` whose words appear around it, else ``other``.

Not figures: page furniture (``308 views``, ``28.02.26, 16:20`` stamps, malformed numbers such as the
``$43.210.00`` ticker, lines with no words), dates and years, ordinals, model names (``F-35``,
``S-400``) and decades (``2010s``).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass

from oilimpact.articles.dates import When, find_whens, with_duration
from oilimpact.articles.text import Article, Sentence, sentences
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

    @property
    def amount(self) -> float:
        """The value with its scale applied (``€500m`` → 500e6)."""
        return self.value * SCALES[self.scale]

    def to_source(self) -> Source:
        return Source("article", self.article_date.isoformat(), f"seeds/{self.source}", self.text)


SCALES = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_WORDS = {
    "k": "thousand", "thousand": "thousand", "m": "million", "mn": "million", "million": "million",
    "bn": "billion", "billion": "billion", "trn": "trillion", "tn": "trillion", "trillion": "trillion",
}
_CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "₽": "RUB", "rub": "RUB", "cny": "CNY",
}
_CURRENCY_WORDS = {
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "rub": "RUB",
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "yuan": "CNY", "cny": "CNY",
}
CURRENCIES = frozenset(_CURRENCY_SIGNS.values())
_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_FRACTION_VALUES = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0,
                    "hundredth": 1.0}

_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|€|£|₽|\b(?:USD|EUR|RUB|GBP|CNY)\s)?"
    r"(?<![\w.,:/-])(?P<num>\d[\d.,]*\d|\d)(?P<suffix>trn|tn|bn|mn|m|k)?(?!\w)"
)
_VALID_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\Z")
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
    r"(?P<scale>\s?(?:trillion|trn|tn|billion|bn|million|mn|thousand)\b)?"
    r"(?P<unit>\s?(?:%|per\s?cent\b|percent\b)"
    r"|\s?percentage\s+points?\b|\s?pp\b"
    r"|\s(?:roubles?|rubles?|RUB|(?:US\s)?dollars?|USD|euros?|EUR|yuan|CNY)\b"
    r"|\s(?:(?:barrels?\s+(?:a|per)\s+day)|b/d|bpd)\b"
    r"|\s(?:barrels?|bbl)\b|\s(?:tonnes?|tons?)\b|\s(?:cubic\s+metres?|bcm)\b"
    r"|[\s-](?:days?|weeks?|months?|years?)\b)?"
    r"(?P<per>\s(?:a|per)\s+barrel\b|/bbl\b)?"
    r"(?P<direction>\s(?:lower|higher|down|up|less|more)\b)?",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:\b(?P<q>less\s+than|fewer\s+than|under|below|more\s+than|over|above|in\s+excess\s+of|upwards\s+of"
    r"|exceeding|about|around|some|roughly|approximately|nearly|almost|close\s+to|circa|an\s+estimated"
    r"|up\s+to|as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|no\s+more\s+than|at\s+most|at\s+least"
    r"|no\s+less\s+than)\s+|(?P<tilde>~)\s*)\Z",
    re.IGNORECASE,
)
_QUALIFIERS = {
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "more than": "more_than", "over": "more_than", "above": "more_than", "in excess of": "more_than",
    "upwards of": "more_than", "exceeding": "more_than", "about": "about", "around": "about",
    "some": "about", "roughly": "about", "approximately": "about", "nearly": "about", "almost": "about",
    "close to": "about", "circa": "about", "an estimated": "about", "up to": "up_to",
    "as much as": "up_to", "as many as": "up_to", "as high as": "up_to", "no more than": "up_to",
    "at most": "up_to", "at least": "at_least", "no less than": "at_least",
}
_FALLING_BEFORE = re.compile(
    r"\b(?:fell|fall|falls|dropped|drops|drop|declined|declines|decreased|slumped|plunged|shrank|shrunk"
    r"|down|lost|slid|tumbled)\s+(?:by\s+)?\Z",
    re.IGNORECASE,
)
_FALLING_AFTER = {"lower", "down", "less"}
_FURNITURE_AFTER = re.compile(
    r"\s*(?:views?|comments?|likes?|shares?|reads?|subscribers?|followers?|reactions?|replies)\b"
    r"|:\d{2}\b",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\Z"
)
_MONTH_AFTER = re.compile(
    r"\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_OIL = re.compile(r"\b(?:barrels?|oil|crude|urals|brent|wti|espo|bbl)\b", re.IGNORECASE)
PAIR_BETWEEN = re.compile(r"\s*\(\s*\Z")
_PAIR_AFTER = re.compile(r"\s*\)")
COMPARISON_BEFORE = re.compile(
    r"\b(?:(?:well|far|slightly|much|way)\s+)?(?:above|below|higher\s+than|lower\s+than|more\s+than"
    r"|less\s+than|short\s+of|compared\s+(?:with|to)|against|versus|vs\.?)\s+(?:the\s+|its\s+)?\Z",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MetricRule:
    """A metric applies when the figure's unit is one of ``units`` and every pattern is found
    in ``scope``: ``segment`` (the words between the neighbouring figures), ``sentence``, or
    ``passage`` (the sentence and up to two before it in the same paragraph)."""

    metric: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    scope: str = "sentence"


def _rule(metric: str, units: str, *patterns: str, scope: str = "sentence") -> MetricRule:
    unit_set = {
        "price": {f"{c}/bbl" for c in CURRENCIES}, "money": set(CURRENCIES), "percent": {"percent", "pp"},
    }.get(units, {units})
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    return MetricRule(metric, frozenset(unit_set), compiled, scope)


_RUSSIAN_OIL = r"\burals\b|russian\s+(?:oil|crude)|russia[’']s\s+(?:oil|crude)"
_REVENUE = r"revenue|receipts|income"
_OIL_GAS = r"\boil\b|\bgas\b|energy"
_DEAL = r"\bdeal\b|contract|\bpay\b|\bsold\b|\bsell\b|purchase|order|\bbuy\b"
_LNG = r"\blng\b|liquefied\s+natural\s+gas"
_YOY = r"year-on-year|year\s+on\s+year|\by/y\b|\byoy\b|(?:from|than)\s+a\s+year\s+(?:earlier|ago)"
_ARMS = (r"missile|weapon|\barms\b|\bjets?\b|fighter|drone|air[- ]defen[cs]e|helicopter|\btanks?\b|munition"
         r"|artillery|\bshells\b")

#: The metric vocabulary, first match wins; anything else is ``other``.
METRIC_RULES: tuple[MetricRule, ...] = (
    _rule("sanctions_waiver_days", "days", r"waiver|licen[cs]e|exemption|carve-?out|reprieve",
          scope="segment"),
    _rule("price_cap", "price", r"\bcap\b|price\s+cap", scope="segment"),
    _rule("budget_oil_price_assumption", "price", r"assum|budget|base\s+price|cut-?off", scope="segment"),
    _rule("urals_price", "price", _RUSSIAN_OIL),
    _rule("brent_price", "price", r"\bbrent\b"),
    _rule("urals_price", "price", _RUSSIAN_OIL, scope="passage"),
    _rule("brent_price", "price", r"\bbrent\b", scope="passage"),
    _rule("oil_price", "price", r"."),
    _rule("oil_gas_revenue_yoy_change", "percent", _REVENUE, _OIL_GAS, _YOY),
    _rule("oil_gas_revenue", "money", _REVENUE, _OIL_GAS),
    _rule("budget_deficit", "money", r"deficit"),
    _rule("budget_deficit", "percent", r"deficit"),
    _rule("arms_deal_value", "money", _DEAL, _ARMS),
    _rule("lng_supply_share", "percent", _LNG, r"suppl|share|import|of\s+europe"),
    _rule("oil_exports", "bbl/day", r"export"),
    _rule("oil_output", "bbl/day", r"output|produc"),
    _rule("national_wealth_fund", "money", r"national\s+wealth\s+fund|\bnwf\b"),
)


@dataclass
class _Raw:
    """A figure found but not yet placed in its context."""

    value: float
    unit: str
    scale: str
    qualifier: str
    start: int
    end: int
    number_start: int
    sentence: Sentence
    sentence_index: int
    partner: int | None = None  # index of the figure this one restates in another currency
    period: When | None = None
    metric: str = "other"


def extract_figures(article: Article) -> list[Figure]:
    """Every economic figure of the article, in text order (an article with none gives [])."""
    text = article.text
    spans = sentences(text, article.body_start)
    starts = [s.start for s in spans]
    raws = sorted(_find_numbers(text, article.body_start, spans, starts), key=lambda r: r.start)
    _link_pairs(text, raws)
    for i, raw in enumerate(raws):
        if raw.partner is None:
            raw.period = _period_of(text, raws, i, article.date)
            raw.unit = _per_barrel(text, raw, spans)
            raw.metric = _metric_of(text, raws, i, spans)
    for raw in raws:
        if raw.partner is not None:
            partner = raws[raw.partner]
            raw.period, raw.metric = partner.period, partner.metric
    return [_figure(article, raw) for raw in raws]


def _figure(article: Article, raw: _Raw) -> Figure:
    period = raw.period
    sentence = article.text[raw.sentence.start:raw.sentence.end]
    return Figure(
        article.name, article.date, raw.metric, raw.value, raw.unit, raw.scale, raw.qualifier,
        period.label if period else "", period.first if period else None, period.last if period else None,
        article.text[raw.start:raw.end], raw.start, raw.end, " ".join(sentence.split()),
    )


def _sentence_at(spans: list[Sentence], starts: list[int], pos: int) -> int | None:
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and spans[i].start <= pos < spans[i].end else None


def _find_numbers(text: str, body_start: int, spans: list[Sentence], starts: list[int]) -> list[_Raw]:
    found: list[_Raw] = []
    for m in _NUMBER.finditer(text, body_start):
        raw_number = m.group("num")
        if not _VALID_NUMBER.match(raw_number):
            continue  # "$43.210.00", "28.02.26": a ticker or a stamp, not an amount
        value = float(raw_number.replace(",", ""))
        currency = _CURRENCY_SIGNS.get((m.group("cur") or "").strip().lower(), "")
        scale = _SCALE_WORDS.get((m.group("suffix") or "").lower(), "")
        if _FURNITURE_AFTER.match(text, m.end()) or _is_date_or_year(text, m, value, currency, scale):
            continue
        found += _with_context(text, m.start(), m.start("num"), m.end(), value, currency, scale, spans,
                               starts)
    for m in _WORD_NUMBER.finditer(text, body_start):
        value = float(_WORD_VALUES[" ".join(m.group("word").lower().split()[-1:])])
        found += _with_context(text, m.start(), m.start(), m.end(), value, "", "", spans, starts)
    for m in _FRACTION.finditer(text, body_start):
        if m.group("frac"):
            value = _FRACTION_VALUES[m.group("frac").lower()]
        elif m.group("multi"):
            value = _WORD_VALUES[m.group("multi").lower()] * _FRACTION_VALUES[m.group("fracs").lower()[:-1]]
        else:
            value = 50.0
        found += _with_context(text, m.start(), m.start(), m.end(), round(value, 4), "", "", spans, starts,
                               unit="percent")
    return found


def _is_date_or_year(text: str, m: re.Match[str], value: float, currency: str, scale: str) -> bool:
    if currency or scale:
        return False
    if _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return True  # "March 4", "on March 1"
    if value <= 31 and _MONTH_AFTER.match(text, m.end()):
        return True  # "4 March"
    if _AFTER.match(text, m.end()).group("unit"):
        return False
    return value.is_integer() and 1800 <= value <= 2100 and "," not in m.group("num")


def _with_context(
    text: str, start: int, number_start: int, end: int, value: float, currency: str, scale: str,
    spans: list[Sentence], starts: list[int], unit: str = "",
) -> list[_Raw]:
    index = _sentence_at(spans, starts, number_start)
    if index is None:
        return []
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not _WORD.search(text, line_start, line_end):
        return []  # a line of bare numbers and symbols is page furniture
    after = _AFTER.match(text, end)
    if after.group("scale") and not scale:
        scale = _SCALE_WORDS[after.group("scale").strip().lower()]
    unit_word = (after.group("unit") or "").strip(" -").lower()
    if not unit:
        unit = _unit_of(unit_word, currency)
    if not unit:
        return []  # a currency word with no currency: not ours
    if after.group("per") and unit in CURRENCIES:
        unit = f"{unit}/bbl"
    stop = after.end("unit") if after.group("unit") else after.end("scale") if after.group("scale") else end
    if after.group("per"):
        stop = after.end("per")
    direction = (after.group("direction") or "").strip().lower()
    if unit in ("percent", "pp") and direction:
        stop = after.end("direction")
    qualifier = "exact"
    q = _QUALIFIER_BEFORE.search(text, max(0, start - 30), start)
    if q:
        word = " ".join((q.group("q") or "about").lower().split())
        span_word = word == "over" and unit in ("days", "weeks", "months", "years")
        if not span_word:
            qualifier = _QUALIFIERS.get(word, "about")
            start = q.start()
    if unit in ("percent", "pp"):
        falling = direction in _FALLING_AFTER or _FALLING_BEFORE.search(text, max(0, start - 25), start)
        if falling:
            value = -abs(value)
    return [_Raw(value, unit, scale, qualifier, start, stop, number_start, spans[index], index)]


def _unit_of(unit_word: str, currency: str) -> str:
    if currency:
        return currency
    if not unit_word:
        return "count"
    if unit_word in ("%", "percent") or unit_word.replace(" ", "") == "percent":
        return "percent"
    if unit_word.startswith("percentage") or unit_word == "pp":
        return "pp"
    words = unit_word.split()
    if words[-1] in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[words[-1]]
    if (words[0].startswith("barrel") and words[-1] == "day") or unit_word in ("b/d", "bpd"):
        return "bbl/day"
    if words[0].startswith("barrel") or unit_word == "bbl":
        return "bbl"
    if words[0].startswith("ton"):
        return "t"
    if words[0].startswith("cubic") or unit_word == "bcm":
        return "bcm"
    return words[0].rstrip("s") + "s"  # days, weeks, months, years


def _link_pairs(text: str, raws: list[_Raw]) -> None:
    """'€500m ($580m)': the bracketed amount restates the first one in another currency."""
    for i in range(1, len(raws)):
        first, second = raws[i - 1], raws[i]
        if (first.unit in CURRENCIES and second.unit in CURRENCIES and first.unit != second.unit
                and PAIR_BETWEEN.match(text[first.end:second.start] + "")
                and _PAIR_AFTER.match(text, second.end)):
            second.partner = i - 1


_CLAUSE_BREAK = re.compile(r"[,;:()—–]")


def _near(text: str, start: int, end: int) -> bool:
    """A period phrase belongs to a figure within a few words of it, in the same clause."""
    return len(text[start:end].split()) <= _PERIOD_WINDOW_WORDS and not _CLAUSE_BREAK.search(text, start, end)


_PERIOD_WINDOW_WORDS = 8


def _period_of(text: str, raws: list[_Raw], i: int, article_date: dt.date) -> When | None:
    """The period phrase right after the figure, else right before it, in its sentence."""
    raw = raws[i]
    sentence = raw.sentence
    whens = [w for w in find_whens(text, sentence.start, sentence.end, article_date)
             if not any(r.start < w.end and w.start < r.end for r in raws)]
    others = [r for j, r in enumerate(raws) if j != i and r.sentence_index == raw.sentence_index
              and r.partner != i]
    after = [w for w in whens if w.start >= raw.end
             and _near(text, raw.end, w.start)
             and not any(raw.end <= r.start < w.start for r in others)]
    if after:
        chosen = after[0]
    else:
        before = [w for w in whens if w.end <= raw.start
                  and _near(text, w.end, raw.start)
                  and not any(w.end <= r.start < raw.start for r in others)]
        if not before:
            return None
        chosen = before[-1]
    if raw.unit in ("days", "weeks", "months", "years"):
        return with_duration(chosen, raw.value, raw.unit)
    return chosen


def _per_barrel(text: str, raw: _Raw, spans: list[Sentence]) -> str:
    """An unscaled amount of money in a passage about oil is a price per barrel."""
    if raw.unit not in CURRENCIES or raw.scale or not 1 <= raw.value <= 500:
        return raw.unit
    return f"{raw.unit}/bbl" if _OIL.search(_passage(text, raw, spans)) else raw.unit


def _passage(text: str, raw: _Raw, spans: list[Sentence]) -> str:
    first = raw.sentence_index
    paragraph = raw.sentence.paragraph
    while first > 0 and raw.sentence_index - first < 2 and spans[first - 1].paragraph == paragraph:
        first -= 1
    return text[spans[first].start:raw.sentence.end]


def _metric_of(text: str, raws: list[_Raw], i: int, spans: list[Sentence]) -> str:
    raw = raws[i]
    neighbours = [r for r in raws if r.sentence_index == raw.sentence_index and r is not raw]
    seg_start = max([r.end for r in neighbours if r.end <= raw.start], default=raw.sentence.start)
    seg_end = min([r.start for r in neighbours if r.start >= raw.end], default=raw.sentence.end)
    scopes = {
        "segment": text[seg_start:seg_end],
        "sentence": text[raw.sentence.start:raw.sentence.end],
    }
    for rule in METRIC_RULES:
        if raw.unit not in rule.units:
            continue
        if rule.scope == "passage" and "passage" not in scopes:
            scopes["passage"] = _passage(text, raw, spans)
        if all(p.search(scopes[rule.scope]) for p in rule.patterns):
            return rule.metric
    return "other"
