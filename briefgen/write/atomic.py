"""The file-system steps that keep the output folder safe, used by the writer
(:mod:`briefgen.write.writer`) and by commands that write a file of their own (the digest).

A full build goes into a fresh folder beside the output, which then replaces the old one in
two renames. An incremental build (:class:`~briefgen.write.writer.Writer` with a manifest of
the previous output) stages only the files that changed, then moves each into place under a
journal: an error puts every file back as it was, and a build killed half way is completed by
the next one. Either way the output is, at every moment, the last good site or the new one.
The lock keeps two builds of one site apart; the record (``.briefgen-files``) names every file
a build wrote, so that no other file in the folder is ever deleted."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from briefgen.model.urls import safe_relpath


def write_file(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to a new or truncated file, in three system calls (``Path.write_bytes``
    takes seven; on a site of 10,000 pages that is seconds of kernel time). ``exclusive``:
    fail if the file exists."""
    mode = os.O_EXCL if exclusive else os.O_TRUNC
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | mode | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def replace_files(files: Mapping[Path, bytes]) -> None:
    """Write files outside the output folder (``briefgen digest``'s), each into a temporary
    file beside it that is then renamed over it: a reader sees the old file or the new one,
    never part of one. Missing folders are made."""
    temps: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
            write_file(temps[-1], data, exclusive=True)
        for path, temp in zip(files, temps, strict=True):
            os.replace(temp, path)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


@contextmanager
def locked(target: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """An exclusive lock on ``.<name>.lock`` beside the output (none where fcntl is missing),
    removed when the build ends, so that a build leaves nothing outside the output folder.

    A build that waited may hold a lock on a file the holder has just removed; it checks
    that the file it locked is still the one at the path, and locks again if not.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = target.parent / f".{target.name}.lock"
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 - closed below, on every path
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
        except BaseException:
            handle.close()
            raise
        handle.close()  # locked a file that its holder removed: take the new one
    try:
        yield
    finally:
        try:
            path.unlink(missing_ok=True)
        finally:
            handle.close()  # closing releases the lock


RECORD = ".briefgen-files"  # in the output folder: every file a build wrote there


def read_record(target: Path) -> set[str] | None:
    """The files the last build wrote into ``target``, or None when it has no record."""
    try:
        text = (target / RECORD).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return set(text.splitlines()[1:]) if text.startswith("# briefgen") else None


def record_text(files: Iterable[str]) -> bytes:
    lines = ["# briefgen: the files of this folder that a build wrote", *sorted(files)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def foreign_files(target: Path) -> list[str]:
    """Files in ``target`` that no briefgen build wrote (by its record), sorted."""
    if not target.is_dir():
        return []
    known = read_record(target) or set()
    found = []
    for folder, dirs, files in os.walk(target):
        dirs.sort()
        rel = Path(folder).relative_to(target).as_posix()
        for name in sorted(files):
            path = name if rel == "." else f"{rel}/{name}"
            if path not in known and path != RECORD:
                found.append(path)
    return found


def recover(target: Path) -> None:
    """Undo what a killed build left: put back an output caught between the two renames of
    a swap, finish an incremental update whose journal was complete, and remove staging and
    old folders."""
    olds = sorted(target.parent.glob(f".{target.name}.old-*"))
    if olds and not target.exists():
        olds.pop().rename(target)
    for txn in sorted(target.parent.glob(f".{target.name}.txn-*")):
        journal = txn / JOURNAL
        if journal.is_file() and target.is_dir():
            _roll_forward(txn, target, journal.read_text(encoding="utf-8").splitlines())
        shutil.rmtree(txn, ignore_errors=True)
    for leftover in [*olds, *target.parent.glob(f".{target.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM during the swap, so that Ctrl-C cannot fall between its two
    renames; a signal that arrives meanwhile is delivered right after."""
    held = {signal.SIGINT, signal.SIGTERM}
    can_hold = (
        hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    )
    if can_hold:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        if can_hold:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


JOURNAL = "journal"  # in an incremental update folder: the moves still to make


def _roll_forward(txn: Path, target: Path, journal: list[str]) -> None:
    for line in journal:
        op, _, rel = line.partition(" ")
        dest = target / safe_relpath(rel)
        if op == "W" and (txn / "files" / rel).is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(txn / "files" / rel, dest)
        elif op == "D" and dest.is_file():
            dest.unlink()
            prune_dirs(dest.parent, target)


def prune_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
