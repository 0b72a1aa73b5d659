"""External numbers the model uses, each with its source: ``data/assumptions.yaml``.

Every entry is validated on load against one schema (:class:`AssumptionEntry`); a bad entry stops with
``data/assumptions.yaml:LINE: assumption KEY: ...`` naming what would be accepted.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from oilimpact.errors import OilImpactError
from oilimpact.model.schemas import PRICE_BAND, Domain
from oilimpact.project import data_dir, file_stamp, read_text, relative_to_root
from oilimpact.provenance import Source
from oilimpact.yamlfile import read_yaml_mapping

UNIT_DOMAINS: dict[str, Domain] = {
    "USD/bbl": PRICE_BAND,
    "RUB/USD": Domain(0, 1000),
    "mb/d": Domain(0, 30),
    "bbl/t": Domain(5, 10),
    "RUB/t": Domain(0, 1e6),
}
"""The range of every entry in a unit (its first word before a space or parenthesis for "mb/d (...)")."""
KEY_DOMAINS: dict[str, Domain] = {
    "budget_law_gdp": Domain(0, 1e6),
    "budget_law_revenue": Domain(0, 1e6),
    "budget_law_expenditure": Domain(0, 1e6),
    "budget_law_og_revenue": Domain(0, 1e5),
    "og_revenue_monthly": Domain(0, 1e4),
    "og_revenue_annual": Domain(0, 1e5),
    "og_revenue_2025_q1": Domain(0, 1e5),
    "extraction_tax_kc_divisor": Domain(0, 1e4),
    "nwf_deficit_share": Domain(0, 1, low_closed=True),
    "urals_discount": Domain(-100, 200, low_closed=True),
}
"""Entries whose range is narrower than their unit's (a GDP or a revenue of 0 is not data)."""
ANY_NUMBER = Domain(-1e7, 1e7)
"""Everything else: finite and within ±10 million (bn RUB: more than 40 years of the budget)."""


def domain_of(key: str, unit: str) -> Domain:
    """The accepted range of the entry ``key`` given in ``unit``."""
    return KEY_DOMAINS.get(key) or UNIT_DOMAINS.get(re.split(r"[ (]", unit.strip(), maxsplit=1)[0],
                                                      ANY_NUMBER)


_ACCESSED = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class SourceEntry(BaseModel):
    """Where an assumption was read: a title, the page address(es) and when."""

    model_config = ConfigDict(extra="forbid")
    title: str
    where: str
    accessed: str

    @field_validator("title", "where")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return " ".join(value.split())

    @field_validator("accessed")
    @classmethod
    def _date(cls, value: str) -> str:
        if not _ACCESSED.match(value):
            raise ValueError(f"must be a date YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value


class AssumptionEntry(BaseModel):
    """The schema of one entry of ``data/assumptions.yaml``."""

    model_config = ConfigDict(extra="forbid", strict=False)
    value: float | dict[str, float]
    unit: str
    period: str
    source: SourceEntry
    confidence: Literal["V", "I", "S"]
    note: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        items = value.items() if isinstance(value, Mapping) else [("", value)]
        if isinstance(value, Mapping) and not value:
            raise ValueError("a series must have at least one entry")
        for label, number in items:
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ValueError(f"{label}{': ' if label else ''}must be a number, got {number!r}")
            if not math.isfinite(number):
                raise ValueError(f"{label}{': ' if label else ''}must be finite, got {number!r}")
        if isinstance(value, Mapping):
            return {str(label): float(number) for label, number in value.items()}
        return value

    @field_validator("unit", "period", mode="before")
    @classmethod
    def _not_blank(cls, value: object) -> str:
        # YAML reads a bare 2025 as a number and 2026-03-06 as a date; a period or unit is text.
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, int | float | str) and not isinstance(value, bool) and str(value).strip():
            return str(value)
        raise ValueError(f"must be non-empty text, got {value!r}")


@dataclass(frozen=True)
class Assumption:
    """One external number (or series) with its unit, period, source and confidence (V/I/S)."""

    key: str
    value: float | dict[str, float]
    unit: str
    period: str
    source: Source
    confidence: str
    note: str = ""

    def at(self, label: str) -> float:
        """One element of a series (``label`` as written in the file, e.g. ``"2025-12"``)."""
        if not isinstance(self.value, dict):
            raise OilImpactError(
                f"assumption {self.key}: is a single number, not a series (asked for {label!r})"
            )
        if label not in self.value:
            raise OilImpactError(
                f"assumption {self.key}: has no entry {label!r}; it has {', '.join(self.value)}"
            )
        return self.value[label]

    def series(self) -> dict[str, float]:
        """The series (a single number comes back as ``{period: value}``)."""
        return dict(self.value) if isinstance(self.value, dict) else {self.period: float(self.value)}

    def number(self) -> float:
        """The single number (error for a series)."""
        if isinstance(self.value, dict):
            raise OilImpactError(
                f"assumption {self.key}: is a series ({', '.join(self.value)}), not one number"
            )
        return float(self.value)


