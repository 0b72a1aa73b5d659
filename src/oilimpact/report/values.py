"""How a parameter or a key result reads on a page: ``none``/``yes``, 2026 not 2,026, ``7,939 · 56.3 ·
2.03``, a real minus sign."""

from __future__ import annotations

from typing import Any


def format_value(value: Any) -> str:
    """A parameter or result as a reader wants to see it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        # Digits are grouped from 10,000 up, so a seed or a year reads 2026, not 2,026.
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) < 1e15 else f"{value:.3g}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def format_result(value: Any, digits: int | None = None) -> str:
    """A key result in the comparison table: ``digits`` decimals, by default precision by magnitude
    (7,939 · 56.3 · 2.03); a minus sign, not a hyphen."""
    if isinstance(value, float) and not isinstance(value, bool):
        if digits is None:
            digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}".replace("-", "\u2212")
    return format_value(value)
