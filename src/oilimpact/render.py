"""Batch rendering: every notebook × scenario → ``reports/<scenario>/<notebook>.{ipynb,html,pdf}``.

Reads ``notebooks/*.ipynb`` (any papermill-parameterized notebook: the first code cell tagged
``parameters``), the scenario presets (:func:`oilimpact.scenarios.scenario_names`, when that module
exists), ``data/`` and ``seeds/``. Writes the reports, ``reports/manifest.json`` and
``reports/index.html``.

Method, in order:

1. :func:`plan` — which reports, with which parameters. A notebook with a ``scenario`` parameter is
   rendered once per preset (or per ``-s``) into ``reports/<scenario>/``; a notebook without one is
   rendered once into ``reports/default/``. Overrides (``-p name=value``) are checked against each
   notebook's own parameters cell (names, declared types) and, for the project's parameters,
   :func:`oilimpact.params.validate_overrides` (ranges). Any mistake raises :class:`OilImpactError`
   before a kernel starts or a file is written.
2. :func:`render` — content hashes (notebook, parameters, data/, seeds/, package source and version)
   against ``manifest.json``: an unchanged report is skipped. The others run in ``jobs`` worker
   threads; each worker keeps one warm Jupyter kernel (papermill engine ``oilimpact-warm``) whose
   namespace, working folder and matplotlib state are reset between notebooks while the imported
   modules stay loaded — which is what makes a batch fast. Every file is written to a temporary
   name in its folder and renamed, the manifest after each report, so Ctrl-C never leaves a
   half-written file and the next run resumes.

A notebook that fails keeps its executed ``.ipynb`` (error visible, as papermill writes it) and an
HTML page showing the traceback; it gets no PDF, is marked ``failed`` and the others go on.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import threading
import time
import tokenize
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oilimpact import __version__, paths
from oilimpact.errors import OilImpactError
from oilimpact.paths import atomic_write

KERNEL_NAME = "python3"
ENGINE_NAME = "oilimpact-warm"
NO_SCENARIO_FOLDER = "default"
MANIFEST = "manifest.json"
# Bump when the output of render/export changes for the same inputs, so old reports are redone.
RENDER_FORMAT = 1
CELL_TIMEOUT_S = 600

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_PACKAGE_SUFFIXES = {".py", ".lua", ".typ", ".css", ".html", ".mplstyle"}


# --- notebooks and their parameters ----------------------------------------------------------------


@dataclass(frozen=True)
class NotebookParameter:
    """One line of a notebook's ``parameters`` cell: ``name: type = default  # help``."""

    name: str
    type_name: str
    default: Any
    help: str = ""


@dataclass(frozen=True)
class Notebook:
    path: Path
    parameters: tuple[NotebookParameter, ...]
    digest: str

    @property
    def name(self) -> str:
        return self.path.stem

    def parameter(self, name: str) -> NotebookParameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _comments_by_line(source: str) -> dict[int, str]:
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments


def parse_parameters(source: str, where: str = "parameters cell") -> tuple[NotebookParameter, ...]:
    """The parameters a ``parameters`` cell declares, read as papermill's Python translator does
    (assignments, optional annotation, literal default, trailing comment as help) but without
    importing papermill — this runs on every ``render``, including the sub-second no-op run."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise OilImpactError(f"the parameters cell is not valid Python: {exc.msg}", where=where,
                             line=exc.lineno) from exc
    comments = _comments_by_line(source)
    found: dict[str, NotebookParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
            annotation = ast.get_source_segment(source, node.annotation)
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = ast.get_source_segment(source, value)
        type_name = annotation or ("None" if default is None else type(default).__name__)
        found[name] = NotebookParameter(name, type_name.replace(" ", ""), default,
                                        comments.get(node.end_lineno or node.lineno, ""))
    return tuple(found.values())


def read_notebook(path: Path) -> Notebook:
    """A notebook's parameters and content hash (plain ``json``: nbformat takes ~1.5 s to import)."""
    raw = path.read_bytes()
    try:
        nb = json.loads(raw)
    except ValueError as exc:
        raise OilImpactError(f"not a notebook (invalid JSON: {exc})", where=path) from exc
    cell = next((c for c in nb.get("cells", []) if c.get("cell_type") == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])), None)
    parameters = parse_parameters(_source(cell), where=str(path)) if cell else ()
    return Notebook(path, parameters, hashlib.sha256(raw).hexdigest())


