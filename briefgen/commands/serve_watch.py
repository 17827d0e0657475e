"""Watching a site for ``briefgen serve``: which changes count, and two watches (the site
root, the source folders) that run until told to stop and retry when they fail."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from briefgen.config.schema import CONFIG_FILE
from briefgen.config.values import PROTECTED_DIRS

# What a build reads: site.yaml and these folders under the site root.
SOURCE_DIRS = PROTECTED_DIRS
_WATCHED = frozenset((CONFIG_FILE, *SOURCE_DIRS))
_IGNORED_DIRS = frozenset(watchfiles.DefaultFilter.ignore_dirs)
# Editors' swap, backup and lock files: vim's .swp and 4913, emacs' #x# and .#x, x~, Chrome's .crswap
_SCRATCH = re.compile(
    "|".join((*watchfiles.DefaultFilter.ignore_entity_patterns, r"^#.*#$", r"^4913$", r"\.crswap$"))
)
_STEP_MS = 50  # changes are handed on once none came for this long
RETRY_SECONDS = 1.0  # a watch that failed (no descriptor or inotify watch left) is retried

Changes = set[tuple[watchfiles.Change, str]]


class SiteWatch:
    """The two watches of one site, each run by a thread of the caller's until ``stopping``
    is set; ``changed(paths)`` is called once per burst of relevant changes, with the
    absolute paths of the files that changed, or None when that is not known.

    A watch that fails is logged once and started again every ``RETRY_SECONDS``, with a
    ``changed(None)`` each time in case an edit came while nothing watched: a preview that
    ran out of file descriptors picks up edits again once it has some.
    """

    def __init__(
        self,
        root: Path,
        changed: Callable[[set[str] | None], None],
        log: Callable[[str], None],
        stopping: threading.Event,
    ) -> None:
        self.root = root
        self._changed, self._log, self._stopping = changed, log, stopping
        self._relist = threading.Event()  # the set of source folders changed
        self._last_problem = ""

    def stop(self) -> None:
        """Wake the source watch (``stopping`` must be set first)."""
        self._relist.set()

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        """A change the site depends on: not in .git, not an editor's scratch file."""
        parts = Path(os.path.relpath(path, self.root)).parts
        if not parts or parts[0] not in _WATCHED:
            return False
        return not (_IGNORED_DIRS.intersection(parts) or _SCRATCH.search(parts[-1]))

    def watch_root(self, ready: threading.Event) -> None:
        """site.yaml, and source folders created, removed or renamed."""
        while not self._watch([self.root], ready, self._root_changed, recursive=False):
            if self._stopping.wait(RETRY_SECONDS):
                return
            self._relist.set()
            self._changed(None)

    def watch_sources(self, ready: threading.Event) -> None:
        """Every file under the source folders that exist; watched again when that set changes."""
        while not self._stopping.is_set():
            self._relist.clear()
            folders = [self.root / name for name in SOURCE_DIRS if (self.root / name).is_dir()]
            if not folders:
                ready.set()
                self._relist.wait()
                continue
            if not self._watch(folders, ready, self._sources_changed, self._relist):
                self._relist.wait(RETRY_SECONDS)  # at once when stopping
                self._changed(None)

    def _sources_changed(self, changes: Changes) -> None:
        # a deleted file changes more than its own page: then no path is handed on (an editor
        # that saves by renaming a new file over the old one deletes nothing that stays gone)
        paths = {path for _, path in changes}
        self._changed(paths if all(os.path.exists(path) for path in paths) else None)

    def _root_changed(self, changes: Changes) -> None:
        if any(os.path.basename(path) != CONFIG_FILE for _, path in changes):
            self._relist.set()
        self._changed(None)

    def _watch(
        self,
        paths: list[Path],
        ready: threading.Event,
        handle: Callable[[Changes], None],
        *stops: threading.Event,
        recursive: bool = True,
    ) -> bool:
        """Hand each burst of changes under ``paths`` to ``handle`` until ``stopping`` or one
        of ``stops`` is set (True), or the watch fails (False, logged)."""
        try:
            for changes in watchfiles.watch(
                *paths,
                watch_filter=self.relevant,
                step=_STEP_MS,
                stop_event=_StopWhen(ready, (self._stopping, *stops)),
                recursive=recursive,
                raise_interrupt=False,
                ignore_permission_denied=True,
            ):
                handle(changes)
            return True
        except (OSError, RuntimeError) as exc:  # a watched folder vanished, a watch limit hit
            problem = f"briefgen serve: cannot watch {', '.join(map(str, paths))}: {exc}"
            if not self._stopping.is_set() and problem != self._last_problem:
                self._log(problem)
                self._last_problem = problem
            return self._stopping.is_set()
        finally:
            ready.set()


class _StopWhen:
    """watchfiles' stop_event: set when any of ``stops`` is. watchfiles polls it only once
    its watches are in place, so the first poll also tells that changes are now seen."""

    def __init__(self, ready: threading.Event, stops: tuple[threading.Event, ...]) -> None:
        self.ready, self.stops = ready, stops

    def is_set(self) -> bool:
        self.ready.set()
        return any(event.is_set() for event in self.stops)
