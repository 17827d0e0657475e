"""What the preview's threads ask of each other: a build, with the files saved since the
last one (the watchers ask); the model loaded after a start that found nothing changed; the
work a build left for later (the rebuilder asks). Each request is a flag that one thread
waits on and clears when it takes it."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from briefgen.model.diagnostics import BriefgenError
from briefgen.pipeline.build import BuildResult

BUILD = "build"  # a file was saved
WARM = "warm"  # the start reused the last build: load the model that quick pages need
CATCH_UP = "catch-up"  # a build left work for later (the search index)


@dataclass(frozen=True)
class BuildReport:
    """One build of the preview: its number (from 1) and its result or the error that stopped it."""

    number: int
    result: BuildResult | None = None
    error: BriefgenError | None = None


class Requests:
    def __init__(self, stopping: threading.Event) -> None:
        self._cond = threading.Condition()
        self._flags = {BUILD: False, WARM: False, CATCH_UP: False}
        self._changes: set[str] | None = set()  # saved since the last build (None: unknown)
        self._stopping = stopping

    def ask(self, flag: str) -> None:
        with self._cond:
            self._flags[flag] = True
            self._cond.notify_all()

    def saved(self, paths: set[str] | None) -> None:
        """Ask for a build; ``paths`` are the files saved (None: not known)."""
        with self._cond:
            self._flags[BUILD] = True
            if paths is None or self._changes is None:
                self._changes = None
            else:
                self._changes |= paths
            self._cond.notify_all()  # two threads wait: the rebuilder and the indexer

    def take_changes(self) -> set[str] | None:
        """The files saved since the last call (None: not known), for the build about to run."""
        with self._cond:
            changes, self._changes = self._changes, set()
        return changes

    def pending(self, flag: str) -> bool:
        return self._flags[flag]

    def wait(self, *flags: str) -> str | None:
        """Wait until one of ``flags`` is set, clear it and return it (the first named wins);
        None once the server is stopping."""
        with self._cond:
            self._cond.wait_for(
                lambda: any(self._flags[f] for f in flags) or self._stopping.is_set()
            )
            if self._stopping.is_set():
                return None
            flag = next(f for f in flags if self._flags[f])
            self._flags[flag] = False
            return flag

    def wake_all(self) -> None:
        """Let every waiting thread see that the server is stopping."""
        with self._cond:
            self._cond.notify_all()
