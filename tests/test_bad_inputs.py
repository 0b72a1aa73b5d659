"""A catalogue of bad inputs and faults: each case runs for real through the CLI (or a render) on a copy
of the project and checks the promise — exit status, one line naming the culprit and what is accepted,
no traceback, and nothing under data/ or reports/ changed or left half-written.

The table (:data:`CASES`) covers parameters, data files and articles; the tests after it cover
notebooks, hostile article text in HTML and PDF, and faults (kill -9, two renders at once, a full disk,
a read-only folder, pandoc or typst missing, determinism). The slow fault cases are marked ``slow`` and
run in ``make test`` and CI like the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from oilimpact.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BIN = Path(sys.executable).parent
SEED = "003_db86b3df408a027f.txt"


# --- a project of one's own ------------------------------------------------------------------------




def snapshot(root: Path) -> dict[str, str]:
    """Every file under data/ and reports/ (dotfiles too) with its content hash."""
    files = {}
    for folder in ("data", "reports"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.name != ".render.lock":
                files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def edit(relative: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


def truncate(relative: str, keep: float) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])

    return apply


def symlink_loop(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).symlink_to(root / relative)

    return apply


def folder(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).mkdir(parents=True)

    return apply


def article(body: str) -> str:
    return f" date 2026-03-09 {body}"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    says: tuple[str, ...]  # every piece must be in the one-line message
    setup: Callable[[Path], None] | None = None
    code: int = 2
    changes: tuple[str, ...] = field(default_factory=tuple)  # files the command may write


P = ("model", "budget_law", "-p")
R = ("render", "--no-pdf", "-n", "02", "-s", "budget_law")
BAD_YAML = "data/assumptions.yaml"
SCEN = "data/scenarios.yaml"
CASES = [
    # --- parameters ---
    Case("unknown parameter", (*P, "nope=1"), ("unknown parameter 'nope'", "known parameters")),
    Case("wrong type", (*P, "urals_price=abc"), ("parameter urals_price", "a number", "'abc'")),
    Case("empty value", (*P, "urals_price="), ("parameter urals_price", "a number", "''")),
    Case("name without =", (*P, "urals_price"), ("parameter 'urals_price'", "name=value")),
    Case("empty name", (*P, "=72"), ("parameter '=72'", "name=value")),
    Case("given twice", (*P, "urals_price=70", "-p", "urals_price=71"), ("urals_price", "given twice")),
    Case("NaN", (*P, "urals_price=nan"), ("parameter urals_price", "> 0", "'nan'")),
    Case("+inf", (*P, "urals_price=inf"), ("parameter urals_price", "'inf'")),
    Case("-inf", (*P, "rub_usd=-inf"), ("parameter rub_usd", "'-inf'")),
    Case("1e300", (*P, "urals_price=1e300"), ("parameter urals_price", "<=", "'1e300'")),
    Case("negative price", (*P, "urals_price=-5"), ("parameter urals_price", "> 0", "'-5'")),
    Case("zero price", (*P, "urals_price=0"), ("parameter urals_price", "> 0", "'0'")),
    Case("zero rate", (*P, "rub_usd=0"), ("parameter rub_usd", "> 0")),
    Case("negative rate", (*P, "rub_usd=-80"), ("parameter rub_usd", "> 0")),
    Case(
        "discount above Brent",
        (*P, "brent_price=10", "-p", "urals_discount=30"),
        ("urals_price", "must be a number > 0", "Brent 10"),
    ),
    Case(
        "horizon ends before it starts",
        (*P, "horizon_start=2026-06", "-p", "horizon_end=2026-01"),
        ("horizon_end", "before horizon_start 2026-06"),
    ),
    Case("month 13", (*P, "horizon_end=2026-13"), ("parameter horizon_end", "YYYY-MM", "'2026-13'")),
    Case("month in words", (*P, "target_month=March"), ("parameter target_month", "YYYY-MM", "'March'")),
    Case("month out of range", (*P, "target_month=1999-01"), ("parameter target_month", "2025-01")),
    Case(
        "bad choice", (*P, "path_shape=zigzag"), ("parameter path_shape", "one of flat, glide, shock_decay")
    ),
    Case(
        "mc_paths 0",
        ("render", "-n", "05", "-s", "budget_law", "-p", "mc_paths=0"),
        ("parameter mc_paths", "an integer >= 1"),
    ),
    Case(
        "mc_paths absurd",
        ("render", "-n", "05", "-s", "budget_law", "-p", "mc_paths=10000000000"),
        ("parameter mc_paths", "<= 2000000"),
    ),
    Case(
        "mc_paths not an integer",
        ("render", "-n", "05", "-s", "budget_law", "-p", "mc_paths=1.5"),
        ("parameter mc_paths", "an integer"),
    ),
    Case("jobs 0", (*R, "--jobs", "0"), ("--jobs", "0 is not in the range", "see oilimpact render --help")),
    Case("jobs negative", (*R, "--jobs", "-3"), ("--jobs", "-3 is not in the range")),
    Case("jobs huge", (*R, "--jobs", "100000"), ("--jobs", "1<=x<=64")),
    Case("jobs not a number", (*R, "--jobs", "many"), ("--jobs", "'many' is not a valid integer")),
    Case("render unknown parameter", ("render", "-p", "nope=1"), ("-p nope", "no selected notebook")),
    Case("render sets scenario by -p", ("render", "-p", "scenario=x"), ("-s/--scenario",)),
    Case("scenario ../", ("render", "-s", "../x"), ("-s ../x", "unknown scenario", "budget_law")),
    Case("scenario with /", ("render", "-s", "a/b"), ("-s a/b", "unknown scenario")),
    Case("scenario with space", ("render", "-s", "war premium"), ("-s war premium", "unknown scenario")),
    Case("scenario unicode", ("render", "-s", "сценарий"), ("-s сценарий", "unknown scenario")),
    Case(
        "model unknown scenario",
        ("model", "../budget_law"),
        ("unknown scenario '../budget_law'", "known scenarios"),
    ),
    Case("notebook ../", ("render", "-n", "../01"), ("-n '../01'", "not a path")),
    Case("notebook with /", ("render", "-n", "notebooks/01"), ("-n 'notebooks/01'", "not a path")),
    Case(
        "notebook with space", ("render", "-n", "01 article"), ("-n 01 article", "no such notebook", "have:")
    ),
    Case("notebook unicode", ("render", "-n", "записка"), ("-n записка", "no such notebook")),
    Case("unknown option", ("render", "--fast"), ("No such option '--fast'", "see oilimpact render --help")),
    Case("grid unknown parameter", (*R, "--grid", "nope=1:2:1"), ("--grid nope", "unknown parameter")),
    Case("grid step 0", (*R, "--grid", "urals_price=40:80:0"), ("--grid urals_price", "the step is 0")),
    Case("grid empty range", (*R, "--grid", "urals_price=80:40:10"), ("--grid urals_price", "empty range")),
    Case("grid outside bounds", (*R, "--grid", "rub_usd=0,90"),
         ("parameter rub_usd", "must be a number > 0")),
    Case("grid over the guard", (*R, "--grid", "urals_price=1:300:1", "--grid", "rub_usd=1:100:1"),
         ("30,000 points", "more than --max-points 500")),
    Case("named grid, no such preset", (*R, "--grid", "war_price_rouble"),
         ("grid war_price_rouble", "preset 'nope' is not a preset"),
         edit(SCEN, "preset: war_premium", "preset: nope", 1)),
    Case("scheduler not an address", (*R, "--scheduler", "localhost"), ("--scheduler 'localhost'", "tcp://HOST")),
    Case("compare unknown scenario", ("render", "--compare", "budget_law", "nope"), ("--compare nope",)),
    # --- data files ---
    Case(
        "assumptions YAML syntax",
        ("model", "budget_law"),
        (BAD_YAML, "not valid YAML"),
        edit(BAD_YAML, "  unit: USD/bbl", "  unit: [USD/bbl", 1),
    ),
    Case(
        "assumptions wrong type",
        ("model", "budget_law"),
        (BAD_YAML, "budget_law_urals_price", "must be a number", "'fifty-nine'"),
        edit(BAD_YAML, "value: 59", "value: fifty-nine"),
    ),
    Case(
        "assumptions missing field",
        ("model", "budget_law"),
        (BAD_YAML, "confidence", "Field required"),
        edit(BAD_YAML, "\n  confidence: V", "", 1),
    ),
    Case(
        "assumptions duplicate key",
        ("model", "budget_law"),
        (BAD_YAML, "appears twice", "keep one"),
        lambda root: _append_duplicate_key(root / BAD_YAML),
    ),
    Case(
        "assumptions series out of order",
        ("model", "budget_law"),
        (BAD_YAML, "out of order", "oldest first"),
        edit(BAD_YAML, '"2025-01":', '"2025-13":', 1),
    ),
    Case(
        "scenarios YAML syntax", ("scenarios",), (SCEN, "not valid YAML"), edit(SCEN, "title:", "title: {", 1)
    ),
    Case(
        "scenarios wrong type",
        ("scenarios",),
        (SCEN, "scenario budget_law", "values"),
        edit(SCEN, "  values:\n", "  values: 12\n  old_values:\n", 1),
    ),
    Case(
        "scenarios duplicate key",
        ("scenarios",),
        (SCEN, "appears twice"),
        lambda root: (root / SCEN).write_text(
            (root / SCEN).read_text(encoding="utf-8").replace("pre_war:", "budget_law:", 1), encoding="utf-8"
        ),
    ),
    Case(
        "scenario names a missing assumption",
        ("scenarios",),
        (SCEN, "no assumption 'no_such_key'"),
        edit(SCEN, "{assumption: budget_law_urals_price}", "{assumption: no_such_key}", 1),
    ),
    Case(
        "scenario names a missing figure",
        ("scenarios",),
        (SCEN, "matches no row of data/figures.csv"),
        edit(SCEN, "{metric: budget_oil_price_assumption}", "{metric: no_such_metric}", 1),
    ),
    Case(
        "scenario literal without why",
        ("scenarios",),
        (SCEN, "a literal value needs a why"),
        edit(SCEN, 'why: "a supply shock that fades as traffic resumes"', "note: x", 1),
    ),
    Case("figures.csv truncated", ("scenarios",), ("data/figures.csv",), truncate("data/figures.csv", 0.37)),
    Case(
        "figures.csv hand-broken value",
        ("scenarios",),
        ("data/figures.csv:2", "value 'lots' is not a number"),
        lambda root: _break_csv(root / "data/figures.csv", "value", "lots"),
    ),
    Case(
        "figures.csv hand-broken date",
        ("scenarios",),
        ("data/figures.csv:2", "article_date", "YYYY-MM-DD"),
        lambda root: _break_csv(root / "data/figures.csv", "article_date", "08/03/2026"),
    ),
    Case(
        "figures.csv missing column",
        ("scenarios",),
        ("data/figures.csv", "missing columns", "metric"),
        edit("data/figures.csv", "metric,", "metrik,", 1),
    ),
    Case(
        "figures.csv empty",
        ("scenarios",),
        ("data/figures.csv", "not a readable CSV"),
        write("data/figures.csv", ""),
    ),
    Case(
        "history duplicated month",
        ("backtest",),
        ("data/history.csv:3", "appears twice"),
        lambda root: _duplicate_history_row(root / "data/history.csv"),
    ),
    Case(
        "history out of order",
        ("nowcast", "2026-01"),
        ("data/history.csv", "list months in order"),
        lambda root: _swap_history_rows(root / "data/history.csv"),
    ),
    Case("nowcast bad month", ("nowcast", "2026-1"), ("month '2026-1'", "YYYY-MM")),
    Case("nowcast month without inputs", ("nowcast", "2025-03"), ("no inputs", "urals_tax_price 2025-02")),
    # --- articles ---
    Case(
        "article without a date header",
        ("figures", "a.txt"),
        ("a.txt:1", "no date header", "date YYYY-MM-DD"),
        write("a.txt", "Urals rose to $72 this week."),
    ),
    Case(
        "article with a bad date",
        ("figures", "a.txt"),
        ("a.txt:1", "bad date '2026-02-30'", "calendar date"),
        write("a.txt", " date 2026-02-30 Urals rose to $72."),
    ),
    Case("empty article", ("figures", "a.txt"), ("a.txt", "empty file"), write("a.txt", "")),
    Case(
        "article not UTF-8",
        ("figures", "a.txt"),
        ("a.txt:1", "not UTF-8", "save the article as UTF-8"),
        write("a.txt", " date 2026-03-09 Urals \xe0 72 dollars".encode("latin-1")),
    ),
    Case(
        "binary article",
        ("figures", "a.txt"),
        ("a.txt", "binary data", "UTF-8 text"),
        write("a.txt", b" date 2026-03-09 \x00\x01\x02PK\x03\x04"),
    ),
    Case(
        "article over the size limit",
        ("figures", "a.txt"),
        ("a.txt", "over the 1 MB limit"),
        write("a.txt", article("Urals at $72. " * 80_000)),
    ),
    Case(
        "a folder where an article is expected",
        ("figures", "seeds"),
        ("warning:", "x.txt", "is a folder"),
        folder("seeds/x.txt"),
        code=0,
    ),
    Case(
        "a symlink loop",
        ("figures", "loop.txt"),
        ("loop.txt", "cannot read", "symbolic links"),
        symlink_loop("loop.txt"),
    ),
    Case("no such article", ("figures", "missing.txt"), ("missing.txt", "no such file or folder")),
    Case(
        "a bad article in a folder is a warning",
        ("figures", "seeds"),
        ("warning:", "x.txt", "no date header", "(skipped)"),
        write("seeds/x.txt", "no header here"),
        code=0,
    ),
    Case(
        "write into a missing folder",
        ("figures", "seeds", "--write", "nowhere"),
        ("nowhere", "no such folder"),
    ),
    # --- second pass: values nested inside the data files, checked by their schema ---
    Case("scenario mean not a span", ("scenarios",),
         (f"{SCEN}:17:", "values.urals_discount.mean", "[FROM, TO]", "got 5"),
         edit(SCEN, '      at: "2026-02"', "      mean: 5", 1)),
    Case("scenario minus under a text parameter", ("scenarios",),
         (f"{SCEN}:18:", "values.path_shape", "minus", "'flat' is text"),
         edit(SCEN, 'why: "the law assumes one price for the whole year"}',
              "why: x, minus: {value: 3, why: y}}", 1)),
    Case("scenario check that is a bare name", ("scenarios",),
         (f"{SCEN}:20:", "checks.0", "{parameter: NAME, figure:", "'urals_price'"),
         edit(SCEN, "    - {parameter: urals_price, figure: {metric: budget_oil_price_assumption}, "
              "relation: equal}", "    - urals_price", 1)),
    Case("scenario assumption given as a list", ("scenarios",),
         (SCEN, "values.urals_price.assumption", "must be a name", "['a', 'b']"),
         edit(SCEN, "{assumption: budget_law_urals_price}", "{assumption: [a, b]}", 1)),
    Case("scenario value of two kinds", ("scenarios",),
         (SCEN, "values.rub_usd", "exactly one of assumption, figure, value"),
         edit(SCEN, "{assumption: budget_law_rub_usd}",
              "{assumption: budget_law_rub_usd, value: 3, why: x}", 1)),
    Case("scenario title not text", ("scenarios",), (f"{SCEN}:7:", "title", "must be text"),
         edit(SCEN, "title: Budget law", "title: [Budget law]", 1)),
    Case("scenario unknown key", ("scenarios",), (f"{SCEN}:7:", "titel", "not a known key"),
         edit(SCEN, "title: Budget law", "titel: Budget law", 1)),
    Case("scenario check relation unknown", ("scenarios",), (SCEN, "checks.0.relation", "'equal'"),
         edit(SCEN, "relation: equal}", "relation: same}", 1)),
    Case("assumption GDP of 0", ("model", "budget_law"),
         (BAD_YAML, "budget_law_gdp", "outside > 0"), edit(BAD_YAML, "value: 235067", "value: 0", 1)),
    Case("assumption tax price 1e300", ("model", "budget_law"),
         (BAD_YAML, "urals_tax_price_2026", "2026-01", "<= 500"),
         edit(BAD_YAML, '"2026-01": 40.95', '"2026-01": 1.0e+300', 1)),
    Case("assumption negative tax price", ("model", "budget_law"),
         (BAD_YAML, "urals_tax_price_2026", "-40.95"),
         edit(BAD_YAML, '"2026-01": 40.95', '"2026-01": -40.95', 1)),
    Case("assumption given as a list", ("model", "budget_law"),
         (f"{BAD_YAML}:19:", "budget_law_urals_price", "must be a number", "[59]"),
         edit(BAD_YAML, "value: 59", "value: [59]", 1)),
    Case("history CBR rate of 0", ("backtest",), ("data/history.csv:", "rub_usd_avg", "outside > 0"),
         lambda root: _set_history(root / "data/history.csv", "rub_usd_avg", "0")),
    Case("history revenue month of 0", ("backtest",), ("data/history.csv:", "og_revenue", "outside > 0"),
         lambda root: _set_history(root / "data/history.csv", "og_revenue", "0")),
    Case("history tax price 1e300", ("nowcast", "2026-01"),
         ("data/history.csv:", "urals_tax_price", "<= 500"),
         lambda root: _set_history(root / "data/history.csv", "urals_tax_price", "1e300")),
    Case("history negative tax price", ("model", "budget_law"),
         ("data/history.csv:", "urals_tax_price", "-5.0 is outside"),
         lambda root: _set_history(root / "data/history.csv", "urals_tax_price", "-5")),
    # --- YAML aliases are refused, never expanded ---
    Case("billion laughs in scenarios", ("scenarios",), (f"{SCEN}:2:", "alias *a is not allowed"),
         lambda root: _prepend(root / SCEN, _LAUGHS)),
    Case("recursive alias in assumptions", ("model", "budget_law"), (BAD_YAML, "alias *loop is not allowed"),
         lambda root: _prepend(root / BAD_YAML, "loop: &loop [*loop]\n")),
    Case("merge key in scenarios", ("render", "--no-pdf", "-n", "02"), (SCEN, "alias *base is not allowed"),
         lambda root: _prepend(root / SCEN, "base: &base {title: x}\nother:\n  <<: *base\n")),
    # --- work without a limit ---
    Case("article of 15 kB of '$1 '", ("figures", "a.txt"),
         ("a.txt", "5,000 numbers", "over the 2,000 limit"),
         write("a.txt", article("$1 " * 5000))),
    # --- text that is not what it looks like ---
    Case("article dated 9999-12-31", ("figures", "a.txt"),
         ("a.txt:1", "bad date '9999-12-31'", "to 2100-12-31"),
         write("a.txt", " date 9999-12-31 Urals rose to $72 next year.")),
    # --- a bad notebook parameter is refused before a kernel starts ---
    Case("render seeds_dir that is not there", ("render", "-n", "01", "-s", "budget_law", "-p",
                                                "seeds_dir=/no/such"),
         ("parameter seeds_dir", "'/no/such' is not a folder", "folder of article files")),
    Case("render seeds_dir without articles", ("render", "-n", "01", "-s", "budget_law", "-p",
                                               "seeds_dir=data"),
         ("parameter seeds_dir", "no *.txt articles")),
    Case("render article that matches none", ("render", "-n", "01", "-s", "budget_law", "-p", "article=999"),
         ("parameter article", "no article matches '999'", "003_db86b3df408a027f.txt")),
    Case("render compare_to unknown", ("render", "-n", "06", "-s", "budget_law", "-p", "compare_to=nope"),
         ("parameter compare_to", "'nope' is not a scenario", "budget_law")),
    # --- paths: outputs stay in the reports folder, inputs are regular files ---
    Case("output into data/", (*R, "--output", "data"), ("data", "inside the project's data/", "an input")),
    Case("output into seeds/", (*R, "--output", "seeds/sub"), ("seeds/sub", "inside the project's seeds/")),
    Case("output into notebooks/", (*R, "--output", "notebooks"), ("inside the project's notebooks/",)),
    Case("output is the project", (*R, "--output", "."), ("holds the project itself",)),
    Case("output a folder of other files", (*R, "--output", "stuff"), ("stuff", "not a reports folder"),
         write("stuff/notes.md", "mine")),
    Case("a scenario folder linked outside", R,
         ("reports/budget_law", "is a symbolic link", "remove the link"),
         lambda root: _link_outside(root, "reports/budget_law", folder=True)),
    Case("the lock linked outside", R, ("reports/.render.lock", "is a symbolic link"),
         lambda root: _link_outside(root, "reports/.render.lock", folder=False)),
    Case("scenarios file is a FIFO", ("scenarios",), (SCEN, "not a regular file"),
         lambda root: _fifo(root / SCEN)),
    Case("history file is /dev/zero", ("backtest",), ("data/history.csv", "not a regular file"),
         lambda root: _replace_with_link(root / "data/history.csv", Path("/dev/zero"))),
    Case("assumptions a dangling link", ("model", "budget_law"), (BAD_YAML, "a symbolic link to nothing"),
         lambda root: _replace_with_link(root / BAD_YAML, root / "nowhere.yaml")),
    Case("figures.csv a folder", ("scenarios",), ("data/figures.csv", "is a folder"),
         lambda root: _replace_with_folder(root / "data/figures.csv")),
]

OUTSIDE_TEXT = "outside the project, must stay as it is\n"


def _link_outside(root: Path, relative: str, folder: bool) -> None:
    outside = root.parent / ("outside_dir" if folder else "outside.txt")
    if folder:
        outside.mkdir(exist_ok=True)
    else:
        outside.write_text(OUTSIDE_TEXT)
    (root / relative).symlink_to(outside)


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _replace_with_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


def _set_history(path: Path, series: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{series},"))
    cells = lines[index].split(",")
    cells[2] = value
    lines[index] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


def _prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def _duplicate_history_row(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], lines[1], lines[1], *lines[2:]]), encoding="utf-8")


def _swap_history_rows(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], lines[2], lines[1], *lines[3:]]), encoding="utf-8")


def _append_duplicate_key(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line and line[0].isalpha() and line.endswith(":"))
    path.write_text(text + f"\n{first}\n  value: 1\n", encoding="utf-8")


def _break_csv(path: Path, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index(column)] = value
    lines[1] = ",".join(first)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_clear_line_and_changes_nothing(project, case, monkeypatch):
    if case.setup is not None:
        case.setup(project)
    monkeypatch.chdir(project)
    before = snapshot(project)
    result = CliRunner().invoke(main, list(case.args))
    output = result.stdout + result.stderr
    assert result.exit_code == case.code, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if case.code == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        message = lines[0]
    else:
        message = next(line for line in lines if line.startswith("warning:"))
    for piece in case.says:
        assert piece in message, f"{piece!r} not in {message!r}"
    assert snapshot(project) == before
    outside = project.parent / "outside.txt"
    assert not outside.exists() or outside.read_text() == OUTSIDE_TEXT
    outside_dir = project.parent / "outside_dir"
    assert not outside_dir.exists() or not any(outside_dir.iterdir())


def _hostile_seeds(seeds: Path) -> None:
    """A folder, a dangling link, a FIFO and /dev/zero, each named like an article."""
    (seeds / "900_folder.txt").mkdir()
    (seeds / "901_dangling.txt").symlink_to(seeds / "no-such-file")
    os.mkfifo(seeds / "902_fifo.txt")
    (seeds / "903_zero.txt").symlink_to("/dev/zero")


def test_seeds_that_are_not_files_are_warnings_in_figures_and_skipped_by_render(project, monkeypatch):
    from oilimpact.report.batch import data_date

    _hostile_seeds(project / "seeds")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["figures", "seeds", "--format", "csv"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "Traceback" not in result.output
    for name, says in (("900_folder", "is a folder"), ("901_dangling", "no such article file"),
                       ("902_fifo", "not a regular file"), ("903_zero", "not a regular file")):
        assert any(name in w and says in w for w in warnings), (name, warnings)
    assert data_date() == "2026-03-08"  # the three real seeds' latest date; the others are no article


def test_a_run_on_sentence_is_cut_and_its_figures_keep_their_offsets():
    import datetime as dt

    from oilimpact.articles.figures import extract_figures
    from oilimpact.articles.text import MAX_NUMBERS, MAX_SENTENCE_CHARS, Article, sentences

    text = article("$1 " * (MAX_NUMBERS - 10))
    spans = sentences(text, 17)
    assert max(s.end - s.start for s in spans) <= MAX_SENTENCE_CHARS
    found = extract_figures(Article(Path("a.txt"), "a.txt", dt.date(2026, 3, 9), text, 17))
    assert len(found) == MAX_NUMBERS - 10
    assert all(text[f.start:f.end] == f.text for f in found)


ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"]
GROUP_SPACES = ["\u00a0", "\u2009", "\u202f", "\u2007"]


@settings(max_examples=60, deadline=None)
@given(where=st.lists(st.integers(0, 3), max_size=3), invisible=st.sampled_from(ZERO_WIDTH),
       space=st.sampled_from(GROUP_SPACES), crlf=st.booleans())
def test_invisible_characters_group_spaces_and_crlf_keep_values_and_offsets(
        tmp_path_factory, where, invisible, space, crlf):
    from oilimpact.articles import read_corpus

    price = "$72"
    for index in sorted(set(where), reverse=True):
        price = price[:index] + invisible + price[index:]
    body = (f"Urals crude rose to {price} a barrel this week.\nExports fell by 1{space}000 kbd in March, "
            "and by 1 000 kbd in April.\n")
    path = tmp_path_factory.mktemp("a") / "a.txt"
    path.write_bytes(article(body.replace("\n", "\r\n") if crlf else body).encode("utf-8"))
    figures = read_corpus([path]).figures
    as_read = path.read_text(encoding="utf-8")  # the README's offset rule
    assert all(as_read[f.start:f.end] == f.text for f in figures)
    assert [abs(f.value) for f in figures] == [72, 1000, 1000], [(f.text, f.value) for f in figures]


def test_a_decomposed_article_reads_as_its_nfc_form_with_offsets_into_the_file():
    import datetime as dt
    import unicodedata

    from oilimpact.articles.figures import extract_figures
    from oilimpact.articles.text import Article

    text = (" date 2026-02-04 Нефтегазовые доходы бюджета в январе составили 393,3 млрд рублей, "
            "сообщил Минфин.")
    found = {}
    for form in ("NFC", "NFD"):
        shown = unicodedata.normalize(form, text)
        figures = extract_figures(Article(Path("a.txt"), "a.txt", dt.date(2026, 2, 4), shown, 17))
        assert all(shown[f.start:f.end] == f.text for f in figures)
        found[form] = [(unicodedata.normalize("NFC", f.text), f.value, f.unit, f.metric) for f in figures]
    assert found["NFD"] == found["NFC"] == [("393,3 млрд рублей", 393.3, "RUB", "oil_gas_revenue")]


def test_escape_sequences_reach_the_terminal_escaped_and_formulas_no_spreadsheet(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(article("=HYPERLINK(\"http://x\") Urals rose to $72 a barrel.\n"
                                            "\x1b[2J\x1b]0;owned\x07Exports fell by 1,000 kbd in March."),
                                    encoding="utf-8")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["figures", "a.txt", "--write", "out"])
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(main, ["figures", "a.txt", "--format", "csv"]).stdout
    assert "\x1b" not in result.output + shown and "\\x1b[2J" in shown
    import csv

    rows = list(csv.DictReader((tmp_path / "out/figures.csv").open(encoding="utf-8")))
    assert rows and not any(row["sentence"].startswith(("=", "+", "-", "@")) for row in rows)


@settings(max_examples=40, deadline=None)
@given(tree=st.lists(st.tuples(st.sampled_from(["budget_law", "war_premium", "grids", "x.y"]),
                               st.sampled_from(["02.html", "02.ipynb", "index.html", "sub"]),
                               st.sampled_from(["file", "dir", "link-out", "link-in", "dangling"])),
                     max_size=6))
def test_a_symbolic_link_anywhere_in_the_reports_folder_is_refused(tmp_path_factory, tree):
    from oilimpact.errors import OilImpactError
    from oilimpact.report.lock import check_reports_folder

    base = tmp_path_factory.mktemp("r")
    reports, outside = base / "reports", base / "outside"
    outside.mkdir()
    (reports).mkdir()
    (reports / "manifest.json").write_text("{}")
    links = False
    for folder, name, kind in tree:
        path = reports / folder / name
        if path.exists() or path.is_symlink() or (reports / folder).is_symlink():
            continue
        (reports / folder).mkdir(exist_ok=True)
        if kind == "file":
            path.write_text("x")
        elif kind == "dir":
            path.mkdir()
        else:
            targets = {"link-out": outside, "link-in": reports / "manifest.json", "dangling": base / "no"}
            target = targets[kind]
            path.symlink_to(target)
            links = True
    if links:
        with pytest.raises(OilImpactError, match="is a symbolic link"):
            check_reports_folder(reports)
    else:
        check_reports_folder(reports)
    assert list(outside.iterdir()) == []


GATHERED = ROOT.parent / "shared" / "history"


@pytest.mark.skipif(not (GATHERED / "og_history_2023_2025.csv").is_file(), reason="needs ../shared/history")
@pytest.mark.parametrize(("value", "says"), [("lots", "is not a number"), ("0", "outside > 0"),
                                             ("1e300", "<= 500")])
def test_the_gathered_history_is_checked_row_by_row(project, monkeypatch, value, says):
    gathered = project / "gathered"
    shutil.copytree(GATHERED, gathered)
    path = gathered / "og_history_2023_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    index = next(i for i, line in enumerate(lines) if re.match(r"urals_tax_price,\d{4}-\d{2},", line))
    cells = lines[index].split(",")
    cells[header.index("value")] = value
    lines[index] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["history", "--from", "gathered"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert f"og_history_2023_2025.csv:{index + 1}: urals_tax_price" in result.stderr and says in result.stderr


def test_the_catalogue_has_fifty_cases_and_more():
    extra = [
        name
        for name in globals()
        if name.startswith("test_")
        and name
        not in (
            "test_bad_input_is_one_clear_line_and_changes_nothing",
            "test_the_catalogue_has_fifty_cases_and_more",
        )
    ]
    assert len(CASES) >= 50 and len(CASES) + len(extra) >= 60


# --- notebooks -------------------------------------------------------------------------------------


def _notebook(cells: list[dict], language: str = "python", kernel: str = "python3") -> str:
    return json.dumps(
        {
            "cells": cells,
            "metadata": {"kernelspec": {"name": kernel, "language": language, "display_name": kernel}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def _code(source: str, tags: tuple[str, ...] = ()) -> dict:
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": [],
        "execution_count": None,
        "id": hashlib.sha1(source.encode()).hexdigest()[:8],
    }


def _render(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 240):
    return subprocess.run(
        [str(BIN / "oilimpact"), "render", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


pytestmark_render = pytest.mark.xdist_group("render")


@pytestmark_render
def test_a_raising_cell_keeps_its_report_and_the_batch_goes_on(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "notebooks" / "02_plain.ipynb", notebooks / "02_plain.ipynb")
    (notebooks / "01_raises.ipynb").write_text(_notebook([_code("raise ValueError('bad cell')")]))
    out = tmp_path / "reports"
    done = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--no-pdf"], tmp_path)
    assert done.returncode == 1, done.stderr
    assert "ValueError: bad cell" in done.stdout and "Traceback" not in done.stderr
    assert "bad cell" in (out / "default/01_raises.html").read_text()
    assert (out / "default/02_plain.html").exists()
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    assert {k: v["status"] for k, v in manifest.items()} == {
        "default/01_raises": "failed",
        "default/02_plain": "ok",
    }


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("01_x.ipynb", "{not json", "not a notebook (invalid JSON"),
        ("01_x.ipynb", json.dumps({"metadata": {}}), "not a notebook (no list of cells)"),
        (
            "01_x.ipynb",
            _notebook([_code("x = 1")], language="R", kernel="ir"),
            "kernel 'ir' runs r, not Python",
        ),
        (
            "01_x.ipynb",
            _notebook([_code("x: int = (", tags=("parameters",))]),
            "parameters cell is not valid Python",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_notebook_is_named(tmp_path, name, content, says):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / name).write_text(content)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", "--notebooks-dir", str(notebooks), "--output", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and name in result.stderr and says in result.stderr, result.stderr
    assert not out.exists()


def test_a_notebook_without_a_parameters_cell_takes_no_parameters(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "01_x.ipynb").write_text(_notebook([_code("x = 1")]))
    result = CliRunner().invoke(
        main,
        ["render", "--notebooks-dir", str(notebooks), "-p", "x=2", "--output", str(tmp_path / "reports")],
    )
    assert result.exit_code == 2
    assert "-p x: no selected notebook has this parameter (have: none)" in result.stderr


def test_a_failed_rerender_keeps_the_last_good_report(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "01_may_fail.ipynb").write_text(_notebook([
        _code("fail: int = 0  # 1 makes the report fail", tags=("parameters",)),
        _code("assert fail == 0, 'asked to fail'\nprint('fine')"),
    ]))
    out = tmp_path / "reports"
    args = ["--notebooks-dir", str(notebooks), "--output", str(out)]
    first = _render(args, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    good = {p.name: p.read_bytes() for p in (out / "default").glob("01_may_fail.*") if p.is_file()}
    assert set(good) == {"01_may_fail.ipynb", "01_may_fail.html", "01_may_fail.pdf"}
    failed = _render([*args, "-p", "fail=1"], tmp_path)
    assert failed.returncode == 1 and "asked to fail" in failed.stdout, failed.stdout + failed.stderr
    for name, data in good.items():
        assert (out / "default" / name).read_bytes() == data, name
    assert "asked to fail" in (out / "default/01_may_fail.failed.html").read_text()
    again = _render([*args, "-p", "fail=0"], tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(p.name for p in (out / "default").glob("01_may_fail.*") if p.is_file()) == sorted(good)


@pytestmark_render
@pytest.mark.slow
def test_a_huge_output_is_clipped_and_a_slow_cell_times_out(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "01_loud.ipynb").write_text(_notebook([_code("print('x' * 5_000_000)")]))
    (notebooks / "02_slow.ipynb").write_text(_notebook([_code("import time\ntime.sleep(120)")]))
    out = tmp_path / "reports"
    started = time.monotonic()
    done = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--cell-timeout", "3",
                    "--jobs", "2"], tmp_path, timeout=150)
    assert done.returncode == 1, done.stdout + done.stderr
    assert time.monotonic() - started < 100
    html = (out / "default/01_loud.html").read_text(encoding="utf-8")
    assert "output clipped: 5,000,001 characters, 200,000 shown" in html and len(html) < 1_000_000
    assert (out / "default/01_loud.pdf").stat().st_size < 5_000_000
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    assert manifest["default/01_loud"]["status"] == "ok"
    assert manifest["default/02_slow"]["status"] == "failed"
    assert "timed out" in manifest["default/02_slow"]["message"].lower() or "timeout" in \
        manifest["default/02_slow"]["message"].lower(), manifest["default/02_slow"]["message"]


# --- hostile article text --------------------------------------------------------------------------

HOSTILE = (
    "<script>alert('x')</script> <b>bold</b> **md** `tick` {{ jinja }} #import \"evil.typ\" "
    '#eval("1+1") $x^2$ *star* # heading'
)


@pytestmark_render
@pytest.mark.slow
def test_markup_in_an_article_stays_text_in_html_and_pdf(tmp_path):
    from pypdf import PdfReader

    seeds = tmp_path / "articles"
    seeds.mkdir()
    (seeds / "001_hostile.txt").write_text(
        article(f"Urals crude rose to $72 a barrel, {HOSTILE}, this week."), encoding="utf-8"
    )
    out = tmp_path / "reports"
    done = _render(["-n", "01", "-s", "budget_law", "-p", f"seeds_dir={seeds}", "--output", str(out)], ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    html = (out / "budget_law/01_article_figures.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>bold</b>" not in html
    pdf_text = "".join(
        page.extract_text() for page in PdfReader(out / "budget_law/01_article_figures.pdf").pages
    )
    flat = " ".join(pdf_text.split())
    for literal in ("<script>alert", "#eval(", "{{ jinja }}", "$x^2$"):
        assert literal in flat, literal


# --- faults ---------------------------------------------------------------------------------------


def _slow_project(tmp_path: Path) -> tuple[Path, Path]:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "notebooks" / "02_plain.ipynb", notebooks / "02_plain.ipynb")
    shutil.copy(FIXTURES / "slow" / "04_slow.ipynb", notebooks / "04_slow.ipynb")
    return notebooks, tmp_path / "reports"


def _start(notebooks: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "oilimpact"),
            "render",
            "--notebooks-dir",
            str(notebooks),
            "--output",
            str(out),
            "--jobs",
            "1",
            "--no-pdf",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=notebooks.parent,
        start_new_session=True,
    )


def _wait(condition: Callable[[], bool], proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _whole(out: Path) -> None:
    for path in out.rglob("*"):
        if path.is_file() and path.name != ".render.lock":
            assert not path.name.startswith("."), f"left behind: {path}"
            data = path.read_bytes()
            if path.suffix in (".ipynb", ".json"):
                json.loads(data)
            elif path.suffix == ".html":
                assert data.rstrip().endswith(b"</html>"), path


@pytestmark_render
@pytest.mark.slow
def test_kill_9_mid_render_then_rerun_resumes_and_finishes(tmp_path):
    notebooks, out = _slow_project(tmp_path)
    proc = _start(notebooks, out)
    try:
        _wait(lambda: (notebooks / "04_slow.running").exists(), proc)
        os.killpg(proc.pid, signal.SIGKILL)  # the render and its kernels, as a laptop's crash would
        proc.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    leftovers = [p for p in out.rglob(".*") if p.name != ".render.lock"]
    again = _render(
        ["--notebooks-dir", str(notebooks), "--output", str(out), "--jobs", "1", "--no-pdf"], tmp_path
    )
    assert again.returncode == 0, again.stdout + again.stderr
    _whole(out)
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    assert {k: v["status"] for k, v in manifest.items()} == {
        "default/02_plain": "ok",
        "default/04_slow": "ok",
    }
    assert all(not p.exists() for p in leftovers)


@pytestmark_render
@pytest.mark.slow
def test_two_renders_at_once_the_second_refuses_and_the_first_finishes(tmp_path):
    notebooks, out = _slow_project(tmp_path)
    first = _start(notebooks, out)
    try:
        _wait(lambda: (notebooks / "04_slow.running").exists(), first)
        second = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--no-pdf"], tmp_path)
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1 and "another oilimpact render (pid" in second.stderr, (
            second.stderr
        )
        assert "--output" in second.stderr
        stdout, stderr = first.communicate(timeout=120)
        assert first.returncode == 0, stdout + stderr
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    _whole(out)
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    assert {k: v["status"] for k, v in manifest.items()} == {
        "default/02_plain": "ok",
        "default/04_slow": "ok",
    }


@pytestmark_render
@pytest.mark.slow
def test_reports_deleted_mid_render_stops_the_first_render(tmp_path):
    notebooks, out = _slow_project(tmp_path)
    first = _start(notebooks, out)
    try:
        _wait(lambda: (notebooks / "04_slow.running").exists(), first)
        shutil.rmtree(out)
        stdout, stderr = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 2, stdout + stderr
    assert stderr.count("\n") == 1 and "removed or replaced during the render" in stderr, stderr
    again = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--jobs", "1", "--no-pdf"],
                    tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr


@pytestmark_render
def test_a_killed_kernel_leaves_no_connection_file():
    from oilimpact.report.kernel import WarmKernel

    kernel = WarmKernel("python3", ROOT / "notebooks", [])
    connection = Path(kernel.km.connection_file)
    assert connection.exists()
    os.kill(kernel.pid, signal.SIGKILL)
    kernel.shutdown()
    assert not connection.exists() and not connection.parent.exists()


def test_a_failing_cleanup_does_not_hide_the_write_error(tmp_path, monkeypatch):
    from oilimpact import project
    from oilimpact.errors import OilImpactError

    def refuse(*_args, **_kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(project.os, "replace", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(OilImpactError, match="cannot write: Read-only file system; the previous file"):
        project.atomic_write(tmp_path / "figures.csv", "x")


@contextlib.contextmanager
def _tmpfs(path: Path, options: str):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytestmark_render
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="mounts a small tmpfs")
def test_a_full_disk_is_a_clear_error_and_the_previous_report_is_kept(tmp_path):
    notebooks, _ = _slow_project(tmp_path)
    (notebooks / "04_slow.ipynb").unlink()
    with _tmpfs(tmp_path / "small", "size=600k") as out:
        first = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--no-pdf"], tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        kept = (out / "default/02_plain.html").read_bytes()
        with contextlib.suppress(OSError), open(out / "filler", "ab") as handle:
            while True:
                handle.write(b"x" * 65536)
                handle.flush()
        again = _render(
            ["--notebooks-dir", str(notebooks), "--output", str(out), "--no-pdf", "--force"], tmp_path
        )
        assert again.returncode in (1, 2), again.stdout + again.stderr
        said = again.stdout + again.stderr
        assert "No space left on device" in said and "Traceback" not in said
        assert (out / "default/02_plain.html").read_bytes() == kept
        (out / "filler").unlink()
        _whole(out)


@pytestmark_render
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="mounts a read-only tmpfs")
def test_a_read_only_reports_folder_is_a_clear_error(tmp_path):
    notebooks, _ = _slow_project(tmp_path)
    with _tmpfs(tmp_path / "ro", "ro,size=100k") as out:
        done = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--no-pdf"], tmp_path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stderr.count("\n") == 1 and "Read-only file system" in done.stderr
        assert str(out) in done.stderr


@pytestmark_render
@pytest.mark.slow
@pytest.mark.parametrize("missing", ["pandoc", "typst"])
def test_a_missing_pdf_tool_fails_the_pdf_step_per_report_and_html_is_written(tmp_path, missing):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "notebooks" / "02_plain.ipynb", notebooks / "02_plain.ipynb")
    env = {}
    if missing == "pandoc":
        env["PYPANDOC_PANDOC"] = str(tmp_path / "no-such-pandoc")
    else:
        fake = tmp_path / "fake" / "typst"
        fake.mkdir(parents=True)
        (fake / "__init__.py").write_text("raise ImportError('typst is not installed')\n")
        env["PYTHONPATH"] = str(tmp_path / "fake")
    out = tmp_path / "reports"
    done = _render(["--notebooks-dir", str(notebooks), "--output", str(out)], tmp_path, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        missing in done.stdout and "make venv" in done.stdout and "Traceback" not in done.stdout + done.stderr
    )
    assert (out / "default/02_plain.html").exists() and not (out / "default/02_plain.pdf").exists()


@pytestmark_render
@pytest.mark.slow
def test_two_forced_renders_are_byte_identical(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "notebooks" / "02_plain.ipynb", notebooks / "02_plain.ipynb")
    out = tmp_path / "reports"
    outputs = []
    for _ in range(2):
        done = _render(["--notebooks-dir", str(notebooks), "--output", str(out), "--force"], tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(
            {name: (out / "default" / name).read_bytes() for name in ("02_plain.html", "02_plain.pdf")}
        )
    assert outputs[0] == outputs[1]


def test_a_fresh_clones_reports_folder_is_accepted(tmp_path, monkeypatch):
    """reports/ of a clone holds .gitkeep, and after `make test` the browser tests' _artefacts/: `make
    reports` must still render there, while a folder of other files is still refused."""
    from oilimpact.errors import OilImpactError
    from oilimpact.report.lock import check_reports_folder

    monkeypatch.setenv("OILIMPACT_ROOT", str(tmp_path))
    reports = tmp_path / "reports"
    (reports / "_artefacts" / "browser").mkdir(parents=True)
    (reports / ".gitkeep").write_text("")
    check_reports_folder(reports)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(OilImpactError, match="not a reports folder"):
        check_reports_folder(other)
