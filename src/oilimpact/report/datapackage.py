"""The data behind a report: its charts' and tables' numbers as CSV, with a Frictionless Data Package.

Reads an executed notebook (the tables of :func:`oilimpact.dataset.collect_tables`, the key results of
:func:`oilimpact.results.collect`) and writes, beside the report's HTML,
``<notebook>.data/``: one CSV per chart, shown table and published table (the model's monthly and
annual tables), ``results.csv`` (the key results), ``parameters.csv`` and ``datapackage.json``
(`Data Package <https://datapackage.org>`_: every field with its type and unit, the sources, the data
date). :func:`write_collections` adds, from the manifest, a package per scenario folder and one for
all of them (``reports/<scenario>/datapackage.json``, ``reports/datapackage.json``), each also as a zip.

Every file is written atomically; files a previous render left in the folder that this one did not
write are removed, so a package never mixes two renders. The same inputs give the same bytes (no clock:
the package's ``created`` is the data's date).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from oilimpact import __version__
from oilimpact.dataset import Field, Table, collect_tables, slug, typed_rows
from oilimpact.project import atomic_write
from oilimpact.results import collect

DATA_SUFFIX = ".data"
PACKAGE = "datapackage.json"
ZIP = "data.zip"
PROFILE = "tabular-data-resource"
LICENSE = {"name": "MIT", "title": "MIT License (the suite; each source keeps its own terms)"}


def data_folder(html_path: Path) -> Path:
    """``reports/<folder>/<notebook>.data`` for ``reports/<folder>/<notebook>.html``."""
    return html_path.with_name(html_path.stem + DATA_SUFFIX)


def csv_text(table: Table) -> str:
    """The table as CSV (RFC 4180, ``\\r\\n`` line ends, a header row, empty cell for a missing value)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in table.fields])
    for row in table.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _schema(fields: Sequence[Field]) -> dict[str, Any]:
    described = []
    for f in fields:
        entry: dict[str, Any] = {"name": f.name, "type": f.type}
        if f.title:
            entry["title"] = f.title
        if f.unit:
            entry["unit"] = f.unit
            entry["description"] = f"in {f.unit}"
        described.append(entry)
    return {"fields": described, "missingValues": [""]}


