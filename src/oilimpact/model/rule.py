"""The budget rule's monthly numbers: the expected additional O&G revenue and the FX operation.

At the start of month m the Finance Ministry announces the month's expected additional O&G revenue
(revenue expected at the month's prices minus the base revenue at the budget rule's base price) and
buys or sells currency and gold over a window of about a month:

    additional_m = R̂_m − R̂_m(base price)        the model at the tax month's price, and at the base
                                                price ($60 in 2024–2025, $59 in 2026:
                                                data/assumptions.yaml) with the same rate and volumes
                                                (gas at its own base export price and the damper at base
                                                fuel prices are not modelled: they are left out)
    base_m = R̂_m − additional_m                 the ministry's base revenue as the model sees it
    deviation_{m−1} = R_{m−1} − base_{m−1} − A_{m−1}
                                                last month's actual additional revenue against the
                                                expected one A (the ministry's figure where published,
                                                else ours); unknown while R_{m−1} is not published
    total_m = additional_m + deviation_{m−1}    (the ministry's identity: January 2026 −231.9 + 39.8 =
                                                −192.1 bn)
    daily_m = total_m / trading days in the window

The window starts on the first trading day from the 7th of m (from the 15th in January, after the
holidays) and ends the trading day before the next window starts; trading days are weekdays that are
not Russian public holidays (Labour Code art. 112: 1–8 January, 23 February, 8 March, 1 and 9 May,
12 June, 4 November; the government's yearly transfer of days off is not modelled, so a window can be
a day off).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from oilimpact.errors import OilImpactError
from oilimpact.model.structural import Data, Fit, Inputs, ndd_quarter, shift

HOLIDAYS = {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}
"""Russian public holidays (month, day), Labour Code art. 112."""
PUBLISHED = {"additional": "og_additional_revenue_expected", "deviation": "og_additional_revenue_deviation",
             "total": "fx_operations_total", "daily": "fx_operations_daily"}
"""The history series of the ministry's announcements (deviation dated by the month it refers to)."""


def is_trading_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def window(month: str) -> tuple[dt.date, dt.date]:
    """First and last trading day of the operation announced in ``month`` (YYYY-MM)."""
    def start_of(of: str) -> dt.date:
        day = dt.date(int(of[:4]), int(of[5:]), 15 if of.endswith("-01") else 7)
        while not is_trading_day(day):
            day += dt.timedelta(days=1)
        return day

    end = start_of(shift(month, 1)) - dt.timedelta(days=1)
    while not is_trading_day(end):
        end -= dt.timedelta(days=1)
    return start_of(month), end


def trading_days(month: str) -> int:
    first, last = window(month)
    return sum(is_trading_day(first + dt.timedelta(days=k)) for k in range((last - first).days + 1))


def base_inputs(data: Data, month: str, base_price: float) -> Inputs:
    """``month``'s inputs with every tax month's Urals price replaced by the base price."""
    x = data.inputs(month)
    if x is None:
        raise OilImpactError(f"month {month}: no inputs ({', '.join(data.missing(month))} missing)")
    ndd_base = sum(data.gross_at(q, base_price) for q in ndd_quarter(month))
    return Inputs(month, base_price, x.rate, data.gross_at(shift(month, -1), base_price), ndd_base, x.duty)


