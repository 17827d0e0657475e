"""The architecture holds: the packages of ``briefgen/`` are the stages in order, imports point
down that order (a stage may use earlier stages and the model, never a later one), the model
and the helpers import nothing of the pipeline, no two modules import each other, only the
command line prints or exits, and modules and functions stay small enough to read whole."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "briefgen"

# The packages, lowest first; a module may import from its own package and from those before it.
PACKAGES = [
    "util",  # helpers that know nothing of briefs
    "model",  # the frozen types every stage shares, diagnostics, URL rules
    "plugins",  # the plugin API: hook specifications, loading, calling
    "pictures",  # every detail of pictures, behind one API: files, settings, checks, markup
    "languages",  # a site's languages: settings, editions, translations, the theme's words
    "config",  # stage 1: site.yaml → Config
    "read",  # stage 2: content files → validated metadata
    "markdown",  # stage 3: bodies → HTML
    "assemble",  # stage 4: metadata and bodies → the site model
    "render",  # stage 5: the model → pages and files
    "features",  # briefgen's own optional features, each a plugin in a folder
    "write",  # stage 6: files → the output folder
    "pipeline",  # the order of the stages, and the cache that makes rebuilds cheap
    "commands",  # digest, new, init, serve
    "cli",  # the command line
]
RANK = {name: i for i, name in enumerate(PACKAGES)}
TOP_LEVEL = {"__init__": -1, "__main__": len(PACKAGES)}  # the version; `python -m briefgen`
MAX_LINES = 300
MAX_FUNCTION_LINES = 60
# Declarative tables, read as a list rather than followed as logic.
LONG_TABLES = {"briefgen/cli/arguments.py:parser"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    """``briefgen.read.validate`` for briefgen/read/validate.py."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _rank(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return TOP_LEVEL["__init__"]
    if parts[1] == "__main__":
        return TOP_LEVEL["__main__"]
    return RANK[parts[1]]


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``: imports for type hints only
    create no dependency at run time."""
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


def _imports(path: Path, name: str = "") -> set[str]:
    """The briefgen modules a module imports at run time, at its top or inside a function
    (``name``: the module's, when its file is not in the package)."""
    modules = {_name(p) for p in _modules()}
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefgen"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("briefgen"))
    return found - {name or _name(path)}


def test_the_packages_are_the_stages() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(PACKAGES)
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose == set(TOP_LEVEL), "a module belongs in the package of its stage"


def test_every_package_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    assert {f"briefgen.{name}" for name in PACKAGES} | {"briefgen"} <= listed


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_point_down(path: Path) -> None:
    _points_down(path, _name(path))


def _points_down(path: Path, name: str) -> None:
    mine = _rank(name)
    upward = sorted(m for m in _imports(path, name) if _rank(m) > mine)
    assert upward == [], f"{name} imports a later stage: {upward}"


@pytest.mark.parametrize("package", ["util", "model"])
def test_the_bottom_imports_nothing_above_it(package: Path) -> None:
    for path in sorted((PACKAGE / package).glob("*.py")):
        above = sorted(m for m in _imports(path) if _rank(m) > RANK[package])
        assert above == [], f"{_name(path)} imports {above}"


def test_no_two_modules_import_each_other() -> None:
    graph = {_name(p): {m for m in _imports(p) if m.count(".") >= 2} for p in _modules()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


@pytest.mark.parametrize(
    "path", [p for p in _modules() if not _name(p).startswith("briefgen.cli")], ids=_name
)
def test_only_the_cli_prints_or_exits(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "exit", "quit"), f"{_name(path)}:{node.lineno}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) != ("sys", "exit"), f"{_name(path)}:{node.lineno}"


def test_modules_stay_small() -> None:
    long = {_name(p): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_functions_stay_short() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                where = f"{path.relative_to(ROOT).as_posix()}:{node.name}"
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES and where not in LONG_TABLES:
                    long[where] = size
    assert long == {}


def test_the_layering_test_catches_an_upward_import(tmp_path: Path) -> None:
    """The rule can fail: a model module that imports the pipeline is caught. (Written outside
    the package: a file added to it would be read, and then missed, by tests and builds
    running beside this one.)"""
    scratch = tmp_path / "_scratch_upward.py"
    scratch.write_text("from briefgen.pipeline.build import build\n")
    name = "briefgen.model._scratch_upward"
    assert _rank("briefgen.pipeline.build") > _rank(name)
    with pytest.raises(AssertionError, match="imports a later stage"):
        _points_down(scratch, name)


def test_the_base_url_is_joined_in_one_place() -> None:
    """Every address with the base path or the site's host comes from ``Config.url`` or
    ``Config.permalink``; no stage joins ``base_url`` on its own."""
    allowed = {"briefgen.model.urls", "briefgen.config.values"}
    joining = sorted(
        _name(p) for p in _modules() if _name(p) not in allowed and "join_url(" in p.read_text()
    )
    assert joining == []


def test_the_architecture_doc_names_every_package_and_only_real_modules() -> None:
    import re

    doc = (ROOT / "docs" / "architecture.md").read_text()
    for name in PACKAGES:
        assert f"`{name}/`" in doc, f"docs/architecture.md does not describe {name}/"
    named = set(re.findall(r"`(?:([a-z]+)/)?([a-z_]+\.py)`", doc))
    modules = {p.name for p in _modules()}
    missing = sorted(f"{d}/{m}" if d else m for d, m in named if d != "tests" and m not in modules)
    assert missing == [], f"docs/architecture.md names modules that do not exist: {missing}"


def test_languages_are_reached_only_through_their_package() -> None:
    """Outside ``briefgen/languages/`` a module imports ``briefgen.languages`` itself, never one
    of its modules (for type hints neither): how a multilingual site is made stays behind it."""
    inside = "briefgen.languages"
    reaching = []
    for path in _modules():
        if _name(path).startswith(inside):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(inside + "."):
                reaching.append(f"{_name(path)}: {node.module}")
            elif isinstance(node, ast.Import):
                reaching += [
                    f"{_name(path)}: {a.name}"
                    for a in node.names
                    if a.name.startswith(inside + ".")
                ]
    assert reaching == []