def _sources(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": title, **({"path": path} if path else {})} for title, path in dict.fromkeys(pairs)]


def _resource(table: Table, path: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": table.name.lower(), "path": path, "profile": PROFILE, "title": table.title or table.name,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": _schema(table.fields),
    }
    if table.description:
        resource["description"] = table.description
    if table.sources:
        resource["sources"] = _sources(table.sources)
    resource["oilimpact_kind"] = table.kind
    return resource


def report_tables(nb: Mapping[str, Any], parameters: Sequence[tuple[str, Any, str]] = ()) -> list[Table]:
    """The tables a report's package holds, in the story's order: every chart and table with numbers,
    the published ones, the key results and (when given: name, value, where it came from) the
    parameters."""
    tables = [p.table for p in collect_tables(nb) if p.table.rows]
    results = collect(nb)
    if results:
        rows = [(name, r.get("label") or name, r["value"] if _is_number(r["value"]) else None,
                 None if _is_number(r["value"]) else str(r["value"]), r.get("unit") or "")
                for name, r in results.items()]
        fields, cells = typed_rows(["name", "label", "value", "text", "unit"], rows)
        fields = tuple(Field(f.name, "number" if f.name == "value" else "string", f.unit, f.title)
                       for f in fields)
        tables.append(Table("results", "Key results", "data", fields, cells,
                            description="The headline numbers the report records (the index compares them "
                            "across scenarios); each in the unit of its row."))
    if parameters:
        rows = [(name, "" if value is None else str(value), where) for name, value, where in parameters]
        fields, cells = typed_rows(["parameter", "value", "source"], rows)
        tables.append(Table("parameters", "Parameters of this report", "data",
                            tuple(Field(f.name, "string") for f in fields), cells,
                            description="The notebook's parameters as run: the scenario's value, an "
                            "override, or the notebook's default."))
    return tables


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _created(data_date: str | None) -> dict[str, str]:
    return {"created": f"{data_date}T00:00:00Z"} if data_date else {}


def package_descriptor(name: str, title: str, resources: list[dict[str, Any]], data_date: str | None,
                       description: str = "", extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A Data Package descriptor: the resources, the union of their sources, version and data date."""
    sources = [(s["title"], s.get("path", "")) for r in resources for s in r.get("sources", [])]
    package: dict[str, Any] = {
        "name": name, "title": title, "version": __version__, **_created(data_date),
        "licenses": [LICENSE], "sources": _sources(sources) or [{"title": "oilimpact model"}],
    }
    if description:
        package["description"] = description
    package.update({"data_date": data_date or "", **dict(extra or {})})
    package["resources"] = resources
    return package


def _json(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, indent=1, ensure_ascii=False) + "\n"


def write_report_data(nb: Mapping[str, Any], folder: Path, *, name: str, title: str, data_date: str | None,
                      parameters: Sequence[tuple[str, Any, str]] = (), extra: Mapping[str, Any] | None = None
                      ) -> list[Path]:
    """Write the report's CSVs and ``datapackage.json`` into ``folder``; remove what an older render
    left there. Returns the files written, the package first."""
    tables = report_tables(nb, parameters)
    written: list[Path] = []
    resources = []
    for table in tables:
        path = folder / f"{table.name}.csv"
        atomic_write(path, csv_text(table))
        written.append(path)
        resources.append(_resource(table, path.name))
    package = package_descriptor(slug(name, 80), title, resources, data_date,
                                 "The numbers behind the report's charts and tables, as CSV.", extra)
    atomic_write(folder / PACKAGE, _json(package))
    written.insert(0, folder / PACKAGE)
    keep = {p.name for p in written}
    for old in folder.iterdir():
        if old.is_file() and old.name not in keep and not old.name.startswith("."):
            old.unlink()
    return written


def remove_report_data(folder: Path) -> None:
    """Remove a report's data folder (a failed report has no data a reader should trust)."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file():
                path.unlink()
        folder.rmdir()


def _zip(folder: Path, package: Mapping[str, Any], data_date: str | None) -> bytes:
    """The package and its CSVs as one zip, entries in a fixed order with the data's date (same bytes
    for the same data)."""
    stamp = tuple(int(x) for x in data_date.split("-")) + (0, 0, 0) if data_date else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(PACKAGE, _json(package).encode("utf-8"))]
        entries += [(r["path"], (folder / r["path"]).read_bytes()) for r in package["resources"]]
        for arcname, payload in entries:
            info = zipfile.ZipInfo(arcname, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


def _write_collection(folder: Path, reports: Sequence[tuple[str, Path]], name: str, title: str,
                      data_date: str | None, extra: Mapping[str, Any]) -> list[Path]:
    resources = []
    for prefix, package_path in reports:
        inner = json.loads(package_path.read_text(encoding="utf-8"))
        where = package_path.parent.relative_to(folder).as_posix()
        for resource in inner["resources"]:
            resources.append({**resource, "name": f"{prefix}.{resource['name']}",
                              "path": f"{where}/{resource['path']}"})
    package = package_descriptor(name, title, resources, data_date,
                                 "The numbers behind every report listed here, as CSV.", extra)
    atomic_write(folder / PACKAGE, _json(package))
    atomic_write(folder / ZIP, _zip(folder, package, data_date))
    return [folder / PACKAGE, folder / ZIP]


def write_collections(reports_dir: Path, manifest: Mapping[str, Mapping[str, Any]], folders: Iterable[str],
                      data_date: str | None, titles: Mapping[str, str] | None = None) -> dict[str, str]:
    """A package (and zip) per scenario folder in ``folders`` and one for all of them, from the
    manifest's reports that have data; returns folder → the package's path relative to
    ``reports_dir`` (``""`` for the one of all scenarios)."""
    titles = dict(titles or {})
    by_folder: dict[str, list[tuple[str, Path]]] = {}
    for entry in manifest.values():
        package = next((reports_dir / p for p in entry.get("outputs", [])
                        if p.endswith(f"{DATA_SUFFIX}/{PACKAGE}")), None)
        if entry.get("status") == "ok" and package is not None and package.is_file():
            folder = package.parent.parent.relative_to(reports_dir).as_posix()
            notebook = entry.get("notebook_name", package.parent.stem)
            by_folder.setdefault(folder, []).append((notebook, package))
    links: dict[str, str] = {}
    everything: list[tuple[str, Path]] = []
    for folder in folders:
        if folder not in by_folder:
            continue
        reports = sorted(by_folder[folder], key=lambda item: item[0])
        title = f"oilimpact reports, {titles.get(folder, folder)}: the data"
        _write_collection(reports_dir / folder, [(slug(n, 80), p) for n, p in reports],
                          slug(f"oilimpact {folder}", 80), title, data_date, {"scenario": folder})
        links[folder] = f"{folder}/{PACKAGE}"
        everything += [(f"{slug(folder, 80)}.{slug(n, 80)}", p) for n, p in reports]
    if everything:
        _write_collection(reports_dir, everything, "oilimpact-reports",
                          "oilimpact reports: the data of every scenario", data_date, {})
        links[""] = PACKAGE
    return links
