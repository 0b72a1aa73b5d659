"""The package's layout is its architecture: stages as layers, imports pointing down, no cycles.

Run as a script (``python tests/test_layout.py``) it prints the layered view of the imports.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "oilimpact"

# Layer of each top-level module or subpackage, bottom (0) to top. A module may import its own layer
# or lower ones, never a higher one.
LAYERS: dict[str, int] = {
    "errors": 0, "provenance": 0, "dataset": 0, "project": 0, "fmt": 0, "yamlfile": 0, "results": 0,
    "outlets": 0,
    "params": 1, "presets": 1,
    "articles": 2,
    "model": 3,
    "charts": 4,
    "story": 5,
    "report": 6,
    "cli": 7, "__main__": 8,
    "__init__": 0,
}
LAYER_NAMES = ["core", "parameters", "articles", "model", "charts", "story", "report", "cli", "main"]
# A function-level import is allowed only with a comment saying why, on its line or the three above.
REASONS = ("start-up speed",)
# Modules allowed over ~500 lines because they are one cohesive job.
COHESIVE = {
    "articles.figures": "the rules that read one number and its words: token, range, unit, qualifier, sign",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def stage(module: str) -> str:
    return module.split(".")[0]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def imports(path: Path, modules: frozenset[str] = frozenset()) -> tuple[set[str], list[tuple[int, str]]]:
    """The oilimpact modules ``path`` imports at module level (``from pkg import x`` is ``pkg.x`` when
    that is one of ``modules``, else ``pkg``), and its function-level imports (line, module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    inner: list[tuple[int, str]] = []

    def names(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = node.module or ""
        subs = [f"{base}.{a.name}" for a in node.names]
        found = [s for s in subs if s.removeprefix("oilimpact.") in modules]
        return found if len(found) == len(subs) else [base, *found]

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found = names(child)
                if in_function:
                    inner.append((child.lineno, found[0]))
                else:
                    top.update(n.removeprefix("oilimpact.") for n in found
                               if n == "oilimpact" or n.startswith("oilimpact."))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return top, inner


def graph() -> dict[str, set[str]]:
    """Module → the package modules it imports at module level (``from oilimpact import x`` counts
    as importing ``x`` when ``x`` is a module)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for module, path in files.items():
        top, _ = imports(path, frozenset(files))
        edges[module] = {m for m in top if m in files and m != module and m != "oilimpact"}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node, [node])
    return found


def test_every_module_has_a_layer():
    assert {stage(module_name(p)) for p in PACKAGE.rglob("*.py")} <= set(LAYERS)


def test_no_import_cycles():
    edges = graph()
    # A package's __init__ re-exports its modules; its modules must not import it back.
    assert cycles(edges) == []


def test_imports_point_down():
    upward = []
    for module, targets in graph().items():
        for target in targets:
            if LAYERS[stage(target)] > LAYERS[stage(module)]:
                upward.append(f"{module} -> {target}")
    for path in PACKAGE.rglob("*.py"):  # the commented function-level imports point down too
        module = module_name(path)
        for _line, target in imports(path)[1]:
            if target.startswith("oilimpact.") and LAYERS[stage(target[10:])] > LAYERS[stage(module)]:
                upward.append(f"{module} -> {target} (in a function)")
    assert upward == []


def test_modules_inside_a_stage_import_siblings_not_their_facade():
    """``oilimpact.model.budget`` imports ``oilimpact.model.inputs``, never ``oilimpact.model`` (the
    facade imports every module: importing it from inside would be a cycle through the package)."""
    bad = [f"{m} -> {t}" for m, targets in graph().items() if "." in m
           for t in targets if t == stage(m)]
    assert bad == []


def test_function_level_imports_say_why():
    unexplained = []
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, module in imports(path)[1]:
            context = " ".join(lines[max(0, lineno - 4):lineno]).lower()
            if not any(reason in context for reason in REASONS):
                unexplained.append(f"{path.relative_to(PACKAGE)}:{lineno} imports {module}")
    assert unexplained == []


def test_no_hidden_imports():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import_module(" not in text.replace('importlib.import_module(name)', ""), path


def test_modules_stay_small_unless_cohesive():
    big = {module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    too_big = {m: n for m, n in big.items() if n > 520 and m not in COHESIVE}
    assert too_big == {}


def test_the_render_fast_path_does_not_import_the_model():
    """What ``oilimpact render`` imports before it knows there is work: no pandas, papermill, model."""
    import subprocess

    code = ("import sys, oilimpact.report.batch, oilimpact.report.plan, oilimpact.report.outcome; "
            "print(' '.join(sorted(m for m in ('pandas', 'numpy', 'papermill', 'oilimpact.model', "
            "'jupyter_client', 'matplotlib') if m in sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def layered_view() -> str:
    edges = graph()
    lines = []
    for level, name in enumerate(LAYER_NAMES):
        members = sorted(m for m in edges if LAYERS[stage(m)] == level)
        if not members:
            continue
        lines.append(f"{level} {name}")
        for module in members:
            below = sorted(edges[module])
            lines.append(f"    {module:<24} -> {', '.join(below) if below else '-'}")
    found = cycles(edges)
    lines.append(f"cycles: {len(found)}; upward imports: "
                 f"{sum(LAYERS[stage(t)] > LAYERS[stage(m)] for m, ts in edges.items() for t in ts)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(layered_view())
