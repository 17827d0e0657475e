"""Shared fixtures: tiny sites written into tmp_path, and a CLI runner; which tests are slow
and which share a worker when the suite runs in parallel (SLOW and TOGETHER below)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from briefgen.cli.main import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXAMPLE_BASE = "https://example.org/briefings/"


# --- slow tests and parallel runs ------------------------------------------------------------
#
# The one list of slow tests: a folder, a file or a test (all of its parameters) under tests/,
# and its marker. Why each marker is slow is said where the markers are registered, in
# pyproject.toml; `make test-quick` deselects all of them, `make test` runs everything. A new
# test that is slow for one of those reasons gets a line here, not a decorator in its file.
SLOW = {
    "browser/": "browser",
    "commands/test_serve_longrun.py": "soak",
    "adversarial/test_faults.py::test_a_signal_during_a_build_leaves_the_previous_site": "soak",
    "adversarial/test_faults.py::test_a_build_after_an_interrupted_one_succeeds_and_tidies_up": "soak",
    "pipeline/test_properties.py": "property",
    "pipeline/test_incremental_steps.py::test_any_sequence_of_edits_equals_a_clean_build": "property",
    "pipeline/test_incremental.py::test_incremental_build_equals_clean_build": "bench",
    "pipeline/test_incremental_config.py": "bench",
    "pipeline/test_cache_damage.py::test_every_file_of_the_cache_cut_anywhere_rebuilds_the_same_site": "bench",
    "adversarial/test_faults.py::test_two_builds_at_once_take_turns": "bench",
    "adversarial/test_markdown_attacks.py::test_pathological_body_renders_without_running_away": "bench",
    "write/test_disk_faults.py::test_a_file_size_limit_is_one_clear_error_and_the_site_stays": "bench",
    "write/test_disk_faults.py::test_damaged_cache_records_cost_a_rebuild_and_nothing_else": "bench",
    "pipeline/test_real_world.py": "bench",
}

# Tests that must not run at the same time as each other when `make test` spreads the suite
# over the cores (pytest-xdist, --dist loadgroup): all the tests of a group run on one worker,
# one after another. Tests that share a build are grouped without a line here (see _groups).
TOGETHER = {
    # Timing-sensitive: an edit must show within a second or two, a signal must end a server
    # and its indexer within seconds, and the soak counts its own open files and memory.
    "commands/test_serve.py": "serve",
    "commands/test_serve_longrun.py": "serve",
    "adversarial/test_devserver_attacks.py": "serve",
}


def _rel(item: pytest.Item) -> str:
    """The test's node id relative to tests/: ``pipeline/test_x.py::test_y[param]``."""
    rel = Path(item.path).resolve().relative_to(TESTS).as_posix()
    return rel + item.nodeid[item.nodeid.index("::") :] if "::" in item.nodeid else rel


def _listed(table: dict[str, str], rel: str) -> list[str]:
    """The values of ``table`` whose key names the test ``rel`` or its file or folder."""
    return [
        value
        for key, value in table.items()
        if rel == key or rel.startswith(key if key.endswith("/") else (key + "::", key + "["))
    ]


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures of module or session scope defined in tests/ that ``item`` uses: each
    builds something once per worker (a site, a corpus, a browser)."""
    info = getattr(item, "_fixtureinfo", None)
    found = []
    for name in info.names_closure if info else ():
        defs = info.name2fixturedefs.get(name, ())
        code = getattr(defs[-1].func, "__code__", None) if defs else None
        if code is None or defs[-1].scope not in ("module", "package", "session"):
            continue
        source = Path(code.co_filename).resolve()
        if TESTS in source.parents:
            found.append(f"{source.relative_to(TESTS).with_suffix('').as_posix()}:{name}")
    return found


def _groups(items: list[pytest.Item]) -> dict[str, str]:
    """Node id → xdist group. The groups of TOGETHER, and one for each fixture of module or
    session scope, so that what it builds is built once; a test in two of them joins them
    into one. Names do not depend on the order of collection: every worker collects on its
    own and must name the groups alike."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    members = {}
    for item in items:
        names = _listed(TOGETHER, _rel(item)) + _shared_fixtures(item)
        if names:
            members[item.nodeid] = names
            for other in names:
                parent[find(other)] = find(names[0])
    # a group of TOGETHER keeps its name; the others are named by their smallest fixture
    named: dict[str, str] = {}
    for name in sorted(parent, key=lambda n: (":" in n, n)):
        named.setdefault(find(name), name)
    return {node: named[find(names[0])] for node, names in members.items()}


