"""The pack files of a cache (:class:`~briefgen.pipeline.cache.Cache`): rendered bodies, many
to a file, each read back with ``pread`` and checked against its digest; and what a cache
raises when a record or a pack cannot be used."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.model.site import Body, Unreadable
from briefgen.util.hashing import digest


class CacheMiss(Unreadable):
    """A record the index promised is gone, or the cache holds records this user's builds
    cannot vouch for; the build starts over without the cache. (An ``Unreadable``: raised
    while a template or a plugin reads a body, it passes through their handlers.)"""


class CacheDamaged(CacheMiss):
    """A record or pack file is there but damaged; the build starts over without the cache
    and says so. ``record``: its path in the cache folder."""

    def __init__(self, record: str) -> None:
        super().__init__(record)  # the arguments travel back from a worker whole
        self.record = record


class PackFiles:
    """Bodies in pack files under ``bodies/`` of a cache folder (mixed into the cache).

    Pack files stay open while a build reads bodies; ``close()`` (or leaving a ``with``
    block) closes them. A long-running process (``briefgen serve``) builds hundreds of
    times, so a build that forgot them would run out of file descriptors.
    """

    folder: Path
    writable: bool
    failed: tuple[str, str] | None
    _packs: dict[str, int]  # open pack files, read with pread
    _closed: bool

    def _write(self, path: Path, data: bytes) -> bool:
        raise NotImplementedError  # the cache's: whole or not at all

    def close(self) -> None:
        """Close the open pack files; safe to call twice. Bodies can still be read after
        (a site model may outlive its build): each read then opens and closes its pack."""
        self._closed = True
        packs, self._packs = self._packs, {}
        for fd in packs.values():
            try:
                os.close(fd)
            except OSError:
                pass

    def put_bodies(self, bodies: list[str]) -> list[tuple[str, tuple[str, int, int]]]:
        """Store rendered bodies in one pack file (one file per batch, not per brief: file
        creation is the dearest thing a build does). Returns each body's digest and place."""
        data = [body.encode("utf-8", "surrogatepass") for body in bodies]
        blob = b"".join(data)
        name = digest(blob) + ".pack"
        path = self.folder / "bodies" / name
        if not path.exists() and not self._write(path, blob):
            raise OSError(0, self.failed[1] if self.failed else "cannot write", str(path))
        out, offset = [], 0
        for chunk in data:
            out.append((digest(chunk), (name, offset, len(chunk))))
            offset += len(chunk)
        return out

    def get_body(self, body: Body) -> str:
        """A stored body's HTML, checked against its digest."""
        if body.where is None:
            raise CacheMiss(body.digest)
        name, offset, length = body.where
        try:
            fd = self._packs.get(name)
            if fd is not None:
                data = os.pread(fd, length, offset)
            elif self._closed:
                data = _read_at(self.folder / "bodies" / name, offset, length)
            else:
                fd = self._packs[name] = os.open(self.folder / "bodies" / name, os.O_RDONLY)
                data = os.pread(fd, length, offset)
        except FileNotFoundError:  # removed by a build that no longer needed it
            raise CacheMiss(body.digest) from None
        except OSError:
            raise CacheDamaged(f"bodies/{name}") from None
        if len(data) != length or digest(data) != body.digest:
            raise CacheDamaged(f"bodies/{name}")  # a pack is named by its bytes, written once
        return data.decode("utf-8", "surrogatepass")

    def prune_packs(self, live: set[str]) -> None:
        """Remove pack files no cached body points into any more."""
        if not self.writable:
            return
        for path in (self.folder / "bodies").glob("*.pack"):
            if path.name not in live:
                path.unlink(missing_ok=True)
                fd = self._packs.pop(path.name, None)
                if fd is not None:
                    os.close(fd)


def _read_at(path: Path, offset: int, length: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)
