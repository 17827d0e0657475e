"""Full-text search: run the Pagefind indexer, shipped as a binary inside a PyPI package,
over the built site before it is swapped in. Nothing is downloaded."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SEARCH_PATH = "search/"
BUNDLE_DIR = "pagefind"
# The theme queries the index with pagefind.js; Pagefind's own ready-made interfaces are
# not used, so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # fmt: skip


class SearchError(Exception):
    """The indexer is missing or failed; the message says which."""


def find_indexer() -> Path:
    """``PAGEFIND_BINARY_PATH``, else the binary of ``pagefind[extended]`` or ``pagefind[bin]``."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        return Path(env)
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            package = __import__(module)
        except ImportError:
            continue
        return Path(package.get_executable())
    raise SearchError("the Pagefind indexer is not installed: pip install 'pagefind[extended]'")


def build_index(site_dir: Path) -> None:
    """Index every page marked ``data-pagefind-body`` into ``site_dir/pagefind/``."""
    command = [
        str(find_indexer()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_DIR,
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"cannot run the Pagefind indexer: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchError(
            f"the Pagefind indexer failed: {detail[-1] if detail else result.returncode}"
        )
    for name in UNUSED:
        (site_dir / BUNDLE_DIR / name).unlink(missing_ok=True)
