"""From an executed notebook to files people open and send: self-contained HTML and PDF.

Reads an executed notebook (plain dict, as ``json.load`` gives it) and writes:

- HTML: one self-contained file from our own small template (``resources/page.html`` and
  ``report.css``) — no code, no injected parameters, images as data URIs, no external URL at all
  (nbconvert's templates pull MathJax, require.js and widget scripts from CDNs, so we do not use
  them). Article text and notebook HTML are escaped or sanitised: a ``<script>`` shows as text.
- PDF: pandoc's ipynb reader (``--ipynb-output=all``) with ``resources/ipynb.lua`` to Typst, then the
  ``typst`` wheel with its bundled fonts. A4, title block, page numbers, real tables, SVG charts
  stay vector.
(``reports/index.html`` is :mod:`oilimpact.report.index`, built with the same page and checks.)

Everything is deterministic: no clock is read, the PDF's dates come from the data's date.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import json
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Literal

from oilimpact import __version__
from oilimpact.dataset import Table, collect_tables
from oilimpact.report.notebook import HEADING, cell_source, cell_tags
from oilimpact.report.stages import StageClock, TimedPopen
from oilimpact.report.values import format_result, format_value  # noqa: F401 (the export's face)
from oilimpact.results import MIME_TYPE as RESULT_MIME

Target = Literal["html", "pdf"]
PDF_STANDARD = "a-2b"  # PDF/A-2b, archival: fonts embedded, XMP metadata; Typst keeps the tags too

# One representation per output, best first. Our result MIME and widget/JS payloads never show.
_PRIORITY: dict[str, tuple[str, ...]] = {
    "html": ("image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/html", "text/markdown",
             "text/latex", "text/plain"),
    "pdf": ("image/svg+xml", "image/png", "image/jpeg", "text/html", "text/markdown", "text/plain"),
}
_HIDDEN_TAGS = {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell", "remove_cell"}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SCHEME = re.compile(r"(?i)\bhttps?://")
_EXTERNAL = re.compile(r"(?i)https?://|(?:src|href|url)\s*[=(]\s*[\"']?//")
_SVG_NOISE = re.compile(r"(?s)<metadata>.*?</metadata>\s*|<!--.*?-->\s*")


class ExportError(RuntimeError):
    """A converter failed or produced something we refuse to ship (e.g. an external URL)."""


@dataclass(frozen=True)
class Parameter:
    """One row of a report's parameters table."""

    name: str
    value: Any
    help: str = ""
    overridden: bool = False
    source: str = ""  # where a resolved value came from: "scenario", "override" or "" (as given)


@dataclass(frozen=True)
class ReportInfo:
    """What the header of a report says about it."""

    title: str
    notebook: str
    scenario: str | None = None
    parameters: tuple[Parameter, ...] = ()
    data_date: str | None = None
    failed: bool = False
    subject: str = ""
    scenario_title: str = ""
    scenario_description: str = ""
    data_folder: str = ""  # the report's data package beside it (``<notebook>.data``), "" for none
    data_files: frozenset[str] = frozenset()  # the tables written there, by name (file stem)

    @property
    def citation(self) -> str:
        """How to cite the report: the suite's version and the data's date, the scenario and notebook."""
        year = (self.data_date or "")[:4]
        named = self.scenario_title or self.scenario
        scenario = f", scenario {named} ({self.scenario})" if self.scenario else ""
        dated = f", data as of {self.data_date}" if self.data_date else ""
        return (f"oilimpact contributors{f' ({year})' if year else ''}. {self.title}{scenario}. "
                f"oilimpact {__version__} report, notebook {self.notebook}{dated}.")

    @property
    def description(self) -> str:
        if self.subject:
            return self.subject
        scenario = f", scenario {self.scenario}" if self.scenario else ""
        return f"{self.title} ({self.notebook}{scenario})"


# --- reading the notebook ------------------------------------------------------------------------


def _drop_title(cells: list[dict[str, Any]], title: str) -> None:
    """Remove the Markdown heading that became the report's title (it is shown in the header)."""
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        src = cell["source"]
        for m in HEADING.finditer(src):
            if re.sub(r"[*_`]", "", m.group(2)).strip() == title:
                cell["source"] = (src[: m.start()] + src[m.end():]).strip("\n")
                return


