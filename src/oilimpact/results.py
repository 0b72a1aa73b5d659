"""Key results a notebook records, for the render step to gather across scenarios.

A notebook calls :func:`record` for each headline number (2026 O&G revenue, deficit, NWF end balance
...). The value travels as an output with its own MIME type, so it survives in the executed
notebook, is invisible in HTML/PDF, and :func:`collect` reads it back without re-running anything.
"""

from __future__ import annotations

import math
from typing import Any

MIME_TYPE = "application/vnd.oilimpact.result+json"


def record(name: str, value: float | int | str, unit: str = "", label: str = "",
           decimals: int | None = None) -> None:
    """Record one key result of the running notebook (shown to no one, read by the renderer);
    ``decimals`` is how the index writes it (by default, by its magnitude), so a number reads the same
    on the index as in the report's prose."""
    # Imported here, for start-up speed: the render step only collects results and never needs IPython.
    from IPython.display import display

    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    payload = {"name": name, "value": value, "unit": unit, "label": label or name}
    if decimals is not None:
        payload["decimals"] = decimals
    display({MIME_TYPE: payload}, raw=True)


def collect(notebook: Any) -> dict[str, dict[str, Any]]:
    """All results recorded in an executed notebook (an nbformat node or plain dict), by name, each
    with ``order``: its position among the notebook's records, so tables keep the story's order."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            payload = output.get("data", {}).get(MIME_TYPE)
            if payload:
                found[payload["name"]] = {**payload, "order": len(found)}
    return found
