"""House-style charts: findings as titles, units on axes, captions from provenance, reproducible SVG,
series told apart without colour."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from oilimpact import charts, story
from oilimpact.charts import base as charts_base
from oilimpact.provenance import Source

ARTICLE = Source(
    "article",
    "2026-03-08",
    "seeds/003_db86b3df408a027f.txt",
    quote="rose from less than $50 in December to $72 this week",
)
LAW = Source("assumption", "Federal budget law 2026", "tass.com/economy/2022723", accessed="2026-03-15")
MONTHS = pd.period_range("2025-01", "2026-12", freq="M")
SCENARIOS = ["budget_law", "pre_war", "war_premium", "hormuz_prolonged", "de_escalation"]


def _paths() -> pd.DataFrame:
    history = np.linspace(67.7, 44.6, 14)
    ends = [59, 45, 72, 85, 48]
    return pd.DataFrame(
        {n: np.r_[history, np.linspace(44.6, e, 10)] for n, e in zip(SCENARIOS, ends, strict=True)},
        index=MONTHS,
    )


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2025-12-01", "2026-03-01"],
            "value": [50.0, 72.0],
            "label": ["Urals in December", "Urals, week of 8 March"],
            "qualifier": ["less than", ""],
        }
    )


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2025-01-17", "2026-02-28", "2026-03-05"],
            "label": ["Partnership signed", "Strikes on Iran", "India gets a 30-day waiver"],
        }
    )


def _all_figures() -> dict[str, Figure]:
    rng = np.random.default_rng(0)
    paths = _paths()
    months26 = MONTHS[12:]
    revenue = pd.Series(rng.uniform(400, 1000, 24), index=MONTHS)
    grid_u, grid_fx = np.arange(30, 101, 10), np.arange(70, 111, 10)
    grid = pd.DataFrame(
        [[3786.4 + (59 - u) * 160 + (92.2 - f) * 95 for f in grid_fx] for u in grid_u],
        index=grid_u,
        columns=grid_fx,
    )
    return {
        "timeline": charts.timeline(_events(), [ARTICLE]),
        "headline": charts.headline(_points(), [ARTICLE], budget=59),
        "price_paths": charts.price_paths(
            paths,
            [ARTICLE, LAW],
            highlight="war_premium",
            brent=paths["war_premium"] + 25,
            budget_price=59,
            base_price=pd.Series(59.0, index=MONTHS),
            history_end="2026-02",
            points=_points(),
            events=_events(),
            caps={"US cap": 60.0},
        ),
        "revenue": charts.revenue_vs_plan(
            revenue.iloc[12:],
            [LAW],
            plan=8918 / 12,
            prior_year=revenue.iloc[:12],
            actual=pd.Series([393.3], index=MONTHS[12:13]),
            scenario="war_premium",
        ),
        "backtest": charts.backtest(
            pd.DataFrame(
                {"actual": revenue.iloc[:13].values, "model": revenue.iloc[:13].values * 1.05},
                index=MONTHS[:13],
            ),
            [LAW],
            out_of_sample=["2025-12", "2026-01"],
        ),
        "deficit_nwf": charts.deficit_nwf(
            pd.DataFrame({n: np.cumsum(rng.uniform(200, 400, 12)) for n in SCENARIOS}, index=months26),
            pd.DataFrame({n: 4080 - np.cumsum(rng.uniform(0, 100, 12)) for n in SCENARIOS}, index=months26),
            [LAW],
            highlight="war_premium",
            law_deficit=3786.4,
        ),
        "waterfall": charts.waterfall(
            pd.Series({"Price": 800.0, "Discount": -300.0, "Rouble": -200.0, "Volume": 50.0}),
            [LAW],
            total_label="Change vs law",
        ),
        "tornado": charts.tornado(
            pd.DataFrame(
                {"label": ["Urals ±$10", "RUB/USD ±10"], "low": [-900.0, -400.0], "high": [900.0, 400.0]}
            ),
            [LAW],
        ),
        "heatmap": charts.heatmap(
            grid,
            [LAW],
            placed=pd.DataFrame(
                {"name": ["budget_law", "war_premium"], "x": [92.2, 80.0], "y": [59.0, 72.0]}
            ),
            highlight="war_premium",
            reference=3786.4,
        ),
        "fan": charts.fan(
            pd.DataFrame(
                {p: 60 + (p - 50) * 0.3 * np.arange(1, 11) ** 0.5 for p in (5, 25, 50, 75, 95)},
                index=MONTHS[14:],
            ),
            [LAW],
            history=paths["budget_law"].iloc[:14],
            budget_price=59,
            probability_above=0.58,
        ),
        "histogram": charts.histogram(rng.normal(3500, 900, 500), [LAW], reference=3786.4),
    }


@pytest.fixture(scope="module")
def figures() -> dict[str, Figure]:
    return _all_figures()


def _title(fig: Figure) -> str:
    return " ".join(fig.get_suptitle().split())


def _axes_with_data(fig: Figure):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and ax.axison]


def test_every_chart_has_a_title_a_caption_and_labelled_axes_with_units(figures):
    units = re.compile(r"(USD|RUB|bn|%|per barrel|Month|Date)")
    for name, fig in figures.items():
        assert fig.get_suptitle(), name
        assert charts.caption_text(fig).startswith(("Source:", "Sources:", "Hatched", "Events")), name
        assert "Source" in charts.caption_text(fig), name
        for ax in _axes_with_data(fig):
            labels = [ax.get_ylabel(), ax.get_xlabel()]
            assert any(units.search(label) for label in labels if label), (name, labels)


def test_titles_state_the_finding_from_the_data(figures):
    assert _title(figures["headline"]) == "Urals rose from under $50 to $72, $13 above the budget's $59"
    paths_title = _title(figures["price_paths"])
    average = _paths().loc["2026", "war_premium"].mean()
    assert paths_title.startswith(
        f"In the war premium scenario Urals averages {story.usd(average, 0)} in 2026"
    )
    assert paths_title.endswith("below the budget's $59")
    assert _title(figures["backtest"]).startswith(
        "Out of sample the model misses December 2025 by +5.0 % and January 2026 by +5.0 %"
    )
    assert "+350 bn RUB" in _title(figures["waterfall"])
    assert _title(figures["tornado"]).startswith("Urals ±$10 moves the 2026 deficit most")
    assert _title(figures["fan"]) == "58 % of simulated paths average above the budget's $59 in 2026"


def test_caption_is_built_from_provenance_and_replaced_not_stacked():
    fig = charts.headline(_points().iloc[1:], [ARTICLE, LAW, ARTICLE], budget=59)
    assert charts.caption_text(fig) == (
        'Sources: Hindustan Times, 8 March 2026: "rose from less than $50 in December to $72 '
        'this week"; Federal budget law 2026 (tass.com/economy/2022723) (pages accessed 2026-03-15).'
    )
    charts.caption(fig, [LAW], note="Note first.")
    assert charts.caption_text(fig) == (
        "Note first. Source: Federal budget law 2026 (tass.com/economy/2022723) (pages accessed 2026-03-15)."
    )
    assert sum(t.get_gid() == charts.CAPTION_GID for t in fig.texts) == 1


def test_dollar_signs_are_text_not_mathtext(figures, tmp_path):
    svg = charts.save(figures["headline"], tmp_path / "h.svg").read_text()
    assert "cmmi" not in svg and "DejaVuSans-Oblique" not in svg  # mathtext would italicise


def test_bars_start_at_zero(figures):
    for name in ("headline", "revenue", "histogram"):
        ax = _axes_with_data(figures[name])[0]
        assert ax.get_ylim()[0] == 0, name
    waterfall = _axes_with_data(figures["waterfall"])[0]
    assert waterfall.get_ylim()[0] <= 0 <= waterfall.get_ylim()[1]


def _scenario(line) -> str:
    return str(line.get_gid() or "").removeprefix("scenario:")


def _scenario_lines(ax) -> list:
    return [line for line in ax.get_lines() if _scenario(line) in SCENARIOS]


def test_scenario_lines_differ_in_line_style_not_only_colour(figures):
    ax = _axes_with_data(figures["price_paths"])[0]
    scenario_lines = _scenario_lines(ax)
    assert len(scenario_lines) == len(SCENARIOS)
    markers = [line.get_marker() for line in scenario_lines]
    assert len(set(markers)) == len(SCENARIOS)
    widths = {_scenario(line): line.get_linewidth() for line in scenario_lines}
    assert widths["war_premium"] > max(w for name, w in widths.items() if name != "war_premium")
    assert len(
        {look.linestyle if isinstance(look.linestyle, str) else str(look.linestyle) for look in charts.LOOKS}
    ) == len(charts.LOOKS)
    assert len({look.marker for look in charts.LOOKS}) == len(charts.LOOKS)


def test_upper_bounds_and_decreases_are_hatched(figures):
    bars = [p for p in _axes_with_data(figures["headline"])[0].patches if p.get_height() > 0]
    assert [bool(b.get_hatch()) for b in bars] == [True, False]
    waterfall = [p for p in _axes_with_data(figures["waterfall"])[0].patches if p.get_height() != 0]
    assert [bool(b.get_hatch()) for b in waterfall[:4]] == [False, True, True, False]


def test_events_are_numbered_and_keyed_in_the_caption(figures):
    text = charts.caption_text(figures["price_paths"])
    assert (
        "(1) 17 Jan 2025: Partnership signed" in text and "(3) 5 Mar 2026: India gets a 30-day waiver" in text
    )
    assert text.index("Events:") < text.index("Sources:")


_SVG_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
import test_charts
from oilimpact import charts
charts.save(test_charts._all_figures()["price_paths"], sys.argv[1])
"""


