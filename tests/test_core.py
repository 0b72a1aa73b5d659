"""The shared pieces: the error type, citations, recorded results, the CLI shell."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from oilimpact import OilImpactError, __version__, project
from oilimpact.cli import main
from oilimpact.provenance import Source, caption
from oilimpact.results import MIME_TYPE, collect


def test_error_is_one_line_and_names_the_place():
    err = OilImpactError("bad date\n  '2026-13-01'", where="seeds/x.txt", line=1)
    assert str(err) == "seeds/x.txt:1: bad date '2026-13-01'"


def test_caption_groups_quotes_per_article_and_says_a_shared_access_date_once():
    first = Source("article", "2026-03-08", "seeds/003.txt", quote="less than $50")
    second = Source("article", "2026-03-08", "seeds/003.txt", quote="$72")
    law = Source("assumption", "Budget law 2026", "https://tass.com/economy/2022723", accessed="2026-03")
    nwf = Source("assumption", "NWF", "https://www.tass.com/economy/2082605", accessed="2026-03")
    text = caption([first, law, second, first, nwf])
    assert text == (
        'Sources: seeds/003.txt (2026-03-08): "less than $50", "$72"; '
        "Budget law 2026 (tass.com/economy/2022723); NWF (tass.com/economy/2082605) "
        "(pages accessed 2026-03)."
    )
    assert caption([]) == ""


def test_caption_keeps_each_access_date_when_they_differ():
    law = Source("assumption", "Budget law 2026", "tass.com/economy/2022723", accessed="2026-03-15")
    nwf = Source("assumption", "NWF", "tass.com/economy/2082605", accessed="2026-02")
    assert caption([law]) == "Source: Budget law 2026 (tass.com/economy/2022723) (pages accessed 2026-03-15)."
    assert caption([law, nwf]) == (
        "Sources: Budget law 2026 (tass.com/economy/2022723, accessed 2026-03-15); "
        "NWF (tass.com/economy/2082605, accessed 2026-02)."
    )


def test_collect_reads_recorded_results_from_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("record(...)")
    payload = {"name": "deficit_bn_rub", "value": 4100.5, "unit": "bn RUB", "label": "Deficit"}
    cell.outputs = [nbformat.v4.new_output("display_data", data={MIME_TYPE: payload})]
    later = nbformat.v4.new_code_cell("record(...)")
    first = {"name": "alpha", "value": 1, "unit": "", "label": "Alpha"}
    later.outputs = [nbformat.v4.new_output("display_data", data={MIME_TYPE: first})]
    nb.cells += [cell, later]
    found = collect(nb)
    assert list(found) == ["deficit_bn_rub", "alpha"]
    assert found["deficit_bn_rub"] == {**payload, "order": 0} and found["alpha"]["order"] == 1


def test_cli_version_and_module_entry_point(cli):
    assert __version__ in cli.invoke(main, ["--version"]).output
    done = subprocess.run([sys.executable, "-m", "oilimpact", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "oilimpact" in done.stdout


def test_atomic_write_leaves_nothing_behind_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "a.html"
    project.atomic_write(target, "old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(project.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        project.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]
