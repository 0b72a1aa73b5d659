"""Metric-label agreement on an annotated corpus, matched exactly as ``score.py`` matches figures.

    oilimpact figures ../shared/extraction-dev/articles --format json \\
        | python3 bench/metric_agreement.py ../shared/extraction-dev/score.py [-v]

``score.py`` scores recall, precision, unit, scale, qualifier, sign and period but not the metric
label; this reuses its matching (same value, compatible unit, overlapping quote) and counts the found
figures whose metric equals the annotation's. It prints, it does not gate.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import yaml


def main(argv: list[str]) -> None:
    score_path = Path(next((a for a in argv if a.endswith(".py")), "../shared/extraction-dev/score.py"))
    spec = importlib.util.spec_from_file_location("score", score_path)
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    expected = yaml.safe_load((score_path.parent / "expected.yaml").read_text(encoding="utf-8"))
    recs = [r for r in score.records(sys.stdin.read()) if isinstance(r, dict)]
    used: set[int] = set()
    found = agree = 0
    wrong: Counter[tuple[str, str]] = Counter()
    for fname, art in expected.items():
        for f in art.get("figures") or []:
            for i, r in enumerate(recs):
                if i in used or score.file_of(r) != fname or not score.value_matches(f["value"], r):
                    continue
                if not score.unit_ok(str(f["unit"]), r):
                    continue
                q = score.quote_of(r)
                if not q or q in f["quote"] or f["quote"] in q or f["quote"][:40] in q:
                    used.add(i)
                    found += 1
                    if r.get("metric") == f.get("metric"):
                        agree += 1
                    else:
                        wrong[(f.get("metric"), r.get("metric"))] += 1
                        if "-v" in argv:
                            print(f"    differ metric: want {f.get('metric')!r} got {r.get('metric')!r} — "
                                  f"{fname}: {f['quote']}")
                    break
    share = f"{agree / found:.0%} ({agree}/{found})" if found else "n/a"
    print(f"metric agreement among found figures: {share}")
    if "-v" in argv:
        for (want, got), n in wrong.most_common():
            print(f"  {n:3d}  want {want} got {got}")


if __name__ == "__main__":
    main(sys.argv[1:])
