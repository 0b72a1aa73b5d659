"""The scenario model: Urals paths → extraction tax and O&G revenues → budget rule, NWF and deficit.

This package is the public face of the model (stage 2); the work is done in its modules, bottom up:
:mod:`~oilimpact.model.assumptions` (data/assumptions.yaml, each number with its source),
:mod:`~oilimpact.model.scenarios` (data/scenarios.yaml traced to assumptions and article figures, and
:func:`resolve_parameters`), :mod:`~oilimpact.model.revenue` (tax formula, calibration),
:mod:`~oilimpact.model.inputs` (history and scenario price paths), :mod:`~oilimpact.model.budget`
(engine, plan, budget rule, NWF, deficit), :mod:`~oilimpact.model.deterministic` (one scenario,
decomposition, sensitivities), :mod:`~oilimpact.model.calibration` (fit, law check, backtest,
leave-one-out, components) and :mod:`~oilimpact.model.risk` (grid, Monte Carlo, tornado); the names
the notebooks and the CLI use are re-exported here.

## Equations

For tax-base month *t* (Urals tax price *P*, USD/bbl; rate *X*, RUB/USD; export-volume index *v*):

- **Kc** = (*P* − 15) · *X* / 261 (floored at 0).
- **Gross extraction tax** *G_t* = 919 · Kc · *Q* · *v_t* · days / 7.3 / 1,000, bn RUB, on the reference
  output *Q* = 9.326 million barrels a day (December 2025), 7.3 barrels a tonne.
- **O&G revenue received in month *m*** (taxes are paid by the 28th of the next month, so January's
  receipts reflect December's price):
  *R_m* = c₀ + c₁·*G*₍ₘ₋₁₎ + c₂·*N_m* + *s*·*S_m* + *L*₍year₎, with the NDD base
  *N_m* = [m ∈ Apr, Jul, Oct]·Σ *G* over the previous quarter + [m = Mar]·Σ *G* over Oct–Dec of the
  previous year, and the gas season *S_m* = cos(2π(month − *p*)/12), 1 in the receipts of its peak month
  *p* (chosen, with every other structural choice, at each origin from the months before it; the
  engine's, chosen at January 2026: December), −1 six months later; the NDD, a tax on
  profit, less *e* (the costs it deducts) in each NDD month where that choice is made.
  c₀ is gas, other O&G taxes and the average damper (bn RUB a month); c₁·*G* the crude extraction tax net
  of the Kc-proportional part of the deduction Dm and of the damper's price slope; c₂ the additional
  income tax (NDD) per bn RUB of extraction-tax base, one rate for the quarterly advances and the March
  settlement of the fourth quarter (the same tax on the same base); *s* the winter swing of the gas
  taxes (it sums to zero over any twelve months). c₀, c₁, c₂, *s* come from the
  structural model fitted on the 2023–2025 history in `data/history.csv`, term by term: extraction
  tax *a*·*G*, NDD *b*·*N*, damper paid out *d₀* + *d₁*·*G*, the 2023 export duty as published, gas and
  other *c* + *s*·*S*; so c₀ = *c* − *d₀*, c₁ = *a* − *d₁*, c₂ = *b*.
- **History**: the tax-base months up to December 2025 take the Urals tax price and CBR average from
  `data/history.csv` (the same numbers the structural fit uses); 2026 prices, the discount and 2026
  revenue come from `data/assumptions.yaml`. A month without a published price (February 2025) is
  interpolated and shifted so that 2025 averages the published $55.60.
- **Level term** *L*₍year₎ = (law's O&G plan − model at the law's price and rate in every month) / 12,
  applied from 2026: what the law assumes beyond price and rate (volumes, gas, damper); with it the
  law's assumptions reproduce 8,918 bn by construction (a calibration, not a check).
- **Plan** (per month) = the model at the law's price and rate plus *L*₍year₎; it sums to the law's 8,918 bn.
- **Base revenue** (budget rule) = the model with *P* replaced by the base price ($59 in 2026, −$1 a year
  to $55 in 2030) at the actual rate and volumes; **NWF flow** = revenue − base revenue (excess saved,
  shortfall drawn).
- **NWF liquid assets** by month end: *B*(end of *m*) = *B*(start of *m*) · *X*(end of *m*) / *X*(end of
  *m*−1) + *F*(*m*) − *D*(*m*). *B*(start) is the published month-start balance where there is one (each
  restarts the path), else the month before's end; the revaluation assumes the fund's yuan and gold keep
  their dollar value, so their rouble value follows RUB/USD; *F* is the budget rule's FX operations,
  published where announced, else the rule's flow; *D* the deficit financing, published where printed,
  else an assumed share (0 by default) of the deficit above the law's, spread over the months to come.
- **Deficit** = the published year-to-date deficit (January 2026: 1,718 bn) + for each later month one
  twelfth of the law's 3,786.4 bn (non-oil revenue and spending at the law's pace) + that month's O&G
  shortfall against the plan; % of GDP on 235,067 bn. Months with a published revenue use it.
- **Urals** = Brent − discount; scenario paths: flat, glide, shock-and-decay; Monte Carlo: log Urals =
  log(path) + Ornstein–Uhlenbeck deviation (volatility, reversion), so each month's median is the path;
  the rouble, discount and volumes stay on the scenario's path.
- **Export volume change** *e* % moves output by export share × *e* (crude exports 5.0 of 9.326 mb/d).
- **Levers and sensitivities**: a lever moves the whole scenario path (Urals; the rouble; the discount
  with Brent held; volumes); the model is linear in each, so *N* units move revenue by *N* times the
  per-unit change, and the tornado's bars are exactly that.
- **Decomposition** of a scenario's revenue minus the plan against what the law states (Urals, the
  rouble rate, volumes): the law's inputs are switched to the scenario's one at a time — the rouble,
  then volumes, then the Urals prices already published, then the scenario's Urals path — plus the
  published receipts minus the model; the steps sum exactly to the total. The last price step is the
  counterfactual: a price held from the first month without a published price, everything else as in
  the scenario, against the law's price over the same months.
"""

