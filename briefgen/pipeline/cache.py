"""The build cache in ``<site>/.briefgen-cache/``: parsed briefs, rendered bodies and what
each output file was made from, so a rebuild redoes only the work whose inputs changed.

Records are pickled and signed with HMAC-SHA256 under a key kept outside the site, in the
user's cache folder (``$XDG_CACHE_HOME/briefgen/cache-key``). A cache folder that arrives
with the site (committed to a repository, say) fails the check and is ignored, so nobody
can make a build load objects it did not write itself. Rendered bodies are stored as HTML
files named by their BLAKE2 digest, which is checked on every read. Any record that is
missing, unreadable, stale or tampered with is a miss: the work is redone.
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
from pathlib import Path
from typing import Any

import briefgen
from briefgen.model.site import Body, Unreadable
from briefgen.util.hashing import digest

CACHE_DIR = ".briefgen-cache"
_MAC_SIZE = 32
LASTING = "lasting"  # in place of the code's fingerprint: kept across versions
_FORMAT = 1


class CacheMiss(Unreadable):
    """A record the index promised is gone or damaged; the build starts over without it.
    (An ``Unreadable``: raised while a template or a plugin reads a body, it passes through
    their handlers.)"""


def code_fingerprint() -> str:
    """briefgen's version and source, and where and when the libraries that shape output
    were installed: a cache written by other code is never read. (The libraries are located
    without importing them, so a build with nothing to do never loads them.)"""
    from importlib.util import find_spec

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT} {briefgen.__version__}".encode())
    for module in ("markdown_it", "mdit_py_plugins", "jinja2", "markupsafe", "yaml"):
        spec = find_spec(module)
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            st = os.stat(origin)
            h.update(f"{module} {origin} {st.st_size} {st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"{module} ?".encode())
    package = Path(briefgen.__file__).parent
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        h.update(source.read_bytes())
    return h.hexdigest()


def _user_key() -> bytes | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "briefgen" / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        os.replace(tmp, path)  # two builds racing both write a key; one wins, both reread it
        return path.read_bytes()
    except OSError:
        return None


class Cache:
    """One site's cache folder. ``enabled`` is False when no signing key can be had, and
    then every read misses and nothing is written; ``writable`` False reads but never
    writes (``briefgen check`` leaves the site folder as it was).

    Pack files stay open while a build reads bodies; ``close()`` (or leaving a ``with``
    block) closes them. A long-running process (``briefgen serve``) builds hundreds of
    times, so a build that forgot them would run out of file descriptors.
    """

    def __init__(self, root: Path, enabled: bool = True, writable: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.key = _user_key() if enabled else None
        self.enabled = self.key is not None
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

    def load(self, name: str, lasting: bool = False) -> Any:  # Any: a record of any type
        """The record saved under ``name`` by this user and this code, else ``None``; with
        ``lasting``, one saved ``lasting`` by any version of briefgen (a record whose keys
        name everything that shapes its values, such as the encoded pictures')."""
        if not self.enabled:
            return None
        try:
            blob = (self.folder / name).read_bytes()
        except OSError:
            return None
        mac, body = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
        if not hmac.compare_digest(mac, self._sign(body)):
            return None
        try:
            fingerprint, value = pickle.loads(body)
        except Exception:  # a signed record this code cannot read: treat as absent
            return None
        return value if fingerprint == (LASTING if lasting else self.fingerprint) else None

    def save(self, name: str, value: Any, lasting: bool = False) -> None:  # Any: any record
        if not self.writable:
            return
        stamp = LASTING if lasting else self.fingerprint
        body = pickle.dumps((stamp, value), protocol=pickle.HIGHEST_PROTOCOL)
        if not (self.folder / ".gitignore").exists():  # never committed, whatever the site's
            self._write(self.folder / ".gitignore", b"# made by briefgen\n*\n")  # .gitignore says
        self._write(self.folder / name, self._sign(body) + body)

    def load_map(self, name: str) -> dict[Any, Any]:  # Any: the caller's keys and records
        """A mapping saved with :meth:`save_map`: its last full copy with the changes since,
        or nothing when either is missing or they are not of one save (a full copy alone
        would bring back entries older than the changes: pages that no longer hold)."""
        base = self.load(f"{name}.pickle")
        if not (isinstance(base, tuple) and len(base) == 2 and isinstance(base[1], dict)):
            return {}
        token, merged = base
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

    def clear(self) -> None:
        """Forget every record (the signing key stays)."""
        if self.writable and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name == ".gitignore":
                    continue
                try:
                    shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
                except OSError:  # what stays is checked on every read, and misses
                    pass

    def remove(self, name: str) -> None:
        if self.writable:
            (self.folder / name).unlink(missing_ok=True)

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
        except OSError:
            raise CacheMiss(body.digest) from None
        if len(data) != length or digest(data) != body.digest:
            raise CacheMiss(body.digest)
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

    def _sign(self, body: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, body, hashlib.sha256).digest()

    def _write(self, path: Path, data: bytes) -> bool:
        """Write a record whole or not at all. A failure (a read-only or full disk) stops
        further writes and is kept in ``failed`` for the build to report."""
        if not self.writable:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
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


def _read_at(path: Path, offset: int, length: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)
