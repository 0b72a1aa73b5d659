"""HTML, PDF and index from an executed notebook — no kernel needed: the notebook is built here."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from oilimpact.report import export, index
from oilimpact.results import MIME_TYPE

SVG = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" '
       'viewBox="0 0 200 100"><metadata><dc:date>2026-11-22T10:00:00</dc:date></metadata>'
       '<!-- Created with matplotlib (https://matplotlib.org/) -->'
       '<path d="M 10 90 L 100 20 L 190 50" style="fill:none;stroke:#1f4e79;stroke-width:3"/></svg>')
FRAME_HTML = (
    '<div><style scoped>.dataframe tbody tr th { vertical-align: top; }</style>'
    '<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>year</th>'
    "<th>revenue_bn</th><th>note</th></tr></thead><tbody>"
    "<tr><th>0</th><td>2026</td><td>8,123.4</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr>"
    "<tr><th>1</th><td>2027</td><td>7,654.3</td><td>ok</td></tr></tbody></table></div>"
)


def _code(source, outputs, tags=()):
    return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}, "outputs": outputs,
            "execution_count": 1}


def _display(data):
    return {"output_type": "display_data", "data": data, "metadata": {}}


NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"language_info": {"name": "python"}, "papermill": {"start_time": "2026-11-22T10:00:00"}},
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Budget under a $72 barrel\n\nIntro with "
         "[the law](https://tass.com/economy/2022723) and <script>alert('md')</script> text."},
        _code('scenario: str = "low"  # preset', [], tags=["parameters"]),
        _code('# Parameters\nscenario = "high"\n', [], tags=["injected-parameters"]),
        _code("import pandas as pd\nrecord('deficit', 5.7, 'trn RUB', 'Deficit')", [
            _display({MIME_TYPE: {"name": "deficit", "value": 5.7, "unit": "trn RUB", "label": "Deficit"}}),
            {"output_type": "stream", "name": "stderr", "text": "FutureWarning: something internal\n"},
        ]),
        {"cell_type": "markdown", "metadata": {}, "source": "## Revenue by year"},
        _code("frame", [{"output_type": "execute_result", "execution_count": 2, "metadata": {},
                         "data": {"text/html": FRAME_HTML, "text/plain": "   year  revenue_bn ..."}}]),
        _code("fig", [_display({"image/svg+xml": SVG, "text/plain": "<Figure size 600x300 with 1 Axes>"})]),
        _code("display(Markdown(...))", [_display({
            "text/markdown": "The gap is **1,234.5 bn RUB**. Quote: <script>alert('x')</script>",
            "text/plain": "<IPython.core.display.Markdown object>"})]),
        _code("print(total)", [{"output_type": "stream", "name": "stdout", "text": "total 9,876\n"}]),
    ],
}
INFO = export.ReportInfo(
    title="Budget under a $72 barrel", notebook="04_budget.ipynb", scenario="war_premium",
    parameters=(export.Parameter("scenario", "war_premium", "preset", False),
                export.Parameter("urals_price", 72.5, "Urals, USD/bbl", True),
                export.Parameter("target_price", None, "glide target", False),
                export.Parameter("rub_usd", 77.27, "roubles per US dollar (None: the scenario's value)",
                                 False, "scenario"),
                export.Parameter("base_price", None, "base price, USD/bbl (None: the law's path)", False)),
    data_date="2026-03-08", scenario_title="War premium held", scenario_description="Urals stays at $72.",
)
CODE_SNIPPETS = ("import pandas", "record(", "print(total)", "display(Markdown", 'scenario = "high"',
                 'scenario: str = "low"')


@pytest.fixture(scope="module")
def page() -> str:
    return export.html_report(NOTEBOOK, INFO)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return export.pdf_report(NOTEBOOK, INFO)


def test_clean_notebook_keeps_what_a_reader_sees():
    cleaned = export.clean_notebook(NOTEBOOK, "pdf", title=INFO.title)
    kinds = [(c["cell_type"], [next(iter(o.get("data", {"stream": 0}))) for o in c.get("outputs", [])])
             for c in cleaned["cells"]]
    assert kinds == [("markdown", []), ("markdown", []), ("code", ["text/html"]),
                     ("code", ["image/svg+xml"]), ("code", ["text/markdown"]), ("code", ["stream"])]
    assert cleaned["cells"][0]["source"].startswith("Intro with")  # the title went to the header
    assert "<metadata>" not in cleaned["cells"][3]["outputs"][0]["data"]["image/svg+xml"]
    assert "papermill" not in cleaned["metadata"]


def test_html_is_self_contained_and_has_no_code(page):
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page and "<link" not in page
    for snippet in CODE_SNIPPETS:
        assert snippet not in page
    assert "FutureWarning" not in page and MIME_TYPE not in page and '"deficit"' not in page
    assert '<img src="data:image/svg+xml;base64,' in page
    assert "@page { size: A4" in page


def test_html_shows_article_script_as_text(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # DataFrame cell
    assert "Quote: &lt;script&gt;alert('x')&lt;/script&gt;" in page  # Markdown output
    assert "and &lt;script&gt;alert('md')&lt;/script&gt; text." in page  # Markdown cell
    assert 'the law <span class="addr">(tass.com/economy/2022723)</span>' in page


def test_html_header_and_numbers(page):
    article = page[page.index("<article>"):page.index("</article>")]
    assert "<h1>Budget under a $72 barrel</h1>" in page and "Budget under" not in article
    assert "Scenario <b>War premium held</b> (<code>war_premium</code>) · data as of 2026-03-08" in page
    assert ('<tr class=set><td><code>urals_price</code></td><td>72.5 <span class="src">(override)</span></td>'
            "<td>Urals, USD/bbl</td></tr>") in page
    assert ('<tr><td><code>rub_usd</code></td><td>77.27 <span class="src">(scenario)</span></td>'
            "<td>roubles per US dollar</td></tr>") in page  # the resolved value, "(None: ...)" gone
    assert "<td><code>target_price</code></td><td>not set</td>" in page
    assert "<td>the law&#x27;s path</td><td>base price, USD/bbl</td>" in page
    assert "none" not in page[page.index('<table class="parameters">'):page.index("</header>")]
    assert "<strong>1,234.5 bn RUB</strong>" in page and "8,123.4" in page and "total 9,876" in page
    assert 'class="dataframe"' in page and "border=" not in page and "<style scoped" not in page


def test_failed_report_has_a_banner():
    page = export.html_report(NOTEBOOK, export.ReportInfo(title="T", notebook="x.ipynb", failed=True))
    assert "This report failed." in page


@pytest.mark.parametrize("fragment", [
    '<script src="https://cdn.example/x.js"></script>', '<img src="//cdn.example/x.png">',
    "<style>@import url(http://fonts.example/f.css)</style>",
])
def test_external_url_is_refused(fragment):
    with pytest.raises(export.ExportError, match="external URL"):
        export.check_self_contained(f"<html>{fragment}</html>", "x.html")


def test_sanitize_keeps_tables_and_neutralises_the_rest():
    out = export.sanitize_html('<table><tr><td colspan="2" onclick="x()">1</td></tr></table>'
                               '<a href="javascript:x()">l</a><img src=x onerror=alert(1)>')
    assert '<td colspan="2">1</td>' in out
    assert "<a " not in out and "<img" not in out and "&lt;img" in out


def test_pdf_text_holds_the_numbers_and_no_code(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Budget under a $72 barrel", "War premium held", "2026-03-08", "urals_price", "72.5",
                     "(override)", "77.27 (scenario)", "the law's path",
                     "8,123.4", "7,654.3", "1,234.5 bn RUB", "total 9,876", "Intro with", "Revenue by year",
                     "page 1 of 1"):
        assert expected in text, expected
    for snippet in (*CODE_SNIPPETS, "FutureWarning", "deficit", "Figure size"):
        assert snippet not in text, snippet
    assert "<script>alert(1)</script>" in text  # shown as text, never run


def test_pdf_title_block_is_compact_and_the_full_parameters_table_ends_the_report(pdf):
    """The title block lists ``name value (marker)`` pairs, three to a row, without meanings; the table
    with the Meaning column is the last section, after the whole body."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    head, found, tail = text.partition("Parameters of this run")
    assert found and "total 9,876" in head and "Intro with" not in tail
    title_block = head[:head.index("Intro with")]
    assert "urals_price 72.5 (override) target_price not set rub_usd 77.27 (scenario)" in title_block
    assert "base_price the law's path" in title_block
    assert "preset" not in title_block  # the scenario is named in the line above, not again as a pair
    for row in ("scenario war_premium preset", "urals_price 72.5 (override) Urals, USD/bbl",
                "target_price not set glide target", "rub_usd 77.27 (scenario) roubles per US dollar",
                "base_price the law's path base price, USD/bbl"):
        assert row in tail, row
    for meaning in ("Urals, USD/bbl", "glide target", "roubles per US dollar", "base price, USD/bbl"):
        assert meaning not in head, meaning


