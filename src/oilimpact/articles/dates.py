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
  | (?P<md>\b(?i:(?:on|from|since|by|until|as\s+of|of)\s+)?(?P<md_month>{_MABBR})\.?\s+(?P<md_day>\d{{1,2}})
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
