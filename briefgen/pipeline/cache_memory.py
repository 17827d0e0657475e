"""Large cache records kept in memory between the builds of one long-running process.

``briefgen serve`` builds the same site hundreds of times, and most of a rebuild's reading
was unpickling the same full copies of the large mappings (:meth:`Cache.load_map`): 0.9 s
of a 3 s rebuild at 10,000 briefs. While it is held on (:func:`hold`), a full copy is unpickled once and
then reused while its file is the very file that was read: same device, inode, size and
modification and change times. Any write to it (a new save, a truncation, bytes changed in
place) changes one of them, and the next load reads and checks the file again, so a damaged
record is found as before. Only records whose values are frozen and never changed in place
by a build are kept (the caller copies the mapping that holds them); the newest few are
kept, so a process that builds many sites does not grow without bound.

Each preview holds the memory on while it runs (:func:`hold`, :func:`release`); the last
one to stop frees what was kept. A preview's build and its catch-up run in two threads:
one lock guards the table.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

LIMIT = 6  # records: the parsed, rendered and page maps of a site with one or two editions

Stat = tuple[int, ...]
_kept: OrderedDict[tuple[str, ...], tuple[Stat, object]] = OrderedDict()
_holders = 0
_lock = threading.Lock()


def hold() -> None:
    """Keep full copies in memory from now on, until as many :func:`release` calls."""
    global _holders
    with _lock:
        _holders += 1


def release() -> None:
    """End one :func:`hold`; after the last, forget what was kept."""
    global _holders
    with _lock:
        _holders = max(0, _holders - 1)
        if not _holders:
            _kept.clear()


def stat_of(fd: int) -> Stat:
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def recall(key: tuple[str, ...], stat: Stat) -> tuple[bool, object]:
    """(True, the value) when ``key`` was remembered from a file with this ``stat``."""
    with _lock:
        found = _kept.get(key) if _holders else None
        if found is None or found[0] != stat:
            return False, None
        _kept.move_to_end(key)
        return True, found[1]


def remember(key: tuple[str, ...], stat: Stat, value: object) -> None:
    with _lock:
        if not _holders:
            return
        _kept[key] = (stat, value)
        _kept.move_to_end(key)
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)


def read(path: Path, key: tuple[str, ...] | None) -> tuple[Stat, bytes | None, object]:
    """The file's stat and bytes; or, when ``key`` is remembered from this very file, its
    stat, None and the value remembered."""
    with open(path, "rb") as handle:
        stat = stat_of(handle.fileno())
        if key is not None:
            found, value = recall(key, stat)
            if found:
                return stat, None, value
        return stat, handle.read(), None
