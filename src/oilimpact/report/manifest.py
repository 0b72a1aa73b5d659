"""What a report depends on, and the record of what was rendered (``reports/manifest.json``).

:func:`inputs_digest` hashes everything a notebook's reports depend on — the files of data/ and seeds/
it reads (:data:`NOTEBOOK_READS`; all of them for a notebook not listed), the whole ``oilimpact``
package's source and resources, its version and :data:`RENDER_FORMAT`; :func:`report_key` adds the
notebook, its parameters and the options. A report whose key matches its manifest entry (and whose
files are there) is skipped, so a new article in seeds/ re-renders the notebooks that read seeds/ and
a new month in data/history.csv those that read the history. Light: standard library only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import oilimpact
from oilimpact import __version__
from oilimpact.project import atomic_write, data_dir, seeds_dir
from oilimpact.report.plan import Report

KERNEL_NAME = "python3"
MANIFEST = "manifest.json"
# Bump when the output of render/export changes for the same inputs, so old reports are redone.
RENDER_FORMAT = 2
_PACKAGE_SUFFIXES = {".py", ".lua", ".typ", ".css", ".html", ".mplstyle"}
_MODEL_INPUTS = ("data/assumptions.yaml", "data/figures.csv", "data/history.csv", "data/scenarios.yaml",
                 "seeds/sources.csv")
NOTEBOOK_READS: dict[str, tuple[str, ...]] = {
    "00_brief": (*_MODEL_INPUTS, "seeds"), "01_article_figures": (*_MODEL_INPUTS, "seeds"),
    "02_price_scenarios": (*_MODEL_INPUTS, "seeds"), "03_budget_impact": _MODEL_INPUTS,
    "04_sanctions_levers": _MODEL_INPUTS, "05_risk": _MODEL_INPUTS, "06_compare": _MODEL_INPUTS,
}
"""The project files each notebook reads (by file stem; a test traces every open() of a run and checks
this table covers it). A notebook not listed depends on all of data/ and seeds/."""


def package_dir() -> Path:
    """The installed ``oilimpact`` package folder (all stages, not just ``report/``)."""
    return Path(oilimpact.__file__).resolve().parent


def _tree_digest(folder: Path, suffixes: set[str] | None = None) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
                    and (suffixes is None or path.suffix in suffixes)):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def inputs_digest(notebook: str | None = None) -> str:
    """One hash of everything the reports of ``notebook`` (a file stem; None: any notebook) depend on:
    the data/ and seeds/ files it reads, the package's source, its version and the render format."""
    package = package_dir()
    parts = [f"format={RENDER_FORMAT}", f"version={__version__}",
             f"package={_tree_digest(package, _PACKAGE_SUFFIXES)}"]
    reads = NOTEBOOK_READS.get(notebook or "")
    if reads is None:
        parts += [f"data={_tree_digest(data_dir())}", f"seeds={_tree_digest(seeds_dir())}"]
    else:
        root = data_dir().parent
        parts += [f"{name}={_tree_digest(root / name) if name == 'seeds' else _file_digest(root / name)}"
                  for name in reads]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def report_key(report: Report, inputs: str, pdf: bool) -> str:
    payload = json.dumps(
        {"inputs": inputs, "notebook": report.notebook.digest, "parameters": dict(report.parameters),
         "user_set": sorted(report.user_set), "pdf": pdf, "kernel": KERNEL_NAME},
        sort_keys=True, default=repr,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def load_manifest(reports_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((reports_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return manifest.get("reports", {}) if manifest.get("format") == RENDER_FORMAT else {}


def write_manifest(reports_dir: Path, entries: dict[str, dict[str, Any]]) -> None:
    payload = {"format": RENDER_FORMAT, "reports": dict(sorted(entries.items()))}
    atomic_write(reports_dir / MANIFEST, json.dumps(payload, indent=1, sort_keys=True, default=repr) + "\n")
