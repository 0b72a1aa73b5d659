"""The schemas of the hand-edited data files, declared once with pydantic v2, and how their errors read.

pydantic rather than jsonschema: the project already validates ``data/assumptions.yaml`` with it, a
model is also the typed object the loader then uses (no second walk over dicts), and a validator can
say in words what it accepts. Every error becomes one line,
``data/scenarios.yaml:12: scenario budget_law: values.urals_price.mean: ...``, with the line of the
nested value itself (:class:`oilimpact.yamlfile.Lines`) and the key path inside the entry.

:class:`Preset` is one entry of ``data/scenarios.yaml`` (see :mod:`oilimpact.model.scenarios` for what
a value means); the assumptions' and the history's schemas live beside their readers.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from oilimpact.errors import OilImpactError
from oilimpact.yamlfile import Lines


@dataclass(frozen=True)
class Domain:
    """The numbers a quantity can take: ``low < x`` (or ``<=`` when ``low_closed``) and ``x <= high``."""

    low: float
    high: float
    low_closed: bool = False

    def problem(self, number: float) -> str | None:
        low_ok = number >= self.low if self.low_closed else number > self.low
        if low_ok and number <= self.high:
            return None
        return f"{number!r} is outside {self.accepted()}"

    def accepted(self) -> str:
        return f"{'>=' if self.low_closed else '>'} {self.low:g} and <= {self.high:g}"


PRICE_BAND = Domain(0, 500)
"""A plausible oil price, USD/bbl: positive, and below $500 (the record is $147)."""

_TAGS = {"assumption-ref", "figure-ref", "literal", "function-before", "function-after"}
_TYPE_WORDS = {"str": "text", "float": "a number", "int": "an integer", "dict": "a mapping",
               "list": "a list", "tuple": "a list"}


def _text(value: object) -> str:
    """Text as a person writes it in YAML: ``2026`` and ``2026-03-06`` are read as a number and a date."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"must be text, got {value!r}")


def _number(value: object) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    return value


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a name (text), got {value!r}")
    return value


Text = Annotated[str, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_name)]
Number = Annotated[float | int, BeforeValidator(_number)]


def _selector(value: object) -> dict[str, str | float]:
    if not isinstance(value, dict) or "metric" not in value:
        raise ValueError(f"needs at least {{metric: NAME}} (columns of data/figures.csv), got {value!r}")
    out: dict[str, str | float] = {}
    for column, wanted in value.items():
        if not isinstance(column, str):
            raise ValueError(f"column {column!r}: must be a column name of data/figures.csv")
        out[column] = _number(wanted) if column == "value" else _text(wanted)
    return out


def _span(value: object) -> tuple[str, str]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"must be [FROM, TO], two period labels of the series, got {value!r}")
    return _text(value[0]), _text(value[1])


Span = Annotated[tuple[str, str], BeforeValidator(_span)]
FigureSelector = Annotated[dict[str, str | float], BeforeValidator(_selector)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    minus: ValueSpec | None = None


class AssumptionRef(_Spec):
    """``{assumption: KEY}``, ``{assumption: KEY, at: LABEL}``, ``{assumption: KEY, mean: [FROM, TO]}``."""

    assumption: Name
    at: Text | None = None
    mean: Span | None = None

    @model_validator(mode="after")
    def _one_selection(self) -> AssumptionRef:
        if self.at is not None and self.mean is not None:
            raise ValueError("give at: LABEL or mean: [FROM, TO], not both")
        return self


class FigureRef(_Spec):
    """``{figure: {metric: M, ...}}``, of a range ``take: low | high | midpoint``."""

    figure: FigureSelector
    take: Literal["low", "high", "midpoint"] | None = None


class LiteralValue(_Spec):
    """``{value: V, why: TEXT}``: a genuine scenario choice, with its reason."""

    value: Number | str
    why: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _needs_why(cls, data: Any) -> Any:
        if isinstance(data, dict) and not str(data.get("why", "") or "").strip():
            raise ValueError("a literal value needs a why: note")
        if isinstance(data, dict) and isinstance(data.get("value"), bool):
            raise ValueError(f"value must be a number or text, got {data['value']!r}")
        return data

    @model_validator(mode="after")
    def _minus_needs_a_number(self) -> LiteralValue:
        if self.minus is not None and isinstance(self.value, str):
            raise ValueError(f"minus: needs a number to subtract from, and {self.value!r} is text")
        return self


_KINDS = {"assumption": "assumption-ref", "figure": "figure-ref", "value": "literal"}
_ACCEPTED = ("must be {assumption: KEY} (with at: LABEL or mean: [FROM, TO]), {figure: {metric: M}} "
             "or {value: V, why: TEXT}, with exactly one of assumption, figure, value")


def _kind(data: Any) -> str | None:
    if isinstance(data, BaseModel):
        return {AssumptionRef: "assumption-ref", FigureRef: "figure-ref"}.get(type(data), "literal")
    if not isinstance(data, dict):
        return None
    found = [tag for key, tag in _KINDS.items() if key in data]
    return found[0] if len(found) == 1 else None


ValueSpec = Annotated[
    Annotated[AssumptionRef, Tag("assumption-ref")] | Annotated[FigureRef, Tag("figure-ref")]
    | Annotated[LiteralValue, Tag("literal")],
    Discriminator(_kind, custom_error_type="value_kind", custom_error_message=_ACCEPTED),
]


class Check(BaseModel):
    """``{parameter: NAME, figure: {metric: M, ...}, relation: equal | below | above}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    parameter: Name
    figure: FigureSelector
    relation: Literal["equal", "below", "above"] = "equal"

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("a check is {parameter: NAME, figure: {metric: M}, relation: equal|below|above}"
                             f", got {data!r}")
        return data


class Preset(BaseModel):
    """One scenario of ``data/scenarios.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Text = ""
    description: Text = ""
    values: dict[Name, ValueSpec]
    checks: list[Check] | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            raise ValueError("needs title, description and values: {parameter: source}")
        return data


_Spec.model_rebuild()
AssumptionRef.model_rebuild()
FigureRef.model_rebuild()
LiteralValue.model_rebuild()


def error_line(exc: ValidationError, lines: Lines, entry: str, shown: str, label: str) -> OilImpactError:
    """The first error of ``exc`` (validating the entry ``entry`` of the file ``shown``) as one line:
    ``shown:LINE: <label>: key.path: what is wrong``."""
    error = exc.errors()[0]
    path = [part for part in error["loc"] if part not in _TAGS and not str(part).startswith("function-")]
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("missing", "extra_forbidden"):
        message = {"missing": "Field required",
                   "extra_forbidden": "not a known key here (a typo?)"}[error["type"]]
    elif error["type"].endswith("_type") and "input" in error:
        wanted = _TYPE_WORDS.get(error["type"].removesuffix("_type"), error["type"].removesuffix("_type"))
        message = f"must be {wanted}, got {error['input']!r}"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    where = ".".join(str(part) for part in path)
    text = f"{label}: {where}: {message}{more}" if where else f"{label}: {message}{more}"
    return OilImpactError(text, where=shown, line=lines.at(entry, *path) or lines.get(entry))