@dataclass(frozen=True)
class Assumptions:
    """All assumptions of one file, in file order."""

    path: Path
    entries: dict[str, Assumption] = field(default_factory=dict)

    def latest_accessed(self) -> str | None:
        """The latest full ``accessed`` date (YYYY-MM-DD) of the sources, or None."""
        days = [e.source.accessed for e in self.entries.values() if len(e.source.accessed or "") == 10]
        return max(days) if days else None

    def get(self, key: str) -> Assumption:
        if key not in self.entries:
            raise OilImpactError(
                f"no assumption {key!r}; known keys: {', '.join(sorted(self.entries))}",
                where=relative_to_root(self.path),
            )
        return self.entries[key]

    def value(self, key: str, label: str | None = None) -> float:
        """The number of a single-valued entry, or one element of a series."""
        entry = self.get(key)
        return entry.number() if label is None else entry.at(label)

    def sources(self, keys: Iterable[str]) -> list[Source]:
        """The distinct sources of ``keys``, in first-seen order."""
        found: dict[Source, None] = {}
        for key in keys:
            found.setdefault(self.get(key).source, None)
        return list(found)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def default_path() -> Path:
    return data_dir() / "assumptions.yaml"


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    place = ".".join(str(part) for part in error["loc"] if part not in ("float", "dict[str,float]"))
    message = error["msg"].removeprefix("Value error, ")
    return f"{place}: {message}" if place else message


_PERIOD_LABEL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _in_order(key: str, labels: list[str], shown: str, line: int | None) -> None:
    """A series over periods (``2025-01``, ``2025``, ``2025-12-31``) lists them oldest first, once each."""
    if not labels or not all(_PERIOD_LABEL.match(str(label)) for label in labels):
        return
    for before, after in zip(labels, labels[1:], strict=False):
        if str(after) <= str(before):
            raise OilImpactError(
                f"assumption {key}: series out of order at {after!r} (after {before!r}); list periods "
                "oldest first, each once", where=shown, line=line,
            )


def parse_assumptions(text: str, where: Path) -> Assumptions:
    """Validate the YAML text of an assumptions file (``where`` names it in errors)."""
    shown = relative_to_root(where)
    raw, lines = read_yaml_mapping(text, shown, "assumption keys to entries")
    entries: dict[str, Assumption] = {}
    for key, body in raw.items():
        line = lines.get(str(key))
        if not isinstance(key, str) or not _KEY.match(key):
            raise OilImpactError(f"assumption key {key!r} must be snake_case", where=shown, line=line)
        if not isinstance(body, dict):
            raise OilImpactError(
                f"assumption {key}: must be a mapping with value, unit, period, source, confidence",
                where=shown,
                line=line,
            )
        try:
            entry = AssumptionEntry.model_validate(body)
        except ValidationError as exc:
            place = [part for part in exc.errors()[0]["loc"] if part not in ("float", "dict[str,float]")]
            raise OilImpactError(f"assumption {key}: {_first_error(exc)}", where=shown,
                                 line=lines.at(key, *place) or line) from None
        if isinstance(entry.value, dict):
            _in_order(key, list(entry.value), shown, line)
        domain = domain_of(key, entry.unit)
        numbers = entry.value.items() if isinstance(entry.value, dict) else [(None, entry.value)]
        for label, number in numbers:
            problem = domain.problem(float(number))
            if problem is not None:
                place = ("value",) if label is None else ("value", label)
                raise OilImpactError(
                    f"assumption {key}: {'.'.join(place)}: {problem} ({entry.unit}); accepted: a number "
                    f"{domain.accepted()}", where=shown, line=lines.at(key, *place) or line,
                )
        source = Source(
            "assumption", entry.source.title, entry.source.where, quote="", accessed=entry.source.accessed
        )
        entries[key] = Assumption(
            key, entry.value, entry.unit, entry.period, source, entry.confidence, entry.note
        )
    return Assumptions(where, entries)


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read and validate ``data/assumptions.yaml`` (or ``path``); parsed once per version of the file
    (a report asks for it dozens of times)."""
    file = Path(path) if path is not None else default_path()
    return _parsed(file, file_stamp(file))


@lru_cache(maxsize=8)
def _parsed(file: Path, _stamp: tuple) -> Assumptions:
    return parse_assumptions(read_text(file, what="assumptions file"), file)
