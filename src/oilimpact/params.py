"""The model's parameters: one spec table used by the CLI ``-p``, the notebooks and the render step.

:data:`PARAMETER_SPECS` is the single source of truth (name, type, fallback default, accepted range,
help). A scenario in ``data/scenarios.yaml`` sets some of them; :func:`oilimpact.model.resolve_parameters`
lays the user's overrides on top (``None`` = keep the scenario's value) through :func:`build_parameters`
and returns a frozen :class:`Parameters`. Standard library only: the render step checks ``-p`` values
with these specs on its sub-second no-op run.

Prices: any two of ``urals_price``, ``brent_price``, ``urals_discount`` fix the third
(Urals = Brent − discount). The discount is kept when the user moves Urals or Brent, so overriding
``urals_price`` moves Brent with it and overriding ``brent_price`` moves Urals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from oilimpact.errors import OilImpactError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
PATH_SHAPES = ("flat", "glide", "shock_decay")
FIRST_MONTH = "2025-01"
LAST_MONTH = "2030-12"


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its type (``float``/``int``/``month``/``choice``/``str``), fallback, range, help."""

    name: str
    kind: str
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False

    def accepted(self) -> str:
        """What the parameter accepts, for error messages and ``--help``."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "month":
            return f"a month YYYY-MM from {FIRST_MONTH} to {LAST_MONTH}"
        if self.kind == "str":
            return "a scenario name"
        noun = "an integer" if self.kind == "int" else "a number"
        if self.low is not None and self.high is not None:
            low = f"> {_fmt(self.low)}" if self.low_open else f">= {_fmt(self.low)}"
            return f"{noun} {low} and <= {_fmt(self.high)}"
        return noun

    @property
    def python_type(self) -> str:
        base = {"float": "float", "int": "int"}.get(self.kind, "str")
        return f"{base} | None" if self.optional or self.default is None else base


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _spec(name: str, kind: str, default: Any, help: str, **kw: Any) -> ParamSpec:
    return ParamSpec(name, kind, default, help, **kw)


PARAMETER_SPECS: dict[str, ParamSpec] = {
    spec.name: spec
    for spec in (
        _spec("scenario", "str", "budget_law", "Scenario preset from data/scenarios.yaml"),
        _spec("horizon_start", "month", FIRST_MONTH, "First month shown (YYYY-MM)"),
        _spec("horizon_end", "month", "2026-12", "Last month modelled (YYYY-MM)"),
        _spec(
            "urals_price",
            "float",
            None,
            "Urals (tax price) from the first scenario month, USD/bbl",
            low=0,
            high=300,
            low_open=True,
            optional=True,
        ),
        _spec(
            "brent_price",
            "float",
            None,
            "Brent from the first scenario month, USD/bbl",
            low=0,
            high=300,
            low_open=True,
            optional=True,
        ),
        _spec(
            "urals_discount",
            "float",
            None,
            "Discount of Urals to Brent (sanctions tightness), USD/bbl",
            low=-20,
            high=100,
            optional=True,
        ),
        _spec(
            "rub_usd",
            "float",
            None,
            "Roubles per US dollar from the first scenario month",
            low=0,
            high=500,
            low_open=True,
            optional=True,
        ),
        _spec(
            "export_volume_change",
            "float",
            0.0,
            "Change in crude export volumes, percent",
            low=-100,
            high=100,
        ),
        _spec(
            "path_shape",
            "choice",
            "flat",
            "Price path: flat, glide (to target by a month), shock_decay",
            choices=PATH_SHAPES,
        ),
        _spec(
            "target_price",
            "float",
            None,
            "Urals level the glide reaches / the shock decays to, USD/bbl",
            low=0,
            high=300,
            low_open=True,
            optional=True,
        ),
        _spec("target_month", "month", "2026-06", "Month the glide reaches its target (YYYY-MM)"),
        _spec(
            "half_life_months",
            "float",
            6.0,
            "Half-life of a price shock, months",
            low=0,
            high=120,
            low_open=True,
        ),
        _spec(
            "base_price",
            "float",
            None,
            "Budget-rule base price from the first scenario month, USD/bbl (None: the law's path)",
            low=0,
            high=300,
            low_open=True,
            optional=True,
        ),
        _spec("mc_paths", "int", 20_000, "Monte Carlo paths", low=1, high=2_000_000),
        _spec("mc_volatility", "float", 0.35, "Monte Carlo annual volatility of log Urals", low=0, high=3),
        _spec("mc_reversion", "float", 1.0,
              "Monte Carlo mean-reversion speed, per year (a half-life of ln 2 / speed years: 1 is about 8 "
              "months)", low=0, high=24),
        _spec("seed", "int", 2026, "Random seed for the Monte Carlo", low=0, high=2**32 - 1),
    )
}


@dataclass(frozen=True)
class Parameters:
    """Every parameter of one model run, validated; prices already made consistent."""

    scenario: str
    horizon_start: str
    horizon_end: str
    urals_price: float
    brent_price: float
    urals_discount: float
    rub_usd: float
    export_volume_change: float
    path_shape: str
    target_price: float | None
    target_month: str
    half_life_months: float
    base_price: float | None
    mc_paths: int
    mc_volatility: float
    mc_reversion: float
    seed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def replace(self, **changes: Any) -> Parameters:
        """A copy with ``changes`` validated and prices made consistent again."""
        values = {k: v for k, v in self.as_dict().items() if k not in ("scenario",)}
        checked = validate_overrides(changes)
        return build_parameters(self.scenario, values, checked)


def is_month(text: str | None) -> bool:
    """``text`` is a month written YYYY-MM (01–12): the one check the parameters, the history file and
    the ``backtest``/``nowcast`` commands share."""
    return bool(text) and _MONTH.match(text) is not None


def month_index(text: str) -> int:
    """Months since year 0 for a YYYY-MM string (used to compare months)."""
    match = _MONTH.match(text)
    if not match:
        raise ValueError(text)
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _check_one(name: str, raw: Any) -> Any:
    if name not in PARAMETER_SPECS:
        raise OilImpactError(f"unknown parameter {name!r}; known parameters: {', '.join(PARAMETER_SPECS)}")
    spec = PARAMETER_SPECS[name]
    if raw is None:
        return None
    problem = f"parameter {name}: must be {spec.accepted()}, got {raw!r}"
    if spec.kind in ("float", "int"):
        if isinstance(raw, bool):
            raise OilImpactError(problem)
        try:
            number = float(raw) if spec.kind == "float" else _to_int(raw)
        except (TypeError, ValueError):
            raise OilImpactError(problem) from None
        if not math.isfinite(number):
            raise OilImpactError(problem)
        too_low = spec.low is not None and (number <= spec.low if spec.low_open else number < spec.low)
        too_high = spec.high is not None and number > spec.high
        if too_low or too_high:
            raise OilImpactError(problem)
        return number
    if not isinstance(raw, str):
        raise OilImpactError(problem)
    if spec.kind == "choice" and raw not in spec.choices:
        raise OilImpactError(problem)
    if spec.kind == "month":
        try:
            index = month_index(raw)
        except ValueError:
            raise OilImpactError(problem) from None
        if not month_index(FIRST_MONTH) <= index <= month_index(LAST_MONTH):
            raise OilImpactError(problem)
    if spec.kind == "str" and not raw.strip():
        raise OilImpactError(problem)
    return raw


def _to_int(raw: Any) -> int:
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError(raw)
        return int(raw)
    return int(str(raw).strip())


def validate_overrides(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Check names, types and ranges; return the typed values (``None`` stays ``None``)."""
    return {name: _check_one(name, value) for name, value in mapping.items()}