def pytest_configure(config: pytest.Config) -> None:
    """On a worker of `make test` (pytest-xdist), Ctrl-C is ignored, and every process a test
    starts would inherit that: the tests that send a build or `serve` SIGINT would find it
    ignored. The worker gets Python's own handler back, as a plain pytest run has it."""
    import signal

    if hasattr(config, "workerinput"):
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker and xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups = _groups(items)
    for item in items:
        for marker in _listed(SLOW, _rel(item)):
            item.add_marker(getattr(pytest.mark, marker))
        if item.nodeid in groups:
            item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))
    if hasattr(config, "workerinput"):
        # On workers of `make test`, which hands out tests and groups in this order: the
        # longest kinds first, so that no property of minutes starts when all else is done.
        # (Every worker sorts alike; a plain run keeps the order of the files.)
        rank = {"property": 0, "bench": 1, "soak": 2, "browser": 3}
        items.sort(key=lambda item: min([rank[m] for m in _listed(SLOW, _rel(item))], default=4))
    # a renamed or deleted test must not leave its line behind, silently marking nothing
    modules = {Path(item.path).resolve(): getattr(item, "module", None) for item in items}
    for key in [*SLOW, *TOGETHER]:
        path, _, name = key.partition("::")
        module = modules.get((TESTS / path).resolve())
        if not (TESTS / path).exists() or (name and module and not hasattr(module, name)):
            raise pytest.UsageError(f"tests/conftest.py names a test that does not exist: {key}")


_LOST_GROUP = pytest.StashKey[str]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """On a worker of `--dist loadgroup`, every test with a group must carry it in its node
    id, which is how pytest-xdist tells the scheduler: a pytest or pytest-xdist that loses
    it would run a group's tests on two workers at once without a word. Those tests fail."""
    config = session.config
    if not hasattr(config, "workerinput") or not getattr(config.option, "loadgroup", False):
        return
    for item in session.items:
        group = item.get_closest_marker("xdist_group")
        if group and not item.nodeid.endswith(f"@{group.args[0]}"):
            item.stash[_LOST_GROUP] = (
                f"pytest-xdist's --dist loadgroup did not take effect with pytest "
                f"{pytest.__version__}: this test left its group (see pyproject.toml)"
            )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _LOST_GROUP in item.stash:
        pytest.fail(item.stash[_LOST_GROUP], pytrace=False)


# --- tiny sites ------------------------------------------------------------------------------

# The sourcing rules (every brief has sources, every source is cited) are tested on their own
# in test_editorial.py; the other tests' briefs are not about sources.
SITE_YAML = """\
title: Test Briefings
description: A site made by the tests.
base_url: https://example.org/briefings/
language: en
per_page: 2
checks:
  sources: false
"""


def brief(
    title: str = "A brief",
    date: str = "2025-02-04",
    summary: str = "One plain sentence.",
    topics: str = "[cartels]",
    body: str = "Body text.\n",
    extra: str = "",
) -> str:
    """Text of a brief file; ``extra`` is more front matter lines."""
    front = f"title: {title}\ndate: {date}\nsummary: {summary}\ntopics: {topics}\n{extra}"
    return f"---\n{front.rstrip()}\n---\n\n{body}"


def picture(
    width: int = 800, height: int = 500, fmt: str = "PNG", seed: int = 0, exif: bytes = b""
) -> bytes:
    """The bytes of a real picture: a gradient with a seeded stripe, so that two seeds
    give two different files."""
    import io

    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    ImageDraw.Draw(image).rectangle(
        (0, seed % height, width, seed % height + 9), fill=(180, 40, 40)
    )
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif else {}))
    return out.getvalue()