def test_pdf_is_a4_with_metadata_vector_chart_and_small(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    meta = reader.metadata
    assert meta.title == "Budget under a $72 barrel"
    assert meta.subject == "Budget under a $72 barrel (04_budget.ipynb, scenario war_premium)"
    assert meta["/CreationDate"].startswith("D:20260308")
    assert not reader.pages[0].images  # the SVG chart stayed vector
    assert len(pdf) < 1_000_000


def test_pdf_tables_are_real_tables(tmp_path):
    source = export.typst_source(NOTEBOOK, INFO, tmp_path)
    assert "#table(" in source and "table.header(" in source
    assert '#chart("media/' in source and ".svg" in source  # sized to the page by report.typ
    assert "table.header(repeat: true," in source  # the header repeats on every page
    assert "align: (right, right, right, left,)" in source  # numbers right-aligned by the Lua filter
    assert "columns: (auto, auto, auto, auto,)" in source  # a narrow table keeps natural widths
    assert "[\\<script\\>alert(1)\\</script\\>]" in source


def test_pdf_wide_table_gives_its_long_text_column_a_share(tmp_path):
    quote = "The price of a barrel of Russian oil, which now trades at a discount, rose to $72 this week."
    frame = ('<table class="dataframe"><thead><tr><th>Article</th><th>What</th><th>Value</th><th>Quote</th>'
             f"</tr></thead><tbody><tr><td>003</td><td>Urals price</td><td>72.0</td><td>{quote}</td></tr>"
             "</tbody></table>")
    notebook = {**NOTEBOOK, "cells": [_code("t", [_display({"text/html": frame})])]}
    source = export.typst_source(notebook, INFO, tmp_path)
    assert "columns: (auto, auto, auto, 40%,)" in source
    assert "align: (right, left, right, left,)" in source


def test_pdf_and_html_are_deterministic(pdf, page):
    assert export.pdf_report(NOTEBOOK, INFO) == pdf
    assert export.html_report(NOTEBOOK, INFO) == page


def test_index_compares_results_across_scenarios():
    entries = [
        index.IndexEntry("04_budget", "Budget", "low", "ok", ("low/04_budget.html", "low/04_budget.pdf"),
                          {"deficit": {"name": "deficit", "value": 5.7, "unit": "trn RUB",
                                       "label": "Deficit"}}),
        index.IndexEntry("04_budget", "Budget", "high", "failed", ("high/04_budget.html",), {}),
        index.IndexEntry("02_plain", "Plain", None, "ok", ("default/02_plain.html",),
                          {"n": {"name": "n", "value": 1234567, "unit": "", "label": "Count"}}),
    ]
    page = index.index_html(entries, data_date="2026-03-08", scenario_titles={"low": "Low price"})
    assert ('<tr><td class="label">Deficit</td><td class="unit">trn RUB</td><td class="num">5.70</td>'
            '<td class="num failed">failed</td></tr>') in page
    assert '<tr><td class="label">Count</td><td class="unit"></td><td class="num">1,234,567</td></tr>' in page
    assert '<th class="num">Low price<br><code class="key">low</code></th><th class="num">high</th>' in page
    assert '<main class="index">' in page
    assert '<a href="low/04_budget.pdf">PDF</a>' in page
    assert "3 reports · 2 notebooks" in page and "1 failed" in page
    assert "http://" not in page and "https://" not in page


@pytest.mark.parametrize(("value", "shown"), [
    (None, "none"), (True, "yes"), (72.0, "72"), (72.5, "72.5"), (1234.567, "1,234.57"), (3, "3"),
    (-0.25, "-0.25"), ("glide", "glide"), (2026, "2026"), (20000, "20,000"),
])
def test_format_value(value, shown):
    assert export.format_value(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (7939.27, "7,939"), (-978.73, "\u2212979"), (56.29, "56.3"), (83.333, "83.3"), (2.034, "2.03"),
    (-0.5, "\u22120.50"),
    (42, "42"), ("n/a", "n/a"),
])
def test_format_result_reads_evenly(value, shown):
    assert export.format_result(value) == shown


