"""Monthly history 2023–2025, one sourced value per series and month: ``data/history.csv``.

Built from the gathered record in ``../shared/history/`` (``oilimpact history --from DIR --write data``)
and read only from ``data/`` afterwards. The gathered file keeps every print it found (several per month
where sources differ); :func:`choose` keeps one per series and month by this rule:

1. a value printed on the page (confidence ``V``) over one inferred by arithmetic (``I``);
2. then the more precise print (more significant digits: "425.5" over "426", "1.308 trillion" over
   "almost 1.31 trillion");
3. then the Finance Ministry's own table or release (its address or title names it);
4. then the first row in the file.

For ``rub_usd_avg`` the order of 1 and 2 is swapped: the value derived from the daily CBR rates (four
decimals, Tax Code art. 342's "average over all days of the tax period") beats a rounded print ("91.69"),
and reproduces every four-decimal print exactly. Each kept row keeps its page address, page date and
quote, and ``n_values`` says how many distinct values were stored for that month.

Periods: revenue series by the month the money was received; ``urals_tax_price`` and ``rub_usd_avg``
by the month the price refers to (taxes received in month m are computed from month m−1's).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from oilimpact.errors import OilImpactError
from oilimpact.model.schemas import PRICE_BAND, Domain
from oilimpact.params import is_month
from oilimpact.project import atomic_write, data_dir, read_text, relative_to_root
from oilimpact.provenance import Source

SERIES = {
    "og_revenue": "bn RUB", "urals_tax_price": "USD/bbl", "rub_usd_avg": "RUB per USD",
    "met_oil": "bn RUB", "ndd": "bn RUB", "damper": "bn RUB", "export_duty": "bn RUB",
    "oil_tax_revenue": "bn RUB",
    "og_additional_revenue_expected": "bn RUB", "og_additional_revenue_deviation": "bn RUB",
    "fx_operations_total": "bn RUB", "fx_operations_daily": "bn RUB per day",
}
"""The series of ``data/history.csv``, and their units. The budget rule's four (the ministry's
expected additional O&G revenue of the announcement month, the deviation of the month it refers to, the
FX operation's total and daily amount by announcement month; + purchase, − sale) also come from
``oilimpact ingest``."""
SERIES_DOMAINS: dict[str, Domain] = {
    "og_revenue": Domain(0, 1e5), "urals_tax_price": PRICE_BAND, "rub_usd_avg": Domain(0, 1000),
    "met_oil": Domain(0, 1e5), "ndd": Domain(0, 1e5, low_closed=True),
    "damper": Domain(-1e5, 1e5, low_closed=True), "export_duty": Domain(0, 1e5, low_closed=True),
    "oil_tax_revenue": Domain(0, 1e5),
    "og_additional_revenue_expected": Domain(-1e5, 1e5, low_closed=True),
    "og_additional_revenue_deviation": Domain(-1e5, 1e5, low_closed=True),
    "fx_operations_total": Domain(-1e5, 1e5, low_closed=True),
    "fx_operations_daily": Domain(-1e4, 1e4, low_closed=True),
}
"""What each series' value can be: a revenue month of 0, a CBR rate of 0 or a tax price of $1e300 is
a typo, not history (a month's O&G revenue has been 400–1,700 bn RUB; the damper and the currency
operations can be negative)."""
GATHERED_SERIES = frozenset(SERIES)
"""The series :func:`import_gathered` takes from the gathered record."""
COLUMNS = ("series", "period", "value", "unit", "confidence", "n_values", "source_url", "source_title",
           "page_date", "quote")
HISTORY_SOURCE = Source(
    "assumption",
    "History 2023–2025: monthly O&G revenue, Urals tax price and CBR rate, one sourced value per month "
    "from MinFin tables and releases, Reuters, Bloomberg, Interfax and FNS letters",
    "data/history.csv",
)
"""The citation of ``data/history.csv`` as a whole (each row carries its own page and quote)."""
GATHERED = "og_history_2023_2025.csv"
FX_OPERATIONS = "fx_operations_2023_2026.csv"
"""The gathered budget-rule announcements, read beside :data:`GATHERED` when present."""
DAILY_RATES = "cbr_usd_rub_daily.csv"
_PRECISE_FIRST = {"rub_usd_avg"}
_MINISTRY = re.compile(r"minfin|минфин", re.IGNORECASE)  # the Finance Ministry's own table or release


@dataclass(frozen=True)
class Row:
    series: str
    period: str
    value: float
    unit: str
    confidence: str
    n_values: int
    source_url: str
    source_title: str
    page_date: str
    quote: str


def _precision(text: str) -> int:
    """Significant digits as printed: "1308" (4) over "1310" (3, "almost 1.31 trillion"), "425.5" over
    "426", "91.6971" over "91.69"."""
    digits = text.strip().lstrip("-").replace(".", "").lstrip("0")
    return len(digits if "." in text else digits.rstrip("0"))


def choose(rows: Iterable[dict[str, str]], series_kept: Collection[str] = GATHERED_SERIES) -> list[Row]:
    """One row per (series, month) of ``series_kept``, by the rule in the module docstring."""
    best: dict[tuple[str, str], tuple[tuple, dict[str, str]]] = {}
    values: dict[tuple[str, str], set[float]] = {}
    for order, raw in enumerate(rows):
        series, period = raw["series"], raw["period"]
        if series not in series_kept or not is_month(period) or not raw["value"].strip():
            continue  # a blank value: an announced pause (March 2026), no number printed
        printed, precise = raw["confidence"] == "V", _precision(raw["value"])
        ministry = bool(_MINISTRY.search(raw.get("source_url", "") + " " + raw.get("source_title", "")))
        rank = ((precise, printed) if series in _PRECISE_FIRST else (printed, precise)) + (ministry, -order)
        key = (series, period)
        values.setdefault(key, set()).add(float(raw["value"]))
        if key not in best or rank > best[key][0]:  # ties: the earlier row (higher -order) stays
            best[key] = (rank, raw)
    chosen = []
    for (series, period), (_rank, raw) in sorted(best.items()):
        chosen.append(Row(series, period, float(raw["value"]), SERIES[series], raw["confidence"],
                          len(values[(series, period)]), raw["source_url"], raw["source_title"],
                          raw["page_date"], " ".join(raw["quote"].split())))
    return chosen


def _gathered_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one gathered file, each checked (:func:`_checked_gathered`)."""
    text = read_text(path, what="gathered history file")
    reader = csv.DictReader(io.StringIO(text))
    needed = {"series", "period", "value", "confidence", "source_url", "quote"}
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise OilImpactError(f"missing columns {', '.join(sorted(missing))}", where=path)
    return _checked_gathered(reader, relative_to_root(path))


