"""The house way of writing numbers, in sentences, charts and terminal tables.

US dollars as ``$72``/``$4.5``, roubles as ``3,786 bn RUB``, percentages with one decimal at most,
signed changes with a real minus sign. :mod:`oilimpact.story` writes the notebooks' sentences with
these, :mod:`oilimpact.charts` its labels, and the CLI its fixed-width tables (:func:`fixed_width`).
Standard library only: importing it costs nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

MINUS = "\u2212"


def trim(number: float, decimals: int) -> str:
    """``abs(number)`` with thousands separators and at most ``decimals`` decimals, trailing zeros dropped."""
    text = f"{abs(number):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def usd(value: float, decimals: int = 2, signed: bool = False) -> str:
    """``$72``, ``$4.5``, ``−$13`` (signed adds ``+``): trailing zeros dropped."""
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}${trim(value, decimals)}"


def bn_rub(value: float, decimals: int = 0, signed: bool = False) -> str:
    """``3,786 bn RUB``; ``+412 bn RUB`` when signed."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f} bn RUB"


def number(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A plain number with thousands separators and a real minus sign."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f}"


def percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """``−50 %``, ``1.6 %`` (value already in percent), fixed decimals. A value that is not zero but
    would round to zero reads ``< 0.5 %`` (``< 0.05 %`` with one decimal), and one short of 100 that
    would round to 100 reads ``> 99.5 %``: a reader never sees "0 %" for 0.2 %."""
    if not math.isfinite(value):
        return "n/a"
    half = 0.5 * 10 ** -decimals
    if value != 0 and round(abs(value), decimals) == 0:
        return f"{'> ' + MINUS if value < 0 else '< '}{half:.{decimals + 1}f} %"
    if 99 < value < 100 and round(value, decimals) == 100:
        return f"> {100 - half:.{decimals + 1}f} %"
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f} %"


def above_below(difference: float) -> str:
    """``above`` for a positive difference, ``below`` for a negative one, ``at`` for zero."""
    return "above" if difference > 0 else ("below" if difference < 0 else "at")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = tuple("=+-@\t\r")


def terminal_safe(text: str) -> str:
    """``text`` with control characters (an escape sequence, a carriage return, a bidi override from
    an article) shown as ``\\x1b``-style escapes, so the terminal prints them instead of obeying them."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def csv_cell(text: str) -> str:
    """A free-text CSV cell a spreadsheet will not run: one starting like a formula (``=``, ``+``,
    ``-``, ``@``) gets a leading apostrophe, as OWASP recommends."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when it was longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def fixed_width(header: Sequence[str], rows: Sequence[Sequence[object]], *, rule: bool = True) -> list[str]:
    """A terminal table's lines: the header, a rule of dashes (``rule``), then one line per row; every
    column padded to its widest cell but the last, trailing spaces stripped."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    body = [list(header), *([["-" * w for w in widths]] if rule else []), *cells]
    lines = []
    for row in body:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return lines


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DURATION = {"D": ("day", "days"), "W": ("week", "weeks"), "M": ("month", "months"), "Y": ("year", "years")}


def day_words(day: dt.date) -> str:
    """``2 March 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _one_period(label: str) -> str:
    if re.fullmatch(r"\d{4}", label):
        return label
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return f"{_MONTHS[int(m[2]) - 1]} {m[1]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        return day_words(dt.date.fromisoformat(label))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        return f"Q{m[2]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-H([12])", label):
        return f"{('first', 'second')[int(m[2]) - 1]} half of {m[1]}"
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", label):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        sunday = monday + dt.timedelta(days=6)
        first = (f"{monday.day}" if monday.month == sunday.month
                 else f"{monday.day} {_MONTHS[monday.month - 1]}" + ("" if monday.year == sunday.year
                                                                     else f" {monday.year}"))
        return f"the week of {first}–{day_words(sunday)}"
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})/P(\d+)([DWMY])", label):
        n, (one, many) = int(m[2]), _DURATION[m[3]]
        return f"{n} {one if n == 1 else many} from {day_words(dt.date.fromisoformat(m[1]))}"
    raise ValueError(label)


def period_words(label: str | None) -> str:
    """A figure's period label as a person writes it: ``2026-W10`` → ``the week of 2–8 March 2026``,
    ``2026-03-05/P30D`` → ``30 days from 5 March 2026``, ``2025-12..2026-03`` → ``December 2025 – March
    2026``, ``..2026-03`` → ``to March 2026``; a label it does not know is returned as it is."""
    if not label:
        return ""
    try:
        if ".." in label:
            first, _, last = label.partition("..")
            if not first:
                return f"to {_one_period(last)}"
            if not last:
                return f"from {_one_period(first)}"
            both = re.fullmatch(r"(\d{4})-(\d{2})", first), re.fullmatch(r"(\d{4})-(\d{2})", last)
            if both[0] and both[1] and both[0][1] == both[1][1]:  # "September–October 2025"
                return f"{_MONTHS[int(both[0][2]) - 1]}–{_one_period(last)}"
            return f"{_one_period(first)} – {_one_period(last)}"
        return _one_period(label)
    except ValueError:
        return label
