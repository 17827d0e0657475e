"""When ``briefgen serve`` lets Python look for unreachable objects: not while a build and
the work it leaves for later run, but once they are done.

A build turns Python's cyclic collector off while it runs (``briefgen.pipeline.build``).
Turned back on at its end, the collector scans the whole new model (millions of objects at
10,000 briefs: 0.5 to 1.5 s holding the interpreter) as soon as the next allocations cross
its threshold, which is while the build's diagnostics are printed or the search index is
brought up to date: a save then reached the index a second later. The preview keeps the
collector paused from the start of a build until the work it left for later is done (or
until the build's report, when it left none) and then collects once, while nothing waits.
Objects freed by their counts of references go at once, paused or not.
"""

from __future__ import annotations

import gc
import threading


class Collections:
    """The collector paused for a build and what follows it, then run once (:meth:`settle`).
    Called from the rebuilder and the catch-up threads alike."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = False
        self._was_on = True

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Turn the collector off until :meth:`settle` (once for several pauses)."""
        with self._lock:
            if not self._paused:
                self._paused, self._was_on = True, gc.isenabled()
                gc.disable()

    def settle(self, collect: bool = True) -> None:
        """Turn the collector back on, as it was before :meth:`pause`, and with ``collect``
        look for unreachable objects now."""
        with self._lock:
            if not self._paused:
                return
            self._paused = False
            if self._was_on:
                gc.enable()
        if collect:
            gc.collect()