def _best_data(data: dict[str, Any], target: Target) -> dict[str, Any]:
    for mime in _PRIORITY[target]:
        if mime in data:
            value = data[mime]
            value = "".join(value) if isinstance(value, list) else value
            if mime == "image/svg+xml":  # matplotlib stamps the time and its version in here
                value = _SVG_NOISE.sub("", value)
            return {mime: value}
    return {}


def _clean_outputs(outputs: list[dict[str, Any]], target: Target,
                   tables: dict[int, Table] | None = None) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    for o, output in enumerate(outputs):
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") != "stdout":
                continue  # stderr carries warnings and logs, not the story
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            if cleaned and cleaned[-1]["output_type"] == "stream":
                cleaned[-1]["text"] += text
            else:
                cleaned.append({"output_type": "stream", "name": "stdout", "text": text})
        elif kind == "error":
            traceback = "\n".join(_ANSI.sub("", line) for line in output.get("traceback", []))
            cleaned.append({"output_type": "error", "ename": output.get("ename", ""),
                            "evalue": output.get("evalue", ""), "traceback": traceback.split("\n")})
        elif kind in ("display_data", "execute_result"):
            data = _best_data(output.get("data", {}), target)
            if data and RESULT_MIME not in output.get("data", {}):
                table = (tables or {}).get(o)
                metadata = {"table": table.name, "title": table.title} if table else {}
                cleaned.append({"output_type": "display_data", "data": data, "metadata": metadata})
    return cleaned


def clean_notebook(nb: dict[str, Any], target: Target, title: str | None = None) -> dict[str, Any]:
    """The notebook as a reader sees it: no code, no parameters cells, no stderr, no result records,
    one representation per output, no timing metadata, stable cell ids; the title heading removed."""
    cells: list[dict[str, Any]] = []
    tables: dict[int, dict[int, Table]] = {}
    for placed in collect_tables(nb):
        tables.setdefault(placed.cell, {})[placed.output] = placed.table
    for c, cell in enumerate(nb.get("cells", [])):
        kind = cell.get("cell_type")
        if cell_tags(cell) & _HIDDEN_TAGS or kind not in ("markdown", "code"):
            continue
        if kind == "markdown":
            new = {"cell_type": "markdown", "source": cell_source(cell), "metadata": {}}
            if cell.get("attachments"):
                new["attachments"] = copy.deepcopy(cell["attachments"])
        else:
            removed = "remove-output" in cell_tags(cell)
            outputs = [] if removed else _clean_outputs(cell.get("outputs", []), target, tables.get(c))
            if not outputs:
                continue
            new = {"cell_type": "code", "source": "", "metadata": {}, "execution_count": None,
                   "outputs": outputs}
        new["id"] = f"c{len(cells)}"
        cells.append(new)
    if title:
        _drop_title(cells, title)
    language = nb.get("metadata", {}).get("language_info", {}).get("name", "python")
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"language_info": {"name": language}}}


# --- HTML ------------------------------------------------------------------------------------------


def _resource(name: str) -> str:
    return (resources.files("oilimpact.report") / "resources" / name).read_text(encoding="utf-8")


