"""Which reports to render, with which parameters, every input checked before anything runs.

A notebook with a ``scenario`` parameter is rendered once per preset (or per ``-s``) into
``reports/<scenario>/``; a notebook without one once into ``reports/default/``. Overrides
(``-p name=value``, read by :func:`oilimpact.params.split_pairs`) are checked against each notebook's
own parameters cell (names, declared types) and, for the project's parameters, against
:data:`oilimpact.params.PARAMETER_SPECS` (ranges). Any mistake raises :class:`OilImpactError` before
a kernel starts or a file is written. Light: no pandas, no papermill.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oilimpact import params
from oilimpact import presets as preset_file
from oilimpact.errors import OilImpactError
from oilimpact.project import notebooks_dir as default_notebooks_dir
from oilimpact.project import seeds_dir as default_seeds_dir
from oilimpact.report.gridplan import Grid, format_value
from oilimpact.report.notebook import Notebook, NotebookParameter, list_notebooks, read_notebook

NO_SCENARIO_FOLDER = "default"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _type_options(type_name: str) -> list[str]:
    match = re.fullmatch(r"(?:typing\.)?Optional\[(.+)\]", type_name)
    if match:
        return [match.group(1), "None"]
    return type_name.split("|")


_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def coerce(parameter: NotebookParameter, raw: str, where: str) -> Any:
    """``raw`` (from ``-p name=raw``) as the type the parameters cell declares."""
    options = _type_options(parameter.type_name)
    text = raw.strip()
    if "None" in options and text.lower() in ("none", "null", ""):
        return None
    for option in options:
        try:
            if option == "bool":
                return _BOOLS[text.lower()]
            if option == "int":
                return int(text)
            if option == "float":
                return float(text)
        except (KeyError, ValueError):
            continue
        if option == "str":
            return raw
    if not set(options) & {"bool", "int", "float", "str", "None"}:
        try:  # an annotation we do not know (list[str] ...): a Python literal, else the string
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return raw
    raise OilImpactError(
        f"parameter {parameter.name}: {raw!r} is not of type {parameter.type_name.replace('|', ' | ')}",
        where=where,
    )


def _seeds_dir(value: Any, values: dict[str, Any], presets: Sequence[str]) -> Any:
    folder = Path(str(value)).expanduser()
    if not folder.is_dir():
        raise OilImpactError(f"parameter seeds_dir: {value!r} is not a folder; give a folder of article "
                             "files (*.txt), or leave it out for the project's seeds/")
    if not any(folder.glob("*.txt")):
        raise OilImpactError(f"parameter seeds_dir: {value!r} has no *.txt articles; give a folder of them")
    return str(folder.resolve())  # the kernel runs in the notebooks' folder: a relative path would move


def _article(value: Any, values: dict[str, Any], presets: Sequence[str]) -> Any:
    folder = Path(values.get("seeds_dir") or default_seeds_dir())
    names = sorted(path.name for path in folder.glob("*.txt"))
    chosen = [name for name in names if name == value or name.startswith(str(value))]
    if len(chosen) != 1:
        found = "no article" if not chosen else f"{len(chosen)} articles"
        raise OilImpactError(f"parameter article: {found} matches {value!r}; give one of {', '.join(names)}")
    return value


def _compare_to(value: Any, values: dict[str, Any], presets: Sequence[str]) -> Any:
    if presets and value not in presets:
        raise OilImpactError(f"parameter compare_to: {value!r} is not a scenario "
                             f"(have: {', '.join(presets)})")
    return value


NOTEBOOK_VALUE_CHECKS = {"seeds_dir": _seeds_dir, "article": _article, "compare_to": _compare_to}
"""The notebooks' own parameters that are not model parameters, checked before a kernel starts (a
mistyped folder would otherwise fail the report in its kernel, after the work of starting it)."""


def check_notebook_values(values: dict[str, Any], presets: Sequence[str] = ()) -> dict[str, Any]:
    """``values`` (name → typed value of one notebook) with each of :data:`NOTEBOOK_VALUE_CHECKS`
    applied to the ones given (``None`` and empty mean the notebook's default)."""
    checked = dict(values)
    for name in ("seeds_dir", "article", "compare_to"):  # seeds_dir first: article is looked up in it
        if checked.get(name) not in (None, ""):
            checked[name] = NOTEBOOK_VALUE_CHECKS[name](checked[name], checked, presets)
    return checked


def preset_names() -> list[str]:
    """The scenario presets' names, in file order (:func:`oilimpact.presets.preset_names`)."""
    return list(preset_file.preset_summaries())


def _validate_project_parameters(raw: dict[str, str]) -> dict[str, Any]:
    """Types and ranges of the project's own parameters (:data:`oilimpact.params.PARAMETER_SPECS`)."""
    ours = {name: value for name, value in raw.items() if name in params.PARAMETER_SPECS}
    if not ours:
        return {}
    parsed = params.parse_overrides([f"{name}={value}" for name, value in ours.items()])
    return dict(params.validate_overrides(parsed))


@dataclass(frozen=True)
class Report:
    """One notebook run with one set of parameters, and where its files go."""

    notebook: Notebook
    scenario: str | None
    parameters: tuple[tuple[str, Any], ...]  # injected into the notebook (scenario included)
    user_set: frozenset[str] = frozenset()  # the names the user set with -p (or a grid's axes)
    point: str | None = None  # a grid point's or a comparison's readable id
    slot: str | None = None  # its folder under reports/ (the id made file-system safe)
    axes: tuple[tuple[str, float], ...] = ()  # a grid point's axis values

    @property
    def folder(self) -> str:
        if self.slot is not None:
            return self.slot
        return self.scenario if self.scenario is not None else NO_SCENARIO_FOLDER

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.notebook.name}"

    def output(self, reports_dir: Path, suffix: str) -> Path:
        return reports_dir / self.folder / f"{self.notebook.name}{suffix}"


