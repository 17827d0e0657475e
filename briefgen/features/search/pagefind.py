"""The Pagefind index: the indexer, shipped as a binary inside a PyPI package, run over the
pages of the new site before it is swapped in (nothing is downloaded), and the partitions
the index is made in.

The index is split into partitions, so that a rebuild re-indexes only what changed. Every
searchable page (one carrying ``data-pagefind-body``) belongs to one partition by a hash of
its path; the number of partitions is the smallest power of two that keeps them at about
``search.partition_size`` pages (500 by default), so a site of 10,000 briefs has 32. Each
partition is a complete Pagefind index of its pages: the first one at ``pagefind/`` (the
bundle the search page loads), the others at ``pagefind/part-<n>/``, listed in
``pagefind/parts.json``; the search page merges them in the browser with Pagefind's
``mergeIndex``. A partition whose pages are all unchanged keeps its files; an edit to one
brief re-indexes the few hundred pages of its partition, not the site. The same pages give
the same bytes, so an incremental build's index equals a clean build's.

Why partitions by hash rather than one long-lived index or partitions by year: Pagefind's
index cannot drop or replace one page, and its service API sends one page per round trip
(minutes for 10,000 pages here, where the command line takes 30 s); a year holds most of a
desk's recent briefs, so partitions by year would re-index the largest partition on nearly
every edit. Hash partitions are even in size, stable as the site grows (a new brief changes
one partition until the count doubles), and cost a reader one small request per partition
when a search starts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.plugins.types import ExternalError
from briefgen.util import processes
from briefgen.util.hashing import digest

SEARCH_PATH = "search/"
BUNDLE_DIR = "pagefind"
PARTS_FILE = "parts.json"  # in the first partition's folder: the others, to merge
PART_PREFIX = "part-"
MARKER = b"data-pagefind-body"  # a page carrying it is searchable
# The theme queries the index with pagefind.js; Pagefind's own ready-made interfaces are
# not used, so they are not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchError(ExternalError):
    """The indexer is missing, failed or was stopped; the message says which."""


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


@dataclass(frozen=True)
class SearchState:
    """The partitions of the index in the output folder: for each, the key of the pages it
    was made from, its folder and its files."""

    count: int = 0
    keys: dict[int, str] = field(default_factory=dict)
    folders: dict[int, str] = field(default_factory=dict)
    files: dict[int, tuple[str, ...]] = field(default_factory=dict)


# the search index of a build: one state, or one per language's code on a site with several
SearchIndex = SearchState | dict[str, SearchState]


def partition_count(pages: int, size: int) -> int:
    """The smallest power of two that keeps partitions at ``size`` pages or fewer on average."""
    count = 1
    while count * size < pages:
        count *= 2
    return count


def partition_of(page: str, count: int) -> int:
    return int(digest(page)[:8], 16) % count


def partitions(pages: Mapping[str, str], size: int) -> tuple[int, dict[int, list[tuple[str, str]]]]:
    """The partition count and, for each non-empty partition, its (page, digest) in order."""
    count = partition_count(len(pages), size)
    parts: dict[int, list[tuple[str, str]]] = {}
    for page in sorted(pages):
        parts.setdefault(partition_of(page, count), []).append((page, pages[page]))
    return count, dict(sorted(parts.items()))


def folder_of(part: int, first: int, bundle: str = f"{BUNDLE_DIR}/") -> str:
    """The folder of a partition: the bundle itself for the first, else ``part-<n>/`` in it.
    A site with several languages has a bundle per language (``pagefind/es/``), as Pagefind
    searches the pages of one language at a time."""
    return bundle if part == first else f"{bundle}{PART_PREFIX}{part}/"


def partition_key(count: int, folder: str, items: list[tuple[str, str]]) -> str:
    return digest(repr((count, folder, items)))


def parts_file(folders: list[str], bundle: str = f"{BUNDLE_DIR}/") -> bytes:
    """``pagefind/parts.json``: the bundles the search page merges into the first one."""
    return json.dumps({"parts": [f[len(bundle) :] for f in folders]}).encode() + b"\n"


def index_folder(site_dir: Path, out_dir: Path) -> None:
    """Index every page of ``site_dir`` marked ``data-pagefind-body`` into ``out_dir``."""
    command = [
        str(find_indexer()),
        "--site",
        str(site_dir),
        "--output-path",
        str(out_dir),
        "--silent",
    ]
    try:
        returncode, out, err = processes.run(command, site_dir)
    except OSError as exc:  # EMFILE, ENOSPC, a binary that is not executable
        raise SearchError(f"cannot run the Pagefind indexer: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired as exc:
        raise SearchError(f"cannot run the Pagefind indexer: {exc}") from None
    if returncode != 0:
        detail = (err or out).strip().splitlines()
        raise SearchError(f"the Pagefind indexer failed: {detail[-1] if detail else returncode}")
    for name in UNUSED:
        (out_dir / name).unlink(missing_ok=True)
    shutil.rmtree(site_dir, ignore_errors=True)
