"""The Russian vocabulary of the figure rules: number spacing, scale words, currencies, month names.

Russian inflects: a scale word, a currency or a month takes a case ending ("миллиард", "миллиарда",
"миллиардов"; "январь", "января", "в январе", "январский"), so each entry is a stem plus any ending,
and the lookup functions read a word by its stem. :mod:`oilimpact.articles.ru_figures` and
:mod:`oilimpact.articles.ru_periods` build their patterns from these tables.
"""

from __future__ import annotations

# Thousands are grouped by a plain, a no-break, a narrow no-break or a thin space ("8 029").
SPACES = " \u00a0\u202f\u2009"
SP = f"[{SPACES}]"
# A Cyrillic word ending: the case and number of a stem ("миллиард" + "ов").
END = r"[а-яё]*"

# Scale words: the abbreviation or the stem of the written-out word → the scale code.
SCALE_STEMS = (("трлн", "trillion"), ("триллион", "trillion"), ("млрд", "billion"), ("миллиард", "billion"),
               ("млн", "million"), ("миллион", "million"), ("тыс", "thousand"), ("тысяч", "thousand"))
# The dot of an abbreviation is the scale's when more follows ("тыс. б/с"), the sentence's at its end.
SCALE = (rf"(?:трлн|млрд|млн|тыс)(?:\.(?={SP}*(?-i:[а-яё₽$%/])))?(?![а-яё])"
         rf"|(?:триллион|миллиард|миллион|тысяч){END}")

# Currencies: the stem (or sign) → the unit code.
CURRENCY_STEMS = (("руб", "RUB"), ("₽", "RUB"), ("долл", "USD"), ("$", "USD"), ("юан", "CNY"),
                  ("евро", "EUR"), ("€", "EUR"))
CURRENCY = rf"руб\.|руб(?![а-яё.])|рубл{END}|₽|долл\.(?:{SP}США)?|доллар{END}(?:{SP}США)?|юан{END}|евро"

# Month names: the stem of each month, in every case and as an adjective ("январский", "майские").
MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
               "ноябр", "декабр")
MONTH = (rf"(?:январ|феврал|март|апрел|июн|июл|август|сентябр|октябр|ноябр|декабр){END}"
         r"|ма(?:й|я|е|ем|йск[а-яё]*)(?![а-яё])")
# Abbreviated months: "янв", "нояб.", "10 мар 2026".
MONTH_ABBR = r"(?:янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)\.?(?![а-яё])"
_ABBR_NUMBER = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10,
                "ноя": 11, "дек": 12}

# Words before a number that qualify it, longest first (the pattern is built in this order).
QUALIFIERS = (
    ("не менее чем", "at_least"), ("не менее", "at_least"), ("не меньше", "at_least"),
    ("не выше", "up_to"), ("не более", "up_to"), ("не превышала", "up_to"), ("не превышает", "up_to"),
    ("более чем", "more_than"), ("более", "more_than"), ("свыше", "more_than"), ("чуть выше", "more_than"),
    ("выше", "more_than"), ("превышали", "more_than"), ("превысили", "more_than"), ("больше", "more_than"),
    ("менее чем", "less_than"), ("менее", "less_than"), ("меньше", "less_than"), ("чуть ниже", "less_than"),
    ("ниже", "less_than"), ("около", "about"), ("порядка", "about"), ("почти что", "about"),
    ("почти", "about"), ("примерно", "about"), ("приблизительно", "about"), ("где-то", "about"),
    ("~", "about"), ("≈", "about"), ("до", "up_to"),
)


def scale_of(word: str) -> str:
    """The scale code of a scale word in any case ("миллиардов" → billion), else ""."""
    word = word.lower()
    return next((code for stem, code in SCALE_STEMS if word.startswith(stem)), "")


def currency_of(word: str) -> str:
    """The unit code of a currency word or sign in any case ("рублей" → RUB), else ""."""
    word = word.lower().strip()
    return next((code for stem, code in CURRENCY_STEMS if word.startswith(stem)), "")


def month_of(word: str) -> int:
    """The month (1–12) of a month name in any case, an adjective or an abbreviation, else 0."""
    word = word.lower().rstrip(".")
    for number, stem in enumerate(MONTH_STEMS, start=1):
        if stem != "ма" and word.startswith(stem):
            return number
    if word.startswith("ма") and not word.startswith("мар"):
        return 5
    return _ABBR_NUMBER.get(word[:3], 0)