def import_gathered(folder: str | Path) -> list[Row]:
    """Read ``folder/og_history_2023_2025.csv`` (the gathered record) and, when present, its budget-rule
    announcements (``fx_operations_2023_2026.csv``), and :func:`choose` from them."""
    raw = _gathered_rows(Path(folder) / GATHERED)
    if (Path(folder) / FX_OPERATIONS).is_file():
        raw += _gathered_rows(Path(folder) / FX_OPERATIONS)
    rows = choose(raw)
    daily = Path(folder) / DAILY_RATES
    if daily.is_file():
        covered = {r.period for r in rows if r.series == "rub_usd_avg"}
        rows += [r for r in derived_rates(daily) if r.period not in covered and r.period > max(covered)]
    return sorted(rows, key=lambda r: (r.series, r.period))


def _checked_gathered(reader: csv.DictReader, shown: str) -> list[dict[str, str]]:
    """The gathered rows of the series :func:`choose` keeps, each checked (file:line in errors): a real
    month, a finite number in the series' range (:data:`SERIES_DOMAINS`), a confidence V, I or S."""
    rows = []
    for line, raw in enumerate(reader, start=2):
        series, period = raw.get("series"), raw.get("period") or ""
        if series not in GATHERED_SERIES or not is_month(period) or not (raw.get("value") or "").strip():
            rows.append(raw)  # not kept by choose() (a blank value is an announced pause): no check
            continue
        try:
            value = float(raw.get("value") or "")
        except ValueError:
            raise OilImpactError(f"{series} {period}: value {raw.get('value')!r} is not a number",
                                 where=shown, line=line) from None
        domain = SERIES_DOMAINS[series]
        problem = domain.problem(value) if math.isfinite(value) else f"{value!r} is not finite"
        if problem is not None:
            raise OilImpactError(f"{series} {period}: value {problem}; accepted: a number "
                                 f"{SERIES_DOMAINS[series].accepted()}", where=shown, line=line)
        if raw.get("confidence") not in ("V", "I", "S"):
            raise OilImpactError(f"{series} {period}: confidence {raw.get('confidence')!r}; accepted: V, "
                                 "I or S", where=shown, line=line)
        rows.append(raw)
    return rows


