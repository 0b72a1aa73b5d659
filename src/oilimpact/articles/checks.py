"""Cross-checks: numbers two figures imply together — an exchange rate from an amount stated in two
currencies, or the gap between two compared figures ("$72, well above the $59 assumed")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oilimpact.articles.figures import COMPARISON_BEFORE, CURRENCIES, PAIR_BETWEEN, Figure
from oilimpact.provenance import Source

if TYPE_CHECKING:
    import pandas as pd  # here, not at the top: start-up speed (see oilimpact.articles.corpus)

@dataclass(frozen=True)
class CrossCheck:
    """A number implied by two figures: an exchange rate, or the gap between two compared figures."""

    kind: str  # implied_fx_rate | gap
    value: float
    unit: str
    quote: str
    figures: tuple[Figure, Figure]

    @property
    def source(self) -> str:
        return self.figures[0].source

    def to_sources(self) -> list[Source]:
        return [f.to_source() for f in self.figures]


CROSS_CHECK_COLUMNS = ["source", "kind", "value", "unit", "quote"]
CROSS_CHECK_KINDS = {"implied_fx_rate": "implied exchange rate", "gap": "gap between compared figures"}


def cross_checks_frame(checks: Iterable[CrossCheck]) -> pd.DataFrame:
    """One row per cross-check: the article, what kind of check, the implied number, and the words."""
    import pandas as pd  # here, not at the top: start-up speed (see oilimpact.articles.corpus)

    rows = [
        {"source": c.source, "kind": CROSS_CHECK_KINDS.get(c.kind, c.kind), "value": c.value,
         "unit": c.unit, "quote": c.quote}
        for c in checks
    ]
    return pd.DataFrame(rows, columns=CROSS_CHECK_COLUMNS)


def cross_checks(figures: Sequence[Figure], texts: dict[str, str] | None = None) -> list[CrossCheck]:
    """Implied rates from amounts stated in two currencies and gaps from compared figures.

    ``texts`` maps a source to its article text (to read the words between figures); without it
    the figures' sentences are used.
    """
    checks: list[CrossCheck] = []
    ordered = sorted(figures, key=lambda f: (f.source, f.start))
    for k in range(1, len(ordered)):
        first, second = ordered[k - 1], ordered[k]
        if first.source != second.source:
            continue
        between = _between(first, second, texts)
        if (between is not None and first.unit in CURRENCIES and second.unit in CURRENCIES
                and first.unit != second.unit and PAIR_BETWEEN.match(between) and first.amount):
            rate = round(second.amount / first.amount, 4)
            quote = f"{first.text}{between}{second.text})"
            checks.append(CrossCheck("implied_fx_rate", rate, f"{second.unit} per {first.unit}", quote,
                                     (first, second)))
    last_exact: dict[tuple[str, str, str], Figure] = {}
    for figure in ordered:
        key = (figure.source, figure.unit, figure.scale)
        lead = _comparison_lead(figure, texts)
        reference = last_exact.get(key)
        if lead is not None and reference is not None:
            gap = round(reference.value - figure.value, 6)
            quote = f"{reference.text} … {lead}{figure.text}"
            checks.append(CrossCheck("gap", gap, figure.unit, quote, (reference, figure)))
        if figure.qualifier == "exact":
            last_exact[key] = figure
    return checks


def _between(first: Figure, second: Figure, texts: dict[str, str] | None) -> str | None:
    if texts and first.source in texts:
        return texts[first.source][first.end:second.start]
    if first.sentence == second.sentence:
        a = first.sentence.find(first.text)
        b = first.sentence.find(second.text, a + len(first.text)) if a >= 0 else -1
        if b >= 0:
            return first.sentence[a + len(first.text):b]
    return None


def _comparison_lead(figure: Figure, texts: dict[str, str] | None) -> str | None:
    if texts and figure.source in texts:
        before = texts[figure.source][max(0, figure.start - 40):figure.start]
    else:
        at = figure.sentence.find(figure.text)
        if at < 0:
            return None
        before = figure.sentence[max(0, at - 40):at]
    m = COMPARISON_BEFORE.search(before)
    return m.group() if m else None
