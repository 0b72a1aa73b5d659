"""``oilimpact ingest``: article figures → proposed rows of data/history.csv, on a copy of the project."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import clear_model_caches

from oilimpact.cli import main
from oilimpact.model.history import load_history
from oilimpact.model.ingest import propose

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "extraction-dev" / "articles"
needs_dev = pytest.mark.skipif(not DEV.is_dir(),
                               reason="../shared/extraction-dev is not beside the checkout")
SHARED_HISTORY = ROOT.parent / "shared" / "history"
needs_history = pytest.mark.skipif(not SHARED_HISTORY.is_dir(),
                                   reason="../shared/history is not beside the checkout")
RELEASE = (
    " date 2026-03-04 url https://example.org/news/minfin-february-2026\n"
    "MOSCOW, March 4 – Russia's oil and gas budget revenue came to 432.3 billion roubles in February, "
    "Finance Ministry data showed on Wednesday. For the month, the NDD brought 61.2 billion roubles. "
    "The Urals price used for tax purposes averaged $44.59 a barrel in February, the Economy Ministry said. "
    "The Finance Ministry expects additional oil and gas revenue of 35.6 billion roubles in March. "
    "Oil and gas revenue is expected to reach 480 billion roubles in March, analysts polled by the agency "
    "said.\n"
)
FORECASTS = (
    " date 2026-03-04 Oil and gas revenue will likely reach 450 billion roubles in February, analysts said. "
    "Oil and gas revenue is expected to come to 440 billion roubles in February. "
    "Oil and gas revenue is seen falling to 430 billion roubles in February. "
    "The ministry's projection puts oil and gas revenue at 470 billion roubles in February.\n"
)




def _article(root: Path, name: str, text: str) -> Path:
    path = root / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _one(proposals, series: str, period: str):
    found = [p for p in proposals if p.series == series and p.period == period and p.status != "skipped"]
    assert len(found) == 1, found
    return found[0]


def test_a_release_gives_revenue_tax_price_ndd_and_expected_additional_revenue(project):
    path = _article(project, "release.txt", RELEASE)
    proposals = propose([path]).proposals
    text = path.read_text(encoding="utf-8")
    wanted = {("og_revenue", "2026-02"): (432.3, "432.3 billion roubles"),
              ("urals_tax_price", "2026-02"): (44.59, "$44.59 a barrel"),
              ("ndd", "2026-02"): (61.2, "61.2 billion roubles"),
              ("og_additional_revenue_expected", "2026-03"): (35.6, "35.6 billion roubles")}
    for (series, period), (value, quote) in wanted.items():
        p = _one(proposals, series, period)
        assert (p.status, p.value, p.quote, p.confidence) == ("new", value, quote, "V")
        assert text[p.start:p.end] == p.quote
        assert p.article_date == "2026-03-04" and p.url == "https://example.org/news/minfin-february-2026"
    forecast = [p for p in proposals if p.quote == "480 billion roubles"]
    assert [p.status for p in forecast] == ["skipped"] and "forecast" in forecast[0].reason


@needs_dev
def test_the_dev_corpus_january_revenue_is_new_and_its_shortfall_and_base_level_are_not(project):
    proposals = propose([DEV / "12_tass_nwf_february.txt"]).proposals
    revenue = _one(proposals, "og_revenue", "2026-01")
    assert (revenue.status, revenue.value, revenue.quote, revenue.start, revenue.end) == (
        "new", 393.3, "RUB 393.3 bln", 433, 446)
    assert (DEV / "12_tass_nwf_february.txt").read_text(encoding="utf-8")[433:446] == "RUB 393.3 bln"
    skipped = {p.quote: p.reason for p in proposals if p.status == "skipped"}
    assert "shortfall" in skipped["182.2 bln rubles"]
    assert "base level" in skipped["about 576 bln rubles"]
    daily = _one(proposals, "fx_operations_daily", "2026-02")
    assert daily.value == -11.9 and "sale booked negative" in daily.rule


@needs_dev
def test_the_dev_corpus_proposes_only_rows_that_agree_with_the_history_up_to_2025():
    proposals = propose([DEV]).proposals
    agreeing = {(p.series, p.period) for p in proposals if p.status == "agrees"}
    assert {("og_revenue", "2025-09"), ("og_revenue", "2025-12"), ("ndd", "2025-10"), ("damper", "2025-08"),
            ("urals_tax_price", "2025-12"), ("rub_usd_avg", "2025-10")} <= agreeing
    assert not [p for p in proposals if p.blocks]
    assert {(p.series, p.period) for p in proposals if p.status == "new"} == {
        ("og_revenue", "2026-01"), ("damper", "2026-02")}
    # the budget rule's daily amounts are in the history now (fx_operations_2023_2026.csv): they agree
    assert {("fx_operations_daily", "2025-12"), ("fx_operations_daily", "2026-01"),
            ("fx_operations_daily", "2026-02")} <= agreeing


def test_a_forecast_sentence_never_becomes_an_outturn(project):
    proposals = propose([_article(project, "forecasts.txt", FORECASTS)]).proposals
    assert len(proposals) == 4
    assert all(p.status == "skipped" and p.reason.startswith("forecast or expectation") for p in proposals)


def test_another_country_and_other_periods_are_skipped_with_the_reason(project):
    text = (" date 2026-03-04 Kazakhstan's oil and gas revenue came to 95.2 billion roubles in February. "
            "Russia's oil and gas revenue came to 1.2 trillion roubles in the first quarter of 2025.\n")
    reasons = {p.quote: p.reason for p in propose([_article(project, "other.txt", text)]).proposals}
    assert "another country" in reasons["95.2 billion roubles"]
    assert "not one month" in reasons["1.2 trillion roubles"]


def test_a_month_is_inferred_from_two_year_to_date_totals_and_marked_so(project):
    text = (" date 2026-04-03 Oil and gas revenue for January–March totalled 1,437.1 billion roubles, the "
            "Finance Ministry said, after 825.6 billion roubles in January–February.\n")
    march = _one(propose([_article(project, "ytd.txt", text)]).proposals, "og_revenue", "2026-03")
    assert (march.value, march.confidence) == (611.5, "I")
    assert "1437.1 − January–2026-02 825.6" in march.rule


def _history_bytes(root: Path) -> bytes:
    return (root / "data" / "history.csv").read_bytes()


def test_write_adds_the_new_rows_once_and_a_second_ingest_adds_nothing(project):
    path = _article(project, "release.txt", RELEASE)
    first = CliRunner().invoke(main, ["ingest", str(path), "--write"])
    assert first.exit_code == 0, first.output
    assert "wrote 4 new rows" in first.output
    history = load_history(project / "data" / "history.csv")
    row = history["og_revenue"]["2026-02"]
    assert (row.value, row.confidence, row.source_url, row.page_date) == (
        432.3, "V", "https://example.org/news/minfin-february-2026", "2026-03-04")
    assert "characters 129–150" in row.source_title and "432.3 billion roubles" in row.quote
    assert history["og_additional_revenue_expected"]["2026-03"].value == 35.6
    after_first = _history_bytes(project)
    second = CliRunner().invoke(main, ["ingest", str(path), "--write", "--format", "json"])
    assert second.exit_code == 0, second.output
    assert "nothing new to write" in second.output and _history_bytes(project) == after_first
    statuses = {p["series"]: p["status"] for p in json.loads(second.stdout) if p["status"] != "skipped"}
    assert set(statuses.values()) == {"agrees"}


def test_a_conflict_is_named_and_nothing_is_written(project):
    before = _history_bytes(project)
    # December 2023 is inferred in the history (the year's total minus January–November): a printed
    # value would win by the rule, so it is a conflict for the analyst, and the new NDD row waits too
    text = (" date 2024-01-15 Russia's oil and gas budget revenue came to 655.3 billion roubles in December, "
            "Finance Ministry data showed. For the month, the NDD brought 61.2 billion roubles.\n")
    done = CliRunner().invoke(main, ["ingest", str(_article(project, "december.txt", text)), "--write"])
    assert done.exit_code == 1, done.output
    assert "conflict: og_revenue 2023-12: the article's 655.3" in done.output
    assert "history has 650.1 bn RUB (I, " in done.output and "nothing written" in done.output
    assert _history_bytes(project) == before


def test_a_conflict_the_history_rule_settles_keeps_the_history_row(project):
    text = " date 2026-01-14 Russia's oil and gas budget revenue came to 450.1 billion roubles in December.\n"
    proposal = _one(propose([_article(project, "december.txt", text)]).proposals, "og_revenue", "2025-12")
    assert proposal.status == "conflicts" and not proposal.blocks
    assert proposal.reason.startswith("history has 447.8 bn RUB (V, ")
    assert "the history's row stays" in proposal.reason
    # within the rounding of the two prints it agrees
    text = " date 2026-01-14 Russia's oil and gas revenue came to 447.83 billion roubles in December.\n"
    rounded = _one(propose([_article(project, "d2.txt", text)]).proposals, "og_revenue", "2025-12")
    assert rounded.status == "agrees"


@pytest.mark.parametrize(("name", "content", "says"), [
    ("missing.txt", None, "no such file or folder"),
    ("latin1.txt", " date 2026-03-04 Revenue came to 432,3 milliards de roubles \xe9.".encode("latin-1"),
     "not UTF-8"),
    ("early.txt", " date 2026-01-20 Russia's oil and gas revenue came to 432.3 billion roubles in February "
                  "2026, the Finance Ministry said.\n",
     "dated 2026-01-20 but reports og_revenue for 2026-02"),
])
def test_bad_articles_are_one_line_and_exit_2(project, name, content, says):
    path = project / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = _history_bytes(project)
    done = CliRunner().invoke(main, ["ingest", str(path), "--write"])
    assert done.exit_code == 2, done.output
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and says in done.stderr
    assert name in done.stderr and _history_bytes(project) == before


def test_write_into_a_read_only_data_folder_is_one_line_and_exit_2(project):
    path = _article(project, "release.txt", RELEASE)
    data = project / "data"
    before = _history_bytes(project)
    if os.geteuid() == 0:  # root writes through permission bits: make data/ a read-only mount instead
        if shutil.which("mount") is None:
            pytest.skip("needs mount to make a read-only folder as root")
        saved = project / "data-copy"
        shutil.copytree(data, saved)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(data)],
                                 capture_output=True)
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
        try:
            for file in saved.iterdir():
                shutil.copy2(file, data / file.name)
            subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
            done = CliRunner().invoke(main, ["ingest", str(path), "--write"])
            still = _history_bytes(project)
        finally:
            subprocess.run(["umount", "-l", str(data)], capture_output=True)
    else:
        data.chmod(0o555)
        try:
            done = CliRunner().invoke(main, ["ingest", str(path), "--write"])
            still = _history_bytes(project)
        finally:
            data.chmod(0o755)
    assert done.exit_code == 2, done.output
    assert done.stderr.count("\n") == 1 and "history.csv: cannot write" in done.stderr
    assert still == before


def _rows(root: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / "data" / "history.csv").read_text(encoding="utf-8"))))


@needs_dev
def test_the_written_file_is_still_one_row_per_series_and_month_in_order(project):
    CliRunner().invoke(main, ["ingest", str(_article(project, "release.txt", RELEASE)),
                              str(DEV / "12_tass_nwf_february.txt"), "--write"])
    rows = _rows(project)
    keys = [(r["series"], r["period"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert load_history(project / "data" / "history.csv")["og_revenue"]["2026-01"].value == 393.3


# --- re-render what changed -----------------------------------------------------------------------

_TRACE = """
import json, os, sys
from pathlib import Path
root = Path(sys.argv[2]).resolve()
opened = set()
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = Path(os.fsdecode(args[0])).resolve()
        if path.is_relative_to(root) and path.parts[len(root.parts)] in ("data", "seeds"):
            opened.add(path.relative_to(root).as_posix())
