"""The working record of a figure while the rules of any language place it: found, not yet final.

The English rules (:mod:`oilimpact.articles.figures`) and the Russian ones
(:mod:`oilimpact.articles.ru_figures`) both produce it; the shared steps (periods, metrics) read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from oilimpact.articles.text import Sentence


@dataclass
class RawFigure:
    """A figure found but not yet placed in its context."""

    value: float
    unit: str  # "" while a bare number waits for a unit from its neighbours
    scale: str
    qualifier: str
    start: int
    end: int
    number_start: int
    sentence: Sentence
    sentence_index: int
    value_high: float | None = None
    partner: int | None = None  # index of the figure this one restates in another currency
    period: object | None = None
    metric: str = "other"
    negative: bool = False
    change: bool = False  # a change ("fell 35%", "down by"), not a level
    explicit: bool = False  # its period is named in its own sentence (not inherited)
    in_words: bool = False  # "three years", "a tenth"
    same_as: RawFigure | None = None  # the earlier figure a bare number repeats ("the 92.2 in the law")
    resumes: bool = False  # it repeats ``same_as`` with its unit: the report returns to that figure's period
