"""The ``oilimpact`` command: ``figures``, ``scenarios``, ``model``, ``render``.

Each subcommand lives in its own section below and imports its stage lazily, so ``oilimpact --help``
is instant. A user's mistake (:class:`OilImpactError`) prints one line and exits with status 2.
"""

from __future__ import annotations

import sys

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

# --- scenarios and model (src/oilimpact/model*.py, scenarios.py) ------------------------------

# --- render (src/oilimpact/render.py, export.py) ----------------------------------------------
