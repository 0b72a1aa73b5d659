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
from oilimpact.params import is_month
from oilimpact.project import atomic_write, data_dir, relative_to_root
from oilimpact.provenance import Source

SERIES = {
    "og_revenue": "bn RUB", "urals_tax_price": "USD/bbl", "rub_usd_avg": "RUB per USD",
    "met_oil": "bn RUB", "ndd": "bn RUB", "damper": "bn RUB", "export_duty": "bn RUB",
    "oil_tax_revenue": "bn RUB",
    "og_additional_revenue_expected": "bn RUB", "fx_operations_daily": "bn RUB per day",
}
"""The series of ``data/history.csv``, and their units."""
GATHERED_SERIES = frozenset(SERIES) - {"og_additional_revenue_expected", "fx_operations_daily"}
"""The series :func:`import_gathered` takes from the gathered record (the last two come from
``oilimpact ingest``: MinFin's expected additional O&G revenue and its daily currency operations)."""
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
        if series not in series_kept or not is_month(period):
            continue
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


def import_gathered(folder: str | Path) -> list[Row]:
    """Read ``folder/og_history_2023_2025.csv`` (the gathered record) and :func:`choose` from it."""
    path = Path(folder) / GATHERED
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OilImpactError(f"cannot read the gathered history: {exc.strerror}", where=path) from None
    reader = csv.DictReader(io.StringIO(text))
    needed = {"series", "period", "value", "confidence", "source_url", "quote"}
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise OilImpactError(f"missing columns {', '.join(sorted(missing))}", where=path)
    rows = choose(reader)
    daily = Path(folder) / DAILY_RATES
    if daily.is_file():
        covered = {r.period for r in rows if r.series == "rub_usd_avg"}
        rows += [r for r in derived_rates(daily) if r.period not in covered and r.period > max(covered)]
    return sorted(rows, key=lambda r: (r.series, r.period))


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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OilImpactError("missing; run `oilimpact history --from ../shared/history --write data`",
                             where=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OilImpactError(f"cannot read: {exc}", where=shown) from None
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
