"""The numbers behind a report's charts and tables, on their way from the notebook to the render step.

A chart or table shown in a notebook carries, in the same output, its numbers as a :class:`Table`
under :data:`MIME_TYPE` (the formatters :mod:`oilimpact.charts.data` registers); a notebook adds a
table that it does not show (the model's monthly table) with :func:`publish`. Like the key results
(:mod:`oilimpact.results`) the tables are invisible in HTML and PDF; :func:`collect_tables` reads them
back from the executed notebook, each with a stable file name, and the render step writes them as CSV
with a Frictionless ``datapackage.json`` (:mod:`oilimpact.report.datapackage`). Light: standard
library only (a frame is read through its own methods).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from oilimpact.outlets import outlet

MIME_TYPE = "application/vnd.oilimpact.table+json"

FieldType = Literal["string", "number", "integer", "boolean", "date", "yearmonth"]
Kind = Literal["chart", "table", "data"]

# Units read off a column name's ending (the model names its columns that way: og_revenue_bn_rub).
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_bn_rub", "bn RUB"), ("_usd_bbl", "USD/bbl"), ("_rub_usd", "RUB/USD"), ("_pct_gdp", "% of GDP"),
    ("_pct", "%"), ("_pp", "percentage points"), ("_usd", "USD/bbl"), ("_rub", "RUB"), ("_mbd", "mb/d"),
    ("_kbd", "kb/d"), ("_mb_d", "mb/d"), ("_days", "days"), ("_months", "months"),
)


@dataclass(frozen=True)
class Field:
    """One column: its name, Table Schema type, unit (may be empty) and title."""

    name: str
    type: FieldType = "string"
    unit: str = ""
    title: str = ""


@dataclass(frozen=True)
class Table:
    """A table of numbers: ``rows`` are lists in the order of ``fields``, values already plain
    (str, int, float, bool or None; dates as ISO text). ``sources`` are citations (title, path)."""

    name: str
    title: str
    kind: Kind
    fields: tuple[Field, ...]
    rows: tuple[tuple[Any, ...], ...]
    sources: tuple[tuple[str, str], ...] = ()
    description: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "kind": self.kind, "description": self.description,
            "fields": [{"name": f.name, "type": f.type, "unit": f.unit, "title": f.title}
                       for f in self.fields],
            "rows": [list(row) for row in self.rows],
            "sources": [{"title": title, "path": path} for title, path in self.sources],
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Table:
        return cls(
            name=str(payload.get("name", "")), title=str(payload.get("title", "")),
            kind=payload.get("kind", "data"), description=str(payload.get("description", "")),
            fields=tuple(Field(f["name"], f.get("type", "string"), f.get("unit", ""), f.get("title", ""))
                         for f in payload.get("fields", [])),
            rows=tuple(tuple(row) for row in payload.get("rows", [])),
            sources=tuple((s.get("title", ""), s.get("path", "")) for s in payload.get("sources", [])),
        )


def slug(text: str, limit: int = 40) -> str:
    """``text`` as a file-name part: lower case, ASCII letters and digits joined by ``-``, cut on a word."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("&", " and "))
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out or "table"


def unit_of(column: str) -> str:
    """The unit a column name ends in (``og_revenue_bn_rub`` → ``bn RUB``), or ``""``."""
    name = column.lower()
    for suffix, unit in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    return ""


def plain(value: Any) -> Any:
    """A cell as CSV and JSON carry it: numbers (NaN/inf → None), text, booleans, ISO dates."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_timestamp"):  # a pandas Period
        return plain(value.to_timestamp())
    if hasattr(value, "item"):  # a numpy scalar
        return plain(value.item())
    text = str(value)
    return None if text in ("NaT", "nan", "<NA>") else text


def field_type(values: Sequence[Any]) -> FieldType:
    """The narrowest Table Schema type that holds every (plain) value."""
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in present):
        return "yearmonth" if all(v.endswith("-01") for v in present) else "date"
    return "string"


def typed_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], units: Mapping[str, str] | None = None,
               ) -> tuple[tuple[Field, ...], tuple[tuple[Any, ...], ...]]:
    """Fields (typed from the values, units from ``units`` or the column names) and rows; a
    ``yearmonth`` column is written ``YYYY-MM``."""
    units = dict(units or {})
    cells = [tuple(plain(v) for v in row) for row in rows]
    fields: list[Field] = []
    for i, name in enumerate(columns):
        kind = field_type([row[i] for row in cells])
        fields.append(Field(name, kind, units.get(name, unit_of(name))))
        if kind == "yearmonth":
            cells = [(*row[:i], row[i][:7] if row[i] else None, *row[i + 1:]) for row in cells]
    return tuple(fields), tuple(cells)


def frame_table(frame: Any, title: str = "", *, name: str = "", kind: Kind = "data",
                units: Mapping[str, str] | None = None, sources: Iterable[Any] = (),
                description: str = "") -> Table:
    """A pandas DataFrame (or Series) as a :class:`Table`: its index becomes the first column(s)
    (``month`` for a monthly one), its columns the others (a MultiIndex header joined with " — ")."""
    if hasattr(frame, "to_frame") and not hasattr(frame, "columns"):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    data = frame.reset_index()
    index_names = [n for n in frame.index.names]
    columns = []
    for i, column in enumerate(data.columns):
        parts = column if isinstance(column, tuple) else (column,)
        text = " — ".join(str(p) for p in parts if str(p) != "")
        if i < len(index_names) and (index_names[i] is None or text in ("index", "level_0")):
            corner = getattr(frame.columns, "name", None)
            text = "month" if _is_monthly(frame.index) else str(corner) if corner else "row"
        columns.append(text or f"column {i + 1}")
    fields, rows = typed_rows(columns, _numbers_in_text(list(data.itertuples(index=False, name=None))), units)
    return Table(name, title, kind, fields, rows, cite(sources), description)


_NUMBER_TEXT = re.compile(r"[+\u2212-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?|[+\u2212-]?\d+(?:\.\d+)?")


def _numbers_in_text(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A column of numbers a table shows as text ("3,631", "+599", "−12.5") back to numbers, when every
    non-empty cell of it is one."""
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for i, column in enumerate(columns):
        texts = [v for v in column if isinstance(v, str) and v.strip()]
        if texts and len(texts) == sum(v is not None and v != "" for v in column) and all(
                _NUMBER_TEXT.fullmatch(v.strip()) for v in texts):
            columns[i] = tuple(_to_number(v) for v in column)
    return list(zip(*columns, strict=True))