def topic(
    title: str = "Cartels", description: str = "Criminal groups.", body: str = "Intro.\n"
) -> str:
    return f"---\ntitle: {title}\ndescription: {description}\n---\n\n{body}"


def write_site(
    root: Path, files: dict[str, str | bytes] | None = None, site_yaml: str | None = SITE_YAML
) -> Path:
    """Write ``files`` (relative path → text or bytes) into the folder ``root``, with a
    site.yaml unless given; the theme is the one shipped in this repository."""
    root.mkdir(parents=True, exist_ok=True)
    if site_yaml is not None:
        (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a site: ``make_site({"content/briefs/a.md": brief()})``; site.yaml is added unless
    given. A fixture of module scope that builds a site once for tests that only read it
    calls write_site itself, in a folder of tmp_path_factory."""

    def make(
        files: dict[str, str | bytes] | None = None, site_yaml: str | None = SITE_YAML
    ) -> Path:
        return write_site(tmp_path / "site", files, site_yaml)

    return make


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``briefgen`` in-process: ``cli("build", "--source", root)``."""

    def run(*args: object) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors and --version
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_cli(*args: object) -> Run:
    """``cli`` for fixtures of module or session scope, which cannot use capsys."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def read_tree(folder: Path, record: bool = False) -> dict[str, bytes]:
    """Every file under ``folder`` as relative path → bytes, to compare whole builds; the
    output's record of what briefgen wrote (``.briefgen-files``) only with ``record``."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (record or p.relative_to(folder).as_posix() != ".briefgen-files")
    }


def staging_left(parent: Path) -> list[str]:
    """Staging folders a build left beside its output (there should be none)."""
    return sorted(
        p.name
        for p in parent.iterdir()
        if p.name.startswith((".public.new-", ".public.old-", ".public.txn-"))
    )


# What a site is made of: a copy of these builds as the original would.
SITE_PARTS = ("site.yaml", "content", "static", "templates", "themes", "i18n", "plugins")


def copy_site(source: Path, dest: Path) -> Path:
    """The site at ``source`` (the example at REPO, or one under tests/sites/) copied to
    ``dest``, to build from. A build writes its cache (.briefgen-cache/) beside its sources:
    a test never builds in the repository, where a developer's own cache is, and where two
    tests running at once on two workers would write one cache together."""
    dest.mkdir(parents=True)
    for name in SITE_PARTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, symlinks=True)
        elif (source / name).is_file():
            shutil.copy2(source / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def example_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example site's sources (see copy_site); build it, never change it."""
    return copy_site(REPO, tmp_path_factory.mktemp("example-source") / "site")


@pytest.fixture(scope="session")
def example_build(example_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built once for the session under EXAMPLE_BASE; read it, never change it."""
    out = tmp_path_factory.mktemp("example") / "public"
    args = [
        "build",
        "--quiet",
        "--source",
        str(example_source),
        "--output",
        str(out),
        "--base-url",
        EXAMPLE_BASE,
    ]
    assert main(args) == 0
    return out


def bench_corpus() -> ModuleType:
    """``bench/corpus.py`` as a module: ``write_site(generate(n), root)`` writes a generated site."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


# --- the Nu HTML Checker (vnu.jar from the npm package vnu-jar, on Debian's Java) ---------------

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_html_errors(folder: Path) -> list[dict[str, Any]]:
    """Every error the Nu HTML Checker finds in the HTML files under ``folder``, in one run
    (Java is slow to start); the test fails with how to install it when Java or the jar is
    missing, and when the checker gives no report."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "java is not installed: run `make test` (it installs default-jre-headless)",
            pytrace=False,
        )
    if not VNU_JAR.exists():
        pytest.fail(
            f"{VNU_JAR.relative_to(REPO)} is missing: run `make test` (it runs `npm ci`)",
            pytrace=False,
        )
    command = [
        java,
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--skip-non-html",
        str(folder),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar exited {result.returncode} without a JSON report:\n{result.stdout}\n{result.stderr}"
        )
    errors = [
        m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")
    ]
    if not errors:
        assert result.returncode == 0, f"vnu.jar exited {result.returncode}:\n{result.stderr}"
    return errors
