"""Full-text search: run the Pagefind indexer, shipped as a binary inside a PyPI package,
over the built site before it is swapped in. Nothing is downloaded."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

SEARCH_PATH = "search/"
BUNDLE_DIR = "pagefind"
# The theme queries the index with pagefind.js; Pagefind's own ready-made interfaces are
# not used, so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # fmt: skip


class SearchError(Exception):
    """The indexer is missing or failed; the message says which."""


# Indexers running now, by the folder they index, so that the dev server can end the one
# working inside its temporary folder when it stops instead of waiting for it.
_running: dict[subprocess.Popen[str], Path] = {}
_running_lock = threading.Lock()


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
        returncode, out, err = _run(command, site_dir)
    except OSError as exc:  # EMFILE, ENOSPC, a binary that is not executable
        raise SearchError(f"cannot run the Pagefind indexer: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired as exc:
        raise SearchError(f"cannot run the Pagefind indexer: {exc}") from None
    if returncode != 0:
        detail = (err or out).strip().splitlines()
        raise SearchError(f"the Pagefind indexer failed: {detail[-1] if detail else returncode}")
    for name in UNUSED:
        (site_dir / BUNDLE_DIR / name).unlink(missing_ok=True)


def stop_indexers(under: Path) -> None:
    """End every indexer at work on a folder inside ``under``; their builds fail."""
    under = under.resolve()
    with _running_lock:
        procs = [proc for proc, folder in _running.items() if folder.is_relative_to(under)]
    for proc in procs:
        try:
            proc.kill()
        except OSError:
            pass


def _run(command: list[str], site_dir: Path) -> tuple[int, str, str]:
    """subprocess.run(capture_output=True, timeout=600), with the process on record
    while it runs; its pipes are closed and the process reaped however this ends."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        with _running_lock:
            _running[proc] = site_dir.resolve()
        try:
            out, err = proc.communicate(timeout=600)
        except BaseException:
            proc.kill()  # a timeout, Ctrl-C: the indexer must not outlive the build
            raise
        finally:
            with _running_lock:
                _running.pop(proc, None)
    return proc.returncode, out, err
