"""What a report depends on, and the record of what was rendered (``reports/manifest.json``).

:func:`inputs_digest` hashes everything every report depends on — data/, seeds/, the whole
``oilimpact`` package's source and resources, its version and :data:`RENDER_FORMAT`; :func:`report_key`
adds the notebook, its parameters and the options. A report whose key matches its manifest entry
(and whose files are there) is skipped. Light: standard library only.
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
RENDER_FORMAT = 1
_PACKAGE_SUFFIXES = {".py", ".lua", ".typ", ".css", ".html", ".mplstyle"}


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


def inputs_digest() -> str:
    """One hash of everything every report depends on: data/, seeds/, the package's source, its
    version and the render format."""
    package = package_dir()
    parts = [
        f"format={RENDER_FORMAT}", f"version={__version__}",
        f"data={_tree_digest(data_dir())}", f"seeds={_tree_digest(seeds_dir())}",
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


def load_manifest(reports_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((reports_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return manifest.get("reports", {}) if manifest.get("format") == RENDER_FORMAT else {}


def write_manifest(reports_dir: Path, entries: dict[str, dict[str, Any]]) -> None:
    payload = {"format": RENDER_FORMAT, "reports": dict(sorted(entries.items()))}
    atomic_write(reports_dir / MANIFEST, json.dumps(payload, indent=1, sort_keys=True, default=repr) + "\n")
