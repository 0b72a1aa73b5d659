"""The period a figure refers to, resolved against the article's date and the sentences before it.

The phrases are those of :func:`oilimpact.articles.dates.find_whens` ("in December", "last month",
"the fourth quarter", "on 4 March", "since 2024") plus the spans and relative phrases news reports
use for figures, in :data:`_SPANS` and :data:`_RELATIVE`:

- spans: "January–August", "January to May", "from December to February", "in September and
  October", "between 16 January and 5 February", "From February 6 to March 5", "in 2027 and 2028",
  "the first 11 months (of the year)", "the first half of 2025", "the four weeks to 11 January",
  "the winter"; open spans "since 3 September" (``2025-09-03..``) and "until 5 March" (``..2026-03-05``);
- the article's own date: "currently", "now", "at present", and the ``($1 = 78.85 roubles)`` line;
- relative to the sentence before: "for the month" (the month last named), "year to date" / "so far
  this year" (January to the month last named), "the next day", and "a year earlier" / "a month
  earlier" after a level ("from 96.12 a year earlier" is the same month a year before);
- bare years and months used as adjectives or subjects ("the 2026 budget", "December brought",
  "January's receipts", "Q3").

A figure takes, in order: the phrase right after it in its clause ("$52.08 a barrel in May"); the
nearest phrase before it in its sentence ("In November, receipts amounted to 530.9 bln"); a phrase
later in the sentence with no other figure between; else the period of the last figure before it
with a period of its own (the running context of the report); else the article's date. A phrase
that names what a figure is compared with ("compared with April", "from a year earlier", "against
January–November of last year") is a base, not the figure's period.

Labels are ISO 8601 as in :mod:`oilimpact.articles.dates`; spans are ``A..B``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from oilimpact.articles.dates import MONTHS, When, find_whens, with_duration

if TYPE_CHECKING:
    from oilimpact.articles.text import Article

_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3].lower(): i for i, name in enumerate(MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12}
_M = "|".join(MONTHS)
_MA = _M + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_DAY = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MA})\.?|(?:{_MA})\.?\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?)"
        r"(?:,?\s+\d{4})?")
_YEAR = r"(?:19|20)\d{2}"
_JOIN = r"\s*(?:–|—|-|\bto\b|\band\b|\bthrough\b|\buntil\b)\s*"
_OF_YEAR = rf"(?:\s+(?:of\s+)?(?P<my>{_YEAR}|last\s+year|this\s+year|the\s+previous\s+year))?"

# Spans and fixed periods, most specific first (one pattern, alternatives in priority order).
_SPANS = re.compile(
    rf"""
    (?P<days>\b(?:between|from)\s+(?P<d1>{_DAY}){_JOIN}(?P<d2>{_DAY}))
  | (?P<weeks>\b(?:in\s+)?the\s+(?:(?P<wn>four|two|three|\d)\s+weeks|period)\s+(?:to|ending)\s+(?P<wd>{_DAY}))
  | (?P<months>\b(?:(?:from|between)\s+)?(?:(?:early|mid|late)[\s-])?(?P<m1>{_M}){_JOIN}
        (?:(?:early|mid|late)[\s-])?(?P<m2>{_M})\b{_OF_YEAR})
  | (?P<edge>\b(?:at|by|as\s+of|on)\s+the\s+(?P<edge_w>start|beginning|end)\s+of\s+
        (?:(?P<edge_y>{_YEAR})|the\s+year
        |(?P<edge_this>this\s+year)|(?P<edge_last>last\s+year)))
  | (?P<lastm>\blast\s+(?P<lm>{_M})\b)
  | (?P<fullyear>\b(?:full[\s-]year|all\s+year|the\s+whole\s+year|for\s+the\s+year)\b)
  | (?P<years>\b(?P<y1>{_YEAR})\s*(?:–|—|-|\band\b|\bto\b)\s*(?P<y2>{_YEAR})\b)
  | (?P<firstn>\b(?:the\s+)?(?:first\s+(?:(?P<fn>\d{{1,2}}|{"|".join(_NUMBER_WORDS)})\s+months|(?P<half>half))
        |(?P<h2>second)\s+half)(?:\s+of\s+(?:the\s+year|(?P<fy>{_YEAR})|(?P<fly>last\s+year)))?)
  | (?P<open>\b(?P<op>since|until|till|through|by)\s+(?P<od>{_DAY}))
  | (?P<season>\b(?:in\s+)?the\s+(?P<sn>winter|spring|summer|autumn))\b
  | (?P<now>\b(?:currently|now|at\s+present|at\s+the\s+moment|normally|usually)\b
        |\bstill\b(?=\s+(?:[a-z]+s|is|are)\b))
  | (?P<bareq>\bQ(?P<bq>[1-4])\b(?!\s+{_YEAR}))
  | (?P<baremonth>\b(?-i:(?P<bm>{_M.replace("|May", "")}))\b(?:['’]s)?(?!\s+\d)|\b(?P<pm>{_M})['’]s\b)
  | (?P<bareyear>(?<![\d,.\-/])(?P<by>{_YEAR})\b(?![%\-/]|s\b|\.\d))
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Phrases that take their period from what came before ("for the month" is the month last named).
_RELATIVE = re.compile(
    r"(?P<formonth>\bfor\s+the\s+month\b)"
    r"|(?P<ytd>\b(?:year[\s-]to[\s-]date|so\s+far\s+this\s+year|since\s+the\s+start\s+of\s+the\s+year)\b)"
    r"|(?P<nextday>\bthe\s+(?:next|following)\s+day\b)"
    r"|(?P<sameday>\b(?:the\s+reporting\s+date|that\s+date|the\s+same\s+(?:day|date))\b)"
    r"|(?P<forweek>\bfor\s+the\s+week\b)"
    r"|(?P<yearback>\b(?:a|one)\s+year\s+(?:earlier|ago|before)\b|\bthe\s+previous\s+year\b"
    r"|\bthe\s+same\s+(?:month|period)\s+(?:of\s+|in\s+)?last\s+year\b)"
    r"|(?P<monthback>\b(?:a|one)\s+month\s+(?:earlier|ago|before)\b|\bthe\s+previous\s+month\b)",
    re.IGNORECASE,
)
# A phrase right after one of these is what the figure is compared with, not its period.
_BASE_BEFORE = re.compile(
    r"(?:\b(?:from|than|against|versus|vs\.?|compared\s+(?:with|to)|relative\s+to)\s+(?:in\s+)?"
    r"(?:the\s+)?"
    r"(?:same\s+(?:month|period|quarter)\s+(?:of\s+|in\s+)?)?"
    r"|\b(?:drop|rise|fall|decline|increase|gain|growth|change)\s+on\s+"
    r"|\b(?:first\s+time|lowest|highest|weakest|strongest|biggest|smallest|widest|worst|best)\b[^,.;]{0,30}?)\Z",
    re.IGNORECASE,
)
_FROM = re.compile(r"(?i)from\s")
# "27% below July 2024": a date after below/above is what the figure is compared with
_BELOW_BEFORE = re.compile(r"\b(?:below|above|under|over)\s+\Z", re.IGNORECASE)
_DATED_KINDS = {"fixed", "baremonth", "bareyear", "lastm"}
# "..., 27% below July 2024, when it was 1.08 trillion": the figure after "when" is in that period
_WHEN_CLAUSE = re.compile(r"\s*,?\s*(?:when|когда)\b", re.IGNORECASE)
_DATELINE_BEFORE = re.compile(r"\b[A-Z]{3,}(?:\s+[A-Z]{3,})?,\s*\Z")  # "MOSCOW, Jan 19 –"
_FORECAST = re.compile(r"\b(?:expect\w*|forecast\w*|plan\w*|project\w*|target\w*|assum\w*|budget\w*)\b",
                       re.IGNORECASE)
# A phrase in a clause like ", signed in late November," describes something else than the figure.
_PARENTHETICAL = re.compile(r",\s*(?:\w+ed|which|who|when|where|while)\b[^,]*\Z", re.IGNORECASE)
_PROGRESSIVE = re.compile(r"\b(?:has|have)\s+been\s+\w+ing\b|\b(?:is|are)\s+\w+ing\b", re.IGNORECASE)
_WEAK = {"bareyear": 1, "now": 2}  # tiers: 0 a named period, 1 a bare year, 2 the article's "now"
_CLAUSE_BREAK = re.compile(r"[,;:()—–]")
_RATE_LINE = re.compile(r"\(\s*(?:US\$|\$)1\s*=")
_AFTER_WINDOW_WORDS = 8


@dataclass(frozen=True)
class _Phrase:
    """A period phrase: a resolved :class:`When`, or a relative kind resolved against the context."""

    when: When | None
    kind: str  # a kind of _SPANS or find_whens ("fixed"), or one of _RELATIVE
    start: int
    end: int
    base: bool = False

    @property
    def tier(self) -> int:
        return _WEAK.get(self.kind, 0)

    own_from: bool = False  # "from November": a base for a change, a start for a level after it
    leading: bool = False  # a look-back that opens its clause ("Годом ранее казна получила ...")


PhraseFinder = Callable[[str, int, int, dt.date], list[_Phrase]]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _span(first: dt.date | None, last: dt.date | None, start: int, end: int,
          label: str | None = None) -> When:
    def part(day: dt.date | None, is_first: bool) -> str:
        if day is None:
            return ""
        if day.day == 1 and is_first or not is_first and day == _month_end(day.year, day.month):
            return f"{day.year:04d}-{day.month:02d}"
        return day.isoformat()

    if label is None:
        label = f"{part(first, True)}..{part(last, False)}"
    return When(label, first, last, "span", start, end, True)


def _month_when(year: int, month: int, start: int, end: int) -> When:
    return When(f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month), "month",
                start, end, True)


