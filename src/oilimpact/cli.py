"""The ``oilimpact`` command: ``figures``, ``scenarios``, ``model``, ``history``, ``ingest``,
``backtest``, ``nowcast``, ``render``.

Each subcommand lives in its own section below and imports its stage lazily, so ``oilimpact --help``
is instant. A user's mistake (:class:`OilImpactError`) prints one line and exits with status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from oilimpact import __version__
from oilimpact.errors import OilImpactError
from oilimpact.fmt import fixed_width, terminal_safe
from oilimpact.params import is_month, parse_overrides
from oilimpact.project import reports_dir as default_reports_dir
from oilimpact.provenance import caption


def echo(message: object = "", **options: object) -> None:
    """``click.echo`` with control characters escaped: text read off an article (an escape sequence,
    a carriage return) is printed, never obeyed by the terminal."""
    click.echo(terminal_safe(str(message)), **options)  # type: ignore[arg-type]


MAX_JOBS = 64  # each job is a Jupyter kernel (~150 MB); more is a typo, not a machine


class _Group(click.Group):
    """Turns OilImpactError into ``error: <message>`` on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except OilImpactError as exc:
            echo(f"error: {exc}", err=True)
            sys.exit(2)
        except click.UsageError as exc:  # a bad option or value: one line too, not click's usage block
            sub = exc.ctx.command_path.split()[1:] if exc.ctx is not None else []
            where = " ".join(["oilimpact", *sub])
            message = " ".join(exc.format_message().split())
            echo(f"error: {message} (see {where} --help)", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oilimpact")
def main() -> None:
    """How the oil price and sanctions move Russia's budget."""


# --- figures (src/oilimpact/articles/) --------------------------------------------------------


@main.command("figures")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="How to print the figures (or events).")
@click.option("--events", "show_events", is_flag=True, help="Print the dated events (the timeline) instead.")
@click.option("--write", "write_dir", type=click.Path(path_type=Path),
              help="Also write DIR/figures.csv and DIR/events.csv (atomically).")
def figures_command(paths: tuple[Path, ...], fmt: str, show_events: bool, write_dir: Path | None) -> None:
    """Figures and dated events pulled from articles in PATH... (files or folders; default seeds/)."""
    from oilimpact import articles as figures  # stages are imported lazily: start-up speed

    corpus = figures.read_corpus(list(paths) or None)
    for warning in corpus.warnings:
        echo(f"warning: {warning}", err=True)
    if write_dir is not None:
        for written in figures.write_data(corpus, write_dir):
            echo(f"wrote {written}", err=True)
    frame = figures.events_frame(corpus.events) if show_events else figures.figures_frame(corpus.figures)
    if fmt == "csv":
        echo(figures.frame_csv(frame), nl=False)
    elif fmt == "json":
        echo(json.dumps(figures.records(frame), ensure_ascii=False, indent=1))
    else:
        echo(figures.text_table(frame, events=show_events))
        checks = "" if show_events else figures.cross_checks_text(corpus.cross_checks)
        if checks:
            echo(f"\nCross-checks\n{checks}")


# --- scenarios and model (src/oilimpact/model/) -----------------------------------------------


@main.command("scenarios")
def scenarios_command() -> None:
    """List the scenario presets with their parameters and sources."""
    from oilimpact.model import load_scenarios  # lazily: start-up speed

    for name, preset in load_scenarios().items():
        echo(f"{name}: {preset.title}")
        echo(f"  {preset.description}")
        for param, value in preset.values.items():
            cites = "; ".join(source.cite() for source in preset.traces[param])
            echo(f"  {param} = {value}  [{cites}]")
        echo("")


_MONTHLY_COLUMNS = {
    "urals_usd_bbl": "Urals", "brent_usd_bbl": "Brent", "discount_usd_bbl": "disc", "rub_usd": "RUB/USD",
    "export_volume_index": "vol", "og_revenue_used_bn_rub": "O&G bn",
    "extraction_tax_bn_rub": "of which NDPI",
    "base_revenue_bn_rub": "base bn", "nwf_flow_bn_rub": "NWF flow", "revenue_status": "O&G is",
}


