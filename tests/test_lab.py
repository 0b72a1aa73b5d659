"""JupyterLab as people use it: ``jupyter lab`` (what ``make lab`` starts) headless on a free port;
each notebook opened through the server's REST API and run, cell by cell, on the project's kernel
("Python 3 (oilimpact)") to the end; a wrong parameter typed in the parameters cell gives the one-line
error in the cell's output; and ``/lab`` in a real browser shows the notebook.

The server runs on a copy of notebooks/ (the notebooks are committed without outputs and stay so) and
only on 127.0.0.1; the kernel's messages go over the server's websocket, as JupyterLab's do.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket

from oilimpact.dataset import MIME_TYPE as TABLE_MIME
from oilimpact.results import MIME_TYPE as RESULT_MIME

pytestmark = [pytest.mark.xdist_group("lab"), pytest.mark.notebook]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KERNEL_DISPLAY_NAME = "Python 3 (oilimpact)"
CELL_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running ``jupyter lab`` and what a test asks it."""

    def __init__(self, url: str, token: str, process: subprocess.Popen[bytes]):
        self.url, self.token, self.process = url, token, process
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def get(self, path: str) -> Any:
        response = self.http.get(f"{self.url}{path}", timeout=30)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        response = self.http.post(f"{self.url}{path}", json=payload, timeout=60)
        response.raise_for_status()
        return response.json()

    def delete(self, path: str) -> None:
        self.http.delete(f"{self.url}{path}", timeout=30)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder.parent / "config"),
           "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime"), "OMP_NUM_THREADS": "1"}
    log = (folder.parent / "lab.log").open("wb")
    # No request leaves the machine: no news feed, no update check, no extension manager on PyPI.
    offline = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
    process = subprocess.Popen(
        [str(jupyter), "lab", str(folder), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         *offline, *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder.parent)
    server = Lab(f"http://127.0.0.1:{port}", token, process)
    deadline = time.monotonic() + 90
    while True:
        try:
            server.get("/api/status")
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("jupyter lab did not start: " + (folder.parent / "lab.log").read_text()[-2000:])
            time.sleep(0.5)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class Kernel:
    """One kernel of the lab, driven over its websocket channels as JupyterLab does."""

    def __init__(self, lab: Lab, notebook: str):
        self.lab = lab
        session = lab.post("/api/sessions", {"path": notebook, "type": "notebook", "name": notebook,
                                              "kernel": {"name": "python3"}})
        self.session_id, self.id = session["id"], session["kernel"]["id"]
        self.ws = websocket.create_connection(
            f"{lab.url.replace('http', 'ws')}/api/kernels/{self.id}/channels?token={lab.token}", timeout=60)
        self.client = uuid.uuid4().hex

    def execute(self, code: str) -> tuple[str, list[dict[str, Any]]]:
        """Run ``code``; the reply's status and the outputs (iopub messages) it produced."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": self.client,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs: list[dict[str, Any]] = []
        status, idle = None, False
        deadline = time.monotonic() + CELL_TIMEOUT_S
        while status is None or not idle:
            assert time.monotonic() < deadline, f"cell did not finish: {code[:80]}"
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if message["channel"] == "shell" and kind == "execute_reply":
                status = message["content"]["status"]
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("display_data", "execute_result", "error", "stream"):
                outputs.append({"type": kind, **message["content"]})
        return status, outputs

    def close(self) -> None:
        self.ws.close()
        self.lab.delete(f"/api/sessions/{self.session_id}")


def _code_cells(lab: Lab, notebook: str) -> list[dict[str, Any]]:
    model = lab.get(f"/api/contents/{notebook}?content=1")
    assert model["type"] == "notebook"
    return [c for c in model["content"]["cells"] if c["cell_type"] == "code"]


def test_the_project_kernel_is_the_one_lab_offers(lab):
    specs = lab.get("/api/kernelspecs")
    assert specs["kernelspecs"]["python3"]["spec"]["display_name"] == KERNEL_DISPLAY_NAME
    listed = {item["name"] for item in lab.get("/api/contents/")["content"]}
    assert {p.name for p in NOTEBOOKS} <= listed


@pytest.mark.parametrize("notebook", [p.name for p in NOTEBOOKS])
def test_each_notebook_runs_to_the_end_on_the_project_kernel(lab, notebook):
    kernel = Kernel(lab, notebook)
    try:
        cells = _code_cells(lab, notebook)
        results, charts, tables = {}, 0, 0
        for cell in cells:
            status, outputs = kernel.execute(cell["source"])
            errors = [o for o in outputs if o["type"] == "error"]
            assert status == "ok" and not errors, (cell["source"][:200], errors[:1])
            for output in outputs:
                data = output.get("data", {})
                if RESULT_MIME in data:
                    results[data[RESULT_MIME]["name"]] = data[RESULT_MIME]["value"]
                charts += "image/svg+xml" in data
                tables += TABLE_MIME in data
        assert results, "the notebook recorded no key result"
        assert tables >= charts  # every chart carries its data
        if not notebook.startswith("00_"):  # the brief is words and tables
            assert charts >= 1
    finally:
        kernel.close()


@pytest.mark.parametrize(("assignment", "culprit"), [
    ('scenario = "war_premum"', "war_premum"),
    ("urals_price = -5.0", "urals_price"),
])
def test_a_wrong_parameter_typed_in_the_cell_is_one_line_in_its_output(lab, assignment, culprit):
    notebook = "03_budget_impact.ipynb"
    kernel = Kernel(lab, notebook)
    try:
        parameters, validation = _code_cells(lab, notebook)[:2]
        assert kernel.execute(parameters["source"] + "\n" + assignment)[0] == "ok"
        status, outputs = kernel.execute(validation["source"])
        errors = [o for o in outputs if o["type"] == "error"]
        assert status == "error" and len(errors) == 1
        assert errors[0]["ename"] == "OilImpactError" and culprit in errors[0]["evalue"]
        assert len(errors[0]["traceback"]) == 1, errors[0]["traceback"]  # no traceback wall
        assert "\n" not in errors[0]["traceback"][0]
    finally:
        kernel.close()


def test_lab_in_the_browser_shows_the_notebook_on_the_project_kernel(lab):
    chromium, chromedriver = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
    if not (chromium.is_file() and chromedriver.is_file()):
        pytest.skip("no browser: apt-get install chromium chromium-driver (.ci/run does)")
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--disable-background-networking",
                     "--disable-component-update"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
    try:
        driver.get(f"{lab.url}/lab/tree/03_budget_impact.ipynb?token={lab.token}")
        wait = WebDriverWait(driver, 90)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Cell")) >= 10)
        wait.until(lambda d: KERNEL_DISPLAY_NAME in d.find_element(By.TAG_NAME, "body").text)
        text = driver.find_element(By.CSS_SELECTOR, ".jp-NotebookPanel").text
        assert "Budget impact" in text and "scenario" in text
        artefacts = Path(os.environ.get("OILIMPACT_ARTEFACTS", ROOT / "reports" / "_artefacts")) / "browser"
        artefacts.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(artefacts / "lab-03_budget_impact-1280.png"))
    finally:
        driver.quit()