def test_svg_is_byte_identical_across_processes_and_has_no_timestamp(tmp_path):
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}.svg"
        script = _SVG_SCRIPT.format(tests=str(Path(__file__).parent))
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    svg = outputs[0].decode()
    assert "<dc:date>" not in svg
    assert "<text" not in svg  # text as paths: same look in browsers and in Typst PDFs


def test_pdf_and_png_saves_are_reproducible(figures, tmp_path):
    for suffix in ("pdf", "png"):
        a = charts.save(figures["waterfall"], tmp_path / f"a.{suffix}").read_bytes()
        b = charts.save(figures["waterfall"], tmp_path / f"b.{suffix}").read_bytes()
        assert a == b, suffix
    assert b"CreationDate" not in (tmp_path / "a.pdf").read_bytes()


def test_setup_outside_ipython_only_sets_the_style():
    import matplotlib as mpl

    with mpl.rc_context():
        charts.setup()
        assert mpl.rcParams["svg.hashsalt"] == "oilimpact"
        assert mpl.rcParams["text.parse_math"] is False


def test_importing_charts_changes_no_global_style():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import oilimpact.charts; "
        "print(before == dict(mpl.rcParams))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=12),
    st.floats(0.01, 5),
    st.floats(-100, 0),
    st.floats(1, 100),
)
def test_dodged_labels_keep_their_gap_and_order(positions, gap, low, extra):
    high = low + gap * len(positions) + extra
    placed = charts_base._dodge(positions, gap, low, high)
    order = np.argsort(positions, kind="stable")
    spread = np.asarray(placed)[order]
    assert np.all(np.diff(spread) >= gap - 1e-6)
    assert spread[0] >= low - 1e-6 and spread[-1] <= high + 1e-6


