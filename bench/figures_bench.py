"""Time the figures stage: seeds/ in a fresh process, synthetic corpora of 50/100/200 articles, and
figures per second on the extraction development corpora (../shared/extraction-dev/articles in English and
../shared/extraction-dev/ru/articles in Russian, when they are there) copied 1, 4 and 16 times — the time
per article should stay flat (linear in corpus size).

Run ``python bench/figures_bench.py`` (or ``make bench``). Prints timings; asserts nothing.
The synthetic articles are the seeds repeated with their numbers varied, written to a temp folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "extraction-dev" / "articles"
DEV_SETS = {"en": DEV, "ru": DEV.parent / "ru" / "articles"}
FRESH = (
    "import time; t = time.perf_counter(); from oilimpact.articles import read_corpus; "
    "c = read_corpus({seeds!r}); print(time.perf_counter() - t, len(c.figures), len(c.events))"
)


def fresh_process_seconds() -> tuple[float, float, int, int]:
    """Wall time of a whole fresh interpreter, and the in-process time of import + read."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", FRESH.format(seeds=str(SEEDS))], capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - started
    inner, figures, events = done.stdout.split()
    return wall, float(inner), int(figures), int(events)


def synthetic_corpus(folder: Path, count: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(count):
        text = texts[i % len(texts)]
        varied = re.sub(r"(?<=[$€])\d+", lambda m, i=i: str(int(m.group()) + i % 17), text)
        (folder / f"{i:04d}.txt").write_text(varied, encoding="utf-8")


def main() -> None:
    from oilimpact.articles import read_corpus

    wall, inner, figures, events = fresh_process_seconds()
    print(f"seeds/ ({len(list(SEEDS.glob('*.txt')))} articles, {figures} figures, {events} events), "
          f"fresh process: {wall:.3f} s wall, {inner:.3f} s import + read (target < 0.5 s)")
    for count in (50, 100, 200):
        with tempfile.TemporaryDirectory() as tmp:
            synthetic_corpus(Path(tmp), count)
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                corpus = read_corpus(Path(tmp))
                best = min(best, time.perf_counter() - started)
            print(f"synthetic {count:3d} articles: {best:.3f} s ({best / count * 1000:.2f} ms/article, "
                  f"{len(corpus.figures)} figures, {len(corpus.events)} events)")
    for language, folder in DEV_SETS.items():
        if not folder.is_dir():
            print(f"(no {folder}: skipping the {language} figures-per-second lines)")
            continue
        dev_rates(language, sorted(folder.glob("*.txt")))


def dev_rates(language: str, articles: list[Path]) -> None:
    from oilimpact.articles import read_corpus

    for copies in (1, 4, 16):
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(copies):
                for path in articles:
                    (Path(tmp) / f"{k:02d}_{path.name}").write_bytes(path.read_bytes())
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                corpus = read_corpus(Path(tmp))
                best = min(best, time.perf_counter() - started)
            n = len(articles) * copies
            rate = len(corpus.figures) / best
            print(f"extraction-dev {language} x{copies:<2d} ({n:3d} articles): {rate:,.0f} figures/s, "
                  f"{best / n * 1000:.2f} ms/article")

if __name__ == "__main__":
    main()
