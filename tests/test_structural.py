"""The sourced history and the structural model's terms (the real-time protocol, backtest and nowcast:
tests/test_realtime.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oilimpact.errors import OilImpactError
from oilimpact.model import kc, structural
from oilimpact.model.history import choose, load_history
from oilimpact.project import data_dir


@pytest.fixture(scope="module")
def data() -> structural.Data:
    return structural.load_data()


# --- history ---------------------------------------------------------------------------------------


def test_history_keeps_one_sourced_value_per_series_and_month():
    history = load_history()
    revenue = history["og_revenue"]
    assert len(revenue) == 36 and min(revenue) == "2023-01" and max(revenue) == "2025-12"
    assert (revenue["2023-01"].value, revenue["2023-01"].n_values) == (425.5, 3)  # not the rounded 426
    assert revenue["2024-03"].value == 1308  # "1.308 trillion" over "almost 1.31 trillion"
    assert revenue["2023-12"].confidence == "I"  # annual − Jan–Nov: the one month not printed
    assert history["rub_usd_avg"]["2024-03"].value == 91.6971  # derived daily mean over the rounded 91.69
    assert history["rub_usd_avg"]["2026-01"].value == 77.5632
    assert history["urals_tax_price"]["2025-12"].value == 39.18
    assert history["urals_tax_price"]["2023-05"].confidence == "I"  # 53.34, from the FX-operations record
    # the budget rule's announcements (fx_operations_2023_2026.csv; a paused month prints no number)
    assert history["og_additional_revenue_expected"]["2026-01"].value == -231.9
    assert history["og_additional_revenue_deviation"]["2025-12"].value == 39.8  # dated by the month it is of
    assert history["fx_operations_total"]["2026-01"].value == -192.1
    assert "2026-03" not in history["fx_operations_total"]
    assert all(
        row.source_url and row.quote
        for rows in history.values()
        for row in rows.values()
        if row.confidence == "V"
    )


def test_the_choice_rule():
    def row(value, confidence="V", url="x", series="og_revenue"):
        return {
            "series": series,
            "period": "2024-01",
            "value": value,
            "confidence": confidence,
            "source_url": url,
            "source_title": "",
            "page_date": "",
            "quote": "q",
        }

    assert choose([row("426"), row("425.5")])[0].value == 425.5  # more precise
    assert choose([row("1305.7", "I"), row("1310")])[0].value == 1310  # printed beats inferred
    assert (
        choose([row("700", url="reuters"), row("700.0", url="minfin.gov.ru")])[0].source_url
        == "minfin.gov.ru"
    )
    rates = [row("91.69", series="rub_usd_avg"), row("91.6971", "I", series="rub_usd_avg")]
    assert choose(rates)[0].value == 91.6971  # for the rate, precision first
    assert choose([row("1"), row("2")])[0].value == 1  # ties: the first row


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("og_revenue,2025-13,1,bn RUB,V,1,u,t,d,q\n", "period '2025-13' is not a month"),
        ("og_revenue,2025-01,x,bn RUB,V,1,u,t,d,q\n", "value 'x' is not a number"),
        (
            "og_revenue,2025-01,1,bn RUB,V,1,u,t,d,q\nog_revenue,2025-01,2,bn RUB,V,1,u,t,d,q\n",
            "appears twice",
        ),
        (
            "og_revenue,2025-02,1,bn RUB,V,1,u,t,d,q\nog_revenue,2025-01,2,bn RUB,V,1,u,t,d,q\n",
            "list months in order",
        ),
        ("oil_revenue,2025-01,1,bn RUB,V,1,u,t,d,q\n", "unknown series 'oil_revenue'"),
    ],
)
def test_a_broken_history_file_names_the_line(tmp_path, text, message):
    header = (data_dir() / "history.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "history.csv"
    path.write_text(header + "\n" + text, encoding="utf-8")
    with pytest.raises(OilImpactError, match=message) as error:
        load_history(path)
    assert "history.csv:" in str(error.value)


# --- the tax terms on published numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "rate", "published"),
    [
        (72.37, 90.5918, 19.9128),  # November 2023, FNS letter
        (74.98, 92.8884, 21.3465),  # April 2024
        (63.44, 102.4737, 19.0185),  # December 2024
        (58.99, 86.0987, 14.5114),  # March 2025
        (52.08, 80.4603, 11.4309),  # May 2025
    ],
)
def test_kc_reproduces_the_published_coefficient(price, rate, published):
    assert float(kc(price, rate)) == pytest.approx(published, abs=6e-4)


def test_ndd_is_paid_on_its_calendar():
    assert structural.ndd_quarter("2025-04") == ["2025-01", "2025-02", "2025-03"]
    assert structural.ndd_quarter("2025-10") == ["2025-07", "2025-08", "2025-09"]
    assert structural.ndd_quarter("2025-03") == ["2024-10", "2024-11", "2024-12"]  # the annual settlement
    assert [m for m in (f"2025-{k:02d}" for k in range(1, 13)) if structural.ndd_quarter(m)] == [
        "2025-03",
        "2025-04",
        "2025-07",
        "2025-10",
    ]


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=12),
       st.sampled_from([11, 12, 1, 2, 3]))
def test_any_twelve_consecutive_months_of_the_gas_season_sum_to_zero(start, other, peak):
    from oilimpact.model import revenue

    months = (np.arange(start, start + 12) - 1) % 12 + 1
    assert revenue.gas_season(months, peak).sum() == pytest.approx(0.0, abs=1e-9)
    # symmetric about its peak: month peak + k and peak − k have the same season
    mirror = (2 * peak - other - 1) % 12 + 1
    assert revenue.gas_season(other, peak) == pytest.approx(revenue.gas_season(mirror, peak))
    assert revenue.gas_season(peak, peak) == pytest.approx(1.0)


def test_the_season_peak_is_no_constant_of_the_code():
    from oilimpact.model import revenue

    assert not hasattr(revenue, "SEASON_PEAK_MONTH")  # chosen per origin (model/realtime.py)
    with pytest.raises(TypeError):
        revenue.gas_season(1)  # the peak is an argument, never a default


def test_the_2023_export_duty_is_a_term_and_is_gone_from_2024(data):
    assert data.inputs("2023-02").duty > 0
    assert data.inputs("2024-03").duty == 0


def test_more_oil_income_never_lowers_the_prediction(data):
    choice = structural.Choice(12, damper_trend=False, robust=False)
    model = structural.fit(data, [m for m in data.revenue if m <= "2025-12"], choice)
    base = data.inputs("2025-12")
    richer = structural.Inputs(base.month, base.price + 10, base.rate, base.gross * 1.5, base.ndd_base, 0.0)
    assert model.coefficients["met"] > 0 and model.coefficients["ndd"] > 0
    assert model.predict(richer) > model.predict(base)


def test_a_robust_fit_counts_february_2024_less(data):
    months = [m for m in data.revenue if m <= "2025-12"]
    robust = structural.fit(data, months, structural.Choice(12, damper_trend=False, robust=True))
    plain = structural.fit(data, months, structural.Choice(12, damper_trend=False, robust=False))
    assert robust.weights["2024-02"] < 0.5 < min(w for m, w in robust.weights.items() if m.startswith("2025"))
    assert set(plain.weights.values()) == {1.0}
