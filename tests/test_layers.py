"""The package's imports flow one way: no import cycle between project modules (imports inside
functions and under TYPE_CHECKING count too) and no import that climbs a layer. The layers, bottom
to top, are `LAYERS`; a module may import its own package and any lower layer, never a higher one
nor another package of its own layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Bottom to top. A name is a package (every module under it) or a module.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("compare.records", "compare.config", "compare.sqlite", "compare.linear", "compare.versions"),
    ("compare.read",),
    ("compare.embed",),
    ("compare.facts",),
    ("compare.align", "compare.judge"),
    ("compare.export",),
    ("compare.pipeline",),
    ("compare.review",),
    ("compare.story",),
    ("compare.session",),
    ("compare.batch", "compare.quality"),
    ("compare.cli",),
    ("compare.__main__", "compare"),
    ("dashboard",),
    ("app",),
)


def module_files(root: Path, packages: tuple[str, ...] = ("compare", "dashboard"), scripts: tuple[str, ...] = ("app",)
                 ) -> dict[str, Path]:
    """Dotted name -> file of every module under `packages` (a package by its own name) and of `scripts`."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    for script in scripts:
        if (root / f"{script}.py").is_file():
            found[script] = root / f"{script}.py"
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports anywhere in it (top level, in functions, under TYPE_CHECKING);
    `from package import name` is the module `package.name` when that is a module, else `package`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module in modules:
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each project module with the project modules it imports (itself left out)."""
    modules = module_files(root)
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def home(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> tuple[int, str]:
    """(layer number, the layer entry it belongs to): the longest entry that is the module or a package above it."""
    best: tuple[int, str] | None = None
    for level, entries in enumerate(layers):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (best is None or len(entry) > len(best[1])):
                best = (level, entry)
    if best is None:
        raise KeyError(f"{module} is in no layer: add it to LAYERS")
    return best


def climbs(graph: dict[str, set[str]], layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    """Every import that goes to a higher layer, or to another entry of the importer's own layer."""
    bad = []
    for module, targets in sorted(graph.items()):
        level, entry = home(module, layers)
        for target in sorted(targets):
            t_level, t_entry = home(target, layers)
            if t_level > level or (t_level == level and t_entry != entry):
                bad.append(f"{module} (layer {level}) imports {target} (layer {t_level})")
    return bad


def test_no_import_cycles():
    assert cycles(import_graph(ROOT)) == []


def test_imports_never_climb_a_layer():
    assert climbs(import_graph(ROOT)) == []


def test_every_module_has_a_layer():
    for module in import_graph(ROOT):
        home(module)


def test_no_module_over_450_lines():
    long = {name: n for name, path in module_files(ROOT).items() if (n := len(path.read_text().splitlines())) > 450}
    assert long == {}


def test_every_subpackage_says_what_it_owns_and_may_import():
    for init in sorted((ROOT / "compare").glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Owns" in doc and "import" in doc, init


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A two-layer package with one cycle (a <-> b) and one climb (low imports top)."""
    pkg = tmp_path / "compare"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("")
    (pkg / "low" / "a.py").write_text("from compare.low import b\n")
    (pkg / "low" / "b.py").write_text("def f():\n    from compare.low.a import x\n    from compare import top\n")
    (pkg / "top.py").write_text("import json\n")
    (tmp_path / "dashboard").mkdir()
    return tmp_path


def test_the_checks_find_a_cycle_and_a_climb(tiny):
    graph = import_graph(tiny)
    assert graph["compare.low.b"] == {"compare.low.a", "compare.top"}
    assert cycles(graph) == [["compare.low.a", "compare.low.b"]]
    layers = (("compare.low",), ("compare.top", "compare"))
    assert climbs(graph, layers) == ["compare.low.b (layer 0) imports compare.top (layer 1)"]
    with pytest.raises(KeyError):
        home("elsewhere.module", layers)