def list_notebooks(notebooks_dir: Path) -> list[Path]:
    if not notebooks_dir.is_dir():
        raise OilImpactError("no such folder (expected the notebooks, *.ipynb)", where=notebooks_dir)
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if not p.name.startswith("."))


# --- parameters from the command line --------------------------------------------------------------


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


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}`` (values stay strings until a notebook types them)."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise OilImpactError(f"-p {pair!r}: expected name=value, e.g. -p urals_price=60")
        found[name] = value
    return found


def _optional_module(name: str):
    """``oilimpact.<name>`` when it exists (written by another stage), else None."""
    import importlib

    try:
        return importlib.import_module(f"oilimpact.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"oilimpact.{name}":
            return None
        raise


def presets() -> dict[str, dict[str, str]]:
    """The scenario presets of ``data/scenarios.yaml`` in file order, with their ``title`` and
    ``description`` — read as :func:`oilimpact.scenarios.scenario_names` does, without importing the
    scenario model (it pulls in pandas, and a no-op ``render`` must take well under a second)."""
    file = paths.data_dir() / "scenarios.yaml"
    if not file.is_file():
        return {}
    import yaml

    raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return {
        str(name): {key: " ".join(str(spec.get(key, "")).split()) for key in ("title", "description")}
        if isinstance(spec, dict) else {"title": "", "description": ""}
        for name, spec in raw.items()
    }


def preset_names() -> list[str]:
    """The scenario presets' names, in file order; empty when there is no scenarios file."""
    return list(presets())


def _validate_project_parameters(raw: dict[str, str]) -> dict[str, Any]:
    """Types and ranges of the project's own parameters (``oilimpact.params``), when it exists."""
    params = _optional_module("params")
    if params is None:
        return {}
    ours = {name: value for name, value in raw.items() if name in params.PARAMETER_SPECS}
    if not ours:
        return {}
    parsed = params.parse_overrides([f"{name}={value}" for name, value in ours.items()])
    return dict(params.validate_overrides(parsed))


# --- the plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One notebook run with one set of parameters, and where its files go."""

    notebook: Notebook
    scenario: str | None
    parameters: tuple[tuple[str, Any], ...]  # injected into the notebook (scenario included)
    user_set: frozenset[str] = frozenset()  # the names the user set with -p

    @property
    def folder(self) -> str:
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
        stem = Path(want).name.removesuffix(".ipynb")
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
    notebooks_dir = (Path(notebooks_dir) if notebooks_dir is not None else paths.notebooks_dir()).resolve()
    available = list_notebooks(notebooks_dir)
    if not available:
        raise OilImpactError("no notebooks (*.ipynb) to render", where=notebooks_dir)
    selected = [read_notebook(p) for p in _select_notebooks(available, notebooks, notebooks_dir)]
    presets = list(preset_names() if presets is None else presets)

    for scenario in scenarios:
        if presets and scenario not in presets:
            raise OilImpactError(f"-s {scenario}: unknown scenario (have: {', '.join(presets)})")
        _check_name(scenario, "scenario")

    raw = parse_pairs(overrides)
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


# --- what a report depends on ----------------------------------------------------------------------


def _tree_digest(folder: Path, suffixes: set[str] | None = None) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
                    and (suffixes is None or path.suffix in suffixes)):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_digest() -> str:
    """One hash of everything every report depends on: data/, seeds/, the package's source, its
    version and the render format."""
    package = Path(__file__).resolve().parent
    parts = [
        f"format={RENDER_FORMAT}", f"version={__version__}",
        f"data={_tree_digest(paths.data_dir())}", f"seeds={_tree_digest(paths.seeds_dir())}",
        f"package={_tree_digest(package, _PACKAGE_SUFFIXES)}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def report_key(report: Report, inputs: str, pdf: bool) -> str:
    payload = json.dumps(
        {"inputs": inputs, "notebook": report.notebook.digest, "parameters": dict(report.parameters),
         "user_set": sorted(report.user_set), "pdf": pdf, "kernel": KERNEL_NAME},
        sort_keys=True, default=repr,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def data_date() -> str | None:
    """The date of the data: the latest seed article date (``date YYYY-MM-DD`` on its first line) or
    assumption ``accessed`` date in data/."""
    dates: list[str] = []
    seeds = paths.seeds_dir()
    for path in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        with path.open(encoding="utf-8", errors="replace") as handle:
            match = re.search(r"\bdate\s+(\d{4}-\d{2}-\d{2})", handle.readline())
        if match:
            dates.append(match.group(1))
    data = paths.data_dir()
    for path in sorted(data.rglob("*.y*ml")) if data.is_dir() else []:
        dates += re.findall(r"accessed:\s*['\"]?(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"))
    return max(dates) if dates else None


# --- manifest --------------------------------------------------------------------------------------


def load_manifest(reports_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((reports_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return manifest.get("reports", {}) if manifest.get("format") == RENDER_FORMAT else {}


def write_manifest(reports_dir: Path, entries: dict[str, dict[str, Any]]) -> None:
    payload = {"format": RENDER_FORMAT, "reports": dict(sorted(entries.items()))}
    atomic_write(reports_dir / MANIFEST, json.dumps(payload, indent=1, sort_keys=True, default=repr) + "\n")


# --- execution: a warm kernel per worker -----------------------------------------------------------

# Lives in its own module object inside the kernel, so resetting the user namespace keeps it.
_WARM_MODULE = """
import importlib, sys, warnings

for name in MODULES:
    try:
        importlib.import_module(name)
    except Exception:
        pass


def snapshot():
    state = {}
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        state["rc"] = dict(mpl.rcParams)
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:
        state["formats"] = sorted(inline.InlineBackend.instance().figure_formats)
    return state


STATE = snapshot()


def restore():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None and "rc" in STATE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mpl.rcParams.update(STATE["rc"])
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None and "formats" in STATE:
        inline.set_matplotlib_formats(*STATE["formats"])
"""

_WARMUP = """
import sys as _sys, types as _types
_warm = _types.ModuleType("__oilimpact_warm__")
_warm.MODULES = {modules!r}
exec({source!r}, _warm.__dict__)
_sys.modules["__oilimpact_warm__"] = _warm
del _sys, _types, _warm
"""

_RESET = """
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({cwd!r})
_sys.modules["__oilimpact_warm__"].restore()
del _os, _sys
"""


def notebook_imports(paths_: Iterable[Path]) -> list[str]:
    """The modules the notebooks import at top level of their cells (preloaded in each warm kernel)."""
    modules: dict[str, None] = {}
    for path in paths_:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse(_source(cell))
            except SyntaxError:
                continue  # IPython magics: the kernel will say what is wrong
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules.update((alias.name, None) for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules[node.module] = None
                    # `from pkg import sub` may name a submodule; names that are not fail quietly
                    modules.update((f"{node.module}.{alias.name}", None) for alias in node.names)
    return list(modules)


class WarmKernel:
    """One Jupyter kernel kept alive across notebooks: modules stay imported, state is reset."""

    def __init__(self, kernel_name: str, cwd: Path, preload: Sequence[str]):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.cwd = cwd
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        # The kernel's stderr would only repeat ipykernel's start-up notices over our progress bar.
        run_sync(self.km.start_kernel)(cwd=str(cwd), stderr=subprocess.DEVNULL)
        self._run(_WARMUP.format(modules=list(preload), source=_WARM_MODULE))

    def _run(self, code: str) -> None:
        client = self.km.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(code, silent=True, store_history=False, timeout=300,
                                               output_hook=lambda _msg: None)
        finally:
            client.stop_channels()
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue', '')}")

    def reset(self) -> None:
        """A clean namespace (execution count back to 1), the notebooks folder as cwd, matplotlib as
        after warm-up."""
        self._run(_RESET.format(cwd=str(self.cwd)))

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        return getattr(provisioner, "pid", None)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def interrupt(self) -> None:
        pid = self.pid
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):  # already gone: nothing to clean up
            run_sync(self.km.shutdown_kernel)(now=True)


def _register_engine() -> None:
    """papermill engine ``oilimpact-warm``: nbclient on the worker's warm kernel (registered on first
    use, not at import)."""
    from papermill.engines import NBClientEngine, papermill_engines

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, warm_kernel: WarmKernel | None = None,
                                     **kwargs):
            if warm_kernel is None:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            warm_kernel.reset()
            return super().execute_managed_notebook(nb_man, kernel_name, km=warm_kernel.km, **kwargs)

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


# --- one report ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """How one report went."""

    report: Report
    status: str  # ok | failed | skipped | interrupted
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    message: str = ""
    title: str = ""
    results: dict[str, Any] = field(default_factory=dict)


def resolved_values(report: Report) -> dict[str, Any]:
    """The values the scenario gives the report's parameters of ours (``oilimpact.params``) — what
    ``resolve_parameters(scenario, **overrides)`` makes of them; empty for a notebook that is not ours
    or a scenario the project does not know."""
    params = _optional_module("params")
    if report.scenario is None or params is None or not hasattr(params, "resolve_parameters"):
        return {}
    injected = dict(report.parameters)
    names = [p.name for p in report.notebook.parameters if p.name in params.PARAMETER_SPECS
             and p.name != "scenario"]
    given = {p.name: injected.get(p.name, p.default) for p in report.notebook.parameters if p.name in names}
    try:
        resolved = params.resolve_parameters(
            report.scenario, **{k: v for k, v in given.items() if v is not None}).as_dict()
    except (OilImpactError, TypeError, ValueError):
        return {}
    return {name: resolved[name] for name in names if name in resolved}


def _report_info(report: Report, nb: dict[str, Any], date: str | None, failed: bool,
                 preset: dict[str, str] | None = None):
    from oilimpact.export import Parameter, ReportInfo, notebook_subject, notebook_title

    injected = dict(report.parameters)
    resolved = resolved_values(report)
    parameters = []
    for p in report.notebook.parameters:
        value = injected.get(p.name, p.default)
        source = ""
        if value is None and p.name in resolved:
            value, source = resolved[p.name], "scenario"
        parameters.append(Parameter(p.name, value, p.help, p.name in report.user_set, source))
    return ReportInfo(
        title=notebook_title(nb, report.notebook.name), notebook=report.notebook.path.name,
        scenario=report.scenario, parameters=tuple(parameters), data_date=date, failed=failed,
        subject=notebook_subject(nb), scenario_title=(preset or {}).get("title", ""),
        scenario_description=(preset or {}).get("description", ""),
    )


def render_one(report: Report, reports_dir: Path, kernel: WarmKernel | None, *, pdf: bool = True,
               date: str | None = None, stop: threading.Event | None = None,
               preset: dict[str, str] | None = None) -> Outcome:
    """Execute one report with papermill and export it; never raises for a notebook's own error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from oilimpact import export
    from oilimpact.results import collect

    _register_engine()
    started = time.perf_counter()
    target = report.output(reports_dir, ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex}.ipynb")
    message = ""
    try:
        try:
            nb = papermill.execute_notebook(
                str(report.notebook.path), str(tmp), parameters=dict(report.parameters),
                engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME, progress_bar=False,
                request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT_S,
                warm_kernel=kernel, cwd=None if kernel else str(report.notebook.path.parent),
            )
        except PapermillExecutionError as exc:
            message = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
            nb = json.loads(tmp.read_text(encoding="utf-8"))
        if stop is not None and stop.is_set():
            tmp.unlink(missing_ok=True)
            return Outcome(report, "interrupted", time.perf_counter() - started)
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, Exception) and not (stop is not None and stop.is_set()):
            return Outcome(report, "failed", time.perf_counter() - started,
                           message=f"{type(exc).__name__}: {exc}")
        return Outcome(report, "interrupted", time.perf_counter() - started)

    failed = bool(message)
    info = _report_info(report, nb, date, failed, preset)
    outputs = [target]
    try:
        html_path = report.output(reports_dir, ".html")
        atomic_write(html_path, export.html_report(nb, info))
        outputs.append(html_path)
        pdf_path = report.output(reports_dir, ".pdf")
        if pdf and not failed:
            atomic_write(pdf_path, export.pdf_report(nb, info))
            outputs.append(pdf_path)
        else:
            pdf_path.unlink(missing_ok=True)  # a stale PDF would contradict the failed notebook
    except export.ExportError as exc:
        if stop is not None and stop.is_set():  # Ctrl-C reaches pandoc too: not the report's fault
            return Outcome(report, "interrupted", time.perf_counter() - started)
        failed, message = True, str(exc)
    return Outcome(report, "failed" if failed else "ok", time.perf_counter() - started, outputs, message,
                   info.title, collect(nb))


# --- the batch -------------------------------------------------------------------------------------


@dataclass
class Summary:
    outcomes: list[Outcome]
    seconds: float
    index: Path | None
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 130 if self.interrupted else 1 if self.count("failed") else 0


def _manifest_entry(outcome: Outcome, key: str, reports_dir: Path) -> dict[str, Any]:
    report = outcome.report
    return {
        "key": key, "status": outcome.status, "notebook": report.notebook.path.name,
        "notebook_name": report.notebook.name, "scenario": report.scenario, "title": outcome.title,
        "parameters": dict(report.parameters), "seconds": round(outcome.seconds, 2),
        "outputs": [p.relative_to(reports_dir).as_posix() for p in outcome.outputs],
        "results": outcome.results, "message": outcome.message,
    }


def _scenario_titles() -> dict[str, str]:
    return {name: spec["title"] for name, spec in presets().items() if spec.get("title")}


def write_index(reports_dir: Path, manifest: dict[str, dict[str, Any]], presets: Sequence[str],
                date: str | None) -> Path:
    """``index.html`` from the manifest (every report ever rendered here whose notebook file is there)."""
    from oilimpact.export import IndexEntry, index_html

    order = {name: i for i, name in enumerate(presets)}
    entries = sorted(
        (e for e in manifest.values() if e["outputs"] and (reports_dir / e["outputs"][0]).exists()),
        key=lambda e: (e["notebook"], e["scenario"] is not None, order.get(e["scenario"], len(order)),
                       e["scenario"] or ""),
    )
    page = index_html(
        [IndexEntry(e["notebook_name"], e["title"] or e["notebook_name"], e["scenario"], e["status"],
                    tuple(e["outputs"]), e.get("results", {})) for e in entries],
        data_date=date, scenario_titles=_scenario_titles(),
    )
    path = reports_dir / "index.html"
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        atomic_write(path, page)
    return path


def render(
    reports: Sequence[Report],
    reports_dir: Path | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = True,
    progress: bool = True,
    presets: Sequence[str] = (),
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Render ``reports`` (from :func:`plan`) into ``reports_dir``; skip the unchanged ones."""
    started = time.perf_counter()
    reports_dir = Path(reports_dir) if reports_dir is not None else paths.reports_dir()
    inputs = inputs_digest()
    manifest = load_manifest(reports_dir)
    keys = {r.name: report_key(r, inputs, pdf) for r in reports}
    outcomes: list[Outcome] = []
    todo: list[Report] = []
    for report in reports:
        entry = manifest.get(report.name)
        fresh = (entry is not None and entry["key"] == keys[report.name] and entry["status"] == "ok"
                 and all((reports_dir / p).exists() for p in entry["outputs"]))
        if fresh and not force:
            outcomes.append(Outcome(report, "skipped", 0.0, [reports_dir / p for p in entry["outputs"]],
                                    title=entry["title"], results=entry["results"]))
        else:
            todo.append(report)

    date = data_date()
    interrupted = False
    if todo:
        done, interrupted = _run_parallel(todo, reports_dir, jobs or os.cpu_count() or 1, pdf, date, progress,
                                          manifest, keys, on_outcome)
        outcomes += done
    index = None
    if not interrupted and (todo or not (reports_dir / "index.html").exists()):
        index = write_index(reports_dir, manifest, presets, date)
    elif (reports_dir / "index.html").exists():
        index = reports_dir / "index.html"
    order = {r.name: i for i, r in enumerate(reports)}
    outcomes.sort(key=lambda o: order[o.report.name])
    return Summary(outcomes, time.perf_counter() - started, index, interrupted)


def _run_parallel(todo, reports_dir, jobs, pdf, date, progress, manifest, keys, on_outcome):
    import queue

    from tqdm import tqdm

    pending: queue.Queue[Report] = queue.Queue()
    for report in todo:
        pending.put(report)
    finished: queue.Queue[Outcome] = queue.Queue()
    stop = threading.Event()
    kernels: list[WarmKernel] = []
    lock = threading.Lock()
    cwd = todo[0].notebook.path.parent
    preset_info = presets()
    preload = notebook_imports(sorted({r.notebook.path for r in todo}))

    def worker() -> None:
        kernel: WarmKernel | None = None
        try:
            while not stop.is_set():
                try:
                    report = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    if kernel is None or not kernel.alive():
                        if kernel is not None:
                            kernel.shutdown()
                        kernel = WarmKernel(KERNEL_NAME, cwd, preload)
                        with lock:
                            kernels.append(kernel)
                    outcome = render_one(report, reports_dir, kernel, pdf=pdf, date=date, stop=stop,
                                         preset=preset_info.get(report.scenario or ""))
                except Exception as exc:  # kernel would not start: this report fails, the rest go on
                    outcome = Outcome(report, "failed", 0.0, message=f"{type(exc).__name__}: {exc}")
                finished.put(outcome)
        finally:
            if kernel is not None:
                kernel.shutdown()

    threads = [threading.Thread(target=worker, name=f"render-{i}", daemon=True)
               for i in range(min(jobs, len(todo)))]
    for thread in threads:
        thread.start()
    outcomes: list[Outcome] = []
    bar = tqdm(total=len(todo), unit="report", desc="render", disable=not progress, leave=False)

    def take(outcome: Outcome, save: bool = True) -> None:
        outcomes.append(outcome)
        if outcome.status in ("ok", "failed"):
            manifest[outcome.report.name] = _manifest_entry(outcome, keys[outcome.report.name], reports_dir)
            if save:
                write_manifest(reports_dir, manifest)
        bar.set_postfix_str(f"{outcome.report.name} {outcome.status}", refresh=False)
        bar.update(1)
        if on_outcome is not None:
            on_outcome(outcome)

    interrupted = False
    try:
        while len(outcomes) < len(todo) and any(t.is_alive() for t in threads) or not finished.empty():
            try:
                take(finished.get(timeout=0.2))
            except queue.Empty:
                continue
    except KeyboardInterrupt:
        interrupted = True
        stop.set()
        with lock:
            for kernel in kernels:
                kernel.interrupt()
        for thread in threads:
            thread.join(timeout=30)
        # Reports the workers finished around the Ctrl-C are whole: record them, so the next run
        # skips them (the manifest write the Ctrl-C may have cut short is redone here too).
        while not finished.empty():
            take(finished.get_nowait(), save=False)
        write_manifest(reports_dir, manifest)
    finally:
        bar.close()
    return outcomes, interrupted


def _display(path: Path) -> str:
    return paths.relative_to_root(path) if path.is_absolute() else str(path)


def summary_table(summary: Summary, reports_dir: Path) -> str:
    """The end-of-run table: report, status, time, outputs; then totals and where the index is."""
    rows = []
    for outcome in summary.outcomes:
        if outcome.outputs:
            stem = outcome.outputs[0].with_suffix("")
            suffixes = ",".join(p.suffix.lstrip(".") for p in outcome.outputs)
            many = len(outcome.outputs) > 1
            where = f"{_display(stem)}.{{{suffixes}}}" if many else _display(outcome.outputs[0])
        else:
            where = ""
        seconds = "-" if outcome.status == "skipped" else f"{outcome.seconds:.1f}s"
        rows.append((outcome.report.name, outcome.status, seconds, where, outcome.message))
    header = ("report", "status", "time", "outputs")
    widths = [max([len(header[i])] + [len(r[i]) for r in rows]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header[:3], widths, strict=True)) + "  " + header[3]]
    for row in rows:
        line = "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        lines.append(line.rstrip())
        if row[4]:
            lines.append(f"    {row[4]}")
    statuses = ("ok", "skipped", "failed", "interrupted")
    counts = [f"{summary.count(s)} {s}" for s in statuses if summary.count(s)]
    lines.append(f"{len(summary.outcomes)} reports: {', '.join(counts)} in {summary.seconds:.1f}s")
    if summary.interrupted:
        lines.append("interrupted: run the same command again to resume")
    if summary.index is not None:
        lines.append(f"index: {_display(summary.index)}")
    return "\n".join(lines)