def split_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}``: the one reader of ``-p name=value`` (the CLI's
    ``model`` and ``render``); values stay strings until a parameter spec or a notebook types them."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise OilImpactError(f"parameter {pair!r}: write it as name=value (e.g. urals_price=72)")
        if name in found:
            raise OilImpactError(f"parameter {name}: given twice")
        found[name] = value
    return found


def parse_overrides(pairs: Iterable[str]) -> dict[str, Any]:
    """``["urals_price=72", "path_shape=glide"]`` → typed, validated ``{name: value}``."""
    raw = {name: None if value.strip().lower() == "none" else value.strip()
           for name, value in split_pairs(pairs).items()}
    return validate_overrides(raw)


_PRICES = ("urals_price", "brent_price", "urals_discount")


def _complete_prices(scenario: str, values: dict[str, Any]) -> tuple[float, float, float]:
    """Urals, Brent and discount from any two of them (Urals = Brent − discount)."""
    urals, brent, discount = (values[name] for name in _PRICES)
    if urals is None and brent is not None and discount is not None:
        urals = brent - discount
    elif discount is None and urals is not None and brent is not None:
        discount = brent - urals
    elif brent is None and urals is not None and discount is not None:
        brent = urals + discount
    if urals is None or brent is None or discount is None:
        raise OilImpactError(f"scenario {scenario}: set two of urals_price, brent_price, urals_discount")
    return urals, brent, discount


def build_parameters(scenario: str, values: Mapping[str, Any], overrides: Mapping[str, Any]) -> Parameters:
    """Lay checked ``overrides`` over a scenario's checked ``values`` and make Urals = Brent − discount
    hold (:func:`oilimpact.model.resolve_parameters` reads the scenario and calls this)."""
    merged = {name: spec.default for name, spec in PARAMETER_SPECS.items() if name != "scenario"}
    merged.update({k: v for k, v in values.items() if v is not None})
    given = {k: v for k, v in overrides.items() if v is not None and k != "scenario"}
    merged.update({k: v for k, v in given.items() if k not in _PRICES})

    urals, brent, discount = _complete_prices(scenario, merged)
    if "urals_price" in given and "brent_price" in given and "urals_discount" not in given:
        urals, brent = given["urals_price"], given["brent_price"]
        discount = brent - urals
    elif "urals_price" in given:
        urals, discount = given["urals_price"], given.get("urals_discount", discount)
        brent = urals + discount
    elif "brent_price" in given or "urals_discount" in given:
        brent, discount = given.get("brent_price", brent), given.get("urals_discount", discount)
        urals = brent - discount
    if urals <= 0:
        raise OilImpactError(
            f"parameter urals_price: must be a number > 0"
            f" (Brent {brent:g} − discount {discount:g} = {urals:g})"
        )
    if merged["rub_usd"] is None:
        raise OilImpactError(f"scenario {scenario}: sets no rub_usd; give -p rub_usd=VALUE (a number > 0)")
    start, end = merged["horizon_start"], merged["horizon_end"]
    if month_index(end) < month_index(start):
        raise OilImpactError(f"parameter horizon_end: must not be before horizon_start {start}, got {end!r}")
    merged.update(urals_price=float(urals), brent_price=float(brent), urals_discount=float(discount))
    names = {f.name for f in fields(Parameters)}
    return Parameters(scenario=scenario, **{k: v for k, v in merged.items() if k in names})
