"""The code base passes ruff's lint and format checks (configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO

PATHS = ("briefgen", "tests", "scripts", "bench")


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff", path=str(REPO / ".venv/bin")) or shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_check_is_clean() -> None:
    result = _ruff("check", "--no-cache", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _ruff("format", "--check", "--no-cache", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_metadata_uses_current_forms() -> None:
    """setuptools warns on every install about a ``project.license`` table; an SPDX string
    (setuptools 77 and newer) is the current form."""
    import re

    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "[A-Za-z0-9.\- ]+"$', text, re.M)
    match = re.search(r'requires = \["setuptools>=(\d+)"\]', text)
    assert match and int(match.group(1)) >= 77
    # the theme's folders are data: with include-package-data on, setuptools warns about
    # each one ("Package would be ignored") on every install
    assert re.search(r"^include-package-data = false$", text, re.M)
