"""A corpus of articles and its tables: reading folders, data/figures.csv and data/events.csv,
picking one figure, and the terminal tables of ``oilimpact figures``.

pandas is imported inside the functions that build or read frames, for start-up speed: the render
step's sub-second no-op run imports :mod:`oilimpact.articles` (for the seeds' dates) and must not pay
for pandas.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oilimpact.articles.checks import CROSS_CHECK_KINDS, CrossCheck, cross_checks
from oilimpact.articles.events import TOPICS, Event, extract_events
from oilimpact.articles.figures import Figure, extract_figures
from oilimpact.articles.text import ISO_DATE, Article, read_article
from oilimpact.errors import OilImpactError
from oilimpact.fmt import clip, csv_cell, fixed_width
from oilimpact.outlets import SOURCES_FILE, outlet
from oilimpact.project import atomic_write, data_dir, read_text, relative_to_root, seeds_dir

if TYPE_CHECKING:
    import pandas as pd  # here, not at the top: start-up speed (module docstring)

FIGURE_COLUMNS = (
    "source", "article_date", "metric", "value", "value_high", "unit", "scale", "qualifier", "period",
    "period_start", "period_end", "text", "start", "end", "sentence",
)
_START = FIGURE_COLUMNS.index("start")
EVENT_COLUMNS = ("source", "article_date", "date", "label", "topic", "quote", "start", "end")

# --- a corpus of articles -------------------------------------------------------------------


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cross_checks: list[CrossCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_corpus(paths: Iterable[str | Path] | str | Path | None = None) -> Corpus:
    """Read articles from files and folders (default: seeds/).

    In a folder every ``*.txt`` file is read; a bad one becomes a warning naming it and the others
    are still read. A file named explicitly must be good, or OilImpactError is raised.
    """

    if paths is None:
        paths = [seeds_dir()]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    corpus = Corpus()
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.glob("*.txt") if not p.name.startswith("."))
            if not files:
                corpus.warnings.append(f"{path}: no *.txt articles in this folder")
            for file in files:
                try:
                    corpus.articles.append(read_article(file))
                except OilImpactError as exc:
                    corpus.warnings.append(f"{exc} (skipped)")
        elif path.exists() or path.is_symlink():
            corpus.articles.append(read_article(path))
        else:
            raise OilImpactError("no such file or folder; give article files or a folder of them", where=path)
    corpus.warnings += _publication_warnings(corpus.articles)
    for article in corpus.articles:
        corpus.figures += extract_figures(article)
        corpus.events += extract_events(article)
    texts = {a.name: a.text for a in corpus.articles}
    corpus.cross_checks = cross_checks(corpus.figures, texts)
    return corpus


def _publication_warnings(articles: Iterable[Article]) -> list[str]:
    """An article of seeds/ with no row in seeds/sources.csv, or with another date there, is said."""
    warnings = []
    for article in articles:
        if article.path.resolve().parent != seeds_dir().resolve():
            continue
        published = outlet(article.name)
        shown = relative_to_root(article.path)
        if published is None:
            warnings.append(f"{shown}: no row in seeds/{SOURCES_FILE} (file,outlet,title,date,address); "
                            "it is cited by its file name until one is added")
        elif published.date != article.date.isoformat():
            warnings.append(f"{shown}: seeds/{SOURCES_FILE} dates it {published.date}, its header "
                            f"{article.date.isoformat()}; correct one of them")
    return warnings


# --- tables ---------------------------------------------------------------------------------


def figures_frame(figures: Iterable[Figure]) -> pd.DataFrame:
    """Figures as a table with :data:`FIGURE_COLUMNS`, sorted by (source, start)."""
    import pandas as pd  # here, not at the top: start-up speed (module docstring)

    rows = sorted(([getattr(f, c) for c in FIGURE_COLUMNS] for f in figures), key=lambda r: (r[0], r[_START]))
    frame = pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))
    frame["value_high"] = frame["value_high"].astype(float)  # NaN where a figure is not a range
    return frame


def events_frame(events: Iterable[Event]) -> pd.DataFrame:
    """Events as a table with :data:`EVENT_COLUMNS`, sorted by (source, start, date)."""
    import pandas as pd  # here, not at the top: start-up speed (module docstring)

    ordered = sorted(events, key=lambda e: (e.source, e.start, e.date))
    rows = [[getattr(e, c) for c in EVENT_COLUMNS] for e in ordered]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


FREE_TEXT_COLUMNS = ("sentence", "label")
"""The CSV columns of words read off an article but not bound to its offsets: escaped with
:func:`oilimpact.fmt.csv_cell` so a spreadsheet does not run them (``text`` and ``quote`` are
``read_text()[start:end]`` exactly, and a sentence never starts with ``=`` or ``@``)."""


def frame_csv(frame: pd.DataFrame) -> str:
    """The CSV text written to data/ (dates ISO, missing values empty, LF line ends)."""
    escaped = frame.copy()
    for column in FREE_TEXT_COLUMNS:
        if column in escaped.columns:
            escaped[column] = escaped[column].map(lambda v: csv_cell(v) if isinstance(v, str) else v)
    return escaped.to_csv(index=False, lineterminator="\n")


def load_figures(path: str | Path | None = None) -> pd.DataFrame:
    """data/figures.csv (or ``path``) as written by ``oilimpact figures --write``."""
    return _load(path, "figures.csv", FIGURE_COLUMNS, ("article_date", "period_start", "period_end"),
                 {"value": float, "value_high": _optional_float, "start": int, "end": int})


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """data/events.csv (or ``path``) as written by ``oilimpact figures --write``."""
    frame = _load(path, "events.csv", EVENT_COLUMNS, ("article_date",), {"start": int, "end": int})
    unknown = frame.index[~frame["topic"].isin(TOPICS)]
    if len(unknown):
        row = int(unknown[0])
        raise OilImpactError(f"topic {frame['topic'].iloc[row]!r} is not one of {', '.join(TOPICS)}",
                             where=path if path is not None else "data/events.csv", line=row + 2)
    return frame


def _optional_float(cell: str) -> float:
    """A number, or NaN for an empty cell (a figure that is not a range has no ``value_high``)."""
    return float(cell) if cell != "" else math.nan


def _load(path: str | Path | None, name: str, columns: tuple[str, ...], date_columns: tuple[str, ...],
          numeric: dict[str, type]) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: start-up speed (module docstring)


    path = Path(path) if path is not None else data_dir() / name
    if not path.exists() and not path.is_symlink():
        raise OilImpactError(
            f"missing; run 'make figures' (oilimpact figures seeds --write data) to create {name}", where=path
        )
    text = read_text(path, what=f"{name} file")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise OilImpactError(f"not a readable CSV ({str(exc).splitlines()[0]})", where=path) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise OilImpactError(f"missing columns {', '.join(missing)}; expected {', '.join(columns)}",
                             where=path)
    frame = frame[list(columns)].copy()
    for row, record in enumerate(frame.itertuples(index=False), start=2):
        for column in date_columns:
            cell = getattr(record, column)
            try:
                if cell and not (ISO_DATE.match(cell) and dt.date.fromisoformat(cell)):
                    raise ValueError
            except ValueError:
                message = f"{column} {cell!r} is not a YYYY-MM-DD date"
                raise OilImpactError(message, where=path, line=row) from None
        for column, kind in numeric.items():
            try:
                kind(getattr(record, column))
            except ValueError:
                raise OilImpactError(f"{column} {getattr(record, column)!r} is not a number", where=path,
                                     line=row) from None
    for column in date_columns:
        frame[column] = [dt.date.fromisoformat(v) if v else None for v in frame[column]]
    for column, kind in numeric.items():
        frame[column] = frame[column].map(kind)
    return frame


# --- picking one figure ---------------------------------------------------------------------

_WEEK_ALIAS = re.compile(r"(\d{4}-\d{2}-\d{2})/week\Z")


def _as_figures(frame_or_figures: Any) -> list[Figure]:
    if hasattr(frame_or_figures, "figures") and not hasattr(frame_or_figures, "columns"):
        frame_or_figures = frame_or_figures.figures
    if hasattr(frame_or_figures, "to_dict"):
        names = {f.name for f in fields(Figure)}
        out = []
        for record in frame_or_figures.to_dict("records"):
            values = {k: (None if isinstance(v, float) and math.isnan(v) and k != "value" else v)
                      for k, v in record.items() if k in names}
            for key in ("article_date", "period_start", "period_end"):
                if isinstance(values.get(key), str):
                    values[key] = dt.date.fromisoformat(values[key]) if values[key] else None
            values["period"] = values.get("period") or ""
            out.append(Figure(**values))
        return out
    return list(frame_or_figures)


def find_figure(
    frame_or_figures: Any, metric: str, *, period: str | None = None, qualifier: str | None = None,
    source: str | None = None, unit: str | None = None,
) -> Figure:
    """The one figure with this metric (and period, qualifier, source, unit when given).

    ``period`` is a label such as ``2025-12``, ``2026``, ``2026-W10`` (``2026-03-08/week`` means the
    ISO week holding that day); ``source`` is a file name or its start (``"003"``). Raises
    OilImpactError when none or several match, listing what there is.
    """
    if period and (alias := _WEEK_ALIAS.match(period)):
        year, week, _ = dt.date.fromisoformat(alias.group(1)).isocalendar()
        period = f"{year}-W{week:02d}"
    figures = [f for f in _as_figures(frame_or_figures) if f.metric == metric]
    wanted = {"period": period, "qualifier": qualifier, "unit": unit}
    matches = [f for f in figures
               if all(v is None or getattr(f, k) == v for k, v in wanted.items())
               and (source is None or f.source == source or f.source.startswith(source))]
    criteria = ", ".join(f"{k} {v!r}" for k, v in {"metric": metric, **wanted, "source": source}.items() if v)
    if len(matches) == 1:
        return matches[0]
    listing = "; ".join(f"{f.text!r} period {f.period or '-'} {f.unit} in {f.source}"
                        for f in (matches or figures))
    if not matches:
        raise OilImpactError(f"no figure with {criteria}; " + (f"there is: {listing}" if figures else
                                                                "no figure has that metric"))
    raise OilImpactError(f"{len(matches)} figures with {criteria}: {listing}; narrow it with period=, "
                         "qualifier=, unit= or source=")



# --- output ---------------------------------------------------------------------------------


def write_data(corpus: Corpus, folder: str | Path) -> list[Path]:
    """Write ``folder/figures.csv`` and ``folder/events.csv``, each atomically (temp file, then rename)."""

    folder = Path(folder)
    if not folder.is_dir():
        raise OilImpactError("no such folder to write figures.csv and events.csv into", where=folder)
    written = []
    frames = {"figures.csv": figures_frame(corpus.figures), "events.csv": events_frame(corpus.events)}
    for name, frame in frames.items():
        atomic_write(folder / name, frame_csv(frame))
        written.append(folder / name)
    return written


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (dates as ISO strings, missing as null)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else None
                        if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()})
    return out


def _value_text(value: float, scale: str) -> str:
    number = f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{number} {scale}" if scale else number


def text_table(frame: pd.DataFrame, events: bool = False) -> str:
    """A readable fixed-width table of figures (or events) for the terminal."""
    if events:
        header = ("date", "topic", "label", "quote", "file")
        rows = [(r["date"], r["topic"], r["label"], clip(r["quote"], 60), r["source"])
                for r in frame.to_dict("records")]
    else:
        header = ("value", "unit", "qualifier", "period", "metric", "text", "file")
        rows = [(_value_text(r["value"], r["scale"]), r["unit"], r["qualifier"], r["period"] or "-",
                 r["metric"], f"\"{r['text']}\"", r["source"]) for r in frame.to_dict("records")]
    return "\n".join(fixed_width(header, rows))


def cross_checks_text(checks: Iterable[CrossCheck]) -> str:
    """The cross-checks as a fixed-width table, or an empty string when there are none."""
    rows = [(f"{c.value:g}", c.unit, CROSS_CHECK_KINDS.get(c.kind, c.kind), f"\"{c.quote}\"", c.source)
            for c in checks]
    return "\n".join(fixed_width(("value", "unit", "check", "text", "file"), rows)) if rows else ""
