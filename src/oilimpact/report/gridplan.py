"""Scenario grids: axes over the project's numeric parameters, each point a scenario of its own.

``--grid urals_price=40:80:10`` is a range (start:stop:step, stop included), ``--grid rub_usd=80,90,100``
a list; a named grid in ``data/scenarios.yaml`` (:func:`oilimpact.presets.read_grids`) is a preset and
axes written the same way. Every value is checked against :data:`oilimpact.params.PARAMETER_SPECS`
(numeric parameters only, within their bounds) and the point count against a guard before a kernel
starts. A point's id is readable and stable — ``war_premium@urals_price=50,rub_usd=90``, axes in the spec
table's order whatever order they were given in — and its folder under reports/ is the same id made
safe for any file system and URL: ``war_premium.urals_price-50.rub_usd-90``. Light: standard library.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oilimpact import params
from oilimpact.errors import OilImpactError

DEFAULT_MAX_POINTS = 500
_MAX_VALUES = 100_000  # one axis longer than this is a typo (a step of 0.0001), refused before listing it


def format_value(value: float) -> str:
    """A grid value as ids and pages show it: ``50``, ``72.5``, ``-10``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _safe_value(value: float) -> str:
    return format_value(value).replace("-", "m").replace(".", "p")


@dataclass(frozen=True)
class Axis:
    """One parameter of the spec table and its values, in the order given."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Grid:
    """A preset and its axes (in the spec table's order); ``title`` for a named grid."""

    preset: str
    axes: tuple[Axis, ...]
    name: str = ""
    title: str = ""

    @property
    def key(self) -> str:
        """What identifies the grid's page: the preset and the axes' names."""
        return f"{self.preset}@{','.join(a.name for a in self.axes)}"

    def points(self) -> list[Point]:
        combos = itertools.product(*(axis.values for axis in self.axes))
        return [Point(self.preset, tuple(zip((a.name for a in self.axes), combo, strict=True)))
                for combo in combos]

    @property
    def size(self) -> int:
        return math.prod(len(axis.values) for axis in self.axes)


@dataclass(frozen=True)
class Point:
    """One grid point: a preset with some of its parameters set."""

    preset: str
    values: tuple[tuple[str, float], ...]

    @property
    def id(self) -> str:
        return f"{self.preset}@" + ",".join(f"{n}={format_value(v)}" for n, v in self.values)

    @property
    def folder(self) -> str:
        return ".".join([self.preset, *(f"{n}-{_safe_value(v)}" for n, v in self.values)])


def _number(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise OilImpactError(f"{what}: {text.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise OilImpactError(f"{what}: {text.strip()!r} is not a finite number")
    return number


def _range(text: str, what: str) -> list[float]:
    parts = text.split(":")
    if len(parts) != 3:
        raise OilImpactError(f"{what}: write a range as start:stop:step (e.g. 40:80:10) "
                             "or a list as 80,90,100")
    start, stop, step = (_number(p, what) for p in parts)
    if step == 0:
        raise OilImpactError(f"{what}: the step is 0; give a step that is not 0 (e.g. 40:80:10)")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count < 1:
        raise OilImpactError(f"{what}: empty range (from {format_value(start)} a step of "
                             f"{format_value(step)} never reaches {format_value(stop)})")
    if count > _MAX_VALUES:
        raise OilImpactError(f"{what}: {count:,} values on one axis; use a larger step")
    digits = max(_decimals(start), _decimals(step))
    return [round(start + i * step, digits) for i in range(count)]


def _decimals(number: float) -> int:
    text = repr(float(number))
    return 0 if "e" in text else len(text.split(".")[1].rstrip("0"))


def parse_axis(name: str, raw: Any, where: str) -> Axis:
    """One axis from its written values: ``"40:80:10"``, ``"80,90,100"``, a YAML list or one number."""
    what = f"{where} {name}"
    spec = params.PARAMETER_SPECS.get(name)
    if spec is None or spec.kind not in ("float", "int"):
        numeric = [s.name for s in params.PARAMETER_SPECS.values() if s.kind in ("float", "int")]
        problem = "unknown parameter" if spec is None else "not a numeric parameter"
        raise OilImpactError(f"{what}: {problem}; a grid axis is one of {', '.join(numeric)}")
    if isinstance(raw, (list, tuple)):
        values = [_number(str(v), what) for v in raw]
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        values = [_number(str(raw), what)]
    elif isinstance(raw, str) and ":" in raw:
        values = _range(raw, what)
    elif isinstance(raw, str) and raw.strip():
        values = [_number(v, what) for v in raw.split(",")]
    else:
        raise OilImpactError(f"{what}: no values; give a range start:stop:step or a list a,b,c")
    if not values:
        raise OilImpactError(f"{what}: no values; give a range start:stop:step or a list a,b,c")
    seen: set[float] = set()
    for value in values:
        if value in seen:
            raise OilImpactError(f"{what}: {format_value(value)} is given twice")
        seen.add(value)
        try:
            params.validate_overrides({name: value})
        except OilImpactError as exc:
            raise OilImpactError(f"{where}: {exc}") from None
    if spec.kind == "int" and any(not v.is_integer() for v in values):
        raise OilImpactError(f"{what}: must be whole numbers ({spec.accepted()})")
    return Axis(name, tuple(values))


def parse_grid(preset: str, axes: Sequence[Axis], *, name: str = "", title: str = "") -> Grid:
    """A grid of ``axes`` (each parameter once), ordered as the spec table orders the parameters."""
    names = [axis.name for axis in axes]
    for axis_name in names:
        if names.count(axis_name) > 1:
            raise OilImpactError(f"--grid {axis_name}: given twice; give each axis once")
    order = list(params.PARAMETER_SPECS)
    return Grid(preset, tuple(sorted(axes, key=lambda a: order.index(a.name))), name, title)


def cli_axes(specs: Sequence[str]) -> list[Axis]:
    """``--grid NAME=VALUES`` options as axes."""
    found = []
    for spec in specs:
        name, sep, raw = spec.partition("=")
        if not sep or not name.strip().isidentifier():
            raise OilImpactError(f"--grid {spec!r}: write an axis as name=start:stop:step or name=a,b,c "
                                 "(e.g. urals_price=40:80:10), or give a grid's name from "
                                 "data/scenarios.yaml")
        found.append(parse_axis(name.strip(), raw, "--grid"))
    return found


def named_grid(name: str, grids: Mapping[str, Any], presets: Sequence[str], shown: str) -> Grid:
    """The grid ``name`` of ``data/scenarios.yaml``: ``{preset: P, axes: {param: values}, title: T}``."""
    if name not in grids:
        raise OilImpactError(f"--grid {name}: no such grid in {shown} (have: {', '.join(grids) or 'none'})")
    body = grids[name]
    where = f"{shown}: grid {name}"
    if not isinstance(body, dict) or not isinstance(body.get("axes"), dict) or not body["axes"]:
        raise OilImpactError(f"{where}: needs preset: NAME and axes: {{parameter: values}}")
    preset = body.get("preset")
    if preset not in presets:
        raise OilImpactError(f"{where}: preset {preset!r} is not a preset (have: {', '.join(presets)})")
    axes = [parse_axis(str(k), v, where) for k, v in body["axes"].items()]
    return parse_grid(str(preset), axes, name=name, title=" ".join(str(body.get("title", "")).split()))


def check_size(grids: Sequence[Grid], max_points: int) -> int:
    """The points of all ``grids``; raises when they are more than ``max_points``."""
    total = sum(grid.size for grid in grids)
    if total > max_points:
        raise OilImpactError(f"--grid: {total:,} points is more than --max-points {max_points:,}; "
                             "narrow an axis (a larger step) or raise --max-points")
    return total
