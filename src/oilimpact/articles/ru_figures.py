"""The figure rules for Russian text: the same record as the English rules, read the Russian way.

:func:`find_figures` reads every number of a Russian article with its unit, scale, qualifier and sign;
the shared steps of :mod:`oilimpact.articles.figures` then give it a metric and a period. Its vocabulary
is :mod:`oilimpact.articles.ru_vocab`. What differs from English:

- numbers: a decimal comma ("432,3"), thousands grouped by any space ("1 490", "8 029" with a no-break,
  narrow or thin space); a comma before three digits is still decimal ("3,786 трлн"); a printed sign
  "−137,6", "+14,1";
- scales in every case ("млрд", "миллиарда", "миллиардов", "трлн", "тыс."); currencies as words, signs
  and abbreviations ("рублей", "руб.", "₽", "долл. США", "$", "юаней"); "%", "процента", "п.п." (percent,
  as the corpus annotates it), "б/с" and "баррелей в сутки" (bbl/day), "т" (tonnes), "руб. в день"
  (RUB/day), "за баррель" (per barrel), "руб. за доллар", "₽/$", "рубля за $1" and a bare "руб." in a
  sentence about the rate (an exchange rate, RUB/USD); "руб." for a barrel (RUB/bbl);
- «в N раза» is a multiplicative change: value N, unit ``times``, negative for a decrease ("сократились
  в 3,7 раза", "в 1,8 раза меньше");
- qualifiers: около, порядка, почти, примерно, "~" (about); более, свыше, чуть выше (more_than); менее,
  ниже (less_than); не менее (at_least); не выше, "до" as a ceiling (up_to) — but "до X" after a verb of
  change is the level reached (exact); ranges "45–50", "от 1,1 до 1,3", "в диапазоне", "в пределах";
- signs: negative after снизились / сократились / уменьшились / упали / подешевел "на", after недобор,
  недополученные, потери, "ниже на", before "меньше / ниже" ("на 10% меньше"), and for a printed minus;
- not figures: dates ("4 февраля", "01.02", "15.01.2026"), years ("2025", "2024-м", "бюджет-2025"),
  times, ordinals ("18-м пакетом", "4-й месяц"), legal and document numbers ("ст. 96.6", "№ 1234"),
  phone numbers, counters ("👁 12 408", "23 517 просмотров", "3 мин", "Поделиться: 57"), the N of "за 11
  месяцев" and "4 кв.", and the "$1" or "1 долл." that defines a rate.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from oilimpact.articles.raw import RawFigure
from oilimpact.articles.ru_vocab import (
    CURRENCY,
    END,
    MONTH,
    MONTH_ABBR,
    QUALIFIERS,
    SCALE,
    SP,
    SPACES,
    currency_of,
    scale_of,
)
from oilimpact.articles.text import Sentence, passage
from oilimpact.articles.units import CURRENCIES, RATE_UNIT

_NUM = rf"\d{{1,3}}(?:{SP}\d{{3}})+(?![\d])(?:,\d+)?|\d+(?:,\d+)?"
_TOKEN = re.compile(
    rf"(?<![\w.,/:№#\-−])(?P<sign>[−+]|-(?=\$?\d))?(?P<cur>\$|₽|€)?(?P<num>{_NUM})"
    r"(?P<glued>[KkКк](?![\w]))?(?![\w]|[.,:/]\d|-[а-яёa-z]|-\d{4})"
)
_RANGE_END = re.compile(rf"(?P<join>[–—-]|{SP}до{SP})(?P<cur>\$)?(?P<num>{_NUM})(?![\w]|[.,:/]\d)")
_AFTER = re.compile(
    rf"(?P<scale>{SP}?(?:{SCALE}))?"
    rf"(?P<unit>{SP}?%|{SP}?процент{END}|{SP}?п\.{SP}?п\.?(?![а-яё])|{SP}?₽|{SP}(?:{CURRENCY})"
    rf"|{SP}б/с|{SP}барр(?:\.|ел{END})(?:(?:{SP}(?:нефти|и|нефтепродуктов))*{SP}в{SP}сутки|{SP}?/{SP}?сут\.?)?"
    rf"|{SP}(?:т|тонн{END})(?![а-яё])|{SP}раза?(?![а-яё])"
    rf"|{SP}(?:дн(?:я|ей)|день|недел(?:я|и|ь)|месяц(?:а|ев)?|мес\.|лет|года?)(?![а-яё]))?"
    rf"(?P<per>{SP}?(?:/|за|на){SP}?(?:барр(?:\.|ел{END})|тонну|т\.?)(?![а-яё]))?"
    rf"(?P<rate>{SP}?(?:/{SP}?\$|за{SP}(?:1{SP})?(?:доллар{END}(?:{SP}США)?|долл\.(?:{SP}США)?|\$1?)))?"
    rf"(?P<day>{SP}?(?:/{SP}?(?:день|сут\.?)|в{SP}(?:день|сутки)))?",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:(?<![а-яё])(?P<q>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in QUALIFIERS
                                        if w[0].isalpha()) + r")\s+|(?P<sym>[~≈<>])\s*)"
    r"(?:(?P<prep>на|в)\s+)?\Z",
    re.IGNORECASE,
)
_QUALIFIER_CODES = {w: code for w, code in QUALIFIERS}
_RANGE_BEFORE = re.compile(r"(?:(?<![а-яё])в\s+(?:диапазоне|пределах)\s+(?:от\s+)?|(?<![а-яё])от\s+)\Z",
                           re.IGNORECASE)
_ON_BEFORE = re.compile(r"(?<![а-яё])(?P<prep>на|в)\s+\Z", re.IGNORECASE)
# Verbs and nouns of change; a "до X" after one is the level reached, not a ceiling.
_CHANGE = (r"(?:вырос|выросл|вырост|увелич|повыс|повыш|подня|подорож|прибав|рост|снизи|сниз|сниж|сократ"
           r"|сокращ|уменьш|упал|упад|подешев|опусти|опуск|понизи|пониж|просел|просяд|обвал|скорректир"
           r"|изменил|измени|увеличит|замедл|ускор|вернул|достиг|сузил|расширил)")
# "с $71 ... до $104", "с 5,6 до 12,8 млрд": a change from one level to another
_CHANGE_BEFORE = re.compile(rf"(?<![а-яё]){_CHANGE}|(?<![а-яё])с\s+(?:[$₽]\d|\d[\d,]*\s*"
                            r"(?:%|млрд|млн|трлн|тыс|руб|долл|до\s))", re.IGNORECASE)
_FALLING = (r"(?:снизи|снизя|сниж|сократ|сокращ|уменьш|упал|упад|подешев|опусти|понизи|пониж|просел|просяд"
            r"|обвал|потерял|теря|недобор|недополуч|недосбор|потер[иья]|выпадающ|отставани|падени)")
# Nouns of a shortfall or a fall sign the amount they name ("недобор — 182,2 млрд", "падение к ноябрю —
# порядка 600 тысяч"); a verb signs only the amount of the change ("сократились на 43%"), not the level
# reached ("снизился до $44,10", "опустилась ниже $40").
_FALLING_NOUN = re.compile(r"(?<![а-яё])(?:недобор|недополуч|недосбор|потер[иья]|выпадающ|отставани|падени"
                           r"|снижени|сокращени|уменьшени)", re.IGNORECASE)
_FALLING_BEFORE = re.compile(
    rf"(?<![а-яё]){_FALLING}{END}(?:\s+[^\s,.;:()—–\d$₽]+){{0,5}}?\s*[—:]?\s*(?:(?:на|в\s+размере)\s+)?"
    rf"(?:(?:{'|'.join(w for w, c in QUALIFIERS if w[0].isalpha() and c != 'up_to')})\s+)?(?:(?:на|в)\s+)?\Z",
    re.IGNORECASE,
)
_BELOW_BY = re.compile(r"(?<![а-яё])(?:ниже|меньше|хуже)(?:\s+[а-яё]+){0,2}\s+на\s+"
                       r"(?:(?:почти|около|примерно|порядка)\s+)?\Z", re.IGNORECASE)
_LESS_AFTER = re.compile(r"\s*(?P<w>меньше|ниже|хуже|больше|выше|лучше)(?![а-яё])", re.IGNORECASE)
_RISING = re.compile(r"(?<![а-яё])(?:вырос|выросл|увелич|повыс|подня|подорож|прибав|больше)", re.IGNORECASE)
_MINUS_WORD = re.compile(r"(?<![а-яё])минус\s+\Z", re.IGNORECASE)
_OR_ON = re.compile(r",?\s+(?:или|то\s+есть|т\.\s?е\.)\s+(?:на\s+)?\Z", re.IGNORECASE)
_FURNITURE_AFTER = re.compile(rf"{SP}*(?:просмотр|мин(?![а-яё])|коммент|репост|подписч|лайк|реакц|чел\.)",
                              re.IGNORECASE)
_FURNITURE_BEFORE = re.compile(r"(?:👁|Поделиться|Просмотр\w*|Комментари\w*|Репост\w*)\W{0,3}\Z",
                               re.IGNORECASE)
_LEGAL_BEFORE = re.compile(r"(?:(?<![а-яё])(?:ст|стат\w*|п|пп|ч|гл|пункт\w*|част\w*|№)\.?\s*|№\s*)\Z",
                           re.IGNORECASE)
_DATE_AFTER = re.compile(rf"{SP}*(?:{MONTH}|{MONTH_ABBR})", re.IGNORECASE)
_PERIOD_COUNT_AFTER = re.compile(rf"{SP}*(?:мес\.|месяц{END}|кв\.|квартал{END}|недел{END}{SP}+(?:по|до|к))",
                                 re.IGNORECASE)
_PERIOD_COUNT_BEFORE = re.compile(r"(?:(?<![а-яё])(?:за|первые|последние)\s+)\Z", re.IGNORECASE)
_EACH_BEFORE = re.compile(r"(?<![а-яё])(?:за|кажд\w*|на\s+кажд\w*)\s*\Z", re.IGNORECASE)
_COMPARATIVE = frozenset({"ниже", "выше", "меньше", "больше", "чуть выше", "чуть ниже"})
_SPREAD_AFTER = re.compile(r"\s+(?:[а-яё]+\s+){0,2}(?:цен|потол|рыночн|рынк|brent|бенчмарк)", re.IGNORECASE)
_DAILY_BEFORE = re.compile(r"(?<![а-яё])(?:на\s+(?:один\s+)?(?:рабочий\s+)?день|ежедневн)", re.IGNORECASE)
_COUNTED = re.compile(rf"{SP}+(?:[а-яё]+(?:их|ых){SP}+)?(?:суд(?:ов|на|но)|танкер{END}|проход{END}|рейс{END}"
                      rf"|компани{END}|стран{END}|единиц{END}|штук{END}|скважин{END}|человек)(?![а-яё])",
                      re.IGNORECASE)
_OIL = re.compile(r"нефт|баррел|барр\.|urals|brent|дисконт|потол|котиров|отсечени|цен[аеуыо]",
                  re.IGNORECASE)
_RATE_WORDS = re.compile(r"(?<![а-яё])курс|доллар|американск\w*\s+валют|за\s+\$|₽/\$|(?<![а-яё])евро|юан",
                         re.IGNORECASE)
_BARREL_ROUBLES = re.compile(r"рублев\w*\s+цен\w*\s+барр|цен\w*\s+барреля\s+в\s+рублях", re.IGNORECASE)
_RATE_CURRENCY = re.compile(r"(?<![а-яё])(?:евро|юан[а-яё]*|доллар[а-яё]*|долл\.|\$)", re.IGNORECASE)
_LABELLED = re.compile(r"коэффициент|Кц|Кд|Дм|ставк|формул|×", re.IGNORECASE)
_PER_MONTH = re.compile(rf"{SP}в{SP}месяц(?![а-яё])", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")


def _number(raw_number: str) -> float:
    return float(re.sub(f"[{SPACES}]", "", raw_number).replace(",", "."))


def _sentence_at(spans: list[Sentence], starts: list[int], pos: int) -> int | None:
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and spans[i].start <= pos < spans[i].end else None


def find_figures(text: str, body_start: int, spans: list[Sentence], starts: list[int]) -> list[RawFigure]:
    """Every figure of a Russian text, in text order, with unit, scale, qualifier and sign (no period)."""
    found: list[RawFigure] = []
    taken_until = body_start
    for m in _TOKEN.finditer(text, body_start):
        if m.start() < taken_until:
            continue
        if _not_a_figure(text, m):
            continue
        raw = _with_context(text, m, spans, starts)
        if raw is not None:
            found.append(raw)
            taken_until = raw.end
    found = _resolve_bare(text, found)
    for i, raw in enumerate(found):
        raw.unit = _unit_in_passage(text, raw, spans, found[:i])
        repeated = [r for r in found[:i] if (r.value, r.unit, r.scale) == (raw.value, raw.unit, raw.scale)
                    and r.sentence_index != raw.sentence_index]
        if repeated and raw.same_as is None and not float(raw.value).is_integer():
            raw.same_as, raw.resumes = repeated[-1], True  # "3,42 млн б/с соответствуют": that figure again
    return found


def _not_a_figure(text: str, m: re.Match[str]) -> bool:
    """Dates, years, times, counters, legal references, the "1" of a rate, "за 11 месяцев"."""
    start, end = m.start(), m.end()
    before = text[max(0, start - 30):start]
    if m.group("glued") or _FURNITURE_AFTER.match(text, end) or _FURNITURE_BEFORE.search(before):
        return True
    if _LEGAL_BEFORE.search(before[-8:]):
        return True  # "ст. 96.6 БК", "№ 1234"
    value = _number(m.group("num"))
    if value == 1 and (m.group("cur") == "$" or re.match(rf"{SP}долл", text[end:end + 6])) and (
            _EACH_BEFORE.search(before) or re.match(r"\s*=", text[end:end + 3])):
        return True  # "за $1", "каждый $1", "$1 =": the unit of a rate or a sensitivity
    if m.group("cur") or m.group("sign"):
        return False
    if value <= 31 and value.is_integer() and _DATE_AFTER.match(text, end):
        return True  # "4 февраля", "10 мар 2026"
    if _PERIOD_COUNT_AFTER.match(text, end) or _PERIOD_COUNT_BEFORE.search(before) and re.match(
            rf"{SP}+(?:недел|месяц|мес\.)", text[end:end + 8], re.IGNORECASE):
        return True  # "за 11 месяцев", "4 кв. 2025 г.", "за 4 недели по 11 января"
    after = _AFTER.match(text, end)
    year = value.is_integer() and 1900 <= value <= 2100 and "," not in m.group("num")
    if after.group("unit") or after.group("scale"):
        return year and after.group("unit").strip(SPACES).lower().startswith("год")  # "в 2025 году"
    return value.is_integer() and 1900 <= value <= 2100 and "," not in m.group("num")


def _with_context(text: str, m: re.Match[str], spans: list[Sentence], starts: list[int]) -> RawFigure | None:
    number_start, end = m.start("num"), m.end()
    start = m.start()
    index = _sentence_at(spans, starts, number_start)
    if index is None:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if not _WORD.search(text, line_start, len(text) if line_end < 0 else line_end):
        return None  # a line of bare numbers and symbols is page furniture
    sentence = spans[index]
    value = _number(m.group("num"))
    currency = currency_of(m.group("cur") or "")
    head = text[max(sentence.start, start - 80):start]
    value_high = None
    rng = _RANGE_END.match(text, end)
    if rng is not None:
        high = _number(rng.group("num"))
        dash = rng.group("join").strip() != "до"
        if high > value and (dash or _RANGE_BEFORE.search(head)) and not _DATE_AFTER.match(text, rng.end()):
            value_high, end = high, rng.end()
            currency = currency or currency_of(rng.group("cur") or "")
            if between := _RANGE_BEFORE.search(head):
                start = start - len(head) + between.start()
    after = _AFTER.match(text, end)
    scale = scale_of((after.group("scale") or "").strip(SPACES))
    word = (after.group("unit") or "").strip(SPACES).lower()
    unit = _unit_of(word, currency, after)
    stop = end
    for group in ("scale", "unit", "per", "rate", "day"):
        if after.group(group):
            stop = after.end(group)
    if unit in CURRENCIES and (_DAILY_BEFORE.search(text, sentence.start, start)
                               or re.match(rf"{SP}+ежедневно", text[stop:stop + 12])):
        unit = f"{unit}/day"  # "в пересчете на один рабочий день это 12,8 млрд руб."
    factor = unit == "times"
    qualifier = "range" if value_high is not None else "exact"
    q = _QUALIFIER_BEFORE.search(head)
    prep = _ON_BEFORE.search(head)
    if factor and not (q or prep):
        return None  # "2 раза" without "в": not a multiplicative change
    if q and q.group("prep") and q.group("q") and " ".join(q.group("q").lower().split()) in _COMPARATIVE:
        q = None  # "ниже на 170 млрд": lower by, a change, not a bound
    if q:
        word_q = " ".join((q.group("q") or q.group("sym")).lower().split())
        code = _QUALIFIER_CODES.get(word_q, "about")
        if word_q == "до" and _CHANGE_BEFORE.search(text, sentence.start, start):
            code = "exact"  # "сократились до 16,9 млрд": the level reached
        if value_high is None:
            qualifier = code
        if code != "exact" or word_q == "до":
            start = start - len(head) + q.start()
    elif prep and factor:
        start = start - len(head) + prep.start()
    head = text[max(sentence.start, start - 80):start]
    sign = m.group("sign") or ""
    less = _LESS_AFTER.match(text, stop)
    by = prep is not None and prep.group("prep").lower() == "на"
    fall = _FALLING_BEFORE.search(head)
    by_fall = fall is not None and (by or factor or _FALLING_NOUN.match(head, fall.start()) is not None)
    falling = sign in ("−", "-") or by_fall or bool(_BELOW_BY.search(head) or _MINUS_WORD.search(head))
    if less and (by or factor) and less.group("w").lower() in ("меньше", "ниже", "хуже") and not (
            less.group("w").lower() == "ниже" and _SPREAD_AFTER.match(text, less.end())):
        falling = True  # "на 10% меньше"; but "на 15% ниже рыночной цены" is a spread
    if factor and not falling and not (less and less.group("w").lower() in ("больше", "выше", "лучше")):
        falling = _falling_in_sentence(text, sentence.start, start)
    change = bool(by or factor or falling or sign)
    if falling:
        value = -abs(value)
        value_high = -abs(value_high) if value_high is not None else None
    return RawFigure(value, unit, scale, qualifier, start, stop, number_start, sentence, index,
                     value_high=value_high, negative=falling, change=change)


def _unit_of(word: str, currency: str, after: re.Match[str]) -> str:
    if after.group("rate") and (currency_of(word) == "RUB" or currency == "RUB" or not word):
        return RATE_UNIT  # "78,85 руб. за доллар", "77,65 ₽/$", "92,2 рубля за $1"
    if word in ("%",) or word.startswith("процент") or word.startswith("п."):
        return "percent"
    code = currency or currency_of(word)
    if code:
        if after.group("per") and re.search(r"тонн|т\.?\Z", after.group("per")):
            return f"{code}/t"
        if after.group("per"):
            return f"{code}/bbl"
        return f"{code}/day" if after.group("day") else code
    if word == "б/с" or word.startswith("барр"):
        return "bbl/day" if "сут" in word or word == "б/с" or after.group("day") else "bbl"
    if word == "т" or word.startswith("тонн"):
        return "t/day" if after.group("day") else "t"
    if word.startswith("раз"):
        return "times"
    if word.startswith(("дн", "день")):
        return "days"
    if word.startswith("недел"):
        return "weeks"
    if word.startswith("мес"):
        return "months"
    if word.startswith(("лет", "год")):
        return "years"
    return ""


def _falling_in_sentence(text: str, lo: int, hi: int) -> bool:
    """The change word nearest before ``hi`` in its sentence is a fall ("сократились ..., то есть в 3,7
    раза")."""
    falls = [m.end() for m in re.finditer(rf"(?<![а-яё]){_FALLING}", text[lo:hi], re.IGNORECASE)]
    rises = [m.end() for m in _RISING.finditer(text, lo, hi)]
    return bool(falls) and (not rises or max(falls) + lo > max(rises))


def _resolve_bare(text: str, raws: list[RawFigure]) -> list[RawFigure]:
    """Give a unit to the numbers printed without one, or drop them.

    A bare number with a scale is money: the currency of the nearest money figure in its sentence or
    the two before, else roubles ("январь–июль — 5,52 трлн"). One without a scale repeats an earlier
    figure of the same value ("заложено 92,2"), continues a list of counts in its sentence ("только 3"),
    or is compared with a figure just before it of like size ("против 575,4"); a coefficient or formula
    constant of a labelled sentence ("Кц — 11,4309", "/ 261") has unit ``other``. Any other bare number
    is not a figure.
    """
    kept: list[RawFigure] = []
    for raw in raws:
        if _OR_ON.search(text, max(0, raw.start - 12), raw.start) and kept and not raw.negative \
                and kept[-1].sentence_index == raw.sentence_index and kept[-1].negative:
            raw.value, raw.negative = -abs(raw.value), True  # "сократились на 43%, или на 405 млрд"
        if raw.unit:
            kept.append(raw)
            continue
        near = [r for r in kept if r.sentence_index == raw.sentence_index]
        if raw.scale:
            money = [r for r in kept if r.unit in CURRENCIES and raw.sentence_index - r.sentence_index <= 2]
            raw.unit = money[-1].unit if money else "RUB"
        elif same := [r for r in kept if r.value == raw.value and r.value_high is None and r.unit]:
            raw.unit, raw.same_as = same[-1].unit, same[-1]
        elif near and near[-1].unit == "count":
            raw.unit = "count"
        elif _COUNTED.match(text, raw.end):
            raw.unit = "count"
            raw.end = _COUNTED.match(text, raw.end).end()
        elif _LABELLED.search(text, raw.sentence.start, raw.sentence.end):
            raw.unit = "other"
        elif near and raw.start - near[-1].end < 60 and _like(near[-1].value, raw.value):
            raw.unit, raw.scale = near[-1].unit, near[-1].scale
        else:
            continue
        kept.append(raw)
    return kept


def _like(a: float, b: float) -> bool:
    a, b = abs(a), abs(b)
    return a > 0 and b > 0 and max(a, b) / min(a, b) < 4


def _unit_in_passage(text: str, raw: RawFigure, spans: list[Sentence], earlier: list[RawFigure]) -> str:
    """What an unscaled amount means from its passage: roubles in a sentence about the rate are the rate
    ("курс — 80,4603 руб."), roubles for a barrel are its rouble price, dollars in a passage about oil
    are a price per barrel ("ниже заложенных в бюджет $59")."""
    if raw.scale or raw.unit not in CURRENCIES or _PER_MONTH.match(text, raw.end):
        return raw.unit
    sentence = text[raw.sentence.start:raw.sentence.end]
    if raw.unit == "RUB":
        if _BARREL_ROUBLES.search(sentence):
            return "RUB/bbl"
        lead = text[max(raw.sentence.start, raw.start - 120):raw.end + 30]
        if _RATE_WORDS.search(lead) or _RATE_WORDS.search(sentence) and abs(raw.value) < 200:
            named = _RATE_CURRENCY.findall(text, max(raw.sentence.start, raw.start - 30), raw.start)
            return f"RUB/{currency_of(named[-1])}" if named else RATE_UNIT  # "курс евро — 95,1 руб."
        return raw.unit
    oil = _OIL.search(passage(text, spans, raw.sentence_index))
    if raw.unit == "USD" and 1 <= abs(raw.value) <= 500 and oil:
        return "USD/bbl"
    repeated = any(r.unit == f"{raw.unit}/bbl" and raw.value in (r.value, r.value_high) for r in earlier)
    return f"{raw.unit}/bbl" if repeated else raw.unit