@pytest.mark.parametrize(("value", "text"), [(72, "$72"), (4.5, "$4.5"), (-13, "\u2212$13"), (47.6, "$47.6")])
def test_usd_format(value, text):
    assert story.usd(value) == text


def test_rouble_and_percent_format():
    assert story.bn_rub(3786.4) == "3,786 bn RUB"
    assert story.bn_rub(-412.2, signed=True) == "\u2212412 bn RUB"
    assert story.bn_rub(412.2, signed=True) == "+412 bn RUB"
    assert story.percent(-50.2, 0) == "\u221250 %"
    assert story.percent(1.60) == "1.6 %"


# --- legibility: colours, labels and legends true to what they draw ----------------------------------


def _colour(artist) -> str:
    from matplotlib.colors import to_hex

    return to_hex(artist.get_color())


@pytest.mark.parametrize("highlight", SCENARIOS)
def test_every_scenario_has_its_own_colour_whichever_is_highlighted(highlight):
    paths = _paths()
    fig = charts.price_paths(paths, [LAW], highlight=highlight, budget_price=59, history_end="2026-02")
    lines = _scenario_lines(_axes_with_data(fig)[0])
    colours = {_scenario(line): _colour(line) for line in lines}
    assert len(set(colours.values())) == len(SCENARIOS)
    assert charts.ACCENT not in colours.values()  # the law's line keeps its colour to itself
    assert colours == {name: charts.scenario_looks(SCENARIOS)[name].color for name in SCENARIOS}
    widths = {_scenario(line): line.get_linewidth() for line in lines}
    assert widths[highlight] > max(w for name, w in widths.items() if name != highlight)


