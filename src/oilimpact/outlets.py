"""Who published each article: ``seeds/sources.csv`` (file, outlet, title, date, address).

The articles in ``seeds/`` are kept verbatim, so what a reader needs to find one again — the outlet,
its headline, the publication date and the page address — sits beside them in one small table.
Citations use it (:mod:`oilimpact.provenance`): "The Moscow Times, 2 March 2026", not a file name.
An article without a row is cited by its file and date, as before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from oilimpact.errors import OilImpactError
from oilimpact.fmt import day_words
from oilimpact.project import file_stamp, read_regular, relative_to_root, seeds_dir

SOURCES_FILE = "sources.csv"
COLUMNS = ("file", "outlet", "title", "date", "address")


@dataclass(frozen=True)
class Outlet:
    """One article's publication: ``outlet`` and ``title`` as printed, ``date`` ISO, ``address`` a URL."""

    file: str
    outlet: str
    title: str
    date: str
    address: str

    @property
    def byline(self) -> str:
        """``The Moscow Times, 2 March 2026``."""
        return f"{self.outlet}, {day_words(dt.date.fromisoformat(self.date))}"

    @property
    def reference(self) -> str:
        """``The Moscow Times, “Russia says …”, 2 March 2026``."""
        return f"{self.outlet}, “{self.title}”, {day_words(dt.date.fromisoformat(self.date))}"


def read_outlets(path: Path) -> dict[str, Outlet]:
    """The rows of a sources table, by article file name; a bad row raises naming its line."""
    shown = relative_to_root(path)
    text = read_regular(path, what="sources table").decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        found = ",".join(reader.fieldnames or ())
        raise OilImpactError(f"the header must be {','.join(COLUMNS)}, not {found}", where=shown, line=1)
    rows: dict[str, Outlet] = {}
    for row in reader:
        line = reader.line_num
        values = {key: (row.get(key) or "").strip() for key in COLUMNS}
        missing = [key for key in COLUMNS if not values[key]]
        if missing:
            raise OilImpactError(f"{', '.join(missing)} missing; every column needs a value", where=shown,
                                 line=line)
        try:
            dt.date.fromisoformat(values["date"])
        except ValueError:
            raise OilImpactError(f"date {values['date']!r} is not YYYY-MM-DD", where=shown,
                                 line=line) from None
        if not values["address"].startswith(("https://", "http://")):
            raise OilImpactError(f"address {values['address']!r} must start with https:// or http://",
                                 where=shown, line=line)
        if values["file"] in rows:
            raise OilImpactError(f"{values['file']} is listed twice", where=shown, line=line)
        rows[values["file"]] = Outlet(**values)
    return rows


@lru_cache(maxsize=4)
def _outlets(path: Path, stamp: tuple) -> dict[str, Outlet]:
    return {} if stamp[0][1] == "missing" else read_outlets(path)


def outlet(where: str) -> Outlet | None:
    """The publication of the article at ``where`` (``seeds/004_….txt`` or a file name), if listed;
    the table is read once per version of the file (:func:`oilimpact.project.file_stamp`)."""
    path = seeds_dir() / SOURCES_FILE
    return _outlets(path, file_stamp(path)).get(Path(where).name)
