"""When ``briefgen serve`` lets Python look for unreachable objects: not while a build and
the work it leaves for later run, but once they are done and nothing has happened for a
moment.

A build turns Python's cyclic collector off while it runs (``briefgen.pipeline.build``).
Turned back on at its end, the collector scans the whole new model (millions of objects at
10,000 briefs: 0.5 to 1.5 s holding the interpreter) as soon as the next allocations cross
its threshold, which is while the build's diagnostics are printed or the search index is
brought up to date: a save then reached the index a second later. The preview keeps the
collector paused from the start of a build until the work it left for later is done (or
until the build's report, when it left none), and then until ``QUIET`` seconds pass
without another build: a save that follows at once is not kept waiting behind a scan.
Then it collects once. Objects freed by their counts of references go at once, paused or
not; what only the collector frees (cycles, about 400 KB a build on a small site) waits,
but never longer than ``PUT_OFF`` builds or ``LONGEST`` seconds: an editor that saves
every second while someone types gets a collection every tenth build, and a preview
that rebuilds all day keeps its memory flat.
"""

from __future__ import annotations

import gc
import threading
import time

QUIET = 2.0  # seconds without a build before the collector runs
PUT_OFF = 10  # builds after which the collector runs at once, quiet or not
LONGEST = 30.0  # seconds after which it does so too


class Collections:
    """The collector paused for a build and what follows it, then run once (:meth:`settle`).
    Called from the rebuilder and the catch-up threads alike."""

    quiet = QUIET

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = False
        self._was_on = True
        self._timer: threading.Timer | None = None
        self._builds = 0  # settled since the collector last ran
        self._collected = time.monotonic()

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Turn the collector off until :meth:`settle` (once for several pauses); a
        collection waiting for a quiet moment waits for the next one."""
        with self._lock:
            self._cancel()
            if not self._paused:
                self._paused, self._was_on = True, gc.isenabled()
                gc.disable()

    def settle(self, collect: bool = True) -> None:
        """With ``collect``, turn the collector back on, as it was before :meth:`pause`, and
        look for unreachable objects once ``quiet`` seconds pass without a pause; without,
        turn it back on now (the preview stops)."""
        with self._lock:
            if not self._paused:
                return
            self._cancel()
            if not collect:
                self._resume()
                return
            self._builds += 1
            overdue = time.monotonic() - self._collected >= LONGEST
            if not (overdue or self._builds >= PUT_OFF):
                timer = self._timer = threading.Timer(self.quiet, self._collect)
                timer.daemon = True
                timer.start()
                return
            self._resume()
        self._run()

    def _collect(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread():
                return  # paused again, or settled otherwise, meanwhile
            self._timer = None
            self._resume()
        self._run()

    def _run(self) -> None:
        self._builds, self._collected = 0, time.monotonic()
        gc.collect()

    def _resume(self) -> None:
        self._paused = False
        if self._was_on:
            gc.enable()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