def test_index_rows_share_decimals_and_state_what_every_scenario_shares():
    def entry(scenario: str, gap: float) -> index.IndexEntry:
        return index.IndexEntry("02_prices", "Prices", scenario, "ok", (f"{scenario}/02_prices.html",), {
            "gap": {"value": gap, "unit": "USD/bbl", "label": "Urals minus the budget's price"},
            "law": {"value": 59.0, "unit": "USD/bbl", "label": "Budget's price"}})

    page = index.index_html([entry("a", -2.71), entry("b", -19.24), entry("c", 8.13)])
    assert ('<td class="num">\u22122.7</td><td class="num">\u221219.2</td><td class="num">8.1</td>'
            in page)
    same = page.split("<h2>The same in every scenario</h2>")[1]
    assert ('<td class="label">Budget&#x27;s price</td><td class="unit">USD/bbl</td>'
            '<td class="num">59.0</td>') in same
    assert "Budget&#x27;s price" not in page.split("<h2>The same in every scenario</h2>")[0]
    assert '<td class="label">Urals minus the budget&#x27;s price</td>' in page


def test_index_rows_follow_the_order_the_notebook_recorded_them():
    results = {
        "zeta": {"value": 1.0, "unit": "", "label": "Recorded first", "order": 0},
        "alpha": {"value": 2.0, "unit": "", "label": "Recorded second", "order": 1},
    }
    page = index.index_html([index.IndexEntry("01_x", "X", "a", "ok", ("a/01_x.html",), results)])
    assert page.index("Recorded first") < page.index("Recorded second")


