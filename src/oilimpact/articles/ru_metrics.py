"""Metric labels for figures of Russian articles: the same names as :mod:`oilimpact.articles.metrics`,
read from Russian context words (НГД, НДПИ, НДД, демпфер, ФНБ, дефицит, продажи валюты, Urals).

:data:`RU_METRIC_RULES` is the Russian vocabulary, first match wins, ``other`` when none applies; the
shared :func:`oilimpact.articles.metrics.metric_of` applies it. :data:`GLOSSES` gives each label the
English words a report prints beside a Russian quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from oilimpact.articles.metrics import MetricRule, _rule
from oilimpact.articles.units import CURRENCIES, RATE_UNIT

_OG = r"нефтегаз|НГД|нефти\s+и\s+газа"
_REVENUE = r"доход|поступлени|сбор|НГД|казн|принес|получил|собрал|дал(?![а-яё])|составил"
_YOY = (r"г/г|годом\s+ранее|год\s+назад|в\s+годовом\s+выражении|прошлого\s+года|чем\s+в\s+\w+\s+20\d\d"
        r"|20\d\d\s+года")
_MOM = (r"м/м|месяцем\s+ранее|по\s+сравнению\s+с\s+(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр"
        r"|октябр|ноябр|декабр)")
_OG_REVENUE = rf"{_OG}|доход|поступлени|сбор"
_TAXES = r"НДД|НДПИ|НГД|нефтегаз|демпфер|налог\w*\s+на"
_SUM = r"млрд|трлн|млн|миллиард|триллион|миллион|руб|₽"
_NWF = r"ФНБ|фонд\w*\s+национального\s+благосостояния"

#: The Russian metric vocabulary, first match wins; anything else is ``other``.
RU_METRIC_RULES: tuple[MetricRule, ...] = (
    _rule("urals_price_rub", "RUB/bbl", r"."),
    _rule("sanctions_waiver_days", "days", r"лиценз|отсрочк|исключени", scope="sentence"),
    _rule("price_cap", "price", r"потол", scope="segment"),
    _rule("budget_oil_price_assumption", "price",
          r"заложен|бюджет[^.;]{0,60}исход|цен\w*\s+отсечени|отсечени|бюджетн\w*\s+цен", scope="lead"),
    _rule("urals_discount", "price", r"дисконт|скидк", scope="segment"),
    _rule("brent_price", "price", r"\bbrent\b(?!.*urals)", scope="before"),
    _rule("urals_price", "price", r"urals|российск\w*\s+нефт"),
    _rule("brent_price", "price", r"brent"),
    _rule("urals_discount", "price", r"дисконт", scope="passage"),
    _rule("urals_price", "price", r"urals", scope="passage"),
    _rule("oil_price", "price", r"."),
    _rule("exchange_rate_change", RATE_UNIT, r"подорож|подешев|укрепил|ослаб", scope="lead"),
    _rule("budget_exchange_rate_assumption", RATE_UNIT, r"бюджет|заложен|закон|прогноз", scope="segment"),
    _rule("exchange_rate", RATE_UNIT, r"."),
    _rule("fx_sales_daily", "RUB/day", r"продаж|покуп|продав|операци|направ"),
    _rule("fx_sales_daily", "RUB/day", r"продаж|покуп|продав|операци|направ", scope="passage"),
    _rule("og_additional_revenue_expected", "money",
          r"дополнительн\w*\s+нефтегаз|доп\.\s+НГД|ожидаем\w*\s+объем|ждет\s+доп", scope="lead"),
    _rule("og_additional_revenue_expected", "money", r"ожидаем\w*\s+недобор|ожидаем\w*\s+(?:дополнит|объем)"),
    _rule("fx_sales_total", "money",
          r"прода\w*\s+(?:иностранной\s+)?валют|покуп\w*\s+(?:иностранной\s+)?валют|на\s+эти\s+операци"
          r"|на\s+продажу", scope="lead"),
    _rule("damper_payments", "money", r"демпфер|выплат\w*\s+нефтяник|нефтяник\w*\s+выплат"),
    _rule("ndd_revenue", "money", r"НДД|налог\w*\s+на\s+дополнительный\s+доход", scope="lead"),
    _rule("ndpi_revenue", "money", r"НДПИ|налог\w*\s+на\s+добычу", scope="lead"),
    # the tax named last before the figure in its sentence, no other sum between ("Поступления НДПИ снизились
    # на 23,1% до 702,9 млрд")
    _rule("ndd_revenue", "money", rf"(?:НДД|налог\w*\s+на\s+дополнительный\s+доход)(?!.*(?:{_TAXES}|{_SUM}))",
          scope="before"),
    _rule("ndpi_revenue", "money", rf"(?:НДПИ|налог\w*\s+на\s+добычу)(?!.*(?:{_TAXES}|{_SUM}))",
          scope="before"),
    _rule("oil_gas_revenue_shortfall", "money", r"недобор|недополуч|потер", scope="segment"),
    _rule("oil_gas_revenue_base", "money", r"(?:базов\w*\s+уров\w*|баз[аеуы](?![а-яё]))[^:.;]{0,45}\Z",
          scope="lead"),
    _rule("nwf_liquid_assets", "money", _NWF, r"ликв"),
    _rule("nwf_total", "money", _NWF),
    _rule("budget_deficit", "money", r"дефицит"),
    _rule("budget_deficit_gdp", "percent", r"дефицит"),
    _rule("nwf_liquid_assets", "money", _NWF, r"ликв", scope="passage"),
    _rule("nwf_total", "money", _NWF, scope="passage"),
    _rule("oil_gas_revenue_yoy_change", "percent", _YOY, _OG_REVENUE),
    _rule("oil_gas_revenue_mom_change", "percent", _MOM, _OG_REVENUE),
    _rule("oil_gas_revenue", "money", _OG),
    _rule("oil_gas_revenue", "money", _OG, scope="passage"),
    _rule("damper_payments", "money", r"демпфер", scope="passage"),
    _rule("oil_exports", "bbl/day", r"экспорт|поставк"),
    _rule("oil_output", "bbl/day", r"добыч|производ"),
)

#: English words for the labels, for a reader of a Russian quote.
GLOSSES = {
    "oil_gas_revenue": "oil and gas revenue", "oil_gas_revenue_base": "oil and gas revenue, base level",
    "oil_gas_revenue_shortfall": "oil and gas revenue shortfall",
    "oil_gas_revenue_yoy_change": "oil and gas revenue, change on a year earlier",
    "oil_gas_revenue_mom_change": "oil and gas revenue, change on the month before",
    "og_additional_revenue_expected": "expected additional oil and gas revenue",
    "ndpi_revenue": "mineral extraction tax (MET) revenue", "ndd_revenue": "additional income tax (NDD)",
    "damper_payments": "fuel damper payments", "fx_sales_daily": "Finance Ministry FX sales a day",
    "fx_sales_total": "Finance Ministry FX sales, total", "nwf_liquid_assets": "National Wealth Fund, liquid",
    "nwf_total": "National Wealth Fund, total", "budget_deficit": "budget deficit",
    "budget_deficit_gdp": "budget deficit, % of GDP", "urals_price": "Urals price",
    "urals_price_rub": "Urals price in roubles", "urals_discount": "Urals discount to Brent",
    "brent_price": "Brent price", "oil_price": "oil price", "price_cap": "price cap",
    "budget_oil_price_assumption": "oil price in the budget", "exchange_rate": "rouble per dollar",
    "exchange_rate_change": "change of the rouble rate",
    "budget_exchange_rate_assumption": "rouble rate in the budget", "oil_exports": "oil exports",
    "oil_output": "oil output", "sanctions_waiver_days": "sanctions waiver, days", "other": "",
}


_SUBJECT = re.compile(_OG, re.IGNORECASE)
# Words that make a sum something else than the article's subject.
_OTHER_SUBJECT = re.compile(r"дефицит|расход|ФНБ|фонд|демпфер|продаж|ВВП|экспорт|импорт|санкц",
                            re.IGNORECASE)


# Metrics a list carries on to its next items (a component such as the NDD or the base level does not).
_LISTED = frozenset({"oil_gas_revenue", "damper_payments", "fx_sales_daily", "fx_sales_total", "nwf_total",
                     "nwf_liquid_assets", "budget_deficit"})


# What a "в N раза" names is the quantity of the figure before it, without that figure's own qualifier.
_SUFFIX = re.compile(r"_(?:yoy_change|mom_change|shortfall|base|change)\Z")


def fill_in(text: str, raws: Sequence[Any], body_start: int) -> None:
    """Label the figures the vocabulary left as ``other``. A multiplicative change («в N раза») is a
    factor of the quantity named just before it (``oil_gas_revenue_factor``). A sum that continues a list
    of its paragraph takes the list's metric ("в январе ... 156,4 млрд руб., в феврале — 148,3 млрд"); any
    other rouble sum in billions or trillions of an article about oil and gas revenue (НГД, нефтегазовые
    доходы) is that revenue ("За январь–февраль бюджет собрал 1,56 трлн руб.")."""
    about_revenue = _SUBJECT.search(text, body_start) is not None
    for i, raw in enumerate(raws):
        if raw.unit == "times" and raw.metric == "other":
            named = [r for r in raws[:i] if r.metric != "other"
                     and raw.sentence_index - r.sentence_index <= 1]
            raw.metric = f"{_SUFFIX.sub('', named[-1].metric)}_factor" if named else "other"
            continue
        if raw.metric != "other" or raw.unit not in CURRENCIES or raw.scale not in ("billion", "trillion"):
            continue
        before = [r for r in raws[:i] if r.unit == raw.unit and r.sentence.paragraph == raw.sentence.paragraph
                  and r.metric != "other"]
        if before and raw.sentence_index - before[-1].sentence_index <= 1 and before[-1].metric in _LISTED:
            raw.metric = before[-1].metric
        elif about_revenue and raw.unit == "RUB" and not _OTHER_SUBJECT.search(
                text, raw.sentence.start, raw.sentence.end):
            raw.metric = "oil_gas_revenue"
