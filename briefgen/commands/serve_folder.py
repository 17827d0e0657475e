"""Where the preview builds: a folder of its own in the site's cache, kept between runs.

``briefgen serve`` builds drafts and future briefs at a local address, so its pages differ
from ``build``'s and live in a folder of their own. That folder is
``.briefgen-cache/serve/site``, and the cache keeps its record as it keeps ``public/``'s:
the next ``serve`` of the site finds its last build there, and when nothing changed since,
its start costs what a build with nothing to do costs, not a full build. A start on another
port changes every page's address, so its first build renders every page again (once).

The folder is held by a lock (``serve.lock``) while a preview runs. A second ``serve`` of
the same site, a site folder that cannot be written, or a cache that is switched off gets a
temporary folder, removed when it stops, as before. ``Cache.clear`` leaves ``serve/`` alone:
it holds pages, not records (the build that follows a cleared cache writes every page
again, into the same folder).

While a preview holds its folder, it also holds the cache's large records in memory between
its builds (:mod:`briefgen.pipeline.cache_memory`): a save then unpickles only what changed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from briefgen.commands.serve_errors import remove
from briefgen.pipeline import cache_memory
from briefgen.pipeline.build import forget_output
from briefgen.pipeline.cache import CACHE_DIR, SERVE_DIR, ignore_cache_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every preview gets a temporary folder
    fcntl = None  # type: ignore[assignment]


@dataclass
class ServeFolder:
    """The preview's folder (``work``; the site goes into ``work/site``) and whether it is
    the site's own, kept after the preview stops (``kept``), with the lock that holds it;
    ``memory``: whether it still holds the cache's records in memory."""

    work: Path
    kept: bool
    lock: IO[bytes] | None = None
    memory: bool = False

    @property
    def output(self) -> Path:
        return self.work / "site"

    def release(self) -> None:
        if self.lock is not None:
            self.lock.close()  # closing releases the lock
            self.lock = None
        if self.memory:
            self.memory = False
            cache_memory.release()

    def discard(self, root: Path, log: Callable[[str], None]) -> None:
        """Let go of the folder: the site's own is kept for the next run; a temporary one is
        removed, with the cache's record of it (it dies with the folder)."""
        self.release()
        if not self.kept:
            remove(self.work, log)
            forget_output(root, self.output)


def serve_folder(root: Path) -> ServeFolder:
    """The site's own preview folder when it can be had, else a new temporary folder."""
    folder = _kept(root)
    if folder is None:
        work = Path(tempfile.mkdtemp(prefix="briefgen-serve-"))
        (work / "site").mkdir()
        folder = ServeFolder(work, kept=False)
    cache_memory.hold()
    folder.memory = True
    return folder


def _kept(root: Path) -> ServeFolder | None:
    if fcntl is None:
        return None
    cache = root / CACHE_DIR
    work = cache / SERVE_DIR
    try:
        (work / "site").mkdir(parents=True, exist_ok=True)
        ignore_cache_folder(cache)
        handle = open(work / "serve.lock", "ab")  # noqa: SIM115 - held while the preview runs
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another preview of this site runs
        handle.close()
        return None
    return ServeFolder(work, kept=True, lock=handle)
