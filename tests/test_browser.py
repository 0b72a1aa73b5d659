"""The reports as people open them: in a real headless browser (Debian's chromium and chromedriver,
driven by selenium; nothing is downloaded: the driver is /usr/bin/chromedriver and selenium manager
runs offline).

The index and one report of each notebook (the session's ``real_reports``), each opened from the
file, as an e-mail attachment is: no console error, no request leaving the file, every chart drawn
with a size, every link of the index resolving, no sideways scrolling of the page at 390 px (a wide
table scrolls in its own box). Screenshots at 1280 and 390 px are kept in
``reports/_artefacts/browser/`` (``$OILIMPACT_ARTEFACTS`` to put them elsewhere).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.xdist_group("real-reports")

ROOT = Path(__file__).resolve().parents[1]
REAL_SCENARIO = "war_premium"  # the scenario of conftest's real_reports
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTEFACTS = Path(os.environ.get("OILIMPACT_ARTEFACTS", ROOT / "reports" / "_artefacts")) / "browser"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
REPORTS = [f"default/{p.stem}" if p.stem.startswith("00_") else f"{REAL_SCENARIO}/{p.stem}"
           for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("no browser: apt-get install chromium chromium-driver (.ci/run does)")
    os.environ["SE_OFFLINE"] = "true"  # selenium manager must not fetch a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-default-apps"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    yield driver
    driver.quit()


def _open(driver: Any, path: Path, width: str) -> dict[str, Any]:
    """Open ``path`` at ``width``; what the page did: console errors, requests, layout, charts."""
    w, h = WIDTHS[width]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
    driver.get_log("browser"), driver.get_log("performance")  # drop what earlier pages logged
    driver.get(path.as_uri())
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const loaded = i => i.complete ? 0 : new Promise(r => i.onload = i.onerror = r);
        Promise.all([...document.images].map(loaded))
            .then(() => done());""")
    state = driver.execute_script("""
        const charts = [...document.querySelectorAll('figure.chart img')].map(i => {
            const r = i.getBoundingClientRect();
            return {w: r.width, h: r.height, natural: i.naturalWidth, alt: i.alt}; });
        return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, charts: charts,
                title: document.title,
                links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))};""")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    state["errors"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    state["requests"] = requests
    return state


def _screenshot(driver: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _offline(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith(("file://", "data:"))]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_index_opens_offline_without_errors_and_fits_a_phone(browser, real_reports, width):
    state = _open(browser, real_reports / "index.html", width)
    assert state["errors"] == []
    assert _offline(state["requests"]) == []
    assert state["scroll"] <= state["inner"], f"the index scrolls sideways at {width}"
    assert _screenshot(browser, f"index-{WIDTHS[width][0]}").stat().st_size > 10_000


def test_every_link_of_the_index_resolves(browser, real_reports):
    state = _open(browser, real_reports / "index.html", "desktop")
    hrefs = state["links"]
    assert any(h.endswith(".pdf") for h in hrefs) and any(h.endswith("data.zip") for h in hrefs)
    for href in hrefs:
        parsed = urlparse(href)
        assert not parsed.scheme and not parsed.netloc, href  # relative: the folder travels whole
        if parsed.path:
            assert (real_reports / unquote(parsed.path)).is_file(), href
        if parsed.fragment:
            assert browser.execute_script("return !!document.getElementById(arguments[0])", parsed.fragment)


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_each_report_opens_offline_with_every_chart_drawn_and_fits_a_phone(browser, real_reports, report,
                                                                          width):
    page = real_reports / f"{report}.html"
    state = _open(browser, page, width)
    assert state["errors"] == []
    assert _offline(state["requests"]) == []
    shown = page.read_text(encoding="utf-8").count('<figure class="chart">')
    assert len(state["charts"]) == shown
    for chart in state["charts"]:
        assert chart["w"] > 100 and chart["h"] > 50 and chart["natural"] > 0, chart
        assert chart["alt"], "a chart without alt text"
        assert chart["w"] <= state["inner"], "a chart wider than the screen"
    assert state["scroll"] <= state["inner"], f"{report} scrolls sideways at {width}"
    for href in state["links"]:
        if not urlparse(href).scheme and urlparse(href).path:
            assert (page.parent / unquote(urlparse(href).path)).is_file(), href
    _screenshot(browser, f"{report.replace('/', '-')}-{WIDTHS[width][0]}")


def test_a_wide_index_of_every_scenario_scrolls_its_tables_not_the_page(browser, tmp_path):
    """Six scenario columns (the real index's width) at 390 px: the tables scroll inside their box."""
    from oilimpact.report import index

    scenarios = [f"scenario_{i}" for i in range(6)]
    results = {f"r{k}": {"value": 1234.5 * (k + 1), "unit": "bn RUB", "order": k,
                         "label": f"A result with a long label {k}"} for k in range(8)}
    entries = [index.IndexEntry(f"0{n}_notebook", f"Notebook {n}", s, "ok",
                                tuple(f"{s}/0{n}_notebook.{x}" for x in ("html", "pdf", "ipynb")),
                                {k: {**v, "value": v["value"] + i} for k, v in results.items()})
               for n in (1, 2) for i, s in enumerate(scenarios)]
    page = tmp_path / "index.html"
    page.write_text(index.index_html(entries, "2026-03-08", {s: f"Scenario title {s}" for s in scenarios}))
    state = _open(browser, page, "phone")
    assert state["scroll"] <= state["inner"]
    widths = browser.execute_script(
        "return [...document.querySelectorAll('.table-scroll')].map(d => [d.scrollWidth, d.clientWidth])")
    assert len(widths) == 2 and all(scroll > client for scroll, client in widths)  # they do scroll
    _screenshot(browser, "index-six-scenarios-390")
