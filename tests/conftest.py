"""Shared fixtures: tiny sites written into tmp_path, and a CLI runner."""

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


def picture(width: int = 800, height: int = 500, fmt: str = "PNG", seed: int = 0,
            exif: bytes = b"") -> bytes:  # fmt: skip
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
SITE_PARTS = ("site.yaml", "content", "static", "templates", "themes", "i18n")


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
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
               str(folder)]  # fmt: skip
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