def _year_when(year: int, start: int, end: int) -> When:
    return When(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year", start, end, True)


def _day_when(day: dt.date, start: int, end: int) -> When:
    return When(day.isoformat(), day, day, "day", start, end, True)


def _recent_month(month: int, today: dt.date) -> int:
    """The year of the most recent such month not after ``today``'s month."""
    return today.year - (month > today.month)


def _parse_day(text: str, today: dt.date, not_before: dt.date | None = None) -> dt.date | None:
    m = re.match(rf"(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MA})|(?P<m2>{_MA})\.?\s+(?P<d2>\d{{1,2}}))"
                 r"(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?", text, re.IGNORECASE)
    if not m:
        return None
    month = _MONTH_NUMBER[(m.group("m") or m.group("m2")).lower().rstrip(".")]
    day = int(m.group("d") or m.group("d2"))
    if m.group("y"):
        return dt.date(int(m.group("y")), month, day)
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if not_before is not None:
            if candidate >= not_before and (candidate - not_before).days < 200:
                return candidate
        elif candidate <= today + dt.timedelta(days=45):
            return candidate
    return None


def _year_of(word: str | None, today: dt.date) -> int | None:
    if not word:
        return None
    word = " ".join(word.lower().split())
    if word in ("last year", "the previous year"):
        return today.year - 1
    if word == "this year":
        return today.year
    return int(word)


def _resolve_span(m: re.Match[str], today: dt.date, text: str) -> When | None:  # noqa: C901 - a branch a kind
    kind, g = m.lastgroup, m.group
    start, end = m.span()
    if kind == "days":
        first = _parse_day(g("d1"), today)
        last = _parse_day(g("d2"), today, not_before=first) if first else None
        return _span(first, last, start, end) if first and last else None
    if kind == "weeks":
        last = _parse_day(g("wd"), today)
        word = g("wn")
        if word is None:  # "the four-week average was 3.87 mbd in the period to 21 December"
            named = re.findall(r"\b(four|two|three|\d)-week\b", text[max(0, start - 120):start],
                               re.IGNORECASE)
            word = named[-1] if named else None
        if last is None or word is None:
            return None
        n = _NUMBER_WORDS.get(word.lower()) or int(word)
        return _span(last - dt.timedelta(days=7 * n - 1), last, start, end)
    if kind == "edge":
        year = int(g("edge_y")) if g("edge_y") else today.year - 1 if g("edge_last") else today.year
        day = dt.date(year, 1, 1) if g("edge_w").lower() != "end" else dt.date(year, 12, 31)
        return _day_when(day, start, end)
    if kind == "lastm":
        month = _MONTH_NUMBER[g("lm").lower()]
        return _month_when(today.year - (month >= today.month), month, start, end)
    if kind == "fullyear":
        return _year_when(today.year, start, end)
    if kind == "months":
        m1, m2 = _MONTH_NUMBER[g("m1").lower()], _MONTH_NUMBER[g("m2").lower()]
        year = _year_of(g("my"), today)
        last_year = year if year is not None else _recent_month(m2, today)
        first_year = last_year - (m1 > m2)
        return _span(dt.date(first_year, m1, 1), _month_end(last_year, m2), start, end)
    if kind == "years":
        y1, y2 = int(g("y1")), int(g("y2"))
        return _span(dt.date(y1, 1, 1), dt.date(y2, 12, 31), start, end, f"{y1}..{y2}") if y2 > y1 else None
    if kind == "firstn":
        if g("h2"):  # "the second half of the year": July–December, of this year unless named
            year = int(g("fy")) if g("fy") else today.year - 1 if g("fly") else today.year
            return _span(dt.date(year, 7, 1), _month_end(year, 12), start, end)
        n = 6 if g("half") else (_NUMBER_WORDS.get((g("fn") or "").lower()) or int(g("fn")))
        year = int(g("fy")) if g("fy") else today.year - 1 if g("fly") else (
            today.year if n < today.month else today.year - 1)
        return _span(dt.date(year, 1, 1), _month_end(year, n), start, end)
    if kind == "open":
        day = _parse_day(g("od"), today)
        if day is None:
            return None
        if g("op").lower() == "since":
            return _span(day, None, start, end, f"{day.isoformat()}..")
        return _span(None, day, start, end, f"..{day.isoformat()}")
    if kind == "season":
        name = g("sn").lower()
        if name == "winter":
            year = today.year if today.month <= 3 else today.year + 1
            return _span(dt.date(year - 1, 12, 1), _month_end(year, 2), start, end)
        return _year_when(today.year, start, end)
    if kind == "now":
        return _day_when(today, start, end)
    if kind == "bareq":
        quarter = int(g("bq"))
        current = (today.month - 1) // 3 + 1
        year = today.year - (quarter > current)
        return When(f"{year}-Q{quarter}", dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter),
                    "quarter", start, end, False)
    if kind == "baremonth":
        month = _MONTH_NUMBER[(g("bm") or g("pm")).lower()]
        return _month_when(_recent_month(month, today), month, start, end)
    if kind == "bareyear":
        return _year_when(int(g("by")), start, end)
    return None