def test_scenario_looks_are_fixed_by_name_and_unknown_names_take_free_ones():
    presets = [*SCENARIOS, "sanctions_tighten"]
    alone = charts.scenario_looks(["sanctions_tighten"])
    together = charts.scenario_looks(presets)
    assert alone["sanctions_tighten"] == together["sanctions_tighten"]
    assert len({look.color for look in together.values()}) == len(presets)
    assert charts.ACCENT not in {look.color for look in charts.LOOKS}
    mixed = charts.scenario_looks(["war_premium", "my_own", "another"])
    assert len({look.color for look in mixed.values()}) == 3


def test_deficit_panels_give_each_scenario_its_own_colour(figures):
    for ax in _axes_with_data(figures["deficit_nwf"]):
        colours = [_colour(line) for line in _scenario_lines(ax)]
        assert len(colours) == len(SCENARIOS) == len(set(colours))
        assert charts.ACCENT not in colours


def _end_label_gaps(ax) -> dict[str, float]:
    """How far (in data units) each scenario's end label sits from its own line's last value."""
    texts = {t.get_text(): t for t in ax.texts}
    return {
        _scenario(line): abs(texts[line.get_label()].get_position()[1] - float(line.get_ydata()[-1]))
        for line in _scenario_lines(ax)
        if line.get_label() in texts
    }


def _renderer(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    return fig.canvas.get_renderer()


def test_end_labels_sit_by_their_own_line_not_by_another():
    paths = _paths()
    paths["de_escalation"] = paths["pre_war"] - 0.5  # ends under another line, beside two caps
    fig = charts.price_paths(
        paths, [LAW], highlight="war_premium", budget_price=59, history_end="2026-02",
        caps={"US cap": 60.0, "EU cap": 44.0}, base_price=pd.Series(59.0, index=MONTHS),
    )
    ax = _axes_with_data(fig)[0]
    gaps = _end_label_gaps(ax)
    assert set(gaps) == set(SCENARIOS)
    step = (ax.get_ylim()[1] - ax.get_ylim()[0]) * 0.06  # about the label gap
    assert max(gaps.values()) < 3 * step, gaps
    # labels keep the order of their lines' ends
    ends = sorted(SCENARIOS, key=lambda n: float(paths[n].iloc[-1]))
    texts = {t.get_text(): t for t in ax.texts}
    ys = [texts[n.replace("_", " ")].get_position()[1] for n in ends]
    assert ys == sorted(ys)


def test_waterfall_legend_and_labels_touch_no_bar_or_title():
    for steps in (
        pd.Series({"Rouble": -1270.0, "Volume": 0.0, "Published": -729.0, "Scenario": 1398.0, "Rest": 37.0}),
        pd.Series({"Brent": 694.0, "Discount": 974.0, "Rouble": -1185.0, "Volume": 0.0}),
    ):
        fig = charts.waterfall(steps, [LAW], total_label="Total change", subtitle="A subtitle, bn RUB")
        renderer = _renderer(fig)
        ax = _axes_with_data(fig)[0]
        bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_height() != 0]
        legend = ax.get_legend().get_window_extent(renderer)
        assert not any(legend.overlaps(bar) for bar in bars)
        assert legend.y1 < ax.get_window_extent(renderer).y0  # under the axis
        title = ax.title.get_window_extent(renderer)
        frame = ax.get_window_extent(renderer)
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            assert not box.overlaps(title), text.get_text()
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any("Total change" in label for label in labels)


