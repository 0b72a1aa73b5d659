"""Period phrases in Russian text, resolved against the article's date, for the shared period rules.

:func:`find_phrases` is the Russian counterpart of :func:`oilimpact.articles.periods.find_phrases`:
:func:`~oilimpact.articles.periods.assign_periods` takes it and attaches the phrases to the figures by
the same rules as in English. A month name means the month whatever its case ("в январе", "за январь",
"января", "к январю", "с январем", "январский", "янв."); without a year it is the most recent such month
not after the article. The phrases:

- days: "4 марта", "на 1 ноября 2025 года", "на 01.02", "15.01.2026"; spans "с 5 декабря по 15 января",
  "с 06.02 по 05.03", "16.01–05.02", "за 4 недели по 11 января" (the 28 days ending that day); open spans
  "с 1 февраля", "с 5.12" (``2026-02-01..``) and "до 3 апреля" (``..2026-04-03``);
- months: "в январе", "январь–февраль", "в январе—феврале 2026 года", "янв.–нояб.", "янв-2025";
  "в прошлом месяце" (the month before the article's);
- quarters and halves: "I квартал", "в IV квартале", "4 кв. 2025 г.", "первое полугодие";
  "за 11 месяцев" (January–November); "с начала года" (January to the month last named);
- years: "в 2025 году", "2024-м", "бюджет-2026", "2026–2028", "по итогам 2025 года", "по итогам года"
  (the year just ended, early in a year), "в прошлом году";
- relative to the figure's context: "месяцем ранее", "годом ранее", "в аналогичном периоде прошлого года";
- now: "сейчас", "в настоящее время".

A phrase after "по сравнению с", "против", "чем", "относительно" or a dative "к" ("в 3,7 раза к
январю") is what the figure is compared with, not its period.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from oilimpact.articles.dates import When
from oilimpact.articles.periods import (
    _day_when,
    _month_end,
    _month_when,
    _Phrase,
    _span,
    _year_when,
    assign_periods,
)

if TYPE_CHECKING:
    from oilimpact.articles.periods import PhraseFinder
from oilimpact.articles.ru_vocab import END, MONTH, MONTH_ABBR, SP, month_of

if TYPE_CHECKING:
    from oilimpact.articles.text import Article

_MON = rf"(?:{MONTH}|{MONTH_ABBR})"
_YEAR = r"(?:19|20)\d{2}"
_YEAR_WORD = rf"(?:{SP}*(?:год{END}|г\.|гг\.)|-(?:[мй]|го)(?![а-яё]))"
_DAY = (rf"(?:\d{{1,2}}{SP}+{_MON}(?:{SP}+{_YEAR}(?![\d]){_YEAR_WORD}?)?"
        rf"|\d{{1,2}}\.\d{{2}}(?:\.(?:{_YEAR}|\d{{2}}))?(?![\d.]))")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_WORDS = (("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4))
_NUMBER_WORDS = {"две": 2, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6}

_PHRASES = re.compile(
    rf"""
    (?P<days>(?<![а-яё])с{SP}+(?P<d1>{_DAY}){SP}*(?:по|до){SP}+(?P<d2>{_DAY})
        |(?<![\d.])(?P<d3>\d{{1,2}}\.\d{{2}}){SP}*[–—-]{SP}*(?P<d4>\d{{1,2}}\.\d{{2}})(?![\d.]))
  | (?P<weeks>(?<![а-яё])за{SP}+(?P<wn>\d{{1,2}}|две|три|четыре|пять|шесть){SP}+недел{END}{SP}+(?:по|до)
        {SP}+(?P<wd>{_DAY}))
  | (?P<months>(?<![а-яё])(?P<m1>{_MON}){SP}*(?:[–—-]|{SP}по{SP}){SP}*(?P<m2>{_MON})
        (?:{SP}+(?P<my>{_YEAR}){_YEAR_WORD}?)?(?P<mlast>{SP}+прошлого{SP}+года)?)
  | (?P<open>(?<![а-яё])(?P<op>с|до|по){SP}+(?P<od>{_DAY}))
  | (?P<day>(?<![\d.])(?P<dd>{_DAY}))
  | (?P<quarter>(?<![\w])(?P<qn>IV|I{{1,3}}|[1-4]|перв{END}|втор{END}|трет{END}|четверт{END})(?:-?[мйе])?{SP}*
        (?:квартал{END}|кв\.)
        (?:{SP}+(?P<qy>{_YEAR}){_YEAR_WORD}?)?)
  | (?P<half>(?<![а-яё])(?P<hw>перв|втор){END}{SP}+полугоди{END}(?:{SP}+(?P<hy>{_YEAR}){_YEAR_WORD}?)?)
  | (?P<firstn>(?<![а-яё])за{SP}+(?:перв{END}{SP}+)?(?P<fn>\d{{1,2}}){SP}+(?:месяц{END}|мес\.)
        (?:{SP}+(?P<fy>{_YEAR}){_YEAR_WORD}?)?)
  | (?P<years>(?<![\d])(?P<y1>{_YEAR}){SP}*(?:[–—-]|{SP}и{SP}){SP}*(?P<y2>{_YEAR})(?![\d]){_YEAR_WORD}?)
  | (?P<results>(?<![а-яё])по{SP}+итогам{SP}+(?:(?P<ry>{_YEAR}){SP}+)?года(?![а-яё]))
  | (?P<month>(?<![а-яё\d])(?P<mo>{_MON})(?:-?{SP}*(?P<moy>{_YEAR})(?![\d]){_YEAR_WORD}?)?
        (?P<molast>{SP}+прошлого{SP}+года)?)
  | (?P<edge>(?<![а-яё])на{SP}+(?P<ew>начало|конец){SP}+(?:(?P<ey>{_YEAR}){SP}+)?года(?![а-яё]))
  | (?P<weekday>(?<![а-яё])в(?:о)?{SP}+(?P<wdn>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)
        (?![а-яё]))
  | (?P<lastmonth>(?<![а-яё])в{SP}+прошлом{SP}+месяце)
  | (?P<lastyear>(?<![а-яё])(?:в{SP}+прошлом{SP}+году|прошлого{SP}+года))
  | (?P<thisyear>(?<![а-яё])(?:в{SP}+(?:этом|текущем){SP}+году|этого{SP}+года|текущего{SP}+года))
  | (?P<year>(?<![\d.,])(?P<yy>{_YEAR})(?![\d%,.]\d?)(?P<yw>{_YEAR_WORD})?)
  | (?P<yearback>(?<![а-яё])(?:годом{SP}+(?:ранее|раньше)|год{SP}+назад
        |(?:в{SP}+)?аналогичн{END}{SP}+период{END}{SP}+прошлого{SP}+года))
  | (?P<monthback>(?<![а-яё])(?:месяцем{SP}+(?:ранее|раньше)|месяц{SP}+назад))
  | (?P<forweek>(?<![а-яё])за{SP}+(?:эту{SP}+|прошлую{SP}+)?неделю(?![а-яё]))
  | (?P<ytd>(?<![а-яё])с{SP}+начала{SP}+(?:года|этого{SP}+года))
  | (?P<now>(?<![а-яё])(?:сейчас|в{SP}+настоящее{SP}+время|на{SP}+текущий{SP}+момент|в{SP}+обычное{SP}+время
        |обычно)(?![а-яё]))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BASE_BEFORE = re.compile(
    r"(?:(?<![а-яё])(?:по\s+сравнению\s+с|в\s+сравнении\s+с|против|чем|относительно|к|от"
    r"|(?:выше|ниже)\s+уровня|впервые(?:\s+за\s+\S+(?:\s+\S+)?)?\s+с)\s+(?:(?:в|на|за)\s+)?)\Z",
    re.IGNORECASE,
)
_RELATIVE = {"yearback", "monthback", "ytd", "forweek"}
_WEEKDAYS = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
# A look-back that opens its sentence or clause applies to the figures after it.
_CLAUSE_OPENING = re.compile(r"(?:\A|[.,;:—(]\s*|\n\s*)\Z")