def find_phrases(text: str, start: int, end: int, today: dt.date) -> list[_Phrase]:
    """Every period phrase in ``text[start:end]``; of overlapping phrases the longest is kept."""
    phrases: list[_Phrase] = []
    for m in _SPANS.finditer(text, start, end):
        when = _resolve_span(m, today, text)
        if when is not None:
            phrases.append(_Phrase(when, m.lastgroup or "fixed", *m.span()))
    for m in _RELATIVE.finditer(text, start, end):
        phrases.append(_Phrase(None, m.lastgroup or "", *m.span()))
    for when in find_whens(text, start, end, today):
        phrases.append(_Phrase(when, "fixed", when.start, when.end))
    kept: list[_Phrase] = []
    for phrase in sorted(phrases, key=lambda p: (-(p.end - p.start), p.start)):
        if any(phrase.start < k.end and k.start < phrase.end for k in kept):
            continue  # inside (or across) a longer phrase already kept
        if _DATELINE_BEFORE.search(text, max(0, phrase.start - 25), phrase.start):
            continue  # the dateline's date is when the report was filed
        own_from = phrase.kind == "fixed" and _FROM.match(text, phrase.start) is not None
        below = phrase.kind in _DATED_KINDS and _BELOW_BEFORE.search(text, max(0, phrase.start - 8),
                                                                     phrase.start)
        base = bool(_BASE_BEFORE.search(text, max(0, phrase.start - 45), phrase.start)) or bool(below)
        kept.append(replace(phrase, base=base, own_from=own_from))
    return sorted(kept, key=lambda p: p.start)


