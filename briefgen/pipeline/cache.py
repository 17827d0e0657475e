"""The build cache in ``<site>/.briefgen-cache/``: parsed briefs, rendered bodies and what
each output file was made from, so a rebuild redoes only the work whose inputs changed.

Records are pickled and signed with HMAC-SHA256 under the user's key, kept outside the site
(:mod:`briefgen.pipeline.cache_signing`): a cache folder that arrives with the site is never
unpickled. Bodies are kept in pack files, each checked against its digest on every read.
A record a build cannot use is:

- absent: a miss; that work is redone.
- from other code (signed with this key by another briefgen, other libraries or plugins):
  a miss, without a word. After an upgrade every record is one, and the first build is a
  full one anyway: a note at each upgrade would be noise. ``lasting`` records outlive it.
- signed with another key (a cache copied from another machine or restored without its
  key, or a key made anew): not damage, but a cache this user cannot vouch for, dropped
  without a word. Records name their key (a MAC of a constant) to tell this from damage.
- damaged: naming this key but failing its signature (cut short, bytes changed), shorter
  than any record, unreadable; or a pack holding other bytes than its record says. The
  build drops the cache, starts from scratch and says so once (:class:`CacheDamaged`).

A large mapping is a full copy and the changes since (:meth:`Cache.save_map`), used only
together: a copy alone would bring back records older than the output folder's files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from briefgen.pipeline import cache_memory
from briefgen.pipeline.cache_packs import CacheDamaged, CacheMiss, PackFiles
from briefgen.pipeline.cache_signing import code_fingerprint, user_key

__all__ = ["CACHE_DIR", "Cache", "CacheDamaged", "CacheMiss", "ignore_cache_folder"]

CACHE_DIR = ".briefgen-cache"
SERVE_DIR = "serve"  # the preview's own output folder (commands/serve_folder.py): not records
_IGNORE = b"# made by briefgen\n*\n"
_MAC_SIZE = 32
_ID_SIZE = 8  # the key's name in each record, after its MAC
_HEAD = _MAC_SIZE + _ID_SIZE
LASTING = "lasting"  # in place of the code's fingerprint: kept across versions


class Cache(PackFiles):
    """One site's cache folder. ``enabled`` is False when no signing key can be had, and
    then every read misses and nothing is written; ``writable`` False reads but never
    writes (``briefgen check`` leaves the site folder as it was).

    With ``all_or_nothing`` (a build), a record signed with another key raises
    :class:`CacheMiss` and a damaged one :class:`CacheDamaged`, so that the build starts over
    with none of the cache; without it (the catch-up after a build), each is a miss.

    Rendered bodies are kept in pack files (:class:`~briefgen.pipeline.cache_packs.PackFiles`).
    """

    def __init__(
        self,
        root: Path,
        enabled: bool = True,
        writable: bool = True,
        all_or_nothing: bool = False,
    ) -> None:
        self.folder = root / CACHE_DIR
        self.key = user_key() if enabled else None
        self.enabled = self.key is not None
        self.all_or_nothing = all_or_nothing
        self._key_id = self._sign(b"briefgen cache key")[:_ID_SIZE] if self.key else b""
        self.writable = self.enabled and writable
        self.fingerprint = code_fingerprint() if self.enabled else ""
        self.failed: tuple[str, str] | None = None  # the first write that failed: (path, why)
        self._packs: dict[str, int] = {}  # open pack files, read with pread
        # what load_map gave, for save_map: (token, size, changed, removed, the mapping)
        self._maps: dict[str, tuple[Any, ...]] = {}  # Any: the records' own types
        self._closed = False

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, name: str, lasting: bool = False, keep: bool = False) -> Any:  # Any: any
        """The record saved under ``name`` by this user and this code, else ``None``; with
        ``lasting``, one saved ``lasting`` by any version of briefgen (a record whose keys
        name everything that shapes its values, such as the encoded pictures'). ``keep``:
        a record never changed in place, that :mod:`~briefgen.pipeline.cache_memory` may
        keep in memory for the next load."""
        if not self.enabled:
            return None
        stamp = LASTING if lasting else self.fingerprint
        key = (str(self.folder / name), self._key_id.hex(), stamp) if keep else None
        try:
            stat, blob, kept = cache_memory.read(self.folder / name, key)
        except FileNotFoundError:
            return None
        except OSError:
            return self._unusable(name, damaged=True)
        if blob is None:
            return kept
        # views, not slices: a record of 180 MB (the parsed briefs at 100,000) is not copied
        view = memoryview(blob)
        signed, ours = view[_MAC_SIZE:], view[_MAC_SIZE:_HEAD] == self._key_id
        if len(blob) < _HEAD or not hmac.compare_digest(view[:_MAC_SIZE], self._sign(signed)):
            return self._unusable(name, damaged=len(blob) < _HEAD or ours)
        # a record from before records named their key (format 1) is signed the same way
        body = signed[_ID_SIZE:] if ours else signed
        try:
            fingerprint, value = pickle.loads(body)
        except Exception:  # signed with this key by code that wrote other classes: absent
            return None
        if fingerprint != stamp:
            return None
        if key is not None:
            cache_memory.remember(key, stat, value)
        return value

    def _unusable(self, name: str, damaged: bool) -> None:
        """A record there but of no use: a miss, or the end of an all-or-nothing attempt."""
        if not self.all_or_nothing:
            return None
        raise CacheDamaged(name) if damaged else CacheMiss(name)

    def save(self, name: str, value: Any, lasting: bool = False) -> None:  # Any: any record
        if not self.writable:
            return
        stamp = LASTING if lasting else self.fingerprint
        if not (self.folder / ".gitignore").exists():  # never committed, whatever the site's
            self._write(self.folder / ".gitignore", _IGNORE)  # .gitignore says

        def record(handle: BinaryIO) -> None:
            """The signature, then the key's name and the pickle, signed as they are
            written: the record is never held in memory whole, let alone twice."""
            assert self.key is not None
            handle.write(bytes(_MAC_SIZE))  # the signature's place, until it is known
            signed = _Signing(handle, hmac.new(self.key, digestmod=hashlib.sha256))
            signed.write(self._key_id)
            pickle.dump((stamp, value), signed, protocol=pickle.HIGHEST_PROTOCOL)
            handle.seek(0)
            handle.write(signed.mac.digest())

        self._write(self.folder / name, record)

    def load_map(self, name: str) -> dict[Any, Any]:  # Any: the caller's keys and records
        """A mapping saved with :meth:`save_map`: its last full copy with the changes since,
        or nothing when either is missing or they are not of one save (a full copy alone
        would bring back entries older than the changes: pages that no longer hold)."""
        base = self.load(f"{name}.pickle", keep=True)
        if not (isinstance(base, tuple) and len(base) == 2 and isinstance(base[1], dict)):
            return {}
        token, merged = base[0], dict(base[1])  # the loaded copy may be kept: never changed
        delta = self.load(f"{name}.delta.pickle")
        if not (isinstance(delta, tuple) and len(delta) == 3 and delta[0] == token):
            return {}
        changed: dict[Any, Any] = delta[1]  # Any: the mapping's own keys and records
        removed: set[Any] = delta[2]  # Any: its keys
        merged.update(changed)
        for key in removed:
            merged.pop(key, None)
        self._maps[name] = (token, len(merged), changed, removed, dict(merged))
        return merged

    def save_map(self, name: str, current: dict[Any, Any]) -> None:  # Any: any keys, records
        """Save a large mapping; when few entries differ from what :meth:`load_map` gave
        (entries are compared by identity), only those are written, beside the full copy.
        A rebuild after one edit then writes kilobytes, not the whole cache."""
        known = self._maps.get(name)
        if known is not None:
            token, size, changed, removed, loaded = known
            absent = object()
            news = {k: v for k, v in current.items() if loaded.get(k, absent) is not v}
            gone = loaded.keys() - current.keys()
            changed = {k: v for k, v in changed.items() if k not in gone} | news
            removed = (removed | gone) - news.keys()
            if len(changed) + len(removed) <= max(64, size // 8):
                self.save(f"{name}.delta.pickle", (token, changed, removed))
                self._maps[name] = (token, size, changed, removed, dict(current))
                return
        token = secrets.token_hex(8)
        self.save(f"{name}.pickle", (token, current))
        self.save(f"{name}.delta.pickle", (token, {}, set()))  # the copy is whole with it
        self._maps[name] = (token, len(current), {}, set(), dict(current))

    def amend_map(self, name: str, changed: dict[Any, Any]) -> None:  # Any: keys, records
        """Add ``changed`` to a mapping saved with :meth:`save_map` by writing its changes
        again, without loading its full copy; nothing when those changes cannot be read (the
        mapping is then missing as a whole, and the next build makes it again)."""
        delta = self.load(f"{name}.delta.pickle")
        if not (isinstance(delta, tuple) and len(delta) == 3):
            self.remove(f"{name}.delta.pickle")
            return
        token, before, removed = delta
        self.save(f"{name}.delta.pickle", (token, {**before, **changed}, removed - changed.keys()))
        self._maps.pop(name, None)

    def clear(self) -> None:
        """Forget every record (the signing key stays)."""
        if self.writable and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name in (".gitignore", SERVE_DIR):
                    continue
                try:
                    shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
                except OSError:  # what stays is checked on every read, and misses
                    pass

    def remove(self, name: str) -> None:
        if self.writable:
            (self.folder / name).unlink(missing_ok=True)

    def seal(self, data: bytes) -> bytes:
        """``data`` signed with the user's key, for a record kept outside this class's files
        (the parts of :mod:`briefgen.pipeline.parts`); :meth:`unseal` gives it back."""
        return self._sign(data) + data

    def unseal(self, blob: bytes) -> bytes | None:
        """What :meth:`seal` was given, or None when ``blob`` fails its signature."""
        view = memoryview(blob)
        if len(blob) < _MAC_SIZE or not hmac.compare_digest(
            view[:_MAC_SIZE], self._sign(view[_MAC_SIZE:])
        ):
            return None
        return view[_MAC_SIZE:].tobytes()

    def _sign(self, body: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, body, hashlib.sha256).digest()

    def _write(self, path: Path, data: bytes | Callable[[BinaryIO], None]) -> bool:
        """Write a record (its bytes, or a function that writes them) whole or not at all.
        A failure (a read-only or full disk) stops further writes and is kept in ``failed``
        for the build to report."""
        if not self.writable:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    data(handle) if callable(data) else handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as exc:
            self.writable = False
            if self.failed is None:
                self.failed = (str(exc.filename or path), exc.strerror or str(exc))
            return False
        return True


class _Signing:
    """A file that signs what is written to it (for :func:`pickle.dump`)."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self.handle, self.mac = handle, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.handle.write(data)


def ignore_cache_folder(folder: Path) -> None:
    """Mark a cache folder made before any record is saved in it as never to be committed."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_bytes(_IGNORE)
