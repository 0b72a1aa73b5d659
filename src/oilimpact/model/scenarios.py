"""Named scenario presets, ``data/scenarios.yaml``: each parameter value traced to where it comes from.

A value in the file is one of
  ``{assumption: KEY}``                   a number in data/assumptions.yaml
  ``{assumption: KEY, at: LABEL}``        one element of a series there
  ``{assumption: KEY, mean: [FROM, TO]}`` the mean of a series' elements FROM..TO (inclusive)
  ``{figure: {metric: M, qualifier: Q}}`` an article figure in data/figures.csv (exactly one row);
                                          of a range, ``take: low | high | midpoint`` picks the number
  ``{value: V, why: TEXT}``               a genuine scenario choice, with the reason
and any number may carry ``minus: <another value>`` (e.g. a discount = Brent − Urals). The loader
attaches a :class:`~oilimpact.provenance.Source` to each: the assumption's page, or the article quote.
``checks`` compare a parameter with an article figure (``relation: equal | below | above``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from oilimpact.articles import find_figure, load_figures
from oilimpact.errors import OilImpactError
from oilimpact.model import assumptions as _assumptions
from oilimpact.model.assumptions import Assumptions, load_assumptions
from oilimpact.model.schemas import AssumptionRef, FigureRef, LiteralValue, Preset, error_line
from oilimpact.params import Parameters, build_parameters, validate_overrides
from oilimpact.presets import GRIDS_KEY, preset_names, presets_path, read_presets
from oilimpact.project import data_dir, file_stamp, relative_to_root
from oilimpact.provenance import Source
from oilimpact.yamlfile import Lines, read_yaml_mapping


@dataclass(frozen=True)
class Scenario:
    """A preset: parameter values and, for each, the sources it was traced to."""

    name: str
    title: str
    description: str
    values: dict[str, Any]
    sources: dict[str, Source]
    traces: dict[str, list[Source]] = field(default_factory=dict)

    def all_sources(self) -> list[Source]:
        seen: dict[Source, None] = {}
        for sources in self.traces.values():
            for source in sources:
                seen.setdefault(source, None)
        return list(seen)


def default_path() -> Path:
    return presets_path()


def figures_path() -> Path:
    return data_dir() / "figures.csv"


_TAKE = ("low", "high", "midpoint")


def _figure(frame: pd.DataFrame, selector: dict[str, Any], fail: Callable[[str], OilImpactError],
            take: str | None = None):
    """The one row of data/figures.csv that ``selector`` picks, as its value and the article's citation
    (``take`` picks the low end, the high end or the midpoint of a range)."""

    if not isinstance(selector, dict) or "metric" not in selector:
        raise fail("figure: needs at least {metric: NAME}")
    rows = frame
    for column, wanted in selector.items():
        if column not in frame.columns:
            raise fail(f"figure: data/figures.csv has no column {column!r}")
        if column == "value":
            rows = rows[(rows[column] - float(wanted)).abs() < 1e-9]
        else:
            rows = rows[rows[column].astype(str) == str(wanted)]
    if len(rows) != 1:
        found = "no row" if rows.empty else f"{len(rows)} rows"
        raise fail(f"figure {selector}: matches {found} of data/figures.csv (exactly one needed)")
    figure = find_figure(rows, selector["metric"])
    if take is None:
        return figure.value, [figure.to_source()]
    if take not in _TAKE:
        raise fail(f"figure: take must be one of {', '.join(_TAKE)}, got {take!r}")
    if figure.value_high is None:
        raise fail(f"figure {selector}: take: {take} needs a range, and {figure.text!r} is not one")
    value = {"low": figure.value, "high": figure.value_high, "midpoint": figure.midpoint}[take]
    return value, [figure.to_source()]


def _resolve(
    spec: AssumptionRef | FigureRef | LiteralValue,
    assumptions: Assumptions,
    figures: Callable[[], pd.DataFrame],
    fail: Callable[[str], OilImpactError],
) -> tuple[Any, list[Source]]:
    """The number (or text) a value of the file stands for, already checked by :class:`Preset`."""
    if isinstance(spec, LiteralValue):
        value, sources = spec.value, [Source("parameter", spec.why.strip())]
    elif isinstance(spec, AssumptionRef):
        key = spec.assumption
        if key not in assumptions:
            raise fail(f"no assumption {key!r} in data/assumptions.yaml")
        entry = assumptions.get(key)
        try:
            if spec.at is not None:
                value = entry.at(spec.at)
            elif spec.mean is not None:
                low, high = spec.mean
                chosen = [v for label, v in entry.series().items() if low <= label <= high]
                if not chosen:
                    raise fail(f"assumption {key}: no entries from {low} to {high}")
                value = sum(chosen) / len(chosen)
            else:
                value = entry.number()
        except OilImpactError as exc:
            raise fail(str(exc)) from None
        sources = [entry.source]
    else:
        value, sources = _figure(figures(), dict(spec.figure), fail, spec.take)
    if spec.minus is not None:
        other, more = _resolve(spec.minus, assumptions, figures, fail)
        if isinstance(other, str):
            raise fail(f"minus: must stand for a number, got the text {other!r}")
        value, sources = value - other, sources + more
    return value, sources


def parse_scenarios(
    text: str, where: Path, assumptions: Assumptions | None = None, figures: pd.DataFrame | Path | None = None
) -> dict[str, Scenario]:
    """Scenarios from YAML text; ``figures`` a frame or CSV path (default data/figures.csv, read lazily)."""
    shown = relative_to_root(where)
    raw, lines = read_yaml_mapping(text, shown, "scenario names to presets")
    raw.pop(GRIDS_KEY, None)  # the named grids, not a preset
    return _scenarios(raw, lines, shown, assumptions, figures)


def _scenarios(
    raw: dict, lines: Lines, shown: str, assumptions: Assumptions | None,
    figures: pd.DataFrame | Path | None,
) -> dict[str, Scenario]:
    assumptions = assumptions if assumptions is not None else load_assumptions()
    cache: dict[str, pd.DataFrame] = {}

    def figure_frame() -> pd.DataFrame:
        if "frame" not in cache:
            cache["frame"] = (
                figures
                if isinstance(figures, pd.DataFrame)
                else load_figures(Path(figures) if figures is not None else figures_path())
            )
        return cache["frame"]

    scenarios: dict[str, Scenario] = {}
    for name, body in raw.items():
        line = lines.get(str(name))

        def fail(
            message: str, _name: str = str(name), _line: int | None = line
        ) -> OilImpactError:
            return OilImpactError(f"scenario {_name}: {message}", where=shown, line=_line)

        try:
            preset = Preset.model_validate(body)
        except ValidationError as exc:
            raise error_line(exc, lines, str(name), shown, f"scenario {name}") from None
        values: dict[str, Any] = {}
        traces: dict[str, list[Source]] = {}
        for param, spec in preset.values.items():

            def fail_param(message: str, _param: str = str(param), _name: str = str(name),
                           _line: int | None = line) -> OilImpactError:
                return OilImpactError(f"scenario {_name}: {_param}: {message}", where=shown,
                                      line=lines.at(_name, "values", _param) or _line)

            value, sources = _resolve(spec, assumptions, figure_frame, fail_param)
            values[param] = round(value, 6) if isinstance(value, float) else value
            traces[param] = sources
        try:
            values = validate_overrides(values)
        except OilImpactError as exc:
            raise fail(str(exc)) from None
        for check in preset.checks or []:
            param, relation = check.parameter, check.relation
            if param not in values:
                raise fail(f"check on {param!r}: the scenario does not set it")
            if isinstance(values[param], str):
                raise fail(f"check on {param}: compares a number with a figure, and {param} is text")
            figure, sources = _resolve(FigureRef(figure=check.figure), assumptions, figure_frame, fail)
            ok = {
                "equal": abs(values[param] - figure) < 1e-6,
                "below": values[param] < figure,
                "above": values[param] > figure,
            }[relation]
            if not ok:
                raise fail(f"check on {param}: {values[param]:g} is not {relation} the article's {figure:g}")
            traces[param] = traces[param] + sources
        scenarios[str(name)] = Scenario(
            str(name),
            preset.title or str(name),
            " ".join(preset.description.split()),
            values,
            {p: s[0] for p, s in traces.items()},
            traces,
        )
    return scenarios


def load_scenarios(
    path: str | Path | None = None,
    *,
    figures: pd.DataFrame | Path | None = None,
    assumptions: Assumptions | None = None,
) -> dict[str, Scenario]:
    """The presets of ``data/scenarios.yaml`` (or ``path``), in file order, values traced to sources.
    The project's own files are read once per version of them (a report asks dozens of times)."""
    if path is None and figures is None and assumptions is None:
        stamp = file_stamp(presets_path(), figures_path(), _assumptions.default_path())
        return dict(_project_scenarios(stamp))
    raw, lines, shown = read_presets(path)
    return _scenarios(raw, lines, shown, assumptions, figures)


@lru_cache(maxsize=4)
def _project_scenarios(_stamp: tuple) -> dict[str, Scenario]:
    raw, lines, shown = read_presets(None)
    return _scenarios(raw, lines, shown, None, None)


def scenario_names() -> list[str]:
    """Preset names in file order (read without resolving sources)."""
    return preset_names()


def resolve_parameters(scenario: str = "budget_law", **overrides: Any) -> Parameters:
    """The scenario's parameters with ``overrides`` on top (``None`` = the scenario's value)."""
    checked = validate_overrides(overrides)
    presets = load_scenarios()
    if scenario not in presets:
        raise OilImpactError(f"unknown scenario {scenario!r}; known scenarios: {', '.join(presets)}")
    return build_parameters(scenario, validate_overrides(presets[scenario].values), checked)