@main.command("model")
@click.argument("scenario")
@click.option("-p", "--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="Override a parameter (repeatable), e.g. -p urals_price=80")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def model_command(scenario: str, pairs: tuple[str, ...], fmt: str) -> None:
    """Run SCENARIO: monthly table and the annual summary (revenue, deficit, NWF, checks)."""
    from oilimpact import model  # lazily: start-up speed

    params = model.resolve_parameters(scenario, **parse_overrides(pairs))
    result = model.run_scenario(params)
    backtest = model.backtest()
    check = model.calibration_check()
    if fmt == "json":
        monthly = result.monthly.copy()
        monthly.index = monthly.index.astype(str)
        payload = {
            "parameters": params.as_dict(),
            "monthly": json.loads(monthly.to_json(orient="index")),
            "annual": {k: (v.item() if hasattr(v, "item") else v) for k, v in result.annual.items()},
            "decomposition": result.decomposition.to_dict(),
            "backtest": json.loads(backtest.set_axis(backtest.index.astype(str)).to_json(orient="index")),
            "calibration_check": check,
            "sources": [source.cite() for source in result.sources],
        }
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    table = result.monthly[list(_MONTHLY_COLUMNS)].rename(columns=_MONTHLY_COLUMNS)
    echo(f"Scenario {scenario}: monthly (receipt month; prices are the month before)")
    echo(table.to_string(float_format=lambda x: f"{x:,.1f}"))
    annual = result.annual
    echo(f"\nAnnual {annual['year']}")
    lines = [
        ("O&G revenue", f"{annual['og_revenue_bn_rub']:,.0f} bn RUB = " + " + ".join(
            f"{kind} {annual[f'og_revenue_{kind}_bn_rub']:,.0f} ({annual[f'og_months_{kind}']} "
            f"month{'' if annual[f'og_months_{kind}'] == 1 else 's'})"
            for kind in ("published", "nowcast", "scenario"))),
        ("gap to the law's plan",
         f"{annual['og_gap_to_plan_bn_rub']:+,.0f} bn RUB (plan {annual['og_plan_bn_rub']:,.0f})"),
        ("deficit", f"{annual['deficit_bn_rub']:,.0f} bn RUB = {annual['deficit_pct_gdp']:.2f} % of GDP "
                    f"(law {annual['law_deficit_bn_rub']:,.1f})"),
        ("deficit made of", f"published to {annual['deficit_published_to'] or '-'} "
                            f"{annual['deficit_published_bn_rub']:,.0f} bn, "
                            "then the law's pace + O&G shortfall"),
        ("NWF end balance", f"{annual['nwf_end_balance_bn_rub']:,.0f} bn RUB "
                            "(no draws for the deficit beyond "
                            f"those published; covering the overshoot: "
                            f"{annual['nwf_end_if_fund_covers_overshoot_bn_rub']:,.0f})"),
        ("Urals average", f"{annual['urals_average_usd_bbl']:.2f} USD/bbl; months above the US cap "
                          f"{annual['months_above_us_cap_share']:.0%}, "
                          f"the EU cap {annual['months_above_eu_cap_share']:.0%}"),
    ]
    for lever, label in (("urals_price", "per +$1 Urals"), ("rub_usd", "per +1 RUB/USD"),
                         ("urals_discount", "per +$1 discount"),
                         ("export_volume_change", "per +1 % exports")):
        lines.append((label, f"{annual[f'sensitivity_{lever}_full_year_bn_rub']:,.0f} bn full year, "
                             f"{annual[f'sensitivity_{lever}_rest_of_year_bn_rub']:,.0f} bn rest of year"))
    for name, value in result.decomposition.items():
        lines.append((name.removesuffix("_bn_rub").replace("_", " "), f"{value:+,.0f} bn RUB"))
    for month, row in backtest.iterrows():
        lines.append((f"backtest {month}", f"predicted {row['predicted_bn_rub']:,.1f} vs actual "
                                           f"{row['actual_bn_rub']:,.1f} ({row['error_pct']:+.1f} %)"))
    lines.append(("January y/y", f"actual {backtest['yoy_actual_pct'].iloc[-1]:+.1f} %, "
                                 f"model {backtest['yoy_predicted_pct'].iloc[-1]:+.1f} %"))
    lines.append(("level term (calibration)",
                  "model at the law's price and rate "
                  f"{check['model_without_level_bn_rub']:,.0f} vs the law's "
                  f"{check['law_og_revenue_bn_rub']:,.0f} ({check['gap_without_level_pct']:+.2f} %): "
                  f"{check['level_term_bn_rub_month']:+.1f} bn/month carried from 2026"))
    width = max(len(name) for name, _ in lines)
    for name, value in lines:
        echo(f"  {name:<{width}}  {value}")
    echo("\n" + caption(result.sources))


# --- history, backtest, nowcast (src/oilimpact/model/history.py, structural.py) --------------------


@main.command("history")
@click.option("--from", "source", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the gathered history (og_history_2023_2025.csv, cbr_usd_rub_daily.csv).")
@click.option("--write", "write_dir", type=click.Path(path_type=Path), default=None,
              help="Write DIR/history.csv (atomically); without it, print the chosen rows.")
def history_command(source: Path, write_dir: Path | None) -> None:
    """Choose one sourced value per series and month from the gathered history (rule: model/history.py)."""
    from oilimpact.model import history  # lazily: start-up speed

    rows = history.import_gathered(source)
    if write_dir is None:
        echo(history.history_csv(rows), nl=False)
        return
    rows, kept = history.keep_ingested(rows, Path(write_dir) / "history.csv")
    echo(f"wrote {history.write_history(rows, write_dir)} ({len(rows)} rows, of which {len(kept)} "
               "added by oilimpact ingest and kept)", err=True)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--write", "write", is_flag=True,
              help="Add the new rows to data/history.csv (atomically); conflicts are never overwritten.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to print the proposals.")
def ingest_command(paths: tuple[Path, ...], write: bool, fmt: str) -> None:
    """Propose history rows from articles in PATH... (files or folders): each figure that is an outturn
    of a history series, with its quote, offsets and status (new, agrees, conflicts, skipped)."""
    from oilimpact.model import ingest  # lazily: start-up speed

    result = ingest.propose(paths)
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    written = ingest.write_proposals(result) if write else []
    if fmt == "json":
        echo(json.dumps([p.as_dict() for p in result.proposals], indent=1, ensure_ascii=False))
    else:
        header = ("status", "series", "period", "value", "article:chars", "quote", "rule or reason")
        echo("\n".join(fixed_width(header, ingest.proposals_table(result.proposals))))
    counts = {s: sum(p.status == s for p in result.proposals) for s in ingest.STATUSES}
    echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)
    for conflict in result.blocking:
        where = f"{conflict.article}:{conflict.start}–{conflict.end}"
        echo(f"conflict: {conflict.series} {conflict.period}: the article's {conflict.value:g} "
                   f"({where}) against {conflict.reason}", err=True)
    if write:
        if result.blocking:
            echo("nothing written: settle the conflicts above first", err=True)
            sys.exit(1)
        echo(f"wrote {len(written)} new row{'s' if len(written) != 1 else ''} to data/history.csv"
                   if written else "nothing new to write", err=True)