def _shift(when: When, months: int) -> When:
    """``when`` moved by ``months`` (a year back is -12), label and precision kept."""

    def move(day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        index = day.year * 12 + day.month - 1 + months
        year, month = index // 12, index % 12 + 1
        return dt.date(year, month, min(day.day, _month_end(year, month).day))

    first, last = move(when.first), move(when.last)
    if when.precision == "month" and first:
        return _month_when(first.year, first.month, when.start, when.end)
    if when.precision == "year" and first:
        return _year_when(first.year, when.start, when.end)
    if when.precision == "day" and first:
        return _day_when(first, when.start, when.end)
    if when.precision == "quarter" and first:
        quarter = (first.month - 1) // 3 + 1
        return When(f"{first.year}-Q{quarter}", first, last, "quarter", when.start, when.end, True)
    return _span(first, last, when.start, when.end)


def _last_month(context: list[When], today: dt.date, quarters: bool = False) -> When:
    """The month last named (with ``quarters``, or the last month of the quarter last named), else the
    month before the article's."""
    for when in reversed(context):
        if when.precision == "month" or quarters and when.precision == "quarter" and when.last:
            return when if when.precision == "month" else _month_when(when.last.year, when.last.month, 0, 0)
    index = today.year * 12 + today.month - 2
    return _month_when(index // 12, index % 12 + 1, 0, 0)


def _relative(phrase: _Phrase, context: list[When], today: dt.date) -> When | None:
    if phrase.kind == "formonth":
        return _last_month(context, today)
    if phrase.kind == "ytd":
        month = _last_month(context, today, quarters=True)
        assert month.first is not None
        return _span(dt.date(month.first.year, 1, 1), month.last, phrase.start, phrase.end)
    day = next((w for w in reversed(context) if w.precision == "day" and w.first), None)
    if day is None or day.first is None:
        return None
    if phrase.kind == "nextday":
        return _day_when(day.first + dt.timedelta(days=1), phrase.start, phrase.end)
    if phrase.kind == "sameday":
        return _day_when(day.first, phrase.start, phrase.end)
    if phrase.kind == "forweek":
        year, week, _ = day.first.isocalendar()
        monday = day.first - dt.timedelta(days=day.first.weekday())
        return When(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6), "week", phrase.start,
                    phrase.end, True)
    return None


def assign_periods(article: Article, raws: list[Any], find: PhraseFinder | None = None) -> list[Any]:
    """Set ``raw.period`` (a :class:`When`, or None) on each figure of ``raws`` (in text order); return the
    figures kept: a number in words inside a period phrase ("the four weeks to 11 January") is part of
    the phrase, not a figure. ``find`` reads the period phrases of the article's language (by default
    :func:`find_phrases`, English)."""
    text, today = article.text, article.date

    def overlaps(p: _Phrase, r: Any) -> bool:
        return r.number_start <= p.start < r.end or p.start <= r.number_start < p.end

    phrases = (find or find_phrases)(text, article.body_start, len(text), today)
    raws[:] = [r for r in raws if not (r.in_words and any(overlaps(p, r) for p in phrases))]
    phrases = [p for p in phrases if not any(overlaps(p, r) for r in raws)]
    context: list[When] = []  # the periods figures have named so far: the report's running context
    resolved: dict[int, When | None] = {}  # a relative phrase means one thing for every figure
    starts = [p.start for p in phrases]
    in_order = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
    in_sentence: dict[int, list[tuple[int, Any]]] = {}
    for j, other in enumerate(raws):
        in_sentence.setdefault(other.sentence_index, []).append((j, other))
    for i, raw in enumerate(raws):
        sentence = raw.sentence
        same_as = getattr(raw, "same_as", None)
        if in_order:  # the sentence's phrases by bisection: linear in the article, not figures x phrases
            first, last = bisect.bisect_left(starts, sentence.start), bisect.bisect_left(starts, sentence.end)
            mine = phrases[first:last]
        else:
            mine = [p for p in phrases if sentence.start <= p.start < sentence.end]
        resumes = getattr(raw, "resumes", False)
        if same_as is not None and same_as.period is not None and not (resumes and mine):
            raw.period = same_as.period  # "the 92.2 in the law": the figure it repeats
            if resumes and _moves_context(raw.period, context, today):
                context.append(raw.period)  # the report returns to that figure's period
            continue
        others = [r for j, r in in_sentence[raw.sentence_index] if j != i
                  and r.partner != i and raw.partner != j and not _restates(text, raw, r)]
        period = _choose(text, raw, mine, others, context, today, resolved)
        if period is not None:
            raw.explicit = True
            in_when_clause = any(p.when is period and _WHEN_CLAUSE.match(text, p.end) for p in mine)
            if _moves_context(period, context, today) and not in_when_clause:
                context.append(period)
        elif raw.in_words or raw.unit in ("days", "weeks", "months", "years", "count"):
            period = None  # a bare duration or count, or a figure in words, with no period of its own
        elif _RATE_LINE.search(text, max(sentence.start, raw.start - 12), raw.start):
            period = _day_when(today, 0, 0)  # "($1 = 78.85 roubles)": the rate on the day of the report
        elif _PROGRESSIVE.search(text, sentence.start, raw.start):
            period = _day_when(today, 0, 0)  # "has been trading at about $40": now
        else:
            period = context[-1] if context else _day_when(today, 0, 0)
        if period is not None and raw.unit in ("days", "weeks", "months", "years"):
            # a duration takes a period named in its own clause ("the 12-day war in June", "on March
            # 5th ... a 30-day waiver": from that day), not one from elsewhere in the sentence
            lo, hi = sorted((period.end, raw.start)) if period.end <= raw.start else (raw.end, period.start)
            if not raw.explicit or _CLAUSE_BREAK.search(text, lo, hi):
                period = None
            elif period.precision == "day":
                period = with_duration(period, abs(raw.value), raw.unit)
        raw.period = period
    return raws


def _restates(text: str, head: Any, other: Any) -> bool:
    """``other`` restates ``head`` in other terms: "4.19 trillion roubles, or 1.9% of GDP"."""
    return other.start > head.end and re.fullmatch(r"\s*[,(]?\s*(?:or|i\.e\.|equal\s+to)\s*",
                                                    text[head.end:other.start]) is not None


def _moves_context(period: When, context: list[When], today: dt.date) -> bool:
    """Open spans, forecasts (a period starting after the article) and look-backs (a year or more before
    the current period) stay with their figure."""
    if period.precision == "open" or period.first is None or period.last is None:
        return False
    if period.first > today and not (period.precision == "span" and (period.first - today).days <= 7):
        return False  # a forecast; but an announced window that opens within days is the report's subject
    return not (context and context[-1].first is not None and (context[-1].first - period.last).days > 180)


def _choose(text: str, raw: Any, mine: list[_Phrase], others: list[Any], context: list[When],
            today: dt.date, resolved: dict[int, When | None]) -> When | None:
    """The period the sentence names for ``raw``, or None when it names none."""
    change = getattr(raw, "change", False)

    def figure_between(lo: int, hi: int) -> bool:
        return any(lo <= r.number_start < hi for r in others)

    def resolve(phrase: _Phrase, anchor: When | None) -> When | None:
        if phrase.when is not None:
            found = phrase.when
        elif phrase.kind in ("yearback", "monthback"):
            anchor = anchor or (context[-1] if context else None)
            if anchor is None or change:
                return None
            found = _shift(anchor, -12 if phrase.kind == "yearback" else -1)
        else:
            if phrase.start not in resolved:
                resolved[phrase.start] = _relative(phrase, context, today)
            found = resolved[phrase.start]
        if (change and found is not None and found.last is not None and context
                and context[-1].first is not None and (context[-1].first - found.last).days > 180):
            return None  # "a year earlier, in December 2024, ... so the annual decline made 38.2%"
        return found

    def is_base(p: _Phrase) -> bool:
        return p.base or p.own_from and (change or p.end <= raw.start)

    for p in mine:  # "below July 2024, when it was 1.08 trillion": the figure inside the when-clause
        clause = _WHEN_CLAUSE.match(text, p.end) if p.end <= raw.start else None
        inside = clause is not None and not _CLAUSE_BREAK.search(text, clause.end(), raw.start)
        if inside and p.when is not None and not figure_between(p.end, raw.start):
            return p.when
    for p in mine:  # "than in December 2024 (790.2 bn)": the bracketed figure is the base's value
        if p.base and p.when is not None and re.fullmatch(r"[\s\-–—]*\(\s*", text[p.end:raw.start]):
            return p.when
    usable = [p for p in mine if not is_base(p)]
    before = [p for p in usable if p.end <= raw.start
              and (p.leading or p.kind not in ("yearback", "monthback")) and not _closed_clause(text, p, raw)]
    nearest_before = None
    breaks = _CLAUSE_BREAK.finditer(text, raw.sentence.start, raw.start)
    clause_start = max([raw.sentence.start] + [m.end() for m in breaks])
    now = [p for p in before if p.kind == "now" and p.start >= clause_start]
    named_after_now = [p for p in before if p.tier == 0 and now and p.start > now[-1].start]
    if now and not named_after_now and not _FORECAST.search(text, clause_start, raw.start):
        before = now  # "..., and the rouble currently trades at around 77.8": the clause's own "now"
    for tier in (0, 1, 2):
        for p in reversed([p for p in before if p.tier == tier]):
            if (found := resolve(p, None)) is not None:
                nearest_before = found
                break
        if nearest_before is not None:
            break
    after = [p for p in usable if p.start >= raw.end]
    if after:
        p = after[0]
        gap = text[raw.end:p.start]
        if (len(gap.split()) <= _AFTER_WINDOW_WORDS and not _CLAUSE_BREAK.search(gap)
                and not figure_between(raw.end, p.start)
                and (found := resolve(p, nearest_before)) is not None):
            return found
    if nearest_before is not None:
        return nearest_before
    for p in after:
        if not figure_between(raw.end, p.start) and p.when is not None and p.tier == 0:
            return p.when
    return None


def _closed_clause(text: str, phrase: _Phrase, raw: Any) -> bool:
    """A phrase inside ", signed in late November," before the figure: the clause is closed by a comma."""
    return _PARENTHETICAL.search(text, raw.sentence.start, phrase.start) is not None and "," in text[
        phrase.end:raw.start]