sys.addaudithook(hook)
import matplotlib
matplotlib.use("Agg")
cells = [c for c in json.loads(Path(sys.argv[1]).read_text())["cells"] if c["cell_type"] == "code"]
namespace = {}
for cell in cells:
    exec(compile("".join(cell["source"]), "cell", "exec"), namespace)
print(json.dumps(sorted(opened)))
"""


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_each_notebook_reads_only_the_files_its_manifest_hash_covers(notebook):
    from oilimpact.report.manifest import NOTEBOOK_READS

    done = subprocess.run([sys.executable, "-c", _TRACE, f"{notebook}.ipynb", str(ROOT)],
                          cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    opened = json.loads(done.stdout.strip().splitlines()[-1])
    covered = NOTEBOOK_READS[notebook]
    assert "data/history.csv" in opened  # so a new history month re-renders every report of it
    assert all(path in covered or path.split("/")[0] in covered for path in opened), (opened, covered)


def _render(root: Path) -> dict:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "oilimpact"), "render", "-n", "01_article_figures",
         "-n", "03_budget_impact", "-s", "budget_law", "--no-pdf", "--jobs", "2"],
        cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "OILIMPACT_ROOT": str(root)})
    assert done.returncode == 0, done.stdout + done.stderr
    return {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()
            if line.startswith("budget_law/")}


@pytest.mark.xdist_group("render")
@pytest.mark.slow
def test_a_new_month_re_renders_its_reports_and_the_index_shows_before_and_after(project):
    assert _render(project) == {"budget_law/01_article_figures": "ok", "budget_law/03_budget_impact": "ok"}
    # an article in seeds/ changes the notebook that reads seeds/ only
    (project / "seeds" / "005_test.txt").write_text(" date 2026-03-05 Urals traded at $66 a barrel.\n",
                                                    encoding="utf-8")
    assert _render(project) == {"budget_law/01_article_figures": "ok",
                                "budget_law/03_budget_impact": "skipped"}
    seeds_only = json.loads((project / "reports" / "revisions.json").read_text(encoding="utf-8"))["entries"]
    assert all(not e["history_rows"] and "other inputs" in e["cause"] for e in seeds_only)
    ingested = CliRunner().invoke(main, ["ingest", str(_article(project, "release.txt", RELEASE)), "--write"])
    assert ingested.exit_code == 0, ingested.output
    # both notebooks read data/history.csv: both re-render
    assert _render(project) == {"budget_law/01_article_figures": "ok", "budget_law/03_budget_impact": "ok"}
    log = json.loads((project / "reports" / "revisions.json").read_text(encoding="utf-8"))
    entry = log["entries"][-1]
    assert {(r["series"], r["period"], r["value"]) for r in entry["history_rows"]} == {
        ("og_revenue", "2026-02", "432.3"), ("urals_tax_price", "2026-02", "44.59"),
        ("ndd", "2026-02", "61.2"),
        ("og_additional_revenue_expected", "2026-03", "35.6")}
    revenue = next(c for c in entry["changes"] if c["result"] == "og_revenue_2026_bn_rub")
    assert revenue["report"] == "budget_law/03_budget_impact" and revenue["before"] != revenue["after"]
    page = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "What changed since the previous render" in page and "og_revenue 2026-02: new, 432.3" in page
    shown = f"{revenue['before']:,.0f} → {revenue['after']:,.0f}"
    assert shown in page
    # nothing changed: nothing renders, and the log keeps its entries
    assert set(_render(project).values()) == {"skipped"}
    kept = json.loads((project / "reports" / "revisions.json").read_text(encoding="utf-8"))
    assert kept["entries"] == log["entries"]


def test_wire_phrasings_of_a_release_map_to_their_series(project):
    text = (
        " date 2026-03-04 MOSCOW, March 4 (Reuters) - Russia's oil and gas budget revenue in February fell "
        "44% from a year earlier to 432.3 billion roubles ($5.6 billion), Finance Ministry data showed.\n\n"
        "Revenue from the mineral extraction tax on crude oil stood at 520.1 billion roubles in February, "
        "while damper payments to refiners totalled 45.3 billion roubles.\n\n"
        "The ministry said it expects a shortfall in oil and gas revenue of 54.5 billion roubles in March. "
        "The rouble averaged 77.12 per dollar in February.\n"
    )
    proposals = propose([_article(project, "wire.txt", text)]).proposals
    assert _one(proposals, "og_revenue", "2026-02").value == 432.3
    assert _one(proposals, "met_oil", "2026-02").value == 520.1
    assert _one(proposals, "damper", "2026-02").value == 45.3
    assert _one(proposals, "og_additional_revenue_expected", "2026-03").value == -54.5
    # the history's rate is derived from the daily CBR rates to four decimals: the rule keeps it
    rate = _one(proposals, "rub_usd_avg", "2026-02")
    assert rate.status == "conflicts" and not rate.blocks and "the history's row stays" in rate.reason


def test_an_ingested_month_replaces_its_nowcast_in_every_scenario(project):
    from oilimpact import model
    from oilimpact.model.realtime import nowcast

    before = model.run_scenario(model.resolve_parameters("war_premium")).monthly
    assert before.loc["2026-02", "revenue_status"] == "nowcast"
    path = _article(project, "release.txt", RELEASE)
    assert CliRunner().invoke(main, ["ingest", str(path), "--write"]).exit_code == 0
    clear_model_caches()
    for name in ("budget_law", "pre_war", "war_premium"):
        after = model.run_scenario(model.resolve_parameters(name)).monthly
        assert after.loc["2026-02", "og_revenue_used_bn_rub"] == 432.3
        assert after.loc["2026-02", "revenue_status"] == "published"
        # March keeps a nowcast, now fitted on February too
        march = nowcast("2026-03").expected_bn_rub
        assert after.loc["2026-03", "og_revenue_used_bn_rub"] == pytest.approx(march)


@needs_history
def test_rebuilding_the_history_keeps_the_months_ingest_added(project):
    path = _article(project, "release.txt", RELEASE)
    assert CliRunner().invoke(main, ["ingest", str(path), "--write"]).exit_code == 0
    rebuilt = CliRunner().invoke(main, ["history", "--from", str(SHARED_HISTORY), "--write",
                                        str(project / "data")])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "of which 4 added by oilimpact ingest and kept" in rebuilt.output
    history = load_history(project / "data" / "history.csv")
    assert history["og_revenue"]["2026-02"].value == 432.3
    assert history["og_revenue"]["2025-12"].value == 447.8  # the gathered record's rows are all there