def _markdown_renderer():
    import mistune  # here, for start-up speed: a no-op `render` imports this module, never mistune

    class _Renderer(mistune.HTMLRenderer):
        """Raw HTML escaped (mistune's escape=True); links shown as text plus their address without
        a scheme, so the file holds no URL; only embedded (data:) images are kept."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if url.startswith("#"):
                return super().link(text, url, title)
            address = html.escape(_SCHEME.sub("", url))
            if _SCHEME.sub("", text) == address:
                return f'<span class="addr">{address}</span>'
            return f'{text} <span class="addr">({address})</span>'

        def image(self, text: str, url: str, title: str | None = None) -> str:
            if url.startswith("data:image/"):
                return f'<img src="{html.escape(url)}" alt="{html.escape(text)}">'
            return f'<span class="addr">[image: {text}]</span>'

    return mistune.create_markdown(escape=True, renderer=_Renderer(escape=True),
                                   plugins=["table", "strikethrough"])


_SAFE_TAGS = frozenset({
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "div", "span",
    "p", "br", "b", "i", "em", "strong", "code", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
    "h6", "sub", "sup", "small", "hr", "blockquote",
})
_SPAN = ["class", "colspan", "rowspan"]
_SAFE_ATTRIBUTES = {"*": ["class"], "th": _SPAN, "td": _SPAN}


def sanitize_html(fragment: str) -> str:
    """A notebook's HTML output with only table and text markup left; anything else (``<script>``,
    links, styles, event handlers) is shown as escaped text or dropped."""
    import bleach  # here, for start-up speed (a no-op `render` never sanitises)

    fragment = re.sub(r"(?is)<style\b[^>]*>.*?</style>", "", fragment)
    return bleach.clean(fragment, tags=_SAFE_TAGS, attributes=_SAFE_ATTRIBUTES, protocols=[],
                        strip=False, strip_comments=True)


def _data_uri(mime: str, payload: str) -> str:
    if mime == "image/svg+xml":
        payload = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return f"data:{mime};base64,{''.join(payload.split())}"


def _output_html(output: dict[str, Any], markdown, info: ReportInfo | None = None) -> str:
    kind = output["output_type"]
    if kind == "stream":
        return f'<pre class="stream">{html.escape(output["text"])}</pre>'
    if kind == "error":
        return f'<pre class="error">{html.escape(chr(10).join(output["traceback"]))}</pre>'
    ((mime, payload),) = output["data"].items()
    table = output.get("metadata", {}).get("table", "")
    link = _data_link(info, table) if info is not None and table else ""
    if mime.startswith("image/"):
        alt = html.escape(output.get("metadata", {}).get("title", ""), quote=True)
        return f'<figure class="chart"><img src="{_data_uri(mime, payload)}" alt="{alt}">{link}</figure>'
    if mime == "text/html":
        return f'<div class="table-scroll">{sanitize_html(payload)}</div>{link}'
    if mime == "text/markdown":
        return markdown(payload)
    return f"<pre>{html.escape(payload)}</pre>"


def _data_link(info: ReportInfo, table: str) -> str:
    """"Download the data" under a chart or table: its CSV in the report's data package."""
    if not info.data_folder or table not in info.data_files:
        return ""
    href = html.escape(f"{info.data_folder}/{table}.csv", quote=True)
    return (f'<p class="data-link"><a href="{href}" download>Download the data</a> '
            f'<span class="muted">(CSV, {html.escape(table)})</span></p>')


def _inline_attachments(cell: dict[str, Any]) -> str:
    source = cell["source"]
    for name, bundle in cell.get("attachments", {}).items():
        for mime, payload in bundle.items():
            if mime.startswith("image/"):
                source = source.replace(f"attachment:{name}", _data_uri(mime, payload))
                break
    return source


def _facts(info: ReportInfo) -> str:
    facts = []
    if info.scenario and info.scenario_title:
        title, name = html.escape(info.scenario_title), html.escape(info.scenario)
        facts.append(f"Scenario <b>{title}</b> (<code>{name}</code>)")
    elif info.scenario:
        facts.append(f"Scenario <b>{html.escape(info.scenario)}</b>")
    if info.data_date:
        facts.append(f"data as of {html.escape(info.data_date)}")
    facts.append(f"notebook <code>{html.escape(info.notebook)}</code>")
    return " · ".join(facts)


_NONE_MEANS = re.compile(r"\s*\(None:\s*([^)]*)\)\s*$")


def parameter_cells(parameter: Parameter) -> tuple[str, str, str]:
    """Value, marker and meaning of a parameters-table row: a value left at None reads as what None
    means (the help's "(None: ...)"), a resolved value is marked "(scenario)" or "(override)"."""
    meaning = parameter.help
    found = _NONE_MEANS.search(meaning)
    if found:
        meaning = meaning[: found.start()]
    if parameter.value is None:
        means = found.group(1).strip() if found else ""
        value = means if means and "scenario" not in means else "not set"
    else:
        value = format_value(parameter.value)
    marker = "override" if parameter.overridden else parameter.source
    return value, f"({marker})" if marker else "", meaning


def _parameters_table(parameters: Sequence[Parameter]) -> str:
    if not parameters:
        return ""
    rows: list[str] = []
    for p in parameters:
        value, marker, meaning = parameter_cells(p)
        shown = html.escape(value) + (f' <span class="src">{html.escape(marker)}</span>' if marker else "")
        rows.append(f'<tr{" class=set" if p.overridden else ""}><td><code>{html.escape(p.name)}</code></td>'
                    f"<td>{shown}</td><td>{html.escape(meaning)}</td></tr>")
    body = "\n".join(rows)
    overridden = [p.name for p in parameters if p.overridden]
    changed = f"set here: {', '.join(overridden)}" if overridden else "none set by hand"
    # Collapsed: on a phone a dozen rows would push the first sentence one and a half screens down.
    return (
        f'<details class="parameters"><summary>Parameters ({len(parameters)}; {html.escape(changed)})'
        '</summary>\n<div class="table-scroll">'
        '<table class="parameters"><thead><tr><th>Parameter</th><th>Value</th><th>Meaning</th></tr>'
        f"</thead>\n<tbody>\n{body}\n</tbody></table></div></details>"
    )


