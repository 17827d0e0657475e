"""Work spread over every core: this process and a pool of forked ones take chunks of the
work in turn, not one task per file. Workers inherit the parent's data through fork, so
only results travel back."""

from __future__ import annotations

import copyreg
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 4  # enough chunks that a slow one does not leave a core idle
MIN_PER_WORKER = 32  # fewer items than this per worker are done in this process

_Work = Callable[[Sequence[Any]], list[Any]]  # Any: the items and results of any task
# the task of the workers: (work, its chunks, the shared counter of chunks taken)
_TASK: tuple[_Work, list[Sequence[Any]], Any] | None = None  # Any: items; a private Value type


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:  # Any: any mapping
    return MappingProxyType(mapping)


# front matter values are read-only mappings; results crossing back from a worker carry them
copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))


def cpu_count() -> int:
    """``BRIEFGEN_JOBS`` if set, else the cores this process may run on."""
    env = os.environ.get("BRIEFGEN_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork is safe only from the main thread of a process that has no other threads (the
    dev server rebuilds while its HTTP threads run: it builds in one process)."""
    return (
        hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def map_chunks(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    done: Callable[[int], object] | None = None,
    min_per_worker: int = MIN_PER_WORKER,
) -> list[R]:
    """``work`` applied to consecutive chunks of ``items``; the results in item order.

    ``work`` and everything it reads are inherited by the forked workers, so they need not
    be picklable; its results must be. ``done`` hears the running count of items finished.
    With one job, few items, or no safe fork, everything runs here, in this process.
    """
    workers = min(jobs, len(items) // max(1, min_per_worker))
    if workers < 2 or not can_fork():
        if not done:
            return work(items)
        step = max(1, len(items) // 100)  # progress in about a hundred steps
        results = []
        for start in range(0, len(items), step):
            results.extend(work(items[start : start + step]))
            done(len(results))
        return results
    size = -(-len(items) // (workers * CHUNKS_PER_WORKER))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    claimed = context.Value("i", 0)  # the next chunk nobody has taken, shared by fork
    global _TASK
    _TASK = (work, chunks, claimed)
    try:
        # This process takes chunks too, so one child fewer is forked: each child ends up
        # with its own copy of every page of the parent it touches (hundreds of MB at
        # 10,000 briefs), and the parent would otherwise only wait.
        with context.Pool(workers - 1, initializer=_worker_init) as pool:
            theirs = pool.imap_unordered(_run_claimed, range(len(chunks)))
            parts: dict[int, list[R]] = {}
            finished = 0
            while (index := _claim(claimed)) < len(chunks):
                parts[index] = work(chunks[index])
                finished += len(parts[index])
                if done:
                    done(finished)
            for got in theirs:
                if got is not None:
                    parts[got[0]] = got[1]
                    finished += len(got[1])
                    if done:
                        done(finished)
            return [result for index in range(len(chunks)) for result in parts[index]]
    finally:
        _TASK = None


def _claim(claimed: Any) -> int:  # Any: multiprocessing's Value, whose type is private
    with claimed.get_lock():
        index = int(claimed.value)
        claimed.value = index + 1
    return index


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: the parent alone decides what to do with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_claimed(_: int) -> tuple[int, list[Any]] | None:  # Any: the task's results
    """In a worker: the next chunk nobody has taken, with its index; None when none is left."""
    assert _TASK is not None
    work, chunks, claimed = _TASK
    index = _claim(claimed)
    return (index, work(chunks[index])) if index < len(chunks) else None