def _month_option(value: str | None, name: str) -> str | None:
    if value is not None and not is_month(value):
        raise OilImpactError(f"{name} {value!r}: expected a month YYYY-MM, e.g. 2025-12")
    return value


@main.command("backtest")
@click.option("--from", "start", default="2024-01", show_default=True, metavar="YYYY-MM",
              help="First receipt month predicted.")
@click.option("--to", "end", default=None, metavar="YYYY-MM",
              help="Last receipt month [default: the last with a published revenue].")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Print a table and summary lines, or JSON (rows, summary, budget rule, terms).")
def backtest_command(start: str, end: str | None, fmt: str) -> None:
    """Rolling-origin backtest under the real-time protocol: each month predicted with the choices and
    coefficients made from the months before it only."""
    from oilimpact.model import realtime, structural  # lazily: start-up speed

    _month_option(start, "--from")
    _month_option(end, "--to")
    data = structural.load_data()
    protocol = realtime.Protocol(data)
    frame = realtime.rolling_backtest(data, start=start, end=end, protocol=protocol)
    if frame.empty:
        raise OilImpactError(f"--from {start} --to {end}: no receipt months with published revenue in "
                             "between")
    summary = realtime.backtest_summary(frame)
    rule_gaps = realtime.rule_summary(frame)
    components = realtime.components_table(data, frame.index.max(), protocol)
    terms = realtime.terms_summary(components)
    if fmt == "json":
        echo(json.dumps(realtime.backtest_json(frame, summary, rule_gaps, terms, components), indent=1,
                              ensure_ascii=False))
        return
    rows = []
    for month, r in frame.iterrows():
        predicted = "-" if r["predicted_bn_rub"] != r["predicted_bn_rub"] else f"{r['predicted_bn_rub']:,.1f}"
        error = "-" if r["error_pct"] != r["error_pct"] else f"{r['error_pct']:+.1f}"
        naive = "-" if r["naive_error_pct"] != r["naive_error_pct"] else f"{r['naive_error_pct']:+.1f}"
        rows.append((month, f"{r['actual_bn_rub']:,.1f}", predicted, error, naive, r["fitted_on"],
                     r["choice"], r["note"]))
    header = ("month", "actual bn", "model bn", "error %", "naive %", "fit on", "choice at the origin",
              "note")
    echo("\n".join(fixed_width(header, rows)))
    echo("")
    for line in realtime.summary_lines(summary, rule_gaps, terms):
        echo(line)


