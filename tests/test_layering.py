"""The architecture holds: imports point one way (cli → build → stages → model), and only
the CLI prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"

# A module may import only from modules in lower layers.
LAYERS = [
    {"quoting"},
    {
        "__init__",
        "diagnostics",
        "urls",
        "briefing",
        "yamlio",
        "search",
        "parallel",
        "citations",
        "entitylinks",
        "jsontext",
    },
    {"model"},
    {"gitdates", "cache", "settings"},
    {"config", "related", "trace"},
    {"frontmatter", "markdown", "output", "jsonld"},
    {"theme", "structured", "feeds", "sitemap", "assets", "writer"},
    {"validate", "render", "stamps", "digest", "answers"},
    {"content", "gather", "editorial", "sitelinks"},
    {"assemble"},
    {"prepare", "pages"},
    {"build", "scaffold", "terminal", "devserver", "watch"},
    {"serve", "arguments"},
    {"cli"},
    {"__main__"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``: imports for type hints only
    (the model's briefing parts naming ``Brief``) create no dependency at run time."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefgen"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(a.name for a in node.names if a.name in LAYER_OF)
                if any(a.name not in LAYER_OF for a in node.names):
                    found.add("__init__")
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("briefgen."))
    return found


def test_every_module_has_a_layer() -> None:
    assert {p.stem for p in _modules()} == set(LAYER_OF)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.stem)
def test_imports_point_down(path: Path) -> None:
    mine = LAYER_OF[path.stem]
    upward = sorted(m for m in _imports(path) if m != path.stem and LAYER_OF[m] >= mine)
    assert upward == [], f"{path.stem} (layer {mine}) imports {upward}"


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if p.stem not in ("cli", "__main__", "terminal")],
    ids=lambda p: p.stem,
)
def test_only_the_cli_prints_or_exits(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "exit", "quit"), f"{path.stem}:{node.lineno}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) != ("sys", "exit"), f"{path.stem}:{node.lineno}"


def test_modules_stay_small() -> None:
    long = {p.stem: n for p in _modules() if (n := len(p.read_text().splitlines())) > 320}
    assert long == {}