def page_html(title: str, body: str, kind: str = "report") -> str:
    return Template(_resource("page.html")).substitute(
        title=html.escape(title), css=_resource("report.css").strip(), body=body, kind=kind
    )


def check_self_contained(text: str, where: str | Path) -> None:
    """Refuse a page that would load or point at anything outside itself."""
    # Every match of _EXTERNAL holds a literal "//": a page without one (the usual) needs no regex
    # scan of its megabytes of base64 images, which cost more than the rest of the page.
    found = _EXTERNAL.search(text) if "//" in text else None
    if found:
        start = max(found.start() - 40, 0)
        raise ExportError(f"{where}: external URL in generated HTML near {text[start:found.end() + 40]!r}")


def html_report(nb: dict[str, Any], info: ReportInfo) -> str:
    """The report as one self-contained HTML page."""
    markdown = _markdown_renderer()
    parts: list[str] = []
    for cell in clean_notebook(nb, "html", title=info.title)["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append(markdown(_inline_attachments(cell)))
        else:
            outputs = "\n".join(_output_html(output, markdown, info) for output in cell["outputs"])
            parts.append(f'<div class="output">\n{outputs}\n</div>')
    content = "\n".join(parts)
    content = _SCHEME.sub("", content) if "://" in content else content  # "://" is in every match
    banner = (
        '<p class="banner"><b>This report failed.</b> The notebook stopped with an error; the '
        "traceback is shown where it happened and the figures below it are missing.</p>"
        if info.failed else ""
    )
    described = f"<p>{html.escape(info.scenario_description)}</p>\n" if info.scenario_description else ""
    package = html.escape(f"{info.data_folder}/datapackage.json", quote=True)
    data = (f'<p class="data-link">The numbers behind every chart and table: <a href="{package}">this '
            f"report's data package</a> (CSV files with a datapackage.json).</p>\n"
            if info.data_folder and info.data_files else "")
    header = (
        f'<header>\n<p class="back"><a href="../index.html">All reports</a></p>\n'
        f"<h1>{html.escape(info.title)}</h1>\n<p class=\"facts\">{_facts(info)}</p>\n"
        f'<p class="cite"><b>How to cite:</b> {html.escape(info.citation)}</p>\n'
        f"{described}{data}{banner}\n"
        f"{_parameters_table(info.parameters)}\n</header>"
    )
    footer = f"<footer>{html.escape(info.description)}. Rendered by oilimpact.</footer>"
    page = page_html(info.title, f"{header}\n<article>\n{content}\n</article>\n{footer}")
    check_self_contained(page, info.notebook)
    return page


# --- PDF -------------------------------------------------------------------------------------------


def _typst_string(value: Any) -> str:
    text = value if isinstance(value, str) else format_value(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def _typst_date(day: dt.date | None) -> str:
    return "none" if day is None else f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def _parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def report_sources(nb: dict[str, Any]) -> list[tuple[str, str]]:
    """Every source the report's charts and tables cite, once each, in the order they first appear:
    (title, addresses separated by "; ")."""
    return list(dict.fromkeys(source for placed in collect_tables(nb) for source in placed.table.sources))


def _typst_array(items: Sequence[str]) -> str:
    return "(" + ", ".join(_typst_string(i) for i in items) + ("," if len(items) == 1 else "") + ")"


def _typst_title_call(info: ReportInfo, sources: Sequence[tuple[str, str]] = ()) -> str:
    listed = ", ".join(
        f"({_typst_string(title)}, {_typst_array([a.strip() for a in path.split(';') if a.strip()])})"
        for title, path in sources)
    rows = ", ".join(
        "(" + ", ".join(_typst_string(text) for text in (p.name, *parameter_cells(p))) + ")"
        for p in info.parameters
    )
    return (
        "#show: report.with(\n"
        f"  title: {_typst_string(info.title)},\n"
        f"  subject: {_typst_string(info.description)},\n"
        f"  scenario: {_typst_string(info.scenario) if info.scenario else 'none'},\n"
        f"  scenario-title: {_typst_string(info.scenario_title or info.scenario or '')},\n"
        f"  scenario-description: {_typst_string(info.scenario_description)},\n"
        f"  notebook: {_typst_string(info.notebook)},\n"
        f"  data-date: {_typst_string(info.data_date) if info.data_date else 'none'},\n"
        f"  date: {_typst_date(_parse_date(info.data_date))},\n"
        f"  parameters: ({rows}{',' if len(info.parameters) == 1 else ''}),\n"
        f"  citation: {_typst_string(info.citation)},\n"
        f"  version: {_typst_string(__version__)},\n"
        f"  sources: ({listed}{',' if len(sources) == 1 else ''}),\n"
        ")\n"
    )


def _pandoc() -> str:
    import pypandoc  # here, for start-up speed (a no-op `render` never converts)

    try:
        path = pypandoc.get_pandoc_path()
    except (OSError, RuntimeError) as exc:
        raise ExportError(f"pandoc not found ({exc}); run `make venv` to reinstall pypandoc-binary") from None
    return path


def typst_source(nb: dict[str, Any], info: ReportInfo, workdir: Path, timeout: float | None = None,
                 clock: StageClock | None = None) -> str:
    """Typst source of the report; media pandoc extracts land in ``workdir/media``; pandoc is stopped
    after ``timeout`` seconds (an :class:`ExportError`); ``clock`` times it as stage ``pandoc``."""
    clock = clock or StageClock()
    begun = clock.now()
    lua = workdir / "ipynb.lua"
    lua.write_text(_resource("ipynb.lua"), encoding="utf-8")
    notebook = json.dumps(clean_notebook(nb, "pdf", title=info.title), ensure_ascii=False)
    pandoc = _pandoc()
    try:
        with TimedPopen([pandoc, "--from", "ipynb", "--to", "typst", "--ipynb-output=all", "--wrap=none",
                         "--lua-filter", lua.name, "--extract-media=media"], cwd=workdir,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            try:
                stdout, stderr = proc.communicate(notebook.encode("utf-8"), timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                raise
    except subprocess.TimeoutExpired:
        raise ExportError(f"pandoc took over {timeout:g} s on {info.notebook} (raise --export-timeout, "
                          "or print less)") from None
    except OSError as exc:  # the pandoc binary is gone or not executable
        raise ExportError(f"pandoc could not run ({pandoc}: {exc.strerror}); run `make venv` to reinstall "
                          "pypandoc-binary") from None
    finally:
        clock.span("pandoc", begun, clock.now())
    clock.add("pandoc", proc.child_cpu, 0.0)
    if proc.returncode != 0:
        raise ExportError(f"pandoc failed on {info.notebook}: {stderr.decode(errors='replace').strip()}")
    body = stdout.decode("utf-8")
    return f"{_resource('report.typ')}\n{_typst_title_call(info, report_sources(nb))}\n{body}"


def pdf_report(nb: dict[str, Any], info: ReportInfo, timeout: float | None = None,
               clock: StageClock | None = None) -> bytes:
    """The report as a PDF (A4, Typst's bundled fonts only, creation date = the data's date);
    ``clock`` times its stages ``pandoc`` and ``typst``."""
    clock = clock or StageClock()
    try:
        import typst  # here, for start-up speed (a no-op `render` never compiles)
    except ImportError as exc:
        raise ExportError(f"the typst module is missing ({exc}); run `make venv` to reinstall it") from None

    day = _parse_date(info.data_date)
    timestamp = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) if day else 0
    with tempfile.TemporaryDirectory(prefix="oilimpact-pdf-") as tmp:
        workdir = Path(tmp)
        main = workdir / "report.typ"
        main.write_text(typst_source(nb, info, workdir, timeout, clock), encoding="utf-8")
        try:
            with clock.stage("typst"):
                pdf, warnings = typst.compile_with_warnings(
                    str(main), root=str(workdir), ignore_system_fonts=True, format="pdf",
                    timestamp=timestamp, pdf_standards=[PDF_STANDARD], pdf_tags=True,
                )
        except RuntimeError as exc:  # typst.TypstError
            raise ExportError(f"typst failed on {info.notebook}: {exc}") from exc
    if warnings:
        raise ExportError(f"typst warned on {info.notebook}: {'; '.join(str(w.message) for w in warnings)}")
    assert isinstance(pdf, bytes)
    return pdf