@main.command("nowcast")
@click.argument("month")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Print lines, or JSON (revenue, range, terms, budget rule, inputs, sources).")
def nowcast_command(month: str, fmt: str) -> None:
    """MONTH's expected O&G revenue (YYYY-MM) from the previous month's tax price and rate, and the
    budget rule's expected additional revenue and FX operations."""
    from oilimpact.model import kc, realtime  # lazily: start-up speed

    result = realtime.nowcast(month)
    x = result.inputs
    if fmt == "json":
        echo(json.dumps(realtime.nowcast_json(result), indent=1, ensure_ascii=False))
        return
    echo(f"{month}: expected O&G revenue {result.expected_bn_rub:,.0f} bn RUB "
               f"(80 % range {result.low_bn_rub:,.0f}–{result.high_bn_rub:,.0f}, from the backtest's errors)")
    echo(f"  from Urals tax price {x.price:g} USD/bbl and CBR average {x.rate:g} RUB/USD of the month "
               f"before (Kc {float(kc(x.price, x.rate)):.4f}); fitted on {result.fitted_on} months; "
               f"choice: {result.choice}")
    for name, value in result.terms.items():
        paid = " (paid out: subtracted)" if name == "damper_paid" else ""
        echo(f"  {name.replace('_', ' ')}: {value:,.1f} bn RUB{paid}")
    if result.actual_bn_rub is not None:
        error = 100 * (result.expected_bn_rub - result.actual_bn_rub) / result.actual_bn_rub
        echo(f"  published: {result.actual_bn_rub:,.1f} bn RUB (nowcast {error:+.1f} %)")
    if result.operations is not None:
        for line in result.operations.lines(result.published_operations):
            echo(f"  {line}")
    for source in result.sources:
        echo(f"  source: {source}")

# --- render (src/oilimpact/report/) ------------------------------------------------------------


@main.command("render")
@click.option("-n", "--notebook", "notebooks", multiple=True, metavar="NOTEBOOK",
              help="Render only this notebook (stem, file name or number prefix; repeatable).")
@click.option("-s", "--scenario", "scenarios", multiple=True, metavar="SCENARIO",
              help="Render only this scenario preset (repeatable; default: all presets).")