def _to_number(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        return None if isinstance(value, str) else value
    text = value.strip().replace(",", "").replace("\u2212", "-").lstrip("+")
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def _is_monthly(index: Any) -> bool:
    monthly_freq = getattr(index, "freqstr", None) in ("M", "MS", "ME")
    return monthly_freq or str(getattr(index, "dtype", "")) == "period[M]"


def cite(sources: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    """Citations as (title, path) pairs, each once: a :class:`oilimpact.provenance.Source`, a pair, or
    text."""
    seen: dict[tuple[str, str], None] = {}
    for source in sources:
        if isinstance(source, tuple):
            pair = (str(source[0]), str(source[1]) if len(source) > 1 else "")
        elif hasattr(source, "cite"):
            if source.kind == "article":
                published = outlet(source.where)
                title, path = ((published.reference, published.address) if published is not None
                               else (f"Article {source.where} ({source.title})", ""))
            elif source.kind == "assumption":
                accessed = f", accessed {source.accessed}" if source.accessed else ""
                title = f"{source.title}{accessed}"
                path = "; ".join(part.strip() for part in source.where.split(";") if part.strip())
            else:
                title, path = source.cite(), ""
            pair = (" ".join(title.split()), path)
        else:
            pair = (str(source), "")
        seen.setdefault(pair, None)
    return tuple(seen)


def publish(name: str, frame: Any, title: str, *, units: Mapping[str, str] | None = None,
            sources: Iterable[Any] = (), description: str = "") -> None:
    """Add ``frame`` to the running report's data package as ``<name>.csv`` (shown to no one)."""
    # Imported here, for start-up speed: the render step only collects tables and never needs IPython.
    from IPython.display import display

    table = frame_table(frame, title, name=slug(name), kind="data", units=units, sources=sources,
                        description=description)
    display({MIME_TYPE: table.payload()}, raw=True)


@dataclass(frozen=True)
class Placed:
    """A table found in an executed notebook: where (cell and output index) and its final name."""

    cell: int
    output: int
    table: Table = field(compare=False)


_HEADING = re.compile(r"(?m)^#{1,6}\s+(.+?)\s*#*\s*$")


def collect_tables(notebook: Any) -> list[Placed]:
    """Every table in an executed notebook, in order, named ``chart-NN-<what>`` (a chart, by the
    chart function), ``table-NN-<heading>`` (a shown table, by the heading above it) or by the name
    it was published under; names are unique."""
    found: list[Placed] = []
    used: set[str] = set()
    heading = ""
    counts = {"chart": 0, "table": 0}
    for c, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            headings = _HEADING.findall("".join(source) if isinstance(source, list) else source)
            heading = headings[-1] if headings else heading
            continue
        for o, output in enumerate(cell.get("outputs", []) if cell.get("cell_type") == "code" else []):
            payload = output.get("data", {}).get(MIME_TYPE)
            if not payload:
                continue
            table = Table.from_payload(payload)
            if table.kind in counts:
                counts[table.kind] += 1
                what = table.name if table.kind == "chart" else slug(heading) if heading else "table"
                name = f"{table.kind}-{counts[table.kind]:02d}-{slug(what, 30)}"
            else:
                name = table.name or "data"
            base, n = name, 1
            while name in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name)
            title = table.title or (heading if table.kind == "table" else name)
            found.append(Placed(c, o, Table(name, title, table.kind, table.fields, table.rows,
                                            table.sources, table.description)))
    return found
