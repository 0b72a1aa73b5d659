"""Metric agreement on the model's series: of the annotated figures of a development corpus whose metric
is one of the series the model uses, the share the extractor labels with the same metric.

Run ``python bench/metric_agreement.py [en|ru] [-v]`` (default ``ru``). A figure is matched as
``score.py`` matches it: same file, same value (sign aside), and one quote containing the other.
Prints the agreement (and with ``-v`` each disagreement); asserts nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from oilimpact.articles import extract_figures, read_article

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "extraction-dev"
SETS = {"en": (DEV / "expected.yaml", DEV / "articles"),
        "ru": (DEV / "ru" / "expected.yaml", DEV / "ru" / "articles")}
# The series the model reads: O&G revenue, MET, NDD, damper, Urals, expected additional revenue, FX
# operations, the National Wealth Fund, the deficit.
SERIES = frozenset({
    "oil_gas_revenue", "ndpi_revenue", "ndd_revenue", "damper_payments", "urals_price",
    "og_additional_revenue_expected", "fx_sales_daily", "fx_sales_total", "nwf_liquid_assets", "nwf_total",
    "national_wealth_fund", "budget_deficit",
})


def main() -> None:
    name = next((a for a in sys.argv[1:] if a in SETS), "ru")
    expected_path, folder = SETS[name]
    if not expected_path.is_file():
        print(f"(no {expected_path}: nothing to measure)")
        return
    expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    agree, total, notes = 0, 0, []
    for file, entry in expected.items():
        figures = extract_figures(read_article(folder / file))
        used: set[int] = set()
        for want in entry.get("figures") or []:
            value = abs(float(want["value"]))
            hit = next((i for i, f in enumerate(figures) if i not in used
                        and abs(abs(f.value) - value) <= 1e-6 * max(1, value)
                        and (f.text in want["quote"] or want["quote"] in f.text)), None)
            if hit is None:
                continue
            used.add(hit)
            if want["metric"] in SERIES:
                total += 1
                agree += figures[hit].metric == want["metric"]
                got = figures[hit].metric
                if got != want["metric"]:
                    notes.append(f"{file[:3]} want {want['metric']} got {got}: {want['quote']}")
    print(f"{name}: metric agreement on the model's series {agree / total:.0%} ({agree}/{total})")
    if "-v" in sys.argv:
        print("\n".join(notes))


if __name__ == "__main__":
    main()