def _recent_year(month: int, today: dt.date) -> int:
    return today.year - (month > today.month)


def _day(text: str, today: dt.date, not_before: dt.date | None = None) -> dt.date | None:
    """A day written "4 марта", "4 марта 2025 года", "01.02" or "15.01.2026"; a day without a year is the
    most recent one not long after the article (or the first one on or after ``not_before``)."""
    m = re.match(rf"(?P<d>\d{{1,2}})(?:{SP}+(?P<m>{_MON})|\.(?P<mn>\d{{2}}))(?:{SP}+|\.)?"
                 rf"(?P<y>{_YEAR}|\d{{2}})?", text, re.IGNORECASE)
    if not m:
        return None
    month = month_of(m.group("m")) if m.group("m") else int(m.group("mn"))
    day = int(m.group("d"))
    if not 1 <= month <= 12:
        return None
    if m.group("y"):
        year = int(m.group("y"))
        try:
            return dt.date(year + 2000 if year < 100 else year, month, day)
        except ValueError:
            return None
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


def _resolve(m: re.Match[str], today: dt.date) -> When | None:  # noqa: C901 - one branch a kind of phrase
    kind, g = m.lastgroup, m.group
    start, end = m.span()
    if kind == "days":
        first = _day(g("d1") or g("d3"), today)
        last = _day(g("d2") or g("d4"), today, not_before=first) if first else None
        return _span(first, last, start, end) if first and last else None
    if kind == "weeks":
        last = _day(g("wd"), today)
        n = _NUMBER_WORDS.get(g("wn").lower()) or int(g("wn"))
        return _span(last - dt.timedelta(days=7 * n - 1), last, start, end) if last else None
    if kind == "months":
        m1, m2 = month_of(g("m1")), month_of(g("m2"))
        if not (m1 and m2):
            return None
        year = int(g("my")) if g("my") else None
        last_year = year if year is not None else today.year - 1 if g("mlast") else _recent_year(m2, today)
        return _span(dt.date(last_year - (m1 > m2), m1, 1), _month_end(last_year, m2), start, end)
    if kind == "open":
        day = _day(g("od"), today)
        if day is None:
            return None
        if g("op").lower() == "с":
            return _span(day, None, start, end, f"{day.isoformat()}..")
        return _span(None, day, start, end, f"..{day.isoformat()}")
    if kind == "day":
        day = _day(g("dd"), today)
        return _day_when(day, start, end) if day else None
    if kind == "quarter":
        word = g("qn").lower()
        quarter = _QUARTERS.get(word) or next(n for stem, n in _QUARTER_WORDS if word.startswith(stem))
        current = (today.month - 1) // 3 + 1
        # a quarter named without a year is the last one finished ("по итогам I квартала" in January)
        year = int(g("qy")) if g("qy") else today.year - (quarter >= current)
        return When(f"{year}-Q{quarter}", dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter),
                    "quarter", start, end, True)
    if kind == "half":
        second = g("hw").lower() == "втор"
        year = int(g("hy")) if g("hy") else today.year - (today.month <= (12 if second else 6))
        first_month = 7 if second else 1
        return _span(dt.date(year, first_month, 1), _month_end(year, first_month + 5), start, end)
    if kind == "firstn":
        n = int(g("fn"))
        if not 1 <= n <= 12:
            return None
        year = int(g("fy")) if g("fy") else today.year if n < today.month else today.year - 1
        return _span(dt.date(year, 1, 1), _month_end(year, n), start, end)
    if kind == "years":
        y1, y2 = int(g("y1")), int(g("y2"))
        return _span(dt.date(y1, 1, 1), dt.date(y2, 12, 31), start, end, f"{y1}..{y2}") if y2 > y1 else None
    if kind == "results":
        return _year_when(int(g("ry")) if g("ry") else today.year - (today.month <= 3), start, end)
    if kind == "month":
        month = month_of(g("mo"))
        if not month:
            return None
        year = int(g("moy")) if g("moy") else today.year - 1 if g("molast") else _recent_year(month, today)
        return _month_when(year, month, start, end)
    if kind == "edge":
        year = int(g("ey")) if g("ey") else today.year
        day = dt.date(year, 1, 1) if g("ew").lower() == "начало" else dt.date(year, 12, 31)
        return _day_when(day, start, end)
    if kind == "weekday":
        back = (today.weekday() - _WEEKDAYS.index(g("wdn").lower())) % 7
        return _day_when(today - dt.timedelta(days=back), start, end)
    if kind == "lastmonth":
        index = today.year * 12 + today.month - 2
        return _month_when(index // 12, index % 12 + 1, start, end)
    if kind == "lastyear":
        return _year_when(today.year - 1, start, end)
    if kind == "thisyear":
        return _year_when(today.year, start, end)
    if kind == "year":
        return _year_when(int(g("yy")), start, end)
    if kind == "now":
        return _day_when(today, start, end)
    return None


def find_phrases(text: str, start: int, end: int, today: dt.date) -> list[_Phrase]:
    """Every Russian period phrase in ``text[start:end]``, resolved against ``today``."""
    phrases: list[_Phrase] = []
    for m in _PHRASES.finditer(text, start, end):
        kind = m.lastgroup or ""
        base = _BASE_BEFORE.search(text, max(0, m.start() - 30), m.start()) is not None
        if kind == "ytd" and phrases and re.fullmatch(r"[\s(]*", text[phrases[-1].end:m.start()]):
            continue  # "за янв.–нояб. (с начала года)": the same span said again
        if kind in _RELATIVE:
            leading = _CLAUSE_OPENING.search(text, max(0, m.start() - 3), m.start()) is not None
            phrases.append(_Phrase(None, kind, *m.span(), base=base, leading=leading))
            continue
        when = _resolve(m, today)
        if when is None:
            continue
        weak = "bareyear" if kind == "year" and not m.group("yw") else "now" if kind == "now" else "fixed"
        phrases.append(_Phrase(when, weak, *m.span(), base=base))
    return phrases


# A budget's assumption: "заложенных в бюджет $59", "бюджет рассчитан исходя из", "исходит из курса".
_PLANNED = re.compile(r"заложен|бюджет[^.;]{0,80}?исход(?:я|ит|ил)\s+из", re.IGNORECASE)
# A plan, a law or an average over the months: the year of the period it is in ("скорректированный план в
# 8,65 трлн", "в среднем ... 707 млрд руб. в месяц").
_PLAN = re.compile(r"(?<![а-яё])план|закон\w*\s+о\s+бюджете|предусматрив|в\s+среднем[^.;]*в\s+месяц",
                   re.IGNORECASE)
_OTHER_CLAUSE = re.compile(r"(?<![а-яё])(?:хотя|однако|но|а|тогда\s+как)(?![а-яё])|[.;]", re.IGNORECASE)
_BUDGET_YEAR = re.compile(rf"бюджет{END}(?:-|{SP}+на{SP}+)(?P<y>{_YEAR})", re.IGNORECASE)


def assign(article: Article, raws: list[Any], find: PhraseFinder | None = None) -> list[Any]:
    """The shared period rules with the Russian phrases (or ``find``'s, for an article in two languages);
    then a budget's assumption takes the year of the budget: the one named ("в бюджете-2026", "закон о
    бюджете на 2026 год"), else the article's year."""
    raws = assign_periods(article, raws, find=find or find_phrases)
    text = article.text
    for raw in raws:
        sentence = raw.sentence
        period = raw.period
        planning = _PLAN.search(text, sentence.start, sentence.end) is not None
        if planning and period is not None and period.first is not None \
                and period.precision in ("month", "quarter") and not raw.explicit:
            raw.period = _year_when(period.first.year, 0, 0)
        planned = _PLANNED.search(text, sentence.start, raw.start)
        if planned is None or _OTHER_CLAUSE.search(text, planned.end(), raw.start):
            continue
        named = _BUDGET_YEAR.search(text, sentence.start, sentence.end)
        year = int(named.group("y")) if named else article.date.year
        raw.period = _year_when(year, 0, 0)
    return raws
