"""Who may read a record of the build cache: the user whose key signed it, kept outside the
site (``$XDG_CACHE_HOME/briefgen/cache-key``), and the code whose fingerprint it carries
(see :mod:`briefgen.pipeline.cache`)."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import briefgen

_FORMAT = 2  # 2: records name the key that signed them


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


def user_key() -> bytes | None:
    """The user's signing key, made on first use; None when none can be kept (no
    writable home): builds then run without the cache."""
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
