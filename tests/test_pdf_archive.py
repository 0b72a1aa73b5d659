"""Citable, archival PDFs: PDF/A-2b declared, still tagged, an outline from the headings, "page N of
M", clickable source addresses, "How to cite" with the suite's version and the data date on page 1;
and ``CITATION.cff`` at the root. Read back with pypdf from the session's ``real_reports``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from oilimpact import __version__

pytestmark = pytest.mark.xdist_group("real-reports")

ROOT = Path(__file__).resolve().parents[1]
PDFS = ["default/00_brief", "war_premium/01_article_figures", "war_premium/02_price_scenarios",
        "war_premium/03_budget_impact", "war_premium/04_sanctions_levers", "war_premium/05_risk",
        "war_premium/06_compare"]


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize("name", PDFS)
def test_pdf_is_pdfa_2b_tagged_with_outline_page_numbers_and_citation(real_reports, name):
    reader = PdfReader(real_reports / f"{name}.pdf")
    root = reader.trailer["/Root"]
    xmp = _xmp(reader)
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert root["/OutputIntents"]  # PDF/A's colour profile
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "en"
    assert reader.metadata.title and reader.metadata.author == "oilimpact contributors"
    assert f"oilimpact {__version__}" in reader.metadata["/Keywords"]

    html = (real_reports / f"{name}.html").read_text(encoding="utf-8")
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline and all(h.replace("&#x27;", "'").replace("&amp;", "&") in outline for h in headings[:3])

    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    for number, text in enumerate(pages, 1):
        assert f"page {number} of {total}" in text
    first = " ".join(pages[0].split())
    assert "How to cite:" in first and f"oilimpact {__version__} report" in first
    date = re.search(r"data as of (\d{4}-\d{2}-\d{2})", first).group(1)
    assert f"data as of {date}." in first[first.index("How to cite:"):]


@pytest.mark.parametrize("name", ["war_premium/02_price_scenarios", "war_premium/03_budget_impact"])
def test_source_addresses_are_listed_as_text_and_clickable(real_reports, name):
    reader = PdfReader(real_reports / f"{name}.pdf")
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots") or []
            if annot.get_object().get("/Subtype") == "/Link" and "/URI" in annot.get_object().get("/A", {})]
    assert len(uris) >= 5 and all(u.startswith("https://") for u in uris)
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert "Sources" in [item.title for item in reader.outline if not isinstance(item, list)]
    for uri in uris[:10]:
        shown = re.sub(r"^https?://(www\.)?", "", uri)
        assert shown[:20] in text.replace(" ", "").replace("\n", "") or shown[:20] in text, uri


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext: apt-get install poppler-utils")
def test_poppler_reads_the_citation_from_page_one(real_reports):
    text = subprocess.run(["pdftotext", "-l", "1", str(real_reports / "war_premium/03_budget_impact.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert "How to cite:" in text and __version__ in text


def test_citation_cff_names_this_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == __version__
    assert cff["title"] and cff["authors"] and cff["message"] and cff["license"] == "MIT"
