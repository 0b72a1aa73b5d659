"""The report charts name scenarios by their titles, never by their keys ("pre_war", "Brent (war_premium)"),
in titles, labels, legends and the chart data tables read back from them."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.figure import Figure

from oilimpact import model, story
from oilimpact.articles import read_corpus
from oilimpact.charts.data import figure_table

matplotlib.use("Agg")


def _words(fig: Figure) -> list[str]:
    texts = [fig.get_suptitle(), *(t.get_text() for t in fig.texts)]
    for ax in fig.axes:
        texts += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.texts]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [str(line.get_label()) for line in ax.get_lines()]
        if ax.get_legend() is not None:
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    table = figure_table(fig)
    series = [f.name for f in table.fields].index("series")
    texts += sorted({str(row[series]) for row in table.rows})
    return [" ".join(t.split()) for t in texts if t]


@pytest.fixture(scope="module")
def figures() -> dict[str, Figure]:
    p = model.resolve_parameters("war_premium")
    runs = story.run_all(p)
    c = story.compare(p)
    return {
        "price": story.price_chart(runs, "war_premium", read_corpus()),
        "revenue": story.revenue_chart(runs["war_premium"]),
        "deficit": story.deficit_chart(runs, "war_premium"),
        "waterfall": story.waterfall_chart(runs["war_premium"]),
        "heatmap": story.heatmap_chart(p, runs),
        "tornado": story.tornado_chart(p),
        "compare": story.compare_chart(c),
        "compare_waterfall": story.compare_waterfall(c),
    }


def test_no_chart_names_a_scenario_by_its_key(figures):
    presets = model.load_scenarios()
    keys = {name: preset.title for name, preset in presets.items()}
    for chart, fig in figures.items():
        for text in _words(fig):
            rest = text.lower()
            for title in keys.values():
                rest = rest.replace(title.lower(), "")
            for key in keys:
                assert key not in text, (chart, text)
                words = key.replace("_", " ")
                if words != "budget law":  # also the law's own line ("budget law $59")
                    assert words not in rest, (chart, text)