def _select_notebooks(available: list[Path], wanted: Sequence[str], notebooks_dir: Path) -> list[Path]:
    if not wanted:
        return available
    chosen: list[Path] = []
    for want in wanted:
        if "/" in want or "\\" in want or want in (".", "..") or not want.strip():
            raise OilImpactError(f"-n {want!r}: give a notebook's name or number prefix, not a path "
                                 f"(notebooks are read from {notebooks_dir})")
        stem = want.removesuffix(".ipynb")
        matches = [p for p in available if p.stem == stem] or [
            p for p in available if p.stem.split("_", 1)[0] == stem
        ]
        if len(matches) != 1:
            names = ", ".join(p.stem for p in available) or "none"
            raise OilImpactError(f"-n {want}: no such notebook in {notebooks_dir} (have: {names})")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def _check_name(name: str, what: str) -> None:
    if not _SAFE_NAME.match(name) or name == NO_SCENARIO_FOLDER and what == "scenario":
        raise OilImpactError(
            f"{what} {name!r}: not usable as a folder name under reports/ "
            "(letters, digits, '_' and '-', not starting with '-' or '_'"
            + (f", not {NO_SCENARIO_FOLDER!r})" if what == "scenario" else ")")
        )


def plan(
    notebooks_dir: Path | None = None,
    *,
    notebooks: Sequence[str] = (),
    scenarios: Sequence[str] = (),
    overrides: Sequence[str] = (),
    presets: Sequence[str] | None = None,
) -> list[Report]:
    """The reports to render, every input checked; raises :class:`OilImpactError` on the first mistake.

    ``notebooks``: stems, file names or number prefixes (``01``); ``scenarios``: preset names
    (default all presets; a notebook without a ``scenario`` parameter is then rendered once into
    ``default/``, and skipped when ``scenarios`` narrows the run unless named in ``notebooks``);
    ``overrides``: ``name=value`` strings; ``presets``: the known scenario names (default
    :func:`preset_names`; empty = any safe name, each notebook's own default when none is given).
    """
    notebooks_dir = (Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()).resolve()
    available = list_notebooks(notebooks_dir)
    if not available:
        raise OilImpactError("no notebooks (*.ipynb) to render", where=notebooks_dir)
    selected = [read_notebook(p) for p in _select_notebooks(available, notebooks, notebooks_dir)]
    presets = list(preset_names() if presets is None else presets)

    for scenario in scenarios:
        if presets and scenario not in presets:
            raise OilImpactError(f"-s {scenario}: unknown scenario (have: {', '.join(presets)})")
        _check_name(scenario, "scenario")

    raw = params.split_pairs(overrides)
    if "scenario" in raw:
        raise OilImpactError("-p scenario=...: choose scenarios with -s/--scenario")
    for name in raw:
        if not any(nb.parameter(name) for nb in selected):
            known = sorted({p.name for nb in selected for p in nb.parameters if p.name != "scenario"})
            raise OilImpactError(
                f"-p {name}: no selected notebook has this parameter (have: {', '.join(known) or 'none'})"
            )
    project_values = _validate_project_parameters(raw)

    reports: list[Report] = []
    for nb in selected:
        where = str(nb.path.name)
        values = {
            name: project_values[name] if name in project_values else coerce(nb.parameter(name), value, where)
            for name, value in raw.items() if nb.parameter(name)
        }
        values = check_notebook_values(values, presets)
        scenario_param = nb.parameter("scenario")
        if scenario_param is None:
            if scenarios and not notebooks:
                continue
            runs: list[str | None] = [None]
        else:
            runs = list(scenarios) or presets or [str(scenario_param.default)]
        for scenario in runs:
            injected = dict(values)
            if scenario is not None:
                _check_name(scenario, "scenario")
                injected = {"scenario": scenario, **values}
            reports.append(Report(nb, scenario, tuple(injected.items()), frozenset(values)))
    if not reports:
        raise OilImpactError("nothing to render: no selected notebook has a scenario parameter")
    return reports


