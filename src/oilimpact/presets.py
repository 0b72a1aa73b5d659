"""The scenario presets file, ``data/scenarios.yaml``, as a file: preset names, titles, descriptions,
and its named scenario grids (the reserved top-level key ``grids``, never a preset).

:mod:`oilimpact.model.scenarios` resolves each preset's values against the assumptions and the
article figures; this module only reads the file (PyYAML, no pandas), because the render step needs
the names and titles on every run, including its sub-second no-op run.
"""

from __future__ import annotations

from pathlib import Path

from oilimpact.errors import OilImpactError
from oilimpact.project import data_dir, read_text, relative_to_root
from oilimpact.yamlfile import read_yaml_mapping

GRIDS_KEY = "grids"


def presets_path() -> Path:
    """``data/scenarios.yaml`` of the project."""
    return data_dir() / "scenarios.yaml"


def read_presets(path: str | Path | None = None) -> tuple[dict, dict[str, int], str]:
    """The file's top-level mapping (preset name → body), the line of each name, and the file as shown
    in errors; raises :class:`OilImpactError` naming the file (and line) when it is unreadable."""
    file = Path(path) if path is not None else presets_path()
    shown = relative_to_root(file)
    text = read_text(file, what="scenarios file")
    raw, lines = read_yaml_mapping(text, shown, "scenario names to presets")
    raw.pop(GRIDS_KEY, None)
    lines.pop(GRIDS_KEY, None)
    return raw, lines, shown


def read_grids(path: str | Path | None = None) -> dict:
    """The named grids (``grids:`` → name → ``{preset, axes, title}``), unchecked; empty when the file
    or the key is missing (:func:`oilimpact.report.gridplan.named_grid` checks one when it is used)."""
    file = Path(path) if path is not None else presets_path()
    if not file.is_file():
        return {}
    shown = relative_to_root(file)
    text = read_text(file, what="scenarios file")
    raw, _lines = read_yaml_mapping(text, shown, "scenario names to presets")
    grids = raw.get(GRIDS_KEY) or {}
    if not isinstance(grids, dict):
        raise OilImpactError(f"{GRIDS_KEY}: must be a mapping of grid names to {{preset, axes}}", where=shown)
    return grids


def preset_summaries(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Each preset's ``title`` and ``description`` (whitespace folded), in file order; empty when the
    project has no scenarios file."""
    file = Path(path) if path is not None else presets_path()
    if not file.is_file():
        return {}
    raw, _lines, _shown = read_presets(file)
    return {
        str(name): {key: " ".join(str(spec.get(key, "")).split()) for key in ("title", "description")}
        if isinstance(spec, dict) else {"title": "", "description": ""}
        for name, spec in raw.items()
    }


def preset_names(path: str | Path | None = None) -> list[str]:
    """The presets' names in file order; empty when the project has no scenarios file."""
    return list(preset_summaries(path))
