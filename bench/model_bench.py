"""Model timings: deterministic scenarios (target: milliseconds) and 100,000 Monte Carlo paths × 24 months
through the full revenue and budget model (target: under 1 s). Prints figures; asserts nothing."""

from __future__ import annotations

import time

from oilimpact import model
from oilimpact.model import resolve_parameters
from oilimpact.model.scenarios import scenario_names


def best_of(repeat: int, call) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    start = time.perf_counter()
    model.run_scenario(resolve_parameters("budget_law"))  # builds and caches the calibration
    print(f"first run (load assumptions, calibrate): {1000 * (time.perf_counter() - start):.0f} ms")
    for name in scenario_names():
        params = resolve_parameters(name)
        engine, paths, base_price = model.scenario_inputs(params, model.default_context())
        engine_only = best_of(
            50, lambda e=engine, x=paths, b=base_price: e.budget(x.urals, x.rub_usd, x.volume, b)
        )
        full = best_of(5, lambda p=params: model.run_scenario(p))
        print(
            f"scenario {name:<17} revenue+budget pass {1000 * engine_only:6.2f} ms; "
            f"run_scenario (with decomposition, sensitivities) {1000 * full:6.1f} ms"
        )
    params = resolve_parameters(
        "war_premium", mc_paths=100_000, horizon_start="2025-01", horizon_end="2026-12"
    )
    model.monte_carlo(params.replace(mc_paths=1000))
    seconds = best_of(3, lambda: model.monte_carlo(params))
    result = model.monte_carlo(params)
    print(
        f"monte carlo {params.mc_paths:,} paths x 24 months: {seconds:.3f} s (best of 3); "
        f"P(deficit > law) {result.p_deficit_above_law:.3f}"
    )
    grid = best_of(3, lambda: model.deficit_grid(range(30, 101), range(70, 111)))
    print(f"deficit grid 71 x 41 points: {1000 * grid:.1f} ms")


if __name__ == "__main__":
    main()
