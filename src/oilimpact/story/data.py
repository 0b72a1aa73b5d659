"""The model's own tables for a report's data package: the scenario month by month and its year.

A notebook calls :func:`publish_result` once for its scenario; the monthly table and the annual
summary then travel, invisibly, with the executed notebook (:func:`oilimpact.dataset.publish`) and the
render step writes them as ``monthly.csv`` and ``annual.csv`` beside the charts' data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from oilimpact.dataset import publish, unit_of

_ANNUAL_UNITS = {"year": "", "og_months_published": "months", "og_months_nowcast": "months",
                 "og_months_scenario": "months", "deficit_published_to": "month"}


def _unit(name: str) -> str:
    if name.endswith("_share"):
        return "share (0–1)"
    if name.endswith("_index"):
        return "index (1 = the reference)"
    return unit_of(name) or unit_of(f"_{name}")


def annual_frame(result: Any) -> pd.DataFrame:
    """The annual summary as rows: measure, value (numbers), text (the others), unit."""
    rows = []
    for name, value in result.annual.items():
        number = isinstance(value, int | float) and not isinstance(value, bool) and pd.notna(value)
        rows.append({"measure": name, "value": float(value) if number else None,
                     "text": None if number or value is None or value == "" else str(value),
                     "unit": _ANNUAL_UNITS.get(name, _unit(name))})
    return pd.DataFrame(rows, columns=["measure", "value", "text", "unit"]).set_index("measure")


def publish_result(result: Any, prefix: str = "") -> None:
    """Add the scenario's monthly table and annual summary to the report's data (shown to no one), as
    ``<prefix>monthly`` and ``<prefix>annual``."""
    scenario = result.params.scenario
    monthly = result.monthly
    units = {str(c): _unit(str(c)) for c in monthly.columns}
    publish(f"{prefix}monthly", monthly, f"Month by month, scenario {scenario}", units=units,
            sources=result.sources,
            description="The model's monthly table: prices, the rouble, volumes, each revenue term, the "
            "plan, the budget rule's base revenue and the National Wealth Fund; published months as "
            "received (revenue_status).")
    year = int(result.annual.get("year", 0)) or ""
    publish(f"{prefix}annual", annual_frame(result), f"The year {year}, scenario {scenario}",
            units={"value": ""}, sources=result.sources,
            description="The annual summary: revenue and its gap to the plan, the deficit, the fund, the "
            "sensitivities; each row in its own unit.")