from __future__ import annotations

from oilimpact.model.assumptions import Assumptions, load_assumptions
from oilimpact.model.budget import (
    CALIBRATION_WINDOW,
    LAW_FROM,
    Context,
    Engine,
    build_context,
    default_context,
    engine_for,
    law_inputs,
)
from oilimpact.model.calibration import (
    backtest,
    calibration_check,
    calibration_table,
    coefficients,
    components_check,
    leave_one_out,
)
from oilimpact.model.deterministic import (
    BREAKEVEN_RATES,
    DECOMPOSITION_STEPS,
    LEVERS,
    ScenarioResult,
    breakeven_urals,
    counterfactual,
    decompose,
    law_baseline,
    nwf_reconciliation,
    run_scenario,
    scenario_inputs,
    sensitivities,
    sensitivity_card,
)
from oilimpact.model.history import HISTORY_SOURCE
from oilimpact.model.realtime import backtest_summary, nowcast, rolling_backtest
from oilimpact.model.revenue import COMPONENTS, kc
from oilimpact.model.risk import (
    PERCENTILES,
    TORNADO_SHOCKS,
    MonteCarloResult,
    deficit_grid,
    monte_carlo,
    tornado,
)
from oilimpact.model.scenarios import Scenario, load_scenarios, resolve_parameters, scenario_names

__all__ = [
    "BREAKEVEN_RATES",
    "DECOMPOSITION_STEPS",
    "LEVERS",
    "breakeven_urals",
    "counterfactual",
    "law_baseline",
    "nwf_reconciliation",
    "sensitivity_card",
    "CALIBRATION_WINDOW",
    "COMPONENTS",
    "EQUATIONS_MD",
    "HISTORY_SOURCE",
    "LAW_FROM",
    "PERCENTILES",
    "SENSITIVITY_NOTE_MD",
    "TORNADO_SHOCKS",
    "Assumptions",
    "Context",
    "Engine",
    "MonteCarloResult",
    "Scenario",
    "ScenarioResult",
    "backtest",
    "backtest_summary",
    "build_context",
    "calibration_check",
    "calibration_table",
    "coefficients",
    "components_check",
    "decompose",
    "default_context",
    "deficit_grid",
    "engine_for",
    "equations_markdown",
    "kc",
    "law_inputs",
    "leave_one_out",
    "load_assumptions",
    "load_scenarios",
    "monte_carlo",
    "nowcast",
    "resolve_parameters",
    "rolling_backtest",
    "run_scenario",
    "scenario_inputs",
    "scenario_names",
    "sensitivities",
    "tornado",
]

EQUATIONS_MD = __doc__.split("## Equations", 1)[1].strip()

SENSITIVITY_NOTE_MD = """\
**How the sensitivity compares with the 150–200 bn per $1 rule of thumb.** The rule of thumb (Salikhov,
Izvestia) covers all budget revenue and a year at a higher rouble rate and export volumes; the model
measures only oil and gas revenue, from the 2023–2025 relation of monthly receipts to the extraction-tax
base, at the scenario's rouble rate. A dollar more on each barrel raises the extraction tax (and the
NDD's share of it) by the same number of dollars in every month still to come, and the budget receives
roubles: so the per-$1 effect scales with the rouble rate — at 92.2 RUB/USD it is a quarter larger than
at 75 (the equations at the end give the formula). Only the months still to come can move: the
published months' prices are already in, so the rest-of-year effect is smaller than the full-year one.
Per 1 RUB/USD the effect scales with P − 15, not with P, because the first $15 a barrel are untaxed.
"""


def equations_markdown() -> str:
    """The model's equations as Markdown, for the notebooks (the same text as this module's docstring)."""
    return EQUATIONS_MD
