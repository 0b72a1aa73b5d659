"""Time the figure extractor on the worst inputs it accepts: number-dense run-on text ("$1 " repeated,
up to the article's number limit) and a 1 MB article of prose; the time should grow linearly with the
text, and an article over the number limit is refused at once.

Run ``python bench/worst_case_bench.py`` (or ``make bench``). Prints timings; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from oilimpact.articles.figures import extract_figures
from oilimpact.articles.text import MAX_NUMBERS, Article

PROSE = ("Russia's oil and gas revenue fell in January as Urals traded near $41 a barrel, the ministry "
         "said on Monday. " + "The budget deficit widened while officials discussed the fund. " * 11 + "\n")


def seconds(body: str) -> tuple[float, int]:
    text = f" date 2026-03-09 {body}"
    article = Article(Path("worst.txt"), "worst.txt", dt.date(2026, 3, 9), text, 17)
    started = time.perf_counter()
    found = extract_figures(article)
    return time.perf_counter() - started, len(found)


def main() -> None:
    for count in (MAX_NUMBERS // 4, MAX_NUMBERS // 2, MAX_NUMBERS):
        took, found = seconds("$1 " * count)
        print(f'"$1 " x {count:,} ({3 * count / 1e3:.0f} kB, one run-on sentence): {took:.2f} s, '
              f"{found:,} figures, {1e3 * took / count:.2f} ms a figure")
    for size in (250_000, 500_000, 1_000_000):
        took, found = seconds(PROSE * (size // len(PROSE)))
        print(f"prose, {size / 1e6:.2f} MB: {took:.2f} s, {found:,} figures, "
              f"{took / size * 1e6:.2f} s per MB")


if __name__ == "__main__":
    main()
