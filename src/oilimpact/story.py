"""Words and tables for the notebooks: numbers formatted the house way, never typed by hand.

The notebooks stay thin: a code cell calls one of these to turn a computed result into a Markdown
sentence or a presentable table. Formatting rules: US dollars as ``$72``/``$4.5``, roubles as
``3,786 bn RUB``, percentages with one decimal at most, signed changes with a real minus sign.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

MINUS = "\u2212"


def _trim(number: float, decimals: int) -> str:
    text = f"{abs(number):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def usd(value: float, decimals: int = 2, signed: bool = False) -> str:
    """``$72``, ``$4.5``, ``−$13`` (signed adds ``+``): trailing zeros dropped."""
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}${_trim(value, decimals)}"


def bn_rub(value: float, decimals: int = 0, signed: bool = False) -> str:
    """``3,786 bn RUB``; ``+412 bn RUB`` when signed."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f} bn RUB"


def number(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A plain number with thousands separators and a real minus sign."""
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{abs(value):,.{decimals}f}"


def percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """``−50 %``, ``1.6 %`` (value already in percent); trailing zeros dropped."""
    if not math.isfinite(value):
        return "n/a"
    sign = MINUS if value < 0 and round(value, decimals) != 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{_trim(value, decimals)} %"


def above_below(difference: float) -> str:
    """``above`` for a positive difference, ``below`` for a negative one, ``at`` for zero."""
    return "above" if difference > 0 else ("below" if difference < 0 else "at")


def table(
    frame: pd.DataFrame,
    decimals: int | Mapping[str, int] = 1,
    index: str | None = None,
) -> pd.DataFrame:
    """A frame ready to show: rounded, no index-name header row, optional column from the index.

    ``index`` names a column to move the index into (so it gets a header with its unit) — the
    shown frame then has a plain range index, which the styler hides.
    """
    shown = frame.copy()
    if index is not None:
        shown = shown.rename_axis(index).reset_index()
    shown.index.name = None
    shown.columns.name = None
    places = decimals if isinstance(decimals, Mapping) else dict.fromkeys(shown.columns, decimals)
    for column, digits in places.items():
        if column in shown and pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].round(digits)
    return shown


def style(frame: pd.DataFrame, decimals: int | Mapping[str, int] = 1, index: str | None = None):
    """:func:`table` as a pandas Styler: thousands separators, index hidden, fixed decimals."""
    shown = table(frame, decimals, index)
    places = decimals if isinstance(decimals, Mapping) else dict.fromkeys(shown.columns, decimals)
    formats = {
        column: f"{{:,.{digits}f}}"
        for column, digits in places.items()
        if column in shown and pd.api.types.is_numeric_dtype(shown[column])
    }
    return shown.style.format(formats, na_rep="").hide(axis="index")


def bullet_list(lines: Iterable[str]) -> str:
    """Markdown bullets, one per line."""
    return "\n".join(f"- {line}" for line in lines)
