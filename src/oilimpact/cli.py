"""The ``oilimpact`` command: ``figures``, ``scenarios``, ``model``, ``render``.

Each subcommand lives in its own section below and imports its stage lazily, so ``oilimpact --help``
is instant. A user's mistake (:class:`OilImpactError`) prints one line and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oilimpact import __version__
from oilimpact.errors import OilImpactError


class _Group(click.Group):
    """Turns OilImpactError into ``error: <message>`` on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except OilImpactError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oilimpact")
def main() -> None:
    """How the oil price and sanctions move Russia's budget."""


# --- figures (src/oilimpact/figures.py) -------------------------------------------------------


@main.command("figures")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="How to print the figures (or events).")
@click.option("--events", "show_events", is_flag=True, help="Print the dated events (the timeline) instead.")
@click.option("--write", "write_dir", type=click.Path(path_type=Path),
              help="Also write DIR/figures.csv and DIR/events.csv (atomically).")
def figures_command(paths: tuple[Path, ...], fmt: str, show_events: bool, write_dir: Path | None) -> None:
    """Figures and dated events pulled from articles in PATH... (files or folders; default seeds/)."""
    import json

    from oilimpact import figures

    corpus = figures.read_corpus(list(paths) or None)
    for warning in corpus.warnings:
        click.echo(f"warning: {warning}", err=True)
    if write_dir is not None:
        for written in figures.write_data(corpus, write_dir):
            click.echo(f"wrote {written}", err=True)
    frame = figures.events_frame(corpus.events) if show_events else figures.figures_frame(corpus.figures)
    if fmt == "csv":
        click.echo(figures.frame_csv(frame), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(figures.records(frame), ensure_ascii=False, indent=1))
    else:
        click.echo(figures.text_table(frame, events=show_events))


# --- scenarios and model (src/oilimpact/model*.py, scenarios.py) ------------------------------

# --- render (src/oilimpact/render.py, export.py) ----------------------------------------------
