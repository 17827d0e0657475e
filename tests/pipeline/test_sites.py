"""Golden test sites under tests/sites/: broken ones with their expected diagnostics, valid
ones with their expected HTML. Regenerate with BRIEFGEN_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TESTS, copy_site

SITES = TESTS / "sites"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"


# real-world is built by test_real_world.py: its 5 MB post is grown from a committed seed in a
# temporary copy, and it is built with and without its broken posts.
OWN_TESTS = {"real-world"}


def _sites() -> list[Path]:
    return sorted(
        p for p in SITES.iterdir() if (p / "site.yaml").is_file() and p.name not in OWN_TESTS
    )


def _html_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.html"))
    }


@pytest.mark.parametrize("site", _sites(), ids=lambda p: p.name)
def test_site(site: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    result = cli("build", "--source", copy_site(site, tmp_path / "site"), "--output", out)
    transcript = f"exit: {result.code}\n{result.err}"
    assert "Traceback" not in transcript
    expected_file = SITES / f"{site.name}.diagnostics.txt"
    if UPDATE:
        expected_file.write_text(transcript, encoding="utf-8")
    assert transcript == expected_file.read_text(encoding="utf-8")

    golden = SITES / f"{site.name}.expected"
    if result.code != 0:
        assert not out.exists()
        return
    tree = _html_tree(out)
    if UPDATE:
        for rel, text in tree.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_text(text, encoding="utf-8")
    assert tree == _html_tree(golden)