def test_waterfall_total_is_not_drawn_as_a_loss_when_it_is_a_gain():
    from matplotlib.colors import to_hex

    gain_and_loss = ((pd.Series({"a": 70.0, "b": -2.0}), True), (pd.Series({"a": -70.0, "b": 2.0}), False))
    for steps, gain in gain_and_loss:
        fig = charts.waterfall(steps, [LAW])
        total = [p for p in _axes_with_data(fig)[0].patches if p.get_height() != 0][-1]
        assert charts.ACCENT not in (to_hex(total.get_facecolor()), to_hex(total.get_edgecolor()))
        assert bool(total.get_hatch()) is not gain  # hatched means takes away, as for the steps


def test_backtest_title_writes_each_miss_with_its_sign_and_one_decimal():
    frame = pd.DataFrame({"actual": [100.0, 200.0, 300.0], "model": [101.0, 208.8, 289.5]}, index=MONTHS[:3])
    fig = charts.backtest(frame, [LAW], out_of_sample=["2025-02", "2025-03"])
    assert _title(fig) == (
        "Out of sample the model misses February 2025 by +4.4 % and March 2025 by \u22123.5 %"
    )
    written = {t.get_text() for t in _axes_with_data(fig)[0].texts}
    assert {"+4.4 %", "\u22123.5 %"} <= written


def _heatmap_with(placed: pd.DataFrame) -> Figure:
    grid_u, grid_fx = np.arange(30, 101, 5), np.arange(70, 111, 5)
    grid = pd.DataFrame(
        [[3786.4 + (59 - u) * 160 + (92.2 - f) * 95 for f in grid_fx] for u in grid_u],
        index=grid_u,
        columns=grid_fx,
    )
    return charts.heatmap(grid, [LAW], placed=placed, highlight="war_premium", reference=3786.4,
                          titles={"war_premium": "War premium held"})


def test_heatmap_shows_and_labels_every_scenario_even_at_one_point():
    placed = pd.DataFrame({
        "name": ["budget_law", "war_premium", "hormuz_prolonged", "sanctions_tighten", "pre_war"],
        "x": [92.2, 77.3, 77.3, 77.4, 78.4], "y": [59.0, 72.0, 72.4, 66.0, 39.0],
    })
    fig = _heatmap_with(placed)
    renderer = _renderer(fig)
    ax = _axes_with_data(fig)[0]
    markers = [line for line in ax.get_lines() if line.get_marker() not in ("None", "", None)]
    assert len(markers) == len(placed)
    centres = [line.get_transform().transform(np.c_[line.get_xdata(), line.get_ydata()])[0]
               for line in markers]
    for i, a in enumerate(centres):
        for b in centres[i + 1:]:
            assert np.hypot(*(a - b)) >= 8, "a marker hides another"
    from matplotlib.text import Annotation

    names = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
    assert {t.get_text() for t in names} == {
        "budget law", "War premium held", "hormuz prolonged", "sanctions tighten", "pre war"
    }
    boxes = [t.get_window_extent(renderer) for t in names]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    contour_labels = [t for t in ax.texts if not isinstance(t, Annotation) and t.get_text()]
    assert contour_labels
    frame = ax.get_window_extent(renderer)
    for label in contour_labels:
        box = label.get_window_extent(renderer)
        assert not any(box.overlaps(b) for b in boxes), label.get_text()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, label.get_text()  # not cut by the axes' edge


def test_reference_lines_are_labelled_at_their_ends_and_the_base_price_merges_with_the_law():
    base = pd.Series(59.0, index=MONTHS)
    base.loc[:"2025-12"] = 60.0
    fig = charts.price_paths(_paths(), [LAW], highlight="war_premium", budget_price=59, history_end="2026-02",
                             base_price=base, caps={"US cap": 60.0})
    ax = _axes_with_data(fig)[0]
    texts = {t.get_text() for t in ax.texts}
    assert {"budget law and base price $59", "US cap $60"} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Budget-rule base price $60" in legend  # only where it differs from the law's price
    assert not any(label.startswith("US cap") for label in legend)  # labelled at its end instead
    base_line = [line for line in ax.get_lines() if line.get_label().startswith("Budget-rule")][0]
    drawn = pd.Series(np.asarray(base_line.get_ydata(), dtype=float))
    assert set(drawn.dropna()) == {60.0}