def plan_grids(
    grids: Sequence[Grid],
    notebooks_dir: Path | None = None,
    *,
    notebooks: Sequence[str] = (),
    overrides: Sequence[str] = (),
    presets: Sequence[str] | None = None,
) -> list[Report]:
    """One report per grid point × selected notebook that has the grid's parameters, every input
    checked (:func:`plan` for the notebooks and ``-p``; :mod:`~oilimpact.report.gridplan` the axes).
    A point shared by two grids is one report."""
    given = params.split_pairs(overrides)
    reports: dict[str, Report] = {}
    for grid in grids:
        names = [axis.name for axis in grid.axes]
        for name in names:
            if name in given:
                raise OilImpactError(f"-p {name}: also a --grid axis; give it once")
        base = [r for r in plan(notebooks_dir, notebooks=notebooks, scenarios=[grid.preset],
                                overrides=overrides, presets=presets) if r.scenario is not None]
        usable = [r for r in base if all(r.notebook.parameter(n) for n in names)]
        for report in base:
            if report not in usable and notebooks:
                missing = [n for n in names if not report.notebook.parameter(n)]
                raise OilImpactError(f"-n {report.notebook.name}: has no parameter {', '.join(missing)} "
                                     "for the grid's axes")
        if not usable:
            raise OilImpactError(f"--grid: no selected notebook has the parameters {', '.join(names)}")
        for report in usable:
            where = report.notebook.path.name
            for point in grid.points():
                values = {n: coerce(report.notebook.parameter(n), format_value(v), where)
                          for n, v in point.values}
                made = Report(report.notebook, grid.preset, (*report.parameters, *values.items()),
                              report.user_set | set(names), point.id, point.folder, point.values)
                reports.setdefault(made.name, made)
    return list(reports.values())


def plan_compare(scenario: str, compare_to: str, notebooks_dir: Path | None = None, *,
                 presets: Sequence[str] | None = None) -> list[Report]:
    """The comparison of two presets: each notebook with a ``compare_to`` parameter, rendered into
    ``reports/compare.<A>.<B>/``."""
    notebooks_dir = (Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()).resolve()
    known = list(preset_names() if presets is None else presets)
    for name in (scenario, compare_to):
        if known and name not in known:
            raise OilImpactError(f"--compare {name}: unknown scenario (have: {', '.join(known)})")
        _check_name(name, "scenario")
    if scenario == compare_to:
        raise OilImpactError(f"--compare {scenario} {compare_to}: give two different scenarios")
    found = [nb for nb in map(read_notebook, list_notebooks(notebooks_dir))
             if nb.parameter("compare_to") and nb.parameter("scenario")]
    if not found:
        raise OilImpactError("--compare: no notebook has scenario and compare_to parameters",
                             where=notebooks_dir)
    return [Report(nb, scenario, (("scenario", scenario), ("compare_to", compare_to)),
                   frozenset({"compare_to"}), f"{scenario} vs {compare_to}",
                   f"compare.{scenario}.{compare_to}") for nb in found]