@dataclass(frozen=True)
class Operations:
    """The budget rule's numbers for one announcement month (bn RUB; + purchase, − sale)."""

    month: str
    base_price: float  # USD/bbl
    base_bn_rub: float  # the model at the base price
    additional_bn_rub: float
    deviation_bn_rub: float | None  # last month's actual − its prediction; None: not published yet
    trading_days: int
    window: tuple[dt.date, dt.date]

    @property
    def total_bn_rub(self) -> float:
        return self.additional_bn_rub + (self.deviation_bn_rub or 0.0)

    @property
    def daily_bn_rub(self) -> float:
        return self.total_bn_rub / self.trading_days

    def published(self, data: Data) -> dict[str, float | None]:
        """The ministry's own numbers for this month where the history has them."""
        got = {key: data.components.get(series, {}).get(self.month) for key, series in PUBLISHED.items()}
        got["deviation"] = data.components.get(PUBLISHED["deviation"], {}).get(shift(self.month, -1))
        return got

    def row(self, data: Data) -> dict[str, float]:
        """The backtest's columns: model and published, nan where the history has no figure."""
        published = {k: math.nan if v is None else v for k, v in self.published(data).items()}
        return {"additional_expected_bn_rub": self.additional_bn_rub,
                "additional_published_bn_rub": published["additional"],
                "fx_total_bn_rub": self.total_bn_rub, "fx_total_published_bn_rub": published["total"],
                "fx_daily_bn_rub": self.daily_bn_rub, "fx_daily_published_bn_rub": published["daily"]}

    def lines(self, published: dict[str, float | None]) -> list[str]:
        """What the nowcast prints: each number, and the ministry's where published."""
        def also(key: str) -> str:
            value = published.get(key)
            return "" if value is None else f" (published {value:+,.1f})"

        first, last = self.window
        deviation = ("not known yet (last month's revenue is not published)" if self.deviation_bn_rub is None
                     else f"{self.deviation_bn_rub:+,.1f} bn RUB{also('deviation')}")
        return [f"budget rule: base revenue {self.base_bn_rub:,.1f} bn RUB at the base price "
                f"{self.base_price:g} USD/bbl; expected additional O&G revenue "
                f"{self.additional_bn_rub:+,.1f} bn RUB{also('additional')}",
                f"  last month's deviation: {deviation}",
                f"  FX operation {first:%d %b %Y} – {last:%d %b %Y}: {self.total_bn_rub:+,.1f} bn RUB"
                f"{also('total')}, {self.daily_bn_rub:+,.2f} bn RUB a day over {self.trading_days} trading "
                f"days{also('daily')} (+ purchase, − sale)"]

    def as_dict(self) -> dict[str, object]:
        return {"month": self.month, "base_price_usd_bbl": self.base_price, "base_bn_rub": self.base_bn_rub,
                "additional_expected_bn_rub": self.additional_bn_rub,
                "previous_month_deviation_bn_rub": self.deviation_bn_rub,
                "fx_total_bn_rub": self.total_bn_rub,
                "trading_days": self.trading_days, "window": [d.isoformat() for d in self.window],
                "fx_daily_bn_rub": self.daily_bn_rub}


def _raw_additional(data: Data, month: str, model: Fit) -> float | None:
    """R̂ − R̂(base price) of ``month`` with ``model`` (None: no base price or no inputs)."""
    x = data.inputs(month)
    if x is None or month[:4] not in data.base_price:
        return None
    return model.predict(x) - model.predict(base_inputs(data, month, data.base_price[month[:4]]))


def operations(data: Data, month: str, model: Fit, model_at: Callable[[str], Fit]) -> Operations:
    """The rule's numbers for ``month`` from ``model`` (the month's own fit) and, for last month's
    deviation, ``model_at`` (the fit of any earlier origin)."""
    year = month[:4]
    if year not in data.base_price:
        raise OilImpactError(f"month {month}: no budget-rule base price for {year} in data/assumptions.yaml "
                             f"(budget_rule_base_price; it has {', '.join(sorted(data.base_price))})")
    raw = _raw_additional(data, month, model)
    if raw is None:
        raise OilImpactError(f"month {month}: no inputs ({', '.join(data.missing(month))} missing)")
    additional = raw
    previous = shift(month, -1)
    deviation = None
    if previous in data.revenue and data.inputs(previous) is not None and previous[:4] in data.base_price:
        before = model_at(previous)
        expected = data.components.get(PUBLISHED["additional"], {}).get(previous)
        ours = _raw_additional(data, previous, before) or 0.0
        base = before.predict(data.inputs(previous)) - ours  # type: ignore[arg-type]
        deviation = data.revenue[previous] - base - (expected if expected is not None else ours)
    x = data.inputs(month)
    return Operations(month, data.base_price[year], model.predict(x) - additional,  # type: ignore[arg-type]
                      additional, deviation, trading_days(month), window(month))
