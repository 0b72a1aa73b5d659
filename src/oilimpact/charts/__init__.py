"""House-style charts: one function per chart, data and sources in, a matplotlib Figure out.

Rules every chart follows (the notebooks only call these):

- The title states the finding (computed from the data when not given); a grey subtitle says what
  is plotted and in which unit; axes carry labels with units; bars start at zero.
- Series differ by line style and marker as well as colour, so a greyscale print still tells them
  apart; upper bounds ("less than $50") and negative changes are hatched.
- Every figure gets a caption ``Source: …`` built by :func:`oilimpact.provenance.caption` from the
  sources the caller passes — never typed.
- Figures are created without pyplot (no global state, no double display in notebooks) inside the
  house style (``oilimpact.mplstyle``); :func:`save` writes byte-identical SVG/PDF/PNG for the same
  input (fixed SVG hash salt, no timestamps, text as paths).

Months: any monthly index (``DatetimeIndex`` or ``PeriodIndex``) is accepted and drawn at the
first day of the month.
"""


from __future__ import annotations

from oilimpact.charts.articles import headline, timeline
from oilimpact.charts.base import (
    ACCENT,
    CAPTION_GID,
    LOOKS,
    SCENARIO_LOOKS,
    STYLE,
    Look,
    caption,
    caption_text,
    save,
    scenario_looks,
    setup,
)
from oilimpact.charts.budget import backtest, deficit_nwf, revenue_vs_plan, tornado, waterfall
from oilimpact.charts.compare import compare_paths
from oilimpact.charts.prices import price_paths
from oilimpact.charts.risk import fan, histogram
from oilimpact.charts.surface import heatmap
from oilimpact.charts.tracker import year_to_date

__all__ = [
    "compare_paths",
    "ACCENT",
    "CAPTION_GID",
    "LOOKS",
    "SCENARIO_LOOKS",
    "STYLE",
    "Look",
    "backtest",
    "caption",
    "caption_text",
    "deficit_nwf",
    "fan",
    "headline",
    "heatmap",
    "histogram",
    "price_paths",
    "revenue_vs_plan",
    "save",
    "scenario_looks",
    "setup",
    "timeline",
    "tornado",
    "waterfall",
    "year_to_date",
]
