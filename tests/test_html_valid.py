"""Every page of the example site is valid HTML, by the Nu HTML Checker (vnu.jar, from the npm
package vnu-jar, run on Java; `make test` installs both)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _where(url: str, out: Path) -> str:
    path = Path(unquote(urlsplit(url).path))
    try:
        return path.relative_to(out.resolve()).as_posix()
    except ValueError:
        return url


def test_every_page_is_valid_html(tmp_path: Path) -> None:
    from briefgen.cli.main import main

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

    out = tmp_path / "public"
    args = [
        "build",
        "--quiet",
        "--source",
        REPO,
        "--output",
        out,
        "--base-url",
        "https://example.org/briefings/",
    ]
    assert main([str(a) for a in args]) == 0
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20, f"only {len(pages)} pages were built"

    # One run for the whole site: Java is slow to start.
    command = [
        java,
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--skip-non-html",
        str(out),
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
    lines = [
        f"{_where(m.get('url', ''), out)}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
        f"{m.get('message')}" + (f"\n    {m['extract'].strip()}" if m.get("extract") else "")
        for m in errors
    ]
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(lines)
    assert result.returncode == 0, f"vnu.jar exited {result.returncode}:\n{result.stderr}"