@click.option("-p", "--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="Override a notebook parameter (repeatable), e.g. -p urals_price=60")
@click.option("-j", "--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help=f"Reports rendered at once, each with its own warm kernel, 1 to {MAX_JOBS} "
                   "[default: CPU count].")
@click.option("--force", is_flag=True, help="Render every selected report, even if unchanged.")
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Reports folder [default: reports/].")
@click.option("--notebooks-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Notebooks folder [default: notebooks/].")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF (executed notebook and HTML only).")
@click.option("--grid", "grid_specs", multiple=True, metavar="AXIS|NAME",
              help="A grid axis NAME=START:STOP:STEP or NAME=A,B,C over a numeric parameter (repeatable; "
                   "one report per point, on the -s preset), or a named grid of data/scenarios.yaml.")
@click.option("--max-points", type=click.IntRange(min=1), default=None,
              help="Refuse a grid of more points than this [default: 500].")
@click.option("--compare", nargs=2, metavar="A B", default=None,
              help="Render the comparison of scenario A with scenario B (notebook 06).")
@click.option("--cell-timeout", type=click.FloatRange(min=1, max=86_400), default=600, show_default=True,
              metavar="SECONDS", help="Stop a notebook cell (and fail its report) after this long.")
@click.option("--export-timeout", type=click.FloatRange(min=1, max=3_600), default=120, show_default=True,
              metavar="SECONDS", help="Stop a report's PDF conversion (pandoc) after this long.")
@click.option("--max-output", type=click.IntRange(min=1_000, max=10_000_000), default=200_000,
              show_default=True, metavar="CHARS",
              help="Clip each cell output to this many characters in the HTML and the PDF.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run the reports on Dask: tcp://HOST:8786 (a running scheduler) or local:N "
                   "(N worker processes here); --jobs does not apply.")
@click.option("--timings", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Write each rendered report's stage times (CPU and wall seconds) to FILE as JSON.")
def render_command(notebooks: tuple[str, ...], scenarios: tuple[str, ...], pairs: tuple[str, ...],
                   jobs: int | None, force: bool, output: Path | None, notebooks_dir: Path | None,
                   no_pdf: bool, grid_specs: tuple[str, ...], max_points: int | None,
                   compare: tuple[str, str] | None, cell_timeout: float, export_timeout: float,
                   max_output: int, scheduler: str | None, timings: Path | None) -> None:
    """Render notebooks x scenarios to reports/<scenario>/<notebook>.{ipynb,html,pdf} and index.html.

    Unchanged reports (same notebook, parameters, data/, seeds/, package) are skipped. Notebooks
    without a `scenario` parameter render once into reports/default/. A grid renders one report per
    point into reports/<preset>.<axis>-<value>.../ and a page per grid into reports/grids/. Exit
    status: 0 all fine, 1 a report failed (the others are still rendered), 2 bad input (nothing
    written), 130 Ctrl-C.
    """
    from oilimpact.report import batch, outcome, plan  # lazily: start-up speed
    from oilimpact.report.pool import Limits  # lazily: start-up speed

    known = plan.preset_names()
    executor = None
    if scheduler is not None:
        from oilimpact.report import cluster  # lazily: start-up speed

        executor = cluster.DaskExecutor(scheduler)
    if compare and grid_specs:
        raise OilImpactError("--compare and --grid: give one of them")
    if compare:
        reports = plan.plan_compare(*compare, notebooks_dir, presets=known)
    elif grid_specs:
        reports = plan.plan_grids(_grids(grid_specs, scenarios, known, max_points), notebooks_dir,
                                  notebooks=notebooks, overrides=pairs, presets=known)
        echo(f"grid: {len({r.point for r in reports})} points x "
                   f"{len({r.notebook.name for r in reports})} notebooks = {len(reports)} reports", err=True)
    else:
        reports = plan.plan(notebooks_dir, notebooks=notebooks, scenarios=scenarios, overrides=pairs,
                            presets=known)
    reports_dir = (output or default_reports_dir()).resolve()
    try:
        summary = batch.render(reports, reports_dir, jobs=jobs, force=force, pdf=not no_pdf,
                               progress=sys.stderr.isatty(), presets=known, executor=executor,
                               limits=Limits(cell_timeout, export_timeout, max_output), timings=timings)
    except KeyboardInterrupt:  # Ctrl-C outside the batch loop (which handles its own)
        echo("interrupted: run the same command again to resume", err=True)
        sys.exit(130)
    echo(outcome.summary_table(summary, reports_dir))
    sys.exit(summary.exit_code)


def _grids(specs: tuple[str, ...], scenarios: tuple[str, ...], known: list[str], max_points: int | None):
    """The grids of ``--grid`` options: named ones, and the axes given on the line over each ``-s``
    preset (default the first preset); the point count checked against ``--max-points``."""
    from oilimpact import presets  # lazily: start-up speed
    from oilimpact.report import gridplan

    named = [s for s in specs if "=" not in s]
    axes = gridplan.cli_axes([s for s in specs if "=" in s])
    grids = []
    if named:
        defined, shown = presets.read_grids(), "data/scenarios.yaml"
        grids += [gridplan.named_grid(name, defined, known, shown) for name in named]
    for scenario in scenarios:
        if scenario not in known:
            raise OilImpactError(f"-s {scenario}: unknown scenario (have: {', '.join(known)})")
    if axes:
        grids += [gridplan.parse_grid(preset, axes) for preset in (scenarios or known[:1])]
    gridplan.check_size(grids, max_points or gridplan.DEFAULT_MAX_POINTS)
    return grids
