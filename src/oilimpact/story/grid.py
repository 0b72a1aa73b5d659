"""Where a report's scenario sits in a grid of scenarios: the model over the grid's axes, around it.

A notebook passes its parameters and the grid's axes (``{"urals_price": [40, 50, 60], "rub_usd":
[80, 90, 100]}``); the model runs once per point (a few milliseconds each), so the table and the
sentence need no rendered reports.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from oilimpact.fmt import bn_rub
from oilimpact.model import run_scenario

RESULT = "og_revenue_bn_rub"


def grid_frame(p: Any, axes: Mapping[str, Sequence[float]], result: str = RESULT) -> pd.DataFrame:
    """The year's ``result`` at every point: rows the first axis, columns the second (if any)."""
    names = list(axes)
    if not 1 <= len(names) <= 2:
        raise ValueError("grid_frame shows one or two axes")
    cols = list(axes[names[1]]) if len(names) == 2 else [None]
    frame = pd.DataFrame(index=pd.Index(list(axes[names[0]]), name=names[0]),
                         columns=pd.Index(cols, name=names[1] if len(names) == 2 else None), dtype=float)
    for row, col in itertools.product(frame.index, frame.columns):
        changes = {names[0]: row, **({names[1]: col} if col is not None else {})}
        frame.loc[row, col] = float(run_scenario(p.replace(**changes)).annual[result])
    return frame.round(0)


def grid_position_markdown(p: Any, axes: Mapping[str, Sequence[float]], result: str = RESULT) -> str:
    """One sentence: how many of the grid's points give less than the scenario, and the grid's range."""
    frame = grid_frame(p, axes, result)
    own = float(run_scenario(p).annual[result])
    values = frame.to_numpy().ravel()
    below = int((values < own).sum())
    return (f"Of the grid's {values.size} points, {below} give less 2026 oil and gas revenue than this "
            f"scenario's {bn_rub(own)}; the grid runs from {bn_rub(float(values.min()))} to "
            f"{bn_rub(float(values.max()))}.")