def derived_rates(path: Path) -> list[Row]:
    """Monthly CBR averages as Tax Code art. 342 takes them — every calendar day counts, a day without
    a new rate takes the one last set — for each whole month of the daily file ``path``."""
    rates: dict[dt.date, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line, raw in enumerate(csv.DictReader(handle), start=2):
            try:
                rates[dt.date.fromisoformat(raw["date"])] = float(raw["usd_rub"])
            except (KeyError, TypeError, ValueError):
                raise OilImpactError("expected date,usd_rub with an ISO date and a number", where=path,
                                     line=line) from None
    days = sorted(rates)
    rows, day, last = [], days[0], None
    by_month: dict[str, list[float]] = {}
    while day <= days[-1]:
        last = rates.get(day, last)
        by_month.setdefault(day.strftime("%Y-%m"), []).append(last)
        day += dt.timedelta(days=1)
    for month, values in by_month.items():
        year, mon = int(month[:4]), int(month[5:])
        partial = len(values) < calendar.monthrange(year, mon)[1] or month == days[0].strftime("%Y-%m")
        if partial or None in values:
            continue  # a month the file does not cover whole
        rows.append(Row("rub_usd_avg", month, round(sum(values) / len(values), 4), SERIES["rub_usd_avg"], "I",
                        1, path.name, "CBR daily USD/RUB rates (cbr_usd_rub_daily.csv)", "",
                        "derived: mean over the month's calendar days of the last CBR rate set on or before "
                        "each day (Tax Code art. 342)"))
    return rows


def history_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, c) if c != "value" else f"{row.value:g}" for c in COLUMNS])
    return out.getvalue()


INGEST_MARK = "(oilimpact ingest;"
"""Marks the source title of a row ``oilimpact ingest`` added from an article."""


def keep_ingested(rows: list[Row], existing: str | Path) -> tuple[list[Row], list[Row]]:
    """``rows`` (a rebuild from the gathered record) plus the rows of ``existing`` that ``oilimpact
    ingest`` added and the rebuild does not have (series and month): rebuilding the history keeps the
    months taken in from articles. Returns (all rows sorted, the ingested rows kept)."""
    path = Path(existing)
    if not path.is_file():
        return rows, []
    have = {(r.series, r.period) for r in rows}
    kept = [row for months in load_history(path).values() for row in months.values()
            if INGEST_MARK in row.source_title and (row.series, row.period) not in have]
    return sorted([*rows, *kept], key=lambda r: (r.series, r.period)), kept


def write_history(rows: Iterable[Row], folder: str | Path) -> Path:
    """Write ``folder/history.csv`` atomically."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OilImpactError("no such folder to write history.csv into", where=folder)
    atomic_write(folder / "history.csv", history_csv(rows))
    return folder / "history.csv"


def default_path() -> Path:
    return data_dir() / "history.csv"


def load_history(path: str | Path | None = None) -> dict[str, dict[str, Row]]:
    """``data/history.csv`` as ``{series: {YYYY-MM: Row}}``; every row checked (file:line in errors):
    known series, a real month, a finite number, one row per series and month, months in order."""
    path = Path(path) if path is not None else default_path()
    shown = relative_to_root(path)
    if not path.exists() and not path.is_symlink():
        raise OilImpactError("missing; run `oilimpact history --from ../shared/history --write data`",
                             where=shown)
    text = read_text(path, what="history file")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise OilImpactError(f"columns must be {', '.join(COLUMNS)}", where=shown, line=1)
    history: dict[str, dict[str, Row]] = {}
    for line, raw in enumerate(reader, start=2):
        series, period = raw["series"], raw["period"]
        if series not in SERIES:
            raise OilImpactError(f"unknown series {series!r}; expected one of {', '.join(SERIES)}",
                                 where=shown, line=line)
        if not is_month(period):
            raise OilImpactError(f"period {period!r} is not a month YYYY-MM", where=shown, line=line)
        try:
            value = float(raw["value"])
            n_values = int(raw["n_values"])
        except (TypeError, ValueError):
            raise OilImpactError(f"value {raw['value']!r} is not a number", where=shown, line=line) from None
        if not math.isfinite(value):
            raise OilImpactError(f"value {raw['value']!r} is not a finite number", where=shown, line=line)
        problem = SERIES_DOMAINS[series].problem(value)
        if problem is not None:
            raise OilImpactError(f"{series} {period}: value {problem} ({SERIES[series]}); accepted: a number "
                                 f"{SERIES_DOMAINS[series].accepted()}", where=shown, line=line)
        if n_values < 1:
            raise OilImpactError(f"n_values {raw['n_values']!r} must be an integer >= 1", where=shown,
                                 line=line)
        months = history.setdefault(series, {})
        if period in months:
            raise OilImpactError(f"{series} {period} appears twice; keep one row per series and month",
                                 where=shown, line=line)
        if months and period < max(months):
            raise OilImpactError(f"{series} {period} comes after {max(months)}; list months in order",
                                 where=shown, line=line)
        months[period] = Row(series, period, value, raw["unit"], raw["confidence"], n_values,
                             raw["source_url"], raw["source_title"], raw["page_date"], raw["quote"])
    missing = [s for s in ("og_revenue", "urals_tax_price", "rub_usd_avg") if s not in history]
    if missing:
        raise OilImpactError(f"no rows for {', '.join(missing)}", where=shown)
    return history
