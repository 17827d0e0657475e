"""The preview's first look at a save, before its build: the quick page of a saved brief
(see :mod:`briefgen.pipeline.preview`), then the quick files, what that page changes in the
files plugins make of the pages and leave for later (the search index), served from memory
until the build and its catch-up are done (see :mod:`briefgen.pipeline.preview_files`).

The quick files are made right after the quick page and before the build, in the rebuilding thread: made
beside the build, the two shared both cores and the interpreter, and each took twice as long.
The catch-up after the build asks the search index for the same partition from the same
pages, and gets the files made here without indexing again. They are served until the
catch-up after a build of that save (or of a later one) has written the index. A save ends
the work under way (its indexer runs in the preview's folder, which a save clears of
programs), and so does ``LIMIT``: files that take longer are not quick, the build goes on
and the catch-up makes them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.commands.serve_http import Live
from briefgen.commands.serve_pages import described, quick_page
from briefgen.config.overrides import Overrides
from briefgen.pipeline.deferred import Deferred
from briefgen.pipeline.preview import Preview, Previews
from briefgen.pipeline.preview_files import preview_files
from briefgen.util import processes

LIMIT = 2.0  # seconds the quick files may hold the build back


@dataclass(frozen=True)
class Site:
    """The site the preview builds: its root, its settings, the output and the folder that
    holds it (and the quick files' work)."""

    root: Path
    overrides: Overrides
    output: Path
    work: Path


class QuickLook:
    """Shows the quick page of each save, and makes, serves and drops its quick files, for the
    plugins that left work for later in the last build that left any (none yet: no files)."""

    def __init__(self, live: Live, site: Site, log: Callable[[str], None], verbose: bool) -> None:
        self.live, self.site, self._log, self._verbose = live, site, log, verbose
        self._plugins: tuple[str, ...] = ()
        self._work = ""  # what they do, in a few words: "search index"
        self._lock = threading.Lock()  # the catch-up's thread drops what the builds' serves
        self._served = 0  # the build whose save's quick files are served (0: none)

    def left(self, deferred: Deferred) -> None:
        """A build left ``deferred`` for later: its plugins make the next saves' quick files."""
        if deferred:
            self._plugins = tuple(name for name, _ in deferred)
            self._work = described(deferred)

    def show(
        self, preview: Preview | Previews | None, changes: set[str] | None, number: int
    ) -> None:
        """Before build ``number``: when the save (``changes``) changed one published brief,
        serve its quick page made from the last build's model (``preview``), reload open
        pages, then make its quick files."""
        live, started = self.live, time.perf_counter()
        quick = None if live.status.failed else quick_page(preview, self.site.root, changes)
        if quick is None:
            return
        file, data = quick
        live.overlay = {os.path.realpath(self.site.output / file): data}
        live.events.publish(number - 1)
        if self._verbose:
            self._log(f"quick page {file} in {time.perf_counter() - started:.2f} s")
        self._files(file, data, number)

    def _files(self, page: str, data: bytes, number: int) -> None:
        """Make and serve, before build ``number``, the plugins' files with the quick page
        ``page`` (a file of the output) holding ``data``. A failure leaves them to the
        catch-up, which reports it."""
        if not self._plugins:
            return
        started, site = time.perf_counter(), self.site
        bound = threading.Timer(LIMIT, processes.stop, (site.work,))
        bound.start()
        try:
            files = preview_files(site.root, site.overrides, page, data, self._plugins, site.work)
        except Exception:  # noqa: BLE001 - stopped by a save or the bound, or failing: the
            return  # catch-up does the work and says what failed
        finally:
            bound.cancel()
        if not files:
            return
        prefix = self.live.root
        with self._lock:
            self.live.quick = {os.path.join(prefix, *r.split("/")): b for r, b in files.items()}
            self._served = number
        self.live.events.publish_caught_up()  # the pages that show it reload
        if self._verbose:
            took = time.perf_counter() - started
            self._log(f"{self._work} updated for {page} in {took:.2f} s (from its quick page)")

    def caught_up(self, number: int) -> None:
        """The work that build ``number`` left for later is done: the output holds what the
        quick files of its save, and of every earlier one, showed."""
        with self._lock:
            if self._served and self._served <= number:
                self.live.quick, self._served = {}, 0
