"""Figures from Russian articles: number formats, scale words and month names in their cases, units,
qualifiers, signs, multiplicative changes, periods, exchange rates, non-figures, metrics, mixed folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oilimpact.articles import Figure, extract_figures, figures_frame, read_article, read_corpus
from oilimpact.articles.lang import language_of
from oilimpact.articles.ru_metrics import GLOSSES, RU_METRIC_RULES
from oilimpact.articles.ru_vocab import month_of, scale_of

SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
MONTHS_BY_CASE = {  # nominative, genitive, prepositional, accusative after "за", adjective
    1: ["январь", "января", "январе", "январский"], 2: ["февраль", "февраля", "феврале", "февральский"],
    3: ["март", "марта", "марте", "мартовский"], 4: ["апрель", "апреля", "апреле", "апрельский"],
    5: ["май", "мая", "мае", "майский"], 6: ["июнь", "июня", "июне", "июньский"],
    7: ["июль", "июля", "июле", "июльский"], 8: ["август", "августа", "августе", "августовский"],
    9: ["сентябрь", "сентября", "сентябре", "сентябрьский"],
    10: ["октябрь", "октября", "октябре", "октябрьский"],
    11: ["ноябрь", "ноября", "ноябре", "ноябрьский"], 12: ["декабрь", "декабря", "декабре", "декабрьский"],
}
PREPOSITIONAL = {n: forms[2] for n, forms in MONTHS_BY_CASE.items()}
SCALES_BY_CASE = {
    "billion": ["млрд", "миллиард", "миллиарда", "миллиардов"],
    "trillion": ["трлн", "триллион", "триллиона", "триллионов"],
    "million": ["млн", "миллион", "миллиона", "миллионов"],
    "thousand": ["тыс.", "тысяча", "тысячи", "тысяч"],
}


def figures_of(tmp_path: Path, body: str, date: str = "2026-02-04", name: str = "ru.txt") -> list[Figure]:
    path = tmp_path / name
    path.write_text(f" date {date} {body}", encoding="utf-8")
    return extract_figures(read_article(path))


def one(figures: list[Figure], text: str) -> Figure:
    found = [f for f in figures if f.text == text]
    assert len(found) == 1, (text, [f.text for f in figures])
    return found[0]


# --- numbers, scales, units ----------------------------------------------------------------


def test_decimal_comma_billion_roubles(tmp_path):
    figures = figures_of(tmp_path, "Нефтегазовые доходы в январе составили 432,3 млрд рублей.")
    f = one(figures, "432,3 млрд рублей")
    assert (f.value, f.scale, f.unit, f.qualifier, f.period, f.metric) == (
        432.3, "billion", "RUB", "exact", "2026-01", "oil_gas_revenue")


def test_a_comma_before_three_digits_is_decimal(tmp_path):
    f = one(figures_of(tmp_path, "Добыча составила 9,326 млн б/с."), "9,326 млн б/с")
    assert (f.value, f.scale, f.unit) == (9.326, "million", "bbl/day")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(thousands=st.integers(1, 999), rest=st.integers(0, 999), space=st.sampled_from(SPACES),
       scale=st.sampled_from(sorted(SCALES_BY_CASE)), form=st.integers(0, 3))
def test_grouped_thousands_with_any_space_and_every_form_of_the_scale_word(tmp_path, thousands, rest, space,
                                                                             scale, form):
    number = f"{thousands}{space}{rest:03d}"
    word = SCALES_BY_CASE[scale][form]
    body = f"По итогам года бюджет получил {number} {word} рублей нефтегазовых доходов."
    figures = figures_of(tmp_path, body)
    assert [(f.value, f.scale, f.unit) for f in figures] == [(thousands * 1000 + rest, scale, "RUB")]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(whole=st.integers(0, 999), decimals=st.integers(1, 99), sign=st.sampled_from(["−", "-", "+", ""]),
       unit=st.sampled_from([("%", "percent"), (" млрд ₽", "RUB"), (" млрд руб.", "RUB"), (" долл.", "USD")]))
def test_decimal_comma_and_printed_sign(tmp_path, whole, decimals, sign, unit):
    text, code = unit
    body = f"Показатель бюджета в январе: {sign}{whole},{decimals} {text.strip()} за месяц."
    figures = figures_of(tmp_path, body)
    value = float(f"{whole}.{decimals}") * (-1 if sign in ("−", "-") else 1)
    assert [(f.value, f.unit.split("/")[0]) for f in figures] == [(value, code)]


@pytest.mark.parametrize(("body", "text", "unit"), [
    ("Продажи составят 5,6 млрд рублей в день.", "5,6 млрд рублей в день", "RUB/day"),
    ("Продажи составят 11,9 млрд ₽/день.", "11,9 млрд ₽/день", "RUB/day"),
    ("Средняя цена Urals составила 53,68 долл. США за баррель.", "53,68 долл. США за баррель", "USD/bbl"),
    ("Цена Urals опустилась до $39,18/барр. в декабре.", "до $39,18/барр.", "USD/bbl"),
    ("Экспорт составил 3,42 млн баррелей в сутки.", "3,42 млн баррелей в сутки", "bbl/day"),
    ("В фонде 209,2 млрд юаней.", "209,2 млрд юаней", "CNY"),
    ("Дефицит превысил план на 2,1 п.п. по итогам года.", "2,1 п.п.", "percent"),
    ("Разрыв сократился на 0,4 п.п в марте.", "0,4 п.п", "percent"),
    ("Базовая ставка — 919 руб. за тонну.", "919 руб. за тонну", "RUB/t"),
    ("Выручка составила 1,2 трлн руб за год.", "1,2 трлн руб", "RUB"),
    ("Минфин направит на покупку валюты 2,7 млрд руб. ежедневно.", "2,7 млрд руб.", "RUB/day"),
    ("Экспорт — 4,7 млн барр./сут. в феврале.", "4,7 млн барр./сут.", "bbl/day"),
    ("Курс евро — 95,1 руб., юаня — 12,3 руб.", "95,1 руб.", "RUB/EUR"),
    ("Курс евро — 95,1 руб., юаня — 12,3 руб.", "12,3 руб.", "RUB/CNY"),
])
def test_units(tmp_path, body, text, unit):
    assert one(figures_of(tmp_path, body), text).unit == unit


@pytest.mark.parametrize(("body", "text", "value"), [
    ("ЦБ установил курс на уровне 78,85 руб. за доллар.", "78,85 руб. за доллар", 78.85),
    ("Курс ЦБ на 10.02 — 77,65 ₽/$.", "77,65 ₽/$", 77.65),
    ("Бюджет исходит из курса 92,2 рубля за $1.", "92,2 рубля за $1", 92.2),
    ("Курс составил 78,2267 руб. за 1 долл. в среду.", "78,2267 руб. за 1 долл.", 78.2267),
    ("Официальный курс доллара на 10 марта — 79,15 руб.", "79,15 руб.", 79.15),
])
def test_exchange_rates(tmp_path, body, text, value):
    f = one(figures_of(tmp_path, body), text)
    assert (f.value, f.unit, f.metric in ("exchange_rate", "budget_exchange_rate_assumption")) == (
        value, "RUB/USD", True)


def test_roubles_for_a_barrel(tmp_path):
    f = one(figures_of(tmp_path, "Рублевая цена барреля сложилась на уровне 3 073 руб. в декабре."),
            "3 073 руб.")
    assert (f.value, f.unit, f.period) == (3073, "RUB/bbl", "2025-12")


# --- ranges, qualifiers, signs, multiplicative changes -----------------------------------------


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(low=st.integers(1, 80), gap=st.integers(1, 20), dash=st.sampled_from(["–", "-", "—"]),
       form=st.sampled_from(["{a}{d}{b} долларов за баррель", "${a}{d}{b} за баррель",
                             "от {a} до {b} долларов за баррель",
                             "в диапазоне {a}{d}{b} долларов за баррель"]))
def test_ranges(tmp_path, low, gap, dash, form):
    phrase = form.format(a=low, b=low + gap, d=dash)
    figures = figures_of(tmp_path, f"Дисконт Urals держался {phrase} в январе.")
    assert [(f.value, f.value_high, f.qualifier, f.unit) for f in figures] == [
        (low, low + gap, "range", "USD/bbl")]


def test_from_a_to_b_after_a_change_is_two_levels(tmp_path):
    figures = figures_of(tmp_path, "Цена Brent выросла с $71 на 27 февраля до $104 на 9 марта.", "2026-03-10")
    assert [(f.value, f.qualifier, f.period) for f in figures] == [
        (71, "exact", "2026-02-27"), (104, "exact", "2026-03-09")]


@pytest.mark.parametrize(("words", "qualifier"), [
    ("около", "about"), ("порядка", "about"), ("почти", "about"), ("примерно", "about"), ("~", "about"),
    ("более", "more_than"), ("свыше", "more_than"), ("чуть выше", "more_than"), ("менее", "less_than"),
    ("ниже", "less_than"), ("не менее", "at_least"), ("не выше", "up_to"), ("до", "up_to"),
])
def test_qualifiers(tmp_path, words, qualifier):
    figures = figures_of(tmp_path, f"Цена Urals в январе была {words} $40 за баррель.")
    assert [(f.value, f.qualifier, f.text.split("$")[0].strip()) for f in figures] == [(40, qualifier, words)]


@pytest.mark.parametrize(("body", "text", "value"), [
    ("Доходы сократились на 50,2% в январе.", "50,2%", -50.2),
    ("Доходы снизились почти на 53% в мае.", "почти на 53%", -53),
    ("За 11 месяцев поступило 8 029 млрд руб. — на 22,4% меньше, чем годом ранее.", "22,4%", -22.4),
    ("Недобор в прошлом месяце составил 182,2 млрд руб.", "182,2 млрд руб.", -182.2),
    ("Результат оказался ниже на 170 млрд руб.", "170 млрд руб.", -170),
    ("Выплаты сократились до 16,9 млрд рублей.", "до 16,9 млрд рублей", 16.9),
    ("Доходы выросли на 15% за месяц.", "15%", 15),
    ("Дефицит бюджета составил 5,6 трлн ₽ в 2025 году.", "5,6 трлн ₽", 5.6),
    ("Отклонение составило минус 39,8 млрд руб.", "39,8 млрд руб.", -39.8),
])
def test_signs(tmp_path, body, text, value):
    assert one(figures_of(tmp_path, body), text).value == value


@pytest.mark.parametrize(("body", "text", "value", "qualifier"), [
    ("Поступления уменьшились почти в 2 раза.", "почти в 2 раза", -2, "about"),
    ("Декабрь принес почти в 1,8 раза меньше, чем год назад.", "почти в 1,8 раза", -1.8, "about"),
    ("Дефицит оказался в 4,7 раза больше плана.", "в 4,7 раза", 4.7, "exact"),
    ("Минфин увеличит продажи более чем в 2 раза.", "более чем в 2 раза", 2, "more_than"),
    ("Цены упали в 1,9 раза за год.", "в 1,9 раза", -1.9, "exact"),
])
def test_multiplicative_changes(tmp_path, body, text, value, qualifier):
    f = one(figures_of(tmp_path, body), text)
    assert (f.value, f.unit, f.qualifier) == (value, "times", qualifier)


# --- periods ---------------------------------------------------------------------------------


@settings(max_examples=48, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=st.integers(1, 12),
       form=st.sampled_from(["в {p}", "за {n}", "по итогам {g}", "{a} результат —"]))
def test_a_month_in_any_case_is_the_month_most_recent_before_the_article(tmp_path, month, form):
    nominative, genitive, prepositional, adjective = MONTHS_BY_CASE[month]
    words = form.format(p=prepositional, n=nominative, g=genitive, a=adjective.capitalize())
    figures = figures_of(tmp_path, f"Нефтегазовые доходы {words} 530,9 млрд рублей.", "2026-02-04")
    year = 2026 if month <= 2 else 2025
    assert [f.period for f in figures] == [f"{year}-{month:02d}"]


@pytest.mark.parametrize(("body", "period"), [
    ("За январь–февраль бюджет собрал 1,56 трлн руб.", "2026-01..2026-02"),
    ("В январе—феврале 2026 года курс колебался от 75,73 до 78,85 руб. за доллар.", "2026-01..2026-02"),
    ("По итогам I квартала доходы составили 2,64 трлн руб.", "2025-Q1"),
    ("Первое полугодие принесло 4,73 трлн руб.", "2025-01..2025-06"),
    ("В третьем квартале НГД составили 2,5 трлн руб.", "2025-Q3"),
    ("НГД за 4 кв. 2025 г. — около 1,87 трлн ₽.", "2025-Q4"),
    ("За 11 месяцев поступило 8 029 млрд руб.", "2025-01..2025-11"),
    ("По итогам 2025 года сектор принес 8 480 млрд руб.", "2025"),
    ("ФНБ на 1 ноября составлял 4,2 трлн руб.", "2025-11-01"),
    ("Продажи с 5 декабря по 15 января составят 5,6 млрд рублей в день.", "2025-12-05..2026-01-15"),
    ("Продажи с 06.02 по 05.03 — 11,9 млрд ₽/день.", "2026-02-06..2026-03-05"),
    ("Новый потолок $44,10 за баррель действует с 1 февраля.", "2026-02-01.."),
    ("Недобор в прошлом месяце составил 182,2 млрд руб.", "2026-01"),
    ("В декабре доходы составили 447,8 млрд руб., годом ранее — 790,2 млрд руб.", "2025-12"),
])
def test_periods(tmp_path, body, period):
    figures = figures_of(tmp_path, body, "2026-01-15" if "I квартала" in body else "2026-02-04")
    assert figures[0].period == period, [(f.text, f.period) for f in figures]


def test_a_year_earlier_moves_the_period_back(tmp_path):
    body = "В декабре доходы составили 447,8 млрд руб., годом ранее — 790,2 млрд руб."
    figures = figures_of(tmp_path, body)
    assert [f.period for f in figures] == ["2025-12", "2024-12"]


def test_a_budget_assumption_takes_the_budgets_year(tmp_path):
    body = "Urals держится ниже заложенных в бюджет $59 за баррель."
    assert one(figures_of(tmp_path, body, "2026-01-15"), "$59 за баррель").period == "2026"


# --- not figures -----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    "Сообщение № 1234 от 3 декабря 2025 года, 17:30.",
    "Согласно ст. 96.10 БК РФ и ст. 342 НК РФ средства переводятся в фонд.",
    "Данные на 01.02 и на 15.01.2026 опубликованы в 2026 году.",
    "ЕС одобрил 18-й пакет санкций, 19-й готовится, в 2024-м и в бюджете-2025 о нем не было речи.",
    "Телефон редакции: +7 (495) 555-18-40.",
    "👁 12 408 · 3 мин · Поделиться: 57 · 23 517 просмотров",
    "За 11 месяцев и за 4 недели по 11 января; 4 кв. 2025 г. завершился.",
    "Компании G7 и COVID-19 упомянуты в канале Нефтерубль 24/7.",
])
def test_not_figures(tmp_path, body):
    assert figures_of(tmp_path, body, "2025-12-03") == []


# --- metrics, language, a mixed folder ----------------------------------------------------------


@pytest.mark.parametrize(("body", "text", "metric"), [
    ("НДПИ на нефть принес 405 млрд руб. в мае.", "405 млрд руб.", "ndpi_revenue"),
    ("Налог на дополнительный доход (327,8 млрд руб.) поступил в октябре.", "327,8 млрд руб.", "ndd_revenue"),
    ("Выплаты по демпферу составили 64,7 млрд ₽ в ноябре.", "64,7 млрд ₽", "damper_payments"),
    ("Средняя цена Urals для налогообложения составила $44,59 за баррель.", "$44,59 за баррель",
     "urals_price"),
    ("Ожидаемый объем дополнительных нефтегазовых доходов оценивается в −137,6 млрд рублей.",
     "−137,6 млрд рублей", "og_additional_revenue_expected"),
    ("Минфин будет продавать валюту на 5,6 млрд рублей в день.", "5,6 млрд рублей в день", "fx_sales_daily"),
    ("Ликвидные активы ФНБ составили 4,23 трлн ₽ на 01.02.", "4,23 трлн ₽", "nwf_liquid_assets"),
    ("Дефицит бюджета составил 5,6 трлн ₽ в 2025 году.", "5,6 трлн ₽", "budget_deficit"),
    ("Поступления НДПИ снизились на 23,1% до 702,9 млрд рублей.", "до 702,9 млрд рублей", "ndpi_revenue"),
    ("Всего с 7 апреля по 12 мая будет продано валюты на 55,2 млрд рублей.", "55,2 млрд рублей",
     "fx_sales_total"),
    ("Дефицит бюджета за первый квартал составил 2,17 трлн рублей. ФНБ пополнится.", "2,17 трлн рублей",
     "budget_deficit"),
])
def test_metrics_of_the_models_series(tmp_path, body, text, metric):
    assert one(figures_of(tmp_path, body), text).metric == metric


def test_every_russian_metric_has_an_english_gloss():
    assert {rule.metric for rule in RU_METRIC_RULES} <= set(GLOSSES)


def test_language_of_an_article_and_a_quoted_passage():
    assert language_of("Нефтегазовые доходы бюджета в январе") == "ru"
    assert language_of("Oil and gas revenue fell 50% in January, «Рубикон»") == "en"


def test_vocabulary_reads_every_case():
    words = ("январе", "мая", "майские", "мартовский", "нояб.", "дек")
    assert [month_of(w) for w in words] == [1, 5, 5, 3, 11, 12]
    assert [scale_of(w) for w in ("миллиардов", "трлн", "тысяч", "млн")] == [
        "billion", "trillion", "thousand", "million"]


def test_a_mixed_folder_gives_one_table(tmp_path):
    (tmp_path / "en.txt").write_text(" date 2026-02-04 In January, oil and gas revenue fell 50.2% to 393.3 "
                                     "billion roubles.", encoding="utf-8")
    (tmp_path / "ru.txt").write_text(" date 2026-02-04 Нефтегазовые доходы в январе сократились на 50,2%, до "
                                     "393,3 млрд рублей.", encoding="utf-8")
    frame = figures_frame(read_corpus(tmp_path).figures)
    rows = sorted(zip(frame["source"], frame["value"], frame["unit"], frame["period"], strict=True))
    assert rows == [("en.txt", -50.2, "percent", "2026-01"), ("en.txt", 393.3, "RUB", "2026-01"),
                    ("ru.txt", -50.2, "percent", "2026-01"), ("ru.txt", 393.3, "RUB", "2026-01")]
    assert set(frame.columns) >= {"metric", "qualifier", "period_start", "sentence"}
    assert {f.period_start for f in read_corpus(tmp_path).figures} == {dt.date(2026, 1, 1)}


def test_an_english_article_quoting_a_russian_sentence_reads_each_in_its_language(tmp_path):
    body = ("In 2025, oil and gas revenue fell 24% to 8.48 trillion roubles, the Finance Ministry said.\n"
            "«Нефтегазовые доходы в январе сократились на 50,2%, до 393,3 млрд рублей», — говорится в "
            "сообщении.\n"
            "Urals averaged $39.18 a barrel in December.")
    figures = figures_of(tmp_path, body, "2026-02-04")
    assert [(f.text, f.value, f.unit, f.scale, f.period) for f in figures] == [
        ("24%", -24, "percent", "", "2025"),
        ("8.48 trillion roubles", 8.48, "RUB", "trillion", "2025"),
        ("50,2%", -50.2, "percent", "", "2026-01"),
        ("до 393,3 млрд рублей", 393.3, "RUB", "billion", "2026-01"),
        ("$39.18 a barrel", 39.18, "USD/bbl", "", "2025-12"),
    ]


def test_a_russian_quote_inside_a_long_english_report(tmp_path):
    english = ("The Finance Ministry published its monthly figures on Wednesday, and analysts in Moscow said "
               "the numbers confirmed that the budget rule is draining the wealth fund faster than planned. ")
    body = english + "Минфин сообщил: «доходы составили 432,3 млрд рублей»." + "\n" + english
    assert language_of(body) == "en"
    f = one(figures_of(tmp_path, body), "432,3 млрд рублей")
    assert (f.value, f.unit, f.scale) == (432.3, "RUB", "billion")
