"""Rendering is byte-identical to the recorded reference: a faster render must not change an output.

The fixture notebooks × {low, high} are rendered (2 workers, PDFs on, the data's date pinned) and the
SHA-256 of every output is compared with ``fixtures/render_bytes.json``, recorded by the renderer as
it was before issue 25's speed work (commit 2a7658a). Compared:

- HTML and PDF of every report, byte for byte (they are reproducible run to run: no clock is read,
  the PDF's dates and IDs come from the data's date and the content), the failed reports' HTML too;
- each report's data package (CSV files and ``datapackage.json``) and ``index.html``, byte for byte;
- the executed ``.ipynb`` with what is drawn from the clock, a random number or the temporary file
  name removed (papermill's start/end times, durations, input/output paths and the random ids of
  the cells it adds, nbclient's ``metadata.execution``, the date matplotlib writes into a raw SVG
  that the fixture makes without our chart metadata): all of it that is reproducible run to run.
  (The HTML and PDF drop that SVG date themselves.)

The reference changes only on purpose (a new template, a typst/pandoc/matplotlib upgrade, a version
bump): ``python tests/test_render_bytes.py --write`` records it again; say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "notebooks"
REFERENCE = HERE / "fixtures" / "render_bytes.json"
PRESETS = {"low": {"title": "Low price", "description": "A cheap barrel."},
           "high": {"title": "", "description": ""}}
DATE = "2026-02-15"
_CLOCK_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path")
_RUN_FILES = ("manifest.json", "revisions.json")  # seconds taken; the project's data/ history
_ADDED = {"injected-parameters", "papermill-error-cell-tag"}
_SVG_DATE = re.compile(r"<dc:date>[^<]*</dc:date>")

pytestmark = pytest.mark.xdist_group("render")


def _stable_notebook(data: bytes) -> bytes:
    """The executed notebook without the clock's and the temporary path's traces."""
    nb: dict[str, Any] = json.loads(data)

    def strip(metadata: dict[str, Any]) -> None:
        for key in _CLOCK_KEYS:
            (metadata.get("papermill") or {}).pop(key, None)
        metadata.pop("execution", None)

    strip(nb.get("metadata", {}))
    for cell in nb.get("cells", []):
        strip(cell.get("metadata", {}))
        if _ADDED & set(cell.get("metadata", {}).get("tags", [])):
            cell.pop("id", None)  # papermill draws a random id for each cell it adds
    text = json.dumps(nb, sort_keys=True, ensure_ascii=False)
    return _SVG_DATE.sub("", text).encode("utf-8")  # matplotlib's clock, in a fixture's raw SVG


def digests(out: Path) -> dict[str, str]:
    """SHA-256 of each output the comparison covers, by path under ``out``."""
    found = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if not path.is_file() or path.name.startswith(".") or path.name in _RUN_FILES:
            continue
        if "/" not in relative and path.name != "index.html":
            continue  # the run-wide data packages (data.zip ...) read the project's data/
        data = path.read_bytes()
        if path.suffix == ".ipynb":
            data = _stable_notebook(data)
        found[relative] = hashlib.sha256(data).hexdigest()
    return found


def render_fixtures(out: Path) -> dict[str, str]:
    """Render the fixture reports into ``out`` as the test does; their digests."""
    from oilimpact import presets
    from oilimpact.report import batch, plan

    saved = presets.preset_summaries, batch.data_date
    presets.preset_summaries, batch.data_date = (lambda: PRESETS), (lambda: DATE)
    try:
        reports = plan.plan(FIXTURES, presets=list(PRESETS), overrides=["years=4"])
        summary = batch.render(reports, out, jobs=2, progress=False, presets=list(PRESETS))
    finally:
        presets.preset_summaries, batch.data_date = saved
    statuses = {o.report.name: o.status for o in summary.outcomes}
    assert statuses == {"low/01_tables": "ok", "high/01_tables": "ok", "default/02_plain": "ok",
                        "low/03_failing": "failed", "high/03_failing": "failed"}, statuses
    return digests(out)


def test_outputs_are_byte_identical_to_the_reference(tmp_path):
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    out = tmp_path / "reports"
    found = render_fixtures(out)
    assert sorted(found) == sorted(reference)
    assert sum(n.endswith(".pdf") for n in found) == 3 and sum(n.endswith(".html") for n in found) == 6
    changed = [name for name in reference if found[name] != reference[name]]
    assert changed == [], f"outputs differ from the reference: {changed}"
    # The comparison sees one byte: flip one in the middle of a PDF and of an HTML page.
    for name in ("low/01_tables.pdf", "low/01_tables.html"):
        data = bytearray((out / name).read_bytes())
        data[len(data) // 2] ^= 1
        (out / name).write_bytes(bytes(data))
        assert digests(out)[name] != reference[name], name


if __name__ == "__main__":  # python tests/test_render_bytes.py --write: record the reference again
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_render_bytes.py --write")
    with tempfile.TemporaryDirectory() as tmp:
        recorded = render_fixtures(Path(tmp) / "reports")
    REFERENCE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{REFERENCE}: {len(recorded)} outputs")
