"""Reading a notebook file without nbformat or papermill: its cells, its ``parameters`` cell, title and
imports. Plain ``json`` and ``ast``: nbformat takes ~1.5 s to import and this runs on every ``render``,
including the sub-second no-op run.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oilimpact.errors import OilImpactError

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (nbformat allows a list of lines or a string)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def cell_tags(cell: dict[str, Any]) -> set[str]:
    """A cell's tags (``metadata.tags``)."""
    return set(cell.get("metadata", {}).get("tags", []))


@dataclass(frozen=True)
class NotebookParameter:
    """One line of a notebook's ``parameters`` cell: ``name: type = default  # help``."""

    name: str
    type_name: str
    default: Any
    help: str = ""


@dataclass(frozen=True)
class Notebook:
    path: Path
    parameters: tuple[NotebookParameter, ...]
    digest: str

    @property
    def name(self) -> str:
        return self.path.stem

    def parameter(self, name: str) -> NotebookParameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def _comments_by_line(source: str) -> dict[int, str]:
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments


def parse_parameters(source: str, where: str = "parameters cell") -> tuple[NotebookParameter, ...]:
    """The parameters a ``parameters`` cell declares, read as papermill's Python translator does
    (assignments, optional annotation, literal default, trailing comment as help) but without
    importing papermill — this runs on every ``render``, including the sub-second no-op run."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise OilImpactError(f"the parameters cell is not valid Python: {exc.msg}", where=where,
                             line=exc.lineno) from exc
    comments = _comments_by_line(source)
    found: dict[str, NotebookParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
            annotation = ast.get_source_segment(source, node.annotation)
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = ast.get_source_segment(source, value)
        type_name = annotation or ("None" if default is None else type(default).__name__)
        found[name] = NotebookParameter(name, type_name.replace(" ", ""), default,
                                        comments.get(node.end_lineno or node.lineno, ""))
    return tuple(found.values())


def read_notebook(path: Path) -> Notebook:
    """A notebook's parameters and content hash (plain ``json``: nbformat takes ~1.5 s to import)."""
    try:
        raw = path.read_bytes()
        nb = json.loads(raw)
    except OSError as exc:
        raise OilImpactError(f"cannot read the notebook: {exc.strerror}", where=path) from None
    except ValueError as exc:
        raise OilImpactError(f"not a notebook (invalid JSON: {exc})", where=path) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise OilImpactError("not a notebook (no list of cells); save it from Jupyter as .ipynb", where=path)
    cell = next((c for c in nb.get("cells", []) if c.get("cell_type") == "code"
                 and "parameters" in cell_tags(c)), None)
    parameters = parse_parameters(cell_source(cell), where=str(path)) if cell else ()
    meta = nb.get("metadata") or {}
    kernelspec, info = meta.get("kernelspec") or {}, meta.get("language_info") or {}
    language = str(kernelspec.get("language") or info.get("name") or "python").lower()
    if language != "python":
        kernel = kernelspec.get("name", "?")
        raise OilImpactError(f"kernel {kernel!r} runs {language}, not Python; oilimpact renders Python "
                             "notebooks on its own kernel (set the notebook's kernel to python3)", where=path)
    return Notebook(path, parameters, hashlib.sha256(raw).hexdigest())


def list_notebooks(notebooks_dir: Path) -> list[Path]:
    if not notebooks_dir.is_dir():
        raise OilImpactError("no such folder (expected the notebooks, *.ipynb)", where=notebooks_dir)
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if not p.name.startswith("."))


def notebook_imports(paths_: Iterable[Path]) -> list[str]:
    """The modules the notebooks import at top level of their cells (preloaded in each warm kernel)."""
    modules: dict[str, None] = {}
    for path in paths_:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse(cell_source(cell))
            except SyntaxError:
                continue  # IPython magics: the kernel will say what is wrong
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules.update((alias.name, None) for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules[node.module] = None
                    # `from pkg import sub` may name a submodule; names that are not fail quietly
                    modules.update((f"{node.module}.{alias.name}", None) for alias in node.names)
    return list(modules)


def notebook_title(nb: dict[str, Any], fallback: str = "") -> str:
    """The notebook's title: ``metadata.oilimpact.title``, else its first level-1 Markdown heading,
    else its first heading of any level, else ``fallback``."""
    meta_title = nb.get("metadata", {}).get("oilimpact", {}).get("title")
    if meta_title:
        return str(meta_title)
    headings = [
        (len(m.group(1)), m.group(2))
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "markdown"
        for m in HEADING.finditer(cell_source(cell))
    ]
    level_one = [text for level, text in headings if level == 1]
    text = level_one[0] if level_one else (headings[0][1] if headings else fallback)
    return re.sub(r"[*_`]", "", text).strip()


def notebook_subject(nb: dict[str, Any]) -> str:
    """``metadata.oilimpact.description`` when the notebook has one (used as PDF subject)."""
    return str(nb.get("metadata", {}).get("oilimpact", {}).get("description", ""))
