"""The unit vocabulary of the figure rules: scales, currencies and their signs and words, durations.

A small table each; :mod:`oilimpact.articles.figures` and :mod:`oilimpact.articles.metrics` read them.
"""

from __future__ import annotations

SCALES = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Scale words and suffixes, written out or glued to the number ("$13.3bn", "8,029 bln").
SCALE_WORDS = {
    "k": "thousand", "thousand": "thousand", "m": "million", "mn": "million", "mln": "million",
    "million": "million", "bn": "billion", "bln": "billion", "billion": "billion", "trn": "trillion",
    "trln": "trillion", "tn": "trillion", "trillion": "trillion",
    "kbd": "thousand", "mbd": "million",  # barrels a day, scaled: the unit is bbl/day
}
CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "₽": "RUB", "rub": "RUB", "cny": "CNY",
}
CURRENCY_WORDS = {
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "rub": "RUB",
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "yuan": "CNY", "cny": "CNY",
}
CURRENCIES = frozenset(CURRENCY_SIGNS.values())
RATE_UNIT = "RUB/USD"
DURATIONS = ("days", "weeks", "months", "years")
