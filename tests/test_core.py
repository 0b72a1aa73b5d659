"""The shared pieces: the error type, citations, recorded results, the CLI shell."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from oilimpact import OilImpactError, __version__
from oilimpact.cli import main
from oilimpact.provenance import Source, caption
from oilimpact.results import MIME_TYPE, collect


def test_error_is_one_line_and_names_the_place():
    err = OilImpactError("bad date\n  '2026-13-01'", where="seeds/x.txt", line=1)
    assert str(err) == "seeds/x.txt:1: bad date '2026-13-01'"


def test_caption_cites_each_source_once_in_order():
    article = Source("article", "2026-03-08", "seeds/003.txt", quote="$72 this week")
    law = Source("assumption", "Budget law 2026", "tass.com/economy/2022723", accessed="2026-03-15")
    text = caption([article, law, article])
    assert text == (
        'Sources: seeds/003.txt (2026-03-08) "$72 this week"; '
        "Budget law 2026 (tass.com/economy/2022723, accessed 2026-03-15)."
    )
    assert caption([]) == ""
    assert caption([law]).startswith("Source: Budget law 2026")


def test_collect_reads_recorded_results_from_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("record(...)")
    payload = {"name": "deficit_bn_rub", "value": 4100.5, "unit": "bn RUB", "label": "Deficit"}
    cell.outputs = [nbformat.v4.new_output("display_data", data={MIME_TYPE: payload})]
    nb.cells.append(cell)
    assert collect(nb) == {"deficit_bn_rub": payload}


def test_cli_version_and_module_entry_point(cli):
    assert __version__ in cli.invoke(main, ["--version"]).output
    done = subprocess.run([sys.executable, "-m", "oilimpact", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "oilimpact" in done.stdout