def test_russian_quotes_render_in_the_pdf_and_the_html_with_their_glyphs():
    quote = "Нефтегазовые доходы в январе сократились на 50,2%, до 393,3 млрд ₽ — «Рубикон-Финанс»"
    nb = {**NOTEBOOK, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Russian quotes"},
        _code("table", [{"output_type": "execute_result", "execution_count": 2, "metadata": {}, "data": {
            "text/html": "<table><thead><tr><th>What</th><th>Quote</th></tr></thead><tbody><tr><td>oil and "
                         f"gas revenue</td><td>{quote}</td></tr></tbody></table>", "text/plain": quote}}]),
    ]}
    pdf = export.pdf_report(nb, INFO)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "393,3 млрд ₽" in text and "«Рубикон-Финанс»" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("LibertinusSerif" in name for name in fonts), fonts  # the body font, which has Cyrillic
    assert quote in export.html_report(nb, INFO)


def test_index_writes_a_probability_as_the_prose_does():
    def entry(scenario: str, chance: float) -> index.IndexEntry:
        return index.IndexEntry("05_risk", "Risk", scenario, "ok", (f"{scenario}/05_risk.html",), {
            "p": {"value": chance, "unit": "%", "label": "Chance", "decimals": 0}})

    page = index.index_html([entry("a", 84.1), entry("b", 0.2), entry("c", 99.8)])
    assert '<td class="num">84</td><td class="num">&lt; 0.5</td><td class="num">&gt; 99.5</td>' in page


def test_pdf_without_a_data_date_is_still_pdfa_with_a_fixed_date():
    """PDF/A needs a document date: without the data's, the fixed compile timestamp (same bytes)."""
    from dataclasses import replace

    info = replace(INFO, data_date=None)
    first = export.pdf_report(NOTEBOOK, info)
    assert first == export.pdf_report(NOTEBOOK, info)
    reader = PdfReader(io.BytesIO(first))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and reader.metadata["/CreationDate"].startswith("D:1970")
