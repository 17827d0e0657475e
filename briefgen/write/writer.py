"""Incremental writing: only the files that changed are staged, then moved into the output
under a journal (see :mod:`briefgen.write.atomic` for the lock and for recovery after a kill)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from briefgen.model.urls import safe_relpath
from briefgen.util.hashing import digest
from briefgen.write import atomic
from briefgen.write.atomic import JOURNAL, locked, prune_dirs, recover, signals_held, swap


class ForeignFiles(Exception):
    """The output folder holds files that no briefgen build wrote (``build --force`` replaces
    them all the same)."""

    def __init__(self, target: Path, files: list[str]) -> None:
        super().__init__(target, files)
        self.target, self.files = target, files

    def __str__(self) -> str:
        more = len(self.files) - 3
        shown = ", ".join(self.files[:3]) + (f" and {more:,} more" if more > 0 else "")
        return (
            f"the output folder {self.target} holds files that briefgen did not write "
            f"({shown}); move them into static/ to publish them, choose another output "
            "folder, or build with --force to replace the folder"
        )


class Stamp(NamedTuple):
    """An output file as a build left it: the digest of its bytes, and its size and
    modification time, which say whether anyone has touched it since. A tuple: a manifest
    holds 32,000 of them at 10,000 briefs with search and cards, read and saved by every
    build (see :class:`briefgen.pipeline.state.OutputState`)."""

    digest: str
    size: int
    mtime_ns: int


def trusted(target: Path, manifest: Mapping[str, Stamp]) -> dict[str, Stamp]:
    """The entries of ``manifest`` whose file is still in ``target`` with the same bytes.

    A file whose size and modification time are as recorded is taken as unchanged; any other
    is read and hashed (a ``touch`` or a copy that kept the bytes is still trusted, with its
    new time). A file that is missing or differs is left out, and will be written again.
    """
    known = {}
    base = os.path.join(target, "")  # paths joined as strings: 20,000 of them at 10,000 briefs
    for rel, stamp in manifest.items():
        path = base + rel
        try:
            st = os.stat(path)
            if (st.st_size, st.st_mtime_ns) != (stamp.size, stamp.mtime_ns):
                if st.st_size != stamp.size or digest(_read(path)) != stamp.digest:
                    continue
                stamp = Stamp(stamp.digest, st.st_size, st.st_mtime_ns)
        except OSError:
            continue
        known[rel] = stamp
    return known


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class Writer:
    """The output folder, locked for one build: ``stage`` files, then ``commit``.

    With ``previous`` (the manifest of what is in the output now, trusted file by file),
    only staged files and removals are applied; without it, the staged folder becomes the
    whole new output. Leaving the ``with`` block without committing discards the staging.
    """

    def __init__(
        self,
        target: Path,
        previous: Mapping[str, Stamp] | None,
        on_wait: Callable[[], None] | None = None,
        force: bool = False,
    ) -> None:
        self.target = target.resolve()
        self.previous = previous
        self.on_wait = on_wait
        self.force = force
        self.staged: set[str] = set()
        self.incremental = False
        self.known: dict[str, str] = {}
        self.stamps: dict[str, Stamp] = {}
        self._made: set[Path] = set()
        self._scratch: set[Path] = set()

    def __enter__(self) -> Writer:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = locked(self.target, self.on_wait)
        self._lock.__enter__()
        try:
            recover(self.target)
            self.incremental = self.previous is not None and self.target.is_dir()
            if not self.incremental and not self.force:
                foreign = atomic.foreign_files(self.target)
                if foreign:  # a full build replaces the folder: never over files of others
                    raise ForeignFiles(self.target, foreign)
            if self.incremental:
                assert self.previous is not None
                self.stamps = trusted(self.target, self.previous)
                self.known = {rel: stamp.digest for rel, stamp in self.stamps.items()}
                prefix = f".{self.target.name}.txn-"
            else:
                prefix = f".{self.target.name}.new-"
            self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))
            self.staging = self.folder / "files" if self.incremental else self.folder
        except BaseException:
            self._tidy()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._tidy()

    def _tidy(self) -> None:
        """Remove this build's staging, even one whose name an interrupt kept from reaching
        ``self.folder`` (under the lock, every such folder is this build's), and unlock."""
        try:
            name = self.target.name
            for pattern in (f".{name}.new-*", f".{name}.txn-*"):
                for leftover in self.target.parent.glob(pattern):
                    shutil.rmtree(leftover, ignore_errors=True)
        finally:
            self._lock.__exit__(None, None, None)

    def stage(self, rel: str, data: bytes) -> None:
        atomic.write_file(self._place(rel), data)
        self.staged.add(rel)

    def staged_elsewhere(self, files: Iterable[str]) -> None:
        """Files that forked workers wrote into the staging folder: a worker's own record
        of them dies with it."""
        self.staged.update(files)

    def stage_copy(self, rel: str, source: Path) -> None:
        atomic.shutil.copyfile(source, self._place(rel))
        self.staged.add(rel)

    def _place(self, rel: str) -> Path:
        dest = self.staging / safe_relpath(rel)
        folder = dest.parent
        if folder not in self._made:  # one mkdir per folder, not one per file
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        return dest

    def stage_move(self, rel: str, source: Path) -> None:
        """Stage a file made elsewhere in this build's folders (the search index) by moving it."""
        os.replace(source, self._place(rel))
        self.staged.add(rel)

    def stage_made(self, rel: str, source: Path) -> None:
        """Stage a file a plugin made: moved when it is in one of this build's scratch
        folders, copied from anywhere else."""
        if self._scratch.intersection(source.parents):
            self.stage_move(rel, source)
        else:
            self.stage_copy(rel, source)

    def source_of(self, rel: str) -> Path:
        """Where the new version of an output file is now: staged, or unchanged in the output."""
        return (
            self.staging / rel if rel in self.staged or not self.incremental else self.target / rel
        )

    def scratch(self) -> Path:
        """A new empty folder for this build's own work (views of pages for the indexer),
        removed with the staging whatever happens."""
        if self.incremental:
            folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=self.folder))
        else:
            prefix = f".{self.target.name}.new-scratch-"
            folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))
        self._scratch.add(folder)
        return folder

    def view(self, rels: Iterable[str], strip: str = "") -> Path:
        """A scratch folder holding the new version of each of ``rels`` at its path (less
        ``strip``, a folder they are all in), as hard links where the file system allows: a
        site of just those files, for a tool to read."""
        folder = self.scratch()
        for rel in rels:
            link_or_copy(self.source_of(rel), folder / safe_relpath(rel[len(strip) :]))
        return folder

    def commit(self, files: Mapping[str, str]) -> dict[str, Stamp]:
        """Make the output hold exactly ``files`` (file → digest of its bytes). Returns the
        new manifest."""
        files = dict(files)
        if not self.incremental:
            atomic.write_file(self.staging / atomic.RECORD, atomic.record_text(files))
            os.chmod(self.staging, 0o755)  # mkdtemp makes it private; a web server must read it
            with signals_held():
                swap(self.staging, self.target)
            return _manifest(self.target, files)
        previous = self.previous or {}
        removed = sorted(set(previous) - set(files))
        if self.staged or removed:
            self._apply(sorted(self.staged), removed)
        if atomic.read_record(self.target) != set(files):
            atomic.replace_files({self.target / atomic.RECORD: atomic.record_text(files)})
        kept = {
            rel: self.stamps[rel] for rel in files if rel not in self.staged and rel in self.stamps
        }
        written = _manifest(self.target, {rel: files[rel] for rel in self.staged})
        return {**kept, **written}

    def _apply(self, staged: list[str], removed: list[str]) -> None:
        journal = [f"W {rel}" for rel in staged] + [f"D {rel}" for rel in removed]
        (self.folder / JOURNAL).write_text("\n".join(journal) + "\n", encoding="utf-8")
        backups = self.folder / "old"
        done: list[tuple[str, str, bool]] = []  # (op, rel, had an old file)
        with signals_held():
            try:
                for op, rel in (line.split(" ", 1) for line in journal):
                    dest = self.target / rel
                    had = dest.is_file()
                    if had:
                        link_or_copy(dest, backups / rel)
                    if op == "W":
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(self.staging / rel, dest)
                    elif had:
                        dest.unlink()
                        prune_dirs(dest.parent, self.target)
                    done.append((op, rel, had))
            except BaseException:
                for op, rel, had in reversed(done):
                    dest = self.target / rel
                    if had:
                        os.replace(backups / rel, dest)
                    elif op == "W":
                        dest.unlink(missing_ok=True)
                        prune_dirs(dest.parent, self.target)
                raise
            finally:
                (self.folder / JOURNAL).unlink(missing_ok=True)


def link_or_copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def _manifest(target: Path, files: Mapping[str, str]) -> dict[str, Stamp]:
    out = {}
    for rel, value in files.items():
        st = os.stat(target / rel)
        out[rel] = Stamp(value, st.st_size, st.st_mtime_ns)
    return out
